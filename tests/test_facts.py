"""Tests of `kzkg facts`: hand-written seed cases, provenance, CLDR-derived lexicons, the CLI."""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path
from typing import Any

import icu
import pytest
import regex
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kzkg_tools import tables
from kzkg_tools.cli import cli
from kzkg_tools.facts import (
    FactContext,
    FactsOptions,
    extract,
    facts,
    gazetteer,
    lexicon,
    names,
    numbers,
)
from kzkg_tools.offsets import TextBuilder
from kzkg_tools.records import Sentence, dumps

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases" / "facts"
SEEDS = ROOT / "seeds"
FIELDS = (
    "type",
    "value",
    "surface",
    "qualifier",
    "unit",
    "subtype",
    "literal",
    "inferred",
    "intended",
)


def _rows(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (CASES / name).read_text(encoding="utf-8").splitlines()]


@functools.cache
def _predicted(name: str) -> list[list[dict[str, Any]]]:
    """Facts of every case of one file, read in order with one context (as in a document)."""
    rows = _rows(name)
    ctx = FactContext(doc_date=rows[0].get("doc_date"))
    # values as the code holds them (as the cases write them), not their JSON text
    return [[dataclasses.asdict(f) for f in extract(r["input"], r["lang"], ctx)] for r in rows]


def _project(found: list[dict[str, Any]]) -> list[str]:
    return sorted(
        json.dumps(
            {k: f[k] for k in FIELDS if f.get(k) is not None}, ensure_ascii=False, sort_keys=True
        )
        for f in found
    )


def _case_files() -> list[str]:
    """Seed cases (`*.jsonl`) and rule cases (`rules/*.jsonl`); `heldout/` is never a test."""
    paths = [*sorted(CASES.glob("*.jsonl")), *sorted(CASES.glob("rules/*.jsonl"))]
    return [p.relative_to(CASES).as_posix() for p in paths]


def _case_params() -> list[Any]:
    params = []
    for name in _case_files():
        for i, row in enumerate(_rows(name)):
            marks = (
                [pytest.mark.xfail(strict=True, reason=row.get("why", ""))]
                if row.get("expect") == "fail"
                else []
            )
            params.append(pytest.param(name, i, id=row["label"], marks=marks))
    return params


@pytest.mark.parametrize(("name", "index"), _case_params())
def test_hand_written_case(name: str, index: int) -> None:
    row = _rows(name)[index]
    assert _project(_predicted(name)[index]) == _project(row["expected"])


def test_cases_cover_chinese_and_kazakh() -> None:
    langs = {r["lang"] for p in CASES.glob("*.jsonl") for r in _rows(p.name)}
    assert {"zh-Hant", "kk-Arab", "kk-Cyrl", "ar"} <= langs


# ------------------------------------------------------------------ conventions (FACTS.md)


def _facts(text: str, lang: str, **ctx: Any) -> list[tuple[str, Any, str]]:
    return [(f.type, f.value, f.surface) for f in extract(text, lang, FactContext(**ctx))]


def test_wrong_year_is_kept_with_its_intended_form() -> None:
    (fact,) = extract("007年4月26日", "zh-Hant", FactContext())
    assert (fact.value, fact.intended) == ("0007-04-26", "2007-04-26")


def test_relative_years_resolve_against_the_document_or_the_last_year() -> None:
    ctx = FactContext(doc_date="2025-08-21")
    assert [f.value for f in extract("بيىل 21 شىلدەدە ، بىلتىر", "kk-Arab", ctx)] == [
        "2025-07-21",
        2024,
    ]
    ctx = FactContext()
    extract("1996年5月，納扎爾巴耶夫訪問馬來西亞", "zh-Hant", ctx)
    (date,) = [f for f in extract("马哈迪亦在同年7月回訪", "zh-Hans", ctx) if f.type == "date"]
    assert (date.value, date.inferred, date.literal) == ("1996-07", "year", "--07")


def test_demonyms_ethnonyms_and_referring_numbers_are_not_facts() -> None:
    assert _facts("Қазақстандық ғалымдар, екі елдің", "kk-Cyrl") == []
    assert _facts("游牧的哈薩克人 兩國", "zh-Hant") == []
    assert _facts("казахстанских ученых", "ru") == []
    assert _facts("رئيس الكازاخي", "ar") == []


def test_names_inside_other_words_are_not_found() -> None:
    assert _facts("В то время", "ru") == []  # not ВТО
    assert _facts("Сочимилько", "kk-Cyrl") == []  # not Сочи + endings
    assert _facts("他表示，大馬士革", "zh-Hant") == []  # Damascus, not 大馬 (Malaysia)


def test_case_forms_and_clitics_are_one_mention_of_the_whole_word() -> None:
    assert _facts("Қырғызстанмен", "kk-Cyrl") == [("entity", "Kyrgyzstan", "Қырғызстанмен")]
    assert _facts("لكازاخستان", "ar") == [("entity", "Kazakhstan", "لكازاخستان")]
    assert _facts("с Казахстаном", "ru") == [("entity", "Kazakhstan", "Казахстаном")]


def test_identifiers_ordinals_and_footnotes_are_not_numbers() -> None:
    assert [f[0] for f in _facts("Камбаратинская ГЭС-1, 2-й", "ru")] == ["entity"]
    assert _facts("үшінші ірі серіктес", "kk-Cyrl") == []


def test_money_percent_and_qualifiers() -> None:
    assert _facts("2,000萬美元以下", "zh-Hant") == [
        ("money", {"amount": 20000000, "currency": "USD"}, "2,000萬美元以下")
    ]
    assert _facts("حوالي 400 مليون دولار و 33٪", "ar") == [
        ("money", {"amount": 400000000, "currency": "USD"}, "حوالي 400 مليون دولار"),
        ("percent", 33, "33٪"),
    ]
    assert _facts("180-нен ас там құжат", "kk-Cyrl") == [("number", 180, "180-нен ас там")]


def test_digits_separators_and_ranges() -> None:
    assert _facts("٣٣٪ و ۱۹۹۲", "ar") == [("percent", 33, "٣٣٪"), ("year", 1992, "۱۹۹۲")]
    assert _facts("1,7 миллиард", "kk-Cyrl")[0][1] == 1700000000  # comma is decimal in kk
    assert _facts("2,000萬", "zh-Hant")[0][1] == 20000000  # and a thousands separator in zh
    assert _facts("1991-1998 жылдар аралығында", "kk-Cyrl") == [
        ("year_range", "1991/1998", "1991-1998 жылдар аралығында")
    ]
    assert _facts("1930年至1944年", "zh-Hant") == [("year_range", "1930/1944", "1930年至1944年")]


def test_decades_and_centuries() -> None:
    assert _facts("90年代中期", "zh-Hant") == [("year_range", "1990/1999", "90年代中期")]
    assert _facts("在 20 世纪 30 年代", "zh-Hans") == [
        ("year_range", "1930/1939", "20 世纪 30 年代")
    ]
    assert _facts("1990 жылдары", "kk-Cyrl") == [("year_range", "1990/1999", "1990 жылдары")]
    assert _facts("في منتصف تسعينيات القرن العشرين", "ar")[0][1] == "1990/1999"
    assert _facts("в 1990-х годах", "ru")[0][1] == "1990/1999"


def test_dates_in_arabic_russian_and_english() -> None:
    assert _facts("في 26 أبريل من عام 2007", "ar")[0] == (
        "date",
        "2007-04-26",
        "26 أبريل من عام 2007",
    )
    assert _facts("26 نيسان 2007", "ar")[0][1] == "2007-04-26"
    assert _facts("15 октября 1992 года", "ru") == [("date", "1992-10-15", "15 октября 1992 года")]
    assert _facts("on 15 October 1992", "en") == [("date", "1992-10-15", "15 October 1992")]


# ------------------------------------------------------------------ CLDR via ICU, not typed by hand


def test_month_names_come_from_cldr() -> None:
    kk = icu.DateFormatSymbols(icu.Locale("kk")).getMonths()
    months = lexicon.month_names("kk-Cyrl")
    assert [months[m] for m in kk] == list(range(1, 13))
    assert months["қазан"] == 10 and months["сәуір"] == 4
    ar = lexicon.month_names("ar")
    assert ar["أبريل"] == ar["نيسان"] == 4  # both Arabic traditions
    assert lexicon.month_names("kk-Arab")["ناۋرىز"] == 3  # 003's orthography, derived from CLDR kk
    typed = {e["surface"] for e in tables.records("facts/lexicon.tsv")}
    assert not typed & set(months)


def test_country_names_come_from_cldr_in_every_language() -> None:
    table = gazetteer.entries()
    for lang in ("zh-Hant", "zh-Hans", "ar", "kk-Cyrl", "ru", "en"):
        for loc in lexicon.ICU_LOCALES[lang]:
            name = icu.Locale("und_PE").getDisplayCountry(icu.Locale(loc))  # Peru: not curated
            assert table[lang][name].id == "PE"
    assert table["kk-Cyrl"]["Қазақстан"].name == "Kazakhstan"
    assert table["kk-Arab"]["قازاقستان"].id == "KZ"


def test_spelled_out_numbers_are_parsed_by_icu() -> None:
    assert lexicon.parse_spelled("жиырма бір", "kk") == 21
    assert lexicon.parse_spelled("二十一", "zh_Hant") == 21
    assert lexicon.parse_spelled("兩", "zh_Hant") == 2


def test_chinese_numerals_are_read_in_both_scripts() -> None:
    # ICU's zh_Hant rules read 兩/萬, its zh rules 两/万; 〇 and 零 are both zero
    assert [lexicon.parse_chinese(t) for t in ("兩千", "两千", "一萬", "一万", "二〇〇七")] == [
        2000,
        2000,
        10000,
        10000,
        2007,
    ]
    assert _facts("二零零七年", "zh-Hans") == [("year", 2007, "二零零七年")]
    assert _facts("一九九一年", "zh-Hant") == [("year", 1991, "一九九一年")]


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("150.000", "ar", 150000),  # exactly three digits after `.`: grouping
        ("5.5", "ar", 5.5),
        ("2.75", "ar", 2.75),
        ("١٥٠٬٠٠٠", "ar", 150000),
        ("1,234.5", "ar", 1234.5),
        ("150.000", "ru", 150000),
        ("1.234,5", "ru", 1234.5),
        ("7,55", "ru", 7.55),
        ("150 000", "ru", 150000),
        ("150.000", "kk-Cyrl", 150000),
        ("796,2", "kk-Cyrl", 796.2),
        ("7.55", "en", 7.55),
        ("7.550", "en", 7.55),  # English `.` is only ever the decimal mark
        ("1,234,567.8", "en", 1234567.8),
        ("150,000", "zh-Hans", 150000),
    ],
)
def test_digit_grouping_follows_the_language_and_the_group_size(
    text: str, lang: str, value: float
) -> None:
    [n] = numbers.find_numbers(text, lang)
    assert (n.start, n.end, n.value) == (0, len(text), value)


@pytest.mark.parametrize(
    ("parts", "lang", "value"),
    [
        ([30, 2], "en", 32),
        ([100, 20, 5], "ru", 125),
        ([5, 20], "ar", 25),  # Arabic names the units before the tens
        ([5, 20], "en", None),  # "five twenty" is two numbers
        ([2, 3], "kk-Cyrl", None),
        ([20, 30], "ar", None),
    ],
)
def test_compound_parts_fill_distinct_places(parts: list[int], lang: str, value: int) -> None:
    assert numbers.additive_value(parts, lang) == value


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("отыз екі", "kk-Cyrl", 32),
        ("жүз жиырма", "kk-Cyrl", 120),
        ("тридцати двух", "ru", 32),
        ("двести тридцать", "ru", 230),
        ("thirty two", "en", 32),  # ICU alone reads 3002
        ("twenty-one", "en", 21),
        ("one hundred and five", "en", 105),
        ("خمسة وعشرون", "ar", 25),
        ("خمسة وعشرين", "ar", 25),
    ],
)
def test_compound_spelled_out_numbers(text: str, lang: str, value: int) -> None:
    assert [(n.start, n.end, n.value) for n in numbers.find_numbers(text, lang)] == [
        (0, len(text), value)
    ]


def test_scale_words_beyond_cldr_and_the_resolution_letter() -> None:
    assert lexicon.scale_words("en")["bn"] == 10**9
    assert "m" not in lexicon.scale_words("en")  # 5 m is five metres ...
    assert lexicon.money_scale_suffixes("en")["m"] == 10**6  # ... $5m five million dollars
    assert _facts("5m", "en") == [("number", 5, "5")]
    assert _facts("550余万人", "zh-Hans")[0][1] == 5500000
    # ألف is "thousand", and the letter A of a UN symbol before its session in parentheses
    assert _facts("217 ألف (د-3)", "ar") == [("number", 217, "217")]
    assert _facts("217 ألف شخص", "ar") == [("number", 217000, "217 ألف")]
    assert _facts("217 ألف (XXI)", "ar") == [("number", 217, "217")]


def test_article_labels_are_numbers_with_the_label_as_unit() -> None:
    found = [
        (f.value, f.unit, f.surface)
        for text, lang in (
            ("第三条", "zh-Hans"),
            ("Article 3", "en"),
            ("статье 3", "ru"),
            ("3-бап", "kk-Cyrl"),
            ("المادة 3", "ar"),
        )
        for f in extract(text, lang)
    ]
    assert found == [
        (3, "article", "第三条"),
        (3, "article", "3"),
        (3, "article", "3"),
        (3, "article", "3-бап"),
        (3, "article", "3"),
    ]
    assert _facts("第三届", "zh-Hans") == []  # 第 without a label word: an ordinal


def test_weekdays_named_by_numbers_are_not_numbers() -> None:
    assert lexicon.fold_alef("الإثنين") in lexicon.weekday_names("ar")
    assert _facts("يوم الإثنين", "ar") == []
    assert _facts("ثلاثة أيام", "ar") == [("number", 3, "ثلاثة")]


def test_month_names_take_case_endings() -> None:
    assert lexicon.month_names("ru")["сентябр"] == 9
    assert lexicon.month_names("kk-Cyrl")["қыркүйег"] == 9
    assert "ма" not in lexicon.month_names("ru")  # too short a stem: март, маленький


def test_spelled_out_numbers_count_a_following_noun_but_not_a_name_or_a_function_word() -> None:
    assert _facts("eight inmates", "en") == [("number", 8, "eight")]
    assert _facts("восемь заключенных", "ru") == [("number", 8, "восемь")]
    assert _facts("Three Gorges", "en") == []
    assert _facts("two of them", "en") == []
    assert _facts("two and three", "en") == []


# the held-out documents whose entities are annotated too (the README there)
HELDOUT_ENTITY_DOCS = {"euronews-en.153799", "scotsman.133783", "cbsnews.248471", "bbc.381790"}


def test_heldout_gold_is_well_formed() -> None:
    """The held-out NTREX gold is read by the benchmark only; here: its format, not a score."""
    heldout = sorted((CASES / "heldout").glob("ntrex_*.jsonl"))
    assert [p.stem for p in heldout] == ["ntrex_ar", "ntrex_en", "ntrex_kk", "ntrex_ru", "ntrex_zh"]
    labels = None
    for path in heldout:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        if labels is None:
            labels = [r["label"] for r in rows]
        assert [r["label"] for r in rows] == labels  # the same segments in every language
        for r in rows:
            for e in r["expected"]:
                assert e["surface"] in r["input"], (r["label"], e)
                assert e["type"] in {
                    "date",
                    "year",
                    "year_range",
                    "number",
                    "money",
                    "percent",
                    "entity",
                }
                if e["type"] == "entity":  # entities carry a subtype from FACTS.md's list
                    assert e["subtype"] in {
                        "country",
                        "city",
                        "region",
                        "place",
                        "person",
                        "org",
                        "treaty",
                        "other",
                    }, (r["label"], e)
                    assert r["label"].rsplit("-", 1)[0] in HELDOUT_ENTITY_DOCS, (r["label"], e)


# ------------------------------------------------------------------ provenance

SEED_LANGS = {"000": "zh-Hant", "001": "ar", "002": "kk-Cyrl", "003": "kk-Arab", "004": "zh-Hant"}


def _seed_sentences(path: Path, with_map: bool) -> list[Sentence]:
    """One Sentence per non-empty line of a seed, with an identity map (or none)."""
    out = []
    pos = 0
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n")):
        if line.strip():
            spans = [[0, len(line), pos, pos + len(line)]] if with_map else None
            out.append(
                Sentence(
                    id=f"{path.stem}:{n}",
                    doc_id=path.stem,
                    n=n,
                    lang=SEED_LANGS[path.name[:3]],
                    text=line,
                    block="paragraph",
                    source=str(path),
                    span=[pos, pos + len(line)],
                    spans=spans,
                )
            )
        pos += len(line) + 1
    return out


@pytest.mark.parametrize("with_map", [True, False], ids=["spans", "identity-fallback"])
def test_every_surface_is_the_source_text_at_its_span(with_map: bool) -> None:
    total = 0
    for path in sorted(SEEDS.glob("0*.txt")):
        source = path.read_text(encoding="utf-8")
        for sentence in facts(_seed_sentences(path, with_map), FactsOptions()):
            for f in sentence.facts or []:
                assert source[f.span[0] : f.span[1]] == f.surface, (path.name, f)
                assert sentence.text[f.start : f.end] == f.surface
                total += 1
    assert total > 500


def test_transliterated_sentence_points_into_the_arabic_source(tmp_path: Path) -> None:
    source = "ءبىر 1992 -جىلدىڭ 15-قازانىنان"
    (tmp_path / "doc.txt").write_text(source, encoding="utf-8")
    b = TextBuilder()
    b.replace("бір", 0, 4)
    b.copy(" 1992", 4)
    b.replace(" жылдың", 9, 17)
    b.copy(" 15", 17)
    b.replace(" қазанынан", 20, len(source))
    text, omap = b.build()
    s = Sentence(
        id="d:0",
        doc_id="d",
        n=0,
        lang="kk-Cyrl",
        text=text,
        block="paragraph",
        source=str(tmp_path / "doc.txt"),
        span=[0, len(source)],
        spans=omap.as_lists(),
    )
    (out,) = facts([s], FactsOptions())
    (date,) = out.facts or []
    assert (date.value, date.surface, date.span) == (
        "1992-10-15",
        "1992 -جىلدىڭ 15-قازانىنان",
        [5, 30],
    )


# ------------------------------------------------------------------ invariants and the CLI

_ALPHABET = (
    "0123456789 ,.-年月日約億萬美元％%哈薩克斯坦қазан жыл Қазақстан 1992 доллар миллион"
    " جىل قازان ميلليون ٪ أبريل"
)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40), st.sampled_from(sorted(lexicon.LANGS)))
def test_offsets_always_index_the_text(text: str, lang: str) -> None:
    for f in extract(text, lang, FactContext(doc_date="2025-08-21")):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.surface


# Texts for the prefilters' equivalence: names with clitics, hamza, endings, acronyms
# (spaced and not), guillemets, Latin names in other scripts, 訪哈, names glued together.
_TRICKY = [
    "لكازاخستان وبكازاخستان فللاتحاد السوفيتي والكازاخستانية",
    "ءقازاقستان قازاقستاننىڭ ب ۇ ۇ «مەكەن» Kazinform اگەنتتىگى",
    "Қазақстанның БҰҰ Б Ұ Ұ «Мекен» Қазақстан-Ресей ақтау Ақтау. Kazinform",
    "Москве, в Казахстане и ООН; В то время",
    "習近平訪哈，哈薩克斯坦中央選舉委員會、大馬士革、發展中國家、Juraev議員 UN",
    "Kazakhstan's UN, Eu, the Soviet Union",
    # case and space variants the prefilter folds: capitals, ё, tab and no-break spaces
    "КАЗАХСТАН ҚАЗАҚСТАН Организации\tОбъединённых\u00a0Наций ЁЛКА KAZAKHSTAN Б\u00a0Ұ Ұ",
]


def _texts() -> list[tuple[str, str]]:
    rows = [(r["input"], r["lang"]) for p in sorted(CASES.glob("*.jsonl")) for r in _rows(p.name)]
    return rows + [(t, lang) for lang in lexicon.LANGS for t in _TRICKY]


@pytest.mark.parametrize("lang", lexicon.LANGS)
def test_entity_matcher_equals_the_one_pattern_over_all_forms(lang: str) -> None:
    """Matching only the branches that can start at a position changes no match."""
    from kzkg_tools.facts import entities

    matcher, _ = entities.matcher(lang)
    assert matcher is not None
    _assert_matches_the_full_pattern(matcher, lang)


@pytest.mark.parametrize("unions", [0, 1, 10_000])
@pytest.mark.parametrize("lang", ["ar", "kk-Arab"])
def test_entity_matcher_after_leading_letters_whatever_it_compiles(
    lang: str, unions: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a clitic or hamza the patterns of the next letters' groups, until `UNIONS` of
    them, then the one of all groups: the matches are the full pattern's either way."""
    from kzkg_tools.facts import entities

    monkeypatch.setattr(entities.Matcher, "UNIONS", unions)
    fresh, _ = entities.matcher.__wrapped__(lang)  # a new matcher, nothing compiled yet
    assert fresh is not None
    _assert_matches_the_full_pattern(fresh, lang)
    if unions == 0:
        assert fresh._unions == 0
        assert frozenset(b for b, _ in fresh._groups) in fresh._compiled
    else:
        assert 0 < fresh._unions <= unions


def _assert_matches_the_full_pattern(matcher: Any, lang: str) -> None:
    from kzkg_tools.facts import entities

    alts = matcher._alts[: matcher._n_trie]
    body = [entities._trie_alt([rx for _, rx in alts], lang)]
    body += [rx for _, rx in matcher._alts[matcher._n_trie :]]
    full = regex.compile(entities._context(lang, "|".join(body)), regex.IGNORECASE)
    texts = [t for t, _ in _texts()] + [t * 2 for t in _TRICKY]
    for text in texts:
        expected = [(m.span(), m.groupdict()) for m in full.finditer(text, overlapped=True)]
        assert [(m.span(), m.groupdict()) for m in matcher.finditer(text)] == expected, text
        for (start, end), _ in expected:
            inner = full.match(text, start, end - 1)
            got = matcher.match(text, start, end - 1)
            assert (got and got.span()) == (inner and inner.span())


def test_prefilter_folds_alike_what_the_name_patterns_match_alike() -> None:
    """Every character the `regex` module's IGNORECASE matches against a character of a
    gazetteer form (as written or case folded) or an organisation head folds to the same
    character: the prefilters in front of the entity patterns and the organisation cue skip
    no position or sentence where they can match."""
    from kzkg_tools.facts import gazetteer, trie

    words = [f for table in gazetteer.entries().values() for f in table]
    words += [e.surface for lang in lexicon.LANGS for e in lexicon.words(lang, "org_head")]
    chars = sorted({c for w in words for c in w + w.casefold()})
    every = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    either = regex.compile("[" + "".join(regex.escape(c) for c in chars) + "]", regex.IGNORECASE)
    matched = "".join(sorted({m.group() for m in either.finditer(every)}))
    for c in chars:
        for m in regex.finditer(regex.escape(c), matched, regex.IGNORECASE):
            assert trie.fold_char(m.group()) == trie.fold_char(c), (c, m.group())


def test_fold_is_fold_char_of_every_character() -> None:
    """`trie.fold`'s fast path (`str.lower`) gives `fold_char` for every character it takes."""
    from kzkg_tools.facts import trie

    unusual = trie._unusual()
    for code in range(0x110000):
        char = chr(code)
        low = char.lower()
        if len(low) == 1 and not unusual.search(low):
            assert trie.fold_char(char) == low, hex(code)
    text = "Қазақстан\tЁЛКА İstanbul ß ẞ\u00a0ſ ı ΟΔΟΣ"  # (a final sigma lowers to ς)
    assert trie.fold(text) == "".join(map(trie.fold_char, text))
    assert trie.fold("ABC") == "abc" == trie.fold("ABC")  # the remembered last text


def test_prefilter_finds_every_prefix_with_its_leading_room() -> None:
    from kzkg_tools.facts import trie

    pre = trie.Prefilter({"каз", "ab", "b"})
    assert pre.starts("xКАЗ ab") == [1, 5, 6]
    assert pre.starts("xКАЗ ab", lead=2) == [0, 1, 3, 4, 5, 6]
    assert trie.fold("Ё\tß") == "е ß"


@pytest.mark.parametrize("lang", lexicon.LANGS)
def test_date_cues_skip_only_patterns_that_cannot_match(lang: str) -> None:
    from kzkg_tools.facts import dates

    samples = (
        "1991 жылы 8 желтоқсанда; биыл қаңтар мен мамыр аралығында; 1990-жылдары; былтыр; "
        "8月31日; 2001年至2005年; 20 世纪 30 年代; 九十年代; 今年; 2019-05-06; 5 May 2010; "
        "mid-1990s; в 1990-х годах; 18 февраля 1991 г.; منتصف تسعينيات القرن العشرين"
    )
    # each sample alone too, so that a cue is missing from most texts
    texts = [t for t, _ in _texts()] + [samples, *samples.split("; ")]
    patterns = [((), dates._ISO), *dates.patterns(lang)]
    for text in texts:
        for cues, pat in patterns:
            if pat.search(text):  # a pattern that matches has all its cues in the text
                assert all(c.search(text) for c in cues), (pat.pattern, text)
        every = [dates._read(m, lang) for _, pat in patterns for m in pat.finditer(text)]
        expected = [(c.start, c.end, c.type, c.value, c.rel) for c in every if c is not None]
        got = [(c.start, c.end, c.type, c.value, c.rel) for c in dates.find_dates(text, lang)]
        assert got == expected, text


def test_cli_adds_facts_and_rejects_bad_records(tmp_path: Path) -> None:
    seed = SEEDS / "003_07f1efdd8f50746f.txt"
    inp = tmp_path / "s.jsonl"
    inp.write_text(
        "\n".join(dumps(s) for s in _seed_sentences(seed, True)) + "\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["facts", str(inp)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    dates = [f for r in records for f in r["facts"] if f["type"] == "date"]
    assert {"value": "2025-08-22", "surface": "22-تامىزدا"}.items() <= dates[1].items()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["facts", str(bad)])
    assert result.exit_code == 2 and "bad.jsonl:1" in result.stderr


@pytest.mark.parametrize(
    ("text", "lang", "value", "surface"),
    [
        ("Биылғы емтихан нәтижелері жақсы болды.", "kk-Cyrl", 2018, "Биылғы"),
        ("Өткен жылы зауыт ашылды.", "kk-Cyrl", 2017, "Өткен жылы"),
        ("Завод откроют до конца текущего года.", "ru", 2018, "текущего года"),
        ("سيفتتح المصنع في العام المقبل.", "ar", 2019, "العام المقبل"),
    ],
)
def test_relative_years_in_their_inflected_and_synonymous_forms(
    text: str, lang: str, value: int, surface: str
) -> None:
    assert _facts(text, lang, doc_date="2018-09-30") == [("year", value, surface)]


def test_english_day_and_month_without_a_year_are_a_date() -> None:
    ctx = {"doc_date": "2018-09-30"}
    assert _facts("Skies were blue on Saturday (September 29).", "en", **ctx) == [
        ("date", "2018-09-29", "September 29")
    ]
    assert _facts("He arrived on the 29th of September.", "en", **ctx) == [
        ("date", "2018-09-29", "29th of September")
    ]
    # a modal verb is no month; a range of days is left to the numbers
    assert _facts("You may 5 times ask.", "en", **ctx) == [("number", 5, "5")]
    assert [f[0] for f in _facts("The fair runs May 5-7.", "en", **ctx)] == ["number", "number"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("在过去100年里，海啸多次袭击该岛。", [("number", 100, "100年")]),
        ("这10年间变化很大。", [("number", 10, "10年")]),
        ("唐朝于618年建立。", [("year", 618, "618年")]),
        ("他在2005年前往北京。", [("year", 2005, "2005年")]),
        ("2005年以来经济增长。", [("year", 2005, "2005年")]),
    ],
)
def test_chinese_spans_of_years_are_counts_not_years(text: str, expected: list) -> None:
    assert _facts(text, "zh-Hans", doc_date="2018-09-30") == expected


# ------------------------------------------------------------------ entities beyond the gazetteer


def _entities(text: str, lang: str) -> list[tuple[str, str | None, str]]:
    return [(f.value, f.subtype, f.surface) for f in extract(text, lang) if f.type == "entity"]


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        (
            "в сотрудничестве с Организацией Объединенных Наций",
            "Организацией Объединенных Наций",
            "United Nations",
        ),
        (
            "целям Организации Объединённых Наций.",
            "Организации Объединённых Наций",
            "United Nations",
        ),
        ("народы Объединенных Наций", "Объединенных Наций", "United Nations"),
        (
            "заседание Шанхайской организации сотрудничества",
            "Шанхайской организации сотрудничества",
            "Shanghai Cooperation Organisation",
        ),
        ("с Соединенными Штатами", "Соединенными Штатами", "United States"),
        ("в Москве", "Москве", "Moscow"),
    ],
)
def test_russian_names_take_a_case_ending_on_every_word(
    text: str, surface: str, value: str
) -> None:
    assert (value, surface) in [(v, s) for v, _, s in _entities(text, "ru")]


def test_short_country_names_come_from_cldr() -> None:
    assert ("United States", "country", "US") in _entities("The US said", "en")
    assert ("United States", "country", "США") in _entities("власти США", "ru")
    assert ("United States", "country", "АҚШ-тың") in _entities("АҚШ-тың үкіметі", "kk-Cyrl")
    assert _entities("tell us", "en") == []  # acronyms match in their own case only


@pytest.mark.parametrize(
    ("text", "lang", "value", "surface"),
    [
        # CLDR alt="variant" names, read from ICU's region data
        ("exports from Ivory Coast", "en", "Côte d’Ivoire", "Ivory Coast"),
        ("the Czech Republic and", "en", "Czechia", "Czech Republic"),
        # regions CLDR names that are no country: continents, M.49 regions
        ("growth in Europe slowed", "en", "Europe", "Europe"),
        ("в странах Латинской Америки", "ru", "Latin America", "Латинской Америки"),
        ("Азия елдері", "kk-Cyrl", "Asia", "Азия"),
        ("在东南亚", "zh-Hans", "Southeast Asia", "东南亚"),
        # colloquial names CLDR lacks (gazetteer.tsv rows), with the language's endings
        ("the U.S. and Britain", "en", "United States", "U.S."),
        ("the U.S. and Britain", "en", "United Kingdom", "Britain"),
        ("Американы сынады", "kk-Cyrl", "United States", "Американы"),
        ("Құрама Штаттарынан озды", "kk-Cyrl", "United States", "Құрама Штаттарынан"),
        ("в Америке", "ru", "United States", "Америке"),
        ("с Северной Кореей", "ru", "North Korea", "Северной Кореей"),
        ("وصل إلى أمريكا", "ar", "United States", "أمريكا"),
        ("الجزء الشرقي للولايات المتحدة", "ar", "United States", "للولايات المتحدة"),
    ],
)
def test_short_variant_and_colloquial_names(text: str, lang: str, value: str, surface: str) -> None:
    assert (value, surface) in [(v, s) for v, _, s in _entities(text, lang)]


def test_cldr_regions_that_are_curated_rows_keep_the_rows_entity() -> None:
    table = gazetteer.entries()
    # CLDR's EU and UN names are the curated rows' entities (one value, one id)
    assert table["kk-Cyrl"]["Еуропалық Одақ"] == table["en"]["European Union"]
    assert table["ru"]["Организация Объединенных Наций"] == table["en"]["United Nations"]
    assert table["en"]["Europe"] == gazetteer.Entity("Europe", "region", "150")
    # the world (001) is a common noun, and a qualified CLDR name is no running-text form
    assert "world" not in table["en"] and "世界" not in table["zh-Hans"]
    assert "Congo (DRC)" not in table["en"]
    # a curated row wins over CLDR: Америка in Russian news is the United States
    assert table["ru"]["Америка"].id == "US"


def test_adjectives_of_the_new_names_stay_unannotated() -> None:
    assert _entities("американский президент", "ru") == []
    assert _entities("америкалық басшы", "kk-Cyrl") == []
    assert _entities("British and European leaders", "en") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senator Lindsey Graham said", [("Lindsey Graham", "person", "Lindsey Graham")]),
        ("Prime Minister Theresa May", [("Theresa May", "person", "Theresa May")]),
        ("Foreign Minister Ri Yong-ho", [("Ri Yong-ho", "person", "Ri Yong-ho")]),
        ("Mr. Mitch McConnell", [("Mitch McConnell", "person", "Mitch McConnell")]),
        # a weekday after the name is not part of it (news style)
        ("Judge Brett Kavanaugh Monday said", [("Brett Kavanaugh", "person", "Brett Kavanaugh")]),
        # one word after a title: the surname (the full name when named before)
        ("President Trump said", [("Trump", "person", "Trump")]),
        ("Mr. Adams's view", [("Adams", "person", "Adams")]),
        ("Prime Minister May said", []),  # not a month
        # an organisation head or another title is no name
        ("General Assembly Hall", []),
    ],
)
def test_english_persons_after_a_title(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [e for e in _entities(text, "en") if e[1] == "person"] == expected


def test_a_surname_alone_is_the_person_named_before_in_the_document() -> None:
    ctx = FactContext()
    first = extract("Senator Lindsey Graham spoke.", "en", ctx)
    assert [f.value for f in first if f.type == "entity"] == ["Lindsey Graham"]
    later = extract("Graham said, and Mr. Graham left; Tiffany Graham stayed.", "en", ctx)
    assert [(f.value, f.start) for f in later if f.type == "entity"] == [
        ("Lindsey Graham", 0),
        ("Lindsey Graham", 21),
        ("Tiffany Graham", 34),  # someone else, named by the given-name rule
    ]
    # a surname that is a month is no mention; a new document starts afresh
    extract("Prime Minister Theresa May arrived.", "en", ctx)
    assert [f for f in extract("It rained in May.", "en", ctx) if f.type == "entity"] == []
    assert [f for f in extract("Graham said.", "en", FactContext()) if f.type == "entity"] == []


def test_a_surname_after_a_sentence_initial_word_is_the_person_named_before() -> None:
    ctx = FactContext()
    extract("Republicans backed Brett Kavanaugh on Friday.", "en", ctx)
    later = extract("Later Kavanaugh said so; Kavanaugh's friends agreed.", "en", ctx)
    assert [(f.value, f.surface) for f in later if f.type == "entity"] == [
        ("Brett Kavanaugh", "Kavanaugh"),
        ("Brett Kavanaugh", "Kavanaugh"),
    ]
    # a given name before the surname makes it someone else
    assert [f.value for f in extract("Tiffany Kavanaugh spoke.", "en", ctx)] == [
        "Tiffany Kavanaugh"
    ]


def test_a_surname_shared_by_two_persons_names_neither() -> None:
    ctx = FactContext()
    extract("Senator Lindsey Graham and Judge Billy Graham met.", "en", ctx)
    assert [f for f in extract("Graham said.", "en", ctx) if f.type == "entity"] == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # a known given name and a capitalised word after it
        ("вчера Дональд Трамп заявил", "ru", [("Donal'd Tramp", "Дональд Трамп")]),
        # both inflect; the surname loses the given name's ending or a consonant ending
        ("встреча Дональда Трампа и", "ru", [("Donal'd Tramp", "Дональда Трампа")]),
        ("говорил с Владимиром Путиным", "ru", [("Vladimir Putin", "Владимиром Путиным")]),
        ("беседа с Терезой Мэй", "ru", [("Tereza Mey", "Терезой Мэй")]),
        # an indeclinable given name: the instrumental is cut, a vowel ending is not
        ("встретился с Томми Флитвудом", "ru", [("Tommi Flitvud", "Томми Флитвудом")]),
        # a declinable given name in the nominative: the surname is nominative too
        ("и Дональд Ньюком заявил", "ru", [("Donal'd N'yukom", "Дональд Ньюком")]),
        ("поддержка Дэвида Кавано", "ru", [("Devid Kavano", "Дэвида Кавано")]),
        # a patronymic between them
        ("с Иваном Петровичем Сидоровым", "ru", [("Ivan Sidorov", "Иваном Петровичем Сидоровым")]),
        # Kazakh: the given name does not inflect, the surname's case ending is cut
        ("Элизабет Уорреннің айтуынша", "kk-Cyrl", [("Elizabet Uorren", "Элизабет Уорреннің")]),
        ("Дональд Трамптың сөзі", "kk-Cyrl", [("Donald Tramp", "Дональд Трамптың")]),
        # a Kazakh given name is looked up with its letters read as Russian ones
        (
            "Нұрсұлтан Әбішұлы Төлеков келді",
            "kk-Cyrl",
            [("Nursultan Tolekov", "Нұрсұлтан Әбішұлы Төлеков")],
        ),
        # an ending that breaks vowel harmony or assimilation is part of the surname
        ("Джо Байден келді", "kk-Cyrl", [("Djo Baiden", "Джо Байден")]),
        ("Чарльз Чейслер айтты", "kk-Cyrl", [("Charlz Cheisler", "Чарльз Чейслер")]),
        ("Карен Хантер жазды", "kk-Cyrl", [("Karen Hanter", "Карен Хантер")]),
    ],
)
def test_cyrillic_persons_by_given_name(
    text: str, lang: str, expected: list[tuple[str, str]]
) -> None:
    assert [(v, s) for v, sub, s in _entities(text, lang) if sub == "person"] == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # a common word that a name's form looks like, capitalised at a sentence start
        ("Марка Германии упала.", "ru"),
        ("Вера Москвы крепка.", "ru"),  # вера is a common word: not in the list
        # a given name before a city or country is no person
        ("Марина Москва", "ru"),
        ("в Москве Юрий", "ru"),
        # an unknown first word, a lower-case second one, a title or a month after it
        ("Привет Москва", "ru"),
        ("Дональд сказал", "ru"),
        ("Юрий Президент", "ru"),
        ("Марина Мамыр", "kk-Cyrl"),
        # a name of three parts whose surname comes first, or a hyphenated one
        ("сказал Ким Чен Ын", "ru"),
        ("с Муном Чжэ-ином", "ru"),
    ],
)
def test_cyrillic_given_name_rule_leaves_common_words_places_and_unknown_names(
    text: str, lang: str
) -> None:
    assert [e for e in _entities(text, lang) if e[1] == "person"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Republicans backed Brett Kavanaugh on Friday.", ["Brett Kavanaugh"]),
        ("Belgian star Eden Hazard scored.", ["Eden Hazard"]),
        ("Jim Furyk's side need eight points.", ["Jim Furyk"]),  # the possessive is cut
        ("Brett Kavanaugh Monday said", ["Brett Kavanaugh"]),  # a weekday after the name
        ("Then Bill Gates said.", ["Bill Gates"]),  # a common-word name inside a sentence
        # a common-word given name at a sentence start: only a name of two words
        ("Bill Gates said.", ["Bill Gates"]),
        ("Will Smith Act now?", []),
        # a title-case headline
        ('Elizabeth Warren Will Take "Hard Look" At Running For President', []),
        # a third capitalised word is the name's last part, a fourth is not
        ("He met Kim Jong Un.", ["Kim Jong Un"]),
        ("Christine Blasey Ford testified.", ["Christine Blasey Ford"]),
        ("said Christine Blasey Ford Will Run today", []),
        # an abbreviated title before the given name; a possessive before a capitalised word
        ("under the Rev. John Howard Johnson, who", ["John Howard Johnson"]),
        ("likened to Gwyneth Paltrow's Goop brand", ["Gwyneth Paltrow"]),
        # a street, an award, a contraction, a city, a month
        ("found at John Street today", []),
        ("the Victoria Cross was", []),
        ("So I'm here", []),
        ("Paris Hilton and London Bridge", []),
        ("until Ann June", []),
    ],
)
def test_english_persons_by_given_name(text: str, expected: list[str]) -> None:
    assert [v for v, sub, _ in _entities(text, "en") if sub == "person"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Russian title in any case, then a given name known or not, and a surname
        ("утверждение судьи Бретта Кавано вызвало", [("Bretta Kavano", "Бретта Кавано")]),
        ("сенатор Дайэнн Файнстайн заявила", [("Dayenn Faynstayn", "Дайэнн Файнстайн")]),
        ("с сенатором Линдси Грэмом", [("Lindsi Grem", "Линдси Грэмом")]),
        # a place after the title is the gazetteer's; an organisation name is no person
        ("президенту Соединенных Штатов", []),
        ("глава Международного Красного Креста", []),
    ],
)
def test_russian_persons_after_a_title(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(v, s) for v, sub, s in _entities(text, "ru") if sub == "person"] == expected


def test_kazakh_title_and_two_words_are_not_read_as_one_person() -> None:
    # President Trump [said] to Kavanaugh: an unknown first word after a Kazakh title
    assert [e for e in _entities("Президент Трамп Каваноға", "kk-Cyrl") if e[1] == "person"] == []


def test_given_name_reads_case_forms_by_rule() -> None:
    assert names.given_name("Терезой", "ru") == ("тереза", "ой")
    assert names.given_name("Юрия", "ru") == ("юрий", "я")
    assert names.given_name("Нұрсұлтан", "kk-Cyrl") == ("нурсултан", "")
    assert names.given_name("Москва", "ru") is None
    # Kazakh given names before a surname do not inflect
    assert names.given_name("Дональдтың", "kk-Cyrl") is None


def test_a_cyrillic_surname_alone_is_the_person_named_before_with_case_endings() -> None:
    ctx = FactContext()
    extract("Вчера Дональд Трамп встретился с Терезой Мэй.", "ru", ctx)
    later = extract("Позже Трампа спросили о Мэй, и Трампом недовольны.", "ru", ctx)
    assert [(f.value, f.surface) for f in later if f.type == "entity"] == [
        ("Donal'd Tramp", "Трампа"),
        ("Tereza Mey", "Мэй"),
        ("Donal'd Tramp", "Трампом"),
    ]
    ctx = FactContext()
    extract("Элизабет Уоррен сөйледі.", "kk-Cyrl", ctx)
    later = extract("Уорреннің айтуынша, Уоррен келіседі.", "kk-Cyrl", ctx)
    assert [f.surface for f in later if f.type == "entity"] == ["Уорреннің", "Уоррен"]
    # a capitalised word before the surname that is a given name makes it someone else
    assert [f.value for f in extract("Иван Трамп пришёл.", "ru", FactContext())] == ["Ivan Tramp"]


def test_kazakh_ending_fits_by_harmony_and_assimilation() -> None:
    assert names.kk_ending_fits("Трамп", "тың")
    assert names.kk_ending_fits("Грэм", "нің")
    assert names.kk_ending_fits("Армстронг", "тың")  # a voiced final read voiceless
    assert not names.kk_ending_fits("Бай", "ден")  # back vowel, front ending
    assert not names.kk_ending_fits("Чейс", "лер")  # л after a voiceless consonant
    assert not names.kk_ending_fits("Мэй", "қа")  # т, қ, к, п only after a consonant


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("его поддержал А. М. Джумагулов", "ru", ("A. M. Dzhumagulov", "А. М. Джумагулов")),
        ("cited by Jumagulov A.M. in 2019", "en", ("A. M. Jumagulov", "Jumagulov A.M.")),
        ("жазушы Чыңғыс Айтматов", "kk-Cyrl", ("Chyngys Aitmatov", "Чыңғыс Айтматов")),
        ("В. Парамонов пен А. Строковтың", "kk-Cyrl", ("A. Strokov", "А. Строковтың")),
        ("Министр Мамытовтың сапары", "kk-Cyrl", ("Mamytov", "Мамытовтың")),
    ],
)
def test_persons_by_pattern(text: str, lang: str, expected: tuple[str, str]) -> None:
    assert (expected[0], "person", expected[1]) in _entities(text, lang)


def test_pattern_persons_leave_initials_that_are_an_acronym_and_bare_single_initials() -> None:
    assert all(sub != "person" for _, sub, _ in _entities("The U.S. Army", "en"))
    assert all(
        sub != "person" for _, sub, _ in _entities("(Дюшекеев, Д. Интервью, 2021)", "kk-Cyrl")
    )


@pytest.mark.parametrize(
    ("text", "lang", "surface"),
    [
        ("But the UK Government said", "en", "UK Government"),
        ("правительство Великобритании заявило", "ru", "правительство Великобритании"),
        ("Ұлыбритания үкіметі мәлімдеді", "kk-Cyrl", "Ұлыбритания үкіметі"),
        ("英国政府表示", "zh-Hans", "英国政府"),
        ("قالت حكومة المملكة المتحدة", "ar", "حكومة المملكة المتحدة"),
    ],
)
def test_a_head_and_a_place_are_one_organisation_in_every_language(
    text: str, lang: str, surface: str
) -> None:
    found = _entities(text, lang)
    assert ("Government of United Kingdom", "org", surface) in found
    assert any(v == "United Kingdom" for v, _, _ in found)  # the place nested in it


def test_organisations_by_pattern_and_what_is_no_organisation() -> None:
    assert ("Assembly Commission", "org", "Assembly Commission") in _entities(
        "The Assembly Commission said", "en"
    )
    assert ("Komitet Assamblei", "org", "Комитет Ассамблеи") in _entities(
        "Комитет Ассамблеи заявил", "ru"
    )
    assert _entities("Бұл ұйым жұмыс істейді", "kk-Cyrl") == []  # a pronoun and a noun
    assert _entities("The Council said", "en") == []  # a head alone
    assert [v for v, _, _ in _entities("吉爾吉斯斯坦銀行總股本", "zh-Hant")] == ["Kyrgyzstan"]


def test_the_latin_key_is_shared_by_a_name_in_every_script() -> None:
    from kzkg_tools.facts.names import latin, latin_key

    assert latin_key(latin("Джин Фриман", "ru")) == latin_key("Jeane Freeman")
    assert latin_key(latin("Назарбаев", "ru")) == latin_key("Nazarbayev")
    assert latin_key(latin("Тоқаев", "kk-Cyrl")) == latin_key("Tokayev")
    assert latin_key("Kazakhstan") != latin_key("Kyrgyzstan")


def test_russian_case_endings_fit_the_letters_a_stem_may_take() -> None:
    """The pattern lets a stem take up to MAX_ENDING letters; the lookup keeps the endings."""
    from kzkg_tools.facts import entities

    assert max(len(e) for e in entities._endings("ru")) <= entities.MAX_ENDING


def test_a_short_text_remembered_as_barren_still_names_the_person_named_before() -> None:
    # a short sentence with no date, quantity or entity is remembered by text; what depends
    # on the document (a surname alone after the full name) is still found in it
    import kzkg_tools.facts as facts_module

    assert extract("Graham said.", "en", FactContext()) == []
    assert ("en", "Graham said.") in facts_module._barren
    ctx = FactContext()
    extract("Senator Lindsey Graham spoke.", "en", ctx)
    later = extract("Graham said.", "en", ctx)
    assert [(f.value, f.start) for f in later if f.type == "entity"] == [("Lindsey Graham", 0)]
    # and a remembered text gives what a fresh search gives
    again = extract("Graham said.", "en", FactContext())
    facts_module._barren.clear()
    assert again == extract("Graham said.", "en", FactContext()) == []


def test_gazetteer_forms_are_read_back_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first start stores the forms ICU and the tables give; a later one reads the same
    forms and entities (ids, None ones too) without asking ICU."""
    from kzkg_tools import cache
    from kzkg_tools.facts import gazetteer

    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path))
    built = gazetteer.built()
    assert gazetteer.entries.__wrapped__() == built
    assert len(cache.files("gazetteer")) == 1

    def no_build() -> None:
        raise AssertionError("built again although the cache holds the forms")

    monkeypatch.setattr(gazetteer, "built", no_build)
    again = gazetteer.entries.__wrapped__()
    assert again == built
    assert {type(e.id) for table in again.values() for e in table.values()} == {
        type(e.id) for table in built.values() for e in table.values()
    }


def test_given_name_stems_do_not_follow_the_hash_seed() -> None:
    """Two Russian given names of one length share a stem (поль, поля): which one is its
    dictionary form must be the same in every process, whatever PYTHONHASHSEED is."""
    import os
    import subprocess
    import sys

    code = (
        "import hashlib; from kzkg_tools.facts import names; _, stems = names._given_names(); "
        "print(hashlib.sha1(repr(sorted(stems.items())).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(digests) == 1, digests


def test_digits_next_to_a_fraction_are_no_phone_number() -> None:
    """`220 2/3 innings`: a whole number and a fraction, not a code in digit groups (which
    gives no fact: `0800 555 111`)."""
    assert ("number", 220, "220") in _facts("300 strikeouts in 220 2/3 innings", "en")
    assert _facts("call 0800 555 111 now", "en") == []
