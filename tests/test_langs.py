"""The language table (`kzkg_tools.langs`) and the data-table reader (`kzkg_tools.tables`)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import icu
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzkg_tools import detect, langs, segment, tables
from kzkg_tools.align import similarity
from kzkg_tools.facts import dates, extract, lexicon
from kzkg_tools.facts.candidate import Candidate

ENTRIES = list(langs.LANGS.values())
#: Tags as users and other tools write them: every entry and alias, other cases, regions,
#: underscores, languages the table lacks.
LOOSE = [
    *langs.LANGS,
    *langs.ALIASES,
    "KK",
    "kk_arab",
    "KK-ARAB-CN",
    "kk-Latn-KZ",
    "kk-KZ",
    "zh_tw",
    "zh-Hant-TW",
    "zh-Hans-CN",
    "zh-cn",
    "zh-Latn",
    "ar-SA",
    "ar-Arab",
    "ru-RU",
    "en-US",
    "ja-JP",
    "fr",
    "pt-br",
    "und",
    "",
]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.tag)
def test_entry_is_consistent(entry: langs.Lang) -> None:
    assert langs.canonical(entry.tag) == entry.tag
    assert entry.joiner in ("", " ")
    assert entry.icu_locale == entry.cldr_locales[0]
    # ICU knows every locale the entry names (the root locale `und` is not listed as available)
    available = icu.Locale.getAvailableLocales()
    for locale in entry.cldr_locales:
        assert locale in available or locale == "und", locale
        assert icu.Locale(locale).getLanguage() == ("" if entry.tag == "und" else entry.language)
    if entry.rules != "und":
        rules = segment.rules(entry.rules)  # the file is package data and parses
        assert icu.Locale(rules.locale).getLanguage() == entry.language
    if entry.length is not None:
        assert entry.length in similarity.length_table()


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.tag)
def test_fact_grammar_and_lexicon_keys(entry: langs.Lang) -> None:
    if entry.facts is None:
        assert entry.lexicon is None
        return
    grammar = langs.LANGS[entry.facts]
    assert grammar.facts == grammar.tag  # a grammar reads itself
    assert grammar.tag in lexicon.LANGS
    assert (entry.lexicon is not None) == (entry.facts == entry.tag)
    assert grammar.lexicon is not None
    assert any(key == grammar.lexicon for key, _kind in lexicon.curated())


@pytest.mark.parametrize(("alias", "target"), list(langs.ALIASES.items()))
def test_aliases_follow_cldr_likely_subtags(alias: str, target: str) -> None:
    likely = icu.Locale.forLanguageTag(alias).addLikelySubtags()
    assert likely.getScript() == langs.LANGS[target].script
    assert likely.getLanguage() == langs.LANGS[target].language


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh", "zh-Hans"),
        ("zh_tw", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("zh-Latn", "zh-Latn"),  # pinyin is not folded onto a Han script
        ("KK-arab", "kk-Arab"),
        ("kk-CN", "kk-Arab"),
        ("kk-KZ", "kk-Cyrl"),
        ("ar-SA", "ar"),
        ("pt-br", "pt-BR"),
        ("", "und"),
    ],
)
def test_canonical(tag: str, expected: str) -> None:
    assert langs.canonical(tag) == expected


@pytest.mark.parametrize("tag", LOOSE)
def test_canonical_is_idempotent(tag: str) -> None:
    once = langs.canonical(tag)
    assert langs.canonical(once) == once


@given(st.text(alphabet="kKzZhHaAnNtTsSrRbBcC-_", max_size=16))
def test_canonical_is_idempotent_on_any_tag(tag: str) -> None:
    once = langs.canonical(tag)
    assert langs.canonical(once) == once


@pytest.mark.parametrize("tag", LOOSE)
def test_stages_ask_the_table(tag: str) -> None:
    entry = langs.get(tag)
    assert segment.rule_file(tag) == entry.rules
    default = similarity.DEFAULT_LENGTH
    expected = similarity.length_table()[entry.length] if entry.length else default
    assert similarity.length_profile(tag) == expected
    assert langs.joiner(tag) == entry.joiner


def test_bare_zh_means_the_same_in_every_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    meaning = langs.canonical("zh")
    assert segment.rule_file("zh") == segment.rule_file(meaning)
    assert similarity.length_profile("zh") == similarity.length_profile(meaning)
    # detection: a sentence with no variant-specific character and no context takes it
    assert detect.detect_lang("一二三") == meaning
    assert detect.han_variant("一二三") == meaning
    # facts: the grammar that reads a bare zh is the one of its meaning
    seen: list[str] = []
    find_dates = dates.find_dates

    def spy(text: str, lang: str) -> Iterator[Candidate]:
        seen.append(lang)
        return find_dates(text, lang)

    monkeypatch.setattr(dates, "find_dates", spy)
    assert extract("2007年4月26日", "zh") == extract("2007年4月26日", meaning)
    assert seen == [meaning, meaning]


def test_segment_lists_the_tags_of_the_table() -> None:
    assert set(segment.LANG_RULES) == {t for t in langs.tags() if langs.get(t).rules != "und"}
    assert {"kk", "zh", "kk-Arab", "zh-Hant"} <= set(segment.LANG_RULES)


def test_languages_compared_by_primary_subtag() -> None:
    assert similarity.compared("zh-Hant", "zh") == ("anchors", "names")
    assert similarity.compared("kk-Arab", "KK") == ("anchors", "names")
    assert "words" in similarity.compared("kk-Cyrl", "ru")
    assert "words" in similarity.compared("fr", "de")


# ------------------------------------------------------------------ the data-table reader


def test_rows_skip_comments_and_blank_lines(tmp_path: Path) -> None:
    (tmp_path / "t.tsv").write_text("# a comment\n\na\tb\n  \nc\td\n", encoding="utf-8")
    assert tables.rows("t.tsv", columns=2, root=tmp_path) == [("a", "b"), ("c", "d")]
    assert tables.lines("t.tsv", comment=None, root=tmp_path) == ["# a comment", "a\tb", "c\td"]
    (tmp_path / "w.txt.gz").write_bytes(gzip.compress(b"x\r\ny\n"))
    assert tables.lines("w.txt.gz", root=tmp_path) == ["x", "y"]


def test_a_malformed_row_is_reported_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "t.tsv").write_text("# lang\tratio\tsd\nen\t1\t0.2\n\nkk\t1.1\n", encoding="utf-8")
    with pytest.raises(tables.TableError) as err:
        tables.rows("t.tsv", columns=3, root=tmp_path)
    assert str(err.value) == f"{tmp_path / 't.tsv'}:4: 2 fields, expected 3"
    assert err.value.line == 4


def test_a_record_with_too_many_fields_is_reported(tmp_path: Path) -> None:
    (tmp_path / "r.tsv").write_text("lang\tsurface\nkk\tмың\nru\tтысяча\textra\n", encoding="utf-8")
    with pytest.raises(tables.TableError, match=r"r\.tsv:3: 3 fields, expected 2"):
        tables.records("r.tsv", root=tmp_path)
    (tmp_path / "r.tsv").write_text("lang\tsurface\nkk\tмың\n", encoding="utf-8")
    assert tables.records("r.tsv", root=tmp_path) == [{"lang": "kk", "surface": "мың"}]


def test_malformed_json_is_reported_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text('{"name": "kk",\n "freq": }\n', encoding="utf-8")
    with pytest.raises(tables.TableError, match=r"p\.json:2: "):
        tables.read_json("p.json", root=tmp_path)


def test_shipped_tables_are_named_relative_to_the_package() -> None:
    with pytest.raises(tables.TableError, match=r"^kzkg_tools/data/align/length_ratios\.tsv:6: "):
        tables.rows("align/length_ratios.tsv", columns=4)
