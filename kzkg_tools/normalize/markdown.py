"""Markdown converted from wiki pages (pandoc's MediaWiki writer output) to clean text.

markdown-it-py gives the block structure and line maps; inline tokens carry
no positions, so each block's inline content is laid over its source lines
and a cursor follows the tokens through it. Link labels are kept, their
targets (`(url "wikilink")`, `(../Page/X.md "wikilink")`) dropped; the escaped
citation markers `\\[n\\]` and the empty numbered list pandoc leaves where the
references were go; `[Category:X](…)` links become `metadata.categories`; a
heading whose section ends up empty (the references heading) goes too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from types import SimpleNamespace
from typing import Any

import regex
from markdown_it import MarkdownIt, helpers
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import unescapeAll
from markdown_it.helpers.parse_link_destination import _Result
from markdown_it.helpers.parse_link_title import _State
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

from kzkg_tools.normalize.base import Normalized
from kzkg_tools.normalize.blocks import BlockWriter, drop_empty_brackets
from kzkg_tools.normalize.plain import leftover_markup
from kzkg_tools.offsets import OffsetMap, TextBuilder
from kzkg_tools.records import Block
from kzkg_tools.resources import owned


@owned("normalize-patterns")
def _parser() -> Any:
    md = MarkdownIt("commonmark").enable("table")  # pandoc writes pipe tables
    md.disable("text_join")  # keep escapes as their own tokens: their source is longer
    md.normalizeLink = _normalize_link  # type: ignore[method-assign]
    # The link helpers, read through `md.helpers` by the link, image and reference rules.
    md.helpers = SimpleNamespace(
        parseLinkLabel=helpers.parseLinkLabel,
        parseLinkDestination=_link_destination,
        parseLinkTitle=_link_title,
    )
    names = [rule.name for rule in md.inline.ruler.__rules__ if rule.enabled]
    if set(names) == set(_RULE_STARTS) and md.inline.ruler.getRules("")[0].__name__ == "text":
        md.inline.terminator_re = re.compile(_char_class("".join(_RULE_STARTS.values())))
        md.helpers.parseLinkLabel = _link_label
        link = md.inline.ruler.getRules("")[names.index("link")]
        md.inline.ruler.at("link", _plain_link_or(link))
        md.inline.tokenize = _plain_or(_dispatching_inline(md))
    if tuple(Token.__dataclass_fields__) == _TOKEN_FIELDS:
        md.block.parse = _block_parse(md)
        md.inline.parse = _inline_parse(md)
    block_rules = [rule for rule in md.block.ruler.__rules__ if rule.enabled]
    if [rule.name for rule in block_rules] == list(_BLOCK_STARTS) and [
        rule.fn for rule in block_rules
    ] == md.block.ruler.getRules(""):
        md.block.tokenize = _dispatching_block(md)
    return md


def _plain_link_or(link: Any) -> Any:
    """markdown-it's link rule, the same tokens, state and skip memo, for a link as pandoc
    writes it, `[label](target "title")` with a label of plain text (no character an inline
    rule starts at), matched by one regex instead of the label, target and title scans."""

    def plain_link_or_link(state: Any, silent: bool) -> bool:
        start, maximum = state.pos, state.posMax
        m = _PLAIN_LINK.match(state.src, start, maximum)
        if m is None or start + 1 in state.cache or state.level >= state.md.options["maxNesting"]:
            return bool(link(state, silent))
        href = state.md.normalizeLink(unescapeAll(m[2]))
        if not state.md.validateLink(href):
            return bool(link(state, silent))
        label_start, label_end = m.span(1)
        state.cache[label_start] = label_end  # what skipping the label's text records
        if not silent:
            state.pos, state.posMax = label_start, label_end
            token = state.push("link_open", "a", 1)
            token.attrs = {"href": href}
            title = unescapeAll(m[3])
            if title:
                token.attrSet("title", title)
            state.linkLevel += 1
            state.md.inline.tokenize(state)
            state.linkLevel -= 1
            state.push("link_close", "a", -1)
        state.pos, state.posMax = m.end(), maximum
        return True

    return plain_link_or_link


def _dispatching_inline(md: Any) -> Any:
    """markdown-it's inline tokenize, the same tokens, trying at each position only the rules
    that can match at its character (`_RULE_STARTS`) instead of all in turn."""
    rules = md.inline.ruler.getRules("")
    names = [rule.name for rule in md.inline.ruler.__rules__ if rule.enabled]
    text_only = rules[:1]  # the text rule matches at every other character, and only there
    by_char = {
        ch: [fn for fn, name in zip(rules, names, strict=True) if ch in _RULE_STARTS[name]]
        for ch in "".join(_RULE_STARTS.values())
    }
    get = by_char.get

    def tokenize(state: Any) -> None:
        end, src = state.posMax, state.src
        max_nesting = state.md.options["maxNesting"]
        while state.pos < end:
            pos = state.pos
            ok = False
            if state.level < max_nesting:
                for rule in get(src[pos], text_only):
                    ok = rule(state, False)
                    if ok:
                        if state.pos <= pos:
                            raise RuntimeError("inline rule didn't increment state.pos")
                        break
            if ok:
                if state.pos >= end:
                    break
                continue
            state.append_pending(src[state.pos])
            state.pos += 1
        if state.pending:
            state.pushPending()

    return tokenize


# The first characters (after the indent) of a line at which each block rule of our parser can
# match; None: any. Each rule but these returns False at once on a line that does not start
# with one of its characters, or that is indented as code (where all rules are tried).
_BLOCK_STARTS: dict[str, str | None] = {
    "table": None,  # decided by the next line
    "code": "",  # only an indented line
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
    "lheading": None,  # decided by a following line
    "paragraph": None,
}


def _dispatching_block(md: Any) -> Any:
    """markdown-it's block tokenize, the same tokens, trying on each line only the rules that
    can match at its first character (`_BLOCK_STARTS`): a paragraph line tries three rules,
    not eleven."""
    rules = md.block.ruler.getRules("")
    starts = list(_BLOCK_STARTS.values())
    any_line = [fn for fn, chars in zip(rules, starts, strict=True) if chars is None]
    by_char = {
        ch: [fn for fn, chars in zip(rules, starts, strict=True) if chars is None or ch in chars]
        for ch in "".join(chars or "" for chars in starts)
    }
    get = by_char.get

    def tokenize(state: Any, startLine: int, endLine: int) -> None:
        max_nesting = state.md.options.maxNesting
        line = startLine
        has_empty_lines = False
        src, b_marks, t_shift, s_count = state.src, state.bMarks, state.tShift, state.sCount
        while line < endLine:
            state.line = line = state.skipEmptyLines(line)
            if line >= endLine:
                break
            if s_count[line] < state.blkIndent:
                break  # the end of a nested block (a list item, a quote)
            if state.level >= max_nesting:
                state.line = endLine
                break
            ok = False
            for rule in (
                rules
                if s_count[line] - state.blkIndent >= 4  # indented as code
                else get(src[b_marks[line] + t_shift[line]], any_line)
            ):
                ok = rule(state, line, endLine, False)
                if ok:
                    if state.line <= line:
                        raise RuntimeError("block rule didn't increment state.line")
                    break
            if not ok:
                raise RuntimeError("none of the block rules matched")
            state.tight = not has_empty_lines
            line = state.line
            if (line - 1) < endLine and state.isEmpty(line - 1):
                has_empty_lines = True
            if line < endLine and state.isEmpty(line):
                has_empty_lines = True
                line += 1
                state.line = line

    return tokenize


# The fields of markdown-it's Token, which `_token` sets: with any other, the parser keeps
# markdown-it's own token constructor.
_TOKEN_FIELDS = (
    "type", "tag", "nesting", "attrs", "map", "level", "children", "content", "markup", "info",
    "meta", "block", "hidden",
)  # fmt: skip


def _token(ttype: str, tag: str, nesting: int) -> Token:
    """`Token(ttype, tag, nesting)`, the same token, its fields set without the dataclass
    __init__ and __post_init__ (token making was a fifth of the parse: a wiki page has
    hundreds)."""
    token = _new_token(Token)
    token.type, token.tag, token.nesting = ttype, tag, nesting  # type: ignore[assignment]
    token.attrs, token.map, token.level, token.children = {}, None, 0, None
    token.content = token.markup = token.info = ""
    token.meta, token.block, token.hidden = {}, False, False
    return token


_new_token = Token.__new__


class _StateInline(StateInline):
    """markdown-it's inline state; its tokens made by `_token`."""

    def pushPending(self) -> Token:
        token = _token("text", "", 0)
        token.content = self.pending
        token.level = self.pendingLevel
        self.tokens.append(token)
        self.pending = ""
        return token

    def push(self, ttype: str, tag: str, nesting: Any) -> Token:
        if self.pending:
            self.pushPending()
        token = _token(ttype, tag, nesting)
        token_meta = None
        if nesting < 0:
            self.level -= 1  # closing tag
            self.delimiters = self._prev_delimiters.pop()
        token.level = self.level
        if nesting > 0:
            self.level += 1  # opening tag
            self._prev_delimiters.append(self.delimiters)
            self.delimiters = []
            token_meta = {"delimiters": self.delimiters}
        self.pendingLevel = self.level
        self.tokens.append(token)
        self.tokens_meta.append(token_meta)
        return token


class _StateBlock(StateBlock):
    """markdown-it's block state; its tokens made by `_token`."""

    def push(self, ttype: str, tag: str, nesting: Any) -> Token:
        token = _token(ttype, tag, nesting)
        token.block = True
        if nesting < 0:
            self.level -= 1  # closing tag
        token.level = self.level
        if nesting > 0:
            self.level += 1  # opening tag
        self.tokens.append(token)
        return token


def _inline_parse(md: Any) -> Any:
    """markdown-it's ParserInline.parse with `_StateInline`."""

    def parse(src: str, md: Any, env: Any, tokens: list[Token]) -> list[Token]:
        state = _StateInline(src, md, env, tokens)
        md.inline.tokenize(state)
        for rule in md.inline.ruler2.getRules(""):
            rule(state)
        return state.tokens

    return parse


def _block_parse(md: Any) -> Any:
    """markdown-it's ParserBlock.parse with `_StateBlock`."""

    def parse(src: str, md: Any, env: Any, tokens: list[Token]) -> list[Token] | None:
        if not src:
            return None
        state = _StateBlock(src, md, env, tokens)
        md.block.tokenize(state, state.line, state.lineMax)
        return state.tokens

    return parse


def _plain_or(tokenize: Any) -> Any:
    """markdown-it's inline tokenize, the same tokens, with a range of plain text (no character
    an inline rule starts at: a link label, a heading, most list items) pushed as one text token
    without the rule loop."""

    def plain_or_tokenize(state: Any) -> None:
        pos, end, src = state.pos, state.posMax, state.src
        # The text rule, first of the rules, reads up to the next terminator of all `src` (not
        # only of the range): the range is read in one piece when that is its end.
        stop = state.md.inline.terminator_re.search(src, pos)
        if (
            pos < end
            and (stop.start() if stop else len(src)) == end
            and state.level < state.md.options["maxNesting"]
        ):
            state.append_pending(src[pos:end])
            state.pos = end
            state.pushPending()
        else:
            tokenize(state)

    return plain_or_tokenize


def _link_label(state: Any, start: int, disableNested: bool = False) -> int:
    """markdown-it's parseLinkLabel, the same result and the same memo of skipped tokens, for
    a label of plain text ending at the first `]`, without running the rules to skip it."""
    pos, src = start + 1, state.src
    stop = state.md.inline.terminator_re.search(src, pos)
    end = stop.start() if stop else -1
    if (
        0 <= end < state.posMax
        and src[end] == "]"
        and pos not in state.cache
        and state.level < state.md.options["maxNesting"]
    ):
        if end > pos:
            state.cache[pos] = end  # what skipping the text from `pos` records
        return end
    return int(helpers.parseLinkLabel(state, start, disableNested))


# The characters at which each inline rule of our parser can match (each rule returns False
# at once on any other), and `[`, `]`, which the link label scan must stop at. markdown-it
# stops its text rule at 23 characters, most for rules CommonMark does not enable (`:`
# linkify, `~` strikethrough, `-`, `=`, `{`… extensions): at each it tries every rule in
# turn, all fail, and the character joins the text. The tokens are the same with the text
# rule stopping only here; a parser with other rules keeps markdown-it's set.
_RULE_STARTS = {
    "text": "",
    "newline": "\n",
    "escape": "\\",
    "backticks": "`",
    "emphasis": "_*",
    "link": "[]",
    "image": "!",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
}


def _char_class(chars: str) -> str:
    return "[" + "".join(sorted({re.escape(ch) for ch in chars})) + "]"


# A link of plain text (nothing but the text rule can match in its label, so markdown-it's
# label scan ends at the first `]`), a target markdown-it's destination scan reads in one run
# (`_DESTINATION`, not `<…>`), one space and a `"title"` without escapes or line breaks.
_PLAIN_LINK = re.compile(
    r"\[([^" + _char_class("".join(_RULE_STARTS.values()))[1:-1] + r"]+)\]"
    r'\((?!<)([^\x00-\x20\x7f\\()]+) "([^"\\\n]*)"\)'
)


# A link destination markdown-it's parseLinkDestination reads in one run: not `<…>`, no
# backslash escape and no parentheses (whose nesting it counts); it ends at the end of the
# range, a space, a control character or `)`. Anything else goes to markdown-it's own scan.
_DESTINATION = re.compile(r"[^\x00-\x20\x7f\\()]+")
_TITLE = {'"': re.compile(r'[^"\\]*'), "'": re.compile(r"[^'\\]*")}


def _link_destination(string: str, pos: int, maximum: int) -> Any:
    """markdown-it's parseLinkDestination, the same result, a regex run for plain URLs
    (its character loop was a fifth of the inline parse on wiki pages)."""
    m = _DESTINATION.match(string, pos, maximum) if string[pos : pos + 1] != "<" else None
    end = m.end() if m else pos
    if end == pos or (end < maximum and string[end] in "\\("):
        return helpers.parseLinkDestination(string, pos, maximum)
    result = _Result()
    result.ok, result.pos, result.str = True, end, unescapeAll(string[pos:end])
    return result


def _link_title(string: str, start: int, maximum: int, prev_state: Any = None) -> Any:
    """markdown-it's parseLinkTitle, the same result, a regex run for a quoted title with no
    backslash (`"wikilink"`, after every link of a converted wiki page)."""
    rx = _TITLE.get(string[start]) if prev_state is None and start < maximum else None
    end = rx.match(string, start + 1, maximum).end() if rx else maximum  # type: ignore[union-attr]
    if end >= maximum or string[end] != string[start]:
        return helpers.parseLinkTitle(string, start, maximum, prev_state)
    state = _State()
    state.marker, state.ok, state.pos = ord(string[start]), True, end + 1
    state.str = unescapeAll(string[start + 1 : end])
    return state


# Link targets whose normalizeLink is the target with its non-ASCII characters
# percent-encoded as UTF-8 (parse, punycode and the encoder leave the rest as it is): a wiki
# URL with an ASCII host (at most 255 characters, mdurl's limit) or a `../Page/` path, with
# no `%` and no ASCII character the encoder escapes; non-ASCII characters but for whitespace
# (the parse trims it) and lone surrogates (encoded as U+FFFD). A page title in Chinese,
# Kazakh or Arabic is such a path. Tested against normalizeLink in tests/.
_PLAIN_URL = re.compile(
    r"(?:https?://[A-Za-z0-9.-]{1,255}|\.\.)/"
    r"(?:[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]|[^\x00-\x7f\s\ud800-\udfff])*"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _normalize_link(url: str) -> str:
    """markdown-it's normalizeLink, the same string, without its URL parse and per-character
    encoder for the targets of `_PLAIN_URL` (the two were a third of markdown-it's time on a
    wiki page)."""
    if not _PLAIN_URL.fullmatch(url):
        return normalizeLink(url)
    return url if url.isascii() else _NON_ASCII.sub(_percent_encoded, url)


def _percent_encoded(m: re.Match[str]) -> str:
    """The UTF-8 bytes of non-ASCII text as `%XX` (what urllib's `quote` gives, faster)."""
    return "%" + m.group().encode("utf-8").hex("%").upper()


@owned("normalize-patterns")
def _rx() -> dict[str, Any]:
    return {
        "citation": regex.compile(r"\\\[\d+\\\]"),
        "destination": regex.compile(
            r"\]\((?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
        ),
    }


class _Content:
    """One block's inline content, with the source offset of each of its characters' lines."""

    def __init__(self, content: str, source: str, line_starts: list[int], first_line: int) -> None:
        self.text = content
        self.starts: list[tuple[int, int]] = []  # (content offset, source offset) per line
        c = 0
        line = first_line
        for piece in content.split("\n"):
            src = (
                source[line_starts[line] : line_starts[line + 1]]
                if line + 1 < len(line_starts)
                else source[line_starts[line] :]
            )
            at = src.find(piece)
            self.starts.append((c, line_starts[line] + max(at, 0)))
            c += len(piece) + 1
            line += 1
        self._offsets = [c for c, _ in self.starts]
        # Most blocks are one line: a source offset is then this plus the content offset.
        self.base = self.starts[0][1] if len(self.starts) == 1 else None

    def source(self, pos: int) -> int:
        start = self.starts[max(0, bisect_right(self._offsets, pos) - 1)]
        return start[1] + pos - start[0]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _line_breaks(text: str) -> tuple[str, OffsetMap | None]:
    """markdown-it's own input normalization (CR LF and CR to LF), with a map; NULs dropped.

    markdown-it would turn NUL into U+FFFD, a same-length change the offset map
    could not tell from a copy.
    """
    if "\r" not in text and "\0" not in text:
        return text, None
    out = TextBuilder()
    pos = 0
    for m in regex.finditer(r"\r\n?|\0", text):
        out.copy(text[pos : m.start()], pos)
        if m.group() != "\0":
            out.replace("\n", m.start(), m.end())
        pos = m.end()
    out.copy(text[pos:], pos)
    return out.build()


def normalize_markdown(text: str) -> Normalized:
    """Clean text of a wiki-derived markdown document, with offsets into `text`."""
    text, source_map = _line_breaks(text)
    tokens = _parser().parse(text)
    starts = _line_starts(text)
    out = BlockWriter(drop_empty_sections=True)
    categories: list[str] = []
    kind = "paragraph"
    level = 1
    list_depth = table_depth = 0
    for tok in tokens:
        if tok.type in ("table_open", "table_close"):
            table_depth += 1 if tok.type == "table_open" else -1  # tables are dropped
        elif tok.type in ("code_block", "fence") and tok.map:
            # Pre-formatted text (indented lines of a converted page) is still text.
            first = tok.map[0] + (1 if tok.type == "fence" else 0)
            content = _Content(tok.content.rstrip("\n"), text, starts, first)
            out.start("paragraph")
            for line_start, src in content.starts:
                end = content.text.find("\n", line_start)
                line = content.text[line_start : None if end < 0 else end]
                out.text(line, src)
                out.space(src + len(line), src + len(line) + 1)  # the line break
            out.finish()
        elif tok.type == "heading_open":
            kind, level = "heading", int(tok.tag[1:])
        elif tok.type == "list_item_open":
            list_depth += 1
        elif tok.type == "list_item_close":
            list_depth -= 1
        elif tok.type == "paragraph_open":
            kind = "list_item" if list_depth else "paragraph"
        elif tok.type == "inline" and tok.map and not table_depth:
            out.start(kind, level)
            _inline(tok, _Content(tok.content, text, starts, tok.map[0]), out, categories)
            out.finish()
    body, offsets, blocks = out.build()
    cleaned, inner, blocks = drop_empty_brackets(body, blocks)
    if cleaned != body:
        body, offsets = cleaned, offsets.compose(inner)
    if source_map is not None:
        offsets = source_map.compose(offsets)
    metadata: dict[str, Any] = {}
    if blocks and blocks[0][2] == "paragraph":
        title = _first_strong(tokens)
        if title:
            metadata["title"] = title
    if categories:
        metadata["categories"] = categories
    return Normalized(
        text=body,
        offsets=offsets,
        blocks=[Block(s, e, k, "und") for s, e, k in blocks],  # type: ignore[arg-type]
        metadata=metadata,
    )


def _first_strong(tokens: list[Any]) -> str | None:
    """The bold phrase that opens the lead paragraph: the page's subject, as on Wikipedia."""
    for tok in tokens:
        if tok.type == "inline":
            children = tok.children or []
            lead = [c for c in children if c.content or c.type != "text"]
            if len(lead) >= 3 and lead[0].type == "strong_open" and lead[1].type == "text":
                return str(lead[1].content).strip() or None
            return None
    return None


def _inline(tok: Any, content: _Content, out: BlockWriter, categories: list[str]) -> None:
    rx = _rx()
    src = content.text
    dropped = [m.span() for m in rx["citation"].finditer(src)] if "\\[" in src else []
    if "[" in src or "{{" in src:  # what leftover_markup can match starts with one of them
        dropped += [m.span() for m in leftover_markup().finditer(src)]
    # The dropped ranges (none empty) as sorted disjoint runs, for a bisect per token instead
    # of a test of every range: a cited paragraph has a dozen, its text tokens dozens.
    starts, ends = _runs(dropped)
    runs = len(starts)
    cursor = 0
    category: list[str] | None = None  # label pieces of a category link being read
    base = content.base  # not None: one line, source offset = base + content offset
    find = src.find
    write = out.text

    def kept(at: int, end: int) -> list[tuple[int, int]]:
        """The parts of content[at:end] outside the dropped ranges."""
        parts = [(at, end)]
        # Ranges that miss [at, end) cut nothing: only the ones that meet it are applied.
        for a, b in [r for r in dropped if r[0] < end and r[1] > at]:
            parts = [
                piece
                for s, e in parts
                for piece in ((s, min(e, a)), (max(s, b), e))
                if piece[0] < piece[1]
            ]
        return parts

    for child in tok.children or ():
        kind = child.type
        if kind == "text" or kind == "code_inline":
            text = child.content
            if not text:
                continue
            at = find(text, cursor)
            if at < 0:
                continue
            cursor = at + len(text)
            run = bisect_right(ends, at)
            if run < runs and starts[run] < cursor:  # a dropped range meets the text
                for s, e in kept(at, cursor):
                    if category is not None:
                        category.append(src[s:e])
                    else:
                        write(src[s:e], content.source(s))
            elif category is not None:
                category.append(text)  # the one kept part, src[at:cursor], is the text
            else:
                write(text, base + at if base is not None else content.source(at))
        elif kind == "text_special":
            at = find(child.markup, cursor)
            if at < 0:
                continue
            cursor = at + len(child.markup)
            run = bisect_right(ends, at)
            if run < runs and starts[run] <= at:  # `at` is dropped
                continue
            if category is not None:
                category.append(child.content)
            else:
                out.replace(child.content, content.source(at), content.source(cursor))
        elif kind == "softbreak" or kind == "hardbreak":
            at = find("\n", cursor)
            if at >= 0:
                cursor = at + 1
                out.space(content.source(at), content.source(at) + 1)
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            label_start = find("[", cursor)
            label = src[label_start + 1 : label_start + 40] if label_start >= 0 else ""
            if "Category:" in href or "Category%3A" in href or label.startswith("Category:"):
                category = []
        elif kind == "link_close":
            close = find("](", cursor)
            m = rx["destination"].match(src, close) if close >= 0 else None
            if m:
                cursor = m.end()
            if category is not None:
                name = "".join(category).split(":", 1)[-1].strip()
                if name and name not in categories:
                    categories.append(name)
                category = None
        elif kind == "html_inline":
            at = find(child.content, cursor)
            if at >= 0:
                cursor = at + len(child.content)
        # emphasis and strong markers show nothing; images are dropped


def _runs(ranges: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The starts and ends of the union of non-empty `ranges`, as sorted disjoint runs."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(ranges):
        if starts and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends
