"""A fact found in a sentence before the document context completes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Candidate:
    """A fact found in the text whose value may still need the context's year."""

    start: int
    end: int
    type: str
    value: Any = None
    qualifier: str | None = None
    unit: str | None = None
    subtype: str | None = None
    id: str | None = None
    note: str | None = None
    intended: str | None = None
    literal: str | None = None
    inferred: str | None = None
    # set when the year must come from the context: ("doc" | "last", offset), see dates.resolve_year
    rel: tuple[str, int] | None = None
    parts: dict[str, Any] = field(default_factory=dict)
    sets_year: int | None = None
