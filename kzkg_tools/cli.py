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


def _records(files: Sequence[str], kinds: dict[str, Any]) -> Iterator[tuple[str, int, Any]]:
    """(path, line, record) for JSONL inputs; `kinds` maps a telling field to a record class."""
    from kzkg_tools.errors import InputError
    from kzkg_tools.records import from_dict

    for path, lineno, obj in kio.iter_json(kio.expand(files)):
        cls = next((c for field, c in kinds.items() if field in obj), None)
        if cls is None:
            names = " or ".join(c.__name__.lower() for c in kinds.values())
            raise InputError(f"{path}:{lineno}: not a {names} record")
        try:
            yield path, lineno, from_dict(cls, obj)
        except (TypeError, ValueError) as err:
            raise InputError(f"{path}:{lineno}: invalid {cls.__name__.lower()}: {err}") from None


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@_output_option
@click.option(
    "--method",
    type=click.Choice(["auto", "embed", "facts", "gale-church"]),
    default="auto",
    show_default=True,
    help="Similarity: embed (multilingual-e5-small, needs kzkg_tools[embed]), facts "
    "(no model), gale-church (length only, a baseline); auto = embed when installed.",
)
@click.option(
    "--relation",
    type=click.Choice(["auto", "parallel", "comparable"]),
    default="auto",
    show_default=True,
    help="Treat every two streams as translations (parallel), as texts on one topic "
    "(comparable), or decide per pair (auto).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Keep sentence embeddings here across runs.",
)
def align(
    files: tuple[str, ...], output: str | None, method: str, relation: str, cache_dir: str | None
) -> None:
    """Align sentences of documents and languages that say the same thing.

    Reads Sentence records (from `kzkg segment` or `kzkg facts`) of any number
    of documents; each document is split by sentence language, so the
    translations inside one file are aligned too. Writes one Bead record per
    aligned group: {"id", "method", "score", "members", "shared_facts"}.
    """
    from kzkg_tools.align import AlignOptions
    from kzkg_tools.align import align as align_sentences
    from kzkg_tools.records import Sentence

    opts = AlignOptions(method=method, relation=relation, cache_dir=cache_dir)  # type: ignore[arg-type]
    sentences = [s for _, _, s in _records(files, {"doc_id": Sentence})]
    with kio.Output(output, inputs=files) as out:
        for bead in align_sentences(sentences, opts):
            out.write(bead)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@_output_option
@click.option(
    "--fail-on",
    type=click.Choice(["none", "conflict", "missing"]),
    default="none",
    show_default=True,
    help="Exit 1 when any diff has this status (missing also fails on conflicts): a CI check.",
)
@click.option(
    "--only",
    default="agree,conflict,missing",
    show_default=True,
    help="Comma-separated statuses to write.",
)
@click.option("--tolerant", is_flag=True, help="A date meant as the other side's value agrees.")
@click.option("--no-documents", is_flag=True, help="Skip the document-level pass.")
def diff(
    files: tuple[str, ...],
    output: str | None,
    fail_on: str,
    only: str,
    tolerant: bool,
    no_documents: bool,
) -> None:
    """Compare the facts inside each bead: agree, conflict or missing.

    Reads Bead records (from `kzkg align`) and the Sentence records with facts
    they cite, in any files and order (e.g. `kzkg diff aligned.jsonl
    sentences.jsonl`). Writes Diff records: {"bead", "type", "status",
    "reason", "values"}.
    """
    from kzkg_tools.diff import DiffOptions
    from kzkg_tools.diff import diff as diff_beads
    from kzkg_tools.errors import DataCheckFailed, InputError
    from kzkg_tools.records import Bead, Sentence

    statuses = frozenset(s.strip() for s in only.split(",") if s.strip())
    unknown = statuses - {"agree", "conflict", "missing"}
    if unknown:
        raise click.BadParameter(f"unknown status {sorted(unknown)[0]!r}", param_hint="--only")
    beads: list[Any] = []
    sentences: dict[str, Any] = {}
    for _, _, record in _records(files, {"members": Bead, "doc_id": Sentence}):
        if isinstance(record, Bead):
            beads.append(record)
        else:
            sentences[record.id] = record
    failing = {"none": set(), "conflict": {"conflict"}, "missing": {"conflict", "missing"}}
    failed = 0
    opts = DiffOptions(
        tolerant=tolerant, statuses=statuses | failing[fail_on], documents=not no_documents
    )
    with kio.Output(output, inputs=files) as out:
        try:
            for record in diff_beads(beads, sentences, opts):
                failed += record.status in failing[fail_on]
                if record.status in statuses:
                    out.write(record)
        except KeyError as err:
            raise InputError(f"a bead cites sentence {err.args[0]!r}, not in the input") from None
    if failed:
        raise DataCheckFailed(f"{' or '.join(sorted(failing[fail_on]))} found: {failed}")


def main() -> None:
    """Console-script entry point."""
    cli.main()
