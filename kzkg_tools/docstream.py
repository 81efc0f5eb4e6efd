"""Reading Document records whose JSONL line is far larger than their source.

A Document of a text of short lines has a block and a span per line: the 8 MB `hyphen_runs`
shape (issue #17) writes a 250 MB line. Read as one string, decoded and parsed by `json.loads`,
it took some 15 times that (the bytes, the string, a dict and a list per block and per span).
Here a line up to WHOLE_LINE bytes is read as every JSONL line is (`io.parse_json_line`,
`records.from_dict`); a longer one is parsed as it is read, a piece at a time, its top-level
fields one by one, `blocks` into `records.Blocks` and `spans`/`orig_spans` into `OffsetMap`s
(arrays): what is held is the record in its compact form, never its line.
"""

from __future__ import annotations

import codecs
import json
import re
from array import array
from collections.abc import Iterable, Iterator
from typing import IO, Any

from kzkg_tools import resources
from kzkg_tools.errors import InputError
from kzkg_tools.io import Source, checked_lines, decode_line, parse_json_line, where
from kzkg_tools.offsets import OffsetMap
from kzkg_tools.records import Block, Blocks, Document, from_dict

#: Lines of at most this many bytes are parsed whole; a longer line a piece at a time. 1 MB:
#: a Document of a long article is a few hundred KB, and parsing whole is the faster way.
WHOLE_LINE = 1 << 20
#: Bytes read at a time from a long line.
CHUNK = 1 << 20
#: Characters kept ahead of the parser in a list of blocks or spans, so that one item (well
#: under this) is always whole in the buffer when it is matched.
LOOKAHEAD = 4096

#: A JSON error this close to the end of what is read may be the end of the read, not of
#: the value: the longest token cut short (`\uXXXX`, `false`) is shorter.
CUT = 16
_WS = " \t\r"
_NAME = r'"[^"\\\x00-\x1f]*"'  # a JSON string without escapes
_INT = r"-?(?:0|[1-9][0-9]*)"
# Blocks and spans as `records` writes them, in runs of items each followed by a comma (the
# last is not, and goes through `json`, as does an item written otherwise). No groups in the
# runs: the regex engine keeps them per repetition, some 7 times slower.
_BLOCK_RUN = re.compile(rf'(?:\{{"start":{_INT},"end":{_INT},"kind":{_NAME},"lang":{_NAME}\}},)*+')
_BLOCK = re.compile(
    rf'\{{"start":({_INT}),"end":({_INT}),"kind":"([^"]*)","lang":"([^"]*)"\}},'
)  # read only where _BLOCK_RUN matched
_SPAN_RUN = re.compile(rf"(?:\[{_INT},{_INT},{_INT},{_INT}\],)*+")
_NUMBER = re.compile(r"-?[0-9]+")
_DECODER = json.JSONDecoder()


def read_documents(sources: Iterable[Source]) -> Iterator[Document]:
    """Document records from JSONL inputs (as `io.iter_records(sources, Document)`, whose
    checks and messages a line up to WHOLE_LINE bytes goes through); a line of another
    shape is an input error."""
    for source in sources:
        stream = source.open()
        try:
            for document in _documents(source, stream):
                resources.now_and_then()  # the document before it has been segmented
                yield document
        finally:
            if not source.is_stdin:
                stream.close()


def _documents(source: Source, stream: IO[bytes]) -> Iterator[Document]:
    name, at = source.name, where(stream)
    for lineno, raw in checked_lines(stream, name, at, WHOLE_LINE):
        if len(raw) < WHOLE_LINE or raw.endswith(b"\n"):
            line = decode_line(raw, name, lineno, at)
            if line.strip():
                obj = parse_json_line(name, lineno, line)
                try:
                    yield from_dict(Document, obj)
                except (TypeError, ValueError) as err:
                    raise InputError(f"{name}:{lineno}: not a Document record ({err})") from None
            continue
        doc = _LongLine(raw, stream, f"{name}:{lineno}", at).document()
        if doc is not None:
            yield doc


class _LongLine:
    """One JSONL line parsed as it is read: `buf[pos:]` is what is read and not yet parsed."""

    def __init__(self, head: bytes, stream: IO[bytes], where_line: str, at: str) -> None:
        self._stream = stream
        self._where, self._at = where_line, at
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._buf = ""
        self._pos = 0
        self._offset = 0  # characters of the line before `buf`
        self._ended = False  # the whole line is in `buf`
        self._add(head)

    def _error(self, problem: str, pos: int | None = None) -> InputError:
        col = self._offset + (self._pos if pos is None else pos) + 1
        return InputError(f"{self._where}:{col}: {problem}{self._at}")

    def _add(self, raw: bytes) -> None:
        if raw.endswith(b"\n"):
            raw = raw[:-1]
            self._ended = True
        try:
            text = self._decoder.decode(raw, final=self._ended)
        except UnicodeDecodeError as err:
            # the column: characters before this piece, and in it before the bad byte
            before = len(raw[: err.start].decode("utf-8", errors="replace"))
            raise self._error(
                f"invalid UTF-8 (byte 0x{raw[err.start]:02X})", len(self._buf) + before
            ) from None
        self._offset += self._pos
        self._buf = self._buf[self._pos :] + text
        self._pos = 0

    def _more(self, at_least: int = 0) -> bool:
        """Read on (at least `at_least` bytes, when the line has them); False at its end."""
        if self._ended:
            return False
        parts, size = [], 0
        while True:
            raw = self._stream.readline(CHUNK)
            if not raw:
                self._ended = True
                break
            parts.append(raw)
            size += len(raw)
            if raw.endswith(b"\n") or size >= at_least:
                break
        self._add(b"".join(parts))
        return True

    def _ahead(self, n: int) -> None:
        """Make `n` characters past `pos` available, as far as the line has them."""
        while len(self._buf) - self._pos < n and self._more(CHUNK):
            pass

    def _peek(self) -> str:
        """The next character that is not whitespace ("" at the end of the line)."""
        while True:
            buf, pos = self._buf, self._pos
            while pos < len(buf) and buf[pos] in _WS:
                pos += 1
            self._pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self._more(CHUNK):
                return ""

    def _expect(self, ch: str) -> None:
        if self._peek() != ch:
            raise self._error(f"invalid JSON (expecting {ch!r})")
        self._pos += 1

    def _value(self) -> Any:
        """The next JSON value, read on until it is whole."""
        self._peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as err:
                # Cut short by the end of the buffer (a string is reported where it starts):
                # read on, as much again as is buffered (the retries stay linear), unless the
                # line has ended. Else the JSON is wrong.
                cut = err.pos >= len(self._buf) - CUT or err.msg.startswith("Unterminated")
                if cut and self._more(max(CHUNK, len(self._buf) - self._pos)):
                    continue
                raise self._error(f"invalid JSON ({err.msg})", err.pos) from None
            if end < len(self._buf) or not self._more(CHUNK):
                # something follows (a number is not cut short), or the line has ended
                self._pos = end
                return value

    def document(self) -> Document | None:
        """The Document of the line; None for a blank line."""
        first = self._peek()
        if not first:
            return None
        if first != "{":
            self._value()  # invalid JSON is reported as such, as `json.loads` would
            raise InputError(f"{self._where}:1: expected a JSON object per line{self._at}")
        self._pos += 1
        fields: dict[str, Any] = {}
        compact: dict[str, Any] = {}
        while True:
            ch = self._peek()
            if ch == "}":
                self._pos += 1
                break
            if fields or compact:
                self._expect(",")
            if self._peek() != '"':
                raise self._error(
                    "invalid JSON (expecting property name enclosed in double quotes)"
                )
            key = self._value()
            self._expect(":")
            ch = self._peek()
            if key == "blocks" and ch == "[":
                compact[key] = self._blocks()
            elif key in ("spans", "orig_spans") and ch == "[":
                compact[key] = self._spans()
            else:
                fields[key] = self._value()
                compact.pop(key, None)  # the last of two equal keys counts, as in `json`
        if self._peek():
            raise self._error("invalid JSON (Extra data)")
        for key in compact:
            fields.pop(key, None)
        try:
            doc = from_dict(Document, fields)
        except (TypeError, ValueError) as err:
            raise InputError(f"{self._where}: not a Document record ({err})") from None
        for key, value in compact.items():
            setattr(doc, key, value)
        return doc

    def _items(
        self, run: re.Pattern[str], fields: re.Pattern[str]
    ) -> Iterator[tuple[list[Any], Any]]:
        """The items of the list at `pos`, as they come: (what `fields` finds in a run of
        items written as `records` writes them, each followed by a comma, None) or ([], the
        JSON value of one item)."""
        self._pos += 1  # the "["
        if self._peek() == "]":
            self._pos += 1
            return
        while True:
            self._ahead(LOOKAHEAD)
            buf, pos = self._buf, self._pos
            end = run.match(buf, pos).end()  # type: ignore[union-attr]  # (…,)* always matches
            if end > pos:
                self._pos = end
                yield fields.findall(buf, pos, end), None
                continue
            yield [], self._value()  # the last item, or one written otherwise
            ch = self._peek()
            self._pos += 1
            if ch == "]":
                return
            if ch != ",":
                raise self._error("invalid JSON (expecting ',' delimiter)", self._pos - 1)

    def _blocks(self) -> Blocks:
        blocks = Blocks()
        for found, item in self._items(_BLOCK_RUN, _BLOCK):
            try:
                if found:
                    blocks.extend(*zip(*found, strict=True))
                else:
                    blocks.append(*self._block(item, len(blocks)))
            except OverflowError:
                raise InputError(
                    f"{self._where}: not a Document record (blocks[{len(blocks)}]: an offset "
                    "beyond 64 bits)"
                ) from None
        return blocks

    def _block(self, item: Any, index: int) -> tuple[int, int, str, str]:
        """One block written otherwise than `records` writes it, checked as `from_dict` is."""
        try:
            block = from_dict(Block, item) if isinstance(item, dict) else None
        except (TypeError, ValueError) as err:
            raise InputError(f"{self._where}: not a Document record ({err})") from None
        if not (
            block is not None
            and type(block.start) is int
            and type(block.end) is int
            and isinstance(block.kind, str)
            and isinstance(block.lang, str)
        ):
            raise InputError(
                f"{self._where}: not a Document record (blocks[{index}] is not "
                '{"start": int, "end": int, "kind": str, "lang": str})'
            )
        return block.start, block.end, block.kind, block.lang

    def _spans(self) -> OffsetMap:
        flat: array[int] = array("q")
        try:
            for found, item in self._items(_SPAN_RUN, _NUMBER):
                if found:
                    flat.extend(map(int, found))
                elif type(item) is list and len(item) == 4 and all(type(v) is int for v in item):
                    flat.extend(item)
                else:
                    raise OverflowError
        except OverflowError:  # not four ints, or one beyond 64 bits
            raise InputError(
                f"{self._where}: not a Document record (span {len(flat) // 4} is not four "
                "64-bit integers)"
            ) from None
        return OffsetMap._of_flat(flat)
