"""Dates, years, year ranges, decades, centuries and relative years, per language.

Each language has a few patterns with the same named groups (`y`, `y2`, `m`,
`m2`, `d`, `h`, `mi`, `ampm`, `rel`, `period`, `decade`, `century`, `qual`);
one reader turns any match into a candidate fact. Month names are CLDR's (via
`lexicon.month_names`), matched with their Kazakh, Russian and Arabic endings
and clitics as part of the same word. A date whose year the text does not give
is completed later (`Candidate.resolve`) from the document date or the last
absolute year, and says so with `inferred: "year"` and its `literal` form.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import regex

from kzkg_tools import langs
from kzkg_tools.facts import lexicon, trie
from kzkg_tools.facts.candidate import Candidate
from kzkg_tools.facts.numbers import DIGIT, HAMZA_OPT, LETTER, ascii_digits
from kzkg_tools.resources import owned

# Anchors of `Candidate.rel`. A relative-year word (this year, былтыр, 今年: lexicon value
# "doc:N") counts from the document's date; a day and month without a year from the document's
# year too, else from the last year the text named (the year it is telling of); 同年 ("last:N")
# from the last year named, else the document's.
DEICTIC = "doc"
YEARLESS = "yearless"

ZH_DIGITS = "〇零一二三四五六七八九"
# 〇 and 零 are both zero (二〇〇七, 二零零七): a digit's value is not its index in ZH_DIGITS
_ZH_DIGIT_VALUE = {c: max(i - 1, 0) for i, c in enumerate(ZH_DIGITS)}
ZH_SMALL = "一二三四五六七八九十兩两"
ZH_TENS = "二三四五六七八九"  # the tens digit of a decade in numerals: 八十年代 "the eighties"
AMPM_PM = ("下午", "晚上", "傍晚")
_DIGIT = regex.compile(DIGIT)
ROMAN = "[IVX]{1,5}"  # centuries in Roman numerals (XIX ғасыр, XXI век)
# The word "century" in each language: every match of a `_CENTURY` pattern contains it
_CENTURY_CUE = regex.compile("century|век|ғасыр|القرن", regex.IGNORECASE)
# A century by its number (19th-century, 19-го века, XIX ғасырдағы, القرن 17): group `century`
_CENTURY = {
    "en": rf"(?P<century>{DIGIT}{{1,2}})(?:st|nd|rd|th)[- ]century",
    "ru": rf"(?P<century>{DIGIT}{{1,2}}|{ROMAN})(?:-?(?:го|м|й))?\s+век{LETTER}*",
    "kk-Cyrl": rf"(?P<century>{DIGIT}{{1,2}}|{ROMAN})(?:-)?\s*ғасыр{LETTER}*",
    "ar": rf"(?<!{LETTER})القرن\s+(?:الـ\s?)?(?P<century>{DIGIT}{{1,2}})(?!{DIGIT})",
}
# The Kazakh ordinal suffix after digits (6-шы, 10-шы, 1980-ші, 3-інші): a day of the month or a
# decade written as an ordinal, as Kazakh news often does
KK_ORDINAL = r"(?:\s*-\s*(?:[ыі]н)?ш[ыі])?"
Cue = regex.Pattern[str]  # what every match of a date pattern contains (see `patterns`)


def _alts(forms: list[str]) -> str:
    return "|".join(regex.escape(f) for f in sorted(set(forms), key=len, reverse=True))


def _words(lang: str, kind: str) -> str:
    return _alts([e.surface for e in lexicon.words(lang, kind)])


def _months(lang: str) -> str:
    forms = [f.replace("\u00a0", " ") for f in lexicon.month_names(lang)]
    alts = "|".join(
        regex.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=len, reverse=True)
    )
    return (HAMZA_OPT if lang == "kk-Arab" else "") + f"(?:{alts})"


# Words around "N年" that make it a length of time (N years), not the year N: before it
# 过去/過去 "past", 近/最近 "recent", 这/這 "these"; after it 多/余/餘 "more than", 左右 "about";
# and after a number of at most three digits (a modern year has four: 2005年以来, 2018年内,
# 2020年前 are years) 里/裡 "within", 来/來 "for", 间/間 "during", 内/內 "within", 前 "ago"
# (not 前往/前进 "go to", "advance").
ZH_SPAN_BEFORE = "过去|過去|最近|近|这|這|距今"  # 距今 N 年 "N years ago"
ZH_SPAN_AFTER = "多|余|餘|左右"
ZH_SPAN_AFTER_SHORT = "里|裡|来|來|间|間|内|內|前(?!往|进|進)|后|後"  # 100年后 "100 years later"


def _month_cue(lang: str) -> Cue:
    """Any month name: the forms of `_months` as a trie (found wherever `_months` matches)."""
    forms = [f.replace("\u00a0", " ") for f in lexicon.month_names(lang)]
    units = [tuple(r"\s+" if c == " " else regex.escape(c) for c in f) for f in forms]
    return regex.compile("|".join(rx for _, rx in trie.branches(units)), regex.IGNORECASE)


@owned("facts-lexicon")
def patterns(lang: str) -> list[tuple[tuple[Cue, ...], regex.Pattern[str]]]:
    """The compiled date patterns of a language, longest constructions first, with their cues.

    A pattern's cues are what any match of it contains (a digit, a month name, a relative
    year word, 年): a sentence in which one of them is not found cannot match the pattern,
    so `find_dates` does not run it there. Most sentences have no month name, many no digit.
    """
    flags = regex.IGNORECASE
    rel = _words(lang, "relative")
    per = _words(lang, "period")
    between = _words(lang, "between")
    if langs.language(lang) == "zh":
        y = rf"(?P<y>{DIGIT}{{3,4}}|[{ZH_DIGITS}]{{4}})"
        y2 = y.replace("?P<y>", "?P<y2>")
        m = rf"(?P<m>{DIGIT}{{1,2}}|[{ZH_SMALL}]{{1,3}})"
        d = rf"(?P<d>{DIGIT}{{1,2}}|[{ZH_SMALL}]{{1,3}})"
        hour = rf"(?P<h>{DIGIT}{{1,2}}|[{ZH_SMALL}]{{1,3}})\s?[點点時时]"
        minute = rf"(?:(?P<mi>{DIGIT}{{1,2}})\s?分|(?P<half>半))?"
        time = rf"(?:(?P<ampm>上午|下午|晚上|早上|凌晨|中午|傍晚)?{hour}{minute})?"
        qual = "(?P<qual>之前|以前)?"
        # not 上一世纪 / 下一世纪 "the previous / next century", which name no century
        century = rf"(?<![上下])(?P<century>[{ZH_SMALL}]{{1,3}}|{DIGIT}{{1,2}})\s?世[紀纪]"
        month, year, age, rel_cue = (regex.compile(c) for c in ("月", "年", "世[紀纪]", rel))
        # translations often put a space between digits and 年 / 月 / 年代 ("1930 年代")
        return [
            (
                (month,),
                regex.compile(
                    rf"(?:(?P<rel>{rel})|{y}\s?年\s?)?{m}\s?月(?:\s?{d}\s?[日號号])?{time}"
                ),
            ),
            ((year,), regex.compile(rf"{y}\s?年?\s?(?:至|到|－|—|–|-|~)\s?{y2}\s?年")),
            (
                (year,),
                regex.compile(
                    rf"(?:{century}\s?)?(?P<decade>{DIGIT}{{2}}|{DIGIT}{{4}}|[{ZH_TENS}]十)\s?年代"
                    rf"(?P<period>{per})?"
                ),
            ),
            ((age,), regex.compile(rf"{century}(?P<period>{per})?")),
            # "N年" is a span of N years, not the year N (ZH_SPAN_*: "in the past 100 years",
            # "100 years ago"); the numbers stage reads it as a count of years
            (
                (year,),
                regex.compile(
                    rf"(?<!(?:{ZH_SPAN_BEFORE})\s?){y}\s?年"
                    rf"(?!代|\s?(?:{ZH_SPAN_AFTER})"
                    rf"|(?<=(?<!{DIGIT}){DIGIT}{{1,3}}\s?年)\s?(?:{ZH_SPAN_AFTER_SHORT})){qual}"
                ),
            ),
            ((rel_cue,), regex.compile(rf"(?P<rel>{rel})")),
        ]
    months = _months(lang)
    digit, month = _DIGIT, _month_cue(lang)
    rel_cue = regex.compile(rel, flags)
    century = (
        [
            (
                (_CENTURY_CUE, _DIGIT if lang == "en" else _CENTURY_CUE),
                regex.compile(_CENTURY[lang], flags),
            )
        ]
        if lang in _CENTURY
        else []
    )
    y = rf"(?P<y>{DIGIT}{{4}})"
    y2 = rf"(?P<y2>{DIGIT}{{4}})"
    d = rf"(?P<d>{DIGIT}{{1,2}})"
    word_end = rf"{LETTER}*" if lang in ("kk-Cyrl", "kk-Arab", "ru") else rf"(?!{LETTER})"
    m = rf"(?P<m>{months}){word_end}"
    m2 = rf"(?P<m2>{months}){word_end}"
    if lang in ("kk-Cyrl", "kk-Arab"):
        hy = r"\s*-?\s*"
        # жыл "year", but not жылдық / جىلدىق "anniversary, annual"
        yw = "(?:жыл(?!дық|дығ|дік)|ж\\.)" if lang == "kk-Cyrl" else "جىل(?!دىق|دىع)"
        yw = rf"{hy}{yw}{LETTER}*"
        men = "мен" if lang == "kk-Cyrl" else "مەن"
        decades = "жылдар" if lang == "kk-Cyrl" else "جىلدار"
        relp = rf"(?:(?P<rel>{rel})\s+)?"
        # the ordinal suffix a day or a decade may carry (6-шы қарашада, 1980-ші жылдары)
        ordinal = KK_ORDINAL if lang == "kk-Cyrl" else ""
        d = rf"{d}{ordinal}"
        return [
            *century,
            ((digit, month), regex.compile(rf"{y}{yw}\s+{d}{hy}{m}", flags)),
            (
                (digit, month),
                regex.compile(rf"{d}\s+{m}\s+{y}(?:\s*(?:ж\.|г\.|года|{yw}))?", flags),
            ),
            ((digit, month), regex.compile(rf"{relp}{d}{hy}{m}", flags)),
            ((digit, month), regex.compile(rf"{y}{yw}\s+{m}", flags)),
            (
                (month,),
                regex.compile(rf"{relp}{m}\s+{men}\s+{m2}(?:\s+(?P<between>{between}))?", flags),
            ),
            ((month,), regex.compile(rf"{relp}{m}\s+(?P<period>{per})", flags)),
            ((rel_cue, month), regex.compile(rf"(?P<rel>{rel})\s+{m}", flags)),
            (
                (digit,),
                regex.compile(rf"{y}\s*[-–—]\s*{y2}(?:{yw}(?:\s+(?P<between>{between}))?)?", flags),
            ),
            # 1990 жылдары / 90-жылдары "in the (19)90s"
            (
                (digit,),
                regex.compile(
                    rf"(?P<decade>{DIGIT}{{3}}0|{DIGIT}0){ordinal}{hy}{decades}{LETTER}*", flags
                ),
            ),
            ((digit,), regex.compile(rf"{y}{yw}", flags)),
            ((rel_cue,), regex.compile(rf"(?<!{LETTER})(?P<rel>{rel})(?!{LETTER})", flags)),
        ]
    if lang == "ru":
        yw = r"(?:\s*(?:года|году|год|г\.))?"
        return [
            *century,
            ((digit, month), regex.compile(rf"{d}\s+{m}\s+{y}{yw}", flags)),
            ((digit, month), regex.compile(rf"{m}\s+{y}{yw}", flags)),
            # 29-го сентября: the day with its ordinal ending
            ((digit, month), regex.compile(rf"{d}(?:-(?:го|е|ое|ого))?\s+{m}", flags)),
            (
                (digit,),
                regex.compile(
                    rf"(?:с\s+)?{y}\s*(?:[-–—]|\s+по\s+)\s*{y2}(?:\s*(?:гг\.|годы|годах|годов|год|года))?",
                    flags,
                ),
            ),
            ((digit,), regex.compile(rf"{y}\s*(?:год{LETTER}*|гг?\.)", flags)),
            # в 1990-х годах, 90-е годы
            (
                (digit,),
                regex.compile(
                    rf"(?P<decade>{DIGIT}{{3}}0|{DIGIT}0)-(?:х|е|ых)(?:\s+год{LETTER}*)?", flags
                ),
            ),
            ((rel_cue,), regex.compile(rf"(?<!{LETTER})(?P<rel>{rel})(?!{LETTER})", flags)),
        ]
    if lang == "ar":
        clitic = "(?:[وبل])?"
        yw = r"(?:\s+(?:من\s+)?(?:عام|سنة|العام))?"
        month_pair = rf"{clitic}{m}(?:\s*[/(]\s*{months}\s*\)?)?"
        tens = _words(lang, "decade")
        return [
            *century,
            # 30 سبتمبر، من عام 1882: the year may follow a comma
            ((digit, month), regex.compile(rf"{d}\s+{month_pair}\s*،?{yw}\s+{y}", flags)),
            ((digit, month), regex.compile(rf"(?<!{LETTER}){month_pair}{yw}\s+{y}", flags)),
            # 30 من سبتمبر "the 30th of September"
            ((digit, month), regex.compile(rf"{d}\s+(?:من\s+)?{month_pair}", flags)),
            (
                (digit,),
                regex.compile(
                    rf"(?:(?:من|بين)\s+)?(?:عام(?:ي)?\s+)?{y}\s*(?:[-–—]|\s+(?:إلى|حتى|و)\s+)\s*(?:عام\s+)?{y2}",
                    flags,
                ),
            ),
            ((digit,), regex.compile(rf"(?:(?P<qual>قبل)\s+)?(?:عام|سنة|العام)\s+{y}", flags)),
            # منتصف تسعينيات القرن العشرين, بدايات العقد الأول من القرن الحادي والعشرين
            (
                (regex.compile(tens, flags),),
                regex.compile(
                    rf"(?:(?P<period>{per})\s+)?(?P<tens>{tens})\s+"
                    rf"(?P<cword>{_words(lang, 'century')})",
                    flags,
                ),
            ),
            # a century by its ordinal word alone: القرن التاسع عشر "the 19th century"
            (
                (_CENTURY_CUE,),
                regex.compile(
                    rf"(?:(?P<period>{per})\s+)?(?P<cword>{_words(lang, 'century')})(?!{LETTER})",
                    flags,
                ),
            ),
            ((rel_cue,), regex.compile(rf"(?<!{LETTER})(?P<rel>{rel})(?!{LETTER})", flags)),
        ]
    # en and any other language written with Latin month names
    return [
        *century,
        ((digit, month), regex.compile(rf"{d}\s+{m}\s*,?\s+{y}", flags)),
        ((digit, month), regex.compile(rf"{m}\s+{d},?\s+{y}", flags)),
        ((digit, month), regex.compile(rf"{m}\s+{y}", flags)),
        # a day and month without the year, resolved as the other languages' are (news writes
        # "on Saturday (September 29)", "on 29 September"); not before more digits ("May 5-7"
        # stays two numbers); the month capitalized, as English writes it ("you may 5 times")
        (
            (digit, month),
            regex.compile(
                rf"(?-i:(?=\p{{Lu}})){m}\s+{d}(?:st|nd|rd|th)?(?!{DIGIT}|\s*[-–—,]\s*{DIGIT})",
                flags,
            ),
        ),
        (
            (digit, month),
            regex.compile(
                rf"(?<!{DIGIT}|{DIGIT}\s*[-–—]\s*){d}(?:st|nd|rd|th)?\s+(?:of\s+)?(?-i:(?=\p{{Lu}})){m}",
                flags,
            ),
        ),
        (
            (digit,),
            regex.compile(
                rf"(?:from\s+|between\s+)?{y}\s*(?:[-–—]|\s+(?:to|and)\s+)\s*{y2}", flags
            ),
        ),
        (
            (digit,),
            regex.compile(
                rf"(?:(?P<period>early|mid|late)[- ]?)?(?P<decade>{DIGIT}{{3}}0)['’]?s", flags
            ),
        ),
        ((rel_cue,), regex.compile(rf"(?<!{LETTER})(?P<rel>{rel})(?!{LETTER})", flags)),
    ]


_ISO = regex.compile(
    rf"(?<!{DIGIT})(?P<y>{DIGIT}{{4}})-(?P<mm>{DIGIT}{{2}})-(?P<d>{DIGIT}{{2}})(?!{DIGIT})"
)


def _int(text: str | None) -> int | None:
    """Digits (any script) or a small Chinese numeral as an int."""
    if not text:
        return None
    t = ascii_digits(text)
    if t.isdigit():
        return int(t)
    if regex.fullmatch(ROMAN, t):  # XIX ғасыр
        return lexicon.parse_roman(t)
    if all(c in ZH_DIGITS for c in t):  # 一九九一 (a year written digit by digit)
        return int("".join(str(_ZH_DIGIT_VALUE[c]) for c in t))
    return lexicon.parse_chinese(t)


def _month(word: str, lang: str) -> int | None:
    if langs.language(lang) == "zh":
        return _int(word)
    names = lexicon.month_names(lang)
    w = regex.sub(r"\s+", " ", word.lower()).lstrip(lexicon.HAMZA)
    for form in sorted(names, key=len, reverse=True):
        if w.startswith(form.replace("\u00a0", " ")):
            return names[form]
    return None


def _rel(word: str, lang: str) -> tuple[str, int]:
    low = word.lower()
    for e in lexicon.words(lang, "relative"):
        if e.surface.lower() == low:
            anchor, offset = e.value.split(":")
            return anchor, int(offset)
    raise KeyError(word)


def _lexeme(word: str, lang: str, kind: str) -> str:
    """The value of a curated word of `kind`, spaces compared loosely."""
    key = " ".join(word.split())
    return next(e.value for e in lexicon.words(lang, kind) if e.surface == key)


def _period(word: str | None, lang: str) -> str | None:
    if not word:
        return None
    for e in lexicon.words(lang, "period"):
        if e.surface.lower() == word.lower():
            return e.value
    return word.lower()


def _year_text(y: str) -> tuple[int, str, str | None]:
    """(value, ISO form, intended ISO form) of a written year: 007 → 7, "0007", "2007"."""
    digits = ascii_digits(y) if y[0].isdigit() else str(_int(y))
    value = int(digits)
    intended = None
    if len(digits) < 4 and digits.startswith("0"):
        intended = f"{2000 + value:04d}" if value < 100 else None
    return value, f"{value:04d}", intended


def _read(m: regex.Match[str], lang: str) -> Candidate | None:
    g = m.groupdict()
    start, end = m.span()
    if g.get("decade"):
        dec = _int(g["decade"]) or 0
        if dec < 100:  # 90年代 is the 1990s; 20 世纪 30 年代 the 1930s
            dec += (_int(g["century"]) - 1) * 100 if g.get("century") else 1900
        return Candidate(
            start, end, "year_range", f"{dec}/{dec + 9}", qualifier=_period(g.get("period"), lang)
        )
    if g.get("cword"):
        c = int(_lexeme(g["cword"], lang, "century"))
        first, last = (c - 1) * 100, 99  # the century itself
        if g.get("tens"):  # a decade of it
            first, last = first + int(_lexeme(g["tens"], lang, "decade")), 9
        return Candidate(
            start,
            end,
            "year_range",
            f"{first:04d}/{first + last:04d}",
            qualifier=_period(g.get("period"), lang),
        )
    if g.get("century"):
        c = _int(g["century"])
        if not c:
            return None
        first = (c - 1) * 100
        return Candidate(
            start,
            end,
            "year_range",
            f"{first:04d}/{first + 99:04d}",
            qualifier=_period(g.get("period"), lang),
        )
    rel = _rel(g["rel"], lang) if g.get("rel") else None
    year = _year_text(g["y"]) if g.get("y") else None
    if g.get("y2") and year:
        y2 = _year_text(g["y2"])
        if y2[0] < year[0]:
            return None
        return Candidate(start, end, "year_range", f"{year[1]}/{y2[1]}", sets_year=y2[0])
    month = _int(g["mm"]) if g.get("mm") else _month(g["m"], lang) if g.get("m") else None
    if g.get("m") and not month:
        return None
    if month and g.get("m2"):
        m2 = _month(g["m2"], lang)
        if not m2:
            return None
        cand = Candidate(start, end, "year_range", rel=rel or (YEARLESS, 0))
        cand.parts = {"range": (month, m2)}
        return cand
    if month:
        day = _int(g.get("d"))
        if (day is not None and not 1 <= day <= 31) or not 1 <= month <= 12:
            return None
        parts: dict[str, Any] = {"m": month, "d": day}
        if g.get("h"):
            hour = _int(g["h"]) or 0
            if g.get("ampm") in AMPM_PM and hour < 12:
                hour += 12
            minute = _int(g.get("mi")) or (30 if g.get("half") else 0)
            parts["time"] = f"T{hour:02d}:{minute:02d}"
        if year is None and day is None and rel is None and not g.get("period"):
            return None
        cand = Candidate(start, end, "date", qualifier=_period(g.get("period"), lang))
        cand.parts = parts
        if year is None:
            cand.rel = rel or (YEARLESS, 0)
            return cand
        cand.value = _iso(year[1], parts)
        if year[2]:
            cand.intended = _iso(year[2], parts)
        cand.sets_year = year[0]
        return cand
    if year:
        qual = "before" if g.get("qual") else None
        return Candidate(start, end, "year", year[0], qualifier=qual, sets_year=year[0])
    if rel:
        return Candidate(start, end, "year", rel=rel)
    return None


def _iso(year: str, parts: dict[str, Any]) -> str:
    out = f"{year}-{parts['m']:02d}"
    if parts.get("d") is not None:
        out += f"-{parts['d']:02d}"
        out += parts.get("time", "")
    return out


@owned("facts-lexicon")
def _cued(lang: str) -> tuple[tuple[Cue, ...], list[tuple[frozenset[Cue], regex.Pattern[str]]]]:
    """The cues of a language's patterns, and each pattern with the set of cues it needs.

    Every cue is needed alone by some pattern, so `find_dates` searches them all at once.
    """
    pats = [((_DIGIT,), _ISO), *patterns(lang)]
    cues = tuple(dict.fromkeys(c for needs, _ in pats for c in needs))
    return cues, [(frozenset(needs), pat) for needs, pat in pats]


def find_dates(text: str, lang: str) -> Iterator[Candidate]:
    """Every date-like candidate of every pattern (overlaps are settled by the caller)."""
    cues, pats = _cued(lang)
    present = {c for c in cues if c.search(text)}
    for needs, pat in pats:
        if needs <= present:
            for m in pat.finditer(text):
                cand = _read(m, lang)
                if cand is not None:
                    yield cand


def resolve_year(cand: Candidate, doc_year: int | None, last_year: int | None) -> int | None:
    """The year a relative or year-less candidate stands for, or None when nothing fixes it.

    A relative-year word needs the document's date: in an undated text (a news story without
    its dateline) "this year" is the year it was written, which the last year the text named
    does not tell (a story about 1945 written "this year"), so it gives no fact.
    """
    assert cand.rel is not None
    anchor, offset = cand.rel
    if anchor == "last":
        base = last_year if last_year is not None else doc_year
    elif anchor == DEICTIC:
        base = doc_year
    else:
        base = doc_year if doc_year is not None else last_year
    return None if base is None else base + offset


def complete(cand: Candidate, year: int | None) -> Candidate | None:
    """Fill the value of a candidate that waited for its year; None when there is no year."""
    if cand.rel is None:
        return cand
    if year is None:
        return None
    cand.inferred = "year"
    if cand.type == "year":
        cand.value = year
    elif "range" in cand.parts:
        m1, m2 = cand.parts["range"]
        cand.value = f"{year:04d}-{m1:02d}/{year:04d}-{m2:02d}"
        cand.literal = f"--{m1:02d}/--{m2:02d}"
    else:
        cand.value = _iso(f"{year:04d}", cand.parts)
        cand.literal = "--" + cand.value[5:]
    return cand
