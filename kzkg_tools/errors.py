"""Error classes, each carrying the exit code the command line reports.

Exit codes are the contract with shell pipelines and CI data checks:
0 ok, 1 a data check failed, 2 the tool could not do its job,
130 interrupted (Ctrl-C), 141 the reader of stdout went away (`| head`).
The library raises these; only `cli.py` turns them into messages and codes.
"""

from __future__ import annotations

import sys

import click

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


class KzkgError(click.ClickException):
    """Anything that stopped the tool from doing its job (exit 2).

    Subclasses `click.ClickException` so click shows it as one line, but with
    exit code 2: click's default 1 means "a data check failed" here.
    """

    exit_code = EXIT_ERROR

    def show(self, file=None) -> None:
        stream = file if file is not None else sys.stderr
        stream.write(f"kzkg: error: {self.format_message()}\n")


class InputError(KzkgError):
    """Unreadable or invalid input: names the file and, where it can, the line and column."""


class OutputError(KzkgError):
    """The output could not be written (or would overwrite an input)."""


class DataCheckFailed(KzkgError):
    """The tool ran fine and the data failed a check (`check`, `diff --fail-on`)."""

    exit_code = EXIT_CHECK_FAILED

    def show(self, file=None) -> None:
        stream = file if file is not None else sys.stderr
        stream.write(f"kzkg: check failed: {self.format_message()}\n")


class MissingExtra(KzkgError):
    """An optional dependency is needed; the message names the pip extra to install."""

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(
            f"{feature} needs an optional dependency: pip install 'kzkg_tools[{extra}]'"
        )
