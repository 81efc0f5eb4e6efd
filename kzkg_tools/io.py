"""Reading FILES / directories / stdin as bytes and writing JSONL through one buffered stream.

Every raw input gets its document id here: the path relative to the argument it was found under
(a directory argument's walk: `sub/kk.txt`; a file argument: its own name; standard input:
`-:1`), in POSIX form, so ids are the same on every machine and every run. Two raw inputs with
one id are an error naming both (`check_ids`), never a silent merge of their records. `Reader`
reads each raw input exactly once into a `SourceText` (sha256 of its bytes, decoded text) that
every stage needing the source is given.

Inputs are decoded strictly as UTF-8 so that a bad byte is reported as
`path:line:column` instead of being replaced silently; a NUL byte in the first
8000 bytes (git's test) marks a binary file; a UTF-8 BOM is stripped (offsets
then count from the character after it) and UTF-16/32 BOMs are refused with a
hint to convert. Output goes through one buffered text stream (click.echo
flushes every line, 3-4x slower) and `-o FILE` is written atomically.
"""

from __future__ import annotations

import bz2
import contextlib
import functools
import gzip
import hashlib
import io
import json
import lzma
import os
import posixpath
import sys
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from kzkg_tools import console, resources
from kzkg_tools.errors import InputError, OutputError
from kzkg_tools.records import Document, dumps, from_dict, json_pieces

try:  # a dependency (pyproject), kept optional as in records: some 3× faster than `json`
    import orjson
except ImportError:  # pragma: no cover - depends on the environment
    orjson = None  # type: ignore[assignment]

T = TypeVar("T")

STDIN = "-"
BINARY_PROBE = 8000
CHUNK = 1 << 16
_BOMS = [
    (b"\x00\x00\xfe\xff", "UTF-32-BE"),
    (b"\xff\xfe\x00\x00", "UTF-32-LE"),
    (b"\xfe\xff", "UTF-16-BE"),
    (b"\xff\xfe", "UTF-16-LE"),
]
_UTF8_BOM = b"\xef\xbb\xbf"
# Compressed inputs, told by their magic bytes (not by the file name, which may lie or be `-`).
_MAGIC = [
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
]
MAGIC_PROBE = max(len(magic) for magic, _ in _MAGIC)


@dataclass(frozen=True)
class Source:
    """One input: a file path, or `-` for standard input, and the document id it gets.

    `pages`: a part of a MediaWiki dump that `kzkg run` read ahead to share the dump among its
    workers (`dumps.split`): the file holding those pages, which the Reader takes in place of
    the dump (`dumps.read_part`)."""

    path: str
    id: str = ""
    pages: str | None = None

    @property
    def is_stdin(self) -> bool:
        return self.path == STDIN

    @property
    def name(self) -> str:
        """The path as messages and records show it: bytes of a file name that are not UTF-8
        as backslash escapes (`\\xff`), so printing it cannot fail."""
        return display_name(self.path)

    def open(self) -> IO[bytes]:
        """The input's bytes: a gzip, bzip2, xz or zstd input is decompressed as it is read."""
        raw = self._open_raw()
        kind = compression(raw)
        return raw if kind is None else _decompressing(raw, kind, self.name)

    def _open_raw(self) -> IO[bytes]:
        if self.is_stdin:
            if sys.stdin.isatty():
                console.warn("waiting for standard input (Ctrl-D ends it)")
            return sys.stdin.buffer
        try:
            return open(self.path, "rb")
        except FileNotFoundError:
            raise InputError(f"{self.name}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{self.name}: is a directory") from None
        except PermissionError:
            raise InputError(f"{self.name}: permission denied") from None


def display_name(path: str) -> str:
    """`path` with the bytes of a non-UTF-8 file name (surrogate escapes) as `\\xNN`."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def compression(stream: IO[bytes]) -> str | None:
    """The compression format of a buffered binary stream, from its first bytes (peeked, not
    consumed), or None for uncompressed input."""
    peek = getattr(stream, "peek", None)
    if peek is None:
        return None
    head = peek(MAGIC_PROBE)[:MAGIC_PROBE]
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)


class DecompressedStream(io.BufferedReader):
    """A decompressing reader that turns corrupt or truncated data into one InputError.

    `kind` says which compression was undone: positions in messages about its content
    count in the decompressed text, and say so."""

    kind = ""
    label = ""
    raw: IO[bytes] | None = None  # the compressed stream: the decompressors do not close it

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.raw is not None:
                self.raw.close()

    def read(self, size: int | None = -1) -> bytes:
        with self._errors():
            return super().read(size)

    def peek(self, size: int = 0) -> bytes:
        with self._errors():
            return super().peek(size)

    def readline(self, size: int | None = -1) -> bytes:
        with self._errors():
            return super().readline(size)

    def __next__(self) -> bytes:
        with self._errors():
            return super().__next__()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except (OSError, EOFError, lzma.LZMAError, *_zstd_errors()) as err:
            raise InputError(
                f"{self.label}: corrupt or truncated {self.kind} data ({err})"
            ) from None


@functools.cache
def _zstd_errors() -> tuple[type[Exception], ...]:
    try:
        import zstandard
    except ImportError:
        return ()
    return (zstandard.ZstdError,)


def _decompressing(raw: IO[bytes], kind: str, label: str) -> IO[bytes]:
    """Wrap `raw` in a streaming decompressor (memory holds a buffer, never the whole input)."""
    inner: IO[bytes]
    if kind == "gzip":
        inner = gzip.GzipFile(fileobj=raw, mode="rb")
    elif kind == "bzip2":
        inner = bz2.BZ2File(raw, mode="rb")
    elif kind == "xz":
        inner = lzma.LZMAFile(raw, mode="rb")
    else:
        try:
            import zstandard
        except ImportError:
            raw.close()
            raise InputError(
                f"{label}: zstd-compressed; install the zstd extra "
                "(pip install 'kzkg_tools[zstd]') or decompress it first"
            ) from None
        inner = zstandard.ZstdDecompressor().stream_reader(raw, closefd=True)
    stream = DecompressedStream(inner)  # type: ignore[arg-type]
    stream.kind, stream.label, stream.raw = kind, label, raw
    return stream


def _rel_id(path: str, root: str) -> str:
    """`path` relative to `root`, with `/` separators whatever the platform."""
    return display_name(os.path.relpath(path, root).replace(os.sep, posixpath.sep))


def expand(paths: Sequence[str]) -> list[Source]:
    """FILES as given, directories walked in sorted order (hidden entries skipped), none = stdin.

    Each Source carries its document id (see the module docstring)."""
    if not paths:
        return [Source(STDIN, f"{STDIN}:1")]
    out: list[Source] = []
    stdin = 0
    for p in paths:
        if p == STDIN:
            stdin += 1
            out.append(Source(STDIN, f"{STDIN}:{stdin}"))
        elif os.path.isdir(p):
            before = len(out)
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        path = os.path.join(root, f)
                        out.append(Source(path, _rel_id(path, p)))
            if len(out) == before:
                console.warn(f"{display_name(p)}: empty directory, no inputs")
        elif os.path.exists(p):
            out.append(Source(p, display_name(os.path.basename(p))))
        else:
            raise InputError(f"{display_name(p)}: no such file or directory")
    return out


def check_ids(sources: Sequence[Source]) -> None:
    """Refuse two raw inputs with one document id: their records would mix."""
    seen: dict[str, str] = {}
    for source in sources:
        other = seen.setdefault(source.id, source.name)
        if other != source.name:
            raise InputError(
                f"{source.name}: document id {source.id!r} is also the id of {other}; "
                "give the folder that holds both, so their ids keep the sub-folders"
            )


class BinaryInput(InputError):
    """A NUL byte near the start: the file is not text."""


def where(stream: IO[bytes]) -> str:
    """What positions in messages about a stream's content count in: said only when they are
    not the file's own bytes."""
    kind = getattr(stream, "kind", "")
    return f" (in the {kind}-decompressed text)" if kind else ""


def _check_head(head: bytes, path: str, where: str = "") -> int:
    """Refuse UTF-16/32 and binary files; returns how many BOM bytes to skip."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            raise InputError(
                f"{path}:1:1: file is {name} (byte-order mark), not UTF-8{where}; "
                f"convert it first: iconv -f {name} -t UTF-8 {path}"
            )
    nul = head.find(b"\x00", 0, BINARY_PROBE)
    if nul >= 0:
        raise BinaryInput(f"{path}: binary file (NUL byte at offset {nul}{where}), skipped")
    return len(_UTF8_BOM) if head.startswith(_UTF8_BOM) else 0


def _utf8_error(
    data: bytes, err: UnicodeDecodeError, path: str, line_base: int = 1, where: str = ""
) -> InputError:
    """`path:line:column: invalid UTF-8 (byte 0xNN)`, column counted in code points."""
    start = err.start
    line = line_base + data.count(b"\n", 0, start)
    line_start = data.rfind(b"\n", 0, start) + 1
    col = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
    return InputError(f"{path}:{line}:{col}: invalid UTF-8 (byte 0x{data[start]:02X}){where}")


def decode(data: bytes, path: str, where: str = "") -> str:
    """Strict UTF-8 decoding of a whole input, with the checks above."""
    skip = _check_head(data[:BINARY_PROBE], path, where)
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as err:
        raise _utf8_error(data[skip:], err, path, where=where) from None


@dataclass
class SourceText:
    """One raw input read once: where it is (`Source.name`: as records show it), its document
    id, its bytes' sha256 and size (compressed inputs: of the decompressed bytes), and its
    decoded text (what `Document.spans` and fact spans count code points in).

    An item of a multi-document input (a page of a MediaWiki dump, `dumps.py`) also says
    what the input declares about it: its format, metadata for `Document.metadata`, and the
    language it should be in (normalize checks detection against it)."""

    path: str
    id: str
    text: str
    sha256: str
    size: int
    declared_format: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    lang: str | None = None

    @functools.cached_property
    def format(self) -> str:
        """The declared format, else the detected one (`detect.detect_format`)."""
        if self.declared_format:
            return self.declared_format
        from kzkg_tools.detect import detect_format

        return detect_format(self.text)


def read_source(source: Source, stream: IO[bytes] | None = None) -> SourceText:
    """Read one raw input whole (from `stream` if it is already open), hash its bytes and
    decode them (`decode`'s checks)."""
    stream = source.open() if stream is None else stream
    try:
        data = stream.read()
    except OSError as err:
        raise InputError(f"{source.name}: cannot read ({err.strerror})") from None
    finally:
        if not source.is_stdin:
            stream.close()
    text = decode(data, source.name, where(stream))
    return SourceText(source.name, source.id, text, hashlib.sha256(data).hexdigest(), len(data))


class Reader:
    """The raw inputs of a command, each read once, as `SourceText`s in input order.

    Binary inputs stop the command (`BinaryInput`) unless `keep_going`, which skips them with a
    warning; empty inputs are warned about and give nothing. A MediaWiki XML dump or export
    gives one SourceText per page of `namespaces` (default: articles), read as a stream
    (`dumps.py`). `inputs` and `skipped` record what was read (for a run's manifest; a dump's
    entry counts its pages and what was skipped); `text_of(path)` gives the text of the input
    (or page) read last, so a later stage working on that input's records (facts' surfaces)
    needs no second read.
    """

    def __init__(
        self,
        sources: Sequence[Source],
        keep_going: bool = False,
        namespaces: Collection[int] | None = None,
    ) -> None:
        check_ids(sources)
        self.sources = sources
        self.keep_going = keep_going
        self.namespaces = frozenset(namespaces) if namespaces is not None else None
        self.inputs: list[dict[str, Any]] = []
        self.skipped: list[str] = []
        self._current: SourceText | None = None

    def __iter__(self) -> Iterator[SourceText]:
        for text in self._texts():
            resources.now_and_then()  # the text before it has gone through the stages
            yield text

    def _texts(self) -> Iterator[SourceText]:
        from kzkg_tools import dumps

        for source in self.sources:
            if source.pages is not None:
                yield from self._part(source)
                continue
            try:
                stream = source.open()
                if dumps.is_dump(stream):
                    yield from self._pages(source, stream)
                    continue
                read = read_source(source, stream)
            except BinaryInput as err:
                if not self.keep_going:
                    raise
                console.warn(err.format_message())
                self.skipped.append(source.name)
                continue
            self.inputs.append(
                {"path": source.name, "id": read.id, "sha256": read.sha256, "bytes": read.size}
            )
            if not read.text:
                console.warn(f"{source.name}: empty input, no records")
                continue
            self._current = read
            yield read
        self._current = None

    def _pages(self, source: Source, stream: IO[bytes]) -> Iterator[SourceText]:
        """The pages of one dump, then its entry in `inputs` and its summary line."""
        from kzkg_tools import dumps

        stats = dumps.DumpStats()
        try:
            for page in dumps.pages(stream, source, stats, self.namespaces or dumps.ARTICLES):
                self._current = page
                yield page
        finally:
            if not source.is_stdin:
                stream.close()
        self.inputs.append(
            {
                "path": source.name,
                "id": source.id,
                "sha256": stats.sha256,
                "bytes": stats.bytes,
                **stats.counts(),
            }
        )
        console.warn(stats.summary(source.name))

    def _part(self, source: Source) -> Iterator[SourceText]:
        """The pages of a part of a dump read ahead (`dumps.split`); the last part also
        carries the dump's entry in `inputs`."""
        from kzkg_tools import dumps

        for item in dumps.read_part(source):
            if isinstance(item, SourceText):
                self._current = item
                yield item
            else:
                self.inputs.append(item)

    def text_of(self, path: str) -> str | None:
        """The decoded text of `path` if it is the input read last, else None."""
        current = self._current
        return current.text if current is not None and current.path == path else None


def checked_lines(
    stream: IO[bytes], name: str, at: str, limit: int = -1
) -> Iterator[tuple[int, bytes]]:
    """Raw lines of one input with their line numbers, after the checks every reader makes:
    a byte-order mark skipped, a UTF-16/32 or binary head refused, a NUL byte in the first
    `BINARY_PROBE` bytes refused; one warning for an empty input.

    A line longer than `limit` bytes comes as its first `limit` bytes (no newline at the
    end); the caller reads the rest of it from `stream` before asking for the next line.
    """
    # peek() looks at what is already buffered without waiting for more, so a binary file
    # is caught before its first "line" fails to decode while a line-by-line producer on a
    # pipe is not kept waiting for 8000 bytes.
    peek = getattr(stream, "peek", None)
    skip = _check_head(peek(BINARY_PROBE)[:BINARY_PROBE], name, at) if peek else 0
    seen = lineno = 0
    while raw := stream.readline(limit):
        lineno += 1
        if lineno == 1:
            skip = max(skip, _check_head(raw, name, at))
            raw = raw[skip:]
        elif seen < BINARY_PROBE and b"\x00" in raw[: BINARY_PROBE - seen]:
            raise BinaryInput(f"{name}: binary file (NUL byte on line {lineno}{at})")
        seen += len(raw)
        yield lineno, raw
    if seen == 0:
        console.warn(f"{name}: empty input, no records")


def decode_line(raw: bytes, name: str, lineno: int, at: str) -> str:
    """A whole raw line decoded, without its newline; `name:line:col` of a bad byte."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _utf8_error(raw, err, name, line_base=lineno, where=at) from None
    return line.rstrip("\n").removesuffix("\r")


def iter_lines(source: Source) -> Iterator[tuple[int, str]]:
    """Decoded lines (without their newline) of one input, read as a stream.

    Used by the line filters (`translit`, `segment --in text`) and by JSONL
    readers: memory holds one line at a time.
    """
    stream = source.open()
    try:
        name, at = source.name, where(stream)
        for lineno, raw in checked_lines(stream, name, at):
            yield lineno, decode_line(raw, name, lineno, at)
    finally:
        if not source.is_stdin:
            stream.close()


def parse_json_line(name: str, lineno: int, line: str) -> dict[str, Any]:
    """The JSON object of one JSONL line; InputError `name:line[:col]: problem` otherwise."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(f"{name}:{lineno}:{err.colno}: invalid JSON ({err.msg})") from None
    except RecursionError:
        # json recurses once per nesting level; no record nests this deep.
        raise InputError(f"{name}:{lineno}: nested too deep") from None
    if not isinstance(obj, dict):
        raise InputError(f"{name}:{lineno}:1: expected a JSON object per line")
    return obj


#: Maps every digit to `0`, so that a run of digits is a run of `0`s (`quick_json`).
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
#: orjson reads an integer beyond 64 bits as a float where `json` keeps the int: such an
#: integer has at least this many digits, and a line holding a run of them is read by `json`.
_LONG_DIGITS = b"0" * 19
#: `json` reads each level of nesting by recursion and fails beyond Python's recursion limit
#: (1,000 by default; "nested too deep"), where orjson reads on: a line of more brackets than
#: this, which may nest as deep, is read by `json`.
_MAX_QUICK_BRACKETS = 500


def quick_json(raw: bytes) -> dict[str, Any] | None:
    """The JSON object of a raw JSONL line, read by orjson, or None for `json` to read it.

    Where orjson reads a line it gives the object `json.loads` gives (a big integer aside,
    which `_LONG_DIGITS` leaves to `json`, and nesting deeper than `json` reads, which
    `_MAX_QUICK_BRACKETS` does); a line it refuses (bad UTF-8, NaN, a lone
    surrogate, no object, a blank line, an error) goes to `json`, which reads it, skips it or
    says what is wrong, as before."""
    if (
        orjson is None
        or _LONG_DIGITS in raw.translate(_DIGITS_TO_ZERO)
        or raw.count(b"[") + raw.count(b"{") > _MAX_QUICK_BRACKETS
    ):
        return None
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return obj if type(obj) is dict else None


def iter_json(sources: Iterable[Source]) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(path, line number, object) for every non-blank JSONL line of the inputs."""
    for source in sources:
        stream = source.open()
        try:
            name, at = source.name, where(stream)
            for lineno, raw in checked_lines(stream, name, at):
                obj = quick_json(raw)
                if obj is None:  # `json` reads it, or says what is wrong with it
                    line = decode_line(raw, name, lineno, at)
                    if not line.strip():
                        continue
                    obj = parse_json_line(name, lineno, line)
                resources.now_and_then()  # the record before it has gone through the stage
                yield name, lineno, obj
        finally:
            if not source.is_stdin:
                stream.close()


def iter_records(sources: Iterable[Source], cls: type[T]) -> Iterator[T]:
    """Records of type `cls` from JSONL inputs; a line of another shape is an input error."""
    for path, lineno, obj in iter_json(sources):
        try:
            yield from_dict(cls, obj)
        except (TypeError, ValueError) as err:
            raise InputError(f"{path}:{lineno}: not a {cls.__name__} record ({err})") from None


class Output:
    """One buffered UTF-8 output stream: stdout, or a file written atomically.

    `-o FILE` goes to a temporary file beside it and is renamed into place only
    when the command succeeds, so a failed or killed run never leaves a half
    file. Writing onto one of the inputs is refused.
    """

    def __init__(
        self, path: str | None = None, inputs: Iterable[str] = (), line_buffered: bool = False
    ) -> None:
        self.path = path if path not in (None, STDIN) else None
        self._line_buffered = line_buffered
        self._tmp: str | None = None
        if self.path:
            target = Path(self.path)
            for src in inputs:
                if (
                    src != STDIN
                    and os.path.exists(src)
                    and target.exists()
                    and os.path.samefile(src, target)
                ):
                    raise OutputError(f"{self.path}: output file is also an input; refusing")
            directory = target.parent if str(target.parent) else Path(".")
            try:
                import tempfile  # here: most commands write to stdout

                fd, self._tmp = tempfile.mkstemp(
                    dir=directory, prefix=f".{target.name}.", suffix=".tmp"
                )
            except OSError as err:
                raise OutputError(f"{self.path}: cannot write ({err.strerror})") from None
            # mkstemp creates the file 0600; give it the mode a plain open() would.
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
            self._raw: IO[bytes] = os.fdopen(fd, "wb")
        else:
            self._raw = sys.stdout.buffer
        self._chunks: list[str] = []
        self._size = 0

    def write(self, record: Any) -> None:
        """Write one record as a JSONL line."""
        if type(record) is not Document:
            self.write_line(dumps(record))
            return
        # A Document can be far larger than its source (a span and a block per short line):
        # its line is sent in pieces, never held whole.
        for piece in json_pieces(record):
            self._chunks.append(piece)
            self._size += len(piece)
            if self._size >= CHUNK:
                self.flush()
        self.write_line("")

    def write_line(self, line: str) -> None:
        """Write one line of text (the newline is added)."""
        self._chunks.append(line)
        self._chunks.append("\n")
        self._size += len(line) + 1
        if self._line_buffered or self._size >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Send what is buffered, as one chunk, to the underlying stream."""
        if self._chunks:
            data = "".join(self._chunks).encode("utf-8")
            self._chunks.clear()
            self._size = 0
            self._raw.write(data)
        self._raw.flush()

    def close(self, ok: bool = True) -> None:
        """Flush; for a file, move it into place (ok) or remove the temporary (not ok)."""
        if self.path is None:
            self.flush()
            return
        try:
            if ok:
                self.flush()
            self._raw.close()
        finally:
            assert self._tmp is not None
            if ok:
                os.replace(self._tmp, self.path)
            else:
                os.unlink(self._tmp)

    def __enter__(self) -> Output:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is BrokenPipeError:
            return  # the reader is gone: nothing more can be sent
        self.close(ok=exc_type is None)
