"""How Kazakh Cyrillic is spelled in the Arabic script, and how Arabic-script input is cleaned.

The Arabic script of Kazakh (the one used in China and by Kazinform's Arabic edition) writes
one letter per sound with no vowel marks, except that ә/а, ө/о, ү/ұ, і/ы, е/э, и/й share a
letter: a word with front vowels carries one hamza in front instead, unless ە ك گ already show
it is front. Spelling Cyrillic in Arabic is therefore deterministic, and this module does it;
reading Arabic (kk_arab.py) ranks Cyrillic candidates by whether they spell back to the input.
The letter tables are data (`data/translit/letters.tsv`); the few context rules are below.
"""

from __future__ import annotations

import re
from typing import Literal

from kzkg_tools import tables
from kzkg_tools.resources import owned

Profile = Literal["kazinform", "mediawiki"]

HAMZA = "\u0621"
MEDIAWIKI_HAMZA = "\u0674"
FRONT_VOWELS = frozenset("әөүі")
BACK_VOWELS = frozenset("аоұы")
# A word with one of these is marked front by its letters, so no hamza is written.
FRONT_LETTERS = frozenset("еэгк")

# Arabic-script input normalization (issue 4, step 1): both hamzas are one, the precomposed
# hamza letters decompose, tatweel and joiners/bidi marks disappear inside words.
_DECOMPOSE = {
    "\u0674": HAMZA,
    "\u0675": HAMZA + "\u0627",
    "\u0676": HAMZA + "\u0648",
    "\u0677": HAMZA + "\u06c7",
    "\u0678": HAMZA + "\u0649",
    "\u0647": "\u06be",  # ه written for ھ
    "\u06a9": "\u0643",  # Persian keheh for kaf
    "\u0686": "\u062a\u0634",  # چ (China's spelling of ч) as Kazinform's تش
    "\u0640": "",
    "\u200c": "",
    "\u200d": "",
    "\u200e": "",
    "\u200f": "",
    "\u061c": "",
}
NORMALIZE_WORD = str.maketrans(_DECOMPOSE)
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
PUNCT = {"،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ",", "٬": " "}

# Cyrillic context rules: и merges into a following я/ю/ё/й (Kazinform only: азия -> ازيا,
# каспий -> كاسپي), ь/ъ before е become й, and a vowel before е gets a й glide (Тоқаев).
_IYA = re.compile(r"и(?=[яюёй])")
_SOFT_E = re.compile(r"[ьъ](?=е)")
_GLIDE_E = re.compile(r"(?<=[аоәөұүыія])е")


@owned("translit")
def letter_tables() -> dict[str, dict[str, str]]:
    """Cyrillic letter -> spelling, per column of letters.tsv (kazinform, mediawiki, latin)."""
    out: dict[str, dict[str, str]] = {"kazinform": {}, "mediawiki": {}, "latin": {}}
    for cyr, kaz, mw, lat in tables.rows("translit/letters.tsv", columns=4):
        out["kazinform"][cyr] = kaz
        out["mediawiki"][cyr] = mw
        out["latin"][cyr] = lat
    return out


@owned("translit")
def _translate_table(profile: Profile) -> dict[int, str]:
    return str.maketrans(letter_tables()[profile])


def is_front(word: str) -> bool:
    """Kazinform's hamza rule: front vowel, first vowel not back, and no е э г к."""
    first = next((c for c in word if c in FRONT_VOWELS or c in BACK_VOWELS), "")
    return first in FRONT_VOWELS and not any(c in FRONT_LETTERS for c in word)


def spell_part(part: str, profile: Profile = "kazinform") -> str:
    """One hyphen-free lower-case Cyrillic word in the Arabic script (with its hamza)."""
    w = _GLIDE_E.sub("йе", _SOFT_E.sub("й", part))
    if profile == "kazinform":
        w = _IYA.sub("", w)
    arab = w.translate(_translate_table(profile))
    if profile == "mediawiki":
        arab = arab.replace("ىييا", "ىيا")  # ия: құпия -> قۇپىيا
    if is_front(part):
        return (HAMZA if profile == "kazinform" else MEDIAWIKI_HAMZA) + arab
    return arab


def spell(word: str, profile: Profile = "kazinform") -> str:
    """A lower-case Cyrillic word (hyphens allowed) in the Arabic script."""
    if "-" not in word:
        return spell_part(word, profile)
    return "-".join(spell_part(p, profile) for p in word.split("-"))


def capitalize(word: str) -> str:
    """First letter upper case, the rest as it is (str.capitalize would lower ҚР's Р)."""
    return word[:1].upper() + word[1:]


def bare(arabic: str) -> str:
    """An Arabic spelling without its hamzas: the key under which readings are looked up."""
    return arabic.replace(HAMZA, "").replace(MEDIAWIKI_HAMZA, "")


def switches(word: str) -> int:
    """How often the vowels of a word switch between front and back (0 in native words;
    the clitics мен/бен/пен do not harmonize)."""
    last, n = None, 0
    if word.endswith(("мен", "бен", "пен")):
        word = word[:-3]
    for c in word:
        h = "f" if c in FRONT_VOWELS or c in "еэ" else "b" if c in BACK_VOWELS else None
        if h:
            n += last is not None and h != last
            last = h
    return n
