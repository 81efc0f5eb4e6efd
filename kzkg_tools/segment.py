"""Sentence segmentation: ICU's sentence BreakIterator plus data-driven corrections.

ICU (UAX #29 with CLDR tailorings) is fast and knows the Unicode sentence
terminators of every script, but it breaks after every full stop followed by a
capital, so Kazakh, Russian and English abbreviations and initials cut
sentences apart (ICU alone scores about 91 F1 on Kazakh). The corrections are
kept small and generic here; what is language knowledge (abbreviations,
reporting verbs, which quotes open a sentence) lives in
`kzkg_tools/data/segment/*.toml`, so adding a language means adding a file.

Corrections applied to ICU's candidate boundaries (a newline is always a boundary):
* no boundary after abbreviations and initials (`А.М.`, `Т.`, `ت.`) before a
  name, a list number at the start of a line, inside brackets that close soon
  after (`(Бостанкулова, 2019)`), after `?»`/`!»` followed by a reporting verb
  (`деп`, `قال`), before `, ; :`, inside URLs, after a dateline;
* a boundary where ICU sees none: a terminator followed by a number or a
  dialogue dash, around separator lines, after emoticons and letter salutations,
  and, in English, before a capitalised opener after a word with no punctuation
  (a headline run into its text: `Great service These people were ...`), around
  the date-time stamp of a mail header, after an address or URL before a capital;
* a boundary that ICU put after an opening quote or bracket moves before it,
  so `。「` gives `。` | `「...`.
docs/segment.md lists them with examples and their measured effect.

Speed: every candidate costs Python work and every pass over the text costs about
as much as ICU's, so the common boundary, `word. Next`, is found for the whole text by
one pattern (`_plain_full_stops`, exact by construction), `ranges` decides the rest of
that shape itself without `keep`, the hot path (`keep`, `ranges`) avoids regex calls
where a character test decides, the passes start at a literal character (one pattern
per terminator) or run only after an exact quick test, and the English passes are
anchored on rare characters.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import icu

from kzkg_tools import langs, tables
from kzkg_tools.offsets import OffsetMap
from kzkg_tools.records import Block, Blocks, Document, Sentence
from kzkg_tools.resources import owned

#: BCP 47 tags accepted by `--lang`, mapped to the rule file that serves them (a view of
#: the language table, kept for the `--lang` error message).
LANG_RULES = {tag: langs.get(tag).rules for tag in langs.tags() if langs.get(tag).rules != "und"}


#: How far after a candidate boundary a closing bracket may be for the boundary to
#: count as inside a citation or remark: "(Бостанкулова, 2019)", "(см. рис. 5)".
PAREN_REACH = 80
#: The longest token looked at before a full stop (abbreviations and initials are short).
TOKEN_REACH = 40
#: The last code point of the Latin blocks (Basic Latin to Latin Extended-B).
LATIN_END = "\u024f"
#: The longest URL prefix looked at before a candidate boundary.
URL_REACH = 200
#: The characters `str.isspace` takes for whitespace, for fast `in` tests.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
#: The code points `_plain_full_stops` knows letters of: Latin (to Latin Extended-B), Greek,
#: Cyrillic (with its supplement) and Arabic with its extensions and presentation forms, the
#: scripts of the rule files that write a space after a full stop. A letter outside them
#: leaves its candidate to the tests in Python (the same answer, more slowly).
PLAIN_BLOCKS = (
    (0x41, 0x24F),
    (0x370, 0x3FF),
    (0x400, 0x52F),
    (0x600, 0x6FF),
    (0x750, 0x77F),
    (0x8A0, 0x8FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
#: The longest sentence emitted: a longer run with no boundary (a table dump, a 50 MB line with
#: no punctuation) is cut at the last space before this length, so later stages never see
#: unbounded sentences.
MAX_SENTENCE_CHARS = 2000

#: Blocks of at most SEEN_CHARS characters have their sentence ranges remembered by text, up
#: to SEEN_BLOCKS texts per language at a time (then forgotten, so memory stays bounded): a
#: text of short lines repeats its lines (list markers, one-word lines), and a look-up costs
#: less than segmenting such a line again.
SEEN_CHARS = 200
SEEN_BLOCKS = 50_000


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
    emoticon_ends: str
    initial_marks: str
    agencies: tuple[str, ...]
    separators: str
    openings: tuple[str, ...]
    closings: tuple[str, ...]
    closings_comma: tuple[str, ...]
    openers: tuple[str, ...]
    continuers: frozenset[str]
    labels: frozenset[str]
    stamp: str
    address_ends: bool
    reporting: tuple[str, ...]
    opening: str
    closing: str
    question_exclamation: str
    dashes: str


def _load_toml(name: str) -> dict:
    return tables.read_toml(f"segment/{name}.toml")


def rule_file(lang: str) -> str:
    """The rule file for a BCP 47 tag, from the language table (`und` for a tag it lacks)."""
    return langs.get(lang).rules


@owned("segment-rules")
def rules(name: str) -> Rules:
    """The corrections for one rule file, read once per process."""
    common = _load_toml("common")["punctuation"]
    data = {} if name == "und" else _load_toml(name)
    abbr = data.get("abbreviations", {})
    letters = data.get("letters", {})
    starts = data.get("starts", {})
    mail = data.get("mail", {})
    punct = {**common, **data.get("punctuation", {})}
    return Rules(
        locale=data.get("locale", "und"),
        always=frozenset(a.lower() for a in abbr.get("always", [])),
        before_number=frozenset(a.lower() for a in abbr.get("before_number", [])),
        ends=frozenset(a.lower() for a in abbr.get("ends", [])),
        lowercase_after_full_stop=data.get("lowercase_after_full_stop", False),
        emoticons=tuple(punct["emoticons"]),
        emoticon_ends="".join(sorted({e[-1] for e in punct["emoticons"]})),
        initial_marks=data.get("initial_marks", ""),
        agencies=tuple(punct["agencies"]),
        separators=punct["separators"],
        openings=tuple(letters.get("openings", [])),
        closings=tuple(letters.get("closings", [])),
        closings_comma=tuple(letters.get("closings_comma", [])),
        openers=tuple(starts.get("openers", [])),
        continuers=frozenset(starts.get("continuers", [])),
        labels=frozenset(starts.get("labels", [])),
        stamp=mail.get("stamp", ""),
        address_ends=mail.get("address_ends", False),
        reporting=tuple(data.get("quotes", {}).get("reporting", [])),
        opening=punct["opening"],
        closing=punct["closing"],
        question_exclamation=punct["question_exclamation"],
        dashes=punct["dashes"],
    )


class _Patterns(NamedTuple):
    """One language's compiled patterns.

    None of them starts with a lookbehind, which would make `finditer` try
    every position slowly; callers check the character before a match.
    """

    extra: tuple[tuple[str, re.Pattern[str]], ...]
    """Where ICU proposes no boundary but one may be: a terminator, closing punctuation
    and spaces, then a digit or a dash and a space (or a lowercase letter, in languages
    whose informal writing starts sentences in lowercase). One pattern per terminator,
    which starts it: the regex engine scans for a literal first character several times
    faster than for one of a set, and a terminator absent from the text costs no scan.
    Matches cannot overlap (closing punctuation and spaces are no terminators), so the
    patterns together find what one pattern with a set of terminators finds."""
    following: re.Pattern[str]
    """Skips what may stand between a boundary and the next word (spaces, quotes,
    brackets, dashes, a comma) and captures that word's first character."""
    agency: re.Pattern[str]
    """A news agency and a dash after a dateline: `Астана. KAZINFORM - `."""
    emoticons: re.Pattern[str]
    emoticon_heads: tuple[tuple[str, re.Pattern[str]], ...]
    """Each first character of the emoticons and the emoticons that start with it: the
    quick test before `emoticons`, tried only where that character stands."""
    separators: re.Pattern[str]
    """A separator line: `-----`, `*****`."""
    letters: re.Pattern[str] | None
    """The salutation and closing lines of letters, where the language lists them
    (matched only where a sentence starts)."""
    openers: re.Pattern[str] | None
    """A space, a capitalised word that opens sentences (`The`, `These`) and a space before a
    letter: a sentence start without punctuation before it, where the language lists them."""
    stamp: re.Pattern[str] | None
    """The date-time stamp of a mail header from the slash after its first number, where
    the language has one."""
    separator_runs: tuple[str, ...]
    """Each separator character three times (`---`): the quick test before `separators`."""


#: The domain of an e-mail address (`@gs.com`, `@mail.utexas.edu>`) and the space after it;
#: anchored on `@`, which is rare, so the search is fast.
EMAIL_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)+>? ")
#: The local part of an e-mail address, read backwards from its `@`.
EMAIL_LOCAL = re.compile(r"[\w.+-]*$")
#: A URL and the space after it.
URL = re.compile(r"(?:https?://|www\.)\S+ ")


def _patterns(r: Rules) -> _Patterns:
    closing = re.escape(r.closing)
    terms = r.question_exclamation + ".…"
    dashes = re.escape(r.dashes)
    after = f"[0-9]|[{dashes}] "
    if r.lowercase_after_full_stop:
        after += "|[^\\W\\d_]"
    skip = re.escape(r.opening + r.closing + r.dashes + "\"',")
    names = "|".join(re.escape(a) for a in r.agencies)
    letters = None
    if r.openings or r.closings:
        opening = "|".join(re.escape(o) for o in r.openings)
        closings = "|".join(re.escape(c) for c in r.closings)
        closings_comma = "|".join(re.escape(c) for c in r.closings_comma) or "(?!)"
        # "Thanks Southland." thanks someone: a closing before one word and a full stop is
        # a sentence of its own
        letters = re.compile(
            f"(?:(?:{opening})\\b[^,:.!?\\n]{{0,40}}[,:]|(?:(?:{closings})[,!]?|(?:{closings_comma}),)"
            "(?:[ \\t]+-)?)(?=[ \\t]+[A-Z])(?![ \\t]+\\w+[.!])"
        )
    openers = None
    if r.openers:
        words = "|".join(re.escape(o) for o in sorted(r.openers, key=len, reverse=True))
        initials = re.escape("".join(sorted({o[0] for o in r.openers})))
        openers = re.compile(f" (?=[{initials}])(?:{words}) (?=[^\\W\\d_])")
    return _Patterns(
        extra=tuple(
            (t, re.compile(f"{re.escape(t)}[{closing}]*[ \\t]+(?={after})")) for t in terms
        ),
        following=re.compile(f"[{skip} \\t]*(\\w)"),
        agency=re.compile(f"(?:{names})[ \\t]*[{dashes}]"),
        emoticons=re.compile(_alternatives(r.emoticons) + "(?= |$)"),
        emoticon_heads=tuple(
            (c, re.compile(_alternatives([e for e in r.emoticons if e[0] == c])))
            for c in dict.fromkeys(e[0] for e in r.emoticons)
        ),
        separators=re.compile(f"[{re.escape(r.separators)}]{{3,}}(?!\\S)"),
        separator_runs=tuple(c * 3 for c in r.separators),
        letters=letters,
        openers=openers,
        stamp=re.compile(r.stamp) if r.stamp else None,
    )


def _alternatives(words: Iterable[str]) -> str:
    """A regex group that matches any of `words`, tried in their order."""
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


def _char_class(chars: Iterable[str]) -> str:
    """A regex character class body for `chars`, consecutive code points as ranges."""
    points = sorted({ord(c) for c in chars})
    out, i = [], 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        a, b = re.escape(chr(points[i])), re.escape(chr(points[j]))
        out.append(a if i == j else f"{a}-{b}")
        i = j + 1
    return "".join(out)


def _plain_full_stops(seg: _Segmenter) -> re.Pattern[str] | None:
    """Where `word. Next` is a boundary by the tests `_Segmenter.ranges` makes in Python on
    that shape (the common candidate), as one pattern run over the whole text: it matches such a
    full stop and the space after it, the end of the match being the boundary.

    The pattern is exact by construction, on the letters it knows (`PLAIN_BLOCKS`), sorted
    with the same `str` methods the tests use; any other character makes it fail, and the
    candidate goes to the tests. It holds
    * after the space, an optional quote (`quote_starts`) and a letter that is not lowercase,
      where no news agency's name starts (a dateline follows one);
    * before the full stop, a word of `long_word` letters or more (no abbreviation can be
      that long), or a shorter word of two letters or more after a space that does not
      lowercase to an abbreviation that never ends a sentence (`always`): every letter here
      lowercases to one letter, so the abbreviation is matched letter by letter. Letters
      exclude the marks inside initials, so `ءا.` is no word.
    What depends on the last boundary (an open bracket, a word cut by it) is checked in
    `ranges`. None when the rule file has no plain full stops.
    """
    r = seg.r
    if not seg.plain_stops or seg.long_word >= TOKEN_REACH:
        return None  # (an abbreviation as long as TOKEN_REACH turns the long-word test off)
    letters = [
        c
        for lo, hi in PLAIN_BLOCKS
        for c in map(chr, range(lo, hi + 1))
        # one lowercase letter each (final sigma lowercases by context), no initial mark
        if c.isalpha() and len(c.lower()) == 1 and c != "\u03a3" and c not in seg.initial_breaks
    ]
    starts = [c for c in letters if not c.islower()]
    lowered: dict[str, list[str]] = {}
    for c in letters:
        lowered.setdefault(c.lower(), []).append(c)
    word = f"[{_char_class(letters)}]"
    short = []
    for k in range(2, seg.long_word):
        # the abbreviations of k letters, each letter as the class of letters lowercasing to it
        abbrs = sorted(
            "".join(f"[{_char_class(lowered[x])}]" for x in a[:-1])
            for a in r.always
            if len(a) == k + 1 and a[-1] == "." and all(x in lowered for x in a[:-1])
        )
        not_abbr = f"(?<! (?:{'|'.join(abbrs)})\\. )" if abbrs else ""
        short.append(f"(?<= {word}{{{k}}}\\. ){not_abbr}")
    quote = f"[{_char_class(seg.quote_starts)}]"
    start = f"[{_char_class(starts)}]"
    no_agency = f"(?!{_alternatives(r.agencies)})" if r.agencies else ""
    words = "|".join([f"(?<={word}{{{seg.long_word}}}\\. )", *short])
    return re.compile(f"\\. (?={quote}{no_agency}{start}|{no_agency}{start})(?:{words})")


#: The characters after which ICU's sentence rules (UAX #29) may break: terminators (STerm,
#: ATerm) and paragraph separators (Sep, CR, LF). Without one, ICU's only boundary in a text
#: is its end.
ICU_BREAKS = (
    "[[:Sentence_Break=STerm:][:Sentence_Break=ATerm:][:Sentence_Break=Sep:]"
    "[:Sentence_Break=CR:][:Sentence_Break=LF:]]"
)


def _quiet_test(seg: _Segmenter) -> re.Pattern[str] | None:
    """A pattern that finds, in a text, some character where a boundary may be: after which
    ICU breaks (`ICU_BREAKS`), or where a correction of `_candidates` starts (a terminator of
    `extra`, a separator line, an emoticon, an address or a mail stamp). A text where it finds
    none has no candidate but its end, so it is one sentence (`ranges`). None where salutation
    lines are looked for at a text's start (they need no such character)."""
    r, p = seg.r, seg.p
    if p.letters is not None:
        return None
    chars = set(icu.UnicodeSet(ICU_BREAKS))
    chars.update(r.question_exclamation + ".…")
    chars.update(char for char, _ in p.emoticon_heads)
    if r.address_ends:
        chars.update("@:.")  # `@`, `://`, `www.`
    if p.stamp is not None:
        chars.add(":")
    # a separator character alone (a dash, a `-` line) is none: a separator line is a run
    runs = "".join(f"|{re.escape(run)}" for run in p.separator_runs)
    return re.compile(f"[{_char_class(chars)}]{runs}")


@owned("icu")
def _segmenter(name: str) -> _Segmenter:
    """The segmenter of one rule file, built once per process (ICU iterator, patterns)."""
    return _Segmenter(rules(name))


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "L"


def _is_initials(token: str, marks: str) -> bool:
    """`А.`, `А.М.`, `ت.`, `ءا.`: single capital (or caseless) letters each followed by a full stop.

    `marks` may precede a letter inside an initial (the Kazakh Arabic-script
    hamza that marks a front-vowel word: `ءا.` for Ә.).
    """
    if len(token) > 2 and token[-3] != "." and token[-3] not in marks:
        return False  # fast exit for the common case, a word before the full stop
    parts = token.split(".")
    if len(parts) < 2 or parts[-1]:
        return False
    for part in parts[:-1]:
        part = part.lstrip(marks) if marks else part
        if len(part) != 1 or not _is_letter(part) or part.islower():
            return False
    return True


class _Segmenter:
    """One language's rules, compiled, applied to ICU's boundaries; one per language and process.

    `keep` runs once per candidate boundary, so it leans on C string methods
    and precompiled patterns: this is what keeps the segmenter within a small
    factor of raw ICU.
    """

    def __init__(self, r: Rules) -> None:
        self.r = r
        self.p = _patterns(r)
        self.iterator = icu.BreakIterator.createSentenceInstance(icu.Locale(r.locale))
        #: What may stand before the first letter of a token: opening brackets and quotes.
        self.token_openers = r.opening + "\"'"
        #: The first letters of the salutations and closings of letters.
        self.letter_initials = "".join({w[0] for w in r.openings + r.closings + r.closings_comma})
        #: Quotes and brackets that may stand before the first word of a sentence (what
        #: `_Patterns.following` skips, less dashes and commas, which `keep` treats apart).
        self.quote_starts = "".join(
            sorted(set(r.opening + r.closing + "\"'") - set(r.dashes + ",;:" + WHITESPACE))
        )
        #: What may not stand two characters before the full stop of a plain word: another
        #: full stop or a mark inside initials (`А.М.`, `ءا.`).
        self.initial_breaks = "." + r.initial_marks
        #: The first characters of the news agencies, the quick test before looking for one.
        self.agency_initials = "".join(sorted({a[0] for a in r.agencies}))
        #: Letters before a full stop that make the word longer than any abbreviation that
        #: never ends a sentence (lowercasing never shortens a word), so it is none of them.
        #: At least two letters (one with its full stop is an initial), and within the reach
        #: of `_token_before` (a longer word is cut there), else the test is off.
        longest = max(map(len, r.always), default=0)
        self.long_word = max(2, longest) if longest < TOKEN_REACH else sys.maxsize
        #: Whether `ranges` may decide a full stop, a space and a letter without `keep`:
        #: only while a full stop is neither closing punctuation nor an emoticon's end and a
        #: space opens nothing (true of every rule file; the test keeps the shortcut exact).
        self.plain_stops = (
            "." not in r.closing + r.emoticon_ends + WHITESPACE and " " not in r.opening
        )
        self.plain = _plain_full_stops(self)
        self.quiet = _quiet_test(self)

    def _token_before(self, text: str, start: int, end: int) -> tuple[str, int]:
        """The token (no spaces, no opening brackets) that ends at `end`, and its start."""
        token = text[max(start, end - TOKEN_REACH) : end].rpartition(" ")[2]
        if "\t" in token:
            token = token.rpartition("\t")[2]
        token = token.lstrip(self.token_openers)  # '"Dr.' is still the abbreviation "Dr."
        return token, end - len(token)

    def _inside_parentheses(self, text: str, start: int, end: int) -> bool:
        """Whether `end` falls inside a bracket opened after `start` that closes soon after.

        "Soon" (within PAREN_REACH characters, no other bracket opening first)
        keeps a truncated or unbalanced bracket from swallowing the next sentences.
        """
        if text.count("(", start, end) <= text.count(")", start, end):
            return False
        close = text.find(")", end, end + PAREN_REACH)
        return (
            close != -1 and text.find("(", end, close) == -1 and text.find("\n", end, close) == -1
        )

    def _inside_url(self, text: str, start: int, pos: int) -> bool:
        """Whether `pos` falls inside a URL (`news.asp?ArticleID=1`): ICU breaks after its `?`."""
        lo = max(start, pos - URL_REACH)
        token = text[max(text.rfind(" ", lo, pos), lo - 1) + 1 : pos]
        return "://" in token or token.startswith("www.")

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

    def _full_stop_continues(
        self, text: str, prev: int, core: int, nxt: int, following: str
    ) -> bool:
        """Whether the full stop before `core` is not a sentence end (abbreviation, initials...)."""
        r = self.r
        token, tstart = self._token_before(text, prev, core)
        low = token.lower()
        if low in r.always:
            return True
        if following.islower():
            return not self._ends_before_lowercase(token)
        if following.isdigit():
            # "No. 5"; "Enron Corp. 713/853-5025", "Inc. 28601 Chagrin Blvd." (an address)
            return low[:-1] in r.before_number or low in r.ends
        # initials stand before a name in the same script: "А.М. Джумагулов", "J. Smith";
        # "класс S. В ..." or "Твртко I. Сын" end sentences
        if following and _is_initials(token, r.initial_marks):
            return (token[-2] <= LATIN_END) == (following <= LATIN_END)
        if text.startswith(r.agencies, nxt) and self.p.agency.match(text, nxt):
            return True  # a dateline: "Астана. KAZINFORM - ..."
        # a list number at the start of a line: "1. Кіріспе"
        return token[:-1].isdigit() and not text[prev:tstart].strip()

    def keep(self, text: str, prev: int, b: int) -> bool:
        """Whether candidate `b` is a sentence boundary (`prev`: the last boundary kept)."""
        r = self.r
        if text[b - 1] == "\n":
            return True
        end = b
        while end > prev and text[end - 1] in WHITESPACE:
            end -= 1
        if end <= prev:
            return False
        first = text[b]
        if first in ",;:":
            return False  # a sentence cannot start with a comma, semicolon or colon
        if b == end and text[b - 1] in "?!." and self._inside_url(text, prev, b):
            return False
        if first.isalpha():  # the common case, without a regex call
            nxt, following = b, first
        else:
            m = self.p.following.match(text, b)
            nxt, following = (m.start(1), m.group(1)) if m else (b, "")
        if text.find("(", prev, end) != -1 and self._inside_parentheses(text, prev, end):
            return False
        if text[end - 1] in r.emoticon_ends and text.endswith(r.emoticons, prev, end):
            return not following.islower()
        core = end
        while core > prev and text[core - 1] in r.closing:
            core -= 1
        term = text[core - 1] if core > prev else ""
        if term == ".":
            if self._full_stop_continues(text, prev, core, nxt, following):
                return False
        elif term in r.question_exclamation and (core < end or first in r.dashes):
            # «...?» деп / «...!» — деді: a reporting verb continues the sentence
            if following.islower() or text.startswith(r.reporting, nxt):
                return False
        # "... — деді." : the dash introduces the speaker, not a new line
        return not (first in r.dashes and following.islower())

    def _has_emoticon(self, text: str) -> bool:
        """Whether an emoticon stands anywhere in `text` (what `emoticons` may find)."""
        for char, head in self.p.emoticon_heads:
            i = text.find(char)
            while i != -1:
                if head.match(text, i):
                    return True
                i = text.find(char, i + 1)
        return False

    def _plain_word(self, text: str, prev: int, end: int) -> bool:
        """Whether the full stop before `end` ends a word that `_full_stop_continues` lets end
        a sentence before a capital: no abbreviation, initials or list number."""
        lo = max(prev, end - TOKEN_REACH)
        space = text.rfind(" ", lo, end)  # the token as `_token_before` reads it, one slice
        token = text[space + 1 if space >= 0 else lo : end]
        return (
            len(token) > 2
            and token[-3] not in self.initial_breaks  # not initials
            and token[0] not in self.token_openers  # `_token_before` would strip nothing
            and not token[-2].isdigit()  # not a list number
            and "\t" not in token
            and token.lower() not in self.r.always
        )

    def _letter_lines(self, text: str, start: int) -> list[int]:
        """Boundaries after the salutation and closing lines that open the sentence at `start`
        (none where the language lists none)."""
        letters = self.p.letters
        out: list[int] = []
        if letters is None:
            return out
        while True:
            pos = start
            while pos < len(text) and text[pos] in WHITESPACE:
                pos += 1
            if pos == len(text) or text[pos] not in self.letter_initials:
                return out  # no salutation or closing starts here: no regex call
            m = letters.match(text, pos)
            if m is None:
                return out
            start = m.end()
            out.append(start)

    def _unpunctuated_starts(self, text: str) -> Iterator[int]:
        """Starts of sentences that follow a word with no punctuation: `service These people`.

        The opener must stand before a lowercase word and after a word that it
        cannot continue (`of The`, `said The` do not count; `grade A in` is a label).
        """
        r = self.r
        for m in self.p.openers.finditer(text):  # type: ignore[union-attr]
            s = m.start()
            if not s or not text[m.end()].islower():
                continue
            if not text[s - 1].isalnum() and text[s - 1] not in r.closing:
                continue  # a word, or a closing quote or bracket: "... muppets' There is"
            word = text[max(text.rfind(" ", max(0, s - TOKEN_REACH), s), s - TOKEN_REACH) + 1 : s]
            low = word.lower().strip(r.closing)
            if low in r.continuers or (m.end() - s == 3 and low in r.labels):
                continue
            yield s + 1

    def _after_addresses(self, text: str) -> Iterator[int]:
        """Boundaries after an e-mail address or URL before a capital or another URL.

        The address must start a token (after a space, `:`, `(`, `[` or `<`):
        `<mailto:a@b.com>`, `E-Mail: a@b.com`.
        """
        n = len(text)
        ends = []
        if "@" in text:
            for m in EMAIL_DOMAIN.finditer(text):
                at = m.start()
                local = EMAIL_LOCAL.search(text, max(0, at - TOKEN_REACH), at)
                s = local.start() if local else at
                if s and text[s - 1] == "<":
                    s -= 1
                if not s or text[s - 1] in " :([<":
                    ends.append(m.end())
        if "://" in text or "www." in text:
            for m in URL.finditer(text):
                s = m.start()
                if not s or text[s - 1] in " :([<":
                    ends.append(m.end())
        for e in ends:
            if e < n and (text[e].isupper() or text.startswith(("http", "www."), e)):
                yield e

    def _around_stamps(self, text: str) -> Iterator[int]:
        """Both sides of a mail header's date-time stamp: `Name@ENRON | 06/12/2000 10:20 AM | Hi`.

        Before it only after a word that is not lowercase (`on 01/24/2001 ...`
        continues a sentence); after it only before a capital.
        """
        for m in self.p.stamp.finditer(text):  # type: ignore[union-attr]
            s, e = m.span()
            digits = 0  # the first number, before the slash the pattern starts at
            while digits < 2 and s > digits and text[s - digits - 1].isdecimal():
                digits += 1
            if not digits:
                continue
            s -= digits
            if s >= 2 and text[s - 1] == " " and not text[s - 2].isspace():
                word_start = text.rfind(" ", max(0, s - 1 - TOKEN_REACH), s - 1) + 1
                if not text[word_start].islower():
                    yield s
            if e + 1 < len(text) and text[e] == " " and text[e + 1].isupper():
                yield e + 1

    def _candidates(self, text: str) -> tuple[list[int], set[int]]:
        """Candidate boundaries, ascending (ICU's and the rules' extra ones), and the edges of
        separator lines among them (boundaries whatever stands around them)."""
        r, p = self.r, self.p
        self.iterator.setText(text)
        icu_candidates = list(self.iterator)  # ascending, each once
        more: list[int] = []
        for term, extra in p.extra:
            if term in text:
                for m in extra.finditer(text):
                    more.append(m.end())
        edges: set[int] = set()  # both sides of a separator line are boundaries
        # quick tests first (plain loops: a generator costs more than the test on a short
        # text): most texts have no separator line and no emoticon
        for run in p.separator_runs:
            if run[0] in text and run in text:
                for m in p.separators.finditer(text):
                    if not m.start() or text[m.start() - 1].isspace():
                        edges.update(m.span())
                break
        if self._has_emoticon(text):
            for m in p.emoticons.finditer(text):
                if m.start() and text[m.start() - 1] == " ":
                    more.append(m.end())
        if p.openers is not None:
            more.extend(self._unpunctuated_starts(text))
        if r.address_ends and ("@" in text or "://" in text or "www." in text):
            more.extend(self._after_addresses(text))
        if p.stamp is not None and ":" in text and "/" in text:
            more.extend(self._around_stamps(text))
        if more or edges:  # rare: most texts have ICU's candidates only, already in order
            return sorted({*icu_candidates, *more, *edges}), edges
        return icu_candidates, edges

    def ranges(self, text: str) -> list[tuple[int, int]]:
        """Sentence ranges `[start, end)` of `text`, whitespace trimmed (`segment_text`).

        A text with no character that may start or end a boundary (`_quiet_test`: a heading,
        a list item, a line of a text of short lines) is one sentence, found without ICU.
        """
        quiet = self.quiet
        if (
            quiet is not None
            and quiet.search(text) is None
            and (self.p.openers is None or " " not in text)
        ):
            out: list[tuple[int, int]] = []
            _close(text, 0, len(text), out)
            return out
        return self._ranges(text)

    def _ranges(self, text: str) -> list[tuple[int, int]]:
        """`ranges` through ICU's candidates and the corrections.

        A boundary `b` closes the sentence from the last one (`prev`) to `b`. The common
        boundary, `word. Next`, appends its range here: the sentence ends at the full stop
        (only the space before `b` to trim) and the next starts at `b`.
        """
        out: list[tuple[int, int]] = []
        r = self.r
        candidates, edges = self._candidates(text)
        letters = self.p.letters is not None
        prev = 0
        if letters:
            for b in self._letter_lines(text, 0):
                _close(text, prev, b, out)
                prev = b
        n = len(text)
        opening = r.opening
        keep = self.keep
        plain_stops = self.plain_stops
        parens = "(" in text
        agencies, quote_starts, initial_breaks = r.agencies, self.quote_starts, self.initial_breaks
        agency_initials, long_word = self.agency_initials, self.long_word
        append = out.append
        # the common boundaries, found by one pattern (`_plain_full_stops`)
        fast = {m.end() for m in self.plain.finditer(text)} if self.plain is not None else ()
        for b in candidates:
            if b >= n or b <= prev:
                continue
            if (
                b in fast
                # the word before the full stop is whole after the last boundary: the pattern
                # read its `long_word` last letters, or all of it from the space before it
                and (b - 2 - long_word >= prev or text.rfind(" ", prev, b - 2) != -1)
                and not (parens and text.find("(", prev, b - 1) != -1)
            ):
                plain = True
            elif (edges and b in edges) or text[b - 1] == "\n":
                plain = False  # both always boundaries (`keep` says so for a newline too)
            elif (
                # The same shape that the pattern could not decide (a letter it does not know,
                # a word cut by the last boundary) is decided here with the tests `keep`
                # would make on it; any other shape goes to `keep`.
                text[b - 1] == " "
                and text[b - 2] == "."
                and plain_stops
                and b - 2 >= prev
                and not (parens and text.find("(", prev, b - 1) != -1)
            ):
                nxt = b + 1 if text[b] in quote_starts and b + 1 < n else b
                following = text[nxt]
                plain = (
                    following.isalpha()  # not lowercase, a digit or a dash
                    and not following.islower()
                    and not (following in agency_initials and text.startswith(agencies, nxt))
                    and (
                        # a long word: no abbreviation, initials or number (most words)
                        (
                            (w := b - 2 - long_word) >= prev
                            and text[w : b - 2].isalpha()
                            and text[b - 4] not in initial_breaks
                        )
                        or self._plain_word(text, prev, b - 1)
                    )
                )
                if not plain and not keep(text, prev, b):
                    continue
            elif not keep(text, prev, b):
                continue
            else:
                plain = False
            if plain:
                # a boundary, where `keep` would leave it (a space opens nothing): the
                # sentence ends at the full stop, and a space or so may lead it
                a = prev
                while text[a] in WHITESPACE:  # the full stop ends this at the latest
                    a += 1
                if b - 1 - a > MAX_SENTENCE_CHARS:
                    out.extend(_cap(text, a, b - 1))
                else:
                    append((a, b - 1))
                prev = b
                if letters:
                    for b in self._letter_lines(text, prev):
                        _close(text, prev, b, out)
                        prev = b
                continue
            while b > prev and text[b - 1] in opening:
                b -= 1  # an opening quote or bracket goes with the next sentence: "。「"
            if b > prev:
                _close(text, prev, b, out)
                prev = b
                if letters:
                    for b in self._letter_lines(text, prev):
                        _close(text, prev, b, out)
                        prev = b
        _close(text, prev, n, out)
        return out


def segment_text(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence ranges `[start, end)` of `text` in language `lang` (BCP 47), whitespace trimmed.

    A newline is always a boundary; empty or blank stretches yield no sentence.
    """
    if not text:
        return []
    return _segmenter(rule_file(lang)).ranges(text)


def _close(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    """Appends the sentence `text[a:b]` to `out`, whitespace trimmed (none if blank), in
    pieces if it is too long."""
    while a < b and text[a] in WHITESPACE:
        a += 1
    while b > a and text[b - 1] in WHITESPACE:
        b -= 1
    if b - a > MAX_SENTENCE_CHARS:
        out.extend(_cap(text, a, b))
    elif b > a:
        out.append((a, b))


def _cap(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """Pieces of at most MAX_SENTENCE_CHARS of `text[a:b]`, cut after whitespace when possible."""
    while b - a > MAX_SENTENCE_CHARS:
        cut = a + MAX_SENTENCE_CHARS
        space = text.rfind(" ", a + MAX_SENTENCE_CHARS // 2, cut)
        piece_end = space if space > a else cut
        yield a, piece_end
        a = piece_end
        while a < b and text[a].isspace():
            a += 1
    if b > a:
        yield a, b


def segment(docs: Iterable[Document], opts: SegmentOptions) -> Iterator[Sentence]:
    """Sentences of each document, block by block, in the block's language.

    Blocks are sentences' outer limits: a heading or list item is never joined
    to what follows. Text outside any block (separators) is not segmented; a
    document without blocks is segmented as one block of its own language.
    """
    # each language's segmenter, looked up once per document stream rather than once per
    # block: a text of short lines has a block a line
    segmenters: dict[str, _Segmenter] = {}
    seen: dict[str, dict[str, list[tuple[int, int]]]] = {}  # language: short text: ranges
    forced = opts.lang
    for doc in docs:
        offsets = OffsetMap(doc.spans)
        orig_offsets = OffsetMap(doc.orig_spans or [])
        blocks = doc.blocks or [Block(0, len(doc.text), "paragraph", doc.lang)]
        rows = (
            blocks.rows()
            if isinstance(blocks, Blocks)
            else ((b.start, b.end, b.kind, b.lang) for b in blocks)
        )
        doc_id, source, orig_text, text = doc.id, doc.source, doc.orig_text, doc.text
        clip, to_source = offsets.clip, offsets.to_source
        n = 0
        lang = seg = memo = None
        for para, (block_start, block_end, kind, block_lang) in enumerate(rows):
            body = text[block_start:block_end]
            if not body:
                continue
            block_lang = forced or block_lang or doc.lang
            if seg is None or block_lang != lang:  # blocks mostly share one language
                lang = block_lang
                seg = segmenters.get(lang)
                if seg is None:
                    seg = segmenters[lang] = _segmenter(rule_file(lang))
                memo = seen.setdefault(lang, {})
            if len(body) <= SEEN_CHARS:
                ranges = memo.get(body)
                if ranges is None:
                    if len(memo) >= SEEN_BLOCKS:
                        memo.clear()
                    ranges = memo[body] = seg.ranges(body)
            else:
                ranges = seg.ranges(body)
            for a, b in ranges:
                start, end = block_start + a, block_start + b
                spans = clip(start, end)
                # The source range runs from the first clipped span's source start to the last
                # one's source end, which is what `to_source` computes; a sentence that no span
                # covers (inserted text) needs its anchor rule.
                span = [spans[0][2], spans[-1][3]] if spans else list(to_source(start, end))
                orig = None
                if orig_text is not None:
                    orig = orig_text[slice(*orig_offsets.to_source(start, end))]
                # positional, in field order (id, doc_id, n, lang, text, block, source, span,
                # para, spans, orig_text): keywords cost more, per sentence
                yield Sentence(
                    f"{doc_id}:{n}",
                    doc_id,
                    n,
                    lang,
                    body[a:b],
                    kind,
                    source,
                    span,
                    para,
                    spans,
                    orig,
                )
                n += 1


def segment_lines(lines: Iterable[tuple[int, str]], lang: str, source: str) -> Iterator[Sentence]:
    """Sentences of plain text read line by line (`kzkg segment --in text`).

    Each line is a paragraph: a newline always ends a sentence. The input is
    one document whose id is `source`; spans count code points from the start
    of the input, each line ended by one newline character.
    """
    offset = n = para = 0
    for _lineno, line in lines:
        first = n
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
                para=para,
            )
            n += 1
        if n > first:  # a line without sentences (blank) is no paragraph, as in normalize
            para += 1
        offset += len(line) + 1
