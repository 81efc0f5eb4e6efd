"""Monotone alignment by dynamic programming, and non-monotone matching above a threshold.

Parallel text keeps its order: the best path through the grid of
(sentences of A) x (sentences of B) built from 1-1, 1-2, 2-1, 1-0 and 0-1
beads (and 2-2 where the scorer can afford it), minimising the summed cost.
Comparable documents tell the same things in another order: there each
sentence may pair with its best partner anywhere, once, when the pair scores
above a threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Shape = tuple[int, int]
SHAPES: tuple[Shape, ...] = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))
WIDE: tuple[Shape, ...] = (*SHAPES, (2, 2))
Cost = Callable[[int, int, int, int], float]


def monotone(
    m: int, n: int, cost: Cost, shapes: Iterable[Shape] = SHAPES
) -> list[tuple[int, int, int, int]]:
    """The cheapest monotone path as beads (i, di, j, dj), in order; ties prefer 1-1.

    `cost(i, di, j, dj)` prices the bead a[i:i+di] ~ b[j:j+dj].
    """
    shapes = tuple(shapes)
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(m + 1)]
    back: list[list[Shape | None]] = [[None] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for i in range(m + 1):
        row = best[i]
        for j in range(n + 1):
            here = row[j]
            if here == inf:
                continue
            for di, dj in shapes:
                ni, nj = i + di, j + dj
                if ni > m or nj > n:
                    continue
                total = here + cost(i, di, j, dj)
                if total < best[ni][nj]:
                    best[ni][nj] = total
                    back[ni][nj] = (di, dj)
    beads = []
    i, j = m, n
    while i or j:
        shape = back[i][j]
        assert shape is not None
        di, dj = shape
        i, j = i - di, j - dj
        beads.append((i, di, j, dj))
    beads.reverse()
    return beads


def best_pairs(
    m: int, n: int, score: Callable[[int, int], float], threshold: float
) -> list[tuple[int, int, float]]:
    """One-to-one pairs (i, j, score) above `threshold`, greedily best first, in order of i.

    Ties break by position, so the result is deterministic.
    """
    candidates = []
    for i in range(m):
        for j in range(n):
            s = score(i, j)
            if s >= threshold:
                candidates.append((-s, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for neg, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j, -neg))
    pairs.sort()
    return pairs
