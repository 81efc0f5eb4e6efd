"""CPU time of the segment, facts, align and diff stages on the output of a `kzkg run`, this tree
against another.

    python benchmarks/bench_stages.py RUN_DIR [--against TREE] [--rounds N] [--stages segment,facts]
    python benchmarks/bench_stages.py RUN_DIR --profile STAGE

RUN_DIR is the folder written by `kzkg run CORPUS -o RUN_DIR --align-method facts` (its
documents.jsonl, sentences.jsonl and aligned.jsonl; the corpus must still be where the run read it,
for the facts stage's source texts). Each measurement is a fresh child process, so the one-time
set-up a worker pays (compiled patterns, tables) is counted as in a run: `segment` over every
Document (read before the clock starts; writing them, which a run counts in segment's share, is not
timed), `facts` over every document's sentences (their facts removed first, sources read before the
clock starts), `align` over each document group's sentences (`--align-method facts`, the groups
one by one), `diff` over each document group's beads with that group's sentences, as `kzkg run`
calls them (groups are the corpus's directories, the layout of benchmarks/corpus.py), with the
loaded records frozen out of the garbage collector's passes (a worker holds one document or group).
Times are CPU seconds (`time.process_time`), best of N rounds; within a round the trees alternate,
so the load of a shared machine falls on both alike. Each child also prints a digest of the records
it made, and the table says whether both trees made the same records. `--profile STAGE` prints this
tree's cProfile top entries for one stage instead.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import json
import os
import pstats
import subprocess
import sys
import time
from itertools import groupby
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("segment", "facts", "align", "diff")
PROFILE_TOP = 25  # entries of the profile printed by --profile


def _group(doc_id: str) -> str:
    """The document group of a document id: its directory (`kzkg run --group-by dir`)."""
    return doc_id.rsplit("/", 1)[0] if "/" in doc_id else ""


def _work(run_dir: Path, stage: str) -> Any:
    """A function that runs `stage` once over the run's records, and returns its output."""
    from kzkg_tools import pipeline
    from kzkg_tools.records import Bead, Sentence, from_dict

    opts = pipeline.RunOptions()
    if stage == "segment":
        from kzkg_tools.records import Document
        from kzkg_tools.segment import segment

        with open(run_dir / "documents.jsonl", encoding="utf-8") as f:
            documents = [from_dict(Document, json.loads(line)) for line in f]
        return lambda: list(segment(documents, opts.segment))
    if stage == "facts":
        from kzkg_tools.facts import facts, read_source_text

        with open(run_dir / "sentences.jsonl", encoding="utf-8") as f:
            # without their facts: a tree that writes other fact fields still reads them
            rows = [{k: v for k, v in json.loads(line).items() if k != "facts"} for line in f]
        sentences = [from_dict(Sentence, row) for row in rows]
        docs = [list(g) for _, g in groupby(sentences, key=lambda s: s.doc_id)]
        texts = {d[0].source: read_source_text(d[0].source) for d in docs}
        return lambda: [s for d in docs for s in facts(d, opts.facts, texts.get)]
    with open(run_dir / "sentences.jsonl", encoding="utf-8") as f:
        sentences = [from_dict(Sentence, json.loads(line)) for line in f]
    if stage == "align":
        import dataclasses

        from kzkg_tools.align import align

        align_opts = dataclasses.replace(opts.align, group_by="all", method="facts")
        groups_of: dict[str, list[Sentence]] = {}
        for s in sentences:
            groups_of.setdefault(_group(s.doc_id), []).append(s)
        return lambda: [b for group in groups_of.values() for b in align(group, align_opts)]
    from kzkg_tools.diff import diff

    with open(run_dir / "aligned.jsonl", encoding="utf-8") as f:
        beads = [from_dict(Bead, json.loads(line)) for line in f]
    by_group: dict[str, dict[str, Sentence]] = {}
    for s in sentences:
        by_group.setdefault(_group(s.doc_id), {})[s.id] = s
    groups = [
        (list(g), by_group[key])
        for key, g in groupby(beads, key=lambda b: _group(b.members[0].doc_id))
    ]
    return lambda: [d for beads_of, group in groups for d in diff(beads_of, group, opts.diff)]


def child(run_dir: Path, stage: str) -> dict[str, Any]:
    """One timed pass of `stage` in this process (fresh: set-up included)."""
    from kzkg_tools.records import dumps

    run = _work(run_dir, stage)
    # A worker holds one document (facts) or one group (diff); here the whole run is in memory,
    # and the collector's full passes over it would be counted against the stage: freeze it.
    gc.collect()
    gc.freeze()
    t0 = time.process_time()
    out = run()
    cpu = time.process_time() - t0
    digest = hashlib.sha256("\n".join(dumps(r) for r in out).encode()).hexdigest()
    return {"cpu": cpu, "records": len(out), "digest": digest}


def _measure(tree: str, run_dir: Path, stage: str) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=tree)
    cmd = [sys.executable, __file__, str(run_dir), "--child", stage]
    proc = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return json.loads(proc.stdout)


def compare(
    run_dir: Path, against: str | None, rounds: int, stages: tuple[str, ...] = STAGES
) -> None:
    """Print best CPU seconds per stage and tree, the ratio, and whether the records match."""
    trees = {"this tree": str(ROOT)} | ({against: against} if against else {})
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for _ in range(rounds):
        for stage in stages:
            for label, tree in trees.items():
                got = _measure(tree, run_dir, stage)
                prev = best.get((label, stage))
                if prev is None or got["cpu"] < prev["cpu"]:
                    best[(label, stage)] = got
    labels = list(trees)
    print(f"{run_dir}: CPU seconds, best of {rounds} rounds (trees alternating)")
    head = f"{'stage':<8}" + "".join(f"{label[:28]:>30}" for label in labels)
    print(head + (f"{'speed-up':>10}  same records" if len(labels) == 2 else ""))
    for stage in stages:
        vals = [best[(label, stage)] for label in labels]
        line = f"{stage:<8}" + "".join(f"{v['cpu']:>30.3f}" for v in vals)
        if len(vals) == 2:
            same = vals[0]["digest"] == vals[1]["digest"]
            line += f"{vals[1]['cpu'] / vals[0]['cpu']:>9.2f}x  {same}"
        print(line + f"   ({vals[0]['records']:,} records)")


def profile(run_dir: Path, stage: str) -> None:
    """This tree's cProfile of one pass of `stage`, top entries by own time."""
    run = _work(run_dir, stage)
    prof = cProfile.Profile()
    prof.enable()
    run()
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(PROFILE_TOP)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir", type=Path, help="Output folder of `kzkg run`.")
    ap.add_argument("--against", metavar="TREE", help="Also time this checkout.")
    ap.add_argument("--rounds", type=int, default=3, help="Runs per stage and tree.")
    ap.add_argument("--stages", default=",".join(STAGES), help="Comma-separated stages to time.")
    ap.add_argument("--profile", choices=STAGES, help="Profile one stage of this tree.")
    ap.add_argument("--child", choices=STAGES, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.run_dir, args.child)))
    elif args.profile:
        profile(args.run_dir, args.profile)
    else:
        stages = tuple(s for s in args.stages.split(",") if s)
        if unknown := [s for s in stages if s not in STAGES]:
            ap.error(f"unknown stage {unknown[0]!r} (choose from {', '.join(STAGES)})")
        compare(args.run_dir, args.against, args.rounds, stages)


if __name__ == "__main__":
    main()
