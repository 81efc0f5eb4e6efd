"""Number tokens in running text and their values, per language.

Three kinds of token: digits (ASCII, Arabic-Indic ٠-٩, Persian ۰-۹) with the
language's separators (`1,7` and `796,2` are decimals in Kazakh and Russian,
`2,000` is two thousand in Chinese and English); Chinese numerals (二十一, 兩,
read by ICU's zh_Hant spell-out rules); and spelled-out cardinals in the other
languages (жиырма бір, ءۇش, three), also read by ICU. A scale word after a
number multiplies it (4億, 796,2 миллион, 1,7 ميلليارد); scale words come from
CLDR compact-number data (`lexicon.scale_words`).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import NamedTuple

import regex

from kzkg_tools.facts import lexicon
from kzkg_tools.resources import owned

DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
ZH_NUMERAL = "〇零一二三四五六七八九十百千萬万億亿兩两"
LETTER = r"[\p{L}\p{M}]"
HAMZA_OPT = "\u0621?"
ARTICLE = "ال"

_SEPARATORS = {
    # language key: (thousands separators, decimal separators)
    "zh": (",", "."),
    "en": (",", "."),
    "ar": ("\u066c,", "\u066b."),
    "kk-Cyrl": (" \u00a0\u202f", ",."),
    "kk-Arab": (" \u00a0\u202f", ",."),
    "ru": (" \u00a0\u202f", ",."),
}


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
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)


def sep_key(lang: str) -> str:
    return "kk-Arab" if lang == "kk-Arab" else lexicon.base_lang(lang)


@owned("facts-lexicon")
def digits_pattern(lang: str) -> regex.Pattern[str]:
    """Digits with the language's thousands and decimal separators."""
    thousands, decimals = _SEPARATORS.get(sep_key(lang), (",", "."))
    th = regex.escape(thousands)
    dec = regex.escape(decimals)
    grouped = rf"{DIGIT}{{1,3}}(?:[{th}]{DIGIT}{{3}})+(?![{th}]?{DIGIT})"
    plain = rf"{DIGIT}+"
    body = rf"(?:{grouped}|{plain})(?:[{dec}]{DIGIT}+)?"
    return regex.compile(rf"(?<![{DIGIT[1:-1]}\u066b\u066c])(?:{body})(?!{DIGIT})")


def digits_value(surface: str, lang: str) -> Decimal:
    """The value of a digit token written with the separators of `lang`."""
    thousands, decimals = _SEPARATORS.get(sep_key(lang), (",", "."))
    s = ascii_digits(surface)
    for t in thousands:
        s = s.replace(t, "")
    for d in decimals:
        s = s.replace(d, ".")
    return Decimal(s)


@owned("facts-lexicon")
def scale_pattern(lang: str) -> regex.Pattern[str] | None:
    """A scale word right after a number (with Kazakh case endings: миллиардқа)."""
    scales = dict(lexicon.scale_words(lang))
    if lang.startswith("zh"):
        scales.update(lexicon.scale_words("zh-Hans" if lang == "zh-Hant" else "zh-Hant"))
    if not scales:
        return None
    alts = "|".join(regex.escape(w) for w in sorted(scales, key=len, reverse=True))
    if lang.startswith("zh"):
        return regex.compile(rf"\s?(?:{alts})")
    tail = rf"{LETTER}*" if lang.startswith("kk") else rf"(?!{LETTER})"
    return regex.compile(rf"[ \u00a0]?(?:{alts}){tail}", regex.IGNORECASE)


def scale_value(word: str, lang: str) -> int:
    scales = dict(lexicon.scale_words(lang))
    if lang.startswith("zh"):
        scales.update(lexicon.scale_words("zh-Hans" if lang == "zh-Hant" else "zh-Hant"))
    w = word.strip(" \u00a0").lower()
    for form in sorted(scales, key=len, reverse=True):
        if w.startswith(form):
            return scales[form]
    raise KeyError(word)


@owned("facts-lexicon")
def spelled_pattern(lang: str) -> regex.Pattern[str] | None:
    """Spelled-out cardinal words (one or two words: жиырма бір) as whole words."""
    if lang.startswith("zh"):
        return regex.compile(rf"[{ZH_NUMERAL}]+")
    forms = lexicon.spelled_numbers(lang)
    if not forms:
        return None
    alts = "|".join(regex.escape(f) for f in sorted(forms, key=len, reverse=True))
    # kk-Arab: the front-vowel hamza (ءبىر); ar: the article after a definite noun (السنوات الخمس)
    pre = {"kk-Arab": HAMZA_OPT, "ar": f"(?:{ARTICLE})?"}.get(lang, "")
    return regex.compile(rf"(?<!{LETTER}|{DIGIT}|-){pre}(?:{alts})(?!{LETTER}|-)", regex.IGNORECASE)


@owned("facts-lexicon", maxsize=4096)
def spelled_value(surface: str, lang: str) -> int | None:
    """Value of a spelled-out cardinal, parsed by ICU's CLDR spell-out rules."""
    if lang.startswith("zh"):
        return lexicon.parse_spelled(surface, "zh_Hant")
    if lang in ("kk-Arab", "ar"):  # forms derived from ICU's (converted, or without ة)
        key = surface.lstrip(lexicon.HAMZA)
        if lang == "ar":
            key = key.removeprefix(ARTICLE)
        return lexicon.spelled_numbers(lang).get(key)
    return lexicon.parse_spelled(surface.lower(), lexicon.ICU_LOCALES[lang][0])


def find_numbers(text: str, lang: str) -> list[Number]:
    """All number tokens of `text`, in order, without overlaps (digits first)."""
    out: list[Number] = []
    taken: list[tuple[int, int]] = []
    for m in digits_pattern(lang).finditer(text):
        value = to_value(digits_value(m.group(), lang))
        out.append(Number(m.start(), m.end(), value, "digits", ascii_digits(m.group())))
        taken.append(m.span())
    pat = spelled_pattern(lang)
    if pat is not None:
        for m in pat.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value = spelled_value(m.group(), lang)
            if value is not None:
                out.append(
                    Number(
                        m.start(), m.end(), value, "spelled" if not lang.startswith("zh") else "zh"
                    )
                )
    out.sort()
    return out


def scaled(number: Number, scale_word: str, lang: str) -> int | float:
    """The number times the scale word's multiplier, in decimal (1,7 млрд → 1700000000 exactly)."""
    return to_value(Decimal(str(number.value)) * scale_value(scale_word, lang))
