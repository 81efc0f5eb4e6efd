"""How alike two runs of sentences are, in any pair of languages, with or without a model.

The aligner sees each sentence as a `Unit`: its text, its length, and the
language-independent things it shares with a translation: normalized facts
(dates, years, numbers, amounts, percents, entity ids), digit strings, and the
stems of its names and words transliterated to ASCII by ICU (names and loan
words survive translation: `Қазақстан`, `Казахстан`, `Kazakhstan`). A scorer
gives a bead (some units of one side against some of the other) a similarity
in [0, 1]; the dynamic programme in `dp.py` only needs that number.

Three scorers share the interface: `FactScorer` (no model), `EmbedScorer`
(multilingual-e5-small through `embed.py`) and `GaleChurchScorer` (the classic
length-only baseline, kept for the benchmark).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, ClassVar, Protocol

import regex

from kzkg_tools.records import Fact, Sentence

_DIGITS = regex.compile(r"\d+(?:[.,]\d+)*")
_WORD = regex.compile(r"[\p{L}\p{Mn}]+")
_LATIN = regex.compile(r"\p{Script=Latin}")
_HAN = regex.compile(r"\p{Script=Han}")
STEM = 5
# Letters that transliterations of one name disagree on:
# Қазақстан (q), Казахстан (ICU: h), Kazakhstan (kh), Declaration (c).
_LOOKALIKE = str.maketrans({"q": "k", "c": "k", "h": "k"})
MIN_WORD = 4


@functools.cache
def _transliterator() -> Any:
    import icu

    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


@functools.cache
def length_table() -> dict[str, tuple[float, float]]:
    """lang -> (characters per English character, spread of the log ratio); see data/align."""
    path = resources.files("kzkg_tools") / "data" / "align" / "length_ratios.tsv"
    text = path.read_text("utf-8")
    table = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            lang, ratio, sd = line.split("\t")
            table[lang] = (float(ratio), float(sd))
    return table


def length_profile(lang: str) -> tuple[float, float]:
    """The length profile of a BCP 47 tag: exact tag, then language + script, then language."""
    table = length_table()
    parts = lang.split("-")
    for key in (lang, "-".join(parts[:2]), parts[0]):
        if key in table:
            return table[key]
    if parts[0] == "zh" and len(parts) > 1:
        return table.get("zh", (1.0, 0.2))
    return (1.0, 0.2)


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
    ascii_word = "".join(ch for ch in word.lower() if ch.isascii() and ch.isalnum())
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
    if names_only:
        words = [w for w in words[1:] if w[0].isupper()]
    words = [w for w in words if len(w) >= MIN_WORD and not _HAN.search(w)]
    if not words:
        return set()
    latin = [w for w in words if _LATIN.match(w)]
    other = [w for w in words if not _LATIN.match(w)]
    if other:
        latin += _transliterator().transliterate(" ".join(other)).split()
    stems = {_stem(w) for w in latin}
    stems.discard("")
    return stems


@dataclass
class Unit:
    """One sentence as the aligner sees it."""

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
        outside = list(text)
        for fact in facts:
            if 0 <= fact.start <= fact.end <= len(text):
                outside[fact.start : fact.end] = " " * (fact.end - fact.start)
        anchors = digit_keys("".join(outside))
        for fact in facts:
            anchors |= fact_keys(fact)
        return cls(
            sentence=sentence,
            length=sum(1 for ch in text if not ch.isspace()),
            anchors=frozenset(anchors),
            names=frozenset(word_stems(text)),
            words=frozenset(word_stems(text, names_only=False)),
        )


class Scorer(Protocol):
    """Similarity of the bead a[i:i+di] ~ b[j:j+dj], in [0, 1]."""

    def score(self, i: int, di: int, j: int, dj: int) -> float: ...

    def evidence(self, i: int, di: int, j: int, dj: int) -> int: ...


def _dice(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


class _Run:
    """Length, anchors, names and words of a run of consecutive units."""

    __slots__ = ("anchors", "length", "names", "words")

    def __init__(self, run: Sequence[Unit], words: bool) -> None:
        self.length = sum(u.length for u in run)
        self.anchors: frozenset[str] = frozenset().union(*(u.anchors for u in run))
        self.names: frozenset[str] = frozenset().union(*(u.names for u in run))
        self.words: frozenset[str] = (
            frozenset().union(*(u.words for u in run)) if words else frozenset()
        )


class _Runs:
    """Runs of one side, memoised; `words` only when the two sides differ in language."""

    def __init__(self, units: Sequence[Unit], words: bool) -> None:
        self.units = units
        self.words = words
        self._cache: dict[tuple[int, int], _Run] = {}

    def __call__(self, i: int, n: int) -> _Run:
        key = (i, n)
        if key not in self._cache:
            self._cache[key] = _Run(self.units[i : i + n], self.words)
        return self._cache[key]


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
    """

    SMOOTH = 10.0
    VOCABULARY_SHARE = 1 / 3

    def __init__(self, a: Sequence[Unit], b: Sequence[Unit], lang_a: str, lang_b: str) -> None:
        ra, sa = length_profile(lang_a)
        rb, sb = length_profile(lang_b)
        self.log_ratio = math.log(rb / ra)
        self.sd = math.hypot(sa, sb)
        words = lang_a.split("-")[0] != lang_b.split("-")[0]
        self.a = _Runs(a, words)
        self.b = _Runs(b, words)
        self.names_count = self._share_names(len(a), len(b))

    def _share_names(self, m: int, n: int) -> bool:
        names_a = set().union(*(self.a(i, 1).names for i in range(m)))
        names_b = set().union(*(self.b(j, 1).names for j in range(n)))
        if m <= n:
            meeting = sum(1 for i in range(m) if self.a(i, 1).names & names_b)
        else:
            meeting = sum(1 for j in range(n) if self.b(j, 1).names & names_a)
        return meeting >= self.VOCABULARY_SHARE * min(m, n) > 0

    def refit(self, beads: Sequence[tuple[int, int, int, int]]) -> None:
        """Set the expected length ratio to the median over aligned beads."""
        logs = sorted(
            math.log((self.b(j, dj).length + self.SMOOTH) / (self.a(i, di).length + self.SMOOTH))
            for i, di, j, dj in beads
            if di and dj
        )
        if len(logs) >= 3:
            self.log_ratio = logs[len(logs) // 2]

    def length_score(self, la: int, lb: int) -> float:
        expected = la * math.exp(self.log_ratio)
        dev = math.log((lb + self.SMOOTH) / (expected + self.SMOOTH))
        return math.exp(-(dev**2) / (2 * self.sd**2))

    def score(self, i: int, di: int, j: int, dj: int) -> float:
        ra, rb = self.a(i, di), self.b(j, dj)
        score = self.length_score(ra.length, rb.length)
        if ra.anchors or rb.anchors:
            score = (score + 2.0 * _dice(ra.anchors, rb.anchors)) / 3.0
        if self.names_count and (ra.names or rb.names):
            weight = 3.0 if ra.anchors or rb.anchors else 2.0
            score = (weight * score + _dice(ra.names, rb.names)) / (weight + 1.0)
        elif ra.names and rb.names:
            score += 0.5 * _dice(ra.names, rb.names) * (1 - score)
        if ra.words and rb.words:
            score += 0.5 * _dice(ra.words, rb.words) * (1 - score)
        return score

    def evidence(self, i: int, di: int, j: int, dj: int) -> int:
        """What the two runs share: two points per anchor, one per name or word stem.

        Two texts in one language share a name or two by chance; a shared
        number or date is rarer.
        """
        ra, rb = self.a(i, di), self.b(j, dj)
        words = (ra.words & rb.words) - (ra.names & rb.names)
        return 2 * len(ra.anchors & rb.anchors) + len(ra.names & rb.names) + len(words)


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
        self,
        a: Sequence[Unit],
        b: Sequence[Unit],
        lang_a: str,
        lang_b: str,
        cache_dir: str | None = None,
    ) -> None:
        import numpy as np

        from kzkg_tools.align import embed

        self.np = np
        self.va = embed.embed([u.sentence.text for u in a], cache_dir)
        self.vb = embed.embed([u.sentence.text for u in b], cache_dir)
        sims = self.va @ self.vb.T if len(a) and len(b) else np.zeros((len(a), len(b)))
        self.row = sims.mean(axis=1) if len(b) else np.zeros(len(a))
        self.col = sims.mean(axis=0) if len(a) else np.zeros(len(b))
        self.facts = FactScorer(a, b, lang_a, lang_b)

    def refit(self, beads: Sequence[tuple[int, int, int, int]]) -> None:
        self.facts.refit(beads)

    def _run(self, vecs: Any, base: Any, i: int, n: int) -> tuple[Any, float]:
        v = vecs[i : i + n].sum(axis=0)
        return v / (self.np.linalg.norm(v) or 1.0), float(base[i : i + n].mean())

    def score(self, i: int, di: int, j: int, dj: int) -> float:
        va, ba = self._run(self.va, self.row, i, di)
        vb, bb = self._run(self.vb, self.col, j, dj)
        base = (ba + bb) / 2
        if base >= 1:
            return 0.0
        margin = min(max((float(va @ vb) - base) / (1 - base), 0.0), 1.0)
        la, lb = self.facts.a(i, di).length, self.facts.b(j, dj).length
        return margin * (
            1 - self.LENGTH_WEIGHT + self.LENGTH_WEIGHT * self.facts.length_score(la, lb)
        )

    def evidence(self, i: int, di: int, j: int, dj: int) -> int:
        return self.facts.evidence(i, di, j, dj)
