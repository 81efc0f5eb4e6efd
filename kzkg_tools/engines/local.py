"""A local process pool over shards, results returned in input order.

Order matters: outputs are merged shard by shard, so `Executor.map` (ordered) is used, never an
unordered completion loop (cc_net's `imap_unordered` is fast but non-deterministic). With one
job everything runs in this process, which keeps tracebacks and profiling simple.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def map_ordered(fn: Callable[..., T], items: Iterable[Any], jobs: int) -> Iterator[T]:
    """`fn(*item)` for each item, in order, over `jobs` worker processes."""
    items = list(items)
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            yield fn(*item)
        return
    # forkserver: workers start from a clean interpreter (no half-built ICU state copied by
    # fork), and it is Python 3.14's default on Linux anyway.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(fn, *zip(*items, strict=True))
