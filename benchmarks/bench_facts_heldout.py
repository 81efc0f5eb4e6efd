"""Precision, recall and F1 of the facts on the held-out NTREX-128 documents, per type.

Gold: tests/cases/facts/heldout/ntrex_*.jsonl (every 20th NTREX-128 document in en, kk,
ru, ar, zh-Hans, facts written by hand from FACTS.md; see the README there). Nobody
develops on these documents, so the score says how the facts stage does on text it was
not tuned for.

Each document of each language is written to a temporary plain-text file (its segments
separated by blank lines, so each is a paragraph of its own) and run through the library
as `kzkg run` does: normalize → segment → facts, with the language the normalizer
detects. Numeric types (dates, years, year ranges, numbers, money, percents) are scored
on all seven documents, entities on the four whose entities are annotated
(`ENTITY_DOCS`; entity predictions elsewhere are not counted). A predicted fact matches a gold
fact when type and value are equal and their spans in the document overlap (each gold
fact matched at most once): surfaces are compared by position, not by string, because
where a mention ends (with or without its classifier, unit or case ending) is a
convention, while the value is what a diff between translations compares. The subtype of
matched entities is reported apart (how many agree), not part of the match. Entities are
scored twice: values equal as strings, and values equal under the cross-script Latin key
the diff compares entities by (`names.latin_key`: a name found by pattern, `Dzhin Friman`,
is the gold's `Jeane Freeman`).

    python benchmarks/bench_facts_heldout.py [--errors]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, os.environ.get("KZKG_BENCH_TREE", str(ROOT)))

from scoring import Counts  # noqa: E402  (benchmarks/, the script's own folder)

from kzkg_tools.facts import FactsOptions, facts  # noqa: E402
from kzkg_tools.normalize import NormalizeOptions, normalize_file  # noqa: E402
from kzkg_tools.segment import SegmentOptions, segment  # noqa: E402

try:
    from kzkg_tools.facts.names import latin_key
except ImportError:  # KZKG_BENCH_TREE is a tree from before the key: score with this one's
    import importlib.util

    _spec = importlib.util.spec_from_file_location(
        "kzkg_names", ROOT / "kzkg_tools" / "facts" / "names.py"
    )
    assert _spec and _spec.loader
    _names = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_names)
    latin_key = _names.latin_key

HELDOUT = ROOT / "tests" / "cases" / "facts" / "heldout"
NUMERIC = ["date", "year", "year_range", "number", "money", "percent"]
# the documents whose entities are annotated (tests/cases/facts/heldout/README.md)
ENTITY_DOCS = {"euronews-en.153799", "scotsman.133783", "cbsnews.248471", "bbc.381790"}
# Segments of one document are joined by a blank line: each stays a paragraph of its own.
SEPARATOR = "\n\n"


def load(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The rows of one language file, grouped by document (the label without `-NN`)."""
    docs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line:
            row = json.loads(line)
            docs[row["label"].rsplit("-", 1)[0]].append(row)
    return docs


def gold_spans(rows: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """The document text and its gold facts with `span` set (offsets in that text).

    An entity surface listed twice in a segment is its successive occurrences (the README);
    a numeric one is one occurrence (a score `1-0` is two numbers with one surface).
    """
    text, gold, pos = "", [], 0
    for i, row in enumerate(rows):
        if i:
            text += SEPARATOR
            pos += len(SEPARATOR)
        after: dict[str, int] = {}  # surface → where its next occurrence is searched from
        for e in row["expected"]:
            at = row["input"].index(e["surface"], after.get(e["surface"], 0))
            if e["type"] == "entity":
                after[e["surface"]] = at + len(e["surface"])
            gold.append({**e, "span": [pos + at, pos + at + len(e["surface"])]})
        text += row["input"]
        pos += len(row["input"])
    return text, gold


def predict(path: Path, text: str) -> tuple[list[dict[str, Any]], set[str]]:
    """Facts of one document through normalize → segment → facts, and its languages."""
    path.write_text(text, encoding="utf-8")
    doc = normalize_file(str(path), text, NormalizeOptions())
    out, langs = [], set()
    for s in facts(segment([doc], SegmentOptions()), FactsOptions()):
        langs.add(s.lang)
        for f in s.facts or []:
            if f.type in NUMERIC or f.type == "entity":
                out.append(
                    {
                        "type": f.type,
                        "value": f.value,
                        "surface": f.surface,
                        "span": f.span,
                        "subtype": f.subtype,
                    }
                )
    return out, langs


def _same(g: dict[str, Any], p: dict[str, Any], by_key: bool = False) -> bool:
    if by_key and g["type"] == p["type"] == "entity":
        same_value = latin_key(g["value"]) == latin_key(p["value"])
    else:
        same_value = json.dumps(g["value"], sort_keys=True) == json.dumps(
            p["value"], sort_keys=True
        )
    return (
        g["type"] == p["type"]
        and same_value
        and g["span"][0] < p["span"][1]
        and p["span"][0] < g["span"][1]
    )


class Score(Counts):
    def __init__(self, by_key: bool = False) -> None:
        super().__init__()
        self.by_key = by_key
        self.same_subtype = 0  # matched entities whose subtype agrees too

    def add(self, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[str]:
        errors, pool = [], list(pred)
        for g in gold:
            hit = next((p for p in pool if _same(g, p, self.by_key)), None)
            if hit is None:
                self.fn[g["type"]] += 1
                errors.append(f"  missed   {g['type']} {g['surface']!r} = {g['value']}")
            else:
                pool.remove(hit)
                self.tp[g["type"]] += 1
                self.same_subtype += g["type"] == "entity" and g.get("subtype") == hit["subtype"]
        self.spurious(pool, errors)
        return errors


def print_table(title: str, rows: dict[str, Score], types: list[str]) -> None:
    print(f"\n{title}")
    print(f"{'':<12}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}")
    for label, score in rows.items():
        tp, fp, fn, p, r, f = score.row(types)
        if tp + fp + fn:
            print(f"{label:<12}{tp:>5}{fp:>5}{fn:>5}{p:>8.3f}{r:>8.3f}{f:>8.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="List every missed and spurious fact.")
    args = ap.parse_args()
    total, entities, keyed = Score(), Score(), Score(by_key=True)
    by_lang: dict[str, Score] = {}
    ent_by_lang: dict[str, Score] = {}
    key_by_lang: dict[str, Score] = {}
    with tempfile.TemporaryDirectory(prefix="kzkg-heldout-") as tmp:
        for path in sorted(HELDOUT.glob("ntrex_*.jsonl")):
            lang = path.stem.split("_", 1)[1]
            score = by_lang[lang] = Score()
            ent_score = ent_by_lang[lang] = Score()
            key_score = key_by_lang[lang] = Score(by_key=True)
            for doc_id, rows in load(path).items():
                text, gold = gold_spans(rows)
                pred, langs = predict(Path(tmp) / f"{lang}-{doc_id}.txt", text)
                numeric = [[f for f in facts if f["type"] in NUMERIC] for facts in (gold, pred)]
                errors = score.add(*numeric)
                total.add(*numeric)
                if doc_id in ENTITY_DOCS:
                    named = [[f for f in facts if f["type"] == "entity"] for facts in (gold, pred)]
                    errors += ent_score.add(*named)
                    entities.add(*named)
                    key_score.add(*named)
                    keyed.add(*named)
                if args.errors and errors:
                    print(f"{lang} {doc_id} (detected {', '.join(sorted(langs))})")
                    print("\n".join(errors))
    print_table(
        "held-out NTREX-128, numeric facts, per type (all languages)",
        {t: _only(total, t) for t in [*NUMERIC, "ALL"]},
        NUMERIC,
    )
    print_table("held-out NTREX-128, numeric facts, per language", by_lang, NUMERIC)
    print_table(
        f"held-out NTREX-128, entities ({len(ENTITY_DOCS)} documents), per language",
        {**ent_by_lang, "ALL": entities},
        ["entity"],
    )
    tp = entities.tp["entity"]
    print(f"subtype agrees on {entities.same_subtype}/{tp} matched entities")
    print_table(
        "held-out NTREX-128, entities, values compared by the cross-script Latin key",
        {**key_by_lang, "ALL": keyed},
        ["entity"],
    )


def _only(score: Score, t: str) -> Score:
    """A copy of `score` restricted to type `t` ("ALL": every numeric type)."""
    out = Score()
    for name in ("tp", "fp", "fn"):
        src = getattr(score, name)
        getattr(out, name).update({k: v for k, v in src.items() if t in ("ALL", k)})
    return out


if __name__ == "__main__":
    main()
