"""The check library: guessing a record's type from its fields, reading mixed records, CheckRun."""

from __future__ import annotations

import pytest

from kzkg_tools.check import CheckRun, guess_type, read_records
from kzkg_tools.errors import InputError
from kzkg_tools.records import Bead, Sentence, to_dict
from tests import run_output


def _lines(*objects: dict) -> list[tuple[str, int, dict]]:
    return [("in.jsonl", n, obj) for n, obj in enumerate(objects, 1)]


def test_guess_type_of_every_record_the_tools_write() -> None:
    assert guess_type(to_dict(run_output.documents()[0])) == "document"
    assert guess_type(to_dict(run_output.sentences()[0])) == "sentence"
    assert guess_type(to_dict(run_output.beads()[0])) == "bead"
    assert guess_type(to_dict(run_output.diffs()[0])) == "diff"
    assert guess_type({"source": "x", "script": "Latn", "langs": {}}) == "detection"
    assert guess_type({"colour": 1}) is None


def test_guess_type_among_skips_the_markers_of_other_types() -> None:
    # `bead` tells a diff apart first; limited to beads and sentences, `doc_id` decides
    obj = {"bead": "x", "doc_id": "d"}
    assert guess_type(obj) == "diff"
    assert guess_type(obj, ("bead", "sentence")) == "sentence"
    assert guess_type({"bead": "x"}, ("bead", "sentence")) is None


def test_read_records_builds_each_object_as_its_type() -> None:
    bead, sentence = run_output.beads()[0], run_output.sentences()[0]
    got = list(read_records(_lines(to_dict(sentence), to_dict(bead)), ("bead", "sentence")))
    assert [(path, n) for path, n, _ in got] == [("in.jsonl", 1), ("in.jsonl", 2)]
    assert isinstance(got[0][2], Sentence) and got[0][2] == sentence
    assert isinstance(got[1][2], Bead) and got[1][2] == bead


def test_read_records_names_file_and_line_of_a_stranger() -> None:
    sentence = to_dict(run_output.sentences()[0])
    with pytest.raises(InputError, match=r"^in\.jsonl:2: not a bead or sentence record$"):
        list(read_records(_lines(sentence, {"bead": "x"}), ("bead", "sentence")))
    with pytest.raises(InputError, match=r"^in\.jsonl:1: not a Sentence record \(unknown field"):
        list(read_records(_lines({**sentence, "colour": 1}), ("bead", "sentence")))


def test_check_run_counts_records_and_invalid_ones() -> None:
    good = to_dict(run_output.beads()[0])
    bad = {**good, "score": "high"}
    run = CheckRun(_lines(good, bad, {"colour": 1}, good))
    problems = list(run)
    assert (run.total, run.invalid) == (4, 2)
    assert problems[0].startswith("in.jsonl:2: score: ")
    assert problems[1] == "in.jsonl:3: (record): not a kzkg record (no known fields)"
    assert run.failure == "2 of 4 records invalid"


def test_check_run_with_a_forced_type_and_no_failure() -> None:
    sentence = to_dict(run_output.sentences()[0])
    as_sentence = CheckRun(_lines(sentence))
    assert list(as_sentence) == []
    assert (as_sentence.total, as_sentence.failure) == (1, None)
    as_bead = CheckRun(_lines(sentence), "bead")
    assert len(list(as_bead)) == 1
    assert as_bead.failure == "1 of 1 records invalid"


def test_malformed_lines_are_counted_and_checking_goes_on(tmp_path) -> None:
    from click.testing import CliRunner

    from kzkg_tools.cli import cli

    good = '{"source": "x", "format": "plain", "script": "Cyrl", "lang": "kk-Cyrl", "langs": {}}'
    f = tmp_path / "mixed.jsonl"
    f.write_text("\n".join(['{"broken', good, "[1, 2]", good, "{" * 5000 + "}" * 5000]) + "\n")
    result = CliRunner().invoke(cli, ["check", str(f)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{f}:1:2: invalid JSON")
    assert lines[1] == f"{f}:3:1: expected a JSON object per line"
    assert lines[2].startswith(f"{f}:5:") and ("nested too deep" in lines[2] or "JSON" in lines[2])
    assert lines[-1] == "kzkg: check failed: 3 of 5 records invalid"
