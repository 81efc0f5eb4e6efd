"""Which strings are words: the evidence behind rejoining PDF line-break hyphens and split words.

A PDF extractor cannot tell a syllable-break hyphen (`мемлекеттер-` / `мен`) from a real one
(`қарым-` / `қатынас`), nor a justification gap (`Қазақ стан`) from a space. Both decisions need
to know which strings are words. Two sources answer:

* shipped, frequency-free word lists (hunspell kk/ru/en stems, short forms from UD treebanks,
  see `data/pdftext/README.md`) with a small suffix grammar, because Kazakh is agglutinative and
  the hunspell list holds stems (`мемлекет`), not the forms a text uses (`мемлекеттерінің`);
* the document itself: the forms it spells whole somewhere else are the surest evidence of
  how it spells them, and in-line hyphenated forms tell which compounds are real.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Literal

from kzkg_tools import cache, tables
from kzkg_tools.resources import owned

Source = Literal["any", "doc", "lists"]  # which evidence `Lexicon.stem_spans` may use
MIN_STEM = 3  # shorter dictionary entries are too often fragments to carry a suffix
MAX_SUFFIXES = 3
SOLID_STEM = 5  # a stem this long plus suffixes is surely a word, not a piece of one
RU_REFLEXIVE = ("ся", "сь")
# Questions `Lexicon.pair_count` answers by a search of the document's tokens before it
# counts all their pairs at once: a document asks a few (seed 002: 11, for 6 pairs), and
# counting its 9,000 pairs cost a twentieth of the pass (issue #19); past this many, one
# count is cheaper than a search each, and the time stays linear in the document.
PAIR_SEARCHES = 32
RU_ENDINGS = frozenset(
    """а я ы и у ю е о ь й ом ем ой ей ою ею ов ев ам ям ах ях ами ями ого его ому ему
    ым им ых их ая яя ое ее ую юю ый ий ие ые ия ию ость ости остью ться тся ть ет ют ут
    ит ат ят ешь ишь ете ите ал ала ало али ил ила ило или ен ена ено ены енный
    енная енное енные енных ный ная ное ные ных ным ными ском ской ских ский ская ское
    ские ским скими ческий ческая ческое ческие ческих ческим ческими ство ства ству ством
    стве ция ции цию цией""".split()
)
RU_MAX_ENDING = max(map(len, RU_ENDINGS))
EN_SUFFIXES = ("'s", "s", "es", "ed", "d", "ing", "ly", "er", "est")


@dataclass(frozen=True)
class WordLists:
    """The shipped lists, lower-cased; built once and read from the cache after that."""

    kk: Collection[str]
    ru: Collection[str]  # its iteration order is sorted (`_ru_sorted` bisects it)
    ru_bases: Collection[str]
    en: Collection[str]
    kk_short: Collection[str]
    kk_particles: Collection[str]
    other_short: Collection[str]
    kk_suffixes: Collection[str]
    kk_suffix_max: int  # length of the longest suffix
    kk_suffix_heads: Collection[str]  # every prefix of a suffix: where a suffix scan can stop


_SETS = [f.name for f in fields(WordLists) if f.name != "kk_suffix_max"]
# Lists of a few hundred entries (about 2,000 strings in all), held as Python sets: the
# suffix scan asks them at every position of every new word, and a look-up in a mapped
# table (encode, crc32, compare bytes) costs some twenty times a set's. The large lists
# stay mapped (issue #19, start-up and memory).
SMALL_SETS = frozenset(
    {"kk_short", "kk_particles", "other_short", "kk_suffixes", "kk_suffix_heads"}
)
# The files the lists are made of, and the modules whose code decides what is made.
WORDLIST_FILES = (
    "en_short.txt",
    "en_words.txt.gz",
    "kk_particles.txt",
    "kk_short.txt",
    "kk_suffixes.txt",
    "kk_words.txt.gz",
    "ru_short.txt",
    "ru_words.txt.gz",
)
_WORDLIST_MODULES = ("kzkg_tools.cache", "kzkg_tools.tables", "kzkg_tools.normalize.pdflexicon")


def _read(name: str) -> list[str]:
    """One word list of data/pdftext/ (no comment lines: a word may start with #)."""
    return tables.lines(f"pdftext/{name}", comment=None)


def ru_base(word: str) -> str:
    """`word` without its longest listed Russian ending, when at least three letters stay."""
    if word.endswith(RU_REFLEXIVE) and len(word) > 5:
        word = word[:-2]
    for k in range(min(RU_MAX_ENDING, len(word) - MIN_STEM), 0, -1):
        if word[-k:] in RU_ENDINGS:
            return word[:-k]
    return word


def _built_wordlists() -> WordLists:
    """The lists made from the shipped files (about half a second)."""
    ru = frozenset(_read("ru_words.txt.gz"))
    suffixes = frozenset(_read("kk_suffixes.txt"))
    return WordLists(
        kk=frozenset(_read("kk_words.txt.gz")),
        ru=ru,
        ru_bases=frozenset(ru_base(w) for w in ru),
        en=frozenset(_read("en_words.txt.gz")),
        kk_short=frozenset(_read("kk_short.txt")),
        kk_particles=frozenset(_read("kk_particles.txt")),
        other_short=frozenset(_read("ru_short.txt") + _read("en_short.txt")),
        kk_suffixes=suffixes,
        kk_suffix_max=max(map(len, suffixes)),
        kk_suffix_heads=frozenset(s[:k] for s in suffixes for k in range(1, len(s) + 1)),
    )


def _stored_wordlists() -> bytes:
    lists = _built_wordlists()
    # Sorted: a set's order changes from process to process, a cache file's must not.
    sets = {name: (sorted(getattr(lists, name)), cache.SET) for name in _SETS}
    return cache.Tables.encode(sets, {"kk_suffix_max": lists.kk_suffix_max})


@owned("pdf-lexicon")
def wordlists() -> WordLists:
    """The word lists, as sets looked up in place in the cache file (`kzkg_tools.cache`)
    that the first use builds; once per process."""
    data = [tables.DATA.joinpath("pdftext", name).read_bytes() for name in WORDLIST_FILES]
    key = cache.fingerprint(data, _WORDLIST_MODULES)
    stored = cache.load("pdf-wordlists", key, _stored_wordlists)
    return WordLists(
        **{
            name: frozenset(stored.tables[name]) if name in SMALL_SETS else stored.tables[name]
            for name in _SETS
        },
        kk_suffix_max=stored.extra["kk_suffix_max"],
    )


# Distinct words remembered by each per-word cache below, at most. An entry costs about
# 250 bytes: 131,072 made-up words filled these caches with 124 MB (issue #8); the
# 20 MB benchmark corpus has under 8,200 distinct words per cache, so nothing is evicted.
WORD_CACHE = 1 << 15
# A word the lists do not know is a word on its own when the document spells it whole this
# often and it has this many letters: a fragment of a split word rarely recurs, and short
# ones are too often fragments (`Lexicon.standalone`).
DOC_WORD = 3
DOC_MIN_LETTERS = 5
DOC_STEM = 5  # shortest document word that may carry suffixes like a dictionary stem


@owned("pdf-lexicon", maxsize=WORD_CACHE)
def _chain_starts(w: str) -> tuple[int, ...]:
    """Positions i where `w[i:]` is a run of at most MAX_SUFFIXES Kazakh suffixes.

    A one-letter suffix (`-ы`, `-н`) may only end the run: anywhere else it would let
    almost any string parse. Computed right to left, so a stem check only has to look
    at these positions, not at every prefix; a position is given up as soon as no
    suffix begins there (most positions: two letters that begin no suffix). Worked out
    afresh for each new string: remembering each tail cost more than this walk.
    """
    lists = wordlists()
    sufs, heads, longest = lists.kk_suffixes, lists.kk_suffix_heads, lists.kk_suffix_max
    n = len(w)
    none = MAX_SUFFIXES + 1
    need = [none] * (n + 1)  # fewest suffixes that make up w[i:]
    need[n] = 0
    if n and w[n - 1] in sufs:
        need[n - 1] = 1
    # A longer tail than MAX_SUFFIXES of the longest suffixes is no run.
    for i in range(n - 2, max(n - MAX_SUFFIXES * longest, 0) - 1, -1):
        best = none
        for k in range(2, min(longest, n - i) + 1):
            piece = w[i : i + k]
            if piece not in heads:
                break  # no longer piece from here is a suffix either
            rest = need[i + k]
            if rest < best - 1 and rest < MAX_SUFFIXES and piece in sufs:
                best = rest + 1
        need[i] = best
    return tuple(i for i in range(n, -1, -1) if need[i] <= MAX_SUFFIXES)


VOICED = {"г": "к", "ғ": "қ", "б": "п"}  # a stem's final к қ п voice before a vowel
VOWELS = frozenset("аәеиоөуұүыіэюя")


def _stem_ends(w: str, lo: int) -> tuple[int, ...]:
    """The positions of `_chain_starts(w)` from `lo` on, descending: where a stem of at
    least `lo` letters may end. What a tail `w[i:]` is made of does not depend on what
    comes before it, so they are the chain starts of `w[lo:]`, moved by `lo`: asked about
    a window of split repair with `lo` past the cut, that is the later pieces, cached per
    word rather than parsed again for every window they end."""
    if lo > len(w):
        return ()
    return tuple(lo + i for i in _chain_starts(w[lo:]))


def _has_stem(w: str, stems: frozenset[str], lo: int, hi: int) -> bool:
    """Whether some `w[:i]`, lo <= i < hi, followed by suffixes, is one of `stems`:
    `w[:i]` itself or, before a vowel-initial suffix, its unvoiced form (`оңтүстіг`+`іне`
    is `оңтүстік`, `еңбег` is `еңбек`). The innermost loop of PDF-text repair."""
    n = len(w)
    for i in _stem_ends(w, lo):  # descending
        if i >= hi:
            continue
        stem = w[:i]
        if stem in stems:
            return True
        if i < n and w[i] in VOWELS and stem[-1:] in VOICED:
            if stem[:-1] + VOICED[stem[-1]] in stems:
                return True
    return False


STEM_LISTS = ("kk", "kk_short", "ru")  # the `WordLists` `_longest_listed` looks stems up in


def _longest_listed(w: str, name: str) -> int:
    """The longest stem `_has_stem` finds in `w` (shorter than `w`) in the list `name`
    of STEM_LISTS; 0 if none. `_has_stem(w, stems, lo, len(w))` is
    `_longest_listed(w, name) >= lo`: one look-up answers every `lo` the callers ask."""
    return _longest_stems(w)[STEM_LISTS.index(name)]


@owned("pdf-lexicon", maxsize=WORD_CACHE)
def _longest_stems(w: str) -> tuple[int, ...]:
    """`_longest_listed` for each of STEM_LISTS, in one pass over the stems of `w`."""
    lists = wordlists()
    sets = [getattr(lists, name) for name in STEM_LISTS]
    found = [0] * len(sets)
    n = len(w)
    for i in _chain_starts(w):  # descending
        if i >= n:
            continue
        if i < 1 or all(found):
            break
        stem = w[:i]
        unvoiced = stem[:-1] + VOICED[stem[-1]] if w[i] in VOWELS and stem[-1] in VOICED else None
        for k, stems in enumerate(sets):
            if not found[k] and (stem in stems or (unvoiced is not None and unvoiced in stems)):
                found[k] = i
    return tuple(found)


def _listed_form(w: str, min_stem: int) -> bool:
    """Whether `w` is a Kazakh list stem of at least `min_stem` letters plus suffixes."""
    return w in wordlists().kk or _longest_listed(w, "kk") >= min_stem


@owned("pdf-lexicon", maxsize=WORD_CACHE)
def _lists_know(w: str, kazakh: bool) -> bool:
    """Whether the shipped lists know `w` (lower case, no hyphen) as a word on its own.

    Kazakh text is checked against the Kazakh lists only: Russian and English lists hold
    many strings that are Kazakh word pieces (`стан`, `там`). Cached for the process, as
    everything here that depends on the lists alone: the document-dependent evidence is
    `Lexicon`'s.
    """
    lists = wordlists()
    if len(w) <= 3 and not kazakh:
        return w in lists.other_short
    if len(w) <= 3:
        # The Kazakh list holds suffixes as entries (`ның`, `тар`): a short entry is a
        # word when a treebank has it as one, or when it is no suffix (`кең`, `ары`).
        return w in lists.kk_short or (w in lists.kk and w not in lists.kk_suffixes)
    if kazakh:
        # Any three-letter dictionary stem plus suffixes reads too many word pieces
        # as words (`лан`+`ыстарға`): short stems count only when a treebank has
        # them as words (`қой`+`ды`); the rest vouch for joined words (`known`).
        return (
            w in lists.kk_short
            or _listed_form(w, MIN_STEM + 1)
            or _longest_listed(w, "kk_short") >= MIN_STEM
        )
    if w in lists.ru or w in lists.en:
        return True
    base = ru_base(w)
    if len(base) >= MIN_STEM and base in lists.ru_bases:
        return True
    return any(w.endswith(s) and w[: -len(s)] in lists.en for s in EN_SUFFIXES)


def _suffix_chain(s: str) -> bool:
    return bool(s) and _chain_starts(s)[-1] == 0


@owned("pdf-lexicon", maxsize=WORD_CACHE)
def _listed_suffix(w: str) -> bool:
    """`Lexicon.listed_suffix` of a lower-case `w`."""
    lists = wordlists()
    return len(w) <= 3 and w in lists.kk and w in lists.kk_suffixes


@owned("pdf-lexicon", maxsize=WORD_CACHE)
def _is_particle(w: str) -> bool:
    """`Lexicon.is_particle` of a lower-case `w`."""
    lists = wordlists()
    return w in lists.kk_particles or (w in lists.kk_short and _suffix_chain(w))


@owned("pdf-lexicon", maxsize=WORD_CACHE)
def _solid(w: str) -> bool:
    """`Lexicon.solid` of a lower-case `w`."""
    if "-" in w:
        return all(_solid(p) for p in w.split("-") if p)
    lists = wordlists()
    if len(w) <= 3 and w not in lists.kk_short and _suffix_chain(w):
        return False  # `тық`, `там`: listed, but far more often a cut-off ending
    return (
        w in lists.kk
        or w in lists.kk_short
        or _listed_form(w, SOLID_STEM)
        or _longest_listed(w, "kk_short") >= MIN_STEM
    )


def _loan_form(w: str) -> bool:
    """Whether `w` is a Russian lemma of SOLID_STEM letters or more, bare or with Kazakh
    suffixes: Kazakh borrows Russian words and inflects them (`инвестиция`+`сы`)."""
    return w in wordlists().ru or _longest_listed(w, "ru") >= SOLID_STEM


@owned("pdf-lexicon", maxsize=WORD_CACHE)
def _list_known(w: str, kazakh: bool) -> bool:
    """The list half of `Lexicon.known` for a lower-case `w` with no hyphen: a word on
    its own, or (in Kazakh text) a listed stem or a Russian loan plus suffixes."""
    return _lists_know(w, kazakh) or (kazakh and (_listed_form(w, MIN_STEM) or _loan_form(w)))


@owned("pdf-lexicon", maxsize=WORD_CACHE)
def _list_stem_spans(w: str, cut: int) -> bool:
    """The list half of `Lexicon.stem_spans`: a listed Kazakh stem longer than `cut`, or
    a Russian loan at least SOLID_STEM long, plus suffixes (or none: `w` itself)."""
    lists, n = wordlists(), len(w)
    kk_lo, ru_lo = cut + 1, max(cut + 1, SOLID_STEM)
    # `_has_stem(w, …, lo, n)` is `_longest_listed(w, …) >= lo`, but looks only past the
    # cut (`_stem_ends`): the window need not be parsed whole.
    return (
        (n >= kk_lo and w in lists.kk)
        or _has_stem(w, lists.kk, kk_lo, n)
        or (n >= ru_lo and w in lists.ru)
        or _has_stem(w, lists.ru, ru_lo, n)
    )


@owned("pdf-lexicon")
def _ru_sorted() -> Sequence[str]:
    """The Russian lemmas in sorted order: the cache table keeps them so (`cache.keys`)."""
    return cache.keys(wordlists().ru)


def _ru_prefix_reach(w: str) -> int:
    """The longest common prefix of `w` and a Russian lemma (see `Lexicon.loan_reach`):
    the lemmas sharing the most letters with `w` sort next to it."""
    lemmas = _ru_sorted()
    i = bisect.bisect_left(lemmas, w)
    reach = 0
    for lemma in lemmas[max(i - 1, 0) : i + 1]:
        shared = next((k for k, (a, b) in enumerate(zip(w, lemma, strict=False)) if a != b), None)
        reach = max(reach, min(len(w), len(lemma)) if shared is None else shared)
    return reach


class Lexicon:
    """Word evidence for one document: the shipped lists plus the document's own forms.

    `doc_words` are the lower-cased tokens the document spells whole (not cut by a line
    break); `doc_compounds` the (first, second) parts of its in-line hyphenated tokens;
    `doc_tokens` all its lower-cased tokens in order, no token holding a line break (their
    adjacent pairs are counted by `pair_count`).
    """

    def __init__(
        self,
        doc_words: Iterable[str],
        doc_compounds: Iterable[tuple[str, str]],
        doc_tokens: Sequence[str] = (),
    ):
        self.lists = wordlists()
        self.freq: Counter[str] = Counter(doc_words)
        self._doc_tokens: Sequence[str] | None = doc_tokens
        self._token_lines: str | None = None  # the tokens, one a line, once searched
        self._pair_counts: dict[tuple[str, str], int] = {}
        self._pairs_counted = False
        self.compounds = frozenset(doc_compounds)
        self._compound_firsts: dict[str, list[str]] = {}
        for first, second in self.compounds:
            self._compound_firsts.setdefault(first, []).append(second)
        # Longer document words may carry suffixes like dictionary stems (proper names,
        # terms the lists lack); short ones are too often fragments of split words.
        self._doc_stems = frozenset(w for w in self.freq if len(w) >= DOC_STEM)
        # The longest of them by their first DOC_STEM - 1 letters, which neither a longer
        # stem nor its voiced form (`_has_stem`) changes: a string holds no document stem of
        # `lo` letters or more when no stem that long begins as it does. Most windows of
        # split repair are told so by one look-up (the stem must run past the first piece).
        self._doc_stem_reach: dict[str, int] = {}
        for w in self._doc_stems:
            head = w[: DOC_STEM - 1]
            self._doc_stem_reach[head] = max(self._doc_stem_reach.get(head, 0), len(w))
        # What `pdfwords.repair_splits` works out per word (its text) for this document.
        self.word_memo: dict[bool, dict[str, tuple[str, bool, bool, bool, bool, float]]] = {}
        self.known = lru_cache(maxsize=None)(self._known)
        self.standalone = lru_cache(maxsize=None)(self._standalone)

    def pair_count(self, first: str, second: str) -> int:
        """How often the document writes token `first` right before token `second` (lower
        case). Only a window ending on a particle or spelled whole asks, a few times a
        document: the first PAIR_SEARCHES distinct pairs are searched for in the tokens
        written one a line (`\\nfirst\\nsecond\\n` matches exactly at such a pair, since no
        token holds a line break; matches may overlap, as in `a a a`), later ones counted
        with all pairs at once."""
        key = (first, second)
        known = self._pair_counts.get(key)
        if known is not None:
            return known
        if self._pairs_counted:
            return 0  # every pair the document writes is in the counts
        tokens = self._doc_tokens or ()
        if len(self._pair_counts) >= PAIR_SEARCHES:
            self._pair_counts = dict(Counter(itertools.pairwise(tokens)))
            self._pairs_counted, self._doc_tokens, self._token_lines = True, None, None
            return self._pair_counts.get(key, 0)
        if self._token_lines is None:
            self._token_lines = "\n" + "\n".join(tokens) + "\n"
        lines, pattern = self._token_lines, f"\n{first}\n{second}\n"
        n, at = 0, lines.find(pattern)
        while at >= 0:
            n += 1
            at = lines.find(pattern, at + 1)
        self._pair_counts[key] = n
        return n

    def suffix_chain(self, s: str) -> bool:
        """Whether `s` is a run of at most MAX_SUFFIXES Kazakh suffixes."""
        return _suffix_chain(s)

    def _standalone(self, w: str, kazakh: bool = True) -> bool:
        """Whether `w` is a word on its own by the shipped lists, or one the document
        spells whole at least three times (a fragment of a split word rarely recurs)."""
        w = w.lower()
        if "-" in w:
            return all(self.standalone(p, kazakh) for p in w.split("-") if p)
        return _lists_know(w, kazakh) or (
            len(w) >= DOC_MIN_LETTERS and self.freq.get(w, 0) >= DOC_WORD
        )

    def solid(self, w: str) -> bool:
        """Whether `w` is surely a Kazakh word: listed as it is, or a stem of five letters
        or more (or a treebank word) plus suffixes — not a piece of a cut word."""
        return _solid(w.lower())

    def _known(self, w: str, kazakh: bool = True) -> bool:
        """Whether `w` is an attested word form: a standalone word, a form the document
        spells whole, or (in Kazakh text) a listed stem, a document word or a Russian
        loan plus Kazakh suffixes."""
        w = w.lower()
        if "-" in w:
            parts = w.split("-")
            if len(parts) == 2 and tuple(parts) in self.compounds:
                return True
            return all(self.known(p, kazakh) for p in parts if p)
        # `standalone` adds nothing here: a word it knows from the document is spelled
        # whole there. The list evidence is cached for the process.
        return (
            w in self.freq
            or _list_known(w, kazakh)
            or (kazakh and self._doc_stem(w, MIN_STEM, len(w)))
        )

    def _doc_stem(self, w: str, lo: int, hi: int) -> bool:
        """`_has_stem` with the document's stems, told at once when `w` begins with none."""
        reach = self._doc_stem_reach.get(w[: DOC_STEM - 1], 0)
        return reach >= lo and _has_stem(w, self._doc_stems, lo, hi)

    def stem_spans(self, w: str, cut: int, source: Source = "any") -> bool:
        """Whether `w` reads as a stem longer than `cut` plus Kazakh suffixes, the stem
        a longer word the document spells whole (unless `source` is "lists") or a listed
        Kazakh stem or Russian loan (unless it is "doc")."""
        if source != "lists" and self._doc_stem(w, cut + 1, len(w) + 1):
            return True
        return source != "doc" and _list_stem_spans(w, cut)

    def loan_reach(self, w: str) -> int:
        """How many leading letters of `w` begin some Russian lemma: a Kazakh loanword
        keeps the Russian stem and changes the ending (`институционалдық` shares 13
        letters with `институционализм`)."""
        return _ru_prefix_reach(w.lower())

    def listed_suffix(self, w: str) -> bool:
        """A short dictionary word that is also a suffix (`пас`, `қан`, `тар`, `ның`)."""
        return _listed_suffix(w.lower())

    def is_particle(self, w: str) -> bool:
        """A short Kazakh word written apart that is also a suffix (`да`, `мен`, `ше`)."""
        return _is_particle(w.lower())

    def real_compound(self, first: str, second: str) -> bool:
        """Whether the document hyphenates `first` with a word like `second` in-line
        (`қарым-қатынасты` vouches for `қарым-` / `қатынастың` at a line end)."""
        first, second = first.lower(), second.lower()
        for other in self._compound_firsts.get(first, ()):
            shared = 0
            for a, b in zip(other, second, strict=False):
                if a != b:
                    break
                shared += 1
            if shared >= min(4, len(other), len(second)):
                return True
        return False
