"""Assembling normalized text out of blocks, the one place whitespace is decided.

Every format normalizer walks its own markup and feeds pieces of source text
here; the writer collapses runs of whitespace (what a browser shows), drops
blocks that end up empty (a line that held only a template), and joins blocks
with one blank line, recording each block's range and kind. Offsets are kept
with a `TextBuilder`, so the result maps back to the normalizer's input.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate
from typing import Any

import regex

from kzkg_tools.offsets import OffsetMap, TextBuilder
from kzkg_tools.records import Blocks
from kzkg_tools.resources import owned

SEPARATOR = "\n\n"
UND = "und"  # a block's language until `normalize` identifies it


@owned("normalize-patterns")
def _space() -> Any:
    return regex.compile(r"\s+")


@owned("normalize-patterns")
def _irregular() -> Any:
    return regex.compile(r"[^\S ]|  ")


# Every character `regex` counts as \s (Unicode White_Space) but the space, listed for `re`,
# whose search is several times faster on short strings: no match here, none in _irregular.
_MAYBE_IRREGULAR = re.compile("[\t-\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|  ")


class BlockWriter:
    """Collects blocks of inline text with collapsed whitespace and an offset map.

    With `drop_empty_sections`, a heading is held back until text of its
    section arrives, and dropped when the next heading of its rank (or the
    end) comes first: the "References" heading over a dropped reference list.
    """

    def __init__(self, drop_empty_sections: bool = False) -> None:
        self._out = TextBuilder()
        self._dest = self._out  # where the open block is written: _out, or a held heading
        self._drop_empty_sections = drop_empty_sections
        self._held: list[tuple[int, str, OffsetMap]] = []  # (level, text, map) of headings
        self._level = 0
        # arrays, not a tuple a block: a text of short lines has millions of blocks
        self._blocks = Blocks()
        self._kind = "paragraph"
        self._start: int | None = None  # output offset of the open block's first character
        # A space not yet written: its source range, and whether the source is one plain space.
        self._pending: tuple[int, int, bool] | None = None

    @property
    def kind(self) -> str:
        """Kind of the open block."""
        return self._kind

    @property
    def position(self) -> int:
        """Length of the text written so far."""
        return len(self._out)

    @property
    def empty(self) -> bool:
        """Whether the open block has no text yet."""
        return self._start is None

    def start(self, kind: str, level: int = 1) -> None:
        """Close the open block and open one of `kind` (`level`: a heading's rank, 1 highest)."""
        self.finish()
        self._kind = kind
        if kind == "heading" and self._drop_empty_sections:
            while self._held and self._held[-1][0] >= level:
                self._held.pop()  # its section ended empty
            self._level = level
            self._dest = TextBuilder()

    def finish(self) -> None:
        """Close the open block (an empty block leaves no trace); the next is a paragraph."""
        if self._dest is not self._out:
            if self._start is not None:
                self._held.append((self._level, *self._dest.build()))
            self._dest = self._out
        elif self._start is not None:
            self._blocks.append(self._start, len(self._out), self._kind, UND)
        self._start = None
        self._pending = None
        self._kind = "paragraph"

    def _release_headings(self) -> None:
        """Text of a section arrived: its held headings are written first."""
        for _level, text, offsets in self._held:
            if len(self._out):
                self._out.insert(SEPARATOR)
            start = len(self._out)
            self._out.extend(text, offsets)
            self._blocks.append(start, len(self._out), "heading", UND)
        self._held.clear()

    def _begin_piece(self) -> None:
        if self._start is None:
            if self._held and self._dest is self._out:
                self._release_headings()
            if len(self._dest):
                self._dest.insert(SEPARATOR)
            self._start = len(self._dest)
        elif self._pending is not None:
            s0, s1, plain = self._pending
            if s0 < 0:
                self._dest.insert(" ")
            elif plain:
                self._dest.copy(" ", s0)  # merges with its neighbours: fewer spans
            else:
                self._dest.replace(" ", s0, s1)
        self._pending = None

    def space(self, src_start: int, src_end: int, plain: bool = False) -> None:
        """Whitespace in the source: one space at most, and none at a block's edges.

        `plain` says the source range is a single " ", which can then be copied.
        """
        if self._start is not None and self._pending is None:
            self._pending = (src_start, src_end, plain)

    def join(self, separator: str) -> None:
        """Text with no source between two parts of one block (" | " between table cells)."""
        if self._start is None:
            return
        self._dest.insert(separator.rstrip(" "))
        self._pending = (-1, -1, False) if separator.endswith(" ") else None

    def gap(self) -> None:
        """A space that stands for nothing in the source (between rendered template values)."""
        self.space(-1, -1)

    def text(self, text: str, src_start: int) -> None:
        """Source text copied as it is, its whitespace runs collapsed to one space."""
        if not text:
            return
        if not _MAYBE_IRREGULAR.search(text) or not _irregular().search(text):
            # Only single spaces: copy the middle in one piece (the usual case, and fast).
            if text[0] != " " and text[-1] != " ":
                self._begin_piece()
                self._dest.copy(text, src_start)
                return
            # Single spaces only, so at most one leads and one trails.
            lead = 1 if text[0] == " " else 0
            trail = 1 if text[-1] == " " else 0
            core = text[lead : len(text) - trail]
            if not core:
                self.space(src_start, src_start + len(text), plain=text == " ")
                return
            at = src_start + lead
            if lead and self._start is not None and self._pending in (None, (at - 1, at, True)):
                # The space before the text is the one to write: one copy for both, the span
                # `_begin_piece` and a second copy would have merged into.
                self._pending = None
                self._dest.copy(" " + core, at - 1)
            else:
                self._begin_piece()
                self._dest.copy(core, at)
            if trail:
                end = at + len(core)
                self._pending = (end, end + 1, True)  # what `space` keeps: nothing pends here
            return
        pos = 0
        for m in _space().finditer(text):
            if m.start() > pos:
                self._begin_piece()
                self._dest.copy(text[pos : m.start()], src_start + pos)
            if m.group() == " ":
                self.space(src_start + m.start(), src_start + m.end(), plain=True)
            else:
                self.space(src_start + m.start(), src_start + m.end())
            pos = m.end()
        if pos < len(text):
            self._begin_piece()
            self._dest.copy(text[pos:], src_start + pos)

    def line(self, kind: str, text: str, src_start: int) -> None:
        """A block of `kind` holding source text copied as it is: what `start(kind)`,
        `text(text, src_start)` and `finish()` write, in one step where the text is one
        piece (no space at its edges, no run to collapse) and no block is open or held, as
        for most lines of a plain text (which can have millions of one-word lines)."""
        if (
            self._start is not None
            or self._dest is not self._out
            or self._held
            or (kind == "heading" and self._drop_empty_sections)
            or not text
            or text[0] == " "
            or text[-1] == " "
            or _MAYBE_IRREGULAR.search(text)
        ):
            self.start(kind)
            self.text(text, src_start)
            self.finish()
            return
        out = self._out
        if len(out):
            out.insert_copy(SEPARATOR, text, src_start)
            end = len(out)
        else:
            out.copy(text, src_start)
            end = len(text)
        self._blocks.append(end - len(text), end, kind, UND)
        self._pending = None
        self._kind = "paragraph"

    def replace(self, text: str, src_start: int, src_end: int) -> None:
        """Text that stands for a source range as a whole (an entity, a rendered template)."""
        if not text:
            return
        if text.isspace():
            self.space(src_start, src_end)
            return
        self._begin_piece()
        self._dest.replace(text, src_start, src_end)

    def build(self) -> tuple[str, OffsetMap, list[tuple[int, int, str]]]:
        """The text, its map, and (start, end, kind) of every block."""
        text, offsets, blocks = self.build_blocks()
        return text, offsets, [(s, e, k) for s, e, k, _lang in blocks.rows()]

    def build_blocks(self) -> tuple[str, OffsetMap, Blocks]:
        """The text, its map, and its blocks (language `und`), held compactly."""
        self.finish()
        text, offsets = self._out.build()
        return text, offsets, self._blocks


# An empty pair of brackets: `regex`'s \s (Unicode White_Space) written out for `re` (checked
# over every code point), whose search for the bracket is several times faster than `regex`'s
# for the optional space before it.
_WHITE_SPACE = "\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_EMPTY_PAIR = re.compile(f"[(\uff08][{_WHITE_SPACE},\uff0c;\uff1b]*[)\uff09]")


def _empty_brackets(text: str) -> list[tuple[int, int]]:
    """(start, end) of each match of ` ?[(（][\\s,，;；]*[)）]` in `text`, in order.

    A pair takes the space before it along unless that space ends the match before, as
    `regex.finditer` gives it: the bracket cannot match a space, so the leftmost match
    starts at the space before the leftmost pair when there is one.
    """
    out: list[tuple[int, int]] = []
    last = 0
    for m in _EMPTY_PAIR.finditer(text):
        start = m.start()
        if start > last and text[start - 1] == " ":
            start -= 1
        out.append((start, m.end()))
        last = m.end()
    return out


def drop_empty_brackets(
    text: str, blocks: list[tuple[int, int, str]]
) -> tuple[str, OffsetMap, list[tuple[int, int, str]]]:
    """Remove empty brackets (ASCII or fullwidth) left where a dropped name stood.

    Returns the new text, its map onto `text`, and the blocks moved to match.
    """
    matches = _empty_brackets(text)
    if not matches:
        return text, OffsetMap.identity(len(text)), blocks
    out = TextBuilder()
    removed: list[tuple[int, int]] = []
    pos = 0
    for start, end in matches:
        out.copy(text[pos:start], pos)
        removed.append((start, end))
        pos = end
    out.copy(text[pos:], pos)
    new_text, offsets = out.build()

    # Characters removed before each match (the matches are sorted and disjoint): a block edge
    # moves back by a bisect, not a sum over every match (a page may have hundreds of both).
    starts = [s for s, _ in removed]
    before = list(accumulate((e - s for s, e in removed), initial=0))

    def moved(p: int) -> int:
        k = bisect_left(starts, p)  # the matches that start before p
        if not k:
            return p
        s, e = removed[k - 1]
        return p - before[k - 1] - (min(e, p) - s)

    return new_text, offsets, [(moved(s), moved(e), k) for s, e, k in blocks]
