"""`kzkg export --format parquet`: one Parquet table per output of a run folder (extra `parquet`).

Tables (`DIR/NAME.parquet`): `documents`, `sentences` (without their facts), `facts` (one row
per fact, with `sentence_id` and `doc_id` first), `aligned` and `diff`. Columns are the
records' JSON fields (docs/records.md) with Arrow types derived from `kzkg_tools.records`, so
every run gives the same schema, an empty run included. `arrow_schema` gives the same types
for reading the JSONL outputs with `pyarrow.json.read_json(…, parse_options=…)`.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal, Union

from kzkg_tools import records
from kzkg_tools.errors import KzkgError, OutputError
from kzkg_tools.offsets import OffsetMap
from kzkg_tools.records import Bead, Diff, Document, Fact, Sentence

TABLES = ("documents", "sentences", "facts", "aligned", "diff")

# The JSONL record type of each output name (`arrow_schema`).
RECORDS: dict[str, type] = {
    "documents": Document,
    "sentences": Sentence,
    "aligned": Bead,
    "diff": Diff,
}


def _pa() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise KzkgError(
            "--format parquet needs pyarrow: pip install 'kzkg_tools[parquet]'"
        ) from None
    return pyarrow


def _pair_list(pa: Any) -> Any:
    return pa.list_(pa.struct([("key", pa.string()), ("value", pa.string())]))


def _metadata_type(pa: Any) -> Any:
    """Document.metadata's known keys (records._FIELD_SCHEMAS); other keys are added per run."""
    return pa.struct(
        [
            ("sha256", pa.string()),
            ("title", pa.string()),
            ("date", pa.string()),
            ("degraded", pa.string()),
            ("page_id", pa.int64()),
            ("namespace", pa.int64()),
            ("revision_id", pa.int64()),
            ("timestamp", pa.string()),
            ("wiki", pa.string()),
            ("categories", pa.list_(pa.string())),
            ("infobox", _pair_list(pa)),
            ("front_matter", _pair_list(pa)),
            (
                "conversion",
                pa.struct([("groups", pa.list_(pa.string())), ("rules", pa.list_(_pair_list(pa)))]),
            ),
            (
                "footnotes",
                pa.list_(
                    pa.struct(
                        [("n", pa.int64()), ("text", pa.string()), ("span", pa.list_(pa.int64()))]
                    )
                ),
            ),
        ]
    )


def _arrow_type(pa: Any, owner: type, name: str, tp: Any) -> Any:
    """The Arrow type of field `name` of `owner`, of type hint `tp`, in its JSON form."""
    if (owner, name) in records.ENCODED_FIELDS:  # written in another form than held (records.py)
        return _metadata_type(pa) if owner is Document else pa.string()
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        # an OffsetMap in memory is written as its lists (Document.spans): the list type
        (inner,) = [a for a in typing.get_args(tp) if a not in (type(None), OffsetMap)]
        return _arrow_type(pa, owner, name, inner)
    if tp is str or origin is Literal:
        return pa.string()
    if tp is bool:
        return pa.bool_()
    if tp is int:
        return pa.int64()
    if tp is float:
        return pa.float64()
    if origin is list:
        (item,) = typing.get_args(tp)
        return pa.list_(_arrow_type(pa, owner, name, item))
    if dataclasses.is_dataclass(tp):
        return pa.struct(_fields(pa, tp))
    raise TypeError(f"no Arrow type for {owner.__name__}.{name}: {tp!r}")


def _fields(pa: Any, cls: type) -> list[Any]:
    hints = typing.get_type_hints(cls)
    return [
        pa.field(f.name, _arrow_type(pa, cls, f.name, hints[f.name]), nullable=True)
        for f in dataclasses.fields(cls)
    ]


def arrow_schema(name: str) -> Any:
    """The Arrow schema of a run's JSONL output (`documents`, `sentences`, `aligned`, `diff`):
    what `pyarrow.json.read_json` should read it as, dates kept as text."""
    return _pa().schema(_fields(_pa(), RECORDS[name]))


def _table_schema(name: str) -> Any:
    pa = _pa()
    if name == "facts":
        ids = [pa.field("sentence_id", pa.string()), pa.field("doc_id", pa.string())]
        return pa.schema(ids + _fields(pa, Fact))
    schema = arrow_schema(name)
    return schema.remove(schema.get_field_index("facts")) if name == "sentences" else schema


def _with_extra_metadata(schema: Any, rows: list[dict[str, Any]]) -> Any:
    """The documents schema with metadata keys it does not know, typed from this run's values."""
    pa = _pa()
    i = schema.get_field_index("metadata")
    known = schema.field(i).type
    names = {known.field(j).name for j in range(known.num_fields)}
    extra = sorted({k for r in rows for k in r.get("metadata", {})} - names)
    if not extra:
        return schema
    fields = [known.field(j) for j in range(known.num_fields)]
    for key in extra:
        values = [r.get("metadata", {}).get(key) for r in rows]
        fields.append(pa.field(key, pa.array(values).type))
    return schema.set(i, pa.field("metadata", pa.struct(fields)))


def table(name: str, rows: Iterable[dict[str, Any]]) -> Any:
    """An Arrow table of JSON-form rows (`records.to_dict`) of table `name`, all in memory."""
    pa = _pa()
    rows = list(rows)
    schema = _table_schema(name)
    if name == "documents":
        schema = _with_extra_metadata(schema, rows)
    return pa.Table.from_pylist(rows, schema=schema)


# Rows per Parquet row group: a table is written a group at a time, so memory stays bounded
# on large runs, and groups of this size still compress well and let readers skip groups.
BATCH_ROWS = 10_000


def _write_table(run: Any, name: str, path: Path) -> None:
    pa = _pa()
    import pyarrow.parquet as pq

    schema = _table_schema(name)
    if name == "documents":  # a first pass for metadata keys this package does not know
        metas = [{"metadata": records.to_dict(d)["metadata"]} for d in run.documents()]
        schema = _with_extra_metadata(schema, metas)
    rows = iter(_rows(run, name))
    with pq.ParquetWriter(path, schema) as writer:
        while batch := list(itertools.islice(rows, BATCH_ROWS)):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def _rows(run: Any, name: str) -> Iterable[dict[str, Any]]:
    if name == "documents":
        return (records.to_dict(d) for d in run.documents())
    if name == "aligned":
        return (records.to_dict(b) for b in run.beads())
    if name == "diff":
        return (records.to_dict(d) for d in run.diffs())
    sentences = (records.to_dict(s) for s in run.sentences())
    if name == "sentences":
        return ({k: v for k, v in s.items() if k != "facts"} for s in sentences)
    return (
        {"sentence_id": s["id"], "doc_id": s["doc_id"], **f}
        for s in sentences
        for f in s.get("facts") or ()
    )


def write_parquet(run: Any, directory: str) -> list[str]:
    """Write `DIR/NAME.parquet` for each of `TABLES` from a run folder; returns the paths.

    Each file goes to a temporary name first and all are renamed into place only when every
    table is written, so a failed export leaves the folder's earlier tables as they were.
    """
    pa = _pa()
    out = Path(directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{directory}: cannot create the folder ({err.strerror})") from None
    done: list[tuple[Path, Path]] = []
    try:
        for name in TABLES:
            path = out / f"{name}.parquet"
            tmp = out / f".{name}.parquet.tmp"
            done.append((tmp, path))
            try:
                _write_table(run, name, tmp)
            except (OSError, pa.ArrowException) as err:
                raise OutputError(f"{path}: cannot write ({err})") from None
        for tmp, path in done:
            os.replace(tmp, path)
    finally:
        for tmp, _ in done:
            tmp.unlink(missing_ok=True)
    return [str(path) for _, path in done]
