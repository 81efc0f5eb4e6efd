"""Where the five seed documents are: the toolkit's embedded default input.

`kzkg run` with no source uses them. In a source checkout (and an editable
install) they are the repository's `seeds/`; an installed wheel carries them
as package data under `kzkg_tools/data/seeds/` (pyproject.toml maps the one
copy, `seeds/`, there: docs/design.md, "Packaging").
"""

from __future__ import annotations

import os
from pathlib import Path

from kzkg_tools.io import Source

_PACKAGE = Path(__file__).resolve().parent


def seeds_dir() -> Path:
    """The directory holding the seed files (source tree first, then package data)."""
    for candidate in (_PACKAGE.parent / "seeds", _PACKAGE / "data" / "seeds"):
        if any(candidate.glob("*.txt")):
            return candidate
    raise FileNotFoundError("the seed documents are not installed (no seeds/ directory)")


def seed_paths() -> list[str]:
    """The seed files in their fixed order (000 … 004), relative to the working directory
    when they are below it, so records say `seeds/000_….txt` as a user would."""
    out = []
    for path in sorted(seeds_dir().glob("[0-9][0-9][0-9]_*.txt")):
        rel = os.path.relpath(path)
        out.append(rel if not rel.startswith("..") else str(path))
    return out


def seed_sources() -> list[Source]:
    """The seed files as inputs of `kzkg run`: ids relative to the seeds folder, as for
    `kzkg run seeds/`."""
    return [Source(path, os.path.basename(path)) for path in seed_paths()]
