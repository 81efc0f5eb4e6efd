"""The `diff` stage: which facts agree, conflict or are missing across the members of a bead.

Within a bead (sentences that say the same thing), each fact of one member is
paired with at most one fact of the other:

1. `agree`: the same normalized value (a year and a date in that year agree
   too, at the year's precision);
2. `conflict`: the same kind of fact about the same thing with another value:
   two dates (000's `007年4月26日` = 0007-04-26 against 001's 2007-04-26: "same
   day and month, years differ"), a year against a date, two counts of the
   same unit, two amounts in one currency, two percents. Qualifiers are read:
   "more than 180" is not contradicted by 190, "about 2000" not by 1990;
3. `missing`: what is left, stated by one member only.

Entities never conflict (another name is another thing); they agree or are
missing. Pairing is greedy, closest values first, so it is deterministic.

A document-level pass then compares documents that share comparable beads,
where the same quantity or event is told in different sentences: counts of
the same unit class (`data/diff/units.tsv`: "documents" and "agreements" are
one class) and dates of the same treaty or event entity. Its records name the
document pair (`doc:{docA}~{docB}`) instead of a bead.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from kzkg_tools import tables
from kzkg_tools.align.similarity import STEM, word_stems
from kzkg_tools.check import read_records
from kzkg_tools.errors import InputError
from kzkg_tools.records import Bead, Diff, DiffValue, Fact, Sentence
from kzkg_tools.resources import owned

DOCUMENT_PAIR = "doc:"  # prefix of the `bead` field of document-level records
APPROX = {"approx", "nearly", "about"}
APPROX_TOLERANCE = 0.1
# Content-word stems two sentences that are not translations must share for a conflict.
SHARED_STEMS = 3
EVENT_SUBTYPES = {"treaty", "other"}
QUALIFIER_WORDS = {
    "more_than": "more than ",
    "less_than": "less than ",
    "approx": "about ",
    "about": "about ",
    "nearly": "nearly ",
}


@dataclass(frozen=True)
class DiffOptions:
    """Options of the diff stage.

    tolerant: a date whose `intended` (or `literal`) form equals the other
    side's value agrees instead of conflicting (the source's typo forgiven).
    statuses: which statuses to output.
    documents: also run the document-level pass over comparable documents.
    """

    tolerant: bool = False
    statuses: frozenset[str] = frozenset({"agree", "conflict", "missing"})
    documents: bool = True


@dataclass(frozen=True)
class Mention:
    """A fact with the member it came from."""

    fact: Fact
    doc_id: str
    lang: str
    sentence: Sentence

    def value(self) -> DiffValue:
        return DiffValue(self.doc_id, self.lang, self.fact.value, self.fact.surface, self.fact.span)


@owned("diff-units")
def unit_classes() -> dict[str, str]:
    """unit -> class name, from data/diff/units.tsv (one class per line, units tab-separated)."""
    classes = {}
    for names in tables.rows("diff/units.tsv"):
        for name in names:
            classes[name.strip().lower()] = names[0].strip().lower()
    return classes


def _unit_class(unit: str | None) -> str | None:
    if unit is None:
        return None
    key = unit.strip().lower()
    return unit_classes().get(key, key)


def _family(fact: Fact) -> str:
    """Facts of one family can be compared with each other."""
    return "time" if fact.type in ("date", "year") else fact.type


def _date_parts(value: Any) -> tuple[int | None, int | None, int | None]:
    text = str(value).split("T")[0]
    parts = [int(p) if p.isdigit() else None for p in text.split("-")]
    parts += [None] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def _fmt_number(fact: Fact) -> str:
    unit = f" {fact.unit}" if fact.unit else ""
    return f"{QUALIFIER_WORDS.get(fact.qualifier or '', '')}{_plain(fact.value)}{unit}"


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return f"{_plain(value.get('amount'))} {value.get('currency', '')}".strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _compare_time(a: Fact, b: Fact, tolerant: bool) -> tuple[str, str, int]:
    """(status, reason, closeness) of two dates or years."""
    pa, pb = _date_parts(a.value), _date_parts(b.value)
    if str(a.value) == str(b.value):
        return "agree", "same value", 9
    for x, y in ((a, b), (b, a)):
        for form in (x.intended, x.literal):
            if form and str(form) == str(y.value):
                if tolerant:
                    return "agree", f"{x.value} is meant as {form}", 8
    shared = min(len([p for p in pa if p is not None]), len([p for p in pb if p is not None]))
    if not shared:
        return "conflict", "values differ", 0
    if all(pa[k] == pb[k] for k in range(shared)):
        return "agree", f"same {('year', 'month', 'day')[shared - 1]}; one side is more precise", 7
    same = [k for k in range(shared) if pa[k] == pb[k]]
    names = ("year", "month", "day")
    differ = [names[k] for k in range(shared) if pa[k] != pb[k]]
    if same:
        kept = " and ".join(names[k] for k in reversed(same))
        reason = f"same {kept}, {' and '.join(differ)}s differ"
    else:
        reason = f"{' and '.join(differ)}s differ"
    note = [f"{x.value} is meant as {x.intended}" for x in (a, b) if x.intended]
    if note:
        reason += f" ({'; '.join(note)})"
    return "conflict", reason, len(same)


def _compatible(x: Fact, y: Fact) -> bool:
    """Whether y's exact number is allowed by x's qualified one."""
    vx, vy = x.value, y.value
    if isinstance(vx, dict):
        vx, vy = vx.get("amount"), vy.get("amount")
    if not isinstance(vx, (int, float)) or not isinstance(vy, (int, float)):
        return vx == vy
    if x.qualifier == "more_than":
        return vy > vx
    if x.qualifier == "less_than":
        return vy < vx
    if x.qualifier in APPROX:
        return abs(vy - vx) <= APPROX_TOLERANCE * abs(vx)
    return vx == vy


def _compare_amount(a: Fact, b: Fact) -> tuple[str, str, int] | None:
    """Numbers, money and percents: None when they are not about the same thing."""
    if a.type == "money":
        if not isinstance(a.value, dict) or not isinstance(b.value, dict):
            return None
        if a.value.get("currency") != b.value.get("currency"):
            return None
    if a.type == "number":
        ua, ub = _unit_class(a.unit), _unit_class(b.unit)
        if ua and ub and ua != ub:
            return None
    if a.value == b.value and a.qualifier == b.qualifier:
        return "agree", "same value", 9
    if a.value == b.value:
        return "agree", "same value, qualified differently", 8
    if _compatible(a, b) or _compatible(b, a):
        return "agree", f"compatible: {_fmt_number(a)} and {_fmt_number(b)}", 7
    unit = _unit_class(a.unit) or _unit_class(b.unit)
    what = f" of {unit}" if unit else ""
    kind = {"number": "counts", "money": "amounts", "percent": "percents"}.get(a.type, "values")
    return "conflict", f"different {kind}{what}: {_fmt_number(a)} vs {_fmt_number(b)}", 1


def compare(a: Fact, b: Fact, tolerant: bool = False) -> tuple[str, str, int] | None:
    """(status, reason, closeness) when two facts are about the same thing, else None."""
    if _family(a) != _family(b):
        return None
    if _family(a) == "time":
        return _compare_time(a, b, tolerant)
    if a.type == "entity":
        same = (a.id or a.value) == (b.id or b.value)
        return ("agree", "same entity", 9) if same else None
    if a.type == "year_range":
        return _compare_ranges(a, b)
    return _compare_amount(a, b)


def _compare_ranges(a: Fact, b: Fact) -> tuple[str, str, int]:
    """Two year ranges: one inside the other agrees, as a year agrees with a date in it.

    000's 二十一世紀初 ("early 21st century", 2000/2099) and 001's "the early
    first decade of the 21st century" (2000/2009) say the same thing, one
    more precisely.
    """
    if a.value == b.value:
        return "agree", "same value", 9
    ra, rb = _range(a.value), _range(b.value)
    if ra and rb and (ra[0] <= rb[0] <= rb[1] <= ra[1] or rb[0] <= ra[0] <= ra[1] <= rb[1]):
        return "agree", "one range contains the other", 7
    return "conflict", "ranges differ", 1


def _range(value: Any) -> tuple[int, int] | None:
    parts = str(value).split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    return int(parts[0]), int(parts[1])


def _record(
    bead: str,
    status: str,
    reason: str,
    mentions: list[Mention | None],
    others: list[tuple[str, str]],
) -> Diff:
    values = []
    for mention, (doc_id, lang) in zip(mentions, others, strict=True):
        values.append(mention.value() if mention else DiffValue(doc_id, lang, None, None, None))
    first = next(m for m in mentions if m is not None)
    # The id is given by `diff`, which numbers a bead's records.
    return Diff(id="", bead=bead, type=first.fact.type, status=status, reason=reason, values=values)  # type: ignore[arg-type]


@owned("diff-units", maxsize=1 << 14)
def _content_stems(text: str) -> frozenset[str]:
    """Stems (5 letters) of a sentence's words other than its names: what it says about them.

    Names (countries, people) are what comparable texts share anyway; words
    such as "interstate", "intergovernmental", "signed" tell which statement
    a number belongs to. Short stems (function words) are left out.
    """
    stems = word_stems(text, names_only=False) - word_stems(text)
    return frozenset(stem for stem in stems if len(stem) >= STEM)


def same_subject(x: Mention, y: Mention) -> bool:
    """Whether two facts of sentences that are not translations can be about the same thing.

    In a comparable bead or across two documents, two dates or two counts
    that differ are a conflict only with evidence that they answer the same
    question: the same treaty or event named in both sentences; for dates,
    the same day and month (a year mistyped); for amounts, `SHARED_STEMS`
    content words in common (counts with units of one class: "180
    interstate, intergovernmental and interdepartmental documents signed"
    against 150 such agreements) and no different years (a trade turnover of
    the first half of 2022 is not one of 2020). Without it, 1992-10-15
    (relations with Kyrgyzstan established) and 1992-03-16 (with Malaysia)
    are two events, not one event dated twice; a shared topic ("trade
    turnover") does not make two years one.
    """
    if _event_keys(x) & _event_keys(y):
        return True
    fx, fy = x.fact, y.fact
    if _family(fx) == "time":
        (_, mx, dx), (_, my, dy) = _date_parts(fx.value), _date_parts(fy.value)
        return dx is not None and (mx, dx) == (my, dy)
    if fx.type == "number" and not (fx.unit and fy.unit):
        return False
    years_x, years_y = _years(x.sentence), _years(y.sentence)
    if years_x and years_y and not years_x & years_y:
        return False
    shared = _content_stems(x.sentence.text) & _content_stems(y.sentence.text)
    return len(shared) >= SHARED_STEMS


def _years(sentence: Sentence) -> set[int]:
    """The years a sentence's dates and years name: when what it states was the case."""
    years = set()
    for fact in sentence.facts or ():
        if _family(fact) == "time":
            year = _date_parts(fact.value)[0]
            if year is not None:
                years.add(year)
    return years


def compare_mentions(
    bead: str,
    a: list[Mention],
    b: list[Mention],
    sides: tuple[tuple[str, str], tuple[str, str]],
    opts: DiffOptions,
    missing: bool = True,
    evidence: bool = False,
) -> Iterator[Diff]:
    """Pair the facts of two members, closest first; unpaired facts are missing.

    With `evidence` (members that are not translations of each other), a
    conflict needs `same_subject`; facts without it are not paired.
    """
    candidates = []
    for x, ma in enumerate(a):
        for y, mb in enumerate(b):
            result = compare(ma.fact, mb.fact, opts.tolerant)
            if result is not None:
                status, reason, closeness = result
                if evidence and status == "conflict" and not same_subject(ma, mb):
                    continue
                candidates.append((-closeness, status != "agree", x, y, status, reason))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, _, x, y, status, reason in candidates:
        if x not in used_a and y not in used_b:
            used_a.add(x)
            used_b.add(y)
            pairs.append((x, y, status, reason))
    found: list[tuple[tuple[int, int], Diff]] = []
    for x, y, status, reason in pairs:
        found.append(((0, x), _record(bead, status, reason, [a[x], b[y]], list(sides))))
    if missing:
        for x, ma in enumerate(a):
            if x not in used_a:
                record = _record(
                    bead, "missing", f"stated in {ma.lang} only", [ma, None], list(sides)
                )
                found.append(((0, x), record))
        for y, mb in enumerate(b):
            if y not in used_b:
                record = _record(
                    bead, "missing", f"stated in {mb.lang} only", [None, mb], list(sides)
                )
                found.append(((1, y), record))
    found.sort(key=lambda item: item[0])
    for _, record in found:
        yield record


def _mentions(
    sentence_ids: list[str], sentences: Mapping[str, Sentence], doc_id: str, lang: str
) -> list[Mention]:
    out = []
    for sid in sentence_ids:
        sentence = sentences.get(sid)
        if sentence is None:
            raise KeyError(sid)
        out.extend(Mention(f, doc_id, lang, sentence) for f in sentence.facts or ())
    return out


def diff(
    beads: Iterable[Bead], sentences: Mapping[str, Sentence], opts: DiffOptions
) -> Iterator[Diff]:
    """Diff records for every bead, then for every pair of comparable documents.

    Each record's id is `{bead}#{n}`, n counting the bead's records from 1 before
    `opts.statuses` picks which are written, so an id does not depend on that
    choice. The document-level records come after all bead records: `kzkg run`
    diffs one document group at a time and writes each group's document-level
    records after every group's bead records, in the same order as this.

    Raises KeyError naming a sentence id that a bead cites but `sentences` lacks.
    """
    comparable: dict[tuple[str, str], tuple[str, str]] = {}
    for bead in beads:
        records: list[Iterable[Diff]] = []
        for ma, mb in itertools.combinations(bead.members, 2):
            a = _mentions(ma.sentence_ids, sentences, ma.doc_id, ma.lang)
            b = _mentions(mb.sentence_ids, sentences, mb.doc_id, mb.lang)
            sides = ((ma.doc_id, ma.lang), (mb.doc_id, mb.lang))
            records.append(
                compare_mentions(bead.id, a, b, sides, opts, evidence=bead.method == "comparable")
            )
            if bead.method == "comparable" and ma.doc_id != mb.doc_id:
                comparable.setdefault((ma.doc_id, mb.doc_id), (ma.lang, mb.lang))
        yield from _numbered(itertools.chain.from_iterable(records), opts)
    if opts.documents:
        for (doc_a, doc_b), (lang_a, lang_b) in comparable.items():
            yield from _numbered(documents(doc_a, lang_a, doc_b, lang_b, sentences, opts), opts)


def is_document_level(record: Diff) -> bool:
    """Whether a record is of the document-level pass (it names a document pair, not a bead)."""
    return record.bead.startswith(DOCUMENT_PAIR)


def _numbered(records: Iterable[Diff], opts: DiffOptions) -> Iterator[Diff]:
    """The records of one bead (or document pair), with their ids, as `opts.statuses` asks."""
    for n, record in enumerate(records, start=1):
        record.id = f"{record.bead}#{n}"
        if record.status in opts.statuses:
            yield record


def _doc_mentions(doc_id: str, sentences: Mapping[str, Sentence]) -> list[Mention]:
    return [
        Mention(f, doc_id, s.lang, s)
        for s in sentences.values()
        if s.doc_id == doc_id
        for f in s.facts or ()
    ]


def _event_keys(mention: Mention) -> set[str]:
    """The treaties and named events in the mention's sentence: what a date there is about.

    Only when the sentence states a single time: with two dates and one treaty ("the treaty
    signed on 8 April 1997 and the agreement approved on 25 December 2003") which date is the
    treaty's is not known, and a guess would report conflicts that are not there.
    """
    facts = mention.sentence.facts or ()
    if sum(1 for f in facts if _family(f) == "time") != 1:
        return set()
    return {
        str(f.id or f.value) for f in facts if f.type == "entity" and f.subtype in EVENT_SUBTYPES
    }


def documents(
    doc_a: str,
    lang_a: str,
    doc_b: str,
    lang_b: str,
    sentences: Mapping[str, Sentence],
    opts: DiffOptions,
) -> Iterator[Diff]:
    """Conflicts between two comparable documents: same unit counted, same event dated, differently.

    Only conflicts are reported (a document-level "missing" would list most
    facts of two texts that merely share a topic), and only when neither
    document also states the other's value somewhere.
    """
    bead = f"{DOCUMENT_PAIR}{doc_a}~{doc_b}"
    a = _doc_mentions(doc_a, sentences)
    b = _doc_mentions(doc_b, sentences)
    counts_a = [m for m in a if m.fact.type == "number" and m.fact.unit]
    counts_b = [m for m in b if m.fact.type == "number" and m.fact.unit]
    values_a = {(_unit_class(m.fact.unit), _plain(m.fact.value)) for m in counts_a}
    values_b = {(_unit_class(m.fact.unit), _plain(m.fact.value)) for m in counts_b}
    counts_a = [
        m for m in counts_a if (_unit_class(m.fact.unit), _plain(m.fact.value)) not in values_b
    ]
    counts_b = [
        m for m in counts_b if (_unit_class(m.fact.unit), _plain(m.fact.value)) not in values_a
    ]
    sides = ((doc_a, lang_a), (doc_b, lang_b))
    yield from (
        record
        for record in compare_mentions(
            bead, counts_a, counts_b, sides, opts, missing=False, evidence=True
        )
        if record.status == "conflict"
    )
    times_a = [m for m in a if _family(m.fact) == "time" and _event_keys(m)]
    times_b = [m for m in b if _family(m.fact) == "time" and _event_keys(m)]
    for event in sorted(
        {k for m in times_a for k in _event_keys(m)} & {k for m in times_b for k in _event_keys(m)}
    ):
        ea = [m for m in times_a if event in _event_keys(m)]
        eb = [m for m in times_b if event in _event_keys(m)]
        for diff_record in compare_mentions(bead, ea, eb, sides, opts, missing=False):
            if diff_record.status == "conflict":
                diff_record.reason = f"{event}: {diff_record.reason}"
                yield diff_record


# `kzkg diff` as a data check: the statuses that fail the run for each --fail-on value.
STATUSES = ("agree", "conflict", "missing")
FAIL_ON: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "conflict": frozenset({"conflict"}),
    # A fact stated differently is worse than one stated once: failing on missing facts
    # fails on conflicts too.
    "missing": frozenset({"conflict", "missing"}),
}


def parse_statuses(text: str) -> frozenset[str]:
    """The statuses of a comma-separated list (`--only`); blanks are ignored.

    Raises ValueError naming the first unknown status (in sorted order).
    """
    statuses = frozenset(s.strip() for s in text.split(",") if s.strip())
    unknown = statuses - set(STATUSES)
    if unknown:
        raise ValueError(f"unknown status {sorted(unknown)[0]!r}")
    return statuses


def read_inputs(
    objects: Iterable[tuple[str, int, dict[str, Any]]],
) -> tuple[list[Bead], dict[str, Sentence]]:
    """The beads and the sentences by id, from (path, line, JSON object) in any files and order.

    Raises InputError naming the file and line of an object that is neither record.
    """
    beads: list[Bead] = []
    sentences: dict[str, Sentence] = {}
    for _, _, record in read_records(objects, ("bead", "sentence")):
        if isinstance(record, Bead):
            beads.append(record)
        else:
            sentences[record.id] = record
    return beads, sentences


class DiffRun:
    """`diff` as a data check: iterating yields the records with `opts.statuses`, and counts
    the records whose status fails the check (`FAIL_ON[fail_on]`), written or not.

    The check is kept out of DiffOptions: the stage's output does not depend on it, and
    `kzkg run` never fails on data. `failure` is the verdict once the iteration is done.
    """

    def __init__(
        self,
        beads: Iterable[Bead],
        sentences: Mapping[str, Sentence],
        opts: DiffOptions,
        fail_on: str = "none",
    ) -> None:
        if fail_on not in FAIL_ON:
            raise ValueError(f"unknown fail_on {fail_on!r}: one of {', '.join(FAIL_ON)}")
        self.beads = beads
        self.sentences = sentences
        self.opts = opts
        self.failing = FAIL_ON[fail_on]
        self.failed = 0

    def __iter__(self) -> Iterator[Diff]:
        """Raises InputError when a bead cites a sentence that is not in `sentences`."""
        # Failing statuses are counted even when they are not written (`--only agree`).
        wide = replace(self.opts, statuses=self.opts.statuses | self.failing)
        self.failed = 0  # a second iteration counts afresh
        try:
            for record in diff(self.beads, self.sentences, wide):
                self.failed += record.status in self.failing
                if record.status in self.opts.statuses:
                    yield record
        except KeyError as err:
            raise InputError(f"a bead cites sentence {err.args[0]!r}, not in the input") from None

    @property
    def failure(self) -> str | None:
        """Why the check failed (`conflict found: 2`), or None when nothing failed."""
        if not self.failed:
            return None
        return f"{' or '.join(sorted(self.failing))} found: {self.failed}"
