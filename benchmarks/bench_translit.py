"""Kazakh Arabic script -> Cyrillic: word accuracy and throughput, beside the naive baseline.

    python benchmarks/bench_translit.py [--folds 5] [--show-errors 0]

Needs ../shared (resolved from this file). Prints, for each word set, type and token-weighted
word accuracy of `kzkg_tools.translit` and of the naive letter map that ../shared's scorer
calls its baseline, in the same run:
* dev: ../shared/data/translit/roundtrip_words.tsv (UD Kazakh-KTB + seed 002 words, Kazinform
  spelling). The shipped lexicon contains most of them, so this measures lexicon recall;
* held-out: the same words in k folds, each read with a lexicon and suffix list rebuilt by
  data/translit/build.py from sources with that fold's words removed (needs Debian hunspell-kk
  and hunspell-tools, like the build), so only stems, suffix chains and letter rules can help;
* mediawiki: word pairs of MediaWiki 1.12's kk-arab and kk-cyrl messages (same key, same
  number of words), a different, older spelling convention (hamza U+0674, и as ىي);
* mw-kazinform: MediaWiki's kk-cyrl words (lower case) spelled the Kazinform way by our own
  cyrl_to_arab and read back: independent text in seed 003's convention;
* cldr: word pairs of CLDR 48.2 kk_Arab and kk (same field, same number of words), China's
  spelling conventions; cldr-indep leaves out territory and time-zone city names, whose
  Cyrillic the lexicon has from ICU's copy of CLDR.
Then throughput in MB/s of UTF-8 input, warm (lexicon loaded) and including the first load.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

from shared import SHARED

from kzkg_tools.translit.kk_arab import Reader
from kzkg_tools.translit.lexicon import Lexicon, read_tsv
from kzkg_tools.translit.reverse import cyrl_to_arab
from kzkg_tools.translit.text import arab_to_cyrl, convert

ROOT = Path(__file__).resolve().parents[1]
PARALLEL = SHARED / "data" / "parallel"
ARAB_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d5]+(?:-[\u0621-\u064a\u0671-\u06d5]+)*")
CYRL_WORD = re.compile(r"[а-яёәғқңөұүһі]+(?:-[а-яёәғқңөұүһі]+)*", re.IGNORECASE)

Pairs = Counter[tuple[str, str]]  # (arabic, cyrillic) -> occurrences


def norm(s: str) -> str:
    return unicodedata.normalize("NFC", s).casefold().replace("ё", "е")


def baseline() -> Callable[[str], str]:
    spec = importlib.util.spec_from_file_location("score", SHARED / "bench/translit/score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.baseline  # type: ignore[no-any-return]


def dev_pairs() -> Pairs:
    pairs: Pairs = Counter()
    for line in (SHARED / "data/translit/roundtrip_words.tsv").read_text("utf-8").splitlines():
        arab, cyr, n = line.split("\t")
        pairs[arab, cyr] += int(n)
    return pairs


def _aligned(arab_texts: dict[str, str], cyr_texts: dict[str, str]) -> Pairs:
    """Word pairs of texts with the same key and the same number of words."""
    pairs: Pairs = Counter()
    for key, arab in arab_texts.items():
        cyr = cyr_texts.get(key)
        if not cyr:
            continue
        aw, cw = ARAB_WORD.findall(arab), CYRL_WORD.findall(cyr)
        if aw and len(aw) == len(cw):
            pairs.update(zip(aw, cw, strict=True))
    return pairs


def mediawiki_pairs() -> Pairs:
    d = PARALLEL / "mediawiki-1.12"
    return _aligned(
        json.loads((d / "messages.kk-arab.json").read_text("utf-8")),
        json.loads((d / "messages.kk-cyrl.json").read_text("utf-8")),
    )


def mediawiki_roundtrip_pairs() -> Pairs:
    """MediaWiki's kk-cyrl words spelled the Kazinform way by `cyrl_to_arab`: independent
    Cyrillic text (no lexicon source) in the convention of seed 003."""
    messages = json.loads(
        (PARALLEL / "mediawiki-1.12" / "messages.kk-cyrl.json").read_text("utf-8")
    )
    pairs: Pairs = Counter()
    for text in messages.values():
        for word in CYRL_WORD.findall(text):
            if word.islower():  # names and acronyms have other spelling rules
                pairs[cyrl_to_arab(word), word] += 1
    return pairs


def _flatten(obj: object, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _flatten(v, f"{prefix}/{k}")
    elif isinstance(obj, str):
        yield prefix.split("/", 3)[-1], obj


def cldr_pairs(skip: tuple[str, ...] = ()) -> Pairs:
    d = PARALLEL / "cldr-48.2"
    pairs: Pairs = Counter()
    for f in sorted((d / "kk-Arab").glob("*.json")):
        if f.name in skip:
            continue
        arab = dict(_flatten(json.loads(f.read_text("utf-8"))))
        cyr = dict(_flatten(json.loads((d / "kk" / f.name).read_text("utf-8"))))
        pairs.update(_aligned(arab, cyr))
    return pairs


def accuracy(pairs: Pairs, read: Callable[[str], str]) -> tuple[float, float, list[tuple]]:
    """Type and token-weighted word accuracy; an Arabic word may have several right answers."""
    accept: dict[str, set[str]] = {}
    for (arab, cyr), _ in pairs.items():
        accept.setdefault(arab, set()).add(norm(cyr))
    counts: Counter[str] = Counter()
    for (arab, _), n in pairs.items():
        counts[arab] += n
    ok = tok_ok = 0
    wrong = []
    for arab, refs in accept.items():
        got = norm(read(arab))
        good = got in refs
        ok += good
        tok_ok += counts[arab] * good
        if not good:
            wrong.append((arab, sorted(refs)[0], got))
    return ok / len(accept), tok_ok / sum(counts.values()), wrong


def _build_module() -> ModuleType:
    """kzkg_tools/data/translit/build.py, which builds the lexicon from its sources."""
    path = ROOT / "kzkg_tools" / "data" / "translit" / "build.py"
    spec = importlib.util.spec_from_file_location("translit_build", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


def heldout(pairs: Pairs, folds: int, read_base: Callable[[str], str]) -> tuple:
    """k-fold accuracy with each fold read by a lexicon and suffix list rebuilt from sources
    that no longer contain that fold's words (hunspell stems and generated forms, UD forms
    with their lemmas and endings, running text), so the trigram model and the suffix counts
    are fold-free too."""
    build = _build_module()
    sources = build.Sources.load()
    items = sorted(pairs.items())
    totals = {"ours": [0.0, 0.0, 0, 0], "base": [0.0, 0.0, 0, 0]}
    wrong: list[tuple] = []
    for k in range(folds):
        fold: Pairs = Counter(dict(items[k::folds]))
        words, suffixes = build.build(sources.without({norm(c) for _, c in fold}))
        reader = Reader(Lexicon(words.items(), suffixes.items()))
        for name, read in (("ours", reader.word), ("base", read_base)):
            acc, tok, bad = accuracy(fold, read)
            n, ntok = len({a for a, _ in fold}), sum(fold.values())
            t = totals[name]
            t[0] += acc * n
            t[1] += tok * ntok
            t[2] += n
            t[3] += ntok
            if name == "ours":
                wrong.extend(bad)
    return (
        {name: (t[0] / t[2], t[1] / t[3]) for name, t in totals.items()},
        wrong,
    )


def throughput(lines: list[str], read: Callable[[str], object]) -> float:
    size = sum(len(line.encode("utf-8")) + 1 for line in lines)
    t0 = time.perf_counter()
    for line in lines:
        read(line)
    return size / (time.perf_counter() - t0) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--show-errors", type=int, default=0, metavar="N")
    args = ap.parse_args()
    base = baseline()

    t0 = time.perf_counter()
    arab_to_cyrl("ءبىر")
    load = time.perf_counter() - t0

    def ours(word: str) -> str:
        return arab_to_cyrl(word, repair=False)[0]

    print(
        f"{'set':12} {'words':>6} {'tokens':>7}   {'ours type':>9} {'token':>7}   "
        f"{'baseline type':>13} {'token':>7}"
    )
    sets = {
        "dev": dev_pairs(),
        "mediawiki": mediawiki_pairs(),
        "mw-kazinform": mediawiki_roundtrip_pairs(),
        "cldr": cldr_pairs(),
        # The lexicon holds ICU's Kazakh country and city names (CLDR territories and
        # time-zone cities), so those two files measure recall there.
        "cldr-indep": cldr_pairs(skip=("territories.json", "timeZoneNames.json")),
    }
    errors = {}
    for name, pairs in sets.items():
        acc, tok, bad = accuracy(pairs, ours)
        bacc, btok, _ = accuracy(pairs, base)
        errors[name] = bad
        n = len({a for a, _ in pairs})
        print(
            f"{name:12} {n:6d} {sum(pairs.values()):7d}   {acc:9.4f} {tok:7.4f}   "
            f"{bacc:13.4f} {btok:7.4f}"
        )
        if name == "dev" and args.folds:
            res, bad = heldout(pairs, args.folds, base)
            errors["held-out"] = bad
            print(
                f"{'held-out':12} {n:6d} {sum(pairs.values()):7d}   {res['ours'][0]:9.4f} "
                f"{res['ours'][1]:7.4f}   {res['base'][0]:13.4f} {res['base'][1]:7.4f}"
                f"   ({args.folds} folds, lexicon rebuilt without each fold)"
            )

    mw = json.loads((PARALLEL / "mediawiki-1.12/messages.kk-arab.json").read_text("utf-8"))
    lines = [line for text in mw.values() for line in text.splitlines()] * 20
    lines += [a for a, _ in sets["dev"]] * 5
    fresh = Reader(Lexicon(read_tsv("lexicon.tsv.gz"), read_tsv("suffixes.tsv")))
    cold = throughput(lines, lambda line: convert(line, True, fresh))
    warm = throughput(lines, arab_to_cyrl)
    naive = throughput(lines, base)
    mb = sum(len(line.encode("utf-8")) + 1 for line in lines) / 1e6
    print(
        f"throughput on {mb:.1f} MB of Arabic-script lines: ours {warm:.2f} MB/s warm, "
        f"{cold:.2f} MB/s with an empty word cache; baseline {naive:.2f} MB/s; "
        f"lexicon load {load:.2f} s"
    )
    if args.show_errors:
        for name, bad in errors.items():
            print(f"-- {name}: first {args.show_errors} errors (arabic, expected, got)")
            for row in bad[: args.show_errors]:
                print("  " + "\t".join(row))


if __name__ == "__main__":
    main()
