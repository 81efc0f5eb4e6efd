"""Format, script and language of a raw file, before normalization.

Language identification runs script rules first (Kazakh letters in Cyrillic or
Arabic script, Traditional vs Simplified Han from ICU's Hant-Hans transform),
then langdetect's n-gram profiles — its 55 stock ones plus a Kazakh profile
shipped in `data/langdetect/` — scored exactly, with a prior for the corpus'
languages (see `_ngram_lang`). docs/langid.md has the measurements.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from kzkg_tools import cache, langs, tables
from kzkg_tools.records import Detection
from kzkg_tools.resources import hold, measure, owned

#: The Chinese tags of the language table: the variants `han_variant` chooses between.
HAN_VARIANTS = frozenset(e.tag for e in langs.LANGS.values() if e.language == "zh")
KK_CYRL_LETTERS = "әғқңөұүһӘҒҚҢӨҰҮҺ"
"""Cyrillic letters of Kazakh that Russian, Bulgarian, Macedonian and Ukrainian lack.

U+0456 (Cyrillic i) is Kazakh too but also Ukrainian and Belarusian, so it alone
decides nothing: such text goes to the n-gram model, which has Kazakh and Ukrainian.
"""
KK_ARAB_LETTERS = "ەۇۋڭۆٴٵٶٷٸ"
"""Letters of the Kazakh Arabic alphabet that standard Arabic, Persian and Urdu lack."""
MIN_PDF_LINES = 10  # fewer lines say nothing about line shape
# Form-feed pages (pdftotext's output): at least two pages, and at least half of them with
# furniture at an edge. Two, because a running header or page number shows as furniture
# only by recurring; half, because a title page or a page of figures may have none.
MIN_FORM_FEED_PAGES = 2
FURNISHED_PAGE_SHARE = 0.5
MIN_RUNNING_CHARS = 8  # a running header or footer line, as page furniture finds them
KK_WORD_SHARE = 0.05
HAN_WEIGHT = 3
"""Latin letters one Han character stands for when weighing scripts against each other.

Measured on NTREX-128: the English source has 2.86 Latin letters per Han character of
its Chinese translation. Without it, a Chinese sentence that names two English brands
counts as Latin-script.
"""
PRIOR_WEIGHTS = {"en": 100_000.0, "ar": 1000.0, "kk": 1000.0, "ru": 1000.0}
"""How much likelier a sentence is a priori to be in one of the corpus' languages than in
one of langdetect's other languages (weight 1); Chinese is decided by script rules.

Short sentences ("my bad.", "Talk to you soon,") carry too few n-grams to tell English
from Somali or Afrikaans among the 35 Latin-script profiles, hence English's large
weight; Cyrillic (5 profiles) and Arabic script (3) need less. The price: two- or
three-word strings in other languages lean to the corpus languages (measured on
gettext catalogues in docs/langid.md)."""
SMOOTHING = 0.5 / 10_000  # langdetect's own: Detector.ALPHA_DEFAULT / Detector.BASE_FREQ

_SCRIPTS = {
    "Hani": regex.compile(r"\p{Han}"),
    "Kana": regex.compile(r"[\p{Hiragana}\p{Katakana}]"),
    "Hang": regex.compile(r"\p{Hangul}"),
    "Arab": regex.compile(r"\p{Arabic}"),
    "Cyrl": regex.compile(r"\p{Cyrillic}"),
    "Latn": regex.compile(r"\p{Latin}"),
}
_LETTER = regex.compile(r"\p{L}")
_ASCII_NON_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
_NOT_HAN = regex.compile(r"\P{Han}+")  # the complement of _SCRIPTS["Hani"]
_HANT_QUOTES = regex.compile(r"[「」『』]")
_HANS_QUOTES = regex.compile(r"[“”\u2018\u2019]")
_URL = regex.compile(r"https?://\S+|\]\([^)]*\)|<[^>]{1,200}>")
_CHUNK_SPLIT = regex.compile(r"\n+")
SAMPLE_CHARS = 200_000  # more text than this changes the shares little, the time a lot
SAMPLE_WINDOWS = 8
NGRAM_CHARS = 2_000  # the n-grams of a longer line add time, not certainty


@owned("langid")
def _regexes() -> dict[str, Any]:
    return {
        "wiki": regex.compile(r"\{\{|\}\}|\[\[|\]\]|^=+[^=\n]+=+\s*$|'''|<ref[ >]", regex.M),
        "md": regex.compile(
            # Not bullets: hard-wrapped plain text (the MPL-2.0 licence) has those too.
            r"\]\((?:https?://|\.\./)|^#{1,6} |\*\*[^*\n]+\*\*|\\\[\d+\\\]|`[^`\n]+`",
            regex.M,
        ),
        # A line that stops mid-sentence and a next line that goes on in lower case (or
        # in a script without case): a soft wrap.
        "wrap": regex.compile(
            r"^[^\n]*[^\s\p{Sentence_Terminal}:;\p{Pf}\p{Pe}\"][ \t]*\n"
            r"(?=[ \t]*[\p{Ll}\p{Lo}])",
            regex.M,
        ),
        "hyphen_wrap": regex.compile(r"\p{L}-[ \t]*\n[ \t]*\p{Ll}"),
        "trailing_space": regex.compile(r"\S[ \t]+$", regex.M),
        "form_feed": regex.compile(r"^\f", regex.M),
        "digits": regex.compile(r"\d+"),
        "letter": regex.compile(r"\p{L}"),
        "sentence_end": regex.compile(r"[.!?:;][»\"”’)\]]*$"),
        "page_number": regex.compile(
            r"^[ \t]*(?:\p{Pd}[ \t]*)?\d{1,4}(?:[ \t]*\p{Pd})?[ \t]*$", regex.M
        ),
        "Cyrl": (regex.compile(r"\p{Cyrillic}+"), regex.compile(f"[{KK_CYRL_LETTERS}]")),
        "Arab": (regex.compile(r"\p{Arabic}+"), regex.compile(f"[{KK_ARAB_LETTERS}]")),
    }


def detect_format(text: str) -> str:
    """wikitext | markdown | pdf-text | plain, from markup and line-shape evidence."""
    from kzkg_tools.normalize import frontmatter

    if frontmatter.present(text):  # a static-site page, whatever markup its body uses
        return "markdown"
    rx = _regexes()
    sample = text[:SAMPLE_CHARS]
    n = max(1, len(sample) // 1000)
    wiki = len(rx["wiki"].findall(sample)) / n
    md = len(rx["md"].findall(sample)) / n
    if wiki >= 1 and wiki > md:
        return "wikitext"
    if md >= 1:
        return "markdown"
    if _form_feed_pages(sample) or _looks_extracted_from_pdf(sample):
        return "pdf-text"
    return "plain"


def _form_feed_pages(sample: str) -> bool:
    """Pages separated by form feeds at line starts, most of them with page furniture at an
    edge: their first or last non-blank line is a page number, or a line (digits aside)
    that also stands at an edge of another page — a running header or footer.

    pdftotext writes a form feed before every page after the first; its lines need not be
    soft-wrapped (a page of one line each of header, body and number has no blank line and
    no wrap). A form feed alone does not make PDF text: hard-wrapped plain text and source
    files use it as a page break too, without repeated lines at the page edges.
    """
    if "\f" not in sample:
        return False
    rx = _regexes()
    edges = []  # the first and last non-blank lines of each page, every number made 0
    for page in rx["form_feed"].split(sample):
        content = [line.strip() for line in page.split("\n") if line.strip()]
        if content:
            edges.append({rx["digits"].sub("0", content[0]), rx["digits"].sub("0", content[-1])})
    if len(edges) < MIN_FORM_FEED_PAGES:
        return False
    seen = Counter(line for page in edges for line in page)

    def furniture(line: str) -> bool:
        if rx["page_number"].match(line):
            return True
        # A running line has words and ends no sentence (as page furniture finds them): a
        # brace, a rule or a closing sentence repeated at the page breaks is not one.
        return (
            seen[line] >= 2
            and len(line) >= MIN_RUNNING_CHARS
            and bool(rx["letter"].search(line))
            and not rx["sentence_end"].search(line)
        )

    furnished = sum(1 for page in edges if any(map(furniture, page)))
    return furnished >= FURNISHED_PAGE_SHARE * len(edges)


def _looks_extracted_from_pdf(sample: str) -> bool:
    """Soft-wrapped lines plus at least one artefact of PDF text extraction.

    Soft wraps alone also describe hard-wrapped plain text (licences, e-mail,
    Project Gutenberg: GPL-3 has 0.63 wrapped lines per line), so it takes one of:
    words hyphenated across lines, lines that keep the space before their break
    (PDF extractors keep the inter-word space), or page-number lines. Seed 002 has
    0.81 wrapped lines, 0.33 line-break hyphens and 0.60 trailing spaces per line.
    """
    rx = _regexes()
    lines = sum(1 for ln in sample.split("\n") if ln.strip())
    if lines < MIN_PDF_LINES or len(rx["wrap"].findall(sample)) < 0.3 * lines:
        return False
    return (
        len(rx["hyphen_wrap"].findall(sample)) >= 0.02 * lines
        or len(rx["trailing_space"].findall(sample)) >= 0.3 * lines
        or len(rx["page_number"].findall(sample)) >= 2
    )


_CHAR_SCRIPTS: dict[str, tuple[str, ...]] = {}  # character -> the _SCRIPTS it belongs to
hold("langid", _CHAR_SCRIPTS.clear, _CHAR_SCRIPTS.__len__)


def _char_scripts(ch: str) -> tuple[str, ...]:
    """The names of `_SCRIPTS` that match `ch`, plus "L" when it is a letter (cached:
    a text has a few hundred distinct characters, not thousands)."""
    found = _CHAR_SCRIPTS.get(ch)
    if found is None:
        found = tuple(name for name, rx in _SCRIPTS.items() if rx.match(ch))
        found += ("L",) if _LETTER.match(ch) else ()
        _CHAR_SCRIPTS[ch] = found
    return found


class _KindCodes(dict[int, str | None]):
    """Code point -> one character standing for its `_char_scripts` (None for a character of no
    script that is no letter), filled on first sight: `str.translate` with it classifies a
    text in one C pass, leaving a string of a dozen distinct codes to count."""

    def __init__(self) -> None:
        super().__init__()
        self.kinds: list[tuple[str, ...]] = []  # what the code chr(i) stands for
        self._codes: dict[tuple[str, ...], str] = {}

    def __missing__(self, cp: int) -> str | None:
        found = _char_scripts(chr(cp))
        code = self._codes.get(found) if found else None
        if found and code is None:
            code = self._codes[found] = chr(len(self.kinds))
            self.kinds.append(found)
        self[cp] = code
        return code

    def clear(self) -> None:
        super().clear()
        self.kinds.clear()
        self._codes.clear()


_KIND_CODES = _KindCodes()
hold("langid", _KIND_CODES.clear, _KIND_CODES.__len__)


def script_counts(text: str) -> Counter[str]:
    """Letters per ISO 15924 script (Hani, Kana, Hang, Arab, Cyrl, Latn, Zzzz) in `text`.

    Counted per kind of character (`_KIND_CODES`): the same counts as one regex pass per
    script, and a tenth of the time on a long block.
    """
    if text.isascii():
        # Most blocks of a Latin-script page: its letters are A-Z and a-z, all Latin (tested
        # against `_char_scripts`), counted in one pass in C instead of character by character.
        counts = Counter(dict.fromkeys(_SCRIPTS, 0))
        counts["Latn"] = len(text.encode("ascii").translate(None, _ASCII_NON_LETTERS))
        counts["Zzzz"] = 0
        return counts
    coded = text.translate(_KIND_CODES)
    kinds = _KIND_CODES.kinds
    counts = Counter(dict.fromkeys(_SCRIPTS, 0))
    letters = 0
    for code in set(coded):
        n = coded.count(code)
        for name in kinds[ord(code)]:
            if name == "L":
                letters += n
            else:
                counts[name] += n
    counts["Zzzz"] = letters - sum(counts.values())
    return counts


def _dominant(counts: Counter[str]) -> str:
    weighted = counts.copy()
    weighted["Hani"] *= HAN_WEIGHT
    name, n = max(weighted.items(), key=lambda kv: (kv[1], kv[0]))
    return name if n else "Zyyy"


def detect_script(text: str) -> str:
    """The dominant script of `text` (ISO 15924), `Zyyy` when there are no letters."""
    return _dominant(script_counts(sample(text)))


@owned("langid")
def _hant_hans() -> tuple[Any, Any]:
    import icu

    return (
        icu.Transliterator.createInstance("Hant-Hans"),
        icu.Transliterator.createInstance("Hans-Hant"),
    )


#: Han characters `han_variant` hands to ICU before it builds `_han_rules` (0.04 s, what ICU
#: takes for some 70,000 characters): a one-line input does not pay for the tables.
HAN_RULES_AFTER = 50_000
_HAN_SEEN = [0]  # Han characters han_variant has been given in this process


def han_variant(text: str, tie: str | None = None) -> str:
    """zh-Hant or zh-Hans: which variant's distinctive characters the text uses more.

    ICU's Hant-Hans transform changes exactly the characters that only Traditional
    text uses, Hans-Hant those only Simplified text uses. A sentence with neither
    (about 1 in 150 in NTREX, 1 in 500 in UD GSD) falls back to its quotation marks,
    which the two standards also write differently (「」 in Taiwan and Hong Kong,
    “” in GB/T 15834), then to `tie`: by default what a bare `zh` means in the language
    table (zh-Hans, the more common variant), unless the caller knows better (the
    document's variant).
    """
    han = _NOT_HAN.sub("", text)  # the Han characters in order: findall's, one string at once
    _HAN_SEEN[0] += len(han)
    if _HAN_SEEN[0] < HAN_RULES_AFTER and not _han_rules.cache_info().currsize:
        to_hans, to_hant = _hant_hans()
        trad, simp = _icu_changed(to_hans, han), _icu_changed(to_hant, han)
    else:
        rules_hans, rules_hant = _han_rules()
        trad, simp = rules_hans.changed(han), rules_hant.changed(han)
    if trad == simp:
        trad, simp = len(_HANT_QUOTES.findall(text)), len(_HANS_QUOTES.findall(text))
    if trad == simp:
        return tie or langs.canonical("zh")
    return "zh-Hant" if trad > simp else "zh-Hans"


def _icu_changed(transliterator: Any, han: str) -> int:
    """The positions where `han` and its transform by `transliterator` differ."""
    return sum(1 for a, b in zip(han, transliterator.transliterate(han), strict=False) if a != b)


class _HanRules:
    """How many characters of a Han string one of ICU's Hant-Hans, Hans-Hant transforms changes
    (the positions where input and output differ, as `zip` pairs them), without running it.

    ICU runs its rules left to right, the first rule in source order that matches at the cursor
    replacing the text it matched; the two transforms have only plain rules (`A > B`) and, in
    Hans-Hant, a few with one-character contexts (`[一二…]{余} > 餘`), all replacing a string
    with one of the same length. So most characters are changed by a one-character rule
    wherever they stand, which one regex pass counts; only where the first two characters of
    a longer rule, or the key of a context rule, stand (about one character in a hundred) are
    the rules tried here, in ICU's order. ICU's transform takes some 250 ns a character, this
    60 to 100 ns. A rule of any other form, or a replacement of another length, makes
    `changed` run ICU itself. Tested against ICU in tests/test_detect_han.py.
    """

    def __init__(self, transliterator: Any) -> None:
        self.icu = transliterator
        self.single: dict[str, str] = {}  # one-character rules
        # Rules of more than one character or with a context, by the first character of the
        # key, in source order: (ante, key, post, output) with ante and post as character sets.
        self.special: dict[str, list[Rule]] = {}
        rules = _parsed_rules(transliterator.toRules(True))
        self.exact = rules is not None
        for ante, key, post, out in rules or ():
            if not ante and not post and len(key) == 1:
                self.single.setdefault(key, out)
            self.special.setdefault(key[0], []).append((ante, key, post, out))
        changed = {ch for ch, out in self.single.items() if out != ch}
        self.changed_rx = re.compile(_char_class(changed))
        # Only the characters that begin a rule other than a plain one-character one.
        self.special = {
            ch: bucket
            for ch, bucket in self.special.items()
            if any(ante or post or len(key) > 1 for ante, key, post, _out in bucket)
        }
        # What a position must start with for a rule of `special` to match there: the first two
        # characters of a longer key, or a one-character key with a context.
        self.starts = {
            key[:2]
            for bucket in self.special.values()
            for ante, key, post, _out in bucket
            if ante or post or len(key) > 1
        }
        pairs = [start for start in self.starts if len(start) == 2]
        # Positions that may hold one of `starts` (a pair is looked for by its characters
        # first: the positions it finds are a tenth of the text, the actual starts a hundredth).
        self.candidates_rx = re.compile(
            "|".join(
                [f"{_char_class(p[0] for p in pairs)}(?={_char_class(p[1] for p in pairs)})"]
                * bool(pairs)
                + [_char_class(start for start in self.starts if len(start) == 1)]
            )
        )
        # What applying a rule adds to the count of `changed_rx`: the positions it changes,
        # less the ones the one-character rules would have changed there.
        self.correction = {
            (ch, i): sum(a != b for a, b in zip(rule[1], rule[3], strict=True))
            - sum(a in changed for a in rule[1])
            for ch, bucket in self.special.items()
            for i, rule in enumerate(bucket)
        }

    def changed(self, han: str) -> int:
        """`sum(a != b for a, b in zip(han, transform(han)))`."""
        if not self.exact:
            return _icu_changed(self.icu, han)
        count = len(self.changed_rx.findall(han))
        end = 0  # the text before `end` has been consumed by a rule of `special`
        outs: dict[int, str] = {}  # the output at positions such rules replaced
        n = len(han)
        for m in self.candidates_rx.finditer(han):
            i = m.start()
            if i < end or (han[i : i + 2] not in self.starts and han[i] not in self.starts):
                continue  # consumed, or only a one-character rule can match: counted already
            ch = han[i]
            for r, (ante, key, post, out) in enumerate(self.special[ch]):
                if not han.startswith(key, i):
                    continue
                j = i + len(key)
                if post and (
                    j + len(post) > n or any(han[j + k] not in s for k, s in enumerate(post))
                ):
                    continue
                if ante and (i < len(ante) or not self._ante(han, i, ante, outs)):
                    continue
                count += self.correction[ch, r]
                outs.update(zip(range(i, j), out, strict=True))
                end = j
                break
        return count

    def _ante(self, han: str, i: int, ante: list[frozenset[str]], outs: dict[int, str]) -> bool:
        """Whether the output before position `i` matches `ante` (ICU matches the ante
        context against the text already transformed)."""
        for k, allowed in enumerate(ante):
            q = i - len(ante) + k
            ch = outs.get(q)
            if ch is None:
                ch = self.single.get(han[q], han[q])
            if ch not in allowed:
                return False
        return True


_RULE = regex.compile(r"(.*) > (.*);")
# One element of a rule's left side: a set of characters `[…]` (no ranges, negation or
# properties), a context brace, or one literal character.
_RULE_ELEMENT = regex.compile(r"\[([^\[\]\-\\^$:&{}\s]+)\]|([{}])|([^\[\]{}\\$^|'&:;>=<?*+()\s-])")
_RULE_SYNTAX = "[]{}"  # characters that, escaped, would be misread here
Rule = tuple[list[frozenset[str]], str, list[frozenset[str]], str]


def _parsed_rules(source: str) -> list[Rule] | None:
    """The rules of a transform's source as (ante, key, post, output), ante and post one
    character set per position; None when a rule has another form or changes the length."""
    text = _unescaped(source)
    if text is None:
        return None
    rules = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        plain = _PLAIN_RULE.fullmatch(line)
        if plain:  # most rules: `A > B;` with no context
            lhs, rhs = plain.groups()
            if len(lhs) != len(rhs):
                return None
            rules.append(([], lhs, [], rhs))
            continue
        rule = _context_rule(line)
        if rule is None:
            return None
        rules.append(rule)
    return rules


_PLAIN_RULE = re.compile(
    r"\s*([^\[\]{}\\$^|'&:;>=<?*+()\s-]+) > ([^\[\]{}\\$^|'&:;>=<?*+()\s-]*);\s*"
)


def _context_rule(line: str) -> Rule | None:
    """A rule `ante{key}post > out;` (ante and post of character sets `[…]` or literals), or
    None when `line` is no such rule or its output's length differs from its key's."""
    m = _RULE.fullmatch(line.strip())
    if not m:
        return None
    lhs, rhs = m.groups()
    if any(ch in rhs for ch in _RULE_SYNTAX) or not regex.fullmatch(r"[^{}]*\{[^{}]+\}[^{}]*", lhs):
        return None
    elements = list(_RULE_ELEMENT.finditer(lhs))
    if sum(e.end() - e.start() for e in elements) != len(lhs):
        return None
    first, last = [k for k, e in enumerate(elements) if e.group(2)]
    key_elements = elements[first + 1 : last]
    if any(e.group(3) is None for e in key_elements):
        return None
    key = "".join(e.group(3) for e in key_elements)
    if len(rhs) != len(key):
        return None
    ante = [frozenset(e.group(1) or e.group(3)) for e in elements[:first]]
    post = [frozenset(e.group(1) or e.group(3)) for e in elements[last + 1 :]]
    return ante, key, post, rhs


def _unescaped(source: str) -> str | None:
    """`source` with its `\\uXXXX` and `\\UXXXXXXXX` escapes resolved; None if it has another
    backslash, or an escape that stands for a character of the rule syntax."""
    if not source.isascii() or not re.fullmatch(
        r"(?:[^\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*", source
    ):
        return None
    text = source.encode("ascii").decode("unicode_escape")
    if any(text.count(ch) != source.count(ch) for ch in _RULE_SYNTAX + ";>\n"):
        return None  # an escaped bracket: a literal this reading would take for syntax
    return text


def _char_class(chars: Iterable[str]) -> str:
    """A `re` character class of `chars` (one that matches nothing when there are none)."""
    members = sorted(set(chars))
    return "[" + "".join(map(re.escape, members)) + "]" if members else "(?!)"


@owned("langid")
def _han_rules() -> tuple[_HanRules, _HanRules]:
    """Hant-Hans and Hans-Hant, as `_HanRules`."""
    to_hans, to_hant = _hant_hans()
    return _HanRules(to_hans), _HanRules(to_hant)


@dataclass(frozen=True)
class _NgramModel:
    """langdetect's profiles as log probabilities, plus a log prior per language.

    One float32 matrix, a row per langdetect n-gram of one to three characters
    (88,879 with ours) and a column per language: 20 MB, where langdetect's factory
    keeps a list of 56 Python floats per gram (about 117 MB) — float64 gave the same
    tags on all 127,101 benchmark lines, float32 halves the matrix.
    """

    langs: list[str]
    prior: Any  # numpy float64 vector: the log prior of each language
    index: Mapping[str, int]  # langdetect's n-gram -> its row in log_probs
    log_probs: Any  # numpy float32 matrix: log(probability + SMOOTHING)


class _Normalized(dict[int, str]):
    """langdetect's `NGram.normalize` as a `str.translate` table, filled as characters come."""

    def __missing__(self, code: int) -> str:
        from langdetect.utils.ngram import NGram

        ch = self[code] = NGram.normalize(chr(code))
        return ch


_NORMALIZED = _Normalized()
_DROP_ASCII_LETTERS = dict.fromkeys(range(ord("A"), ord("z") + 1))  # langdetect's 'A' <= ch <= 'z'
_SPACE_RUN = regex.compile(" +")


def _ngram_words(text: str) -> list[str]:
    """The normalized words langdetect takes n-grams from, after its own cleaning (URLs,
    e-mail addresses), each but the last with the space after it.

    langdetect skips words in capitals (acronyms); a headline all in capitals then
    has none, so the caller retries it lowercased. Its n-gram buffer starts afresh
    after every space, so the n-grams are worked out once per word and cached.
    """
    from langdetect.detector import Detector
    from langdetect.utils.ngram import NGram

    text = NGram.normalize_vi(Detector.MAIL_RE.sub(" ", Detector.URL_RE.sub(" ", text)))
    text = _SPACE_RUN.sub(" ", text[:_DETECTOR_MAX_TEXT])
    ascii_letters = non_latin = 0
    for ch, n in Counter(text).items():
        kind = _latin_kind(ch)
        if kind == "latin":
            ascii_letters += n
        elif kind == "other":
            non_latin += n
    if ascii_letters * 2 < non_latin:
        text = text.translate(_DROP_ASCII_LETTERS)
    words = text.translate(_NORMALIZED).split(" ")
    last = len(words) - 1
    return [word + " " if k < last else word for k, word in enumerate(words)]


def _ngrams(text: str) -> list[str]:
    """langdetect's n-grams of `text`: the list `Detector.append`, `cleaning_text` and
    `_extract_ngrams` make, in their order (those of its profiles know)."""
    known = _model().index
    return [g for word in _ngram_words(text) for g in _word_candidates(word) if g in known]


def _ngram_rows(text: str) -> list[int]:
    """The rows of the model's matrix for `_ngrams(text)`, in the same order."""
    rows: list[int] = []
    for word in _ngram_words(text):
        rows.extend(_word_ngrams(word))
    return rows


_DETECTOR_MAX_TEXT = 10_000  # Detector.max_text_length


@owned("langid")
def _latin_kind(ch: str) -> str:
    """How langdetect's `cleaning_text` counts `ch`: an ASCII letter (or one of [\\]^_`),
    another script's character, or neither."""
    from langdetect.utils.unicode_block import unicode_block

    if "A" <= ch <= "z":
        return "latin"
    if ch >= "\u0300" and unicode_block(ch) != "Latin Extended Additional":
        return "other"
    return "neither"


def _word_candidates(word: str) -> Iterable[str]:
    """The n-grams langdetect's `_extract_ngrams` would take from one normalized word (with
    the space after it), starting, as it does after a space, from an empty buffer, before it
    drops those no profile has."""
    buffer, capitals = " ", False
    for ch in word:
        last = buffer[-1]
        if last == " ":
            buffer, capitals = " ", False
            if ch == " ":
                continue
        elif len(buffer) >= 3:
            buffer = buffer[1:]
        buffer += ch
        if not ch.isupper():
            capitals = False
        elif last.isupper():
            capitals = True
        if capitals:
            continue
        for n in range(1, min(3, len(buffer)) + 1):
            gram = buffer[-n:]
            if gram != " ":
                yield gram


_GRAM_ROWS: dict[str, int | None] = {}  # n-gram -> its matrix row, None if no profile has it
hold("langid", _GRAM_ROWS.clear, _GRAM_ROWS.__len__)
# Entries of _GRAM_ROWS before it starts afresh: the model's 88,879 n-grams and as many
# unknown ones (about 10 MB of small strings), so a hostile text of ever new characters
# cannot grow it without bound.
GRAM_ROWS_MAX = 1 << 18


@owned("langid", maxsize=1 << 16)
def _word_ngrams(word: str) -> tuple[int, ...]:
    """The matrix rows of the n-grams langdetect takes from one normalized word (those its
    profiles know): worked out once per distinct word, each n-gram looked up in the stored
    index once and then in a dict (a stored lookup costs microseconds; a word has some 20)."""
    memo = _GRAM_ROWS
    rows = []
    for gram in _word_candidates(word):
        row = memo.get(gram, -1)
        if row == -1:
            if len(memo) >= GRAM_ROWS_MAX:
                memo.clear()
            row = memo[gram] = _model().index.get(gram)
        if row is not None:
            rows.append(row)
    return tuple(rows)


# The modules whose code decides the n-gram model's stored form (`_stored_model`).
_MODEL_MODULES = ("kzkg_tools.cache", "kzkg_tools.tables", "kzkg_tools.detect")


@owned("langid")
def _model() -> _NgramModel:
    """The n-gram model, read from the cache (`kzkg_tools.cache`) and built into it on first
    use: the matrix is used where the file is mapped, the index looked up in place."""
    import langdetect
    import numpy as np

    stock = Path(langdetect.__file__).parent / "profiles"
    # langdetect's own profiles, then this project's (data/langdetect/kk), each as (root, name)
    profiles: list[tuple[Path | None, str]] = [(stock, p.name) for p in sorted(stock.iterdir())]
    profiles.append((None, "langdetect/kk"))
    # langdetect's 2 MB of profiles are named by name, size and modification time (a new
    # langdetect install rewrites them), ours by content; hashing them all would cost more
    # than the rest of a start.
    data = []
    for root, name in profiles:
        if root is None:
            data.append(tables.DATA.joinpath(name).read_bytes())
        else:
            st = (root / name).stat()
            data.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    key = cache.fingerprint(data, _MODEL_MODULES)
    stored = cache.load("langid", key, lambda: _stored_model(_built_model(profiles)))
    names = stored.extra["langs"]
    log_probs = np.frombuffer(stored.extra["log_probs"], np.float32).reshape(-1, len(names))
    prior = np.frombuffer(stored.extra["prior"], np.float64)
    return _NgramModel(names, prior, stored.tables["index"], log_probs)


def _stored_model(model: _NgramModel) -> bytes:
    return cache.Tables.encode(
        {"index": (model.index.items(), 1)},
        {
            "langs": model.langs,
            "log_probs": model.log_probs.tobytes(),
            "prior": model.prior.astype("float64").tobytes(),
        },
    )


def _built_model(profiles: list[tuple[Path | None, str]]) -> _NgramModel:
    """langdetect's DetectorFactory.load_json_profile, without the factory.

    A probability is the gram's count over the profile's count of grams of its length,
    as in `DetectorFactory.add_profile`; the profiles are parsed one at a time and
    only their non-zero entries kept until the matrix is filled, so no two profiles'
    dicts are alive at once.
    """
    import numpy as np

    names: list[str] = []
    index: dict[str, int] = {}
    rows, cols, logs = array("i"), array("i"), array("d")
    for col, (root, name) in enumerate(profiles):
        profile = tables.read_json(name, root)
        if profile["name"] in names:
            raise ValueError(f"two langdetect profiles for {profile['name']}")
        names.append(profile["name"])
        n_words = profile["n_words"]
        for gram, count in profile["freq"].items():
            if 1 <= len(gram) <= 3:
                rows.append(index.setdefault(gram, len(index)))
                cols.append(col)
                logs.append(math.log(1.0 * count / n_words[len(gram) - 1] + SMOOTHING))
    log_probs = np.full((len(index), len(names)), math.log(SMOOTHING), dtype=np.float32)
    log_probs[np.frombuffer(rows, np.int32), np.frombuffer(cols, np.int32)] = np.frombuffer(logs)
    prior = np.array([math.log(PRIOR_WEIGHTS.get(lang, 1.0)) for lang in names])
    return _NgramModel(names, prior, index, log_probs)


def _model_bytes() -> int:
    """The n-gram matrix and prior, if built (asking `_model` then is a cache hit)."""
    if not _model.cache_info().currsize:
        return 0
    model = _model()
    return int(model.log_probs.nbytes + model.prior.nbytes)


measure("langid", _model_bytes)


def _ngram_lang(text: str) -> str:
    """langdetect's n-gram profiles, scored exactly instead of by its random sampling.

    langdetect's Detector samples n-grams at random until one language passes
    0.99999, so a prior hardly moves it (measured: a 10,000-fold prior for the corpus
    languages lifts English EWT from 0.802 to 0.827) and it needs a seed to be
    deterministic. Summing the log probability of every n-gram once is the naive
    Bayes posterior it approximates: deterministic, faster, and the prior counts.
    """
    model = _model()
    text = text[:NGRAM_CHARS]
    rows = _ngram_rows(text) or _ngram_rows(text.lower())
    if not rows:
        return "und"
    import numpy as np

    counts = Counter(rows)  # a gram's row stands for the gram: the same first occurrences
    # Row 0 the prior, then each gram's log probabilities times its count; accumulate
    # adds them down the rows one at a time, in the order the grams first occur.
    terms = np.empty((len(counts) + 1, len(model.langs)))
    terms[0] = model.prior
    terms[1:] = model.log_probs[list(counts)]
    terms[1:] *= np.fromiter(counts.values(), np.float64, len(counts))[:, None]
    # In place: the same sums, without a second matrix to allocate and fill (half the time).
    best = int(np.add.accumulate(terms, axis=0, out=terms)[-1].argmax())
    # langdetect names zh-cn, zh-tw and kk (this project's profile); the table reads them.
    return langs.canonical(model.langs[best])


def _is_kazakh(text: str, script: str) -> bool:
    """Whether enough words of `text` in `script` have a letter only Kazakh uses.

    One word in 20 (KK_WORD_SHARE): a Kazakh sentence seldom has fewer (the lowest in
    UD KTB and NTREX is 1 in 14), a Russian one that quotes a Kazakh name has about
    1 in 70. Kazakh without such letters is left to the n-gram model.
    """
    words_rx, letters_rx = _regexes()[script]
    words = words_rx.findall(text)
    marked = sum(1 for w in words if letters_rx.search(w))
    return bool(marked) and marked >= KK_WORD_SHARE * len(words)


def detect_lang(text: str, context: str | None = None, counts: Counter[str] | None = None) -> str:
    """BCP 47 tag of one short text (a sentence or a line): script rules, then n-grams.

    `context`, the language of the document around the text, settles what the text
    alone cannot: a Chinese sentence without a Traditional-only or Simplified-only
    character takes the document's variant. `counts`: the `script_counts` of `text`,
    when the caller has them already (and `text` is at most SAMPLE_CHARS long).
    """
    text = text[:SAMPLE_CHARS]
    counts = counts if counts is not None else script_counts(text)
    script = _dominant(counts)
    if script == "Zyyy":
        return "und"
    if script == "Hani" and not counts["Kana"]:
        variant = langs.canonical(context) if context else None
        return han_variant(text, variant if variant in HAN_VARIANTS else None)
    if script in ("Arab", "Cyrl") and _is_kazakh(text, script):
        return f"kk-{script}"
    return _ngram_lang(text)


def sample(text: str) -> str:
    """At most SAMPLE_CHARS of `text`: all of it, or SAMPLE_WINDOWS evenly spaced slices.

    Slices rather than the head, so a long file whose second half is in another
    language shows it in its shares; evenly spaced, so the result is deterministic.
    """
    if len(text) <= SAMPLE_CHARS:
        return text
    size = SAMPLE_CHARS // SAMPLE_WINDOWS
    step = (len(text) - size) // (SAMPLE_WINDOWS - 1)
    return "\n".join(text[i * step : i * step + size] for i in range(SAMPLE_WINDOWS))


def language_shares(text: str, fmt: str = "plain") -> dict[str, float]:
    """Each language's share of `text`, detected line by line and weighed by letters.

    A Han character weighs HAN_WEIGHT letters; a Chinese line with no variant-specific
    character takes the variant of the whole sample. Wikitext is measured on its prose
    (mwparserfromhell's strip_code), so template names and parameters, which are
    English in every language edition, do not count as English.
    """
    prose = sample(text)
    if fmt == "wikitext":
        import mwparserfromhell

        from kzkg_tools.normalize.wikitext import too_hard

        # a sample the tokenizer would take minutes on (thousands of unclosed `{|`) is
        # measured as it is: its shares are no worse than a hang
        if too_hard(prose) is None:
            prose = mwparserfromhell.parse(prose).strip_code()
    # Lines with no variant-specific character take the whole sample's variant.
    context = han_variant(prose) if _SCRIPTS["Hani"].search(prose) else None
    weights: Counter[str] = Counter()
    chunk_lang: dict[str, str] = {}  # repeated lines (headers, table rows) are detected once
    for chunk in _CHUNK_SPLIT.split(_URL.sub(" ", prose)):
        counts = script_counts(chunk)
        weight = sum(counts.values()) + (HAN_WEIGHT - 1) * counts["Hani"]
        if weight:
            if chunk not in chunk_lang:
                chunk_lang[chunk] = detect_lang(chunk, context)
            weights[chunk_lang[chunk]] += weight
    total = sum(weights.values())
    shares = {lang: round(n / total, 3) for lang, n in weights.items() if n / total >= 0.005}
    return dict(sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])))


def detect(text: str, source: str) -> Detection:
    """The Detection record of one file's text."""
    fmt = detect_format(text)
    shares = language_shares(text, fmt)
    return Detection(
        source=source,
        format=fmt,  # type: ignore[arg-type]
        script=detect_script(text),
        lang=next(iter(shares), "und"),
        langs=shares,
    )
