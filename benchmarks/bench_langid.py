"""Sentence-level language ID: kzkg_tools.detect vs stock langdetect vs lingua, in one run.

    python benchmarks/bench_langid.py [--shared ../shared] [--no-ntrex] [--errors N]
    python benchmarks/bench_langid.py --write-fixtures tests/fixtures/langid

Sets (targets from issue 2): UD test files in ../shared/data/ud/ — kk (the part of
kk_ktb-ud-test held out from the Kazakh profile), ar PUD, zh GSD (zh-Hant), zh GSDSimp
(zh-Hans), ru GSD, en EWT — and the lines of seed 003 (kk-Arab). NTREX-128 news
references (../shared/data/parallel/ntrex/) follow as an out-of-domain check; the
profile never saw them.

A prediction counts when its BCP 47 tag equals the set's tag. Tools that cannot name
the script (lingua: one Chinese, one Kazakh) are also scored on the language subtag
alone, in the second table, so the comparison is fair to them. Sentences with no
letters once URLs and e-mail addresses are removed ("--", "(713) 853-7408", a bare
link) have no language — `kzkg detect` says `und` for them by contract — and are left
out of every tool's score; the `skipped` column counts them.

The cost of kzkg's prior for the corpus languages is measured on the other languages'
gettext catalogues of this machine (/usr/share/locale/*/LC_MESSAGES/*.mo: short UI
strings, some left untranslated in English), when present: accuracy per language and
the share wrongly given one of the corpus languages. `--prior W` sets every entry of
kzkg_tools.detect.PRIOR_WEIGHTS to W to show the trade-off.
"""

from __future__ import annotations

import argparse
import gettext
import importlib.util
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import regex  # noqa: E402
from shared import SHARED  # noqa: E402

from kzkg_tools import detect as kzkg_detect  # noqa: E402
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


_NO_LANGUAGE = regex.compile(r"https?://\S+|www\.\S+|\S+@\S+")
_LETTER = regex.compile(r"\p{L}")
GETTEXT_LANGS = ("de", "fr", "es", "it", "nl", "pt", "pl", "sv", "tr", "uk", "bg", "mk", "fa")
CORPUS_TAGS = {"ar", "en", "ru", "kk-Cyrl", "kk-Arab", "zh-Hans", "zh-Hant"}


def has_language(text: str) -> bool:
    return bool(_LETTER.search(_NO_LANGUAGE.sub(" ", text)))


def gettext_sets(per_lang: int = 200) -> list[tuple[str, str, list[str]]]:
    """Up to `per_lang` translated messages of at least two words per gettext language."""
    sets = []
    for lang in GETTEXT_LANGS:
        messages: dict[str, None] = {}
        for mo in sorted(Path("/usr/share/locale", lang, "LC_MESSAGES").glob("*.mo")):
            if mo.name.startswith("iso_"):  # ISO code lists: names, not sentences
                continue
            try:
                with mo.open("rb") as f:
                    catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
            except (OSError, UnicodeDecodeError):  # a catalogue in a legacy charset
                continue
            for key, value in sorted(catalog.items(), key=lambda kv: str(kv[0])):
                if key and isinstance(value, str):
                    value = regex.sub(r"%[-\w.]*|\{\w*\}|&", " ", value).strip()
                    if len(regex.findall(r"\p{L}+", value)) >= 2:
                        messages[value] = None
        picked = list(messages)[:: max(1, len(messages) // per_lang)][:per_lang]
        if picked:
            sets.append((f"gettext {lang}", lang, picked))
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


def score(
    sets: list[tuple[str, str, list[str]]], tools: dict[str, Callable[[str], str]], errors: int
) -> tuple[dict[tuple[str, str], list[str]], Counter[str]]:
    """Every tool's predictions on every set, and each tool's seconds."""
    predictions: dict[tuple[str, str], list[str]] = {}
    seconds: Counter[str] = Counter()
    for name, tag, sentences in sets:
        for tool, run in tools.items():
            start = time.perf_counter()
            predictions[name, tool] = [run(s) for s in sentences]
            seconds[tool] += time.perf_counter() - start
        wrong = [
            (p, s) for p, s in zip(predictions[name, "kzkg"], sentences, strict=True) if p != tag
        ]
        for p, s in wrong[:errors]:
            print(f"  {name}: {p}: {s[:120]}")
    return predictions, seconds


FIXTURE_SENTENCES = 50


def write_fixtures(shared: Path, out: Path) -> None:
    """Every k-th sentence (with letters) of each UD set: the test suite's small copy."""
    for name, tag, sentences in load_sets(shared, ntrex=False):
        if name.startswith("UD"):
            kept = [s for s in sentences if has_language(s)]
            picked = kept[:: len(kept) // FIXTURE_SENTENCES][:FIXTURE_SENTENCES]
            (out / f"{tag}.txt").write_text("".join(f"{s}\n" for s in picked), "utf-8")
            print(f"{out / tag}.txt: {len(picked)} sentences of {name}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--no-ntrex", dest="ntrex", action="store_false")
    ap.add_argument("--no-gettext", dest="gettext", action="store_false")
    ap.add_argument("--prior", type=float, help="set every kzkg PRIOR_WEIGHTS entry to this")
    ap.add_argument("--errors", type=int, default=0, help="print N errors of kzkg per set")
    ap.add_argument("--write-fixtures", type=Path, help="write the test fixtures and stop")
    args = ap.parse_args()
    if args.write_fixtures:
        write_fixtures(args.shared, args.write_fixtures)
        return
    if args.prior is not None:
        kzkg_detect.PRIOR_WEIGHTS = dict.fromkeys(kzkg_detect.PRIOR_WEIGHTS, args.prior)
    sets = []
    skipped: dict[str, int] = {}
    for name, tag, sentences in load_sets(args.shared, args.ntrex):
        kept = [s for s in sentences if has_language(s)]
        skipped[name] = len(sentences) - len(kept)
        sets.append((name, tag, kept))
    tools = {"kzkg": detect_lang, "langdetect": stock_langdetect()}
    if importlib.util.find_spec("lingua"):
        tools["lingua"] = lingua()
    else:
        print("lingua not installed (pip install lingua-language-detector): left out")
    for run in tools.values():  # build models and caches outside the timed loops
        run("warm up")
    predictions, seconds = score(sets, tools, args.errors)
    n_sentences = sum(len(s) for _, _, s in sets)
    header = f"| set | tag | n | skipped | target | {' | '.join(tools)} |"
    rule = "|---|---|---:|---:|---:|" + "---:|" * len(tools)
    for title, same in [
        ("exact BCP 47 tag", lambda p, tag: p == tag),
        ("language subtag only", lambda p, tag: p.split("-")[0] == tag.split("-")[0]),
    ]:
        print(f"\nAccuracy, {title}:\n\n{header}\n{rule}")
        for name, tag, sentences in sets:
            target = f"{TARGETS[tag]:.2f}" if name.startswith(("UD", "seed")) else "—"
            cells = " | ".join(
                f"{sum(same(p, tag) for p in predictions[name, t]) / len(sentences):.4f}"
                for t in tools
            )
            print(f"| {name} | {tag} | {len(sentences)} | {skipped[name]} | {target} | {cells} |")
    speed = " | ".join(f"{t} {n_sentences / seconds[t]:,.0f}" for t in tools)
    print(f"\nSentences/s over all {n_sentences} sentences: {speed}")
    print(f"\nkzkg errors by predicted tag (PRIOR_WEIGHTS {kzkg_detect.PRIOR_WEIGHTS}):")
    for name, tag, _ in sets:
        wrong = Counter(p for p in predictions[name, "kzkg"] if p != tag)
        if wrong:
            print(f"  {name}: {dict(wrong.most_common())}")
    if args.gettext:
        other = gettext_sets()
        predictions, _ = score(other, tools, 0)
        print("\nOther languages, gettext messages: accuracy / share given a corpus language\n")
        print(f"| set | n | {' | '.join(tools)} |\n|---|---:|" + "---:|" * len(tools))
        for name, tag, sentences in other:
            cells = []
            for t in tools:
                p = predictions[name, t]
                ok = sum(x == tag for x in p) / len(p)
                corpus = sum(x in CORPUS_TAGS for x in p) / len(p)
                cells.append(f"{ok:.3f} / {corpus:.3f}")
            print(f"| {name} | {len(sentences)} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
