"""`kzkg normalize`: raw files to Document records (text, blocks, spans, metadata).

Two passes, each with an offset map: character cleanup for every format
(`unicode.normalize_chars`: RTL repairs, NFC, visual-order lines), then the
format's own normalizer (wikitext, markdown, pdf-text, plain). Their maps are
composed, so `Document.spans` point into the file as it was read.
"""

from __future__ import annotations

import hashlib
import os
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kzkg_tools import console, langs
from kzkg_tools.detect import (
    KK_ARAB_LETTERS,
    KK_CYRL_LETTERS,
    detect_format,
    detect_lang,
    han_variant,
    script_counts,
)
from kzkg_tools.io import SourceText
from kzkg_tools.normalize.base import Normalized
from kzkg_tools.normalize.rtl import is_kazakh_arabic
from kzkg_tools.normalize.unicode import normalize_chars
from kzkg_tools.offsets import OffsetMap, TextBuilder
from kzkg_tools.records import Blocks, Document

FORMATS = ("wikitext", "markdown", "pdf-text", "plain")
#: The variants conversion markup can be resolved to (their preferences: `wikitext._ZH_VARIANTS`,
#: kept apart so this module does not import the wikitext parser).
ZH_VARIANTS = ("zh-Hant", "zh-Hans", "zh-TW", "zh-HK", "zh-MO", "zh-CN", "zh-SG", "zh-MY")
SHORT_BLOCK = 30  # letters: below this, langdetect guesses
LANG_SAMPLE = 10_000  # characters of a block that language identification looks at
GROUP_SAMPLE = 1_000  # characters langdetect sees for all the blocks of one script
#: Blocks of at most SEEN_CHARS characters have their script counts remembered by text, up to
#: SEEN_BLOCKS texts at a time (then forgotten, so memory stays bounded on any input): lines
#: of a list, a table or a page header repeat, and counting is the cost of a short block.
SEEN_CHARS = 200
SEEN_BLOCKS = 50_000
_UNTRIED = "?"  # no script rule tried yet (for a block that came with its language)
_KAZAKH_LETTERS = {"Cyrl": KK_CYRL_LETTERS, "Arab": KK_ARAB_LETTERS}
_NOTE_TA = re.compile(r"\{\{\s*noteta\b", re.I)  # {{noteTA}}, {{NoteTA}}: conversion rules


@dataclass(frozen=True)
class NormalizeOptions:
    """Options of the normalize stage.

    `format`: None detects it per file (`detect.detect_format`), else one of
    FORMATS. `translit`: "auto" writes kk-Arab blocks in Cyrillic (the source script
    stays in `orig_text`), "none" keeps the source script. `visual_order`: restore
    lines stored reversed.
    `tables`: keep wikitext tables as `table`/`caption` blocks instead of dropping them.
    `zh_variant`: the Chinese variant (one of ZH_VARIANTS) that wikitext conversion markup
    (`-{…}-`, `{{noteTA}}` rules) is resolved to; None: the variant the page is written in.
    `namespaces`: the namespaces of a MediaWiki dump whose pages are read (None: articles).
    """

    format: str | None = None
    translit: str = "auto"
    visual_order: bool = True
    tables: bool = False
    zh_variant: str | None = None
    namespaces: tuple[int, ...] | None = None


def normalize(sources: Iterable[SourceText], opts: NormalizeOptions) -> Iterator[Document]:
    """One Document per raw input read (`io.Reader`); empty texts give none.

    What an input declares about an item of it (a dump page's title, ids, timestamp) is
    added to the Document's metadata; the language it declares (the wiki's) is checked
    against the detected one (`_LangCheck`), not forced on the text."""
    check = _LangCheck()
    groups: Counter[str] = Counter()  # noteTA conversion groups named, over all documents
    for source in sources:
        if source.text:
            doc = normalize_file(
                source.path,
                source.text,
                opts,
                doc_id=source.id,
                sha256=source.sha256,
                fmt=opts.format or source.format,
            )
            if source.metadata:
                doc.metadata.update(source.metadata)
            check(source, doc)
            groups.update(doc.metadata.get("conversion", {}).get("groups", ()))
            yield doc
    check.summary()
    if groups:
        named = ", ".join(name for name, _n in groups.most_common(GROUPS_NAMED))
        more = ", …" if len(groups) > GROUPS_NAMED else ""
        # A log line (-v), not a warning: most zhwiki pages name groups, and the records
        # say which (metadata.conversion.groups; docs/normalize.md: not applied).
        console.info(
            f"{groups.total()} noteTA conversion group references ({named}{more}) not applied: "
            "their word tables live on the wiki (metadata.conversion.groups lists them)"
        )


#: Group names shown in the one line about unapplied noteTA groups (the most named first).
GROUPS_NAMED = 5


#: Disagreements reported one by one per input: enough to show what kind of pages they are;
#: a dump of 200,000 pages must not print one line per stub.
LANG_WARNINGS = 5


class _LangCheck:
    """Warn when a document's detected language is not the one its input declares (a dump
    page's wiki language); compared on the primary subtag, so kk-Arab text in kkwiki and
    zh-Hant text in zhwiki agree. Documents of fewer than SHORT_BLOCK letters are not
    checked: detection guesses there."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.declared: dict[str, str] = {}

    def __call__(self, source: SourceText, doc: Document) -> None:
        if source.lang is None or doc.lang == "und":
            return
        if sum(map(str.isalpha, doc.text[:LANG_SAMPLE])) < SHORT_BLOCK:
            return  # too short for detection to be trusted over the wiki
        if langs.language(doc.lang) == langs.language(source.lang):
            return
        container = source.path.rsplit("#", 1)[0]
        self.counts[container] += 1
        self.declared[container] = source.lang
        if self.counts[container] <= LANG_WARNINGS:
            title = doc.metadata.get("title")
            named = f" ({title})" if title else ""
            console.warn(
                f"{source.path}{named}: detected language {doc.lang}, "
                f"the input says {langs.language(source.lang)}; the detected one is kept"
            )

    def summary(self) -> None:
        for container, n in self.counts.items():
            if n > LANG_WARNINGS:
                console.warn(
                    f"{container}: {n} documents in all whose detected language is not "
                    f"{langs.language(self.declared[container])} "
                    f"({n - LANG_WARNINGS} not shown)"
                )


def normalize_file(
    path: str,
    text: str,
    opts: NormalizeOptions,
    *,
    doc_id: str | None = None,
    sha256: str | None = None,
    fmt: str | None = None,
) -> Document:
    """The Document of one file's decoded text (`path` names it; `-` is standard input).

    `doc_id` defaults to the file's name, `sha256` to the hash of the text as UTF-8 (a caller
    that read the file passes the hash of its bytes), `fmt` to `opts.format` or detection."""
    fmt = fmt or opts.format or detect_format(text)
    chars, char_map = normalize_chars(
        text, kazakh=is_kazakh_arabic(text), visual_order=opts.visual_order
    )
    result = normalize_format(chars, fmt, path, tables=opts.tables, zh_variant=opts.zh_variant)
    del chars  # the result holds what it needs: one copy of the text less at the peak
    spans = result.offsets if char_map.is_identity(len(text)) else char_map.compose(result.offsets)
    del char_map  # a span per character of a visual-order text: not kept beside `spans`
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    metadata = {"sha256": digest, **result.metadata}
    # arrays, not a Block object a block: a text of short lines has millions of blocks
    blocks = result.blocks if isinstance(result.blocks, Blocks) else Blocks(result.blocks)
    lang = _assign_langs(result.text, blocks)
    doc = Document(
        id=doc_id if doc_id is not None else os.path.basename(path),
        source=path,
        format=fmt,  # type: ignore[arg-type]
        lang=lang,
        text=result.text,
        blocks=blocks,  # type: ignore[arg-type]  # written as a list by the record writer
        spans=spans,  # kept a map: written as lists by the record writer
        metadata=metadata,
    )
    if opts.translit == "auto" and blocks.has_lang(ARAB):
        _to_cyrillic(doc, blocks, spans)
    return doc


ARAB, CYRL = "kk-Arab", "kk-Cyrl"


def _to_cyrillic(doc: Document, old_blocks: Blocks, spans: OffsetMap) -> None:
    """Write the kk-Arab blocks of `doc` in Cyrillic, keeping the source script in orig_text.

    Each block is converted on its own (so block offsets stay exact); everything between
    and outside kk-Arab blocks is copied. `spans` (text → file) is composed with the
    transliteration map, so the new text still points into the Arabic-script file.
    """
    from kzkg_tools.translit import arab_to_cyrl

    original = doc.text
    out = TextBuilder()
    blocks = Blocks()
    pos = 0
    for b_start, b_end, kind, lang in old_blocks.rows():
        out.copy(original[pos:b_start], pos)
        start = len(out)
        body = original[b_start:b_end]
        if lang == ARAB:
            cyr, block_map = arab_to_cyrl(body)
            out.extend(cyr, block_map.shifted(b_start))
        else:
            out.copy(body, b_start)
        blocks.append(start, len(out), kind, CYRL if lang == ARAB else lang)
        pos = b_end
    out.copy(original[pos:], pos)
    text, translit_map = out.build()
    doc.orig_text, doc.orig_lang = original, doc.lang
    doc.orig_spans = translit_map
    doc.text, doc.blocks = text, blocks  # type: ignore[assignment]
    doc.spans = spans.compose(translit_map)
    if doc.lang == ARAB:
        doc.lang = CYRL


def normalize_format(
    text: str, fmt: str, path: str = "-", tables: bool = False, zh_variant: str | None = None
) -> Normalized:
    """Dispatch to the format normalizer; its offsets map into `text`.

    `zh_variant` (see NormalizeOptions) None: wikitext conversion markup is resolved to the
    variant the page is written in (`detect.han_variant`), looked for only when there is some.
    """
    from kzkg_tools.normalize.plain import normalize_plain

    if fmt == "wikitext":
        from kzkg_tools.normalize.wikitext import TooHard, normalize_wikitext

        variant = zh_variant
        if variant is None and ("-{" in text or _NOTE_TA.search(text)):
            variant = han_variant(text[:20_000])
        try:
            return normalize_wikitext(text, variant, keep_tables=tables)
        except (TooHard, RecursionError) as err:
            console.warn(f"{path}: wikitext too hard to parse ({err}); kept as plain text")
            result = normalize_plain(text, strip_leftovers=False)
            result.metadata["degraded"] = f"wikitext kept as plain text: {err}"
            return result
    if fmt == "markdown":
        from kzkg_tools.normalize import frontmatter
        from kzkg_tools.normalize.markdown import normalize_markdown

        front = frontmatter.read(text, path)
        if front is None:
            return normalize_markdown(text)
        result = normalize_markdown(frontmatter.mask(text, front))
        if front.pairs:
            result.metadata["front_matter"] = [{"key": k, "value": v} for k, v in front.pairs]
        return result
    if fmt == "pdf-text":
        from kzkg_tools.normalize.pdftext import normalize_pdftext

        return normalize_pdftext(text)  # the document's language: detected when needed
    if fmt == "plain":
        return normalize_plain(text)
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def _assign_langs(text: str, blocks: Blocks) -> str:
    """Each block's language (set in `blocks`), and the document's: the language with most
    letters.

    Script rules (Han variant, Kazakh letters) are cheap and run per block;
    langdetect costs milliseconds a call, so the other blocks of one script
    are identified together, from a sample of their text. A block too short
    to tell (a byline, a two-character heading) takes the main language of
    its script in the document. Blocks a format normalizer tagged keep their tag.
    """
    letters: Counter[str] = Counter()  # per language, over the whole document
    by_script: defaultdict[str, Counter[str]] = defaultdict(Counter)
    undecided: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)  # (block, weight)
    # Each block's script and letter count, in arrays: a text may have millions of blocks.
    scripts: list[str] = []
    counts = array("q")
    # What a short block's text gives (its script, letters and script-rule language), by
    # text: a text of short lines repeats them, and counting each costs more than the line.
    seen: dict[str, tuple[str, int, str | None]] = {}
    # (bound once: the loop runs once per block, millions of times on a text of short lines)
    add_script, add_count, set_lang = scripts.append, counts.append, blocks.set_lang
    for i, (start, end, _kind, lang) in enumerate(blocks.rows()):
        # A sample is enough to name a language; a 50 MB block must not cost 50 MB of regex.
        size = end - start
        piece = text[start:end] if size <= LANG_SAMPLE else text[start : start + LANG_SAMPLE]
        known = seen.get(piece)
        if known is None or (known[2] is _UNTRIED and lang == "und"):
            count = script_counts(piece)
            script, n = count.most_common(1)[0]
            # The language script rules give, where they apply; tried only for a block that
            # has no language yet (langdetect is the expensive part).
            by_rule: str | None = _UNTRIED
            if lang == "und":
                by_rule = None
                if n and (
                    script == "Hani" or any(ch in piece for ch in _KAZAKH_LETTERS.get(script, ""))
                ):
                    by_rule = detect_lang(piece, counts=count)
            known = (script, n, by_rule)
            if len(piece) <= SEEN_CHARS:
                if len(seen) >= SEEN_BLOCKS:
                    seen.clear()
                seen[piece] = known
        script, n, by_rule = known
        # (a whole block read: its letters are its weight, without the division)
        weight = n if 0 < size == len(piece) else n * size // max(1, len(piece))
        add_script(script)
        add_count(n)
        if lang == "und" and n:
            if by_rule is not None:
                lang = by_rule
                set_lang(i, lang)
            else:
                undecided[script].append((i, weight))
                continue
        by_script[script][lang] += weight
    for script, members in undecided.items():
        pieces, size = [], 0
        for i, _ in members:  # the first GROUP_SAMPLE characters of their text, space-joined
            start = blocks.start(i)
            pieces.append(text[start : min(blocks.end(i), start + GROUP_SAMPLE)])
            size += len(pieces[-1]) + 1
            if size > GROUP_SAMPLE:
                break
        lang = detect_lang(" ".join(pieces)[:GROUP_SAMPLE])
        for i, weight in members:
            blocks.set_lang(i, lang)
            by_script[script][lang] += weight
    main_of = {script: c.most_common(1) for script, c in by_script.items()}
    for i, (script, n) in enumerate(zip(scripts, counts, strict=True)):
        main = main_of.get(script)
        if n < SHORT_BLOCK and main and main[0][1] >= SHORT_BLOCK:
            blocks.set_lang(i, main[0][0])
    for by_lang in by_script.values():
        letters.update(by_lang)
    letters.pop("und", None)
    if not letters:
        return "und"
    return max(sorted(letters), key=lambda tag: letters[tag])
