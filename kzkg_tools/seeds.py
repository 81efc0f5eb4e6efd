"""Where the five seed documents are: the toolkit's embedded default input.

`kzkg run` with no source uses them. In a source checkout (and an editable
install) they are the repository's `seeds/`; an installed wheel carries them
as package data under `kzkg_tools/data/seeds/`.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def seeds_dir() -> Path:
    """The directory holding the seed files (source tree first, then package data)."""
    for candidate in (_PACKAGE.parent / "seeds", _PACKAGE / "data" / "seeds"):
        if any(candidate.glob("*.txt")):
            return candidate
    raise FileNotFoundError("the seed documents are not installed (no seeds/ directory)")


def seed_paths() -> list[Path]:
    """The seed files in their fixed order (000 … 004)."""
    return sorted(seeds_dir().glob("[0-9][0-9][0-9]_*.txt"))
