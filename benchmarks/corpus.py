"""Builds the large multilingual benchmark corpus from the seeds and ../shared/data.

Each group directory holds one "article" in several languages and formats, the layout
`kzkg run --group-by dir` aligns: the five seeds, one real wikitext page, one NTREX news document
in its six languages (plain text, one segment per line) and a slice of each UD test set as plain
paragraphs. Group i takes the i-th wikitext page, NTREX document and UD slice (cycling), so
groups differ in content while every file is real text. Groups are added until the corpus
reaches the requested size. Files are written once and reused (the folder name carries the size).
"""

from __future__ import annotations

import re
from itertools import cycle
from pathlib import Path

from shared import SHARED

ROOT = Path(__file__).resolve().parents[1]
NTREX_LANGS = {"arb": "ar", "kaz": "kk", "rus": "ru", "zho-CN": "zh-Hans", "zho-TW": "zh-Hant"}


def _ud_slices(path: Path, per_slice: int = 40) -> list[str]:
    """UD `# text =` sentences in paragraphs of five, `per_slice` sentences per slice."""
    sents = [
        line[len("# text = ") :].strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# text = ")
    ]
    slices = []
    for i in range(0, len(sents), per_slice):
        chunk = sents[i : i + per_slice]
        paras = [" ".join(chunk[j : j + 5]) for j in range(0, len(chunk), 5)]
        slices.append("\n\n".join(paras) + "\n")
    return slices


def _ntrex_docs() -> list[dict[str, str]]:
    """NTREX documents: {lang: text} with one segment per line."""
    base = SHARED / "data" / "parallel" / "ntrex"
    ids = [line.split("\t")[0] for line in (base / "DOCUMENT_IDS.tsv").read_text().splitlines()]
    files = {"en": base / "newstest2019-src.eng.txt"}
    files.update({tag: base / f"newstest2019-ref.{code}.txt" for code, tag in NTREX_LANGS.items()})
    lines = {tag: f.read_text(encoding="utf-8").splitlines() for tag, f in files.items()}
    docs: dict[str, dict[str, list[str]]] = {}
    for i, doc_id in enumerate(ids):
        for tag in files:
            docs.setdefault(doc_id, {}).setdefault(tag, []).append(lines[tag][i])
    return [{tag: "\n".join(v) + "\n" for tag, v in d.items()} for d in docs.values()]


def build(size_mb: int, out: Path | None = None) -> Path:
    """The corpus folder (built if missing) of at least `size_mb` megabytes."""
    out = out or Path("/tmp") / f"kzkg-bench-corpus-{size_mb}mb"
    done = out / ".complete"
    if done.exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    seeds = sorted((ROOT / "seeds").glob("[0-9]*.txt"))
    wiki = cycle(
        sorted((SHARED / "data" / "wikitext").rglob("*.wiki"))
        + sorted((SHARED / "data" / "wikitext" / "wtf_wikipedia_tests_cache").glob("*"))
    )
    ntrex = cycle(_ntrex_docs())
    ud_files = sorted((SHARED / "data" / "ud").rglob("*-ud-test.conllu"))
    ud = {p.stem.split("-")[0]: cycle(_ud_slices(p)) for p in ud_files}
    total, group = 0, 0
    target = size_mb * 1_000_000
    while total < target:
        g = out / f"g{group:05d}"
        g.mkdir(exist_ok=True)
        files: dict[str, bytes] = {p.name: p.read_bytes() for p in seeds}
        page = next(wiki)
        files[f"wiki_{re.sub(r'[^A-Za-z0-9_]', '_', page.stem)}.txt"] = page.read_bytes()
        for tag, text in next(ntrex).items():
            files[f"ntrex_{tag}.txt"] = text.encode()
        for name, slices in ud.items():
            files[f"ud_{name}.txt"] = next(slices).encode()
        for name, data in files.items():
            # The group prefix once kept document ids (file stems) unique; ids are relative
            # paths now, and the prefix stays so the corpus (and its timings) stay the same.
            (g / f"{g.name}_{name}").write_bytes(data)
            total += len(data)
        group += 1
    done.write_text(f"{group} groups, {total} bytes\n")
    return out


if __name__ == "__main__":
    import sys

    print(build(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
