"""Line-level repairs of Arabic-script Kazakh as converters and editors leave it.

Kazinform's Arabic edition is produced by a converter, and its artifacts would survive a
word-by-word reading: a hyphen detached from its word (`1991 -جىلى`, `قارىم- قاتىناس`),
hyphenated dates (`22-تامىزدا` for `22 тамызда`), a hamza pushed in front of an opening quote
(`ء«بىر`), acronyms written as spaced letters (`ب ۇ ۇ`). Cyrillic also capitalises sentence
starts and the first word of a quotation, which the Arabic script cannot show.
"""

from __future__ import annotations

import re

from kzkg_tools.resources import owned
from kzkg_tools.translit.lexicon import read_list, read_pairs
from kzkg_tools.translit.script import spell

# Letter names for acronyms the table does not list (ە is Е here: ЕҚЫҰ; Э is in the table).
_ACRONYM_LETTERS = {
    "ا": "А",
    "ە": "Е",
    "و": "О",
    "ۇ": "Ұ",
    "ى": "Ы",
    "ي": "И",
    "ۋ": "У",
}
_SENTENCE_END = re.compile(r"[.!?…]['\"»”’)\]]*\s*[\"«“‘(\[—–-]*\s*$")
_QUOTE_OPEN = re.compile(r"[«“]\s*$")


@owned("translit")
def acronyms() -> dict[str, str]:
    """Spaced Arabic letters -> Cyrillic acronym, from data/translit/acronyms.tsv."""
    return dict(read_pairs("acronyms.tsv"))


def acronym(spaced: str, single: dict[str, str]) -> str:
    """Cyrillic for a run of spaced single Arabic letters (`ب ۇ ۇ` -> `БҰҰ`)."""
    known = acronyms().get(spaced)
    if known:
        return known
    letters = spaced.replace("\u0621", "").split()
    return "".join(_ACRONYM_LETTERS.get(c) or single.get(c, c).upper() for c in letters)


def starts_sentence(gap: str, line_start: bool) -> bool:
    """Whether a word after `gap` (the text since the previous word) begins a sentence or
    a quotation, so Cyrillic capitalises it."""
    if line_start and not any(c.isalnum() for c in gap):
        return True
    return bool(_SENTENCE_END.search(gap) or _QUOTE_OPEN.search(gap))


@owned("translit")
def name_heads() -> tuple[str, ...]:
    """Stems such as республика-, capitalised after a capitalised word (data/translit)."""
    return tuple(read_list("name_heads.txt"))


@owned("translit")
def name_modifiers() -> frozenset[str]:
    """Words such as орталық, capitalised before a capitalised place name (data/translit)."""
    return frozenset(read_list("name_modifiers.txt"))


@owned("translit")
def place_heads() -> tuple[str, ...]:
    """` қаласы`, ` облысы` … in the Arabic script (with the space before them), from
    data/translit/place_heads.txt: a word followed by one of them is a place name."""
    return tuple(" " + spell(w) for w in read_list("place_heads.txt"))


@owned("translit")
def pronouns() -> frozenset[str]:
    """Words that are never a place name before its head noun (data/translit/pronouns.txt)."""
    return frozenset(read_list("pronouns.txt"))


def continues_name(previous: str, gap: str, word: str) -> bool:
    """`Қырғыз республикасына` -> `Қырғыз Республикасына`: a state's name goes on."""
    return gap == " " and previous[:1].isupper() and word.startswith(name_heads())
