"""What every format normalizer returns: text, its offset map, blocks and metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kzkg_tools.offsets import OffsetMap
from kzkg_tools.records import Block, Blocks


@dataclass
class Normalized:
    """The output of one format normalizer.

    `offsets` maps ranges of `text` to code-point ranges of the text the
    normalizer was given (compose it with earlier maps to reach the file);
    `blocks` cover `text` and are separated by blank lines in it (a list, or `Blocks`
    where a text may have millions: plain text has a block a line).
    """

    text: str
    offsets: OffsetMap
    blocks: list[Block] | Blocks = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
