"""MediaWiki wikitext to clean text, by walking mwparserfromhell's node tree.

`strip_code()` leaves markup behind and loses what templates such as
`{{lang}}` and `{{convert}}` show; so we walk the tree ourselves: link labels
are kept, headings and list items become blocks, templates are dropped unless
an allow-list (`data/normalize/templates.tsv`) says how they render, infobox
fields go to `metadata.infobox`, categories to `metadata.categories`, gallery
captions become paragraphs, and refs, tables, files, magic words and comments
go. Chinese conversion markup `-{…}-` is resolved first, to the variant asked
for or the one the page is written in; the page's word rules (`{{noteTA}}`,
`-{H|…}-`) are applied to the clean text last.

mwparserfromhell nodes carry no offsets, but `str(node)` round-trips exactly,
so every node's position is the running sum of its predecessors' lengths.
The tokenizer is quadratic on unclosed constructs and slow on giant lines:
pages that would make it hang are handed to the plain normalizer, whole.

Plain links (`[[target]]`, `[[target|label]]`, no namespace, no markup inside) are
most of a page's nodes and half of the tree builder's time; `_mask_links` hides them
from the parser behind private-use characters of the same length, and the walker
reads them back from the source where it meets them in text.

The walker reads mwparserfromhell's tokens rather than its tree (`_Walker.walk_tokens`):
text, list markers, entities, plain headings and links, and infoboxes need no node; other
constructs are built one by one from their own tokens, as the whole page's tree holds them.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

import mwparserfromhell
import regex
from mwparserfromhell.definitions import PARSER_BLACKLIST
from mwparserfromhell.nodes import (
    ExternalLink,
    Heading,
    HTMLEntity,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.parser import CTokenizer, use_c
from mwparserfromhell.parser import tokens as mwt
from mwparserfromhell.parser.builder import Builder
from mwparserfromhell.parser.tokenizer import Tokenizer
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
MAX_CONVERT_VALUES = 5  # {{convert|1|x|2|x|3|…}}: Module:Convert takes at most 5 amounts
NOTE_TA = "noteta"  # zh: the page's conversion groups and word rules

# Tags whose content is not running text.
_DROP_TAGS = frozenset(
    "ref references math chem ce timeline graph score templatedata imagemap "
    "mapframe maplink syntaxhighlight source hiero inputbox categorytree includeonly "
    "table tr td th caption style script".split()
)
_REF = r"<ref\b[^<>]*/>|<ref\b[^<>/]*>.*?</ref\s*>"
# Stray tags the tokenizer left as text (a lone </ref>), dropped with the inline noise.
_STRAY_TAG = (
    r"</?(?:ref|references|div|span|small|big|center|font|br|p|"
    r"sup|sub|b|i|u|s|blockquote|poem|onlyinclude|noinclude)\b"
)
_TABLE_TAGS = frozenset(("table", "tr", "td", "th", "caption"))
_LINE_MARKUP = frozenset("*#:;")
# Private-use characters a masked plain link is written with: a head, then one body character
# per further source character (same length, so every node keeps its position).
_LINK_HEAD, _LINK_BODY = "\ue000", "\ue001"
# The variant texts of conversion markup each variant shows, best first: MediaWiki's
# fallback chains (LanguageConverter for zh), then plain `zh`.
_ZH_VARIANTS = {
    "zh-Hant": ("zh-hant", "zh-tw", "zh-hk", "zh-mo", "zh"),
    "zh-Hans": ("zh-hans", "zh-cn", "zh-sg", "zh-my", "zh"),
    "zh-TW": ("zh-tw", "zh-hant", "zh-hk", "zh-mo", "zh"),
    "zh-HK": ("zh-hk", "zh-mo", "zh-hant", "zh-tw", "zh"),
    "zh-MO": ("zh-mo", "zh-hk", "zh-hant", "zh-tw", "zh"),
    "zh-CN": ("zh-cn", "zh-hans", "zh-sg", "zh-my", "zh"),
    "zh-SG": ("zh-sg", "zh-my", "zh-hans", "zh-cn", "zh"),
    "zh-MY": ("zh-my", "zh-sg", "zh-hans", "zh-cn", "zh"),
}


# Range separators of {{convert}} and how Module:Convert shows them (Template:Convert's
# documentation, "Ranges"), with the spaces around them: a dash unspaced, the words spaced.
_RANGE_SHOWN = {
    "-": "\u2013",
    "\u2013": "\u2013",
    "to": " to ",
    "to(-)": " to ",
    "to about": " to about ",
    "and": " and ",
    "and(-)": " and ",
    "&": " and ",
    "or": " or ",
    "by": " by ",
    "x": " \u00d7 ",
    "\u00d7": " \u00d7 ",
    "+/-": " \u00b1 ",
    "\u00b1": " \u00b1 ",
    "+": " + ",
    ",": ", ",
    ", and": ", and ",
    ", or": ", or ",
}


# Tokens that open and close a node (a tag closes self-closed or with its closing tag).
_OPENS = frozenset(
    (
        mwt.TemplateOpen,
        mwt.ArgumentOpen,
        mwt.WikilinkOpen,
        mwt.ExternalLinkOpen,
        mwt.HTMLEntityStart,
        mwt.HeadingStart,
        mwt.CommentStart,
        mwt.TagOpenOpen,
    )
)
_CLOSES = frozenset(
    (
        mwt.TemplateClose,
        mwt.ArgumentClose,
        mwt.WikilinkClose,
        mwt.ExternalLinkClose,
        mwt.HTMLEntityEnd,
        mwt.HeadingEnd,
        mwt.CommentEnd,
        mwt.TagCloseSelfclose,
        mwt.TagCloseClose,
    )
)


def _tokenize(text: str) -> list[Any]:
    """mwparserfromhell's tokens of `text`, from the tokenizer `mwparserfromhell.parse` uses."""
    tokenizer = CTokenizer() if use_c and CTokenizer else Tokenizer()
    return tokenizer.tokenize(text, 0, True)  # skip_style_tags: quotes stay text


def _construct_end(tokens: list[Any], i: int) -> int:
    """The index after the node whose tokens start at `tokens[i]` (`i + 1` for a lone token)."""
    depth, n = 0, len(tokens)
    while i < n:
        kind = type(tokens[i])
        i += 1
        if kind in _OPENS:
            depth += 1
        elif kind in _CLOSES:
            depth -= 1
        if depth <= 0:
            break
    return i


def _entity(tokens: list[Any], i: int) -> tuple[HTMLEntity, int]:
    """The entity whose tokens start at `tokens[i]`, as mwparserfromhell's builder makes it
    (`Builder._handle_entity`), and the index after its tokens."""
    token = tokens[i + 1]
    if type(token) is not mwt.HTMLEntityNumeric:
        return HTMLEntity(token.text, named=True, hexadecimal=False), i + 3
    token = tokens[i + 2]
    if type(token) is mwt.HTMLEntityHex:
        value = tokens[i + 3].text
        return HTMLEntity(value, named=False, hexadecimal=True, hex_char=token.char), i + 5
    return HTMLEntity(token.text, named=False, hexadecimal=False), i + 4


@dataclass(frozen=True)
class _Tables:
    templates: dict[str, tuple[str, str]]
    template_prefixes: list[tuple[str, tuple[str, str]]]
    prefix_keys: tuple[str, ...]  # the prefixes alone, for one `str.startswith`
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
        prefix_keys=tuple(pre for pre, _ in prefixes),
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
            rf"'{{2,}}|__[A-Z]{{3,}}__|{_STRAY_TAG}[^<>\n]{{0,200}}>", regex.I
        ),
        # What `_Walker.text` stops at: masked links, inline noise (not across a masked link,
        # as when the text is split at the links first) and line breaks.
        "events": regex.compile(
            rf"{_LINK_HEAD}{_LINK_BODY}*|'{{2,}}|__[A-Z]{{3,}}__"
            rf"|{_STRAY_TAG}[^<>\n{_LINK_HEAD}{_LINK_BODY}]{{0,200}}>|\n",
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
        # `re`, not `regex`: the same matches (ASCII classes, `^` after "\n" only), in 60 % of
        # the time; it runs over the whole page once, too_hard and prune share its matches.
        "table_line": re.compile(r"^[ \t:]*(\{\||\|\})[^\n]*", re.M),
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
        "gallery_split": regex.compile(r"\[\[|\]\]|\{\{|\}\}|\|"),
        "gallery_option": regex.compile(r"\s*(?:alt|link|page|class|lang)\s*=", regex.I),
        # A link the tokenizer is sure to read as a Wikilink node holding one Text node:
        # no namespace or URL (no colon), no entity, tag, template or nested link in it;
        # not where links are not parsed, in an open `{{` name, `[` link or `<` tag (the
        # nearest bracket, pipe or line break before it tells); not right after a free URL
        # (a word with a colon), which `[[` ends and a masked link would not.
        "plain_link": regex.compile(
            r"(?<![{\[<][^{}\[\]|<>\n]*)(?<!:[^\s\[\]<>\"]*)"
            r"\[\[([^\[\]{}<>\n|&:]+)(?:\|([^\[\]{}<>\n|&:]*))?\]\]"
        ),
        "masked_link": regex.compile(f"{_LINK_HEAD}{_LINK_BODY}*"),
        # Tags whose content the tokenizer keeps as text (and `<!--` it may not close).
        "unparsed": regex.compile(rf"<!--|<\s*/?\s*(?:{'|'.join(PARSER_BLACKLIST)})\b", regex.I),
    }


def _key(name: str) -> str:
    """Template or namespace name as MediaWiki compares it: spaces for underscores, any case."""
    return " ".join(name.replace("_", " ").split()).lower()


def too_hard(text: str, table_lines: list[Any] | None = None) -> str | None:
    """Why the tokenizer should not see `text` (it would hang), or None.

    `table_lines`: the matches of `rx["table_line"]` in `text`, when the caller has them.
    """
    if len(text) > MAX_LINE:  # no line of a shorter text can be too long
        longest = max((len(line) for line in text.split("\n")), default=0)
        if longest > MAX_LINE:
            return f"a line of {longest} characters"
    depth = deepest = unclosed = 0
    tags = 0
    for tok in _rx()["opener"].findall(text):
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
    if table_lines is None:
        table_lines = list(_rx()["table_line"].finditer(text))
    for m in table_lines:
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
        or key.startswith(tables.prefix_keys)
    )


def prune(
    text: str, keep_tables: bool = False, table_lines: list[Any] | None = None
) -> tuple[str, OffsetMap]:
    """Cut comments, refs and top-level templates that show nothing, before the tokenizer runs.

    mwparserfromhell's tree builder, not its C tokenizer, takes most of the
    time, and citations are a quarter of a typical page. Templates are matched
    by counting braces, tables by their lines; a page with `{{{…}}}` arguments or unbalanced braces
    keeps its templates for the parser to judge. `table_lines` as for `too_hard`.
    """
    cuts = _comment_ref_cuts(text)
    if not keep_tables:
        cuts.extend(_table_cuts(text, table_lines))
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


def _comment_ref_cuts(text: str) -> list[tuple[int, int]]:
    """The matches `rx["cut"].finditer` gives, tried only where one can start.

    Each starts at a `<` or at the spaces right before one, so the pattern is tried
    there alone instead of at every character (a tenth of the time).
    """
    cut = _rx()["cut"]
    out: list[tuple[int, int]] = []
    pos = 0
    while (i := text.find("<", pos)) >= 0:
        j = i
        while j > pos and text[j - 1] in " \t":
            j -= 1
        # From the first of the spaces (a ref that takes them along), else from the `<`:
        # at any space in between the pattern fails as it does at the first.
        m = (cut.match(text, j) if j < i else None) or cut.match(text, i)
        if m:
            out.append((m.start(), m.end()))
            pos = m.end()
        else:
            pos = i + 1
    return out


def _table_cuts(text: str, table_lines: list[Any] | None = None) -> list[tuple[int, int]]:
    """Whole-line tables, `{|` to its `|}` (nested ones included), found by their lines."""
    out: list[tuple[int, int]] = []
    depth = 0
    start = 0
    if table_lines is None:
        table_lines = list(_rx()["table_line"].finditer(text))
    for m in table_lines:
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


def _mask_links(text: str) -> tuple[str, dict[int, tuple[str, str | None]]]:
    """`text` with its plain links written in private-use characters, and {start: (target,
    label or None)} of each; `text` unchanged when it has no such link or may not be masked.

    The parser then sees a run of text where it would have built a Wikilink node around a
    Text node, which is all the walker did with it (`_Walker.masked_link`).
    """
    rx = _rx()
    if _LINK_HEAD in text or _LINK_BODY in text or rx["unparsed"].search(text):
        return text, {}
    links: dict[int, tuple[str, str | None]] = {}
    parts: list[str] = []
    pos = 0
    for m in rx["plain_link"].finditer(text):
        if not m.group(1).strip():
            continue  # `[[ ]]`: left to the parser
        links[m.start()] = (m.group(1), m.group(2))
        parts += (text[pos : m.start()], _LINK_HEAD, _LINK_BODY * (m.end() - m.start() - 1))
        pos = m.end()
    if not links:
        return text, {}
    parts.append(text[pos:])
    return "".join(parts), links


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


def resolve_conversion(
    text: str, variant: str, rules: list[dict[str, str]] | None = None
) -> tuple[str, OffsetMap]:
    """Resolve `-{…}-` language-conversion markup to `variant` (zh-Hant or zh-Hans).

    `-{zh-hans:A; zh-hant:B;}-` shows the text for the page's variant, `-{X}-`
    shows X unconverted, and the flagged forms that only declare rules
    (`-{H|…}-`, `-{T|…}-`, `-{D|…}-`) show nothing. The word pairs of hidden
    rules (`-{H|zh-cn:A;zh-tw:B;}-`, which hold for the whole page) are appended
    to `rules`, to be applied to the page's text (`apply_rules`).
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
                if letters == "H" and rules is not None:
                    words = _rule_words(body[flags.end() :])
                    if words:
                        rules.append(words)
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


def _rule_words(body: str) -> dict[str, str]:
    """`zh-cn:软件;zh-tw:軟體;` as {variant: word}; {} if `body` is no rule list."""
    return {v: word for v, (_at, word) in _variant_choices(body, 0).items() if word}


def _rule_table(rules: list[dict[str, str]], variant: str) -> dict[str, str]:
    """{word as written: word of `variant`} from conversion rules (a later rule wins a word).

    A rule with no word for `variant` (nor for plain `zh`) converts nothing. A one-character
    word swapped for one character is left as written: in the span format
    (`offsets.py`) a one-character replacement of a one-character source looks like a copy.
    """
    preferred = _ZH_VARIANTS.get(variant, ("zh",))
    table: dict[str, str] = {}
    for words in rules:
        target = next((words[v] for v in preferred if v in words), None)
        if target is None:
            continue
        for word in words.values():
            if word != target and not (len(word) == len(target) == 1):
                table[word] = target
    return table


def apply_rules(
    text: str, rules: list[dict[str, str]], variant: str
) -> tuple[str, OffsetMap, list[tuple[int, int, int]]]:
    """Convert the words of `rules` (noteTA's `1=`, `-{H|…}-`) to `variant` in `text`.

    Returns the text, its map onto `text` and, for each converted word, its (start, end) in
    `text` and the length of its replacement. Longest words first, as MediaWiki's converter.
    A converted word stands for the word it replaces as a whole; when both have the same
    length each character gets its own span onto the whole source word, so no span looks
    like a copy (equal lengths) while showing other characters.
    """
    table = _rule_table(rules, variant)
    if not table:
        return text, OffsetMap.identity(len(text)), []
    words = regex.compile("|".join(regex.escape(w) for w in sorted(table, key=len, reverse=True)))
    out = TextBuilder()
    done: list[tuple[int, int, int]] = []
    pos = 0
    for m in words.finditer(text):
        out.copy(text[pos : m.start()], pos)
        target = table[m.group()]
        if len(target) == len(m.group()):
            for ch in target:
                out.replace(ch, m.start(), m.end())
        else:
            out.replace(target, m.start(), m.end())
        done.append((m.start(), m.end(), len(target)))
        pos = m.end()
    out.copy(text[pos:], pos)
    new_text, offsets = out.build()
    return new_text, offsets, done


def _moved(points: list[int], changes: list[tuple[int, int]], lengths: list[int]) -> list[int]:
    """Positions of the old text in the new one, after `changes[i]` (sorted, disjoint) became
    `lengths[i]` characters long. A position inside a changed range moves to its end."""
    ends = [end for _start, end in changes]
    shift = [0]
    for (start, end), n in zip(changes, lengths, strict=True):
        shift.append(shift[-1] + n - (end - start))
    out = []
    for p in points:
        i = bisect_right(ends, p)  # changes ending at or before p
        inside = i < len(changes) and changes[i][0] < p
        out.append(changes[i][0] + shift[i] + lengths[i] if inside else p + shift[i])
    return out


class _Walker:
    """Walks a node tree, feeding kept text to a BlockWriter with source positions."""

    def __init__(
        self,
        keep_tables: bool = False,
        source: str = "",
        links: dict[int, tuple[str, str | None]] | None = None,
    ) -> None:
        self.keep_tables = keep_tables
        self.source = source  # the text before `_mask_links`, for reading masked links back
        self.links = links or {}
        self.tables = _tables()
        self.rx = _rx()
        self.out = BlockWriter(drop_empty_sections=True)
        self.categories: list[str] = []
        self.infobox: dict[str, str] = {}
        self.conversion: dict[str, list[Any]] = {}
        self.rules: list[dict[str, str]] = []  # conversion word pairs for the whole page
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
            pos = self._walk_node(node, pos)

    def _walk_node(self, node: Any, pos: int) -> int:
        """A node other than plain text at `pos`: walked (outside tables), its end returned."""
        end = pos + len(str(node))
        if not self.table_depth:
            self.node(node, pos)
        if not (isinstance(node, Tag) and node.wiki_markup in _LINE_MARKUP):
            self.line_start = False
        return end

    def walk_tokens(self, tokens: list[Any], pos: int) -> int:
        """What `walk` does with the tree the tokens build, building only what needs a node.

        Most of a page is text, list markers, entities, headings with a plain title and
        links with a plain title: those are read from their tokens. Any other construct is
        built on its own by mwparserfromhell's builder, from its tokens (the builder reads
        a node's tokens and nothing around them, so it is the node the whole page's build
        makes) and walked as `walk` walks it. Returns the position after the tokens.
        """
        text_token, n, i = mwt.Text, len(tokens), 0
        builder = Builder()
        while i < n:
            token = tokens[i]
            kind = type(token)
            if kind is text_token:
                self.text(token.text, pos)
                pos += len(token.text)
                i += 1
                continue
            shape = [type(t) for t in tokens[i + 1 : i + 3]]
            if kind is mwt.TagOpenOpen and shape == [text_token, mwt.TagCloseSelfclose]:
                markup = token.wiki_markup
                if markup in _LINE_MARKUP and len(token) == 1 and not tokens[i + 2]:
                    # `*` `#` `:` `;` at a line's start: the Tag is only its markup.
                    if not self.table_depth:
                        self.out.start("list_item" if markup in "*#" else "paragraph")
                    pos += len(markup)
                    i += 3
                    continue
            elif kind is mwt.HeadingStart and shape == [text_token, mwt.HeadingEnd]:
                title = tokens[i + 1].text
                if not self.table_depth:
                    self.out.start("heading", token.level)
                    self.text(title, pos + token.level)
                    self.out.finish()
                    self.newlines = 1
                self.line_start = False
                pos += 2 * token.level + len(title)
                i += 3
                continue
            elif kind is mwt.HTMLEntityStart:
                node, i = _entity(tokens, i)
                if not self.table_depth:
                    self.node(node, pos)
                self.line_start = False
                pos += len(str(node))
                continue
            elif kind is mwt.TemplateOpen:
                read = self._infobox_tokens(tokens, i, pos)
                if read is not None:
                    i, pos = read
                    self.line_start = False
                    continue
            elif kind is mwt.WikilinkOpen and shape == [text_token, mwt.WikilinkClose]:
                title = tokens[i + 1].text
                if not self.table_depth:
                    self._wikilink(title, None, pos)
                self.line_start = False
                pos += len(title) + 4  # [[ ]]
                i += 3
                continue
            elif kind is mwt.WikilinkOpen and [type(t) for t in tokens[i + 1 : i + 5]] == [
                text_token,
                mwt.WikilinkSeparator,
                text_token,
                mwt.WikilinkClose,
            ]:
                title, label = tokens[i + 1].text, tokens[i + 3].text
                if not self.table_depth:
                    self._wikilink(title, label, pos)
                self.line_start = False
                pos += len(title) + len(label) + 5  # [[ | ]]
                i += 5
                continue
            elif kind is mwt.ExternalLinkOpen and token.brackets in (True, False):
                read = self._external_link_tokens(tokens, i, pos)
                if read is not None:
                    i, pos = read
                    self.line_start = False
                    continue
            j = _construct_end(tokens, i)
            for node in builder.build(tokens[i:j]).nodes:
                pos = self._walk_node(node, pos)
            i = j
        return pos

    def _external_link_tokens(self, tokens: list[Any], i: int, pos: int) -> tuple[int, int] | None:
        """What `node` does with an external link of a plain URL and a plain label (or none)
        whose tokens start at `tokens[i]`: (index, position) after it, else None."""
        brackets = tokens[i].brackets
        shape = [type(t) for t in tokens[i + 1 : i + 5]]
        if shape[:2] == [mwt.Text, mwt.ExternalLinkClose]:
            url = tokens[i + 1].text
            if not brackets and not self.table_depth:
                self.newlines = 0
                self.out.text(url, pos)
            return i + 3, pos + len(url) + (2 if brackets else 0)  # a bare [url] shows nothing
        if brackets and shape == [
            mwt.Text,
            mwt.ExternalLinkSeparator,
            mwt.Text,
            mwt.ExternalLinkClose,
        ]:
            url, title = tokens[i + 1].text, tokens[i + 3].text
            gap = 0 if tokens[i + 2].suppress_space is True else 1
            if not self.table_depth:
                self.newlines = 0
                self.text(title, pos + 1 + len(url) + gap)
            return i + 5, pos + len(url) + gap + len(title) + 2  # [ ]
        return None

    def _infobox_tokens(self, tokens: list[Any], i: int, pos: int) -> tuple[int, int] | None:
        """An infobox whose tokens start at `tokens[i]`, read as `template` and `_infobox` read
        its node, each value walked from its tokens; (index, position) after it, or None
        when it is no infobox or its name or a parameter name is more than text.

        Infoboxes are the largest templates kept, and their values are only walked for
        their text: building their nodes cost more than the rest of the tree.
        """
        j = _construct_end(tokens, i)
        if type(tokens[j - 1]) is not mwt.TemplateClose:
            return None
        parts: list[tuple[list[Any], int]] = []  # a part's tokens, its `=` (-1: none)
        part: list[Any] = []
        equals = -1
        depth = 0
        for token in tokens[i + 1 : j - 1]:
            kind = type(token)
            if not depth:
                if kind is mwt.TemplateParamSeparator:
                    parts.append((part, equals))
                    part, equals = [], -1
                    continue
                if kind is mwt.TemplateParamEquals:
                    if equals >= 0:
                        return None  # the builder's second key: left to it
                    equals = len(part)
            if kind in _OPENS:
                depth += 1
            elif kind in _CLOSES:
                depth -= 1
            part.append(token)
        parts.append((part, equals))
        name_tokens = parts[0][0]
        if not name_tokens or any(type(t) is not mwt.Text for t in name_tokens):
            return None
        raw_name = "".join(t.text for t in name_tokens)
        key = _key(raw_name)
        if ":" in key or not key.startswith(self.tables.infobox_prefixes):
            return None
        params: dict[str, tuple[bool, _Walker]] = {}
        default = 1  # a positional parameter's name, as the builder numbers them
        p = pos + 2 + len(raw_name)
        for part, equals in parts[1:]:
            p += 1  # the "|"
            if equals < 0:
                name, value, value_pos = str(default), part, p
                default += 1
            else:
                if any(type(t) is not mwt.Text for t in part[:equals]):
                    return None
                name = "".join(t.text for t in part[:equals])
                value, value_pos = part[equals + 1 :], p + len(name) + 1
            sub = _Walker(source=self.source, links=self.links)
            end = sub.walk_tokens(value, value_pos)
            params[self.unmasked(name, p).strip()] = (equals >= 0, sub)
            p = end
        if not self.table_depth:
            for name, (showkey, sub) in params.items():
                if not showkey:
                    continue
                text, _offsets, _blocks = sub.out.build()
                value_text = " ".join(text.split())
                if value_text and name not in self.infobox:
                    self.infobox[name] = value_text
        return j, p + 2  # the "}}"

    def text(self, value: str, pos: int) -> None:
        """A Text node: what `_text` does with its pieces between masked links, and the links.

        Without a `|` (no row marker or table edge) one pass of `rx["events"]` finds the
        masked links, quotes, magic words, stray tags and line breaks in text order, and the
        pieces between them are written as `_inline` writes them: the same calls the split by
        links, then by noise, then by lines makes, without the three levels of slicing.
        """
        if "|" in value or (_LINK_HEAD in value and not self.links):
            self._split_links(value, pos)  # a PUA character of the page's own is text
            return
        if not (
            "'" in value or "_" in value or "<" in value or "\n" in value or _LINK_HEAD in value
        ):
            self._plain(value, pos)  # what _inline does with it
            return
        start = 0
        for m in self.rx["events"].finditer(value):
            at = m.start()
            if at > start:
                piece = value[start:at]
                self.line_start = False
                if not self.table_depth:
                    if not piece.isspace():
                        self.newlines = 0
                    self.out.text(piece, pos + start)
            tok = m.group()
            if tok == "\n":
                self.line_start = True
                if not self.table_depth:
                    self.newline(pos + at)
            elif tok[0] == _LINK_HEAD:
                self.masked_link(pos + at)
            elif tok.startswith("'''") and not self.table_depth:
                self.bold_ranges.append(self.out.position)
            start = m.end()
        if start < len(value):
            piece = value[start:]
            self.line_start = False
            if not self.table_depth:
                if not piece.isspace():
                    self.newlines = 0
                self.out.text(piece, pos + start)

    def _split_links(self, value: str, pos: int) -> None:
        if self.links and _LINK_HEAD in value:
            # Text and masked links, handled as the Text, Wikilink, Text nodes they stand for.
            start = 0
            for m in self.rx["masked_link"].finditer(value):
                if m.start() > start:
                    self._text(value[start : m.start()], pos + start)
                self.masked_link(pos + m.start())
                start = m.end()
            if start < len(value):
                self._text(value[start:], pos + start)
            return
        self._text(value, pos)

    def masked_link(self, pos: int) -> None:
        """A plain link `_mask_links` hid: what `walk` and `wikilink` do with its node."""
        title, label = self.links[pos]
        if not self.table_depth:
            self.newlines = 0
            if label is not None:
                if label:
                    self._text(label, pos + 2 + len(title) + 1)
            else:
                lead = len(title) - len(title.lstrip(" :"))
                self.out.text(title[lead:].split("#")[0] or title[lead:], pos + 2 + lead)
        self.line_start = False

    def unmasked(self, value: str, pos: int) -> str:
        """`value`, the text of a node at `pos`, with its masked links as they were written."""
        if self.links and _LINK_HEAD in value:
            return self.source[pos : pos + len(value)]
        return value

    def _plain(self, value: str, pos: int) -> None:
        """Text with no markup, newline or table cell in it: written as it stands."""
        if value:
            self.line_start = False
            if not self.table_depth:
                if not value.isspace():
                    self.newlines = 0
                self.out.text(value, pos)

    def _text(self, value: str, pos: int) -> None:
        if not ("'" in value or "_" in value or "<" in value or "|" in value or "\n" in value):
            # What _lines and _inline do with one line that has no "|", inline: the usual case.
            self._plain(value, pos)
            return
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
            if "|" not in line:  # no row marker, no table edge
                self._inline(line, pos)
                pos += len(line) + 1
                continue
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
        if not text:
            return  # an empty line: nothing to write, and no text on it
        self.line_start = False
        if not self.table_depth:
            if not text.isspace():
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
        self._wikilink(str(node.title), node.text, pos)

    def _wikilink(self, title: str, label: Wikicode | str | None, pos: int) -> None:
        """A link `[[title|label]]` at `pos` (`label` None: no `|`; a str: one Text node)."""
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
            if self.rx["interlanguage"].fullmatch(ns + ":") and label is None:
                return
        self.newlines = 0
        if isinstance(label, str):
            self.text(label, pos + 2 + len(title) + 1)  # what `walk` does with its Text node
        elif label is not None:
            self.walk(label, pos + 2 + len(title) + 1)
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
        if name == "gallery":
            self._gallery(str(node.contents), pos + offset)
        elif keep_table:
            self._table_part(node, name, pos + offset)
        else:
            self.walk(node.contents, pos + offset)

    def _gallery(self, contents: str, pos: int) -> None:
        """`<gallery>` lines `File:X.jpg|alt=…|A caption`: each caption is a paragraph block.

        As MediaWiki reads a line: the file name up to the first `|`, then options (`alt=`,
        `link=`, `page=`, `class=`, `lang=`) and the caption, the last other part; pipes
        inside links and templates do not split it.
        """
        self.out.finish()
        for line in contents.split("\n"):
            parts = self._top_level_parts(line)
            captions = [
                (a, b) for a, b in parts[1:] if not self.rx["gallery_option"].match(line, a)
            ]
            if captions:
                start, end = captions[-1]
                self.out.start("paragraph")
                self.walk(
                    mwparserfromhell.parse(line[start:end], skip_style_tags=True), pos + start
                )
                self.out.finish()
            pos += len(line) + 1
        self.newlines = 1

    def _top_level_parts(self, line: str) -> list[tuple[int, int]]:
        """(start, end) of the parts of `line` between `|` outside `[[…]]` and `{{…}}`."""
        parts = []
        depth = start = 0
        for m in self.rx["gallery_split"].finditer(line):
            tok = m.group()
            if tok in ("[[", "{{"):
                depth += 1
            elif tok in ("]]", "}}"):
                depth = max(0, depth - 1)
            elif not depth:
                parts.append((start, m.start()))
                start = m.end()
        parts.append((start, len(line)))
        return parts

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
            params[self.unmasked(str(param.name), p).strip()] = (param, value_pos)
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
                if found and self.unmasked(str(found[0].value), found[1]).strip():
                    self.walk(found[0].value, found[1])
                    break
        elif kind == "convert":
            self._convert(params)

    def _convert(self, params: dict[str, tuple[Any, int]]) -> None:
        """`{{convert|400|to|670|mm|…}}` shows "400 to 670 mm": the values and unit as written.

        Ranges as Module:Convert shows them: `-` becomes an unspaced en dash (10–20 km),
        `+/-` ±, `x` ×, `&` and, `to(-)`/`and(-)` their word; several separators
        (`1|x|2|x|3|m`) make a longer range. The converted amount is not shown: it needs
        the module's unit table and rounding rules.
        """
        positional = [params.get(str(i)) for i in range(1, 2 * MAX_CONVERT_VALUES + 1)]
        first = positional[0]
        if first is None:
            return
        self.walk(first[0].value, first[1])
        i = 1
        while i + 2 < len(positional) and positional[i] and positional[i + 1]:
            sep_param, sep_pos = positional[i]  # type: ignore[misc]
            raw = self.unmasked(str(sep_param.value), sep_pos)
            shown = _RANGE_SHOWN.get(raw.strip().lower())
            if shown is None:
                break
            written = raw.strip()
            at = sep_pos + len(raw) - len(raw.lstrip())
            core = shown.strip()
            if shown.startswith(" "):
                self.out.gap()
            if core == written:
                self.out.text(core, at)
            elif len(core) != len(written):
                self.out.replace(core, at, at + len(written))
            else:
                # A span of equal length reads as a copy: `-` → `–` stands for `|-|`.
                self.out.replace(core, sep_pos - 1, sep_pos + len(raw) + 1)
            if shown.endswith(" "):
                self.out.gap()
            value, value_pos = positional[i + 1]  # type: ignore[misc]
            self.walk(value.value, value_pos)
            i += 2
        unit = positional[i]
        if unit and str(unit[0].value).strip():
            self.out.gap()
            self.walk(unit[0].value, unit[1])

    def _note_ta(self, params: dict[str, tuple[Any, int]]) -> None:
        """`{{noteTA|G1=IT|1=zh-cn:软件;zh-tw:軟體;}}` shows nothing; it declares conversions.

        Its word rules (`1=`, `2=` …) go to `self.rules`, applied to the whole page's text
        (`apply_rules`), and to `metadata.conversion.rules`. Its groups (`G1=IT`) name
        conversion tables that live on the wiki (Module:CGroup/IT): they are listed in
        `metadata.conversion.groups` and not applied.
        """
        for name, (param, pos) in params.items():
            value = self.unmasked(str(param.value), pos).strip()
            if name.startswith("G") and value:
                self.conversion.setdefault("groups", []).append(value)
            elif name.isdigit():
                words = _rule_words(value)
                if words:
                    self.rules.append(words)
                    self.conversion.setdefault("rules", []).append(words)

    def _infobox(self, params: dict[str, tuple[Any, int]]) -> None:
        for name, (param, pos) in params.items():
            if not param.showkey:
                continue
            sub = _Walker(source=self.source, links=self.links)
            sub.walk(param.value, pos)
            text, _offsets, _blocks = sub.out.build()
            value = " ".join(text.split())
            if value and name not in self.infobox:
                self.infobox[name] = value


def normalize_wikitext(
    text: str, variant: str | None = None, keep_tables: bool = False
) -> Normalized:
    """Clean text of a wikitext page; `variant` (zh-Hant/zh-Hans) resolves `-{…}-` markup
    and the page's conversion rules (`{{noteTA}}`, `-{H|…}-`).

    Tables are dropped, or with `keep_tables` become `table` blocks (a row
    each, cells joined by " | ") and `caption` blocks.

    Raises `TooHard` when the page would stall the tokenizer; the caller
    degrades to plain text.
    """
    # The table lines of the page, for too_hard and, when nothing below changes it, prune.
    table_lines: list[Any] | None = list(_rx()["table_line"].finditer(text))
    reason = too_hard(text, table_lines)
    if reason:
        raise TooHard(reason)
    source_map: OffsetMap | None = None  # from the page to the text the tokenizer sees
    if text.count("&lt;") > text.count("<"):
        text, source_map = unescape_xml(text)
        table_lines = None
    variant = variant or "zh-Hant"
    hidden_rules: list[dict[str, str]] = []
    if "-{" in text:
        text, inner = resolve_conversion(text, variant, hidden_rules)
        table_lines = None
        source_map = inner if source_map is None else source_map.compose(inner)
    text, inner = prune(text, keep_tables, table_lines)
    source_map = inner if source_map is None else source_map.compose(inner)
    masked, links = _mask_links(text)
    walker = _Walker(keep_tables, text, links)
    walker.walk_tokens(_tokenize(masked), 0)
    out, offsets, blocks = walker.out.build()
    rules = hidden_rules + walker.rules
    if rules:
        out, inner, changes = apply_rules(out, rules, variant)
        if changes:
            offsets = offsets.compose(inner)
            spans = [(start, end) for start, end, _n in changes]
            lengths = [n for _start, _end, n in changes]
            ends = _moved([b[0] for b in blocks] + [b[1] for b in blocks], spans, lengths)
            blocks = [(ends[i], ends[i + len(blocks)], b[2]) for i, b in enumerate(blocks)]
            walker.bold_ranges = _moved(walker.bold_ranges, spans, lengths)
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
