"""Renders `docs/cli.md` from the commands' own `--help`, so the docs cannot drift.

`python -m kzkg_tools.clidoc > docs/cli.md` rewrites it; a test fails when the
file differs from what this renders.
"""

from __future__ import annotations

import click

from kzkg_tools.cli import cli

WIDTH = 100
HELP = ["-h", "--help"]


def _help(command: click.Command, path: list[str], parent: click.Context | None) -> str:
    ctx = click.Context(
        command,
        info_name=path[-1],
        parent=parent,
        terminal_width=WIDTH,
        max_content_width=WIDTH,
        help_option_names=HELP,
    )
    return command.get_help(ctx)


def render() -> str:
    """The whole of docs/cli.md."""
    root = click.Context(
        cli, info_name="kzkg", terminal_width=WIDTH, max_content_width=WIDTH, help_option_names=HELP
    )
    parts = [
        "# Command-line reference",
        "",
        "Generated from `--help` by `python -m kzkg_tools.clidoc > docs/cli.md`; "
        "`tests/test_docs.py` fails when this file is stale.",
        "",
        "## kzkg",
        "",
        "```",
        cli.get_help(root),
        "```",
    ]
    for name in sorted(cli.commands):
        parts += [
            "",
            f"## kzkg {name}",
            "",
            "```",
            _help(cli.commands[name], ["kzkg", name], root),
            "```",
        ]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render())
