"""One reader for the data tables shipped in `kzkg_tools/data/`.

Every table is UTF-8 text (gzip-compressed when its name ends in `.gz`), one record
a line, fields separated by tabs. Blank lines (empty or whitespace only) are skipped,
and so are comment lines, which start with `comment` (`#` unless a caller says
otherwise: the word lists of `data/pdftext/` have none, so a word may start with `#`).
A row with the wrong number of fields is a `TableError` naming the file and the line,
never a silently shortened record.

The readers return plain lists; the callers that build something from a table cache
what they build (`functools.cache` on their builders), so the raw rows are not kept.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

#: The package's data folder; a table is named by its path below it (`facts/lexicon.tsv`).
#: The folder beside this file, as a wheel installs it: `importlib.resources.files` would
#: find the same folder, at the cost of importing importlib.resources (a tenth of a one-line
#: command's start, issue #19).
DATA: Path = Path(__file__).resolve().parent / "data"


class TableError(ValueError):
    """A malformed line of a data table: `str()` is `path:line: what is wrong`."""

    def __init__(self, path: str, line: int | None, message: str):
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line


def _file(relpath: str, root: Traversable | Path | None) -> Traversable | Path:
    return (DATA if root is None else root) / relpath


def _where(relpath: str, root: Traversable | Path | None) -> str:
    """The file as an error names it: relative to the package for shipped tables."""
    return f"kzkg_tools/data/{relpath}" if root is None else str(_file(relpath, root))


def read_text(relpath: str, root: Traversable | Path | None = None) -> str:
    """The whole text of a table (decompressed when its name ends in `.gz`)."""
    data = _file(relpath, root).read_bytes()
    if relpath.endswith(".gz"):
        data = gzip.decompress(data)
    text = data.decode("utf-8")
    # Universal newlines, as text-mode open() reads them.
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _kept(line: str, comment: str | None) -> bool:
    # isspace() rather than strip(): no copy of each line (word lists have 150,000)
    return bool(line) and not line.isspace() and not (comment and line.startswith(comment))


def numbered_lines(
    relpath: str, comment: str | None = "#", root: Traversable | Path | None = None
) -> list[tuple[int, str]]:
    """(line number from 1, line) of every line that is neither blank nor a comment."""
    lines = read_text(relpath, root).split("\n")
    return [(n, line) for n, line in enumerate(lines, start=1) if _kept(line, comment)]


def lines(
    relpath: str, comment: str | None = "#", root: Traversable | Path | None = None
) -> list[str]:
    """The lines of a table that are neither blank nor comments (a word list)."""
    # The same test as `_kept`, inlined: word lists have up to 150,000 lines.
    every = read_text(relpath, root).split("\n")
    if comment is None:
        return [line for line in every if line and not line.isspace()]
    return [ln for ln in every if ln and not ln.isspace() and not ln.startswith(comment)]


def rows(
    relpath: str,
    columns: int | None = None,
    comment: str | None = "#",
    root: Traversable | Path | None = None,
) -> list[tuple[str, ...]]:
    """The tab-separated fields of each line; `columns`: how many every line must have."""
    out = []
    for n, line in numbered_lines(relpath, comment, root):
        fields = tuple(line.split("\t"))
        if columns is not None and len(fields) != columns:
            raise TableError(_where(relpath, root), n, f"{len(fields)} fields, expected {columns}")
        out.append(fields)
    return out


def records(
    relpath: str, comment: str | None = "#", root: Traversable | Path | None = None
) -> list[dict[str, str]]:
    """The rows of a table whose first line names its columns, as dicts by column name."""
    numbered = numbered_lines(relpath, comment, root)
    if not numbered:
        return []
    header: Sequence[str] = numbered[0][1].split("\t")
    out = []
    for n, line in numbered[1:]:
        fields = line.split("\t")
        if len(fields) != len(header):
            raise TableError(
                _where(relpath, root), n, f"{len(fields)} fields, expected {len(header)}"
            )
        out.append(dict(zip(header, fields, strict=True)))
    return out


def read_json(relpath: str, root: Traversable | Path | None = None) -> Any:
    """A JSON table; a syntax error names the file and line."""
    try:
        return json.loads(read_text(relpath, root))
    except json.JSONDecodeError as exc:
        raise TableError(_where(relpath, root), exc.lineno, exc.msg) from None


def read_toml(relpath: str, root: Traversable | Path | None = None) -> dict[str, Any]:
    """A TOML table (the segmenter's rules); a syntax error names the file."""
    import tomllib  # only the segmenter's rules are TOML

    try:
        return tomllib.loads(read_text(relpath, root))
    except tomllib.TOMLDecodeError as exc:
        # tomllib writes the position into its message ("(at line 3, column 7)").
        raise TableError(_where(relpath, root), None, str(exc)) from None
