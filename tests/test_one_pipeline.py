"""One wiring (issue 16): the shell chain of subcommands and `kzkg run` give byte-identical
records, every input is read once, and document ids cannot collide."""

from __future__ import annotations

import builtins
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kzkg_tools import align
from kzkg_tools.cli import cli
from kzkg_tools.io import Source, expand
from kzkg_tools.pipeline import RunOptions, run
from kzkg_tools.seeds import seed_paths

SEEDS = [Path(p) for p in seed_paths()]
OUTPUTS = {
    "documents.jsonl": "docs.jsonl",
    "sentences.jsonl": "sents.jsonl",
    "aligned.jsonl": "aligned.jsonl",
    "diff.jsonl": "diff.jsonl",
}


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def invoke(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.stderr


def chain(corpus: Path, out: Path, *align_args: str) -> None:
    """normalize | segment | facts | align | diff, through files."""
    out.mkdir()
    invoke("normalize", str(corpus), "-o", str(out / "docs.jsonl"))
    invoke("segment", str(out / "docs.jsonl"), "-o", str(out / "segs.jsonl"))
    invoke("facts", str(out / "segs.jsonl"), "-o", str(out / "sents.jsonl"))
    invoke(
        "align",
        "--method",
        "facts",
        *align_args,
        str(out / "sents.jsonl"),
        "-o",
        str(out / "aligned.jsonl"),
    )
    invoke(
        "diff", str(out / "aligned.jsonl"), str(out / "sents.jsonl"), "-o", str(out / "diff.jsonl")
    )


def assert_same_as_run(corpus: Path, tmp_path: Path, group_by: str = "dir") -> Path:
    docs = str(tmp_path / "chain" / "docs.jsonl")
    chain(corpus, tmp_path / "chain", "--group-by", group_by, "--documents", docs)
    run_args = ("-o", str(tmp_path / "run"), "--align-method", "facts", "--group-by", group_by)
    invoke("run", str(corpus), *run_args)
    for run_name, chain_name in OUTPUTS.items():
        ran = (tmp_path / "run" / run_name).read_bytes()
        assert ran, run_name
        assert ran == (tmp_path / "chain" / chain_name).read_bytes(), run_name
    return tmp_path / "run"


@pytest.mark.slow
def test_chain_and_run_are_byte_identical_on_the_seeds(tmp_path: Path) -> None:
    corpus = tmp_path / "seeds"
    corpus.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, corpus / seed.name)
    assert_same_as_run(corpus, tmp_path)


@pytest.mark.slow
def test_same_file_names_in_two_folders(tmp_path: Path) -> None:
    """Two articles, each a folder of the same two file names: ids keep the folder, beads stay
    inside their folder, and the chain (whose align groups by folder too) agrees with run."""
    zh, ar = (p for p in SEEDS if p.name.startswith(("000", "001")))
    corpus = tmp_path / "corpus"
    for folder in ("a", "b"):
        (corpus / folder).mkdir(parents=True)
        shutil.copy(zh, corpus / folder / "zh.txt")
        shutil.copy(ar, corpus / folder / "ar.txt")
    out = assert_same_as_run(corpus, tmp_path)
    docs = records(out / "documents.jsonl")
    assert [d["id"] for d in docs] == ["a/ar.txt", "a/zh.txt", "b/ar.txt", "b/zh.txt"]
    beads = records(out / "aligned.jsonl")
    assert beads
    for bead in beads:
        folders = {m["doc_id"].split("/")[0] for m in bead["members"]}
        assert len(folders) == 1, bead["id"]
    assert len({b["id"] for b in beads}) == len(beads)
    diffs = records(out / "diff.jsonl")
    assert len({d["id"] for d in diffs}) == len(diffs)


FRONT_MATTER = {
    "en/astana.md": "---\ntitle: Astana\ntranslationKey: capital\n---\n\n# Astana\n\n"
    "Astana has been the capital of Kazakhstan since 1997. In 2022 its population was "
    "1,350,000.\n",
    "kk/astana.md": '+++\ntitle = "Астана"\ntranslationKey = "capital"\n+++\n\n# Астана\n\n'
    "Астана 1997 жылдан бері Қазақстанның астанасы. 2022 жылы халқы 1 350 000 адам болды.\n",
    "en/almaty.md": "---\ntranslationKey: city\n---\nAlmaty had 2,000,000 people in 2019.\n",
    "kk/other.md": "Алматыда 2019 жылы 2 000 000 адам тұрды.\n",
}


def test_group_by_front_matter_key(tmp_path: Path) -> None:
    """`--group-by meta:translationKey`: pages in different folders that front matter names
    as translations are aligned, the chain (align reading --documents) agrees with run, and
    a page without the key is aligned with nothing."""
    corpus = tmp_path / "site"
    for name, text in FRONT_MATTER.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text, encoding="utf-8")
    out = assert_same_as_run(corpus, tmp_path, "meta:translationKey")
    pairs = {
        tuple(sorted(m["doc_id"] for m in b["members"])) for b in records(out / "aligned.jsonl")
    }
    assert pairs == {("en/astana.md", "kk/astana.md")}
    shared = {f["value"] for b in records(out / "aligned.jsonl") for f in b["shared_facts"]}
    assert {"1997", "2022", "1350000"} <= shared
    # By folder (the default), the two languages never meet.
    chain(corpus, tmp_path / "by-dir")
    assert not records(tmp_path / "by-dir" / "aligned.jsonl")
    # Without the documents, align cannot know the groups: one line, exit 2.
    result = CliRunner().invoke(
        cli, ["align", "--group-by", "meta:translationKey", str(out / "sentences.jsonl")]
    )
    assert result.exit_code == 2 and "--documents" in result.stderr


def test_duplicate_ids_are_an_error_naming_both_inputs(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "kk.txt").write_text("Бір сөйлем.\n", encoding="utf-8")
    a, b = str(tmp_path / "a" / "kk.txt"), str(tmp_path / "b" / "kk.txt")
    for command in (
        ["normalize", a, b],
        ["detect", a, b],
        ["run", a, b, "-o", str(tmp_path / "o")],
    ):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2, command
        assert a in result.stderr and b in result.stderr, result.stderr
        assert "kk.txt" in result.stderr
    assert not (tmp_path / "o" / "documents.jsonl").exists()


def test_ids_are_paths_relative_to_the_argument(tmp_path: Path) -> None:
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "sub" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "d" / "y.txt").write_text("y", encoding="utf-8")
    got = [(s.id, s.path) for s in expand([str(tmp_path / "d"), str(tmp_path / "d" / "y.txt")])]
    assert [i for i, _ in got] == ["y.txt", "sub/x.txt", "y.txt"]
    assert [s.id for s in expand(["-", "-"])] == ["-:1", "-:2"]
    assert [s.id for s in expand([])] == ["-:1"]


def test_run_reads_each_input_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, corpus / seed.name)
    inputs = {str(p) for p in corpus.iterdir()}
    opened: list[str] = []
    real_open = builtins.open

    def counting_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file) in inputs:
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)
    opts = RunOptions()
    opts.align = align.AlignOptions(method="facts")
    manifest = run(expand([str(corpus)]), str(tmp_path / "out"), opts)
    assert manifest["counts"]["documents"] == 2
    assert sorted(opened) == sorted(inputs)  # each input opened exactly once


def test_group_by_choices_are_the_align_options() -> None:
    """`kzkg align` and `kzkg run` offer align's groupings with align's default."""
    for name in ("align", "run"):
        option = next(p for p in cli.commands[name].params if p.name == "group_by")
        assert tuple(option.type.choices) == align.GROUP_BY  # type: ignore[attr-defined]
        assert option.type.convert("meta:translationKey", option, None) == "meta:translationKey"
        assert align.check_group_by("meta:translationKey") == "meta:translationKey"
        assert option.default == align.AlignOptions.group_by


def test_source_ids_survive_pickling() -> None:
    import pickle

    source = Source("d/x.txt", "x.txt")
    assert pickle.loads(pickle.dumps(source)) == source
