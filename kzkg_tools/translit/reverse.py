"""Cyrillic -> Arabic script, for people who read Kazakh in China and for round-trip tests."""

from __future__ import annotations

import re

from kzkg_tools.translit.script import Profile, spell

_CYR_WORD = re.compile(r"[а-яёәғқңөұүһі]+(?:-[а-яёәғқңөұүһі]+)*", re.IGNORECASE)
# Commas, semicolons and question marks after a Kazakh word become Arabic ones.
_PUNCT = re.compile(r"(?<=[а-яёәғқңөұүһі»)])([,;?])", re.IGNORECASE)
_ARABIC_PUNCT = str.maketrans({",": "،", ";": "؛", "?": "؟"})


def cyrl_to_arab(text: str, profile: Profile = "kazinform") -> str:
    """Kazakh Cyrillic -> Arabic script in the Kazinform (hamza U+0621) or MediaWiki 1.12
    (hamza U+0674, и as ىي) spelling; everything that is not Cyrillic passes through."""
    if profile not in ("kazinform", "mediawiki"):
        raise ValueError(f"unknown profile {profile!r}: kazinform or mediawiki")
    text = _PUNCT.sub(lambda m: m.group(1).translate(_ARABIC_PUNCT), text)
    return _CYR_WORD.sub(lambda m: spell(m.group(0).lower(), profile), text)
