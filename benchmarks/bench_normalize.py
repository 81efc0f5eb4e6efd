"""Numbers for `kzkg normalize`, side by side with existing tools, in one run.

    python benchmarks/bench_normalize.py [--rounds 3] [--no-huge]
    python benchmarks/bench_normalize.py --stage DIR [--against TREE] [--rounds 3]
    python benchmarks/bench_normalize.py --markdown [--against TREE] [--rounds 3]

Prints: leftover markup tokens on seeds 000 (wikitext) and 004 (markdown);
leftover `<ref`, `{{`, `{|` and throughput on the 77 wikitext pages of
../shared/data/wikitext/ for mwparserfromhell `strip_code()`, WikiExtractor
(`Extractor.clean_text`, in-process; `pip install wikiextractor`) and ours;
Markdown throughput against markdown-it-py's parse + render, on those pages written as
Markdown and seed 004; pathological pages; visual-order repair on reversed lines of seeds 001/003.
`--stage DIR` times the whole stage (`normalize_file`) warm over the files under DIR
(the pipeline corpus of benchmarks/corpus.py), each pass in a fresh process after a
set-up on texts not in DIR (word lists, langdetect and transliteration models); with
`--against TREE` (another checkout, e.g. `git worktree add /tmp/old main`) it
alternates this tree and that one, round by round, and prints the ratio. `--markdown` times
the whole stage on seed 004 repeated to 1 MB (bench_speed.py's Markdown row) and on the
Markdown documents above, with markdown-it-py's parse + render on the same texts in the same
process, one fresh process per tree and round (`--against` as for `--stage`).
Machines are noisy: throughput is counted in CPU time of this process, and
ratios within one run are what to compare, not MB/s across runs.
"""

from __future__ import annotations

import argparse
import difflib
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from shared import SHARED, interleaved  # noqa: E402

WIKI = SHARED / "data" / "wikitext"
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "tests" / "golden" / "normalize"
TOKENS = ["[[", "]]", "{{", "}}", "'''", "==", "##", "](http", "](../", "\\[", "Category:"]
TOKENS += ["<ref", "-{"]
PAGE_TOKENS = ["<ref", "{{", "{|"]

from kzkg_tools.normalize import NormalizeOptions, normalize_file  # noqa: E402
from kzkg_tools.normalize.unicode import normalize_chars  # noqa: E402
from kzkg_tools.normalize.wikitext import TooHard, normalize_wikitext  # noqa: E402


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def strip_code(text: str) -> str:
    import mwparserfromhell

    return mwparserfromhell.parse(text).strip_code()


def wikiextractor(text: str) -> str | None:
    try:
        from wikiextractor.extract import Extractor
    except ImportError:
        return None
    extractor = Extractor(0, 0, "", "page", [])
    return "\n".join(extractor.clean_text(text))


def ours_wikitext(text: str) -> str:
    """The markup stage alone: character pass plus the wikitext normalizer (no language id)."""
    chars, _ = normalize_chars(text)
    try:
        return normalize_wikitext(chars).text
    except TooHard:
        return chars


def ours_stage(text: str) -> str:
    """The whole stage as `kzkg normalize` runs it, language identification included."""
    return normalize_file("page.wiki", text, NormalizeOptions(format="wikitext")).text


def markdown_it_text(text: str) -> str:
    import html
    import re

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(text)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def wiki_markdown(text: str) -> str:
    """A wikitext page as the Markdown pandoc's MediaWiki reader writes (the shape of seed 004):
    `## headings`, `- items`, `**bold**`, `[label](url "wikilink")`, `\\[n\\]` citations;
    templates, tables and files go. Throughput input for the Markdown normalizer."""
    import mwparserfromhell
    from mwparserfromhell.nodes import Heading, Tag, Template, Text, Wikilink

    refs = 0

    def inline(code: object) -> str:
        nonlocal refs
        out = []
        for node in code.nodes:  # type: ignore[attr-defined]
            if isinstance(node, Text):
                out.append(node.value.replace("[", "\\[").replace("]", "\\]"))
            elif isinstance(node, Wikilink):
                target = str(node.title).strip()
                if ":" in target:
                    continue
                label = inline(node.text) if node.text else target
                url = "https://en.wikipedia.org/wiki/" + target.replace(" ", "_")
                out.append(f'[{label}]({url} "wikilink")')
            elif isinstance(node, Heading):
                out.append(f"{'#' * node.level} {inline(node.title).strip()}")
            elif isinstance(node, Tag):
                name = str(node.tag).lower()
                if node.wiki_markup in ("*", "#"):
                    out.append("- ")
                elif name == "ref":
                    refs += 1
                    out.append(f"\\[{refs}\\]")
                elif name in ("b", "i") and node.contents is not None:
                    mark = "**" if name == "b" else "*"
                    out.append(mark + inline(node.contents).strip() + mark)
                elif name not in ("table", "gallery") and node.contents is not None:
                    out.append(inline(node.contents))
            elif not isinstance(node, Template):
                out.append(node.__strip__() or "")  # type: ignore[attr-defined]
        return "".join(out)

    page = inline(mwparserfromhell.parse(text))
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", page)).strip() + "\n"


def leftovers(text: str, tokens: list[str]) -> int:
    return sum(text.count(tok) for tok in tokens)


def row(name: str, *cells: object) -> None:
    print(f"  {name:<34}" + "".join(f"{c!s:>14}" for c in cells))


def bench_seeds() -> None:
    print("Leftover markup tokens (" + " ".join(TOKENS) + ")")
    text = seed("000").read_text(encoding="utf-8")
    golden = (GOLDEN / seed("000").name).read_text(encoding="utf-8").rstrip("\n")
    row("tool on seed 000 (wikitext)", "leftovers", "similarity")
    tools: list[tuple[str, Callable[[str], str | None]]] = [
        ("mwparserfromhell strip_code", strip_code),
        ("WikiExtractor clean_text", wikiextractor),
        ("kzkg normalize", ours_stage),
    ]
    for name, tool in tools:
        out = tool(text)
        if out is None:
            row(name, "not installed")
            continue
        sim = difflib.SequenceMatcher(None, out.strip(), golden, autojunk=False).ratio()
        row(name, leftovers(out, TOKENS), f"{sim:.3f}")
    text = seed("004").read_text(encoding="utf-8")
    golden = (GOLDEN / seed("004").name).read_text(encoding="utf-8").rstrip("\n")
    row("tool on seed 004 (markdown)", "leftovers", "similarity")
    for name, tool in [
        ("markdown-it render, tags stripped", markdown_it_text),
        (
            "kzkg normalize",
            lambda t: normalize_file("004.md", t, NormalizeOptions(format="markdown")).text,
        ),
    ]:
        out = tool(text)
        sim = difflib.SequenceMatcher(None, out.strip(), golden, autojunk=False).ratio()
        row(name, leftovers(out, TOKENS), f"{sim:.3f}")


def timed(
    tools: list[tuple[str, Callable[[str], str | None]]], texts: list[str], rounds: int
) -> dict[str, tuple[list[float], list[str]]]:
    """{tool: (CPU seconds of each round, outputs)}; rounds interleaved, so load hits all alike.

    Tools that return None (not installed) are left out."""
    tools = [(name, tool) for name, tool in tools if tool(texts[0]) is not None]
    times: dict[str, list[float]] = {name: [] for name, _ in tools}
    outs: dict[str, list[str]] = {}
    for r in range(rounds):
        for name, tool in tools if r % 2 == 0 else reversed(tools):
            start = time.process_time()
            outs[name] = [tool(t) or "" for t in texts]
            times[name].append(time.process_time() - start)
    return {name: (times[name], outs[name]) for name, _ in tools}


def wiki_pages() -> list[Path]:
    """The 77 real pages: 71 of wtf_wikipedia's test cache and the 6 of hard/."""
    return sorted((WIKI / "wtf_wikipedia_tests_cache").glob("*.txt")) + sorted(
        (WIKI / "hard").glob("*.wiki")
    )


def bench_pages(rounds: int) -> None:
    pages = wiki_pages()
    if not pages:
        print(f"(no pages in {WIKI}: skipped)")
        return
    texts = [p.read_text(encoding="utf-8") for p in pages]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(
        f"\n{len(texts)} wikitext pages, {mb:.2f} MB, {rounds} rounds; MB per CPU second of this"
        " process (wall time swings with other jobs on the machine), best and median"
    )
    tools: list[tuple[str, Callable[[str], str | None]]] = [
        ("mwparserfromhell strip_code", strip_code),
        ("WikiExtractor clean_text", wikiextractor),
        ("kzkg wikitext normalizer", ours_wikitext),
        ("kzkg normalize (whole stage)", ours_stage),
    ]
    row("tool", *PAGE_TOKENS, "best MB/s", "median MB/s", "vs strip_code")
    results = timed(tools, texts, rounds)
    base = None
    for name, _tool in tools:
        if name not in results:
            row(name, "not installed")
            continue
        times, outs = results[name]
        best, median = mb / min(times), mb / statistics.median(times)
        base = base or median
        counts = [sum(o.count(tok) for o in outs) for tok in PAGE_TOKENS]
        row(name, *counts, f"{best:.2f}", f"{median:.2f}", f"{median / base:.2f}x")
    hard = sorted((WIKI / "hard").glob("*.wiki"))
    if hard:
        outs = [ours_stage(p.read_text(encoding="utf-8")) for p in hard]
        counts = [sum(o.count(tok) for o in outs) for tok in [*PAGE_TOKENS, "-{", "[["]]
        print(f"  hard/ pages ({len(hard)}), ours: <ref {{{{ {{| -{{ [[ left = {counts}")


def markdown_it_render(text: str) -> str:
    """markdown-it-py's parse and HTML render, with the parser settings ours uses."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text)


def ours_markdown(text: str) -> str:
    """The whole stage on Markdown, as `kzkg normalize --format markdown` runs it."""
    return normalize_file("page.md", text, NormalizeOptions(format="markdown")).text


def bench_markdown(rounds: int) -> None:
    """Markdown throughput: the 77 pages as wiki-converted Markdown (`wiki_markdown`), seed 004."""
    texts = [wiki_markdown(p.read_text(encoding="utf-8")) for p in wiki_pages()]
    texts.append(seed("004").read_text(encoding="utf-8"))
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"\n{len(texts)} Markdown documents (the pages above as pandoc-style Markdown, seed 004)")
    print(f"  {mb:.2f} MB, {rounds} rounds, MB per CPU second")
    tools: list[tuple[str, Callable[[str], str | None]]] = [
        ("markdown-it parse + render", markdown_it_render),
        ("kzkg normalize (whole stage)", ours_markdown),
    ]
    row("tool", "best MB/s", "median MB/s", "vs md-it")
    results = timed(tools, texts, rounds)
    base = None
    for name, _tool in tools:
        times, _outs = results[name]
        best, median = mb / min(times), mb / statistics.median(times)
        base = base or median
        row(name, f"{best:.2f}", f"{median:.2f}", f"{median / base:.2f}x")


def bench_pathological(huge: bool) -> None:
    print("\nPathological wikitext (must degrade to plain text with a warning, losing nothing)")
    cases = {
        "10,000 nested templates": "{{a|" * 10_000 + "x" + "}}" * 10_000,
        "unclosed tags (3,000)": "<div><span>text [[link {{tpl|" * 3_000,
    }
    if huge:
        cases["50 MB line"] = "word [[link]] {{t}} " * 2_500_000
    for name, text in cases.items():
        start = time.perf_counter()
        doc = normalize_file("bad.wiki", text, NormalizeOptions(format="wikitext"))
        took = time.perf_counter() - start
        kept = "".join(doc.text.split()) == "".join(text.split())
        row(name, f"{took:.2f} s", "degraded" if "degraded" in doc.metadata else "parsed", kept)


def bench_visual_order() -> None:
    import icu

    print("\nVisual-order repair: seed lines reversed with ICU's bidi (mirroring), then normalized")
    for prefix in ("001", "003"):
        lines = [ln for ln in seed(prefix).read_text(encoding="utf-8").split("\n") if ln.strip()]
        restored = false_alarms = 0
        for line in lines:
            bidi = icu.Bidi()
            bidi.setPara(icu.UnicodeString(line), 1)
            visual = str(bidi.writeReordered(icu.Bidi.DO_MIRRORING))
            restored += normalize_chars(visual)[0] == line
            false_alarms += normalize_chars(line)[0] != line
        row(f"seed {prefix}: {len(lines)} lines", f"{restored} restored", f"{false_alarms} false")


# Run with the PYTHONPATH of the tree under test: it must not import this file's tree.
STAGE_PASS = r"""
import json, sys, time
from pathlib import Path
from kzkg_tools.detect import _hant_hans, _model
from kzkg_tools.normalize import NormalizeOptions, normalize_file
from kzkg_tools.normalize.pdflexicon import _ru_sorted, wordlists
from kzkg_tools.translit.kk_arab import reader

files = sorted(p for p in Path(sys.argv[1]).rglob("*") if p.is_file() and p.name[0] != ".")
texts = [(str(p), p.read_text("utf-8")) for p in files]
opts = NormalizeOptions()
t0 = time.process_time()
wordlists(), _ru_sorted(), _model(), _hant_hans(), reader().model
warm = [
    "Қазақстан Республикасы мемлекет-\nтер аралық ынты мақ тастық туралы келісім.\n" * 12,
    "== T ==\n[[link]] {{t}} text 中文 內容 [[x]] {{y}}\n" * 3,
    "# Head\n\n**x** [a](https://x.org) text\n",
    "كەلىسىم جاسادى ۇلتتىق ٴبىرىنشى\n" * 3,
    "plain English words and Русский текст\n",
]
for i, text in enumerate(warm):
    normalize_file(f"warm{i}.txt", text, opts)
setup = time.process_time() - t0
t0 = time.process_time()
for path, text in texts:
    normalize_file(path, text, opts)
seconds = time.process_time() - t0
mb = sum(len(t.encode()) for _, t in texts) / 1e6
print(json.dumps({"setup": setup, "seconds": seconds, "mb": mb, "files": len(texts)}))
"""


def bench_stage(corpus: Path, against: Path | None, rounds: int) -> None:
    """The whole stage, warm, in CPU seconds of a fresh process per pass (see the docstring)."""

    trees = {"this tree": ROOT} | ({str(against): against} if against else {})
    results = interleaved(trees, rounds, STAGE_PASS, str(corpus))
    first = results["this tree"][0]
    print(f"Whole stage, warm, {first['files']:.0f} files ({first['mb']:.2f} MB) under {corpus}")
    print(f"  {'tree':<28}{'MB per CPU second, by round':>40}{'set-up s':>10}")
    for name, runs in results.items():
        speeds = "  ".join(f"{x['mb'] / x['seconds']:.3f}" for x in runs)
        setup = statistics.median(x["setup"] for x in runs)
        print(f"  {name:<28}{speeds:>40}{setup:>10.2f}")
    if against:
        pairs = zip(results["this tree"], results[str(against)], strict=True)
        ratios = "  ".join(f"{theirs['seconds'] / ours['seconds']:.2f}x" for ours, theirs in pairs)
        print(f"  this tree vs {against}, per round: {ratios}")


# One pass of `--markdown`: the whole stage and markdown-it-py's parse + render (as
# bench_speed.py's Markdown row runs it) on the same texts, rounds interleaved in this process.
MARKDOWN_PASS = r"""
import html, json, re, statistics, sys, time
from pathlib import Path
from markdown_it import MarkdownIt
from kzkg_tools.normalize import NormalizeOptions, normalize_file

def markdown_it(text):
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))

opts = NormalizeOptions(format="markdown")
ours = lambda text: normalize_file("page.md", text, opts)
inputs = json.loads(Path(sys.argv[1]).read_text("utf-8"))
rounds = int(sys.argv[2])
out = {}
for name, texts in inputs.items():
    for text in texts[:3] + texts[-3:]:  # warm: parser, language profiles, Han tables
        ours(text), markdown_it(text)
    times = {"kzkg": [], "markdown-it": []}
    for _ in range(rounds):
        for tool, step in (("kzkg", ours), ("markdown-it", markdown_it)):
            start = time.process_time()
            for text in texts:
                step(text)
            times[tool].append(time.process_time() - start)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    out[name] = {tool: mb / statistics.median(s) for tool, s in times.items()}
print(json.dumps(out))
"""


def bench_markdown_against(against: Path | None, rounds: int) -> None:
    """`--markdown`: Markdown MB/s of this tree (and `against`) and of markdown-it in each pass."""
    import json
    import tempfile

    seed004 = seed("004").read_text(encoding="utf-8")
    pages = [wiki_markdown(p.read_text(encoding="utf-8")) for p in wiki_pages()] + [seed004]
    inputs = {
        "seed 004 to 1 MB": [seed004] * max(1, round(1e6 / len(seed004.encode()))),
        f"{len(pages)} Markdown documents": pages,
    }
    trees = {"this tree": ROOT} | ({str(against): against} if against else {})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inputs.json"
        path.write_text(json.dumps(inputs), encoding="utf-8")
        results = interleaved(trees, rounds, MARKDOWN_PASS, str(path), "3")
    print("Markdown, whole stage vs markdown-it parse + render in the same process (MB per CPU s,")
    print("median of 3 interleaved rounds per process; one process per tree and round)")
    for corpus in inputs:
        print(f"  {corpus}")
        for name, runs in results.items():
            speeds = "  ".join(f"{r[corpus]['kzkg']:.2f}" for r in runs)
            ratios = "  ".join(f"{r[corpus]['kzkg'] / r[corpus]['markdown-it']:.2f}" for r in runs)
            print(f"    {name:<26} kzkg MB/s {speeds}   kzkg / markdown-it {ratios}")
        if against:
            pairs = zip(results["this tree"], results[str(against)], strict=True)
            gain = "  ".join(f"{a[corpus]['kzkg'] / b[corpus]['kzkg']:.2f}x" for a, b in pairs)
            print(f"    this tree / {against}: {gain}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-huge", action="store_true", help="skip the 50 MB line")
    parser.add_argument("--stage", type=Path, help="time only the whole stage on this corpus")
    parser.add_argument(
        "--against", type=Path, help="with --stage or --markdown: another checkout to compare"
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="only Markdown: the stage and markdown-it-py in the same process, per tree",
    )
    args = parser.parse_args()
    if args.markdown:
        bench_markdown_against(args.against, args.rounds)
        return
    if args.stage:
        bench_stage(args.stage, args.against, args.rounds)
        return
    bench_seeds()
    bench_pages(args.rounds)
    bench_markdown(args.rounds)
    bench_pathological(not args.no_huge)
    bench_visual_order()


if __name__ == "__main__":
    main()
