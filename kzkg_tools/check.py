"""Validation of JSONL records against the JSON Schemas generated from `records.py`.

jsonschema is used rather than hand-written checks because it reports the exact
path of the failing field (`blocks[0].kind`) for any schema we generate.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from kzkg_tools.errors import InputError
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


class CheckRun:
    """`check_records` as a data check: iterating yields each problem line, and counts.

    `total` and `invalid` count the records seen so far; `failure` is the check's verdict
    once the iteration is done.
    """

    def __init__(
        self, records: Iterable[tuple[str, int, dict[str, Any]]], record_type: str = "auto"
    ) -> None:
        self._records = records
        self.record_type = record_type
        self.total = 0
        self.invalid = 0

    def __iter__(self) -> Iterator[str]:
        self.total = self.invalid = 0  # a second iteration counts afresh
        for problem in check_records(self._records, self.record_type):
            self.total += 1
            if problem is not None:
                self.invalid += 1
                yield problem

    @property
    def failure(self) -> str | None:
        """Why the check failed (`3 of 10 records invalid`), or None when every record is valid."""
        return f"{self.invalid} of {self.total} records invalid" if self.invalid else None
