"""Monotone alignment by dynamic programming, and non-monotone matching above a threshold.

Parallel text keeps its order: the best path through the grid of
(sentences of A) x (sentences of B) built from 1-1, 1-2, 2-1, 1-0 and 0-1
beads (and 2-2 where the scorer can afford it), minimising the summed cost.
Comparable documents tell the same things in another order: there each
sentence may pair with its best partner anywhere, once, when the pair scores
above a threshold.

Both take their prices as numpy arrays, one per bead shape, computed for the
whole grid at once (`similarity`); the programme runs one anti-diagonal at a
time, since a cell depends only on cells of the four diagonals before it, so
each step is a handful of array operations instead of a Python loop per cell,
and one step serves the same diagonal of many grids (`monotone_many`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

Shape = tuple[int, int]
SHAPES: tuple[Shape, ...] = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))
WIDE: tuple[Shape, ...] = (*SHAPES, (2, 2))
Cost = Callable[[int, int, int, int], float]
# Price of a bead shape: an array over its start cells (m - di + 1, n - dj + 1), or one number.
Costs = Mapping[Shape, Any]


def tabulate(m: int, n: int, cost: Cost, shapes: Iterable[Shape] = SHAPES) -> dict[Shape, Any]:
    """The arrays `monotone` takes, from a function `cost(i, di, j, dj)` called once per bead."""
    out = {}
    for di, dj in shapes:
        grid = np.empty((m - di + 1, n - dj + 1)) if m >= di and n >= dj else np.empty((0, 0))
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                grid[i, j] = cost(i, di, j, dj)
        out[(di, dj)] = grid
    return out


Problem = tuple[int, int, Costs]


def monotone(m: int, n: int, costs: Costs) -> list[tuple[int, int, int, int]]:
    """The cheapest monotone path as beads (i, di, j, dj), in order.

    `costs[(di, dj)][i, j]` prices the bead a[i:i+di] ~ b[j:j+dj]. Of equal
    totals, the bead whose start cell comes first in row-major order wins:
    what a cell-by-cell programme that pushes each finished cell forward
    keeps, so the paths are those of the plain programme.
    """
    return monotone_many([(m, n, costs)])[0]


def monotone_many(problems: Sequence[Problem]) -> list[list[tuple[int, int, int, int]]]:
    """`monotone` for several grids at once (all with the same bead shapes).

    One step per anti-diagonal serves every grid, so many small grids (the
    stream pairs of one document group) cost about as many array operations
    as the largest alone. Cells are numbered row by row, grid after grid; a
    last cell stands for "outside the grid" and stays infinite. `start[k, c]`
    is the cell a bead of shape k ending in cell c starts from, `price[k, c]`
    its cost; both are listed in order of anti-diagonal.
    """
    if not problems:
        return []
    shapes = sorted(problems[0][2], key=lambda s: (-s[0], -s[1]))
    assert all(sorted(p[2], key=lambda s: (-s[0], -s[1])) == shapes for p in problems)
    bases = np.cumsum([0] + [(m + 1) * (n + 1) for m, n, _ in problems])
    outside = int(bases[-1])
    cells, diagonals, starts, prices = [], [], [], []
    for base, (m, n, costs) in zip(bases.tolist(), problems, strict=False):
        ii, jj = (x.ravel()[1:] for x in np.indices((m + 1, n + 1)))
        cells.append(base + ii * (n + 1) + jj)
        diagonals.append(ii + jj)
        start = np.full((len(shapes), len(ii)), outside)
        price = np.full((len(shapes), len(ii)), np.inf)
        for k, (di, dj) in enumerate(shapes):
            inside = (ii >= di) & (jj >= dj)
            si, sj = ii[inside] - di, jj[inside] - dj
            start[k, inside] = base + si * (n + 1) + sj
            cost = costs[(di, dj)]
            price[k, inside] = cost if isinstance(cost, float) else cost[si, sj]
        starts.append(start)
        prices.append(price)
    diagonal = np.concatenate(diagonals)
    order = np.argsort(diagonal, kind="stable")
    cell = np.concatenate(cells)[order]
    start = np.concatenate(starts, axis=1)[:, order]
    price = np.concatenate(prices, axis=1)[:, order]
    bounds = np.searchsorted(diagonal[order], np.arange(1, int(diagonal.max(initial=0)) + 2))
    best = np.full(outside + 1, np.inf)
    best[bases[:-1]] = 0.0
    back = np.zeros(outside + 1, dtype=np.int8)
    steps = np.arange(int(np.diff(bounds, prepend=0).max(initial=0)))
    for lo, hi in itertools.pairwise(bounds.tolist()):
        totals = best[start[:, lo:hi]] + price[:, lo:hi]
        choice = totals.argmin(axis=0)
        best[cell[lo:hi]] = totals[choice, steps[: hi - lo]]
        back[cell[lo:hi]] = choice
    paths = []
    for base, (m, n, _) in zip(bases.tolist(), problems, strict=False):
        beads = []
        i, j = m, n
        while i or j:
            di, dj = shapes[back[base + i * (n + 1) + j]]
            i, j = i - di, j - dj
            beads.append((i, di, j, dj))
        beads.reverse()
        paths.append(beads)
    return paths


def best_pairs(scores: Any, threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs (i, j, score) of a score matrix at or above `threshold`, in order of i.

    Greedy, best first; ties break by position, so the result is deterministic.
    """
    rows, cols = np.nonzero(scores >= threshold)
    candidates = sorted(
        (-s, i, j)
        for i, j, s in zip(rows.tolist(), cols.tolist(), scores[rows, cols].tolist(), strict=True)
    )
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
