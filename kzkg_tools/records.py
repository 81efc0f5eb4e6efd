"""The record dataclasses: the contract between commands and for downstream tools.

Field names and order are the contract of docs/records.md; JSON objects are written in field
order, with optional fields left out when they are None, so output is
byte-stable. `docs/schema/*.json` is generated from these classes
(`python -m kzkg_tools.records docs/schema`), and a test fails when it drifts.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import re
import types
import typing
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Union

from kzkg_tools.offsets import OffsetMap

try:  # a dependency (pyproject), kept optional: the same JSON as `json`, about 3× faster
    import orjson
except ImportError:  # pragma: no cover - depends on the environment
    orjson = None  # type: ignore[assignment]

BlockKind = Literal["heading", "paragraph", "list_item", "footnote", "caption", "table"]
Format = Literal["wikitext", "markdown", "pdf-text", "plain"]
FactType = Literal["date", "year", "year_range", "number", "money", "percent", "entity"]
EntitySubtype = Literal["country", "city", "region", "place", "person", "org", "treaty", "other"]
BeadMethod = Literal["parallel", "comparable"]
DiffStatus = Literal["agree", "conflict", "missing"]
# What kind of agreement, conflict or gap a Diff record is (docs/records.md, docs/align.md).
DiffKind = Literal["same", "granularity", "unit", "value", "event", "temporal", "absent"]


@dataclass(slots=True)
class Block:
    """A range of a Document's text with its kind and language.

    Slotted (64 bytes, not some 110 with a dict): a text of short lines has a block a line.
    """

    start: int
    end: int
    kind: BlockKind
    lang: str


class Blocks:
    """A Document's blocks held in arrays: a text of short lines has millions of blocks.

    Some 24 bytes a block (its start, its end, and its kind and language as indices into
    the names it uses), where a `Block` with its two ints takes some 130 and a list of them
    8 more. It reads as a sequence of `Block`s, each made when asked for: a change to one
    is not kept (`set_lang` changes a language). Written as the list of its blocks.
    """

    __slots__ = ("_ends", "_index", "_kinds", "_langs", "_names", "_starts")

    def __init__(self, blocks: Iterable[Block] = ()) -> None:
        self._starts: array[int] = array("q")
        self._ends: array[int] = array("q")
        # kinds and languages as indices into _names ("I": a read-back record may name many)
        self._kinds: array[int] = array("I")
        self._langs: array[int] = array("I")
        self._names: list[str] = []
        self._index: dict[str, int] = {}
        for b in blocks:
            self.append(b.start, b.end, b.kind, b.lang)

    def _name(self, name: str) -> int:
        i = self._index.get(name)
        if i is None:
            i = self._index[name] = len(self._names)
            self._names.append(name)
        return i

    def append(self, start: int, end: int, kind: str, lang: str) -> None:
        """Add a block at the end."""
        self._starts.append(start)
        self._ends.append(end)
        index = self._index  # names already held looked up here: a block per short line
        k, g = index.get(kind), index.get(lang)
        self._kinds.append(self._name(kind) if k is None else k)
        self._langs.append(self._name(lang) if g is None else g)

    def extend(
        self, starts: Iterable[str], ends: Iterable[str], kinds: Iterable[str], langs: Iterable[str]
    ) -> None:
        """Add blocks at the end, from their columns (offsets as decimal text, as a reader
        finds them)."""
        self._starts.extend(map(int, starts))
        self._ends.extend(map(int, ends))
        self._kinds.extend(map(self._name, kinds))
        self._langs.extend(map(self._name, langs))

    def set_lang(self, i: int, lang: str) -> None:
        """Give block `i` the language `lang`."""
        self._langs[i] = self._name(lang)

    def start(self, i: int) -> int:
        """Start of block `i`."""
        return self._starts[i]

    def end(self, i: int) -> int:
        """End of block `i`."""
        return self._ends[i]

    def has_lang(self, lang: str) -> bool:
        """Whether some block is in `lang`."""
        i = self._index.get(lang)
        return i is not None and i in self._langs

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, i: int) -> Block:
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("block index out of range")
        names = self._names
        return Block(self._starts[i], self._ends[i], names[self._kinds[i]], names[self._langs[i]])  # type: ignore[arg-type]

    def rows(self) -> Iterator[tuple[int, int, str, str]]:
        """(start, end, kind, lang) of every block."""
        names = self._names
        for s, e, k, g in zip(self._starts, self._ends, self._kinds, self._langs, strict=True):
            yield s, e, names[k], names[g]

    def __iter__(self) -> Iterator[Block]:
        for s, e, k, g in self.rows():
            yield Block(s, e, k, g)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        # Blocks in memory and a list of Block once read back compare equal when they hold
        # the same blocks.
        if isinstance(other, (Blocks, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, which are not hashable

    def __repr__(self) -> str:
        return f"Blocks({list(self)!r})"

    def json_chunks(self, per_chunk: int) -> Iterator[str]:
        """The JSON text of the blocks as `dumps` writes a list of `Block`s, `per_chunk`
        blocks a piece."""
        names = [_ENCODER.encode(name) for name in self._names]
        template = '{"start":%d,"end":%d,"kind":%s,"lang":%s}'
        n = len(self)
        yield "["
        for i in range(0, n, per_chunk):
            rows = zip(
                self._starts[i : i + per_chunk],
                self._ends[i : i + per_chunk],
                self._kinds[i : i + per_chunk],
                self._langs[i : i + per_chunk],
                strict=True,
            )
            piece = ",".join([template % (s, e, names[k], names[g]) for s, e, k, g in rows])
            yield piece if i == 0 else "," + piece
        yield "]"


@dataclass
class Document:
    """Output of `normalize`: one source file as clean text with an offset map back to it.

    A transliterated document (kk-Arab source) has `text` in Cyrillic, `orig_text` in the
    source script and `orig_spans`, an offset map from `text` to `orig_text`; `spans` still
    map `text` to the source file.

    `normalize` keeps `spans` and `orig_spans` as `OffsetMap`s (32 bytes a span: a text of a
    span per character would take some 200 as lists); they are written, and read back, as
    lists of `[text_start, text_end, src_start, src_end]`. Its `blocks` are likewise a
    `Blocks` (arrays) up to the writer, and read back as a list of `Block`s (the JSON is the
    same); `segment` reads a long line back into maps and `Blocks` (`docstream`).
    """

    id: str
    source: str
    format: Format
    lang: str
    text: str
    blocks: list[Block] = field(default_factory=list)  # or a Blocks (see above)
    spans: list[list[int]] | OffsetMap = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    orig_lang: str | None = None
    orig_text: str | None = None
    orig_spans: list[list[int]] | OffsetMap | None = None


@dataclass
class Fact:
    """One mention of a date, number, amount, percent or named entity (see docs/conventions.md)."""

    type: FactType
    value: Any
    surface: str
    start: int
    end: int
    span: list[int]
    qualifier: str | None = None
    unit: str | None = None
    subtype: EntitySubtype | None = None
    id: str | None = None
    note: str | None = None
    literal: str | None = None
    inferred: str | None = None
    intended: str | None = None
    number: float | None = None
    currency: str | None = None

    def __post_init__(self) -> None:
        _settle_value(self, self.type in _NUMERIC_TYPES)


@dataclass
class Sentence:
    """Output of `segment` (and of `facts`, which fills `facts`).

    `span` is the source range of the whole sentence; `spans` is the sentence's
    own offset map (as in Document, text offsets relative to this sentence), so
    later stages can map any part of `text` back to the source file alone.
    `para` is the index of the sentence's block in the Document's `blocks` (0-based;
    a plain-text line, a Markdown or wikitext paragraph, heading or list item): align
    uses shared paragraph boundaries as anchors. None in records of schema version 3
    and older, which align reads as one paragraph.
    """

    id: str
    doc_id: str
    n: int
    lang: str
    text: str
    block: BlockKind
    source: str
    span: list[int]
    para: int | None = None
    spans: list[list[int]] | None = None
    orig_text: str | None = None
    facts: list[Fact] | None = None


@dataclass
class BeadMember:
    """One document's side of a bead."""

    doc_id: str
    lang: str
    sentence_ids: list[str]
    text: str


@dataclass
class SharedFact:
    """A fact of a bead's first member that its other member states too (type and value)."""

    type: FactType
    value: Any
    number: float | None = None
    currency: str | None = None

    def __post_init__(self) -> None:
        _settle_value(self, self.type in _NUMERIC_TYPES)


@dataclass
class Bead:
    """Output of `align`: sentences of several documents that say the same thing."""

    id: str
    method: BeadMethod
    score: float
    members: list[BeadMember]
    shared_facts: list[SharedFact] = field(default_factory=list)


@dataclass
class DiffValue:
    """One member's value of a compared fact, with its provenance."""

    doc_id: str
    lang: str
    value: Any
    surface: str | None
    span: list[int] | None
    number: float | None = None
    currency: str | None = None

    def __post_init__(self) -> None:
        # no type here (a diff may pair a date with a year): `number` says the text is numeric
        _settle_value(self, self.number is not None)


@dataclass
class Diff:
    """Output of `diff`: one fact compared across the members of a bead.

    `id` is `{bead}#{n}`: the bead's (or document pair's) n-th record. `kind` says which
    agreement (`same`, `granularity`, `unit`), conflict (`value`, `event`, `temporal`) or
    gap (`absent`) it is."""

    id: str
    bead: str
    type: FactType
    status: DiffStatus
    kind: DiffKind
    reason: str
    values: list[DiffValue]


@dataclass
class Detection:
    """Output of `detect`: what a file is, before normalization."""

    source: str
    format: Format
    script: str
    lang: str
    langs: dict[str, float]


RECORD_TYPES: dict[str, type] = {
    "document": Document,
    "sentence": Sentence,
    "bead": Bead,
    "diff": Diff,
    "detection": Detection,
}


# One JSON type per field (schema version 3), so that readers that give each field one type
# (Arrow, and through it pandas, Polars, DuckDB, Hugging Face datasets) load every output.
# In memory a fact value stays what the extractors and the diff compute with: an int or float
# for year, number and percent, {"amount", "currency"} for money, a string for the rest. In
# JSON it is always its canonical text, and a numeric value also gets a float `number` (money
# its `currency`). Reading back, a text with a `number` beside it is numeric again: a diff
# may compare a date with a year, so a value's kind is read from the value, not the diff.

_NUMERIC_TYPES = frozenset({"year", "number", "percent", "money"})


def number_text(n: int | float) -> str:
    """The shortest exact decimal text of a number, without exponent: 5, 2.5, 0.00001.

    A float keeps a decimal point (5.0), so that the text reads back as the same type.
    """
    if type(n) is int:
        return str(n)
    if not math.isfinite(n):
        raise ValueError(f"a fact value must be a finite number, not {n!r}")
    text = format(Decimal(repr(float(n))), "f")
    return text if "." in text else text + ".0"


def value_text(value: Any) -> str | None:
    """The canonical JSON text of an in-memory fact value (None stays None).

    Numbers as `number_text`, money as "AMOUNT CUR", strings (dates, year ranges, entity
    names) as they are.
    """
    if value is None or type(value) is str:
        return value
    if isinstance(value, dict):
        currency = value.get("currency")
        if not currency or " " in currency:  # the text would read back as another value
            raise ValueError(f"money needs a currency code: {value!r}")
        return f"{number_text(value['amount'])} {currency}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value)
    raise TypeError(f"a fact value must be a string, number or money, not {value!r}")


_NUMBER_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _number(text: str) -> int | float:
    if not _NUMBER_TEXT.fullmatch(text):
        raise ValueError(f"not a number: {text!r}")
    return float(text) if "." in text else int(text)


def value_from_text(text: str | None, numeric: bool) -> Any:
    """The in-memory value of a JSON value text (the inverse of `value_text`).

    A numeric text is an int, a float (with a decimal point) or, with a currency after a
    space, money; any other text is the value itself. ValueError when a numeric text is none
    of these.
    """
    if not numeric or type(text) is not str:  # None, or a version-2 number or money object
        return text
    amount, space, currency = text.partition(" ")
    if space:
        if not currency or " " in currency:
            raise ValueError(f"not an amount and a currency: {text!r}")
        return {"amount": _number(amount), "currency": currency}
    return _number(text)


def _settle_value(record: Any, numeric: bool) -> None:
    """Fact, SharedFact, DiffValue: the value in memory form (`numeric`: a numeric text read
    back from JSON), `number` and `currency` derived from it."""
    value = record.value
    if numeric and type(value) is str:
        value = record.value = value_from_text(value, True)
    if isinstance(value, dict):
        amount = value.get("amount")
        record.number = None if amount is None else float(amount)
        record.currency = value.get("currency")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        record.number, record.currency = float(value), None
    else:
        record.number = record.currency = None


# Document.metadata: maps whose keys are data (infobox parameter names, conversion variants)
# are written as lists of {"key", "value"} pairs, since Arrow would make a struct field of
# every key ever seen (and readers that fold case would see two keys differing in case as one).


def _pairs(mapping: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": k, "value": v} for k, v in mapping.items()]


def _unpairs(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    return {p["key"]: p["value"] for p in pairs}


def metadata_json(metadata: dict[str, Any]) -> dict[str, Any]:
    """Document.metadata in its JSON form (see the comment above)."""
    infobox, conversion = metadata.get("infobox"), metadata.get("conversion")
    if not isinstance(infobox, dict) and not isinstance(conversion, dict):
        return metadata
    out = dict(metadata)
    if isinstance(infobox, dict):
        out["infobox"] = _pairs(infobox)
    if isinstance(conversion, dict) and "rules" in conversion:
        out["conversion"] = {**conversion, "rules": [_pairs(r) for r in conversion["rules"]]}
    return out


def metadata_from_json(data: dict[str, Any]) -> dict[str, Any]:
    """The inverse of `metadata_json` (a copy, as `from_dict` copies lists)."""
    out = dict(data)
    if isinstance(out.get("infobox"), list):
        out["infobox"] = _unpairs(out["infobox"])
    conversion = out.get("conversion")
    if isinstance(conversion, dict) and isinstance(conversion.get("rules"), list):
        out["conversion"] = {**conversion, "rules": [_unpairs(r) for r in conversion["rules"]]}
    return out


# Fields whose JSON form differs from their memory form: the writer applies the encoder,
# and the schema describes the JSON form.
_ENCODERS: dict[tuple[type, str], Any] = {
    (Fact, "value"): value_text,
    (SharedFact, "value"): value_text,
    (DiffValue, "value"): value_text,
    (Document, "metadata"): metadata_json,
}
ENCODED_FIELDS = frozenset(_ENCODERS)  # (class, field name): written in another form than held
# The readers' inverses (Fact, SharedFact and DiffValue read their value in __post_init__).
_DECODERS: dict[tuple[type, str], Any] = {(Document, "metadata"): metadata_from_json}

_STRING = {"type": "string"}
_PAIR_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"key": _STRING, "value": _STRING},
        "required": ["key", "value"],
        "additionalProperties": False,
    },
}
_VALUE_TEXT = {
    "type": "string",
    "description": "canonical text: 5, 2.5, 2007-04-26, 2000/2099, 400000000 USD, Kazakhstan",
}
_SPAN_LIST = {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}}
_FIELD_SCHEMAS: dict[tuple[type, str], dict[str, Any]] = {
    # an OffsetMap in memory, its spans as lists in JSON
    (Document, "spans"): _SPAN_LIST,
    (Document, "orig_spans"): {"anyOf": [_SPAN_LIST, {"type": "null"}]},
    (Fact, "value"): _VALUE_TEXT,
    (SharedFact, "value"): _VALUE_TEXT,
    (DiffValue, "value"): {"anyOf": [_VALUE_TEXT, {"type": "null"}]},
    (Document, "metadata"): {
        "type": "object",
        "properties": {
            "sha256": _STRING,
            "title": _STRING,
            "date": _STRING,
            "degraded": _STRING,
            # a MediaWiki dump page (kzkg_tools/dumps.py)
            "page_id": {"type": "integer"},
            "namespace": {"type": "integer"},
            "revision_id": {"type": "integer"},
            "timestamp": {"anyOf": [_STRING, {"type": "null"}]},
            "wiki": _STRING,
            "categories": {"type": "array", "items": _STRING},
            "infobox": _PAIR_LIST,
            # Markdown front matter (normalize/frontmatter.py): flattened keys, text values
            "front_matter": _PAIR_LIST,
            "conversion": {
                "type": "object",
                "properties": {
                    "groups": {"type": "array", "items": _STRING},
                    "rules": {"type": "array", "items": _PAIR_LIST},
                },
                "additionalProperties": False,
            },
            "footnotes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "n": {"type": "integer"},
                        "text": _STRING,
                        "span": {"type": "array", "items": {"type": "integer"}},
                    },
                    "required": ["n", "text", "span"],
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": True,
    },
}


# Serialization is on the path of every stage (each record written, phase 2 reading the
# sentences back), so each record class gets its converters generated once from its
# fields and type hints instead of walking dataclasses.fields() and typing per value.

_SCALARS = (str, int, float, bool, type(None))


def to_dict(record: Any) -> Any:
    """The JSON form of a record: dataclass fields in order, None-valued optionals left out."""
    kind = type(record)
    if kind in _SCALARS:
        return record
    if kind is list or kind is tuple:
        # offset maps are lists of lists of ints: the inner lists are copied without a call
        return [
            v
            if type(v) in _SCALARS
            else [x if type(x) in _SCALARS else to_dict(x) for x in v]
            if type(v) is list
            else to_dict(v)
            for v in record
        ]
    if kind is OffsetMap:
        return record.as_lists()
    if kind is Blocks:
        return [to_dict(b) for b in record]
    convert = _to_dict_of(kind)
    if convert is not None:
        return convert(record)
    if isinstance(record, (list, tuple)):
        return [v if type(v) in _SCALARS else to_dict(v) for v in record]
    if isinstance(record, dict):
        return {k: v if type(v) in _SCALARS else to_dict(v) for k, v in record.items()}
    return record


def dumps(record: Any) -> str:
    """One JSONL line (without the newline): UTF-8 text, not ASCII escapes.

    The same text as `json.dumps(to_dict(record), …)`: the encoder meets each dataclass
    through `default` and takes the field values as they are, so lists and dicts are not
    copied first. When orjson is installed it writes the line, the same text, for a record
    that holds no float (`_loose_fields`); a value orjson refuses (an int beyond 64 bits, a
    lone surrogate) goes to `json`, which writes it or says why not. Each record class gets
    its writer generated once (`_line_writer`): a stage writes millions of short sentences.
    """
    kind = type(record)
    writer = _WRITERS.get(kind)
    if writer is None:
        writer = _WRITERS[kind] = _line_writer(kind)
    return writer(record)


_WRITERS: dict[type, Any] = {}


def _line_writer(cls: type) -> Any:
    """`dumps` for records of type `cls`: orjson on the record's field dict while its loose
    fields are empty (`_filled`, tested inline), `json` otherwise or when orjson refuses."""
    loose = _loose_fields(cls) if orjson is not None else None
    if loose is None:
        return _ENCODER.encode
    empty = " and ".join(
        f"((v := r.{name}) is None or (type(v) in (list, dict) and not v))" for name in loose
    )
    source = "\n".join(
        [
            "def write(r):",
            f"    if {empty or 'True'}:",
            "        try:",
            "            return _dumps(_convert(r), default=_default, option=_OPTIONS).decode()",
            "        except (TypeError, ValueError):  # orjson.JSONEncodeError is a TypeError",
            "            pass",
            "    return _encode(r)",
        ]
    )
    env = {
        "_dumps": orjson.dumps,
        "_convert": _fields_of(cls),
        "_default": _fields_dict,
        "_OPTIONS": _ORJSON_OPTIONS,
        "_encode": _ENCODER.encode,
    }
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<records: write {cls.__name__}>", "exec"), env, namespace)
    return namespace["write"]


#: Dataclasses reach `_fields_dict`, which leaves out None-valued optionals, as `json` sees them.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS if orjson is not None else 0


def _filled(value: Any) -> bool:
    """Whether a field value may hold a float: anything but None and an empty list or dict."""
    return value is not None and not (type(value) in (list, dict) and not value)


@functools.cache
def _loose_fields(cls: type) -> tuple[str, ...] | None:
    """The fields of dataclass `cls` that may hold a float or a value of unknown type (None
    for any other type). orjson writes floats differently from `json` (`0.00001` for `1e-05`,
    `null` for NaN), so `dumps` gives it only records whose loose fields are empty."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(name for name, tp in _hints(cls).items() if _may_hold_float(tp, {cls}))


def _may_hold_float(tp: Any, seen: set[type]) -> bool:
    """Whether a value of type `tp` may be or contain a float (Any, dict: it may)."""
    if tp in (str, int, bool, type(None), OffsetMap):
        return False
    origin = typing.get_origin(tp)
    if origin is Literal:
        return not all(type(a) in (str, int, bool) for a in typing.get_args(tp))
    if origin in (Union, types.UnionType, list, tuple):
        return any(a is not Ellipsis and _may_hold_float(a, seen) for a in typing.get_args(tp))
    if dataclasses.is_dataclass(tp):
        if tp in seen:  # a class nesting itself adds nothing new
            return False
        return any(_may_hold_float(t, seen | {tp}) for t in _hints(tp).values())
    return True


def _fields_dict(record: Any) -> Any:
    """A dataclass as a dict of its field values, None-valued optionals left out (not nested);
    an offset map as its lists."""
    if type(record) is OffsetMap:
        return record.as_lists()
    if type(record) is Blocks:
        return list(record)
    convert = _fields_of(type(record))
    if convert is None:
        raise TypeError(f"Object of type {type(record).__name__} is not JSON serializable")
    return convert(record)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_fields_dict)

#: Characters of a long string, items of a long list and spans of an offset map that
#: `json_pieces` encodes at a time: a piece of some 64 KB of JSON.
PIECE_CHARS = 1 << 16
PIECE_ITEMS = 1024
PIECE_SPANS = 2048


def json_pieces(record: Any) -> Iterator[str]:
    """The JSONL line of a record (`dumps`, the same text) in pieces of bounded size.

    A Document of one long line may carry a 100 MB text and millions of spans and blocks:
    `dumps` would hold its whole line as one string, and its spans as lists first. Here the
    top-level fields are written one by one, long strings, lists and offset maps a slice at a
    time, so what is held beside the record is one piece."""
    encode = _ENCODER.encode
    yield "{"
    for n, (key, value) in enumerate(_fields_dict(record).items()):
        yield f"{',' if n else ''}{encode(key)}:"
        if type(value) is OffsetMap:
            yield from value.json_chunks(PIECE_SPANS)
        elif type(value) is Blocks:
            yield from value.json_chunks(PIECE_ITEMS)
        elif type(value) is str and len(value) > PIECE_CHARS:
            # JSON escapes character by character, so slices encode to the whole's text
            yield '"'
            for i in range(0, len(value), PIECE_CHARS):
                yield encode(value[i : i + PIECE_CHARS])[1:-1]
            yield '"'
        elif type(value) is list and len(value) > PIECE_ITEMS:
            yield "["
            for i in range(0, len(value), PIECE_ITEMS):
                yield ("," if i else "") + encode(value[i : i + PIECE_ITEMS])[1:-1]
            yield "]"
        else:
            yield encode(value)
    yield "}"


def _dict_source(cls: type, value: str) -> str:
    """Source of a function building the JSON object of `cls`; `value` wraps each field.

    A field with an encoder (`_ENCODERS`) is read as `_encode_NAME(r.NAME)`.
    """
    lines = ["def convert(r):", "    d = {}"]
    for f in dataclasses.fields(cls):
        read = f"r.{f.name}"
        if (cls, f.name) in _ENCODERS:
            read = f"_encode_{f.name}({read})"
        if f.default is None:  # an optional field: left out when None
            lines += [f"    v = {read}", f"    if v is not None: d[{f.name!r}] = {value}"]
        else:
            lines.append(f"    v = {read}; d[{f.name!r}] = {value}")
    lines.append("    return d")
    return "\n".join(lines)


def _generated(cls: type, source: str, env: dict[str, Any]) -> Any:
    namespace: dict[str, Any] = {}
    encoders = {f"_encode_{name}": fn for (c, name), fn in _ENCODERS.items() if c is cls}
    exec(compile(source, f"<records: {cls.__name__}>", "exec"), {**env, **encoders}, namespace)
    return namespace["convert"]


@functools.cache
def _to_dict_of(tp: type) -> Any:
    """The generated `to_dict` of a dataclass type (None for any other type)."""
    if not dataclasses.is_dataclass(tp):
        return None
    value = "v if type(v) in _SCALARS else to_dict(v)"
    return _generated(tp, _dict_source(tp, value), {"_SCALARS": _SCALARS, "to_dict": to_dict})


@functools.cache
def _fields_of(tp: type) -> Any:
    """The generated shallow field dict of a dataclass type (None for any other type)."""
    if not dataclasses.is_dataclass(tp):
        return None
    return _generated(tp, _dict_source(tp, "v"), {})


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _read_expr(tp: Any, var: str, env: dict[str, Any], depth: int = 0) -> str | None:
    """Source of an expression rebuilding the non-None value `var` of type `tp` from its JSON
    form, or None if it is taken as is.

    Nested dataclasses, lists of them, optionals; a list is copied item by item (None items
    stay None). A nested dataclass's reader is looked up per value: a class may nest itself.
    """
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _read_expr(args[0], var, env, depth) if len(args) == 1 else None
    if dataclasses.is_dataclass(tp):
        name = f"_read_{tp.__name__}"
        env[name] = lambda value, tp=tp: _reader(tp)(value)
        return f"{name}({var})"
    if origin is list:
        (item,) = typing.get_args(tp)
        x = f"x{depth}"
        inner = _read_expr(item, x, env, depth + 1)
        if inner is None:
            return f"list({var})"
        return f"[None if {x} is None else {inner} for {x} in {var}]"
    return None


def _unknown_field(cls: type, names: frozenset[str], data: dict[str, Any]) -> None:
    unknown = sorted(set(data) - names)
    raise ValueError(f"unknown field {unknown[0]!r} for {cls.__name__}")


@functools.cache
def _reader(cls: type) -> Any:
    """The generated function building a record of dataclass `cls` from its JSON form: every
    record a stage reads goes through it (millions of short sentences), so the fields' types
    are looked at once, not per value."""
    env: dict[str, Any] = {
        "_cls": cls,
        "_names": frozenset(_hints(cls)),
        "_unknown": _unknown_field,
    }
    lines = [
        "def read(data):",
        "    if not _names.issuperset(data):",
        "        _unknown(_cls, _names, data)",
        "    kwargs = dict(data)",
    ]
    for name, tp in _hints(cls).items():
        decoder = _DECODERS.get((cls, name))
        if decoder is not None:
            env[f"_decode_{name}"] = decoder
            expr: str | None = f"_decode_{name}(v)"
        else:
            expr = _read_expr(tp, "v", env)
        if expr is not None:
            lines += [
                f"    v = kwargs.get({name!r})",
                f"    if v is not None: kwargs[{name!r}] = {expr}",
            ]
    lines.append("    return _cls(**kwargs)")
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), f"<records: read {cls.__name__}>", "exec"), env, namespace)
    return namespace["read"]


def from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Build a record of type `cls` from its JSON form; unknown keys are an error."""
    return _reader(cls)(data)


def json_schema(cls: type) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for a record class, generated from its type hints."""
    defs: dict[str, Any] = {}
    _schema_for(cls, defs)  # fills defs, the root class among them
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://kzkg-tools.invalid/schema/{cls.__name__.lower()}.json",
        "title": cls.__name__,
        "description": (cls.__doc__ or "").strip().splitlines()[0],
    }
    schema.update(defs.pop(cls.__name__))
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


def _schema_for(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if tp is Any:
        return {}
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if origin is Literal:
        return {"enum": list(typing.get_args(tp))}
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = (
            _schema_for(args[0], defs)
            if len(args) == 1
            else {"anyOf": [_schema_for(a, defs) for a in args]}
        )
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is list:
        (item,) = typing.get_args(tp)
        return {"type": "array", "items": _schema_for(item, defs)}
    if origin is dict:
        _, val = typing.get_args(tp)
        return {"type": "object", "additionalProperties": _schema_for(val, defs)}
    if dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            hints = _hints(tp)
            props = {
                f.name: _FIELD_SCHEMAS.get((tp, f.name)) or _schema_for(hints[f.name], defs)
                for f in dataclasses.fields(tp)
            }
            required = [
                f.name
                for f in dataclasses.fields(tp)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            ]
            defs[name] = {
                "type": "object",
                "properties": props,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema mapping for {tp!r}")


def write_schemas(directory: str) -> list[str]:
    """Write one schema file per record type into `directory`; returns the paths."""
    from pathlib import Path

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, cls in RECORD_TYPES.items():
        path = out / f"{name}.json"
        path.write_text(
            json.dumps(json_schema(cls), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        paths.append(str(path))
    return paths


if __name__ == "__main__":
    import sys

    for p in write_schemas(sys.argv[1] if len(sys.argv) > 1 else "docs/schema"):
        print(p)
