# ruff: noqa: RUF002 -- Cyrillic and Arabic examples are the point here
"""Sentence segmentation: ICU's sentence BreakIterator plus data-driven corrections.

ICU (UAX #29 with CLDR tailorings) is fast and knows the Unicode sentence
terminators of every script, but it breaks after every full stop followed by a
capital, so Kazakh, Russian and English abbreviations and initials cut
sentences apart (ICU alone scores about 91 F1 on Kazakh). The corrections are
kept small and generic here; what is language knowledge (abbreviations,
reporting verbs, which quotes open a sentence) lives in
`kzkg_tools/data/segment/*.toml`, so adding a language means adding a file.

Corrections applied to ICU's candidate boundaries (a newline is always a boundary):
* no boundary after an abbreviation listed as `always`, after one listed as
  `before_number` when a digit follows, after initials (`А.М.`, `Т.`, `ت.`)
  followed by a name, after a list number that starts a line (`1.`), inside
  parentheses that close soon after (`(Бостанкулова, 2019)`), nor after `?»`
  or `!»` followed by a lowercase word or a reporting verb (`деп`, `قال`);
* a boundary where ICU sees none: a full stop followed by a number
  (`... жылы. 2024 жылы ...`) or by a dialogue dash;
* a boundary that ICU put after an opening quote or bracket moves before it,
  so `。「` gives `。` | `「...`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

import icu

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from kzkg_tools.offsets import OffsetMap
from kzkg_tools.records import Block, Document, Sentence

#: BCP 47 tags accepted by `--lang`, mapped to the rule file that serves them.
LANG_RULES = {
    "kk": "kk",
    "kk-Cyrl": "kk",
    "kk-Arab": "kk-Arab",
    "ar": "ar",
    "zh": "zh",
    "zh-Hant": "zh",
    "zh-Hans": "zh",
    "ru": "ru",
    "en": "en",
}


#: How far after a candidate boundary a closing bracket may be for the boundary to
#: count as inside a citation or remark: "(Бостанкулова, 2019)", "(см. рис. 5)".
PAREN_REACH = 80


@dataclass(frozen=True)
class SegmentOptions:
    """Options of the segment stage.

    `lang` overrides the language of every block (a BCP 47 tag); by default
    each block is segmented with its own `lang`.
    """

    lang: str | None = None


@dataclass(frozen=True)
class Rules:
    """One language's corrections, read from its data file."""

    locale: str
    always: frozenset[str]
    before_number: frozenset[str]
    ends: frozenset[str]
    lowercase_after_full_stop: bool
    emoticons: tuple[str, ...]
    initial_marks: str
    agencies: tuple[str, ...]
    reporting: tuple[str, ...]
    opening: str
    closing: str
    question_exclamation: str
    dashes: str


def _load_toml(name: str) -> dict:
    path = resources.files("kzkg_tools.data") / "segment" / f"{name}.toml"
    with path.open("rb") as fh:
        return tomllib.load(fh)


def rule_file(lang: str) -> str:
    """The rule file for a BCP 47 tag: exact tag, then language subtag, else `und`."""
    if lang in LANG_RULES:
        return LANG_RULES[lang]
    base = lang.split("-")[0]
    if base == "kk" and "Arab" in lang:
        return "kk-Arab"
    return LANG_RULES.get(base, "und")


@functools.cache
def rules(name: str) -> Rules:
    """The corrections for one rule file, read once per process."""
    common = _load_toml("common")["punctuation"]
    data = {} if name == "und" else _load_toml(name)
    abbr = data.get("abbreviations", {})
    punct = {**common, **data.get("punctuation", {})}
    return Rules(
        locale=data.get("locale", "und"),
        always=frozenset(a.lower() for a in abbr.get("always", [])),
        before_number=frozenset(a.lower() for a in abbr.get("before_number", [])),
        ends=frozenset(a.lower() for a in abbr.get("ends", [])),
        lowercase_after_full_stop=data.get("lowercase_after_full_stop", False),
        emoticons=tuple(punct["emoticons"]),
        initial_marks=data.get("initial_marks", ""),
        agencies=tuple(punct["agencies"]),
        reporting=tuple(data.get("quotes", {}).get("reporting", [])),
        opening=punct["opening"],
        closing=punct["closing"],
        question_exclamation=punct["question_exclamation"],
        dashes=punct["dashes"],
    )


@functools.cache
def _extra_pattern(r: Rules) -> re.Pattern[str]:
    """Where ICU proposes no boundary but one may be.

    A terminator, closing punctuation and spaces, then a digit or a dash and a
    space (or a lowercase letter, in languages whose informal writing starts
    sentences in lowercase); or an emoticon followed by a space.
    """
    closing = re.escape(r.closing)
    terms = re.escape(r.question_exclamation + ".…")
    dashes = re.escape(r.dashes)
    after = f"[0-9]|[{dashes}] "
    if r.lowercase_after_full_stop:
        after += "|[^\\W\\d_]"
    emoticons = "|".join(re.escape(e) for e in r.emoticons)
    return re.compile(f"[{terms}][{closing}]*[ \\t]+(?={after})|(?<= )(?:{emoticons})(?= )")


@functools.cache
def _break_iterator(locale: str) -> icu.BreakIterator:
    """One ICU sentence iterator per locale and process, reused with setText."""
    return icu.BreakIterator.createSentenceInstance(icu.Locale(locale))


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "L"


def _is_initials(token: str, marks: str) -> bool:
    """`А.`, `А.М.`, `ت.`, `ءا.`: single capital (or caseless) letters each followed by a full stop.

    `marks` may precede a letter inside an initial (the Kazakh Arabic-script
    hamza that marks a front-vowel word: `ءا.` for Ә.).
    """
    parts = token.split(".")
    if len(parts) < 2 or parts[-1]:
        return False
    for part in parts[:-1]:
        part = part.lstrip(marks) if marks else part
        if len(part) != 1 or not _is_letter(part) or part.islower():
            return False
    return True


class _Segmenter:
    """Applies one language's rules to ICU's boundaries in one text."""

    def __init__(self, text: str, r: Rules) -> None:
        self.text = text
        self.r = r
        self.skip_before = r.opening + r.closing + r.dashes + "\"'"

    def _token_before(self, end: int) -> tuple[str, int]:
        """The token (no spaces, no opening brackets) that ends at `end`, and its start."""
        text = self.text
        start = end
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while start < end and text[start] in self.r.opening:
            start += 1
        return text[start:end], start

    def _next_word(self, pos: int) -> int:
        """Position of the first letter or digit at or after `pos` on the same line, or -1."""
        text, n = self.text, len(self.text)
        while pos < n:
            ch = text[pos]
            if ch == "\n":
                return -1
            if ch.isalnum():
                return pos
            if not (ch.isspace() or ch in self.skip_before or ch == ","):
                return -1
            pos += 1
        return -1

    def _inside_parentheses(self, start: int, end: int) -> bool:
        """Whether `end` falls inside a bracket opened after `start` that closes soon after.

        "Soon" (within PAREN_REACH characters, no other bracket opening first)
        keeps a truncated or unbalanced bracket from swallowing the next sentences.
        """
        text = self.text
        if text.count("(", start, end) <= text.count(")", start, end):
            return False
        stop = min(len(text), end + PAREN_REACH)
        close = text.find(")", end, stop)
        return close != -1 and not any(c in text[end:close] for c in "(\n")

    def _ends_before_lowercase(self, token: str) -> bool:
        """Whether a full stop after `token` ends a sentence even though a lowercase word follows.

        Only in languages whose data file says so (informal English starts
        sentences in lowercase), and only after a plain word: not after an
        abbreviation, an ellipsis, initials or a dotted token (`a.m.`, URLs).
        """
        word = token[:-1]
        return (
            self.r.lowercase_after_full_stop
            and len(word) >= 2
            and word.replace("'", "").isalpha()
            and token.lower() not in self.r.ends
        )

    def _dateline_agency(self, pos: int) -> bool:
        """Whether a news-agency name and a dash start at `pos` ("Астана. KAZINFORM - ")."""
        text = self.text
        for name in self.r.agencies:
            if text.startswith(name, pos):
                rest = text[pos + len(name) : pos + len(name) + 3].lstrip()
                if rest[:1] and rest[0] in self.r.dashes:
                    return True
        return False

    def keep(self, prev: int, b: int) -> bool:
        """Whether candidate `b` is a sentence boundary (`prev`: the last boundary kept)."""
        text, r = self.text, self.r
        if text[b - 1] == "\n":
            return True
        end = b
        while end > prev and text[end - 1].isspace():
            end -= 1
        if end <= prev:
            return False
        if "\n" in text[end:b]:
            return True
        nxt = self._next_word(b)
        if self._inside_parentheses(prev, end):
            return False
        # strip closing quotes and brackets to find the terminator
        core = end
        while core > prev and text[core - 1] in r.closing:
            core -= 1
        term = text[core - 1] if core > prev else ""
        if text.endswith(r.emoticons, prev, end):
            return nxt != -1 and not text[nxt].islower()
        if term == ".":
            token, tstart = self._token_before(core)
            low = token.lower()
            if low in r.always:
                return False
            if nxt != -1 and text[nxt].islower() and not self._ends_before_lowercase(token):
                return False
            if nxt != -1 and text[nxt].isdigit() and low[:-1] in r.before_number:
                return False
            if nxt != -1 and _is_letter(text[nxt]) and _is_initials(token, r.initial_marks):
                return False
            if nxt != -1 and self._dateline_agency(nxt):
                return False
            if token[:-1].isdigit() and not text[prev:tstart].strip():
                return False  # a list number at the start of a line: "1. Кіріспе"
        elif term in r.question_exclamation and nxt != -1 and (core < end or text[b] in r.dashes):
            # «...?» деп / «...!» — деді: a reporting verb continues the sentence
            if text[nxt].islower() or text.startswith(r.reporting, nxt):
                return False
        if text[b] in r.dashes and nxt != -1 and text[nxt].islower():
            return False  # "... — деді." : the dash introduces the speaker, not a new line
        return True

    def boundaries(self) -> list[int]:
        """Sentence boundaries (offsets between sentences), before trimming."""
        text, r = self.text, self.r
        it = _break_iterator(r.locale)
        it.setText(text)
        candidates = sorted(set(it) | set(self._extra()))
        out: list[int] = []
        prev = 0
        for b in candidates:
            if b >= len(text) or b <= prev:
                continue
            if self.keep(prev, b):
                b = self._move_before_opening(prev, b)
                if b > prev:
                    out.append(b)
                    prev = b
        return out

    def _move_before_opening(self, prev: int, b: int) -> int:
        """Move a boundary that follows an opening quote or bracket to before it."""
        text = self.text
        while b > prev and text[b - 1] in self.r.opening:
            b -= 1
        return b

    def _extra(self) -> Iterator[int]:
        """Boundaries ICU does not propose: a terminator followed by a number or a dialogue dash.

        UAX #29 (rule SB8a) puts dashes among the sentence continuers, and SB8
        looks past digits for a lowercase letter, so ICU misses both.
        """
        for m in _extra_pattern(self.r).finditer(self.text):
            yield m.end()


def segment_text(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence ranges `[start, end)` of `text` in language `lang` (BCP 47), whitespace trimmed.

    A newline is always a boundary; empty or blank stretches yield no sentence.
    """
    if not text:
        return []
    seg = _Segmenter(text, rules(rule_file(lang)))
    out: list[tuple[int, int]] = []
    start = 0
    for end in [*seg.boundaries(), len(text)]:
        a, b = start, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
        start = end
    return out


def clip_spans(spans: OffsetMap, start: int, end: int) -> list[list[int]]:
    """The part of an offset map covering `text[start:end]`, its text offsets relative to `start`.

    A copied span cut by the range is cut at the same place in the source; a
    replaced span keeps its whole source range (it stands for it as a whole).
    """
    out: list[list[int]] = []
    for t0, t1, s0, s1 in spans.spans:
        if t1 <= start or t0 >= end:
            continue
        a, b = max(t0, start), min(t1, end)
        if t1 - t0 == s1 - s0:
            s0, s1 = s0 + (a - t0), s0 + (b - t0)
        out.append([a - start, b - start, s0, s1])
    return out


def segment(docs: Iterable[Document], opts: SegmentOptions) -> Iterator[Sentence]:
    """Sentences of each document, block by block, in the block's language.

    Blocks are sentences' outer limits: a heading or list item is never joined
    to what follows. Text outside any block (separators) is not segmented; a
    document without blocks is segmented as one block of its own language.
    """
    for doc in docs:
        offsets = OffsetMap(doc.spans)
        blocks = doc.blocks or [Block(0, len(doc.text), "paragraph", doc.lang)]
        n = 0
        for block in blocks:
            lang = opts.lang or block.lang or doc.lang
            body = doc.text[block.start : block.end]
            for a, b in segment_text(body, lang):
                start, end = block.start + a, block.start + b
                span = offsets.to_source(start, end)
                orig = None
                if doc.orig_text is not None:
                    orig = doc.orig_text[span[0] : span[1]]
                yield Sentence(
                    id=f"{doc.id}:{n}",
                    doc_id=doc.id,
                    n=n,
                    lang=lang,
                    text=doc.text[start:end],
                    block=block.kind,
                    source=doc.source,
                    span=list(span),
                    spans=clip_spans(offsets, start, end),
                    orig_text=orig,
                )
                n += 1


def segment_lines(lines: Iterable[tuple[int, str]], lang: str, source: str) -> Iterator[Sentence]:
    """Sentences of plain text read line by line (`kzkg segment --in text`).

    Each line is a paragraph: a newline always ends a sentence. The input is
    one document whose id is `source`; spans count code points from the start
    of the input, each line ended by one newline character.
    """
    offset = n = 0
    for _lineno, line in lines:
        for a, b in segment_text(line, lang):
            yield Sentence(
                id=f"{source}:{n}",
                doc_id=source,
                n=n,
                lang=lang,
                text=line[a:b],
                block="paragraph",
                source=source,
                span=[offset + a, offset + b],
            )
            n += 1
        offset += len(line) + 1
