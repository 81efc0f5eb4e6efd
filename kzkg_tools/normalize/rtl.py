"""Right-to-left cleanup: bidi controls, Arabic presentation forms, tatweel, hamza, visual order.

Arabic-script text reaches us from web pages and PDF extractors with display
artefacts mixed into the letters: invisible bidi controls, joiners left over
from copy-paste, presentation-form glyph codes (U+FB50-FDFF, U+FE70-FEFF)
instead of letters, kashida (tatweel) stretching, two spellings of the Kazakh
hamza, and whole lines stored in visual (reversed) order. Each repair returns
the new text plus an `OffsetMap` onto its input, so later offsets still reach
the file.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import regex

from kzkg_tools import tables
from kzkg_tools.offsets import OffsetMap, TextBuilder
from kzkg_tools.resources import owned

BIDI_CONTROLS = "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
JOINERS = "\u200c\u200d"
TATWEEL = "\u0640"
HAMZA = "\u0621"
HIGH_HAMZA = "\u0674"
BOM = "\ufeff"
KK_LETTERS = "ەۇۋڭٴ"  # Kazakh letters of the Arabic script that standard Arabic lacks


@owned("normalize-patterns")
def _patterns() -> dict[str, Any]:
    return {
        # Everything the character pass may touch; the rest of a text is copied in bulk.
        # `re`, not `regex`: a class of literal characters matches the same in both, and `re`
        # scans a text that has none of them (nearly every text) five times faster.
        "special": re.compile(
            f"[{BIDI_CONTROLS}{JOINERS}{TATWEEL}{HIGH_HAMZA}{BOM}\ufb50-\ufdff\ufe70-\ufefe]"
        ),
        # A joiner is meaningful only between two letters/marks (Persian ZWNJ) or symbols
        # (emoji) that stay: not next to a tatweel, a control or another joiner.
        "joined": regex.compile(r"[\p{L}\p{M}\p{So}--[\u0640]]", regex.V1),
        "arabic": regex.compile(r"\p{Arabic}"),
        "word": regex.compile(r"\p{Arabic}{2,}"),
        "arabic_letters": regex.compile(r"\p{Arabic}"),
    }


def is_kazakh_arabic(text: str) -> bool:
    """Whether `text` is Kazakh in the Arabic script (letters standard Arabic lacks)."""
    sample = text[:200_000]
    kk = sum(map(sample.count, KK_LETTERS))  # a pass in C per letter: no regex engine
    return kk > 0 and kk >= 0.01 * len(_patterns()["arabic_letters"].findall(sample))


def clean_rtl(text: str, kazakh: bool = False) -> tuple[str, OffsetMap]:
    """Drop bidi controls, stray joiners, BOMs and tatweel; presentation forms to base letters.

    With `kazakh`, the high hamza U+0674 becomes U+0621, the spelling Kazinform
    and our transliteration data use, so one word has one spelling.
    """
    rx = _patterns()
    if not rx["special"].search(text):
        return text, OffsetMap.identity(len(text))
    out = TextBuilder()
    pos = 0
    for m in rx["special"].finditer(text):
        i = m.start()
        out.copy(text[pos:i], pos)
        pos = i + 1
        ch = m.group()
        if ch in JOINERS:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if before and after and rx["joined"].match(before) and rx["joined"].match(after):
                out.copy(ch, i)
        elif ch == HIGH_HAMZA:
            out.replace(HAMZA if kazakh else ch, i, i + 1)
        elif "\ufb50" <= ch <= "\ufefe":
            base = unicodedata.normalize("NFKC", ch)
            if base == ch:
                out.copy(ch, i)
            else:
                out.replace(base, i, i + 1)
        # bidi controls, BOM and tatweel are dropped: nothing is appended
    out.copy(text[pos:], pos)
    return out.build()


@owned("normalize-patterns")
def _markers() -> tuple[dict[str, float], dict[str, float]]:
    """Word-start and word-end letter sequences with their log-odds weights (see data README)."""
    start: dict[str, float] = {}
    end: dict[str, float] = {}
    for pos, affix, weight, _lang in tables.rows("normalize/visual_order_markers.tsv", columns=4):
        (start if pos == "start" else end)[affix] = float(weight)
    return start, end


def _edge_score(word: str, start: dict[str, float], end: dict[str, float]) -> float:
    return max(start.get(word[:2], 0.0), start.get(word[:1], 0.0)) + max(
        end.get(word[-2:], 0.0), end.get(word[-1:], 0.0)
    )


@owned("normalize-patterns", maxsize=1 << 16)
def _word_score(word: str) -> float:
    """One word's share of `visual_order_score` (cached: lines repeat their words)."""
    start, end = _markers()
    return _edge_score(word, start, end) - _edge_score(word[::-1], start, end)


def visual_order_score(line: str) -> float:
    """Evidence that `line` is in logical order (positive) or visual order (negative).

    Arabic-script words have letters that only begin words (ال, ء in Kazakh) or
    only end them (ة, ڭ); a reversed line shows them at the wrong edge.
    """
    score = 0.0
    for word in _patterns()["word"].findall(line):
        score += _word_score(word)
    return score


MIN_WORDS = 5  # fewer words are too little evidence: two words can look reversed


def _is_visual(line: str) -> bool:
    words = len(_patterns()["word"].findall(line))
    return words >= MIN_WORDS and visual_order_score(line) < -6.0


def _to_logical(line: str) -> tuple[str, list[int]]:
    """ICU's inverse bidi algorithm: visual line to logical text, and each output char's source."""
    import icu

    bidi = icu.Bidi()
    bidi.setReorderingMode(icu.UBiDiReorderingMode.INVERSE_LIKE_DIRECT)
    bidi.setPara(icu.UnicodeString(line), 1)  # paragraph level 1: right-to-left
    logical = str(bidi.writeReordered(icu.Bidi.DO_MIRRORING))
    # Maps are in UTF-16 units: translate them to code points.
    cp_of_unit = [i for i, ch in enumerate(line) for _ in range(2 if ord(ch) > 0xFFFF else 1)]
    # In inverse mode the "visual" side is our output: output unit -> input unit.
    units = [cp_of_unit[v] if v >= 0 else -1 for v in bidi.getVisualMap()]
    sources: list[int] = []
    u = 0
    for ch in logical:
        sources.append(units[u] if u < len(units) else -1)
        u += 2 if ord(ch) > 0xFFFF else 1
    return logical, sources


def repair_visual_order(text: str) -> tuple[str, OffsetMap]:
    """Restore logical order on lines stored reversed (visual order), leaving others alone.

    A restored line maps character by character back to where each character
    stood in the reversed source line.
    """
    rx = _patterns()
    if not rx["arabic"].search(text):
        return text, OffsetMap.identity(len(text))
    out = TextBuilder()
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if rx["arabic"].search(body) and _is_visual(body):
            logical, sources = _to_logical(body)
            out.replace_chars(logical, sources, pos)
            out.copy(line[len(body) :], pos + len(body))
        else:
            out.copy(line, pos)
        pos += len(line)
    return out.build()
