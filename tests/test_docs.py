"""Docs cannot drift: docs/cli.md is what `--help` says, and every command is in it."""

from __future__ import annotations

import re
from pathlib import Path

from kzkg_tools.cli import cli
from kzkg_tools.clidoc import render

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: run python -m kzkg_tools.clidoc > docs/cli.md"
    )


def test_every_command_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"## kzkg {name}\n" in text


def test_changelog_has_unreleased_section() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text


def test_readme_lists_every_command_and_every_docs_page() -> None:
    """The README's command table is `kzkg --help`'s command list, and it links every page."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `kzkg (\w+)", readme, flags=re.MULTILINE))
    assert listed == set(cli.commands)
    for page in (ROOT / "docs").glob("*.md"):
        assert f"docs/{page.name}" in readme, page.name
