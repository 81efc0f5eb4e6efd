"""MediaWiki wikitext to clean text, by walking mwparserfromhell's node tree.

`strip_code()` leaves markup behind and loses what templates such as
`{{lang}}` and `{{convert}}` show; so we walk the tree ourselves: link labels
are kept, headings and list items become blocks, templates are dropped unless
an allow-list (`data/normalize/templates.tsv`) says how they render, infobox
fields go to `metadata.infobox`, categories to `metadata.categories`, and
refs, tables, files, magic words and comments go. Chinese conversion markup
`-{…}-` is resolved first, to the variant the page is written in.

mwparserfromhell nodes carry no offsets, but `str(node)` round-trips exactly,
so every node's position is the running sum of its predecessors' lengths.
The tokenizer is quadratic on unclosed constructs and slow on giant lines:
pages that would make it hang are handed to the plain normalizer, whole.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import mwparserfromhell
import regex
from mwparserfromhell.nodes import (
    ExternalLink,
    Heading,
    HTMLEntity,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from kzkg_tools import tables
from kzkg_tools.normalize.base import Normalized
from kzkg_tools.normalize.blocks import BlockWriter, drop_empty_brackets
from kzkg_tools.offsets import OffsetMap, TextBuilder
from kzkg_tools.records import Block
from kzkg_tools.resources import owned

# Past these the tokenizer takes seconds to minutes (measured, docs/normalize.md).
MAX_LINE = 1_000_000
MAX_UNCLOSED = 200
MAX_TEMPLATE_DEPTH = 40  # MediaWiki's own expansion depth limit
NOTE_TA = "noteta"  # zh: the page's conversion groups and word rules

# Tags whose content is not running text.
_DROP_TAGS = frozenset(
    "ref references gallery math chem ce timeline graph score templatedata imagemap "
    "mapframe maplink syntaxhighlight source hiero inputbox categorytree includeonly "
    "table tr td th caption style script".split()
)
_REF = r"<ref\b[^<>]*/>|<ref\b[^<>/]*>.*?</ref\s*>"
_TABLE_TAGS = frozenset(("table", "tr", "td", "th", "caption"))
_LINE_MARKUP = frozenset("*#:;")
_ZH_VARIANTS = {
    "zh-Hant": ("zh-hant", "zh-tw", "zh-hk", "zh-mo", "zh"),
    "zh-Hans": ("zh-hans", "zh-cn", "zh-sg", "zh-my", "zh"),
}


@dataclass(frozen=True)
class _Tables:
    templates: dict[str, tuple[str, str]]
    template_prefixes: list[tuple[str, tuple[str, str]]]
    category: frozenset[str]
    file: frozenset[str]
    infobox_prefixes: tuple[str, ...]


@owned("normalize-patterns")
def _tables() -> _Tables:
    templates: dict[str, tuple[str, str]] = {}
    prefixes = []
    for name, rule in tables.rows("normalize/templates.tsv", columns=2):
        kind, _, arg = rule.partition(" ")
        if name.endswith("*"):
            prefixes.append((name[:-1], (kind, arg)))
        else:
            templates[name] = (kind, arg)
    namespaces = {}
    for ns, names in tables.rows("normalize/namespaces.tsv", columns=2):
        namespaces[ns] = frozenset(names.split(","))
    return _Tables(
        templates=templates,
        template_prefixes=prefixes,
        category=namespaces["category"],
        file=namespaces["file"],
        infobox_prefixes=tuple(tables.lines("normalize/infoboxes.txt")),
    )


@owned("normalize-patterns")
def _rx() -> dict[str, Any]:
    return {
        # Bold/italic quotes (style tags are skipped by the tokenizer: faster) and magic words.
        # Stray tags the tokenizer left as text (a lone </ref>) go too.
        "inline_noise": regex.compile(
            r"'{2,}|__[A-Z]{3,}__|</?(?:ref|references|div|span|small|big|center|font|br|p|"
            r"sup|sub|b|i|u|s|blockquote|poem|onlyinclude|noinclude)\b[^<>\n]{0,200}>",
            regex.I,
        ),
        # `-{{` opens a template (or a comment's end `-->` follows): not conversion markup.
        "conversion": regex.compile(r"-\{(?!\{)(.*?)\}-", regex.S),
        # What is dropped anyway is cut before parsing: the tree builder is the slow part.
        "cut": regex.compile(
            # A ref takes the spaces before it along when punctuation or a space follows it:
            # "identity <ref>…</ref>." → "identity.", but "a <ref/>b" keeps "a b" apart.
            # Atomic, so a failed look-ahead cannot stretch one ref over the next.
            # (Atomic, so a failed look-ahead cannot stretch one ref over the next.)
            rf"<!--.*?-->|[ \t]*(?>{_REF})(?=[\s.,;:!?)\]]|\Z)|(?:{_REF})"
            r"|<references\b[^<>]*/>|<references\b[^<>/]*>.*?</references\s*>",
            regex.S | regex.I,
        ),
        "braces": regex.compile(r"\{\{|\}\}"),
        "template_name": regex.compile(r"\{\{\s*([^{}|\n]*)"),
        "table_line": regex.compile(r"^[ \t:]*(\{\||\|\})[^\n]*", regex.M),
        "table_edge": regex.compile(r"\{\||\|\}"),
        "xml_escape": regex.compile(r"&(?:lt|gt|quot|amp);"),
        "rule": regex.compile(r"(zh(?:-[a-z]{2,4})?)\s*:\s*"),
        "flags": regex.compile(r"([A-Za-z;\- ]{1,8})\|"),
        "opener": regex.compile(
            r"\{\{|\}\}|\[\[|\]\]|</[a-zA-Z]|"
            r"<(?!(?:br|hr|wbr|img|col|meta|link|area|input)\b)[a-zA-Z][^<>\n]{0,200}?/?>",
            regex.I,
        ),
        "interlanguage": regex.compile(r"[a-z]{2,3}(?:-[a-z]{2,8})?\s*:"),
        "range_word": regex.compile("to|and|or|by|x|\u00d7|-|\u2013|\\+/-|\u00b1"),
    }


def _key(name: str) -> str:
    """Template or namespace name as MediaWiki compares it: spaces for underscores, any case."""
    return " ".join(name.replace("_", " ").split()).lower()


def too_hard(text: str) -> str | None:
    """Why the tokenizer should not see `text` (it would hang), or None."""
    longest = max((len(line) for line in text.split("\n")), default=0)
    if longest > MAX_LINE:
        return f"a line of {longest} characters"
    depth = deepest = unclosed = 0
    tags = 0
    for m in _rx()["opener"].finditer(text):
        tok = m.group()
        if tok == "{{":
            depth += 1
            deepest = max(deepest, depth)
        elif tok == "}}":
            depth = max(0, depth - 1)
        elif tok == "[[":
            unclosed += 1
        elif tok == "]]":
            unclosed = max(0, unclosed - 1)
        elif tok.startswith("</") or tok.endswith("/>"):
            tags = max(0, tags - (1 if tok.startswith("</") else 0))
        else:
            tags += 1
    # Unclosed tables nest in the tokenizer like the rest (1,000 `{|` lines 1.3 s, 2,000
    # 3.5 s, 20,000 over five minutes), so they count among the unclosed constructs.
    tables = 0
    for m in _rx()["table_line"].finditer(text):
        tables = tables + 1 if m.group(1) == "{|" else max(0, tables - 1)
    if deepest > MAX_TEMPLATE_DEPTH:
        return f"templates nested {deepest} deep"
    if depth + unclosed + tags + tables > MAX_UNCLOSED:
        return f"{depth + unclosed + tags + tables} unclosed constructs"
    return None


def _kept_template(name: str) -> bool:
    """Whether a template named `name` shows anything or feeds metadata (else it is cut early)."""
    tables = _tables()
    key = _key(name)
    if ":" in key:
        return key.startswith("formatnum:")
    return (
        key in tables.templates
        or key == NOTE_TA
        or key.startswith(tables.infobox_prefixes)
        or any(key.startswith(pre) for pre, _ in tables.template_prefixes)
    )


def prune(text: str, keep_tables: bool = False) -> tuple[str, OffsetMap]:
    """Cut comments, refs and top-level templates that show nothing, before the tokenizer runs.

    mwparserfromhell's tree builder, not its C tokenizer, takes most of the
    time, and citations are a quarter of a typical page. Templates are matched
    by counting braces, tables by their lines; a page with `{{{…}}}` arguments or unbalanced braces
    keeps its templates for the parser to judge.
    """
    rx = _rx()
    cuts: list[tuple[int, int]] = [(m.start(), m.end()) for m in rx["cut"].finditer(text)]
    if not keep_tables:
        cuts.extend(_table_cuts(text))
    if "{{{" not in text:
        cuts.extend(_template_cuts(text, cuts))
    if not cuts:
        return text, OffsetMap.identity(len(text))
    cuts.sort()
    out = TextBuilder()
    pos = 0
    for start, end in cuts:
        if start >= pos:
            out.copy(text[pos:start], pos)
            pos = end
        elif end > pos:
            pos = end
    out.copy(text[pos:], pos)
    return out.build()


def _table_cuts(text: str) -> list[tuple[int, int]]:
    """Whole-line tables, `{|` to its `|}` (nested ones included), found by their lines."""
    out: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for m in _rx()["table_line"].finditer(text):
        if m.group(1) == "{|":
            if not depth:
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if not depth:
                out.append((start, m.end()))
    return out


def _template_cuts(text: str, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    rx = _rx()
    hidden = sorted(cuts)
    out: list[tuple[int, int]] = []
    stack: list[int] = []
    h = 0
    for m in rx["braces"].finditer(text):
        i = m.start()
        while h < len(hidden) and hidden[h][1] <= i:
            h += 1
        if h < len(hidden) and hidden[h][0] <= i:
            continue  # inside a comment or ref that is cut anyway
        if m.group() == "{{":
            stack.append(i)
        elif stack:
            start = stack.pop()
            if not stack:
                name = rx["template_name"].match(text, start)
                if name and not _kept_template(name.group(1)):
                    out.append((start, m.end()))
    return out if not stack else []


def unescape_xml(text: str) -> tuple[str, OffsetMap]:
    """Undo one level of XML escaping (`&lt;ref&gt;`), as in pages cut from a dump unparsed.

    Only called when escaped `<` outnumber real ones: a page that shows an
    escaped tag on purpose keeps it.
    """
    out = TextBuilder()
    pos = 0
    for m in _rx()["xml_escape"].finditer(text):
        out.copy(text[pos : m.start()], pos)
        out.replace(html.unescape(m.group()), m.start(), m.end())
        pos = m.end()
    out.copy(text[pos:], pos)
    return out.build()


def _variant_choices(body: str, offset: int) -> dict[str, tuple[int, str]]:
    """`zh-hans:A; zh-hant:B;` as {variant: (source offset, text)}; {} if `body` is no rule list."""
    rules = list(_rx()["rule"].finditer(body))
    if not rules or rules[0].start() != 0:
        return {}
    choices = {}
    for i, r in enumerate(rules):
        end = rules[i + 1].start() if i + 1 < len(rules) else len(body)
        value = body[r.end() : end].rstrip().removesuffix(";").rstrip()
        choices[r.group(1)] = (offset + r.end(), value)
    return choices


def resolve_conversion(text: str, variant: str) -> tuple[str, OffsetMap]:
    """Resolve `-{…}-` language-conversion markup to `variant` (zh-Hant or zh-Hans).

    `-{zh-hans:A; zh-hant:B;}-` shows the text for the page's variant, `-{X}-`
    shows X unconverted, and the flagged forms that only declare rules
    (`-{H|…}-`, `-{T|…}-`, `-{D|…}-`) show nothing.
    """
    rx = _rx()
    if "-{" not in text:
        return text, OffsetMap.identity(len(text))
    out = TextBuilder()
    pos = 0
    for m in rx["conversion"].finditer(text):
        out.copy(text[pos : m.start()], pos)
        pos = m.end()
        body, body_start = m.group(1), m.start(1)
        flags = rx["flags"].match(body)
        if flags:
            letters = flags.group(1).replace(";", "").replace(" ", "")
            if letters and set(letters) <= set("HTD-"):
                continue
            body_start += flags.end()
            body = body[flags.end() :]
        choices = _variant_choices(body, body_start)
        if not choices:
            out.copy(body, body_start)
            continue
        preferred = _ZH_VARIANTS.get(variant, ("zh",))
        chosen = next((choices[v] for v in preferred if v in choices), None)
        start, value = chosen if chosen else next(iter(choices.values()))
        out.copy(value, start)
    out.copy(text[pos:], pos)
    return out.build()


class _Walker:
    """Walks a node tree, feeding kept text to a BlockWriter with source positions."""

    def __init__(self, keep_tables: bool = False) -> None:
        self.keep_tables = keep_tables
        self.tables = _tables()
        self.rx = _rx()
        self.out = BlockWriter(drop_empty_sections=True)
        self.categories: list[str] = []
        self.infobox: dict[str, str] = {}
        self.conversion: dict[str, list[Any]] = {}
        self.newlines = 0
        self.bold_ranges: list[int] = []
        self.table_depth = 0
        self.line_start = True

    def walk(self, code: Wikicode, pos: int) -> None:
        for node in code.nodes:
            if isinstance(node, Text):
                self.text(node.value, pos)
                pos += len(node.value)
                continue
            s = str(node)
            if not self.table_depth:
                self.node(node, pos)
            if not (isinstance(node, Tag) and node.wiki_markup in _LINE_MARKUP):
                self.line_start = False
            pos += len(s)

    def text(self, value: str, pos: int) -> None:
        start = 0
        for m in self.rx["inline_noise"].finditer(value):
            self._lines(value[start : m.start()], pos + start)
            if m.group().startswith("'''") and not self.table_depth:
                self.bold_ranges.append(self.out.position)
            start = m.end()
        self._lines(value[start:], pos + start)

    def _lines(self, value: str, pos: int) -> None:
        for i, line in enumerate(value.split("\n")):
            if i:
                self.line_start = True
                if not self.table_depth:
                    self.newline(pos - 1)
            if self.line_start and line.lstrip().startswith(("|-", "|+")):
                # A row marker out of any table (template-built tables leave them).
                pos += len(line) + 1
                continue
            # A table the tokenizer did not recognise (or one run into a single line)
            # is still a table: skip from `{|` to its `|}`.
            start = 0
            for m in self.rx["table_edge"].finditer(line):
                if m.group() == "{|":
                    if not self.line_start and m.start() and not line[m.start() - 1].isspace():
                        continue
                    self._inline(line[start : m.start()], pos + start)
                    self.out.finish()
                    self.table_depth += 1
                elif self.table_depth:
                    self.table_depth -= 1
                start = m.end()
            self._inline(line[start:], pos + start)
            pos += len(line) + 1

    def _inline(self, text: str, pos: int) -> None:
        if text:
            self.line_start = False
        if not self.table_depth:
            if text.strip():
                self.newlines = 0
            self.out.text(text, pos)

    def newline(self, pos: int) -> None:
        if self.out.kind in ("table", "caption"):
            self.out.space(pos, pos + 1)
            return
        if self.out.kind in ("list_item", "heading"):
            self.out.finish()
            self.newlines = 1
            return
        self.newlines += 1
        if self.newlines >= 2:
            self.out.finish()
        else:
            self.out.space(pos, pos + 1)

    def node(self, node: Any, pos: int) -> None:
        if isinstance(node, Wikilink):
            self.wikilink(node, pos)
        elif isinstance(node, Template):
            self.template(node, pos)
        elif isinstance(node, Tag):
            self.tag(node, pos)
        elif isinstance(node, Heading):
            self.out.start("heading", node.level)
            self.walk(node.title, pos + node.level)
            self.out.finish()
            self.newlines = 1
        elif isinstance(node, ExternalLink):
            if node.brackets and node.title is not None:
                gap = 0 if node.suppress_space else 1
                self.newlines = 0
                self.walk(node.title, pos + 1 + len(str(node.url)) + gap)
            elif not node.brackets:
                self.newlines = 0
                self.out.text(str(node.url), pos)
        elif isinstance(node, HTMLEntity):
            self.newlines = 0
            self.out.replace(node.normalize(), pos, pos + len(str(node)))
        # Comments, template arguments and anything else show nothing.

    def wikilink(self, node: Wikilink, pos: int) -> None:
        title = str(node.title)
        bare = title.strip()
        ns, colon, rest = bare.partition(":")
        ns_key = _key(ns)
        if colon and not bare.startswith(":"):
            if ns_key in self.tables.category:
                name = rest.strip()
                if name and name not in self.categories:
                    self.categories.append(name)
                return
            if ns_key in self.tables.file:
                return
            if self.rx["interlanguage"].fullmatch(ns + ":") and node.text is None:
                return
        self.newlines = 0
        if node.text is not None:
            self.walk(node.text, pos + 2 + len(title) + 1)
        else:
            lead = len(title) - len(title.lstrip(" :"))
            self.out.text(title[lead:].split("#")[0] or title[lead:], pos + 2 + lead)

    def tag(self, node: Tag, pos: int) -> None:
        markup = node.wiki_markup
        if markup in ("*", "#"):
            self.out.start("list_item")
            return
        if markup in (";", ":"):
            self.out.start("paragraph")
            return
        name = str(node.tag).strip().lower()
        if markup == "----" or name == "hr":
            self.out.finish()
            return
        if name == "br":
            self.out.space(pos, pos + len(str(node)))
            return
        if node.invalid or node.self_closing or node.contents is None:
            return
        keep_table = self.keep_tables and name in _TABLE_TAGS
        if name in _DROP_TAGS and not keep_table:
            return
        offset = len(markup) if markup else 1 + len(str(node.tag))
        offset += sum(len(str(a)) for a in node.attributes) + len(node.padding or "")
        offset += len(node.wiki_style_separator or "") if markup else 1
        if keep_table:
            self._table_part(node, name, pos + offset)
        else:
            self.walk(node.contents, pos + offset)

    def _table_part(self, node: Tag, name: str, pos: int) -> None:
        """A table as blocks: one `table` block per row, cells joined by " | "; a caption block."""
        contents = node.contents
        if name in ("table", "tr"):
            self.out.start("table")
            self.walk(contents, pos)
            self.out.finish()
            return
        head = contents.nodes[0] if contents.nodes else None
        plus = name == "td" and isinstance(head, Text) and head.value.startswith("+")
        if name == "caption" or plus:
            # mwparserfromhell reads a `|+` caption line as a cell starting with "+".
            self.out.start("caption")
            if plus:
                assert isinstance(head, Text)
                contents = Wikicode([Text(head.value[1:]), *contents.nodes[1:]])
            self.walk(contents, pos + (1 if plus else 0))
            self.out.finish()
            return
        if self.out.kind != "table":
            self.out.start("table")
        elif not self.out.empty:
            self.out.join(" | ")
        self.walk(contents, pos)

    def template(self, node: Template, pos: int) -> None:
        raw_name = str(node.name)
        key = _key(raw_name)
        if ":" in key:
            function = key.split(":")[0]
            if function == "formatnum":
                colon = raw_name.index(":") + 1
                self.newlines = 0
                self.out.text(raw_name[colon:], pos + 2 + colon)
            return
        params: dict[str, tuple[Any, int]] = {}
        p = pos + 2 + len(raw_name)
        for param in node.params:
            p += 1  # the "|"
            value_pos = p + (len(str(param.name)) + 1 if param.showkey else 0)
            params[str(param.name).strip()] = (param, value_pos)
            p += len(str(param))
        if key.startswith(self.tables.infobox_prefixes):
            self._infobox(params)
            return
        if key == NOTE_TA:
            self._note_ta(params)
            return
        rule = self.tables.templates.get(key)
        if rule is None:
            rule = next(
                (r for pre, r in self.tables.template_prefixes if key.startswith(pre)), None
            )
        if rule is None:
            return
        kind, arg = rule
        self.newlines = 0
        if kind == "text":
            self.out.replace(arg, pos, pos + len(str(node)))
        elif kind == "param":
            for n in arg.split(","):
                found = params.get(n)
                if found and str(found[0].value).strip():
                    self.walk(found[0].value, found[1])
                    break
        elif kind == "convert":
            self._convert(params)

    def _convert(self, params: dict[str, tuple[Any, int]]) -> None:
        """`{{convert|400|to|670|mm|…}}` shows "400 to 670 mm": the values and unit as written."""
        positional = [params[str(i)] for i in range(1, 5) if str(i) in params]
        if not positional:
            return
        shown = positional[:2]
        if len(positional) >= 4 and self.rx["range_word"].fullmatch(
            str(positional[1][0].value).strip()
        ):
            shown = positional[:4]
        for i, (param, value_pos) in enumerate(shown):
            if i:
                self.out.gap()
            self.walk(param.value, value_pos)

    def _note_ta(self, params: dict[str, tuple[Any, int]]) -> None:
        """`{{noteTA|G1=IT|1=zh-cn:软件;zh-tw:軟體;}}` shows nothing; its groups and rules are kept.

        The rules are not applied to the text: a same-length word swap would
        break the promise that a span of equal length is a copy of its source.
        """
        for name, (param, _pos) in params.items():
            value = str(param.value).strip()
            if name.startswith("G") and value:
                self.conversion.setdefault("groups", []).append(value)
            elif name.isdigit():
                rule = _variant_choices(value, 0)
                if rule:
                    words = {variant: word for variant, (_at, word) in rule.items()}
                    self.conversion.setdefault("rules", []).append(words)

    def _infobox(self, params: dict[str, tuple[Any, int]]) -> None:
        for name, (param, _pos) in params.items():
            if not param.showkey:
                continue
            sub = _Walker()
            sub.walk(param.value, 0)
            text, _offsets, _blocks = sub.out.build()
            value = " ".join(text.split())
            if value and name not in self.infobox:
                self.infobox[name] = value


def normalize_wikitext(
    text: str, variant: str | None = None, keep_tables: bool = False
) -> Normalized:
    """Clean text of a wikitext page; `variant` (zh-Hant/zh-Hans) resolves `-{…}-` markup.

    Tables are dropped, or with `keep_tables` become `table` blocks (a row
    each, cells joined by " | ") and `caption` blocks.

    Raises `TooHard` when the page would stall the tokenizer; the caller
    degrades to plain text.
    """
    reason = too_hard(text)
    if reason:
        raise TooHard(reason)
    source_map: OffsetMap | None = None  # from the page to the text the tokenizer sees
    if text.count("&lt;") > text.count("<"):
        text, source_map = unescape_xml(text)
    if "-{" in text:
        text, inner = resolve_conversion(text, variant or "zh-Hant")
        source_map = inner if source_map is None else source_map.compose(inner)
    text, inner = prune(text, keep_tables)
    source_map = inner if source_map is None else source_map.compose(inner)
    code = mwparserfromhell.parse(text, skip_style_tags=True)
    walker = _Walker(keep_tables)
    walker.walk(code, 0)
    out, offsets, blocks = walker.out.build()
    cleaned, inner, blocks = drop_empty_brackets(out, blocks)
    if cleaned != out:
        out, offsets = cleaned, offsets.compose(inner)
    offsets = source_map.compose(offsets)
    metadata: dict[str, Any] = {}
    title = _title(out, walker.bold_ranges, blocks)
    if walker.infobox:
        title = title or walker.infobox.get("title") or walker.infobox.get("name")
    if title:
        metadata["title"] = title
    if walker.categories:
        metadata["categories"] = walker.categories
    if walker.infobox:
        metadata["infobox"] = walker.infobox
    if walker.conversion:
        metadata["conversion"] = walker.conversion
    return Normalized(
        text=out,
        offsets=offsets,
        blocks=[Block(s, e, k, "und") for s, e, k in blocks],  # type: ignore[arg-type]
        metadata=metadata,
    )


def _title(text: str, bold: list[int], blocks: list[tuple[int, int, str]]) -> str | None:
    """The first bold phrase of the lead paragraph: how Wikipedia pages name their subject."""
    if len(bold) < 2 or not blocks or blocks[0][2] != "paragraph":
        return None
    start, end = bold[0], bold[1]
    if not blocks[0][0] <= start < end <= blocks[0][1]:
        return None
    return text[start:end].strip() or None


class TooHard(Exception):
    """The page would stall the wikitext tokenizer; the message says why."""
