"""Run shards on Dask: a scheduler given by address, or a LocalCluster of `jobs` processes.

The only module that imports dask (the optional extra `kzkg_tools[dask]`). Only shard
descriptions (paths, output folder, shard number, options) and small stats travel through the
scheduler; records are written by the workers to the shared output folder, so the folder must
be on a file system all workers see (a laptop, or a cluster's shared disk). Results are gathered
in submission order, so the merged output is the same as the local engine's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from kzkg_tools.errors import MissingExtra

T = TypeVar("T")


def _client(jobs: int, scheduler: str | None) -> tuple[Any, Any]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise MissingExtra("--engine dask", "dask") from None
    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(
        n_workers=max(1, jobs),
        threads_per_worker=1,
        processes=True,
        # The scheduler always serves HTTP; with no address it takes port 8787 and, when that is
        # busy (another cluster), warns and moves. A free loopback port avoids both.
        dashboard_address="127.0.0.1:0",
        host="127.0.0.1",
    )
    return Client(cluster), cluster


@contextmanager
def session(jobs: int, scheduler: str | None = None) -> Iterator[Any]:
    """A mapper `(fn, items) -> fn(*item)…` in item order, over one Dask client for the run."""
    client, cluster = _client(jobs, scheduler)

    def mapper(fn: Callable[..., T], items: Iterable[Any]) -> Iterator[T]:
        items = list(items)
        if not items:
            return iter(())
        futures = client.map(fn, *zip(*items, strict=True), pure=False)
        return iter(client.gather(futures))

    try:
        yield mapper
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
