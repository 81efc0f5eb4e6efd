"""`kzkg normalize`: raw files to Document records (text, blocks, spans, metadata).

Two passes, each with an offset map: character cleanup for every format
(`unicode.normalize_chars`: RTL repairs, NFC, visual-order lines), then the
format's own normalizer (wikitext, markdown, pdf-text, plain). Their maps are
composed, so `Document.spans` point into the file as it was read.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kzkg_tools import console
from kzkg_tools.detect import detect_format, detect_lang, han_variant, script_counts
from kzkg_tools.normalize.base import Normalized
from kzkg_tools.normalize.rtl import is_kazakh_arabic
from kzkg_tools.normalize.unicode import normalize_chars
from kzkg_tools.records import Document

FORMATS = ("wikitext", "markdown", "pdf-text", "plain")
SHORT_BLOCK = 30  # letters: below this, langdetect guesses
LANG_SAMPLE = 10_000  # characters of a block that language identification looks at


@dataclass(frozen=True)
class NormalizeOptions:
    """Options of the normalize stage.

    `format`: None detects it per file (`detect.detect_format`), else one of
    FORMATS. `translit`: "auto" will turn kk-Arab documents into Cyrillic once
    the transliteration stage lands; until then it behaves as "none", which
    keeps the source script. `visual_order`: restore lines stored reversed.
    """

    format: str | None = None
    translit: str = "auto"
    visual_order: bool = True


def normalize(sources: Iterable[tuple[str, str]], opts: NormalizeOptions) -> Iterator[Document]:
    """One Document per (path, decoded text); empty texts give none."""
    for path, text in sources:
        if text:
            yield normalize_file(path, text, opts)


def normalize_file(path: str, text: str, opts: NormalizeOptions) -> Document:
    """The Document of one file's decoded text (`path` names it; `-` is standard input)."""
    fmt = opts.format or detect_format(text)
    chars, char_map = normalize_chars(
        text, kazakh=is_kazakh_arabic(text), visual_order=opts.visual_order
    )
    result = normalize_format(chars, fmt, path)
    spans = char_map.compose(result.offsets)
    metadata = {"sha256": _sha256(path, text), **result.metadata}
    lang = _assign_langs(result)
    return Document(
        id=_doc_id(path),
        source=path,
        format=fmt,  # type: ignore[arg-type]
        lang=lang,
        text=result.text,
        blocks=result.blocks,
        spans=spans.as_lists(),
        metadata=metadata,
    )


def normalize_format(text: str, fmt: str, path: str = "-") -> Normalized:
    """Dispatch to the format normalizer; its offsets map into `text`."""
    from kzkg_tools.normalize.plain import normalize_plain

    if fmt == "wikitext":
        from kzkg_tools.normalize.wikitext import TooHard, normalize_wikitext

        variant = han_variant(text[:20_000]) if "-{" in text else None
        try:
            return normalize_wikitext(text, variant)
        except (TooHard, RecursionError) as err:
            console.warn(f"{path}: wikitext too hard to parse ({err}); kept as plain text")
            result = normalize_plain(text, strip_leftovers=False)
            result.metadata["degraded"] = f"wikitext kept as plain text: {err}"
            return result
    if fmt == "markdown":
        from kzkg_tools.normalize.markdown import normalize_markdown

        return normalize_markdown(text)
    if fmt == "pdf-text":
        try:  # until pdftext lands
            from kzkg_tools.normalize.pdftext import normalize_pdftext
        except ImportError:  # until pdftext lands
            return normalize_plain(text)
        return normalize_pdftext(text, detect_lang(text[:20_000]))
    if fmt == "plain":
        return normalize_plain(text)
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def _assign_langs(result: Normalized) -> str:
    """Each block's language, and the document's: the language with most letters.

    This is `detect.language_shares` done block by block, so each block is
    identified once; blocks a format normalizer already tagged keep their tag.
    A block too short for langdetect (a byline, a one-word heading) in the
    document's main script takes the document's language.
    """
    letters: Counter[str] = Counter()
    counts = []
    for block in result.blocks:
        # A sample is enough to name a language; a 50 MB block must not cost 50 MB of regex.
        piece = result.text[block.start : min(block.end, block.start + LANG_SAMPLE)]
        if block.lang == "und":
            block.lang = detect_lang(piece)
        count = script_counts(piece)
        counts.append(count)
        letters[block.lang] += sum(count.values()) * (block.end - block.start) // max(1, len(piece))
    letters.pop("und", None)
    if not letters:
        return "und"
    lang = max(sorted(letters), key=lambda tag: letters[tag])
    script = script_counts(result.text[:LANG_SAMPLE]).most_common(1)[0][0]
    for block, count in zip(result.blocks, counts, strict=True):
        total = sum(count.values())
        if block.lang != lang and total < SHORT_BLOCK and count[script] == total > 0:
            block.lang = lang
    return lang


def _doc_id(path: str) -> str:
    return "stdin" if path == "-" else Path(path).stem


def _sha256(path: str, text: str) -> str:
    """sha256 of the file's bytes (of the text as UTF-8 for standard input)."""
    if path != "-" and os.path.isfile(path):
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
