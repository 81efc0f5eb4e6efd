"""Markdown front matter (YAML `---` or TOML `+++`): metadata, not text, offsets unchanged."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kzkg_tools.cli import cli
from kzkg_tools.normalize import NormalizeOptions, frontmatter, normalize_file

YAML_PAGE = (
    "---\n"
    'title: "Astana"\n'
    "translationKey: capital\n"
    "date: 2024-03-05\n"
    "draft: false\n"
    "tags: [city, capital]\n"
    "params:\n"
    "  id: 42\n"
    "---\n"
    "\n"
    "# Astana\n"
    "\n"
    "Astana has been the capital since 1997.\n"
)
TOML_PAGE = '+++\r\ntitle = "Астана"\r\nweight = 3\r\n+++\r\nАстана 1997 жылдан бері астана.\r\n'


def _pairs(doc: object) -> list[tuple[str, str]]:
    return [(p["key"], p["value"]) for p in doc.metadata.get("front_matter", [])]  # type: ignore[attr-defined]


def _replay(source: str, doc: object) -> None:
    """Every span of a copied range shows exactly its source."""
    for t0, t1, s0, s1 in doc.spans:  # type: ignore[attr-defined]
        if t1 - t0 == s1 - s0:
            assert doc.text[t0:t1] == source[s0:s1], (t0, s0)  # type: ignore[attr-defined]


def test_yaml_front_matter_is_metadata_not_text() -> None:
    doc = normalize_file("page.md", YAML_PAGE, NormalizeOptions())
    assert doc.format == "markdown"
    assert doc.text == "Astana\n\nAstana has been the capital since 1997."
    assert _pairs(doc) == [
        ("title", "Astana"),
        ("translationKey", "capital"),
        ("date", "2024-03-05"),
        ("draft", "false"),
        ("tags", "city"),
        ("tags", "capital"),
        ("params.id", "42"),
    ]
    _replay(YAML_PAGE, doc)
    first = next(iter(doc.spans))
    assert first[2] == YAML_PAGE.index("Astana\n\nAstana")


def test_toml_front_matter_with_crlf() -> None:
    doc = normalize_file("page.md", TOML_PAGE, NormalizeOptions())
    assert "title" not in doc.text and "+++" not in doc.text
    assert doc.text.startswith("Астана 1997")
    assert _pairs(doc) == [("title", "Астана"), ("weight", "3")]
    _replay(TOML_PAGE, doc)


@pytest.mark.parametrize(
    "page",
    [
        "---\nA rule, then text with no closing rule.\n",  # a thematic break, not front matter
        "Text first\n---\ntitle: x\n---\n",  # not at the start
        "---\n" + "x: y\n" * (frontmatter.MAX_CHARS // 5) + "---\n",  # too long to be settings
    ],
)
def test_what_is_not_front_matter(page: str) -> None:
    assert frontmatter.read(page) is None


def test_malformed_front_matter_warns_with_file_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "bad.md"
    page.write_text("---\ntitle: [unclosed\n---\nBody text here.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["normalize", "--out", "text", str(page)])
    assert result.exit_code == 0
    assert f"{page}:1: front matter does not parse" in result.stderr
    assert result.stdout.strip() == "Body text here."


def test_alias_bomb_is_bounded() -> None:
    """A YAML alias bomb parses into shared nodes; flattening stops at MAX_PAIRS."""
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        prev = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        lines.append(f"{name}: &{name} {{k1: *{prev}, k2: *{prev}, k3: *{prev}, k4: *{prev}}}")
    page = "\n".join(lines) + "\n---\ntext\n"
    front = frontmatter.read(page)
    assert front is not None and len(front.pairs) == frontmatter.MAX_PAIRS
