"""Numbers, amounts of money and percentages around each number token.

Starting from every number token (`numbers.find_numbers`) the scanner looks
right for a scale word, a currency or percent sign, a Chinese classifier or a
Kazakh case ending, and a qualifier (以下, астам, жуық); and left for a
qualifier (約, шамамен, حوالي) or a currency sign. What docs/conventions.md leaves out is
dropped here: digits inside names and identifiers (`HPP-1`, `N 287-I`),
reference and footnote markers, ordinals, and spelled-out numbers that only
refer (`兩國`, `екі ел`) — a spelled-out number counts only when a unit it
counts follows (and `one` only for a duration: `ءبىر جىل`). A bare four-digit
number between 1800 and 2100 with nothing counted after it is a year.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import regex

from kzkg_tools import langs
from kzkg_tools.facts import lexicon, money
from kzkg_tools.facts.candidate import Candidate
from kzkg_tools.facts.numbers import (
    ARTICLE,
    DESIGNATION_AFTER,
    DIGIT,
    GROUP,
    LETTER,
    Number,
    ascii_digits,
    digits_separators,
    find_numbers,
    proclitic_before,
    scale_pattern,
    scaled,
    to_value,
)
from kzkg_tools.resources import owned

DURATIONS = {"year", "month", "day", "hour", "week"}
# the next word(s) after a number; a hyphen joins a count to its unit (seven-year, 5-day)
_WORD = regex.compile(rf"(?:[\s,،、]*|-)({LETTER}+(?:\s+{LETTER}+)?)")
_STOP = regex.compile(r"[.;:!?。！？；：]")


def _alts(forms: list[str]) -> str:
    parts = sorted(set(forms), key=len, reverse=True)
    return "|".join(regex.escape(f).replace(r"\ ", r"\s*") for f in parts)


@owned("facts-lexicon")
def _qualifiers(lang: str, kind: str) -> dict[str, str]:
    return {e.surface.lower(): e.value for e in lexicon.words(lang, kind)}


@owned("facts-lexicon")
def pre_qualifier(lang: str) -> regex.Pattern[str] | None:
    """A qualifier word ending right before a number (its end is the number's start)."""
    alts = _alts(list(_qualifiers(lang, "qualifier_pre")))
    if not alts:
        return None
    edge = "" if langs.language(lang) == "zh" else rf"(?<!{LETTER})"
    return regex.compile(rf"{edge}(?P<q>{alts})\s*$", regex.IGNORECASE)


@owned("facts-lexicon")
def post_qualifier(lang: str) -> regex.Pattern[str] | None:
    """A qualifier after a number, possibly after the counted word (35 жылға жуық)."""
    alts = _alts(list(_qualifiers(lang, "qualifier_post")))
    if not alts:
        return None
    if langs.language(lang) == "zh":
        return regex.compile(rf"(?P<q>{alts})")
    return regex.compile(rf"(?:\s+{LETTER}+)?\s+(?P<q>{alts})(?!{LETTER})", regex.IGNORECASE)


def _qualifier_value(word: str, lang: str, kind: str) -> str:
    key = regex.sub(r"\s+", "", word.lower())
    for form, value in _qualifiers(lang, kind).items():
        if form.replace(" ", "") == key:
            return value
    raise KeyError(word)


@owned("facts-lexicon")
def _units(lang: str) -> list[tuple[str, str]]:
    forms = [(e.surface.lower(), e.value) for e in lexicon.words(lang, "unit")]
    if lang == "kk-Arab":
        forms = [(f.lstrip(lexicon.HAMZA), v) for f, v in forms]
    return sorted(forms, key=lambda fv: -len(fv[0]))


@owned("facts-lexicon")
def zh_classifier(lang: str) -> regex.Pattern[str]:
    return regex.compile(rf"\s?(?P<u>{_alts([f for f, _ in _units(lang)])})")


@owned("facts-lexicon")
def _refer(lang: str) -> tuple[str, ...]:
    """Nouns a spelled-out number only refers with (ел, 國), lowercased."""
    refer = [e.surface.lower() for e in lexicon.words(lang, "refer")]
    if lang == "kk-Arab":
        refer = [r.lstrip(lexicon.HAMZA) for r in refer]
    return tuple(refer)


@owned("facts-lexicon")
def _unit_forms(lang: str) -> tuple[str, ...]:
    """All unit forms, for one `str.startswith` test before looking for the right one."""
    return tuple(form for form, _ in _units(lang))


# After a unit form of three letters or less, at most this many letters of endings (жыл-дар-ы-нда)
SHORT_UNIT_ENDING = 5


@owned("facts-lexicon")
def _case_endings(lang: str) -> frozenset[str]:
    """The language's noun endings (lexicon kind `case_ending`), where a closed list is kept."""
    return frozenset(e.surface for e in lexicon.words(lang, "case_ending"))


def _short_unit(word: str, form: str, lang: str) -> bool:
    """Whether `word` is a short unit form (час, год, жыл) with an ending. A Russian form takes
    one case ending only (часа, годом; not часть "part", часто "often"); Kazakh stacks
    endings (жылдарында), up to SHORT_UNIT_ENDING letters."""
    rest = word[len(form) :]
    if lang == "ru":
        return not rest or rest in _case_endings(lang)
    return len(rest) <= SHORT_UNIT_ENDING


def _unit_ahead(text: str, pos: int, lang: str, words: int = 5) -> tuple[str | None, bool]:
    """(unit counted by the number, whether a referring noun follows it) from the next words."""
    refer, forms = _refer(lang), _unit_forms(lang)
    for i in range(words):
        m = _WORD.match(text, pos)
        if not m or _STOP.search(text, pos, m.start(1)):
            return None, False
        word = m.group(1).lower().lstrip(lexicon.HAMZA)
        first = word.split()[0]
        if word.startswith(forms):
            for form, unit in _units(lang):
                if word.startswith(form) and (len(form) > 3 or _short_unit(first, form, lang)):
                    return unit, False
        # a referring noun with at most a case ending (ел, елдің; not мемлекетаралық)
        if i == 0 and any(first.startswith(r) and len(first) - len(r) <= 4 for r in refer):
            return None, True
        if i == 0 and text.startswith("-", pos):
            return None, False  # only a unit is hyphenated to a count; екі-үш is a range
        pos = m.start(1) + len(m.group(1).split()[0])
    return None, False


# 第 34 次: translations put a space between the ordinal prefix 第 and digits
_IDENT_BEFORE = regex.compile(r"(?:[\p{L}--\p{Han}]-?|\[|\)|第\s?)$", regex.V1)
_IDENT_AFTER = regex.compile(
    r"(?:-[A-Z]|\]|-?(?:ші|шы|інші|ыншы|нші|ншы|ىنشى|نشى|شى|й|го|я|st|nd|rd|th)(?![\p{L}])"
    # Russian ordinal endings after a hyphen (34-ю игру, на 5-м месте, 3-ей): a hyphen is
    # required, unlike -й/-го/-я above, because a bare ю/м/ей would be other words
    r"|-(?:ю|м|ей|ой|ый|ая|ое|ого|ому|ом)(?![\p{L}]))"
)
# A month in Chinese: digits or numerals then 月 (not 个月/個月 "months", a count)
ZH_MONTH = regex.compile(r"\s?月")
# "several", "some" before a Chinese numeral or "-odd" after it (几十, 数百, 十几)
ZH_VAGUE = ("几", "幾", "数", "數")
_KK_SUFFIX = regex.compile(rf"-{LETTER}{{1,4}}(?!{LETTER})")
_CITATION = regex.compile(r",\s*$")


_NOTE_NUMBER = regex.compile(r"\s*[0-9]{1,2}[.)]?\s+\p{Lu}")


# A run of digit groups separated by single spaces (`0800 555 111`, `116 123`, `111 555 0800`),
# not next to a decimal mark, a comma or a fraction slash (`1,5 2` is a decimal and another
# number, `220 2/3` a whole number and a fraction)
_RUN_JOINER = " \u00a0"
_DIGIT_CHARS = DIGIT[1:-1]
_MARKS = ".,\u066b\u066c/\u2044"
_RUN = regex.compile(
    rf"(?<![{_DIGIT_CHARS}{_MARKS}])[{_DIGIT_CHARS}]+(?:[{_RUN_JOINER}][{_DIGIT_CHARS}]+)+"
    rf"(?![{_DIGIT_CHARS}]|[{_MARKS}][{_DIGIT_CHARS}])"
)
# One number grouped by spaces: 1-3 digits without a leading zero, then groups of three
_SPACE_GROUPED = regex.compile(rf"[1-9][0-9]{{0,2}}(?:[{_RUN_JOINER}][0-9]{{{GROUP}}})+")
CODE_GROUPS = 3  # digit groups that make a code whatever their sizes (0800 555 111)
# How far around a number its run is looked for: longer than any phone number's groups
_RUN_REACH = 24


def _digit_run(text: str, n: Number, lang: str) -> bool:
    """Whether the digits of `n` are part of a phone number or another code written in groups.

    Two digit groups with only a space between them are one number where the language groups
    thousands with spaces (`150 000` in Russian and Kazakh) and the groups are grouping (1-3
    digits, then threes); anything else is a code read in groups: `0800 555 111` (a group
    after the first that is no group of three, a leading zero), `116 123` in English or Chinese,
    which do not group with spaces. Translations cut such a code differently (`555 111` one
    token in Russian, two in English), so its pieces would conflict as counts.
    """
    lo = max(0, n.start - _RUN_REACH)
    for m in _RUN.finditer(text, lo, min(len(text), n.end + _RUN_REACH)):
        if m.start() <= n.start and n.end <= m.end():
            run = ascii_digits(m.group())
            if " " in digits_separators(lang)[0] and _SPACE_GROUPED.fullmatch(run):
                return False
            if money.percent_after(lang).match(text, m.end()):
                return False  # a percent after the last group (in 2018 25% of …)
            groups = regex.split(rf"[{_RUN_JOINER}]", run)
            # a code has three groups or more, a leading zero, or groups of three (116 123);
            # two other figures side by side are two numbers (in 2018 25 people)
            return (
                len(groups) >= CODE_GROUPS
                or any(g.startswith("0") and len(g) > 1 for g in groups)
                or all(len(g) == GROUP for g in groups)
            )
    return False


def _is_identifier(text: str, n: Number, lang: str) -> bool:
    if text[: n.start].strip() == "" and _NOTE_NUMBER.match(text):
        return True  # footnote or list numbering: "1 ДоДиС – Договор …", "2. Ресей"
    if n.kind == "digits" and _digit_run(text, n, lang):
        return True
    if n.kind == "spelled" and _after_ordinal(text, n, lang):
        return True
    if langs.language(lang) == "zh" and (
        ZH_FRACTION.match(text, n.end)
        or (
            ZH_FRACTION_BEFORE.search(text, max(0, n.start - _WORD_REACH), n.start)
            and not ZH_PERCENT_BEFORE.search(text, max(0, n.start - _WORD_REACH), n.start)
        )
    ):
        # 三分之一 "one third": a fraction's terms count nothing; 百分之 is the percent word
        # (百分之五十 is 50 %, `_amount`)
        return True
    if lang == "ar" and n.kind == "spelled" and n.value == 2 and text.startswith(ARTICLE, n.start):
        # الاثنان / الاثنتان "the two of them, both": Arabic counts two things with a dual, so a
        # definite two stands for them and only refers (docs/conventions.md: "both sides")
        return True
    if (vague := _kk_vague(lang)) is not None and (
        vague[0].match(text, n.end) or vague[1].search(text, max(0, n.start - _WORD_REACH), n.start)
    ):
        return True  # он мыңдаған "tens of thousands", ондаған мың: no number is stated
    before = text[max(0, n.start - 2) : n.start]
    if n.kind != "spelled" and ZH_MONTH.match(text, n.end):
        return True  # 7月份, 9月中旬: a month (the date grammar reads it when a year is given)
    if (
        n.kind == "digits"
        and _IDENT_BEFORE.search(before)
        # a percent is no code (يعتقد38% "believe 38 %", the space lost)
        and not money.percent_after(lang).match(text, n.end)
    ):
        # a year in a citation "(ДоДиС, 1991)" is preceded by ", " and kept; a proclitic
        # fused to the number is a word of its own (و20 خسارة "and 20 losses")
        fused = proclitic_before(lang)
        return fused is None or fused.match(text, n.start) is None
    if n.kind != "zh" and _IDENT_AFTER.match(text, n.end):
        return True
    if n.kind == "zh" and (before.endswith(ZH_VAGUE) or text.startswith(ZH_VAGUE, n.end)):
        return True  # 几十年 "decades", 数百 "hundreds", 十几 "ten-odd": no number is stated
    if n.kind == "zh" and n.value == 1 and text[: n.start].endswith(_zh_article_one(lang)):
        return True  # 这一天 "this day", 最后一天 "the last day": an article, no count of one
    return n.kind == "zh" and before.endswith("第")


@owned("facts-lexicon")
def _kk_vague(lang: str) -> tuple[regex.Pattern[str], regex.Pattern[str]] | None:
    """A Kazakh number word or scale word with the suffix of an approximate plural right after a
    number (`он мыңдаған`) or right before it (`ондаған мың`): "tens of", "thousands of"."""
    if langs.language(lang) != "kk":
        return None
    words = [*lexicon.spelled_numbers(lang), *lexicon.scale_words(lang)]
    alts = "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))
    suffix = "(?:дағ|дег|тағ|тег)[ае]н" if lang == "kk-Cyrl" else "(?:داع|دەگ|تاع|تەگ)[اە]ن"
    word = rf"(?<!{LETTER})(?:{alts}){suffix}(?!{LETTER})"
    # after the number: the next word; before it: the word ending where the number starts
    flags = regex.IGNORECASE
    return regex.compile(rf"[ \u00a0]+{word}", flags), regex.compile(rf"{word}[ \u00a0]+$", flags)


@owned("facts-lexicon")
def _ordinal_words(lang: str) -> frozenset[str]:
    """Ordinal words that a number word after them completes (lexicon kind `ordinal`)."""
    return frozenset(lexicon.fold_alef(e.surface) for e in lexicon.words(lang, "ordinal"))


def _after_ordinal(text: str, n: Number, lang: str) -> bool:
    """Whether a number word ends an Arabic compound ordinal: `السابعة عشرة` "the 17th",
    `الثالثة عشر` "13th", `الحادي والعشرين` "the 21st" (the unit is an ordinal, the ten a
    cardinal form); the ordinal is not annotated (docs/conventions.md), nor its ten."""
    ordinals = _ordinal_words(lang)
    if not ordinals:
        return False
    m = _WORD_BEFORE.search(text, max(0, n.start - _WORD_REACH), n.start)
    if m is None:
        return False
    word = lexicon.fold_alef(m.group(1))
    return word in ordinals or word.removeprefix(ARTICLE) in ordinals


@owned("facts-lexicon")
def _zh_article_one(lang: str) -> tuple[str, ...]:
    """Words before 一 that make it an article (lexicon kind `article_one`: 这, 每, 最后, 前)."""
    return tuple(e.surface for e in lexicon.words(lang, "article_one"))


@owned("facts-lexicon")
def _clock_words(lang: str) -> tuple[regex.Pattern[str] | None, regex.Pattern[str] | None]:
    """Words that make the number next to them a time of day (lexicon kinds `clock_before`:
    الساعة, сағат, 下午; `clock_after`: a.m., утра, مساءً, 点), as patterns ending at the
    number and starting after it."""
    before = [e.surface for e in lexicon.words(lang, "clock_before")]
    after = [e.surface for e in lexicon.words(lang, "clock_after")]
    zh = langs.language(lang) == "zh"
    start, stop = ("", "") if zh else (rf"(?<!{LETTER})", rf"(?!{LETTER})")
    return (
        regex.compile(rf"{start}(?:{_alts(before)})\s*$", regex.IGNORECASE) if before else None,
        regex.compile(rf"\s*(?:{_alts(after)}){stop}", regex.IGNORECASE) if after else None,
    )


# how far before a number a word that makes it a time of day may start (таңғы 5, الساعة 3)
_CLOCK_REACH = 12


def _time_of_day(text: str, n: Number, lang: str) -> bool:
    """Whether the number is an hour of the day (5 a.m., 3 مساءً, таңғы 5, 下午5点): like the
    clock times `numbers.CLOCK` reads, it counts nothing (docs/conventions.md)."""
    before, after = _clock_words(lang)
    if after is not None and after.match(text, n.end):
        return True
    return before is not None and bool(before.search(text, max(0, n.start - _CLOCK_REACH), n.start))


@owned("facts-lexicon")
def _anniversary_after(lang: str) -> regex.Pattern[str] | None:
    """An ordinal ending and an anniversary word (lexicon kind `anniversary`) after a number."""
    words = [e.surface for e in lexicon.words(lang, "anniversary")]
    if not words:
        return None
    return regex.compile(
        rf"(?P<o>st|nd|rd|th)\s+(?P<w>{_alts(words)})(?!{LETTER})", regex.IGNORECASE
    )


def _anniversary(text: str, n: Number, lang: str) -> Candidate | None:
    """`63rd birthday`, `50th anniversary`: an ordinal that counts the years of an anniversary,
    a number with unit `anniversary` as `63-летие`, `50 周年` and `100 жылдығы` are; other
    ordinals are no numbers (docs/conventions.md)."""
    pattern = _anniversary_after(lang)
    if pattern is None or n.kind != "digits" or not (m := pattern.match(text, n.end)):
        return None
    return Candidate(n.start, m.end("o"), "number", n.value, unit="anniversary")


# Chinese fractions: 三分之一 "one third" (分之 between the denominator and the numerator);
# 百分之 N is N percent, written before the number
ZH_FRACTION = regex.compile(r"\s?分之")
ZH_FRACTION_BEFORE = regex.compile(r"分之\s?$")
ZH_PERCENT_BEFORE = regex.compile(r"百分之\s?$")
ZH_FULL_PERCENT = regex.compile(r"百分之百(?![分之零一二三四五六七八九十])")


def _amount(text: str, cand: Candidate, lang: str) -> None:
    """Make the candidate money or a percent when a currency or percent sign goes with it."""
    value = cand.value
    if cm := money.currency_after(lang).match(text, cand.end):
        code = money.currency_code(cm.group("cur"), lang)
        cand.type, cand.value, cand.end = "money", {"amount": value, "currency": code}, cm.end()
    elif pm := money.percent_after(lang).match(text, cand.end):
        cand.type, cand.end = "percent", pm.end()
    elif langs.language(lang) == "zh" and (
        zp := ZH_PERCENT_BEFORE.search(text, max(0, cand.start - _WORD_REACH), cand.start)
    ):
        cand.type, cand.start = "percent", zp.start()  # 百分之五十, 百分之 20: 50 %, 20 %
    elif cb := money.currency_before().search(text, max(0, cand.start - 4), cand.start):
        code = money.currency_code(cb.group("cur"), "en")
        cand.type, cand.value = "money", {"amount": value, "currency": code}
        cand.start = cb.start()


# A unit of measure of at most this many letters (м, см, km) is an abbreviation: it takes no
# case ending, since with one it would begin other words (5 мая is a date, not 5 м).
MAX_ABBREVIATION = 2
# The accusative of an Arabic noun counted by a number from 11 up (85 ميلاً, 650 رطلاً).
_AR_ACCUSATIVE = ("اً", "ًا", "ا")


# Words right after a number that name its unit: units of measure (lexicon kind `measure`),
# then the words that make a number a factor or a count of repetitions (kind `times`: N times,
# в три раза, екі есе, ثلاث مرات; unit `times` in every language, since English, Russian and
# Arabic say both "three times bigger" and "three times a week" with one word).
UNIT_WORD_KINDS = ("measure", "times")


@owned("facts-lexicon")
def _measures(lang: str, kind: str = "measure") -> dict[str, str]:
    """Units of measure (lexicon kind `measure`: inches, см, 英里, بوصة) → the unit's name;
    with kind `times`, the words of a factor (times, раз, есе, مرات) → `times`."""
    forms = {e.surface: e.value for e in lexicon.words(lang, kind)}
    if lang == "kk-Arab":
        forms = {f.lstrip(lexicon.HAMZA): v for f, v in forms.items()}
    return forms


@owned("facts-lexicon")
def _measure_after(lang: str, kind: str = "measure") -> regex.Pattern[str] | None:
    """A unit of measure right after a number: `5 см`, `10 inches`, `20英寸`, `85 ميلاً`
    (with kind `times`: `3 times`, `2 раза`, `екі есеге`, `ثلاث مرات`).

    Words take the language's case endings (`дюймов`, `дюймге`; lexicon kind `case_ending`)
    or the Arabic accusative; abbreviations and forms with signs (`км/ч`, `°C`) are exact.
    """
    forms = _measures(lang, kind)
    if not forms:
        return None
    words = [f for f in forms if f.isalpha() and len(f) > MAX_ABBREVIATION]
    exact = [f for f in forms if f not in words]
    endings = [e.surface for e in lexicon.words(lang, "case_ending")]
    if langs.language(lang) == "ar":
        endings += _AR_ACCUSATIVE
    ending = f"(?:{_alts(endings)})?" if endings else ""
    # the exact forms first: a form of several words (ميلاً في الساعة, км в час) is not its
    # first word with an ending
    body = "|".join(x for x in (_alts(exact), f"(?:{_alts(words)}){ending}" if words else "") if x)
    # Chinese writes the next word without a space; elsewhere the unit is a whole word
    edge = "" if langs.language(lang) == "zh" else rf"(?!{LETTER})"
    return regex.compile(rf"[ \u00a0]?(?P<m>{body}){edge}")


def _measure(text: str, cand: Candidate, lang: str) -> str | None:
    """The unit of measure (or `times`) written right after the candidate, by its name, if any."""
    for kind in UNIT_WORD_KINDS:
        pattern = _measure_after(lang, kind)
        if pattern is None or not (mm := pattern.match(text, cand.end)):
            continue
        written, forms = mm.group("m"), _measures(lang, kind)
        form = max((f for f in forms if written.startswith(f)), key=len)
        if langs.language(lang) == "zh":
            cand.end = mm.end()  # attached like a classifier (20英寸)
            if ZH_PER_HOUR.search(text, max(0, cand.start - _PER_HOUR_REACH), cand.start):
                # 每小时 85 英里 "85 miles per hour": the rate is written before the number
                return ZH_SPEEDS.get(forms[form], forms[form])
        return forms[form]
    return None


# "per hour" before a Chinese distance makes it a speed (每小时 85 英里 = 85 mph), with at most
# a space and 约 / 达 "about, reaching" between
ZH_PER_HOUR = regex.compile(r"每小[时時]\s?(?:[约約达達]\s?)?$")
_PER_HOUR_REACH = 8
ZH_SPEEDS = {"mile": "mph", "km": "km/h"}


def _counted(text: str, cand: Candidate, n: Number, lang: str) -> bool:
    """Set the unit of a plain number (and take a Chinese classifier or Kazakh ending along).

    Returns whether a referring noun follows (兩國, екі ел).
    """
    if (unit := _measure(text, cand, lang)) is not None:
        cand.unit = unit
        return False
    if langs.language(lang) == "zh":
        if um := zh_classifier(lang).match(text, cand.end):
            cand.unit = dict(_units(lang))[um.group("u").lower()]
            cand.end = um.end()
        return _unit_ahead(text, cand.end, lang, 1)[1]
    if (
        langs.language(lang) == "kk"
        and n.kind == "digits"
        and (sx := _KK_SUFFIX.match(text, cand.end))
    ):
        cand.end = sx.end()
    if lang == "ar" and text.startswith(ARTICLE, n.start):
        # a definite number follows its noun: السنوات الخمس "the five years"
        cand.unit = _unit_behind(text, n.start, lang)
        return False
    if lang == "ar" and n.kind == "spelled" and n.value in AR_ADJECTIVE_NUMBERS:
        # one and two follow their noun like an adjective: يوم واحد "one day", لمدة ساعتين
        if (behind := _unit_behind(text, n.start, lang)) is not None:
            cand.unit = behind
            return False
    cand.unit, referring = _unit_ahead(text, cand.end, lang)
    post = post_qualifier(lang)
    if cand.unit is None and not referring and post and (qm := post.match(text, cand.end)):
        # The qualifier is not one of the words between a number and what it counts
        # (180-нен астам мемлекетаралық, үкіметаралық және ведомствоаралық құжатқа).
        cand.unit, referring = _unit_ahead(text, qm.end(), lang)
    return referring


@owned("facts-lexicon")
def _proclitics(lang: str) -> tuple[str, ...]:
    """One-letter words written fused to the next (lexicon kind `proclitic`: و ب ل ف ك)."""
    return tuple(e.surface for e in lexicon.words(lang, "proclitic"))


# Arabic numbers that follow their noun as an adjective, indefinite too (يوم واحد, أسبوعين اثنين)
AR_ADJECTIVE_NUMBERS = (1, 2)


_WORD_BEFORE = regex.compile(rf"(?<!{LETTER})({LETTER}+)\s+$")


def _definite_after_noun(text: str, n: Number, lang: str) -> bool:
    """Whether an Arabic number with the article follows the noun it counts, as an adjective
    (`السفن الأربع` "the four ships", `مبارياته الأربع` "his four matches"), the way `four
    ships` counts in the other languages: the word before is a word of at least three
    letters, not a function word (lexicon kind `function`) and not a referring noun
    (`الدول الثلاث` "the three countries", lexicon kind `refer`)."""
    if lang != "ar" or n.kind != "spelled" or not text.startswith(ARTICLE, n.start):
        return False
    m = _WORD_BEFORE.search(text[max(0, n.start - _WORD_REACH) : n.start])
    if not m or len(m.group(1)) < MIN_NOUN_LETTERS:
        return False
    return m.group(1) not in _function_words(lang) and not _refers_behind(text, n, lang)


def _refers_behind(text: str, n: Number, lang: str) -> bool:
    """Whether an Arabic definite number follows a referring noun (`الدول الثلاث` "the three
    countries"): it then only refers, as `екі ел` does (docs/conventions.md)."""
    if lang != "ar" or not text.startswith(ARTICLE, n.start):
        return False
    m = _WORD_BEFORE.search(text[max(0, n.start - _WORD_REACH) : n.start])
    if not m:
        return False
    word = m.group(1)
    bare = word[1:] if word.startswith(_proclitics(lang)) else word
    return any(w.removeprefix(ARTICLE) in _ar_refer_nouns() for w in (word, bare))


@owned("facts-lexicon")
def _ar_refer_nouns() -> frozenset[str]:
    """The Arabic referring nouns (lexicon kind `refer`) without their article."""
    return frozenset(r.removeprefix(ARTICLE) for r in _refer("ar"))


def _unit_behind(text: str, pos: int, lang: str) -> str | None:
    """The unit named by the word just before `pos` (without its article or a proclitic:
    ليوم واحد "for one day"), if any."""
    m = regex.search(rf"({LETTER}+)\s+$", text[max(0, pos - 30) : pos])
    if not m:
        return None
    word = m.group(1)
    bare = word[1:] if word.startswith(_proclitics(lang)) else word
    words = {w.removeprefix(ARTICLE) for w in (word, bare)}
    return next((u for f, u in _units(lang) for w in words if w.startswith(f)), None)


def _qualify(text: str, cand: Candidate, lang: str) -> None:
    """Take a qualifier word after (以下, астам) or before (約, шамамен) into the surface."""
    post, pre = post_qualifier(lang), pre_qualifier(lang)
    if post is not None and (qm := post.match(text, cand.end)):
        cand.qualifier = _qualifier_value(qm.group("q"), lang, "qualifier_post")
        cand.end = qm.end()
    if pre is not None and (qm := pre.search(text, max(0, cand.start - 20), cand.start)):
        cand.qualifier = cand.qualifier or _qualifier_value(qm.group("q"), lang, "qualifier_pre")
        cand.start = qm.start()


YEAR_UNIT_WORDS = 2  # how far a unit may follow a number of 1800-2100 that it counts
# The qualifier of a Kazakh year number with its year word that makes it a year (2030 жылға
# дейін "until 2030": дейін follows the year's dative); `before` does not (2000 жыл бұрын "2000
# years ago" counts years), nor a qualifier before the number (менее 2000 лет "under 2000 years")
UNTIL = ("less_than",)


def _as_year(text: str, cand: Candidate, n: Number) -> None:
    """A bare 1800-2100 with nothing counted or qualified is a year (in a citation: noted)."""
    cand.type, cand.sets_year, cand.end = "year", cand.value, n.end
    if _CITATION.search(text, max(0, n.start - 3), n.start) and text[n.end : n.end + 1] == ")":
        cand.note, cand.sets_year = "citation", None


@owned("facts-lexicon")
def _labels_before(lang: str) -> regex.Pattern[str] | None:
    """A label word (Article, Статья, المادة) ending right before a number."""
    words = [w for w in lexicon.label_words(lang) if not lang.startswith(("zh", "kk"))]
    if not words:
        return None
    return regex.compile(rf"(?<!{LETTER})(?P<w>{_alts(words)}){LETTER}*\s+$", regex.IGNORECASE)


@owned("facts-lexicon")
def _labels_after(lang: str) -> regex.Pattern[str] | None:
    """A label word right after a number: 第一条 (zh), 1-бап / 2-бабы (kk)."""
    words = list(lexicon.label_words(lang))
    if not words or not lang.startswith(("zh", "kk")):
        return None
    if langs.language(lang) == "zh":
        return regex.compile(rf"(?P<w>{_alts(words)})")
    return regex.compile(rf"-(?P<w>{_alts(words)}){LETTER}*", regex.IGNORECASE)


def _label(text: str, n: Number, lang: str) -> Candidate | None:
    """A number that labels a part of a text (Article 1, Статья 1, 1-бап, 第一条), or None.

    It is kept as a number with the label as its unit (`article`), so a diff compares
    article numbers with article numbers and never with quantities; 第 before it (the
    Chinese ordinal prefix) belongs to the surface.
    """
    value = lexicon.label_words(lang)
    if (after := _labels_after(lang)) and (m := after.match(text, n.end)):
        if langs.language(lang) == "zh" and not text[: n.start].endswith("第"):
            return None
        start = n.start - 1 if langs.language(lang) == "zh" else n.start
        return Candidate(start, m.end(), "number", n.value, unit=value[m.group("w").lower()])
    before = _labels_before(lang)
    if before and n.kind == "digits" and (m := before.search(text[max(0, n.start - 30) : n.start])):
        return Candidate(n.start, n.end, "number", n.value, unit=value[m.group("w").lower()])
    return None


def _scale(text: str, cand: Candidate, n: Number, lang: str) -> None:
    """Multiply by a scale word after the number (2,8 млрд, 550多万, £2.8bn, $5m)."""
    scale = scale_pattern(lang)
    if scale is not None and (sm := scale.match(text, n.end)):
        if DESIGNATION_AFTER.match(text, sm.end()):
            return  # 217 ألف (د-3): a document symbol's letter, not a thousand
        cand.value, cand.end = scaled(n, sm.group(), lang), sm.end()
        if langs.language(lang) == "zh" and sm.group("more"):
            cand.qualifier = "more_than"
        return
    if lang == "ru" and n.kind == "digits" and (am := _ru_scale_adjective().match(text, n.end)):
        # 25-тысячная толпа "a crowd of 25 thousand", 3-миллионный город
        cand.value, cand.end = scaled(n, am.group("w"), lang), am.end()
        return
    suffixes = lexicon.money_scale_suffixes(lang)
    if suffixes and money.currency_before().search(text, max(0, n.start - 4), n.start):
        word = regex.match(rf"{LETTER}+", text[n.end :])
        if word and word.group() in suffixes:
            cand.value = to_value(Decimal(str(n.value)) * suffixes[word.group()])
            cand.end = n.end + len(word.group())


@owned("facts-lexicon")
def _ru_scale_adjective() -> regex.Pattern[str]:
    """A Russian adjective of a scale word after digits and a hyphen (-тысячную, -миллионный):
    the stem of a scale word in full letters (тысяч, миллион), then н and an ending."""
    stems = [w for w in lexicon.scale_words("ru") if w.isalpha() and w.endswith(("ч", "н", "д"))]
    alts = "|".join(regex.escape(w) for w in sorted(stems, key=len, reverse=True))
    return regex.compile(rf"-(?P<w>{alts})н{LETTER}+", regex.IGNORECASE)


@owned("facts-lexicon")
def _collectives(lang: str) -> frozenset[str]:
    return frozenset(
        e.surface.lower().lstrip(lexicon.HAMZA) for e in lexicon.words(lang, "collective")
    )


def _collective(word: str, lang: str) -> bool:
    """A collective numeral (пятеро, бесеуі) counts people by itself: no noun need follow
    (but `екеуі де` "both of them" counts nothing: the particle is a function word)."""
    return word.lower().lstrip(lexicon.HAMZA) in _collectives(lang)


def _function_after(text: str, pos: int, lang: str) -> bool:
    """Whether the next word is a function word of the language (lexicon kind `function`)."""
    m = _NEXT_WORD.match(text, pos)
    return bool(m) and m.group(1).lower().lstrip(lexicon.HAMZA) in _function_words(lang)


_NEXT_WORD = regex.compile(r"[ \u00a0]+(\p{L}+)")
# Shorter words after a number are prepositions and conjunctions (of, из, من, in), not nouns.
MIN_NOUN_LETTERS = 3


def _noun_after(text: str, pos: int, lang: str) -> bool:
    """Whether the word right after a spelled-out number can be what it counts.

    Not across punctuation, not a capitalised word (a name: Three Gorges), not a
    function word of the language (lexicon kind `function`: and, than, were).
    """
    if langs.language(lang) == "zh":
        return False  # Chinese counts with a classifier, which `_counted` already read
    m = _NEXT_WORD.match(text, pos)
    if not m or len(m.group(1)) < MIN_NOUN_LETTERS or m.group(1)[0].isupper():
        return False
    word = m.group(1).lower()
    return not any(word == f or word.startswith(f + "-") for f in _function_words(lang))


@owned("facts-lexicon")
def _function_words(lang: str) -> frozenset[str]:
    return frozenset(
        e.surface.lower().lstrip(lexicon.HAMZA) for e in lexicon.words(lang, "function")
    )


# What joins the two ends of a range of numbers: a dash (30-43 %, 30–43 процента) or a range
# word of the language (lexicon kind `between`: to, до, إلى, 至, мен), with optional spaces.
_RANGE_DASHES = "-\u2012\u2013\u2014~\uff5e\uff0d"


@owned("facts-lexicon")
def _measure_units() -> frozenset[str]:
    """The names of all units of measure (what `_measure` gives), in any language."""
    return frozenset(
        v
        for lang in lexicon.LANGS
        for kind in UNIT_WORD_KINDS
        for v in _measures(lang, kind).values()
    )


@owned("facts-lexicon")
def _range_joint(lang: str) -> regex.Pattern[str]:
    # a range word, or a conjunction (lexicon kind `and`): in `between 30 and 43 percent` and
    # in a list (`3 and 4 percent`) the sign written once counts for both numbers too
    kinds = ("between", "and")
    words = [regex.escape(e.surface) for kind in kinds for e in lexicon.words(lang, kind)]
    alts = "|".join([f"[{regex.escape(_RANGE_DASHES)}]", *sorted(words, key=len, reverse=True)])
    return regex.compile(rf"\s?(?:{alts})\s?", regex.IGNORECASE)


def find_quantities(text: str, lang: str) -> Iterator[Candidate]:
    """Number, money and percent candidates, one per number token the conventions count
    (docs/conventions.md). The first end of a range of percentages or of a measure is one too
    (`30-43 %`, `от 30 до 43%`, `between 30 and 43 percent`, `2 to 4 inches`, `2 至 4 英寸`: the
    sign or unit is written once, after the second)."""
    held: Candidate | None = None
    cands = sorted(_quantities(text, lang), key=lambda c: c.start)
    extra = _duals(text, cands) if lang == "ar" else _compounds(text, cands, lang)
    if extra:
        cands = sorted([*cands, *extra], key=lambda c: c.start)
    if factors := _multipliers(text, lang):
        # a word of a factor takes the place of the numeral inside it (增加一倍 is 2, not 1)
        kept = [c for c in cands if not any(f.start < c.end and c.start < f.end for f in factors)]
        cands = sorted([*kept, *factors], key=lambda c: c.start)
    for cand in cands:
        if (
            held is not None
            and held.type == "number"
            and held.unit is None
            and (
                cand.type == "percent" or (cand.type == "number" and cand.unit in _measure_units())
            )
            and _range_joint(lang).fullmatch(text, held.end, cand.start)
        ):
            held.type, held.unit = cand.type, cand.unit
        if held is not None:
            yield held
        held = cand
    if held is not None:
        yield held


@owned("facts-lexicon")
def _multiplier_pattern(lang: str) -> tuple[regex.Pattern[str], list[tuple[str, int]]] | None:
    """Words that state a factor or a repetition without a numeral (lexicon kind
    `multiplier`: twice, doubled, вдвое, удвоить, 翻一番, يضاعف; `multiplier_verb`: double), and
    each form's factor. A form
    ending in `*` is a stem any letters may follow (удвоить, удвоила; تضاعفت); an Arabic
    form may take a proclitic (وتضاعفت)."""
    entries = [*lexicon.words(lang, "multiplier"), *lexicon.words(lang, "multiplier_verb")]
    if not entries:
        return None
    forms = [(e.surface.lower().rstrip("*"), int(e.value)) for e in entries]
    stems = [e.surface.lower().rstrip("*") for e in entries if e.surface.endswith("*")]
    exact = [f for f, _ in forms if f not in stems]
    body = "|".join(x for x in (_alts(exact), f"(?:{_alts(stems)}){LETTER}*" if stems else "") if x)
    forms.sort(key=lambda fv: -len(fv[0]))  # the longest written form decides the factor
    if langs.language(lang) == "zh":
        return regex.compile(rf"(?P<m>{body})"), forms
    clitics = "".join(regex.escape(c) for c in _proclitics(lang))
    pre = f"[{clitics}]?" if clitics else ""
    return (
        regex.compile(rf"(?<!{LETTER}|-){pre}(?P<m>{body})(?!{LETTER}|-)", regex.IGNORECASE),
        forms,
    )


_PREVIOUS_WORD = regex.compile(rf"({LETTER}+|{DIGIT}+)[ \u00a0]+$")
_WORD_REACH = 40  # characters before a word searched for the word before it (longer than a word)


def _multipliers(text: str, lang: str) -> list[Candidate]:
    """Numbers with unit `times` for the words of `_multiplier_pattern` (docs/conventions.md:
    `twice`, `doubled`, `вдвое`, `翻一番`, `يضاعف` are the factor 2, as `екі есе`, `в два
    раза`, `两倍` and `ضعفين` are). After an article or a number the word is a noun or an
    adjective, not a factor (`a double murder`, `two doubles` in golf), and so is a word
    hyphenated to another (`double-digit`); this is checked for the forms that can be nouns
    (lexicon kind `multiplier_verb`: double, triple), not for `twofold` or `doubled`."""
    compiled = _multiplier_pattern(lang)
    if compiled is None:
        return []
    pattern, forms = compiled
    out = []
    for m in pattern.finditer(text):
        before = text[max(0, m.start() - _WORD_REACH) : m.start()]
        written = m.group("m").lower()
        if written in _verb_forms(lang) and (prev := _PREVIOUS_WORD.search(before)):
            word = prev.group(1).lower()
            if (
                word in _articles(lang)
                or word[0].isdigit()
                or word in lexicon.spelled_numbers(lang)
            ):
                continue
        value = next(v for f, v in forms if written.startswith(f))
        out.append(Candidate(m.start("m"), m.end("m"), "number", value, unit="times"))
    return out


@owned("facts-lexicon")
def _verb_forms(lang: str) -> frozenset[str]:
    """Forms of a factor that are also nouns or adjectives (lexicon kind `multiplier_verb`)."""
    return frozenset(e.surface.lower() for e in lexicon.words(lang, "multiplier_verb"))


@owned("facts-lexicon")
def _articles(lang: str) -> frozenset[str]:
    """Articles (lexicon kind `article`: a, an, the): a word of a factor after one is a noun."""
    return frozenset(e.surface.lower() for e in lexicon.words(lang, "article"))


# The Arabic dual: a noun with -ين / -ان counts two of it (عامين "two years", قدمين "two
# feet"); a noun in -ة writes it -ت before the ending (ساعتين "two hours").
_AR_DUAL_ENDINGS = ("ين", "ان")


@owned("facts-lexicon")
def _ar_dual_pattern() -> tuple[regex.Pattern[str], dict[str, str]]:
    """The duals of the Arabic units, units of measure and `مرة` "time" (مرتين "twice"), and
    each dual stem's unit."""
    stems: dict[str, str] = {}
    units = [
        *_units("ar"),
        *(kv for kind in UNIT_WORD_KINDS for kv in _measures("ar", kind).items()),
    ]
    for form, unit in units:
        if " " in form or len(form) < MIN_DUAL_STEM:
            continue
        stems.setdefault(form[:-1] + "ت" if form.endswith("ة") else form, unit)
    pattern = regex.compile(
        rf"(?<!{LETTER})(?:[وبلفك]?{ARTICLE})?(?P<s>{_alts(list(stems))})"
        rf"(?:{'|'.join(_AR_DUAL_ENDINGS)})(?!{LETTER})"
    )
    return pattern, stems


# a dual stem of fewer letters (كم + ين) would be another word
MIN_DUAL_STEM = 3


def _duals(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Arabic duals as counts of two, where no other number already stands."""
    if "ين" not in text and "ان" not in text:
        return []
    pattern, stems = _ar_dual_pattern()
    out: list[Candidate] = []
    for m in pattern.finditer(text):
        if any(c.start < m.end() and m.start() < c.end for c in cands):
            continue
        out.append(Candidate(m.start("s"), m.end(), "number", 2, unit=stems[m.group("s")]))
    for m in _AR_FEMININE_DUAL.finditer(text):
        stem = m.group("s")[:-3]  # without ت and the ending
        if len(stem) < MIN_FEMININE_DUAL_STEM or stem.endswith(_AR_NOT_DUAL_STEM):
            continue
        if m.group("s")[:-2] in _ar_refer_stems() or any(
            c.start < m.end() and m.start() < c.end for c in [*cands, *out]
        ):
            continue
        if any(c.end <= m.start() and not text[c.end : m.start()].strip() for c in out):
            continue  # an adjective agreeing with the dual before it (المباراتين الأخيرتين)
        if _AR_COORDINATED.search(text, max(0, m.start() - _WORD_REACH), m.start()):
            continue  # an adjective agreeing with two nouns joined by و (مساعدة ورعاية خاصتين)
        out.append(Candidate(m.start("s"), m.end(), "number", 2))
    return out


# The dual of any feminine noun in -ة: -تين / -تان (سيارتين "two cars", نقطتين "two points",
# الحكومتان "the two governments"), counted like `two cars` in the other languages; the
# surface is the word without its article, as for the duals of units. A stem of at least
# three letters before ت, so that ستين "sixty" is no dual. Masculine duals (-ين, -ان) are
# left out: -ين is also the sound masculine plural (لاعبين "players"), which the script
# does not tell apart without vowels; and the construct forms -تا / -تي are also "my ..."
# (سيارتي "my car").
MIN_FEMININE_DUAL_STEM = 3
_AR_FEMININE_DUAL = regex.compile(
    rf"(?<!{LETTER})(?:[وبلفك]?{ARTICLE}(?={LETTER}{{{MIN_FEMININE_DUAL_STEM}}}))?"
    rf"(?P<s>{LETTER}+ت(?:ين|ان))(?!{LETTER})"
)
# Stem endings of words in -تين / -تان that are no duals: -ستان country names (كازاخستان),
# names and loanwords in -stin / -ntin / -tine (كريستين, جوستين, أرجنتين, بروتين), and the
# nisba adjectives in -ية, whose duals (الرسميتين) agree with a noun and count nothing.
_AR_NOT_DUAL_STEM = ("س", "ن", "و", "ي")


# right before: a feminine noun in -ة joined by the conjunction و (the second of two joined
# nouns, ورعاية), which a dual adjective after it agrees with; a verb (وجدت) ends in ت
_AR_COORDINATED = regex.compile(rf"(?<!{LETTER})و{LETTER}{{2,}}ة\s+$")


@owned("facts-lexicon")
def _ar_refer_stems() -> frozenset[str]:
    """The dual stems of the Arabic referring nouns (lexicon kind `refer`: الدولتين "the two
    states" → دولت), whose duals only refer, as `екі ел` and `兩國` do (docs/conventions.md)."""
    return frozenset(r.removeprefix(ARTICLE)[:-2] for r in _refer("ar"))


@owned("facts-lexicon")
def _compound_pattern(lang: str) -> tuple[regex.Pattern[str], dict[str, str]] | None:
    """Compound adjectives of a number and a unit (четырехдневная "four-day", пятикратный
    "five-time", 7000-тонный): the number's combining form or digits and a hyphen, then a
    unit root (lexicon kind `compound_root`)."""
    roots = {e.surface: e.value for e in lexicon.words(lang, "compound_root")}
    if not roots:
        return None
    forms = [f for f in lexicon.spelled_numbers(lang) if " " not in f]
    forms += [f.replace("е", "ё") for f in forms if "е" in f]  # трёх, четырёх
    pattern = regex.compile(
        rf"(?<!{LETTER}|{DIGIT}|-)(?:(?P<w>{_alts(forms)})|(?P<d>{DIGIT}+)-)"
        rf"(?P<r>{_alts(list(roots))}){LETTER}*",
        regex.IGNORECASE,
    )
    return pattern, roots


def _compounds(text: str, cands: list[Candidate], lang: str) -> list[Candidate]:
    """The numbers of compound adjectives (`_compound_pattern`) where no other number stands."""
    compiled = _compound_pattern(lang)
    if compiled is None:
        return []
    pattern, roots = compiled
    out = []
    for m in pattern.finditer(text):
        unit = roots[next(r for r in roots if m.group("r").lower() == r.lower())]
        held = [c for c in cands if c.start < m.end() and m.start() < c.end]
        if held:
            # 7000-тонный: the digits are a number already, the compound names its unit
            if m.group("d") and held[0].start == m.start() and held[0].type == "number":
                held[0].unit = held[0].unit or unit
            continue
        if m.group("w"):
            value = lexicon.spelled_numbers(lang).get(m.group("w").lower().replace("ё", "е"))
        else:
            value = int(ascii_digits(m.group("d")))
        if value is None or (value == 1 and unit not in DURATIONS):
            continue
        out.append(Candidate(m.start(), m.end(), "number", value, unit=unit))
    return out


def _one_counts(text: str, cand: Candidate, n: Number, lang: str) -> bool:
    """Whether a spelled-out one counts: only a duration named right next to it (`one day`,
    `бір жыл`, `один час`, `一天`; Arabic `يوم واحد`, the number after its noun). Further off,
    one is an article or "one of" (`one of his classes last year`, `бір жағынан`), which the
    other languages write without a numeral."""
    if cand.unit not in DURATIONS:
        return False
    if langs.language(lang) == "zh" or text[cand.start : cand.end] != text[n.start : n.end]:
        return True  # the unit is inside the surface (一天, a classifier) or next to it (一-)
    if lang == "ar" and text.startswith(ARTICLE, n.start):
        return True  # السنة الواحدة: the definite noun before, read by `_counted`
    return (
        _unit_ahead(text, cand.end, lang, 1)[0] == cand.unit
        or _unit_behind(text, n.start, lang) == cand.unit
    )


def _quantities(text: str, lang: str) -> Iterator[Candidate]:
    kazakh = langs.language(lang) == "kk"
    if langs.language(lang) == "zh" and "百分之百" in text:
        # 百分之百 "a hundred percent": 百 alone is a numeral only here (百姓 "the people")
        for m in ZH_FULL_PERCENT.finditer(text):
            yield Candidate(m.start(), m.end(), "percent", 100)
    for n in find_numbers(text, lang):
        if (label := _label(text, n, lang)) is not None:
            yield label
            continue
        if (anniversary := _anniversary(text, n, lang)) is not None:
            yield anniversary
            continue
        if _is_identifier(text, n, lang) or _time_of_day(text, n, lang):
            continue
        cand = Candidate(n.start, n.end, "number", n.value)
        _scale(text, cand, n, lang)
        _amount(text, cand, lang)
        referring = _counted(text, cand, n, lang) if cand.type == "number" else False
        referring = referring or (n.kind == "spelled" and _refers_behind(text, n, lang))
        _qualify(text, cand, lang)
        if cand.type != "number":
            yield cand
        elif n.kind != "digits":
            # a spelled-out number counts only what a unit names; "one" only a duration
            counts = (
                cand.unit
                or (
                    _collective(text[n.start : n.end], lang)
                    and not _function_after(text, cand.end, lang)
                )
                or (n.value != 1 and _noun_after(text, cand.end, lang))
                or (n.value != 1 and _definite_after_noun(text, n, lang))
            )
            if not referring and counts and (n.value != 1 or _one_counts(text, cand, n, lang)):
                yield cand
        else:
            bare = cand.unit is None and cand.qualifier is None
            year_like = n.digits.isdigit() and len(n.digits) == 4 and 1800 <= n.value <= 2100
            if year_like and cand.unit is not None and cand.end == n.end and not cand.qualifier:
                # a unit several words on is no unit of a year (in 1945, just a few days
                # short; in 1997, but … LGBT people): only a unit right after it, or after one
                # word (2000 more people), makes it a count
                if _unit_ahead(text, cand.end, lang, YEAR_UNIT_WORDS)[0] is None:
                    cand.unit, bare = None, True
            if bare and year_like:
                _as_year(text, cand, n)
            elif year_like and kazakh and cand.unit == "year" and cand.qualifier in UNTIL:
                # 2030 жылға дейін "by 2030": the year word names the year, the qualifier
                # says "until", as 2030年之前 does; not fewer than 2030 years
                cand.type, cand.value, cand.qualifier, cand.unit = "year", n.value, "before", None
                cand.sets_year = n.value
            yield cand
