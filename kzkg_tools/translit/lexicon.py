"""The Kazakh lexicon and suffix chains, indexed by their Arabic spelling.

Reading Arabic script is a lookup problem more than a rule problem: the script drops exactly
the distinctions (а/ә, ы/і, и/й …) that a word list restores. Every Cyrillic word and suffix
chain is spelled in the Arabic script once (both profiles) and filed under that spelling
without its hamza, because a suffix such as -ге removes the hamza of its stem (ءبىر, بىرگە).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kzkg_tools import tables
from kzkg_tools.resources import owned
from kzkg_tools.translit.script import bare, spell, switches


@dataclass(frozen=True, slots=True)
class Reading:
    """One Cyrillic word (case kept for proper names) and what the lexicon knows about it."""

    cyrillic: str
    count: int
    spellings: tuple[str, ...]  # Kazinform spelling, then MediaWiki ones if different


def _index(rows: Iterable[tuple[str, int]]) -> dict[str, tuple[Reading, ...]]:
    gathered: dict[str, list[Reading]] = {}
    for word, count in rows:
        low = word.lower()
        kaz = spell(low, "kazinform")
        # The profiles differ only in how и is written (ىي, and no merging into я/ю/й).
        spellings = [kaz]
        if "и" in low:
            mw = spell(low, "mediawiki").replace("\u0674", "\u0621")
            # MediaWiki writes ия mostly as ىيا (құпия) but also as ىييا (сияқты).
            spellings += [mw, mw.replace("ىيا", "ىييا")]
        spellings = list(dict.fromkeys(spellings))
        reading = Reading(word, count, tuple(spellings))
        for key in dict.fromkeys(bare(s) for s in spellings):
            gathered.setdefault(key, []).append(reading)
    # Kept as tuples, not the lists they were gathered in: 73,000 of them, 2 MB less
    # (issue #8); each list is dropped as its tuple is made.
    return {key: tuple(sorted(gathered.pop(key), key=_preference)) for key in list(gathered)}


def _preference(r: Reading) -> tuple[int, int, str]:
    """The order of a spelling's readings: the most frequent first, then the most native."""
    return (-r.count, switches(r.cyrillic.lower()), r.cyrillic)


class Lexicon:
    """Words and suffix chains, each filed under its hamza-less Arabic spelling."""

    def __init__(self, words: Iterable[tuple[str, int]], suffixes: Iterable[tuple[str, int]]):
        self.words = _index(words)
        self.suffixes = _index(suffixes)
        self.max_suffix = max((len(k) for k in self.suffixes), default=0)


def read_tsv(name: str) -> list[tuple[str, int]]:
    """`word<TAB>count` rows of a data file (gzip when the name ends in .gz)."""
    return [(word, int(count)) for word, count in tables.rows(f"translit/{name}", columns=2)]


def read_pairs(name: str) -> list[tuple[str, str]]:
    """`a<TAB>b` rows of a data file (acronyms, surname endings)."""
    return [(a, b) for a, b in tables.rows(f"translit/{name}", columns=2)]


def read_list(name: str) -> list[str]:
    """The lines of a data file, without comments and blank lines."""
    return tables.lines(f"translit/{name}")


@owned("translit")
def lexicon() -> Lexicon:
    """The shipped lexicon, built once per process on first use."""
    return Lexicon(read_tsv("lexicon.tsv.gz"), read_tsv("suffixes.tsv"))
