"""Text plus an offset map back to the source, the way ftfy returns text plus its plan.

Every normalizer builds its output with a `TextBuilder`, which records, for each
piece of output, the code-point range of the source it stands for. The result,
an `OffsetMap`, is what Document records carry as `spans`:
`[text_start, text_end, src_start, src_end]`, end-exclusive, in code points.

Two kinds of span exist:
* *copied*: the output piece equals the source piece character for character
  (after the same character normalization), so both ranges have the same length
  and any offset inside maps exactly;
* *replaced*: the output stands for a source range as a whole (an HTML entity,
  a transliterated word, a rejoined line-break hyphen); offsets inside it map to
  the whole source range.
Text that stands for nothing in the source (block separators, a space that joins
two wrapped lines) has no span.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from typing import Any

Span = tuple[int, int, int, int]
#: Text pieces a builder keeps before joining them into one string: one str object per word
#: (some 50 bytes of header each) would cost more than the text itself on a long line.
JOIN_PARTS = 4096


def _flat() -> array[int]:
    # Spans are kept as one flat array of 64-bit ints, four per span (32 bytes): a tuple of
    # four Python ints is about 180, and a transliterated line has one span per word.
    return array("q")


class TextBuilder:
    """Accumulates output text and its spans; adjacent copies are merged."""

    def __init__(self) -> None:
        self._chunks: list[str] = []  # joined parts
        self._parts: list[str] = []
        self._spans = _flat()  # t0, t1, s0, s1 of each span in turn
        self._len = 0
        self._last_copy = False
        self._shared = False  # `build` handed `_spans` to a map: copy before changing it

    def __len__(self) -> int:
        return self._len

    def _append(self, text: str) -> None:
        self._parts.append(text)
        if len(self._parts) >= JOIN_PARTS:
            self._chunks.append("".join(self._parts))
            self._parts.clear()
        self._len += len(text)

    def copy(self, text: str, src_start: int) -> None:
        """Append `text`, which is `source[src_start:src_start+len(text)]` unchanged."""
        if not text:
            return
        n = len(text)
        sp = self._own_spans() if self._shared else self._spans
        end = self._len
        if self._last_copy and sp and sp[-3] == end and sp[-1] == src_start:
            sp[-3] = end + n
            sp[-1] = src_start + n
        else:
            sp.extend((end, end + n, src_start, src_start + n))
        # `_append`, inline: the most frequent call of every normalizer
        parts = self._parts
        parts.append(text)
        if len(parts) >= JOIN_PARTS:
            self._chunks.append("".join(parts))
            parts.clear()
        self._len = end + n
        self._last_copy = True

    def insert_copy(self, inserted: str, text: str, src_start: int) -> None:
        """`insert(inserted)` then `copy(text, src_start)`, in one step (`text` not empty):
        a separator and a line, for each of the millions of lines a text may have."""
        n = len(text)
        sp = self._own_spans() if self._shared else self._spans
        start = self._len + len(inserted)
        sp.extend((start, start + n, src_start, src_start + n))
        parts = self._parts
        parts.append(inserted + text)  # one part: they are joined in order anyway
        if len(parts) >= JOIN_PARTS:
            self._chunks.append("".join(parts))
            parts.clear()
        self._len = start + n
        self._last_copy = True

    def replace(self, text: str, src_start: int, src_end: int) -> None:
        """Append `text`, which stands for `source[src_start:src_end]` as a whole."""
        if not text:
            return
        self._own_spans().extend((self._len, self._len + len(text), src_start, src_end))
        self._append(text)
        self._last_copy = False

    def replace_chars(self, text: str, sources: Sequence[int], src_base: int) -> None:
        """Append `text`, each character standing for the source character at `src_base +
        sources[i]` (for none where that is negative): what `replace` (or `insert`) of each
        character in turn writes, in one step (a reordered line maps character by character).
        """
        if not text:
            return
        t = self._len
        self._own_spans().extend(
            [
                x
                for i, src in enumerate(sources)
                if src >= 0
                for x in (t + i, t + i + 1, src_base + src, src_base + src + 1)
            ]
        )
        self._append(text)
        self._last_copy = False

    def insert(self, text: str) -> None:
        """Append text that has no source (separators, joining spaces)."""
        if not text:
            return
        self._append(text)
        self._last_copy = False

    def extend(self, text: str, offsets: OffsetMap) -> None:
        """Append text that already carries its own map (e.g. one block's output)."""
        base = self._len
        flat, sp = offsets._flat, self._own_spans()
        if base == 0:
            sp.extend(flat)
        else:
            for i in range(0, len(flat), 4):
                sp.extend((flat[i] + base, flat[i + 1] + base, flat[i + 2], flat[i + 3]))
        self._append(text)
        self._last_copy = False

    def endswith(self, suffix: str) -> bool:
        """Whether the output so far ends with `suffix` (looks only at the tail)."""
        tail = ""
        for part in (*reversed(self._parts), *reversed(self._chunks)):
            tail = part + tail
            if len(tail) >= len(suffix):
                break
        return tail.endswith(suffix)

    def _own_spans(self) -> array[int]:
        if self._shared:
            self._spans = array("q", self._spans)
            self._shared = False
        return self._spans

    def build(self) -> tuple[str, OffsetMap]:
        """The output text and its offset map.

        The map takes the builder's span array as it is (a second copy would double the
        peak on a text of a span per character); a builder written to after `build` copies
        it first, so the map never changes."""
        if self._parts:
            self._chunks.append("".join(self._parts))
            self._parts.clear()
        text = "".join(self._chunks)
        self._chunks = [text]
        self._shared = True
        return text, OffsetMap._of_flat(self._spans)


def _lengths(spans: list[Any]) -> set[int]:
    """The lengths of the items of `spans` ({-1} if one has none)."""
    try:
        return set(map(len, spans))
    except TypeError:
        return {-1}


def _cut(t0: int, t1: int, s0: int, s1: int, start: int, end: int) -> list[int]:
    """Span `t0, t1, s0, s1` cut to the text range [start, end), relative to `start`."""
    a, b = max(t0, start), min(t1, end)
    if t1 - t0 == s1 - s0:
        s0, s1 = s0 + (a - t0), s0 + (b - t0)
    return [a - start, b - start, s0, s1]


class OffsetMap:
    """Sorted, non-overlapping spans from an output text to its source."""

    __slots__ = ("_flat", "_starts")

    def __init__(self, spans: Iterable[Sequence[int]]) -> None:
        if isinstance(spans, OffsetMap):  # maps never change: share the arrays
            self._flat, self._starts = spans._flat, spans._starts
            return
        flat = _flat()
        if type(spans) is list and _lengths(spans) <= {4}:
            # spans read from JSON: C passes instead of a Python step per span (a document
            # has hundreds); the unpacking loop below says what is wrong with a bad span
            flat.extend(chain.from_iterable(spans))
            spans = []
        for a, b, c, d in spans:
            flat.extend((a, b, c, d))
        self._flat = flat
        self._starts = flat[::4]

    @classmethod
    def _of_flat(cls, flat: array[int]) -> OffsetMap:
        """The map of a flat array of spans (taken, not copied)."""
        m = cls.__new__(cls)
        m._flat = flat
        m._starts = flat[::4]
        return m

    @classmethod
    def identity(cls, length: int, src_start: int = 0) -> OffsetMap:
        """The map of a text copied unchanged from `source[src_start:src_start+length]`."""
        return cls([(0, length, src_start, src_start + length)] if length else [])

    def __len__(self) -> int:
        return len(self._starts)

    def __eq__(self, other: object) -> bool:
        # A Document's `spans` is a map in memory and lists once read back: they compare equal
        # when they hold the same spans.
        if isinstance(other, OffsetMap):
            return self._flat == other._flat
        if isinstance(other, list):
            return len(other) == len(self) and all(
                list(a) == list(b) for a, b in zip(self, other, strict=True)
            )
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, which are not hashable

    def is_identity(self, length: int) -> bool:
        """Whether the map copies the whole of a text of `length` unchanged (one span, or
        none for an empty text), without listing its spans."""
        if length == 0:
            return len(self) == 0
        return len(self) == 1 and self.span(0) == (0, length, 0, length)

    def json_chunks(self, per_chunk: int) -> Iterator[str]:
        """The JSON text of the spans as lists (`[[t0,t1,s0,s1],…]`, what `as_lists` gives
        `json.dumps` without spaces), `per_chunk` spans a piece: a writer never holds the
        whole list as Python objects."""
        f, n = self._flat, len(self)
        yield "["
        for i in range(0, n, per_chunk):
            k = min(per_chunk, n - i)
            piece = ",".join(("[%d,%d,%d,%d]",) * k) % tuple(f[4 * i : 4 * (i + k)])
            yield piece if i == 0 else "," + piece
        yield "]"

    def __iter__(self) -> Iterator[Span]:
        it = iter(self._flat)
        return zip(it, it, it, it, strict=True)  # four ints a span

    @property
    def spans(self) -> list[Span]:
        """The spans as `(text_start, text_end, src_start, src_end)` tuples."""
        return list(self)

    def span(self, i: int) -> Span:
        """Span number i."""
        f, k = self._flat, 4 * i
        return f[k], f[k + 1], f[k + 2], f[k + 3]

    def shifted(self, src_delta: int) -> OffsetMap:
        """The same map with every source offset moved by `src_delta` (a piece of a larger text)."""
        return OffsetMap((a, b, c + src_delta, d + src_delta) for a, b, c, d in self)

    def as_lists(self) -> list[list[int]]:
        """The JSON form used in Document records."""
        return [list(s) for s in self]

    def clip(self, start: int, end: int) -> list[list[int]]:
        """The part of this map covering `text[start:end]`, text offsets relative to `start`.

        A copied span cut by the range is cut at the same place in the source; a replaced
        span keeps its whole source range (it stands for it as a whole). Sentences carry
        their own map this way.
        """
        f = self._flat
        # From the first span that can overlap to the first that starts at `end` or later: one
        # call per sentence costs the spans of that sentence, not the rest of the map. Spans
        # inside the range are copied whole (one comprehension); only those cut by it go
        # through `_cut`.
        lo = 4 * max(0, bisect_right(self._starts, start) - 1)
        hi = 4 * bisect_left(self._starts, end, lo // 4)
        if hi - lo == 4:  # one span (a short sentence, most of a text of short lines): no loop
            t0, t1, s0, s1 = f[lo], f[lo + 1], f[lo + 2], f[lo + 3]
            if t1 <= start:
                return []
            if start <= t0 and t1 <= end:
                return [[t0 - start, t1 - start, s0, s1]]
            return [_cut(t0, t1, s0, s1, start, end)]
        it = iter(f[lo:hi])
        return [
            [t0 - start, t1 - start, s0, s1]
            if start <= t0 and t1 <= end
            else _cut(t0, t1, s0, s1, start, end)
            for t0, t1, s0, s1 in zip(it, it, it, it, strict=True)
            if t1 > start
        ]

    def _point(self, pos: int, is_end: bool) -> int | None:
        """Source offset of an output position, or None when it falls between spans."""
        # An end offset belongs to the span that contains pos-1.
        i = bisect_right(self._starts, pos - 1 if is_end else pos) - 1
        if i < 0:
            return None
        t0, t1, s0, s1 = self.span(i)
        inside = t0 < pos <= t1 if is_end else t0 <= pos < t1
        if not inside:
            return None
        if t1 - t0 == s1 - s0:
            return s0 + (pos - t0)
        return s1 if is_end else s0

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map the output range [start, end) to the smallest source range covering it.

        Offsets that fall on text with no source (separators) snap inwards to
        the nearest mapped character; an empty or unmapped range gives (s, s)
        at the next mapped source position.
        """
        f, n = self._flat, len(self._starts)
        lo = max(0, bisect_right(self._starts, start) - 1)
        while lo < n and f[4 * lo + 1] <= start:
            lo += 1
        hi = bisect_right(self._starts, end - 1) - 1
        if lo >= n or hi < lo or end <= start:
            if lo < n:
                anchor = f[4 * lo + 2]
            else:
                anchor = f[-1] if n else 0
            return anchor, anchor
        s = self._point(max(start, f[4 * lo]), is_end=False)
        e = self._point(min(end, f[4 * hi + 1]), is_end=True)
        assert s is not None and e is not None
        return s, e

    def compose(self, inner: OffsetMap) -> OffsetMap:
        """Chain maps: `inner` maps a new text onto this text; the result maps it to the source."""
        out = _flat()
        f, starts, n = self._flat, self._starts, len(self._starts)
        extend = out.extend
        for t0, t1, m0, m1 in inner:
            if t1 - t0 == m1 - m0:
                # The piece cut at the edges of the spans it overlaps, in one pass over them
                # (a span a character, as in Arabic stored in visual order, makes millions);
                # the walk below where a span is empty or out of order.
                if m0 >= m1:
                    continue
                d = t0 - m0
                pieces: list[int] = []
                last = -1
                for i in range(
                    4 * max(0, bisect_right(starts, m0) - 1), 4 * bisect_left(starts, m1), 4
                ):
                    a0, a1 = f[i], f[i + 1]
                    if a1 <= a0 or a0 < last:
                        break
                    last = a1
                    if a1 <= m0:
                        continue
                    c0, c1 = f[i + 2], f[i + 3]
                    p = a0 if a0 > m0 else m0
                    q = a1 if a1 < m1 else m1
                    if a1 - a0 == c1 - c0:
                        pieces += (p + d, q + d, c0 + p - a0, c0 + q - a0)
                    else:
                        pieces += (p + d, q + d, c0, c1)
                else:
                    extend(pieces)
                    continue
                # A copied piece may straddle several of our spans: split it at their edges.
                pos = m0
                while pos < m1:
                    j = bisect_right(starts, pos) - 1
                    if j < 0 or f[4 * j + 1] <= pos:
                        nxt = bisect_right(starts, pos)
                        if nxt >= n:
                            break
                        pos = min(m1, starts[nxt])
                        continue
                    a0, a1, c0, c1 = f[4 * j], f[4 * j + 1], f[4 * j + 2], f[4 * j + 3]
                    stop = min(m1, a1)
                    # What to_source(pos, stop) gives, both ends inside span j.
                    if a1 - a0 == c1 - c0:
                        s, e = c0 + pos - a0, c0 + stop - a0
                    else:
                        s, e = c0, c1
                    out.extend((t0 + pos - m0, t0 + stop - m0, s, e))
                    pos = stop
            else:
                s, e = self.to_source(m0, m1)
                out.extend((t0, t1, s, e))
        return OffsetMap._of_flat(out)
