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
A long pair (over `BAND_CELLS` cells) is solved in a band instead (`banded`), its
prices asked for a block of rows at a time, and matched with `best_pairs_lazy`.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
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
        # Per shape, where each grid's price array lies in the grids' arrays laid end to end
        # (offset, rows, cols), the last entry the end (`where`'s infinite price).
        self.layout: list[list[tuple[int, int, int]]] = []
        for k, (di, dj) in enumerate(self.shapes):
            si, sj = i - di, j - dj
            inside = (si >= 0) & (sj >= 0)
            at = np.maximum(si + sj, 0) * len(self.sizes) + grid
            self.start[k] = np.where(inside, first.ravel()[at] + si - low.ravel()[at], total)
            width = np.maximum(cols - dj + 1, 0)
            length = np.maximum(rows - di + 1, 0) * width
            offset = np.append(np.cumsum(length) - length, length.sum())  # the last: infinite
            height = np.append(np.maximum(rows - di + 1, 0), 0)
            at = offset[grid] + si * width[grid] + sj
            self.where.append(np.where(inside, at, offset[-1]))
            self.layout.append(
                list(zip(offset.tolist(), height.tolist(), [*width.tolist(), 0], strict=True))
            )
        self.first, self.low, self.total = first, low, total
        self.ends = [*first[:, 0].tolist()[1:], total]
        self.steps = np.arange(int(count.sum(axis=1).max()))

    def solve(self, costs: Sequence[Costs]) -> list[list[tuple[int, int, int, int]]]:
        """The cheapest path of each grid, `costs[p]` pricing grid p as in `monotone`."""
        price = np.empty((len(self.shapes), self.total))
        for k, shape in enumerate(self.shapes):
            # The grids' price arrays end to end (copied once, a number broadcast), then an
            # infinite price for beads that start outside their grid.
            layout = self.layout[k]
            flat = np.empty(layout[-1][0] + 1)
            flat[-1] = np.inf
            for c, (offset, height, width) in zip(costs, layout[:-1], strict=True):
                if height and width:
                    flat[offset : offset + height * width].reshape(height, width)[...] = c[shape]
            np.take(flat, self.where[k], out=price[k])
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


# Long streams. A grid of more than BAND_CELLS cells ((m + 1)(n + 1)) is not built: its
# programme runs in a band around a guide path (`banded`), its one-to-one matches are found
# row chunk by row chunk (`best_pairs_lazy`). The full programme takes about 600 bytes a
# cell (measured with tracemalloc on 300 x 300 and 900 x 900 sentences), so 250,000 cells
# (about 500 x 500 sentences) keep it near 150 MB, within the 300 MB a worker may peak at
# (docs/performance.md); every seed and benchmark pair is far below (under 40,000 cells)
# and keeps the exact full programme.
BAND_CELLS = 250_000
# Points of each row the band holds on either side of the guide path. A translation's
# path strays from the straight line by sections one side has and the other lacks (seed
# 000's two extra sections: 9 sentences). While the path found touches the band's edge,
# the band is solved again around that path, twice as wide each time (BAND_PASSES
# times: 64, 128, 256, 512 each side, so a path up to 960 sentences off the straight line
# is followed). 64 keeps a 50,000-sentence pair's back pointers at 6.5 MB (at most eight
# times that after widening).
BAND = 64
BAND_PASSES = 4
# Most cells priced at once (a block of rows of the band, or a chunk of rows of a long
# comparable pair): 16,384 points are 65,536 pairs of runs, and the scorer's ~30 float
# arrays of that size stay near 16 MB.
BLOCK_CELLS = 16_384
# A block of rows of a slanted band is priced as a rectangle: it ends before it is half
# again as wide as its first row, so at most a third of its cells lie outside the band.
BLOCK_SLANT = 1.5
# Candidates kept per row by `best_pairs_lazy` before the row is scored again.
TOP = 8

# Prices of the beads starting at points rows [r0, r1) x columns [c0, c1) of the (m + 1) x
# (n + 1) grid of points, one array per shape, infinite where the bead does not fit.
Price = Callable[[int, int, int, int], dict[Shape, Any]]


def line(corners: Sequence[tuple[int, int]], m: int) -> tuple[Any, Any]:
    """Straight lines between points (row, column), in order: per row of points 0..m, the
    first and last column they cross."""
    first = np.full(m + 1, np.iinfo(np.int64).max)
    last = np.zeros(m + 1, np.int64)
    for (r0, c0), (r1, c1) in itertools.pairwise(corners):
        rows = np.arange(r0, r1 + 1)
        if r1 == r0:
            low, high = np.array([c0]), np.array([c1])
        else:
            low = c0 + (rows - r0) * (c1 - c0) // (r1 - r0)
            high = np.minimum(c0 - (-(rows - r0 + 1) * (c1 - c0) // (r1 - r0)), c1)
        np.minimum.at(first, rows, low)
        np.maximum.at(last, rows, high)
    return first, last


def diagonal(m: int, n: int) -> tuple[Any, Any]:
    """The straight line from (0, 0) to (m, n)."""
    return line([(0, 0), (m, n)], m)


def along(path: Sequence[tuple[int, int, int, int]], m: int, n: int) -> tuple[Any, Any]:
    """Per row, the first and last column of a path (a 2-row bead passes its middle row)."""
    first = np.full(m + 1, n)
    last = np.zeros(m + 1, np.int64)
    for i, di, j, dj in [*path, (m, 0, n, 0)]:
        for row in range(i, i + max(di, 1)):
            first[row] = min(first[row], j)
            last[row] = max(last[row], j + dj if row > i else j)
    return first, last


def band(m: int, n: int, guide: tuple[Any, Any], width: int | None = None) -> tuple[Any, Any]:
    """The columns [lo, hi) of each row of points: the guide's, widened by `width` (default
    `BAND`) each side."""
    width = BAND if width is None else width
    first, last = guide
    lo = np.maximum(np.minimum.accumulate((first - width)[::-1])[::-1], 0)
    hi = np.minimum(np.maximum.accumulate(last + width + 1), n + 1)
    lo[0], hi[m] = 0, n + 1
    return lo, hi


def banded(
    m: int, n: int, price: Price, shapes: Iterable[Shape], lo: Any, hi: Any
) -> tuple[list[tuple[int, int, int, int]], bool]:
    """`monotone` over the points of row i in columns [lo[i], hi[i]) only; and whether the
    path touches an edge of the band (then a wider or re-centred band may find a cheaper one).

    Memory: one back pointer (a byte) per point of the band and the prices of one block
    of rows (`BLOCK_CELLS`). Row by row: a point takes the best of the beads from the two
    rows above, then the 0-1 beads within the row are one running minimum (with S the
    running sum of their prices, best[j] = S[j] + min over k <= j of (x[k] - S[k])). Ties
    may go another way than in `monotone`, which a long pair never meets.
    """
    shapes = sorted(shapes, key=lambda s: (-s[0], -s[1]))
    right = shapes.index((0, 1)) if (0, 1) in shapes else None
    lo, hi = np.asarray(lo).tolist(), np.asarray(hi).tolist()
    offset = np.concatenate([[0], np.cumsum(np.subtract(hi, lo))]).tolist()
    back = np.zeros(offset[-1], np.int8)
    best: dict[int, Any] = {}
    prices: dict[int, dict[Shape, Any]] = {}
    r1 = 0
    for i in range(m + 1):
        if i == r1:  # price the next block of rows
            r0, r1 = i, i + 1
            while (
                r1 <= m
                and (r1 + 1 - r0) * (hi[r1] - lo[r0]) <= BLOCK_CELLS
                and hi[r1] - lo[r0] <= BLOCK_SLANT * (hi[r0] - lo[r0])
            ):
                r1 += 1
            block = price(r0, r1, lo[r0], hi[r1 - 1])
            for row in range(r0, r1):
                cut = slice(lo[row] - lo[r0], hi[row] - lo[r0])
                prices[row] = {s: block[s][row - r0, cut] for s in shapes}
        width = hi[i] - lo[i]
        options = np.full((len(shapes), width), np.inf)
        for k, (di, dj) in enumerate(shapes):
            s = i - di
            if not di or s < 0:
                continue
            start, stop = max(lo[i], lo[s] + dj), min(hi[i], hi[s] + dj)
            if start < stop:
                total = best[s][start - dj - lo[s] : stop - dj - lo[s]]
                total = total + prices[s][(di, dj)][start - dj - lo[s] : stop - dj - lo[s]]
                options[k, start - lo[i] : stop - lo[i]] = total
        choice = options.argmin(axis=0)
        x = options[choice, np.arange(width)]
        if i == 0:
            x[0] = 0.0
        if right is not None:
            steps = np.concatenate([[0.0], np.cumsum(prices[i][(0, 1)][:-1])])
            own = x - steps
            running = np.minimum.accumulate(own)
            choice[running < own] = right
            x = running + steps
        best[i] = x
        back[offset[i] : offset[i + 1]] = choice
        best.pop(i - 2, None)
        prices.pop(i - 2, None)
    moves = back.tobytes()
    path, touched = [], False
    a, b = m, n
    while a or b:
        touched |= (b == lo[a] > 0) or (b == hi[a] - 1 < n)
        di, dj = shapes[moves[offset[a] + b - lo[a]]]
        a, b = a - di, b - dj
        path.append((a, di, b, dj))
    path.reverse()
    return path, touched


def best_pairs_lazy(
    rows: Any,
    n: int,
    score_rows: Callable[[Any], Any],
    threshold: float,
    top: int = TOP,
    classes: Sequence[Hashable] | None = None,
) -> list[tuple[int, int, float]]:
    """`best_pairs` without the score matrix: the same pairs, ties included.

    `score_rows(part)` gives the scores of the sentences `part` (a sorted slice of `rows`,
    the only rows that may score) against all n columns. Each row keeps its `top` best
    candidates at or above the threshold; a heap takes the best candidate of every row, so
    pairs come out in the order the full sort gives. A candidate whose column is taken is
    dropped (the full greedy drops it too: taken columns stay taken); a row whose list runs
    out while it had more candidates is scored again, without the taken columns.

    `classes` (one per row of `rows`) says which rows score alike against every column (a
    running header repeated on every page): only the first row of a class is scored, and
    the class is one entry of the heap, its free rows taking its candidates in row order.
    That is the order the full sort gives too: rows of equal scores meet a column in the
    order of their index, and each row of the class sees the same free candidates. Without
    it a sentence repeated r times against n columns was scored r times, and scored again
    each time the others took its columns: r x n cells for what n cells tell.
    """
    rows = np.asarray(rows)
    members: dict[Hashable, list[int]] = {}
    for i, c in zip(rows.tolist(), range(len(rows)) if classes is None else classes, strict=True):
        members.setdefault(c, []).append(i)
    # Each class by its first row (rows are sorted): the rows scored, and the rows still free.
    free = {group[0]: group for group in members.values()}
    firsts = np.array(sorted(free), dtype=np.int64)
    chunk = max(1, BLOCK_CELLS // max(n, 1))
    used_b: set[int] = set()

    def candidates(row: Any) -> tuple[list[tuple[float, int]], bool]:
        cols = np.nonzero(row >= threshold)[0]
        if used_b:
            cols = cols[~np.isin(cols, list(used_b))]
        values = row[cols]
        order = np.lexsort((cols, -values))
        kept = [(-float(values[o]), int(cols[o])) for o in order[:top].tolist()]
        return kept, len(order) > top

    lists: dict[int, tuple[list[tuple[float, int]], bool]] = {}
    for start in range(0, len(firsts), chunk):
        part = firsts[start : start + chunk]
        block = score_rows(part)
        for r, i in enumerate(part.tolist()):
            found = candidates(block[r])
            if found[0]:
                lists[i] = found
    # (score, the class's first free row, column, place in the class's list, the class)
    heap = [(kept[0][0], c, kept[0][1], 0, c) for c, (kept, _) in lists.items()]
    heapq.heapify(heap)
    taken = dict.fromkeys(lists, 0)  # rows of each class matched so far
    pairs = []
    while heap:
        neg, i, j, at, c = heapq.heappop(heap)
        if j not in used_b:
            used_b.add(j)
            pairs.append((i, j, -neg))
            taken[c] += 1
            if taken[c] == len(free[c]):
                continue
            i = free[c][taken[c]]  # the next row of the class meets the next candidate
        kept, more = lists[c]
        at += 1
        if at == len(kept) and more:
            kept, more = lists[c] = candidates(score_rows(np.array([c]))[0])
            at = 0
        if at < len(kept):
            heapq.heappush(heap, (kept[at][0], i, kept[at][1], at, c))
    pairs.sort()
    return pairs
