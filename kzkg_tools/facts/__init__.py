"""The `facts` stage: dates, numbers, money, percents and entities of each sentence
(docs/conventions.md).

`extract` works on one sentence's text and returns facts with offsets into
that text; `facts` is the stage over Sentence records, which keeps the
document context (its date and the last year named, for 同年 / былтыр / 8月31日)
and maps every fact back to the exact source text (`span`, `surface`).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from kzkg_tools import langs
from kzkg_tools.facts import dates, names, names_han_arab
from kzkg_tools.facts.candidate import Candidate
from kzkg_tools.facts.entities import find_entities
from kzkg_tools.facts.quantities import find_quantities
from kzkg_tools.offsets import OffsetMap
from kzkg_tools.records import Fact, Sentence
from kzkg_tools.resources import hold, owned

__all__ = ["FactContext", "FactsOptions", "extract", "facts"]

# When two numeric candidates overlap, the longer wins; on equal length, this order.
_PRIORITY = {"date": 0, "year_range": 1, "year": 2, "money": 3, "percent": 4, "number": 5}
_DATELINE = re.compile(r"^\s*date\s+(\d{4})-\d{2}-\d{2}")
#: Sentences of at most BARREN_CHARS characters in which no date, quantity or entity was
#: found are remembered by text (with their grammar), up to BARREN_TEXTS at a time (then
#: forgotten, so memory stays bounded on any input): short lines of a list, a table or a
#: page header repeat, and the searches are the cost of a short sentence. What depends on
#: the document (later mentions of persons named before) is still looked for.
BARREN_CHARS = 200
BARREN_TEXTS = 50_000
_barren: set[tuple[str, str]] = set()
hold("facts-lexicon", _barren.clear, lambda: len(_barren))


@dataclass
class FactContext:
    """What a sentence needs from its document: the document date, the last year named and
    the persons named so far.

    `last_year` is updated by `extract` as it reads absolute years, so one
    context carried through a document's sentences in order resolves 同年; `persons`
    (surname → the full name, None when two persons share it) lets a later `Graham` be
    the `Lindsey Graham` named before (`names.later_mentions`).
    """

    doc_date: str | None = None
    last_year: int | None = None
    persons: dict[str, str | None] = field(default_factory=dict)
    # two capitalised words no rule read, by their last word (`names.later_mentions`)
    pairs: names.Pairs = field(default_factory=names.Pairs)
    # acronyms the document defined: FBI → (value, subtype, id) (`names.acronyms`)
    acronyms: dict[str, tuple[str, str | None, str | None] | None] = field(default_factory=dict)

    @property
    def doc_year(self) -> int | None:
        return int(self.doc_date[:4]) if self.doc_date else None


@dataclass(frozen=True)
class FactsOptions:
    """Options of the facts stage.

    `doc_date` (ISO date) resolves "this year" / "last year" when given; else
    a `date YYYY-MM-DD` dateline on the first line of the source file is used
    (seed 003's form). `read_sources` uses each document's source text (given by
    the caller, or read once per document) to copy the exact surface at each span
    and to find the dateline; without it the surface is the sentence text's own.
    """

    doc_date: str | None = None
    read_sources: bool = True


def _select(cands: Iterable[Candidate]) -> list[Candidate]:
    """Non-overlapping numeric candidates: longest first, then by type priority."""
    kept: list[Candidate] = []
    order = sorted(cands, key=lambda c: (-(c.end - c.start), _PRIORITY[c.type], c.start))
    for c in order:
        if all(c.end <= k.start or k.end <= c.start for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _fact(text: str, c: Candidate) -> Fact:
    return Fact(
        type=c.type,  # type: ignore[arg-type]
        value=c.value,
        surface=text[c.start : c.end],
        start=c.start,
        end=c.end,
        span=[c.start, c.end],
        qualifier=c.qualifier,
        unit=c.unit,
        subtype=c.subtype,  # type: ignore[arg-type]
        id=c.id,
        note=c.note,
        literal=c.literal,
        inferred=c.inferred,
        intended=c.intended,
    )


@functools.lru_cache(maxsize=1024)
def _grammar(lang: str) -> str | None:
    """The grammar reading a tag (`langs`), looked up once per tag, not once per sentence."""
    return langs.get(lang).facts


def extract(text: str, lang: str, ctx: FactContext | None = None) -> list[Fact]:
    """The facts of one sentence's text; offsets (and `span`, at this level) index `text`.

    `lang` is a BCP 47 tag; the language table (`kzkg_tools.langs`) says which grammar
    reads it (zh-Hant, zh-Hans, ar, kk-Cyrl, kk-Arab, ru, en; a bare zh is zh-Hans, zh-TW
    is zh-Hant) or that none does (no facts). `ctx` is updated.
    """
    ctx = ctx if ctx is not None else FactContext()
    grammar = _grammar(lang)
    if grammar is None:
        return []
    lang = grammar
    short = len(text) <= BARREN_CHARS
    if short and (lang, text) in _barren:
        numeric: list[Candidate] = []
        entities: list[Candidate] = []
    else:
        # both depend on the text and grammar alone
        numeric = _select([*dates.find_dates(text, lang), *find_quantities(text, lang)])
        entities = find_entities(text, lang)
        if short and not numeric and not entities:
            if len(_barren) >= BARREN_TEXTS:
                _barren.clear()
            _barren.add((lang, text))
    out: list[Candidate] = []
    for c in numeric:
        if c.rel is not None:
            done = dates.complete(c, dates.resolve_year(c, ctx.doc_year, ctx.last_year))
            if done is None:
                continue
            c = done
        if c.sets_year is not None:
            ctx.last_year = c.sets_year
        out.append(c)
    out.extend(entities)
    if lang in names_han_arab.LANGS:
        out.extend(names_han_arab.later_mentions(text, lang, entities, ctx.persons))
    else:
        out.extend(names.later_mentions(text, lang, entities, ctx.persons, ctx.pairs))
    out.extend(names.acronyms(text, lang, entities, ctx.acronyms))
    out.sort(key=lambda c: (c.start, -(c.end - c.start)))
    return [_fact(text, c) for c in out]


@owned("facts-source", maxsize=4)
def read_source_text(path: str) -> str | None:
    """The decoded source file (the same reading as `kzkg normalize`), or the page of a dump
    (`x.xml.bz2#12`: `dumps.page_text`), or None if unreadable: how `kzkg facts` on Sentence
    records finds their sources."""
    from kzkg_tools import dumps
    from kzkg_tools import io as kio
    from kzkg_tools.errors import InputError

    try:
        if dumps.is_item(path) and not os.path.exists(path):
            return dumps.page_text(path)  # a page of a MediaWiki dump
        return kio.read_source(kio.Source(path)).text
    except (InputError, OSError):
        return None


def _dateline(source: str | None) -> str | None:
    if not source:
        return None
    m = _DATELINE.match(source.split("\n", 1)[0])
    return m.group(0).split()[-1] if m else None


def _locate(sentence: Sentence, found: list[Fact], source: str | None) -> None:
    """Set each fact's `span` (absolute source offsets) and `surface` (the source text there)."""
    if not found:
        return  # nearly half the sentences state no fact: no map to build
    offsets = OffsetMap(sentence.spans) if sentence.spans else None
    base = sentence.span[0]
    for fact in found:
        if offsets is not None:
            s, e = offsets.to_source(fact.start, fact.end)
        else:
            s, e = base + fact.start, base + fact.end
        fact.span = [s, e]
        if source is not None and 0 <= s <= e <= len(source):
            fact.surface = source[s:e]


def facts(
    sentences: Iterable[Sentence],
    opts: FactsOptions,
    source_text: Callable[[str], str | None] = read_source_text,
) -> Iterator[Sentence]:
    """Fill `sentence.facts` for a stream of sentences (a document's sentences in order).

    The context (document date, last absolute year) starts afresh at each new
    `doc_id`; when `read_sources`, `source_text(path)` gives the document's source
    text once per document (`kzkg run` passes the text it read for normalize, so
    no input is read twice; by default the file is read).
    """
    doc_id: str | None = None
    ctx = FactContext()
    source: str | None = None
    for sentence in sentences:
        if sentence.doc_id != doc_id:
            doc_id = sentence.doc_id
            source = source_text(sentence.source) if opts.read_sources and sentence.source else None
            ctx = FactContext(doc_date=opts.doc_date or _dateline(source))
        found = extract(sentence.text, sentence.lang, ctx)
        own = source
        if not sentence.spans and source is not None:
            s0, s1 = sentence.span
            if source[s0:s1] != sentence.text:
                own = None  # no map and not a copy of the source: keep the text's own surface
        _locate(sentence, found, own)
        sentence.facts = found
        yield sentence
