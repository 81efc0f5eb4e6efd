"""Persons in Chinese and Arabic text, which have no capitals to tell a name by.

Chinese writes a foreign name by sound, with a small set of characters (`han_translit.txt`,
learnt from CLDR's transliterated place names: data/facts/build_han_arab_names.py), its
parts joined by a name dot (布雷特·卡瓦诺, 特雷莎·梅): such a run is a person. Without a dot,
a run of two to `ZH_TITLED_MAX` of those characters right after a title (`person_title`
rows: 总统特朗普, 法官卡瓦诺) or right before one that follows a name (卡瓦诺法官,
`ZH_TITLES_AFTER`) is a person too. In Arabic a title (الرئيس, القاضي, رئيسة الوزراء),
with up to `AR_MODIFIERS` words of the article between (الرئيس الأمريكي دونالد ترامب), is
followed by one to `AR_NAME_WORDS` words that are no common word (`ar_common_words.txt`,
from the UD Arabic treebank), no word with the article and no gazetteer name: those are a
person. In both, the last part of a name written in full is its surname, and the surname
alone later in the document is that person (`later_mentions`).

The value is the name in Latin letters as ICU reads it: Han-Latin without tones, each
part's syllables one word (Buleite Kawanuo), or Arabic-Latin (Bryt Kafanw); the diff
pairs such a value with the English or Russian one by the keys it looks names up with in
the other member's text (`diff._person_across`).
"""

from __future__ import annotations

from collections.abc import Iterator

import icu
import regex

from kzkg_tools import tables
from kzkg_tools.facts import lexicon, trie
from kzkg_tools.facts.candidate import Candidate
from kzkg_tools.facts.names import _ZH_NOT_IN_NAME, _transform, latin
from kzkg_tools.resources import owned

LANGS = ("zh-Hans", "zh-Hant", "ar")
HAN_CHARS = "facts/han_translit.txt"
HAN_COMMON = "facts/han_common.txt"
AR_COMMON = "facts/ar_common_words.txt"
# Name dots: the middle dot, the katakana middle dot and the hyphenation point (Taiwan).
DOTS = "·・‧•"
# A part of a dotted name between two dots may hold characters outside the set (a rare
# syllable): it is bounded by the dots, but no longer than a part is (Kristina, 克里斯蒂娜).
ZH_PART_MAX = 6
# A name without a dot is recognised next to a title only, and only when short: a longer
# run of transliteration characters cannot be told from the words after it (总统特朗普表示
# "President Trump said": 表 is in the set too). Chinese writes a foreign surname in two
# characters or more (the diff's MIN_SYLLABLES).
ZH_TITLED_MIN = 2
ZH_TITLED_MAX = 4
# Titles Chinese writes after a surname as well as before it (卡瓦诺法官, 梅首相, 约翰逊先生;
# not 夫人, also the end of 斯拉夫人 "Slavs");
# a title such as 总统 or 市长 follows a place far more often (伦敦市长, 美国总统).
ZH_TITLES_AFTER = ("法官", "首相", "先生", "女士", "参议员", "參議員", "教授", "博士")
# A surname named again is at least this long: one character is a word of its own (梅, 新).
ZH_SURNAME_MIN = 2
# Words of the article between an Arabic title and the name: nationality or office
# adjectives (الرئيس الأمريكي, رئيسة الوزراء البريطانية, وزير الخارجية السابق).
AR_MODIFIERS = 2
# Words of a name after an Arabic title (Christine Blasey Ford is three).
AR_NAME_WORDS = 3
# An Arabic surname named again has at least this many letters (ماي, "May", has three).
AR_SURNAME_MIN = 3
# One-letter proclitics written fused to the next word (و "and", ب "by", ل "for", ف "so",
# ك "as"): the lexicon's `proclitic` rows.
# A word with the article is no foreign name (الأمريكي, للمكان: ل + ال written لل).
_AR_ARTICLE = regex.compile(r"^(?:[وفبلك]?ال|لل)")
# A word: letters with their diacritics (ضغوطًا).
_AR_WORD = regex.compile(r"[\u0621-\u064a\u0671-\u06d3][\u0621-\u0652\u0670\u0671-\u06d3]*")
_TASHKEEL = regex.compile(r"[\u064b-\u0652\u0670\u0640]")
# Endings of Arabic words that are no foreign name: tanween (تحقيقًا, an indefinite noun
# or adverb), the feminine ة (جاهدة) and the pronoun ه (تحذيره, "his warning"); Arabic
# writes a foreign name's final vowel with ا, و or ي (جوشوا, كافانو).
_AR_NOT_NAME_END = regex.compile(r"(?:[\u064b-\u064d]\p{L}?|[ةه])$")


@owned("facts-lexicon")
def _han() -> frozenset[str]:
    return frozenset(tables.lines(HAN_CHARS, comment=None))


@owned("facts-lexicon")
def _han_common() -> frozenset[str]:
    return frozenset(tables.lines(HAN_COMMON, comment=None))


@owned("facts-lexicon")
def _zh_patterns(lang: str) -> tuple[regex.Pattern[str], regex.Pattern[str] | None]:
    """The dots of a name with the parts between them, and a title with the short run of
    transliteration characters after it or before it."""
    chars = regex.escape("".join(sorted(_han())))
    run = f"[{chars}]"
    dot = f"[{DOTS}]"
    # a part between two dots is any characters but a conjunction (迈克·李和奥林·哈奇: two)
    han = rf"[^\P{{Han}}{_ZH_NOT_IN_NAME}]"
    dots = regex.compile(rf"(?<={han}){dot}(?:{han}{{1,{ZH_PART_MAX}}}?{dot})*(?={han})")
    titles = _zh_titles(lang)
    if not titles:
        return dots, None
    alt = "|".join(regex.escape(t) for t in sorted(titles, key=len, reverse=True))
    after = "|".join(regex.escape(t) for t in ZH_TITLES_AFTER)
    span = f"{{{ZH_TITLED_MIN},{ZH_TITLED_MAX}}}"
    # the name after the title, or (the title found first, the name looked for behind it)
    # before one of ZH_TITLES_AFTER
    titled = regex.compile(
        rf"(?:{alt})(?P<name>{run}{span})(?![{chars}{DOTS}])"
        rf"|(?<=(?<![{chars}{DOTS}])(?P<name>{run}{span}))(?:{after})"
    )
    return dots, titled


@owned("facts-lexicon")
def _zh_titles(lang: str) -> frozenset[str]:
    return frozenset(e.surface for e in lexicon.words(lang, "person_title"))


@owned("facts-lexicon")
def _titles_cue(lang: str) -> trie.Prefilter:
    """The titles as a cue (as `names._titles_cue`): most sentences have none."""
    return trie.Prefilter({trie.fold(e.surface) for e in lexicon.words(lang, "person_title")})


@owned("icu")
def _word_breaks() -> icu.BreakIterator:
    return icu.BreakIterator.createWordInstance(icu.Locale("zh"))


def _zh_words(text: str) -> list[int]:
    """The word boundaries ICU's dictionary finds in a Chinese text (搭档/罗斯/·/莱/斯/利)."""
    breaks = _word_breaks()
    breaks.setText(text)
    return [0, *breaks]


def _name_word(word: str, lang: str) -> bool:
    """Whether an ICU word next to a name's outer part continues it: one character that
    is no common one (迈, 鲍: ICU writes a transliteration it does not know character by
    character), or a longer word of transliteration characters only (克里, 罗斯) that is
    no title (博士)."""
    if any(c in _ZH_NOT_IN_NAME or not _is_han(c) for c in word):
        return False
    if len(word) == 1:
        return word not in _han_common()
    han = _han()
    return all(c in han for c in word) and word not in _zh_titles(lang)


_HAN_CHAR = regex.compile(r"\p{Han}")


def _is_han(char: str) -> bool:
    return _HAN_CHAR.match(char) is not None


def _outer(text: str, bounds: list[int], at: int, step: int, lang: str) -> int:
    """Where a dotted name's outer part ends, from the dot side `at` outwards (`step` -1:
    to the left): the ICU word next to the dot, then the words `_name_word` takes, at most
    ZH_PART_MAX characters in all."""
    i = bounds.index(at) if at in bounds else None
    if i is None:  # no boundary at the dot: its next character alone
        return at + step
    edge = at
    first = True
    while 0 <= i + step < len(bounds):
        j = i + step
        lo, hi = sorted((bounds[i], bounds[j]))
        word = text[lo:hi]
        if abs(bounds[j] - at) > ZH_PART_MAX or not (first or _name_word(word, lang)):
            break
        if first and any(c in _ZH_NOT_IN_NAME or not _is_han(c) for c in word):
            break
        edge, i, first = bounds[j], j, False
    if edge == at:
        return at + step
    return edge


def _zh_value(name: str, lang: str) -> str:
    """Each part's syllables as one capitalised word (布雷特·卡瓦诺 → Buleite Kawanuo)."""
    parts = [p for p in regex.split(f"[{DOTS}]", name) if p]
    return " ".join("".join(_syllable(c) for c in p).capitalize() for p in parts)


# a bounded memo: a document repeats its names, and the set of characters is small
@owned("icu", maxsize=1 << 12)
def _syllable(char: str) -> str:
    """One Han character's pinyin without tones (ICU `Han-Latin`), as the diff reads each
    character of a name it looks for in a Chinese text."""
    return _NOT_ASCII_LETTER.sub("", _transform("Han-Latin; Latin-ASCII").transliterate(char))


_NOT_ASCII_LETTER = regex.compile(r"[^A-Za-z]")


def _zh_persons(text: str, lang: str) -> Iterator[Candidate]:
    dots, titled = _zh_patterns(lang)
    if any(d in text for d in DOTS):
        breaks = _zh_words(text)
        for m in dots.finditer(text):
            start = _outer(text, breaks, m.start(), -1, lang)
            end = _outer(text, breaks, m.end(), 1, lang)
            name = text[start:end]
            surname = regex.split(f"[{DOTS}]", name)[-1]
            yield _person(start, end, _zh_value(name, lang), surname)
    bounds = None
    cue = titled is not None and _titles_cue(lang).occurs(text)
    for m in titled.finditer(text) if cue else ():
        start, end = m.span("name")
        bounds = bounds or set(_zh_words(text))
        # ICU's dictionary knows common words (首次 "first time", whose characters are
        # in the set) and writes a transliteration it does not know character by
        # character: a name is no one dictionary word, and starts and ends at word breaks
        if start in bounds and end in bounds and any(start < b < end for b in bounds):
            yield _person(start, end, _zh_value(m.group("name"), lang), None)


@owned("facts-lexicon")
def _ar_common() -> frozenset[str]:
    return frozenset(tables.lines(AR_COMMON, comment=None))


@owned("facts-lexicon")
def _ar_title() -> regex.Pattern[str]:
    titles = sorted((e.surface for e in lexicon.words("ar", "person_title")), key=len)[::-1]
    alt = "|".join(regex.escape(t) for t in titles)
    # a title may carry a proclitic (والرئيس "and the President")
    return regex.compile(rf"(?<!\p{{L}})[وفبلك]?(?:{alt})(?!\p{{L}})")


@owned("facts-lexicon")
def _proclitics() -> frozenset[str]:
    return frozenset(e.surface for e in lexicon.words("ar", "proclitic"))


def _ar_common_word(word: str) -> bool:
    """A word of the language, not a name: listed, with or without a fused proclitic."""
    bare = _TASHKEEL.sub("", word)
    common = _ar_common()
    return bare in common or (bare[:1] in _proclitics() and bare[1:] in common)


# Inside a word, و and ي write the long vowels u and i (كافانو Kavanaugh, بريت Brett),
# which ICU's abjad transliteration writes w and y: read as vowels, the name's consonant key
# is the English one's (brtkvn).
_AR_LONG_VOWELS = ((regex.compile(r"(?<=\p{L})w"), "u"), (regex.compile(r"(?<=\p{L})y"), "i"))


def _ar_value(name: str) -> str:
    """An Arabic name in Latin letters (بريت كافانو → Brit Kafanu)."""
    value = latin(_TASHKEEL.sub("", name), "ar")
    for pattern, vowel in _AR_LONG_VOWELS:
        value = pattern.sub(vowel, value)
    return value


def _ar_persons(text: str) -> Iterator[Candidate]:
    """One to three words after a title (and its adjectives) that are no common word."""
    if not _titles_cue("ar").occurs(text):
        return
    for t in _ar_title().finditer(text):
        words = list(_AR_WORD.finditer(text, t.end(), min(len(text), t.end() + 200)))
        i = 0
        # the adjectives of the title (الأمريكي, البريطانية), right after it
        pos = t.end()
        while i < len(words) and i < AR_MODIFIERS and _AR_ARTICLE.match(words[i].group()):
            if text[pos : words[i].start()].strip():
                break
            pos = words[i].end()
            i += 1
        name: list[regex.Match[str]] = []
        for w in words[i:]:
            if text[pos : w.start()].strip() or len(name) == AR_NAME_WORDS:
                break  # punctuation between: the name ended
            word = w.group()
            if _AR_ARTICLE.match(word) or _AR_NOT_NAME_END.search(word) or len(word) < 2:
                break
            if _ar_common_word(word):
                break
            name.append(w)
            pos = w.end()
        if name:
            start, end = name[0].start(), name[-1].end()
            value = _ar_value(text[start:end])
            surname = _TASHKEEL.sub("", name[-1].group()) if len(name) > 1 else None
            yield _person(start, end, value, surname)


def _person(start: int, end: int, value: str, surname: str | None) -> Candidate:
    parts = {"surname": surname} if surname else {}
    return Candidate(start, end, "entity", value, subtype="person", parts=parts)


def find_persons(text: str, lang: str, known: list[Candidate]) -> list[Candidate]:
    """Persons by pattern in Chinese or Arabic text that no other entity (`known`) overlaps."""
    if lang not in LANGS:
        return []
    found = _ar_persons(text) if lang == "ar" else _zh_persons(text, lang)
    out: list[Candidate] = []
    for c in sorted(found, key=lambda c: (c.start, -(c.end - c.start))):
        if any(k.start < c.end and c.start < k.end for k in (*known, *out)):
            continue
        out.append(c)
    return out


def later_mentions(
    text: str, lang: str, found: list[Candidate], persons: dict[str, str | None]
) -> list[Candidate]:
    """A person named before in the document, named again by the surname alone (卡瓦诺,
    كافانو), as `names.later_mentions` for the capitalised languages.

    A surname the title rule found alone (法官卡瓦诺, السيد كافانو) takes the full name.
    Chinese: the surname as a substring, not right after another transliteration
    character or before a name dot (a part of a longer name). Arabic: a whole word, with
    or without a fused proclitic (لكافانو). `persons` is updated with the names of
    `found` whose surname is known (written in full, or dotted).
    """
    out: list[Candidate] = []
    known = {k: v for k, v in persons.items() if v is not None} if persons else {}
    taken = [(c.start, c.end) for c in found]
    for c in found:  # a surname next to a title (卡瓦诺法官) is the person named in full before
        if c.subtype == "person" and not c.parts and text[c.start : c.end] in known:
            c.value = known[text[c.start : c.end]] or c.value
    if known and lang == "ar":
        proclitics = _proclitics()
        for m in _AR_WORD.finditer(text):
            word, start = _TASHKEEL.sub("", m.group()), m.start()
            value = known.get(word)
            if value is None and word[:1] in proclitics:
                value, start = known.get(word[1:]), start + 1
            if value is None or any(s < m.end() and start < e for s, e in taken):
                continue
            out.append(_person(start, m.end(), value, None))
    elif known:
        han = _han()
        for surname, value in known.items():
            at = text.find(surname)
            while at != -1:
                end = at + len(surname)
                inside = (at > 0 and text[at - 1] in han) or text[end : end + 1] in DOTS
                if not inside and not any(s < end and at < e for s, e in taken):
                    out.append(_person(at, end, value, None))
                    taken.append((at, end))
                at = text.find(surname, end)
    shortest = AR_SURNAME_MIN if lang == "ar" else ZH_SURNAME_MIN
    for c in found:
        surname = c.parts.get("surname")
        if c.subtype == "person" and surname and len(surname) >= shortest:
            first = persons.setdefault(surname, c.value)
            if first != c.value:
                persons[surname] = None
    return sorted(out, key=lambda c: c.start)
