"""Currency words and signs, and percent signs, as they follow or precede an amount.

Currency head nouns (美元, доллар, دولار, دوللار, USD) come from lexicon.tsv
with the CLDR name they are taken from; Kazakh and Russian forms take case
endings (долларға, دوللاردى, долларов), which belong to the surface. Percent
signs come from CLDR (ar ٪) plus the curated words (пайыз, процент).
"""

from __future__ import annotations

import regex

from kzkg_tools import langs
from kzkg_tools.facts import lexicon
from kzkg_tools.facts.numbers import LETTER
from kzkg_tools.resources import owned


def _inflects(lang: str) -> bool:
    """Kazakh and Russian write case endings on the currency noun (долларға, долларов)."""
    return langs.language(lang) in ("kk", "ru")


@owned("facts-lexicon")
def currency_after(lang: str) -> regex.Pattern[str]:
    """A currency word right after an amount (group `cur`), whole word with its ending."""
    entries = lexicon.words(lang, "currency") + lexicon.words("en", "currency")
    alts = "|".join(regex.escape(e.surface) for e in sorted(entries, key=lambda e: -len(e.surface)))
    tail = rf"{LETTER}*" if _inflects(lang) or lang == "ar" else ""
    return regex.compile(rf"[ \u00a0]?(?P<cur>(?:{alts}){tail})", regex.IGNORECASE)


@owned("facts-lexicon")
def currency_before() -> regex.Pattern[str]:
    """A currency sign or code before an amount ($4, US$ 4, USD 4): the non-word entries."""
    signs = [e.surface for e in lexicon.words("en", "currency") if not e.surface.islower()]
    alts = "|".join(regex.escape(s) for s in sorted(signs, key=len, reverse=True))
    return regex.compile(rf"(?<![A-Za-z])(?P<cur>{alts})[ \u00a0]?$")


def currency_code(word: str, lang: str) -> str:
    entries = lexicon.words(lang, "currency") + lexicon.words("en", "currency")
    low = word.lower()
    best = max(
        (e for e in entries if low.startswith(e.surface.lower())), key=lambda e: len(e.surface)
    )
    return best.value


@owned("facts-lexicon")
def percent_after(lang: str) -> regex.Pattern[str]:
    """A percent sign or word right after a number (33％, 33 %, 5 пайыз, 10 بالمئة)."""
    alts = "|".join(regex.escape(s) for s in lexicon.percent_signs(lang))
    tail = rf"{LETTER}*" if _inflects(lang) else ""
    return regex.compile(rf"[ \u00a0]?(?:{alts}){tail}", regex.IGNORECASE)
