"""Many literal forms as one regex shaped like a trie, for the `regex` module's sake.

The `regex` module tries an alternation branch by branch at every position, so a flat
alternation of 800 names (or 36 month names) costs a comparison per form per character; a
trie tries each shared prefix once.
"""

from __future__ import annotations

import functools
import re
from typing import Any


def branches(forms: list[tuple[str, ...]]) -> list[tuple[str, str]]:
    """Forms given as regex units (one per character) as a trie, one branch per first unit.

    Returns (first unit, branch regex) pairs. The branches joined by `|`, in this order, match
    what an alternation of the forms matches, and try longer forms first.
    """
    trie: dict[str, Any] = {}
    for units in forms:
        node = trie
        for u in units:
            node = node.setdefault(u, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [u + build(child) for u, child in sorted(node.items()) if u]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")" if alts else ""
        return f"(?:{body})?" if "" in node and body else body

    return [(u, u + build(child)) for u, child in sorted(trie.items()) if u]


# Case pairs the `regex` module's IGNORECASE matches that case folding keeps apart: I and
# dotless ı, i and dotted İ (Turkish casing); folded together, as a prefilter may be coarser.
_REGEX_ALSO = {"ı": "i", "İ": "i"}


def fold_char(char: str) -> str:
    """One character as the prefilter compares it: one character for one (offsets stay).

    Case folded (simple folding where the full one is longer: ß stays ß), ё read as е, any
    white space a plain space. Two characters the `regex` module's IGNORECASE matches against
    each other fold alike (tests/test_facts.py checks this for every character of the
    gazetteer's forms and the organisation heads), which is all a prefilter in front of that
    regex needs.
    """
    if char.isspace():
        return " "
    if char in _REGEX_ALSO:
        return _REGEX_ALSO[char]
    for folded in (char.casefold(), char.lower()):
        if len(folded) == 1:
            return "е" if folded == "ё" else folded
    return char


@functools.cache
def _unusual() -> re.Pattern[str]:
    """The characters `fold_char` changes that `str.lower` can leave as they are.

    Those are among the cased characters and those that change when case folded (ICU's
    properties; the second alone leaves out U+1FBE, which Python folds), white space (ICU's,
    and the few more `str.isspace` counts), ё and the Turkish i's: a text whose lower case
    has none of them is its own fold. (`str.lower`'s one context rule, a final sigma, gives
    ς, which is among them.)
    """
    import icu

    chars = {
        *icu.UnicodeSet("[[:Cased:][:Changes_When_Casefolded:][:White_Space:]]"),
        *_REGEX_ALSO,
        "ё",
    }
    chars |= {chr(c) for c in range(_SPACES_BELOW) if chr(c).isspace()}
    # (only what lower case leaves: a class of a few dozen characters is a fast scan)
    odd = sorted(c for c in chars if len(c) == 1 and c.lower() == c != fold_char(c))
    return re.compile("[" + "".join(re.escape(c) for c in odd) + "]")


# Every character `str.isspace` counts lies below U+3001 (U+3000 is the last).
_SPACES_BELOW = 0x3001


class _FoldTable(dict[int, str]):
    """`str.translate` table of `fold_char`, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """`text` with every character folded by `fold_char` (the same length, the same offsets).

    Mostly `str.lower` (ten times faster than a translation table); a text whose lower case
    changes length (İ) or still holds a character `fold_char` would change goes through the
    table. The last text is remembered: the gazetteer and the organisation cue fold the same
    sentence.
    """
    global _last
    last = _last
    if last[0] == text:
        return last[1]
    low = text.lower()
    if len(low) != len(text) or _unusual().search(low):
        low = text.translate(_FOLD)
    _last = (text, low)
    return low


_last = ("", "")


class Prefilter:
    """Where any of many literal prefixes occurs in a text: one Aho–Corasick automaton pass.

    The prefixes are folded (`fold`), and so is the text; `starts(text, lead)` gives every
    offset at which some prefix begins, and the `lead` offsets before each (room for optional
    letters a match may begin with before the prefix), in order. A regex each of whose
    alternatives starts with one of the prefixes can match only at those offsets.
    """

    def __init__(self, prefixes: set[str]) -> None:
        import ahocorasick

        if "" in prefixes or not prefixes:
            raise ValueError("a prefilter needs non-empty prefixes")  # the caller checks
        self._automaton = ahocorasick.Automaton()
        for prefix in prefixes:
            self._automaton.add_word(prefix, len(prefix))
        self._automaton.make_automaton()

    def starts(self, text: str, lead: int = 0) -> list[int]:
        found = {end - size + 1 for end, size in self._automaton.iter(fold(text))}
        if lead:
            found = {s for start in found for s in range(max(0, start - lead), start + 1)}
        return sorted(found)

    def occurs(self, text: str) -> bool:
        """Whether any prefix occurs in `text` (folded)."""
        return next(self._automaton.iter(fold(text)), None) is not None
