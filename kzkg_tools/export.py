"""Aligned output in the formats other tools read: TMX 1.4, Moses, OPUS cesAlign and dolma.

* TMX 1.4: one `<tu>` per bead with two or more non-empty members, one `<tuv xml:lang>` each.
* Moses: one plain-text file per language, line i of every file from bead i (an empty line where
  the bead has no member in that language; Moses' clean-corpus step drops such pairs).
* OPUS cesAlign XML: one `<linkGrp fromDoc toDoc>` per document pair, `<link xtargets="s1 s2;s3">`
  over our sentence ids, 1:0 and 0:1 links included, with the bead score as `certainty`.
* dolma: one document per line with `id`, `text`, `source` (a string, the dataset name) and
  `metadata` (language, path, format, sha256); no timestamps, so exports are reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from xml.sax.saxutils import escape, quoteattr

from kzkg_tools import __version__
from kzkg_tools.io import Output
from kzkg_tools.records import Bead, Document

FORMATS = ("tmx", "moses", "opus-xml", "dolma")
DOLMA_SOURCE = "kzkg"


def _text(text: str) -> str:
    """One line of text for line-based formats: no newlines or tabs inside."""
    return " ".join(text.split())


def tmx(beads: Iterable[Bead]) -> Iterator[str]:
    """TMX 1.4 lines."""
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield '<tmx version="1.4">'
    yield (
        f'  <header creationtool="kzkg" creationtoolversion="{escape(__version__)}" '
        'segtype="sentence" o-tmf="kzkg-jsonl" adminlang="en" srclang="*all*" '
        'datatype="plaintext"/>'
    )
    yield "  <body>"
    for bead in beads:
        members = [m for m in bead.members if m.text.strip()]
        if len(members) < 2:
            continue
        yield f"    <tu tuid={quoteattr(bead.id)}>"
        yield f'      <prop type="x-score">{bead.score:.4f}</prop>'
        for m in members:
            yield (
                f'      <tuv xml:lang={quoteattr(m.lang)}><prop type="x-doc">{escape(m.doc_id)}'
                f"</prop><seg>{escape(_text(m.text))}</seg></tuv>"
            )
        yield "    </tu>"
    yield "  </body>"
    yield "</tmx>"


def moses(beads: Iterable[Bead], langs: list[str]) -> Iterator[dict[str, str]]:
    """One row per bead: language → line (empty where the bead has no member in it)."""
    for bead in beads:
        row = dict.fromkeys(langs, "")
        for m in bead.members:
            row[m.lang] = _text(" ".join(filter(None, [row[m.lang], m.text])))
        yield row


def languages(beads: Iterable[Bead]) -> list[str]:
    """The languages of the beads' members, sorted: the files a Moses export writes."""
    return sorted({m.lang for bead in beads for m in bead.members})


def write_moses(beads: Iterable[Bead], langs: Sequence[str], prefix: str) -> list[str]:
    """Write `moses` rows to PREFIX.<lang>, one file per language of `langs`; the paths written.

    Each file is written atomically (`io.Output`); if anything fails, every file is discarded,
    so a failed export never leaves line-misaligned files behind. `langs` must hold every
    language of the beads (`languages` of the same beads), which lets the beads stream.
    """
    outs: dict[str, Output] = {}
    try:
        for lang in langs:
            outs[lang] = Output(f"{prefix}.{lang}")
        for row in moses(beads, list(langs)):
            for lang, line in row.items():
                outs[lang].write_line(line)
    except BaseException:
        for out in outs.values():
            out.close(ok=False)
        raise
    for out in outs.values():
        out.close()
    return [f"{prefix}.{lang}" for lang in langs]


def opus_xml(beads: Iterable[Bead]) -> Iterator[str]:
    """OPUS cesAlign XML lines, one link group per (from, to) document pair in bead order."""
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield '<cesAlign version="1.0">'

    def pair(bead: Bead) -> tuple[str, str]:
        docs = [m.doc_id for m in bead.members]
        return docs[0], docs[-1]

    for (src, tgt), group in groupby(beads, key=pair):
        yield f'  <linkGrp targType="s" fromDoc={quoteattr(src)} toDoc={quoteattr(tgt)}>'
        for bead in group:
            left, right = bead.members[0], bead.members[-1]
            xtargets = " ".join(left.sentence_ids) + ";" + " ".join(right.sentence_ids)
            yield (
                f"    <link id={quoteattr(bead.id)} xtargets={quoteattr(xtargets)} "
                f'certainty="{bead.score:.4f}"/>'
            )
        yield "  </linkGrp>"
    yield "</cesAlign>"


def dolma(documents: Iterable[Document]) -> Iterator[dict[str, object]]:
    """dolma documents."""
    for doc in documents:
        meta = {"lang": doc.lang, "path": doc.source, "format": doc.format}
        if doc.orig_lang:
            meta["orig_lang"] = doc.orig_lang
        if "sha256" in doc.metadata:
            meta["sha256"] = doc.metadata["sha256"]
        yield {"id": doc.id, "text": doc.text, "source": DOLMA_SOURCE, "metadata": meta}
