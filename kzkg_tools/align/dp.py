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
    as the largest alone. Cells are numbered in the order they are finished:
    by anti-diagonal, then grid, then row, so each step reads and writes one
    slice; `first[d, p]` is the number of the first cell of grid p on
    diagonal d, `low[d, p]` its row. A last cell stands for "outside the
    grid" and stays infinite. `start[k, c]` is the cell a bead of shape k
    ending in cell c starts from, `price[k, c]` its cost.
    """
    if not problems:
        return []
    shapes = sorted(problems[0][2], key=lambda s: (-s[0], -s[1]))
    assert all(sorted(p[2], key=lambda s: (-s[0], -s[1])) == shapes for p in problems)
    rows = np.array([m for m, _, _ in problems])
    cols = np.array([n for _, n, _ in problems])
    d = np.arange(int((rows + cols).max()) + 1)[:, None]
    low = np.maximum(0, d - cols)
    count = np.where(d <= rows + cols, np.minimum(rows, d) - low + 1, 0)
    first = (np.cumsum(count) - count.ravel()).reshape(count.shape)
    total = int(count.sum())
    segment = np.repeat(np.arange(count.size), count.ravel())
    diag, grid = np.divmod(segment, len(problems))
    i = low.ravel()[segment] + np.arange(total) - first.ravel()[segment]
    j = diag - i
    start = np.empty((len(shapes), total), dtype=np.int64)
    price = np.empty((len(shapes), total))
    first_flat, low_flat = first.ravel(), low.ravel()
    for k, (di, dj) in enumerate(shapes):
        si, sj = i - di, j - dj
        inside = (si >= 0) & (sj >= 0)
        at = np.maximum(si + sj, 0) * len(problems) + grid
        start[k] = np.where(inside, first_flat[at] + si - low_flat[at], total)
        costs = [p[2][(di, dj)] for p in problems]
        if all(isinstance(c, float) for c in costs):
            price[k] = np.where(inside, np.array(costs)[grid], np.inf)
        else:
            width = np.maximum(cols - dj + 1, 0)
            sizes = np.maximum(rows - di + 1, 0) * width
            flat = np.append(np.concatenate([np.ravel(c) for c in costs]), np.inf)
            at = (np.cumsum(sizes) - sizes)[grid] + si * width[grid] + sj
            price[k] = flat[np.where(inside, at, len(flat) - 1)]
    best = np.full(total + 1, np.inf)
    best[first[0]] = 0.0
    back = np.zeros(total, dtype=np.int8)
    ends = [*first[:, 0].tolist()[1:], total]
    steps = np.arange(int(count.sum(axis=1).max()))
    for lo, hi in itertools.pairwise(ends):
        totals = best[start[:, lo:hi]] + price[:, lo:hi]
        choice = totals.argmin(axis=0)
        best[lo:hi] = totals[choice, steps[: hi - lo]]
        back[lo:hi] = choice
    moves = back.tobytes()
    first_of, low_of = first.tolist(), low.tolist()
    paths = []
    for p, (m, n, _) in enumerate(problems):
        beads = []
        a, b = m, n
        while a or b:
            di, dj = shapes[moves[first_of[a + b][p] + a - low_of[a + b][p]]]
            a, b = a - di, b - dj
            beads.append((a, di, b, dj))
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
