"""Agreement of facts between translations: `kzkg run --align-method facts` on UDHR (and NTREX).

The Universal Declaration of Human Rights in en, kk, ru, ar and zh-Hans
(../shared/data/parallel/udhr/) is written as one plain-text file per language, each
`<title>` and `<para>` one line (as issue 20 describes). With `--ntrex`, NTREX-128 in the
same five languages (../shared/data/parallel/ntrex/) is run too: one file per language,
documents separated by a blank line, in DOCUMENT_IDS.tsv order. Each corpus is one
directory, so its files are aligned with each other (`--group-by dir`).

The run uses this checkout (a subprocess with it first on PYTHONPATH). Every diff record
is a fact compared between two translations of one bead; the table counts, per fact
type, how many agree, conflict, or are stated on one side only (missing), and the share
that agrees. Translations state the same facts, so every record should agree.

    python benchmarks/bench_agreement.py [--ntrex] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

from shared import ROOT, SHARED

UDHR = SHARED / "data" / "parallel" / "udhr"
NTREX = SHARED / "data" / "parallel" / "ntrex"
UDHR_FILES = {
    "en": "udhr_eng.xml",
    "kk": "udhr_kaz.xml",
    "ru": "udhr_rus.xml",
    "ar": "udhr_arb.xml",
    "zh": "udhr_cmn_hans.xml",
}
NTREX_FILES = {
    "en": "newstest2019-src.eng.txt",
    "kk": "newstest2019-ref.kaz.txt",
    "ru": "newstest2019-ref.rus.txt",
    "ar": "newstest2019-ref.arb.txt",
    "zh": "newstest2019-ref.zho-CN.txt",
}
NUMERIC = ("date", "year", "year_range", "number", "money", "percent")
STATUSES = ("agree", "conflict", "missing")


def udhr_lines(path: Path) -> list[str]:
    """Each <title> and <para> of one UDHR file as one line, in document order."""
    out = []
    for el in ET.parse(path).getroot().iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in ("title", "para"):
            text = " ".join("".join(el.itertext()).split())
            if text:
                out.append(text)
    return out


def write_udhr(dest: Path) -> None:
    dest.mkdir(parents=True)
    for lang, name in UDHR_FILES.items():
        (dest / f"udhr_{lang}.txt").write_text("\n".join(udhr_lines(UDHR / name)) + "\n")


def write_ntrex(dest: Path) -> None:
    dest.mkdir(parents=True)
    ids = (NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    for lang, name in NTREX_FILES.items():
        lines = (NTREX / name).read_text(encoding="utf-8").splitlines()
        out, prev = [], None
        for doc_id, line in zip(ids, lines, strict=True):
            if prev is not None and doc_id != prev:
                out.append("")  # a blank line between documents
            out.append(line)
            prev = doc_id
        (dest / f"ntrex_{lang}.txt").write_text("\n".join(out) + "\n", encoding="utf-8")


def run(corpus: Path, out: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "kzkg_tools", "run", str(corpus), "-o", str(out)]
    subprocess.run([*cmd, "--align-method", "facts"], env=env, check=True)
    return time.perf_counter() - t0


def table(title: str, out: Path) -> None:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    beads = set()
    named = 0  # persons one side names and the other's text writes (docs/align.md)
    derived = 0  # places one side names and the other's text writes as an adjective
    for line in (out / "diff.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        beads.add(rec["bead"])
        counts[rec["type"]][rec["status"]] += 1
        named += rec["reason"].startswith("named in the other text")
        derived += rec["reason"].startswith(("found as an adjective", "found as a modifier"))
    aligned = sum(1 for _ in (out / "aligned.jsonl").open(encoding="utf-8"))
    print(f"\n{title}: {aligned} beads")
    print(f"{'type':<12}" + "".join(f"{s:>10}" for s in STATUSES) + f"{'agree %':>10}")
    numeric: Counter[str] = Counter()
    for t in sorted(counts, key=lambda t: (t not in NUMERIC, t)):
        c = counts[t]
        if t in NUMERIC:
            numeric.update(c)
        total = sum(c.values())
        row = "".join(f"{c[s]:>10}" for s in STATUSES)
        print(f"{t:<12}{row}{100 * c['agree'] / total if total else 0:>9.1f}%")
    total = sum(numeric.values())
    if total:
        row = "".join(f"{numeric[s]:>10}" for s in STATUSES)
        print(f"{'numeric':<12}{row}{100 * numeric['agree'] / total:>9.1f}%")
    print(f"entities agreeing as named in the other text: {named}")
    print(f"places agreeing as an adjective or modifier in the other text: {derived}")
    conflicts = sum(c["conflict"] for c in counts.values())
    print(
        f"conflicts per bead: {conflicts} / {aligned} = {100 * conflicts / max(aligned, 1):.2f} %"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ntrex", action="store_true", help="Also run NTREX-128 (slower).")
    ap.add_argument("--keep", metavar="DIR", help="Write the corpora and outputs here.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kzkg-agreement-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        corpora = [("UDHR", write_udhr, "udhr")]
        if args.ntrex:
            corpora.append(("NTREX-128", write_ntrex, "ntrex"))
        for title, write, name in corpora:
            write(work / name)
            seconds = run(work / name, work / f"{name}-out")
            table(f"{title} (kzkg run --align-method facts, {seconds:.0f} s)", work / f"{name}-out")


if __name__ == "__main__":
    main()
