"""The record dataclasses: the contract between commands and for downstream tools.

Field names and order follow DESIGN.md; JSON objects are written in field
order, with optional fields left out when they are None, so output is
byte-stable. `docs/schema/*.json` is generated from these classes
(`python -m kzkg_tools.records docs/schema`), and a test fails when it drifts.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Union

BlockKind = Literal["heading", "paragraph", "list_item", "footnote", "caption", "table"]
Format = Literal["wikitext", "markdown", "pdf-text", "plain"]
FactType = Literal["date", "year", "year_range", "number", "money", "percent", "entity"]
EntitySubtype = Literal["country", "city", "region", "place", "person", "org", "treaty", "other"]
BeadMethod = Literal["parallel", "comparable"]
DiffStatus = Literal["agree", "conflict", "missing"]


@dataclass
class Block:
    """A range of a Document's text with its kind and language."""

    start: int
    end: int
    kind: BlockKind
    lang: str


@dataclass
class Document:
    """Output of `normalize`: one source file as clean text with an offset map back to it.

    A transliterated document (kk-Arab source) has `text` in Cyrillic, `orig_text` in the
    source script and `orig_spans`, an offset map from `text` to `orig_text`; `spans` still
    map `text` to the source file.
    """

    id: str
    source: str
    format: Format
    lang: str
    text: str
    blocks: list[Block] = field(default_factory=list)
    spans: list[list[int]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    orig_lang: str | None = None
    orig_text: str | None = None
    orig_spans: list[list[int]] | None = None


@dataclass
class Fact:
    """One mention of a date, number, amount, percent or named entity (see FACTS.md)."""

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


@dataclass
class Sentence:
    """Output of `segment` (and of `facts`, which fills `facts`).

    `span` is the source range of the whole sentence; `spans` is the sentence's
    own offset map (as in Document, text offsets relative to this sentence), so
    later stages can map any part of `text` back to the source file alone.
    """

    id: str
    doc_id: str
    n: int
    lang: str
    text: str
    block: BlockKind
    source: str
    span: list[int]
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
class Bead:
    """Output of `align`: sentences of several documents that say the same thing."""

    id: str
    method: BeadMethod
    score: float
    members: list[BeadMember]
    shared_facts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DiffValue:
    """One member's value of a compared fact, with its provenance."""

    doc_id: str
    lang: str
    value: Any
    surface: str | None
    span: list[int] | None


@dataclass
class Diff:
    """Output of `diff`: one fact compared across the members of a bead."""

    bead: str
    type: FactType
    status: DiffStatus
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


def to_dict(record: Any) -> Any:
    """The JSON form of a record: dataclass fields in order, None-valued optionals left out."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        out = {}
        for f in dataclasses.fields(record):
            value = getattr(record, f.name)
            if value is None and f.default is None:
                continue
            out[f.name] = to_dict(value)
        return out
    if isinstance(record, (list, tuple)):
        return [to_dict(v) for v in record]
    if isinstance(record, dict):
        return {k: to_dict(v) for k, v in record.items()}
    return record


def dumps(record: Any) -> str:
    """One JSONL line (without the newline): UTF-8 text, not ASCII escapes."""
    return json.dumps(to_dict(record), ensure_ascii=False, separators=(",", ":"))


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(tp: Any, value: Any) -> Any:
    """Rebuild a typed value from its JSON form (nested dataclasses, lists, optionals)."""
    origin = typing.get_origin(tp)
    if value is None:
        return None
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(args[0], value) if len(args) == 1 else value
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_build(item, v) for v in value]
    return value


def from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Build a record of type `cls` from its JSON form; unknown keys are an error."""
    hints = _hints(cls)
    unknown = set(data) - set(hints)
    if unknown:
        raise ValueError(f"unknown field {sorted(unknown)[0]!r} for {cls.__name__}")
    return cls(**{k: _build(hints[k], v) for k, v in data.items()})


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
            props = {f.name: _schema_for(hints[f.name], defs) for f in dataclasses.fields(tp)}
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
