"""Build the Kazakh langdetect profile `kk` from UD Kazakh-KTB (not imported at runtime).

    python kzkg_tools/data/langdetect/build_profile.py [UD_KK_DIR]

UD_KK_DIR defaults to ../shared/data/ud/kk beside the repository. The profile is
trained with langdetect's own `LangProfile` (the same n-gram extraction, the same
`omit_less_freq` pruning its stock profiles went through) on the 31 sentences of
`kk_ktb-ud-train.conllu` plus the first `TEST_SENTENCES_FOR_TRAINING` sentences of
`kk_ktb-ud-test.conllu`; the rest of the test file is held out for
`benchmarks/bench_langid.py`. The split is by position, not interleaved, because
KTB sentences come in runs from the same text and interleaving would leak them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

# First N sentences of kk_ktb-ud-test.conllu go into the profile; the rest are held out.
TEST_SENTENCES_FOR_TRAINING = 600
OUT = Path(__file__).resolve().parent / "kk"
DEFAULT_UD_KK = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ud" / "kk"


def ud_texts(path: Path) -> Iterator[str]:
    """The `# text =` lines of a CoNLL-U file: its gold sentences."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("# text = "):
                yield line[len("# text = ") :].rstrip("\n")


def training_sentences(ud_kk: Path) -> list[str]:
    train = list(ud_texts(ud_kk / "kk_ktb-ud-train.conllu"))
    test = list(ud_texts(ud_kk / "kk_ktb-ud-test.conllu"))
    return train + test[:TEST_SENTENCES_FOR_TRAINING]


def held_out_sentences(ud_kk: Path) -> list[str]:
    return list(ud_texts(ud_kk / "kk_ktb-ud-test.conllu"))[TEST_SENTENCES_FOR_TRAINING:]


def build(sentences: list[str]) -> dict[str, object]:
    from langdetect.utils.lang_profile import LangProfile

    profile = LangProfile(name="kk")
    for sentence in sentences:
        profile.update(sentence)
    profile.omit_less_freq()
    return {"freq": dict(sorted(profile.freq.items())), "n_words": profile.n_words, "name": "kk"}


def main() -> None:
    ud_kk = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_UD_KK
    sentences = training_sentences(ud_kk)
    profile = build(sentences)
    OUT.write_text(json.dumps(profile, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    n_grams = len(profile["freq"])  # type: ignore[arg-type]
    print(f"{OUT}: {len(sentences)} sentences, {n_grams} n-grams, {profile['n_words']}")


if __name__ == "__main__":
    main()
