"""Kazakh script conversion: Arabic script -> Cyrillic (lexicon-guided), Cyrillic -> Arabic
script (Kazinform or MediaWiki spelling) and Cyrillic -> the 2021 official Latin alphabet.

`arab_to_cyrl` is what `kzkg normalize` calls for kk-Arab documents; `converter` picks the
line function for a pair of script tags, and `kzkg translit` is the line filter over it.
"""

from __future__ import annotations

import typing
from collections.abc import Callable

from kzkg_tools import langs
from kzkg_tools.translit.latin import cyrl_to_latn
from kzkg_tools.translit.reverse import cyrl_to_arab
from kzkg_tools.translit.script import Profile
from kzkg_tools.translit.text import arab_to_cyrl

__all__ = [
    "CONVERSIONS",
    "UnsupportedConversion",
    "arab_to_cyrl",
    "converter",
    "cyrl_to_arab",
    "cyrl_to_latn",
]

# (from, to) script tags there is a conversion for; Arabic -> Latin goes through Cyrillic,
# the only script the Latin alphabet is defined against.
CONVERSIONS = (
    ("kk-Arab", "kk-Cyrl"),
    ("kk-Arab", "kk-Latn"),
    ("kk-Cyrl", "kk-Arab"),
    ("kk-Cyrl", "kk-Latn"),
)


class UnsupportedConversion(ValueError):
    """No conversion between the two script tags (same script, or a direction not built)."""

    def __init__(self, source: str, target: str) -> None:
        self.source = source
        self.target = target
        pairs = ", ".join(f"{a} -> {b}" for a, b in CONVERSIONS)
        super().__init__(f"no conversion from {source} to {target} (there are: {pairs})")


def converter(
    source: str, target: str, profile: Profile = "kazinform", repair: bool = True
) -> Callable[[str], str]:
    """The function converting one line of Kazakh from script tag `source` to `target`.

    The tags are read by the language table (`kk` is kk-Cyrl, `kk-CN` kk-Arab).

    `profile` is the Arabic-script spelling written (kk-Arab targets only); `repair=False`
    reads Arabic script word by word, keeping hyphens, spacing and case as they are.
    Raises UnsupportedConversion for a pair not in CONVERSIONS and ValueError for an
    unknown profile, before any text is read.
    """
    source, target = langs.canonical(source), langs.canonical(target)
    if (source, target) not in CONVERSIONS:
        raise UnsupportedConversion(source, target)
    if profile not in typing.get_args(Profile):
        raise ValueError(f"unknown profile {profile!r}: {' or '.join(typing.get_args(Profile))}")

    def from_arabic(line: str) -> str:
        return arab_to_cyrl(line, repair=repair)[0]

    if source == "kk-Arab":
        if target == "kk-Latn":
            return lambda line: cyrl_to_latn(from_arabic(line))
        return from_arabic
    if target == "kk-Arab":
        return lambda line: cyrl_to_arab(line, profile)
    return cyrl_to_latn
