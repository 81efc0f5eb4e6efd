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
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kzkg_tools.facts import FactContext, extract  # noqa: E402
from kzkg_tools.records import to_dict  # noqa: E402

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
        out[name] = [[to_dict(f) for f in extract(r["input"], r["lang"], ctx)] for r in rows]
    return out


class Score:
    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.fp: Counter[str] = Counter()
        self.fn: Counter[str] = Counter()
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
        for p in pool:
            self.fp[p["type"]] += 1
            errors.append(f"  spurious {p['type']} {p['surface']!r} = {p['value']}")
        return errors

    def row(self, types: list[str]) -> tuple[int, int, int, float, float, float]:
        tp = sum(self.tp[t] for t in types)
        fp = sum(self.fp[t] for t in types)
        fn = sum(self.fn[t] for t in types)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return tp, fp, fn, p, r, f


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-baselines", action="store_true", help="Skip Duckling and dateparser.")
    ap.add_argument("--errors", action="store_true", help="List every missed and spurious fact.")
    args = ap.parse_args()
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
