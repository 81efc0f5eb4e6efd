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
    """`monotone` for several grids at once (all with the same bead shapes)."""
    if not problems:
        return []
    grids = Grids([(m, n) for m, n, _ in problems], list(problems[0][2]))
    return grids.solve([costs for _, _, costs in problems])


class Grids:
    """Several grids solved together, set up once and solvable again with other prices.

    One step per anti-diagonal serves every grid, so many small grids (the
    stream pairs of one document group) cost about as many array operations
    as the largest alone. Cells are numbered in the order they are finished:
    by anti-diagonal, then grid, then row, so each step reads and writes one
    slice; `first[d, p]` is the number of the first cell of grid p on
    diagonal d, `low[d, p]` its row. A last cell stands for "outside the
    grid" and stays infinite. `start[k, c]` is the cell a bead of shape k
    ending in cell c starts from, `where[k]` where its price is in the
    grids' price arrays of that shape laid end to end.
    """

    def __init__(self, sizes: Sequence[tuple[int, int]], shapes: Iterable[Shape]) -> None:
        self.sizes = list(sizes)
        self.shapes = sorted(shapes, key=lambda s: (-s[0], -s[1]))
        rows = np.array([m for m, _ in self.sizes])
        cols = np.array([n for _, n in self.sizes])
        d = np.arange(int((rows + cols).max()) + 1)[:, None]
        low = np.maximum(0, d - cols)
        count = np.where(d <= rows + cols, np.minimum(rows, d) - low + 1, 0)
        first = (np.cumsum(count) - count.ravel()).reshape(count.shape)
        total = int(count.sum())
        segment = np.repeat(np.arange(count.size), count.ravel())
        diag, grid = np.divmod(segment, len(self.sizes))
        i = low.ravel()[segment] + np.arange(total) - first.ravel()[segment]
        j = diag - i
        self.start = np.empty((len(self.shapes), total), dtype=np.int64)
        self.where: list[Any] = []
        for k, (di, dj) in enumerate(self.shapes):
            si, sj = i - di, j - dj
            inside = (si >= 0) & (sj >= 0)
            at = np.maximum(si + sj, 0) * len(self.sizes) + grid
            self.start[k] = np.where(inside, first.ravel()[at] + si - low.ravel()[at], total)
            width = np.maximum(cols - dj + 1, 0)
            length = np.maximum(rows - di + 1, 0) * width
            offset = np.append(np.cumsum(length) - length, length.sum())  # the last: infinite
            at = offset[grid] + si * width[grid] + sj
            self.where.append(np.where(inside, at, offset[-1]))
        self.first, self.low, self.total = first, low, total
        self.ends = [*first[:, 0].tolist()[1:], total]
        self.steps = np.arange(int(count.sum(axis=1).max()))

    def solve(self, costs: Sequence[Costs]) -> list[list[tuple[int, int, int, int]]]:
        """The cheapest path of each grid, `costs[p]` pricing grid p as in `monotone`."""
        price = np.empty((len(self.shapes), self.total))
        for k, shape in enumerate(self.shapes):
            flat = [
                np.broadcast_to(c[shape], (m - shape[0] + 1, n - shape[1] + 1)).ravel()
                if m >= shape[0] and n >= shape[1]
                else np.empty(0)
                for c, (m, n) in zip(costs, self.sizes, strict=True)
            ]
            price[k] = np.append(np.concatenate(flat), np.inf)[self.where[k]]
        best = np.full(self.total + 1, np.inf)
        best[self.first[0]] = 0.0
        back = np.zeros(self.total, dtype=np.int8)
        for lo, hi in itertools.pairwise(self.ends):
            totals = best[self.start[:, lo:hi]] + price[:, lo:hi]
            choice = totals.argmin(axis=0)
            best[lo:hi] = totals[choice, self.steps[: hi - lo]]
            back[lo:hi] = choice
        moves = back.tobytes()
        first, low = self.first.tolist(), self.low.tolist()
        paths = []
        for p, (m, n) in enumerate(self.sizes):
            beads = []
            a, b = m, n
            while a or b:
                di, dj = self.shapes[moves[first[a + b][p] + a - low[a + b][p]]]
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
