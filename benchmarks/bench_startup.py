"""Start-up of every command on a one-line input, side by side with one-purpose tools.

    python benchmarks/bench_startup.py [--runs 7] [--against TREE] [--cold]

Each row is a whole process (`python -m kzkg_tools …` with PYTHONPATH at this tree), run
`--runs` times; printed: the median wall seconds and the median CPU seconds (user + system of
the child, `getrusage`), which the other processes of a busy machine disturb much less. In the
same rounds it times `python -c pass` (the interpreter's floor) and, where one exists, a
one-purpose tool doing the same job on the same line: langdetect's `detect`, an ICU sentence
break iterator, ICU's `kk-ar` and `Kazakh-Latin/BGN` transliterators, `json.loads` of each line.

`--against TREE` (another checkout: `git worktree add /tmp/startup-old main`) runs every command
of that tree too, interleaved round by round with this one, and prints the ratio. The cache of
built resources (`KZKG_CACHE_DIR`) is a fresh temporary folder, warmed by one run of each
command before timing; `--cold` empties it before every run instead (the first start after
install or after a data change).

Python here may run with PYTHONDONTWRITEBYTECODE=1, which makes every start compile the
package's sources (about 60 ms): the child processes run with bytecode writing on, as an
installed package has its bytecode compiled at install time; `--no-bytecode` keeps the
compiling in.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# One-line inputs cut from the seeds (line number, characters kept): one sentence or so.
LINES = {
    "kk.txt": ("002_b841a6e1d22a4f9c.txt", 4, 200),  # Kazakh Cyrillic prose
    "kk-arab.txt": ("003_07f1efdd8f50746f.txt", 2, 400),  # Kazakh in the Arabic script
    "zh.txt": ("000_ea888725cebc72af.txt", 14, 120),  # Chinese wikitext prose
    "ar.txt": ("001_21962d996b2447f1.txt", 1, 200),  # Arabic
}
# Small multi-line inputs: a PDF-text excerpt takes MIN_PDF_LINES (10) lines to be detected as
# one; the wikitext excerpt is the infobox and first paragraph of seed 000.
EXCERPTS = {
    "pdf.txt": ("002_b841a6e1d22a4f9c.txt", 20),
    "wiki.txt": ("000_ea888725cebc72af.txt", 16),
}


def make_inputs(where: Path, env: dict[str, str]) -> dict[str, Path]:
    """The input files, and the records the later stages read (made with this tree)."""
    paths = {}
    for name, (seed, line, chars) in LINES.items():
        text = (SEEDS / seed).read_text(encoding="utf-8").splitlines()[line - 1][:chars]
        paths[name] = where / name
        paths[name].write_text(text.strip() + "\n", encoding="utf-8")
    for name, (seed, lines) in EXCERPTS.items():
        text = (SEEDS / seed).read_text(encoding="utf-8").splitlines()[:lines]
        paths[name] = where / name
        paths[name].write_text("\n".join(text) + "\n", encoding="utf-8")
    folder = where / "tiny"
    folder.mkdir()
    shutil.copy(paths["kk.txt"], folder / "kk.txt")
    shutil.copy(paths["ar.txt"], folder / "ar.txt")
    paths["tiny"] = folder
    out = where / "tiny-out"
    kzkg = [sys.executable, "-m", "kzkg_tools", "-q"]
    subprocess.run(
        [*kzkg, "run", str(folder), "-o", str(out), "--align-method", "facts"],
        env=env,
        cwd=where,
        check=True,
    )
    for name in ("documents", "sentences", "aligned"):
        paths[name] = out / f"{name}.jsonl"
    # one document and its sentences: the inputs of segment and facts
    paths["doc"] = where / "doc.jsonl"
    paths["doc"].write_text(paths["documents"].read_text().splitlines()[0] + "\n")
    return paths


def commands(p: dict[str, Path], out: Path) -> list[tuple[str, list[str]]]:
    s = {k: str(v) for k, v in p.items()}
    return [
        ("detect kk-Cyrl", ["detect", s["kk.txt"]]),
        ("detect ar", ["detect", s["ar.txt"]]),
        ("normalize kk-Cyrl", ["normalize", s["kk.txt"]]),
        ("normalize kk-Arab", ["normalize", s["kk-arab.txt"]]),
        ("normalize zh", ["normalize", s["zh.txt"]]),
        ("normalize ar", ["normalize", s["ar.txt"]]),
        ("normalize pdf-text", ["normalize", s["pdf.txt"]]),
        ("normalize wikitext", ["normalize", s["wiki.txt"]]),
        ("segment", ["segment", s["doc"]]),
        (
            "translit kk-Arab→kk-Cyrl",
            ["translit", "--from", "kk-Arab", "--to", "kk-Cyrl", s["kk-arab.txt"]],
        ),
        (
            "translit kk-Cyrl→kk-Arab",
            ["translit", "--from", "kk-Cyrl", "--to", "kk-Arab", s["kk.txt"]],
        ),
        ("facts", ["facts", s["sentences"]]),
        ("align", ["align", "--method", "facts", s["sentences"]]),
        ("diff", ["diff", s["aligned"], s["sentences"]]),
        ("check", ["check", s["sentences"]]),
        ("run (2 files)", ["run", s["tiny"], "-o", str(out), "--align-method", "facts"]),
        # -j1: no fork server and worker processes, each one more interpreter start
        ("run -j1 (2 files)", ["run", "-j1", s["tiny"], "-o", str(out), "--align-method", "facts"]),
    ]


def references(p: dict[str, Path]) -> list[tuple[str, str, list[str]]]:
    """(the row it stands beside, label, argv): one-purpose tools on the same input."""
    py = sys.executable
    read = "open(sys.argv[1], encoding='utf-8').read()"
    return [
        ("", "python -c pass", [py, "-c", "pass"]),
        (
            "detect ar",
            "langdetect detect()",
            [
                py,
                "-c",
                f"import sys; from langdetect import detect; print(detect({read}))",
                str(p["ar.txt"]),
            ],
        ),
        (
            "segment",
            "ICU sentence BreakIterator",
            [
                py,
                "-c",
                "import sys, icu; b = icu.BreakIterator.createSentenceInstance(icu.Locale('kk'));"
                f" t = {read}; b.setText(t); print(list(b))",
                str(p["kk.txt"]),
            ],
        ),
        (
            "translit kk-Cyrl→kk-Arab",
            "ICU kk-ar transliterator",
            [
                py,
                "-c",
                "import sys, icu; print(icu.Transliterator.createInstance('kk-ar')"
                f".transliterate({read}))",
                str(p["kk.txt"]),
            ],
        ),
        (
            "check",
            "json.loads of each line",
            [
                py,
                "-c",
                "import sys, json; [json.loads(x) for x in open(sys.argv[1])]",
                str(p["sentences"]),
            ],
        ),
    ]


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process.

    It runs in a neutral folder: `python -m` puts the working directory first on sys.path,
    before PYTHONPATH, so a run from a checkout would import that checkout's package."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # check exits 1 on invalid records, not an error
        raise SystemExit(f"{' '.join(argv)}: exit {done.returncode}\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--against", type=Path, help="another checkout to compare with")
    ap.add_argument("--cold", action="store_true", help="an empty cache before every run")
    ap.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kzkg-startup-"))
    cache_dir = tmp / "cache"
    base = dict(os.environ, KZKG_CACHE_DIR=str(cache_dir))
    if not args.no_bytecode:
        base.pop("PYTHONDONTWRITEBYTECODE", None)
    trees = {"new": ROOT} | ({"old": args.against.resolve()} if args.against else {})
    envs = {name: dict(base, PYTHONPATH=str(tree)) for name, tree in trees.items()}
    try:
        paths = make_inputs(tmp, envs["new"])
        out = tmp / "run-out"
        rows = commands(paths, out)
        refs = references(paths)
        kzkg = [sys.executable, "-m", "kzkg_tools", "-q"]
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        # warm-up: bytecode, the cache, the page cache
        for env in envs.values():
            for _, argv in rows:
                timed([*kzkg, *argv], env, tmp)
        for _ in range(args.runs):
            for label, argv in rows:
                for name, env in envs.items():
                    if args.cold:
                        shutil.rmtree(cache_dir, ignore_errors=True)
                    times.setdefault((label, name), []).append(timed([*kzkg, *argv], env, tmp))
            for _, label, argv in refs:
                times.setdefault((label, "ref"), []).append(timed(argv, envs["new"], tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def med(key: tuple[str, str], i: int) -> float:
        return statistics.median(t[i] for t in times[key])

    print(
        f"{args.runs} runs each, median; cache {'cold' if args.cold else 'warm'};"
        f" bytecode {'compiled at every start' if args.no_bytecode else 'cached'}"
    )
    head = "| command | wall s | CPU s |"
    if args.against:
        head += " old wall s | old CPU s | CPU old/new |"
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    by_row = {row: (label, argv) for row, label, argv in refs}
    floor = by_row.pop("")
    print(f"| `{floor[0]}` | {med((floor[0], 'ref'), 0):.3f} | {med((floor[0], 'ref'), 1):.3f} |")
    for label, _ in rows:
        line = f"| kzkg {label} | {med((label, 'new'), 0):.3f} | {med((label, 'new'), 1):.3f} |"
        if args.against:
            old_cpu = med((label, "old"), 1)
            ratio = old_cpu / med((label, "new"), 1)
            line += f" {med((label, 'old'), 0):.3f} | {old_cpu:.3f} | {ratio:.1f}× |"
        print(line)
        if label in by_row:
            ref = by_row[label][0]
            print(f"| ↳ {ref} | {med((ref, 'ref'), 0):.3f} | {med((ref, 'ref'), 1):.3f} |")


if __name__ == "__main__":
    main()
