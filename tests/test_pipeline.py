"""`kzkg run` end to end on the seeds: outputs, manifest, determinism across -j and engines,
provenance of every fact, and no half-written file when a run fails."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kzkg_tools import SCHEMA_VERSION
from kzkg_tools.cli import cli
from kzkg_tools.records import Sentence, from_dict
from kzkg_tools.seeds import seed_paths

RECORDS = ["documents.jsonl", "sentences.jsonl", "aligned.jsonl", "diff.jsonl"]


def run(out: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["run", "-o", str(out), "--align-method", "facts", *args])
    assert result.exit_code == 0, result.stderr
    # One closing summary line, and no progress bar when stderr is not a terminal.
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].endswith(f"-> {out}"), lines
    assert re.match(r"kzkg: \d+ documents, \d+ sentences, \d+ facts, \d+ beads \(\w+\)", lines[0])
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    run(out)
    return out


def test_outputs_and_manifest(seeds_run: Path) -> None:
    assert sorted(p.name for p in seeds_run.iterdir()) == sorted([*RECORDS, "manifest.json"])
    manifest = json.loads((seeds_run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert [Path(i["path"]).name for i in manifest["inputs"]] == [
        p.name for p in map(Path, seed_paths())
    ]
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    counts = manifest["counts"]
    assert counts["documents"] == 5 and counts["sentences"] > 300 and counts["beads"] > 50
    assert manifest["options"]["align"]["method"] == "facts"
    assert manifest["options"]["align"]["group_by"] == "dir"
    assert [i["id"] for i in manifest["inputs"]] == [Path(p).name for p in seed_paths()]
    lines = (seeds_run / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == counts["sentences"]


def test_check_accepts_every_output(seeds_run: Path) -> None:
    result = CliRunner().invoke(cli, ["check", *(str(seeds_run / n) for n in RECORDS)])
    assert result.exit_code == 0, result.stderr


def test_every_fact_points_at_its_surface(seeds_run: Path) -> None:
    sources: dict[str, str] = {}
    n = 0
    for line in (seeds_run / "sentences.jsonl").read_text(encoding="utf-8").splitlines():
        sentence = from_dict(Sentence, json.loads(line))
        src = sources.setdefault(sentence.source, Path(sentence.source).read_text("utf-8"))
        for fact in sentence.facts or []:
            assert src[fact.span[0] : fact.span[1]] == fact.surface, (sentence.id, fact)
            n += 1
    assert n > 500


def test_the_007_conflict_is_reported(seeds_run: Path) -> None:
    diffs = [json.loads(x) for x in (seeds_run / "diff.jsonl").read_text("utf-8").splitlines()]
    dates = [d for d in diffs if d["status"] == "conflict" and d["type"] == "date"]
    pairs = [{v["value"] for v in d["values"]} for d in dates]
    assert {"0007-04-26", "2007-04-26"} in pairs
    conflict = dates[pairs.index({"0007-04-26", "2007-04-26"})]
    assert {v["surface"] for v in conflict["values"]} == {"007年4月26日", "26 أبريل من عام 2007"}


def test_kazakh_arabic_seed_is_cyrillic_with_arabic_spans(seeds_run: Path) -> None:
    docs = [json.loads(x) for x in (seeds_run / "documents.jsonl").read_text("utf-8").splitlines()]
    kk = next(d for d in docs if d["id"].startswith("003_"))
    assert (kk["lang"], kk["orig_lang"]) == ("kk-Cyrl", "kk-Arab")
    assert kk["text"].startswith("Қазақстан мен Қырғызстан")


def test_byte_identical_across_jobs_and_runs(seeds_run: Path, tmp_path: Path) -> None:
    manifest = run(tmp_path / "j2", "-j", "2")
    # Workers report their own peak memory: the two-worker run still has a figure.
    assert manifest["jobs"] == 2 and manifest["peak_rss_mb"] > 10
    run(tmp_path / "again")
    for name in RECORDS:
        first = (seeds_run / name).read_bytes()
        assert (tmp_path / "j2" / name).read_bytes() == first, name
        assert (tmp_path / "again" / name).read_bytes() == first, name


def test_failed_run_leaves_no_half_file(tmp_path: Path, monkeypatch) -> None:
    import kzkg_tools.align

    def broken(sentences, opts):
        yield from ()
        raise RuntimeError("aligner crashed")

    monkeypatch.setattr(kzkg_tools.align, "align", broken)
    out = tmp_path / "out"
    # -j 1: in this process, where the monkeypatch applies
    result = CliRunner().invoke(cli, ["run", "-j", "1", "-o", str(out), "--align-method", "facts"])
    assert result.exit_code == 2
    assert "aligner crashed" in result.stderr
    assert list(out.iterdir()) == []  # not even documents.jsonl, which phase 1 had finished


@pytest.mark.dask
def test_dask_engine_matches_local(seeds_run: Path, tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    run(tmp_path / "dask", "--engine", "dask", "-j", "2")
    for name in RECORDS:
        assert (tmp_path / "dask" / name).read_bytes() == (seeds_run / name).read_bytes(), name


def test_dask_engine_without_the_extra_names_it(tmp_path: Path, monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.startswith("dask"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    result = CliRunner().invoke(cli, ["run", "-o", str(tmp_path / "o"), "--engine", "dask"])
    assert result.exit_code == 2
    assert "pip install 'kzkg_tools[dask]'" in result.stderr


def test_released_resources_are_rebuilt_on_next_use() -> None:
    from kzkg_tools import detect, resources

    resources.release()  # an earlier test may have left the model built or its answer cached
    before = detect.detect_lang("Это предложение написано на русском языке")
    assert detect._model.cache_info().currsize == 1
    assert resources.release() > 0
    assert detect._model.cache_info().currsize == 0
    assert detect.detect_lang("Это предложение написано на русском языке") == before


def test_quiet_run_says_nothing_and_the_manifest_says_what_ran(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("Қазақстан мен Қырғызстан 1992 жылы қатынас орнатты.\n", encoding="utf-8")
    out = tmp_path / "out"
    for args in (["-q", "run"], ["run", "-q"]):  # global options after the subcommand too
        result = CliRunner().invoke(
            cli, [*args, str(src), "-o", str(out), "--align-method", "facts"]
        )
        assert result.exit_code == 0 and result.stderr == "", result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["align_method"] == "facts" and "model" not in manifest
    assert {"python", "icu", "PyICU", "regex", "numpy"} <= set(manifest["versions"])


def test_check_validates_a_run_folder_with_its_manifest(seeds_run: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(seeds_run)])
    assert result.exit_code == 0, result.stderr
    broken = tmp_path / "out"
    broken.mkdir()
    for name in [*RECORDS, "manifest.json"]:
        (broken / name).write_bytes((seeds_run / name).read_bytes())
    manifest = json.loads((broken / "manifest.json").read_text(encoding="utf-8"))
    del manifest["counts"]
    (broken / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(broken)])
    assert result.exit_code == 1
    assert f"{broken / 'manifest.json'}: counts: missing" in result.stderr


def test_blas_runs_one_thread_in_every_process() -> None:
    """numpy's BLAS threads change the last bits of align's similarity products, and so near
    ties: every process (the -j1 process as well as the workers) must use one BLAS thread."""
    import os
    import subprocess
    import sys

    env = {
        k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    }
    code = (
        "import kzkg_tools, os; "
        "print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['MKL_NUM_THREADS'])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["1", "1"], out.stderr
    env["OPENBLAS_NUM_THREADS"] = "3"  # a value the user chose is kept
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["3", "1"], out.stderr


def test_phase1_counts_the_text_bytes_phase2_would_read(tmp_path: Path) -> None:
    # phase 1 counts each document's sentence text bytes as it writes them, so a group over
    # the sentence cap is weighed without reading its sentences again: the same count
    from kzkg_tools import io as kio
    from kzkg_tools import pipeline

    src = tmp_path / "kk.txt"
    src.write_text("Қазақстан 1991 жылы тәуелсіздік алды.\nAstana is the capital. Ok.\n", "utf-8")
    stats = pipeline.run_shard(
        [kio.Source(str(src), "kk.txt")], str(tmp_path), 0, pipeline.RunOptions()
    )
    path = str(pipeline.shard_path(tmp_path, "sentences", 0))
    assert stats.ranges and all(
        text_bytes == pipeline._text_bytes(path, [(start, end)]) > 0
        for _, start, end, _, text_bytes in stats.ranges
    )
    # the same document in two shards: one group, whose texts are both documents'
    ((_, text_bytes),) = pipeline.group_ranges([stats, stats], [0, 0])
    assert text_bytes == 2 * sum(r[4] for r in stats.ranges)
