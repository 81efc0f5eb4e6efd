"""Validation of JSONL records against the JSON Schemas generated from `records.py`.

jsonschema is used rather than hand-written checks because it reports the exact
path of the failing field (`blocks[0].kind`) for any schema we generate.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from kzkg_tools.records import RECORD_TYPES, json_schema

# A field that only one record type has, to guess the type of a line.
_MARKERS = [
    ("members", "bead"),
    ("bead", "diff"),
    ("doc_id", "sentence"),
    ("langs", "detection"),
    ("spans", "document"),
    ("format", "document"),
]


@cache
def _validator(record_type: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json_schema(RECORD_TYPES[record_type]))


def guess_type(obj: dict[str, Any]) -> str | None:
    """The record type a JSON object looks like, from its distinctive fields."""
    for key, name in _MARKERS:
        if key in obj:
            return name
    return None


def _field_path(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(record)"


def check_records(
    records: Iterable[tuple[str, int, dict[str, Any]]], record_type: str = "auto"
) -> Iterator[str | None]:
    """Yield None for each valid record and one `file:line: field: problem` line per invalid one."""
    for path, lineno, obj in records:
        name = guess_type(obj) if record_type == "auto" else record_type
        if name is None:
            yield f"{path}:{lineno}: (record): not a kzkg record (no known fields)"
            continue
        errors = sorted(_validator(name).iter_errors(obj), key=lambda e: list(e.absolute_path))
        if not errors:
            yield None
            continue
        err = errors[0]
        field = _field_path(err.absolute_path)
        if err.validator == "required":
            field = err.message.split("'")[1] if "'" in err.message else field
        yield f"{path}:{lineno}: {field}: {err.message} ({name} record)"
