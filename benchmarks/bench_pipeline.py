"""End-to-end speed and memory of `kzkg run` on a large multilingual corpus.

    python benchmarks/bench_pipeline.py [SIZE_MB ...]      (default: 20 200)

Builds the corpus with benchmarks/corpus.py (seeds + real wikitext, NTREX and UD text from
../shared/data), runs `kzkg run` without the embedding model (`--align-method facts`) with
-j1 and -j2 (and `--engine dask -j2` when the extra is installed) in subprocesses,
and prints end-to-end MB/s, MB/s per stage (input bytes over the
seconds spent in that stage, summed over workers), the -j2/-j1 speed-up, peak RSS of the largest
process, and whether the two runs wrote byte-identical records. Targets on 2 cores: >= 2 MB/s end
to end, -j2 >= 1.8x -j1, peak RSS < 300 MB whatever the corpus size.
"""

from __future__ import annotations

import filecmp
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import build

RECORDS = ["documents.jsonl", "sentences.jsonl", "aligned.jsonl", "diff.jsonl"]


def run(corpus: Path, out: Path, jobs: int, engine: str = "local") -> dict:
    """One `kzkg run` in a child process: wall time, peak RSS and its manifest."""
    cmd = [sys.executable, "-m", "kzkg_tools", "-q", "run", str(corpus), "-o", str(out)]
    cmd += ["-j", str(jobs), "--engine", engine, "--align-method", "facts"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"kzkg run -j{jobs} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    manifest = json.loads((out / "manifest.json").read_text())
    # The manifest's peak RSS is the largest of the main process and every worker (each
    # reports its own getrusage); RUSAGE_CHILDREN here would miss forkserver/Dask workers.
    return {"wall": wall, "rss": manifest["peak_rss_mb"], "manifest": manifest}


def main(sizes: list[int]) -> None:
    head = f"{'corpus':>8} {'engine':>12} {'wall s':>8} {'MB/s':>7} {'peak RSS MB':>12}"
    print(f"{head}  per stage MB/s")
    for size in sizes:
        corpus = build(size)
        mb = sum(f.stat().st_size for f in corpus.rglob("*.txt")) / 1e6
        results = {}
        for jobs, engine in [(1, "local"), (2, "local"), (2, "dask")]:
            if engine == "dask" and importlib.util.find_spec("distributed") is None:
                continue
            out = Path(f"/tmp/kzkg-bench-out-{size}-{engine}-j{jobs}")
            r = run(corpus, out, jobs, engine)
            results[jobs if engine == "local" else engine] = (r, out)
            stages = {k: v for k, v in r["manifest"]["seconds"].items() if not k.endswith("wall")}
            per_stage = "  ".join(f"{k} {mb / v:.3g}" for k, v in stages.items() if v > 0)
            print(
                f"{mb:7.1f}M {f'{engine} -j{jobs}':>12} {r['wall']:8.1f} {mb / r['wall']:7.2f}"
                f" {r['rss']:12.0f}"
                f"  {per_stage}"
            )
        identical = all(
            filecmp.cmp(results[1][1] / name, other[1] / name, shallow=False)
            for name in RECORDS
            for key, other in results.items()
            if key != 1
        )
        speedup = results[1][0]["wall"] / results[2][0]["wall"]
        line = f"{mb:7.1f}M  -j2/-j1 speed-up {speedup:.2f}x"
        if "dask" in results:
            ratio = results["dask"][0]["wall"] / results[2][0]["wall"]
            line += f"; dask -j2 / local -j2 wall {ratio:.2f}"
        print(f"{line}; records byte-identical across all: {identical}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [20, 200])
