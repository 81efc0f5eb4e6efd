"""Assembling normalized text out of blocks, the one place whitespace is decided.

Every format normalizer walks its own markup and feeds pieces of source text
here; the writer collapses runs of whitespace (what a browser shows), drops
blocks that end up empty (a line that held only a template), and joins blocks
with one blank line, recording each block's range and kind. Offsets are kept
with a `TextBuilder`, so the result maps back to the normalizer's input.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import regex

from kzkg_tools.offsets import OffsetMap, TextBuilder

SEPARATOR = "\n\n"


@cache
def _space() -> Any:
    return regex.compile(r"\s+")


@cache
def _irregular() -> Any:
    return regex.compile(r"[^\S ]|  ")


class BlockWriter:
    """Collects blocks of inline text with collapsed whitespace and an offset map."""

    def __init__(self) -> None:
        self._out = TextBuilder()
        self._blocks: list[tuple[int, int, str]] = []
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

    def start(self, kind: str) -> None:
        """Close the open block and open one of `kind`."""
        self.finish()
        self._kind = kind

    def finish(self) -> None:
        """Close the open block (an empty block leaves no trace); the next is a paragraph."""
        if self._start is not None:
            self._blocks.append((self._start, len(self._out), self._kind))
        self._start = None
        self._pending = None
        self._kind = "paragraph"

    def _begin_piece(self) -> None:
        if self._start is None:
            if len(self._out):
                self._out.insert(SEPARATOR)
            self._start = len(self._out)
        elif self._pending is not None:
            s0, s1, plain = self._pending
            if s0 < 0:
                self._out.insert(" ")
            elif plain:
                self._out.copy(" ", s0)  # merges with its neighbours: fewer spans
            else:
                self._out.replace(" ", s0, s1)
        self._pending = None

    def space(self, src_start: int, src_end: int, plain: bool = False) -> None:
        """Whitespace in the source: one space at most, and none at a block's edges.

        `plain` says the source range is a single " ", which can then be copied.
        """
        if self._start is not None and self._pending is None:
            self._pending = (src_start, src_end, plain)

    def gap(self) -> None:
        """A space that stands for nothing in the source (between rendered template values)."""
        self.space(-1, -1)

    def text(self, text: str, src_start: int) -> None:
        """Source text copied as it is, its whitespace runs collapsed to one space."""
        if not _irregular().search(text):
            # Only single spaces: copy the middle in one piece (the usual case, and fast).
            core = text.strip(" ")
            if not core:
                if text:
                    self.space(src_start, src_start + len(text), plain=text == " ")
                return
            lead = len(text) - len(text.lstrip(" "))
            if lead:
                self.space(src_start + lead - 1, src_start + lead, plain=True)
            self._begin_piece()
            self._out.copy(core, src_start + lead)
            if text.endswith(" "):
                end = src_start + lead + len(core)
                self.space(end, end + 1, plain=True)
            return
        pos = 0
        for m in _space().finditer(text):
            if m.start() > pos:
                self._begin_piece()
                self._out.copy(text[pos : m.start()], src_start + pos)
            if m.group() == " ":
                self.space(src_start + m.start(), src_start + m.end(), plain=True)
            else:
                self.space(src_start + m.start(), src_start + m.end())
            pos = m.end()
        if pos < len(text):
            self._begin_piece()
            self._out.copy(text[pos:], src_start + pos)

    def replace(self, text: str, src_start: int, src_end: int) -> None:
        """Text that stands for a source range as a whole (an entity, a rendered template)."""
        if not text:
            return
        if text.isspace():
            self.space(src_start, src_end)
            return
        self._begin_piece()
        self._out.replace(text, src_start, src_end)

    def build(self) -> tuple[str, OffsetMap, list[tuple[int, int, str]]]:
        """The text, its map, and (start, end, kind) of every block."""
        self.finish()
        text, offsets = self._out.build()
        return text, offsets, list(self._blocks)


@cache
def _empty_brackets() -> Any:
    return regex.compile(r" ?[(\uff08][\s,\uff0c;\uff1b]*[)\uff09]")


def drop_empty_brackets(
    text: str, blocks: list[tuple[int, int, str]]
) -> tuple[str, OffsetMap, list[tuple[int, int, str]]]:
    """Remove empty brackets (ASCII or fullwidth) left where a dropped name stood.

    Returns the new text, its map onto `text`, and the blocks moved to match.
    """
    matches = list(_empty_brackets().finditer(text))
    if not matches:
        return text, OffsetMap.identity(len(text)), blocks
    out = TextBuilder()
    removed: list[tuple[int, int]] = []
    pos = 0
    for m in matches:
        out.copy(text[pos : m.start()], pos)
        removed.append((m.start(), m.end()))
        pos = m.end()
    out.copy(text[pos:], pos)
    new_text, offsets = out.build()

    def moved(p: int) -> int:
        return p - sum(min(e, p) - s for s, e in removed if s < p)

    return new_text, offsets, [(moved(s), moved(e), k) for s, e, k in blocks]
