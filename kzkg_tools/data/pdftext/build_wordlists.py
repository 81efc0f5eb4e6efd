"""Rebuild the word lists of this folder from Debian's hunspell packages and UD treebanks.

Run from the repository root after `apt-get install hunspell-kk hunspell-ru hunspell-en-us`:
    python kzkg_tools/data/pdftext/build_wordlists.py /usr/share/hunspell ../shared/data/ud
The lists are frequency-free, lower-cased and sorted, so rebuilding is byte-stable.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import regex

HERE = Path(__file__).resolve().parent
LETTERS = regex.compile(r"^\p{L}+(?:-\p{L}+)*$")


def hunspell_words(path: Path) -> set[str]:
    """Dictionary entries without their affix flags; entries of one or two letters are
    left out (the Kazakh list holds many two-letter fragments such as `ды`, `ғы`)."""
    words = set()
    lines = path.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()[1:]
    for line in lines:
        word = line.split("/", 1)[0].strip().lower()
        if len(word) >= 3 and LETTERS.match(word):
            words.add(word)
    return words


# KTB tokens that are suffixes cut off their word, not words.
KK_SHORT_NOISE = {"лы", "ді", "шы", "кі", "ті", "ба", "бе", "бұ", "сз", "ғы", "піз", "міз", "быз"}


def ud_short_forms(ud: Path, lang: str) -> set[str]:
    """Word forms of at most three letters seen in a UD treebank (Kazakh: two or three
    letters, seen at least twice, less the suffix fragments of KK_SHORT_NOISE)."""
    counts: dict[str, int] = {}
    for conllu in sorted((ud / lang).glob("*.conllu")):
        for line in conllu.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) > 3 and cols[0].isdigit():
                form = cols[1].lower()
                if len(form) <= 3 and LETTERS.match(form):
                    counts[form] = counts.get(form, 0) + 1
    if lang == "kk":
        return {f for f, n in counts.items() if n >= 2 and len(f) >= 2 and f not in KK_SHORT_NOISE}
    return set(counts)


def write(name: str, words: set[str]) -> None:
    data = ("\n".join(sorted(words)) + "\n").encode("utf-8")
    with gzip.GzipFile(HERE / name, "wb", mtime=0) as f:
        f.write(data)


def main(hunspell_dir: str, ud_dir: str) -> None:
    hs = Path(hunspell_dir)
    for lang, dic in (("kk", "kk_KZ.dic"), ("ru", "ru_RU.dic"), ("en", "en_US.dic")):
        write(f"{lang}_words.txt.gz", hunspell_words(hs / dic))
    for lang in ("kk", "ru", "en"):
        (HERE / f"{lang}_short.txt").write_text(
            "\n".join(sorted(ud_short_forms(Path(ud_dir), lang))) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main(*sys.argv[1:3])
