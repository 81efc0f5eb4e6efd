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


def interleaved(trees: dict[str, Path], rounds: int, code: str, *args: str) -> dict[str, list]:
    """Each tree's JSON output of `python -P -c code args`, one fresh process per tree and round.

    The trees alternate (this order in even rounds, reversed in odd ones), so that a machine
    that slows down during the run slows both alike. Each pass has its tree first on the path:
    `-P` and `cwd=tree`, since `python -c` would otherwise import from the working directory
    before PYTHONPATH (which made an --against run measure one tree twice).
    """
    import json
    import subprocess
    import sys

    runs: dict[str, list] = {name: [] for name in trees}
    for r in range(rounds):
        order = list(trees.items()) if r % 2 == 0 else list(reversed(trees.items()))
        for name, tree in order:
            out = subprocess.run(
                [sys.executable, "-P", "-c", code, *args],
                env={**os.environ, "PYTHONPATH": str(tree)},
                cwd=tree,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            runs[name].append(json.loads(out))
    return runs
