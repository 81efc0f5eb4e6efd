"""The `kzkg` command line: parses options, opens streams, calls the library, maps errors.

Nothing here knows how a stage works. Exit codes (see `errors.py`): 0 ok,
1 a data check failed, 2 the tool could not do its job, 130 Ctrl-C,
141 the reader of stdout went away.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from typing import Any

import click

from kzkg_tools import __version__, console
from kzkg_tools import io as kio
from kzkg_tools.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
)
from kzkg_tools.io import BinaryInput


class _BrokenPipe(Exception):
    """Raised in place of BrokenPipeError so click's own EPIPE handling (exit 1) is bypassed."""


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # no real file descriptor (e.g. under CliRunner)


class KzkgGroup(click.Group):
    """A click group that applies the exit-code contract to every subcommand.

    It wraps `main` (so the console script, `python -m kzkg_tools` and
    CliRunner behave the same) and `invoke` (so a broken pipe is seen before
    click turns it into exit 1).
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _BrokenPipe() from None

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(argv, prog_name or "kzkg", complete_var, False, **extra)
            code = rv if isinstance(rv, int) else 0
        except _BrokenPipe:
            _silence_stdout()
            code = EXIT_BROKEN_PIPE
        except click.exceptions.Abort:
            sys.stderr.write("kzkg: interrupted\n")
            code = EXIT_INTERRUPTED
        except click.ClickException as err:
            err.show()
            code = err.exit_code
        except Exception as err:  # the one place that catches everything
            if "--debug" in argv:
                traceback.print_exc()
            message = str(err).splitlines()[0] if str(err) else ""
            sys.stderr.write(
                f"kzkg: internal error: {type(err).__name__}: {message} "
                "(run again with --debug for the traceback)\n"
            )
            code = EXIT_ERROR
        if standalone_mode:
            sys.exit(code)
        return code


@click.group(cls=KzkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kzkg")
@click.option("-q", "--quiet", is_flag=True, help="Print no warnings.")
@click.option("-v", "--verbose", count=True, help="Print progress notes on stderr (repeatable).")
@click.option("--no-color", is_flag=True, help="No colour on stderr (NO_COLOR is honoured too).")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an internal error.")
def cli(quiet: bool, verbose: int, no_color: bool, debug: bool) -> None:
    """Find which facts agree, conflict or are missing across languages.

    Every command reads FILES (directories are walked in sorted order; none or
    `-` reads standard input) and writes JSON Lines to standard output. Exit
    codes: 0 ok, 1 a data check failed, 2 the tool could not do its job,
    130 interrupted, 141 the reader of the output went away.
    """
    console.settings.verbosity = -1 if quiet else verbose
    console.settings.no_color = no_color


def _output_option(f: Any) -> Any:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False),
        default=None,
        help="Write to FILE (atomically) instead of standard output.",
    )(f)


def _keep_going_option(f: Any) -> Any:
    return click.option(
        "--keep-going",
        is_flag=True,
        help="Skip binary files with a warning instead of stopping (exit 2).",
    )(f)


def _read_texts(files: Sequence[str], keep_going: bool) -> Iterator[tuple[kio.Source, str]]:
    """(source, text) per input; binary files are fatal unless --keep-going."""
    for source in kio.expand(files):
        try:
            yield source, kio.read_text(source)
        except BinaryInput as err:
            if not keep_going:
                raise
            console.warn(err.format_message())


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@_output_option
@_keep_going_option
def detect(files: tuple[str, ...], output: str | None, keep_going: bool) -> None:
    """Say what each file is: format, script, language and each language's share.

    One JSON object per file: {"source", "format", "script", "lang", "langs"}.
    """
    from kzkg_tools.detect import detect as detect_text

    with kio.Output(output, inputs=files) as out:
        for source, text in _read_texts(files, keep_going):
            if text:
                out.write(detect_text(text, source.path))


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@click.option(
    "--type",
    "record_type",
    type=click.Choice(["auto", "document", "sentence", "bead", "diff", "detection"]),
    default="auto",
    show_default=True,
    help="Record type to validate against; auto guesses it from each line's fields.",
)
@click.option(
    "--max-errors",
    type=int,
    default=20,
    show_default=True,
    help="Stop listing problems after this many.",
)
def check(files: tuple[str, ...], record_type: str, max_errors: int) -> None:
    """Validate JSONL records against the schemas in docs/schema/.

    Prints `file:line: field: problem` for each invalid record on stderr and
    exits 1 when any record is invalid (a CI data check), 0 when all are valid.
    """
    from kzkg_tools.check import check_records
    from kzkg_tools.errors import DataCheckFailed

    problems = total = 0
    for problem in check_records(kio.iter_json(kio.expand(files)), record_type):
        total += 1
        if problem is not None:
            problems += 1
            if problems <= max_errors:
                sys.stderr.write(f"{problem}\n")
    if problems:
        raise DataCheckFailed(f"{problems} of {total} records invalid")
    console.info(f"{total} records valid")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "wikitext", "markdown", "pdf-text", "plain"]),
    default="auto",
    show_default=True,
    help="Input format; auto detects it per file.",
)
@click.option(
    "--out",
    "out_format",
    type=click.Choice(["jsonl", "text"]),
    default="jsonl",
    show_default=True,
    help="Document records, or only the normalized text (blocks separated by blank lines).",
)
@click.option(
    "--translit",
    type=click.Choice(["auto", "none"]),
    default="auto",
    show_default=True,
    help="Script of kk-Arab documents: none keeps the source script (auto does so for now).",
)
@click.option("--tables", is_flag=True, help="Keep wikitext tables as table blocks (one per row).")
@_output_option
@_keep_going_option
def normalize(
    files: tuple[str, ...],
    fmt: str,
    out_format: str,
    translit: str,
    tables: bool,
    output: str | None,
    keep_going: bool,
) -> None:
    """Turn raw files (wikitext, markdown, PDF text, plain) into clean Document records.

    One JSON object per file: {"id", "source", "format", "lang", "text",
    "blocks", "spans", "metadata"}; `spans` map ranges of `text` back to
    code-point ranges of the file.
    """
    from kzkg_tools.normalize import NormalizeOptions, normalize_file

    opts = NormalizeOptions(format=None if fmt == "auto" else fmt, translit=translit, tables=tables)
    with kio.Output(output, inputs=files) as out:
        first = True
        for source, text in _read_texts(files, keep_going):
            if not text:
                continue
            doc = normalize_file(source.path, text, opts)
            if out_format == "jsonl":
                out.write(doc)
                continue
            if not first:
                out.write_line("")
            out.write_line(doc.text)
            first = False


def main() -> None:
    """Console-script entry point."""
    cli.main()
