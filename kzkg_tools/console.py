"""The one stderr console: warnings, verbose logs and progress bars.

Nothing here ever touches stdout, which carries records only. rich's `Progress`
redirects stdout by default and, with FORCE_COLOR=1, was seen sending records
to stderr; so the console is always `Console(stderr=True)`, progress uses
`redirect_stdout=False`, and bars are disabled when stderr is no terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

# rich is imported where a console or a bar is made: most commands never make one, and the
# import is a sixth of a one-line command's start (issue #19).
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress


@dataclass
class Settings:
    """Verbosity chosen on the command line: -1 quiet, 0 normal, 1+ verbose."""

    verbosity: int = 0
    no_color: bool = False
    # While not None, warnings are collected here instead of written (`captured`).
    sink: list[str] | None = None


settings = Settings()


@cache
def err_console() -> Console:
    """The stderr console, built on first use (never at import)."""
    from rich.console import Console

    return Console(stderr=True, no_color=settings.no_color or None, highlight=False)


def warn(message: str) -> None:
    """One warning line on stderr, unless -q was given (or collected, see `captured`)."""
    if settings.sink is not None:
        settings.sink.append(message)
    elif settings.verbosity >= 0:
        sys.stderr.write(f"kzkg: warning: {message}\n")


@contextmanager
def captured() -> Iterator[list[str]]:
    """Collect the warnings given inside the block instead of writing them: a `kzkg run`
    worker hands them to the main process, which writes them in input order (whatever -j)
    and applies its own -q."""
    outer, settings.sink = settings.sink, []
    try:
        yield settings.sink
    finally:
        settings.sink = outer


def notice(message: str) -> None:
    """One line a user should see (a command's closing summary) on stderr, unless -q."""
    if settings.verbosity >= 0:
        sys.stderr.write(f"kzkg: {message}\n")


def info(message: str) -> None:
    """One log line on stderr, only with -v."""
    if settings.verbosity >= 1:
        sys.stderr.write(f"kzkg: {message}\n")


def progress() -> Progress:
    """A progress display that is silent unless stderr is an interactive terminal."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = err_console()
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        redirect_stdout=False,
        redirect_stderr=False,
        transient=True,
        disable=settings.verbosity < 0 or not console.is_terminal,
    )
