"""Where the development data is: `KZKG_SHARED`, else `../shared` beside the repository, else
two levels up (a git worktree in `wt/NAME` beside `main/`). Benchmarks read it; tests never do."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _find() -> Path:
    if os.environ.get("KZKG_SHARED"):
        return Path(os.environ["KZKG_SHARED"]).resolve()
    candidates = (ROOT / ".." / "shared", ROOT / ".." / ".." / "shared")
    return next((p for p in candidates if p.is_dir()), candidates[0]).resolve()


SHARED = _find()
