"""Rebuild `lexicon.tsv.gz` and `suffixes.tsv` from their freely licensed sources.

Not imported by the package: run it by hand when a source changes, from the repo root,
with hunspell-kk and hunspell-tools installed (Debian) and ../shared beside the repo:

    python kzkg_tools/data/translit/build.py

Sources (README.md gives licences): hunspell-kk stems and, through `unmunch`, the suffix
chains its affix rules generate; UD Kazakh-KTB forms and lemmas; the Kazakh Cyrillic text of
seed 002; NTREX-128 Kazakh; UDHR Kazakh. Seed 003 (the Arabic-script test) is never read.
"""

from __future__ import annotations

import collections
import dataclasses
import gzip
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SHARED = next(
    (p for p in (ROOT / ".." / "shared", ROOT / ".." / ".." / "shared") if p.is_dir()),
    ROOT / ".." / "shared",
)
DIC = Path("/usr/share/hunspell/kk_KZ.dic")
AFF = Path("/usr/share/hunspell/kk_KZ.aff")
WORD = re.compile(r"[а-яёәғқңөұүһі]+(?:-[а-яёәғқңөұүһі]+)*", re.IGNORECASE)
SENT_END = re.compile(r"[.!?…:]\s*[«\"'(–—-]*\s*$")
MIN_SUFFIX_STEMS = 20  # rarer "suffixes" are mostly compound parts (-торғай, -стан)
MIN_UD_SUFFIX = 3


def hunspell_stems() -> set[str]:
    stems = set()
    for line in DIC.read_text(encoding="utf-8-sig").splitlines()[1:]:
        word = line.split("/")[0].strip()
        if WORD.fullmatch(word):
            stems.add(word)
    return stems


def hunspell_forms() -> list[str]:
    out = subprocess.run(
        ["unmunch", str(DIC), str(AFF)], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    return [w for w in out.split() if WORD.fullmatch(w)]


class Counter:
    """Word counts that remember whether a word was ever seen lower-case mid-sentence."""

    def __init__(self) -> None:
        self.count: collections.Counter[str] = collections.Counter()
        self.forms: dict[str, collections.Counter[str]] = collections.defaultdict(
            collections.Counter
        )

    def add(self, word: str, sentence_start: bool, proper: bool | None = None) -> None:
        low = word.lower()
        self.count[low] += 1
        if proper is None:
            if sentence_start:
                return
            proper = word[:1].isupper() and not word.isupper()
        self.forms[low][word if proper else low] += 1

    def add_text(self, text: str) -> None:
        """Count the words of text whose lines are sentences or segments (NTREX, UDHR)."""
        for line in text.splitlines():
            self.add_stream(line)

    def add_stream(self, text: str) -> None:
        """Count the words of running text; a word starts a sentence after . ! ? … or :."""
        last = 0
        for m in WORD.finditer(text):
            gap = text[last : m.start()]
            self.add(m.group(0), last == 0 or bool(SENT_END.search(gap)))
            last = m.end()


_BROKEN = re.compile(r"(\w+)-[ \t]*\n\s*(\w+)")


def unwrap(text: str, known: set[str]) -> str:
    """Undo PDF line-break hyphenation: `Қа-\nзақстан` -> `Қазақстан`, but `қарым-\nқатынас`
    keeps its hyphen when both halves are words and the join is not."""

    def join(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        joined = (a + b).lower()
        if joined not in known and a.lower() in known and b.lower() in known:
            return f"{a}-{b}"
        return a + b

    return " ".join(_BROKEN.sub(join, text).split())


def place_names() -> set[str]:
    """Kazakh one-word country and city names from the CLDR data ICU ships (Қытай, Ресей,
    Бішкек, Вена): territory names and time-zone exemplar cities."""
    import icu

    kk = icu.Locale("kk")
    names = [icu.Locale("und", code).getDisplayCountry(kk) for code in icu.Locale.getISOCountries()]
    zones = icu.TimeZoneNames.createInstance(kk)
    for zone in icu.TimeZone.createEnumeration():
        names.append(zones.getExemplarLocationName(zone) or "")
    # One-word names only: Жаңа Зеландия must not make жаңа a name.
    return {n for n in names if WORD.fullmatch(n) and n[:1].isupper() and not n.isupper()}


def suffix_chains(
    forms: list[str], stems: set[str], ud_suffixes: collections.Counter[str]
) -> dict[str, int]:
    """Suffix chains hunspell-kk attaches to at least 20 stems, and form-minus-lemma endings
    seen at least 3 times in UD: chain -> how many stems (or UD tokens) it follows."""
    counts: collections.Counter[str] = collections.Counter()
    for form in set(forms):
        for i in range(len(form) - 1, 1, -1):
            if form[:i] in stems:
                counts[form[i:]] += 1
                break
    kept = {suf: n for suf, n in counts.items() if n >= MIN_SUFFIX_STEMS}
    for suf, n in ud_suffixes.items():
        if n >= MIN_UD_SUFFIX and WORD.fullmatch(suf):
            kept[suf] = max(kept.get(suf, 0), n)
    return kept


@dataclasses.dataclass
class Sources:
    """Everything the lexicon is built from, read once (the held-out benchmark builds one
    lexicon per fold from the same sources)."""

    stems: set[str]
    forms: list[str]  # hunspell-kk's generated forms (for suffix chains)
    ud: list[tuple[str, str, str]]  # UD Kazakh-KTB (form, lemma, upos) tokens
    seed2: str
    ntrex: str
    udhr: str
    places: set[str]
    # words taken out (lower case, ё as е); also checked after seed 002's line breaks are undone
    exclude: frozenset[str] = frozenset()

    @classmethod
    def load(cls) -> Sources:
        ud = []
        for name in ("kk_ktb-ud-test.conllu", "kk_ktb-ud-train.conllu"):
            path = SHARED / "data" / "ud" / "kk" / name
            for line in path.read_text(encoding="utf-8").splitlines():
                cols = line.split("\t")
                if len(cols) == 10 and cols[0].isdigit():
                    ud.append((cols[1], cols[2], cols[3]))
        udhr = ET.parse(SHARED / "data" / "parallel" / "udhr" / "udhr_kaz.xml")
        return cls(
            stems=hunspell_stems(),
            forms=hunspell_forms(),
            ud=ud,
            seed2=(ROOT / "seeds" / "002_b841a6e1d22a4f9c.txt").read_text(encoding="utf-8"),
            ntrex=(SHARED / "data" / "parallel" / "ntrex" / "newstest2019-ref.kaz.txt").read_text(
                encoding="utf-8"
            ),
            udhr="\n".join(t.strip() for t in udhr.getroot().itertext() if t.strip()),
            places=place_names(),
        )

    def without(self, exclude: set[str]) -> Sources:
        """The sources with every word in `exclude` (lower case, ё as е) taken out: stems,
        generated forms, UD tokens (their lemma and form-minus-lemma ending too) and the
        words of running text, so that nothing derived from those words is left."""

        def out(word: str) -> bool:
            return _key(word) in exclude

        def text(t: str) -> str:
            return WORD.sub(lambda m: " " if out(m.group(0)) else m.group(0), t)

        return Sources(
            stems={w for w in self.stems if not out(w)},
            forms=[w for w in self.forms if not out(w)],
            ud=[t for t in self.ud if not out(t[0])],
            seed2=text(self.seed2),
            ntrex=text(self.ntrex),
            udhr=text(self.udhr),
            places={w for w in self.places if not out(w)},
            exclude=frozenset(exclude) | self.exclude,
        )


def _key(word: str) -> str:
    return word.lower().replace("ё", "е")


def build(src: Sources) -> tuple[dict[str, int], dict[str, int]]:
    """(lexicon rows word -> count, suffix chains chain -> stems) from the sources."""
    stems, forms = src.stems, src.forms
    known = set(forms) | stems

    corpus = Counter()
    ud_suffixes: collections.Counter[str] = collections.Counter()
    for form, lemma, upos in src.ud:
        proper = upos == "PROPN"
        low_form, low_lemma = form.lower(), lemma.lower()
        if low_form.startswith(low_lemma) and low_form != low_lemma and len(low_lemma) > 1:
            ud_suffixes[low_form[len(low_lemma) :]] += 1
        for w in (form, lemma):
            if WORD.fullmatch(w):
                corpus.add(w, False, proper)
    seed2 = Counter()
    seed2.add_stream(unwrap(src.seed2, {w.lower() for w in known}))
    for low, n in seed2.count.items():
        # PDF line-break fragments ("байла-", "ныс") are dropped unless hunspell knows them.
        if low in known or n >= 2:
            corpus.count[low] += n
            for form, k in seed2.forms[low].items():
                corpus.forms[low][form] += k
    corpus.add_text(src.ntrex)
    corpus.add_text(src.udhr)

    stem_case = {s.lower(): s for s in sorted(stems, reverse=True)}  # lower-case entry wins
    known_low = {w.lower() for w in known}
    rows: dict[str, int] = {}
    for low in sorted(set(stem_case) | set(corpus.count)):
        n = corpus.count.get(low, 0)
        seen = corpus.forms.get(low)
        if low in stems and low[:1].upper() + low[1:] in stems:
            word = low  # a word and a name (сайын/Сайын, мақсат/Мақсат): the word
        elif seen:
            # Capitalised only when (nearly) always so mid-sentence: names, not words that
            # happen to open a title ("Мемлекетаралық кеңес").
            proper = sum(k for f, k in seen.items() if f != low)
            if proper < 2 or proper < 0.9 * sum(seen.values()):
                word = stem_case.get(low, low)
            else:
                word = max(seen, key=lambda f: (seen[f], f))
        elif low in stem_case:
            word = stem_case[low]
        elif low in known_low:
            word = low
        else:
            continue  # only ever seen sentence-initially and unknown to hunspell: too unsure
        if _key(low) not in src.exclude:
            rows[word] = n
    suffixes = suffix_chains(forms, stems, ud_suffixes)

    names = {w.lower(): w for w, n in rows.items() if w[:1].isupper() and n >= 10}
    for word in [w for w, n in rows.items() if w.islower() and n <= 2]:
        # A rare lower-case inflection of a frequent name (азияда beside Азия) is a typo.
        for i in range(len(word) - 1, 3, -1):
            if word[:i] in names and word[i:] in suffixes:
                name = names[word[:i]] + word[i:]
                rows[name] = rows.get(name, 0) + rows.pop(word)
                break
    for name in sorted(src.places):
        low = name.lower()
        n = rows.pop(low, 0) + rows.pop(name, 0)
        rows[name] = n
    return rows, suffixes


def main() -> None:
    rows, suffixes = build(Sources.load())
    with open(HERE / "suffixes.tsv", "w", encoding="utf-8") as f:
        f.write("# suffix chain<TAB>hunspell-kk stems it follows (or UD-KTB form-lemma pairs)\n")
        for suf, n in sorted(suffixes.items(), key=lambda kv: (-kv[1], kv[0])):
            f.write(f"{suf}\t{n}\n")
    lines = ["# word<TAB>corpus count (0: hunspell-kk stem only); built by build.py\n"]
    lines += [f"{word}\t{n}\n" for word, n in sorted(rows.items())]
    with open(HERE / "lexicon.tsv.gz", "wb") as raw:
        # mtime=0: the same inputs give the same bytes
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
            f.write("".join(lines).encode("utf-8"))


if __name__ == "__main__":
    main()
