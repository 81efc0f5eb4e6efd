"""A place one translation names and another writes as an adjective (kzkg_tools/demonyms.py)."""

from __future__ import annotations

import pytest

from kzkg_tools import demonyms
from kzkg_tools.diff import DiffOptions, diff
from kzkg_tools.records import Bead, BeadMember, Fact, Sentence


def _found(name: str, lang: str, text: str) -> str | None:
    """The words of `text` derived from the place `name` in `lang`, or None."""
    fact = Fact("entity", name, name, 0, 1, [0, 1], subtype="country")
    sentence = Sentence("x:1", "x", 1, lang, text, "paragraph", "x", [0, len(text)])
    found = demonyms.find(fact, [sentence], lang)
    return text[found.start : found.end] if found else None


@pytest.mark.parametrize(
    ("name", "lang", "text", "word"),
    [
        ("United States", "en", "American officials said", "American"),  # America → -n
        ("Syria", "en", "Syrians fled", "Syrians"),
        ("Europe", "en", "the European glory", "European"),  # -e → -ean
        ("Germany", "en", "German cars", "German"),  # -y dropped
        ("United Kingdom", "en", "a British judge", "British"),  # Britain: -ain → -ish
        ("North Korea", "en", "North Korean troops", "North Korean"),  # a compound name
        ("China", "en", "Chinese exports", "Chinese"),
        ("Syria", "ru", "сирийских беженцев", "сирийских"),  # -ия → -ийск- + ending
        ("Europe", "ru", "Европейский союз", "Европейский"),  # -а → -ейск-
        ("United States", "ru", "американцы сказали", "американцы"),  # -а → -анц- + ending
        ("North Korea", "ru", "северокорейские ракеты", "северокорейские"),  # fused compound
        ("South Korea", "ru", "южнокорейским компаниям", "южнокорейским"),
        ("Syria", "kk-Cyrl", "сириялық босқындар", "сириялық"),  # -лық
        ("United States", "kk-Cyrl", "американдықтарға көмек", "американдықтарға"),  # two endings
        ("United Kingdom", "kk-Cyrl", "британдық сот", "британдық"),  # -ия → -дық
        ("Syria", "ar", "اللاجئين السوريين", "السوريين"),  # nisba, article, plural
        ("United States", "ar", "قال المسؤول الأمريكي", "الأمريكي"),
        ("Europe", "ar", "والأوروبية", "والأوروبية"),  # a proclitic before the article
        ("North Korea", "ar", "الزعيم الكوري الشمالي", "الكوري الشمالي"),  # both words agree
        ("United States", "zh-Hans", "美国人民看到了", "美国"),  # a modifier, as it is
    ],
)
def test_an_adjective_of_the_place_is_found(name: str, lang: str, text: str, word: str) -> None:
    assert _found(name, lang, text) == word


@pytest.mark.parametrize(
    ("name", "lang", "text"),
    [
        ("Germany", "en", "germane questions"),  # not at a word's end
        ("India", "en", "Indiana voters"),  # -ana is no suffix of India's
        ("North Korea", "en", "South Korean troops"),  # another compound
        ("Finland", "en", "the finish line"),  # fin: a stem under STEM_MIN letters
        ("United States", "en", "US officials"),  # an acronym derives nothing
        ("Germany", "ru", "немецкие автомобили"),  # irregular: no rule derives it
        ("North Korea", "ru", "южнокорейские ракеты"),
        ("Syria", "ru", "несирийских"),  # not at a word's start
        ("Syria", "kk-Cyrl", "Сирияның"),  # the name itself is the facts stage's
        ("Europe", "kk-Cyrl", "еуропасыз"),  # no derivation suffix
        ("Syria", "ar", "سورة البقرة"),  # سورة "sura": no nisba ending
        ("United States", "ar", "أمريكانا"),
        ("China", "zh-Hans", "发展中国家"),  # inside a word in which it is no name
        ("United States", "zh-Hans", "美方表示"),  # one character is no name
    ],
)
def test_a_word_not_derived_from_the_place_is_not_found(name: str, lang: str, text: str) -> None:
    assert _found(name, lang, text) is None


def test_only_places_are_looked_for() -> None:
    person = Fact("entity", "Syria", "Syria", 0, 5, [0, 5], subtype="person")
    sentence = Sentence("x:1", "x", 1, "en", "Syrian", "paragraph", "x", [0, 6])
    assert demonyms.find(person, [sentence], "en") is None


def test_a_place_the_other_text_writes_as_an_adjective_agrees() -> None:
    """The record is `agree`, kind `same`, with the adjective's surface and source span."""
    zh, en = "叙利亚难民抵达", "Syrian refugees arrived"
    place = Fact("entity", "Syria", "叙利亚", 0, 3, [0, 3], subtype="country", id="SY")
    a = Sentence("zh:1", "zh", 1, "zh-Hans", zh, "paragraph", "zh", [0, len(zh)], facts=[place])
    b = Sentence("en:1", "en", 1, "en", en, "paragraph", "en", [40, 40 + len(en)], facts=[])
    members = [BeadMember("zh", "zh-Hans", ["zh:1"], zh), BeadMember("en", "en", ["en:1"], en)]
    (record,) = diff(
        [Bead("b1", "translation", 1.0, members)], {"zh:1": a, "en:1": b}, DiffOptions()
    )
    assert (record.status, record.kind) == ("agree", "same")
    assert record.reason == "found as an adjective in the other text: Syrian"
    assert (record.values[1].surface, record.values[1].span) == ("Syrian", [40, 46])
    b.text = "Refugees arrived"
    members[1] = BeadMember("en", "en", ["en:1"], b.text)
    (record,) = diff(
        [Bead("b1", "translation", 1.0, members)], {"zh:1": a, "en:1": b}, DiffOptions()
    )
    assert (record.status, record.reason) == ("missing", "stated in zh-Hans only")


def test_every_rule_row_has_a_known_kind_and_a_source() -> None:
    from kzkg_tools import tables

    for row in tables.records(demonyms.TABLE):
        assert row["kind"] in ("derive", "prefix")
        assert row["source"]
