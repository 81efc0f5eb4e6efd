"""The on-disk cache of built resources: what every start would otherwise rebuild.

Building the transliteration lexicon and its character model, langdetect's n-gram matrix or
the PDF-text word lists takes from a tenth of a second to over a second; a command on a
one-line input must not pay that at every start (issue #19). A builder asks `load` for its
object: the first process builds it and stores it in a compact form, every later one maps the
stored file into memory and looks entries up in place, without parsing or rebuilding anything.

Where: `$KZKG_CACHE_DIR` when set, else `$XDG_CACHE_HOME/kzkg`, else `~/.cache/kzkg`. Each file
is named by the resource and a fingerprint of everything it was built from (the data files'
bytes, the source of the modules that build it, the package version and Python's), so a
changed table or builder simply gives a new file; `rm -r ~/.cache/kzkg` clears it all. Sentence
embeddings live in its `embed/` folder, one SQLite file per model (`align/embed.py`).

A cache is never a reason to fail: an unwritable or missing directory means building in memory,
a file that does not check out (truncated, corrupted, another format) is rebuilt and replaced.
Files are written to a temporary name and renamed into place (`os.replace`), so concurrent
workers (`kzkg run -j2`) read either no file or a whole one. Results are identical with or
without the cache: a table holds exactly the keys and values the builder made.

The stored form is `Tables`: named hash tables from strings to strings, to fixed-width tuples of
unsigned ints, or sets of strings, plus a small JSON header of other values (arrays of
numbers are stored as raw bytes and read with `numpy.frombuffer` by their owner).
"""

from __future__ import annotations

import hashlib
import importlib
import itertools
import json
import mmap
import os
import struct
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from kzkg_tools import __version__

ENV_DIR = "KZKG_CACHE_DIR"
# The format of a cache file; a new layout changes it, so old files are never misread.
FORMAT = b"KZKGC\x00\x00\x02"
_PREFIX = 12  # the format (8 bytes), then the crc32 of everything after them (4)
_HEADER_AT = _PREFIX + 8  # after the prefix, the header's length (8 bytes), then the header
_UINT = "I"  # array typecode of the tables' offsets and values: 4 bytes on every platform
_UINT_MAX = 0xFFFFFFFF
assert array(_UINT).itemsize == 4
TEXT = -1  # the width of a table whose values are strings (`Table`)
SET = 0  # the width of a table of keys only
# Slots per key of a hash table, at least: half-empty tables keep linear probing to about
# 1.5 probes on a hit and 2.5 on a miss.
_SLOTS_PER_KEY = 2
_KEY_HEX = 20  # hex digits of a fingerprint in a file name: 80 bits, no accidental match


def directory() -> Path:
    """Where cache files go (not created here)."""
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "kzkg"


def embeddings_dir(option: str | None, enabled: bool = True) -> str | None:
    """Where sentence embeddings are kept across runs (`align.embed.VectorStore`): the
    `--cache-dir` given, else `embed/` in the cache directory; None with `--no-cache` (kept in
    memory for the run only)."""
    if not enabled:
        return None
    return option or str(directory() / "embed")


def fingerprint(data: Iterable[bytes], modules: Iterable[str]) -> str:
    """A short hash of the data a builder reads and the source of the modules that build it."""
    h = hashlib.sha256()
    h.update(f"{__version__}\0{sys.version_info[:2]}\0".encode())
    for blob in data:
        h.update(hashlib.sha256(blob).digest())
    for name in modules:
        module = sys.modules.get(name) or importlib.import_module(name)
        h.update(Path(module.__file__ or "").read_bytes())
    return h.hexdigest()[:_KEY_HEX]


def _hash(key: bytes) -> int:
    # crc32 is stable across processes (str hashes are salted) and runs in C.
    return zlib.crc32(key)


class Table(Mapping[str, Any]):
    """A read-only hash table over a buffer: str -> str, str -> tuple of `width` ints (one int
    when `width` is 1), or a set of str (width 0: values are True)."""

    def __init__(
        self,
        buf: memoryview,
        slots: memoryview,
        offsets: memoryview,
        values: Any,
        width: int,
        ordered: bool = False,
    ) -> None:
        self._buf, self._slots, self._offsets = buf, slots, offsets
        self._values, self._width = values, width
        self._mask = len(slots) - 1
        self._n = len(offsets) - 1
        self.ordered = ordered  # whether its entries are in sorted key order (`keys`)

    def key_at(self, e: int) -> str:
        """The key of entry `e` (entries are numbered in the order they were given)."""
        return bytes(self._buf[self._offsets[e] : self._offsets[e + 1]]).decode()

    def _find(self, key: str) -> int:
        """The entry number of `key`, or -1."""
        kb = key.encode()
        slots, offsets, buf, mask = self._slots, self._offsets, self._buf, self._mask
        i = _hash(kb) & mask
        while True:
            e = slots[i]
            if not e:
                return -1
            e -= 1
            if buf[offsets[e] : offsets[e + 1]] == kb:
                return e
            i = (i + 1) & mask

    def _value(self, e: int) -> Any:
        w = self._width
        if w == 0:
            return True
        if w == 1:
            return self._values[e]
        if w > 1:
            return tuple(self._values[e * w : (e + 1) * w])
        lo, hi = self._values[0][e], self._values[0][e + 1]
        return bytes(self._values[1][lo:hi]).decode()

    def __getitem__(self, key: str) -> Any:
        e = self._find(key)
        if e < 0:
            raise KeyError(key)
        return self._value(e)

    def get(self, key: str, default: Any = None) -> Any:
        e = self._find(key)
        return default if e < 0 else self._value(e)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key) >= 0

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        return map(self.key_at, range(self._n))


class _SortedKeys(Sequence[str]):
    """The keys of an ordered `Table` as a sorted sequence (for `bisect`), read in place."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def __len__(self) -> int:
        return len(self._table)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._table.key_at(e) for e in range(*i.indices(len(self._table)))]
        if i < 0:
            i += len(self._table)
        if not 0 <= i < len(self._table):
            raise IndexError(i)
        return self._table.key_at(i)


def keys(strings: Iterable[str]) -> Sequence[str]:
    """`strings` in sorted order: read in place when they are an ordered `Table` (UTF-8
    bytes sort as their code points, so the order is `sorted`'s), else sorted here."""
    if isinstance(strings, Table) and strings.ordered:
        return _SortedKeys(strings)
    return tuple(sorted(strings))


def _uints(values: Iterable[int]) -> array:
    return array(_UINT, values)


def _encode_table(items: list[tuple[str, Any]], width: int) -> list[bytes]:
    """The sections of one table: slots, key offsets, key bytes, then its values."""
    keys = [k.encode() for k, _ in items]
    size = 1
    while size < _SLOTS_PER_KEY * max(len(keys), 1):
        size *= 2
    slots = array(_UINT, bytes(4 * size))
    for e, kb in enumerate(keys):
        i = _hash(kb) & (size - 1)
        while slots[i]:
            i = (i + 1) & (size - 1)
        slots[i] = e + 1
    offsets = _uints([0])
    for kb in keys:
        offsets.append(offsets[-1] + len(kb))
    sections = [slots.tobytes(), offsets.tobytes(), b"".join(keys)]
    if width > 0:
        flat = array(_UINT)
        for _, v in items:
            flat.extend((v,) if width == 1 else v)
        sections.append(flat.tobytes())
    elif width < 0:
        texts = [v.encode() for _, v in items]
        value_offsets = _uints([0])
        for tb in texts:
            value_offsets.append(value_offsets[-1] + len(tb))
        sections += [value_offsets.tobytes(), b"".join(texts)]
    return sections


class Tables:
    """What a cache file holds: named `Table`s and `extra`, a dict of small JSON values and
    raw byte strings. Build one with `Tables.of`, store it with `save`."""

    def __init__(self, tables: dict[str, Table], extra: dict[str, Any], keep: Any = None):
        self.tables, self.extra = tables, extra
        self._keep = keep  # the mmap the tables look into

    @staticmethod
    def encode(
        tables: Mapping[str, tuple[Iterable[tuple[str, Any]] | Iterable[str], int]],
        extra: Mapping[str, Any],
    ) -> bytes:
        """The file's bytes. `tables`: name -> (items, width), width as in `Table`; for a set
        (width 0) the items are the strings. Ints must fit in 32 bits unsigned."""
        header: dict[str, Any] = {"tables": {}, "extra": {}, "blobs": {}}
        sections: list[bytes] = []
        pos = 0

        def add(blob: bytes) -> tuple[int, int]:
            nonlocal pos
            pad = -pos % 8  # aligned, so that every section can be cast in place
            sections.append(b"\0" * pad + blob)
            pos += pad
            start = pos
            pos += len(blob)
            return start, len(blob)

        for name, (items, width) in tables.items():
            rows = [(k, None) for k in items] if width == 0 else list(items)  # type: ignore[misc]
            for _, v in rows:
                if width > 0 and not all(0 <= x <= _UINT_MAX for x in (v if width > 1 else (v,))):
                    raise ValueError(f"cache table {name}: {v!r} does not fit 32 bits")
            ordered = all(a[0] < b[0] for a, b in itertools.pairwise(rows))
            parts = [add(s) for s in _encode_table(rows, width)]
            header["tables"][name] = (width, parts, ordered)
        for name, value in extra.items():
            if isinstance(value, bytes):
                header["blobs"][name] = add(value)
            else:
                header["extra"][name] = value
        # JSON, not pickle: json is imported anyway, and its floats round-trip exactly
        head = json.dumps(header, ensure_ascii=False, allow_nan=False).encode()
        body = b"".join(sections)
        payload = struct.pack("<Q", len(head)) + head
        pad = -(_PREFIX + len(payload)) % 8  # the sections start 8-aligned
        payload += b"\0" * pad
        crc = zlib.crc32(body, zlib.crc32(payload))
        return struct.pack("<8sI", FORMAT, crc) + payload + body

    @classmethod
    def decode(cls, buf: Any, keep: Any = None) -> Tables:
        """Read the bytes `encode` wrote (a bytes object or an mmap); ValueError when they do
        not check out."""
        view = memoryview(buf)
        if len(view) < _HEADER_AT or bytes(view[:8]) != FORMAT:
            raise ValueError("not a kzkg cache file of this format")
        (crc,) = struct.unpack("<I", view[8:_PREFIX])
        if zlib.crc32(view[_PREFIX:]) != crc:
            raise ValueError("cache file checksum mismatch")
        (head_len,) = struct.unpack("<Q", view[_PREFIX:_HEADER_AT])
        header = json.loads(bytes(view[_HEADER_AT : _HEADER_AT + head_len]))
        start = _HEADER_AT + head_len
        start += -start % 8
        body = view[start:]

        def section(at: tuple[int, int], typecode: str | None = None) -> memoryview:
            off, n = at
            if off + n > len(body):
                raise ValueError("cache file truncated")
            part = body[off : off + n]
            return part.cast(typecode) if typecode else part

        tables = {}
        for name, (width, parts, ordered) in header["tables"].items():
            slots, offsets = section(parts[0], _UINT), section(parts[1], _UINT)
            keys = section(parts[2])
            values: Any = None
            if width > 0:
                values = section(parts[3], _UINT)
            elif width < 0:
                values = (section(parts[3], _UINT), section(parts[4]))
            tables[name] = Table(keys, slots, offsets, values, width, ordered)
        extra = dict(header["extra"])
        for name, at in header["blobs"].items():
            extra[name] = section(at)
        return cls(tables, extra, keep=keep if keep is not None else buf)


def _read(path: Path) -> Tables | None:
    """The cache file at `path`, mapped into memory; None when it is missing or unreadable."""
    try:
        with open(path, "rb") as fh:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable, or empty (mmap of 0 bytes)
        return None
    try:
        return Tables.decode(mapped, keep=mapped)
    except Exception:  # any damage: the caller rebuilds and replaces the file
        return None


def _write(path: Path, blob: bytes) -> None:
    """Store `blob` at `path` atomically; any failure leaves the cache as it was."""
    import tempfile  # only a process that builds a resource writes

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        # mkstemp makes it 0600; nothing in it is private, and a cache folder shared by several
        # users (KZKG_CACHE_DIR) should serve them all: the mode a plain open() would give
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass  # read-only or full disk, no home directory: the caller goes on in memory
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def load(name: str, key: str, build: Callable[[], bytes]) -> Tables:
    """The cached `Tables` called `name` with fingerprint `key`; `build()` (which returns
    `Tables.encode(...)`'s bytes) makes and stores them when there is no good file."""
    try:
        path: Path | None = directory() / f"{name}-{key}.kzc"
    except RuntimeError:  # no home directory to find ~/.cache in: build in memory
        path = None
    found = _read(path) if path is not None else None
    if found is not None:
        return found
    blob = build()
    if path is not None:
        _write(path, blob)
    return Tables.decode(blob)


def files(name: str | None = None) -> list[Path]:
    """The cache files present (of resource `name`, or all)."""
    pattern = f"{name}-*.kzc" if name else "*.kzc"
    try:
        return sorted(directory().glob(pattern))
    except (OSError, RuntimeError):
        return []
