"""PDF-text repair on seed 002: kzkg's `normalize_pdftext` next to a hunspell-lexicon baseline.

The baseline is the best simple tool the issue names: join wrapped lines, and join a
line-end `X-` / `Y` into `XY` iff `XY` is in the hunspell word lists (the same Debian
hunspell kk/ru/en entries kzkg ships), else keep `X-Y`. It knows no page furniture.

Measures, both tools in the same run (see docs/pdftext.md for the method):
* residual line-break hyphens and real compounds glued, against the hand-checked
  decisions in tests/golden/pdftext/002_hyphens.tsv, plus in-line compounds glued;
* words still split and wrongly joined, against the hand-checked gaps inside words of
  tests/golden/pdftext/002_splits.tsv (what a reader counts);
* words still split, automatically: adjacent tokens `a b` of one paragraph whose concatenation the
  source spells whole elsewhere (a "reference word", at least 4 letters), while `a` or
  `b` is no dictionary word (hunspell entry as listed, or a UD short form) of the
  paragraph's language;
* page furniture left in the body: running header lines, page numbers, the author
  running line, footnote texts and footnote reference digits;
* time per document.

A second, independent check guards against tuning to 002: real Kazakh news text (NTREX-128
`newstest2019-ref.kaz.txt` in ../shared, CC BY-SA 4.0) typeset into a 45-column justified
layout — words hyphenated at Kazakh syllable boundaries at line ends (real hyphens break at
the hyphen), and 3% of the words of seven letters or more split by a justification gap at a
syllable boundary (seeded, so the text is the same every run). The original paragraphs are the
exact gold: output and gold tokens are aligned and every difference is classified.

`--speed` times the normalizer instead: CPU seconds of a fresh process over a few MB of
PDF-like Kazakh text built here (seed 002 copies with varied page numbers; NTREX and UD kk
typeset four ways, cut into pages with running headers, page numbers and form feeds), next to
the plain-text normalizer on the same documents; `--against TREE` (another checkout, e.g.
`git worktree add /tmp/old main`) alternates that tree and this one round by round.

Run: python benchmarks/bench_pdftext.py [--list]   (KZKG_SHARED=dir overrides ../shared)
     python benchmarks/bench_pdftext.py --speed [--rounds 3] [--against TREE]
"""

from __future__ import annotations

import csv
import difflib
import itertools
import random
import statistics
import sys
import time
from collections import Counter
from functools import cache
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared import SHARED, interleaved  # noqa: E402

from kzkg_tools.detect import detect_lang  # noqa: E402
from kzkg_tools.normalize.pdflexicon import wordlists  # noqa: E402
from kzkg_tools.normalize.pdftext import normalize_pdftext  # noqa: E402

SEED = ROOT / "seeds" / "002_b841a6e1d22a4f9c.txt"
GOLD = ROOT / "tests" / "golden" / "pdftext" / "002_hyphens.tsv"
SPLITS = ROOT / "tests" / "golden" / "pdftext" / "002_splits.tsv"
TOKEN = regex.compile(r"(?<![\p{L}\p{N}-])\p{L}+(?:-\p{L}+)*(?![\p{L}\p{N}])")
LINE_BREAK_WORD = regex.compile(r"[\p{L}-]*-[ \t]*\n\s*[\p{L}-]*")
CORE = regex.compile(r"^([«\"“(\[]*)(.*?)([.,;:!?»\"”)\]]*)$")
LETTERS = regex.compile(r"^\p{L}+(?:-\p{L}+)*$")
REPEATS = 20


@cache
def hunspell_words() -> frozenset[str]:
    lists = wordlists()
    return frozenset(lists.kk) | frozenset(lists.ru) | frozenset(lists.en)


def baseline(text: str) -> str:
    """Blank-line paragraphs; lines joined by a space, or without the hyphen when the
    joined word is a hunspell entry."""
    words = hunspell_words()
    paras = []
    for block in regex.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        out = lines[0]
        for line in lines[1:]:
            m = regex.search(r"(\p{L}+)-$", out[-80:])
            n = regex.match(r"\p{L}+", line)
            if m and n:
                joined = (m.group(1) + n.group(0)).lower()
                out = out[:-1] + line if joined in words else out + line
            else:
                out = out + " " + line
        paras.append(regex.sub(r" {2,}", " ", out))
    return "\n\n".join(paras)


def reference_words(src: str) -> Counter[str]:
    """Words the source spells whole in-line: not at a line edge next to a hyphen."""
    ref: Counter[str] = Counter()
    lines = src.split("\n")
    for i, line in enumerate(lines):
        text = line.strip()
        toks = list(TOKEN.finditer(text))
        for k, m in enumerate(toks):
            at_break = (k == len(toks) - 1 and text[m.end() :].startswith("-")) or (
                k == 0 and i > 0 and lines[i - 1].rstrip().endswith("-")
            )
            if not at_break and len(m.group(0)) >= 4:
                ref[m.group(0).lower()] += 1
    return ref


def dictionary(lang: str) -> frozenset[str]:
    lists = wordlists()
    if lang.startswith("kk"):
        return frozenset(lists.kk) | frozenset(lists.kk_short)
    if lang == "ru":
        return frozenset(lists.ru) | frozenset(lists.other_short)
    return frozenset(lists.en) | frozenset(lists.other_short)


def still_split(out: str, ref: Counter[str]) -> list[str]:
    found = []
    for para in out.split("\n\n"):
        dic = dictionary(detect_lang(para))
        words = para.split()
        for a, b in itertools.pairwise(words):
            _, ca, a_trail = CORE.match(a).groups()  # type: ignore[union-attr]
            b_lead, cb, _ = CORE.match(b).groups()  # type: ignore[union-attr]
            if a_trail or b_lead or not (LETTERS.match(ca) and LETTERS.match(cb)):
                continue
            if not cb[0].islower():
                continue
            joined = (ca + cb).lower()
            if joined in ref and not (ca.lower() in dic and cb.lower() in dic):
                found.append(f"{ca} {cb}")
    return found


def gap_errors(src: str, out: str, footnotes: list[str]) -> tuple[int, int, list[str]]:
    """(words still split, words wrongly joined, examples) against the hand-checked gaps
    of tests/golden/pdftext/002_splits.tsv: a gold word rebuilt from pieces must be in the
    output (as a token) that many times more than the source body spells it whole; a gold
    pair kept apart must not be glued. Page furniture and footnotes are left out of both
    texts first, so a tool that keeps them is not credited with their words."""

    def body_tokens(text: str) -> Counter[str]:
        # Both halves of a line-end hyphenated word are no whole word of the source.
        text = " ".join(LINE_BREAK_WORD.sub(" ", text).split())
        for furniture in (RUNNING_HEADER, AUTHOR_LINE, *footnotes):
            text = text.replace(" ".join(furniture.split()), " ")
        return Counter(TOKEN.findall(text))

    with open(SPLITS, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    src_tokens, out_tokens = body_tokens(src), body_tokens(out)
    for r in rows:  # a piece that is a gold word itself (`маңызды` of `маңызды лы-|ғына`)
        src_tokens.subtract(body_tokens(r["source"].replace("-|", "-\n")))
    split = joined = 0
    examples = []
    for gold, n in Counter(r["gold"] for r in rows).items():
        if " " in gold:
            glued = gold.replace(" ", "")
            extra = out_tokens[glued] - src_tokens[glued]
            if extra > 0:
                joined += min(n, extra)
                examples.append(f"wrongly joined {glued}")
            continue
        missing = n - (out_tokens[gold] - src_tokens[gold])
        if missing > 0:
            split += missing
            examples.append(f"split {gold}")
    return split, joined, examples


def hyphen_errors(src: str, out: str) -> tuple[int, int, list[str]]:
    """(residual line-break hyphens, real compounds glued, examples)."""
    residual = glued = 0
    examples = []
    with open(GOLD, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    by_pair: Counter[tuple[str, str, str]] = Counter(
        (r["left"], r["right"], r["gold"]) for r in rows
    )
    for (x, y, gold), n in by_pair.items():
        if gold == "join":
            extra = out.count(f"{x}-{y}") - src.count(f"{x}-{y}")
            if extra > 0:
                residual += min(n, extra)
                examples.append(f"residual {x}-{y}")
        else:
            extra = out.count(f"{x}{y}") - src.count(f"{x}{y}")
            if extra > 0:
                glued += min(n, extra)
                examples.append(f"glued {x}{y}")
    # In-line compounds of the source must keep their hyphen too.
    for comp, n in Counter(regex.findall(r"\p{L}+-\p{L}+", src)).items():
        lost = out.count(comp.replace("-", "")) - src.count(comp.replace("-", ""))
        if lost > 0:
            glued += min(n, lost)
            examples.append(f"glued in-line {comp}")
    return residual, glued, examples


# The page furniture of seed 002, found by reading it (the normalizer finds it by
# repetition and position; the benchmark checks with the strings themselves).
RUNNING_HEADER = (
    "Ғылыми еңбектердегі Қазақстан мен Қырғызстан дипломатиялық қарым-қатынасының зерттелу деңгейі"
)
AUTHOR_LINE = "Д.К. Жекенов, А.Е. Мухаметжан"
PAGE_NUMBER = "47"


def furniture_left(out: str, footnotes: list[str]) -> dict[str, int]:
    paras = [p.strip() for p in out.split("\n\n")]
    return {
        "running header": out.count(RUNNING_HEADER),
        "page number": sum(1 for p in paras if p == PAGE_NUMBER or p.startswith(PAGE_NUMBER + " ")),
        "author line": out.count(AUTHOR_LINE),
        "footnote text": sum(out.count(fn[:40]) for fn in footnotes),
        "reference digit": len(regex.findall(r"\)\d\.", out)),
    }


def timed(fn, *args) -> tuple[object, float]:  # type: ignore[no-untyped-def]
    fn(*args)  # warm: word lists and language profiles load once per process
    start = time.perf_counter()
    for _ in range(REPEATS):
        result = fn(*args)
    return result, (time.perf_counter() - start) / REPEATS


NTREX = SHARED / "data" / "parallel" / "ntrex"
VOWELS = frozenset("аәеиоөуұүыіэюяёАӘЕИОӨУҰҮЫІЭЮЯЁ")
WIDTH = 45
GAP_RATE = 0.03


def syllable_cuts(word: str) -> list[int]:
    """Positions where a Kazakh word may be hyphenated: before a consonant that starts a
    vowel-bearing syllable, leaving at least two letters on each side."""
    cuts = []
    for i in range(2, len(word) - 1):
        if (
            word[i] not in VOWELS
            and i + 1 < len(word)
            and word[i + 1] in VOWELS
            and any(c in VOWELS for c in word[:i])
            and word[i - 1].isalpha()
            and word[i:].isalpha()
            and word[:i].isalpha()
        ):
            cuts.append(i)
    return cuts


def typeset(paragraphs: list[str], rng: random.Random, width: int = WIDTH) -> str:
    """Lay paragraphs out as a justified PDF column of `width` characters would be extracted."""
    out = []
    for para in paragraphs:
        words = []
        for w in para.split():
            cuts = syllable_cuts(w) if len(w) >= 7 else []
            if cuts and rng.random() < GAP_RATE:
                c = rng.choice(cuts)
                words += [w[:c], w[c:]]
            else:
                words.append(w)
        lines, line = [], ""
        for w in words:
            while True:
                if not line:
                    line = w
                    break
                if len(line) + 1 + len(w) <= width:
                    line += " " + w
                    break
                room = width - len(line) - 2
                hyphen = w.find("-")
                if 0 < hyphen <= room and hyphen < len(w) - 1:
                    lines.append(line + " " + w[: hyphen + 1])
                    w = w[hyphen + 1 :]
                else:
                    fits = [c for c in syllable_cuts(w) if c <= room - 1]
                    if fits:
                        lines.append(line + " " + w[: fits[-1]] + "-")
                        w = w[fits[-1] :]
                    else:
                        lines.append(line + " ")
                line = ""
        lines.append(line)
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def ntrex_paragraphs(lo: int = 0, hi: int = 600) -> list[str]:
    """Headlines and paragraphs of up to four sentences of NTREX sentences lo..hi."""
    sents = (NTREX / "newstest2019-ref.kaz.txt").read_text(encoding="utf-8").splitlines()
    ids = (NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    paras: list[str] = []
    current: list[str] = []
    for k in range(lo, min(hi, len(sents))):
        doc, sent = ids[k], sents[k]
        if k == lo or ids[k - 1] != doc:
            if current:
                paras.append(" ".join(current))
            paras.append(sent.strip())  # the headline
            current = []
            continue
        current.append(sent.strip())
        if len(current) == 4:
            paras.append(" ".join(current))
            current = []
    if current:
        paras.append(" ".join(current))
    return [" ".join(p.split()) for p in paras if p.strip()]


def classify(gold: list[str], out: list[str]) -> Counter[str]:
    """Differences between gold and output tokens of one paragraph, by kind."""
    kinds: Counter[str] = Counter()
    sm = difflib.SequenceMatcher(None, gold, out, autojunk=False)
    for op, g0, g1, o0, o1 in sm.get_opcodes():
        if op == "equal":
            continue
        g, o = gold[g0:g1], out[o0:o1]
        if "".join(g) == "".join(o):
            kinds["words still split" if len(o) > len(g) else "words glued"] += abs(len(o) - len(g))
        elif "".join(g).replace("-", "") == "".join(o).replace("-", ""):
            extra = "".join(o).count("-") - "".join(g).count("-")
            kind = "residual line-break hyphens" if extra > 0 else "real compounds glued"
            kinds[kind] += abs(extra)
        else:
            kinds["other differences"] += max(len(g), len(o))
    return kinds


# (first sentence, end, seed): the first slice was looked at while developing, the
# other two were not.
SLICES = ((0, 600, 0), (600, 1200, 1), (1200, 1997, 2))


def synthetic() -> None:
    if not NTREX.is_dir():
        print(f"\nsynthetic check skipped: {NTREX} not found")
        return
    keys = [
        "residual line-break hyphens",
        "words still split",
        "words glued",
        "real compounds glued",
        "other differences",
    ]
    for lo, hi, seed in SLICES:
        gold = ntrex_paragraphs(lo, hi)
        text = typeset(gold, random.Random(seed))
        breaks = len(regex.findall(r"\p{L}-\n", text))
        tokens = " ".join(gold).split()
        print(
            f"\nsynthetic NTREX kk, sentences {lo}-{hi} (seed {seed}): {len(gold)} paragraphs,"
            f" {len(tokens)} words, {breaks} line-end hyphens, gaps in {GAP_RATE:.0%} of long words"
        )
        rows = {}
        for name, out in (
            ("kzkg", normalize_pdftext(text, "kk-Cyrl").text),
            ("hunspell", baseline(text)),
        ):
            counts = classify(tokens, out.split())
            counts["paragraphs"] = out.count("\n\n") + 1
            rows[name] = counts
        print(f"{'':32}{'kzkg':>10}{'hunspell':>10}")
        for key in [*keys, "paragraphs"]:
            print(f"{key:32}{rows['kzkg'][key]:>10}{rows['hunspell'][key]:>10}")
        print(f"{'(gold paragraphs)':32}{len(gold):>10}")


# --speed: throughput of the PDF-text normalizer on a few MB of PDF-like Kazakh text, next
# to the plain-text normalizer on the same text (the ratio to beat), old tree against new.
UD_KK = SHARED / "data" / "ud" / "kk"
# (columns, gap seed) of each typesetting of the NTREX + UD text: other widths break other
# words at line ends and gap other words, so the layouts are not copies of one another.
SPEED_LAYOUTS = ((45, 10), (52, 11), (38, 12), (60, 13))
PAGE_LINES = 46  # body lines per page, about a journal column
DOC_PAGES = 12  # pages per document: an article's length
SEED_COPIES = 8  # copies of seed 002 (its one page number varied) in the speed input
RUNNING_HEADERS = ("Қазақстан тарихы мен мәдениеті журналы", "Қоғам және экономика мәселелері")


def ud_kk_paragraphs() -> list[str]:
    """The UD Kazakh treebank sentences (`# text =`), in paragraphs of five."""
    sents = [
        line[len("# text = ") :].strip()
        for path in sorted(UD_KK.glob("*.conllu"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# text = ")
    ]
    return [" ".join(sents[k : k + 5]) for k in range(0, len(sents), 5)]


def paginate(body: str, first_page: int, header: str) -> str:
    """Cut typeset lines into pages the way a PDF extractor writes them: a running header
    and a blank line on top, a blank line and the page number at the bottom, a form feed
    opening each page after the first. Paragraphs run on across the page breaks."""
    lines = body.split("\n")
    pages = []
    for k in range(0, len(lines), PAGE_LINES):
        n = first_page + k // PAGE_LINES
        top = header if n % 2 else RUNNING_HEADERS[1]
        pages.append("\n".join([top, "", *lines[k : k + PAGE_LINES], "", str(n), ""]))
    return "\n\f".join(pages)


def speed_documents() -> list[tuple[str, str]]:
    """The speed input: (name, text) of each document, about 2.9 MB in all. Needs
    ../shared (NTREX and UD kk); seed 002's copies are always there."""
    src = SEED.read_text(encoding="utf-8")
    docs = [
        (f"002-copy{k}.txt", regex.sub(r"(?m)^47$", str(47 + 31 * k), src))
        for k in range(SEED_COPIES)
    ]
    if not (NTREX.is_dir() and UD_KK.is_dir()):
        return docs
    paragraphs = ntrex_paragraphs(0, 1997) + ud_kk_paragraphs()
    for width, seed in SPEED_LAYOUTS:
        lines = typeset(paragraphs, random.Random(seed), width).split("\n")
        per_doc = PAGE_LINES * DOC_PAGES
        for k in range(0, len(lines), per_doc):
            body = "\n".join(lines[k : k + per_doc])
            docs.append(
                (
                    f"w{width}-{k // per_doc:03d}.txt",
                    paginate(body, 1 + k // PAGE_LINES, RUNNING_HEADERS[0]),
                )
            )
    return docs


# One speed pass, run in a fresh process with the PYTHONPATH of the tree under test (it must
# not import this file's tree). Set-up on other text first (word lists, language profiles),
# not counted; then the PDF-text pass, then the plain pass over the same documents, in CPU
# seconds. Prints the seconds and a digest of every output (text, offsets, blocks, metadata).
SPEED_PASS = r"""
import hashlib, json, sys, time
from kzkg_tools.detect import _model
from kzkg_tools.normalize import NormalizeOptions, normalize_file, normalize_format
from kzkg_tools.normalize.pdflexicon import _ru_sorted, wordlists
from kzkg_tools.records import dumps

docs = json.loads(open(sys.argv[1], encoding="utf-8").read())
t0 = time.process_time()
wordlists(), _ru_sorted(), _model()
warm = "Қазақстан Республикасы мемлекет-\nтер аралық ынты мақ тастық туралы келісім.\n" * 12
normalize_file("warm.txt", warm, NormalizeOptions(format="pdf-text"))
setup = time.process_time() - t0
result = {"setup": setup}
for fmt in ("pdf-text", "plain"):
    digest = hashlib.sha256()
    t0 = time.process_time()
    for name, text in docs:
        out = normalize_format(text, fmt)
        digest.update(repr((out.text, out.offsets.spans, out.blocks, out.metadata)).encode())
    result[fmt + " normalizer"] = [time.process_time() - t0, digest.hexdigest()[:12]]
    digest = hashlib.sha256()
    t0 = time.process_time()
    for name, text in docs:
        doc = normalize_file(name, text, NormalizeOptions(format=fmt))
        digest.update(dumps(doc).encode())
    result[fmt + " stage"] = [time.process_time() - t0, digest.hexdigest()[:12]]
print(json.dumps(result))
"""


def speed(against: Path | None, rounds: int) -> None:
    """Throughput of the PDF-text normalizer and of the plain one on the speed input; with
    `against` (another checkout) the two trees alternate round by round."""
    import json
    import tempfile

    docs = speed_documents()
    mb = sum(len(t.encode("utf-8")) for _, t in docs) / 1e6
    trees = {"this tree": ROOT} | ({str(against): against} if against else {})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docs.json"
        path.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
        runs = interleaved(trees, rounds, SPEED_PASS, str(path))
    print(
        f"speed input: {len(docs)} documents, {mb:.2f} MB (seed 002 x{SEED_COPIES}, NTREX + UD kk"
        f" typeset {len(SPEED_LAYOUTS)} ways); MB per CPU second, by round"
    )
    keys = ["pdf-text normalizer", "plain normalizer", "pdf-text stage", "plain stage"]
    for name, results in runs.items():
        print(f"{name}  (set-up {statistics.median(x['setup'] for x in results):.2f} s)")
        for key in keys:
            speeds = "  ".join(f"{mb / x[key][0]:7.3f}" for x in results)
            print(f"  {key:22}{speeds}   output {results[0][key][1]}")
        for kind in ("normalizer", "stage"):
            ratios = "  ".join(
                f"{x[f'pdf-text {kind}'][0] / x[f'plain {kind}'][0]:6.1f}x" for x in results
            )
            print(f"  pdf-text {kind} slower than plain by {ratios}")
    if against:
        for key in ("pdf-text normalizer", "pdf-text stage"):
            pairs = zip(runs["this tree"], runs[str(against)], strict=True)
            ratios = "  ".join(f"{old[key][0] / new[key][0]:.2f}x" for new, old in pairs)
            same = all(
                x[key][1] == runs["this tree"][0][key][1] for rs in runs.values() for x in rs
            )
            print(f"  {key}: this tree vs {against}, per round {ratios}; same output: {same}")


def main() -> None:
    src = SEED.read_text(encoding="utf-8")
    ours, t_ours = timed(normalize_pdftext, src, "kk-Cyrl")
    base, t_base = timed(baseline, src)
    footnotes = [fn["text"] for fn in ours.metadata["footnotes"]]  # type: ignore[attr-defined]
    ref = reference_words(src)
    rows = {}
    for name, out, secs in (("kzkg", ours.text, t_ours), ("hunspell", base, t_base)):  # type: ignore[attr-defined]
        residual, glued, examples = hyphen_errors(src, out)
        split = still_split(out, ref)
        gap_split, wrong, gap_examples = gap_errors(src, out, footnotes)
        rows[name] = {
            "residual line-break hyphens": residual,
            "words still split (hand gold)": gap_split,
            "words still split (automatic)": len(split),
            "words wrongly joined": wrong,
            "real compounds glued": glued,
            **furniture_left(out, footnotes),
            "ms per document": round(secs * 1000, 1),
            "MB/s": round(len(src.encode()) / secs / 1e6, 3),
        }
        rows[name]["_examples"] = examples + gap_examples + [f"auto-split {s}" for s in split]  # type: ignore[assignment]
    print(f"seed 002 ({len(src)} chars, {src.count(chr(10))} lines); target in brackets")
    targets = {
        "residual line-break hyphens": "0",
        "words still split (hand gold)": "<= 2",
        "words wrongly joined": "0",
        "real compounds glued": "0",
        "running header": "0",
        "page number": "0",
        "author line": "0",
        "footnote text": "0",
        "reference digit": "0",
    }
    print(f"{'':32}{'kzkg':>10}{'hunspell':>10}")
    for key in rows["kzkg"]:
        if key.startswith("_"):
            continue
        target = f"  [{targets[key]}]" if key in targets else ""
        print(f"{key:32}{rows['kzkg'][key]!s:>10}{rows['hunspell'][key]!s:>10}{target}")
    print(f"footnotes moved to metadata: {len(footnotes)}")
    if "--list" in sys.argv:
        for name in rows:
            for ex in rows[name]["_examples"]:  # type: ignore[union-attr]
                print(f"{name}: {ex}")
    synthetic()


if __name__ == "__main__":
    if "--speed" in sys.argv:
        import argparse

        parser = argparse.ArgumentParser(description="PDF-text normalizer throughput")
        parser.add_argument("--speed", action="store_true")
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--against", type=Path, help="another checkout to compare")
        args = parser.parse_args()
        speed(args.against, args.rounds)
    else:
        main()
