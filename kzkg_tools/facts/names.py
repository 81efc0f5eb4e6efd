"""Names the gazetteer does not list: persons and organisations found by their shape.

Persons (Cyrillic and Latin text): initials and a surname in either order
(`А. М. Джумагулов`, `Jumagulov A.M.`), and a given name before a surname with a
surname ending (`Чыңғыс Айтматов`, `Nursultan Nazarbayev`; the endings are
`surname_suffix` rows of lexicon.tsv); a title before the surname (`Президент`,
`person_title` rows) is not a given name. In English two or three capitalised words
after a title are a person (Senator Lindsey Graham); a known given name and a capitalised
surname are a person in English (the US Census first names: Brett Kavanaugh), Russian and
Kazakh (OpenCorpora's given names, with case endings by rule: Дональда Трампа, Нұрсұлтан
Назарбаев); and a surname alone is the person the document named before
(`later_mentions`: Graham, Трампа, Трамптың). Organisations: a head noun of the language
(`org_head` rows: Council, Организация, ұйым, 委员会, منظمة) with the capitalised words
around it (`Assembly Commission`, `Комитет Ассамблеи`, `Біріккен Ұлттар Ұйымы`); in
Chinese and Arabic, which have no capitals, a head bound to a gazetteer place
(`英国政府`, `حكومة المملكة المتحدة`), the place then being a mention of its own.

Their value is the name in Latin letters (ICU's `Russian-Latin/BGN` for Russian, the
project's Kazakh Latin alphabet for Kazakh, `Any-Latin` otherwise; then `Latin-ASCII`),
and `latin_key` is the key the diff compares entities without an id by: the same name
written in Cyrillic, Latin or Chinese transliteration gets the same key
(Джин Фриман, Jeane Freeman → `jnfrmn`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import icu
import regex

from kzkg_tools import tables
from kzkg_tools.facts import lexicon, trie
from kzkg_tools.facts.candidate import Candidate
from kzkg_tools.facts.gazetteer import entries
from kzkg_tools.facts.numbers import LETTER
from kzkg_tools.resources import owned
from kzkg_tools.translit import cyrl_to_latn
from kzkg_tools.translit.repair import pronouns

# Languages whose names are capitalised in Cyrillic or Latin letters: persons and
# capitalised organisation names are found there.
CAPITALISED = ("en", "ru", "kk-Cyrl")
# Languages without capitals: an organisation head is bound to a gazetteer place.
ANCHORED = ("zh-Hans", "zh-Hant", "ar")
# Subtypes a Chinese or Arabic organisation name may be bound to.
PLACES = {"country", "city", "region", "place"}
# How many characters may stand between a Chinese place and its head (英国国家统计局); none
# of them a conjunction or 的, which join two names or a name and a noun phrase.
ZH_CHARS_AFTER_PLACE = 4
_ZH_NOT_IN_NAME = "与和及、的同跟"
# English determiners a capitalised run starts with that are not part of a name (The Council).
_EN_DETERMINERS = {"The", "A", "An", "This", "That", "These", "Those"}
# How many capitalised words after an English title are the person's name at most
# (Christine Blasey Ford); one word alone (President Trump, Mr. Adams) is the surname, and
# the full name when the document named that person before (`later_mentions`).
TITLED_WORDS = 3
# Languages where the words after a title are the name as it is (no case endings to cut).
TITLED = ("en",)
# English words that link a head and its place (Government of the United Kingdom).
_EN_LINKS = {"of", "the", "for"}

# Given names for Cyrillic text: the dictionary forms of OpenCorpora's `Name` lexemes
# (built by data/facts/build_given_names.py). Kazakh writes foreign and Russian given names
# as Russian does, and its own (Нұрсұлтан) with letters Russian spells otherwise
# (`_KK_TO_RU`).
GIVEN_NAMES = "facts/given_names_ru.txt.gz"
GIVEN = ("ru", "kk-Cyrl")
_KK_TO_RU = str.maketrans("әғқңөұүһі", "агкноуухи")
# The shortest stem a case ending is cut from (as entities.MIN_STEM): a shorter one would
# read too many words as a name's forms.
MIN_STEM = 3
# Final letters a Russian given name drops before a case ending (Тереза → Терезой, Юрий →
# Юрия); other names keep their whole form as the stem (Дональд → Дональда).
_RU_SOFT = "аяйь"
# A patronymic between a given name and a surname (Владимир Владимирович Путин, Нұрсұлтан
# Әбішұлы Назарбаев): the suffixes of Russian and Kazakh patronymics, before a case ending.
_PATRONYMIC = ("вич", "вн", "ичн", "ұлы", "қызы")
# A Kazakh case ending cut from a surname has at least two letters: the one-letter endings
# (а, е, н, ы, і) end too many uninflected foreign surnames (Фриман, Кавано).
KK_MIN_SURNAME_ENDING = 2
# Kazakh endings after a surname named again: case, possessive and plural stack (Трамптың,
# Трамптардың); two cover a name's forms in news text.
KK_MAX_ENDINGS = 2

# English given names: the 1990 US Census first names, flagged where the name is also a
# common word (data/facts/given_names_en.tsv).
GIVEN_NAMES_EN = "facts/given_names_en.tsv"
# A headline in title case (Elizabeth Warren Will Take "Hard Look" At Running) says nothing
# by its capitals: a line of at least HEADLINE_MIN_WORDS words of four letters or more, all
# capitalised, gets no English person by given name. (Running text has a lower-case verb
# or noun of four letters among so many words.)
HEADLINE_MIN_WORDS = 4

_ROMAN = {"ru": "Russian-Latin/BGN; Latin-ASCII"}
# Spelling differences between transliteration systems and English spellings, folded
# before vowels are dropped: the consonant skeleton that is left is what a name's
# versions share (Назарбаев / Nazarbayev → nzrbv; Фриман / Freeman → frmn; 格雷厄姆 /
# Graham → grm, l and r being one sound in Chinese transliteration).
_KEY_FOLDS = (
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", ""),
    ("ph", "f"),
    ("ch", "k"),
    ("sh", "s"),
    ("ts", "s"),
    ("c", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("f", "v"),
    ("w", "v"),
    ("l", "r"),
)


@owned("icu")
def _transform(name: str) -> icu.Transliterator:
    return icu.Transliterator.createInstance(name)


def latin(text: str, lang: str) -> str:
    """A name in ASCII Latin letters, each word capitalised (Джин Фриман → Dzhin Friman)."""
    if lang == "en":
        return _transform("Latin-ASCII").transliterate(text)
    if lang == "kk-Cyrl":
        text = cyrl_to_latn(text)
    out = _transform(_ROMAN.get(lang, "Any-Latin; Latin-ASCII")).transliterate(text)
    out = regex.sub(r"[^\x20-\x7e]", "", out)  # what Latin-ASCII keeps (ʿ for ع)
    return " ".join(w[:1].upper() + w[1:] for w in out.split())


def latin_key(value: str) -> str:
    """The cross-script comparison key of a name: its Latin consonant skeleton.

    ASCII Latin lower case (ICU), letters only, transliteration variants folded
    (`_KEY_FOLDS`), vowels, y and h dropped, doubled letters single. A value with no
    consonant left is its own key.
    """
    letters = _NOT_LETTER.sub("", _transform("Any-Latin; Latin-ASCII; Lower").transliterate(value))
    return skeleton(letters) or value


_NOT_LETTER = regex.compile(r"[^a-z]")
_VOWEL = regex.compile(r"[aeiouyh]")
_DOUBLE = regex.compile(r"(.)\1+")


def skeleton(letters: str) -> str:
    """`latin_key` of a word already in lower-case ASCII letters ("" if no consonant is left):
    the diff keys many runs of words it has transliterated once."""
    for a, b in _KEY_FOLDS:
        letters = letters.replace(a, b)
    return _DOUBLE.sub(r"\1", _VOWEL.sub("", letters))


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@owned("facts-lexicon")
def _patterns(lang: str) -> dict[str, regex.Pattern[str]]:
    """The person and organisation patterns of one capitalised language."""
    endings = _alt([e.surface for e in lexicon.words(lang, "case_ending")] + ["'s", "’s"])
    suffixes = _alt([e.surface for e in lexicon.words(lang, "surname_suffix")])
    heads = _alt([e.surface for e in lexicon.words(lang, "org_head")])
    up, lo, edge, end = r"\p{Lu}", r"\p{Ll}", rf"(?<!{LETTER})", rf"(?!{LETTER})"
    word = rf"{up}{lo}+(?:-{up}{lo}+)?"
    # a word of a name after a title: also McConnell, O'Rourke, Yong-ho
    named = rf"{up}[\p{{L}}'’]*{lo}(?:-\p{{L}}+)?"
    sur = rf"(?P<sur>{up}{lo}+?(?:{suffixes}))(?P<sfx>(?:{endings}){{0,3}})"
    cap = rf"{up}[\p{{L}}\p{{M}}’'-]*"  # a capitalised word or an acronym (ООН, NHS)
    out = {
        # one initial only before a surname with a surname ending (Т. Дадабаев, not the
        # citation `Дюшекеев, Д. Интервью`); two before any capitalised word
        "initials": regex.compile(
            rf"{edge}(?:(?P<init>{up}\.\s?{up}\.)\s?(?P<sur>{up}{lo}{{2,}}(?:-{up}{lo}+)?)"
            rf"|(?P<init>{up}\.)\s?{sur}){end}"
        ),
        "initials_after": regex.compile(
            rf"{edge}(?P<sur>{up}{lo}{{2,}})\s+(?P<init>{up}\.\s?{up}\.)(?!\s?{up})"
        ),
        "given": regex.compile(rf"{edge}(?P<given>{word})\s+{sur}{end}"),
        # a title, then a given name and a surname (Senator Lindsey Graham)
        "titled": regex.compile(
            rf"{edge}(?:{_alt([e.surface for e in lexicon.words(lang, 'person_title')])})\.?"
            rf"\s+(?P<name>{named}(?:\s+{named}){{0,{TITLED_WORDS - 1}}}){end}"
        ),
        "surname": regex.compile(sur),
        # cues: a sentence without them cannot match, and most sentences have none
        "initials_cue": regex.compile(rf"{up}\."),
        "given_cue": regex.compile(rf"{lo}(?:{suffixes})"),
    }
    if lang == "kk-Cyrl":  # head last after capitalised words: Біріккен Ұлттар Ұйымы
        out["org"] = regex.compile(
            rf"{edge}(?P<org>(?:{cap}\s+)+(?P<head>(?i:{heads}))(?:{endings}){{0,3}}){end}"
        )
    elif lang == "ru":  # a capitalised head with capitalised words after it: Комитет Ассамблеи
        stems = _alt([_ru_stem(e.surface) for e in lexicon.words(lang, "org_head")])
        heads = stems
        out["org"] = regex.compile(
            rf"{edge}(?P<org>(?:{cap}\s+)*(?P<head>(?i:{stems}))(?:{endings})?(?:\s+{cap})+){end}"
        )
    else:  # en: capitalised words and the head, then `of/for/on (the) …`
        # `on` is left out: `Congress on Thursday`
        tail = rf"(?:\s+(?:of|for)\s+(?:the\s+)?{cap}(?:\s+(?:and\s+)?{cap})*)"
        out["org"] = regex.compile(
            rf"{edge}(?P<org>(?:{cap}\s+)+(?:{heads}){tail}?|(?:{heads}){tail}){end}"
        )
    out["org_cue"] = regex.compile(rf"(?i:{heads})")
    return out


class _Cue:
    """Whether a text can hold a match: one of a list of words occurs in it (folded,
    `trie.fold`). One automaton pass instead of a search of the words' alternation, which the
    `regex` module tries word by word at every character.

    The fold is coarser than the pattern's own matching (case-sensitive, or IGNORECASE), so a
    text the cue rules out cannot match; one it lets through may still not.
    """

    def __init__(self, words: list[str]) -> None:
        self._words = (
            trie.Prefilter({trie.fold(w) for w in words}) if words and all(words) else None
        )

    def __call__(self, text: str, fallback: regex.Pattern[str]) -> bool:
        if self._words is None:  # no words (or an empty one): the pattern's own cue
            return fallback.search(text) is not None
        return self._words.occurs(text)


@owned("facts-lexicon")
def _org_cue(lang: str) -> _Cue:
    """The organisation heads (Russian: their stems) as a cue, like `_patterns`' `org_cue`."""
    heads = [e.surface for e in lexicon.words(lang, "org_head")]
    return _Cue([_ru_stem(h) for h in heads] if lang == "ru" else heads)


def _ru_stem(word: str) -> str:
    """A Russian head noun without its ending (Организация → Организац), as entities does."""
    for ending in sorted((e.surface for e in lexicon.words("ru", "case_ending")), key=len)[::-1]:
        if word.casefold().endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


@owned("facts-lexicon")
def _titles(lang: str) -> frozenset[str]:
    return frozenset(e.surface for e in lexicon.words(lang, "person_title"))


@owned("gazetteer")
def _acronyms() -> frozenset[str]:
    """The gazetteer's acronyms in any language: U.S. is no pair of initials."""
    return frozenset(
        f for forms in entries().values() for f in forms if f.isupper() and f.isalpha()
    )


def _persons(text: str, lang: str) -> Iterator[Candidate]:
    pats = _patterns(lang)
    for kind in ("initials", "initials_after") if pats["initials_cue"].search(text) else ():
        for m in pats[kind].finditer(text):
            letters = m.group("init").replace(" ", "").replace(".", "")
            if letters in _acronyms():
                continue
            initials = " ".join(f"{c}." for c in letters)
            yield _person(m.start(), m.end(), f"{initials} {_surname(m.group('sur'), lang)}", lang)
    if lang in TITLED:
        yield from _titled(text, lang)
    if lang in GIVEN:
        yield from _given_surname(text, lang)
        if lang == "ru":
            yield from _titled_cyrillic(text, lang)
        yield from _titled_surname_cyrillic(text, lang)
    elif lang in TITLED:
        yield from _given_surname_en(text, lang)
    for m in pats["given"].finditer(text) if pats["given_cue"].search(text) else ():
        given = m.group("given")
        if given in _titles(lang):  # Президент Назарбаев: the surname alone
            yield _person(m.start("sur"), m.end(), m.group("sur"), lang)
        else:
            yield _person(m.start(), m.end(), f"{given} {m.group('sur')}", lang)


def _titled(text: str, lang: str) -> Iterator[Candidate]:
    """A given name and surname after a title (Judge Brett Kavanaugh, Prime Minister Theresa May).

    The name stops before a weekday (Ri Yong Ho Saturday: news style) and is no name when
    one of its words is an organisation head or a title (General Assembly, Secretary
    General), which the organisation pattern or the next title takes. One word alone is
    the surname (President Trump, Mr. Adams's), not a month (Prime Minister May) or a
    place word, its possessive cut; `later_mentions` gives it the full name named before.
    """
    stop = lexicon.weekday_names(lang)
    blocked = _blocked(lang)
    alone = _not_surnames(lang)
    titled = _patterns(lang)["titled"]
    for m in titled.finditer(text, overlapped=True) if _titles_cue(lang).occurs(text) else ():
        words = m.group("name").split()
        kept = list(itertools.takewhile(lambda w: w.casefold() not in stop, words))
        if not kept or any(w.casefold() in blocked or _brand(w) for w in kept):
            continue
        spans = [w.span() for w in regex.finditer(r"\S+", text[: m.end()], pos=m.start("name"))]
        start, end = spans[0][0], spans[len(kept) - 1][1]
        if len(kept) == 1:
            surname = regex.sub(r"['’]s$", "", kept[0])
            if surname.casefold() in alone or len(surname) < MIN_STEM or _brand(surname):
                continue
            if _PARTICLE_AFTER.match(text, spans[0][1]):
                continue  # a given name before al-Assad, bin Salman: the name goes on
            yield _surname_alone(start, start + len(surname), surname, lang, surname)
            continue
        yield _person(start, end, " ".join(kept), lang)


# A lower-case particle that continues a name after a title's one word (Bashar al-Assad,
# Mohammed bin Salman, Ursula von der Leyen).
_PARTICLE_AFTER = regex.compile(r"\s+(?:\p{Ll}{1,3}-|(?:bin|ibn|von|van|de|da|di|del|der)\s)")


def _brand(word: str) -> bool:
    """A word with a capital inside (PawPaw, iPhone, YouTube) but a Scottish or Irish
    surname's (McConnell, MacLeod): a brand's name, no surname."""
    return regex.search(r"\p{Ll}\p{Lu}", word) is not None and not word.startswith(("Mc", "Mac"))


@owned("facts-lexicon")
def _blocked(lang: str) -> frozenset[str]:
    """Organisation heads and titles, casefolded: no word of a person's name."""
    return frozenset({h for h, _ in _heads(lang)} | {t.casefold() for t in _titles(lang)})


@owned("facts-lexicon")
def _not_surnames(lang: str) -> frozenset[str]:
    """`_blocked`, months, weekdays and place words: no surname named alone."""
    return _blocked(lang) | _calendar_words(lang) | _place_words(lang)


def _surname_alone(start: int, end: int, name: str, lang: str, surname: str) -> Candidate:
    """A person named by the surname alone after a title; `later_mentions` may complete it."""
    c = _person(start, end, name, lang, surname)
    c.parts["alone"] = True
    return c


@owned("facts-lexicon")
def _place_words(lang: str) -> frozenset[str]:
    """The language's place words (`place_word` rows), casefolded: no surname (Street)."""
    return frozenset(e.surface.casefold() for e in lexicon.words(lang, "place_word"))


@owned("facts-lexicon")
def _given_names() -> tuple[frozenset[str], dict[str, str]]:
    """The given names (case folded, ё as е), and each Russian stem's dictionary form."""
    names = frozenset(n.replace("ё", "е") for n in tables.lines(GIVEN_NAMES, comment=None))
    stems: dict[str, str] = {}
    # Александр before Александра: the shorter stands; names of one length in alphabetical
    # order, so a stem two names share (поль, поля) has the same dictionary form in every
    # process (a frozenset's order follows the hash seed)
    for name in sorted(names, key=lambda n: (len(n), n)):
        if name[-1] in _VOWELS and name[-1] not in _RU_SOFT:
            continue  # a name ending in another vowel does not decline (Томми, Джо, Юри)
        stem = name[:-1] if name[-1] in _RU_SOFT and len(name) > MIN_STEM else name
        stems.setdefault(stem, name)
    return names, stems


@owned("facts-lexicon")
def _ru_endings() -> list[str]:
    """The Russian case endings, longest first."""
    return sorted((e.surface for e in lexicon.words("ru", "case_ending")), key=len, reverse=True)


def given_name(word: str, lang: str) -> tuple[str, str] | None:
    """A word read as a given name: (its dictionary form, the case ending it took: "" for none).

    Russian given names take case endings (Дональда, Терезой, Юрия: the stem of the
    dictionary form plus an ending of the language table); a Kazakh given name before a
    surname does not inflect, and is looked up with its Kazakh letters read as Russian
    ones (Нұрсұлтан → нурсултан).
    """
    names, stems = _given_names()
    w = word.casefold().replace("ё", "е")
    if lang == "kk-Cyrl":
        w = w.translate(_KK_TO_RU)
    if w in names:
        return w, ""
    if lang != "ru":
        return None
    for ending in _ru_endings():
        if w.endswith(ending) and len(w) - len(ending) >= MIN_STEM:
            if (name := stems.get(w[: -len(ending)])) is not None:
                return name, ending
    return None


@owned("facts-lexicon")
def _given_pattern(lang: str) -> regex.Pattern[str]:
    """Two capitalised Cyrillic words, with a patronymic between them or not."""
    up, lo = r"[\p{Lu}&&\p{Cyrillic}]", r"[\p{Ll}&&\p{Cyrillic}]"
    endings = _alt([e.surface for e in lexicon.words(lang, "case_ending")])
    word = rf"{up}{lo}+(?:-{up}{lo}+)?"
    patronymic = rf"{up}{lo}+(?:{_alt(list(_PATRONYMIC))})(?:{endings})?"
    return regex.compile(
        rf"(?<!{LETTER})(?P<given>{up}{lo}+)\s+(?:(?P<mid>{patronymic})\s+)?"
        # not before a hyphen or another capitalised word: Ким Чен Ын, Мун Чжэ-ин are
        # names of three parts whose surname comes first
        rf"(?P<sur>{word})(?![-\p{{L}}]|\s+{up})",
        regex.V1,
    )


@owned("facts-lexicon")
def _name_stops(lang: str) -> frozenset[str]:
    """Capitalised words that are no part of a person's name: titles, months, weekdays."""
    return _titles(lang) | {w.title() for w in _calendar_words(lang)}


def _given_surname(text: str, lang: str) -> Iterator[Candidate]:
    """A known given name, a capitalised surname after it (Линдси Грэм, Дональда Трампа).

    The value is the given name's dictionary form and the surname in the nominative as far
    as endings tell it: a Russian surname loses the ending its given name took, or any
    ending with a consonant (Дональда Трампа, Владимиром Путиным → Путин; Брета Кавано stays
    Кавано), a Kazakh one its case ending (Грэмнің → Грэм). An inflected given name at
    the start of a sentence is left out: there a capital says nothing, and a common
    word's form may look like a name's (Марка). Titles and month names are no surnames.
    """
    stop = _name_stops(lang)
    for m in _given_pattern(lang).finditer(text, overlapped=True):
        found = given_name(m.group("given"), lang)
        if found is None or m.group("sur") in stop or m.group("given") in stop:
            continue
        name, ending = found
        if ending and _at_sentence_start(text, m.start()):
            continue
        surname = surname_stem(m.group("sur"), lang, name, ending)
        value = f"{name.capitalize()} {surname}"
        yield _person(m.start(), m.end(), value, lang, surname)


@owned("facts-lexicon")
def _given_names_en() -> dict[str, bool]:
    """English given name → whether it is also a common word (Bill, Grant)."""
    return {row[0]: len(row) > 1 and row[1] == "common" for row in tables.rows(GIVEN_NAMES_EN)}


@owned("facts-lexicon")
def _given_pattern_en() -> regex.Pattern[str]:
    """A capitalised word, a middle initial or none, a capitalised surname (O'Rourke)."""
    up, lo = r"\p{Lu}", r"\p{Ll}"
    named = rf"{up}[\p{{L}}'’]*{lo}(?:-\p{{L}}+)?"
    return regex.compile(
        rf"(?<!{LETTER})(?P<given>{up}{lo}+)\s+(?:(?P<mid>{up}\.)\s+)?(?P<sur>{named})"
        rf"(?![-\p{{L}}])(?P<after>\s+(?P<third>{up}\p{{L}}*(?:['’]\p{{L}}+)?))?"
        rf"(?P<fourth>\s+{up})?"
    )


def _headline(text: str) -> bool:
    words = regex.findall(r"\p{L}{4,}", text)
    return len(words) >= HEADLINE_MIN_WORDS and all(w[0].isupper() for w in words)


def _given_surname_en(text: str, lang: str) -> Iterator[Candidate]:
    """A known English given name and a capitalised surname (Brett Kavanaugh, John F. Kennedy,
    Christine Blasey Ford).

    Not in a title-case headline; a given name that is also a common word (Bill, Grant) at
    a sentence start only when its surname is followed by no third capitalised word (`Bill
    Gates said`, not `Will Congress Act`); a third capitalised word after the surname is
    a part of the name (Christine Blasey Ford, Kim Jong Un) when no fourth one follows
    (Elizabeth Warren Will Take), unless it is a weekday or month (news style: Brett
    Kavanaugh Monday) or comes after a possessive (Gwyneth Paltrow's Goop); the surname no
    title, organisation head, month or weekday. A possessive 's is no part of the surname.
    """
    known = _given_names_en()
    if _headline(text):
        return
    calendar = _calendar_words(lang)
    blocked = _not_surnames(lang)
    for m in _given_pattern_en().finditer(text, overlapped=True):
        common = known.get(m.group("given"))
        if common is None or m.group("given").casefold() in blocked:
            continue
        if len(m.group("given")) < MIN_STEM:
            continue  # Go, Al, Le: two letters begin too many other capitalised runs
        # a capitalised word right before: the given name is a later part of a longer name
        # (Kim Jong Un), or a title the title rule reads; not a sentence's first word (Then)
        before = _word_before(text, m.start())
        titled = before is not None and _abbreviated_title(text, before)
        if before is not None and not titled and not _sentence_initial_word(text, before, lang):
            continue
        possessive = regex.search(r"['’]s$", m.group("sur")) is not None
        third = m.group("third")
        words = [m.group("given"), *(m.group("mid") or "").split()]
        end_group = "sur"
        if third and not possessive and third.casefold() not in calendar:
            # a common word's given name (Johnny English Reborn, German Navy Base) begins a
            # name of three only after a title (Rev. John Howard Johnson)
            if m.group("fourth") or (common and not titled):
                continue
            # a name of three parts: the middle one is a name's word, not a title or head
            if m.group("sur").casefold() in blocked:
                continue
            words.append(m.group("sur"))
            end_group = "third"
        surname = regex.sub(r"['’]s$", "", m.group(end_group))
        # a name's last part of three may be short (Kim Jong Un), a surname after a given
        # name alone not
        shortest = MIN_STEM if end_group == "sur" else MIN_STEM - 1
        if surname.casefold() in blocked or len(regex.sub(r"\P{L}", "", surname)) < shortest:
            # also a contraction (So I'm) or a two-letter word (Yong Ho): no surname read here
            continue
        end = m.start(end_group) + len(surname)
        yield _person(m.start(), end, " ".join([*words, surname]), lang)


@owned("facts-lexicon")
def _title_stems_cue(lang: str) -> trie.Prefilter:
    """The Russian titles' stems as a cue (судьи: судь), as `_titles_cue`."""
    return trie.Prefilter({trie.fold(_ru_stem(t)) for t in _titles(lang)})


@owned("facts-lexicon")
def _titled_pattern(lang: str) -> regex.Pattern[str]:
    """A title in any case with its endings (судьи, сенатором, сенаторы), then two
    capitalised Cyrillic words not followed by a third or a hyphen."""
    endings = _alt([e.surface for e in lexicon.words(lang, "case_ending")])
    stems = [_ru_stem(t) if lang == "ru" else t for t in _titles(lang)]
    up, lo = r"[\p{Lu}&&\p{Cyrillic}]", r"[\p{Ll}&&\p{Cyrillic}]"
    word = rf"{up}{lo}+"
    return regex.compile(
        rf"(?<!{LETTER})(?i:{_alt(stems)})(?:{endings}){{0,2}}\s+(?P<given>{word})\s+"
        rf"(?P<sur>{word})(?![-\p{{L}}]|\s+{up})",
        regex.V1,
    )


def _titled_cyrillic(text: str, lang: str) -> Iterator[Candidate]:
    """A given name and a surname after a Russian title, the given name known or not
    (судьи Бретта Кавано, сенатор Дайэнн Файнстайн; titles are `person_title` rows, in any
    case and with their endings). Kazakh is not read this way: with its fixed word order
    and the surname's case ending, `Президент Трамп Каваноға` is two persons.

    A known given name gives its dictionary form and ending (`given_name`); an unknown one
    stays as written, and the Russian ending it ends with, if any, stands for its case when
    the surname's ending is cut (`surname_stem`).
    """
    if not _title_stems_cue(lang).occurs(text):
        return
    stop = _name_stops(lang)
    for m in _titled_pattern(lang).finditer(text, overlapped=True):
        given, sur = m.group("given"), m.group("sur")
        if given in stop or sur in stop:
            continue
        found = given_name(given, lang)
        if found is not None:
            name, ending = found[0].capitalize(), found[1]
        else:
            name = given
            low = given.casefold()
            ending = next((e for e in _ru_endings() if low.endswith(e)), "") if lang == "ru" else ""
        surname = surname_stem(sur, lang, name.casefold(), ending)
        yield _person(m.start("given"), m.end(), f"{name} {surname}", lang, surname)


# Kazakh titles written after the name (Адамс мырза "Mr Adams", Мэй ханым "Mrs May").
_KK_POSTPOSED = ("мырза", "ханым")


@owned("facts-lexicon")
def _titled_surname_pattern(lang: str) -> regex.Pattern[str]:
    """A title in any case (its endings in `tend`) and one capitalised Cyrillic word not
    followed by another or a hyphen; in Kazakh also a capitalised word before a title
    written after the name (`_KK_POSTPOSED`)."""
    endings = _alt([e.surface for e in lexicon.words(lang, "case_ending")])
    stems = [_ru_stem(t) if lang == "ru" else t for t in _titles(lang)]
    up, lo = r"[\p{Lu}&&\p{Cyrillic}]", r"[\p{Ll}&&\p{Cyrillic}]"
    word = rf"{up}{lo}{{2,}}"
    after = ""
    if lang == "kk-Cyrl":
        after = rf"|(?<!{LETTER})(?P<sur>{word})\s+(?:{_alt(list(_KK_POSTPOSED))})"
        after += rf"(?:{endings}){{0,2}}(?!{LETTER})"
    return regex.compile(
        rf"(?<!{LETTER})(?i:{_alt(stems)})(?P<tend>(?:{endings}){{0,2}})\s+"
        rf"(?P<sur>{word})(?![-\p{{L}}]|\s+{up}){after}",
        regex.V1,
    )


def _titled_surname_cyrillic(text: str, lang: str) -> Iterator[Candidate]:
    """A surname alone after a title (президента Трампа, Президент Трамптың, г-на Сутопо),
    and in Kazakh before a title written after it (Адамс мырза).

    The surname loses the case ending its title took (президента Трампа → Трамп), in
    Kazakh its own case ending (`surname_stem`); a title, month or weekday is no surname.
    Like an English one (`_titled`), `later_mentions` gives it the full name named before.
    """
    if not _title_stems_cue(lang).occurs(text) and not (
        lang == "kk-Cyrl" and any(t in text for t in _KK_POSTPOSED)
    ):
        return
    stop = _name_stops(lang)
    heads = [h for h, _ in _heads(lang)]
    for m in _titled_surname_pattern(lang).finditer(text):
        sur = m.group("sur")
        if sur in stop or given_name(sur, lang) is not None:
            continue  # a given name alone after a title is no surname (президент Дональд)
        if any(sur.casefold().startswith(h) for h in heads):
            continue  # the body the title heads (Председатель Общества, Басшы Комитеті)
        tend = m.group("tend") or ""
        if lang == "ru" and (sur.endswith("ы") or (sur.endswith("и") and tend != "и")):
            continue  # a genitive the title governs (губернатор Айовы, губернатора Аляски)
        surname = surname_stem(sur, lang, "", tend)
        if lang == "kk-Cyrl" and surname_stem(surname, lang) != surname:
            continue  # a plural and a case ending (Президент Республикандықтардың): a noun
        yield _surname_alone(m.start("sur"), m.end("sur"), surname, lang, surname)


def surname_stem(word: str, lang: str, given: str = "", given_ending: str = "") -> str:
    """A Cyrillic surname without the case ending it took after its given name (`given`,
    its dictionary form, took `given_ending`)."""
    if lang == "kk-Cyrl":
        for ending in _kk_endings():
            stem = word[: -len(ending)]
            if word.endswith(ending) and len(stem) >= MIN_STEM and kk_ending_fits(stem, ending):
                return stem
        return word
    if not given_ending:
        # an indeclinable given name (Линдси, Томми) leaves the case to the surname: the
        # instrumental is the ending no nominative surname has (Грэмом, Флитвудом)
        indeclinable = given[-1:] in _VOWELS and given[-1:] not in _RU_SOFT
        for ending in _RU_INSTRUMENTAL if indeclinable else ():
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                return word[: -len(ending)]
        return word
    for ending in _ru_endings():
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            if ending == given_ending or not all(c in _VOWELS for c in ending):
                return word[: -len(ending)]
            break
    return word


# Kazakh vowel harmony: an ending's vowel is back after a back vowel, front after a front
# one (Трамптың, Грэмнің); и, у, ю, я, ё are read either way in foreign names.
_KK_BACK, _KK_FRONT = frozenset("аоұы"), frozenset("әеіөүэ")
_KK_VOWELS = _KK_BACK | _KK_FRONT | frozenset("иуюяё")
# Kazakh consonant assimilation: an ending beginning with д, ғ, г, б or л never follows a
# voiceless consonant (Трамптың, not Трампдың); one beginning with т, қ, к or п follows
# a consonant (voiced finals of foreign names are read voiceless: Армстронгтың).
_KK_VOICELESS = frozenset("пткқсшфхцчщ")
_KK_AFTER_VOICED = frozenset("дғгбл")
_KK_AFTER_CONSONANT = frozenset("тқкп")


def kk_ending_fits(stem: str, ending: str) -> bool:
    """Whether a Kazakh case ending can follow `stem` (vowel harmony and assimilation), so
    that Байден, Хантер, Чейслер are not read as Бай+ден, Хан+тер, Чейс+лер."""
    low = stem.casefold()
    vowels = [c for c in low if c in _KK_VOWELS]
    last = vowels[-1] if vowels else ""
    end_vowels = {c for c in ending if c in _KK_VOWELS}
    if (last in _KK_BACK and end_vowels & _KK_FRONT) or (
        last in _KK_FRONT and end_vowels & _KK_BACK
    ):
        return False
    final, first = low[-1:], ending[:1]
    if first in _KK_AFTER_VOICED and final in _KK_VOICELESS:
        return False
    return not (first in _KK_AFTER_CONSONANT and final in _KK_VOWELS)


_VOWELS = frozenset("аеёиоуыэюя")
_RU_INSTRUMENTAL = ("ом", "ем", "ём", "ым")


@owned("facts-lexicon")
def _kk_endings() -> list[str]:
    """The Kazakh case endings a surname may lose (`KK_MIN_SURNAME_ENDING`), longest first."""
    rows = lexicon.words("kk-Cyrl", "case_ending")
    return sorted(
        (e.surface for e in rows if len(e.surface) >= KK_MIN_SURNAME_ENDING), key=len, reverse=True
    )


def later_mentions(
    text: str,
    lang: str,
    found: list[Candidate],
    persons: dict[str, str | None],
    pairs: Pairs | None = None,
) -> list[Candidate]:
    """A person named before in the document, named again by the surname alone.

    `persons` maps each surname of a full name found so far, as the text writes it
    (Lindsey Graham → Graham; Дональда Трампа → Трамп), to that name, or to None once two
    persons share it; it is updated with the persons of `found`. A surname counts as a
    whole capitalised word outside the names already found, not next to another
    capitalised word but a title or a sentence's first word that is no given name
    (`Tiffany Lee` is someone else; `Mr Graham`, `Later Graham`, `Позже Трампа` are
    Graham, Трамп), and not a month or weekday (Theresa May, `in May`). In Russian and
    Kazakh it may take the language's case endings (Трампа, Трамптың). Each capitalised
    word of the text is looked up, with its endings cut, so the time does not grow with
    the number of persons.

    `pairs` (updated like `persons`) maps the last word of each two capitalised words in
    a row that no rule read (`_unread_pairs`: Xherdan Shaqiri, Тарой Кэпп, a given name
    in no list) to the two words: when that word comes back alone, the two were a
    person's name, and the word alone is that person (a person named by the surname
    alone is what makes a pair a name: places and organisations are not named by their
    last word). A person of `persons` comes first; in English not after `the` (the House).
    """
    if lang not in TITLED and lang not in GIVEN:
        return []
    out: list[Candidate] = []
    taken = [(c.start, c.end) for c in found]
    titles = _titles(lang)
    known = {k: v for k, v in persons.items() if v is not None} if persons else {}
    named = pairs is not None and bool(pairs.names)
    for m in _CAPITALISED.finditer(text) if known or named else ():
        value = _known_surname(m.group(), lang, known) if known else None
        if value is None and named:
            value = pairs.lookup(m.group(), lang)  # type: ignore[union-attr]
            if value is not None and _after_article(text, m.start(), lang):
                value = None
        if value is None or any(s < m.end() and m.start() < e for s, e in taken):
            continue
        # a capitalised word right before (no punctuation between) or right after
        before = _word_before(text, m.start())
        if before is not None and _sentence_initial_word(text, before, lang):
            before = None  # Позже Трампа: the capital is the sentence's
        if (before is not None and before[2] not in titles) or _CAPITAL_AFTER.match(text, m.end()):
            continue
        out.append(_person(m.start(), m.end(), value, lang))
        taken.append((m.start(), m.end()))
    for c in found:
        # a surname alone after a title (Mr. Adams, президента Трампа) is the person named
        # before by that surname
        if c.parts.pop("alone", False) and (
            value := _known_surname(c.parts["surname"], lang, known)
        ):
            c.value = value
    if pairs is not None:
        pairs.read(text, lang, taken, persons)
    calendar = _calendar_words(lang)
    for c in found:
        words = c.value.split()
        surname = c.parts.get("surname") or words[-1]
        if c.subtype == "person" and len(words) >= 2 and surname.casefold() not in calendar:
            first = persons.setdefault(surname, c.value)
            if first != c.value:
                persons[surname] = None
    return out


# An acronym defined in parentheses after a name: Federal Bureau of Investigation (FBI),
# Федеральное бюро расследований (ФБР); two to six capitals (as entities' acronyms).
_DEFINED = regex.compile(r"\s*\((?P<abbr>\p{Lu}{2,6})\)")
# An acronym used bare: a whole word of capitals, in Kazakh with case endings after a
# hyphen (ФБР-дың), as the gazetteer's acronyms take them.
_BARE = regex.compile(
    r"(?<![\p{L}\p{M}\d])(?P<abbr>\p{Lu}{2,6})(?:-\p{Ll}{1,5})?(?![\p{L}\p{M}\d])"
)
# Lower-case words an acronym skips (of, the, по, и, в): three letters or fewer.
ACRONYM_SKIPS = 3


def acronyms(
    text: str,
    lang: str,
    found: list[Candidate],
    table: dict[str, tuple[str, str | None, str | None] | None],
) -> list[Candidate]:
    """Acronyms a document defines, and their later bare uses.

    `Name (ABBR)`: the name is the entity that ends right before the parenthesis (an
    organisation found by pattern or the gazetteer), or else the words before it whose
    initials spell the acronym, the first capitalised and short lower-case words skipped
    (Federal Bureau of Investigation, Федеральное бюро расследований: an organisation
    named by those words). The acronym in the parenthesis is a mention of that entity,
    and so is a later bare use of it (`table`, updated, maps each acronym to the value,
    subtype and id, None once two names define it). An acronym the gazetteer knows is
    its entity already.
    """
    if lang not in CAPITALISED:
        return []
    out: list[Candidate] = []
    taken = [(c.start, c.end) for c in found]
    for m in _DEFINED.finditer(text) if "(" in text else ():
        abbr = m.group("abbr")
        named = [c for c in found if c.end == m.start() and c.subtype in _DEFINABLE]
        if named:
            entity = max(named, key=lambda c: c.end - c.start)
        elif (entity := _spelled(text, m.start(), abbr, lang)) is not None:
            if any(s < entity.end and entity.start < e for s, e in taken):
                continue
            out.append(entity)
        else:
            continue
        entry = (entity.value, entity.subtype, entity.id)
        if table.setdefault(abbr, entry) != entry:
            table[abbr] = None
        start = m.start("abbr")
        if not any(s < m.end("abbr") and start < e for s, e in taken):
            out.append(_acronym(start, m.end("abbr"), entry))
        taken.append((entity.start, m.end()))
    for m in _BARE.finditer(text) if table else ():
        entry = table.get(m.group("abbr"))
        if entry is None or any(s < m.end() and m.start() < e for s, e in taken):
            continue
        out.append(_acronym(m.start(), m.end("abbr"), entry))
    return out


# What an acronym may stand for: organisations and the like, not persons or places.
_DEFINABLE = {"org", "other", "treaty"}


def _acronym(start: int, end: int, entry: tuple[str, str | None, str | None]) -> Candidate:
    return Candidate(start, end, "entity", entry[0], subtype=entry[1], id=entry[2])


def _spelled(text: str, end: int, abbr: str, lang: str) -> Candidate | None:
    """The words right before `end` whose initials spell `abbr` (short lower-case words
    skipped, the first word capitalised), as an organisation."""
    words = list(regex.finditer(r"[\p{L}\p{M}'’-]+", text[:end]))
    if not words or words[-1].end() != len(text[:end].rstrip()):
        return None
    letters: list[str] = []
    for i in range(len(words) - 1, -1, -1):
        w = words[i].group()
        if w[0].islower() and len(w) <= ACRONYM_SKIPS:
            continue
        letters.append(w[0].casefold())
        if len(letters) == len(abbr):
            if "".join(reversed(letters)) != abbr.casefold() or not w[0].isupper():
                return None
            start = words[i].start()
            name = text[start : words[-1].end()]
            return Candidate(start, words[-1].end(), "entity", latin(name, lang), subtype="org")
    return None


class Pairs:
    """Two capitalised words in a row that no rule read, by their last word (`later_mentions`),
    and the lower-case words of the document so far.

    A pair whose first word the document also writes in lower case (Hurricane Rosa after
    `the hurricane`, На Кавано after `на`) is a common word and a name, not a person's two
    names: such a pair names no one when its last word comes back.
    """

    def __init__(self) -> None:
        # surname → (first word, the two words, their language), the value made on use
        self.names: dict[str, tuple[str, str, str] | None] = {}
        self.lower: set[str] = set()

    def read(
        self, text: str, lang: str, taken: list[tuple[int, int]], persons: dict[str, str | None]
    ) -> None:
        """Remember the pairs and lower-case words of one sentence."""
        self.lower.update(_LOWER_WORD.findall(text))
        for first, surname in _unread_pairs(text, lang, taken):
            # a first word that is a surname named before is that person (Трамп Кимнің
            # "Trump [to] Kim"), not a given name
            if surname in persons or _known_surname(first, lang, persons) is not None:
                continue
            entry = (first, f"{first} {surname}", lang)
            if self.names.setdefault(surname, entry) != entry:
                self.names[surname] = None  # two pairs share the word: neither is meant

    def lookup(self, word: str, lang: str) -> str | None:
        """The pair whose last word `word` is, as written or (ru, kk) followed by one case
        ending or (kk) two (Трамптардың), unless its first word was seen in lower case."""
        found = self.names.get(word)
        if found is None and lang in GIVEN:
            endings = _endings_of(lang)
            shortest = max(MIN_STEM, len(word) - 2 * _longest_ending(lang))
            for i in range(len(word) - 1, shortest - 1, -1):
                found = self.names.get(word[:i])
                if found is not None and _ending_chain(word[i:], lang, endings):
                    break
                found = None
        if found is None or found[0].casefold() in self.lower:
            return None
        return latin(found[1], found[2])


# A lower-case word (`Pairs.lower`) of two letters or more (на, the).
_LOWER_WORD = regex.compile(r"\b\p{Ll}{2,}\p{L}*")


# Kazakh endings that make a word a modifier or object of the next (genitive, accusative,
# locative-adjective: Ливерпульдің Челси "Liverpool's Chelsea", Ливерпульді Челси,
# Төмендегі Калифорния): no given name ends so (foreign ones write и, not і or ы).
_KK_MODIFIER = regex.compile(r"(?:[нтд][ыі]ң?|[дт]ағы|[дт]егі)$")
# Quotes before a pair: an organisation's or a work's name («Манчестер Сити», “Dragons Den”).
_OPENING_QUOTES = "«“„\"'‘"


_PAIR = regex.compile(
    r"(?<![\p{L}\p{M}'’.&-])(?P<given>\p{Lu}\p{Ll}+)\s(?P<sur>\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)"
    r"(?!['’\p{L}\p{M}&-]|\s+\p{Lu}|\.\p{L})"
)


def _unread_pairs(text: str, lang: str, taken: list[tuple[int, int]]) -> Iterator[tuple[str, str]]:
    """Two capitalised words in a row that no rule read, not at a sentence start and with
    no capitalised word before or after them: (the last word as a surname, the two as a
    name in Latin letters). Neither word a title, organisation head, place word, month or
    weekday; the surname without its case ending (as `_titled_cyrillic` cuts it)."""
    stop = _not_surnames(lang)
    for m in _PAIR.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        given, sur = m.group("given"), m.group("sur")
        if len(sur) < MIN_STEM:
            continue  # a pronoun or a particle (Wield It, Yong Ho)
        if _at_sentence_start(text, m.start()) or _word_before(text, m.start()) is not None:
            continue
        if m.start() and text[m.start() - 1] in _OPENING_QUOTES:
            continue
        if _after_article(text, m.start(), lang) or (
            lang == "kk-Cyrl" and _KK_MODIFIER.search(given.casefold())
        ):
            continue
        if any(w.casefold() in stop or _starts_with_head(w, lang) for w in (given, sur)):
            continue
        if lang in GIVEN:
            low = given.casefold()
            ending = next((e for e in _ru_endings() if low.endswith(e)), "") if lang == "ru" else ""
            sur = surname_stem(sur, lang, low, ending)
            if lang == "kk-Cyrl" and surname_stem(sur, lang) != sur:
                continue  # a plural and a case ending (Алыптарға "the giants"): a noun
        yield given, sur


def _starts_with_head(word: str, lang: str) -> bool:
    """Whether a Russian word is an organisation head's form (Комитета, Общества's stems)."""
    return lang == "ru" and any(word.casefold().startswith(h) for h, _ in _heads(lang))


@owned("facts-lexicon")
def _longest_ending(lang: str) -> int:
    return max((len(e) for e in _endings_of(lang)), default=0)


_THE_BEFORE = regex.compile(r"(?i:\bthe)\s+$")


def _after_article(text: str, pos: int, lang: str) -> bool:
    """Whether an English word follows `the` (the House, the League): no person's name."""
    return lang == "en" and _THE_BEFORE.search(text, max(0, pos - 8), pos) is not None


# A capitalised word: a surname named again is one (O'Neill, Berners-Lee; Graham's is Graham).
_CAPITALISED = regex.compile(r"(?<![\p{L}\p{M}])\p{Lu}\p{L}*(?:['’-]\p{Lu}\p{L}*)*")


def _known_surname(word: str, lang: str, known: dict[str, str | None]) -> str | None:
    """The person whose surname `word` is, as written or (ru, kk) followed by case endings:
    one Russian ending, up to `KK_MAX_ENDINGS` Kazakh ones."""
    if (value := known.get(word)) is not None or lang not in GIVEN:
        return value
    # each cut of the word's end is looked up, the longest surname first, so the time does
    # not grow with the number of persons the document named (`_ending_chain` takes at most
    # two endings)
    endings = _endings_of(lang)
    for cut in range(len(word) - 1, max(0, len(word) - 2 * _longest_ending(lang)) - 1, -1):
        value = known.get(word[:cut])
        if value is not None and _ending_chain(word[cut:], lang, endings):
            return value
    return None


def _ending_chain(rest: str, lang: str, endings: frozenset[str]) -> bool:
    if rest in endings:
        return True
    if lang == "ru":
        return False
    return any(rest[:i] in endings and rest[i:] in endings for i in range(1, len(rest)))


@owned("facts-lexicon")
def _endings_of(lang: str) -> frozenset[str]:
    return frozenset(e.surface for e in lexicon.words(lang, "case_ending"))


def _at_sentence_start(text: str, pos: int) -> bool:
    """Whether only spaces, after a sentence end and closing quotes, or nothing at all,
    stand before `pos`."""
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i == 0:
        return True
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    return i > 0 and text[i - 1] in _SENTENCE_ENDS


_CLOSERS = "'\"»”)"
_SENTENCE_ENDS = ".!?…"


def _word_before(text: str, pos: int) -> tuple[int, int, str] | None:
    """The capitalised word right before `pos` (spaces and a dot between; the word after
    a space or at the start): (start, end, word), else None."""
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i == pos:
        return None
    if i > 0 and text[i - 1] == ".":
        i -= 1
    end = i
    while i > 0 and (text[i - 1].isalpha()):
        i -= 1
    word = text[i:end]
    if not word or not word[0].isupper() or (i > 0 and not text[i - 1].isspace()):
        return None
    return i, end, word


# The longest capitalised word with a dot before a given name read as an abbreviated title
# (Rev. John Howard Johnson, Capt. Larry Giles, Gov. Jerry Brown): English abbreviates
# titles to three or four letters.
ABBREVIATED_TITLE = 4


def _abbreviated_title(text: str, before: tuple[int, int, str]) -> bool:
    """Whether the capitalised word before a name is an abbreviation with a dot (Rev., Capt.)."""
    return before[1] < len(text) and text[before[1]] == "." and len(before[2]) <= ABBREVIATED_TITLE


def _sentence_initial_word(text: str, before: tuple[int, int, str], lang: str) -> bool:
    """Whether a capitalised word starts the sentence and is no given name (Позже, Later)."""
    if not _at_sentence_start(text, before[0]):
        return False
    if lang in GIVEN:
        return given_name(before[2], lang) is None
    return before[2] not in _given_names_en()


_CAPITAL_AFTER = regex.compile(r"\s+\p{Lu}")


@owned("facts-lexicon")
def _calendar_words(lang: str) -> frozenset[str]:
    """Month and weekday names, casefolded: no surname to look for (May, in May)."""
    return frozenset({*lexicon.month_names(lang), *lexicon.weekday_names(lang)})


@owned("facts-lexicon")
def _titles_cue(lang: str) -> trie.Prefilter:
    """The titles as a cue (`_Cue`): most sentences have none."""
    return trie.Prefilter({trie.fold(t) for t in _titles(lang)})


def _surname(word: str, lang: str) -> str:
    """A surname without the case endings after its surname ending (Строковтың → Строков)."""
    m = _patterns(lang)["surname"].fullmatch(word)
    return m.group("sur") if m else word


def _person(start: int, end: int, name: str, lang: str, surname: str | None = None) -> Candidate:
    """A person; `surname` is the surname as the text writes it (for `later_mentions`)."""
    parts = {"surname": surname} if surname else {}
    return Candidate(start, end, "entity", latin(name, lang), subtype="person", parts=parts)


def _organisations(text: str, lang: str) -> Iterator[Candidate]:
    pats = _patterns(lang)
    for m in pats["org"].finditer(text) if _org_cue(lang)(text, pats["org_cue"]) else ():
        name = m.group("org")
        first, _, rest = name.partition(" ")
        if lang == "en" and first in _EN_DETERMINERS:
            name = rest.lstrip()
        # a possessor is a name of its own (Jeremy Corbyn's Labour Party, China's State Council)
        name = regex.split(r"^.*['’]s\s+", name, maxsplit=1)[-1]
        start = m.end() - len(name)
        words = name.split()
        if len(words) < 2:
            continue
        if lang == "kk-Cyrl" and words[0].casefold() in pronouns():
            continue  # Бұл ұйым "this organisation": a pronoun is no name
        # a Kazakh or Russian head in lower case names a body only next to a place
        # (Ресей үкіметі, правительство Греции: kept if `_composed` finds the place);
        # otherwise it is a common noun (Комиссия ассамблеяны "the commission [named]
        # the assembly")
        lower = lang in ("kk-Cyrl", "ru") and m.group("head")[:1].islower()
        if lang == "en" and not any(w[:1].isupper() for w in words[1:]):
            continue
        yield Candidate(
            start, m.end(), "entity", latin(name, lang), subtype="org", parts={"lower": lower}
        )


@owned("facts-lexicon")
def _anchor(lang: str) -> regex.Pattern[str] | None:
    """The pattern of a head bound to a place: before it (Arabic) or after it (Chinese)."""
    heads = _alt([e.surface for e in lexicon.words(lang, "org_head")])
    if not heads:
        return None
    if lang == "ar":
        # the head right before the place, in the construct state (حكومة المملكة المتحدة,
        # برلمان ويلز); a word between them is most often a preposition (الاتحاد مع كازاخستان)
        return regex.compile(rf"(?<!{LETTER})[وفبلك]?(?:{heads})\s+$")
    between = rf"[^\P{{Han}}{_ZH_NOT_IN_NAME}]"
    return regex.compile(rf"{between}{{0,{ZH_CHARS_AFTER_PLACE}}}?(?:{heads})")


def _anchored(text: str, lang: str, places: list[Candidate]) -> Iterator[Candidate]:
    """Chinese and Arabic organisation names bound to a gazetteer place."""
    pattern = _anchor(lang)
    if pattern is None:
        return
    if lang == "ar":
        before = pattern
        for p in places:
            window = text[max(0, p.start - 80) : p.start]
            if m := before.search(window):
                start = p.start - len(window) + m.start()
                yield Candidate(
                    start, p.end, "entity", latin(text[start : p.end], lang), subtype="org"
                )
        return
    for p in places:
        if m := pattern.match(text, p.end):
            yield Candidate(
                p.start, m.end(), "entity", latin(text[p.start : m.end()], lang), subtype="org"
            )


def find_names(text: str, lang: str, known: list[Candidate]) -> list[Candidate]:
    """Persons and organisations by pattern that no gazetteer mention (`known`) covers.

    A pattern name overlapping a gazetteer name is left to the gazetteer, except that an
    organisation may contain places (Правительство Шотландии: the place is nested in it).
    """
    places = [k for k in known if k.subtype in PLACES]
    if lang in ANCHORED and not places:
        return []
    if lang in CAPITALISED:
        found = [*_persons(text, lang), *_organisations(text, lang)]
    elif lang in ANCHORED:
        found = list(_anchored(text, lang, places))
    else:
        return []
    out: list[Candidate] = []
    for c in sorted(found, key=lambda c: (c.start, -(c.end - c.start))):
        if any(k.start < c.end and c.start < k.end and not _nests(c, k) for k in known):
            continue
        if any(o.start < c.end and c.start < o.end for o in out):
            continue  # overlapping pattern names: the earlier, longer one stands
        if c.subtype == "org" and (value := _composed(text, c, known, lang)):
            c.value = value
        elif c.parts.pop("lower", False) or lang in ANCHORED:
            continue
        c.parts.pop("lower", None)
        out.append(c)
    return out


def _composed(text: str, c: Candidate, known: list[Candidate], lang: str) -> str | None:
    """`Government of United Kingdom` for an organisation that is a head and one place.

    英国政府, حكومة المملكة المتحدة, Правительство Греции, Ресей үкіметі and UK Government
    are one value in every language: the head's English word (the `org_head` row's value)
    and the place's gazetteer name. Anything else in the name (National Assembly for
    Wales) keeps the name in Latin letters.
    """
    inside = [k for k in known if _nests(c, k)]
    if len(inside) != 1:
        return None
    place = inside[0]
    rest = (text[c.start : place.start] + " " + text[place.end : c.end]).split()
    rest = [w for w in rest if w not in _EN_LINKS]
    if len(rest) != 1:
        return None
    word = rest[0].casefold()
    if lang == "ar":
        word = regex.sub(r"^[وفبلك]?(?:ال)?", "", word)
    for head, english in _heads(lang):
        if word == head or (lang not in ANCHORED and word.startswith(head)):
            return f"{english} of {place.value}"
    return None


@owned("facts-lexicon")
def _heads(lang: str) -> list[tuple[str, str]]:
    """(head or its Russian stem, casefolded; English word), longest first."""
    rows = lexicon.words(lang, "org_head")
    stem = _ru_stem if lang == "ru" else (lambda w: w)
    return sorted(((stem(e.surface).casefold(), e.value) for e in rows), key=lambda h: -len(h[0]))


def _nests(c: Candidate, k: Candidate) -> bool:
    """Whether gazetteer mention `k` is a place nested inside pattern organisation `c`."""
    return (
        c.subtype == "org"
        and k.subtype in PLACES
        and c.start <= k.start
        and k.end <= c.end
        and k.end - k.start < c.end - c.start  # a name that is the place itself is the place
    )
