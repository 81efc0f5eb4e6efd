"""A local process pool over shards, results returned in input order.

Order matters: outputs are merged shard by shard, so `Executor.map` (ordered) is used, never an
unordered completion loop (cc_net's `imap_unordered` is fast but non-deterministic). With one
job everything runs in this process, which keeps tracebacks and profiling simple.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import forkserver
from typing import Any, TypeVar

T = TypeVar("T")
# One compute thread per worker in the native libraries (numpy's BLAS in align): the pool already
# has a process per core, and extra BLAS threads per worker only fight over the same cores. Dask
# sets the same variables for its workers. A value the user set is kept.
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _init_worker() -> None:
    for name in THREAD_VARS:
        os.environ.setdefault(name, "1")
    # Ctrl-C goes to the whole process group; the main process alone handles it (one line,
    # exit 130) and shuts the pool down. A worker ignores it: until here it was blocked (see
    # `_start_forkserver`), so a Ctrl-C that came while the worker started is dropped too,
    # where it would have printed the worker's traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _start_forkserver() -> None:
    """Start the fork server with SIGINT blocked, so the workers it forks start with it
    blocked (a signal mask is inherited) until `_init_worker` ignores it. The main process
    blocks it only for this moment: a Ctrl-C meanwhile is delivered when it unblocks."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


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
    _start_forkserver()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker)

    def mapper(fn: Callable[..., T], items: Iterable[Any]) -> Iterator[T]:
        items = list(items)
        if not items:
            return iter(())
        return pool.map(fn, *zip(*items, strict=True))

    try:
        yield mapper
    except BaseException:
        # Interrupted or failed: the shards still running are of no use, and waiting for
        # them would keep a Ctrl-C waiting for minutes. (`_processes` is the executor's own
        # table of workers; there is no public way to stop a running task.)
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
