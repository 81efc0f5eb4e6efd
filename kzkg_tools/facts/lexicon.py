"""Word lists the fact grammars are built from: CLDR (through PyICU) first, curated TSV second.

Month names, spelled-out cardinals, scale words (thousand, million, 萬, 億) and
percent signs are what CLDR already knows, so they are read from ICU for every
language; only what CLDR lacks (qualifier words, relative years, units, the
currency head nouns as they are written in running text) is curated in
`kzkg_tools/data/facts/lexicon.tsv`, each row with its source.

Raw Arabic-script Kazakh (the 1980s Xinjiang orthography of seed 003) has no
CLDR locale; its forms are derived from the Cyrillic ones with the letter table
`kk_cyrl_arab.tsv` (ICU's own `kk-ar` transform writes another orthography:
قانْغتار for қаңтар where the corpus has قاڭتار).
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from importlib import resources
from typing import NamedTuple

import icu

from kzkg_tools.resources import owned

LANGS = ("zh-Hant", "zh-Hans", "ar", "kk-Cyrl", "kk-Arab", "ru", "en")

# The ICU locale whose CLDR data stands for each language tag. kk-Arab has no
# CLDR data of its own: its forms come from kk through `kk_arab`.
ICU_LOCALES = {
    "zh-Hant": ("zh_Hant", "zh_Hant_HK", "zh"),
    "zh-Hans": ("zh", "zh_Hant"),
    "ar": ("ar", "ar_SY", "ar_IQ", "ar_LB", "ar_MA"),
    "kk-Cyrl": ("kk",),
    "kk-Arab": ("kk",),
    "ru": ("ru",),
    "en": ("en",),
}

HAMZA = "\u0621"
_FRONT_VOWELS = set("әөүі")
_FRONT_MARKERS = set("екгә")


def base_lang(lang: str) -> str:
    """The lexicon key of a BCP 47 tag: zh-* share one table, kk-Arab borrows kk-Cyrl's."""
    if lang.startswith("zh"):
        return "zh"
    if lang in ("kk", "kk-Cyrl", "kk-Arab"):
        return "kk-Cyrl"
    return lang.split("-")[0]


def normalize_lang(lang: str) -> str:
    """Map loose tags (kk, zh, zh-TW, ar-SA) onto the seven tags the lexicons know."""
    low = lang.lower()
    if low.startswith("zh"):
        return "zh-Hans" if ("hans" in low or low in ("zh-cn", "zh-sg")) else "zh-Hant"
    if low.startswith("kk"):
        return "kk-Arab" if "arab" in low else "kk-Cyrl"
    for tag in ("ar", "ru", "en"):
        if low.startswith(tag):
            return tag
    return lang


def data_rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("kzkg_tools") / "data" / "facts" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))


@owned("facts-lexicon")
def _kk_letters() -> dict[str, str]:
    return {r["cyrl"]: r["arab"] for r in data_rows("kk_cyrl_arab.tsv")}


def kk_arab(cyrillic: str) -> str:
    """Kazakh Cyrillic to the Arabic script of the corpus, word by word.

    A word with a front vowel (ә ө ү і) and none of е к г, which mark front
    words by themselves, takes the hamza ء at its start. Capital-letter
    acronyms (БҰҰ) become spaced letters (ب ۇ ۇ) as the corpus writes them.
    """
    letters = _kk_letters()
    out = []
    for word in cyrillic.split(" "):
        if len(word) > 1 and word.isupper() and word.isalpha():
            out.append(" ".join(letters.get(c, c) for c in word.lower()))
            continue
        low = word.lower()
        conv = "".join(letters.get(c, c) for c in low)
        if _FRONT_VOWELS & set(low) and not _FRONT_MARKERS & (set(low) - {"ә"}):
            conv = HAMZA + conv
        out.append(conv)
    return " ".join(out)


class Entry(NamedTuple):
    surface: str
    value: str


@owned("facts-lexicon")
def curated() -> dict[tuple[str, str], list[Entry]]:
    """(lexicon key, kind) → entries of lexicon.tsv; kk-Arab gets kk-Cyrl rows converted."""
    table: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for r in data_rows("lexicon.tsv"):
        table[(r["lang"], r["kind"])].append(Entry(r["surface"], r["value"]))
        if r["lang"] == "kk-Cyrl":
            table[("kk-Arab", r["kind"])].append(Entry(kk_arab(r["surface"]), r["value"]))
    return dict(table)


def words(lang: str, kind: str) -> list[Entry]:
    """Curated entries of one kind for a language tag (kk-Arab: converted from kk-Cyrl)."""
    key = "kk-Arab" if lang == "kk-Arab" else base_lang(lang)
    return curated().get((key, kind), [])


# ---------------------------------------------------------------- CLDR via ICU


def _month_lists(locale: str) -> list[list[str]]:
    """Format and stand-alone month names, wide and abbreviated, of one ICU locale."""
    sym = icu.DateFormatSymbols(icu.Locale(locale))
    lists = [sym.getMonths(), sym.getShortMonths()]
    for context in (icu.DateFormatSymbols.FORMAT, icu.DateFormatSymbols.STANDALONE):
        for width in (icu.DateFormatSymbols.WIDE, icu.DateFormatSymbols.ABBREVIATED):
            lists.append(sym.getMonths(context, width))
    return [list(m)[:12] for m in lists]


@owned("facts-lexicon")
def month_names(lang: str) -> dict[str, int]:
    """Surface form (lowercased) → month number, from CLDR format and stand-alone names.

    Abbreviations keep the dot CLDR writes (ru `мар.`) so that they only match
    with it; Kazakh abbreviations (`қаз`, `там`) are dropped because with case
    endings allowed they would read қазақ and тамыр as months. Arabic gets both
    traditions (ar: أبريل; ar_SY/ar_IQ: نيسان); Cyrillic Kazakh also gets the
    Russian names. Chinese months are numeric (4月) and handled by the Chinese
    date grammar instead.
    """
    out: dict[str, int] = {}
    if lang.startswith("zh"):
        return out
    if lang == "kk-Cyrl":
        # Kazakh scholarly text cites Russian sources: "18 февраля 1991 г." (wide forms only)
        out.update((f, i) for f, i in month_names("ru").items() if not f.endswith("."))
    for locale in ICU_LOCALES[lang]:
        for names in _month_lists(locale):
            for i, name in enumerate(names, start=1):
                form = name.lower()
                if lang.startswith("kk") and (form.endswith(".") or len(form) <= 3):
                    continue
                if lang == "kk-Arab":
                    form = kk_arab(form).lstrip(HAMZA)
                if len(form.rstrip(".")) >= 3 and not form[0].isdigit():
                    out.setdefault(form, i)
    return out


@owned("icu")
def spellout(locale: str) -> icu.RuleBasedNumberFormat:
    """ICU's CLDR spell-out rules for a locale (parses 二十一, жиырма бір, twenty-one)."""
    return icu.RuleBasedNumberFormat(icu.URBNFRuleSetTag.SPELLOUT, icu.Locale(locale))


def parse_spelled(text: str, locale: str) -> int | None:
    """The value of a whole spelled-out cardinal, or None when ICU cannot read all of it."""
    fmt = spellout(locale)
    pos = icu.ParsePosition(0)
    try:
        result = fmt.parse(text, pos)
    except icu.ICUError:
        return None
    if pos.getIndex() != len(text) or pos.getErrorIndex() >= 0:
        return None
    value = result.getDouble()
    return int(value) if value == int(value) else None


@owned("facts-lexicon")
def spelled_numbers(lang: str, upto: int = 20) -> dict[str, int]:
    """Spelled-out cardinals 1..upto, tens to 90, 100 and 1000 (ICU spell-out) → value.

    Used to find candidate words in running text; each candidate is then
    checked with `parse_spelled` so multiword forms come from ICU too.
    """
    if lang.startswith("zh"):
        return {}
    locale = ICU_LOCALES[lang][0]
    fmt = spellout(locale)
    names = [fmt.getRuleSetName(i) for i in range(fmt.getNumberOfRuleSetNames())]
    # every cardinal rule set: Russian case forms (пяти, двух), Arabic genders
    rulesets = [r for r in names if "cardinal" in r and "financial" not in r] or [names[0]]
    out: dict[str, int] = {}
    for ruleset in rulesets:
        for n in [*range(1, upto + 1), *range(30, 100, 10), 100, 1000]:
            form = fmt.format(n, ruleset).lower()
            if lang == "kk-Arab":
                form = kk_arab(form).lstrip(HAMZA)
            out.setdefault(form, n)
            if lang == "ar" and 3 <= n <= 10 and form.endswith("ة"):
                # gender polarity: ICU writes خمسة; before or after a feminine noun it is خمس
                out.setdefault(form[:-1], n)
    return out


@owned("facts-lexicon")
def scale_words(lang: str) -> dict[str, int]:
    """Scale words (мың, миллион, млрд, مليون, 萬, 億) → multiplier, read from CLDR compact forms.

    ICU formats 1, 2, 5 and 10 thousand, million and billion in long and short
    compact style ("5 миллионов", "1 млрд", "10億"); the non-digit part of each
    is a scale word and the value divided by its digits the multiplier.
    """
    out: dict[str, int] = {}
    locales = ("kk",) if lang == "kk-Arab" else ICU_LOCALES[lang][:1]
    for locale in locales:
        for style in (icu.UNumberCompactStyle.LONG, icu.UNumberCompactStyle.SHORT):
            fmt = icu.CompactDecimalFormat.createInstance(icu.Locale(locale), style)
            for exp in range(3, 13):
                for lead in (1, 2, 5):
                    value = lead * 10**exp
                    text = fmt.format(value)
                    digits = "".join(str(unicodedata.digit(c)) for c in text if c.isdigit())
                    word = "".join(c for c in text if not c.isdigit()).strip(" \u00a0").lower()
                    if not digits or not word or (len(word) < 2 and not lang.startswith("zh")):
                        continue
                    if lang == "kk-Arab":
                        word = kk_arab(word)
                    out.setdefault(word, value // int(digits))
    return out


@owned("facts-lexicon")
def percent_signs(lang: str) -> list[str]:
    """CLDR percent signs of the language (ar: ٪) plus the curated percent words."""
    signs = {"%"}
    for locale in ICU_LOCALES[lang][:1]:
        sym = icu.DecimalFormatSymbols(icu.Locale(locale))
        signs.add(
            sym.getSymbol(icu.DecimalFormatSymbols.kPercentSymbol).strip("\u061c\u200e\u200f")
        )
    signs.update(e.surface for e in words(lang, "percent"))
    return sorted(signs, key=len, reverse=True)
