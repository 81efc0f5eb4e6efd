"""An organisation one translation names and another writes otherwise
(kzkg_tools/orgforms.py)."""

from __future__ import annotations

import pytest

from kzkg_tools import orgforms
from kzkg_tools.diff import DiffOptions, compare, diff
from kzkg_tools.records import Bead, BeadMember, Fact, Sentence


def _org(value: str, surface: str = "x") -> Fact:
    return Fact("entity", value, surface, 0, len(surface), [0, len(surface)], subtype="org")


def _found(value: str, lang: str, text: str) -> str | None:
    """The words of `text` that name the organisation `value` in `lang`, or None."""
    sentence = Sentence("x:1", "x", 1, lang, text, "paragraph", "x", [0, len(text)])
    found = orgforms.find(_org(value), [sentence], lang)
    return text[found.start : found.end] if found else None


@pytest.mark.parametrize(
    ("value", "lang", "text", "words"),
    [
        ("Democratic Party", "en", "The Democrats won", "Democrats"),  # members
        ("Democratic Party", "ru", "демократов стало больше", "демократов"),  # + ending
        ("Republican Party", "ru", "стал республиканцем", "республиканцем"),  # one member
        ("Republican Party", "kk-Cyrl", "Республикашылдардың жеңісі", "Республикашылдардың"),
        ("Republican Party", "zh-Hans", "共和党人表示", "共和党人"),
        ("Republican Party", "ar", "وقال الجمهوريون", "الجمهوريون"),
        ("Federal Investigation Bureau", "en", "the FBI said", "FBI"),  # an acronym
        ("Federal Investigation Bureau", "ru", "в ФБР заявили", "ФБР"),
        ("Federal Investigation Bureau", "kk-Cyrl", "ФБИ мәлімдеді", "ФБИ"),
        ("Supreme Court", "en", "the supreme court ruled", "supreme court"),  # lower case
        ("Supreme Court", "ru", "решение Верховного суда", "Верховного суда"),
        ("Supreme Court", "kk-Cyrl", "Жоғарғы соттың шешімі", "Жоғарғы соттың"),
        ("Supreme Court", "ar", "قررت المحكمة العليا", "المحكمة العليا"),  # modifier after
        ("Supreme Court", "zh-Hans", "最高法院裁定", "最高法院"),
        ("Defence Ministry", "en", "the Ministry of Defence said", "Ministry of Defence"),
        (
            "Security Council of United Nations",
            "ru",
            "Совет Безопасности ООН",
            "Совет Безопасности",
        ),
    ],
)
def test_the_organisation_is_found(value: str, lang: str, text: str, words: str) -> None:
    assert _found(value, lang, text) == words


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        ("Democratic Party", "en", "democrats everywhere"),  # members are capitalised
        ("Labour Party", "en", "the labour market"),
        ("Federal Investigation Bureau", "en", "fbi"),  # an acronym is capitalised
        ("Supreme Court", "en", "the court was supreme"),  # the modifier is on the wrong side
        ("Supreme Court", "ru", "суд был верховным"),
        ("Supreme Court", "kk-Cyrl", "сот жоғарғы"),
        ("Supreme Court", "ar", "العليا المحكمة"),
        ("Supreme Court", "zh-Hans", "法院最高"),
        ("Supreme Court", "ru", "верховного судьи"),  # судьи "judge": no case ending of суд
        ("Democratic Party", "ru", "с демократией"),  # "democracy": no plural ending
        ("Supreme Court", "en", "a supreme effort to reach the court"),  # too far apart
        ("Democratic Party", "zh-Hans", "民主国家"),  # no party, no member
        ("Judiciary Committee", "ar", "وزارة العدل"),  # the modifier without the head
        ("United Nations", "en", "the United Nations"),  # not composed: nothing to look for
    ],
)
def test_other_words_are_not_the_organisation(value: str, lang: str, text: str) -> None:
    assert _found(value, lang, text) is None


def test_only_organisations_are_looked_for() -> None:
    person = Fact("entity", "Supreme Court", "x", 0, 1, [0, 1], subtype="person")
    sentence = Sentence("x:1", "x", 1, "en", "Supreme Court", "paragraph", "x", [0, 13])
    assert orgforms.find(person, [sentence], "en") is None


def test_a_place_added_to_an_organisation_is_granularity() -> None:
    wide, narrow = _org("Supreme Court of United States"), _org("Supreme Court")
    assert compare(wide, narrow) == (
        "agree",
        "granularity",
        "same organisation; one side names its place",
        8,
    )
    assert compare(narrow, wide) is not None
    assert compare(wide, _org("Supreme Court of Wales")) is None  # two places
    assert compare(_org("Labour Party"), _org("Party of Wales")) is None
    assert compare(_org("United Nations of X"), _org("United Nations")) is None  # not composed


def test_an_organisation_the_other_text_names_by_its_members_agrees() -> None:
    zh, en = "民主党获胜", "The Democrats won"
    party = Fact("entity", "Democratic Party", "民主党", 0, 3, [0, 3], subtype="org")
    a = Sentence("zh:1", "zh", 1, "zh-Hans", zh, "paragraph", "zh", [0, len(zh)], facts=[party])
    b = Sentence("en:1", "en", 1, "en", en, "paragraph", "en", [40, 40 + len(en)], facts=[])
    members = [BeadMember("zh", "zh-Hans", ["zh:1"], zh), BeadMember("en", "en", ["en:1"], en)]
    (record,) = diff(
        [Bead("b1", "translation", 1.0, members)], {"zh:1": a, "en:1": b}, DiffOptions()
    )
    assert (record.status, record.kind) == ("agree", "same")
    assert record.reason == "named in the other text: Democrats"
    assert (record.values[1].surface, record.values[1].span) == ("Democrats", [44, 53])
