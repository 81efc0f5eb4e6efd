"""Number tokens in running text and their values, per language.

Three kinds of token: digits (ASCII, Arabic-Indic ٠-٩, Persian ۰-۹) with the
language's separators (`1,7` and `796,2` are decimals in Kazakh and Russian,
`2,000` is two thousand in Chinese and English); Chinese numerals (二十一, 兩,
兩千, 两千, read by ICU's zh_Hant or zh spell-out rules); and spelled-out cardinals in the other
languages (жиырма бір, ءۇش, three), also read by ICU. A scale word after a
number multiplies it (4億, 796,2 миллион, 1,7 ميلليارد); scale words come from
CLDR compact-number data (`lexicon.scale_words`).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import NamedTuple

import regex

from kzkg_tools import langs
from kzkg_tools.facts import lexicon
from kzkg_tools.resources import owned

DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
ZH_NUMERAL = "〇零一二三四五六七八九十百千萬万億亿兩两"
LETTER = r"[\p{L}\p{M}]"
HAMZA_OPT = "\u0621?"
ARTICLE = "ال"

_SEPARATORS = {
    # language key: (thousands separators, decimal separators, group-only separators)
    # A group-only separator is read as grouping when exactly three digits follow it
    # (and no fourth), else as the decimal mark: Russian and Kazakh write the decimal
    # comma but also `150.000` for 150 thousand, and Arabic news writes both `5.5`
    # (a decimal) and `150.000` (150 thousand, the grouping of ar-EG and the Maghreb).
    # English and Chinese keep `.` for decimals only (7.550 is a decimal there).
    "zh": (",", ".", ""),
    "en": (",", ".", ""),
    "ar": ("\u066c,", "\u066b.", "."),
    "kk-Cyrl": (" \u00a0\u202f", ",.", "."),
    "kk-Arab": (" \u00a0\u202f", ",.", "."),
    "ru": (" \u00a0\u202f", ",.", "."),
}
GROUP = 3  # digits between two thousands separators, in every language the lexicon knows
# A time of day, `7:55`, `13:00`, `10:30:15` (hours 0-24, two-digit minutes and seconds): the
# colon form every language of the table writes (CLDR's time patterns, `H:mm` / `h:mm a`). It
# is not a count, so its digits give no number (`в 7:55` is not 7 of anything); a score or a
# ratio (`2:1`, `1:50 000`) has no two-digit minutes and stays two numbers.
CLOCK = regex.compile(
    # the colon as ASCII or full-width (Chinese 5：30)
    rf"(?<!{DIGIT}|{DIGIT}[:：.,])({DIGIT}{{1,2}})[:：]({DIGIT}{{2}})(?:[:：]({DIGIT}{{2}}))?"
    rf"(?!{DIGIT}|[:：.,]{DIGIT}|[ \u00a0\u202f]{DIGIT}{{{GROUP}}}(?!{DIGIT}))"
)
HOURS, MINUTES = 24, 59


def clock_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` writes a time of day (`CLOCK`, hours and minutes in range)."""
    spans = []
    for m in CLOCK.finditer(text):
        parts = [int(ascii_digits(g)) for g in m.groups() if g]
        if parts[0] <= HOURS and all(p <= MINUTES for p in parts[1:]):
            spans.append(m.span())
    return spans


class Number(NamedTuple):
    """A number token: its range in the text, value, and how it was written."""

    start: int
    end: int
    value: int | float
    kind: str  # "digits" | "zh" | "spelled"
    digits: str = ""  # the digits as written (keeps 007's leading zeros)


def to_value(d: Decimal) -> int | float:
    """An int when the amount is whole (4億 → 400000000), else a float."""
    return int(d) if d == d.to_integral_value() else float(d)


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII; other characters unchanged."""
    if text.isascii():
        return text  # the usual token: nothing to convert, no per-character pass
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)


def sep_key(lang: str) -> str | None:
    """The key of `_SEPARATORS` for a grammar tag: its lexicon key in the language table."""
    return langs.get(lang).lexicon


def digits_separators(lang: str) -> tuple[str, str, str]:
    """The language's (thousands, decimal, group-only) separators (`_SEPARATORS`)."""
    return _SEPARATORS.get(sep_key(lang) or "", (",", ".", ""))


@owned("facts-lexicon")
def digits_pattern(lang: str) -> regex.Pattern[str]:
    """Digits with the language's thousands and decimal separators.

    Group `int` is the integer part (with its grouping), `frac` the decimals; a
    separator that may group or be a decimal mark is grouping only before exactly
    three digits (`_SEPARATORS`), so `150.000` in Arabic or Russian is one token of
    150000 while `5.5` and `1.25` stay decimals.
    """
    thousands, decimals, group_only = _SEPARATORS.get(sep_key(lang), (",", ".", ""))
    th = regex.escape(thousands + group_only)
    dec = regex.escape(decimals)
    # no group may end in a fourth digit (1,2345) nor run on with a separator that
    # cannot be the decimal mark (1,234,56): then only the plain reading is left
    no_more = regex.escape("".join(c for c in thousands if c not in decimals))
    grouped = rf"{DIGIT}{{1,3}}(?:[{th}]{DIGIT}{{{GROUP}}})+(?!{DIGIT}|[{no_more}]{DIGIT})"
    plain = rf"{DIGIT}+"
    body = rf"(?P<int>{grouped}|{plain})(?:[{dec}](?P<frac>{DIGIT}+))?"
    return regex.compile(rf"(?<![{DIGIT[1:-1]}\u066b\u066c])(?:{body})(?!{DIGIT})")


def digits_value(surface: str, lang: str) -> Decimal:
    """The value of a digit token written with the separators of `lang`."""
    m = digits_pattern(lang).fullmatch(surface)
    if m is None:  # not one token of this language (a caller's own surface): digits only
        return Decimal("".join(c for c in ascii_digits(surface) if c.isdigit()) or "0")
    whole = "".join(c for c in ascii_digits(m.group("int")) if c.isdigit())
    frac = ascii_digits(m.group("frac")) if m.group("frac") else ""
    return Decimal(f"{whole}.{frac}" if frac else whole)


def _scales(lang: str) -> dict[str, int]:
    scales = dict(lexicon.scale_words(lang))
    if langs.language(lang) == "zh":
        scales.update(lexicon.scale_words("zh-Hans" if lang == "zh-Hant" else "zh-Hant"))
    return scales


AR_TANWIN = "[\u064b\u064c\u064d]"  # ً ٌ ٍ: the indefinite case endings


# Chinese "N多万" / "N余万" (550多万 "over 5.5 million"): the approximation sits between
# the number and its scale word; the match's group `more` says so (qualifier more_than).
ZH_MORE = "多余餘"


@owned("facts-lexicon")
def scale_pattern(lang: str) -> regex.Pattern[str] | None:
    """A scale word right after a number (with Kazakh case endings: миллиардқа)."""
    scales = _scales(lang)
    if not scales:
        return None
    alts = "|".join(regex.escape(w) for w in sorted(scales, key=len, reverse=True))
    if langs.language(lang) == "zh":
        return regex.compile(rf"(?P<more>[{ZH_MORE}])?\s?(?:{alts})")
    tail = rf"{LETTER}*" if langs.language(lang) == "kk" else rf"(?!{LETTER})"
    if lang == "ru":
        # CLDR lists the nominative and genitive forms; a scale word takes every case
        # (1,7 миллионами, 649 миллионам, 2 тысячами)
        endings = "|".join(e.surface for e in lexicon.words(lang, "case_ending"))
        tail = rf"(?:{endings})?(?!{LETTER})"
    if lang == "ar":
        # the accusative with tanwin: 142 مليونًا, 5 مليارًا (written with or without the mark)
        tail = rf"{AR_TANWIN}?ا?(?!{LETTER})"
    return regex.compile(rf"[ \u00a0]?(?:{alts}){tail}", regex.IGNORECASE)


# A letter of a document symbol, not a scale word: "217 ألف (د-3)" is resolution 217 A (III),
# whose letter is written ألف (alif, "A"), the same word as "thousand". What gives it away
# is the session number in parentheses right after it: (د-3), (III), (XXI).
DESIGNATION_AFTER = regex.compile(r"\s*\((?:\p{L}{1,3}[-\u2013]\s?)?[\p{N}IVXLC]{1,6}\)")


def scale_value(word: str, lang: str) -> int:
    scales = _scales(lang)
    w = word.strip(" \u00a0").lower().lstrip(ZH_MORE).strip()
    for form in sorted(scales, key=len, reverse=True):
        if w.startswith(form):
            return scales[form]
    raise KeyError(word)


@owned("facts-lexicon")
def _spelled_alts(lang: str) -> str:
    forms = lexicon.spelled_numbers(lang)
    return "|".join(regex.escape(f) for f in sorted(forms, key=len, reverse=True))


# Two or three Chinese digits side by side without a unit character (十百千萬…) or a zero
# are not read digit by digit as ICU would (三四 is "three or four", not 34; 唯一一位 is
# "the only one"); four or more are (一九九一, a year), and so are runs with 〇/零 (二〇〇七).
ZH_LIST_RUN = regex.compile("[一二三四五六七八九兩两]{2,3}")


# What joins the words of one spelled-out number: twenty-one, one hundred and five,
# خمسة وعشرون (the conjunction و is written fused to the next word).
_JOINERS = {"en": r"(?:-|\s+and\s+|\s+)", "ar": r"\s+و?"}


@owned("facts-lexicon")
def _word_prefix(lang: str) -> str:
    # kk-Arab: the front-vowel hamza (ءبىر); ar: the article after a definite noun (السنوات الخمس)
    return {"kk-Arab": HAMZA_OPT, "ar": f"(?:{ARTICLE})?"}.get(lang, "")


TATWEEL = "\u0640"  # the joining stroke some write after a proclitic before digits (بـ20)


@owned("facts-lexicon")
def after_proclitic(lang: str) -> str:
    """A lookbehind (regex source) true right after a one-letter proclitic written fused to
    the next word (Arabic و ب ل ف ك: `و20`, `وسبعة`), itself standing alone; "" for
    languages without such letters (lexicon kind `proclitic`)."""
    letters = "".join(regex.escape(e.surface) for e in lexicon.words(lang, "proclitic"))
    return rf"(?<=(?<!{LETTER})[{letters}]{TATWEEL}?)" if letters else ""


@owned("facts-lexicon")
def proclitic_before(lang: str) -> regex.Pattern[str] | None:
    """`after_proclitic` compiled (match at a position), None without proclitics."""
    proclitic = after_proclitic(lang)
    return regex.compile(proclitic) if proclitic else None


@owned("facts-lexicon")
def spelled_pattern(lang: str) -> regex.Pattern[str] | None:
    """Spelled-out cardinals as whole words, a compound as one match (отыз екі, twenty-one)."""
    if langs.language(lang) == "zh":
        return regex.compile(rf"[{ZH_NUMERAL}]+")
    alts = _spelled_alts(lang)
    if not alts:
        return None
    pre = _word_prefix(lang)
    joiner = _JOINERS.get(lang, r"\s+")
    word = rf"{pre}(?:{alts})(?!{LETTER})"
    start = rf"(?<!{LETTER}|{DIGIT}|-)"
    if proclitic := after_proclitic(lang):
        start = f"(?:{start}|{proclitic})"
    return regex.compile(
        # a hyphen may follow when a word does (seven-year: the unit decides), not a digit
        rf"{start}{word}(?:{joiner}{word})*(?!{LETTER}|-(?!{LETTER}))",
        regex.IGNORECASE,
    )


@owned("facts-lexicon")
def _spelled_word(lang: str) -> regex.Pattern[str]:
    """One number word inside a compound (its conjunction and article included)."""
    pre = _word_prefix(lang)
    conj = "و?" if lang == "ar" else ""
    return regex.compile(rf"{conj}{pre}(?:{_spelled_alts(lang)})(?!{LETTER})", regex.IGNORECASE)


def _word_value(word: str, lang: str) -> int | None:
    """The value of one number word from the form list (ar: without its article or و)."""
    forms = lexicon.spelled_numbers(lang)
    key = word.lower().lstrip(lexicon.HAMZA)
    if lang == "ar":
        for k in (key, key.removeprefix("و")):
            if k in forms or k.removeprefix(ARTICLE) in forms:
                return forms.get(k, forms.get(k.removeprefix(ARTICLE)))
        return None
    return forms.get(key)


TEN = 10
# Places of the parts of a compound cardinal: each part fills one, from the largest down.
_PLACES = ((1000, "thousands"), (100, "hundreds"), (20, "tens"), (1, "units"))


def _place(value: int) -> str:
    return next(name for low, name in _PLACES if value >= low)


def additive_value(parts: list[int], lang: str) -> int | None:
    """The sum of a compound's parts when they fill distinct places, largest first.

    Arabic names the units before the tens (خمسة وعشرون = 5 + 20) and before ten in the
    teens; no other language of the lexicon does, so there "five twenty" stays two numbers.
    """
    if lang == "ar" and len(parts) == 2 and 1 <= parts[0] <= 9 and parts[1] == TEN:
        return parts[0] + TEN  # the teens: a unit, then ten (ثماني عشرة = 18, ثلاث عشرة = 13)
    order = [name for _, name in _PLACES]
    places = [_place(v) for v in parts]
    if len(set(places)) != len(places):
        return None
    ranks = [order.index(p) for p in places]
    if lang == "ar":
        # the units-tens pair counts as one place, in either order
        ranks = [
            order.index("tens") if p == "units" and parts[i] < 10 else r
            for i, (p, r) in enumerate(zip(places, ranks, strict=True))
        ]
        if len(set(ranks)) != len(ranks) and places.count("units") + places.count("tens") != 2:
            return None
    if ranks != sorted(ranks):
        return None
    return sum(parts)


@owned("facts-lexicon", maxsize=4096)
def spelled_value(surface: str, lang: str) -> int | None:
    """Value of a spelled-out cardinal, parsed by ICU's CLDR spell-out rules.

    A compound is read by ICU as a whole (тридцати двух, one hundred and five); its
    parts' sum (`additive_value`) is the check, and the answer where ICU reads another
    number (en "thirty two" is 3002 to ICU) or none (Arabic oblique case: خمسة وعشرين).
    """
    if langs.language(lang) == "zh":
        return lexicon.parse_chinese(surface)
    words = [m.group() for m in _spelled_word(lang).finditer(surface)]
    values = [_word_value(w, lang) for w in words]
    if len(words) == 1 and values[0] is not None and lang in ("kk-Arab", "ar"):
        return values[0]  # forms derived from ICU's (converted, or without ة)
    summed = additive_value(values, lang) if None not in values else None  # type: ignore[arg-type]
    if lang in ("kk-Arab", "ar"):
        return summed
    parsed = lexicon.parse_spelled(surface.lower(), lexicon.ICU_LOCALES[lang][0])
    if parsed is not None and (summed is None or parsed == summed):
        return parsed
    return summed


def _spelled_numbers(text: str, start: int, end: int, lang: str) -> list[Number]:
    """The numbers of one run of number words: the longest readable compound first."""
    if langs.language(lang) == "zh":
        run = text[start:end]
        if ZH_LIST_RUN.fullmatch(run):
            return []  # 三四个 "three or four", 唯一一位: digits side by side are no one number
        value = spelled_value(run, lang)
        return [] if value is None else [Number(start, end, value, "zh")]
    words = [m.span() for m in _spelled_word(lang).finditer(text, start, end)]
    weekdays = lexicon.weekday_names(lang)
    # a weekday named by its number (الاثنين Monday, "the second") is no number
    words = [w for w in words if lexicon.fold_alef(text[w[0] : w[1]].lower()) not in weekdays]
    out, i = [], 0
    while i < len(words):
        for j in range(len(words), i, -1):
            value = spelled_value(text[words[i][0] : words[j - 1][1]], lang)
            if value is not None:
                out.append(Number(words[i][0], words[j - 1][1], value, "spelled"))
                i = j
                break
        else:
            i += 1
    return out


def find_numbers(text: str, lang: str) -> list[Number]:
    """All number tokens of `text`, in order, without overlaps (digits first); the digits of
    a time of day (`CLOCK`) are none."""
    out: list[Number] = []
    taken: list[tuple[int, int]] = []
    clocks = clock_spans(text) if ":" in text or "：" in text else []
    for m in digits_pattern(lang).finditer(text):
        if clocks and any(s <= m.start() and m.end() <= e for s, e in clocks):
            continue
        value = to_value(digits_value(m.group(), lang))
        out.append(Number(m.start(), m.end(), value, "digits", ascii_digits(m.group())))
        taken.append(m.span())
    pat = spelled_pattern(lang)
    if pat is not None:
        for m in pat.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            out.extend(_spelled_numbers(text, m.start(), m.end(), lang))
    out.sort()
    return out


def scaled(number: Number, scale_word: str, lang: str) -> int | float:
    """The number times the scale word's multiplier, in decimal (1,7 млрд → 1700000000 exactly)."""
    return to_value(Decimal(str(number.value)) * scale_value(scale_word, lang))
