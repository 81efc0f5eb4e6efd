"""Docs cannot drift: docs/cli.md is what `--help` says, and every command is in it."""

from __future__ import annotations

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
