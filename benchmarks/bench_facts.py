"""Precision, recall and F1 of `kzkg facts` on the hand-annotated seed sentences, per type.

Cases: tests/cases/facts/*.jsonl (written by hand from FACTS.md; one sentence
per line, read in order with one context per file so 同年 / 8月31日 / былтыр
resolve as in a document). A predicted fact matches an expected one when
type, value and surface are equal (each expected fact matched at most once);
qualifier, unit and subtype are scored separately on the matched pairs.

In the same run, Duckling (pyduckling-native-phihos) and dateparser
(search.search_dates) are scored on the same sentences for the types they
cover: dates (date, year, year_range against their `time` / date output) and
numbers (number against `number`/`quantity`), matched by value alone (their
surfaces differ from ours), so their scores are an upper bound. Run:

    python benchmarks/bench_facts.py [--no-baselines]

Speed on a corpus (the `kzkg run` stage order: each file normalized and segmented
first, untimed; then the facts stage timed on a cold first pass, which builds the
lexicons and patterns, and warm passes; then the records written and read back):

    python benchmarks/bench_facts.py --speed /tmp/kzkg-bench-corpus-1mb [--against /work/main]

`--against TREE` measures another checkout (e.g. main) the same way, alternating
runs in subprocesses, and prints both with their ratio.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# --against runs this file again with another checkout's kzkg_tools first on the path
sys.path.insert(0, os.environ.get("KZKG_BENCH_TREE", str(ROOT)))

from scoring import Counts  # noqa: E402  (benchmarks/, the script's own folder)

from kzkg_tools.facts import FactContext, extract  # noqa: E402
from kzkg_tools.records import to_dict  # noqa: E402
from kzkg_tools.segment import segment  # noqa: E402

CASES = ROOT / "tests" / "cases" / "facts"
TYPES = ["date", "year", "year_range", "number", "money", "percent", "entity"]


def load_cases() -> dict[str, list[dict[str, Any]]]:
    return {
        p.name: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line]
        for p in sorted(CASES.glob("*.jsonl"))
    }


def _key(f: dict[str, Any]) -> tuple[str, str, str]:
    return f["type"], json.dumps(f["value"], sort_keys=True), f["surface"]


def predict(cases: dict[str, list[dict[str, Any]]]) -> dict[str, list[list[dict[str, Any]]]]:
    out = {}
    for name, rows in cases.items():
        ctx = FactContext(doc_date=rows[0].get("doc_date"))
        # values as the code holds them (as the cases write them), not their JSON text
        found = (extract(r["input"], r["lang"], ctx) for r in rows)
        out[name] = [[dataclasses.asdict(f) for f in facts] for facts in found]
    return out


class Score(Counts):
    def __init__(self) -> None:
        super().__init__()
        self.attr: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, expected: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> list[str]:
        errors = []
        pool = list(predicted)
        for e in expected:
            hit = next((p for p in pool if _key(p) == _key(e)), None)
            if hit is None:
                self.fn[e["type"]] += 1
                errors.append(f"  missed {e['type']} {e['surface']!r} = {e['value']}")
                continue
            pool.remove(hit)
            self.tp[e["type"]] += 1
            for attr in ("qualifier", "unit", "subtype", "inferred", "intended", "literal"):
                if e.get(attr) is not None or hit.get(attr) is not None:
                    self.attr[attr]["total"] += 1
                    self.attr[attr]["ok"] += e.get(attr) == hit.get(attr)
                    if e.get(attr) != hit.get(attr):
                        errors.append(
                            f"  {attr} of {e['surface']!r}: {hit.get(attr)} != {e.get(attr)}"
                        )
        self.spurious(pool, errors)
        return errors


def print_table(title: str, score: Score, types: list[str]) -> None:
    print(f"\n{title}")
    print(f"{'type':<12}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}")
    for t in [*types, "ALL"]:
        tp, fp, fn, p, r, f = score.row(types if t == "ALL" else [t])
        if tp + fp + fn:
            print(f"{t:<12}{tp:>5}{fp:>5}{fn:>5}{p:>8.3f}{r:>8.3f}{f:>8.3f}")


# ------------------------------------------------------------------ baselines

DUCKLING_LANG = {
    "zh-Hant": "ZH",
    "zh-Hans": "ZH",
    "ar": "AR",
    "ru": "RU",
    "en": "EN",
    "kk-Cyrl": "RU",
    "kk-Arab": "AR",
}
DATEPARSER_LANG = {
    "zh-Hant": "zh",
    "zh-Hans": "zh",
    "ar": "ar",
    "ru": "ru",
    "en": "en",
    "kk-Cyrl": "kk",
    "kk-Arab": "ar",
}


def _iso_of(value: str, grain: str) -> str:
    if grain == "year":
        return value[:4]
    if grain == "month":
        return value[:7]
    if grain in ("hour", "minute"):
        return value[:16]
    return value[:10]


def _expected_by_value(expected: list[dict[str, Any]], kinds: set[str]) -> list[str]:
    out = []
    for e in expected:
        if e["type"] not in kinds:
            continue
        v = e["value"]
        if e["type"] == "year":
            v = f"{v:04d}"
        elif e["type"] == "year_range":
            v = v.split("/")[0]
        out.append(f"{'time' if e['type'] in ('date', 'year', 'year_range') else 'number'}:{v}")
    return out


def score_values(expected: list[str], predicted: list[str], score: Score, kind: str) -> None:
    """Count value-only matches of one sentence into `score` under the type name `kind`."""
    pool = list(predicted)
    for e in expected:
        if e in pool:
            pool.remove(e)
            score.tp[kind] += 1
        else:
            score.fn[kind] += 1
    score.fp[kind] += len(pool)


def run_duckling(cases: dict[str, list[dict[str, Any]]]) -> Score | None:
    try:
        import duckling
    except ImportError:
        print("duckling not installed (pip install pyduckling-native-phihos)", file=sys.stderr)
        return None
    duckling.init()
    score = Score()
    # reference time: 2025-08-21, the dateline of seed 003
    ref = duckling.parse_ref_time(
        duckling.load_time_zones("/usr/share/zoneinfo"), "UTC", 1755734400
    )
    dims = duckling.parse_dimensions(["time", "number"])
    for rows in cases.values():
        for r in rows:
            lang = duckling.parse_lang(DUCKLING_LANG[r["lang"]])
            ctx = duckling.Context(ref, duckling.default_locale_lang(lang))
            try:
                found = duckling.parse(r["input"], ctx, dims, False)
            except Exception:
                found = []
            times, numbers = [], []
            for f in found:
                v = f["value"]
                if f["dim"] == "time" and "value" in v:
                    times.append(f"time:{_iso_of(v['value'], v.get('grain', 'day'))}")
                elif f["dim"] == "number":
                    n = v["value"]
                    numbers.append(f"number:{int(n) if float(n).is_integer() else n}")
            score_values(
                _expected_by_value(r["expected"], {"date", "year", "year_range"}),
                times,
                score,
                "dates",
            )
            score_values(_expected_by_value(r["expected"], {"number"}), numbers, score, "numbers")
    return score


def run_dateparser(cases: dict[str, list[dict[str, Any]]]) -> Score | None:
    try:
        from dateparser.search import search_dates
    except ImportError:
        print("dateparser not installed (pip install dateparser)", file=sys.stderr)
        return None
    import datetime
    import warnings

    base = datetime.datetime(2025, 8, 21)  # the dateline of seed 003
    score = Score()
    for rows in cases.values():
        for r in rows:
            lang = DATEPARSER_LANG[r["lang"]]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    found = (
                        search_dates(r["input"], languages=[lang], settings={"RELATIVE_BASE": base})
                        or []
                    )
                except Exception:  # dateparser raises on some scripts; count as nothing found
                    found = []
            times = []
            for surface, dt in found:
                iso = dt.isoformat()
                grain = "day"
                if surface.strip().isdigit() and len(surface.strip()) == 4:
                    grain = "year"
                times.append(f"time:{_iso_of(iso, grain)}")
            score_values(
                _expected_by_value(r["expected"], {"date", "year", "year_range"}),
                times,
                score,
                "dates",
            )
    return score


# ---------------------------------------------------------------------- speed


def _best(run: Any, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def measure_speed(corpus: str, rounds: int) -> dict[str, float]:
    """Seconds of the facts stage (cold, warm) and of record (de)serialization on a corpus."""
    from kzkg_tools import io as kio
    from kzkg_tools import pipeline
    from kzkg_tools.facts import facts
    from kzkg_tools.normalize import normalize
    from kzkg_tools.records import Document, Sentence, dumps, from_dict

    opts = pipeline.RunOptions()
    sources = list(kio.Reader(kio.expand([corpus])))
    size = sum(source.size for source in sources)
    texts = {source.path: source.text for source in sources}
    docs = list(normalize(sources, opts.normalize))
    work = [list(segment([doc], opts.segment)) for doc in docs]

    def stage() -> list[Sentence]:
        return [s for sentences in work for s in facts(sentences, opts.facts, texts.get)]

    # `kzkg run` holds one document at a time; here the whole corpus is in memory, and the
    # garbage collector's full passes over it would dominate the timings: freeze it.
    gc.collect()
    gc.freeze()
    t0 = time.perf_counter()
    sentences = stage()
    cold = time.perf_counter() - t0
    lines = [dumps(s) for s in sentences]
    objs = [json.loads(line) for line in lines]
    doc_lines = [dumps(d) for d in docs]
    doc_objs = [json.loads(line) for line in doc_lines]
    gc.collect()
    gc.freeze()
    return {
        "bytes": size,
        "sentences": len(sentences),
        "facts": sum(len(s.facts or []) for s in sentences),
        "facts cold": cold,
        "facts warm": _best(stage, rounds),
        "dumps": _best(lambda: [dumps(s) for s in sentences] + [dumps(d) for d in docs], rounds),
        "to_dict": _best(
            lambda: [to_dict(s) for s in sentences] + [to_dict(d) for d in docs], rounds
        ),
        "json.loads": _best(lambda: [json.loads(x) for x in lines + doc_lines], rounds),
        "from_dict": _best(
            lambda: (
                [from_dict(Sentence, o) for o in objs] + [from_dict(Document, o) for o in doc_objs]
            ),
            rounds,
        ),
    }


def _measure_tree(tree: str, corpus: str, rounds: int) -> dict[str, float]:
    env = dict(os.environ, KZKG_BENCH_TREE=tree)
    out = subprocess.run(
        [sys.executable, __file__, "--speed", corpus, "--rounds", str(rounds), "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def speed(corpus: str, against: str | None, rounds: int, repeats: int) -> None:
    """Print the speed table; with `against`, both checkouts, alternating, best of `repeats`."""
    trees = {"this tree": str(ROOT)} | ({f"{against}": against} if against else {})
    best: dict[str, dict[str, float]] = {}
    for _ in range(repeats):
        for label, tree in trees.items():
            got = _measure_tree(tree, corpus, rounds)
            prev = best.setdefault(label, got)
            for k, v in got.items():
                prev[k] = min(prev[k], v)
    first = next(iter(best.values()))
    print(
        f"\n{corpus}: {first['bytes'] / 1e6:.2f} MB, {first['sentences']:,.0f} sentences, "
        f"{first['facts']:,.0f} facts (best of {repeats} runs × {rounds} rounds)"
    )
    labels = list(best)
    print(
        f"{'seconds':<22}"
        + "".join(f"{label[:24]:>26}" for label in labels)
        + (f"{'ratio':>8}" if len(labels) == 2 else "")
    )
    for key in ("facts cold", "facts warm", "dumps", "to_dict", "json.loads", "from_dict"):
        vals = [best[label][key] for label in labels]
        ratio = f"{vals[1] / vals[0]:>7.1f}x" if len(vals) == 2 else ""
        print(f"{key:<22}" + "".join(f"{v:>26.3f}" for v in vals) + ratio)
    for label in labels:
        b = best[label]
        print(
            f"{label}: facts warm {b['bytes'] / b['facts warm'] / 1e6:.2f} MB/s "
            f"({b['sentences'] / b['facts warm']:,.0f} sentences/s), one-time set-up "
            f"≈ {b['facts cold'] - b['facts warm']:.2f} s (cold minus warm)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-baselines", action="store_true", help="Skip Duckling and dateparser.")
    ap.add_argument("--errors", action="store_true", help="List every missed and spurious fact.")
    ap.add_argument("--speed", metavar="CORPUS", help="Time the stage on a corpus directory.")
    ap.add_argument("--against", metavar="TREE", help="With --speed: also time this checkout.")
    ap.add_argument("--rounds", type=int, default=3, help="With --speed: warm passes per run.")
    ap.add_argument("--repeats", type=int, default=3, help="With --speed: runs per checkout.")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.speed and args.json:
        print(json.dumps(measure_speed(args.speed, args.rounds)))
        return
    if args.speed:
        speed(args.speed, args.against, args.rounds, args.repeats)
        return
    cases = load_cases()
    t0 = time.perf_counter()
    predicted = predict(cases)
    elapsed = time.perf_counter() - t0
    n = sum(len(rows) for rows in cases.values())
    total = Score()
    for name, rows in cases.items():
        score = Score()
        errors = []
        for r, pred in zip(rows, predicted[name], strict=True):
            errs = score.add(r["expected"], pred)
            total.add(r["expected"], pred)
            if errs:
                errors.append(f" {r['label']}\n" + "\n".join(errs))
        print_table(f"kzkg facts on {name} ({len(rows)} sentences)", score, TYPES)
        if args.errors and errors:
            print("\n".join(errors))
    print_table(
        f"kzkg facts, all cases ({n} sentences, {elapsed:.2f} s incl. first-use build)",
        total,
        TYPES,
    )
    t0 = time.perf_counter()
    for _ in range(5):
        predict(cases)
    warm = (time.perf_counter() - t0) / 5
    chars = sum(len(r["input"]) for rows in cases.values() for r in rows)
    print(f"\nspeed after warm-up: {n / warm:,.0f} sentences/s, {chars / warm:,.0f} characters/s")
    print("\nattributes on matched facts (agree / total):")
    for attr, c in sorted(total.attr.items()):
        print(f"  {attr:<10}{c['ok']:>4} / {c['total']:<4}")
    if args.no_baselines:
        return
    # our own dates/numbers scored the same way as the baselines (value only), for a fair ratio
    ours = Score()
    for name, rows in cases.items():
        for r, pred in zip(rows, predicted[name], strict=True):
            score_values(
                _expected_by_value(r["expected"], {"date", "year", "year_range"}),
                _expected_by_value(pred, {"date", "year", "year_range"}),
                ours,
                "dates",
            )
            score_values(
                _expected_by_value(r["expected"], {"number"}),
                _expected_by_value(pred, {"number"}),
                ours,
                "numbers",
            )
    print_table(
        "kzkg facts, dates and numbers matched by value only (as the baselines)",
        ours,
        ["dates", "numbers"],
    )
    for label, runner in (("Duckling", run_duckling), ("dateparser", run_dateparser)):
        t0 = time.perf_counter()
        s = runner(cases)
        if s is not None:
            print_table(
                f"{label} ({time.perf_counter() - t0:.2f} s), matched by value only",
                s,
                ["dates", "numbers"],
            )


if __name__ == "__main__":
    main()
