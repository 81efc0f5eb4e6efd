"""The diff stage: agree / conflict / missing inside beads, document-level conflicts, --fail-on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import kzkg_tools.diff as diff_module
from kzkg_tools.cli import cli
from kzkg_tools.diff import (
    DiffOptions,
    DiffRun,
    Mention,
    _step,
    bound_event,
    diff,
    documents,
    parse_statuses,
    read_inputs,
)
from kzkg_tools.errors import InputError
from kzkg_tools.records import Bead, BeadMember, Fact, Sentence, dumps, from_dict

HERE = Path(__file__).parent
CASES = [
    json.loads(line)
    for path in sorted((HERE / "cases" / "diff").glob("*.jsonl"))
    for line in path.read_text("utf-8").splitlines()
    if line.strip()
]
SEEDS = HERE / "fixtures" / "align" / "seeds_000_001.jsonl"


def _run(case: dict) -> list[dict]:
    beads = [from_dict(Bead, b) for b in case["input"]["beads"]]
    sentences = {s["id"]: from_dict(Sentence, s) for s in case["input"]["sentences"]}
    options = dict(case.get("options", {}))
    if "statuses" in options:
        options["statuses"] = frozenset(options["statuses"])
    out = diff(beads, sentences, DiffOptions(**options))
    return [
        {
            "type": d.type,
            "status": d.status,
            "kind": d.kind,
            "reason": d.reason,
            "values": [v.value for v in d.values],
        }
        for d in out
    ]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c, id=c["label"][:60], marks=[pytest.mark.xfail] if c.get("expect") == "fail" else []
        )
        for c in CASES
    ],
)
def test_cases(case: dict) -> None:
    assert _run(case) == case["expected"]


def test_values_carry_surfaces_and_spans() -> None:
    case = CASES[0]
    beads = [from_dict(Bead, b) for b in case["input"]["beads"]]
    sentences = {s["id"]: from_dict(Sentence, s) for s in case["input"]["sentences"]}
    conflict = next(d for d in diff(beads, sentences, DiffOptions()) if d.status == "conflict")
    assert [(v.doc_id, v.lang, v.surface, v.span) for v in conflict.values] == [
        ("000_ea888725cebc72af", "zh-Hant", "007年4月26日", [437, 446]),
        ("001_21962d996b2447f1", "ar", "26 أبريل من عام 2007", [500, 520]),
    ]


def _write_case(tmp_path: Path, case: dict) -> tuple[str, str]:
    beads = tmp_path / "aligned.jsonl"
    sentences = tmp_path / "sentences.jsonl"
    beads.write_text(
        "".join(json.dumps(b, ensure_ascii=False) + "\n" for b in case["input"]["beads"]), "utf-8"
    )
    sentences.write_text(
        "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in case["input"]["sentences"]),
        "utf-8",
    )
    return str(beads), str(sentences)


def test_cli_fail_on_conflict_exits_1(tmp_path: Path) -> None:
    beads, sentences = _write_case(tmp_path, CASES[0])
    runner = CliRunner()
    plain = runner.invoke(cli, ["diff", beads, sentences])
    assert plain.exit_code == 0
    assert '"status":"conflict"' in plain.stdout
    failing = runner.invoke(cli, ["diff", "--fail-on", "conflict", sentences, beads])
    assert failing.exit_code == 1
    assert failing.stdout == plain.stdout  # output is still written, in any file order
    assert failing.stderr == "kzkg: check failed: conflict found: 1\n"


def test_cli_fail_on_conflict_passes_without_conflicts(tmp_path: Path) -> None:
    beads, sentences = _write_case(tmp_path, CASES[2])
    result = CliRunner().invoke(cli, ["diff", "--fail-on", "conflict", beads, sentences])
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 3


def test_cli_bad_input_names_file_and_line(tmp_path: Path) -> None:
    beads, _ = _write_case(tmp_path, CASES[0])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"bead": "x"}\n', "utf-8")
    result = CliRunner().invoke(cli, ["diff", beads, str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:1: not a bead or sentence record" in result.stderr
    alone = CliRunner().invoke(cli, ["diff", beads])
    assert alone.exit_code == 2
    assert "not in the input" in alone.stderr


def test_align_then_diff_finds_the_007_conflict(tmp_path: Path) -> None:
    """Seeds 000/001 through `kzkg align` and `kzkg diff`: the conflict the toolkit exists for."""
    runner = CliRunner()
    aligned = runner.invoke(cli, ["align", "--method", "facts", str(SEEDS)])
    assert aligned.exit_code == 0, aligned.stderr
    beads = tmp_path / "aligned.jsonl"
    beads.write_text(aligned.stdout, "utf-8")
    result = runner.invoke(
        cli, ["diff", "--only", "conflict", "--fail-on", "conflict", str(beads), str(SEEDS)]
    )
    assert result.exit_code == 1
    conflicts = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(c["bead"], c["type"], c["reason"]) for c in conflicts] == [
        (
            "bead:000_ea888725cebc72af~001_21962d996b2447f1:4",
            "date",
            "same day and month, years differ (0007-04-26 is meant as 2007-04-26)",
        )
    ]


def test_output_is_deterministic() -> None:
    first = [dumps(d) for c in CASES for d in _diffs(c)]
    assert first == [dumps(d) for c in CASES for d in _diffs(c)]


def _diffs(case: dict) -> list:
    beads = [from_dict(Bead, b) for b in case["input"]["beads"]]
    sentences = {s["id"]: from_dict(Sentence, s) for s in case["input"]["sentences"]}
    return list(diff(beads, sentences, DiffOptions()))


def test_document_pass_on_seeds_002_003() -> None:
    """Real sentences of seeds 002 and 003 (from `kzkg run`, read by hand): the count of signed
    documents conflicts (more than 180 vs 150); 003's sentence dates two agreements, the Treaty
    of Eternal Friendship signed on 1997-04-08 and another approved on 2003-12-25, each in its
    own clause, and 002 cites the treaty's ratification law as of 1998: an `event` conflict
    (002's own 1997-04-08 for the treaty agrees and is not reported)."""
    path = Path(__file__).parent / "fixtures" / "diff" / "seeds_002_003.jsonl"
    lines = path.read_text("utf-8").splitlines()
    sentences = {s.id: s for s in (from_dict(Sentence, json.loads(line)) for line in lines)}
    found = list(
        documents(
            "002_b841a6e1d22a4f9c",
            "kk-Cyrl",
            "003_07f1efdd8f50746f",
            "kk-Cyrl",
            sentences,
            DiffOptions(),
        )
    )
    assert [(d.type, d.status, d.kind, [v.value for v in d.values]) for d in found] == [
        ("number", "conflict", "value", [180, 150]),
        ("year", "conflict", "event", [1998, "1997-04-08"]),
    ]
    assert "document" in found[0].reason and "agreement" in found[0].reason
    assert "a cited source's date vs signing" in found[1].reason


def _case_records(case: dict) -> tuple[list[Bead], dict[str, Sentence]]:
    beads = [from_dict(Bead, b) for b in case["input"]["beads"]]
    return beads, {s["id"]: from_dict(Sentence, s) for s in case["input"]["sentences"]}


def test_parse_statuses() -> None:
    assert parse_statuses("agree,conflict,missing") == {"agree", "conflict", "missing"}
    assert parse_statuses(" conflict, ,missing ") == {"conflict", "missing"}
    assert parse_statuses("") == frozenset()
    with pytest.raises(ValueError, match=r"^unknown status 'nope'$"):
        parse_statuses("agree,zzz,nope")


def test_read_inputs_sorts_beads_from_sentences_in_any_order() -> None:
    case = CASES[0]
    objects = [("s", 1, s) for s in case["input"]["sentences"]]
    objects += [("b", 1, b) for b in case["input"]["beads"]]
    beads, sentences = read_inputs(objects[::-1])
    assert (beads, sentences) == _case_records(case)
    with pytest.raises(InputError, match=r"^b:7: not a bead or sentence record$"):
        read_inputs([("b", 7, {"bead": "x"})])


def test_diff_run_counts_failures_it_does_not_write() -> None:
    # case 0 has a conflict, case 3 a missing fact, both an agreement
    beads, sentences = _case_records(CASES[0])
    more_beads, more_sentences = _case_records(CASES[3])
    beads, sentences = beads + more_beads, {**sentences, **more_sentences}
    every = list(diff(beads, sentences, DiffOptions()))
    conflicts = sum(d.status == "conflict" for d in every)
    failing = sum(d.status in ("conflict", "missing") for d in every)
    assert conflicts and failing > conflicts  # the case has both, so the counts differ
    only_agree = DiffOptions(statuses=frozenset({"agree"}))
    run = DiffRun(beads, sentences, only_agree, "missing")
    assert list(run) == [d for d in every if d.status == "agree"]
    assert run.failed == failing
    assert run.failure == f"conflict or missing found: {failing}"
    assert len(list(run)) < len(every) and run.failed == failing  # counted afresh, not doubled
    run = DiffRun(beads, sentences, DiffOptions(), "conflict")
    assert list(run) == every
    assert run.failure == f"conflict found: {conflicts}"
    run = DiffRun(beads, sentences, DiffOptions())
    assert list(run) == every
    assert (run.failed, run.failure) == (0, None)


def test_diff_run_names_a_missing_sentence() -> None:
    beads, _ = _case_records(CASES[0])
    cited = beads[0].members[0].sentence_ids[0]
    message = f"a bead cites sentence '{cited}', not in the input"
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        list(DiffRun(beads, {}, DiffOptions()))
    with pytest.raises(ValueError, match="unknown fail_on 'always'"):
        DiffRun(beads, {}, DiffOptions(), "always")


def test_every_kind_has_a_case() -> None:
    """Each kind of docs/records.md is shown by at least one data-driven case."""
    from typing import get_args

    from kzkg_tools.records import DiffKind

    shown = {e["kind"] for c in CASES for e in c["expected"]}
    assert shown == set(get_args(DiffKind))


def _sentence(lang: str, text: str, facts: list[tuple[str, object, str]]) -> Sentence:
    built = []
    for type_, value, surface in facts:
        start = text.index(surface)
        end = start + len(surface)
        built.append(Fact(type_, value, surface, start, end, [start, end]))  # type: ignore[arg-type]
    return Sentence("d:1", "d", 1, lang, text, "paragraph", "d", [0, len(text)], facts=built)


@pytest.mark.parametrize(
    ("lang", "text", "dates", "events"),
    [
        (
            "en",
            "The treaty was signed on 8 April 1997 and ratified on 9 November 1998.",
            [("1997-04-08", "8 April 1997"), ("1998-11-09", "9 November 1998")],
            ["signing", "ratification"],
        ),
        (
            "zh-Hant",
            "條約於1997年4月8日簽署，1998年11月9日批准。",
            [("1997-04-08", "1997年4月8日"), ("1998-11-09", "1998年11月9日")],
            ["signing", "ratification"],
        ),
        (
            "ru",
            "Президент посетил Бишкек 27 ноября 2019 года, а закон ратифицирован 21 июля 2025.",
            [("2019-11-27", "27 ноября 2019 года"), ("2025-07-21", "21 июля 2025")],
            ["visit", "ratification"],
        ),
        (
            "en",
            "The centre was opened in 2001 and again in 2005.",
            [("2001", "2001"), ("2005", "2005")],
            [None, None],
        ),
    ],
)
def test_a_date_is_bound_to_the_event_of_its_clause(
    lang: str, text: str, dates: list[tuple[str, str]], events: list[str | None]
) -> None:
    sentence = _sentence(lang, text, [("date", v, s) for v, s in dates])
    found = [bound_event(Mention(f, "d", lang, sentence)) for f in sentence.facts or ()]
    assert found == events


@pytest.mark.parametrize(
    ("value", "surface", "step"),
    [
        (2_800_000_000, "£2.8bn", 100_000_000),
        (2_830_000_000, "2,83 млрд", 10_000_000),
        (160_000_000, "1.6億美元", 10_000_000),
        (568_000_000, "568 миллион долларды", 1_000_000),
        (150_000, "150,000", None),  # digit grouping: written in full, exact
        (150, "150", None),
    ],
)
def test_a_scaled_figure_states_its_precision(value: int, surface: str, step: int | None) -> None:
    fact = Fact("money", {"amount": value, "currency": "USD"}, surface, 0, 1, [0, 1])
    assert _step(fact) == step


def test_one_figure_typed_differently_on_two_sides_agrees() -> None:
    """A translation that drops the currency or percent sign, or reads a bare year as a count,
    states the same figure: agree, kind granularity, named by the more specific type; another
    figure across types is no pair (3 is not about $5)."""
    from kzkg_tools.diff import compare

    def fact(type_: str, value: object, surface: str, unit: str | None = None) -> Fact:
        return Fact(
            type=type_, value=value, surface=surface, start=0, end=1, span=[0, 1], unit=unit
        )  # type: ignore[arg-type]

    money = fact("money", {"amount": 250, "currency": "USD"}, "250美元")
    assert compare(money, fact("number", 250, "250"))[:2] == ("agree", "granularity")  # type: ignore[index]
    assert compare(fact("percent", 43, "43%"), fact("number", 43, "43"))[:2] == (
        "agree",
        "granularity",
    )  # type: ignore[index]
    assert compare(fact("year", 1945, "1945"), fact("number", 1945, "1945")) is not None
    assert compare(fact("number", 3, "3"), money) is None
    assert compare(fact("number", 250, "250", unit="day"), money) is None


def test_a_pair_across_types_is_named_by_the_more_specific_type() -> None:
    from kzkg_tools.diff import DiffOptions, compare_mentions

    zh = _sentence(
        "zh-Hans", "她只得到250美元。", [("money", {"amount": 250, "currency": "USD"}, "250美元")]
    )
    ru = _sentence("ru", "Ей давали только 250.", [("number", 250, "250")])
    sides = (("d", "ru"), ("d", "zh-Hans"))
    records = list(
        compare_mentions(
            "b",
            [Mention(f, "d", "ru", ru) for f in ru.facts or ()],
            [Mention(f, "d", "zh-Hans", zh) for f in zh.facts or ()],
            sides,
            DiffOptions(),
        )
    )
    assert [(r.type, r.status, r.kind) for r in records] == [("money", "agree", "granularity")]


def test_persons_transcribed_one_edit_apart_agree_and_others_do_not() -> None:
    from kzkg_tools.diff import compare

    def person(value: str, subtype: str = "person") -> Fact:
        return Fact("entity", value, value, 0, len(value), [0, len(value)], subtype=subtype)

    # Уоррен / Warren: the w that Russian writes as a vowel is the one edit
    assert compare(person("Elizabet Uorren"), person("Elizabeth Warren"))[:2] == (  # type: ignore[index]
        "agree",
        "same",
    )
    assert compare(person("Tomas B'orn"), person("Thomas Bjorn")) is not None
    # equal keys stay the closest agreement
    assert compare(person("Dzhin Friman"), person("Jeane Freeman"))[3] == 9  # type: ignore[index]
    # two edits, a key too short to tell names apart, or not persons: no agreement
    assert compare(person("Jeff Flake"), person("Jill Stein")) is None
    assert compare(person("Uorren"), person("Warren")) is None
    assert compare(person("Uorren Komitet", "org"), person("Warren Committee", "org")) is None


def _person_bead(en: str, surname: str, lang: str, other: str, spans: bool = False) -> list:
    """The diff records of a bead whose English sentence names a person and whose other
    sentence (in `lang`) has no fact."""
    start = en.index(surname)
    person = Fact(
        "entity", surname, surname, start, start + len(surname), [start, start + len(surname)]
    )
    person.subtype = "person"
    a = Sentence("en:1", "en", 1, "en", en, "paragraph", "en", [0, len(en)], facts=[person])
    # a sentence at offset 100 of its source, its first character from two source characters
    # (a map as normalize writes it): spans must be mapped, not copied
    offsets = [[0, 1, 100, 102], [1, len(other), 102, 101 + len(other)]] if spans else None
    b = Sentence(
        "x:1", "x", 1, lang, other, "paragraph", "x", [100, 101 + len(other)], spans=offsets
    )
    b.facts = []
    members = [
        BeadMember("en", "en", ["en:1"], en),
        BeadMember("x", lang, ["x:1"], other),
    ]
    bead = Bead("b1", "translation", 1.0, members)
    return list(diff([bead], {"en:1": a, "x:1": b}, DiffOptions()))


@pytest.mark.parametrize(
    ("surname", "lang", "other", "named"),
    [
        ("Trump", "ar", "وقت التجمع لترامب في فرجينيا الغربية", "ترامب"),  # b for p, after ل
        ("Trump", "zh-Hans", "美国总统特朗普周六说", "特朗普"),  # te lang pu
        ("Kavanaugh", "zh-Hans", "法官布雷特·卡瓦诺否认", "卡瓦诺"),
        ("Kavanaugh", "ru", "Судья Бретт Кавано отрицает", "Кавано"),
        ("Rosenstein", "zh-Hans", "他在会后罗森斯坦说", "罗森斯坦"),  # not 后罗森斯坦
    ],
)
def test_a_person_named_in_the_other_text_agrees(
    surname: str, lang: str, other: str, named: str
) -> None:
    (record,) = _person_bead(f"Judge {surname} said", surname, lang, other, spans=True)
    assert (record.status, record.kind) == ("agree", "same")
    assert record.reason == f"named in the other text: {named}"
    value = record.values[1]
    assert (value.lang, value.surface) == (lang, named)
    start = other.index(named)
    # source offsets through the sentence's map: its first character is two source ones
    assert value.span == [101 + start, 101 + start + len(named)]
    assert record.values[0].surface == surname


@pytest.mark.parametrize(
    ("surname", "lang", "other"),
    [
        ("Trump", "zh-Hans", "美国总统周六说"),  # the name is not there
        ("Trump", "ar", "قال الرئيس الأمريكي يوم السبت"),
        ("Trump", "zh-Hans", "特朗，普通的"),  # never across punctuation
        ("May", "zh-Hans", "梅花没有开"),  # m: too short a key to tell by
        ("Kusuma", "zh-Hans", "新"),  # one character is no foreign surname
        ("Jones", "ru", "Джонсон сказал"),  # jns and jnsn: a key of 3 letters needs all three
    ],
)
def test_a_person_the_other_text_does_not_name_is_missing(
    surname: str, lang: str, other: str
) -> None:
    (record,) = _person_bead(f"Then {surname} said", surname, lang, other)
    assert (record.status, record.kind) == ("missing", "absent")
    assert record.reason == "stated in en only"


def test_named_in_the_other_text_reads_each_sentence_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sentence's words are transliterated once however many persons look for a name
    there, and not at all when no person is left over."""
    read: list[str] = []
    real = diff_module._words

    def words(sentence: Sentence) -> list:
        read.append(sentence.id)
        return real(sentence)

    monkeypatch.setattr(diff_module, "_words", words)
    en = "Kavanaugh and Trump spoke"
    facts = []
    for name in ("Kavanaugh", "Trump"):
        start = en.index(name)
        fact = Fact("entity", name, name, start, start + len(name), [start, start + len(name)])
        fact.subtype = "person"
        facts.append(fact)
    a = Sentence("en:1", "en", 1, "en", en, "paragraph", "en", [0, len(en)], facts=facts)
    ru = "Кавано и Трамп говорили"
    b = Sentence("ru:1", "ru", 1, "ru", ru, "paragraph", "ru", [0, len(ru)], facts=[])
    members = [BeadMember("en", "en", ["en:1"], en), BeadMember("ru", "ru", ["ru:1"], ru)]
    records = list(
        diff([Bead("b1", "translation", 1.0, members)], {"en:1": a, "ru:1": b}, DiffOptions())
    )
    assert [r.reason for r in records] == [
        "named in the other text: Кавано",
        "named in the other text: Трамп",
    ]
    assert read == ["ru:1"]
    read.clear()
    b.facts = [
        Fact("entity", name, name, 0, 1, [0, 1], subtype="person")
        for name in ("Kavanaugh", "Trump")
    ]
    assert [
        r.status
        for r in diff(
            [Bead("b1", "translation", 1.0, members)], {"en:1": a, "ru:1": b}, DiffOptions()
        )
    ] == ["agree", "agree"]
    assert read == []


def _fact(type_: str, value: object, surface: str, **extra: object) -> Fact:
    return Fact(type=type_, value=value, surface=surface, start=0, end=1, span=[0, 1], **extra)  # type: ignore[arg-type]


def test_a_day_and_month_whose_year_is_inferred_compares_by_day_and_month() -> None:
    """`6 ноября` and `November 6` in two translations that named different years before:
    the years are the extractor's guesses, so the day and month decide; a stated year that
    differs, or another day, still conflicts."""
    from kzkg_tools.diff import compare

    ru = _fact("date", "2014-11-06", "6 ноября", literal="--11-06", inferred="year")
    en = _fact("date", "2020-11-06", "November 6", literal="--11-06", inferred="year")
    assert compare(ru, en)[:2] == ("agree", "granularity")  # type: ignore[index]
    stated = _fact("date", "2020-11-06", "6 November 2020")
    assert compare(ru, stated)[:2] == ("agree", "granularity")  # type: ignore[index]
    other_day = _fact("date", "2014-11-07", "7 ноября", literal="--11-07", inferred="year")
    assert compare(ru, other_day)[:2] == ("conflict", "value")  # type: ignore[index]
    assert compare(
        _fact("date", "2014-11-06", "6 November 2014"), _fact("date", "2020-11-06", "6.11.2020")
    )[:2] == ("conflict", "value")  # type: ignore[index]


def test_a_generic_classifier_pairs_with_any_unit() -> None:
    """Chinese 两个小时 (classifier 个, unit `item`) and Arabic ساعتين (hour) are one count;
    two units of different classes are still no pair."""
    from kzkg_tools.diff import compare

    zh = _fact("number", 2, "两个", unit="item")
    assert compare(zh, _fact("number", 2, "ساعتين", unit="hour"))[:2] == ("agree", "same")  # type: ignore[index]
    assert (
        compare(_fact("number", 2, "two", unit="day"), _fact("number", 2, "2", unit="hour")) is None
    )


def test_degrees_of_unstated_scale_agree_in_either_reading() -> None:
    """`80 градус` (unit degree: the scale is not stated) agrees with `80华氏度` and with
    `27 градусов` (80 °F = 26.7 °C), not with `50 °F`; `27 °C` (stated) still converts."""
    from kzkg_tools.diff import compare

    kk = _fact("number", 80, "80", unit="degree")
    assert compare(kk, _fact("number", 80, "80华氏度", unit="°f"))[:2] == ("agree", "same")  # type: ignore[index]
    assert compare(kk, _fact("number", 27, "27", unit="degree"))[:2] == ("agree", "unit")  # type: ignore[index]
    assert compare(kk, _fact("number", 50, "50", unit="°f"))[:2] == ("conflict", "value")  # type: ignore[index]
    stated = _fact("number", 27, "27 градусов по Цельсию", unit="°c")
    assert compare(stated, _fact("number", 80, "80", unit="°f"))[:2] == ("agree", "unit")  # type: ignore[index]


def _person_pair(en: str, en_name: str, lang: str, other: str, value: str, surface: str) -> list:
    """The diff records of a bead whose English and other sentence each name a person."""
    a = _sentence("en", en, [("entity", en_name, en_name)])
    b = _sentence(lang, other, [("entity", value, surface)])
    for s in (a, b):
        for f in s.facts or ():
            f.subtype = "person"
    a.id, b.id, b.doc_id = "en:1", "x:1", "x"
    members = [BeadMember("d", "en", ["en:1"], en), BeadMember("x", lang, ["x:1"], other)]
    bead = Bead("b1", "translation", 1.0, members)
    return list(diff([bead], {"en:1": a, "x:1": b}, DiffOptions()))


@pytest.mark.parametrize(
    ("lang", "other", "value", "surface"),
    [
        ("zh-Hans", "总统唐纳德·特朗普说", "Tangnade Telangpu", "唐纳德·特朗普"),
        ("zh-Hans", "特朗普说", "Telangpu", "特朗普"),
        ("ar", "قال الرئيس دونالد ترامب", "Dunald Tramb", "دونالد ترامب"),
    ],
)
def test_a_chinese_or_arabic_person_pairs_with_the_english_one_by_its_surname(
    lang: str, other: str, value: str, surface: str
) -> None:
    """Their keys differ (trngp, dnrdtrmp): the surname is looked up in the name's surface
    as `_named` looks it up in a text."""
    records = _person_pair(
        "President Donald Trump said", "Donald Trump", lang, other, value, surface
    )
    assert [(r.status, r.reason) for r in records] == [("agree", "same person, transcribed apart")]


def test_a_chinese_person_with_another_surname_is_not_paired() -> None:
    records = _person_pair(
        "Senator Lindsey Graham said",
        "Lindsey Graham",
        "zh-Hans",
        "法官布雷特·卡瓦诺说",
        "Buleite Kawanuo",
        "布雷特·卡瓦诺",
    )
    assert sorted(r.status for r in records) == ["missing", "missing"]


@pytest.mark.parametrize(
    ("en_name", "lang", "other", "value", "surface"),
    [
        # Chinese leaves out an r before a consonant: fu te and Ford are both vt (too short
        # a key to look for: paired as the bead's only unpaired persons)
        ("Christine Blasey Ford", "zh-Hans", "福特说", "Fute", "福特"),
        # the surname's key (nr) is too short: the whole name's is looked for
        ("Martin O'Neill", "zh-Hans", "马丁·奥尼尔说", "Mading Aonier", "马丁·奥尼尔"),
        # Arabic writes v with ف and u with و: kfnw is Kavanaugh (kvn)
        ("Brett Kavanaugh", "ar", "قال كافانو", "Kafanw", "كافانو"),
    ],
)
def test_a_person_transcribed_by_another_script_pairs(
    en_name: str, lang: str, other: str, value: str, surface: str
) -> None:
    records = _person_pair(f"Then {en_name} said", en_name, lang, other, value, surface)
    assert [r.status for r in records] == ["agree"]
    assert records[0].reason.startswith("same person, transcribed apart")


def test_the_only_unpaired_persons_of_a_bead_pair_when_only_their_ends_differ() -> None:
    """Spieth (spt) and 斯皮思 (si pi si, sps) differ in their last consonant only."""
    records = _person_pair(
        "Jordan Spieth won",
        "Jordan Spieth",
        "zh-Hans",
        "乔丹·斯皮思赢了",
        "Qiaodan Sipisi",
        "乔丹·斯皮思",
    )
    assert [(r.status, r.kind) for r in records] == [("agree", "same")]
    assert "only unpaired persons" in records[0].reason


@pytest.mark.parametrize(
    ("en_name", "value", "surface"),
    [
        (
            "Steven Gerrard",
            "Liyamu Kaili",
            "利亚姆·凯利",
        ),  # krt and kr: one consonant shared too few
        ("Lindsey Graham", "Buleite Kawanuo", "布雷特·卡瓦诺"),  # krn and kvn: only k shared
        ("Jordan Spieth", "Qiaodan Fute", "乔丹·福特"),  # spt and vt
    ],
)
def test_the_only_unpaired_persons_of_a_bead_with_other_names_stay_apart(
    en_name: str, value: str, surface: str
) -> None:
    records = _person_pair(
        f"Then {en_name} said", en_name, "zh-Hans", f"{surface}说", value, surface
    )
    assert sorted(r.status for r in records) == ["missing", "missing"]


def test_an_arabic_w_before_a_vowel_is_a_consonant() -> None:
    """كرومويل (krwmwyl): the first w is the o of Cromwell, the second its w (Кромвель, v)."""
    from kzkg_tools.diff import _cross_key, _latin_letters

    arabic = _cross_key(_latin_letters("كرومويل"), "ar", "ru")
    assert arabic == _cross_key(_latin_letters("Кромвель"), "ru", "ar")
    assert arabic == _cross_key(_latin_letters("Cromwell"), "en", "ar")
    assert _cross_key(_latin_letters("بومبيو"), "ar", "en") == _cross_key("pompeo", "en", "ar")
