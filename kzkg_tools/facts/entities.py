"""Named entities: gazetteer forms found in text with their case endings and clitics.

The surface is the whole word (Қазақстанның, قىرعىزستاننان, لكازاخستان), but
derived adjectives and demonyms are not names (FACTS.md): a Kazakh or Russian
form followed by anything but case, possessive and plural endings
(Қазақстандық, казахстанских; the Kazakh endings are data in lexicon.tsv), an
Arabic one followed by any letter (الكازاخستانية), and Chinese X人/X族/X語 are
left out. Acronyms (БҰҰ, ب ۇ ۇ) match in their exact case, with or without
spaces between their letters. A name nested in an
organisation or treaty name is a mention of its own (哈薩克斯坦中央選舉委員會 →
the commission and Kazakhstan); inside a longer name of the same entity or of
a state or place it is not (Қазақстан Республикасы is one mention).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any, NamedTuple

import regex

from kzkg_tools.facts import gazetteer, lexicon
from kzkg_tools.facts.candidate import Candidate
from kzkg_tools.facts.numbers import LETTER

NESTING = {"org", "treaty", "other"}
_RU_ENDINGS = "(?:ами|ями|ого|ому|ией|ией|ией|ом|ем|ой|ей|ам|ям|ах|ях|ии|ию|ия|а|у|е|ы|и|ю|я)?"


class Form(NamedTuple):
    """What a matched surface stands for, and how its gazetteer form is written."""

    entity: gazetteer.Entity
    acronym: bool
    capital: bool


def _is_acronym(form: str) -> bool:
    letters = form.replace(" ", "")
    return 1 < len(letters) <= 6 and (
        letters.isupper() or (" " in form and all(len(w) == 1 for w in form.split()))
    )


_UNITS = {" ": r"\s+", "-": r"-\s*", ".": r"\.\s*"}


def _special_regex(form: str, lang: str) -> str | None:
    """The regex of a form bound to context (guillemets, 訪[哈], acronyms, Latin in other scripts).

    Plain forms return None: they go into the shared trie (`_trie_regex`).
    """
    if form.startswith("«") and form.endswith("»"):
        inner = _special_regex(form[1:-1], lang) or _trie_regex([_units(form[1:-1], lang)])
        return rf"(?<=«){inner}(?=»)"
    if "[" in form:  # 訪[哈]: context 訪, surface 哈
        context, rest = form.split("[", 1)
        return rf"(?<={regex.escape(context)}){regex.escape(rest.rstrip(']'))}"
    if _is_acronym(form):  # exact case, letters optionally spaced (ب ۇ ۇ, Б Ұ Ұ)
        letters = r"\s?".join(regex.escape(c) for c in form.replace(" ", ""))
        return (
            rf"(?<![A-Za-z])(?-i:{letters})(?![A-Za-z])" if form.isascii() else f"(?-i:{letters})"
        )
    if lang != "en" and form.isascii():  # a Latin name inside other-script text
        return rf"(?<![A-Za-z]){_trie_regex([_units(form, lang)])}(?![A-Za-z])"
    return None


def _units(form: str, lang: str) -> tuple[str, ...]:
    """A plain form as regex pieces, one per character (spaces and hyphens may stretch)."""
    if lang == "kk-Arab":
        form = form.lstrip(lexicon.HAMZA)
    return tuple(_UNITS.get(c, regex.escape(c)) for c in form.casefold())


def _trie_regex(forms: list[tuple[str, ...]]) -> str:
    """One regex for many literal forms, sharing prefixes; longer forms are tried first.

    A flat alternation of 800 names is tried name by name at every position
    (most of the stage's time); a trie tries each prefix once.
    """
    trie: dict[str, Any] = {}
    for units in forms:
        node = trie
        for u in units:
            node = node.setdefault(u, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [u + build(child) for u, child in sorted(node.items()) if u]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")" if alts else ""
        return f"(?:{body})?" if "" in node and body else body

    return build(trie)


def _stems(form: str, lang: str) -> list[str]:
    """Russian names ending in -а/-я also appear as their stem plus a case ending (Москве)."""
    if lang == "ru" and form[-1:] in ("а", "я") and not _is_acronym(form):
        return [form, form[:-1]]
    return [form]


def _key(surface: str) -> str:
    """Lookup key of a matched name: no spaces, casefolded, no leading hamza."""
    return regex.sub(r"\s+", "", surface).casefold().lstrip(lexicon.HAMZA)


def _plain(form: str) -> str:
    """The form without its match context: «مەكەن» → مەكەن, 訪[哈] → 哈."""
    if form.startswith("«") and form.endswith("»"):
        return form[1:-1]
    if "[" in form:
        return form.split("[", 1)[1].rstrip("]")
    return form


@functools.cache
def matcher(lang: str) -> tuple[regex.Pattern[str] | None, dict[str, Form]]:
    """One pattern over all forms of a language and the table from `_key` to its form."""
    table = gazetteer.entries().get(lang, {})
    lookup: dict[str, Form] = {}
    special: dict[str, int] = {}  # regex → length of the plain form it matches
    plain_forms: list[tuple[str, ...]] = []
    for form, entity in table.items():
        for stem in _stems(form, lang):
            rx = _special_regex(stem, lang)
            if rx is None:
                plain_forms.append(_units(stem, lang))
            else:
                special[rx] = len(_plain(stem))
            plain = _plain(form)
            lookup.setdefault(
                _key(_plain(stem)), Form(entity, _is_acronym(plain), plain[:1].isupper())
            )
    if not lookup:
        return None, lookup
    # alternation takes the first alternative that matches: the trie (longest first), then
    # the context-bound forms, longest first
    hamza = lexicon.HAMZA + "?" if lang == "kk-Arab" else ""
    alts = [hamza + _trie_regex(plain_forms)] if plain_forms else []
    alts += sorted(special, key=lambda a: (-special[a], a))
    body = "|".join(alts)
    if lang.startswith("zh"):
        pattern = rf"(?P<name>{body})(?![人族語语裔])"
    elif lang in ("kk-Cyrl", "kk-Arab"):
        endings = "|".join(
            sorted((e.surface for e in lexicon.words(lang, "case_ending")), key=len, reverse=True)
        )
        sfx = rf"(?P<sfx>(?:{endings}){{0,3}}|-{LETTER}{{1,5}})"
        pattern = rf"(?<!{LETTER})(?P<name>{body}){sfx}(?!-?{LETTER})"
    elif lang == "ru":
        pattern = rf"(?<!{LETTER})(?P<name>{body})(?P<sfx>{_RU_ENDINGS})(?!{LETTER})"
    elif lang == "ar":
        pattern = rf"(?<!{LETTER})[وف]?[بلك]?(?P<name>{body})(?!{LETTER})"
    else:
        pattern = rf"(?<!{LETTER})(?P<name>{body})(?:['’]s)?(?!{LETTER})"
    return regex.compile(pattern, regex.IGNORECASE), lookup


def _accept(m: regex.Match[str], form: Form, lang: str) -> bool:
    if lang in ("kk-Cyrl", "kk-Arab") and m.group("sfx").startswith("-") and not form.acronym:
        return False  # a hyphenated compound (ماناس-اتا) is another name
    # capitalised names written in lower case (того, ақтау) are ordinary words
    return not (form.capital and lang in ("kk-Cyrl", "ru", "en") and m.group("name")[:1].islower())


def _raw_matches(text: str, lang: str) -> Iterator[tuple[int, int, gazetteer.Entity, bool]]:
    pattern, lookup = matcher(lang)
    if pattern is None:
        return
    for m in pattern.finditer(text, overlapped=True):
        found = lookup.get(_key(m.group("name")))
        if found is None or not _accept(m, found, lang):
            continue
        yield m.start(), m.end(), found.entity, found.acronym
        if found.entity.subtype in NESTING:
            # a shorter name at the same start (哈薩克斯坦 in 哈薩克斯坦中央選舉委員會)
            inner = pattern.match(text, m.start(), m.end() - 1)
            if (
                inner
                and (hit := lookup.get(_key(inner.group("name"))))
                and _accept(inner, hit, lang)
            ):
                yield inner.start(), inner.end(), hit.entity, hit.acronym


def find_entities(text: str, lang: str) -> list[Candidate]:
    """Entity candidates, nested ones kept only inside organisation, treaty and other names."""
    blocked = [
        (m.start(), m.end())
        for word in gazetteer.blocking_contexts(lang)
        for m in regex.finditer(regex.escape(word), text)
    ]
    found = sorted(
        (
            t
            for t in set(_raw_matches(text, lang))
            if not any(b0 <= t[0] and t[1] <= b1 for b0, b1 in blocked)
        ),
        key=lambda t: (t[0], -(t[1] - t[0])),
    )
    kept: list[tuple[int, int, gazetteer.Entity]] = []
    for start, end, entity, acronym in found:
        outer = [k for k in kept if k[0] <= start and end <= k[1]]
        if outer and (acronym or any(o[2] == entity or o[2].subtype not in NESTING for o in outer)):
            continue
        if any(k[0] < start < k[1] < end for k in kept):
            continue  # partial overlap: the earlier, longer match stands
        kept.append((start, end, entity))
    return [
        Candidate(s, e, "entity", ent.name, subtype=ent.subtype, id=ent.id) for s, e, ent in kept
    ]
