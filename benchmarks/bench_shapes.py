"""Hostile input shapes (issue #17 items 3-4): is every command linear in time, bounded in memory?

Each shape is generated at each size (default 1 and 8 MB) into a temporary folder, and every
command runs on it as a fresh `python -m kzkg_tools` process, with a time cap (killed after
`--timeout` seconds) and an address-space cap (`RLIMIT_AS`, `--as-limit` MB). `segment` reads
the Documents that `normalize` wrote, `facts` the Sentences that `segment` wrote, so each stage
is timed on its own input. Per command and size the table shows CPU seconds (user + system of
the process and its children, from `os.wait4`: a loaded, shared machine inflates them far less
than wall time), and the peak RSS of the largest process.

A row passes when
* time is linear: CPU seconds at the largest size ≤ 1.25 × (largest / smallest size) × those at
  the smallest (≤ 10× for 1 → 8 MB);
* throughput: every size at ≥ 0.3 MB/s (of the shape's bytes over CPU seconds): a smaller
  size can be the slow one (a document group under `pipeline.MAX_GROUP_SENTENCES` is
  aligned, the same shape over it is not);
* memory is bounded: peak RSS ≤ 20 × the document's size + 300 MB at every size.

    python benchmarks/bench_shapes.py                       # 1 and 8 MB, every shape
    python benchmarks/bench_shapes.py --sizes 0.1,0.4       # a quick check
    python benchmarks/bench_shapes.py --shapes arab_word --commands translit

There is no other tool to run side by side here: the shapes are failure modes of this
toolkit's own stages, and the criteria are absolute.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
MB = 1_000_000

#: Criteria of issue #17 items 3-4.
LINEAR_SLACK = 1.25  # 8 MB may take 10x the 1 MB run: 8x linear plus a quarter for noise
MIN_MB_PER_S = 0.3
RSS_PER_INPUT = 20  # peak RSS ≤ RSS_PER_INPUT × document size + RSS_BASE_MB
RSS_BASE_MB = 300

# --- generators: each returns the bytes of one input file of about `size` bytes ---------------

KK_ARAB = (SEEDS / "003_07f1efdd8f50746f.txt").read_text("utf-8")
KK_CYRL = (SEEDS / "002_b841a6e1d22a4f9c.txt").read_text("utf-8")
AR = (SEEDS / "001_21962d996b2447f1.txt").read_text("utf-8")
ZH = (SEEDS / "004_44474c06cde52ca1.txt").read_text("utf-8")


def _words(text: str, script_test: Callable[[str], bool]) -> list[str]:
    return [w for w in text.split() if w and all(script_test(c) for c in w)]


def _is_arabic(c: str) -> bool:
    return "\u0600" <= c <= "\u06ff"


def _is_cyrillic(c: str) -> bool:
    return "\u0400" <= c <= "\u04ff"


ARAB_WORDS = _words(KK_ARAB, _is_arabic)
CYRL_WORDS = _words(KK_CYRL, _is_cyrillic)
AR_WORDS = _words(AR, _is_arabic)
HAN = [c for c in ZH if "\u4e00" <= c <= "\u9fff"]
LATN_WORDS = "Kazakhstan and Kyrgyzstan signed the treaty on the border in 2001".split()


def _fill(unit: Callable[[int], str], size: int) -> bytes:
    """Units `unit(0), unit(1), …` until `size` bytes."""
    parts: list[bytes] = []
    total = i = 0
    while total < size:
        b = unit(i).encode()
        parts.append(b)
        total += len(b)
        i += 1
    return b"".join(parts)


def long_arab_line(size: int) -> bytes:
    """One line of Arabic-script Kazakh (words of seed 003, no newline until the end)."""
    n = len(ARAB_WORDS)
    return _fill(lambda i: ARAB_WORDS[(i * 7) % n] + " ", size) + b"\n"


def wikitable_openers(size: int) -> bytes:
    """A wikitext page (an infobox, a lead, a heading), then `{|` table openers that are never
    closed, each with a row of links (50,000 at 2.6 MB)."""
    head = (
        "{{Infobox country\n| name = Қазақстан\n}}\n"
        "'''Қазақстан''' — [[Орталық Азия]]дағы мемлекет.\n== Тарих ==\n"
    )
    return head.encode() + _fill(
        lambda i: f'{{| class="wikitable"\n| [[Қазақстан]] мен [[Қырғызстан]] {i}\n', size
    )


def arab_word(size: int) -> bytes:
    """One Arabic-script word of size/2 letters (1 M letters at 2 MB): letters only, no
    punctuation or hamza, which would end the word."""
    letters = "".join(
        c for c in "".join(ARAB_WORDS[:50]) if c.isalpha() and c not in "\u0621\u0674"
    )
    n = size // 2
    return (letters * (n // len(letters) + 1))[:n].encode() + b"\n"


def four_scripts(size: int) -> bytes:
    """Short lines in turn in Cyrillic, Arabic, Han and Latin script (200,000 lines at 7 MB)."""

    def line(i: int) -> str:
        k = i % 4
        if k == 0:
            return " ".join(CYRL_WORDS[(i + j) % len(CYRL_WORDS)] for j in range(3)) + "\n"
        if k == 1:
            return " ".join(AR_WORDS[(i + j) % len(AR_WORDS)] for j in range(3)) + "\n"
        if k == 2:
            return "".join(HAN[(i + j) % len(HAN)] for j in range(8)) + "\n"
        return " ".join(LATN_WORDS[(i + j) % len(LATN_WORDS)] for j in range(4)) + "\n"

    return _fill(line, size)


def pdf_pages(size: int) -> bytes:
    """PDF text: pages of a running header, one body line, a page number and a form feed
    (50,000 pages at 8 MB)."""

    def page(i: int) -> str:
        body = " ".join(CYRL_WORDS[(i * 5 + j) % len(CYRL_WORDS)] for j in range(8))
        return f"ҚАЗАҚСТАН МЕН ҚЫРҒЫЗСТАН ҚАТЫНАСТАРЫ\n{body}.\n{i + 1}\n\f"

    return _fill(page, size)


def hyphen_runs(size: int) -> bytes:
    """Half the bytes `-\\n` lines (500,000 at 1 MB of them), then `сөз-\\nдер\\n` lines."""
    dashes = b"-\n" * (size // 4)
    words = "сөз-\nдер\n".encode()
    return dashes + words * ((size - len(dashes)) // len(words) + 1)


def joiner_spam(size: int) -> bytes:
    """Zero-width joiner, non-joiner and word joiner between every letter, and runs of 1,000."""
    spam = "\u200d\u200c\u2060"

    def unit(i: int) -> str:
        if i % 50 == 49:
            return spam * 333 + "\n"
        w = CYRL_WORDS[i % len(CYRL_WORDS)] if i % 2 else ARAB_WORDS[i % len(ARAB_WORDS)]
        return spam[i % 3].join(w) + " "

    return _fill(unit, size)


def visual_arabic(size: int) -> bytes:
    """Arabic lines stored in visual order (each line's characters reversed, as some PDF
    extractors write them)."""
    lines = [ln for ln in AR.splitlines() if ln.strip()]
    return _fill(lambda i: lines[i % len(lines)][::-1] + "\n", size)


SHAPES: dict[str, Callable[[int], bytes]] = {
    "arab_line": long_arab_line,
    "wiki_openers": wikitable_openers,
    "arab_word": arab_word,
    "four_scripts": four_scripts,
    "pdf_pages": pdf_pages,
    "hyphen_runs": hyphen_runs,
    "joiners": joiner_spam,
    "visual_arabic": visual_arabic,
}
COMMANDS = [
    "detect",
    "normalize",
    "normalize-text",
    "translit",
    "segment",
    "facts",
    "run",
]


#: The command whose output a command reads.
NEEDS = {"segment": "normalize", "facts": "segment"}


@dataclass
class Result:
    cpu: float
    wall: float
    rss_mb: float
    status: str  # "ok", "timeout", "exit N"


FAILED = Result(0.0, 0.0, 0.0, "producer failed")


def _argv(command: str, src: Path, work: Path) -> tuple[list[str], Path | None]:
    """The kzkg arguments of `command` and the file its stdout goes to (None: discarded)."""
    docs, sents = work / "docs.jsonl", work / "sents.jsonl"
    return {
        "detect": (["detect", str(src)], None),
        "normalize": (["normalize", str(src)], docs),
        "normalize-text": (["normalize", "--out", "text", str(src)], None),
        "translit": (["translit", "--from", "kk-Arab", "--to", "kk-Cyrl", str(src)], None),
        "segment": (["segment", str(docs)], sents),
        "facts": (["facts", str(sents)], None),
        "run": (
            ["run", str(src), "-o", str(work / "run-out"), "-j1", "--align-method", "facts"],
            None,
        ),
    }[command]


def run_one(argv: list[str], out: Path | None, timeout: float, as_limit_mb: int) -> Result:
    """One `python -m kzkg_tools -q ARGV` with caps: CPU and wall seconds, peak RSS."""

    def limits() -> None:
        cap = as_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    stdout = open(out, "wb") if out else subprocess.DEVNULL
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kzkg_tools", "-q", *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=limits,  # only setrlimit, before exec
        start_new_session=True,
    )
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > timeout:
            os.killpg(proc.pid, signal.SIGKILL)  # the group we started: the run's workers too
            timed_out = True
        time.sleep(0.05)
    wall = time.monotonic() - start
    if out:
        stdout.close()  # type: ignore[union-attr]
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    code = proc.returncode
    label = "timeout" if timed_out else ("ok" if code == 0 else f"exit {code}")
    if code not in (0, None) and not timed_out and err:
        label += f" ({err.strip().splitlines()[-1][:60]})"
    return Result(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, label)


def ensure(
    command: str, src: Path, work: Path, done: dict[str, Result], timeout: float, as_limit: int
) -> Result | None:
    """`command`'s result on `src`; its producers run first (silently when not asked for).
    None when a producer failed."""
    needs = NEEDS.get(command)
    if needs and (ensure(needs, src, work, done, timeout, as_limit) or FAILED).status != "ok":
        return None
    if command not in done:
        argv, out = _argv(command, src, work)
        done[command] = run_one(argv, out, timeout, as_limit)
    return done[command]


def verdict(sizes: list[float], res: list[Result | None]) -> str:
    why = []
    if any(r is None or r.status != "ok" for r in res):
        return "FAIL (" + ", ".join(r.status if r else FAILED.status for r in res) + ")"
    small, big = res[0], res[-1]
    assert small and big
    if len(res) > 1 and big.cpu > LINEAR_SLACK * sizes[-1] / sizes[0] * max(small.cpu, 0.01):
        why.append("superlinear")
    if any(r and s / max(r.cpu, 0.01) < MIN_MB_PER_S for s, r in zip(sizes, res, strict=True)):
        why.append("slow")
    if any(
        r.rss_mb > RSS_PER_INPUT * s + RSS_BASE_MB for s, r in zip(sizes, res, strict=True) if r
    ):
        why.append("memory")
    return "FAIL (" + ", ".join(why) + ")" if why else "PASS"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1,8", help="sizes in MB, smallest first [1,8]")
    ap.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shape names")
    ap.add_argument("--commands", default=",".join(COMMANDS), help="comma-separated commands")
    ap.add_argument("--timeout", type=float, default=900, help="wall seconds per command [900]")
    ap.add_argument("--as-limit", type=int, default=4096, help="address-space cap, MB [4096]")
    ap.add_argument("--keep", type=Path, help="generate the inputs into this folder and keep them")
    args = ap.parse_args()
    sizes = sorted(float(s) for s in args.sizes.split(","))
    shapes = args.shapes.split(",")
    commands = [c for c in COMMANDS if c in args.commands.split(",")]
    tmp = tempfile.TemporaryDirectory(prefix="kzkg-shapes-")
    base = args.keep or Path(tmp.name)
    head = " | ".join(f"CPU s@{s:g}MB" for s in sizes)
    print(
        f"| shape | command | {head} | ratio | MB/s@{sizes[-1]:g}MB | min MB/s "
        f"| wall s@{sizes[-1]:g}MB "
        f"| peak RSS@{sizes[-1]:g}MB | verdict |"
    )
    print("|---|---|" + "---:|" * (len(sizes) + 5) + "---|")
    failed = 0
    for shape in shapes:
        results: dict[str, list[Result | None]] = {c: [] for c in commands}
        for size in sizes:
            work = base / f"{shape}-{size:g}MB"
            work.mkdir(parents=True, exist_ok=True)
            src = work / "input.txt"
            src.write_bytes(SHAPES[shape](int(size * MB)))
            done: dict[str, Result] = {}

            for command in commands:
                r = ensure(command, src, work, done, args.timeout, args.as_limit)
                results[command].append(r)
                print(f"  {shape} {size:g} MB {command}: {r}", file=sys.stderr, flush=True)
        for command in commands:
            res = results[command]
            v = verdict(sizes, res)
            failed += v != "PASS"
            cells = [f"{r.cpu:.1f}" if r else "–" for r in res]
            small, big = res[0], res[-1]
            ratio = f"{big.cpu / max(small.cpu, 0.01):.1f}" if small and big else "–"
            rate = f"{sizes[-1] / big.cpu:.2f}" if big and big.cpu else "–"
            rates = [s / r.cpu for s, r in zip(sizes, res, strict=True) if r and r.cpu]
            slowest = f"{min(rates):.2f}" if len(rates) == len(res) else "–"
            wall = f"{big.wall:.1f}" if big else "–"
            rss = f"{big.rss_mb:.0f} MB" if big else "–"
            print(
                f"| {shape} | {command} | {' | '.join(cells)} | {ratio} | {rate} | {slowest} "
                f"| {wall} "
                f"| {rss} | {v} |",
                flush=True,
            )
    tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
