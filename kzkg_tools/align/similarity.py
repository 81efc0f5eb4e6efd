"""How alike two runs of sentences are, in any pair of languages, with or without a model.

The aligner sees each sentence as a `Unit`: its text, its length, and the
language-independent things it shares with a translation: normalized facts
(dates, years, numbers, amounts, percents, entity ids), digit strings, and the
stems of its names and words transliterated to ASCII by ICU (names and loan
words survive translation: `Қазақстан`, `Казахстан`, `Kazakhstan`). A scorer
gives every bead (one or two units of one side against one or two of the
other) a similarity in [0, 1], all at once as numpy arrays, one per bead
shape; the dynamic programme in `dp.py` only needs those numbers. What a
stream's runs have is computed once per stream (`Runs`), not once per pair.

Three scorers share the interface: `FactScorer` (no model), `EmbedScorer`
(multilingual-e5-small through `embed.py`) and `GaleChurchScorer` (the classic
length-only baseline, kept for the benchmark).
"""

from __future__ import annotations

import functools
import itertools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np
import regex

from kzkg_tools import langs, tables
from kzkg_tools.align.dp import Shape
from kzkg_tools.records import Fact, Sentence
from kzkg_tools.resources import owned

_DIGITS = regex.compile(r"\d+(?:[.,]\d+)*")
_WORD = regex.compile(r"[\p{L}\p{Mn}]+")
_LATIN = regex.compile(r"\p{Script=Latin}")
_HAN = regex.compile(r"\p{Script=Han}")
_NOT_ASCII_ALNUM = regex.compile(r"[^a-z0-9]+")
STEM = 5
# Letters that transliterations of one name disagree on:
# Қазақстан (q), Казахстан (ICU: h), Kazakhstan (kh), Declaration (c).
_LOOKALIKE = str.maketrans({"q": "k", "c": "k", "h": "k"})
MIN_WORD = 4


@owned("align-tables")
def _transliterator() -> Any:
    import icu

    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


@owned("align-tables")
def length_table() -> dict[str, tuple[float, float]]:
    """lang -> (characters per English character, spread of the log ratio); see data/align."""
    return {
        lang: (float(ratio), float(sd))
        for lang, ratio, sd in tables.rows("align/length_ratios.tsv", columns=3)
    }


#: The length profile of a language without a row in length_ratios.tsv: English-like
#: (ratio 1.0), with a spread in the middle of the measured ones (0.17 to 0.23).
DEFAULT_LENGTH = (1.0, 0.2)


def length_profile(lang: str) -> tuple[float, float]:
    """The length profile of a BCP 47 tag: its row named by the language table, else the default."""
    key = langs.get(lang).length
    return length_table().get(key, DEFAULT_LENGTH) if key is not None else DEFAULT_LENGTH


def fact_keys(fact: Fact) -> set[str]:
    """The comparable forms of one fact: its value, and for dates also the year they name.

    `intended` and `literal` forms are added so that 0007-04-26 (intended
    2007-04-26) still anchors the sentence that says 2007-04-26.
    """
    value = fact.value
    if isinstance(value, dict):
        value = f"{value.get('amount')} {value.get('currency')}"
    keys = {f"{fact.type}:{fact.id or value}"}
    for form in (fact.intended, fact.literal):
        if form:
            keys.add(f"{fact.type}:{form}")
    if fact.type == "date":
        form = fact.intended or str(value)
        if len(form) >= 4 and form[:4].isdigit():
            keys.add(f"year:{int(form[:4])}")
    return keys


def digit_keys(text: str) -> set[str]:
    """Digit strings of the text (any script's digits), separators dropped: a model-free anchor."""
    keys = set()
    for match in _DIGITS.finditer(text):
        digits = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else "" for ch in match[0])
        if digits:
            keys.add(f"num:{int(digits)}")
    return keys


def _stem(word: str) -> str:
    ascii_word = _NOT_ASCII_ALNUM.sub("", word.lower())
    return ascii_word.replace("kh", "k").translate(_LOOKALIKE)[:STEM]


def word_stems(text: str, names_only: bool = True) -> set[str]:
    """ASCII stems of a text's words (4 letters or more), by default only of its names.

    Names and titles survive translation (`Қазақстан`, `Казахстан`,
    `Kazakhstan`), and so do loan words; function words do not, but they make
    any two texts of one language look alike, so texts of one language are
    compared on names only: capitalized words other than the first. Uncased
    scripts (Han, Arabic) have names only in the Latin words they embed.
    Non-Latin words go through ICU Any-Latin.
    """
    words = _WORD.findall(text)
    return _stems([w for w in words[1:] if w[0].isupper()] if names_only else words)


def _stems(words: Sequence[str]) -> set[str]:
    stems = {stem for w in words if len(w) >= MIN_WORD for stem in _word_stems(w)}
    stems.discard("")
    return stems


@owned("align-tables", maxsize=1 << 16)
def _word_stems(word: str) -> tuple[str, ...]:
    """Stems of one word: none for Han, else of the word or of its ICU transliteration.

    Memoized: names and words recur across the sentences of a corpus.
    Transliterating word by word gives what transliterating the words joined
    by spaces did (checked on the 9,067 non-Latin texts of the benchmark
    corpus, the test fixtures and NTREX: no difference).
    """
    if _HAN.search(word):
        return ()
    parts = [word] if _LATIN.match(word) else _transliterator().transliterate(word).split()
    return tuple(_stem(part) for part in parts)


@dataclass(slots=True)
class Unit:
    """One sentence as the aligner sees it (slots: one object per sentence, no `__dict__`,
    for the cyclic garbage collector to scan)."""

    sentence: Sentence
    length: int
    anchors: frozenset[str]
    names: frozenset[str]
    words: frozenset[str]

    @classmethod
    def of(cls, sentence: Sentence) -> Unit:
        """Anchors: the facts, and the digits no fact covers (a fact's own digits are noise)."""
        text = sentence.text
        facts = sentence.facts or ()
        outside = text
        if facts:
            chars = list(text)
            for fact in facts:
                if 0 <= fact.start <= fact.end <= len(text):
                    chars[fact.start : fact.end] = " " * (fact.end - fact.start)
            outside = "".join(chars)
        anchors = digit_keys(outside)
        for fact in facts:
            anchors |= fact_keys(fact)
        # Names and words as `word_stems` finds them, each word found and stemmed once: the
        # names are the stems of the capitalized words other than the first.
        words = _WORD.findall(text)
        stems = [_word_stems(w) if len(w) >= MIN_WORD else () for w in words]
        names = {
            stem
            for w, found in zip(words[1:], stems[1:], strict=True)
            if w[0].isupper()
            for stem in found
        }
        every = {stem for found in stems for stem in found}
        names.discard("")
        every.discard("")
        return cls(
            sentence=sentence,
            length=len("".join(text.split())),  # characters other than spaces
            anchors=frozenset(anchors),
            names=frozenset(names),
            words=frozenset(every),
        )


class Scorer(Protocol):
    """Similarities of all beads of two streams, in [0, 1], one array per bead shape.

    `scores`, `bounds` and `evidence` cover the whole grid; `block` only the beads that
    start at the given sentences (`rows` of a, `cols` of b: sorted index arrays), so that
    a long pair of streams is priced piece by piece (`dp.banded`, `dp.best_pairs_lazy`).
    """

    def scores(self) -> dict[Shape, Any]: ...

    def bounds(self) -> dict[Shape, Any]: ...

    def evidence(self) -> dict[Shape, Any]: ...

    def refit(self, beads: Sequence[tuple[int, int, int, int]]) -> bool: ...

    def block(self, rows: Any, cols: Any, evidence: bool = False) -> tuple[dict, dict | None]: ...

    def run_scores(self, beads: Sequence[tuple[int, int, int, int]]) -> Any: ...


RUN_SHAPES: tuple[Shape, ...] = ((1, 1), (1, 2), (2, 1), (2, 2))
_SETS = ("anchors", "names", "words")


class Runs:
    """Lengths and key sets of a stream's runs of one and two consecutive units.

    Built once per stream (not per pair of streams). Runs are listed all
    singles first, then all pairs (`span[k]` says where the runs of k units
    are), so that one matrix of (runs of a) x (runs of b) holds the beads of
    every shape: `block` cuts out one shape. `keys[kind]` is everything the
    stream has, so two streams find the keys they share with one set
    intersection. A unit's names are among its words (`Unit.of` stems both
    with `_word_stems`); the union keeps that true for any `Unit`.

    Only the units' own sets are kept (`single`); the sets of the runs of two units are
    built when asked (`sets`: the long pairs' `block`), their sizes counted without
    keeping them, and the words of a unit are its own set when its names are among them:
    no new set per unit. Sets that outlive the call are objects the cyclic garbage
    collector scans on each of its full passes (four per unit before).
    """

    def __init__(self, units: Sequence[Unit]) -> None:
        self.units = units
        m = len(units)
        self.span = {1: slice(0, m), 2: slice(m, max(2 * m - 1, m))}
        one = np.array([u.length for u in units], dtype=float)
        self.length = np.concatenate([one, one[:-1] + one[1:]])
        self.single: dict[str, list[frozenset[str]]] = {
            kind: [getattr(u, kind) for u in units] for kind in _SETS
        }
        # The names are among the words (a new set only where they are not).
        self.single["words"] = [u.words if u.names <= u.words else u.words | u.names for u in units]
        self.size = {
            kind: np.array(
                [len(x) for x in single] + [len(x | y) for x, y in itertools.pairwise(single)],
                dtype=float,
            )
            for kind, single in self.single.items()
        }
        self.keys = {kind: frozenset().union(*single) for kind, single in self.single.items()}
        self._vectors: Any = None
        self._index: dict[str, dict[str, tuple[int, ...]]] = {}

    @functools.cached_property
    def sets(self) -> dict[str, list[frozenset[str]]]:
        """The key sets of every run, singles then pairs (as `length`), per kind."""
        return {
            kind: single + [x | y for x, y in itertools.pairwise(single)]
            for kind, single in self.single.items()
        }

    def incidence(self, kind: str, keys: Sequence[str], singles: bool = False) -> Any:
        """0/1 matrix runs x `keys`: which run has which key (a pair: either of its units);
        with `singles`, the rows of the runs of one unit only."""
        postings = self.postings(kind)
        found = [postings[key] for key in keys]
        one = np.zeros((len(self.units), len(keys)))
        one[np.concatenate(found), np.repeat(np.arange(len(keys)), [len(f) for f in found])] = 1
        return one if singles else np.vstack([one, np.maximum(one[:-1], one[1:])])

    def postings(self, kind: str) -> dict[str, tuple[int, ...]]:
        """key -> the units that have it (an inverted index, built on first use)."""
        if kind not in self._index:
            index: dict[str, list[int]] = {}
            for i, keys in enumerate(self.single[kind]):
                for key in keys:
                    index.setdefault(key, []).append(i)
            # Kept as tuples: a tuple of numbers leaves the cyclic garbage collector's
            # care at its next pass, a list (one per key of the stream) stays in it.
            self._index[kind] = {key: tuple(units) for key, units in index.items()}
        return self._index[kind]

    def vectors(self, cache_dir: str | None) -> tuple[Any, Any]:
        """Embeddings of the sentences, and of the runs (a pair: the normalized sum); once."""
        if self._vectors is None:
            from kzkg_tools.align import embed

            single = embed.embed([u.sentence.text for u in self.units], cache_dir)
            m = len(self.units)
            runs = np.zeros((self.span[2].stop, single.shape[1]), np.float32)
            for r, (i, k) in enumerate([(i, 1) for i in range(m)] + [(i, 2) for i in range(m - 1)]):
                v = single[i : i + k].sum(axis=0)
                runs[r] = v / (np.linalg.norm(v) or 1.0)
            self._vectors = (single, runs)
        return self._vectors


def compared(lang_a: str, lang_b: str) -> tuple[str, ...]:
    """The kinds of keys two streams are compared on: word stems only across languages."""
    same = langs.language(lang_a) == langs.language(lang_b)
    return ("anchors", "names") if same else ("anchors", "names", "words")


def _shared(a: Runs, b: Runs, kind: str, singles: bool = False) -> Any:
    """How many keys of `kind` each run of a shares with each run of b (with `singles`,
    each sentence of a with each sentence of b: the top left block, a quarter)."""
    keys = list(a.keys[kind] & b.keys[kind])  # any order: the counts are exact integers
    if singles:
        rows, cols = len(a.units), len(b.units)
    else:
        rows, cols = len(a.length), len(b.length)
    if not keys:
        return np.zeros((rows, cols))
    return a.incidence(kind, keys, singles) @ b.incidence(kind, keys, singles).T


def _blocks(a: Runs, b: Runs, matrix: Any) -> dict[Shape, Any]:
    """A runs x runs matrix cut into one array per bead shape, indexed by the runs' starts."""
    return {(di, dj): matrix[a.span[di], b.span[dj]] for di, dj in RUN_SHAPES}


def _block_runs(runs: Runs, units: Any) -> tuple[Any, int, int]:
    """Run indices of the singles, then the pairs, starting at `units` (sorted), and counts.

    A pair starts at every unit but the last, so the pairs are a prefix of `units`.
    """
    m = len(runs.units)
    pairs = int(np.searchsorted(units, m - 1))
    return np.concatenate([units, m + units[:pairs]]), len(units), pairs


def _cut(matrix: Any, a: tuple[Any, int, int], b: tuple[Any, int, int]) -> dict[Shape, Any]:
    """`_blocks` for a block: one (rows, cols) array per shape, 0 where the bead does not fit."""
    (_, na, pa), (_, nb, pb) = a, b
    out = {}
    for di, dj in RUN_SHAPES:
        grid = np.zeros((na, nb))
        part = matrix[na : na + pa] if di == 2 else matrix[:na]
        part = part[:, nb : nb + pb] if dj == 2 else part[:, :nb]
        grid[: part.shape[0], : part.shape[1]] = part
        out[(di, dj)] = grid
    return out


def _postings(runs: Runs, kind: str, keys: dict[str, int]) -> tuple[Any, Any]:
    """The `keys` (numbered) of each run, compressed: run r has keys[start[r]:start[r + 1]]."""
    found = [[keys[key] for key in run if key in keys] for run in runs.sets[kind]]
    start = np.cumsum([0] + [len(f) for f in found])
    return start, np.array([k for f in found for k in f], dtype=np.int64)


def _gather(postings: tuple[Any, Any], runs: Any) -> tuple[Any, Any]:
    """(position in `runs`, key) of every key of the given runs."""
    start, keys = postings
    lens = start[runs + 1] - start[runs]
    at = np.repeat(start[runs] - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
    return np.repeat(np.arange(len(runs)), lens), keys[at]


def _shared_block(postings: tuple[Any, Any], ra: Any, rb: Any) -> Any:
    """`_shared` for some runs only, from the two streams' `_postings` of one kind.

    Counted pair by pair (each key of a run of a meets the runs of b that have it), not
    by a matrix product: the keys of a block are few per run, the block's keys many.
    """
    (rows_a, keys_a), (rows_b, keys_b) = _gather(postings[0], ra), _gather(postings[1], rb)
    order = np.argsort(keys_b, kind="stable")
    rows_b, keys_b = rows_b[order], keys_b[order]
    first = np.searchsorted(keys_b, keys_a)
    count = np.searchsorted(keys_b, keys_a, side="right") - first
    met = np.repeat(first - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
    cells = np.repeat(rows_a, count) * len(rb) + rows_b[met]
    return np.bincount(cells, minlength=len(ra) * len(rb)).reshape(len(ra), len(rb)).astype(float)


class PairKeys:
    """What two streams' runs share, for every bead of every shape: the part of the
    model-free score that no refit of the length ratio changes, each part built on first
    use.

    Several `FactScorer`s of the same two runs share one (`FactScorer.sibling`: the
    paragraph programme of two streams whose paragraphs are single sentences scores the
    same runs as their sentence programme), each keeping its own length ratio.
    """

    def __init__(self, a: Runs, b: Runs, kinds: tuple[str, ...]) -> None:
        self.a, self.b, self.kinds = a, b, kinds

    @functools.cached_property
    def shared(self) -> dict[str, Any]:
        """Keys of each kind shared by each run of a and each run of b (on first use: the
        model's scorer needs only the length fit)."""
        return {kind: _shared(self.a, self.b, kind) for kind in self.kinds}

    @functools.cached_property
    def postings(self) -> dict[str, tuple[Any, Any]]:
        """Per kind, each stream's `_postings` of the keys the two share (for `block`)."""
        out = {}
        for kind in self.kinds:
            keys = {key: k for k, key in enumerate(sorted(self.a.keys[kind] & self.b.keys[kind]))}
            out[kind] = (_postings(self.a, kind, keys), _postings(self.b, kind, keys))
        return out

    @functools.cached_property
    def names_count(self) -> bool:
        """Whether a third of the shorter stream's sentences meet a name of the other stream.

        A sentence meets one when its names and the other stream's names intersect (what
        its row of the sentences x sentences shared-names matrix says, without the matrix).
        """
        m, n = len(self.a.units), len(self.b.units)
        mine, other = (self.a, self.b) if m <= n else (self.b, self.a)
        names = other.keys["names"]
        meeting = sum(1 for run in mine.single["names"][: min(m, n)] if run & names)
        return meeting >= FactScorer.VOCABULARY_SHARE * min(m, n) > 0

    @functools.cached_property
    def evidence(self) -> dict[Shape, Any]:
        return _blocks(self.a, self.b, self.evidence_of(self.shared))

    @functools.cached_property
    def parts(self) -> dict[str, Any]:
        """The Dice overlaps and which runs have anchors, names, words: built on first use,
        since most stream pairs are ruled out on their evidence alone."""
        return self.make_parts(self.shared, slice(None), slice(None))

    def make_parts(self, shared: dict[str, Any], ra: Any, rb: Any) -> dict[str, Any]:
        sizes = {
            kind: (self.a.size[kind][ra][:, None], self.b.size[kind][rb][None, :])
            for kind in shared
        }
        return self.parts_of(shared, sizes)

    @staticmethod
    def parts_of(shared: dict[str, Any], sizes: dict[str, tuple[Any, Any]]) -> dict[str, Any]:
        """The parts `FactScorer._combine` reads, from the shared keys of each kind and the
        two runs' numbers of keys (arrays that broadcast against `shared`'s)."""
        parts: dict[str, Any] = {}
        for kind, count in shared.items():
            x, y = sizes[kind]
            parts[f"has {kind}"], parts[f"both {kind}"] = (x > 0) | (y > 0), (x > 0) & (y > 0)
            total = x + y
            parts[kind] = np.divide(2 * count, total, out=np.zeros_like(count), where=total > 0)
        parts["weight"] = np.where(parts["has anchors"], 3.0, 2.0)
        return parts

    @staticmethod
    def evidence_of(shared: dict[str, Any]) -> Any:
        # Shared names are shared words too (names are among words): count them once.
        return 2 * shared["anchors"] + shared["words" if "words" in shared else "names"]


class FactScorer:
    """The model-free score: length ratio, shared anchors, names and words.

    Length fits everywhere but proves nothing; anchors (facts and digits) on
    either side weigh twice as much as length, and a number on one side only
    pulls the score down. Names count like anchors when the two streams share
    names at all (a third of the shorter one's sentences meet a name of the
    other: Kazakh, Russian and English); otherwise (Arabic against English)
    they, and all other word stems of texts in two different languages (loan
    words), only add, never punish. The expected length ratio starts from
    `length_ratios.tsv` and is refitted by `refit` to the beads of a first
    pass, because texts differ (the UDHR's Arabic is 0.7 of its English,
    NTREX's 0.94).

    Everything but the length fit is computed once, for every bead of every
    shape, as arrays (`PairKeys`); `scores` recombines them when the length
    ratio changes.
    """

    SMOOTH = 10.0
    VOCABULARY_SHARE = 1 / 3

    def __init__(
        self, a: Runs, b: Runs, lang_a: str, lang_b: str, keys: PairKeys | None = None
    ) -> None:
        ra, sa = length_profile(lang_a)
        rb, sb = length_profile(lang_b)
        self.log_ratio = math.log(rb / ra)
        self.sd = math.hypot(sa, sb)
        self.a, self.b = a, b
        self.langs = (lang_a, lang_b)
        self.kinds = compared(lang_a, lang_b)
        self.keys = PairKeys(a, b, self.kinds) if keys is None else keys
        self._scores: tuple[float, dict[Shape, Any]] | None = None

    def sibling(self) -> FactScorer:
        """A scorer of the same runs and languages from the starting length ratio, sharing
        this one's `PairKeys` (what no refit changes) and nothing else."""
        return FactScorer(self.a, self.b, *self.langs, keys=self.keys)

    @property
    def names_count(self) -> bool:
        """Whether names count like anchors for this pair (`PairKeys.names_count`)."""
        return self.keys.names_count

    def refit(self, beads: Sequence[tuple[int, int, int, int]]) -> bool:
        """Set the expected length ratio to the median over aligned beads; whether it changed."""
        la, lb = self.a.length.tolist(), self.b.length.tolist()
        sa, sb = self.a.span[2].start, self.b.span[2].start
        logs = sorted(
            math.log(
                (lb[j if dj == 1 else sb + j] + self.SMOOTH)
                / (la[i if di == 1 else sa + i] + self.SMOOTH)
            )
            for i, di, j, dj in beads
            if di and dj
        )
        if len(logs) < 3 or logs[len(logs) // 2] == self.log_ratio:
            return False
        self.log_ratio = logs[len(logs) // 2]
        return True

    def length_score(self, ra: Any = slice(None), rb: Any = slice(None)) -> Any:
        """Gaussian fit of the log length ratio, runs of a (rows) against runs of b (columns)."""
        expected = self.a.length[ra] * math.exp(self.log_ratio)
        dev = np.log((self.b.length[rb][None, :] + self.SMOOTH) / (expected[:, None] + self.SMOOTH))
        return np.exp(-(dev**2) / (2 * self.sd**2))

    def _combine(self, score: Any, part: dict[str, Any] | None = None) -> Any:
        part = self.keys.parts if part is None else part
        score = np.where(part["has anchors"], (score + 2.0 * part["anchors"]) / 3.0, score)
        if self.names_count:
            weighted = (part["weight"] * score + part["names"]) / (part["weight"] + 1.0)
            score = np.where(part["has names"], weighted, score)
        else:
            bonus = score + 0.5 * part["names"] * (1 - score)
            score = np.where(part["both names"], bonus, score)
        if "words" in part:
            score = np.where(part["both words"], score + 0.5 * part["words"] * (1 - score), score)
        return score

    def run_fit(self, beads: Sequence[tuple[int, int, int, int]]) -> Any:
        """`length_score` of beads (i, di, j, dj) of any shape (di, dj >= 1), one per bead."""
        ca = np.concatenate([[0.0], np.cumsum(self.a.length[self.a.span[1]])])
        cb = np.concatenate([[0.0], np.cumsum(self.b.length[self.b.span[1]])])
        i, di, j, dj = (np.array(x, dtype=np.int64) for x in zip(*beads, strict=True))
        expected = (ca[i + di] - ca[i]) * math.exp(self.log_ratio)
        dev = np.log((cb[j + dj] - cb[j] + self.SMOOTH) / (expected + self.SMOOTH))
        return np.exp(-(dev**2) / (2 * self.sd**2))

    def run_scores(self, beads: Sequence[tuple[int, int, int, int]]) -> Any:
        """Scores of beads (i, di, j, dj) of any shape (di, dj >= 1), one per bead: what
        `scores` gives the beads of its shapes (the same formula on the runs' summed lengths
        and joined keys), for runs of more than two sentences too (`align._widen`).
        Linear in the beads' sentences; for a few beads, not for a grid."""
        if not beads:
            return np.zeros(0)
        shared: dict[str, Any] = {}
        sizes: dict[str, tuple[Any, Any]] = {}
        for kind in self.kinds:
            sets_a, sets_b = self.a.single[kind], self.b.single[kind]
            count, size_a, size_b = [], [], []
            for i, di, j, dj in beads:
                run_a = frozenset().union(*sets_a[i : i + di])
                run_b = frozenset().union(*sets_b[j : j + dj])
                count.append(len(run_a & run_b))
                size_a.append(len(run_a))
                size_b.append(len(run_b))
            shared[kind] = np.array(count, dtype=float)
            sizes[kind] = (np.array(size_a, dtype=float), np.array(size_b, dtype=float))
        return self._combine(self.run_fit(beads), PairKeys.parts_of(shared, sizes))

    def scores(self) -> dict[Shape, Any]:
        """Score of every bead, per shape, for the current length ratio."""
        if self._scores is None or self._scores[0] != self.log_ratio:
            self._scores = (
                self.log_ratio,
                _blocks(self.a, self.b, self._combine(self.length_score())),
            )
        return self._scores[1]

    def bounds(self) -> dict[Shape, Any]:
        """What `scores` can reach at most, whatever the length ratio: a perfect length fit."""
        return _blocks(self.a, self.b, self._combine(np.ones_like(self.keys.shared["anchors"])))

    def single_bounds(self) -> Any:
        """`bounds()[(1, 1)]` alone, from the shared keys and parts of single sentences (a
        quarter of the runs x runs arrays `bounds` builds): the paragraph gate
        (`align._cannot_agree`) reads only this, and most pairs it sees stop there. The same
        numbers, cell by cell, as the shapes' arrays are cut from one matrix."""
        keys = self.keys
        ra, rb = self.a.span[1], self.b.span[1]
        if "parts" in keys.__dict__:  # functools.cached_property's slot: already built
            parts = {name: part[ra, rb] for name, part in keys.parts.items()}
        else:
            if "shared" in keys.__dict__:
                shared = {kind: count[ra, rb] for kind, count in keys.shared.items()}
            else:
                shared = {kind: _shared(self.a, self.b, kind, singles=True) for kind in self.kinds}
            parts = keys.make_parts(shared, ra, rb)
        return self._combine(np.ones_like(parts["anchors"]), parts)

    def single_good(self, threshold: float, cells: int) -> tuple[int, int] | None:
        """How many sentences of a, and of b, have some 1-1 bound (`single_bounds`) at or
        above `threshold`, in time linear in the sentences: the gate of a long pair
        (`align._cannot_agree`), whose bounds matrix would be quadratic.

        A cell whose two sentences share no key has a bound that depends only on which
        kinds of keys each sentence has (every overlap is 0), so the sentences fall into
        at most 2^3 classes and those cells are one small class x class table. Only the
        cells of two sentences that both share some key with the other stream are
        scored one by one (`_shared_block`), and only up to `cells` of them: None when
        there are more (then the caller cannot decide without the programme). The
        counts are those `single_bounds` gives, cell by cell the same formula.
        """
        m, n = len(self.a.units), len(self.b.units)
        kinds = self.kinds
        common = {kind: self.a.keys[kind] & self.b.keys[kind] for kind in kinds}

        def side(runs: Runs, count: int) -> tuple[Any, Any]:
            flags = np.stack([runs.size[kind][:count] > 0 for kind in kinds], axis=1)
            sharing = np.array(
                [any(runs.single[kind][i] & common[kind] for kind in kinds) for i in range(count)],
                dtype=bool,
            )
            return flags, sharing

        (flags_a, sharing_a), (flags_b, sharing_b) = side(self.a, m), side(self.b, n)
        rows, cols = np.flatnonzero(sharing_a), np.flatnonzero(sharing_b)
        if len(rows) * len(cols) > cells:
            return None
        # The class table: every pair of flag patterns, with no key shared.
        ca, class_a = np.unique(flags_a, axis=0, return_inverse=True)
        cb, class_b = np.unique(flags_b, axis=0, return_inverse=True)
        class_a, class_b = class_a.reshape(-1), class_b.reshape(-1)
        zero = {kind: np.zeros((len(ca), len(cb))) for kind in kinds}
        sizes = {
            kind: (ca[:, k, None].astype(float), cb[None, :, k].astype(float))
            for k, kind in enumerate(kinds)
        }
        parts = PairKeys.parts_of(zero, sizes)
        # A hair below the threshold, as `align._cannot_agree` reads `single_bounds`.
        table = self._combine(np.ones((len(ca), len(cb))), parts) + 1e-9 >= threshold

        def reach(table: Any, mine: Any, sharing: Any, other_class: Any, other_sharing: Any) -> Any:
            # A sentence that shares no key meets every class of the other side with
            # nothing shared; one that does, only the other side's sentences that share none.
            every = np.zeros(table.shape[1], bool)
            every[other_class] = True
            plain = np.zeros(table.shape[1], bool)
            plain[other_class[~other_sharing]] = True
            return np.where(
                sharing, (table & plain).any(axis=1)[mine], (table & every).any(axis=1)[mine]
            )

        good_a = reach(table, class_a, sharing_a, class_b, sharing_b)
        good_b = reach(table.T, class_b, sharing_b, class_a, sharing_a)
        if len(rows) and len(cols):
            postings = self.keys.postings
            shared = {kind: _shared_block(postings[kind], rows, cols) for kind in kinds}
            exact = self._combine(
                np.ones((len(rows), len(cols))), self.keys.make_parts(shared, rows, cols)
            )
            met = exact + 1e-9 >= threshold
            good_a[rows] |= met.any(axis=1)
            good_b[cols] |= met.any(axis=0)
        return int(good_a.sum()), int(good_b.sum())

    def evidence(self) -> dict[Shape, Any]:
        """What two runs share: two points per anchor, one per name or word stem.

        Two texts in one language share a name or two by chance; a shared
        number or date is rarer.
        """
        return self.keys.evidence

    def block(self, rows: Any, cols: Any, evidence: bool = False) -> tuple[dict, dict | None]:
        """Scores (and evidence) of the beads starting at sentences `rows` x `cols`.

        The same numbers as `scores` and `evidence` at those cells (the names rule
        `names_count` is the whole streams'), in memory for the block only.
        """
        a, b = _block_runs(self.a, rows), _block_runs(self.b, cols)
        postings = self.keys.postings
        shared = {kind: _shared_block(postings[kind], a[0], b[0]) for kind in self.kinds}
        parts = self.keys.make_parts(shared, a[0], b[0])
        score = self._combine(self.length_score(a[0], b[0]), parts)
        return _cut(score, a, b), _cut(self.keys.evidence_of(shared), a, b) if evidence else None


class GaleChurchScorer:
    """Gale & Church (1993): character lengths only, c = 1, s² = 6.8, as in the paper.

    Kept as the benchmark baseline; `cost` is the paper's -log probability.
    """

    PRIORS: ClassVar[dict[tuple[int, int], float]] = {
        (1, 1): 0.89,
        (1, 0): 0.0099 / 2,
        (0, 1): 0.0099 / 2,
        (2, 1): 0.089 / 2,
        (1, 2): 0.089 / 2,
    }
    C = 1.0
    S2 = 6.8

    def __init__(self, a: Sequence[Unit], b: Sequence[Unit]) -> None:
        self.a = [u.length for u in a]
        self.b = [u.length for u in b]

    def cost(self, i: int, di: int, j: int, dj: int) -> float:
        l1 = sum(self.a[i : i + di])
        l2 = sum(self.b[j : j + dj])
        mean = (l1 + l2 / self.C) / 2
        delta = (l2 - l1 * self.C) / math.sqrt(max(mean, 1) * self.S2)
        tail = max(2 * (1 - 0.5 * (1 + math.erf(abs(delta) / math.sqrt(2)))), 1e-300)
        return -math.log(self.PRIORS[(di, dj)]) - math.log(tail)


class EmbedScorer:
    """Cosine of multilingual-e5-small sentence embeddings, with a margin, weighed by length.

    e5 puts even unrelated sentences at cosine 0.7-0.8, so the raw cosine is
    rescaled by how alike each sentence is to everything on the other side
    (the average over its row and column, as vecalign does): 0 is "no more
    alike than the rest", 1 is identical. A run of two sentences is the
    normalized sum of their vectors. The model misses which of two neighbours
    carries a short clause; the length ratio (as in `FactScorer`) still knows,
    so it scales the score by up to `LENGTH_WEIGHT`.
    """

    LENGTH_WEIGHT = 0.3

    def __init__(
        self, a: Runs, b: Runs, lang_a: str, lang_b: str, cache_dir: str | None = None
    ) -> None:
        self._vectors = a.vectors(cache_dir), b.vectors(cache_dir)
        self.facts = FactScorer(a, b, lang_a, lang_b)
        self._scores: tuple[float, dict[Shape, Any]] | None = None

    @staticmethod
    def _bases(row: Any, col: Any) -> tuple[Any, Any]:
        """Average similarity of each run of a to all of b, and of each run of b to all of a."""
        base_a = np.concatenate([row, (row[:-1] + row[1:]) / 2]).astype(float)
        base_b = np.concatenate([col, (col[:-1] + col[1:]) / 2]).astype(float)
        return base_a, base_b

    @staticmethod
    def _margin_of(base_a: Any, base_b: Any, cosine: Any) -> Any:
        base = (base_a[:, None] + base_b[None, :]) / 2
        margin = np.clip((cosine - base) / np.where(base >= 1, 1.0, 1 - base), 0.0, 1.0)
        return np.where(base >= 1, 0.0, margin)

    @functools.cached_property
    def _margin(self) -> Any:
        """The margin of every bead, from the whole sentences x sentences similarity matrix."""
        (single_a, runs_a), (single_b, runs_b) = self._vectors
        sims = single_a @ single_b.T
        base_a, base_b = self._bases(sims.mean(axis=1), sims.mean(axis=0))
        return self._margin_of(base_a, base_b, (runs_a @ runs_b.T).astype(float))

    @functools.cached_property
    def _linear_bases(self) -> tuple[Any, Any]:
        """`_bases` without the matrix: a row's average dot product is the dot product with
        the other side's average vector (equal up to float32 rounding)."""
        (single_a, _), (single_b, _) = self._vectors
        return self._bases(single_a @ single_b.mean(axis=0), single_b @ single_a.mean(axis=0))

    def refit(self, beads: Sequence[tuple[int, int, int, int]]) -> bool:
        return self.facts.refit(beads)

    def scores(self) -> dict[Shape, Any]:
        """Margin times the length factor, per shape, for the current length ratio."""
        log_ratio = self.facts.log_ratio
        if self._scores is None or self._scores[0] != log_ratio:
            fit = self.facts.length_score()
            score = self._margin * (1 - self.LENGTH_WEIGHT + self.LENGTH_WEIGHT * fit)
            self._scores = (log_ratio, _blocks(self.facts.a, self.facts.b, score))
        return self._scores[1]

    def run_scores(self, beads: Sequence[tuple[int, int, int, int]]) -> Any:
        """`FactScorer.run_scores` with the model: the margin of the runs' summed,
        renormalized vectors against the mean of their sentences' bases (as a run of two
        has), times the length factor."""
        if not beads:
            return np.zeros(0)
        (single_a, _), (single_b, _) = self._vectors
        base_a, base_b = self._linear_bases
        out = np.empty(len(beads))
        for k, (i, di, j, dj) in enumerate(beads):
            va, vb = single_a[i : i + di].sum(axis=0), single_b[j : j + dj].sum(axis=0)
            cosine = float(va @ vb) / ((np.linalg.norm(va) or 1.0) * (np.linalg.norm(vb) or 1.0))
            base = np.array([base_a[i : i + di].mean()]), np.array([base_b[j : j + dj].mean()])
            out[k] = self._margin_of(*base, np.array([[cosine]]))[0, 0]
        fit = self.facts.run_fit(beads)
        return out * (1 - self.LENGTH_WEIGHT + self.LENGTH_WEIGHT * fit)

    def bounds(self) -> dict[Shape, Any]:
        """The margin alone: the length factor is at most 1."""
        return _blocks(self.facts.a, self.facts.b, self._margin)

    def evidence(self) -> dict[Shape, Any]:
        return self.facts.evidence()

    def block(self, rows: Any, cols: Any, evidence: bool = False) -> tuple[dict, dict | None]:
        """`scores` (and `evidence`) of the beads starting at `rows` x `cols` only."""
        (_, runs_a), (_, runs_b) = self._vectors
        a, b = _block_runs(self.facts.a, rows), _block_runs(self.facts.b, cols)
        base_a, base_b = self._linear_bases
        cosine = (runs_a[a[0]] @ runs_b[b[0]].T).astype(float)
        margin = self._margin_of(base_a[a[0]], base_b[b[0]], cosine)
        fit = self.facts.length_score(a[0], b[0])
        score = margin * (1 - self.LENGTH_WEIGHT + self.LENGTH_WEIGHT * fit)
        return _cut(score, a, b), self.facts.block(rows, cols, True)[1] if evidence else None
