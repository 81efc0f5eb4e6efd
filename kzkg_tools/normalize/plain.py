"""Plain text (web exports, wiki text already stripped) to blocks, with leftovers removed.

Each non-empty line is a block. Exports of wiki pages keep citation markers
(`[1][2]`) and templates nobody expanded (`{{استشهاد ويب}}`); news exports
start with a dateline (` date 2025-08-21 Title…`), whose date goes to
`metadata.date` and whose rest is the title. A short line without closing
punctuation followed by a long one is taken for a heading.
"""

from __future__ import annotations

from typing import Any

import regex

from kzkg_tools.normalize.base import Normalized
from kzkg_tools.normalize.blocks import BlockWriter
from kzkg_tools.resources import owned

HEADING_MAX = 100  # characters
_CLOSING = ".!?:;\u2026\u00bb\"'\u201d\u3002\uff01\uff1f\uff1a\uff1b)]\uff09"


@owned("normalize-patterns")
def leftover_markup() -> Any:
    """Citation markers `[1]` and unexpanded one-line templates: wiki residue in any export."""
    return regex.compile(r"\[\d{1,3}\]|\{\{[^{}\n]*\}\}")


@owned("normalize-patterns")
def _rx() -> dict[str, Any]:
    return {
        "dateline": regex.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s+"),
        "leftover": leftover_markup(),
    }


_CLOSINGS = tuple(_CLOSING)


def _is_heading(line: str, following: str | None) -> bool:
    # the following line first: most lines are followed by no long one (a text of short lines)
    if following is None or len(following) <= HEADING_MAX or len(following.strip()) <= HEADING_MAX:
        return False
    line = line.strip()
    return 0 < len(line) <= HEADING_MAX and not line.endswith(_CLOSINGS)


def normalize_plain(text: str, strip_leftovers: bool = True) -> Normalized:
    """Blocks of a plain text; `strip_leftovers=False` keeps every character (the fallback)."""
    rx = _rx()
    metadata: dict[str, Any] = {}
    start = 0
    title_line = False
    dateline = rx["dateline"].match(text) if strip_leftovers else None
    if dateline:
        metadata["date"] = dateline.group(1)
        start = dateline.end()
        title_line = True
    lines = text[start:].split("\n")
    nonempty = [ln for ln in lines if ln.strip()]
    out = BlockWriter()
    pos = start
    seen = 0
    for line in lines:
        if line.strip():
            following = nonempty[seen + 1] if seen + 1 < len(nonempty) else None
            heading = title_line or _is_heading(line, following)
            kind = "heading" if heading else "paragraph"
            if title_line:
                metadata["title"] = line.strip()
                title_line = False
            seen += 1
            # (a citation marker starts with `[`, a template with `{{`: most lines have neither)
            if strip_leftovers and ("[" in line or "{{" in line):
                out.start(kind)
                cut = 0
                for m in rx["leftover"].finditer(line):
                    out.text(line[cut : m.start()], pos + cut)
                    cut = m.end()
                out.text(line[cut:], pos + cut)
                out.finish()
            else:
                out.line(kind, line, pos)
        pos += len(line) + 1
    body, offsets, blocks = out.build_blocks()
    return Normalized(text=body, offsets=offsets, blocks=blocks, metadata=metadata)
