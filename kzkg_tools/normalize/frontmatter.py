"""Front matter of Markdown pages: the YAML (`---`) or TOML (`+++`) block static-site
generators (Hugo, Jekyll, MkDocs, Docusaurus) put before the text.

It is metadata, not text: `read` finds it, parses it with PyYAML's safe loader or the
standard library's `tomllib`, and returns its fields as (key, value) string pairs, nested
tables flattened to dotted keys (`params.id`) and lists of scalars as one pair per item,
in source order; `mask` blanks it out of the page (line breaks kept, so every offset of the
rest stays what it was). The pairs are what `--group-by meta:KEY` reads, so pages that a site
links as translations of each other (Hugo's `translationKey`, a shared `id` or `slug`) are
aligned with each other wherever they sit.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from kzkg_tools import console

# The opening line, the block and its closing line: YAML ends with `---` or `...`, TOML with
# `+++` (Hugo's rules; a UTF-8 BOM before it is allowed).
_OPEN = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n")
_CLOSE = {
    "---": re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M),
    "+++": re.compile(r"^\+\+\+[ \t]*\r?$", re.M),
}

# Front matter is a few lines of settings; a block larger than this is not front matter but a
# page that happens to start with a rule, and parsing it would cost time for nothing.
MAX_CHARS = 64 * 1024

# At most this many pairs are kept: a YAML alias bomb parses into a small graph of shared
# nodes, but flattening it would visit each node once per path to it (exponential).
MAX_PAIRS = 1000


@dataclass
class FrontMatter:
    """The block's extent in the page (`end` is just after its closing line) and its fields."""

    end: int
    pairs: list[tuple[str, str]]


def _extent(text: str) -> tuple[str, int, int, int] | None:
    """(fence, body start, body end, block end) of the front matter opening `text`."""
    opening = _OPEN.match(text)
    if opening is None:
        return None
    fence = opening.group(1)
    closing = _CLOSE[fence].search(text, opening.end(), opening.end() + MAX_CHARS)
    if closing is None:
        return None
    end = closing.end()
    if text.startswith("\r\n", end):
        end += 2
    elif text.startswith("\n", end):
        end += 1
    return fence, opening.end(), closing.start(), end


def present(text: str) -> bool:
    """Whether `text` opens with front matter (which makes it a Markdown page)."""
    return _extent(text) is not None


def read(text: str, path: str = "-") -> FrontMatter | None:
    """The page's front matter, or None when it has none.

    A block that does not parse is still not text: it is masked, a warning names the file
    and line, and it gives no pairs."""
    extent = _extent(text)
    if extent is None:
        return None
    fence, start, stop, end = extent
    try:
        data = _parse(text[start:stop], fence)
    except (ValueError, RecursionError) as err:  # yaml.YAMLError is a ValueError below
        console.warn(f"{path}:1: front matter does not parse ({_first_line(err)}); skipped")
        return FrontMatter(end, [])
    pairs: list[tuple[str, str]] = []
    if isinstance(data, dict):
        _flatten(data, "", pairs)
    return FrontMatter(end, pairs)


def mask(text: str, front: FrontMatter) -> str:
    """`text` with its front matter blanked: every character but line breaks becomes a space,
    so a Markdown parser sees blank lines and every later offset is unchanged."""
    head = text[: front.end]
    return re.sub(r"[^\r\n]", " ", head) + text[front.end :]


def value(pairs: list[dict[str, str]] | None, key: str) -> str | None:
    """The first value of `key` among a document's `metadata["front_matter"]` pairs."""
    for pair in pairs or ():
        if pair.get("key") == key:
            return pair.get("value")
    return None


def _parse(body: str, fence: str) -> Any:
    if fence == "+++":
        try:
            return tomllib.loads(body)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(str(err)) from err
    import yaml

    try:
        return yaml.safe_load(body)
    except yaml.YAMLError as err:
        raise ValueError(str(err)) from err


def _first_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__


def _flatten(data: dict[Any, Any], prefix: str, out: list[tuple[str, str]]) -> None:
    for key, item in data.items():
        if len(out) >= MAX_PAIRS:
            return
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            _flatten(item, f"{name}.", out)
        elif isinstance(item, list):
            for element in item:
                if len(out) >= MAX_PAIRS:
                    return
                scalar = _scalar(element)
                if scalar is not None:
                    out.append((name, scalar))
        else:
            scalar = _scalar(item)
            if scalar is not None:
                out.append((name, scalar))


def _scalar(item: Any) -> str | None:
    """A scalar as text (YAML and TOML give dates, numbers and booleans typed); None for
    nested lists and tables inside lists, and for nulls."""
    if item is None or isinstance(item, (dict, list)):
        return None
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (datetime.date, datetime.time)):
        return item.isoformat()
    return str(item)
