"""Sentence-level language ID: kzkg_tools.detect vs stock langdetect vs lingua, in one run.

    python benchmarks/bench_langid.py [--shared ../shared] [--no-ntrex] [--errors N]

Sets (targets from issue 2): UD test files in ../shared/data/ud/ — kk (the part of
kk_ktb-ud-test held out from the Kazakh profile), ar PUD, zh GSD (zh-Hant), zh GSDSimp
(zh-Hans), ru GSD, en EWT — and the lines of seed 003 (kk-Arab). NTREX-128 news
references (../shared/data/parallel/ntrex/) follow as an out-of-domain check; the
profile never saw them.

A prediction counts when its BCP 47 tag equals the set's tag. Tools that cannot name
the script (lingua: one Chinese, one Kazakh) are also scored on the language subtag
alone, in the second table, so the comparison is fair to them.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kzkg_tools.detect import detect_lang, detect_script  # noqa: E402

TARGETS = {"kk-Cyrl": 0.99, "ar": 0.99, "zh-Hant": 0.99, "zh-Hans": 0.99, "ru": 0.99}
TARGETS |= {"kk-Arab": 0.99, "en": 0.97}


def _builder():
    path = ROOT / "kzkg_tools" / "data" / "langdetect" / "build_profile.py"
    spec = importlib.util.spec_from_file_location("build_profile", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def load_sets(shared: Path, ntrex: bool) -> list[tuple[str, str, list[str]]]:
    """(set name, expected tag, sentences) for every benchmark set."""
    build = _builder()
    ud = shared / "data" / "ud"

    def texts(rel: str) -> list[str]:
        return list(build.ud_texts(ud / rel))

    sets = [
        ("UD kk KTB held-out", "kk-Cyrl", build.held_out_sentences(ud / "kk")),
        ("UD ar PUD", "ar", texts("ar/ar_pud-ud-test.conllu")),
        ("UD zh GSD", "zh-Hant", texts("zh/zh_gsd-ud-test.conllu")),
        ("UD zh GSDSimp", "zh-Hans", texts("zh/zh_gsdsimp-ud-test.conllu")),
        ("UD ru GSD", "ru", texts("ru/ru_gsd-ud-test.conllu")),
        ("UD en EWT", "en", texts("en/en_ewt-ud-test.conllu")),
    ]
    seed = (ROOT / "seeds" / "003_07f1efdd8f50746f.txt").read_text("utf-8")
    sets.append(("seed 003 lines", "kk-Arab", [ln for ln in seed.splitlines() if ln.strip()]))
    if ntrex:
        nt = shared / "data" / "parallel" / "ntrex"
        for name, tag in [("kaz", "kk-Cyrl"), ("arb", "ar"), ("zho-TW", "zh-Hant")]:
            sets.append((f"NTREX {name}", tag, _lines(nt / f"newstest2019-ref.{name}.txt")))
        for name, tag in [("zho-CN", "zh-Hans"), ("rus", "ru")]:
            sets.append((f"NTREX {name}", tag, _lines(nt / f"newstest2019-ref.{name}.txt")))
        sets.append(("NTREX eng", "en", _lines(nt / "newstest2019-src.eng.txt")))
    return sets


def _lines(path: Path) -> list[str]:
    return [ln for ln in path.read_text("utf-8").splitlines() if ln.strip()]


def _with_script(lang: str, text: str) -> str:
    """Tag a tool's bare language code the way detect_lang does (zh, kk need a script)."""
    if lang in ("zh-cn", "zh-tw"):
        return {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}[lang]
    if lang == "kk":
        return "kk-Arab" if detect_script(text) == "Arab" else "kk-Cyrl"
    return lang


def stock_langdetect() -> Callable[[str], str]:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def run(text: str) -> str:
        try:
            return _with_script(detect(text), text)
        except LangDetectException:
            return "und"

    return run


def lingua() -> Callable[[str], str]:
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().build()

    def run(text: str) -> str:
        lang = detector.detect_language_of(text)
        return "und" if lang is None else _with_script(lang.iso_code_639_1.name.lower(), text)

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT / ".." / "shared")
    ap.add_argument("--no-ntrex", dest="ntrex", action="store_false")
    ap.add_argument("--errors", type=int, default=0, help="print N errors of ours per set")
    args = ap.parse_args()
    sets = load_sets(args.shared, args.ntrex)
    tools = {"kzkg": detect_lang, "langdetect": stock_langdetect(), "lingua": lingua()}
    for run in tools.values():  # build models and caches outside the timed loops
        run("warm up")
    exact: dict[tuple[str, str], float] = {}
    lang_only: dict[tuple[str, str], float] = {}
    seconds: Counter[str] = Counter()
    confusions: dict[str, Counter[str]] = {}
    for name, tag, sentences in sets:
        for tool, run in tools.items():
            start = time.perf_counter()
            predicted = [run(s) for s in sentences]
            seconds[tool] += time.perf_counter() - start
            exact[name, tool] = sum(p == tag for p in predicted) / len(sentences)
            base = tag.split("-")[0]
            lang_only[name, tool] = sum(p.split("-")[0] == base for p in predicted) / len(sentences)
            if tool == "kzkg":
                confusions[name] = Counter(p for p in predicted if p != tag)
                wrong = [(p, s) for p, s in zip(predicted, sentences, strict=True) if p != tag]
                for p, s in wrong[: args.errors]:
                    print(f"  {name}: {p}: {s[:120]}")
    n_sentences = sum(len(s) for _, _, s in sets)
    header = f"| set | tag | n | target | {' | '.join(tools)} |"
    rule = "|---|---|---:|---:|" + "---:|" * len(tools)
    for title, table in [("exact BCP 47 tag", exact), ("language subtag only", lang_only)]:
        print(f"\nAccuracy, {title}:\n\n{header}\n{rule}")
        for name, tag, sentences in sets:
            target = f"{TARGETS[tag]:.2f}" if name.startswith(("UD", "seed")) else "—"
            cells = " | ".join(f"{table[name, t]:.4f}" for t in tools)
            print(f"| {name} | {tag} | {len(sentences)} | {target} | {cells} |")
    speed = " | ".join(f"{t} {n_sentences / seconds[t]:,.0f}" for t in tools)
    print(f"\nSentences/s over all {n_sentences} sentences: {speed}")
    print("\nkzkg errors by predicted tag:")
    for name, _, _ in sets:
        if confusions[name]:
            print(f"  {name}: {dict(confusions[name].most_common())}")


if __name__ == "__main__":
    main()
