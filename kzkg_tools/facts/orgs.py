"""Organisations composed from concepts: a head noun and what says which body it is.

`data/facts/org_concepts.tsv` lists head nouns (court, party, council, navy …) and
modifiers (supreme, labour, security, defence …) as concepts, each with its forms in
en, ru, kk, zh and ar. An organisation is a head with at least one modifier next to it in
the language's order (`Supreme Court`, `Верховный суд`, `Жоғарғы сот`, `最高法院`,
`المحكمة العليا`), or a head of kind `body` with a place alone (`德国海军`, `German Navy`).
A place is a gazetteer mention next to the head (`Верховный суд США`, `威尔士议会`,
`برلمان ويلز`, `Ресейдің үкіметі`) or a demonym: an adjective derived from a gazetteer
place's name by rule (English `German` ← Germany, `Scottish` ← Scotland: a shared start
and a demonym ending; Russian `германский` ← Германия: the stem before -ск-; Kazakh
`Ресейлік` ← Ресей + -лік; Arabic `الألمانية` ← ألمانيا: the nisba -ي/-ية with the
article), or, where no rule derives it (Welsh ← Wales), a `demonym` row.

The value is composed in English from the concepts, so one organisation has one value in
every language: the modifiers in the table's order, the head, then `of <place>`
(`Labour Party`, `Security Council`, `Parliament of Wales`, `Navy of Germany`), as
`names._composed` composes a head and a place. The place stays a mention of its own.
"""

from __future__ import annotations

from typing import NamedTuple

import regex

from kzkg_tools import tables
from kzkg_tools.facts import lexicon, trie
from kzkg_tools.facts.candidate import Candidate
from kzkg_tools.facts.gazetteer import Entity, entries
from kzkg_tools.resources import owned

TABLE = "facts/org_concepts.tsv"
# The languages composed here, and the table column of each grammar.
COLUMNS = {
    "en": "en",
    "ru": "ru",
    "kk-Cyrl": "kk-Cyrl",
    "zh-Hans": "zh",
    "zh-Hant": "zh",
    "ar": "ar",
}
# Subtypes a place modifier may have (names.PLACES).
PLACES = frozenset({"country", "city", "region", "place"})
# How many modifiers (places included) may stand on one side of a head: names of news
# bodies have up to three (Federal Bureau of Investigation, National Security Council).
MAX_MODIFIERS = 3
# A demonym rule needs this many letters of the place's name at the adjective's start:
# fewer would tie unrelated names (Indian, Indonesia share three).
DEMONYM_MIN_PREFIX = 4
# English demonym rule: the adjective's start may leave this many letters of the place's
# name unshared (Scott|ish ← Scot|land, Brit|ish ← Brit|ain).
EN_DEMONYM_SLACK = 4
_EN_DEMONYM_ENDINGS = ("an", "ian", "ese", "ish", "i", "ic")
# Kazakh adjectives of a place: the place's name and -лық/-лік (Ресейлік, Америкалық).
_KK_DEMONYM_ENDINGS = ("лық", "лік", "дық", "дік", "тық", "тік", "ық", "ік")
# Arabic proclitics and the article before a head (للحزب, والمحكمة).
_AR_CLITIC = "[وفبلك]?(?:ال|ل)?"
# Languages whose names are capitalised (names.CAPITALISED).
_CAPITALISED = ("en", "ru", "kk-Cyrl")
# What an Arabic head may carry before it, tried in turn: nothing, the article, a
# proclitic, a proclitic and the article, and ل with the article's alef dropped (للجنة).
_AR_STRIPS = tuple(regex.compile(p) for p in ("^$", "^ال", "^[وفبلك]", "^[وفبلك]ال", "^لل"))
# The Russian adjectival ending a modifier's table form ends in, cut to get its stem.
_RU_ADJ = ("ый", "ий", "ой")


class Concept(NamedTuple):
    kind: str  # head, body, modifier, common, demonym
    value: str  # the English word (head, modifier) or the place's English name (demonym)
    rank: int  # the row's position: modifiers are composed in this order


class Tables(NamedTuple):
    heads: dict[str, Concept]  # folded form (ru: stem) → concept
    pre: dict[str, Concept]  # modifiers before the head (folded; ru adjectives: stems)
    post: dict[str, Concept]  # modifiers after the head (folded, as written)
    demonyms: dict[str, str]  # folded irregular demonym (ru: stem) → place's English name


def _fold(word: str) -> str:
    return word.casefold().replace("ё", "е")


@owned("facts-lexicon")
def concepts(lang: str) -> Tables:
    """The table's forms of one grammar, by where they stand."""
    column = COLUMNS[lang]
    rows = tables.rows(TABLE)
    header, body = rows[0], rows[1:]
    col = header.index(column)
    heads: dict[str, Concept] = {}
    pre: dict[str, Concept] = {}
    post: dict[str, Concept] = {}
    demonyms: dict[str, str] = {}
    for rank, row in enumerate(body):
        kind, value = row[0], row[1]
        forms = [f for f in (row[col] if col < len(row) else "").split("|") if f]
        if kind in ("member", "acronym"):
            continue  # forms the diff looks for (`orgforms`), no part of a name
        concept = Concept(kind, value, rank)
        for form in forms:
            if kind in ("head", "body"):
                heads[_ru_noun_stem(form) if lang == "ru" else _fold(form)] = concept
            elif kind == "demonym":
                demonyms[_ru_adj_stem(form) if lang == "ru" else _fold(form)] = value
            elif lang == "en" and form.startswith("of "):
                post[_fold(form[3:])] = concept
            elif lang == "ru" and form.startswith("…"):
                post[_fold(form[1:])] = concept
            elif lang == "ru":
                pre[_ru_adj_stem(form)] = concept
            elif lang == "ar":
                post[_fold(form)] = concept
            else:
                pre[form if lang == "en" else _fold(form)] = concept
    return Tables(heads, pre, post, demonyms)


def _ru_noun_stem(form: str) -> str:
    """A Russian head without its final vowel, the stem its case endings follow (партия →
    парти: партии, партией)."""
    low = _fold(form)
    return low[:-1] if low[-1] in "аяоеьй" and len(low) > 3 else low


def _ru_adj_stem(form: str) -> str:
    low = _fold(form)
    return low[:-2] if low.endswith(_RU_ADJ) else low


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@owned("facts-lexicon")
def _endings(lang: str) -> list[str]:
    return sorted({_fold(e.surface) for e in lexicon.words(lang, "case_ending")}, key=len)[::-1]


@owned("facts-lexicon")
def _head_pattern(lang: str) -> regex.Pattern[str]:
    heads = _alt(list(concepts(lang).heads))
    edge, end = r"(?<![\p{L}\p{M}])", r"(?![\p{L}\p{M}])"
    if lang == "en":  # as written in the table, or in lower case (the German government)
        forms = _en_head_forms()
        heads = _alt([*forms, *(f.lower() for f in forms)])
        return regex.compile(rf"{edge}(?:{heads}){end}")
    if lang in ("ru", "kk-Cyrl"):
        endings = _alt(_endings(lang))
        count = "?" if lang == "ru" else "{0,3}"
        return regex.compile(rf"{edge}(?i:{heads})(?:{endings}){count}{end}")
    if lang == "ar":
        return regex.compile(rf"{edge}{_AR_CLITIC}(?:{heads}){end}")
    return regex.compile(heads)


@owned("facts-lexicon")
def _en_head_forms() -> list[str]:
    rows = tables.rows(TABLE)
    col = rows[0].index("en")
    return [f for row in rows[1:] if row[0] in ("head", "body") for f in row[col].split("|") if f]


@owned("facts-lexicon")
def _cue(lang: str) -> trie.Prefilter | None:
    """The heads (ru: stems) as a cue: most sentences name no such body."""
    forms = {trie.fold(f) for f in concepts(lang).heads}
    return trie.Prefilter(forms) if forms and all(forms) else None


@owned("gazetteer")
def _place_forms(lang: str) -> dict[str, Entity]:
    """One-word gazetteer place forms of a language, folded (the demonym rules' stems)."""
    table = entries().get("zh-Hans" if lang.startswith("zh") else lang, {})
    return {_fold(f): e for f, e in table.items() if e.subtype in PLACES and " " not in f.strip()}


@owned("facts-lexicon")
def _longest_first(lang: str, field: str) -> list:  # type: ignore[type-arg]
    """A table's forms (heads: the forms; pre, post: (form, concept)), longest first."""
    table = getattr(concepts(lang), field)
    if field == "heads":
        return sorted(table, key=len, reverse=True)
    return sorted(table.items(), key=lambda f: -len(f[0]))


@owned("facts-lexicon")
def _multiword(lang: str) -> list[tuple[str, Concept]]:
    return [(f, c) for f, c in concepts(lang).pre.items() if " " in f]


def _head_concept(word: str, lang: str) -> Concept | None:
    """The head concept a matched head word stands for."""
    heads = concepts(lang).heads
    low = _fold(word)
    if lang == "ar":  # as written, or less a proclitic, the article, or both (للجنة)
        for strip in _AR_STRIPS:
            if (head := heads.get(strip.sub("", low, count=1))) is not None:
                return head
        return None
    if lang in ("ru", "kk-Cyrl"):
        for stem in _longest_first(lang, "heads"):
            if low.startswith(stem):
                return heads[stem]
        return None
    return heads.get(low)


class _Found(NamedTuple):
    start: int
    end: int
    modifiers: list[Concept]
    places: list[str]


def find(text: str, lang: str, known: list[Candidate]) -> list[Candidate]:
    """Organisations composed from concepts in `text`; `known` are its gazetteer mentions."""
    if lang not in COLUMNS:
        return []
    # Chinese heads of one character (党, 局, 部) occur in most sentences: no cue there
    cue = None if lang.startswith("zh") else _cue(lang)
    if cue is not None and not cue.occurs(text):
        return []
    places = [k for k in known if k.subtype in PLACES]
    out: list[Candidate] = []
    for m in _head_pattern(lang).finditer(text):
        head = _head_concept(m.group(), lang)
        if head is None or _plural(m.group(), lang):
            continue
        after = text[m.end() : m.end() + 1]
        if lang.startswith("zh") and after and after in _ZH_NOT_AFTER:
            continue  # 民主党人 "Democrats", 外交部长 "foreign minister", 教育部门
        found = _around(text, lang, m.start(), m.end(), places)
        if not found.modifiers and not (found.places and head.kind == "body"):
            continue
        if len(set(found.places)) > 1:
            continue  # two places: which one the body belongs to is not told
        if lang == "en" and _unknown_part(text, found.start):
            continue  # Pennsylvania Supreme Court: a name longer than its concepts tell
        if (
            lang == "en"
            and m.group()[:1].islower()
            and not (found.places or any(c.kind == "modifier" for c in found.modifiers))
        ):
            continue  # the national government: a lower-case head needs a name before it
        if (
            lang in _CAPITALISED
            and not found.places
            and any(c.kind == "common" for c in found.modifiers)
            and not text[found.start : found.start + 1].isupper()
        ):
            continue  # национальная безопасность, ұлттық сот: ordinary words
        mods = sorted({c.rank: c for c in found.modifiers}.values(), key=lambda c: c.rank)
        value = " ".join([*(c.value for c in mods), head.value])
        if found.places:
            value = f"{value} of {found.places[0]}"
        out.append(Candidate(found.start, found.end, "entity", value, subtype="org"))
    return out


def _unknown_part(text: str, start: int) -> bool:
    """Whether a capitalised English word stands right before a composed name, other than
    an organisation head (Senate Judiciary Committee: the committee of the Senate) or a
    sentence's first word (Yesterday Supreme Court judges …): the name is longer than its
    concepts tell (Pennsylvania Supreme Court, Carnegie Mellon University)."""
    m = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if m is None or not m.group(1)[:1].isupper():
        return False
    before = text[: m.start(1)].rstrip()
    if not before or before[-1] in ".!?:\"“'‘(":
        return False
    return m.group(1) not in _en_org_heads()


@owned("facts-lexicon")
def _en_org_heads() -> frozenset[str]:
    return frozenset(e.surface for e in lexicon.words("en", "org_head"))


# Plural endings: a head or adjective in the plural names bodies of a kind (сыртқы істер
# министрліктері "the foreign ministries", национальных правительств), not one body. The
# Russian ones are those no singular form has.
_PLURAL = {
    "kk-Cyrl": ("лар", "лер", "дар", "дер", "тар", "тер"),
    "ru": ("ов", "ев", "ам", "ям", "ами", "ями", "ах", "ях", "ых", "их", "ые", "ие", "ыми", "ими"),
}
# Chinese characters after a head that make the word another noun: a member (民主党人
# "Democrats", 共和党员), the body's head (外交部长 "foreign minister", 局长), a
# department of any kind (教育部门 "education departments").
_ZH_NOT_AFTER = "人员員长長门門"


def _plural(word: str, lang: str) -> bool:
    if lang not in _PLURAL:
        return False
    low = _fold(word)
    stem = max((h for h in concepts(lang).heads if low.startswith(h)), key=len, default="")
    rest = low[len(stem) :]
    return rest.startswith(_PLURAL[lang]) if lang == "kk-Cyrl" else rest in _PLURAL[lang]


def _around(text: str, lang: str, start: int, end: int, places: list[Candidate]) -> _Found:
    """The modifiers and places next to a head at text[start:end], on the sides the
    language puts them."""
    mods: list[Concept] = []
    found: list[str] = []
    tabs = concepts(lang)
    head_start = start
    if lang in ("en", "kk-Cyrl", "zh-Hans", "zh-Hant", "ru"):
        for _ in range(MAX_MODIFIERS):
            step = _before(text, lang, start, places, tabs, end - head_start)
            if step is None:
                break
            start, concept, place = step
            if concept is not None:
                mods.append(concept)
            if place is not None:
                found.append(place)
    if lang in ("en", "ru", "ar"):
        for _ in range(MAX_MODIFIERS):
            step = _after(text, lang, end, places, tabs)
            if step is None:
                break
            end, concept, place = step
            if concept is not None:
                mods.append(concept)
            if place is not None:
                found.append(place)
    return _Found(start, end, mods, found)


_Step = tuple[int, Concept | None, str | None]
_SPACE_BEFORE = regex.compile(r"[ \t]{1,2}$")
_WORD_BEFORE = regex.compile(r"(?<![\p{L}\p{M}'’.-])([\p{L}\p{M}'’-]+)[ \t]{1,2}$")


def _before(
    text: str, lang: str, pos: int, places: list[Candidate], tabs: Tables, head_chars: int
) -> _Step | None:
    """The modifier or place right before `pos`: (its start, concept, place name).

    A Chinese modifier of one character (工, 绿) stands only before a head of one (工党
    Labour Party): before a longer head it is most often the end of another word (劳工大会
    "labour conference").
    """
    zh = lang.startswith("zh")
    for p in places:
        gap = text[p.end : pos]
        if p.end <= pos and ((zh and not gap) or (not zh and _SPACE_BEFORE.fullmatch(gap))):
            return p.start, None, p.value
    if zh:
        for form, concept in _longest_first(lang, "pre"):
            if text.endswith(form, 0, pos) and (len(form) > 1 or head_chars == 1):
                return pos - len(form), concept, None
        return None
    window = text[max(0, pos - 40) : pos]
    # multi-word modifiers (сыртқы істер, денсаулық сақтау) first
    folded = _fold(window)
    for form, concept in _multiword(lang):
        if folded.endswith(form + " "):
            return pos - len(form) - 1, concept, None
    m = _WORD_BEFORE.search(window)
    if m is None:
        return None
    word, wstart = m.group(1), pos - len(window) + m.start(1)
    if lang == "en":
        if not word[:1].isupper():
            return None
        if word in tabs.pre:
            return wstart, tabs.pre[word], None
        place = tabs.demonyms.get(_fold(word)) or _en_demonym(word)
        return (wstart, None, place) if place else None
    low = _fold(word)
    if lang == "kk-Cyrl":
        if low in tabs.pre:
            return wstart, tabs.pre[low], None
        place = tabs.demonyms.get(low) or _kk_demonym(low)
        return (wstart, None, place) if place else None
    # ru: an adjective, its stem and a case ending
    for stem, concept in tabs.pre.items():
        ending = low[len(stem) :]
        if low.startswith(stem) and ending in _endings_set(lang) and ending not in _PLURAL[lang]:
            return wstart, concept, None
    place = _ru_demonym(low, tabs)
    return (wstart, None, place) if place else None


_EN_LINK = regex.compile(r"[ \t](?:of|for)[ \t](?:the[ \t])?")
_RU_SK = regex.compile(r"(\p{L}+?)(?:ск|цк)(\p{L}*)")
_AR_NISBA = regex.compile(r"ال(\p{L}{3,}?)(?:ية|ي)")
_AFTER_WORDS = regex.compile(r"[ \t]{1,2}([\p{L}\p{M}]+(?:[ \t][\p{L}\p{M}]+)?)")


def _after(text: str, lang: str, pos: int, places: list[Candidate], tabs: Tables) -> _Step | None:
    """The modifier or place right after `pos`: (its end, concept, place name)."""
    rest = text[pos : pos + 60]
    link = 0
    if lang == "en":
        m = _EN_LINK.match(rest)
        if m is None:
            return None
        link = m.end()
        for form, concept in _longest_first(lang, "post"):
            seg = rest[link : link + len(form)]
            after = rest[link + len(form) : link + len(form) + 1]
            if _fold(seg) == form and seg[:1].isupper() and not after.isalpha():
                return pos + link + len(form), concept, None
    for p in places:
        gap = text[pos : p.start]
        if p.start >= pos and (
            (lang == "en" and len(gap) == link) or (lang != "en" and _SPACE_BEFORE.fullmatch(gap))
        ):
            return p.end, None, p.value
    if lang == "en":
        return None
    m = _AFTER_WORDS.match(rest)
    if m is None:
        return None
    words = m.group(1).split()
    for n in (2, 1):
        if len(words) < n:
            continue
        phrase = " ".join(words[:n])
        low = _fold(phrase)
        end = pos + m.start(1) + len(phrase)
        if low in tabs.post:
            return end, tabs.post[low], None
        if lang == "ar" and n == 1 and (place := _ar_nisba(low)):
            return end, None, place
    return None


@owned("facts-lexicon")
def _endings_set(lang: str) -> frozenset[str]:
    return frozenset(["", *_endings(lang)])


def _en_demonym(word: str) -> str | None:
    """The place an English adjective names: a demonym ending, and the longest start
    shared with a one-word place name, leaving at most `EN_DEMONYM_SLACK` of its letters
    (German ← Germany, Scottish ← Scotland); a tie is no place."""
    if not word.endswith(_EN_DEMONYM_ENDINGS):
        return None
    low = _fold(word)
    best: dict[int, set[str]] = {}
    for form, entity in _place_forms("en").items():
        n = _common(low, form)
        if n >= DEMONYM_MIN_PREFIX and len(form) - n <= EN_DEMONYM_SLACK and low != form:
            best.setdefault(n, set()).add(entity.name)
    if not best:
        return None
    names = best[max(best)]
    return next(iter(names)) if len(names) == 1 else None


def _common(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _ru_demonym(low: str, tabs: Tables) -> str | None:
    """The place a Russian adjective in -ск- names: its stem before -ск- starts as the
    place's name less its last letter or two (германск ← Германия, шотландск ←
    Шотландия, китайск ← Китай), or an irregular `demonym` row (валлийский)."""
    for stem, place in tabs.demonyms.items():
        if low.startswith(stem) and low[len(stem) :] in _endings_set("ru"):
            return place
    m = _RU_SK.fullmatch(low)
    if m is None or m.group(2) not in _endings_set("ru"):
        return None
    stem = m.group(1).rstrip("и")
    if len(stem) < DEMONYM_MIN_PREFIX:
        return None
    names = {
        e.name
        for form, e in _place_forms("ru").items()
        if form.startswith(stem) and len(form) - len(stem) <= 2
    }
    return next(iter(names)) if len(names) == 1 else None


def _kk_demonym(low: str) -> str | None:
    """The place a Kazakh adjective names: a place's name and -лық/-лік (Ресейлік)."""
    forms = _place_forms("kk-Cyrl")
    for ending in _KK_DEMONYM_ENDINGS:
        if low.endswith(ending) and (e := forms.get(low[: -len(ending)])) is not None:
            return e.name
    return None


def _ar_nisba(low: str) -> str | None:
    """The place an Arabic nisba adjective with the article names (الألمانية ← ألمانيا,
    الويلزي ← ويلز, الروسي ← روسيا, الصيني ← الصين)."""
    m = _AR_NISBA.fullmatch(low)
    if m is None:
        return None
    stem = m.group(1)
    forms = _place_forms("ar")
    for form in (stem, stem + "ا", stem + "يا", "ال" + stem):
        if (e := forms.get(form)) is not None:
            return e.name
    return None


def merge(text: str, lang: str, known: list[Candidate], named: list[Candidate]) -> list[Candidate]:
    """The pattern names (`names.find_names`) with the composed organisations: a composed
    one replaces the pattern names it overlaps (`German Navy` was a person, `Senate
    Judiciary Committee` a name in Latin letters), and gives way to a gazetteer name it
    overlaps other than a place inside it."""
    composed: list[Candidate] = []
    for c in sorted(find(text, lang, known), key=lambda c: (c.start, -(c.end - c.start))):
        if any(k.start < c.end and c.start < k.end and not _inside(k, c) for k in known) or any(
            o.start < c.end and c.start < o.end for o in composed
        ):
            continue
        composed.append(c)
    if not composed:
        return named
    kept = [n for n in named if not any(n.start < c.end and c.start < n.end for c in composed)]
    return sorted([*kept, *composed], key=lambda c: c.start)


def _inside(k: Candidate, c: Candidate) -> bool:
    return k.subtype in PLACES and c.start <= k.start and k.end <= c.end
