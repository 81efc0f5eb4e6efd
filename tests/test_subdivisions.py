"""First-level subdivisions as entities (data/facts/subdivisions.tsv, issue 20)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import regex

from kzkg_tools import tables
from kzkg_tools.facts import FactContext, extract, gazetteer

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("zh-Hant", "zh-Hans", "ar", "kk-Cyrl", "ru", "en")


def _entities(text: str, lang: str) -> list[tuple[str, str | None, str]]:
    return [
        (f.value, f.id, f.surface) for f in extract(text, lang, FactContext()) if f.type == "entity"
    ]


@pytest.mark.parametrize(
    ("text", "lang", "surface"),
    [
        ("Cardiff is the capital of Wales.", "en", "Wales"),
        ("Кардифф — столица Уэльса.", "ru", "Уэльса"),
        ("в Уэльсе и Уэльсом", "ru", "Уэльсе"),
        ("Кардифф — Уэльстің астанасы.", "kk-Cyrl", "Уэльстің"),
        ("كارديف عاصمة ويلز.", "ar", "ويلز"),
        ("وعاد إلى ويلز", "ar", "ويلز"),
        ("加的夫是威尔士的首府。", "zh-Hans", "威尔士"),
        ("加地夫是威爾斯的首府。", "zh-Hant", "威爾斯"),
        ("加的夫是威爾士的首府。", "zh-Hant", "威爾士"),  # Hans→Hant of CLDR's zh name
    ],
)
def test_wales_in_every_language_is_one_value_and_id(text: str, lang: str, surface: str) -> None:
    assert ("Wales", "GB-WLS", surface) in _entities(text, lang)


@pytest.mark.parametrize(
    ("text", "lang", "value", "surface"),
    [
        ("в Шотландии и Англии", "ru", "Scotland", "Шотландии"),
        ("в Шотландии и Англии", "ru", "England", "Англии"),
        ("Шотландияда тұрады", "kk-Cyrl", "Scotland", "Шотландияда"),
        ("Англияның премьер-лигасы", "kk-Cyrl", "England", "Англияның"),
        ("في اسكتلندا", "ar", "Scotland", "اسكتلندا"),
        # an initial alef with or without its hamza: CLDR writes one spelling
        ("حكومة أسكتلندا", "ar", "Scotland", "أسكتلندا"),
        ("إسكتلندا وانجلترا", "ar", "England", "وانجلترا"),
        ("苏格兰议会", "zh-Hans", "Scotland", "苏格兰"),
        ("英格蘭足總", "zh-Hant", "England", "英格蘭"),
    ],
)
def test_case_endings_and_clitics_as_for_countries(
    text: str, lang: str, value: str, surface: str
) -> None:
    assert value in [v for v, _, s in _entities(text, lang) if s == surface]


def test_arabic_script_kazakh_forms_are_derived() -> None:
    table = gazetteer.entries()
    arab = [f for f, e in table["kk-Arab"].items() if e.id == "GB-SCT"]
    assert arab and all(regex.fullmatch(r"\p{Arabic}+", f) for f in arab if not f.isascii())


def test_every_row_gives_one_entity_in_every_language() -> None:
    table = gazetteer.entries()
    rows = tables.records("facts/subdivisions.tsv")
    assert rows  # the table is read by the one loader of data files
    for row in rows:
        assert regex.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", row["id"])
        entities = {table[lang][row[lang]] for lang in LANGS}
        assert entities == {gazetteer.Entity(row["name"], "region", row["id"])}


def _row(**names: str) -> dict[str, str]:
    return {"id": "XX-AA", "name": names["en"], "subtype": "region", "kk-Arab": "", **names}


def test_a_subdivision_whose_form_is_another_name_is_left_out_in_every_language() -> None:
    taken = gazetteer.entries()
    georgia = _row(  # the US state: ar جورجيا is CLDR's name of the country Georgia
        **{
            "zh-Hant": "喬治亞州",
            "zh-Hans": "佐治亚州",
            "ar": "جورجيا",
            "kk-Cyrl": "Джорджия штаты",
            "ru": "Штат Джорджия",
            "en": "State of Georgia",
        }
    )
    almaty = _row(  # a city-subdivision: Алматы is the city of the curated rows
        **{
            "zh-Hant": "阿拉木圖市",
            "zh-Hans": "阿拉木图市",
            "ar": "مدينة ألماتي",
            "kk-Cyrl": "Алматы",
            "ru": "Город Алматы",
            "en": "Almaty City",
        }
    )
    clean = _row(
        **{
            "zh-Hant": "虛構州",
            "zh-Hans": "虚构州",
            "ar": "ولاية خيالية",
            "kk-Cyrl": "Ойдан облысы",
            "ru": "Вымышленная область",
            "en": "Fictional Province",
        }
    )
    kept = gazetteer.subdivisions([georgia, almaty, clean], taken, set())
    assert [e.name for e, _ in kept] == ["Fictional Province"]
    (_, forms) = kept[0]
    assert "Ойдан облысы" in forms["kk-Cyrl"] and forms["kk-Arab"]
    # an ordinary word (an exclude row) in one language leaves it out everywhere
    excluded = {("ru", "Вымышленная область")}
    assert gazetteer.subdivisions([clean], taken, excluded) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sydney, New South Wales", "en"),
        ("в штате Новый Южный Уэльс", "ru"),
        ("из Нового Южного Уэльса", "ru"),
        ("Жаңа Оңтүстік Уэльстің астанасы", "kk-Cyrl"),
        ("نيو ساوث ويلز", "ar"),
        ("新南威尔士州", "zh-Hans"),
        ("新南威爾斯州", "zh-Hant"),
        ("in New England", "en"),
        ("в Новой Англии", "ru"),
        ("新英格兰地区", "zh-Hans"),
        ("Halifax, Nova Scotia: в Новой Шотландии", "ru"),
        ("Жаңа Шотландияда", "kk-Cyrl"),
        ("Scotland Yard said", "en"),
    ],
)
def test_a_longer_name_holding_a_subdivision_is_no_mention_of_it(text: str, lang: str) -> None:
    assert [v for v, _, _ in _entities(text, lang) if v in {"Wales", "England", "Scotland"}] == []


def test_a_name_in_lower_case_is_no_name() -> None:
    assert _entities("the wales and dolphins", "en") == []
    assert _entities("англия", "ru") == []


def _make_subdivisions():
    spec = importlib.util.spec_from_file_location(
        "make_subdivisions", ROOT / "benchmarks" / "make_subdivisions.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_keeps_first_level_subdivisions_named_in_every_language(
    tmp_path: Path,
) -> None:
    make = _make_subdivisions()
    names = {
        "en": {"gbwls": "Wales", "gbcrf": "Cardiff", "gbnir": "Northern Ireland", "frnor": "X (r)"},
        "ru": {"gbwls": "Уэльс", "gbcrf": "Кардифф", "frnor": "Икс (р)"},
        "ar": {"gbwls": "ويلز", "gbcrf": "كارديف", "frnor": "س (ر)"},
        "kk": {"gbwls": "Уэльс", "gbcrf": "Кардифф", "frnor": "Икс (р)"},
        "zh": {"gbwls": "威尔士", "gbcrf": "加的夫", "frnor": "X（r）"},
        "zh-Hant": {"gbwls": "威爾斯", "gbcrf": "加地夫", "frnor": "X（r）"},
    }
    for locale, table in names.items():
        folder = tmp_path / "sub" / "subdivisions" / locale
        folder.mkdir(parents=True)
        data = {"subdivisions": {"localeDisplayNames": {"subdivisions": table}}}
        (folder / f"{locale.replace('-', '_')}.json").write_text(json.dumps(data), "utf-8")
    containment = {
        "GB": {"_contains": ["gbeng", "gbnir", "gbsct", "gbwls"]},
        "FR": {"_contains": ["frnor"]},
        "gbwls": {"_contains": ["gbcrf"]},
    }
    supplemental = tmp_path / "core" / "supplemental"
    supplemental.mkdir(parents=True)
    (supplemental / "subdivisionContainment.json").write_text(
        json.dumps({"supplemental": {"subdivisionContainment": containment}}), "utf-8"
    )
    rows = make.rows(tmp_path / "sub", tmp_path / "core", "48")
    # Cardiff is second-level, Northern Ireland is named in English only, Normandy's names
    # carry a qualifier: only Wales is left
    assert [r[:3] for r in rows] == [["GB-WLS", "Wales", "region"]]
    assert rows[0][3:9] == ["威爾斯", "威尔士", "ويلز", "Уэльс", "Уэльс", "Wales"]


def test_a_place_name_after_the_chinese_name_dot_is_a_surname() -> None:
    # 威尔斯 is Taiwan's Wales and the mainland's transcription of Wells / Welles: after a
    # name dot it is the surname of the person (names_han_arab), not the place
    assert _entities("奥森·威尔斯导演了这部电影", "zh-Hans") == [
        ("Aosen Weiersi", None, "奥森·威尔斯")
    ]
    assert _entities("他来自威尔斯", "zh-Hans") == [("Wales", "GB-WLS", "威尔斯")]
    # a person's full name listed in the gazetteer keeps its dot
    assert [v for v, _, _ in _entities("努爾蘇丹·納扎爾巴耶夫會面", "zh-Hant")] == [
        "Nursultan Nazarbayev"
    ]


@pytest.mark.parametrize(
    ("text", "lang", "surface"),
    [
        ("in Northern Ireland", "en", "Northern Ireland"),
        ("в Северной Ирландии", "ru", "Северной Ирландии"),
        ("Солтүстік Ирландияда", "kk-Cyrl", "Солтүстік Ирландияда"),
        ("في أيرلندا الشمالية", "ar", "أيرلندا الشمالية"),
        ("北爱尔兰的首府", "zh-Hans", "北爱尔兰"),
        ("北愛爾蘭的首府", "zh-Hant", "北愛爾蘭"),
    ],
)
def test_northern_ireland_is_no_mention_of_ireland(text: str, lang: str, surface: str) -> None:
    # the curated row of the fourth part of the UK (CLDR names it in English only)
    assert _entities(text, lang) == [("Northern Ireland", "GB-NIR", surface)]
