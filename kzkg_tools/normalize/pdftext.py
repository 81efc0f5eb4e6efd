"""PDF-extracted text to paragraphs: rejoin wrapped lines, hyphens and split words; drop furniture.

Text copied out of a justified, two-column PDF (seed 002) has four kinds of damage:
soft-wrapped lines; syllable hyphens at line ends mixed with real ones (`мемлекеттер-` /
`мен` vs `қарым-` / `қатынас`); justification gaps inside words (`та тулықты`, `Қазақ стан`);
and page furniture (running headers, page numbers, footnotes) cutting paragraphs in two.
`pagefurniture` finds the furniture, `pdflexicon` says what is a word; this module puts the
paragraphs back together and keeps an offset map: unchanged runs are copied, a word rebuilt
from pieces is one replaced span covering its whole source range.
"""

from __future__ import annotations

import itertools
from array import array
from collections import Counter
from dataclasses import dataclass
from typing import Any

import regex

from kzkg_tools import detect
from kzkg_tools.detect import detect_lang, script_counts
from kzkg_tools.normalize.base import Normalized
from kzkg_tools.normalize.pagefurniture import (
    Footnote,
    Furniture,
    find_furniture,
)
from kzkg_tools.normalize.pdflexicon import WORD_CACHE, Lexicon
from kzkg_tools.normalize.pdfwords import Word, join_line_break, repair_splits
from kzkg_tools.offsets import JOIN_PARTS, OffsetMap
from kzkg_tools.records import Block, BlockKind
from kzkg_tools.resources import owned

# Characters `str.split` takes for white space and `\s` does not (the information separators
# U+001C..U+001F): a line holding one is split into words by the pattern.
SPLIT_ONLY_SPACES = ("\x1c", "\x1d", "\x1e", "\x1f")
MAX_HEADING_LINES = 3
MAX_HEADING_CHARS = 160
FULL_LINE = 0.8  # a line at least this share of the median line length is a full line
# The head of a document its language is detected from, for blocks that have none of their
# own: enough text to name it, the same for a document of any length.
DOC_LANG_CHARS = 20_000


@owned("normalize-patterns")
def _rx() -> dict[str, Any]:
    return {
        "word": regex.compile(r"\S+"),
        "bullet": regex.compile(r"^\s*•\s*"),
        "dash_item": regex.compile(r"^\s*–\s+"),
        "inner_stop": regex.compile(r"[.!?;:]\s"),
        "latin": regex.compile(r"\p{Latin}"),
        "cyrillic": regex.compile(r"\p{Cyrillic}"),
        "hyphen_end": regex.compile(r"\p{L}-$"),
        "doc_token": regex.compile(r"(?<![\p{L}\p{N}-])\p{L}+(?:-\p{L}+)*(?![\p{L}\p{N}])"),
    }


# What `detect_lang` reads of a text, kept per token (`_token_lang_facts`) as fields of one
# integer, so that a block's are the sum of its tokens' (one `sum` in C, not a sum per field):
# the letters of each script `script_counts` counts, all letters, then for each script with
# a Kazakh-letter rule its words and its words holding such a letter. No field of a block
# read whole (at most `detect.SAMPLE_CHARS` characters) can reach 2**FIELD_BITS, so a sum
# never carries into the next field.
_SCRIPT_KEYS = tuple(name for name in script_counts("") if name != "Zzzz")
_KAZAKH_RULES = ("Cyrl", "Arab")  # the scripts `detect._is_kazakh` reads words of
FIELD_BITS = detect.SAMPLE_CHARS.bit_length()
_FIELD_MASK = (1 << FIELD_BITS) - 1
_SHIFT = {name: FIELD_BITS * k for k, name in enumerate(_SCRIPT_KEYS)}
_LETTERS_SHIFT = FIELD_BITS * len(_SCRIPT_KEYS)
_KAZAKH_SHIFT = {
    script: _LETTERS_SHIFT + FIELD_BITS * (1 + 2 * k) for k, script in enumerate(_KAZAKH_RULES)
}
_ASCII_LATIN = _SHIFT["Latn"]


@owned("langid", maxsize=WORD_CACHE)
def _token_lang_facts(token: str) -> int:
    """What `detect_lang` counts in one white-space-free token, packed as above: letters per
    script as `script_counts` counts them, all letters, then per `_KAZAKH_RULES` script its
    words and its words with a Kazakh letter, as `detect._is_kazakh` finds them. All of it
    adds up over the tokens of a text, since no word and no letter spans a space; a text
    repeats its tokens (cached per process, like the word facts)."""
    if token.isascii():
        letters = len(token.encode("ascii").translate(None, detect._ASCII_NON_LETTERS))
        return letters << _ASCII_LATIN | letters << _LETTERS_SHIFT
    known = detect._CHAR_SCRIPTS
    counts = dict.fromkeys(_SCRIPT_KEYS, 0)
    letters = 0
    for ch in token:
        found = known.get(ch)
        if found is None:
            found = detect._char_scripts(ch)
        for name in found:
            if name == "L":
                letters += 1
            else:
                counts[name] += 1
    packed = letters << _LETTERS_SHIFT
    for name, n in counts.items():
        packed |= n << _SHIFT[name]
    rx = detect._regexes()
    for script in _KAZAKH_RULES:
        if counts[script]:
            words_rx, letters_rx = rx[script]
            words = words_rx.findall(token)
            marked = sum(1 for w in words if letters_rx.search(w))
            shift = _KAZAKH_SHIFT[script]
            packed |= len(words) << shift | marked << (shift + FIELD_BITS)
    return packed


def _block_lang(texts: list[str]) -> str:
    """`detect_lang` of the (stripped) lines `texts` joined by spaces, the same answer from
    counts summed over cached tokens: counting every character of every block was a tenth
    of this normalizer's time (issue #19). Where the Kazakh-letter rule decides, it is
    applied here; any other case is `detect_lang`'s, given the counts."""
    joined = " ".join(texts)
    tokens = joined.split()
    if not tokens or len(joined) > detect.SAMPLE_CHARS:
        return detect_lang(joined)  # its answer on the head of the text
    packed = sum(map(_token_lang_facts, tokens))
    counts = Counter({name: packed >> _SHIFT[name] & _FIELD_MASK for name in _SCRIPT_KEYS})
    counts["Zzzz"] = (packed >> _LETTERS_SHIFT & _FIELD_MASK) - sum(counts.values())
    script = detect._dominant(counts)
    if script in _KAZAKH_SHIFT:
        shift = _KAZAKH_SHIFT[script]
        words = packed >> shift & _FIELD_MASK
        marked = packed >> (shift + FIELD_BITS) & _FIELD_MASK
        if marked and marked >= detect.KK_WORD_SHARE * words:
            return f"kk-{script}"
    return detect_lang(joined, counts=counts)


@dataclass
class Para:
    """A run of source lines that becomes one block."""

    lines: list[int]
    kind: BlockKind = "paragraph"
    script: str | None = None  # of its lines in one script, the last one's
    marker: int = 0  # columns of a bullet marker to drop from the first line


def _script(text: str) -> str | None:
    """Latn or Cyrl for a line in one script only; None for a mixed line or no letters
    (`Sainsbury's компаниясы Revlon` must not start a new block)."""
    rx = _rx()
    latin, cyrillic = bool(rx["latin"].search(text)), bool(rx["cyrillic"].search(text))
    if latin == cyrillic:
        return None
    return "Latn" if latin else "Cyrl"


def _is_heading(texts: list[str]) -> bool:
    """Short title lines: few, unpunctuated, starting with a capital (`Кіріспе`, a title)."""
    joined = " ".join(t.strip() for t in texts)
    return (
        len(texts) <= MAX_HEADING_LINES
        and len(joined) <= MAX_HEADING_CHARS
        and joined[:1].isupper()
        and not joined.endswith(("-", ",", ".", ";", ":", "!", "?"))
        and not _rx()["inner_stop"].search(joined)
    )


def _paragraphs(lines: list[str], furniture: Furniture) -> list[Para]:
    """Group body lines into blocks: split at blank lines, furniture, form-feed page edges,
    script changes and bullets; then rejoin paragraphs that a page or column break cut in two."""
    rx = _rx()
    runs: list[Para] = []
    current: Para | None = None
    tops = furniture.edges.tops
    for i, line in enumerate(lines):
        if not line.strip() or furniture.removed(i):
            current = None
            continue
        if i in tops:
            # A form feed is a page edge, as furniture or a blank line is: the page's
            # first line starts a block, which the merge below joins to the last one
            # when the paragraph runs on across the page break.
            current = None
        script = _script(line)
        # `•` always starts an item; a dash only after a blank line (mid-paragraph it is
        # a dash that wrapped to the line start).
        bullet = rx["bullet"].match(line) or (current is None and rx["dash_item"].match(line))
        if current is None or bullet or (script and current.script and script != current.script):
            current = Para([i], script=script)
            if bullet:
                current.kind = "list_item"
                current.marker = bullet.end()
            runs.append(current)
        else:
            current.lines.append(i)
            current.script = script or current.script
    for run in runs:
        if run.kind == "paragraph" and _is_heading([lines[i] for i in run.lines]):
            run.kind = "heading"
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    width = lengths[len(lengths) // 2] if lengths else 0  # a typical (justified) line
    merged: list[Para] = []
    for run in runs:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.kind != "heading"
            and run.kind == "paragraph"
            and _continues(
                lines[prev.lines[-1]], lines[run.lines[0]], width, prev.script == run.script
            )
        ):
            prev.lines.extend(run.lines)
        else:
            merged.append(run)
    return merged


def _continues(last: str, first: str, width: int, same_script: bool = True) -> bool:
    """Whether a paragraph ending with line `last` runs on into one starting with `first`
    across a page or column break: the next starts in lower case, or (same script) the
    last line is a full justified line stopping mid-sentence — on a letter, digit, comma
    or hyphen, not on closing punctuation (a headline's `…ашуланды”`)."""
    first, last = first.strip(), last.strip()
    if first[:1].islower():
        return True
    full = len(last) >= FULL_LINE * width
    return same_script and full and bool(last) and (last[-1].isalnum() or last[-1] in ",-")


def _line_words(text: str, start: int, lo: int, cut: list[tuple[int, int]]) -> list[Word]:
    """The words of one source line from column `lo`, reference marks `cut` left out."""
    if not cut and not any(sep in text for sep in SPLIT_ONLY_SPACES):
        # `str.split` finds the same words as `\S+` here, at half the cost of a match
        # object per word; each is found again from the end of the one before.
        words = []
        pos = lo
        find = text.find
        for token in (text[lo:] if lo else text).split():
            at = find(token, pos)
            pos = at + len(token)
            words.append(Word([(start + at, start + pos)], token))
        if words:
            words[-1].line_end = True
        return words
    words = []
    for m in _rx()["word"].finditer(text, lo):
        segs = [m.span()]
        for a, b in cut:
            segs = [
                piece
                for s, e in segs
                for piece in ((s, min(e, a)), (max(s, b), e))
                if piece[1] > piece[0]
            ]
        kept = "".join(text[s:e] for s, e in segs)
        words.append(Word([(start + s, start + e) for s, e in segs], kept))
    if words:
        words[-1].line_end = True
    return words


def _para_words(
    lex: Lexicon,
    lines: list[str],
    starts: list[int],
    para: Para,
    marks: dict[int, list[tuple[int, int]]],
    kazakh: bool,
) -> list[Word]:
    """The output words of one block: line breaks resolved, then gaps repaired."""
    words: list[Word] = []
    for k, i in enumerate(para.lines):
        lo = para.marker if k == 0 else 0
        line_words = _line_words(lines[i], starts[i], lo, marks.get(i, []))
        if words and line_words and words[-1].line_end:
            left, right = words[-1], line_words[0]
            if left.text == "-" and len(words) > 1 and not words[-2].line_end:
                # `Қыр -` / `ғызстанның`: a hyphen that a justification gap cut off its word.
                before = words.pop(-2)
                left = Word(before.segs + left.segs, before.text + "-", rejoined=True)
            joined = join_line_break(lex, words[-3:-1], left, right, kazakh)
            if joined is not None:
                joined.line_end = len(line_words) == 1
                words[-1] = joined
                line_words = line_words[1:]
        words.extend(line_words)
    return repair_splits(lex, words, kazakh)


def _doc_lexicon(lines: list[str], furniture: Furniture) -> Lexicon:
    """Words the document spells whole, and its in-line hyphenated compounds."""
    rx = _rx()
    words: list[str] = []
    compounds: list[tuple[str, str]] = []
    sequence: list[str] = []
    for i, line in enumerate(lines):
        if furniture.removed(i):
            continue
        text = line.strip()
        tokens = list(rx["doc_token"].finditer(text))
        if not tokens:
            continue
        toks = [m.group(0).lower() for m in tokens]
        sequence.extend(toks)
        # Only the first and the last token of a line can be cut by a line break.
        lo = 1 if i > 0 and rx["hyphen_end"].search(lines[i - 1].rstrip()) else 0
        hi = len(toks) - 1 if text[tokens[-1].end() :].startswith("-") else len(toks)
        whole = toks[lo:hi]
        words.extend(whole)
        for tok in whole if "-" in text else ():
            if "-" in tok:
                parts = tok.split("-")
                if len(parts) == 2:
                    compounds.append((parts[0], parts[1]))
    return Lexicon(words, compounds, sequence)


def normalize_pdftext(text: str, lang: str | None = None) -> Normalized:
    """Normalize the (character-cleaned) text of a PDF extraction; see the module docstring.

    `lang` is the document's language, used for blocks whose language cannot be detected;
    None: the language of the text's first `DOC_LANG_CHARS` characters, detected only when
    a block needs it (most documents have none, and detecting it cost a twentieth of the
    pass, issue #19).
    """
    lines = text.split("\n")
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    furniture = find_furniture(lines)
    lex = _doc_lexicon(lines, furniture)
    out = _Writer(text)
    blocks: list[Block] = []
    metadata: dict[str, Any] = {}
    for para in _paragraphs(lines, furniture):
        detected = _block_lang([lines[i].strip() for i in para.lines])
        if detected != "und":
            block_lang = detected
        else:
            if lang is None:
                lang = detect_lang(text[:DOC_LANG_CHARS])
            block_lang = lang
        kazakh = block_lang == "kk-Cyrl"
        words = _para_words(lex, lines, starts, para, furniture.marks, kazakh)
        if not words:
            continue
        if blocks:
            out.insert("\n\n")
        begin = out.pos
        out.words(words)
        blocks.append(Block(begin, out.pos, para.kind, block_lang))
        if para.kind == "heading" and "title" not in metadata:
            metadata["title"] = " ".join(w.text for w in words)
    result, offsets = out.build()
    metadata["footnotes"] = [_footnote(lines, starts, f) for f in furniture.footnotes]
    return Normalized(result, offsets, blocks, metadata)


class _Writer:
    """The output text and its spans, written a block of words at a time: what a
    `TextBuilder` makes of `insert(" ")` between the words and `copy` or `replace` for
    each, without two method calls per word (a tenth of this normalizer's time, #19)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0  # length of the output so far
        self._parts: list[str] = []
        self._chunks: list[str] = []
        self._flat = array("q")  # t0, t1, s0, s1 of each span, as `OffsetMap` keeps them

    def insert(self, text: str) -> None:
        """Text that stands for nothing in the source (the block separator)."""
        self._parts.append(text)
        self.pos += len(text)

    def words(self, words: list[Word]) -> None:
        """The words of one block, one space between them: a rebuilt word is one replaced
        span over its source range, any other word a copied span per source piece."""
        text, parts, flat = self.source, self._parts, self._flat
        pos = self.pos
        for k, w in enumerate(words):
            if k:
                parts.append(" ")  # a joining space has no span
                pos += 1
            segs = w.segs
            if w.rejoined and _only_breaks_between(text, segs):
                n = len(w.text)
                if n:  # as `TextBuilder.replace`: no text, no span
                    flat.extend((pos, pos + n, segs[0][0], segs[-1][1]))
                    parts.append(w.text)
                    pos += n
                continue
            # Furniture or a reference mark inside the word's source range: a replaced
            # span would claim it, so each piece is copied on its own; pieces that touch
            # in both texts make one span, as `TextBuilder.copy` merges them.
            copied = False
            for s, e in segs:
                if e <= s:
                    continue
                n = e - s
                if copied and flat[-3] == pos and flat[-1] == s:
                    flat[-3] += n
                    flat[-1] += n
                else:
                    flat.extend((pos, pos + n, s, e))
                parts.append(text[s:e])
                pos += n
                copied = True
        self.pos = pos
        if len(parts) >= JOIN_PARTS:
            self._chunks.append("".join(parts))
            parts.clear()

    def build(self) -> tuple[str, OffsetMap]:
        self._chunks.append("".join(self._parts))
        self._parts.clear()
        return "".join(self._chunks), OffsetMap._of_flat(self._flat)


def _only_breaks_between(text: str, segs: list[tuple[int, int]]) -> bool:
    """Whether only hyphens and white space lie between the source pieces of a word."""
    return all(not text[a:b].strip().strip("-") for (_, a), (b, _) in itertools.pairwise(segs))


def _footnote(lines: list[str], starts: list[int], note: Footnote) -> dict[str, Any]:
    """A footnote's metadata: its number, its text on one line, and its source span."""
    first, last = note.lines[0], note.lines[-1]
    body = " ".join(lines[i].strip() for i in note.lines)
    body = regex.sub(rf"^{note.n}\s+", "", body)
    src_start = starts[first] + len(lines[first]) - len(lines[first].lstrip())
    src_end = starts[last] + len(lines[last].rstrip())
    return {"n": note.n, "text": body, "span": [src_start, src_end]}
