"""Character-level normalization every format gets before its markup is read.

Records are NFC (docs/records.md), so composition happens here, once, with an
offset map: a composed character stands for its decomposed source range as a
whole. `normalize_chars` chains the RTL repairs and NFC and composes their
maps, so its map points straight into the text it was given.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import regex

from kzkg_tools.normalize.rtl import clean_rtl, repair_visual_order
from kzkg_tools.offsets import OffsetMap, TextBuilder
from kzkg_tools.resources import owned


@owned("normalize-patterns")
def _clusters() -> Any:
    # NFC never composes across a grapheme cluster boundary for the texts we meet
    # (a starter plus its marks, a Hangul syllable), so clusters can be composed alone.
    return regex.compile(r"\X")


def nfc(text: str) -> tuple[str, OffsetMap]:
    """NFC with an offset map; already-normalized text (the usual case) is not walked."""
    if unicodedata.is_normalized("NFC", text):
        return text, OffsetMap.identity(len(text))
    out = TextBuilder()
    for m in _clusters().finditer(text):
        cluster = m.group()
        composed = unicodedata.normalize("NFC", cluster)
        if composed == cluster:
            out.copy(cluster, m.start())
        else:
            out.replace(composed, m.start(), m.end())
    return out.build()


def normalize_chars(
    text: str, *, kazakh: bool = False, visual_order: bool = True
) -> tuple[str, OffsetMap]:
    """RTL cleanup, NFC and (optionally) visual-order repair, with one map onto `text`."""
    cleaned, offsets = clean_rtl(text, kazakh=kazakh)
    composed, inner = nfc(cleaned)
    if not inner.is_identity(len(cleaned)):
        offsets = offsets.compose(inner)
    if visual_order:
        restored, inner = repair_visual_order(composed)
        if restored != composed or not inner.is_identity(len(composed)):
            offsets = offsets.compose(inner)
        composed = restored
    return composed, offsets
