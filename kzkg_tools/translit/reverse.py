"""Cyrillic -> Arabic script, for people who read Kazakh in China and for round-trip tests."""

from __future__ import annotations

import re

from kzkg_tools.resources import owned
from kzkg_tools.translit.lexicon import lexicon
from kzkg_tools.translit.repair import acronyms
from kzkg_tools.translit.script import Profile, bare, letter_tables, spell

_CYR_WORD = re.compile(r"[а-яёәғқңөұүһі]+(?:-[а-яёәғқңөұүһі]+)*", re.IGNORECASE)
# Commas, semicolons and question marks after a Kazakh word become Arabic ones.
_PUNCT = re.compile(r"(?<=[а-яёәғқңөұүһі»)])([,;?])", re.IGNORECASE)
_ARABIC_PUNCT = str.maketrans({",": "،", ";": "؛", "?": "؟"})


@owned("translit")
def _spaced_acronyms() -> dict[str, str]:
    return {cyr: arab for arab, cyr in acronyms().items()}


def _word(word: str, profile: Profile) -> str:
    """Acronyms are written as spaced letters (ҚР -> ق ر): the ones in acronyms.tsv, and
    other words of 2-4 capitals that are no lexicon word (АДАМ in a heading is a word)."""
    if word.isupper() and len(word) > 1:
        known = _spaced_acronyms().get(word)
        if known:
            return known
        low = word.lower()
        if len(word) <= 4 and bare(spell(low)) not in lexicon().words:
            table = letter_tables()[profile]
            return " ".join(table.get(c, c) for c in low)
    return spell(word.lower(), profile)


def cyrl_to_arab(text: str, profile: Profile = "kazinform") -> str:
    """Kazakh Cyrillic -> Arabic script in the Kazinform (hamza U+0621) or MediaWiki 1.12
    (hamza U+0674, и as ىي) spelling, acronyms as spaced letters; everything that is not
    Cyrillic passes through."""
    if profile not in ("kazinform", "mediawiki"):
        raise ValueError(f"unknown profile {profile!r}: kazinform or mediawiki")
    text = _PUNCT.sub(lambda m: m.group(1).translate(_ARABIC_PUNCT), text)
    return _CYR_WORD.sub(lambda m: _word(m.group(0), profile), text)
