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

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import regex

from kzkg_tools.detect import detect_lang
from kzkg_tools.normalize.base import Normalized
from kzkg_tools.normalize.pagefurniture import SENTENCE_END, Furniture, find_furniture
from kzkg_tools.normalize.pdflexicon import Lexicon
from kzkg_tools.offsets import TextBuilder
from kzkg_tools.records import Block

MAX_HEADING_LINES = 3
MAX_HEADING_CHARS = 160
MAX_MERGE = 4  # most tokens one split word is rebuilt from (`са ла ла рындағы`)
# Rewards of rebuilding a word in `_repair_splits`, against 0 for a word kept as it is
# and -1 for a piece that is no word: the document's own spelling of the whole is the
# surest evidence, the lists' the weaker.
DOC_MERGE = 0.3
LIST_MERGE = 0.1


def _doc_merge(freq: int) -> float:
    """A whole the document spells more often is the better reading (`халық ара лық`:
    `халықаралық`, not `халық аралық`)."""
    return DOC_MERGE + 0.01 * min(freq, 10)


@cache
def _rx() -> dict[str, Any]:
    return {
        "word": regex.compile(r"\S+"),
        "letters": regex.compile(r"^\p{L}+(?:-\p{L}+)*$"),
        "core": regex.compile(r"^([«\"“(\[]*)(.*?)([.,;:!?»\"”)\]]*)$"),
        "bullet": regex.compile(r"^\s*(?:•\s*|–\s+)"),
        "inner_stop": regex.compile(r"[.!?;:]\s"),
        "latin": regex.compile(r"\p{Latin}"),
        "cyrillic": regex.compile(r"\p{Cyrillic}"),
        "hyphen_end": regex.compile(r"\p{L}-$"),
        "doc_token": regex.compile(r"(?<![\p{L}\p{N}-])\p{L}+(?:-\p{L}+)*(?![\p{L}\p{N}])"),
    }


@dataclass
class Word:
    """A word of the output and the source ranges it is made of, in order."""

    segs: list[tuple[int, int]]
    text: str
    rejoined: bool = False  # a hyphen or a gap inside its source range was dropped
    line_end: bool = False  # the last word of a source line
    broken: bool = False  # built across a line break


@dataclass
class Para:
    """A run of source lines that becomes one block."""

    lines: list[int]
    kind: str = "paragraph"
    script: str = "Cyrl"
    marker: int = 0  # columns of a bullet marker to drop from the first line
    words: list[Word] = field(default_factory=list)


def _script(text: str) -> str:
    rx = _rx()
    return "Latn" if len(rx["latin"].findall(text)) > len(rx["cyrillic"].findall(text)) else "Cyrl"


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
    """Group body lines into blocks: split at blank lines, furniture, script changes and
    bullets; then rejoin paragraphs that a page or column break cut in two."""
    rx = _rx()
    runs: list[Para] = []
    current: Para | None = None
    for i, line in enumerate(lines):
        if not line.strip() or furniture.removed(i):
            current = None
            continue
        script = _script(line) if regex.search(r"\p{L}", line) else None
        bullet = rx["bullet"].match(line)
        if current is None or bullet or (script is not None and script != current.script):
            current = Para([i], script=script or "Cyrl")
            if bullet:
                current.kind = "list_item"
                current.marker = bullet.end()
            runs.append(current)
        else:
            current.lines.append(i)
    for run in runs:
        if run.kind == "paragraph" and _is_heading([lines[i] for i in run.lines]):
            run.kind = "heading"
    merged: list[Para] = []
    for run in runs:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.kind != "heading"
            and run.kind == "paragraph"
            and prev.script == run.script
            and _continues(lines[prev.lines[-1]], lines[run.lines[0]])
        ):
            prev.lines.extend(run.lines)
        else:
            merged.append(run)
    return merged


def _continues(last: str, first: str) -> bool:
    first = first.strip()
    return not SENTENCE_END.search(last.strip()) or (bool(first) and first[0].islower())


def _line_words(text: str, start: int, lo: int, cut: list[tuple[int, int]]) -> list[Word]:
    """The words of one source line from column `lo`, reference marks `cut` left out."""
    words = []
    for m in _rx()["word"].finditer(text, lo):
        segs = [(m.start(), m.end())]
        for a, b in cut:
            segs = [
                piece
                for s, e in segs
                for piece in ((s, min(e, a)), (max(s, b), e))
                if piece[1] > piece[0]
            ]
        words.append(
            Word([(start + s, start + e) for s, e in segs], "".join(text[s:e] for s, e in segs))
        )
    if words:
        words[-1].line_end = True
    return words


def _split(word: str) -> tuple[str, str, str]:
    m = _rx()["core"].match(word)
    assert m is not None
    return m.group(1), m.group(2), m.group(3)


def _join_line_break(
    lex: Lexicon, before: list[Word], left: Word, right: Word, kazakh: bool
) -> Word | None:
    """`left` ends a line with `X-` and `right` starts the next: one word, with or without
    the hyphen; None when they are not a hyphenated word."""
    rx = _rx()
    if not rx["hyphen_end"].search(left.text):
        return None
    lead, x, _ = _split(left.text[:-1])
    _, y, _ = _split(right.text)
    x_last = x.rsplit("-", 1)[-1]
    y_first = regex.match(r"\p{L}+", y)
    if not x_last or not y_first or not rx["letters"].match(x_last) or lead and not x:
        return None
    y_first = y_first.group(0)
    prefixes = [p for p in (_split(w.text)[1] for w in before) if rx["letters"].match(p)]
    if keep_hyphen(lex, x_last, y_first, prefixes, kazakh):
        return Word(left.segs + right.segs, left.text + right.text, broken=True)
    end = left.segs[-1]
    segs = [*left.segs[:-1], (end[0], end[1] - 1), *right.segs]
    return Word(segs, left.text[:-1] + right.text, rejoined=True, broken=True)


def keep_hyphen(
    lex: Lexicon, x: str, y: str, before: list[str] | None = None, kazakh: bool = True
) -> bool:
    """Whether the line-end hyphen of `x-` / `y` is a real one (a compound) and stays.

    Real: the document hyphenates these parts in-line — also when `x` is itself the tail
    of a word cut by a justification gap (`қа рым-` / `қаты`), so the words `before` it
    are tried as its head — or both are words on their own while their concatenation is
    no word. Everything else is a syllable break: what a line-end hyphen almost always is.
    """
    heads = [""] + ["".join(before[-k:]) for k in range(1, min(2, len(before or [])) + 1)]
    if any(lex.real_compound(head + x, y) for head in heads):
        return True
    xy = (x + y).lower()
    if (
        kazakh
        and _disharmonic(x, y)
        and x.lower() in lex.lists.kk
        and y.lower() in lex.lists.kk
        and not lex.is_particle(y)
        and not lex.freq[xy]
        and xy not in lex.lists.kk
    ):
        return True  # `тау-` / `кен`: a front-vowel word is no suffix of a back-vowel one
    if lex.known(xy, kazakh) or (kazakh and lex.suffix_chain(y.lower())):
        return False
    return lex.standalone(x, kazakh) and lex.standalone(y, kazakh) and len(y) >= 3


BACK_VOWELS = frozenset("аоұы")
FRONT_VOWELS = frozenset("әеөүі")


def _disharmonic(x: str, y: str) -> bool:
    """Whether `y` breaks Kazakh vowel harmony after `x` (so it is not x's suffix)."""

    def harmony(vowels: list[str]) -> str | None:
        for v in vowels:
            if v in BACK_VOWELS:
                return "back"
            if v in FRONT_VOWELS:
                return "front"
        return None

    last = harmony(list(reversed(x.lower())))
    first = harmony(list(y.lower()))
    return last is not None and first is not None and last != first


def _merge_score(lex: Lexicon, words: list[Word], kazakh: bool) -> float:
    """Score of rebuilding `words` as one word (see `_repair_splits`); -inf if not allowed.

    The pieces after the first decide: a piece that is no word (`тулықты`), or a short
    string of Kazakh suffixes that is no particle (`ды`, `тады`, not `да`, `мен`), marks a
    cut word. With only the lists to vouch for the whole, a suffix-like piece also needs
    a dictionary stem running across the cut (`бас тады` → `баста`+`ды`), or `және ары`
    would become a word. Real words on both sides join only on strong evidence.
    """
    rx = _rx()
    cores = []
    for k, w in enumerate(words):
        lead, core, trail = _split(w.text)
        if (lead and k > 0) or (trail and k < len(words) - 1) or not core:
            return -math.inf
        if not rx["letters"].match(core) or (k > 0 and not core[0].islower()):
            return -math.inf
        cores.append(core.lower())
    joined = "".join(cores)
    if not lex.known(joined, kazakh):
        return -math.inf
    whole = lex.freq[joined]
    later = cores[1:]

    def suffixes(c: str) -> bool:
        return kazakh and not lex.is_particle(c) and lex.suffix_chain(c)

    if whole:
        if not lex.standalone(cores[0], kazakh) or any(
            not lex.standalone(c, kazakh) or suffixes(c) for c in later
        ):
            return _doc_merge(whole)
    elif all(
        not lex.standalone(c, kazakh)
        or (len(c) <= 4 and suffixes(c) and lex.stem_spans(joined, len(cores[0])))
        for c in later
    ):
        return LIST_MERGE
    # Real words on both sides: the document must spell the whole far more often than
    # the pair (`Қазақстан` vs `Қазақ стан`), or a piece was cut by a line break and the
    # document spells the whole (`ба-`/`ры сын да`).
    pair = lex.pairs[(cores[0].rsplit("-", 1)[-1], cores[1])] if len(cores) == 2 else 0
    particle = any(lex.is_particle(c) for c in later)  # `Қазақстан да` is two words
    strong = whole >= 3 and whole >= 5 * pair
    if not particle and (strong or (whole and any(w.broken for w in words))):
        return _doc_merge(whole)
    return -math.inf


def _single_score(lex: Lexicon, word: Word, kazakh: bool) -> float:
    """0 for a word, -1 for a piece: no word, or (Kazakh) a short run of suffixes (`лық`)."""
    _, core, _ = _split(word.text)
    if not core or not _rx()["letters"].match(core):
        return 0.0
    low = core.lower()
    if not lex.standalone(low, kazakh):
        return -1.0
    cut_ending = (
        kazakh
        and core[0].islower()
        and len(low) <= 3
        and low not in lex.lists.kk_short
        and lex.suffix_chain(low)
    )
    return -1.0 if cut_ending else 0.0


def _repair_splits(lex: Lexicon, words: list[Word], kazakh: bool) -> list[Word]:
    """Rebuild words that justification cut into pieces (`та тулықты` → `татулықты`).

    A dynamic programme over the words of a paragraph: keeping a word that is no word
    on its own costs 1; rebuilding several into one costs nothing, and is allowed only
    when the result is an attested word and not every piece is a word on its own
    (`екі жақты` stays two words). The cheapest segmentation wins; ties keep the source.
    """
    n = len(words)
    best = [0.0] + [-math.inf] * n
    back = [0] * (n + 1)
    for j in range(1, n + 1):
        best[j] = best[j - 1] + _single_score(lex, words[j - 1], kazakh)
        back[j] = j - 1
        # Shorter merges first, so that a longer one must be strictly better.
        for i in range(j - 2, max(0, j - MAX_MERGE) - 1, -1):
            score = _merge_score(lex, words[i:j], kazakh)
            if best[i] + score > best[j]:
                best[j] = best[i] + score
                back[j] = i
    out: list[Word] = []
    j = n
    while j > 0:
        i = back[j]
        if j - i == 1:
            out.append(words[i])
        else:
            segs = [s for w in words[i:j] for s in w.segs]
            out.append(Word(segs, "".join(w.text for w in words[i:j]), rejoined=True, broken=True))
        j = i
    out.reverse()
    return out


def _para_words(
    lex: Lexicon, lines: list[str], starts: list[int], para: Para, marks, kazakh: bool
) -> list[Word]:
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
            joined = _join_line_break(lex, words[-3:-1], left, right, kazakh)
            if joined is not None:
                joined.line_end = len(line_words) == 1
                words[-1] = joined
                line_words = line_words[1:]
        words.extend(line_words)
    return _repair_splits(lex, words, kazakh)


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
        for k, m in enumerate(tokens):
            tok = m.group(0).lower()
            sequence.append(tok)
            at_break = (k == len(tokens) - 1 and text[m.end() :].startswith("-")) or (
                k == 0 and i > 0 and rx["hyphen_end"].search(lines[i - 1].rstrip())
            )
            if at_break:
                continue
            words.append(tok)
            parts = tok.split("-")
            if len(parts) == 2:
                compounds.append((parts[0], parts[1]))
    return Lexicon(words, compounds, zip(sequence, sequence[1:]))


def normalize_pdftext(text: str, lang: str) -> Normalized:
    """Normalize the (character-cleaned) text of a PDF extraction; see the module docstring.

    `lang` is the document's language, used for blocks whose language cannot be detected.
    """
    lines = text.split("\n")
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    furniture = find_furniture(lines)
    lex = _doc_lexicon(lines, furniture)
    out = TextBuilder()
    blocks: list[Block] = []
    metadata: dict[str, Any] = {}
    for para in _paragraphs(lines, furniture):
        raw = " ".join(lines[i].strip() for i in para.lines)
        kazakh = para.script == "Cyrl" and detect_lang(raw) == "kk-Cyrl"
        words = _para_words(lex, lines, starts, para, furniture.marks, kazakh)
        if not words:
            continue
        if blocks:
            out.insert("\n\n")
        begin = len(out)
        for k, w in enumerate(words):
            if k:
                out.insert(" ")
            if w.rejoined:
                out.replace(w.text, w.segs[0][0], w.segs[-1][1])
            else:
                for s, e in w.segs:
                    out.copy(text[s:e], s)
        block_text = " ".join(w.text for w in words)
        detected = detect_lang(block_text)
        blocks.append(Block(begin, len(out), para.kind, detected if detected != "und" else lang))  # type: ignore[arg-type]
        if para.kind == "heading" and "title" not in metadata:
            metadata["title"] = block_text
    result, offsets = out.build()
    metadata["footnotes"] = [_footnote(text, lines, starts, f) for f in furniture.footnotes]
    return Normalized(result, offsets, blocks, metadata)


def _footnote(text: str, lines: list[str], starts: list[int], note) -> dict[str, Any]:
    first, last = note.lines[0], note.lines[-1]
    body = " ".join(lines[i].strip() for i in note.lines)
    body = regex.sub(rf"^{note.n}\s+", "", body)
    src_start = starts[first] + len(lines[first]) - len(lines[first].lstrip())
    src_end = starts[last] + len(lines[last].rstrip())
    return {"n": note.n, "text": body, "span": [src_start, src_end]}
