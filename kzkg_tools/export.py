"""Aligned output in the formats other tools read: Moses, TMX 1.4, OPUS and dolma.

Every aligned format exports *pairs*: each pair of members of a bead (the aligner's beads
have two, so one pair per bead), its two sides ordered by language tag (`L1 < L2`).

* Moses: one file pair per language pair, `PREFIX.L1-L2.L1` and `PREFIX.L1-L2.L2`, line i of
  both from pair i; a same-language pair goes to `PREFIX.L-L.1` / `PREFIX.L-L.2` (first and
  second side in bead order). No empty lines: a pair with an empty side is skipped.
* TMX 1.4: one `<tu>` per pair, one `<tuv xml:lang>` per side, with the document and sentence
  ids as `x-doc` / `x-sentences` props and the bead score as an `x-score` prop.
* OPUS: a folder as an OPUS corpus release lays it out: `LANG/DOC.xml`, the sentences of one
  document in one language (`<document><s id="1">…</s>…</document>`, ids from 1 per file),
  and `L1-L2.xml`, a cesAlign file whose `linkGrp fromDoc/toDoc` name those files and whose
  `link xtargets="1 2;3"` name their sentences, with the bead score as `certainty`.
* dolma: one document per line with `id`, `text`, `source` (a string, the dataset name) and
  `metadata` (language, path, format, sha256); no timestamps, so exports are reproducible.

A same-language pair (two kk-Cyrl documents: seed 003 is kk-Arab transliterated to
Cyrillic) is skipped and counted unless `Selection.self_pairs` is set or `--pairs` names it.
With `script="orig"` a transliterated document's sentences are exported in their source
script under their source tag (kk-Arab), in every format.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from kzkg_tools import __version__, langs
from kzkg_tools.errors import InputError, KzkgError, OutputError
from kzkg_tools.io import Output
from kzkg_tools.records import Bead, BeadMember, Document, Sentence

FORMATS = ("tmx", "moses", "opus-xml", "dolma")
SCRIPTS = ("translit", "orig")
DOLMA_SOURCE = "kzkg"

# Characters XML 1.0 does not allow (C0 controls other than tab, newline, carriage return;
# surrogates; U+FFFE/U+FFFF): one of them makes a whole TMX or OPUS file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(text: str) -> str:
    """One line of text: whitespace runs (newlines and tabs too) become one space."""
    return " ".join(text.split())


def _xml(text: str) -> str:
    """Text as XML character data: escaped, characters XML cannot hold dropped."""
    return escape(_NOT_XML.sub("", text))


@dataclass(frozen=True)
class Side:
    """One member of a bead as it is exported: its language and text in the chosen script."""

    doc_id: str
    lang: str
    sentence_ids: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Link:
    """One exported pair: two sides of a bead, `left.lang <= right.lang`."""

    id: str
    score: float
    left: Side
    right: Side

    @property
    def pair(self) -> tuple[str, str]:
        return self.left.lang, self.right.lang


@dataclass(frozen=True)
class Selection:
    """Which pairs an export keeps."""

    pairs: frozenset[tuple[str, str]] | None = None
    """Language pairs (sorted tags) to keep; None: all."""
    min_score: float | None = None
    """Keep beads scored at least this; None: all."""
    self_pairs: bool = False
    """Keep same-language pairs (always kept when `pairs` names them)."""


@dataclass
class Skipped:
    """What an export left out without being asked to, for the warning the command prints."""

    self_pairs: Counter[str] = field(default_factory=Counter)
    """Same-language pairs by language."""
    empty: int = 0
    """Pairs with a side whose text is empty."""


def parse_pairs(text: str) -> frozenset[tuple[str, str]]:
    """`L1-L2,L3-L4` as sorted canonical tag pairs; a KzkgError names what cannot be read.

    Tags hold hyphens themselves (`kk-Arab-zh-Hant`), so a pair is split at the one hyphen
    where both halves are tags of the language table (after `langs.canonical`).
    """
    known = set(langs.LANGS) - {langs.UND.tag}
    pairs = set()
    for item in filter(None, (p.strip() for p in text.split(","))):
        parts = item.split("-")
        splits = {
            (langs.canonical("-".join(parts[:i])), langs.canonical("-".join(parts[i:])))
            for i in range(1, len(parts))
        }
        found = [(a, b) for a, b in splits if a in known and b in known]
        if len(found) != 1:
            raise KzkgError(
                f"--pairs: cannot read {item!r} as two language tags joined by '-' "
                f"(e.g. kk-Arab-zh-Hant; tags: {', '.join(sorted(known))})"
            )
        a, b = found[0]
        pairs.add((min(a, b), max(a, b)))
    if not pairs:
        raise KzkgError("--pairs: no language pair given")
    return frozenset(pairs)


class Script:
    """Which text of each sentence an export writes: the transliteration (`text`, the
    default) or, with `orig`, a transliterated document's source script (`orig_text`)."""

    def __init__(
        self,
        documents: Iterable[Document] = (),
        sentences: Iterable[Sentence] = (),
        orig: bool = False,
    ) -> None:
        self.orig = orig
        # doc id → (its transliterated tag, its source tag), for transliterated documents
        self._docs: dict[str, tuple[str, str]] = {}
        # sentence id → its source-script text, for the sentences of those documents
        self._texts: dict[str, str] = {}
        if not orig:
            return
        self._docs = {d.id: (d.lang, d.orig_lang) for d in documents if d.orig_lang}
        for s in sentences:
            if self._transliterated(s.doc_id, s.lang):
                if s.orig_text is None:
                    raise InputError(
                        f"sentences.jsonl: sentence {s.id} of transliterated document "
                        f"{s.doc_id} has no orig_text (needed for --script orig)"
                    )
                self._texts[s.id] = s.orig_text

    def _transliterated(self, doc_id: str, lang: str) -> bool:
        doc = self._docs.get(doc_id)
        return doc is not None and doc[0] == lang

    def sentence(self, s: Sentence) -> tuple[str, str]:
        """A sentence's language and text as exported."""
        if self._transliterated(s.doc_id, s.lang):
            return self._docs[s.doc_id][1], self._texts[s.id]
        return s.lang, s.text

    def side(self, m: BeadMember) -> Side:
        """A bead member as exported."""
        if self._transliterated(m.doc_id, m.lang):
            lang = self._docs[m.doc_id][1]
            try:
                texts = [self._texts[sid] for sid in m.sentence_ids]
            except KeyError as err:
                raise InputError(
                    f"aligned.jsonl: sentence {err.args[0]} of a bead is not in sentences.jsonl"
                ) from None
            return Side(m.doc_id, lang, tuple(m.sentence_ids), langs.joiner(lang).join(texts))
        return Side(m.doc_id, m.lang, tuple(m.sentence_ids), m.text)

    def document(self, doc: Document) -> tuple[str, str]:
        """A document's language and text as exported."""
        if self.orig and doc.orig_lang and doc.orig_text is not None:
            return doc.orig_lang, doc.orig_text
        return doc.lang, doc.text


def links(
    beads: Iterable[Bead], script: Script, selection: Selection, skipped: Skipped
) -> Iterator[Link]:
    """The pairs to export, in bead order; what is left out unasked is counted in `skipped`."""
    for bead in beads:
        if selection.min_score is not None and bead.score < selection.min_score:
            continue
        sides = [script.side(m) for m in bead.members]
        for i, j in combinations(range(len(sides)), 2):
            left, right = sides[i], sides[j]
            if right.lang < left.lang:
                left, right = right, left
            pair = (left.lang, right.lang)
            if selection.pairs is not None and pair not in selection.pairs:
                continue
            if left.lang == right.lang and not (selection.self_pairs or selection.pairs):
                skipped.self_pairs[left.lang] += 1
                continue
            if not _text(left.text) or not _text(right.text):
                skipped.empty += 1
                continue
            # the aligner's beads have two members: the pair is the bead
            link_id = bead.id if len(sides) == 2 else f"{bead.id}/{i + 1}-{j + 1}"
            yield Link(link_id, bead.score, left, right)


def moses_paths(prefix: str, pair: tuple[str, str]) -> tuple[str, str]:
    """The two files of one language pair: `PREFIX.L1-L2.L1`/`.L2`, or `PREFIX.L-L.1`/`.2`."""
    l1, l2 = pair
    stem = f"{prefix}.{l1}-{l2}"
    if l1 == l2:
        return f"{stem}.1", f"{stem}.2"
    return f"{stem}.{l1}", f"{stem}.{l2}"


def write_moses(pairs: Iterable[Link], prefix: str) -> list[str]:
    """Write the pairs as Moses files, one file pair per language pair; the paths written.

    Each file is written atomically (`io.Output`) and opened when its language pair first
    occurs, so the pairs stream; if anything fails, every file is discarded, so a failed
    export never leaves line-misaligned files behind.
    """
    outs: dict[tuple[str, str], tuple[Output, Output]] = {}
    opened: list[Output] = []
    try:
        for link in pairs:
            files = outs.get(link.pair)
            if files is None:
                left_path, right_path = moses_paths(prefix, link.pair)
                opened.append(Output(left_path))
                opened.append(Output(right_path))
                files = outs[link.pair] = (opened[-2], opened[-1])
            files[0].write_line(_text(link.left.text))
            files[1].write_line(_text(link.right.text))
    except BaseException:
        for out in opened:
            out.close(ok=False)
        raise
    for out in opened:
        out.close()
    return sorted(p for pair in outs for p in moses_paths(prefix, pair))


def tmx(pairs: Iterable[Link]) -> Iterator[str]:
    """TMX 1.4 lines: one `<tu>` per pair."""
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield '<tmx version="1.4">'
    yield (
        f'  <header creationtool="kzkg" creationtoolversion={quoteattr(__version__)} '
        'segtype="sentence" o-tmf="kzkg-jsonl" adminlang="en" srclang="*all*" '
        'datatype="plaintext"/>'
    )
    yield "  <body>"
    for link in pairs:
        yield f"    <tu tuid={quoteattr(link.id)}>"
        yield f'      <prop type="x-score">{link.score:.4f}</prop>'
        for side in (link.left, link.right):
            yield (
                f"      <tuv xml:lang={quoteattr(side.lang)}>"
                f'<prop type="x-doc">{_xml(side.doc_id)}</prop>'
                f'<prop type="x-sentences">{_xml(" ".join(side.sentence_ids))}</prop>'
                f"<seg>{_xml(_text(side.text))}</seg></tuv>"
            )
        yield "    </tu>"
    yield "  </body>"
    yield "</tmx>"


def opus_doc_path(lang: str, doc_id: str) -> str:
    """The sentence file of one document's sentences in one language, relative to the
    folder: `LANG/DOC.xml`, the document id percent-encoded (ids may hold `/`)."""
    return f"{lang}/{quote(doc_id, safe='')}.xml"


def opus_xml(
    sentences: Iterable[Sentence], pairs: Iterable[Link], script: Script
) -> dict[str, list[str]]:
    """The files of an OPUS export: relative path → lines.

    Every sentence of every document is written (the corpus loses nothing); the alignment
    files hold the pairs, one `linkGrp` per (from, to) document pair in first-seen order.
    """
    docs: dict[str, list[str]] = {}  # sentence file → its <s> lines
    where: dict[str, tuple[str, str]] = {}  # sentence id → (its file, its id in the file)
    for s in sorted(sentences, key=lambda s: (s.doc_id, s.n)):
        lang, text = script.sentence(s)
        path = opus_doc_path(lang, s.doc_id)
        lines = docs.setdefault(path, [])
        where[s.id] = (path, str(len(lines) + 1))
        lines.append(f'  <s id="{len(lines) + 1}">{_xml(_text(text))}</s>')

    groups: dict[str, dict[tuple[str, str], list[str]]] = {}  # alignment file → groups
    for link in pairs:
        ends = []
        for side in (link.left, link.right):
            path = opus_doc_path(side.lang, side.doc_id)
            ids = []
            for sid in side.sentence_ids:
                if where.get(sid, ("", ""))[0] != path:
                    raise InputError(
                        f"aligned.jsonl: bead {link.id}: sentence {sid} is not a "
                        f"{side.lang} sentence of {side.doc_id} in sentences.jsonl"
                    )
                ids.append(where[sid][1])
            ends.append((path, " ".join(ids)))
        (src, src_ids), (tgt, tgt_ids) = ends
        lines = groups.setdefault(f"{link.left.lang}-{link.right.lang}.xml", {})
        lines.setdefault((src, tgt), []).append(
            f"    <link id={quoteattr(link.id)} xtargets={quoteattr(f'{src_ids};{tgt_ids}')} "
            f'certainty="{link.score:.4f}"/>'
        )

    files: dict[str, list[str]] = {}
    for path, lines in docs.items():
        files[path] = ['<?xml version="1.0" encoding="UTF-8"?>', "<document>", *lines]
        files[path].append("</document>")
    for path, by_docs in groups.items():
        out = ['<?xml version="1.0" encoding="UTF-8"?>', '<cesAlign version="1.0">']
        for (src, tgt), link_lines in by_docs.items():
            out.append(f'  <linkGrp targType="s" fromDoc={quoteattr(src)} toDoc={quoteattr(tgt)}>')
            out.extend(link_lines)
            out.append("  </linkGrp>")
        out.append("</cesAlign>")
        files[path] = out
    return files


def write_folder(directory: str, files: dict[str, list[str]]) -> list[str]:
    """Write files (relative path → lines) as a new folder, all or nothing; the paths written.

    The folder is built beside its place and renamed into it, so a failed export leaves
    nothing. An existing non-empty folder is refused rather than replaced: it may hold
    files the export did not write.
    """
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        what = "a folder that is not empty" if target.is_dir() else "a file"
        raise OutputError(f"{directory}: already exists and is {what}; give a new folder")
    parent = target.parent if str(target.parent) else Path(".")
    try:
        tmp = tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise OutputError(f"{directory}: cannot write ({err.strerror})") from None
    try:
        for rel, lines in files.items():
            path = Path(tmp, rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        # mkdtemp makes the folder 0700; give it the mode a plain mkdir would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        os.replace(tmp, target)  # onto an empty folder too
    except BaseException as err:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(err, OSError):
            raise OutputError(f"{directory}: cannot write ({err.strerror})") from None
        raise
    return sorted(str(target / rel) for rel in files)


def dolma(documents: Iterable[Document], script: Script) -> Iterator[dict[str, object]]:
    """dolma documents."""
    for doc in documents:
        lang, text = script.document(doc)
        meta = {"lang": lang, "path": doc.source, "format": doc.format}
        if doc.orig_lang and lang != doc.orig_lang:
            meta["orig_lang"] = doc.orig_lang
        elif doc.orig_lang:
            meta["translit_lang"] = doc.lang
        if "sha256" in doc.metadata:
            meta["sha256"] = doc.metadata["sha256"]
        yield {"id": doc.id, "text": text, "source": DOLMA_SOURCE, "metadata": meta}
