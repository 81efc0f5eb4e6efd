"""Validation of JSONL records against the JSON Schemas generated from `records.py`.

jsonschema is used rather than hand-written checks because it reports the exact
path of the failing field (`blocks[0].kind`) for any schema we generate.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from kzkg_tools import SCHEMA_VERSION
from kzkg_tools.errors import InputError
from kzkg_tools.io import Source, iter_lines, parse_json_line
from kzkg_tools.records import RECORD_TYPES, from_dict, json_schema

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


def guess_type(obj: dict[str, Any], among: Collection[str] | None = None) -> str | None:
    """The record type a JSON object looks like, from its distinctive fields.

    With `among`, only those types are considered: a field telling another type apart
    (a diff's `bead`) does not hide the one that tells an allowed type (a sentence's `doc_id`).
    """
    for key, name in _MARKERS:
        if key in obj and (among is None or name in among):
            return name
    return None


def read_records(
    objects: Iterable[tuple[str, int, dict[str, Any]]], types: Sequence[str]
) -> Iterator[tuple[str, int, Any]]:
    """(path, line, record) for JSON objects of mixed record types (names in RECORD_TYPES),
    each built as the type its fields show (`kzkg diff` reads beads and sentences so).

    Raises InputError naming the file and line of an object that is none of `types`, or
    does not fit the type it looks like.
    """
    for path, lineno, obj in objects:
        name = guess_type(obj, types)
        if name is None:
            raise InputError(f"{path}:{lineno}: not a {' or '.join(types)} record")
        cls = RECORD_TYPES[name]
        try:
            yield path, lineno, from_dict(cls, obj)
        except (TypeError, ValueError) as err:
            raise InputError(f"{path}:{lineno}: not a {cls.__name__} record ({err})") from None


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


MANIFEST = "manifest.json"
# What a run's manifest must hold for a reader to know what made the records, by type.
MANIFEST_FIELDS: dict[str, type] = {
    "kzkg_version": str,
    "schema_version": str,
    "options": dict,
    "inputs": list,
    "counts": dict,
}


def check_manifest(source: Source) -> str | None:
    """None for a valid run manifest (`OUT/manifest.json`), else the problem line."""
    text = "\n".join(line for _, line in iter_lines(source))
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        return f"{source.name}:{err.lineno}:{err.colno}: invalid JSON ({err.msg})"
    except RecursionError:
        return f"{source.name}: nested too deep"
    if not isinstance(obj, dict):
        return f"{source.name}:1: (record): expected a JSON object (manifest)"
    for key, kind in MANIFEST_FIELDS.items():
        if not isinstance(obj.get(key), kind):
            return f"{source.name}: {key}: missing or not a {kind.__name__} (manifest)"
    if obj["schema_version"] != SCHEMA_VERSION:
        return (
            f"{source.name}: schema_version: {obj['schema_version']!r}, this kzkg checks "
            f"{SCHEMA_VERSION!r} (docs/records.md says what changed) (manifest)"
        )
    return None


def checked_lines(
    sources: Iterable[Source],
) -> Iterator[tuple[str, int, dict[str, Any] | None, str | None]]:
    """(path, line, object, None) per JSONL record of the inputs, or (path, line, None,
    problem) for a line that is no JSON object, where `io.iter_json` would stop: a check
    reports every bad line and goes on. A run folder's `manifest.json` is checked whole."""
    for source in sources:
        if os.path.basename(source.path) == MANIFEST:
            yield source.name, 1, None, check_manifest(source)
            continue
        for lineno, line in iter_lines(source):
            if not line.strip():
                continue
            try:
                obj = parse_json_line(source.name, lineno, line)
            except InputError as err:
                yield source.name, lineno, None, err.format_message()
                continue
            yield source.name, lineno, obj, None


def check_sources(sources: Iterable[Source], record_type: str = "auto") -> Iterator[str | None]:
    """`check_records` over files and run folders: malformed lines and the manifest are
    checked too, each one result (None when valid)."""
    for path, lineno, obj, problem in checked_lines(sources):
        if obj is None:
            yield problem
        else:
            yield from check_records([(path, lineno, obj)], record_type)


class CheckRun:
    """`check_records` as a data check: iterating yields each problem line, and counts.

    `total` and `invalid` count the records seen so far; `failure` is the check's verdict
    once the iteration is done. `CheckRun.of_sources` checks files and run folders
    (`check_sources`).
    """

    def __init__(
        self, records: Iterable[tuple[str, int, dict[str, Any]]], record_type: str = "auto"
    ) -> None:
        self._results: Callable[[], Iterable[str | None]] = lambda: check_records(
            records, record_type
        )
        self.record_type = record_type
        self.total = 0
        self.invalid = 0

    @classmethod
    def of_sources(cls, sources: Iterable[Source], record_type: str = "auto") -> CheckRun:
        run = cls((), record_type)
        run._results = lambda: check_sources(sources, record_type)
        return run

    def __iter__(self) -> Iterator[str]:
        self.total = self.invalid = 0  # a second iteration counts afresh
        for problem in self._results():
            self.total += 1
            if problem is not None:
                self.invalid += 1
                yield problem

    @property
    def failure(self) -> str | None:
        """Why the check failed (`3 of 10 records invalid`), or None when every record is valid."""
        return f"{self.invalid} of {self.total} records invalid" if self.invalid else None
