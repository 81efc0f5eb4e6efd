"""An organisation one translation names and another writes otherwise.

The facts stage composes an organisation's value from the concepts of
`data/facts/org_concepts.tsv` (`facts.orgs`): a head and its modifiers, then `of <place>`.
Where one translation names the body and the other does not in a way the facts stage
takes for a name, the diff would call the organisation missing. `find` looks for it in the
other translation's text in three ways, tried in turn:

- its acronym in that language (`acronym` rows: FBI, ФБР; no table of names expands one);
- for a party, the noun of its members (`member` rows: 民主党 in Chinese, `Democrats`,
  `демократы`, `демократтар` in the other text; members are no entity by the conventions,
  so the fact stays one-sided, found in the other text as a place is as its adjective);
- its concept forms: the head and every modifier written within `MAX_GAP` characters of the
  head, with the language's endings (`верховного суда`, a lower-case `supreme court`).

`granularity` tells two organisation values apart that differ only by a place: `Supreme
Court of United States` and `Supreme Court` name one body, one side more precisely.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import regex

from kzkg_tools import tables
from kzkg_tools.facts import orgs
from kzkg_tools.records import Fact, Sentence
from kzkg_tools.resources import owned

# The subtype the facts stage gives an organisation.
ORG = "org"
# The most characters between the head and a modifier of one name: a name's words stand
# next to each other, or with a case ending, an article or a genitive between them
# (Совет …Безопасности ООН, المحكمة الدستورية العليا).
MAX_GAP = 24
# Kazakh endings after a form: plural, possessive and case (демократ-тар-ы-ның), as
# facts.orgs reads a Kazakh head.
KK_ENDINGS_MAX = 3
# The Russian plural ending of a members' noun in the table (демократы, лейбористы).
_RU_PLURAL = ("ы", "и")
# The endings of a Russian noun of a person: plural (nominative, genitive, dative,
# instrumental, locative), then singular (демократ-а, республиканц-ем: one member), and
# none (демократ). Not those of a feminine abstract noun (демократ-ия, демократ-ией).
_RU_MEMBER_ENDINGS = "ы|и|ов|ев|ам|ями|ами|ах|а|у|ом|ем|е|"
# Arabic proclitics and the article before a word (والمحكمة, للحزب).
_AR_CLITIC = "(?:[وفبلك]?(?:ال|ل)?)"
_ARTICLE = "ال"
_EDGE, _END = r"(?<![\p{L}\p{M}])", r"(?![\p{L}\p{M}])"
# A value's place: the facts stage writes it last, after `of`.
_OF = " of "


class Found(NamedTuple):
    """Where the organisation was found: the sentence and the offsets in its text."""

    sentence: Sentence
    start: int
    end: int


def _base(lang: str) -> str:
    return lang.split("-")[0]


@owned("facts-lexicon")
def _rows() -> dict[str, dict[str, dict[str, list[str]]]]:
    """kind → value → table column → forms."""
    rows = tables.rows(orgs.TABLE)
    header, body = rows[0], rows[1:]
    out: dict[str, dict[str, dict[str, list[str]]]] = {}
    for row in body:
        kind, value = row[0], row[1]
        cols = {
            h: [f for f in (row[i] if i < len(row) else "").split("|") if f]
            for i, h in enumerate(header[2:], 2)
        }
        into = out.setdefault(
            "concept" if kind in ("head", "body", "modifier", "common") else kind, {}
        )
        entry = into.setdefault(value, {h: [] for h in header[2:]})
        for h, forms in cols.items():
            entry[h] += forms
    return out


def _column(lang: str) -> str | None:
    return orgs.COLUMNS.get(lang) or orgs.COLUMNS.get(
        {"zh": "zh-Hans", "kk": "kk-Cyrl"}.get(lang, lang)
    )


def _parts(value: str) -> list[str] | None:
    """The concepts an organisation's value is composed of (head last), its place left out;
    None if the value is not so composed (a gazetteer's name)."""
    core = value.split(_OF, 1)[0]
    concepts = _rows().get("concept", {})
    parts: list[str] = []
    words = core.split()
    i = 0
    while i < len(words):
        # the longest concept value starting here (Foreign Affairs before Foreign)
        for j in range(len(words), i, -1):
            if " ".join(words[i:j]) in concepts:
                parts.append(" ".join(words[i:j]))
                i = j
                break
        else:
            return None
    return parts if len(parts) >= 2 else None


def _pattern(form: str, lang: str, kind: str) -> str:
    """A regex for one table form (of a row of `kind`) in running text of `lang`."""
    base = _base(lang)
    if base == "zh":
        return regex.escape(form)
    if base == "ar":
        word = form[len(_ARTICLE) :] if form.startswith(_ARTICLE) else form
        return rf"{_EDGE}{_AR_CLITIC}{regex.escape(word)}{_END}"
    if base == "en":
        word = form[3:] if form.startswith("of ") else form
        return rf"{_EDGE}(?i:{regex.escape(word)}){_END}"
    if form.startswith("…"):  # a Russian genitive after the head, as written
        return rf"{_EDGE}(?i:{regex.escape(form[1:])}){_END}"
    if kind == "acronym":
        return rf"{_EDGE}{regex.escape(form)}{_END}"
    endings = "|".join(regex.escape(e) for e in orgs._endings("ru" if base == "ru" else "kk-Cyrl"))
    if base == "kk":  # uninflected, then the case, plural and possessive endings
        return rf"{_EDGE}(?i:{regex.escape(form)})(?:{endings}){{0,{KK_ENDINGS_MAX}}}{_END}"
    if kind == "member":  # a noun of persons: демократ-ы, демократ-ов, not демократ-ией
        stem = form[:-1] if form.endswith(_RU_PLURAL) else form
        return rf"{_EDGE}(?i:{regex.escape(stem)})(?:{_RU_MEMBER_ENDINGS}){_END}"
    # the stem one case ending follows (верховн-ого, парти-и), not any letters (суд-ьи)
    adjective = form.casefold().endswith(orgs._RU_ADJ)
    stem = orgs._ru_adj_stem(form) if adjective else orgs._ru_noun_stem(form)
    return rf"{_EDGE}(?i:{regex.escape(stem)})(?:{endings})?{_END}"


def _after(form: str, lang: str) -> bool:
    """Whether a modifier's form follows the head in `lang` (`facts.orgs` reads the table so)."""
    base = _base(lang)
    return (
        base == "ar"
        or (base == "en" and form.startswith("of "))
        or (base == "ru" and form.startswith("…"))
    )


def _join(patterns: set[str]) -> regex.Pattern[str] | None:
    return (
        regex.compile("|".join(sorted(patterns, key=lambda p: (-len(p), p)))) if patterns else None
    )


@owned("facts-lexicon", maxsize=1 << 10)
def _compiled(kind: str, value: str, lang: str) -> regex.Pattern[str] | None:
    """One pattern for the forms of a member or acronym row in `lang`, or None if it has
    none there. Both are written in capitals in English, and an acronym in every script:
    the case tells them from ordinary words (democrats, labour)."""
    forms = _rows().get(kind, {}).get(value, {}).get(_column(lang) or "", [])
    keep_case = kind == "acronym" or _base(lang) == "en"
    alts = {_pattern(f, lang, kind) for f in forms}
    return _join({a.replace("(?i:", "(?:") for a in alts} if keep_case else alts)


@owned("facts-lexicon", maxsize=1 << 10)
def _placed(value: str, lang: str) -> tuple[regex.Pattern[str] | None, regex.Pattern[str] | None]:
    """A concept's forms in `lang` that stand before the head, and those that follow it."""
    forms = _rows().get("concept", {}).get(value, {}).get(_column(lang) or "", [])
    before = {_pattern(f, lang, "concept") for f in forms if not _after(f, lang)}
    after = {_pattern(f, lang, "concept") for f in forms if _after(f, lang)}
    return _join(before), _join(after)


def find(fact: Fact, sentences: list[Sentence], lang: str) -> Found | None:
    """The first place in `sentences` (the other side's text, in `lang`) that names the
    organisation `fact` by its acronym, its members or its concept forms; None if none does
    or the fact is no organisation."""
    if fact.type != "entity" or fact.subtype != ORG or _column(lang) is None:
        return None
    value = str(fact.value)
    acronym = _compiled("acronym", value, lang)
    parts = _parts(value) or []
    members = []
    if parts and parts[-1] == "Party":
        members = [p for m in parts[:-1] if (p := _compiled("member", m, lang)) is not None]
    placed = [_placed(p, lang) for p in parts]
    whole = bool(placed) and all(p != (None, None) for p in placed)
    for sentence in sentences:
        text = sentence.text
        if acronym is not None and (m := acronym.search(text)):
            return Found(sentence, m.start(), m.end())
        for member in members:
            if m := member.search(text):
                return Found(sentence, m.start(), m.end())
        if whole and (span := _together(text, placed)) is not None:
            return Found(sentence, *span)
    return None


def _together(text: str, placed: list[tuple[Any, Any]]) -> tuple[int, int] | None:
    """The span of a head (the last concept's forms) with every other concept written on its
    side of it within MAX_GAP characters, the nearest of each; None if there is none."""
    *mods, (head, head_after) = placed
    head = head or head_after
    for h in head.finditer(text):
        start, end = h.start(), h.end()
        for before, after in mods:
            # the whole text, not a slice: a word cut at a slice's edge would match
            near = [
                m
                for pattern, side in ((before, -1), (after, 1))
                if pattern is not None
                for m in pattern.finditer(text)
                if (side < 0 and start - MAX_GAP <= m.start() and m.end() <= start)
                or (side > 0 and end <= m.start() and m.end() <= end + MAX_GAP)
            ]
            if not near:
                break
            m = min(near, key=lambda m: min(abs(m.end() - h.start()), abs(m.start() - h.end())))
            start, end = min(start, m.start()), max(end, m.end())
        else:
            return start, end
    return None


def granular(a: Fact, b: Fact) -> bool:
    """Two organisations of one composed name, one of them with a place (`Supreme Court of
    United States` and `Supreme Court`): one body, one side more precise."""
    if a.subtype != ORG or b.subtype != ORG:
        return False
    x, y = sorted((str(a.value), str(b.value)), key=len)
    return y.startswith(x + _OF) and _parts(x) is not None
