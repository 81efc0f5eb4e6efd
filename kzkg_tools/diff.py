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
document pair (`doc:{docA}~{docB}`) instead of a bead; it also compares targets and
forecasts (`data/diff/plans.tsv`) and, per treaty or event, dates bound to their clause.

Every record has a `kind`: `same`, `granularity` (compatible precision: 2003 and
2003-12-25, £2.8bn and 2,83 млрд), `unit` (equal after conversion, `data/diff/
conversions.tsv`), `value` (a plain disagreement), `event` (one thing dated by two
different events, `data/diff/events.tsv`), `temporal` (targets or forecasts of documents of
different dates) or `absent` (missing). Each member's repeated mentions of one value count
once.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import regex

from kzkg_tools import demonyms, orgforms, tables
from kzkg_tools.align.similarity import STEM, word_stems
from kzkg_tools.check import read_records
from kzkg_tools.errors import InputError
from kzkg_tools.facts import lexicon
from kzkg_tools.facts.names import _transform, latin, latin_key, skeleton
from kzkg_tools.offsets import OffsetMap
from kzkg_tools.records import Bead, Diff, DiffKind, DiffValue, Fact, Sentence
from kzkg_tools.resources import owned

DOCUMENT_PAIR = "doc:"  # prefix of the `bead` field of document-level records
APPROX = {"approx", "nearly", "about"}
APPROX_TOLERANCE = 0.1
# Content-word stems two sentences that are not translations must share for a conflict.
SHARED_STEMS = 3
EVENT_SUBTYPES = {"treaty", "other"}
# A translator converting a quantity rounds it ("up to 10 inches" -> "более 25 см", 25.4 cm): values
# within 5 % after conversion agree, as do values within half the last written digit.
UNIT_TOLERANCE = 0.05
# A written figure times a scale word ("2.8bn", "568 миллион"): the scale is at least a thousand.
MIN_SCALE = 1000
AMOUNT_TYPES = {"number", "money", "percent"}
PLAN_NAMES = {"aim": "targets", "forecast": "forecasts"}  # plan classes (data/diff/plans.tsv)
# The unit of a Chinese generic classifier (个, 只, 条, 枚: lexicon kind `unit`): it says that
# something is counted, not what, so it is of no class and pairs with a count of any unit
# (两个小时 "two hours", 两个孙子 "two grandsons").
GENERIC_UNIT = "item"
CITATION = "citation"  # a fact's note: a cited source's year, not an event of the text
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


Result = tuple[str, DiffKind, str, int]  # (status, kind, reason, closeness)


def _compare_time(a: Fact, b: Fact, tolerant: bool) -> Result:
    """(status, kind, reason, closeness) of two dates or years."""
    pa, pb = _date_parts(a.value), _date_parts(b.value)
    if str(a.value) == str(b.value):
        return "agree", "same", "same value", 9
    for x, y in ((a, b), (b, a)):
        for form in (x.intended, x.literal):
            if form and str(form) == str(y.value):
                if tolerant:
                    return "agree", "same", f"{x.value} is meant as {form}", 8
    if _inferred_year(a) or _inferred_year(b):
        # A day and month without a year ("6 ноября", "November 6"): the year is the
        # extractor's guess from each translation's context, not the text's, and two
        # translations may name different years before it. The texts agree when the day and
        # month do; they conflict only on a year both state.
        if pa[1:] == pb[1:] and pa[2] is not None:
            return "agree", "granularity", "same month and day; a year is inferred", 7
    shared = min(len([p for p in pa if p is not None]), len([p for p in pb if p is not None]))
    if not shared:
        return "conflict", "value", "values differ", 0
    if all(pa[k] == pb[k] for k in range(shared)):
        unit = ("year", "month", "day")[shared - 1]
        return "agree", "granularity", f"same {unit}; one side is more precise", 7
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
    return "conflict", "value", reason, len(same)


def _inferred_year(fact: Fact) -> bool:
    """Whether a date's year is not in its text but inferred (`"inferred": "year"`)."""
    return fact.type == "date" and fact.inferred == "year"


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


@owned("diff-units")
def conversions() -> dict[str, tuple[str, Fraction, Fraction]]:
    """unit name -> (dimension, factor, offset) to the dimension's base unit, from
    data/diff/conversions.tsv."""
    return {
        name.strip().lower(): (dimension, Fraction(factor), Fraction(offset))
        for name, dimension, factor, offset in tables.rows("diff/conversions.tsv", columns=4)
    }


# Inflected Russian and Kazakh unit names ("километров", "метрге") are found by their beginning;
# shorter names ("м", "т", "г") would match unrelated words.
MIN_UNIT_PREFIX = 4


def _conversion(unit: str | None) -> tuple[str, Fraction, Fraction] | None:
    if not unit:
        return None
    return _conversion_of(unit.strip().lower().rstrip("."))


# a unit's conversion is looked up for every pair of amounts compared; the prefix search
# below scans the whole table, and a corpus names few distinct units
@owned("diff-units", maxsize=1 << 12)
def _conversion_of(key: str) -> tuple[str, Fraction, Fraction] | None:
    table = conversions()
    if key in table:
        return table[key]
    prefixes = [n for n in table if len(n) >= MIN_UNIT_PREFIX and key.startswith(n)]
    return table[max(prefixes, key=len)] if prefixes else None


_WRITTEN = re.compile(r"\d+(?:[.,٫]\d+)*")


def _step(fact: Fact) -> float | None:
    """The precision a scaled figure is written to: 2.8bn -> 100 million; None for exact ones.

    A figure written with a scale word ("2.8bn", "2,8 млрд", "1.6億", "568 миллион") states
    the amount to its last written digit; one written in full ("150", "2024") is exact.
    """
    value = _amount(fact.value)
    match = _WRITTEN.search(fact.surface or "")
    if value is None or match is None or not value:
        return None
    token = match.group()
    decimals = 0
    parts = re.split(r"[.,٫]", token)
    # A last group of three digits is digit grouping (150,000), not decimals.
    if len(parts) > 1 and len(parts[-1]) != 3:
        decimals = len(parts[-1])
        written = float("".join(parts[:-1]) + "." + parts[-1])
    else:
        written = float("".join(parts))
    if not written:
        return None
    scale = abs(value) / written
    exponent = round(math.log10(scale)) if scale > 0 else 0
    if scale < MIN_SCALE or not math.isclose(scale, 10**exponent, rel_tol=1e-9):
        return None
    return 10.0 ** (exponent - decimals)


def _amount(value: Any) -> float | None:
    if isinstance(value, dict):
        value = value.get("amount")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _rounded_alike(a: Fact, b: Fact) -> bool:
    """Whether one figure is the other written to a coarser precision (2.8bn and 2.83bn)."""
    va, vb = _amount(a.value), _amount(b.value)
    if va is None or vb is None:
        return False
    for x, y, vx, vy in ((a, b, va, vb), (b, a, vb, va)):
        step, other = _step(x), _step(y)
        # strictly within half a step: 2.85bn rounds to 2.9bn, not to 2.8bn
        if step and (other is None or other < step) and abs(vy - vx) < step / 2:
            return True
    return False


# Units whose scale the text does not state, and the scales they may stand for: Russian and
# Kazakh `градус`, English `degrees`, Arabic `درجة` are Celsius in most news and Fahrenheit in
# a translation that keeps a US forecast's figure (80 градус for 80 °F).
UNSTATED_SCALES = {"degree": ("°c", "°f")}


def _readings(fact: Fact) -> list[Fact]:
    """The fact with each scale its unit may stand for (`UNSTATED_SCALES`), else itself."""
    scales = UNSTATED_SCALES.get((fact.unit or "").strip().lower())
    return [replace(fact, unit=scale) for scale in scales] if scales else [fact]


def _compare_units(a: Fact, b: Fact) -> Result | None:
    """Two quantities in units of one dimension (inches and centimetres): None otherwise.

    A unit of unstated scale (`UNSTATED_SCALES`) agrees when some reading of it agrees; else
    it is compared in its first reading (Celsius)."""
    readings = [(x, y) for x in _readings(a) for y in _readings(b)]
    if len(readings) > 1:
        for x, y in readings:
            if a.unit != b.unit and x.unit == y.unit and _amount(x.value) == _amount(y.value):
                return "agree", "same", f"same value, the scale not stated read as {x.unit}", 8
            result = _compare_stated_units(x, y)
            if result is not None and result[0] == "agree":
                status, kind, reason, closeness = result
                return status, kind, f"{reason} (scale not stated)", closeness
    return _compare_stated_units(*readings[0])


def _compare_stated_units(a: Fact, b: Fact) -> Result | None:
    """`_compare_units` for two units of stated scale."""
    ca, cb = _conversion(a.unit), _conversion(b.unit)
    va, vb = _amount(a.value), _amount(b.value)
    if not ca or not cb or ca[0] != cb[0] or va is None or vb is None:
        return None
    if ca == cb:
        return None  # one unit under two names: compared as plain numbers
    base_a = float(Fraction(va) * ca[1] + ca[2])
    in_b = (base_a - float(cb[2])) / float(cb[1])  # a's value in b's unit
    # The coarser of the two figures decides how much rounding a translator may have done.
    step = 1.0 if vb.is_integer() else 0.1  # half the last written digit of b
    tolerance = max(step / 2, UNIT_TOLERANCE * abs(vb))
    if a.qualifier in APPROX or b.qualifier in APPROX:
        # "about 30 yards" and "шамамен 30 метр": a rough figure is rougher after conversion
        tolerance = max(tolerance, APPROX_TOLERANCE * abs(vb))
    shown = f"{_fmt_number(a)} = {in_b:.4g} {b.unit}"
    if abs(in_b - vb) <= tolerance:
        return "agree", "unit", f"equal after conversion: {shown}, {_fmt_number(b)}", 7
    return "conflict", "value", f"different {ca[0]}s: {shown} vs {_fmt_number(b)}", 1


def _compare_amount(a: Fact, b: Fact) -> Result | None:
    """Numbers, money and percents: None when they are not about the same thing."""
    if a.type == "money":
        if not isinstance(a.value, dict) or not isinstance(b.value, dict):
            return None
        if a.value.get("currency") != b.value.get("currency"):
            return None
    if a.type == "number":
        converted = _compare_units(a, b)
        if converted is not None:
            return converted
        ua, ub = _unit_class(a.unit), _unit_class(b.unit)
        if ua and ub and ua != ub and GENERIC_UNIT not in (ua, ub):
            return None
    if a.value == b.value and a.qualifier == b.qualifier:
        # a count of the same unit is closer than one whose unit one side leaves unsaid: in
        # `عامين … سلسلتين` ("two years … two chains") `екі жыл` pairs with the years
        same_unit = _unit_class(a.unit) == _unit_class(b.unit)
        return "agree", "same", "same value", 9 if same_unit or a.type != "number" else 8
    if a.value == b.value:
        return "agree", "granularity", "same value, qualified differently", 8
    if _compatible(a, b) or _compatible(b, a):
        return "agree", "granularity", f"compatible: {_fmt_number(a)} and {_fmt_number(b)}", 7
    if _rounded_alike(a, b):
        return "agree", "granularity", f"same when rounded: {a.surface} and {b.surface}", 7
    if a.type == "number" and bool(a.unit) != bool(b.unit):
        # A count of something (6 feet, 4 people) and a bare figure of another value: nothing
        # says they count one thing. A translator converts a unit the extractor does not know
        # (80 °F against 27 градусов), or the figure is another one of the sentence.
        return None
    unit = _unit_class(a.unit) or _unit_class(b.unit)
    what = f" of {unit}" if unit else ""
    kind = {"number": "counts", "money": "amounts", "percent": "percents"}.get(a.type, "values")
    return "conflict", "value", f"different {kind}{what}: {_fmt_number(a)} vs {_fmt_number(b)}", 1


# Fact types that can state one figure with more or less said about it: a translation drops
# the currency or percent sign it gives once elsewhere (`250美元` and `250`), or reads a bare
# year as a count. The more specific type names the record (`_record`), in this order.
_ACROSS = (
    frozenset({"number", "money"}),
    frozenset({"number", "percent"}),
    frozenset({"number", "year"}),
)
_SPECIFIC = ("money", "percent", "year", "number")


def _compare_across(a: Fact, b: Fact) -> Result | None:
    """Two types of `_ACROSS` with the same figure agree, kind `granularity` (one side says
    less); a number with a unit of its own, a qualifier on one side only or another figure
    makes no pair (a bare 3 is not about $5)."""
    if frozenset((a.type, b.type)) not in _ACROSS or a.qualifier != b.qualifier:
        return None
    if any(f.type == "number" and f.unit for f in (a, b)):
        return None
    va, vb = _amount(a.value), _amount(b.value)
    if va is None or vb is None or va != vb:
        return None
    reason = f"same figure, a {a.type} and a {b.type}: {a.surface} and {b.surface}"
    return "agree", "granularity", reason, 5


def compare(a: Fact, b: Fact, tolerant: bool = False) -> Result | None:
    """(status, kind, reason, closeness) when two facts are about the same thing, else None.

    The kind of a conflict is `value` here: `event` and `temporal` need the sentences
    (`compare_mentions`).
    """
    if _family(a) != _family(b):
        return _compare_across(a, b)
    if _family(a) == "time":
        return _compare_time(a, b, tolerant)
    if a.type == "entity":
        if _entity_key(a) == _entity_key(b):
            return "agree", "same", "same entity", 9
        if _same_person(a, b):
            return "agree", "same", "same person, transcribed apart", 8
        if orgforms.granular(a, b):
            return "agree", "granularity", "same organisation; one side names its place", 8
        return None
    if a.type == "year_range":
        return _compare_ranges(a, b)
    return _compare_amount(a, b)


# Two persons' keys (consonant skeletons of given name and surname) one edit apart are one
# person transcribed by two conventions: Уоррен/Warren (English w before a vowel is a vowel
# in Russian), Бьорн/Bjorn. Keys shorter than this are too short to tell names apart.
PERSON_KEY_MIN = 5


def _same_person(a: Fact, b: Fact) -> bool:
    """Two persons without an id whose cross-script keys are at most one edit apart."""
    if a.subtype != "person" or b.subtype != "person" or a.id or b.id:
        return False
    x, y = latin_key(str(a.value)), latin_key(str(b.value))
    return min(len(x), len(y)) >= PERSON_KEY_MIN and _one_edit(x, y)


def _one_edit(x: str, y: str) -> bool:
    """Whether two strings differ by at most one insertion, deletion or substitution."""
    if abs(len(x) - len(y)) > 1:
        return False
    if len(x) > len(y):
        x, y = y, x
    i = 0
    while i < len(x) and x[i] == y[i]:
        i += 1
    return x[i + (len(x) == len(y)) :] == y[i + 1 :]


def _entity_key(fact: Fact) -> Any:
    """An entity's id, or the cross-script key of its value (Dzhin Friman = Jeane Freeman)."""
    return fact.id or latin_key(str(fact.value))


def _compare_ranges(a: Fact, b: Fact) -> Result:
    """Two year ranges: one inside the other agrees, as a year agrees with a date in it.

    000's 二十一世紀初 ("early 21st century", 2000/2099) and 001's "the early
    first decade of the 21st century" (2000/2009) say the same thing, one
    more precisely.
    """
    if a.value == b.value:
        return "agree", "same", "same value", 9
    ra, rb = _range(a.value), _range(b.value)
    if ra and rb and (ra[0] <= rb[0] <= rb[1] <= ra[1] or rb[0] <= ra[0] <= ra[1] <= rb[1]):
        return "agree", "granularity", "one range contains the other", 7
    return "conflict", "value", "ranges differ", 1


def _range(value: Any) -> tuple[int, int] | None:
    parts = str(value).split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    return int(parts[0]), int(parts[1])


def _record(
    bead: str,
    status: str,
    kind: DiffKind,
    reason: str,
    mentions: list[Mention | None],
    others: list[tuple[str, str]],
) -> Diff:
    values = []
    for mention, (doc_id, lang) in zip(mentions, others, strict=True):
        values.append(mention.value() if mention else DiffValue(doc_id, lang, None, None, None))
    first = next(m for m in mentions if m is not None)
    types = frozenset(m.fact.type for m in mentions if m is not None)
    # A pair across types (`_compare_across`) is named by its more specific type; a date and
    # a year (one family) keep the first mention's type, as before.
    kind_of = min(types, key=_SPECIFIC.index) if types in _ACROSS else first.fact.type
    # The id is given by `diff`, which numbers a bead's records.
    return Diff(
        id="",
        bead=bead,
        type=kind_of,  # type: ignore[arg-type]
        status=status,  # type: ignore[arg-type]
        kind=kind,
        reason=reason,
        values=values,
    )


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
    dates: DocumentDates | None = None,
    texts: tuple[list[Sentence], list[Sentence]] | None = None,
    words: SentenceWords | None = None,
) -> Iterator[Diff]:
    """Pair the facts of two members, closest first; unpaired facts are missing.

    Each side's repeated mentions of one value count once (`collapse`). With `evidence`
    (members that are not translations of each other), a conflict needs `same_subject`;
    facts without it are not paired. A conflict's kind is `event` when the two dates are
    bound to different events, `temporal` when both figures are targets (or both
    forecasts) of documents of different dates (`dates`), else `value`.

    `texts` are the two members' sentences: a person left unpaired whose name the other
    member's text writes (`_named`) agrees with that name instead of being missing.
    `words` caches the sentences' words across calls (`diff` passes one for the run).
    """
    a, b = collapse(a), collapse(b)
    candidates = []
    for x, ma in enumerate(a):
        for y, mb in enumerate(b):
            result = compare(ma.fact, mb.fact, opts.tolerant) or _person_across(ma, mb)
            if result is not None:
                status, kind, reason, closeness = result
                if evidence and status == "conflict" and not same_subject(ma, mb):
                    continue
                candidates.append((-closeness, status != "agree", x, y, status, kind, reason))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    found: list[tuple[tuple[int, int], Diff]] = []
    for _, _, x, y, status, kind, reason in candidates:
        if x not in used_a and y not in used_b:
            used_a.add(x)
            used_b.add(y)
            if status == "conflict":
                kind, reason = conflict_kind(a[x], b[y], reason, dates)
            record = _record(bead, status, kind, reason, [a[x], b[y]], list(sides))
            found.append(((0, x), record))
    last = None if evidence else _last_persons(a, b, used_a, used_b)
    if last is not None:
        x, y = last
        used_a.add(x)
        used_b.add(y)
        reason = "same person, transcribed apart (the bead's only unpaired persons)"
        found.append(((0, x), _record(bead, "agree", "same", reason, [a[x], b[y]], list(sides))))
    if missing:
        words = words if words is not None else SentenceWords()
        for x, ma in enumerate(a):
            if x not in used_a:
                other = _named(ma, texts[1], sides[1], words) if texts else None
                found.append(((0, x), _unpaired(bead, ma, other, sides, first=True)))
        for y, mb in enumerate(b):
            if y not in used_b:
                other = _named(mb, texts[0], sides[0], words) if texts else None
                found.append(((1, y), _unpaired(bead, mb, other, sides, first=False)))
    found.sort(key=lambda item: item[0])
    for _, record in found:
        yield record


# A person one member names and the other's facts do not (Chinese and Arabic have no person
# rule) is looked for in the other member's text: its words in Latin letters, each Han
# character one word (a syllable: Chinese writes a foreign name as syllables, 卡瓦诺 = ka wa
# nuo), a name being up to NAME_WORDS words (Han: NAME_SYLLABLES). A key shorter than
# NAMED_KEY_MIN letters is found by chance (May → m matches any 梅 or "mi").
NAME_WORDS = 3
NAME_SYLLABLES = 5
NAMED_KEY_MIN = 3
# Chinese writes a foreign surname in two characters or more (拜登, Biden): one character is
# a word of its own (新, "new", is not Kusuma).
MIN_SYLLABLES = 2
# A fused proclitic is split off a word longer than this only: لي (Lee) is a name itself.
PROCLITIC_HOST = 2
_WORD = regex.compile(r"\p{Han}|[^\W\d_\p{Han}]+")
_NOT_LETTER = regex.compile(r"[^a-z]")
# What may stand between two words of one name: spaces, hyphens, the name dots.
_JOINER = regex.compile(r"[\s\-\u2010\u00b7\u30fb\u2027\u2022]*")
# What a script cannot write, folded on both keys when the other text is in it: Arabic has
# no p (ترامب, tramb, is Trump; its w: `LETTER_FOLDS`); Chinese ends a
# syllable in n or ng only, writes a consonant before a consonant with a vowel (特朗普, te
# lang pu: trngp against trmp), and has no voiced stops: its b, d, g are p, t, k without
# aspiration, used for either (贝蒂, bei di, is Beattie).
SCRIPT_FOLDS = {
    "ar": (("p", "b"),),
    "zh": (("ng", "n"), ("m", "n"), ("d", "t"), ("b", "p"), ("g", "k")),
}
# The same, on the letters before vowels are dropped (`_cross_key`), in this order. Arabic
# writes the vowels u and o with و, which ICU reads w (بومبيو, bwmbyw, is Pompeo), and the
# consonant w with the same letter before a vowel (كرومويل, krwmwyl, is Cromwell, Кромвель):
# a w before a consonant or at a word's end is dropped, and v is kept (Arabic writes v with
# ف, f: ديفيس is Davis). Chinese writes an x for an s (布莱西, bu lai xi, is Blasey), and ends
# a syllable in a vowel, n or ng, so an r or l before a consonant or at a word's end is
# left out or made a syllable of its own (福特, fu te, is Ford; 奥尔巴尼, ao er ba ni, is
# Albany): dropped, except against Arabic, which writes no vowels to tell where a syllable
# ends (بروس, brws, is 布鲁斯, bu lu si).
LETTER_FOLDS = (
    ("ar", None, "w", re.compile(r"w(?![aeiouyw])"), ""),
    ("zh", None, "x", re.compile("x"), "s"),
    ("zh", "ar", "rl", re.compile(r"[rl]+(?![aeiouy])"), ""),
)  # (script, unless the other is in this script, letters one of which it needs, pattern,
# replacement)


class SentenceWords:
    """Each sentence's runs of words that may be a name, with their keys: made once per
    sentence id, and only for sentences a one-sided person is looked for in, so that each
    person is then a look-up (and, for keys one edit apart, a scan without transliteration).
    """

    def __init__(self) -> None:
        self._runs: dict[
            tuple[str, str | None], tuple[dict[str, tuple[int, int, int]], list[Run]]
        ] = {}

    def of(
        self, sentence: Sentence, lang: str, also: str | None = None
    ) -> tuple[dict[str, tuple[int, int, int]], list[Run]]:
        """(the shortest run of each key as (size, start, end), every run as (key, size,
        start, end)), in text order; keys folded for `lang` and `also` (`_cross_key`)."""
        folds = _lang_base(also) if also is not None and _lang_base(also) in SCRIPT_FOLDS else None
        found = self._runs.get((sentence.id, folds))
        if found is None:
            runs = _runs(_words(sentence), sentence.text, lang, folds)
            found = self._runs[(sentence.id, folds)] = _index(runs)
        return found


Run = tuple[str, int, int, int]  # a run's key, its size in words, its start and end


def _words(sentence: Sentence) -> list[tuple[int, int, str, int]]:
    """A sentence's words (`_text_words`)."""
    return _text_words(sentence.text, sentence.lang)


def _text_words(text: str, lang: str) -> list[tuple[int, int, str, int]]:
    """A text's words: (start, end, Latin letters, 1), a split-off proclitic counting 0."""
    words = []
    proclitics = _proclitics(lang)
    for m in _WORD.finditer(text):
        start = m.start()
        # a one-letter proclitic fused to a name (لترامب, "for Trump") is a word of its own,
        # so that a run can begin after it, not counted in a run's size (فورد is Ford, not
        # ف and ورد)
        if m.group()[0] in proclitics and m.end() - start > PROCLITIC_HOST:
            words.append((start, start + 1, _latin_letters(m.group()[0]), 0))
            start += 1
        letters = _latin_letters(text[start : m.end()])
        if letters:
            words.append((start, m.end(), letters, 1))
    return words


def _runs(
    words: list[tuple[int, int, str, int]], text: str, lang: str, also: str | None = None
) -> list[Run]:
    """The runs of words that may be a name: up to NAME_WORDS words (Chinese: NAME_SYLLABLES
    characters, at least MIN_SYLLABLES) joined by spaces, hyphens or a name dot only
    (布雷特·卡瓦诺), never by punctuation; each with its key, folded for the script."""
    chinese = _lang_base(lang) == "zh"
    longest = NAME_SYLLABLES if chinese else NAME_WORDS
    bases = (_lang_base(lang), _lang_base(also) if also is not None else None)
    runs = []
    for i in range(len(words)):
        letters, size = "", 0
        for j in range(i, min(i + longest, len(words))):
            if j > i and not _JOINER.fullmatch(text, words[j - 1][1], words[j][0]):
                break
            letters += words[j][2]
            size += words[j][3]
            if chinese and words[j][1] - words[i][0] < MIN_SYLLABLES:
                continue
            runs.append((_run_key(letters, *bases), size, words[i][0], words[j][1]))
    return runs


# a bounded memo: news repeats its words and Chinese its characters
@owned("icu", maxsize=1 << 16)
def _latin_letters(word: str) -> str:
    """A word in lower-case ASCII letters (ICU's transliteration, as `latin_key` reads)."""
    return _NOT_LETTER.sub("", _transform("Any-Latin; Latin-ASCII; Lower").transliterate(word))


@owned("facts-lexicon")
def _proclitics(lang: str) -> frozenset[str]:
    """The one-letter words a language writes fused to the next (lexicon kind `proclitic`)."""
    return frozenset(e.surface for e in lexicon.words(lang, "proclitic"))


def _cross_key(letters: str, lang: str, also: str | None = None) -> str:
    """The key of a run of lower-case ASCII letters as the scripts of `lang` and `also`
    compare it: their `LETTER_FOLDS`, the consonant skeleton, then their `SCRIPT_FOLDS` (the
    language of a person looked for, when it is Chinese or Arabic: 特朗普 looked for in an
    English text folds the English runs as Chinese writes them)."""
    letter_folds, key_folds = _fold_plan(
        _lang_base(lang), _lang_base(also) if also is not None else None
    )
    return _script_key(letters, letter_folds, key_folds)


@owned("diff-units")
def _fold_plan(
    lang: str, also: str | None
) -> tuple[tuple[tuple[str, re.Pattern[str], str], ...], tuple[tuple[str, str], ...]]:
    """The `LETTER_FOLDS` and `SCRIPT_FOLDS` of two language bases, in their order."""
    bases = (lang, also)
    letter_folds = tuple(
        (needs, pattern, replacement)
        for script, unless, needs, pattern, replacement in LETTER_FOLDS
        if script in bases and (unless is None or unless not in bases)
    )
    key_folds = [*SCRIPT_FOLDS.get(lang, ())]
    if also is not None and also != lang:
        key_folds += SCRIPT_FOLDS.get(also, ())
    # a folded letter may meet its like (ndn, tn: nn): made single again
    singles = [(b + b, b) for b in dict.fromkeys(b for _, b in key_folds if b)]
    return letter_folds, tuple(key_folds + singles)


# a bounded memo: news repeats its names, and Chinese its syllables' runs
@owned("diff-units", maxsize=1 << 16)
def _run_key(letters: str, lang: str, also: str | None) -> str:
    """`_cross_key` for two language bases."""
    return _script_key(letters, *_fold_plan(lang, also))


def _script_key(
    letters: str,
    letter_folds: tuple[tuple[str, re.Pattern[str], str], ...],
    key_folds: tuple[tuple[str, str], ...],
) -> str:
    """`_cross_key` with its folds chosen."""
    for needs, pattern, replacement in letter_folds:
        if any(map(letters.__contains__, needs)):  # cheaper than a substitution
            letters = pattern.sub(replacement, letters)
    key = skeleton(letters) or letters
    for a, b in key_folds:
        while a in key:  # once, but nnn (nmn) twice
            key = key.replace(a, b)
    return key


def _named(
    mention: Mention, sentences: list[Sentence], side: tuple[str, str], words: SentenceWords
) -> DiffValue | None:
    """Where the other member's text writes a person's surname: the words whose key is the
    surname's (one edit apart for keys of PERSON_KEY_MIN letters), as a diff value with
    their surface and source span; for a place, a word derived from its name
    (`demonyms.find`: American, сирийский); for an organisation, its acronym, members or
    concept forms (`orgforms.find`: FBI, Democrats); None if it does not, or if the fact is
    none of these."""
    fact = mention.fact
    lang = side[1]
    if fact.type == "entity" and fact.subtype in demonyms.PLACE_SUBTYPES:
        derived = demonyms.find(fact, sentences, lang)
        return _value_at(derived.sentence, derived.start, derived.end, side) if derived else None
    if fact.type == "entity" and fact.subtype == orgforms.ORG:
        found = orgforms.find(fact, sentences, lang)
        return _value_at(found.sentence, found.start, found.end, side) if found else None
    if fact.type != "entity" or fact.subtype != "person" or not str(fact.value).split():
        return None
    surname = _name_key(str(fact.value), lang, mention.lang)
    if surname is None:
        return None
    # the same key first: a key one edit apart may take in a syllable before the name
    # (后罗森斯坦, "after Rosenstein", for 罗森斯坦)
    for loose in (False, True):
        for sentence in sentences:
            found = _find_key(surname, words.of(sentence, lang, mention.lang), loose)
            if found is not None:
                return _value_at(sentence, *found, side)
    return None


def _name_key(value: str, lang: str, also: str) -> str | None:
    """The key a person's name is looked for by (`_cross_key`): its surname's, or, when that
    is shorter than NAMED_KEY_MIN letters, the whole name's (马丁·奥尼尔, Martin O'Neill:
    the surname's nr alone would be found by chance); None if both are that short."""
    words = value.split()
    if not words:
        return None
    surname = _cross_key(_latin_letters(words[-1]), lang, also)
    if len(surname) >= NAMED_KEY_MIN:
        return surname
    whole = _cross_key(_latin_letters("".join(words)), lang, also)
    return whole if len(words) > 1 and len(whole) >= NAMED_KEY_MIN else None


def _value_at(sentence: Sentence, start: int, end: int, side: tuple[str, str]) -> DiffValue:
    """The words [start, end) of a sentence as a diff value: surface, Latin value, source span."""
    doc_id, lang = side
    surface = sentence.text[start:end]
    if sentence.spans:
        span = list(OffsetMap(sentence.spans).to_source(start, end))
    else:
        span = [sentence.span[0] + start, sentence.span[0] + end]
    return DiffValue(doc_id, lang, latin(surface, lang), surface, span)


def _person_across(a: Mention, b: Mention) -> Result | None:
    """Two persons, one in Chinese or Arabic and one in another script, paired when the
    first's name writes the other's surname as `_named` finds it in a text (特朗普 and Donald
    Trump; 特朗普 and ترامب): the same look-up on the surface of the fact instead of the
    whole text, so the two ways of pairing across scripts cannot disagree."""
    if a.fact.subtype != "person" or b.fact.subtype != "person" or a.fact.id or b.fact.id:
        return None
    if _lang_base(a.lang) == _lang_base(b.lang):
        return None  # one script: the keys are alike or the persons are not
    if _lang_base(a.lang) in SCRIPT_FOLDS:
        named, other = a, b
    elif _lang_base(b.lang) in SCRIPT_FOLDS:
        named, other = b, a
    else:
        return None
    if not isinstance(other.fact.value, str):
        return None
    surname = _name_key(other.fact.value, named.lang, other.lang)
    if surname is None:
        return None
    index = _surface_index(named.fact.surface, named.lang, other.lang)
    if any(_find_key(surname, index, loose) for loose in (False, True)):
        return "agree", "same", "same person, transcribed apart", 7
    return None


# A bead is a translation pair: when each member has one person left unpaired and one is
# in Chinese or Arabic, they are one person unless their surnames tell them apart. Keys
# (`_cross_key`, folded for both scripts) that differ at most in their last consonant
# (alike, replaced, or left out by one) are one name: the end of a name is what Chinese and
# Arabic transcribe most loosely (斯皮思, si pi si, is Spieth; 福特 is Ford). The shared
# beginning must be LAST_PERSON_PREFIX consonants at least: Graham (krn) and 卡瓦诺 (kvn)
# share one, and are two persons; a last consonant left out needs one more (Gerrard, krt,
# is not 凯利, Kelly, kr).
LAST_PERSON_PREFIX = 2


def _last_persons(
    a: list[Mention], b: list[Mention], used_a: set[int], used_b: set[int]
) -> tuple[int, int] | None:
    """The indices of the only unpaired person of each member, if `_close_surnames`."""
    left_a = [x for x, m in enumerate(a) if x not in used_a and _plain_person(m)]
    left_b = [y for y, m in enumerate(b) if y not in used_b and _plain_person(m)]
    if len(left_a) != 1 or len(left_b) != 1:
        return None
    ma, mb = a[left_a[0]], b[left_b[0]]
    if not _close_surnames(ma, mb):
        return None
    return left_a[0], left_b[0]


def _plain_person(mention: Mention) -> bool:
    """A person fact without an id, named in words."""
    fact = mention.fact
    return fact.subtype == "person" and not fact.id and bool(str(fact.value).split())


def _close_surnames(a: Mention, b: Mention) -> bool:
    """Two persons of two scripts, one Chinese or Arabic, whose surname keys are close."""
    bases = {_lang_base(a.lang), _lang_base(b.lang)}
    if len(bases) == 1 or not bases & SCRIPT_FOLDS.keys():
        return False
    x = _cross_key(_latin_letters(str(a.fact.value).split()[-1]), a.lang, b.lang)
    y = _cross_key(_latin_letters(str(b.fact.value).split()[-1]), a.lang, b.lang)
    if len(x) > len(y):
        x, y = y, x
    if len(y) - len(x) > 1:
        return False
    shared = x if x == y else x[:-1] if len(x) == len(y) else x
    # a consonant left out needs one more shared: Gerrard (krt) is not 凯利 (Kelly, kr)
    return len(shared) >= LAST_PERSON_PREFIX + (len(x) < len(y)) and y.startswith(shared)


# a bounded memo: a person's name is paired with every person of the other member
@owned("diff-units", maxsize=1 << 12)
def _surface_index(
    text: str, lang: str, also: str
) -> tuple[dict[str, tuple[int, int, int]], list[Run]]:
    """The runs of a fact's surface (`_index`), as `_person_across` looks a surname up."""
    return _index(_runs(_text_words(text, lang), text, lang, also))


def _index(runs: list[Run]) -> tuple[dict[str, tuple[int, int, int]], list[Run]]:
    """The shortest run of each key, and every run (`SentenceWords.of`)."""
    shortest: dict[str, tuple[int, int, int]] = {}
    for key, size, start, end in runs:
        if key not in shortest or size < shortest[key][0]:
            shortest[key] = (size, start, end)
    return shortest, runs


def _find_key(
    key: str, index: tuple[dict[str, tuple[int, int, int]], list[Run]], loose: bool
) -> tuple[int, int] | None:
    """The shortest run (start, end), first of its size, whose key is `key` or, if `loose`,
    one edit apart (both keys PERSON_KEY_MIN letters or more, as in `_same_person`): the
    shortest leaves out a syllable next to the name (在桑福德, "in Sanford")."""
    shortest, runs = index
    if not loose:
        found = shortest.get(key)
        return (found[1], found[2]) if found else None
    if len(key) < PERSON_KEY_MIN:
        return None
    best: tuple[int, int, int] | None = None
    for run, size, start, end in runs:
        if len(run) >= PERSON_KEY_MIN and _one_edit(run, key) and (best is None or size < best[0]):
            best = (size, start, end)
    return (best[1], best[2]) if best else None


def _unpaired(
    bead: str,
    mention: Mention,
    other: DiffValue | None,
    sides: tuple[tuple[str, str], tuple[str, str]],
    first: bool,
) -> Diff:
    """The record of a fact one side states and the other's facts do not: `missing`, or, for
    a person the other text names or a place it writes as an adjective (`other`), `agree`
    with those words."""
    if other is None:
        mentions = [mention, None] if first else [None, mention]
        return _record(
            bead, "missing", "absent", f"stated in {mention.lang} only", mentions, list(sides)
        )
    if mention.fact.subtype not in demonyms.PLACE_SUBTYPES:
        reason = f"named in the other text: {other.surface}"
    elif _lang_base(other.lang) == "zh":
        # Chinese writes no adjective: the name itself modifies a noun (美国人民)
        reason = f"found as a modifier in the other text: {other.surface}"
    else:
        reason = f"found as an adjective in the other text: {other.surface}"
    record = _record(bead, "agree", "same", reason, [mention], [sides[0 if first else 1]])
    record.values = [record.values[0], other] if first else [other, record.values[0]]
    return record


def _value_key(fact: Fact) -> tuple[Any, ...]:
    """What makes two mentions of one side the same fact: its value, and for amounts the unit
    class and qualifier ("more than 180" is not "180")."""
    if fact.type == "entity":
        return (fact.type, _entity_key(fact))
    value = _plain(fact.value) if not isinstance(fact.value, dict) else sorted(fact.value.items())
    return (fact.type, str(value), _unit_class(fact.unit), fact.qualifier)


def collapse(mentions: list[Mention]) -> list[Mention]:
    """One mention per value: a name or figure repeated in a member is one fact, stated once.

    The first mention stands for the others (its surface and span are the ones reported).
    """
    seen: set[tuple[Any, ...]] = set()
    out = []
    for mention in mentions:
        key = _value_key(mention.fact)
        if key not in seen:
            seen.add(key)
            out.append(mention)
    return out


def conflict_kind(
    x: Mention, y: Mention, reason: str, dates: DocumentDates | None
) -> tuple[DiffKind, str]:
    """The kind of a conflict between two mentions, and its reason with what decided it."""
    if _family(x.fact) == "time":
        ex, ey = bound_event(x), bound_event(y)
        if ex and ey and ex != ey:
            return (
                "event",
                f"dated by different events ({_event_name(ex)} vs {_event_name(ey)}): {reason}",
            )
        return "value", reason
    if x.fact.type in AMOUNT_TYPES and dates is not None:
        px, py = plan_class(x.sentence), plan_class(y.sentence)
        # the documents' dates are looked up (all sentences read once) only for two plans
        yx, yy = (dates.year(x.doc_id), dates.year(y.doc_id)) if px and px == py else (0, 0)
        if px and px == py and yx and yy and yx != yy:
            return "temporal", f"{PLAN_NAMES[px]} of documents of {yx} and {yy}: {reason}"
    return "value", reason


def _event_name(event: str) -> str:
    return "a cited source's date" if event == CITATION else event.replace("_", " ")


def _lang_base(lang: str) -> str:
    return lang.split("-")[0].lower()


def _table_words(relpath: str) -> dict[str, list[tuple[str, str]]]:
    """language -> [(name, word)] of a table of `name, language, words…` rows."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name, lang, *words in tables.rows(relpath):
        out.setdefault(lang, []).extend((name, w.strip()) for w in words if w.strip())
    return out


@owned("diff-units")
def _word_table(relpath: str) -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """language -> [(name, pattern)] of a table of `name, language, words…` rows."""
    return {
        lang: [(name, _word_pattern(word, lang)) for name, word in rows]
        for lang, rows in _table_words(relpath).items()
    }


@owned("diff-units")
def _any_word(relpath: str, lang: str) -> re.Pattern[str] | None:
    """One pattern that matches where any of the table's words for `lang` does (None: no words).

    An alternation matches at a position exactly when one of its alternatives does, so a
    text it finds nothing in holds no word of the table: most sentences are ruled out by
    one scan instead of one scan per word (five times faster with the word-start test
    written once, outside the alternation).
    """
    rows = _table_words(relpath).get(lang)
    if not rows:
        return None
    body = "|".join(_word_body(word) for _, word in rows)
    if lang == "zh":
        return re.compile(body)
    return re.compile(rf"(?<!\w)(?:{body})", re.IGNORECASE)


def _word_body(word: str) -> str:
    """A word as a regex: its spaces match any run of white space."""
    return re.escape(word).replace(r"\ ", r"\s+")


def _word_pattern(word: str, lang: str) -> re.Pattern[str]:
    """A word beginning: at the start of a word, or anywhere in a language without spaces."""
    if lang == "zh":
        return re.compile(_word_body(word))
    return re.compile(r"(?<!\w)" + _word_body(word), re.IGNORECASE)


def _words_in(relpath: str, text: str, lang: str) -> list[tuple[int, str]]:
    """(position, name) of every word of the table's rows for `lang` found in `text`."""
    base = _lang_base(lang)
    prefilter = _any_word(relpath, base)
    if prefilter is None or prefilter.search(text) is None:
        return []
    found = []
    for name, pattern in _word_table(relpath)[base]:
        found.extend((m.start(), name) for m in pattern.finditer(text))
    return sorted(found)


@owned("diff-units")
def _clause_pattern(lang: str) -> re.Pattern[str]:
    """Clause boundaries: punctuation, and the language's joining words (data/diff/clauses.tsv)."""
    words = [
        w.strip() for row in tables.rows("diff/clauses.tsv") if row[0] == lang for w in row[1:]
    ]
    punctuation = r"[,;:()，；：（）、،؛]"
    if not words:
        return re.compile(punctuation)
    joined = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    if lang == "zh":
        return re.compile(f"{punctuation}|{joined}")
    return re.compile(rf"{punctuation}|(?<!\w)(?:{joined})(?!\w)", re.IGNORECASE)


def _clause(sentence: Sentence, fact: Fact) -> tuple[int, int]:
    """The clause of a sentence that holds `fact`: the whole sentence when it states one time.

    With several dates ("the treaty signed on 8 April 1997 and the agreement approved on 25
    December 2003"), the text is cut at punctuation and joining words, but not inside a fact
    (a treaty's name may hold "and" or a comma), and the clause is the piece that holds it.
    """
    facts = sentence.facts or ()
    if sum(1 for f in facts if _family(f) == "time") <= 1:
        return 0, len(sentence.text)
    inside = [(f.start, f.end) for f in facts]
    cuts = [
        m.start()
        for m in _clause_pattern(_lang_base(sentence.lang)).finditer(sentence.text)
        if not any(s <= m.start() < e for s, e in inside)
    ]
    start = max((c for c in cuts if c <= fact.start), default=0)
    end = min((c for c in cuts if c >= fact.end), default=len(sentence.text))
    return start, end


def bound_event(mention: Mention) -> str | None:
    """The event a date is bound to: a cited source's year, or the event word of its clause
    nearest to it (data/diff/events.tsv); None when its clause states none or other dates."""
    fact = mention.fact
    if fact.note == CITATION:
        return CITATION
    start, end = _clause(mention.sentence, fact)
    facts = mention.sentence.facts or ()
    if sum(1 for f in facts if _family(f) == "time" and start <= f.start < end) != 1:
        return None
    words = _words_in("diff/events.tsv", mention.sentence.text[start:end], mention.sentence.lang)
    if not words:
        return None
    here = fact.start - start
    return min(words, key=lambda w: (abs(w[0] - here), w[1]))[1]


def plan_class(sentence: Sentence) -> str | None:
    """`aim` or `forecast` when the sentence says a figure is a target or an expectation."""
    return _plan_class(sentence.text, sentence.lang)


# asked for every sentence of a group (`DocumentDates`) and again for each amount compared
@owned("diff-units", maxsize=1 << 14)
def _plan_class(text: str, lang: str) -> str | None:
    words = _words_in("diff/plans.tsv", text, lang)
    classes = {name for _, name in words}
    return classes.pop() if len(classes) == 1 else None


class DocumentDates:
    """When each document was written, as far as its facts tell: the latest year it states.

    A text cannot report what happened after it was written, so the latest year of its dates
    (outside targets and forecasts, which look ahead, and ranges, which may run into the
    future) is a lower bound of its date, and two texts with different ones are of different
    dates. Computed per document on first use.
    """

    def __init__(self, sentences: Mapping[str, Sentence]) -> None:
        self.sentences = sentences
        self._years: dict[str, int | None] | None = None

    def year(self, doc_id: str) -> int | None:
        if self._years is None:
            years: dict[str, int | None] = {}
            for sentence in self.sentences.values():
                stated = [
                    year
                    for fact in sentence.facts or ()
                    if _family(fact) == "time" and (year := _date_parts(fact.value)[0]) is not None
                ]
                # the plan test (a regex scan) only for the few sentences that state a year
                if stated and not plan_class(sentence):
                    years[sentence.doc_id] = max(years.get(sentence.doc_id) or 0, *stated)
            self._years = years
        return self._years.get(doc_id)


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
    dates = DocumentDates(sentences)
    words = SentenceWords()
    for bead in beads:
        records: list[Iterable[Diff]] = []
        for ma, mb in itertools.combinations(bead.members, 2):
            a = _mentions(ma.sentence_ids, sentences, ma.doc_id, ma.lang)
            b = _mentions(mb.sentence_ids, sentences, mb.doc_id, mb.lang)
            sides = ((ma.doc_id, ma.lang), (mb.doc_id, mb.lang))
            evidence = bead.method == "comparable"
            texts = (
                [sentences[sid] for sid in ma.sentence_ids],
                [sentences[sid] for sid in mb.sentence_ids],
            )
            records.append(
                compare_mentions(
                    bead.id,
                    a,
                    b,
                    sides,
                    opts,
                    evidence=evidence,
                    dates=dates,
                    texts=texts,
                    words=words,
                )
            )
            if bead.method == "comparable" and ma.doc_id != mb.doc_id:
                comparable.setdefault((ma.doc_id, mb.doc_id), (ma.lang, mb.lang))
        yield from _numbered(itertools.chain.from_iterable(records), opts)
    if opts.documents and comparable:
        # once: a scan of all sentences per pair is quadratic, and a document's facts are read
        # once however many pairs it is in
        by_doc = DocumentFacts(sentences)
        for (doc_a, doc_b), (lang_a, lang_b) in comparable.items():
            pair = documents(doc_a, lang_a, doc_b, lang_b, sentences, opts, dates, by_doc)
            yield from _numbered(pair, opts)


def is_document_level(record: Diff) -> bool:
    """Whether a record is of the document-level pass (it names a document pair, not a bead)."""
    return record.bead.startswith(DOCUMENT_PAIR)


def _numbered(records: Iterable[Diff], opts: DiffOptions) -> Iterator[Diff]:
    """The records of one bead (or document pair), with their ids, as `opts.statuses` asks."""
    for n, record in enumerate(records, start=1):
        record.id = f"{record.bead}#{n}"
        if record.status in opts.statuses:
            yield record


def by_document(sentences: Mapping[str, Sentence]) -> dict[str, list[Sentence]]:
    """The sentences of each document, in the mapping's order."""
    out: dict[str, list[Sentence]] = {}
    for sentence in sentences.values():
        out.setdefault(sentence.doc_id, []).append(sentence)
    return out


class DocumentFacts:
    """Each document's mentions, and its dates with the treaties and events they are about
    (`_event_keys`, which cuts clauses with a regex), built on first use per document."""

    def __init__(self, sentences: Mapping[str, Sentence]) -> None:
        self.by_doc = by_document(sentences)
        self._built: dict[str, tuple[list[Mention], list[tuple[Mention, set[str]]]]] = {}

    def of(self, doc_id: str) -> tuple[list[Mention], list[tuple[Mention, set[str]]]]:
        if doc_id not in self._built:
            mentions = [
                Mention(f, doc_id, s.lang, s)
                for s in self.by_doc.get(doc_id, ())
                for f in s.facts or ()
            ]
            dated = [
                (m, keys)
                for m in mentions
                if _family(m.fact) == "time" and (keys := _event_keys(m))
            ]
            self._built[doc_id] = (mentions, dated)
        return self._built[doc_id]


def _event_keys(mention: Mention) -> set[str]:
    """The treaties and named events a date (or a figure) is about.

    A date is about those of its clause (`_clause`): "the treaty signed on 8 April 1997 and the
    agreement approved on 25 December 2003" dates each agreement by its own clause. A clause
    with another date, and a figure in a sentence with several dates, are about none: which
    date is the treaty's is not known, and a guess would report conflicts that are not there.
    """
    facts = mention.sentence.facts or ()
    if _family(mention.fact) == "time":
        start, end = _clause(mention.sentence, mention.fact)
    elif sum(1 for f in facts if _family(f) == "time") == 1:
        start, end = 0, len(mention.sentence.text)
    else:
        return set()
    if sum(1 for f in facts if _family(f) == "time" and start <= f.start < end) != 1:
        return set()
    return {
        str(f.id or f.value)
        for f in facts
        if f.type == "entity" and f.subtype in EVENT_SUBTYPES and start <= f.start < end
    }


def documents(
    doc_a: str,
    lang_a: str,
    doc_b: str,
    lang_b: str,
    sentences: Mapping[str, Sentence],
    opts: DiffOptions,
    dates: DocumentDates | None = None,
    by_doc: DocumentFacts | None = None,
) -> Iterator[Diff]:
    """Conflicts between two comparable documents: the same unit counted, the same target set,
    the same treaty or event dated, differently.

    Only conflicts are reported (a document-level "missing" would list most facts of two
    texts that merely share a topic), and only when the other document does not also state
    the value somewhere (for dates: for the same treaty or event). `by_doc` is
    `DocumentFacts(sentences)`, given by a caller that compares many pairs.
    """
    bead = f"{DOCUMENT_PAIR}{doc_a}~{doc_b}"
    dates = dates if dates is not None else DocumentDates(sentences)
    by_doc = by_doc if by_doc is not None else DocumentFacts(sentences)
    a, times_a = by_doc.of(doc_a)
    b, times_b = by_doc.of(doc_b)
    sides = ((doc_a, lang_a), (doc_b, lang_b))
    counts_a = [m for m in a if m.fact.type == "number" and m.fact.unit]
    counts_b = [m for m in b if m.fact.type == "number" and m.fact.unit]
    # Targets and forecasts (money and percents; counts are compared above with every count).
    plans_a = [m for m in a if m.fact.type in ("money", "percent") and plan_class(m.sentence)]
    plans_b = [m for m in b if m.fact.type in ("money", "percent") and plan_class(m.sentence)]
    groups = [(counts_a, counts_b, lambda m: (_unit_class(m.fact.unit), _plain(m.fact.value)))]
    # A target is compared with targets, a forecast with forecasts: each class on its own.
    for kind in sorted({plan_class(m.sentence) for m in plans_a + plans_b}):
        groups.append(
            (
                [m for m in plans_a if plan_class(m.sentence) == kind],
                [m for m in plans_b if plan_class(m.sentence) == kind],
                lambda m: _value_key(m.fact),
            )
        )
    for xs, ys, key in groups:
        values_a, values_b = {key(m) for m in xs}, {key(m) for m in ys}
        xs = [m for m in xs if key(m) not in values_b]
        ys = [m for m in ys if key(m) not in values_a]
        yield from (
            record
            for record in compare_mentions(
                bead, xs, ys, sides, opts, missing=False, evidence=True, dates=dates
            )
            if record.status == "conflict"
        )
    for event in sorted(
        {k for _, ks in times_a for k in ks} & {k for _, ks in times_b for k in ks}
    ):
        ea = collapse([m for m, keys in times_a if event in keys])
        eb = collapse([m for m, keys in times_b if event in keys])
        yield from _dated(bead, event, ea, eb, sides, opts)


def _dated(
    bead: str,
    event: str,
    a: list[Mention],
    b: list[Mention],
    sides: tuple[tuple[str, str], tuple[str, str]],
    opts: DiffOptions,
) -> Iterator[Diff]:
    """Conflicts between two documents' dates of one treaty or event.

    A date that agrees with some date the other document gives it is accounted for. Each
    other date is compared with the other document's dates: with one bound to the same
    event when there is one (a `value` conflict: the same signing dated twice), else with
    the closest (an `event` conflict when the two are bound to different events: a signing
    against the year of a ratification law cited for it).
    """
    reported: set[tuple[int, int]] = set()
    for mine, theirs, flip in ((a, b, False), (b, a, True)):
        for i, x in enumerate(mine):
            results = [(compare(x.fact, y.fact, opts.tolerant), j, y) for j, y in enumerate(theirs)]
            if any(r is not None and r[0] == "agree" for r, _, _ in results):
                continue
            options = [(r, j, y) for r, j, y in results if r is not None and r[0] == "conflict"]
            if not options:
                continue
            event_x = bound_event(x)
            same_event = [o for o in options if event_x and bound_event(o[2]) == event_x]
            # closest first; then the order of the other document
            r, j, y = min(same_event or options, key=lambda o: (-o[0][3], o[1]))
            pair = (j, i) if flip else (i, j)
            if pair in reported:
                continue
            reported.add(pair)
            first, second = (y, x) if flip else (x, y)
            result = compare(first.fact, second.fact, opts.tolerant)  # the reason in side order
            kind, reason = conflict_kind(first, second, result[2] if result else r[2], None)
            yield _record(
                bead, "conflict", kind, f"{event}: {reason}", [first, second], list(sides)
            )


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
