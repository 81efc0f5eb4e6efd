"""MediaWiki XML dumps and exports as input: one `SourceText` per page, read as a stream.

`io.Reader` peeks at the first bytes of every input (after decompression, so
`kkwiki-…-pages-articles.xml.bz2` qualifies) and hands it here when it is a MediaWiki
export document (`<mediawiki …>`, schema 0.10 or 0.11 as `Special:Export` and the dumps
write them). `mwxml` (mediawiki-utilities) parses it with `xml.etree`'s pull parser.

* One SourceText per page of the chosen namespaces (default: articles, namespace 0):
  its text is the wikitext of the page's last revision (an export of the current version
  has one), its sha256 that of the text's UTF-8 bytes, its format wikitext.
* Ids: the input's id and the page id, `kkwiki.xml.bz2#12`, as the document id; the path
  (what `Document.source` shows) is the input's name with the same `#12`. A page id is
  unique in a wiki, so the ids of one dump never clash.
* `Document.metadata` gets `title`, `page_id`, `namespace`, `revision_id`, `timestamp` and
  `wiki` (the dbname) from the dump (`SourceText.metadata`); the page title wins over the
  wikitext normalizer's guess (the first bold phrase).
* Language: the wiki's language (`kkwiki` → kk, `zhwiki` → zh) is not forced on the pages:
  `normalize` detects each block as for any file and warns when a page's detected language is
  not the wiki's (a Kazakh wiki holds Russian quotations, an English page may be a list of
  Arabic names), so the records say what the text is. Chinese `-{…}-` markup is resolved as
  for a file: to the variant the page is written in.
* Redirects (a `<redirect>` tag), pages of other namespaces and pages with no text (deleted
  revisions) are skipped and counted; the counts go to one stderr line per dump and to the
  input's entry in `Reader.inputs` (the run manifest's `inputs`).
* Memory holds one page: the parser's finished `<page>` elements are cleared and removed
  from the root as the next one starts (`xml.etree` keeps every child of the root
  otherwise, cleared or not), so a dump of a million pages costs what one page costs.
* A malformed or truncated dump is one `InputError` naming the file, the line (in the
  decompressed text) and the page it is in or after.
* `kzkg run` with several workers reads a dump ahead into parts (`split`, `read_part`), one
  shard each, so the workers share its pages.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kzkg_tools import console, langs, resources
from kzkg_tools.errors import InputError
from kzkg_tools.io import STDIN, Source, SourceText, where

#: Bytes peeked at the start of an input to tell a MediaWiki export: room for a BOM, the XML
#: declaration, a comment or two and the `<mediawiki` start tag.
PROBE = 1024
_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<mediawiki[\s>/]", re.S
)
ARTICLES = frozenset({0})
#: Separates an input's id or name from the id of a page in it (`kkwiki.xml#12`).
ITEM_SEPARATOR = "#"
_ITEM = re.compile(rf"{ITEM_SEPARATOR}\d+\Z")
#: Wikimedia project suffixes of a dbname (`kkwiki`, `enwiktionary`, `zh_yuewikinews`).
_DBNAME = re.compile(
    r"(?P<code>[a-z_]+?)(?:wiki|wiktionary|wikinews|wikibooks|wikisource|wikiquote"
    r"|wikivoyage|wikiversity)\Z"
)
#: Wikimedia wiki codes that are not the BCP 47 tag of the wiki's language (the few of
#: Wikimedia's special-language list that the rule "code = tag" gets wrong).
_WIKI_CODES = {
    "simple": "en",
    "be_x_old": "be-tarask",
    "zh_classical": "lzh",
    "zh_min_nan": "nan",
    "zh_yue": "yue",
    "als": "gsw",
    "no": "nb",  # no.wikipedia is written in Bokmål
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_POSITION = re.compile(r": line \d+, column \d+\Z")


def is_dump(stream: IO[bytes]) -> bool:
    """Whether a buffered binary stream (decompressed) starts a MediaWiki export document;
    its bytes are peeked at, not consumed."""
    peek = getattr(stream, "peek", None)
    return peek is not None and _START.match(peek(PROBE)[:PROBE]) is not None


def is_item(source: str) -> bool:
    """Whether a document source or id names one page of a dump (`x.xml.bz2#12`), not a
    file. (A file named like `notes#12` reads as one too; align then keeps it on its own.)"""
    return _ITEM.search(source) is not None


def wiki_lang(dbname: str | None, xml_lang: str | None = None) -> str | None:
    """The language tag of a wiki from its dbname (`kkwiki` → kk-Cyrl, `zhwiki` → zh-Hans:
    the table's reading of kk and zh), else from the export's `xml:lang`; None if neither."""
    m = _DBNAME.match(dbname or "")
    code = _WIKI_CODES.get(m.group("code"), m.group("code").replace("_", "-")) if m else xml_lang
    return langs.canonical(code) if code else None


@dataclass
class DumpStats:
    """What reading one dump did: its bytes (decompressed) and what was kept and skipped."""

    sha256: str = ""
    bytes: int = 0
    wiki: str | None = None
    lang: str | None = None
    pages: int = 0
    redirects: int = 0
    other_namespaces: int = 0
    no_text: int = 0
    # Pages whose last revision is not wikitext (a CSS, JSON or Lua page in namespace 0).
    other_models: int = 0
    namespaces: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        """The run manifest's view: what was read and what was skipped, by reason."""
        out: dict[str, Any] = {"format": "mediawiki-xml", "wiki": self.wiki, "pages": self.pages}
        skipped = {
            "redirects": self.redirects,
            "other_namespaces": self.other_namespaces,
            "no_text": self.no_text,
            "other_models": self.other_models,
        }
        out["skipped"] = {k: n for k, n in skipped.items() if n}
        return out

    def summary(self, name: str) -> str:
        """One stderr line: pages read and, by reason, pages skipped."""
        skipped = [
            f"{n} {one if n == 1 else many}"
            for n, one, many in (
                (self.redirects, "redirect", "redirects"),
                (self.other_namespaces, "page of another namespace", "pages of other namespaces"),
                (self.no_text, "page without text", "pages without text"),
                (self.other_models, "page that is not wikitext", "pages that are not wikitext"),
            )
            if n
        ]
        ns = ",".join(str(n) for n in self.namespaces) or "any"
        tail = f"; skipped {', '.join(skipped)}" if skipped else ""
        wiki = self.wiki or "an unnamed wiki"
        return f"{name}: MediaWiki dump of {wiki}: {self.pages} pages of namespace {ns} read{tail}"


class _Hashing:
    """A `read()`-only view of a stream that hashes and counts what passes through, so the
    dump's checksum costs no second read."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.hash = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.hash.update(data)
        self.size += len(data)
        return data


_DRAIN = 1 << 16  # what follows </mediawiki> is hashed in chunks of this many bytes


def pages(
    stream: IO[bytes],
    source: Source,
    stats: DumpStats,
    namespaces: frozenset[int] | None = ARTICLES,
) -> Iterator[SourceText]:
    """The pages of the dump `stream` (decompressed; `is_dump`) in the namespaces asked for
    (None: all), as SourceTexts; `stats` is filled as they go (its checksum once the dump is
    read)."""
    hashing = _Hashing(stream)
    stats.namespaces = sorted(namespaces) if namespaces is not None else []
    for page, revision in _kept(hashing, source.name, where(stream), stats, namespaces):
        yield _page_text(source, stats, page, revision)
    while hashing.read(_DRAIN):  # what follows </mediawiki> (blank lines) is in the checksum
        pass
    stats.sha256, stats.bytes = hashing.hash.hexdigest(), hashing.size


def _kept(
    stream: _Hashing,
    name: str,
    suffix: str,
    stats: DumpStats,
    namespaces: frozenset[int] | None,
) -> Iterator[tuple[Any, Any]]:
    """(page, last revision) of each page kept; every error of the parser or of mwxml's
    reading of its elements becomes one InputError naming the file (`name`), line and page
    (`suffix`: what the line counts in, `io.where`)."""
    from xml.etree.ElementTree import ParseError  # here, not at import: most runs read no dump

    import mwxml
    from mwxml.element_iterator import ElementIterator

    last: list[str] = []  # the page being read, for messages

    def error(message: str, line: int | None = None) -> InputError:
        at = f":{line}" if line is not None else ""
        page = f"; at or after {last[0]}" if last else ""
        return InputError(f"{name}{at}: malformed MediaWiki XML ({message}){suffix}{page}")

    try:
        root = ElementIterator.from_file(stream)
        dump = mwxml.Dump.from_element(root)
        site = dump.site_info
        stats.wiki = site.dbname or site.name
        stats.lang = wiki_lang(site.dbname, root.attr(_XML_LANG))
        for page in dump.pages:
            # The page element just started is the root's last child; the ones before it are
            # finished and cleared, but xml.etree would keep them (and memory would grow with
            # the dump) until they leave the root.
            del root.element[:-1]
            last[:] = [f"page id {page.id} ({page.title})"]
            if page.id is None:
                raise error(f"a <page> without <id>, title {page.title!r}")
            if namespaces is not None and page.namespace not in namespaces:
                stats.other_namespaces += 1
                continue  # its revisions are skipped unparsed when the next page starts
            if page.redirect is not None:
                stats.redirects += 1
                continue
            revision = None
            for each in page:  # an export of full history: the last revision is the page
                revision = each
            if revision is None or not revision.text:
                stats.no_text += 1
            elif revision.model not in (None, "wikitext"):
                stats.other_models += 1
            else:
                stats.pages += 1
                yield page, revision
        # Parse to the end: junk after </mediawiki> is an error too.
        while True:
            next(root.pointer)
    except StopIteration:
        pass
    except ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else None
        raise error(_POSITION.sub("", str(err)), line) from None
    except (
        mwxml.errors.MalformedXML,
        ValueError,
        TypeError,
        AttributeError,
        AssertionError,
    ) as err:
        # mwxml reads element text with int(), str methods and asserts: a missing or bad
        # field comes out as one of these.
        raise error(str(err) or type(err).__name__) from None


def _page_text(source: Source, stats: DumpStats, page: Any, revision: Any) -> SourceText:
    text: str = revision.text
    data = text.encode("utf-8")
    item = f"{ITEM_SEPARATOR}{page.id}"
    metadata = {
        "title": page.title,
        "page_id": page.id,
        "namespace": page.namespace,
        "revision_id": revision.id,
        "timestamp": str(revision.timestamp) if revision.timestamp is not None else None,
        "wiki": stats.wiki,
    }
    return SourceText(
        source.name + item,
        source.id + item,
        text,
        hashlib.sha256(data).hexdigest(),
        len(data),
        declared_format="wikitext",
        metadata={k: v for k, v in metadata.items() if v is not None},
        lang=stats.lang,
    )


#: Names that `split` looks into: what dumps and exports are called (`…-pages-articles.xml`,
#: with a compression suffix or not). Looking into every input would open each one twice
#: (the workers read the rest), so a dump under another name is read whole by one worker.
_XML_NAME = re.compile(r"\.xml(?:\.(?:bz2|gz|xz|zst))?\Z", re.I)

#: Page text per part of a split dump: a part is a shard of `kzkg run`'s first phase, and at
#: the pipeline's 0.3-0.5 MB/s per worker this is a few seconds of work: small enough that
#: the workers finish within seconds of each other, large enough that a shard's own cost (two
#: files written, then merged: milliseconds) does not count.
PART_BYTES = 1_000_000


def split(source: Source, folder: Path, namespaces: frozenset[int] | None) -> list[Source]:
    """A dump as parts of about `PART_BYTES` of page text, written to files in `folder` so
    that the workers of a run share its pages (one part per shard); [source] itself when it
    is not named like a dump (`_XML_NAME`) or is not one. The dump is read once, here, as a
    stream; its entry in the manifest's inputs goes with the last part, its summary line to
    stderr now."""
    if not may_split(source):
        return [source]
    stream = source.open()
    out: IO[str] | None = None
    try:
        if not is_dump(stream):
            return [source]
        folder.mkdir(parents=True, exist_ok=True)
        stats = DumpStats()
        parts: list[Source] = []
        size = 0
        for page in pages(stream, source, stats, namespaces):
            if out is None or size >= PART_BYTES:
                if out is not None:
                    out.close()
                path = folder / f"{len(parts):05d}.jsonl"
                parts.append(dataclasses.replace(source, pages=str(path)))
                out = open(path, "w", encoding="utf-8")
                size = 0
            out.write(json.dumps({"page": dataclasses.asdict(page)}, ensure_ascii=False) + "\n")
            size += page.size
        if out is None:  # no page kept: the part holds the dump's entry only
            path = folder / "00000.jsonl"
            parts.append(dataclasses.replace(source, pages=str(path)))
            out = open(path, "w", encoding="utf-8")
        entry = {"path": source.name, "id": source.id, "sha256": stats.sha256}
        entry |= {"bytes": stats.bytes, **stats.counts()}
        out.write(json.dumps({"input": entry}, ensure_ascii=False) + "\n")
        out.close()
    finally:
        stream.close()
        if out is not None:
            out.close()  # a no-op when done; a malformed dump leaves its parts unread
    console.warn(stats.summary(source.name))
    return parts


def may_split(source: Source) -> bool:
    """Whether `split` looks into `source` (a file named like a dump)."""
    return (
        not source.is_stdin and source.pages is None and _XML_NAME.search(source.path) is not None
    )


def read_part(source: Source) -> Iterator[SourceText | dict[str, Any]]:
    """The pages of a part written by `split`, then (last part) the dump's inputs entry."""
    assert source.pages is not None
    with open(source.pages, encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            if "page" in item:
                yield SourceText(**item["page"])
            else:
                yield item["input"]


class _PageCursor:
    """Pages of one dump read in order, for lookups that come in that order (`page_text`)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._stream: IO[bytes] | None = None
        self._pages: Iterator[SourceText] = iter(())

    def _restart(self) -> bool:
        self.close()
        source = Source(self.path)
        self._stream = source.open()
        if not is_dump(self._stream):
            return False
        self._pages = pages(self._stream, source, DumpStats(), namespaces=None)
        return True

    def find(self, item: str) -> str | None:
        """The text of the page whose id is `item` (`#12`): read on from the last page found,
        then once more from the top (a page asked for again, or out of order)."""
        for _ in range(2):
            for page in self._pages:
                if page.id == item:
                    return page.text
            if not self._restart():
                return None
        return None

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        self._pages = iter(())


_cursor: _PageCursor | None = None


def page_text(path: str) -> str | None:
    """The text of the dump page `path` names (`kkwiki.xml.bz2#12`, a `Document.source`),
    or None when that dump or page cannot be found.

    How `kzkg facts` on Sentence records finds the page a sentence came from (`kzkg run`
    hands facts the text it read instead): the dump is read on from the page found last, so a
    dump's sentences, which come in page order, cost one pass over it, not one per page.
    Raises InputError when the dump is malformed."""
    global _cursor
    base, sep, page_id = path.rpartition(ITEM_SEPARATOR)
    if not sep or not page_id.isdigit() or base == STDIN:
        return None  # standard input cannot be read a second time
    if _cursor is None or _cursor.path != base:
        if _cursor is not None:
            _cursor.close()
        _cursor = _PageCursor(base)
    return _cursor.find(ITEM_SEPARATOR + page_id)


def _release_cursor() -> None:
    global _cursor
    if _cursor is not None:
        _cursor.close()
        _cursor = None


# The open dump and its parser belong with the source texts facts keeps (`kzkg run` lets
# phase 1's resources go before align).
resources.hold("facts-source", _release_cursor, lambda: int(_cursor is not None))
