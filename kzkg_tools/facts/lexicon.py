"""Word lists the fact grammars are built from: CLDR (through PyICU) first, curated TSV second.

Month names, spelled-out cardinals, scale words (thousand, million, 萬, 億) and
percent signs are what CLDR already knows, so they are read from ICU for every
language; only what CLDR lacks (qualifier words, relative years, units, the
currency head nouns as they are written in running text) is curated in
`kzkg_tools/data/facts/lexicon.tsv`, each row with its source.

Raw Arabic-script Kazakh (the 1980s Xinjiang orthography of seed 003) has no
CLDR locale; its forms are derived from the Cyrillic ones with the letter table
`kk_cyrl_arab.tsv` (ICU's own `kk-ar` transform writes another orthography:
قانْغتار for қаңтар where the corpus has قاڭتار).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from typing import NamedTuple

import icu

from kzkg_tools import langs, tables
from kzkg_tools.resources import owned

#: The tags that have a fact grammar of their own (the language table's `facts` targets).
LANGS = langs.grammar_tags()

#: The ICU locales whose CLDR data stands for each grammar tag, from the language table.
#: kk-Arab has no CLDR data of its own: its forms come from kk through `kk_arab`.
ICU_LOCALES = {lang: langs.LANGS[lang].cldr_locales for lang in LANGS}

HAMZA = "\u0621"
_FRONT_VOWELS = set("әөүі")
_FRONT_MARKERS = set("екгә")


@owned("facts-lexicon")
def _kk_letters() -> dict[str, str]:
    return {r["cyrl"]: r["arab"] for r in tables.records("facts/kk_cyrl_arab.tsv")}


def kk_arab(cyrillic: str) -> str:
    """Kazakh Cyrillic to the Arabic script of the corpus, word by word.

    A word with a front vowel (ә ө ү і) and none of е к г, which mark front
    words by themselves, takes the hamza ء at its start. Capital-letter
    acronyms (БҰҰ) become spaced letters (ب ۇ ۇ) as the corpus writes them.
    """
    letters = _kk_letters()
    out = []
    for word in cyrillic.split(" "):
        if len(word) > 1 and word.isupper() and word.isalpha():
            out.append(" ".join(letters.get(c, c) for c in word.lower()))
            continue
        low = word.lower()
        conv = "".join(letters.get(c, c) for c in low)
        if _FRONT_VOWELS & set(low) and not _FRONT_MARKERS & (set(low) - {"ә"}):
            conv = HAMZA + conv
        out.append(conv)
    return " ".join(out)


class Entry(NamedTuple):
    surface: str
    value: str


@owned("facts-lexicon")
def curated() -> dict[tuple[str, str], list[Entry]]:
    """(lexicon key, kind) → entries of lexicon.tsv; kk-Arab gets kk-Cyrl rows converted."""
    table: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for r in tables.records("facts/lexicon.tsv"):
        table[(r["lang"], r["kind"])].append(Entry(r["surface"], r["value"]))
        if r["lang"] == "kk-Cyrl":
            table[("kk-Arab", r["kind"])].append(Entry(kk_arab(r["surface"]), r["value"]))
    return dict(table)


def words(lang: str, kind: str) -> list[Entry]:
    """Curated entries of one kind for a language tag (kk-Arab: converted from kk-Cyrl)."""
    return curated().get((langs.get(lang).lexicon, kind), [])


# ---------------------------------------------------------------- CLDR via ICU


def _month_lists(locale: str) -> list[list[str]]:
    """Format and stand-alone month names, wide and abbreviated, of one ICU locale."""
    sym = icu.DateFormatSymbols(icu.Locale(locale))
    lists = [sym.getMonths(), sym.getShortMonths()]
    for context in (icu.DateFormatSymbols.FORMAT, icu.DateFormatSymbols.STANDALONE):
        for width in (icu.DateFormatSymbols.WIDE, icu.DateFormatSymbols.ABBREVIATED):
            lists.append(sym.getMonths(context, width))
    return [list(m)[:12] for m in lists]


@owned("facts-lexicon")
def month_names(lang: str) -> dict[str, int]:
    """Surface form (lowercased) → month number, from CLDR format and stand-alone names.

    Abbreviations keep the dot CLDR writes (ru `мар.`) so that they only match
    with it; Kazakh abbreviations (`қаз`, `там`) are dropped because with case
    endings allowed they would read қазақ and тамыр as months. Arabic gets both
    traditions (ar: أبريل; ar_SY/ar_IQ: نيسان); Cyrillic Kazakh also gets the
    Russian names. Chinese months are numeric (4月) and handled by the Chinese
    date grammar instead.
    """
    out: dict[str, int] = {}
    if langs.language(lang) == "zh":
        return out
    if lang == "kk-Cyrl":
        # Kazakh scholarly text cites Russian sources: "18 февраля 1991 г." (wide forms only)
        out.update((f, i) for f, i in month_names("ru").items() if not f.endswith("."))
    for locale in ICU_LOCALES[lang]:
        for names in _month_lists(locale):
            for i, name in enumerate(names, start=1):
                form = name.lower()
                if langs.language(lang) == "kk" and (form.endswith(".") or len(form) <= 3):
                    continue
                if lang == "kk-Arab":
                    form = kk_arab(form).lstrip(HAMZA)
                if len(form.rstrip(".")) >= 3 and not form[0].isdigit():
                    out.setdefault(form, i)
                    for stem in _inflected_stems(form, lang):
                        out.setdefault(stem, i)
    if lang == "en":
        # News style abbreviates with a dot, September as Sept. (Dec. 26, Sept. 30); CLDR's
        # English abbreviations have no dot (the capital keeps "may" from being a month)
        for form, i in list(out.items()):
            if len(form) == EN_MONTH_ABBREVIATION:
                out.setdefault(form + ".", i)
        out.setdefault("sept.", 9)
    return out


EN_MONTH_ABBREVIATION = 3  # jan, feb, … (dec)


# The shortest month stem worth matching with any ending: мая → "ма" would read март and
# маленький; three letters (июн, июл) name one month each.
MIN_MONTH_STEM = 3
# Kazakh voices a final к/қ/п before a vowel ending: қыркүйек → қыркүйегінде
_KK_VOICING = {"к": "г", "қ": "ғ", "п": "б"}


def _inflected_stems(form: str, lang: str) -> list[str]:
    """Stems that take the case endings CLDR does not list (июне, сентябре; қыркүйегінде).

    Russian: the genitive form without its ending (сентября → сентябр), matched with any
    ending by the date grammar. Kazakh: the voiced stem (қыркүйек → қыркүйег).
    """
    if lang == "ru" and form[-1] in "яа" and len(form) - 1 >= MIN_MONTH_STEM:
        return [form[:-1]]
    if lang == "kk-Cyrl" and form[-1] in _KK_VOICING:
        return [form[:-1] + _KK_VOICING[form[-1]]]
    return []


# Alef with hamza above or below, or madda, written as bare alef: Arabic news writes
# الإثنين where CLDR has الاثنين (Monday).
_ALEF_FORMS = str.maketrans("أإآ", "ااا")


def fold_alef(text: str) -> str:
    return text.translate(_ALEF_FORMS)


@owned("facts-lexicon")
def weekday_names(lang: str) -> frozenset[str]:
    """CLDR weekday names, lowercased and alef-folded.

    Arabic weekdays are numerals with the article (الاثنين Monday, "the second").
    """
    out: set[str] = set()
    if langs.language(lang) == "zh" or lang == "kk-Arab":
        return frozenset()
    for locale in ICU_LOCALES[lang]:
        sym = icu.DateFormatSymbols(icu.Locale(locale))
        out.update(fold_alef(w.lower()) for w in list(sym.getWeekdays())[1:] if w)
    return frozenset(out)


@owned("icu")
def spellout(locale: str) -> icu.RuleBasedNumberFormat:
    """ICU's CLDR spell-out rules for a locale (parses 二十一, жиырма бір, twenty-one)."""
    return icu.RuleBasedNumberFormat(icu.URBNFRuleSetTag.SPELLOUT, icu.Locale(locale))


def parse_spelled(text: str, locale: str) -> int | None:
    """The value of a whole spelled-out cardinal, or None when ICU cannot read all of it."""
    fmt = spellout(locale)
    pos = icu.ParsePosition(0)
    try:
        result = fmt.parse(text, pos)
    except icu.ICUError:
        return None
    if pos.getIndex() != len(text) or pos.getErrorIndex() >= 0:
        return None
    value = result.getDouble()
    return int(value) if value == int(value) else None


@owned("icu")
def _roman() -> icu.RuleBasedNumberFormat:
    fmt = icu.RuleBasedNumberFormat(icu.URBNFRuleSetTag.NUMBERING_SYSTEM, icu.Locale("root"))
    fmt.setDefaultRuleSet("%roman-upper")
    return fmt


def parse_roman(text: str) -> int | None:
    """The value of an upper-case Roman numeral (XIX → 19, ICU's numbering-system rules)."""
    pos = icu.ParsePosition(0)
    try:
        result = _roman().parse(text, pos)
    except icu.ICUError:
        return None
    if pos.getIndex() != len(text) or pos.getErrorIndex() >= 0:
        return None
    value = result.getDouble()
    return int(value) if value == int(value) and value > 0 else None


# ICU's Traditional rules read 兩, 萬, 億 and 〇; its Simplified ones 两, 万, 亿: a Chinese
# numeral in either script (or mixed, as news copy often is) is read by the first that takes it.
ZH_SPELLOUT_LOCALES = ("zh_Hant", "zh")


@owned("facts-lexicon", maxsize=4096)
def parse_chinese(text: str) -> int | None:
    """The value of a whole Chinese numeral (三十二, 两千, 二〇〇七, 一萬五千), or None."""
    for locale in ZH_SPELLOUT_LOCALES:
        value = parse_spelled(text, locale)
        if value is not None:
            return value
    return None


@owned("facts-lexicon")
def spelled_numbers(lang: str, upto: int = 20) -> dict[str, int]:
    """Spelled-out cardinals 1..upto, tens to 90, 100 and 1000 (ICU spell-out) → value.

    Used to find candidate words in running text; each candidate is then
    checked with `parse_spelled` so multiword forms come from ICU too.
    """
    if langs.language(lang) == "zh":
        return {}
    locale = ICU_LOCALES[lang][0]
    fmt = spellout(locale)
    names = [fmt.getRuleSetName(i) for i in range(fmt.getNumberOfRuleSetNames())]
    # every cardinal rule set: Russian case forms (пяти, двух), Arabic genders
    rulesets = [r for r in names if "cardinal" in r and "financial" not in r] or [names[0]]
    out: dict[str, int] = {}
    for ruleset in rulesets:
        # hundreds too (двести, пятьсот): the first word of a compound like "двести тридцать"
        for n in [*range(1, upto + 1), *range(30, 100, 10), *range(100, 1000, 100), 1000]:
            form = fmt.format(n, ruleset).lower()
            if lang == "kk-Arab":
                form = kk_arab(form).lstrip(HAMZA)
            out.setdefault(form, n)
            if lang == "ar":
                # news often writes the hamza's alef bare (اثنتا عشرة, اربعة)
                out.setdefault(fold_alef(form), n)
            if lang == "ar" and 3 <= n <= 10 and form.endswith("ة"):
                # gender polarity: ICU writes خمسة; before or after a feminine noun it is خمس
                out.setdefault(form[:-1], n)
            if lang == "ar" and (n == 2 or 20 <= n <= 90) and form.endswith(("ون", "ان")):
                # ICU writes the nominative (عشرون, اثنان); text after a preposition or
                # a verb has the oblique case (خمسة وعشرين, لاثنين)
                out.setdefault(form[:-2] + "ين", n)
    # collective numerals, which ICU does not spell (двое, троих, бесеуі, екеуі "the two")
    for e in words(lang, "collective"):
        form = e.surface.lower()
        out.setdefault(form.lstrip(HAMZA) if lang == "kk-Arab" else form, int(e.value))
    return out


@owned("facts-lexicon")
def scale_words(lang: str) -> dict[str, int]:
    """Scale words (мың, миллион, млрд, مليون, 萬, 億) → multiplier, read from CLDR compact forms.

    ICU formats 1, 2, 5 and 10 thousand, million and billion in long and short
    compact style ("5 миллионов", "1 млрд", "10億"); the non-digit part of each
    is a scale word and the value divided by its digits the multiplier.
    """
    out: dict[str, int] = {}
    locales = ("kk",) if lang == "kk-Arab" else ICU_LOCALES[lang][:1]
    for locale in locales:
        for style in (icu.UNumberCompactStyle.LONG, icu.UNumberCompactStyle.SHORT):
            fmt = icu.CompactDecimalFormat.createInstance(icu.Locale(locale), style)
            for exp in range(3, 13):
                for lead in (1, 2, 5):
                    value = lead * 10**exp
                    text = fmt.format(value)
                    digits = "".join(str(unicodedata.digit(c)) for c in text if c.isdigit())
                    word = "".join(c for c in text if not c.isdigit()).strip(" \u00a0").lower()
                    if not digits or not word or (len(word) < 2 and langs.language(lang) != "zh"):
                        continue
                    if lang == "kk-Arab":
                        word = kk_arab(word)
                    out.setdefault(word, value // int(digits))
    # what CLDR's compact forms lack: news abbreviations (bn), plurals (مليارات), 千, 百万
    for e in words(lang, "scale"):
        out.setdefault(e.surface.lower(), int(e.value))
    return out


@owned("facts-lexicon")
def money_scale_suffixes(lang: str) -> dict[str, int]:
    """Scale letters read only fused to an amount of money ($5m, £50k) → multiplier."""
    return {e.surface: int(e.value) for e in words(lang, "scale_money")}


@owned("facts-lexicon")
def label_words(lang: str) -> dict[str, str]:
    """Words that make the number next to them a label (Article 1, 第一条, 1-бап) → label."""
    return {e.surface.lower(): e.value for e in words(lang, "label")}


@owned("facts-lexicon")
def percent_signs(lang: str) -> list[str]:
    """CLDR percent signs of the language (ar: ٪) plus the curated percent words."""
    signs = {"%"}
    for locale in ICU_LOCALES[lang][:1]:
        sym = icu.DecimalFormatSymbols(icu.Locale(locale))
        signs.add(
            sym.getSymbol(icu.DecimalFormatSymbols.kPercentSymbol).strip("\u061c\u200e\u200f")
        )
    signs.update(e.surface for e in words(lang, "percent"))
    return sorted(signs, key=len, reverse=True)
