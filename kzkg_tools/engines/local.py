"""A local process pool over shards, results returned in input order.

Order matters: outputs are merged shard by shard, so `Executor.map` (ordered) is used, never an
unordered completion loop (cc_net's `imap_unordered` is fast but non-deterministic). With one
job everything runs in this process, which keeps tracebacks and profiling simple.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
# One compute thread per worker in the native libraries (numpy's BLAS in align): the pool already
# has a process per core, and extra BLAS threads per worker only fight over the same cores. Dask
# sets the same variables for its workers. A value the user set is kept.
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _one_thread_per_worker() -> None:
    for name in THREAD_VARS:
        os.environ.setdefault(name, "1")


Mapper = Callable[[Callable[..., T], Iterable[Any]], Iterator[T]]


@contextmanager
def session(jobs: int) -> Iterator[Mapper]:
    """A mapper `(fn, items) -> fn(*item)…` in item order, over one pool of `jobs` processes.

    One pool serves every phase of a run, so each worker builds its heavy resources (lexicons,
    ICU objects, the embedding model) once, not once per phase.
    """
    if jobs <= 1:
        yield lambda fn, items: (fn(*item) for item in items)
        return
    # forkserver: workers start from a clean interpreter (no half-built ICU state copied by
    # fork), and it is Python 3.14's default on Linux anyway.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_one_thread_per_worker
    ) as pool:

        def mapper(fn: Callable[..., T], items: Iterable[Any]) -> Iterator[T]:
            items = list(items)
            if not items:
                return iter(())
            return pool.map(fn, *zip(*items, strict=True))

        yield mapper
