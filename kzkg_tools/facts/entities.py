"""Named entities: gazetteer forms found in text with their case endings and clitics.

The surface is the whole word (Қазақстанның, قىرعىزستاننان, لكازاخستان), but
derived adjectives and demonyms are not names (docs/conventions.md): a Kazakh or Russian
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

import itertools
import zlib
from collections.abc import Iterator
from typing import NamedTuple

import regex

from kzkg_tools import langs
from kzkg_tools.facts import gazetteer, lexicon, names, names_han_arab, orgs, trie
from kzkg_tools.facts.candidate import Candidate
from kzkg_tools.facts.numbers import LETTER
from kzkg_tools.resources import owned

NESTING = {"org", "treaty", "other"}
# Inflecting languages whose multi-word names change every word, not only the last one
# (Организация → Организации Объединённых Наций): each word of a form is matched as its
# stem plus an optional case ending of the language (`case_ending` rows in lexicon.tsv).
STEMMED = {"ru"}
# A stem keeps at least this many letters: Того, Чад and other short names are not cut
# down to one or two letters that would begin many ordinary words.
MIN_STEM = 3
# The longest case ending of a stemmed language (Russian -ами, -ого, -ыми: three letters).
MAX_ENDING = 3
# The dot between the words of a foreign person's name in Chinese (约瑟夫·斯大林).
_NAME_DOT = "·・"
# Last letters a Russian name drops before a case ending (Москва → Москве, Китай → Китая).
_RU_FINAL = ("а", "я", "й", "ь")


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


_SPACES = regex.compile(r"\s+")
_UNITS = {" ": r"\s+", "-": r"-\s*", ".": r"\.\s*"}
# the same units as items of a character class (what their first character can be)
_CLASS_ITEMS = {rx: r"\s" if c.isspace() else regex.escape(c) for c, rx in _UNITS.items()}
# Optional letters a match may begin with before the name's own first letter: Arabic
# clitics (و/ف then ب/ل/ك: لكازاخستان) and the Arabic-script Kazakh front-vowel hamza.
_LEADING = {"ar": ("وف", "بلك"), "kk-Arab": (lexicon.HAMZA,)}


def _special_regex(form: str, lang: str) -> tuple[str, str] | None:
    """The regex of a form bound to context (guillemets, 訪[哈], acronyms, Latin in other scripts).

    Returned with the regex of the one character the form can start with (see
    `Matcher`). Plain forms return None: they go into the shared trie (`trie.branches`).
    """
    if form.startswith("«") and form.endswith("»"):
        inner = _special_regex(form[1:-1], lang) or _plain_regex(_units(form[1:-1], lang))
        return rf"(?<=«){inner[0]}(?=»)", inner[1]
    if "[" in form:  # 訪[哈]: context 訪, surface 哈
        context, rest = form.split("[", 1)
        rest = rest.rstrip("]")
        return rf"(?<={regex.escape(context)}){regex.escape(rest)}", regex.escape(rest[0])
    if _is_acronym(form):  # exact case, letters optionally spaced (ب ۇ ۇ, Б Ұ Ұ)
        chars = form.replace(" ", "")
        letters = r"\s?".join(regex.escape(c) for c in chars)
        first = f"(?-i:{regex.escape(chars[0])})"
        if form.isascii():
            return rf"(?<![A-Za-z])(?-i:{letters})(?![A-Za-z])", first
        return f"(?-i:{letters})", first
    if lang != "en" and form.isascii():  # a Latin name inside other-script text
        rx, first = _plain_regex(_units(form, lang))
        return rf"(?<![A-Za-z]){rx}(?![A-Za-z])", first
    return None


# Characters a form's literal start ends with: what follows them may stretch (`_UNITS`).
_STRETCH = frozenset(_UNITS)


def _prefixes(form: str, lang: str) -> set[str]:
    """The literal starts (folded, `trie.fold`) that every match of one form's regex begins with.

    Mirrors `_special_regex` and `_units`: a plain form up to and including its first
    space, hyphen or dot, after which more space may follow (in Russian up to the first
    space, before which a stem may take an ending), the name inside guillemets, the surface
    after a context (訪[哈] → 哈), an acronym's letters with or without a space between
    each two (`\\s?`).
    """
    if form.startswith("«") and form.endswith("»"):
        return _prefixes(form[1:-1], lang)
    if "[" in form:
        return {trie.fold(form.split("[", 1)[1].rstrip("]"))}
    if _is_acronym(form):
        chars = form.replace(" ", "")
        return {
            trie.fold("".join(c + gap for c, gap in zip(chars, (*gaps, ""), strict=True)))
            for gaps in itertools.product(("", " "), repeat=len(chars) - 1)
        }
    if lang == "kk-Arab":
        form = form.lstrip(lexicon.HAMZA)
    start = []
    for char in form.casefold():
        if char in _STRETCH:
            # a stretchable unit begins with its own character (`\s+` with one space), except
            # a Russian space, which may follow a case ending (`_units`)
            if char != " " or lang not in STEMMED:
                start.append(char)
            break
        start.append(char)
    return {trie.fold("".join(start))}


def _plain_regex(units: tuple[str, ...]) -> tuple[str, str]:
    """One plain form as a regex (a one-form trie) and its first unit."""
    ((first, rx),) = trie.branches([units])
    return rx, first


def _units(form: str, lang: str) -> tuple[str, ...]:
    """A plain form as regex pieces, one per character (spaces and hyphens may stretch).

    In a stemmed language a space is preceded by up to `MAX_ENDING` letters (the word
    before it is a stem, `_stems`): which letters are a case ending is checked when the
    match is looked up (`_keys`), so the pattern, compiled for every group of first
    letters, stays small; е also matches ё.
    """
    if lang == "kk-Arab":
        form = form.lstrip(lexicon.HAMZA)
    space = _UNITS[" "]
    if lang in STEMMED:
        space = rf"{LETTER}{{0,{MAX_ENDING}}}{space}"
    units = {**_UNITS, " ": space, "е": "[её]", "ё": "[её]"}
    return tuple(units.get(c, regex.escape(c)) for c in form.casefold())


def _endings(lang: str) -> list[str]:
    """The case endings of a language, longest first (lexicon.tsv `case_ending` rows)."""
    return sorted((e.surface for e in lexicon.words(lang, "case_ending")), key=len, reverse=True)


def _word_stem(word: str, lang: str) -> str:
    """A word of a Russian name without its case ending (Объединённых → Объединённ)."""
    if _is_acronym(word) or not word.isalpha():
        return word
    for ending in _endings(lang):
        if word.casefold().endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def _stems(form: str, lang: str) -> list[str]:
    """The forms a name is matched as, each followed by the language's case endings.

    Russian names ending in -а/-я/-й/-ь also appear as their stem plus a case ending
    (Москве, Китая); in a Russian name of several words every word is its stem
    (`_word_stem`: Объединённые Нации → Объединённых Наций) and takes an ending of its
    own (`_units` adds it). A single word is cut by its last letter only: its stem alone
    would begin too many other words (Мали → Мал-ая).
    """
    if lang != "ru" or _is_acronym(form):
        return [form]
    *head, last = form.split(" ")
    head = [_word_stem(w, lang) for w in head]
    out = [" ".join([*head, last])]
    if head and (stem := _word_stem(last, lang)) != last:
        out.append(" ".join([*head, stem]))
    if last[-1:] in _RU_FINAL and len(last) > MIN_STEM and not _is_acronym(last):
        out.append(" ".join([*head, last[:-1]]))
    return out


def _fold(text: str) -> str:
    """Case folded, ё read as е (Russian text writes either: Объединённых, Объединенных)."""
    return text.casefold().replace("ё", "е")


def _key(surface: str) -> str:
    """Lookup key of a matched name: no spaces, casefolded, no leading hamza."""
    return _fold(_SPACES.sub("", surface)).lstrip(lexicon.HAMZA)


def _keys(name: str, lang: str) -> Iterator[str]:
    """The lookup keys a matched name may stand for, most literal first.

    In a stemmed language each word but the last was matched as a stem plus an optional
    ending (`_units`); which ending is not known from the match, so every way of
    removing one is tried (a name has a few words, each ending in one or two endings).
    """
    yield _key(name)
    if lang not in STEMMED:
        return
    *head, last = _SPACES.split(name)
    if not head:
        return
    endings = _endings(lang)
    choices = [
        [w] + [w[: -len(e)] for e in endings if _fold(w).endswith(e) and len(w) > len(e)]
        for w in head
    ]
    for words in itertools.product(*choices):
        yield _key("".join([*words, last]))


def _plain(form: str) -> str:
    """The form without its match context: «مەكەن» → مەكەن, 訪[哈] → 哈."""
    if form.startswith("«") and form.endswith("»"):
        return form[1:-1]
    if "[" in form:
        return form.split("[", 1)[1].rstrip("]")
    return form


class Matcher:
    """All gazetteer forms of one language as one regex, tried at each possible start.

    The regex is `(?P<name>trie|special…)` inside the language's context (word edges,
    clitics, endings). The `regex` module tries an alternation branch by branch, so one
    pattern over ~100 first letters costs microseconds at every position. Here the
    alternatives (trie branches, then context-bound forms) are dealt into `BUCKETS` groups
    by their first character, case folded; a position is matched with the pattern of only
    the groups one of whose first characters matches its character (at a leading clitic
    or hamza also those of the letters after it, where the name may begin), compiled once
    per set of groups. Alternatives keep their order and those left out cannot match at that
    position, so the match is the full pattern's match there.
    """

    BUCKETS = 32
    # Patterns compiled for the letters after a leading letter before one pattern of all
    # groups serves every later leading position: a one-line input compiles only the groups
    # it needs, a long text, which meets most letters after a clitic, compiles all groups
    # once (each union costs about a tenth of that pattern, so four cost under half of it).
    UNIONS = 4

    def __init__(
        self, lang: str, alts: list[tuple[str, str]], n_trie: int, prefixes: set[str]
    ) -> None:
        self.lang = lang
        # every alternative begins with one of these literal starts (`_prefixes`), after at
        # most `_lead` optional leading letters: a match can start only where one occurs
        # (a form that starts with a stretchable character has no literal start: then every
        # start is tried)
        self._prefilter = trie.Prefilter(prefixes) if prefixes and "" not in prefixes else None
        self._lead = len(_LEADING.get(lang, ()))
        self._alts = alts  # (first-character regex, regex): trie branches, then specials
        self._n_trie = n_trie
        groups: list[list[int]] = [[] for _ in range(self.BUCKETS)]
        for i, (first, _) in enumerate(alts):
            groups[_bucket(first) % self.BUCKETS].append(i)
        self._groups = [(b, g) for b, g in enumerate(groups) if g]
        # which groups can a character start? one optional lookahead per group, each setting
        # its named group when one of the group's first characters matches
        tests = "".join(
            f"(?:(?=(?P<g{b}>{'|'.join(sorted({alts[i][0] for i in g}))})))?"
            for b, g in self._groups
        )
        self._test = regex.compile(rf"{tests}(?s:.)", regex.IGNORECASE)
        self._leading_sets = _LEADING.get(lang, ())
        self._leading = "".join(self._leading_sets)
        # the pattern of a character that is no leading letter, and each character's groups
        self._for_char: dict[str, regex.Pattern[str] | None] = {}
        self._char_groups: dict[str, frozenset[int]] = {}
        self._unions = 0  # patterns compiled for leading positions (`UNIONS`)
        self._compiled: dict[frozenset[int], regex.Pattern[str]] = {}
        # where a match can start: at a character some alternative (or leading letter) starts
        # with, after a non-letter except in Chinese (no word boundaries)
        chars = sorted({_class_item(first) for first, _ in alts} | set(self._leading))
        edge = "" if langs.language(lang) == "zh" else rf"(?<!{LETTER})"
        self._starts = regex.compile(f"{edge}[{''.join(chars)}]", regex.IGNORECASE)

    def _groups_at(self, char: str) -> frozenset[int]:
        """The groups one of whose first characters matches `char`."""
        found = self._char_groups.get(char)
        if found is None:
            test = self._test.fullmatch(char)
            found = frozenset(
                b for b, _ in self._groups if test and test.group(f"g{b}") is not None
            )
            self._char_groups[char] = found
        return found

    def _pattern_at(self, text: str, pos: int) -> regex.Pattern[str] | None:
        """The pattern for a match starting at `pos` (None: no alternative can start there).

        At a leading letter (و, ل, ء) the name may begin after it: the groups of the letters
        where it can begin, each optional leading letter taken or not, so a sentence needs
        the patterns of the few first letters it has rather than all groups at once.
        """
        char = text[pos]
        if char in self._leading:
            offsets = {0}
            for letters in self._leading_sets:
                offsets |= {
                    k + 1 for k in offsets if pos + k < len(text) and text[pos + k] in letters
                }
            chosen = frozenset().union(
                *(self._groups_at(text[pos + k]) for k in offsets if pos + k < len(text))
            )
            if chosen not in self._compiled:
                if self._unions >= self.UNIONS:
                    chosen = frozenset(b for b, _ in self._groups)
                else:
                    self._unions += 1
        else:
            chosen = self._groups_at(char)
        pattern = self._compiled.get(chosen) if chosen else None
        if chosen and pattern is None:
            keep = sorted(i for b, g in self._groups if b in chosen for i in g)
            names = [self._alts[i][1] for i in keep if i < self._n_trie]
            alts = [_trie_alt(names, self.lang)] if names else []
            alts += [self._alts[i][1] for i in keep if i >= self._n_trie]
            pattern = regex.compile(_context(self.lang, "|".join(alts)), regex.IGNORECASE)
            self._compiled[chosen] = pattern
        if char not in self._leading:
            self._for_char[char] = pattern
        return pattern

    def match(self, text: str, pos: int, endpos: int) -> regex.Match[str] | None:
        """The full pattern's match at `pos` (as `pattern.match(text, pos, endpos)`)."""
        if pos >= len(text):
            return None
        char = text[pos]
        pattern = self._for_char[char] if char in self._for_char else self._pattern_at(text, pos)
        return None if pattern is None else pattern.match(text, pos, endpos)

    def finditer(self, text: str) -> Iterator[regex.Match[str]]:
        """The match at every start, in order (as `pattern.finditer(text, overlapped=True)`).

        Only the offsets where a literal start of some alternative begins (or the leading
        letters before one) are tried: elsewhere no alternative can match, so the matches
        are those of every start, at a small fraction of the attempts.
        """
        for_char = self._for_char
        starts = self._starts
        if self._prefilter is None:
            candidates = (m.start() for m in starts.finditer(text))
        else:
            found = self._prefilter.starts(text, self._lead)
            candidates = (pos for pos in found if starts.match(text, pos) is not None)
        for pos in candidates:
            char = text[pos]
            pattern = for_char[char] if char in for_char else self._pattern_at(text, pos)
            if pattern is not None and (m := pattern.match(text, pos)) is not None:
                yield m


def _unit(first: str) -> str:
    """A first-character regex without its exact-case wrapper: `(?-i:К)` → К."""
    return first.removeprefix("(?-i:").removesuffix(")") if first.startswith("(?-i:") else first


def _class_item(first: str) -> str:
    """A first-character regex as an item of a character class: `(?-i:К)` → К, `\\s+` → `\\s`."""
    unit = _unit(first)
    if unit.startswith("[") and unit.endswith("]"):  # a set of letters ([её]): its letters
        return unit[1:-1]
    return _CLASS_ITEMS.get(unit, unit)


def _bucket(first: str) -> int:
    """A stable hash of a first-character regex, the same for its exact-case form (`(?-i:К)`)."""
    return zlib.crc32(_unit(first).casefold().encode("utf-8"))


def _trie_alt(branches: list[str], lang: str) -> str:
    """The trie's alternative: its branches, after the optional hamza in Arabic-script Kazakh."""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return (_optional_leading(lang) if lang == "kk-Arab" else "") + body


def _optional_leading(lang: str) -> str:
    return "".join(f"[{letters}]?" for letters in _LEADING.get(lang, ()))


def _context(lang: str, body: str) -> str:
    """The pattern around the names' alternation: word edges, clitics, endings per language."""
    if langs.language(lang) == "zh":
        return rf"(?P<name>{body})(?![人族語语裔])"
    if lang in ("kk-Cyrl", "kk-Arab"):
        endings = "|".join(
            sorted((e.surface for e in lexicon.words(lang, "case_ending")), key=len, reverse=True)
        )
        sfx = rf"(?P<sfx>(?:{endings}){{0,3}}|-{LETTER}{{1,5}})"
        return rf"(?<!{LETTER})(?P<name>{body}){sfx}(?!-?{LETTER})"
    if lang == "ru":
        sfx = "|".join(_endings(lang))
        return rf"(?<!{LETTER})(?P<name>{body})(?P<sfx>(?:{sfx})?)(?!{LETTER})"
    if lang == "ar":
        return rf"(?<!{LETTER}){_optional_leading(lang)}(?P<name>{body})(?!{LETTER})"
    return rf"(?<!{LETTER})(?P<name>{body})(?:['’]s)?(?!{LETTER})"


@owned("gazetteer")
def matcher(lang: str) -> tuple[Matcher | None, dict[str, Form]]:
    """The matcher of all forms of a language and the table from `_key` to its form."""
    table = gazetteer.entries().get(lang, {})
    lookup: dict[str, Form] = {}
    special: dict[str, tuple[int, str]] = {}  # regex → (length of its plain form, first char)
    plain_forms: list[tuple[str, ...]] = []
    prefixes: set[str] = set()
    for form, entity in table.items():
        for stem in _stems(form, lang):
            prefixes |= _prefixes(stem, lang)
            rx = _special_regex(stem, lang)
            if rx is None:
                plain_forms.append(_units(stem, lang))
            else:
                special[rx[0]] = (len(_plain(stem)), rx[1])
            plain = _plain(form)
            lookup.setdefault(
                _key(_plain(stem)), Form(entity, _is_acronym(plain), plain[:1].isupper())
            )
    if not lookup:
        return None, lookup
    # alternation takes the first alternative that matches: the trie (longest first), then
    # the context-bound forms, longest first
    names = trie.branches(plain_forms)
    specials = [(special[rx][1], rx) for rx in sorted(special, key=lambda a: (-special[a][0], a))]
    return Matcher(lang, [*names, *specials], len(names), prefixes), lookup


def _accept(m: regex.Match[str], form: Form, lang: str) -> bool:
    if lang in ("kk-Cyrl", "kk-Arab") and m.group("sfx").startswith("-") and not form.acronym:
        return False  # a hyphenated compound (ماناس-اتا) is another name
    if m.start("name") and m.string[m.start("name") - 1] in _NAME_DOT:
        if form.entity.subtype in names.PLACES:
            return False  # a place's name after the name dot is a surname: 奥森·威尔斯 (Welles)
    # capitalised names written in lower case (того, ақтау) are ordinary words; a name of
    # several words is a name in any case (мәңгілік достық туралы келісім: text read from
    # the Arabic script, which has no capitals, keeps only the capitals the reader restores)
    name = m.group("name")
    return not (form.capital and lang in ("kk-Cyrl", "ru", "en") and name[:1].islower()) or (
        len(name.split()) >= 3
    )


def _lookup(lookup: dict[str, Form], name: str, lang: str) -> Form | None:
    """The form a matched name stands for (None: the match is no gazetteer form)."""
    return next((lookup[k] for k in _keys(name, lang) if k in lookup), None)


def _raw_matches(text: str, lang: str) -> Iterator[tuple[int, int, gazetteer.Entity, bool]]:
    pattern, lookup = matcher(lang)
    if pattern is None:
        return
    for m in pattern.finditer(text):
        found = _lookup(lookup, m.group("name"), lang)
        if found is None or not _accept(m, found, lang):
            continue
        yield m.start(), m.end(), found.entity, found.acronym
        if found.entity.subtype in NESTING:
            # a shorter name at the same start (哈薩克斯坦 in 哈薩克斯坦中央選舉委員會)
            inner = pattern.match(text, m.start(), m.end() - 1)
            if (
                inner
                and (hit := _lookup(lookup, inner.group("name"), lang))
                and _accept(inner, hit, lang)
            ):
                yield inner.start(), inner.end(), hit.entity, hit.acronym


def _occurrences(word: str, text: str) -> Iterator[tuple[int, int]]:
    """Non-overlapping occurrences of `word` in `text`, left to right."""
    start = text.find(word)
    while start != -1 and word:
        yield start, start + len(word)
        start = text.find(word, start + len(word))


def find_entities(text: str, lang: str) -> list[Candidate]:
    """Entity candidates, nested ones kept only inside organisation, treaty and other names."""
    raw = set(_raw_matches(text, lang))
    # (most sentences name nothing the gazetteer lists: no blocking contexts to look for)
    blocked = [
        span
        for word in (gazetteer.blocking_contexts(lang) if raw else ())
        for span in _occurrences(word, text)
    ]
    # outside Chinese a context also blocks a name whose case ending runs past it (the
    # context `Оңтүстік Уэльс` "New South Wales" blocks Wales in `Оңтүстік Уэльстің`)
    endings = langs.language(lang) != "zh"
    found = sorted(
        (
            t
            for t in raw
            if not any(
                b0 <= t[0] < b1 and (t[1] <= b1 or (endings and text[b1 : t[1]].isalpha()))
                for b0, b1 in blocked
            )
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
    known = [
        Candidate(s, e, "entity", ent.name, subtype=ent.subtype, id=ent.id) for s, e, ent in kept
    ]
    found = [*known, *orgs.merge(text, lang, known, names.find_names(text, lang, known))]
    found += names_han_arab.find_persons(text, lang, found)
    return sorted(found, key=lambda c: c.start)
