"""Scores the benchmarks share."""

from __future__ import annotations

from collections import Counter
from typing import Any


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where a ratio has nothing to count)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


class Counts:
    """True positives, false positives and false negatives per fact type."""

    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.fp: Counter[str] = Counter()
        self.fn: Counter[str] = Counter()

    def spurious(self, pool: list[dict[str, Any]], errors: list[str]) -> None:
        """Count the predictions no gold fact matched, and list them."""
        for p in pool:
            self.fp[p["type"]] += 1
            errors.append(f"  spurious {p['type']} {p['surface']!r} = {p['value']}")

    def row(self, types: list[str]) -> tuple[int, int, int, float, float, float]:
        tp = sum(self.tp[t] for t in types)
        fp = sum(self.fp[t] for t in types)
        fn = sum(self.fn[t] for t in types)
        return tp, fp, fn, *prf(tp, fp, fn)
