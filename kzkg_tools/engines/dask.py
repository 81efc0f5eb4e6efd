"""Run shards on Dask: a scheduler given by address, or a LocalCluster of `jobs` processes.

The only module that imports dask (the optional extra `kzkg_tools[dask]`). Only shard
descriptions (paths, output folder, shard number, options) and small stats travel through the
scheduler; records are written by the workers to the shared output folder, so the folder must
be on a file system all workers see (a laptop, or a cluster's shared disk). Results are gathered
in submission order, so the merged output is the same as the local engine's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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
        dashboard_address=None,
        host="127.0.0.1",
    )
    return Client(cluster), cluster


def map_ordered(
    fn: Callable[..., T], items: Iterable[Any], jobs: int, scheduler: str | None = None
) -> Iterator[T]:
    """`fn(*item)` for each item on Dask workers, results in item order."""
    items = list(items)
    if not items:
        return
    client, cluster = _client(jobs, scheduler)
    try:
        futures = client.map(fn, *zip(*items, strict=True), pure=False)
        yield from client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
