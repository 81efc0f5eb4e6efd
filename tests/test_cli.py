"""The command line's contract: records on stdout, one line per error on stderr, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kzkg_tools import __version__
from kzkg_tools.cli import cli


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_unknown_command_is_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_every_command_has_help(runner: CliRunner) -> None:
    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help text"
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name


def test_detect_seeds(runner: CliRunner, seeds: dict[str, Path]) -> None:
    result = runner.invoke(cli, ["detect", *map(str, seeds.values())])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    got = {Path(r["source"]).name[:3]: (r["format"], r["lang"]) for r in records}
    assert got["000"] == ("wikitext", "zh-Hant")
    assert got["001"] == ("plain", "ar")
    assert got["003"] == ("plain", "kk-Arab")
    assert got["004"] == ("markdown", "zh-Hant")
    assert got["002"] == ("pdf-text", "kk-Cyrl")
    shares = next(r["langs"] for r in records if r["source"].endswith(seeds["002"].name))
    assert {"kk-Cyrl", "en", "ru"} <= set(shares)
    assert shares["kk-Cyrl"] > shares["ru"] > 0.01 and shares["en"] > 0.01


def test_detect_stdin(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["detect"], input="Қазақстан мен Қырғызстан арасындағы қатынас.\n")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["source"] == "-"
    assert record["lang"] == "kk-Cyrl"


def test_output_file_is_atomic_and_complete(
    runner: CliRunner, seeds: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "d.jsonl"
    result = runner.invoke(cli, ["detect", str(seeds["001"]), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["lang"] == "ar"
    assert [p.name for p in tmp_path.iterdir()] == ["d.jsonl"]  # no temporary left


def test_failed_run_leaves_no_output_file(
    runner: CliRunner, seeds: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "d.jsonl"
    result = runner.invoke(
        cli, ["detect", str(seeds["001"]), str(tmp_path / "nope"), "-o", str(out)]
    )
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_output_equal_to_input_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("hello world\n", encoding="utf-8")
    result = runner.invoke(cli, ["detect", str(src), "-o", str(src)])
    assert result.exit_code == 2
    assert "also an input" in result.stderr
    assert src.read_text(encoding="utf-8") == "hello world\n"


def test_internal_error_is_one_line_without_traceback(
    runner: CliRunner, monkeypatch, tmp_path: Path
) -> None:
    import kzkg_tools.detect

    def boom(text: str, source: str) -> None:
        raise RuntimeError("exploded\nsecond line")

    monkeypatch.setattr(kzkg_tools.detect, "detect", boom)
    src = tmp_path / "a.txt"
    src.write_text("hello\n", encoding="utf-8")
    result = runner.invoke(cli, ["detect", str(src)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "internal error: RuntimeError: exploded" in result.stderr
    assert "Traceback" not in result.stderr
    debug = runner.invoke(cli, ["--debug", "detect", str(src)])
    assert debug.exit_code == 2
    assert "Traceback" in debug.stderr


def test_ctrl_c_exits_130(runner: CliRunner, monkeypatch, tmp_path: Path) -> None:
    import kzkg_tools.detect

    def interrupted(text: str, source: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(kzkg_tools.detect, "detect", interrupted)
    src = tmp_path / "a.txt"
    src.write_text("hello\n", encoding="utf-8")
    result = runner.invoke(cli, ["detect", str(src)])
    assert result.exit_code == 130


def test_check_valid_and_invalid(runner: CliRunner, tmp_path: Path) -> None:
    good = {"source": "x", "format": "plain", "script": "Latn", "lang": "en", "langs": {"en": 1.0}}
    bad_doc = {
        "id": "d",
        "source": "x",
        "format": "plain",
        "lang": "en",
        "text": "t",
        "blocks": [{"start": 0, "end": 1, "kind": "sidebar", "lang": "en"}],
    }
    f = tmp_path / "r.jsonl"
    f.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert runner.invoke(cli, ["check", str(f)]).exit_code == 0
    f.write_text(json.dumps(good) + "\n" + json.dumps(bad_doc) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(f)])
    assert result.exit_code == 1
    assert f"{f}:2: blocks[0].kind:" in result.stderr
    assert "1 of 2 records invalid" in result.stderr


def test_check_names_missing_field(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "r.jsonl"
    f.write_text(
        json.dumps(
            {
                "id": "s:0",
                "doc_id": "s",
                "n": 0,
                "lang": "en",
                "text": "x",
                "block": "paragraph",
                "source": "x",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["check", str(f)])
    assert result.exit_code == 1
    assert f"{f}:1: span:" in result.stderr


def test_check_counts_invalid_json_as_a_failed_record(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "r.jsonl"
    f.write_text('{"a": 1}\n{oops\n', encoding="utf-8")
    result = runner.invoke(cli, ["check", str(f)])
    assert result.exit_code == 1  # a data check: every bad line is reported, then exit 1
    assert f"{f}:2:2: invalid JSON" in result.stderr
