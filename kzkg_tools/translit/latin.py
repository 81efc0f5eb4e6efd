"""Cyrillic -> the official Kazakh Latin alphabet of 2021 (letters in data/translit/letters.tsv)."""

from __future__ import annotations

import re

from kzkg_tools.resources import owned
from kzkg_tools.translit.script import letter_tables

_CYR_WORD = re.compile(r"[а-яёәғқңөұүһі]+", re.IGNORECASE)


@owned("translit")
def _tables() -> tuple[dict[int, str], dict[int, str]]:
    lower = letter_tables()["latin"]
    upper = {c.upper(): lat[:1].upper() + lat[1:] for c, lat in lower.items()}
    return str.maketrans(lower), str.maketrans(upper)


def _word(m: re.Match[str]) -> str:
    word = m.group(0)
    lower, upper = _tables()
    if len(word) > 1 and word.isupper():
        return word.translate(lower | upper).upper()  # acronyms and headings stay all caps
    return word.translate(lower | upper)


def cyrl_to_latn(text: str) -> str:
    """Kazakh Cyrillic -> Latin (2021 alphabet); everything that is not Cyrillic passes."""
    return _CYR_WORD.sub(_word, text)
