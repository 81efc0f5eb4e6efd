"""Beads side by side in the terminal, with right-to-left text readable.

Most terminals print characters in logical order, so Arabic comes out backwards and unjoined.
`visual` display runs ICU's Arabic shaping and bidi reordering on each RTL cell first, which is
what a terminal without bidi support needs; `logical` leaves the text as it is for terminals
that do their own bidi (mlterm, recent VTE with bidi enabled).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import regex
from rich.console import Console
from rich.table import Table

from kzkg_tools.records import Bead

_RTL = regex.compile(r"[\p{Bidi_Class=R}\p{Bidi_Class=AL}]")


@cache
def _bidi_tools() -> tuple[Any, Any, Any]:
    import icu

    return icu.Bidi, icu.Shape, icu.UnicodeString


def visual(text: str) -> str:
    """Arabic-shaped, visually ordered form of a logical-order string (one line)."""
    if not _RTL.search(text):
        return text
    bidi_cls, shape, icu_string = _bidi_tools()
    shaped = shape.shapeArabic(text, shape.LETTERS_SHAPE | shape.LENGTH_GROW_SHRINK)
    bidi = bidi_cls()
    bidi.setPara(icu_string(shaped), bidi_cls.DEFAULT_LTR)
    return str(bidi.writeReordered(bidi_cls.DO_MIRRORING))


def show(beads: Iterable[Bead], console: Console, bidi: str = "visual", limit: int = 0) -> int:
    """Print beads as tables, one per document pair; returns how many beads were shown."""
    shown = 0
    table: Table | None = None
    current: tuple[tuple[str, str], ...] | None = None
    for bead in beads:
        columns = tuple((m.doc_id, m.lang) for m in bead.members)
        if columns != current:
            if table is not None:
                console.print(table)
            current = columns
            table = Table(show_lines=True, expand=True)
            table.add_column("bead", no_wrap=True)
            for doc, lang in columns:
                table.add_column(f"{doc}\n{lang}", overflow="fold")
        assert table is not None
        cells = [m.text if bidi == "logical" else visual(m.text) for m in bead.members]
        label = f"{bead.id.rsplit(':', 1)[-1]}\n{bead.method[:4]} {bead.score:.2f}"
        table.add_row(label, *cells)
        shown += 1
        if limit and shown >= limit:
            break
    if table is not None:
        console.print(table)
    return shown
