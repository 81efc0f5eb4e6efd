"""Records: JSON round trip, field order, and JSON Schemas that cannot drift from the code."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from kzkg_tools import records
from kzkg_tools.records import (
    RECORD_TYPES,
    Bead,
    BeadMember,
    Block,
    Diff,
    DiffValue,
    Document,
    Fact,
    Sentence,
    SharedFact,
    dumps,
    from_dict,
    json_schema,
    metadata_json,
    to_dict,
    value_text,
)

ROOT = Path(__file__).resolve().parents[1]

EXAMPLES = [
    Document(
        id="003_x",
        source="seeds/003_x.txt",
        format="plain",
        lang="kk-Cyrl",
        text="Астана.",
        blocks=[Block(0, 7, "paragraph", "kk-Cyrl")],
        spans=[[0, 7, 13, 19]],
        metadata={
            "date": "2025-08-21",
            "infobox": {"name": "Астана", "Name": "x"},
            "conversion": {"groups": ["IT"], "rules": [{"zh-cn": "软件", "zh-tw": "軟體"}]},
        },
        orig_lang="kk-Arab",
        orig_text="استانا.",
    ),
    Sentence(
        id="003_x:0",
        doc_id="003_x",
        n=0,
        lang="kk-Cyrl",
        text="Астана.",
        block="paragraph",
        source="seeds/003_x.txt",
        span=[13, 19],
        spans=[[0, 7, 13, 19]],
        facts=[
            Fact(
                type="entity",
                value="Astana",
                surface="استانا",
                start=0,
                end=6,
                span=[13, 19],
                subtype="city",
                id="Q1520",
            ),
            Fact("number", 2.5, "2,5", 0, 3, [0, 3]),
            Fact("money", {"amount": 400000000, "currency": "USD"}, "4億美元", 0, 5, [0, 5]),
            Fact("year", 2007, "2007", 0, 4, [0, 4], qualifier="before"),
        ],
    ),
    Bead(
        id="bead:a~b:0",
        method="parallel",
        score=0.5,
        members=[BeadMember("a", "zh-Hant", ["a:0"], "甲"), BeadMember("b", "ar", [], "")],
        shared_facts=[SharedFact("year", 2007), SharedFact("entity", "Kazakhstan")],
    ),
    Diff(
        id="bead:a~b:0#1",
        bead="bead:a~b:0",
        type="date",
        status="conflict",
        kind="value",
        reason="years differ",
        values=[
            DiffValue("a", "zh-Hant", "0007-04-26", "007年4月26日", [370, 379]),
            DiffValue("b", "ar", "2007-04-26", None, None),
        ],
    ),
    Diff(
        id="bead:a~b:0#2",
        bead="bead:a~b:0",
        type="money",
        status="missing",
        kind="absent",
        reason="only in a",
        values=[
            DiffValue("a", "zh-Hant", {"amount": 0.5, "currency": "CNY"}, "5角", [1, 3]),
            DiffValue("b", "ar", None, None, None),
        ],
    ),
]


@pytest.mark.parametrize("record", EXAMPLES, ids=lambda r: type(r).__name__)
def test_round_trip(record: object) -> None:
    line = dumps(record)
    assert "\\u" not in line  # UTF-8 text, not ASCII escapes
    assert from_dict(type(record), json.loads(line)) == record
    assert dumps(from_dict(type(record), json.loads(line))) == line


@pytest.mark.parametrize("record", EXAMPLES, ids=lambda r: type(r).__name__)
def test_examples_validate_against_their_schema(record: object) -> None:
    from jsonschema import Draft202012Validator

    schema = json_schema(type(record))
    Draft202012Validator.check_schema(schema)
    errors = list(Draft202012Validator(schema).iter_errors(json.loads(dumps(record))))
    assert errors == []


def test_optional_none_fields_are_left_out() -> None:
    s = Sentence(
        id="d:0",
        doc_id="d",
        n=0,
        lang="en",
        text="x",
        block="paragraph",
        source="d.txt",
        span=[0, 1],
    )
    assert list(json.loads(dumps(s))) == [
        "id",
        "doc_id",
        "n",
        "lang",
        "text",
        "block",
        "source",
        "span",
    ]


def test_unknown_field_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown field 'colour'"):
        from_dict(Block, {"start": 0, "end": 1, "kind": "heading", "lang": "en", "colour": 1})


@pytest.mark.parametrize("name", sorted(RECORD_TYPES))
def test_schema_files_are_current(name: str) -> None:
    path = ROOT / "docs" / "schema" / f"{name}.json"
    expected = json.dumps(json_schema(RECORD_TYPES[name]), indent=2, ensure_ascii=False) + "\n"
    assert path.read_text(encoding="utf-8") == expected, (
        f"{path} is stale: run python -m kzkg_tools.records docs/schema"
    )


def _reference_to_dict(value: object) -> object:
    """The JSON form by walking the value (what the generated converters must agree with)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _reference_to_dict(_encoded(value, f.name))
            for f in dataclasses.fields(value)
            if not (getattr(value, f.name) is None and f.default is None)
        }
    if isinstance(value, (list, tuple)):
        return [_reference_to_dict(v) for v in value]
    if isinstance(value, dict):
        return {k: _reference_to_dict(v) for k, v in value.items()}
    return value


def _encoded(record: object, name: str) -> object:
    """A field as written: fact values as text, metadata maps as key/value pairs."""
    value = getattr(record, name)
    if name == "value" and isinstance(record, (Fact, SharedFact, DiffValue)):
        return value_text(value)
    if name == "metadata" and isinstance(record, Document):
        return metadata_json(value)
    return value


# a record nested in an Any-typed field and tuples where lists are expected
ODD = Bead(
    id="bead:odd",
    method="comparable",
    score=1e-7,
    members=[BeadMember("a", "en", ["a:0"], "x")],
    shared_facts=[{"fact": Fact("year", 2007, "2007", 0, 4, (0, 4)), "n": (1, 2.5, None)}],
)


@pytest.mark.parametrize("record", [*EXAMPLES, ODD], ids=lambda r: type(r).__name__)
def test_generated_converters_agree_with_walking_the_record(record: object) -> None:
    expected = _reference_to_dict(record)
    assert to_dict(record) == expected
    assert dumps(record) == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))


def test_to_dict_and_from_dict_copy_lists() -> None:
    sentence = EXAMPLES[1]
    assert isinstance(sentence, Sentence)
    data = to_dict(sentence)
    data["spans"][0].append(99)
    assert sentence.spans == [[0, 7, 13, 19]]
    back = from_dict(Sentence, data)
    data["spans"][0].append(100)
    data["facts"][0]["span"].append(7)
    assert back.spans == [[0, 7, 13, 19, 99]]
    assert back.facts[0].span == [13, 19]


def test_records_of_a_wrong_shape_are_errors() -> None:
    with pytest.raises(TypeError):
        from_dict(Sentence, {"id": "d:0"})  # required fields missing
    with pytest.raises(TypeError):
        from_dict(Sentence, {**to_dict(EXAMPLES[1]), "spans": 5})  # not a list
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps(Block(0, 1, "heading", {1, 2}))  # type: ignore[arg-type]


def test_dumps_is_json_text_with_or_without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    # orjson (when installed) writes what `json` writes; a float-bearing field (facts) and
    # values orjson refuses (an int beyond 64 bits, a lone surrogate) still give json's text
    sentences = [
        records.Sentence(
            id="d:0",
            doc_id="d",
            n=0,
            lang="kk",
            text='a\x00\x1f\x7f"\\\n\t\u2028é😀',
            block="paragraph",
            source="s",
            span=[0, 5],
            para=0,
            spans=[[0, 5, 0, 5]],
        ),
        records.Sentence(
            id="d:1",
            doc_id="d",
            n=2**70,
            lang="kk",
            text="x",
            block="paragraph",
            source="s",
            span=[0, 1],
        ),
        records.Sentence(
            id="d:2",
            doc_id="d",
            n=2,
            lang="kk",
            text="\ud800",
            block="paragraph",
            source="s",
            span=[0, 1],
        ),
    ]
    with_orjson = [records.dumps(s) for s in sentences]
    monkeypatch.setattr(records, "orjson", None)
    assert with_orjson == [records.dumps(s) for s in sentences]
    assert with_orjson[0] == json.dumps(
        records.to_dict(sentences[0]), ensure_ascii=False, separators=(",", ":")
    )


def test_loose_fields_are_those_that_may_hold_floats() -> None:
    assert records._loose_fields(records.Sentence) == ("facts",)
    assert records._loose_fields(records.Document) == ("metadata",)
    assert records._loose_fields(dict) is None


def test_quick_json_reads_as_json_does() -> None:
    # orjson reads a line where it gives json's object; what it would read otherwise (a big
    # integer as a float) or refuses (NaN, a lone surrogate, bad UTF-8, no object) is json's
    import json

    from kzkg_tools.io import quick_json

    same = [b'{"a":1,"a":2}', b'{"n":-0.0,"s":"\\ud83d\\ude00","t":true}', b' {"x":[1e5]} \r\n']
    for raw in same:
        assert quick_json(raw) == json.loads(raw)
    big = b'{"n":18446744073709551616}'
    assert quick_json(big) is None and type(json.loads(big)["n"]) is int
    for raw in [b'{"a":NaN}', b'{"a":"\\ud800"}', b'{"a":"\xc3"}', b"[1]", b"   \n", b'{"a":1,}']:
        assert quick_json(raw) is None


def test_quick_json_leaves_deep_nesting_to_json() -> None:
    # orjson reads nesting deeper than json's recursion allows; such a line goes to json,
    # which says it is nested too deep
    from kzkg_tools.io import quick_json

    assert quick_json(b'{"a":' + b"[" * 5000 + b"]" * 5000 + b"}") is None
    assert quick_json(b'{"a":' + b"[" * 50 + b"]" * 50 + b"}") is not None
