"""End-to-end speed and memory of `kzkg run` on a large multilingual corpus.

    python benchmarks/bench_pipeline.py [SIZE_MB ...] [--align-method M] [--jobs J ...]
        [--out-dir DIR]
    (default: 20 200, facts, -j1 and -j2, runs written under /tmp)

Builds the corpus with benchmarks/corpus.py (seeds + real wikitext, NTREX and UD text from
../shared/data), runs `kzkg run` without the embedding model (`--align-method facts`) with
-j1 and -j2 (and `--engine dask -j2` when the extra is installed) in subprocesses,
and prints end-to-end MB/s, MB/s per stage (input bytes over the
seconds spent in that stage, summed over workers), the -j2/-j1 speed-up, peak RSS of the largest
process, and whether the two runs wrote byte-identical records. Targets on 2 cores: >= 2 MB/s end
to end, -j2 >= 1.8x -j1, peak RSS < 300 MB whatever the corpus size.
"""

from __future__ import annotations

import argparse
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


def run(corpus: Path, out: Path, jobs: int, engine: str = "local", method: str = "facts") -> dict:
    """One `kzkg run` in a child process: wall time, peak RSS and its manifest."""
    cmd = [sys.executable, "-m", "kzkg_tools", "-q", "run", str(corpus), "-o", str(out)]
    cmd += ["-j", str(jobs), "--engine", engine, "--align-method", method]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"kzkg run -j{jobs} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    manifest = json.loads((out / "manifest.json").read_text())
    # The manifest's peak RSS is the largest of the main process and every worker (each
    # reports its own getrusage); RUSAGE_CHILDREN here would miss forkserver/Dask workers.
    return {"wall": wall, "rss": manifest["peak_rss_mb"], "manifest": manifest}


def main(
    sizes: list[int],
    method: str = "facts",
    jobs: tuple[int, ...] = (1, 2),
    out_dir: Path = Path("/tmp"),
) -> None:
    head = f"{'corpus':>8} {'engine':>12} {'wall s':>8} {'MB/s':>7} {'peak RSS MB':>12}"
    print(f"{head}  per stage MB/s")
    for size in sizes:
        corpus = build(size)
        mb = sum(f.stat().st_size for f in corpus.rglob("*.txt")) / 1e6
        results = {}
        runs = [(j, "local") for j in jobs] + ([(2, "dask")] if 2 in jobs else [])
        for n_jobs, engine in runs:
            if engine == "dask" and importlib.util.find_spec("distributed") is None:
                continue
            out = out_dir / f"kzkg-bench-out-{size}-{engine}-j{n_jobs}"
            r = run(corpus, out, n_jobs, engine, method)
            results[n_jobs if engine == "local" else engine] = (r, out)
            stages = {k: v for k, v in r["manifest"]["seconds"].items() if not k.endswith("wall")}
            per_stage = "  ".join(f"{k} {mb / v:.3g}" for k, v in stages.items() if v > 0)
            print(
                f"{mb:7.1f}M {f'{engine} -j{n_jobs}':>12} {r['wall']:8.1f} {mb / r['wall']:7.2f}"
                f" {r['rss']:12.0f}"
                f"  {per_stage}"
            )
        first, *others = results.values()
        identical = all(
            filecmp.cmp(first[1] / name, other[1] / name, shallow=False)
            for name in RECORDS
            for other in others
        )
        line = f"{mb:7.1f}M"
        if 1 in results and 2 in results:
            line += f"  -j2/-j1 speed-up {results[1][0]['wall'] / results[2][0]['wall']:.2f}x"
        if "dask" in results and 2 in results:
            ratio = results["dask"][0]["wall"] / results[2][0]["wall"]
            line += f"; dask -j2 / local -j2 wall {ratio:.2f}"
        print(f"{line}; records byte-identical across all: {identical}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20, 200], help="corpus MB")
    parser.add_argument(
        "--align-method", default="facts", help="facts (default), embed (the model) or auto"
    )
    parser.add_argument("--jobs", nargs="+", type=int, default=[1, 2], help="-j values to run")
    parser.add_argument(
        "--out-dir", type=Path, default=Path("/tmp"), help="where the runs write (default /tmp)"
    )
    args = parser.parse_args()
    main(args.sizes, args.align_method, tuple(args.jobs), args.out_dir)
