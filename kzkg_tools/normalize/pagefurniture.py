"""Page furniture of PDF-extracted text: running headers, page numbers, author lines, footnotes.

Nothing here knows a journal's strings. Furniture is found the way a reader spots it:
* a page number is a line holding only a number, alone between blank lines;
  at a page edge a longer number is one too when it continues the number of the page before
  (or is continued by the page after): page 10,000 of a long extraction is furniture like
  page 9,999, while a lone number of five digits elsewhere is data;
* a running header or footer is a line repeated at page edges (a header has a blank line
  below it, a footer a page number), not ending a sentence — body text seldom repeats a
  whole line, and never only at edges;
* where the text has form feeds (pdftotext writes one at the start of every page after the
  first), they are page edges too: the first and the last line of each page stand at an edge
  whatever their neighbours, so a page number is a number line first or last on its page and
  a running line may sit right on top of the body (`Header`/`body`/`12`/`\fHeader`);
* a running author line stands alone beside a page number while the body text runs on
  across the gap (the line before does not end a sentence, or the line after starts lower-case);
* a footnote block starts with `n ` at a page bottom (followed by furniture or by body text
  that runs on), where `n` is a reference mark glued to the body text above it (`1991)1.`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import regex

PAGE_NUMBER = regex.compile(r"^\d{1,4}$")
# A number line at a page edge is a page number, whatever its length up to this, when it
# continues a sequence (`_long_page_numbers`). Six digits is 999,999 pages, past any
# extraction of one document; a longer digit line is an identifier or an amount.
MAX_PAGE_DIGITS = 6
EDGE_NUMBER = regex.compile(rf"^\d{{1,{MAX_PAGE_DIGITS}}}$")
# How far a page number may jump from the one before and still continue its sequence: an
# unnumbered page or two (a blank verso, a plate) between numbered ones. A larger jump, or a
# step back, is no sequence, so the number stays body text.
MAX_PAGE_STEP = 3
SENTENCE_END = regex.compile(r"[.!?:;][»\"”’)\]]*$")
FOOTNOTE_START = regex.compile(r"^(\d{1,2})\s+\S")
DIGITS = regex.compile(r"\d+")
MIN_HEADER_CHARS = 8
MAX_RUNNING_LINE = 80


@dataclass
class Footnote:
    """One footnote: its number and the indices of its lines."""

    n: int
    lines: list[int]


@dataclass
class Edges:
    """The page edges that form feeds mark: the first (`tops`) and the last (`bottoms`)
    non-blank line of each page. Empty when the text has no form feed at a line start."""

    tops: set[int] = field(default_factory=set)
    bottoms: set[int] = field(default_factory=set)

    def __contains__(self, i: int) -> bool:
        return i in self.tops or i in self.bottoms


def form_feed_edges(lines: list[str]) -> Edges:
    """The page edges of text whose pages are separated by form feeds at line starts; the
    start and the end of the text are edges of its first and last page. One pass."""
    edges = Edges()
    if not any(line.startswith("\f") for line in lines):
        return edges
    first: int | None = None  # the first non-blank line of the current page
    last: int | None = None
    for i, line in enumerate(lines):
        if line.startswith("\f") and last is not None:
            edges.bottoms.add(last)
            first = last = None
        if line.strip():
            if first is None:
                first = i
                edges.tops.add(i)
            last = i
    if last is not None:
        edges.bottoms.add(last)
    return edges


@dataclass
class Furniture:
    """What to take out of the body: whole lines, footnotes, and reference marks.

    `marks` maps a line index to the (start, end) columns of reference digits to drop.
    """

    dropped: set[int] = field(default_factory=set)
    footnotes: list[Footnote] = field(default_factory=list)
    marks: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    # The lines of `footnotes`, kept with them by `add_notes`: `removed` is asked for every
    # line, and a long document has a footnote on most pages (a scan of the notes per line
    # was quadratic in the length).
    note_lines: set[int] = field(default_factory=set)
    # Form-feed page edges (`form_feed_edges`): a new block starts on top of each page.
    edges: Edges = field(default_factory=Edges)

    def __post_init__(self) -> None:
        self.note_lines.update(i for f in self.footnotes for i in f.lines)

    def add_notes(self, notes: list[Footnote]) -> None:
        self.footnotes.extend(notes)
        self.note_lines.update(i for f in notes for i in f.lines)

    def removed(self, i: int) -> bool:
        return i in self.dropped or i in self.note_lines


def _blank(lines: list[str], i: int) -> bool:
    return i < 0 or i >= len(lines) or not lines[i].strip()


def _runs_on(above: str, below: str) -> bool:
    """Whether body text continues from line `above` to line `below` across a gap."""
    below = below.strip()
    return not SENTENCE_END.search(above.strip()) or (bool(below) and below[0].islower())


def _page_numbers(lines: list[str], edges: Edges) -> set[int]:
    """Lone numbers of at most four digits, and at form-feed page edges longer numbers that
    continue the page numbers' sequence (the page before's plus 1 to `MAX_PAGE_STEP`)."""
    out = {
        i
        for i, line in enumerate(lines)
        if PAGE_NUMBER.match(line.strip())
        and (i in edges or (_blank(lines, i - 1) and _blank(lines, i + 1)))
    }
    if edges.tops:
        out |= _long_page_numbers(lines, edges)
    return out


def _long_page_numbers(lines: list[str], edges: Edges) -> set[int]:
    """Number lines longer than `PAGE_NUMBER` allows, at a page edge, that follow the number
    line at an edge before them (or precede the one after them) by 1 to `MAX_PAGE_STEP`: a
    sequence runs across pages, and its short members vouch for its long ones (`9999`,
    `10000`). One pass over the edges in line order."""
    at_edges = sorted(
        (i, int(text))
        for i in edges.tops | edges.bottoms
        if EDGE_NUMBER.match(text := lines[i].strip())
    )
    out: set[int] = set()
    for k, (i, n) in enumerate(at_edges):
        if PAGE_NUMBER.match(lines[i].strip()):
            continue  # the rule for short numbers has it already
        before = at_edges[k - 1][1] if k else None
        after = at_edges[k + 1][1] if k + 1 < len(at_edges) else None
        if (before is not None and 0 < n - before <= MAX_PAGE_STEP) or (
            after is not None and 0 < after - n <= MAX_PAGE_STEP
        ):
            out.add(i)
    return out


def _at_form_feed_edge(i: int, edges: Edges, numbers: set[int]) -> bool:
    """Whether line i is the first or last line of a form-feed page, or stands next to a
    page number that is (a header under a page number on top, a footer above one below)."""
    return (
        i in edges
        or (i - 1 in edges.tops and i - 1 in numbers)
        or (i + 1 in edges.bottoms and i + 1 in numbers)
    )


def _running_lines(lines: list[str], edges: Edges, numbers: set[int]) -> set[int]:
    """Lines repeated (digits aside) and found only at page edges."""
    where: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        key = DIGITS.sub("#", line.strip()).casefold()
        if len(key) >= MIN_HEADER_CHARS and not SENTENCE_END.search(key):
            where.setdefault(key, []).append(i)
    out: set[int] = set()
    for idxs in where.values():
        # A header is followed by a blank line; a footer is preceded by one and followed
        # by a page number. A paragraph's first line has a blank only above it.
        if len(idxs) >= 2 and all(
            _blank(lines, i + 1)
            or (
                _blank(lines, i - 1)
                and (i + 1 in numbers or PAGE_NUMBER.match(lines[i + 1].strip()))
            )
            or (edges.tops and _at_form_feed_edge(i, edges, numbers))
            for i in idxs
        ):
            out.update(idxs)
    return out


def _content(lines: list[str], i: int, step: int, *skip: set[int]) -> int | None:
    """The next non-blank line from i in direction step that is in none of `skip`."""
    while 0 <= i < len(lines):
        if lines[i].strip() and not any(i in s for s in skip):
            return i
        i += step
    return None


def _gap_lines(lines: list[str], numbers: set[int], dropped: set[int]) -> set[int]:
    """Single short lines standing beside a page number while the body runs on."""
    out: set[int] = set()
    for p in sorted(numbers):
        above = _content(lines, p - 1, -1)
        below = _content(lines, p + 1, 1)
        for cand in (above, below):
            if cand is None or cand in dropped:
                continue
            text = lines[cand].strip()
            alone = _blank(lines, cand - 1) and _blank(lines, cand + 1)
            if not alone or len(text) > MAX_RUNNING_LINE or SENTENCE_END.search(text):
                continue
            # The sets as they are, not their union: a union per page number was
            # quadratic in the number of pages.
            skip = (dropped, numbers, {cand})
            before = _content(lines, min(cand, p) - 1, -1, *skip)
            after = _content(lines, max(cand, p) + 1, 1, *skip)
            if before is not None and after is not None and _runs_on(lines[before], lines[after]):
                out.add(cand)
    return out


# A reference mark: digits glued after `)`, a closing quote or a letter, and followed by
# punctuation, space or the line end. Neither side can be a digit, so a match is a whole run
# of digits: the mark `n` is a match whose digits are `str(n)`.
MARK = regex.compile(r"(?<=[)\]»”\"\p{L}])([0-9]+)(?=[\s.,;:]|$)")


class _Marks:
    """Where each reference mark stands: the lines holding it, and its last place in each.

    Built once per document by one pass over its lines, so that looking for the mark of a
    footnote above it is a binary search: scanning back line by line to the page start
    was quadratic in a document of many `n text` paragraphs and no page edges.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines: dict[str, list[int]] = {}
        self.spans: dict[str, list[tuple[int, int]]] = {}
        for i, line in enumerate(lines):
            last: dict[str, tuple[int, int]] = {}
            for m in MARK.finditer(line):
                last[m.group(1)] = m.span()
            for digits, span in last.items():
                self.lines.setdefault(digits, []).append(i)
                self.spans.setdefault(digits, []).append(span)

    def last(self, n: int, first: int, last: int) -> tuple[int, int, int] | None:
        """The last reference mark `n` in body lines first..last."""
        digits = str(n)
        at = self.lines.get(digits, [])
        k = bisect.bisect_right(at, last) - 1
        if k < 0 or at[k] < first:
            return None
        return at[k], *self.spans[digits][k]


def find_furniture(lines: list[str]) -> Furniture:
    """Locate the page furniture of a PDF text given as lines (without newlines)."""
    edges = form_feed_edges(lines)
    numbers = _page_numbers(lines, edges)
    dropped = numbers | _running_lines(lines, edges, numbers)
    dropped |= _gap_lines(lines, numbers, dropped)
    furniture = Furniture(dropped=dropped, edges=edges)
    index: _Marks | None = None  # built when a footnote first needs it
    page_start = 0  # first line of the body text since the last page edge
    i = 0
    while i < len(lines):
        if _blank(lines, i) or i in dropped:
            if i in dropped:
                page_start = i + 1
            i += 1
            continue
        if i in edges.tops:
            page_start = i
        end = i
        # A block of lines ends at a blank line, furniture, or the bottom of a page.
        while (
            end + 1 < len(lines)
            and not _blank(lines, end + 1)
            and end + 1 not in dropped
            and end not in edges.bottoms
        ):
            end += 1
        if index is None and FOOTNOTE_START.match(lines[i].strip()):
            index = _Marks(lines)
        notes = index is not None and _footnote_block(lines, i, end, page_start, furniture, index)
        if notes:
            page_start = end + 1
        i = end + 1
    return furniture


def _footnote_block(
    lines: list[str], start: int, end: int, page_start: int, furniture: Furniture, index: _Marks
) -> bool:
    """Record lines start..end as footnotes if they are a footnote block; say whether."""
    m = FOOTNOTE_START.match(lines[start].strip())
    if not m or start == page_start:
        return False
    after = _content(lines, end + 1, 1)
    at_bottom = (
        after is None
        or end in furniture.edges.bottoms
        or after in furniture.dropped
        or (lines[after].strip()[:1].islower() and _blank(lines, end + 1))
    )
    if not at_bottom:
        return False
    n = int(m.group(1))
    first_mark = index.last(n, page_start, start - 1)
    if first_mark is None:
        return False
    notes = [Footnote(n, [start])]
    marks = [first_mark]
    for i in range(start + 1, end + 1):
        nxt = FOOTNOTE_START.match(lines[i].strip())
        expected = notes[-1].n + 1
        if nxt and int(nxt.group(1)) == expected:
            mark = index.last(expected, page_start, start - 1)
            if mark is not None:
                marks.append(mark)
                notes.append(Footnote(expected, [i]))
                continue
        notes[-1].lines.append(i)
    furniture.add_notes(notes)
    for line, a, b in marks:
        furniture.marks.setdefault(line, []).append((a, b))
    return True
