"""Sentence segmentation: boundary F1 on the UD test sets and speed, kzkg next to other tools.

All segmenters run in this one process over the same text, so the numbers are
comparable on a noisy machine. The gold and the metric are those of
`../shared/bench/seg/score_seg.py` (imported from there): each treebank is one
text, documents joined by a blank line, every input line a paragraph that the
segmenter gets on its own. Speed is characters per second of the segmenter
alone on the whole treebank text: CPU time of this process (`time.process_time`,
which a shared, loaded machine inflates less than wall-clock time), best of
REPEAT runs; the ratio to raw ICU measured in the same run is the robust number.

    python benchmarks/bench_segment.py [--lang kk,ar] [--tools kzkg,icu] [--errors 5] [--ntrex]

`--ntrex` adds English text that is not EWT, to see the English rules on other
writing: the NTREX-128 news references (`../shared/data/parallel/ntrex`), each
document flat (its segments joined by a space, the headline first), the segments
as the gold sentences (a segment with two sentences makes a correct split count
as a false positive, for every tool alike).

`--against OLD.py` times another version of `kzkg_tools/segment.py` (e.g.
`git show 21c0ee3:kzkg_tools/segment.py > /tmp/old_segment.py`) in this process
instead, next to the current one, raw ICU and sentencex, each timed in turn 25 times (CPU
time, best), on the UD lines and on NTREX-128 news in paragraphs of 16 segments (the shape of
issue #19's speed target): a before/after comparison that the load of a shared machine
disturbs least, with the ratios (median of the rounds' ratios) as the robust numbers.
The old file reads the current data files.

The other tools are pip packages (pysbd, blingfire, sentencex, razdel, segtok); any
that is not installed is left out with a note.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared import SHARED  # noqa: E402

from kzkg_tools.segment import segment_text  # noqa: E402

Segmenter = Callable[[str], list[str]]
#: Timed runs per segmenter and set; the best counts.
REPEAT = 7

TAGS = {
    "kk": "kk-Cyrl",
    "ar": "ar",
    "zh_gsd": "zh-Hant",
    "zh_gsdsimp": "zh-Hans",
    "ru": "ru",
    "en": "en",
    "ntrex_en": "en",
}


def _score_module():
    spec = importlib.util.spec_from_file_location("score_seg", SHARED / "bench/seg/score_seg.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_ntrex_en(ss) -> list:
    """NTREX English as flat gold documents: consecutive segments with one document id."""
    root = SHARED / "data/parallel/ntrex"
    ids = (root / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").split("\n")
    segments = (root / "newstest2019-src.eng.txt").read_text(encoding="utf-8").split("\n")
    docs: list[tuple[str, list[str]]] = []
    for doc_id, segment in zip(ids, segments, strict=False):
        if not segment.strip():
            continue
        if docs and docs[-1][0] == doc_id:
            docs[-1][1].append(segment)
        else:
            docs.append((doc_id, [segment]))
    return [ss.GoldDoc(doc_id, [sents], " ") for doc_id, sents in docs]


def _kzkg(tag: str) -> Segmenter:
    return lambda line: [line[a:b] for a, b in segment_text(line, tag)]


def _icu(tag: str) -> Segmenter:
    import icu

    it = icu.BreakIterator.createSentenceInstance(icu.Locale(tag.split("-")[0]))

    def run(line: str) -> list[str]:
        it.setText(line)
        out, start = [], 0
        for end in it:
            out.append(line[start:end])
            start = end
        return out

    return run


def _pysbd(tag: str) -> Segmenter:
    import pysbd

    seg = pysbd.Segmenter(language=tag.split("-")[0], clean=False)
    return seg.segment


def _blingfire(tag: str) -> Segmenter:
    import blingfire

    return lambda line: blingfire.text_to_sentences(line).split("\n")


def _sentencex(tag: str) -> Segmenter:
    import sentencex

    lang = tag.split("-")[0]
    return lambda line: list(sentencex.segment(lang, line))


def _razdel(tag: str) -> Segmenter:
    import razdel

    return lambda line: [s.text for s in razdel.sentenize(line)]


def _segtok(tag: str) -> Segmenter:
    from segtok.segmenter import split_single

    return lambda line: list(split_single(line))


TOOLS: dict[str, Callable[[str], Segmenter]] = {
    "kzkg": _kzkg,
    "icu": _icu,
    "pysbd": _pysbd,
    "blingfire": _blingfire,
    "sentencex": _sentencex,
    "razdel": _razdel,
    "segtok": _segtok,
}


def run_lines(seg: Segmenter, text: str) -> list[str]:
    """Feed each input line on its own (a newline is always a boundary)."""
    out: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            out.extend(s for s in seg(line) if s.strip())
    return out


def score(ss, docs, seg: Segmenter) -> tuple[dict, float]:
    """score_seg's boundary counts for one segmenter, plus its speed in chars/s."""
    gold_req: set[int] = set()
    doc_starts: set[int] = set()
    texts, offset = [], 0
    for d in docs:
        req, _opt, length = d.boundaries()
        gold_req.update(offset + b for b in req)
        doc_starts.add(offset)
        texts.append(d.text("\n"))
        offset += length
    gold_canon = "".join(ss.canon(t) for t in texts)
    text = "\n\n".join(texts) + "\n"
    best = float("inf")
    for _ in range(REPEAT):
        t0 = time.process_time()
        lines = run_lines(seg, text)
        best = min(best, time.process_time() - t0)
    cuts, parts, pos = [], [], 0
    for ln in lines:
        c = ss.canon(ln)
        if not c:
            continue
        if pos:
            cuts.append(pos)
        parts.append(c)
        pos += len(c)
    mapping, _edits = ss.align(gold_canon, "".join(parts))
    ignore = doc_starts | {0, len(gold_canon)}
    sys_b = {mapping[p] for p in cuts} - ignore
    gold_b = gold_req - ignore
    r = {
        "gold": len(gold_b),
        "sys": len(sys_b),
        "tp": len(sys_b & gold_b),
        "fp": sorted(sys_b - gold_b),
        "fn": sorted(gold_b - sys_b),
        "gold_canon": gold_canon,
    }
    return r, len(text) / best


#: NTREX-128 files timed as paragraphs by `--against` (rule tag of each), and the sentences
#: per paragraph: a news story's length, the shape `benchmarks/bench_speed.py`'s segment row
#: uses (issue #19's speed target is Kazakh paragraphs).
NTREX_PARAGRAPHS = {"kaz": "kk", "rus": "ru", "arb": "ar", "src.eng": "en"}
PARAGRAPH_LINES = 16


def ntrex_paragraphs(code: str) -> list[str]:
    """NTREX-128 text in paragraphs of PARAGRAPH_LINES segments joined by a space."""
    root = SHARED / "data/parallel/ntrex"
    name = f"newstest2019-{code}.txt" if code.startswith("src.") else f"newstest2019-ref.{code}.txt"
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    return [" ".join(lines[i : i + PARAGRAPH_LINES]) for i in range(0, len(lines), PARAGRAPH_LINES)]


def _ratio(times: dict[str, list[float]], a: str, b: str) -> str:
    """The median over the rounds of a's time over b's (b's speed as a multiple of a's)."""
    if a not in times or b not in times:
        return "n/a"
    return f"{statistics.median(x / y for x, y in zip(times[a], times[b], strict=True)):.3f}"


def against(ss, old_path: str, sets: list[tuple[str, str]], rounds: int = 25) -> None:
    """Speed of an old `segment.py`, the current one, raw ICU and sentencex (when installed),
    interleaved in one process: the UD lines one at a time, then NTREX paragraphs."""
    spec = importlib.util.spec_from_file_location("old_segment", old_path)
    assert spec and spec.loader
    old = importlib.util.module_from_spec(spec)
    sys.modules["old_segment"] = old
    spec.loader.exec_module(old)
    jobs: list[tuple[str, str, list[str]]] = []
    for lang, tb in sets:
        docs = load_ntrex_en(ss) if tb == "ntrex_en" else ss.load_ud(tb, False)
        tag = TAGS.get(tb, TAGS.get(lang, lang))
        jobs.append((tb, tag, [ln for d in docs for ln in d.text("\n").split("\n")]))
    for code, tag in NTREX_PARAGRAPHS.items():
        jobs.append((f"{tag} NTREX ¶", tag, ntrex_paragraphs(code)))
    print(
        f"{'set':<14}{'icu':>8}{'sentx':>8}{'old':>8}{'kzkg':>8}{'new/old':>9}{'new/icu':>9}"
        f"{'old/icu':>9}{'new/sx':>8}{'old/sx':>8}"
    )
    print(f"{'':<14}(M chars/s, CPU time, best of {rounds}; ratios: median of the rounds' ratios)")
    for name, tag, texts in jobs:
        tools = {
            "icu": _icu(tag),
            "sentencex": _sentencex(tag) if importlib.util.find_spec("sentencex") else None,
            "old": lambda line, tag=tag: [line[a:b] for a, b in old.segment_text(line, tag)],
            "kzkg": _kzkg(tag),
        }
        times: dict[str, list[float]] = {k: [] for k, seg in tools.items() if seg is not None}
        for i in range(rounds):
            order = [k for k in tools if k in times]
            for k in order if i % 2 else reversed(order):  # alternate who goes first
                seg = tools[k]
                t0 = time.process_time()
                for text in texts:
                    seg(text)
                times[k].append(time.process_time() - t0)
        n = sum(map(len, texts))

        speeds = "".join(
            f"{n / min(times[k]) / 1e6:>8.1f}" if k in times else f"{'n/a':>8}" for k in tools
        )
        ratio = functools.partial(_ratio, times)
        ratios = (
            f"{ratio('old', 'kzkg'):>9}{ratio('icu', 'kzkg'):>9}{ratio('icu', 'old'):>9}"
            f"{ratio('sentencex', 'kzkg'):>8}{ratio('sentencex', 'old'):>8}"
        )
        print(f"{name:<14}{speeds}{ratios}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="kk,ar,zh,ru,en")
    ap.add_argument("--tools", default=",".join(TOOLS))
    ap.add_argument("--errors", type=int, default=0, help="print N kzkg false positives/negatives")
    ap.add_argument("--ntrex", action="store_true", help="add NTREX English news (flat documents)")
    ap.add_argument("--against", metavar="OLD.py", help="time an old segment.py next to this one")
    args = ap.parse_args(argv)
    ss = _score_module()
    jobs = [(lang, tb) for lang in args.lang.split(",") for tb in ss.LANG_TREEBANKS[lang]]
    if args.ntrex:
        jobs.append(("en", "ntrex_en"))
    if args.against:
        against(ss, args.against, jobs)
        return 0
    tools = []
    for t in args.tools.split(","):
        try:
            TOOLS[t]("en")
            tools.append(t)
        except ImportError:
            print(f"{t}: not installed (pip install {t}), left out", file=sys.stderr)
    print(f"{'set':<11}" + "".join(f"{t:>11}" for t in tools) + "   (boundary F1 %)")
    speeds: dict[str, list[float]] = {t: [] for t in tools}
    sets: list[str] = []
    for lang, tb in jobs:
        docs = load_ntrex_en(ss) if tb == "ntrex_en" else ss.load_ud(tb, False)
        tag = TAGS.get(tb, TAGS.get(lang, lang))
        sets.append(tb)
        row, errs = [], None
        for t in tools:
            r, speed = score(ss, docs, TOOLS[t](tag))
            speeds[t].append(speed)
            row.append(100 * ss.prf(r)[2])
            if t == "kzkg":
                errs = r
        print(f"{tb:<11}" + "".join(f"{f:>11.1f}" for f in row), flush=True)
        if args.errors and errs:
            for kind in ("fp", "fn"):
                for p in errs[kind][: args.errors]:
                    print(f"    {kind} {ss.context(errs['gold_canon'], p, 40)}")
    unit = f"(M chars/s, CPU time, best of {REPEAT})"
    print(f"\n{'set':<11}" + "".join(f"{t:>11}" for t in tools) + f"   {unit}")
    for i, name in enumerate(sets):
        print(f"{name:<11}" + "".join(f"{speeds[t][i] / 1e6:>11.2f}" for t in tools))
    median = "".join(f"{statistics.median(speeds[t]) / 1e6:>11.2f}" for t in tools)
    print(f"{'median':<11}{median}")
    if "kzkg" in speeds and "icu" in speeds:
        ratios = [k / i for k, i in zip(speeds["kzkg"], speeds["icu"], strict=True)]
        pairs = zip(sets, ratios, strict=True)
        print("\nkzkg / icu: " + ", ".join(f"{n} {q:.3f}" for n, q in pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
