"""Outputs every Arrow-based tool loads (issue 18 item 2): one JSON type per field, the JSONL
outputs read by `pyarrow.json`, the Parquet export read by `pyarrow.parquet`, and fact values
that read back as the values the diff compares."""

from __future__ import annotations

import dataclasses
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kzkg_tools.cli import cli
from kzkg_tools.errors import InputError
from kzkg_tools.io import Source, iter_records
from kzkg_tools.normalize import NormalizeOptions, normalize_file
from kzkg_tools.records import (
    Bead,
    Diff,
    DiffValue,
    Document,
    Fact,
    Sentence,
    dumps,
    from_dict,
    number_text,
    value_from_text,
    value_text,
)

OUTPUTS = {
    "documents": Document,
    "sentences": Sentence,
    "aligned": Bead,
    "diff": Diff,
}
SHARED_WIKITEXT = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikitext" / "hard"


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("arrow") / "out"
    result = CliRunner().invoke(cli, ["-q", "run", "-o", str(out), "--align-method", "facts"])
    assert result.exit_code == 0, result.stderr
    return out


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


# --- fact values: canonical text and back -----------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (5, "5"),
        (2.5, "2.5"),
        (1e-05, "0.00001"),
        (5.0, "5.0"),
        (1e16, "10000000000000000.0"),
        (-3, "-3"),
        ({"amount": 400000000, "currency": "USD"}, "400000000 USD"),
        ({"amount": 0.5, "currency": "CNY"}, "0.5 CNY"),
        ("2000/2099", "2000/2099"),
        (None, None),
    ],
)
def test_value_text(value: object, text: str | None) -> None:
    assert value_text(value) == text


finite = st.floats(allow_nan=False, allow_infinity=False)


def test_money_without_a_currency_is_refused() -> None:
    # "5" would read back as the number 5, not as money
    with pytest.raises(ValueError, match="currency"):
        value_text({"amount": 5, "currency": None})


@given(st.one_of(st.integers(), finite))
def test_numbers_read_back_as_the_same_value_and_type(n: int | float) -> None:
    back = value_from_text(value_text(n), numeric=True)
    assert back == n and type(back) is type(n)
    assert "e" not in number_text(n).lower()  # plain decimal, no exponent
    for fact_type in ("number", "year", "percent"):
        fact = Fact(fact_type, n, "x", 0, 1, [0, 1])  # type: ignore[arg-type]
        again = from_dict(Fact, json.loads(dumps(fact)))
        assert again == fact and type(again.value) is type(n)


@given(st.one_of(st.integers(), finite), st.sampled_from(["USD", "KZT"]))
def test_money_reads_back(amount: int | float, currency: str) -> None:
    money = {"amount": amount, "currency": currency}
    back = value_from_text(value_text(money), numeric=True)
    assert back == money and type(back["amount"]) is type(amount)
    fact = Fact("money", money, "x", 0, 1, [0, 1])
    assert fact.number == float(amount) and fact.currency == currency
    again = from_dict(Fact, json.loads(dumps(fact)))
    assert again == fact


def test_a_diff_pairing_a_date_with_a_year_reads_back() -> None:
    """A diff's type is its first member's: the other member's value may be of another type."""
    for kind, values in (("date", ("1991-12-16", 1991)), ("year", (1882, "1882-09-30"))):
        diff = Diff(
            id="b#1",
            bead="b",
            type=kind,  # type: ignore[arg-type]
            status="agree",
            kind="granularity",
            reason="same year; one side is more precise",
            values=[
                DiffValue("a", "en", values[0], "x", [0, 1]),
                DiffValue("b", "ru", values[1], "y", [0, 1]),
            ],
        )
        line = dumps(diff)
        assert [v["value"] for v in json.loads(line)["values"]] == [str(v) for v in values]
        back = from_dict(Diff, json.loads(line))
        assert back == diff and [v.value for v in back.values] == list(values)
        assert dumps(back) == line


def test_a_value_that_does_not_fit_its_type_is_an_input_error(tmp_path: Path) -> None:
    fact = {"type": "number", "value": "five", "surface": "x", "start": 0, "end": 1, "span": [0, 1]}
    sentence = {
        "id": "d:0",
        "doc_id": "d",
        "n": 0,
        "lang": "en",
        "text": "x",
        "block": "paragraph",
        "source": "d",
        "span": [0, 1],
        "facts": [fact],
    }
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(sentence) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"s\.jsonl:1: not a Sentence record .*'five'"):
        list(iter_records([Source(str(path))], Sentence))


def test_version_2_values_still_read() -> None:
    """A version-2 number (a JSON number, money an object) reads as the version-3 text does."""
    v2 = {"type": "money", "value": {"amount": 5, "currency": "USD"}, "surface": "$5"}
    v2 |= {"start": 0, "end": 2, "span": [0, 2]}
    v3 = {**v2, "value": "5 USD", "number": 5.0, "currency": "USD"}
    assert from_dict(Fact, v2) == from_dict(Fact, v3)
    assert dumps(from_dict(Fact, v2)) == json.dumps(v3, ensure_ascii=False, separators=(",", ":"))


# --- the seeds' run -----------------------------------------------------------------------


def _json_types(value: object, path: str, seen: dict[str, set[str]]) -> None:
    """Record the JSON type of every value under its path (list items as `[]`)."""
    if value is None:
        return
    if isinstance(value, dict):
        seen[path].add("object")
        for k, v in value.items():
            _json_types(v, f"{path}.{k}", seen)
    elif isinstance(value, list):
        seen[path].add("array")
        for v in value:
            _json_types(v, f"{path}[]", seen)
    else:
        kind = {str: "string", bool: "boolean", int: "integer", float: "float"}[type(value)]
        seen[path].add(kind)


@pytest.mark.slow
def test_every_field_has_one_json_type(seeds_run: Path) -> None:
    for name in OUTPUTS:
        seen: dict[str, set[str]] = defaultdict(set)
        for line in _lines(seeds_run / f"{name}.jsonl"):
            _json_types(json.loads(line), name, seen)
        mixed = {path: kinds for path, kinds in seen.items() if len(kinds) > 1}
        assert mixed == {}, name
    # fact values are text; numbers carry a float beside them
    facts = [
        f
        for line in _lines(seeds_run / "sentences.jsonl")
        for f in json.loads(line).get("facts", [])
    ]
    assert {type(f["value"]) for f in facts} == {str}
    numeric = [f for f in facts if f["type"] in ("number", "year", "percent", "money")]
    assert numeric and all(isinstance(f["number"], float) for f in numeric)
    assert all(math.isclose(f["number"], float(f["value"].split()[0])) for f in numeric)


@pytest.mark.slow
def test_pyarrow_json_loads_every_output(seeds_run: Path) -> None:
    pj = pytest.importorskip("pyarrow.json")
    from kzkg_tools.parquet import arrow_schema

    for name in OUTPUTS:
        path = seeds_run / f"{name}.jsonl"
        rows = len(_lines(path))
        assert rows > 0
        assert pj.read_json(path).num_rows == rows, name
        # with the package's schema, dates stay text instead of Arrow's guessed timestamps
        schema = arrow_schema(name)
        table = pj.read_json(path, parse_options=pj.ParseOptions(explicit_schema=schema))
        assert table.schema == schema and table.num_rows == rows, name


@pytest.mark.slow
def test_every_record_reads_back_to_the_same_line(seeds_run: Path) -> None:
    """What a chain stage reads from JSON is what the previous stage held: same line again."""
    for name, cls in OUTPUTS.items():
        for line in _lines(seeds_run / f"{name}.jsonl"):
            assert dumps(from_dict(cls, json.loads(line))) == line


@pytest.mark.slow
def test_parquet_export_loads_every_table(seeds_run: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "pq"
    result = CliRunner().invoke(
        cli, ["export", str(seeds_run), "--format", "parquet", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{t}.parquet" for t in ("documents", "sentences", "facts", "aligned", "diff")
    )
    for name in OUTPUTS:
        table = pq.read_table(out / f"{name}.parquet")
        assert table.num_rows == len(_lines(seeds_run / f"{name}.jsonl")), name
    sentences = [json.loads(line) for line in _lines(seeds_run / "sentences.jsonl")]
    facts = pq.read_table(out / "facts.parquet").to_pylist()
    expected = [
        {"sentence_id": s["id"], "doc_id": s["doc_id"], **f}
        for s in sentences
        for f in s.get("facts", [])
    ]
    assert len(facts) == len(expected) > 0
    for got, want in zip(facts, expected, strict=True):
        assert {k: v for k, v in got.items() if v is not None} == want
    assert "facts" not in pq.read_table(out / "sentences.parquet").column_names


def test_parquet_export_needs_a_folder(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from tests import run_output

    out_dir = run_output.write(tmp_path / "out")
    result = CliRunner().invoke(cli, ["export", str(out_dir), "--format", "parquet"])
    assert result.exit_code == 2 and "give -o FOLDER" in result.stderr


def test_parquet_export_keeps_unknown_metadata_and_writes_empty_tables(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from tests import run_output

    out_dir = run_output.write(tmp_path / "out")
    docs = [json.loads(line) for line in _lines(out_dir / "documents.jsonl")]
    docs[0]["metadata"]["revision"] = "1234"  # a key another normalizer might add
    (out_dir / "documents.jsonl").write_text(
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8"
    )
    (out_dir / "diff.jsonl").write_text("", encoding="utf-8")
    pq_dir = tmp_path / "pq"
    result = CliRunner().invoke(
        cli, ["export", str(out_dir), "--format", "parquet", "-o", str(pq_dir)]
    )
    assert result.exit_code == 0, result.stderr
    metadata = pq.read_table(pq_dir / "documents.parquet").column("metadata").to_pylist()
    assert [m["revision"] for m in metadata] == ["1234"] + [None] * (len(docs) - 1)
    diff = pq.read_table(pq_dir / "diff.parquet")
    assert diff.num_rows == 0
    assert diff.column_names == [f.name for f in dataclasses.fields(Diff)]


def test_parquet_export_without_pyarrow_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests import run_output

    out_dir = run_output.write(tmp_path / "out")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    result = CliRunner().invoke(
        cli, ["export", str(out_dir), "--format", "parquet", "-o", str(tmp_path / "pq")]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("needs pyarrow: pip install 'kzkg_tools[parquet]'")
    assert not (tmp_path / "pq").exists()


def test_parquet_export_into_a_file_is_an_output_error(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from tests import run_output

    out_dir = run_output.write(tmp_path / "out")
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["export", str(out_dir), "--format", "parquet", "-o", str(tmp_path / "taken")]
    )
    assert result.exit_code == 2 and "cannot create the folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --- Document.metadata --------------------------------------------------------------------

WIKI_PAGES = {
    "a.wiki": "{{Infobox country\n| name = Andorra\n| Name = x\n"
    "| capital = [[Andorra la Vella]]\n}}\n'''Andorra''' is small.\n[[Category:Europe]]",
    "b.wiki": "{{noteTA|G1=IT|1=zh-cn:软件;zh-tw:軟體;}}{{Infobox person\n| born = 1990\n}}\n"
    "'''甲'''是人。",
    "c.wiki": "Plain page, no metadata but a title line.",
}


def _documents(pages: dict[str, str]) -> list[Document]:
    return [
        normalize_file(name, text, NormalizeOptions(format="wikitext"))
        for name, text in pages.items()
    ]


def test_metadata_maps_are_key_value_pairs_and_read_back() -> None:
    docs = _documents(WIKI_PAGES)
    assert docs[0].metadata["infobox"] == {
        "name": "Andorra",
        "Name": "x",
        "capital": "Andorra la Vella",
    }
    data = json.loads(dumps(docs[0]))
    assert data["metadata"]["infobox"][:2] == [
        {"key": "name", "value": "Andorra"},
        {"key": "Name", "value": "x"},
    ]
    rules = json.loads(dumps(docs[1]))["metadata"]["conversion"]["rules"]
    assert rules == [[{"key": "zh-cn", "value": "软件"}, {"key": "zh-tw", "value": "軟體"}]]
    for doc in docs:
        assert from_dict(Document, json.loads(dumps(doc))) == doc


def _load_documents(docs: list[Document], tmp_path: Path) -> None:
    pj = pytest.importorskip("pyarrow.json")
    from kzkg_tools.parquet import arrow_schema, table

    path = tmp_path / "documents.jsonl"
    path.write_text("".join(dumps(d) + "\n" for d in docs), encoding="utf-8")
    assert pj.read_json(path).num_rows == len(docs)
    options = pj.ParseOptions(explicit_schema=arrow_schema("documents"))
    assert pj.read_json(path, parse_options=options).num_rows == len(docs)
    rows = [json.loads(line) for line in _lines(path)]
    assert table("documents", rows).num_rows == len(docs)


def test_metadata_of_wikitext_pages_loads_with_arrow(tmp_path: Path) -> None:
    _load_documents(_documents(WIKI_PAGES), tmp_path)


def test_metadata_of_dump_pages_loads_with_arrow(tmp_path: Path) -> None:
    pj = pytest.importorskip("pyarrow.json")
    from kzkg_tools.parquet import arrow_schema

    dumps_dir = Path(__file__).resolve().parent / "fixtures" / "dumps"
    out = tmp_path / "docs.jsonl"
    inputs = [str(dumps_dir / "zhwiki-sample.xml"), str(dumps_dir / "enwiki-sample.xml.bz2")]
    result = CliRunner().invoke(cli, ["-q", "normalize", *inputs, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    options = pj.ParseOptions(explicit_schema=arrow_schema("documents"))
    table = pj.read_json(out, parse_options=options)
    metadata = table.column("metadata").to_pylist()
    assert len(metadata) == len(_lines(out)) > 1
    assert all(isinstance(m["page_id"], int) and m["wiki"] for m in metadata)
    assert any(m["infobox"] or m["conversion"] for m in metadata)


@pytest.mark.skipif(not SHARED_WIKITEXT.is_dir(), reason="needs ../shared/data/wikitext")
def test_metadata_of_shared_wikitext_pages_loads_with_arrow(tmp_path: Path) -> None:
    pages = {p.name: p.read_text(encoding="utf-8") for p in sorted(SHARED_WIKITEXT.glob("*.wiki"))}
    docs = _documents(pages)
    assert any("infobox" in d.metadata for d in docs)
    _load_documents(docs, tmp_path)
