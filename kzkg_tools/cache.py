"""Where kzkg keeps what it can compute again across runs: the user cache directory.

`$KZKG_CACHE_DIR` if set, else `$XDG_CACHE_HOME/kzkg`, else `~/.cache/kzkg` (the XDG base
directory convention, which pip and ruff follow too). Everything kept there is rebuilt when
missing, so deleting the folder is always safe.
"""

from __future__ import annotations

import os

ENV = "KZKG_CACHE_DIR"


def user_cache_dir() -> str:
    """The folder for kzkg's caches (not created here)."""
    if os.environ.get(ENV):
        return os.environ[ENV]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kzkg")


def embeddings_dir(option: str | None, enabled: bool = True) -> str | None:
    """Where sentence embeddings are kept: the `--cache-dir` given, else `embed/` in the user
    cache directory; None with `--no-cache` (kept in memory for the run only)."""
    if not enabled:
        return None
    return option or os.path.join(user_cache_dir(), "embed")
