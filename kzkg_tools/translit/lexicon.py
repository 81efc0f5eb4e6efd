"""The Kazakh lexicon and suffix chains, indexed by their Arabic spelling.

Reading Arabic script is a lookup problem more than a rule problem: the script drops exactly
the distinctions (а/ә, ы/і, и/й …) that a word list restores. Every Cyrillic word and suffix
chain is spelled in the Arabic script once (both profiles) and filed under that spelling
without its hamza, because a suffix such as -ге removes the hamza of its stem (ءبىر, بىرگە).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kzkg_tools import cache, tables
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


# Separators of a packed reading list (`_pack`): ASCII control characters no word has.
_FIELD, _READING = "\x1f", "\x1e"


def _pack(readings: tuple[Reading, ...]) -> str:
    """Readings as one string for the cache: fields joined by _FIELD, readings by _READING."""
    out = []
    for r in readings:
        fields = (r.cyrillic, str(r.count), *r.spellings)
        if any(_FIELD in f or _READING in f for f in fields):
            raise ValueError(f"translit lexicon: control character in {r.cyrillic!r}")
        out.append(_FIELD.join(fields))
    return _READING.join(out)


def _unpack(packed: str) -> tuple[Reading, ...]:
    out = []
    for reading in packed.split(_READING):
        cyrillic, count, *spellings = reading.split(_FIELD)
        out.append(Reading(cyrillic, int(count), tuple(spellings)))
    return tuple(out)


class Readings(Mapping[str, tuple[Reading, ...]]):
    """An index read from the cache (`cache.Table` of packed readings): a key's readings are
    unpacked when first asked for, so a start does not rebuild 73,000 of them."""

    def __init__(self, table: Mapping[str, str]) -> None:
        self._table = table
        self._made: dict[str, tuple[Reading, ...]] = {}  # at most one entry per lexicon key

    def get(self, key: str, default: Any = None) -> Any:
        made = self._made.get(key)
        if made is None:
            packed = self._table.get(key)
            if packed is None:
                return default
            made = self._made[key] = _unpack(packed)
        return made

    def __getitem__(self, key: str) -> tuple[Reading, ...]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._made or key in self._table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


class Lexicon:
    """Words and suffix chains, each filed under its hamza-less Arabic spelling."""

    def __init__(self, words: Iterable[tuple[str, int]], suffixes: Iterable[tuple[str, int]]):
        self.words: Mapping[str, tuple[Reading, ...]] = _index(words)
        self.suffixes: Mapping[str, tuple[Reading, ...]] = _index(suffixes)
        self.max_suffix = max((len(k) for k in self.suffixes), default=0)
        # The stored character model's tables (`kk_arab.CharModel.stored`), when the lexicon
        # came from the cache; None: the reader trains the model from `words`.
        self.model_tables: Mapping[str, Any] | None = None

    @classmethod
    def stored(cls, tables: cache.Tables) -> Lexicon:
        """The lexicon of a cache file written by `lexicon()`'s builder."""
        lex = cls.__new__(cls)
        lex.words = Readings(tables.tables["words"])
        lex.suffixes = Readings(tables.tables["suffixes"])
        lex.max_suffix = tables.extra["max_suffix"]
        lex.model_tables = {**tables.tables, **tables.extra}
        return lex


def read_tsv(name: str) -> list[tuple[str, int]]:
    """`word<TAB>count` rows of a data file (gzip when the name ends in .gz)."""
    return [(word, int(count)) for word, count in tables.rows(f"translit/{name}", columns=2)]


def read_pairs(name: str) -> list[tuple[str, str]]:
    """`a<TAB>b` rows of a data file (acronyms, surname endings)."""
    return [(a, b) for a, b in tables.rows(f"translit/{name}", columns=2)]


def read_list(name: str) -> list[str]:
    """The lines of a data file, without comments and blank lines."""
    return tables.lines(f"translit/{name}")


# The data files the shipped lexicon and its character model are built from.
LEXICON_FILES = ("lexicon.tsv.gz", "suffixes.tsv", "letters.tsv")
# The modules whose code decides what is built: a change to any of them is a new cache file.
LEXICON_MODULES = (
    "kzkg_tools.cache",
    "kzkg_tools.tables",
    "kzkg_tools.translit.script",
    "kzkg_tools.translit.lexicon",
    "kzkg_tools.translit.kk_arab",
)


def _build_stored() -> bytes:
    """The cache file of the shipped lexicon: its two indexes and its character model."""
    from kzkg_tools.translit.kk_arab import CharModel  # kk_arab imports this module

    lex = Lexicon(read_tsv("lexicon.tsv.gz"), read_tsv("suffixes.tsv"))
    model, extra = CharModel.train(lex).tables()
    return cache.Tables.encode(
        {
            "words": (((k, _pack(v)) for k, v in lex.words.items()), cache.TEXT),
            "suffixes": (((k, _pack(v)) for k, v in lex.suffixes.items()), cache.TEXT),
            **model,
        },
        {"max_suffix": lex.max_suffix, **extra},
    )


@owned("translit")
def lexicon() -> Lexicon:
    """The shipped lexicon (and its character model), read from the cache built on first use
    (`kzkg_tools.cache`); once per process."""
    data = [tables.DATA.joinpath("translit", name).read_bytes() for name in LEXICON_FILES]
    key = cache.fingerprint(data, LEXICON_MODULES)
    return Lexicon.stored(cache.load("translit", key, _build_stored))
