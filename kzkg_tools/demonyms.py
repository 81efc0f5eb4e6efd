"""A place one translation names and another writes as an adjective or demonym.

The facts stage annotates names, not the adjectives and demonyms made from them (FACTS.md:
`American`, `европейский`, `سوري` are no entity), so where one translation says "the United
States" and another "American", the diff would call the place missing. `find` looks for the
place in the other translation's text as a word derived from one of its names in that
language: the gazetteer's forms (CLDR's names and the cited rows of gazetteer.tsv) by the
language's own derivation (`data/diff/demonyms.tsv`: Syria → Syrian, Сирия → сирийский,
Сирия → сириялық, سوريا → السوري), then, in Russian and Kazakh, the case endings of the
facts lexicon. An irregular adjective (German for Germany is regular, немецкий is not) is
not found: only what a rule derives is. Chinese writes no adjective: a name modifies the
noun as it is (美国人民), which the facts stage leaves out in some places (X人, X语).
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

import regex

from kzkg_tools import tables
from kzkg_tools.facts import gazetteer, lexicon
from kzkg_tools.records import Fact, Sentence
from kzkg_tools.resources import owned

TABLE = "diff/demonyms.tsv"
# What a place is: countries and the regions (continents, M.49 regions, first-level
# subdivisions such as Scotland). Cities and organisations keep their names in translation
# (Moscow, not "Muscovite"; the EU is no adjective of Europe).
PLACE_SUBTYPES = frozenset({"country", "region"})
# The fewest letters a stem keeps once its ending is dropped. In Latin and Cyrillic script, a
# stem of three letters with a derivational suffix is an ordinary word too often (Finland:
# fin + ish is "finish"; Азия: аз + …); four letters are a name's own (Scot, Syri, Germ-an,
# коре-йский, иран-ский). The Arabic script writes no short vowel, so three letters already
# spell a name's stem (سور for Syria, روس for Russia, صين for China). Chinese has no
# derivation: a name of two characters is a word, one character is an abbreviation that is
# a word of its own (美 "beautiful").
STEM_MIN = 4
STEM_MIN_BY_LANG = {"ar": 3, "zh": 2}
# Russian and Kazakh endings after the derived word: one in Russian (американск-ий), two in
# Kazakh (американдық-тар-ға: plural, then case).
ENDINGS_MAX = 2
# The Arabic article: a form written with it (الصين) derives from the word after it.
ARABIC_ARTICLE = "ال"
# ل + ال is written لل: a form so written is the gazetteer's derived dative, not a name.
ARABIC_DATIVE = "لل"
# An initial alef is written with or without its hamza (الأمريكي, الامريكي).
ALEFS = "اأإ"
# Russian compounds fuse an adjective's stem with -о- to the derived word: Северная Корея →
# северокорейский, Южная Корея → южнокорейский. The stem drops the adjective's ending, and
# may drop one more letter (северн- → северо-).
RU_ADJECTIVE_ENDINGS = ("ая", "ое", "ий", "ый", "ой")
RU_LINK = "о"
# What separates the words of a name in running text.
_JOINER = regex.compile(r"[\s\-\u2010]+")
# A word: letters and the marks on them (Arabic vowel signs), no digit.
_WORD = regex.compile(r"[^\W\d_]+")
# A form that may have an adjective: words of letters joined by a space or a hyphen.
_NAME = regex.compile(r"[^\W\d_]+(?:[ \-][^\W\d_]+)*")
_HAN = regex.compile(r"\p{Han}+")


class Rules(NamedTuple):
    """A language's derivation: (ending, suffixes) rows; what may be fused before a derived
    word (every combination, the empty one first); what may follow it (the empty tail and
    every sequence of up to ENDINGS_MAX case endings) and the longest of those."""

    derive: tuple[tuple[str, tuple[str, ...]], ...]
    prefixes: tuple[str, ...]
    tails: frozenset[str]
    tail_max: int


def _base(lang: str) -> str:
    return lang.split("-")[0]


@owned("diff-units")
def rules(lang: str) -> Rules | None:
    """The derivation rules of a language (`data/diff/demonyms.tsv`), None if it has none."""
    derive, articles = [], []
    for row in tables.records(TABLE):
        if row["lang"] != lang:
            continue
        suffixes = tuple(row["suffixes"].split("|"))
        if row["kind"] == "derive":
            derive.append((row["ending"], suffixes))
        elif row["kind"] == "prefix":
            articles.extend(suffixes)
        else:
            raise ValueError(f"{TABLE}: unknown kind {row['kind']!r}")
    if not derive:
        return None
    prefixes = [""]
    if articles:
        # a one-letter word fused before the article (والأمريكي "and the American")
        proclitics = ["", *(e.surface for e in lexicon.words(lang, "proclitic"))]
        prefixes += [p + a for p in proclitics for a in ["", *articles] if p + a]
    tails = {""}
    endings = [e.surface.casefold() for e in lexicon.words(lang, "case_ending")]
    for _ in range(ENDINGS_MAX):
        tails |= {t + e for t in tails for e in endings}
    return Rules(
        tuple(derive), tuple(dict.fromkeys(prefixes)), frozenset(tails), max(map(len, tails))
    )


@owned("diff-units")
def place_forms(lang: str) -> dict[str, tuple[str, ...]]:
    """A place's English name → its gazetteer forms in `lang` (names in another script left
    out: every language's table also holds the English forms, which it quotes as they are)."""
    forms: dict[str, list[str]] = defaultdict(list)
    latin = _base(lang) == "en"
    for form, entity in gazetteer.entries().get(lang, {}).items():
        if entity.subtype in PLACE_SUBTYPES and (latin or not form.isascii()):
            forms[entity.name].append(form)
    return {name: tuple(found) for name, found in forms.items()}


def _stem_min(lang: str) -> int:
    return STEM_MIN_BY_LANG.get(_base(lang), STEM_MIN)


def derived(word: str, lang: str) -> set[str]:
    """The adjectives and demonyms of one word of a name, lower case, without what may be fused
    before them or inflect them (`Rules.prefixes`, `Rules.tails`). Empty if no rule gives a
    stem long enough (`STEM_MIN`)."""
    found = rules(lang)
    if found is None:
        return set()
    word = word.casefold()
    if _base(lang) == "ar":
        if word.startswith(ARABIC_DATIVE):
            return set()
        word = word.removeprefix(ARABIC_ARTICLE)
    out = set()
    for ending, suffixes in found.derive:
        if not word.endswith(ending):
            continue
        stem = word[: len(word) - len(ending)]
        if len(stem) < _stem_min(lang):
            continue
        starts = [a + stem[1:] for a in ALEFS] if stem[0] in ALEFS else [stem]
        out |= {start + suffix for start in starts for suffix in suffixes}
    return out


Words = tuple[frozenset[str], ...]  # a form's words: the bare words each may be


def _form_words(form: str, lang: str) -> list[Words]:
    """What one form may be written as, word by word: its adjective (a name of several words:
    its first words as they are, the last derived; Arabic: every word derived, as its
    adjectives agree, كوريا الشمالية → الكوري الشمالي; Russian: also the first word's stem
    fused with -о-, северокорейский). Empty if the form derives nothing."""
    if not _NAME.fullmatch(form):
        return []  # acronyms with dots (U.S.), forms only between guillemets
    if form.isupper():
        return []  # an acronym (США, КНДР) derives no adjective
    words = form.split()
    if _base(lang) == "ar":
        parts = [frozenset(derived(word, lang)) for word in words]
        return [tuple(parts)] if all(parts) else []
    last = frozenset(derived(words[-1], lang))
    if not last:
        return []
    out = [(*(frozenset([w.casefold()]) for w in words[:-1]), last)]
    if _base(lang) == "ru" and len(words) == 2:
        first = words[0].casefold()
        for ending in RU_ADJECTIVE_ENDINGS:
            if first.endswith(ending):
                stem = first[: -len(ending)]
                out.append((frozenset(s + RU_LINK + d for s in (stem, stem[:-1]) for d in last),))
                break
    return out


@owned("diff-units", maxsize=1 << 12)
def forms(name: str, lang: str) -> tuple[Words, ...]:
    """What a place's names in `lang` may be written as as an adjective, each form's words
    (`_form_words`). Empty if the place has no form there, no form derives a word, or the
    language has no derivation (Chinese: `han_names`)."""
    if rules(lang) is None or _base(lang) == "zh":
        return ()
    names = place_forms(lang).get(name, ())
    return tuple(dict.fromkeys(w for form in names for w in _form_words(form, lang)))


@owned("diff-units", maxsize=1 << 12)
def han_names(name: str, lang: str) -> tuple[str, ...]:
    """A place's Chinese names of `STEM_MIN_BY_LANG` characters or more: Chinese writes no
    adjective, a name modifies a noun as it is."""
    if rules(lang) is None:
        return ()
    names = place_forms(lang).get(name, ())
    return tuple(f for f in names if len(f) >= _stem_min(lang) and _HAN.fullmatch(f))


class Found(NamedTuple):
    """Where a derived word was found: the sentence and the word's offsets in its text."""

    sentence: Sentence
    start: int
    end: int


def find(fact: Fact, sentences: list[Sentence], lang: str) -> Found | None:
    """The first word of `sentences` (the other side's text in a bead, in `lang`) derived from
    the place `fact` names, the longest where several start there; None if there is none or
    the fact is no place."""
    if fact.type != "entity" or fact.subtype not in PLACE_SUBTYPES:
        return None
    if _base(lang) == "zh":
        return _find_han(han_names(str(fact.value), lang), sentences, lang)
    written = forms(str(fact.value), lang)
    if not written:
        return None
    probes = _probes(str(fact.value), lang)
    for sentence in sentences:
        # most sentences hold no stem of the place at all: a substring test rules them out
        # before their words are cut and stripped
        folded = sentence.text.casefold()
        if not any(probe in folded for probe in probes):
            continue
        words = _sentence_words(sentence.text, lang)
        for i in range(len(words)):
            size = max((len(f) for f in written if _at(f, words, i, sentence.text)), default=0)
            if size:
                return Found(sentence, words[i][0], words[i + size - 1][1])
    return None


@owned("diff-units", maxsize=1 << 12)
def _probes(name: str, lang: str) -> frozenset[str]:
    """The stems (`STEM_MIN` letters) that begin every word a place's forms may be written as:
    a sentence without one of them holds none of those words."""
    size = _stem_min(lang)
    return frozenset(w[:size] for form in forms(name, lang) for w in form[0])


def _at(form: Words, words: tuple[Word, ...], i: int, text: str) -> bool:
    """Whether a form's words are the sentence's words from the i-th on, joined by spaces or
    hyphens only."""
    if i + len(form) > len(words):
        return False
    for k, accepted in enumerate(form):
        if accepted.isdisjoint(words[i + k][2]):
            return False
        if k and not _JOINER.fullmatch(text, words[i + k - 1][1], words[i + k][0]):
            return False
    return True


Word = tuple[int, int, frozenset[str]]  # a word's start, end, and the bare words it may be


@owned("diff-units", maxsize=1 << 10)
def _sentence_words(text: str, lang: str) -> tuple[Word, ...]:
    """A sentence's words, each with what it may be once a fused prefix and inflection are
    taken off (`_bare`): a memo, as a bead's sentence is looked in for each one-sided place."""
    return tuple(
        (m.start(), m.end(), _bare(m.group().casefold(), lang)) for m in _WORD.finditer(text)
    )


# a bounded memo: news repeats its words
@owned("diff-units", maxsize=1 << 14)
def _bare(word: str, lang: str) -> frozenset[str]:
    """What a word (lower case) may be without a fused prefix (`Rules.prefixes`) and an
    inflection (`Rules.tails`): each way of taking them off."""
    found = rules(lang)
    assert found is not None
    bare = set()
    for prefix in found.prefixes:
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix) :]
        for cut in range(len(rest), max(len(rest) - found.tail_max, 0) - 1, -1):
            if rest[cut:] in found.tails:
                bare.add(rest[:cut])
    return frozenset(bare)


def _find_han(names: tuple[str, ...], sentences: list[Sentence], lang: str) -> Found | None:
    """The first name of `names` in Chinese text, outside a blocking context (发展中国家):
    Chinese writes no spaces, so a name is found wherever it stands."""
    if not names:
        return None
    blocking = gazetteer.blocking_contexts(lang)
    for sentence in sentences:
        text = sentence.text
        best: tuple[int, int] | None = None
        for name in names:
            at = text.find(name)
            while at != -1 and _blocked(text, at, at + len(name), blocking):
                at = text.find(name, at + 1)
            if at != -1 and (best is None or (at, -(at + len(name))) < (best[0], -best[1])):
                best = (at, at + len(name))
        if best is not None:
            return Found(sentence, *best)
    return None


def _blocked(text: str, start: int, end: int, contexts: tuple[str, ...]) -> bool:
    """Whether [start, end) lies inside a word in which a name is no name (中国 in 发展中国家)."""
    for context in contexts:
        at = text.find(context, max(0, end - len(context)))
        while at != -1 and at <= start:
            if at + len(context) >= end:
                return True
            at = text.find(context, at + 1)
    return False
