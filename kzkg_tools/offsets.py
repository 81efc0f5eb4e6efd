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

from bisect import bisect_right
from collections.abc import Iterable, Sequence

Span = tuple[int, int, int, int]


class TextBuilder:
    """Accumulates output text and its spans; adjacent copies are merged."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._spans: list[list[int]] = []
        self._len = 0
        self._last_copy = False

    def __len__(self) -> int:
        return self._len

    def copy(self, text: str, src_start: int) -> None:
        """Append `text`, which is `source[src_start:src_start+len(text)]` unchanged."""
        if not text:
            return
        n = len(text)
        last = self._spans[-1] if self._spans else None
        if self._last_copy and last and last[1] == self._len and last[3] == src_start:
            last[1] += n
            last[3] += n
        else:
            self._spans.append([self._len, self._len + n, src_start, src_start + n])
        self._parts.append(text)
        self._len += n
        self._last_copy = True

    def replace(self, text: str, src_start: int, src_end: int) -> None:
        """Append `text`, which stands for `source[src_start:src_end]` as a whole."""
        if not text:
            return
        n = len(text)
        self._spans.append([self._len, self._len + n, src_start, src_end])
        self._parts.append(text)
        self._len += n
        self._last_copy = False

    def insert(self, text: str) -> None:
        """Append text that has no source (separators, joining spaces)."""
        if not text:
            return
        self._parts.append(text)
        self._len += len(text)
        self._last_copy = False

    def extend(self, text: str, offsets: OffsetMap) -> None:
        """Append text that already carries its own map (e.g. one block's output)."""
        base = self._len
        for t0, t1, s0, s1 in offsets.spans:
            self._spans.append([base + t0, base + t1, s0, s1])
        self._parts.append(text)
        self._len += len(text)
        self._last_copy = False

    def endswith(self, suffix: str) -> bool:
        """Whether the output so far ends with `suffix` (looks only at the tail)."""
        tail = ""
        for part in reversed(self._parts):
            tail = part + tail
            if len(tail) >= len(suffix):
                break
        return tail.endswith(suffix)

    def build(self) -> tuple[str, OffsetMap]:
        """The output text and its offset map."""
        return "".join(self._parts), OffsetMap([tuple(s) for s in self._spans])  # type: ignore[misc]


class OffsetMap:
    """Sorted, non-overlapping spans from an output text to its source."""

    __slots__ = ("_starts", "spans")

    def __init__(self, spans: Iterable[Sequence[int]]) -> None:
        self.spans: list[Span] = [(a, b, c, d) for a, b, c, d in spans]
        self._starts = [s[0] for s in self.spans]

    @classmethod
    def identity(cls, length: int, src_start: int = 0) -> OffsetMap:
        """The map of a text copied unchanged from `source[src_start:src_start+length]`."""
        return cls([(0, length, src_start, src_start + length)] if length else [])

    def shifted(self, src_delta: int) -> OffsetMap:
        """The same map with every source offset moved by `src_delta` (a piece of a larger text)."""
        return OffsetMap((a, b, c + src_delta, d + src_delta) for a, b, c, d in self.spans)

    def as_lists(self) -> list[list[int]]:
        """The JSON form used in Document records."""
        return [list(s) for s in self.spans]

    def clip(self, start: int, end: int) -> list[list[int]]:
        """The part of this map covering `text[start:end]`, text offsets relative to `start`.

        A copied span cut by the range is cut at the same place in the source; a replaced
        span keeps its whole source range (it stands for it as a whole). Sentences carry
        their own map this way.
        """
        out: list[list[int]] = []
        spans = self.spans
        # Indexes, not `spans[i:]`: a slice copies the rest of the map on every call, which
        # made one call per sentence quadratic in a document of many short blocks.
        for i in range(max(0, bisect_right(self._starts, start) - 1), len(spans)):
            t0, t1, s0, s1 = spans[i]
            if t0 >= end:
                break
            if t1 <= start:
                continue
            a, b = max(t0, start), min(t1, end)
            if t1 - t0 == s1 - s0:
                s0, s1 = s0 + (a - t0), s0 + (b - t0)
            out.append([a - start, b - start, s0, s1])
        return out

    def _point(self, pos: int, is_end: bool) -> int | None:
        """Source offset of an output position, or None when it falls between spans."""
        # An end offset belongs to the span that contains pos-1.
        i = bisect_right(self._starts, pos - 1 if is_end else pos) - 1
        if i < 0:
            return None
        t0, t1, s0, s1 = self.spans[i]
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
        lo = max(0, bisect_right(self._starts, start) - 1)
        while lo < len(self.spans) and self.spans[lo][1] <= start:
            lo += 1
        hi = bisect_right(self._starts, end - 1) - 1
        if lo >= len(self.spans) or hi < lo or end <= start:
            if lo < len(self.spans):
                anchor = self.spans[lo][2]
            else:
                anchor = self.spans[-1][3] if self.spans else 0
            return anchor, anchor
        s = self._point(max(start, self.spans[lo][0]), is_end=False)
        e = self._point(min(end, self.spans[hi][1]), is_end=True)
        assert s is not None and e is not None
        return s, e

    def compose(self, inner: OffsetMap) -> OffsetMap:
        """Chain maps: `inner` maps a new text onto this text; the result maps it to the source."""
        out: list[Span] = []
        for t0, t1, m0, m1 in inner.spans:
            if t1 - t0 == m1 - m0:
                # A copied piece may straddle several of our spans: split it at their edges.
                pos = m0
                while pos < m1:
                    j = bisect_right(self._starts, pos) - 1
                    if j < 0 or self.spans[j][1] <= pos:
                        nxt = bisect_right(self._starts, pos)
                        if nxt >= len(self.spans):
                            break
                        pos = min(m1, self.spans[nxt][0])
                        continue
                    stop = min(m1, self.spans[j][1])
                    s, e = self.to_source(pos, stop)
                    out.append((t0 + pos - m0, t0 + stop - m0, s, e))
                    pos = stop
            else:
                s, e = self.to_source(m0, m1)
                out.append((t0, t1, s, e))
        return OffsetMap(out)
