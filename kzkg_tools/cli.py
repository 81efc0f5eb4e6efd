"""The `kzkg` command line: parses options, opens streams, calls the library, maps errors.

Nothing here knows how a stage works. Exit codes (see `errors.py`): 0 ok,
1 a data check failed, 2 the tool could not do its job, 130 Ctrl-C,
141 the reader of stdout went away.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import click

from kzkg_tools import __version__, console, resources
from kzkg_tools import io as kio
from kzkg_tools.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    KzkgError,
)


class _BrokenPipe(Exception):
    """Raised in place of BrokenPipeError so click's own EPIPE handling (exit 1) is bypassed."""


class _Interrupted(Exception):
    """Raised in place of KeyboardInterrupt so click does not print its blank line first: an
    interrupted command says one line."""


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
        except KeyboardInterrupt:
            raise _Interrupted() from None

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
        except (click.exceptions.Abort, _Interrupted):
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
    `-` reads standard input; gzip, bzip2, xz and zstd input is decompressed as
    it is read) and writes JSON Lines to standard output. Exit
    codes: 0 ok, 1 a data check failed, 2 the tool could not do its job,
    130 interrupted, 141 the reader of the output went away.
    """
    console.settings.verbosity = -1 if quiet else verbose
    console.settings.no_color = no_color
    resources.tune_collector()


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


def _parse_namespaces(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[int, ...] | None:
    if value is None:
        return None
    try:
        return tuple(sorted({int(part) for part in value.split(",") if part.strip()})) or None
    except ValueError:
        raise click.BadParameter(f"{value!r}: namespace numbers separated by commas") from None


def _namespaces_option(f: Any) -> Any:
    return click.option(
        "--namespaces",
        callback=_parse_namespaces,
        metavar="N,N…",
        help="MediaWiki dumps: read the pages of these namespace numbers (default: 0, the "
        "articles; 14 = categories).",
    )(f)


def _zh_variant_option(f: Any) -> Any:
    from kzkg_tools.normalize import ZH_VARIANTS

    return click.option(
        "--zh-variant",
        type=click.Choice(ZH_VARIANTS),
        default=None,
        help="Resolve wikitext conversion markup (-{…}-, {{noteTA}} rules) to this Chinese "
        "variant; default: the variant each page is written in.",
    )(f)


class _GroupBy(click.ParamType):
    """`--group-by`: one of `choices` or `meta:KEY` (align.check_group_by says the same)."""

    name = "group_by"
    # align.GROUP_BY, written out so that `kzkg --help` does not import numpy
    # (tests/test_one_pipeline.py checks the two agree).
    choices = ("dir", "name", "all")

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(self.choices) + "|meta:KEY]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if value in self.choices or (str(value).startswith("meta:") and len(value) > 5):
            return str(value)
        self.fail(f"{value!r}: expected {', '.join(self.choices)} or meta:KEY", param, ctx)


def _group_by_option(f: Any) -> Any:
    # AlignOptions' default, written out for the same reason as _GroupBy.choices.
    return click.option(
        "--group-by",
        type=_GroupBy(),
        default="dir",
        show_default=True,
        help="Documents aligned with each other: the files of one directory; the files whose "
        "paths differ only in language tags (en/a.txt and kk/a.txt, a.en.txt and a_kk.txt); "
        "all inputs; or the documents whose metadata KEY has the same value (Markdown front "
        "matter such as Hugo's translationKey; `kzkg align` reads it from --documents).",
    )(f)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@_output_option
@_namespaces_option
@_keep_going_option
def detect(
    files: tuple[str, ...],
    output: str | None,
    namespaces: tuple[int, ...] | None,
    keep_going: bool,
) -> None:
    """Say what each file is: format, script, language and each language's share.

    One JSON object per file: {"source", "format", "script", "lang", "langs"}.
    """
    from kzkg_tools.detect import detect as detect_text

    with kio.Output(output, inputs=files) as out:
        for source in kio.Reader(kio.expand(files), keep_going, namespaces):
            out.write(detect_text(source.text, source.path))


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

    Prints `file:line: field: problem` for each invalid record or malformed line
    on stderr, goes on, and exits 1 when any is invalid (a CI data check), 0 when
    all are valid. A run folder (`kzkg check OUT/`) is checked whole, its
    manifest.json included.
    """
    from kzkg_tools.check import CheckRun
    from kzkg_tools.errors import DataCheckFailed

    run = CheckRun.of_sources(kio.expand(files), record_type)
    for listed, problem in enumerate(run, 1):
        if listed <= max_errors:
            sys.stderr.write(f"{problem}\n")
    if run.failure:
        raise DataCheckFailed(run.failure)
    console.info(f"{run.total} records valid")


@cli.command()
@click.argument("out_dir", type=click.Path())
@click.option(
    "--bidi",
    type=click.Choice(["visual", "logical"]),
    default="visual",
    show_default=True,
    help="visual: shape and reorder right-to-left text for terminals without bidi "
    "support; logical: leave it to the terminal.",
)
@click.option("-n", "--limit", type=int, default=0, help="Show at most N beads (0: all).")
def show(out_dir: str, bidi: str, limit: int) -> None:
    """Print the aligned sentences of a run output folder side by side (to the terminal)."""
    from rich.console import Console

    from kzkg_tools.results import RunOutput
    from kzkg_tools.show import show as show_beads

    term = Console(no_color=console.settings.no_color or None, highlight=False)
    show_beads(RunOutput(out_dir).beads(), term, bidi=bidi, limit=limit)


@cli.command()
@click.argument("out_dir", type=click.Path())
@_output_option
@click.option(
    "--title", default="kzkg: facts across languages", show_default=True, help="Page title."
)
def report(out_dir: str, output: str | None, title: str) -> None:
    """Write one self-contained HTML page of a run output folder.

    Aligned sentences of each document pair side by side, facts highlighted, conflicts and
    missing facts marked, and a summary table of agree/conflict/missing per pair.
    """
    from kzkg_tools.report import render
    from kzkg_tools.results import RunOutput

    run = RunOutput(out_dir)
    sentences = {s.id: s for s in run.sentences()}
    page = render(run.beads(), sentences, run.diffs(), title)
    with kio.Output(output) as out:
        out.write_line(page.rstrip("\n"))


@cli.command()
@click.argument("out_dir", type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tmx", "moses", "opus-xml", "dolma", "parquet"]),
    required=True,
    help="Target format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    default=None,
    help="Write to FILE (atomically; default stdout). moses: a PREFIX, files "
    "PREFIX.L1-L2.L1 and PREFIX.L1-L2.L2 per language pair (PREFIX.L-L.1/.2 for a "
    "same-language pair). opus-xml: a new or empty FOLDER, LANG/DOC.xml sentence files and an "
    "L1-L2.xml cesAlign file per language pair. parquet: a FOLDER, FOLDER/TABLE.parquet per "
    "table (documents, sentences, facts, aligned, diff).",
)
@click.option(
    "--script",
    type=click.Choice(["translit", "orig"]),
    default="translit",
    show_default=True,
    help="A transliterated document's text: the transliteration, or its original script "
    "tagged with its source language (kk-Arab).",
)
@click.option(
    "--pairs",
    default=None,
    metavar="L1-L2,...",
    help="Export only these language pairs (e.g. kk-Arab-zh-Hant,en-ru; either order).",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Export only beads scored at least this.",
)
@click.option(
    "--self-pairs",
    is_flag=True,
    help="Keep same-language pairs (two kk-Cyrl documents); by default they are skipped "
    "with a counted warning, unless --pairs names them.",
)
def export(
    out_dir: str,
    fmt: str,
    output: str | None,
    script: str,
    pairs: str | None,
    min_score: float | None,
    self_pairs: bool,
) -> None:
    """Export a run output folder for other tools: Moses, TMX 1.4, OPUS, dolma or Parquet.

    Aligned formats export each pair of bead members, sides ordered by language tag.
    Layouts and the tools that read them: docs/records.md, "Exports".
    """
    from kzkg_tools import export as ex
    from kzkg_tools.results import RunOutput

    run = RunOutput(out_dir)
    if fmt == "parquet":  # one table per output: -o names a folder (kzkg_tools/parquet.py)
        from kzkg_tools.parquet import write_parquet

        if pairs is not None or min_score is not None or self_pairs or script != "translit":
            raise KzkgError("--pairs, --min-score, --self-pairs, --script: parquet exports all")
        if not output:
            raise KzkgError("--format parquet writes one file per table: give -o FOLDER")
        write_parquet(run, output)
        return
    if fmt == "dolma":
        if pairs is not None or min_score is not None or self_pairs:
            raise KzkgError(
                "--pairs, --min-score and --self-pairs select aligned pairs; "
                "dolma exports documents"
            )
        with kio.Output(output) as out:
            for doc in ex.dolma(run.documents(), ex.Script(orig=script == "orig")):
                out.write(doc)
        return
    if fmt in ("moses", "opus-xml") and not output:
        what = "PREFIX" if fmt == "moses" else "FOLDER"
        raise KzkgError(f"--format {fmt} writes several files: give -o {what}")
    selection = ex.Selection(
        pairs=ex.parse_pairs(pairs) if pairs is not None else None,
        min_score=min_score,
        self_pairs=self_pairs,
    )
    orig = script == "orig"
    reader = ex.Script(run.documents(), run.sentences(), orig=True) if orig else ex.Script()
    skipped = ex.Skipped()
    links = ex.links(run.beads(), reader, selection, skipped)
    if fmt == "moses":
        assert output is not None
        written = ex.write_moses(links, output)
    elif fmt == "opus-xml":
        assert output is not None
        written = ex.write_folder(output, ex.opus_xml(run.sentences(), links, reader))
    else:
        with kio.Output(output) as out:
            for line in ex.tmx(links):
                out.write_line(line)
        written = [output or "stdout"]
    if skipped.self_pairs:
        counts = ", ".join(f"{n} {lang}" for lang, n in sorted(skipped.self_pairs.items()))
        console.warn(
            f"{sum(skipped.self_pairs.values())} same-language pairs skipped ({counts}); "
            "--self-pairs keeps them"
        )
    if skipped.empty:
        console.warn(f"{skipped.empty} pairs with an empty side skipped")
    if not written:
        console.warn("no pairs to export: no file written")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@click.option(
    "--in",
    "in_format",
    type=click.Choice(["jsonl", "text"]),
    default="jsonl",
    show_default=True,
    help="Input: Document JSONL (from `kzkg normalize`), or plain text (each line a paragraph).",
)
@click.option(
    "--out",
    "out_format",
    type=click.Choice(["jsonl", "text"]),
    default="jsonl",
    show_default=True,
    help="Output: Sentence JSONL, or plain text with one sentence per line.",
)
@click.option(
    "--lang",
    default=None,
    help="BCP 47 tag (kk, kk-Cyrl, kk-Arab, ar, zh, zh-Hant, zh-Hans, ru, en); "
    "required with --in text, else overrides each block's language.",
)
@_output_option
def segment(
    files: tuple[str, ...], in_format: str, out_format: str, lang: str | None, output: str | None
) -> None:
    """Split documents into sentences.

    Reads Document JSONL and writes one Sentence record per sentence, with its
    source span. As a text filter (`--in text --out text --lang kk`) it reads
    plain text, where a newline is always a boundary, and prints one sentence
    per line as each input line arrives.
    """
    from kzkg_tools import segment as seg
    from kzkg_tools.docstream import read_documents
    from kzkg_tools.errors import InputError

    if lang is not None and seg.rule_file(lang) == "und":
        raise InputError(f"--lang {lang}: unknown language; use one of {', '.join(seg.LANG_RULES)}")
    if in_format == "text" and lang is None:
        raise InputError("--in text needs --lang")
    sources = kio.expand(files)
    interactive = in_format == "text" and any(s.is_stdin for s in sources) and sys.stdin.isatty()

    with kio.Output(output, inputs=files, line_buffered=interactive) as out:
        if in_format == "text":
            assert lang is not None
            for source in sources:
                if out_format == "text":  # the plain filter builds no records
                    for _lineno, line in kio.iter_lines(source):
                        for a, b in seg.segment_text(line, lang):
                            out.write_line(line[a:b])
                else:
                    for sentence in seg.segment_lines(kio.iter_lines(source), lang, source.path):
                        out.write(sentence)
            return
        for sentence in seg.segment(read_documents(sources), seg.SegmentOptions(lang=lang)):
            if out_format == "text":
                out.write_line(sentence.text)
            else:
                out.write(sentence)


def _cache_options(f: Any) -> Any:
    f = click.option(
        "--no-cache",
        is_flag=True,
        help="Keep sentence embeddings in memory only, for this run.",
    )(f)
    return click.option(
        "--cache-dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Keep sentence embeddings here across runs (default: embed/ in the user cache "
        "directory, $KZKG_CACHE_DIR or ~/.cache/kzkg).",
    )(f)


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False),
    required=True,
    help="Output folder (created; its files are replaced atomically).",
)
@click.option(
    "-j",
    "--jobs",
    type=int,
    default=0,
    show_default=True,
    help="Worker processes (0: one per usable core, at most one per input; a MediaWiki dump "
    "counts as many, its pages being shared). Records are byte-identical for any value.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where shards run: a local process pool or Dask.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Dask scheduler (tcp://HOST:8786); default: a local cluster of -j workers.",
)
@_group_by_option
@click.option(
    "--align-method",
    type=click.Choice(["auto", "embed", "facts"]),
    default="auto",
    show_default=True,
    help="Sentence similarity for align: the multilingual embedding model (extra "
    "kzkg_tools[embed]), shared facts and names, or auto (the model when installed).",
)
@_cache_options
@_namespaces_option
@_zh_variant_option
@_keep_going_option
def run(
    sources: tuple[str, ...],
    out_dir: str,
    jobs: int,
    engine: str,
    scheduler: str | None,
    group_by: str,
    align_method: str,
    cache_dir: str | None,
    no_cache: bool,
    namespaces: tuple[int, ...] | None,
    zh_variant: str | None,
    keep_going: bool,
) -> None:
    """Run normalize, segment, facts, align and diff into OUT.

    SOURCES are files or directories (walked in sorted order; compressed files and MediaWiki
    dumps too); none means the embedded seed documents. Standard input (`-`) is refused (exit
    2): a run's workers read files. Writes OUT/documents.jsonl, sentences.jsonl,
    aligned.jsonl, diff.jsonl and manifest.json (versions, the align method and model that
    ran, options, input sha256s, record counts, timings, memory). Output records are
    byte-identical for any -j and engine.
    """
    from kzkg_tools.align import AlignOptions
    from kzkg_tools.cache import embeddings_dir
    from kzkg_tools.normalize import NormalizeOptions
    from kzkg_tools.pipeline import RunOptions, resolve_jobs
    from kzkg_tools.pipeline import run as run_pipeline
    from kzkg_tools.seeds import seed_sources

    if sources:
        if kio.STDIN in sources:
            raise KzkgError("run reads files, not standard input: give SOURCES or none")
        inputs = kio.expand(sources)
    else:
        inputs = seed_sources()
    jobs = resolve_jobs(jobs, inputs)
    opts = RunOptions(
        normalize=NormalizeOptions(zh_variant=zh_variant, namespaces=namespaces),
        align=AlignOptions(
            method=align_method,  # type: ignore[arg-type]
            group_by=group_by,  # type: ignore[arg-type]
            cache_dir=embeddings_dir(cache_dir, not no_cache),
        ),
        keep_going=keep_going,
    )
    manifest = run_pipeline(
        inputs,
        out_dir,
        opts,
        engine,
        jobs,
        scheduler,
    )
    counts = manifest["counts"]
    console.notice(
        f"{counts.get('documents', 0)} documents, {counts.get('sentences', 0)} sentences, "
        f"{counts.get('facts', 0)} facts, {counts.get('beads', 0)} beads "
        f"({manifest['align_method']}); facts agree {counts.get('agree', 0)}, "
        f"conflict {counts.get('conflict', 0)}, missing {counts.get('missing', 0)} -> {out_dir}"
    )


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@_output_option
@click.option(
    "--doc-date",
    default=None,
    metavar="YYYY-MM-DD",
    help="Document date for 'this year' / 'last year' (default: a 'date …' source dateline).",
)
@click.option(
    "--no-source",
    is_flag=True,
    help="Do not read the source files: surfaces are copied from the sentence text.",
)
def facts(
    files: tuple[str, ...], output: str | None, doc_date: str | None, no_source: bool
) -> None:
    """Add dates, numbers, money, percents and entities to Sentence records.

    Reads Sentence JSONL (the output of `kzkg segment`) and writes the same
    records with `facts` filled (docs/conventions.md): each fact has a normalized value,
    its `surface` exactly as in the source file and its `span` there.
    """
    import datetime

    from kzkg_tools.facts import FactsOptions
    from kzkg_tools.facts import facts as facts_stage
    from kzkg_tools.records import Sentence

    if doc_date is not None:
        try:
            datetime.date.fromisoformat(doc_date)
        except ValueError:
            raise click.BadParameter(f"{doc_date!r} is not a date (YYYY-MM-DD)") from None

    opts = FactsOptions(doc_date=doc_date, read_sources=not no_source)
    with kio.Output(output, inputs=files) as out:
        for sentence in facts_stage(kio.iter_records(kio.expand(files), Sentence), opts):
            out.write(sentence)


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
@_namespaces_option
@_zh_variant_option
@_output_option
@_keep_going_option
def normalize(
    files: tuple[str, ...],
    fmt: str,
    out_format: str,
    translit: str,
    tables: bool,
    namespaces: tuple[int, ...] | None,
    zh_variant: str | None,
    output: str | None,
    keep_going: bool,
) -> None:
    """Turn raw files (wikitext, markdown, PDF text, plain) into clean Document records.

    One JSON object per file: {"id", "source", "format", "lang", "text",
    "blocks", "spans", "metadata"}; `spans` map ranges of `text` back to
    code-point ranges of the file. A MediaWiki XML dump or export gives one per article page.
    """
    from kzkg_tools.normalize import NormalizeOptions
    from kzkg_tools.normalize import normalize as normalize_stage

    opts = NormalizeOptions(
        format=None if fmt == "auto" else fmt,
        translit=translit,
        tables=tables,
        zh_variant=zh_variant,
        namespaces=namespaces,
    )
    reader = kio.Reader(kio.expand(files), keep_going, opts.namespaces)
    with kio.Output(output, inputs=files) as out:
        first = True
        for doc in normalize_stage(reader, opts):
            if out_format == "jsonl":
                out.write(doc)
                continue
            if not first:
                out.write_line("")
            out.write_line(doc.text)
            first = False


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
@_cache_options
@_group_by_option
@click.option(
    "--documents",
    "documents_file",
    type=click.Path(),
    default=None,
    metavar="FILE",
    help="Document records (from `kzkg normalize`) whose metadata --group-by meta:KEY reads.",
)
def align(
    files: tuple[str, ...],
    output: str | None,
    method: str,
    relation: str,
    cache_dir: str | None,
    no_cache: bool,
    group_by: str,
    documents_file: str | None,
) -> None:
    """Align sentences of documents and languages that say the same thing.

    Reads Sentence records (from `kzkg segment` or `kzkg facts`) of any number
    of documents and compares the documents of each group (--group-by); each
    document is split by sentence language, so the translations inside one
    file are aligned too. Writes one Bead record per
    aligned group: {"id", "method", "score", "members", "shared_facts"}.
    """
    from kzkg_tools.align import AlignOptions, document_groups, meta_key
    from kzkg_tools.align import align as align_sentences
    from kzkg_tools.cache import embeddings_dir
    from kzkg_tools.docstream import read_documents
    from kzkg_tools.records import Sentence

    doc_groups = None
    if meta_key(group_by) is not None:
        if documents_file is None:
            raise KzkgError(f"--group-by {group_by} reads document metadata: give --documents")
        # Documents read as segment reads them: a long line is parsed as it is read.
        doc_groups = document_groups(read_documents(kio.expand((documents_file,))), group_by)
    opts = AlignOptions(
        method=method,  # type: ignore[arg-type]
        relation=relation,  # type: ignore[arg-type]
        cache_dir=embeddings_dir(cache_dir, not no_cache),
        group_by=group_by,  # type: ignore[arg-type]
    )
    sentences = list(kio.iter_records(kio.expand(files), Sentence))
    with kio.Output(output, inputs=files) as out:
        for bead in align_sentences(sentences, opts, doc_groups):
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
    sentences.jsonl`). Writes Diff records: {"id", "bead", "type", "status",
    "kind", "reason", "values"}; `kind` says which agreement, conflict or gap.
    """
    from kzkg_tools.diff import DiffOptions, DiffRun, parse_statuses, read_inputs
    from kzkg_tools.errors import DataCheckFailed

    try:
        statuses = parse_statuses(only)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--only") from None
    beads, sentences = read_inputs(kio.iter_json(kio.expand(files)))
    opts = DiffOptions(tolerant=tolerant, statuses=statuses, documents=not no_documents)
    run = DiffRun(beads, sentences, opts, fail_on)
    with kio.Output(output, inputs=files) as out:
        for record in run:
            out.write(record)
    if run.failure:
        raise DataCheckFailed(run.failure)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@click.option(
    "--from",
    "source_script",
    type=click.Choice(["kk-Arab", "kk-Cyrl"]),
    default="kk-Arab",
    show_default=True,
    help="Script of the input.",
)
@click.option(
    "--to",
    "target_script",
    type=click.Choice(["kk-Cyrl", "kk-Arab", "kk-Latn"]),
    default="kk-Cyrl",
    show_default=True,
    help="Script of the output (kk-Latn: the 2021 official Latin alphabet).",
)
@click.option(
    "--profile",
    type=click.Choice(["kazinform", "mediawiki"]),
    default="kazinform",
    show_default=True,
    help="Arabic-script spelling to write (hamza U+0621, or MediaWiki's U+0674 and ىي).",
)
@click.option(
    "--no-repair",
    is_flag=True,
    help="Read word by word: keep hyphens, spacing and case of the input as they are.",
)
@_output_option
def translit(
    files: tuple[str, ...],
    source_script: str,
    target_script: str,
    profile: str,
    no_repair: bool,
    output: str | None,
) -> None:
    """Convert Kazakh between the Arabic, Cyrillic and Latin scripts, line by line.

    Plain text in, plain text out: exactly one output line per input line, flushed as it
    goes, with only runs of the source script converted and everything else unchanged.
    """
    from kzkg_tools.translit import UnsupportedConversion, converter

    try:
        convert = converter(
            source_script,
            target_script,
            profile,  # type: ignore[arg-type]  # click.Choice allows only the Profile names
            repair=not no_repair,
        )
    except UnsupportedConversion:
        raise click.UsageError(
            f"--from {source_script} --to {target_script}: nothing to do"
        ) from None
    with kio.Output(output, inputs=files, line_buffered=True) as out:
        for source in kio.expand(files):
            for _, line in kio.iter_lines(source):
                out.write_line(convert(line))


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        console.settings.verbosity = -1


def _add_verbose(ctx: click.Context, param: click.Parameter, value: int) -> None:
    if value and console.settings.verbosity >= 0:
        console.settings.verbosity += value


def _set_no_color(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        console.settings.no_color = True


def _global_options() -> list[click.Option]:
    """The group's options, accepted after the subcommand too (`kzkg detect -q x`), as users
    of git and cargo expect; `--debug` is read from the whole command line by `KzkgGroup`."""
    return [
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            callback=_set_quiet,
            help="Print no warnings (as `kzkg -q`).",
        ),
        click.Option(
            ["-v", "--verbose"],
            count=True,
            expose_value=False,
            callback=_add_verbose,
            help="Print progress notes on stderr (as `kzkg -v`).",
        ),
        click.Option(
            ["--no-color"],
            is_flag=True,
            expose_value=False,
            callback=_set_no_color,
            help="No colour on stderr (as `kzkg --no-color`).",
        ),
        click.Option(
            ["--debug"],
            is_flag=True,
            expose_value=False,
            help="Show the traceback of an internal error (as `kzkg --debug`).",
        ),
    ]


for _command in cli.commands.values():
    _command.params.extend(_global_options())


def main() -> None:
    """Console-script entry point."""
    cli.main()
