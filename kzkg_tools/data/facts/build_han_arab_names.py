"""Rebuild `han_translit.txt` and `ar_common_words.txt`, the tables of `names_han_arab.py`.

Run from the repository root with the UD Chinese GSDSimp and GSD test files and the UD
Arabic PUD test file:
    python kzkg_tools/data/facts/build_han_arab_names.py \
        UD_Chinese-GSDSimp/zh_gsdsimp-ud-test.conllu UD_Chinese-GSD/zh_gsd-ud-test.conllu \
        UD_Arabic-PUD/ar_pud-ud-test.conllu

`han_translit.txt`: the Han characters Chinese writes foreign names with.

Chinese writes a foreign name by sound, with a small set of characters (卡瓦诺 ka-wa-nuo,
Kavanaugh). The set is learnt from CLDR (through PyICU): the Chinese (zh, zh-Hant) and
English names of every territory and time-zone exemplar city. A pair whose Chinese name
read in pinyin (ICU `Han-Latin`) has a consonant skeleton (`names.skeleton`) close to the
English name's (SequenceMatcher ratio >= NAME_RATIO: 贝尔格莱德 / Belgrade) is a
transliteration; in it, a character whose pinyin consonants fall in the matching blocks
is used for its sound (a character without consonant, 阿 a, 亚 ya, for the whole name's).
A character is kept when it is used for its sound at least half as often as not (群岛 "islands",
圣 "saint", 新 "new" are used for their meaning), unless the UD Chinese treebanks tag it, as
a word of its own, as a function word (`FUNCTION`: 的, 和, 上, 也, which may stand right
before or after a name) more often than they write it in a proper noun (里 li, "inside",
is kept). CLDR's names miss characters of given names (妮, 杰, 詹): a character the
treebanks write at least `BOOTSTRAP_MIN` times in a proper noun of three characters or
more whose other characters are at least two thirds in the set (威廉斯, 希特勒, 雷妮拉) is
added.

`han_common.txt`: Han characters outside that set which the UD Chinese treebank writes at
least `COMMON_MIN` times in words that are no proper noun, and more often there than in
proper nouns (的, 人, 说, 约 "about"): a dotted name's first and last part run over any
other character (迈克·蓬佩奥, 乔丹·斯皮思: 迈 and 思 are rare), but stop at these.

`ar_common_words.txt`: Arabic words (without diacritics) that the UD Arabic PUD treebank
tags more often as something other than a proper noun (with their clitics: أنه, وقال):
after a title they end the name (القاضي كافانو هو, "Judge Kavanaugh is"), where an
unknown word (a foreign name) continues it.

Both lists are sorted, one entry a line, so a rebuild is byte-stable for one ICU version.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections import Counter
from pathlib import Path

import icu

from kzkg_tools.facts.names import skeleton

HERE = Path(__file__).resolve().parent
OUT = HERE / "han_translit.txt"
OUT_COMMON = HERE / "han_common.txt"
OUT_AR = HERE / "ar_common_words.txt"
# How close the two skeletons must be for a Chinese name to be read as a transliteration of
# the English one: 0.6 keeps 赞比亚/Zambia (snb: smb) and drops 澳大利亚/Australia (dr: str).
NAME_RATIO = 0.6
# A character is kept when used for its sound at least once for every SOUND_SHARE uses for
# its meaning: 唐 (tang) is used once for its sound (唐纳德 Donald is no place) and twice in
# names of meaning; 群 ("group") never for its sound.
SOUND_SHARE = 2
# How often a character must fill the gap of a transliterated proper noun to be added: once
# is chance (藏 of 雅鲁藏布, 时 of 比利时).
BOOTSTRAP_MIN = 2
# How often a character must be written in common words to be a common character: fewer
# is chance in 1,000 sentences.
COMMON_MIN = 3
# UD parts of speech of words that join or modify a clause, not names.
FUNCTION = {"ADP", "AUX", "CCONJ", "DET", "PART", "PRON", "SCONJ", "ADV"}
_HAN = re.compile(r"[\u3400-\u9fff]")
_HAN_WORD = re.compile(r"[\u3400-\u9fff]+")
_NOT_LETTER = re.compile(r"[^a-z]")


def _pairs() -> set[tuple[str, str]]:
    en = icu.Locale("en")
    out = set()
    for loc in (icu.Locale("zh"), icu.Locale("zh_Hant")):
        zones, zones_en = (
            icu.TimeZoneNames.createInstance(loc),
            icu.TimeZoneNames.createInstance(en),
        )
        for tz in icu.TimeZone.createEnumeration():
            z, e = zones.getExemplarLocationName(tz), zones_en.getExemplarLocationName(tz)
            if z and e:
                out.add((z, e))
        for code in icu.Locale.getISOCountries():
            region = icu.Locale("und_" + code)
            out.add((region.getDisplayCountry(loc), region.getDisplayCountry(en)))
    return out


def sound_characters() -> set[str]:
    """The characters CLDR's names use for their sound at least as often as not."""
    pinyin = icu.Transliterator.createInstance("Han-Latin; Latin-ASCII; Lower")
    used, not_used = Counter(), Counter()
    for zh, en in _pairs():
        if not _HAN_WORD.fullmatch(zh):
            continue
        keys = [skeleton(_NOT_LETTER.sub("", pinyin.transliterate(c))) for c in zh]
        owner = [i for i, k in enumerate(keys) for _ in k]
        matcher = difflib.SequenceMatcher(
            None, "".join(keys), skeleton(_NOT_LETTER.sub("", en.lower())), autojunk=False
        )
        hit = [False] * len(owner)
        for block in matcher.get_matching_blocks():
            for j in range(block.a, block.a + block.size):
                hit[j] = True
        name = matcher.ratio() >= NAME_RATIO
        for i, c in enumerate(zh):
            mine = [hit[j] for j, o in enumerate(owner) if o == i]
            sound = name and (2 * sum(mine) >= len(mine) if mine else True)
            (used if sound else not_used)[c] += 1
    return {c for c in used if SOUND_SHARE * used[c] >= not_used[c]}


def function_characters(paths: list[str]) -> set[str]:
    """Characters the treebanks tag as a function word of their own more often than they
    write them in a proper noun."""
    function, proper = Counter(), Counter()
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 4 or not cols[0].isdigit():
                continue
            if len(cols[1]) == 1 and cols[3] in FUNCTION:
                function[cols[1]] += 1
            elif cols[3] == "PROPN":
                proper.update(cols[1])
    return {c for c in function if function[c] > proper[c]}


_TASHKEEL = re.compile("[\u064b-\u0652\u0670\u0640]")
_ARABIC_WORD = re.compile("[\u0621-\u064a]+")


def arabic_common_words(path: str) -> set[str]:
    """Words the treebank tags as no proper noun more often than as one.

    The treebank writes a word's clitics as tokens of their own, fused to the next by
    `SpaceAfter=No` (أن + ه, و + ترامب): the word is their letters together, a proper noun
    when one of them is.
    """
    common, proper = Counter(), Counter()
    letters, is_proper = "", False
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 10 or not cols[0].isdigit():
            continue
        form = _TASHKEEL.sub("", cols[1])
        if not _ARABIC_WORD.fullmatch(form):
            letters, is_proper = "", False  # punctuation or digits end a word
            continue
        letters += form
        is_proper = is_proper or cols[3] == "PROPN"
        if "SpaceAfter=No" not in cols[9]:
            (proper if is_proper else common)[letters] += 1
            letters, is_proper = "", False
    return {w for w in common if common[w] > proper[w]}


def proper_noun_characters(paths: list[str], chars: set[str]) -> set[str]:
    """The characters that fill the gaps of transliterated proper nouns (see above)."""
    gaps: Counter[str] = Counter()
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 4 or not cols[0].isdigit() or cols[3] != "PROPN":
                continue
            word = cols[1]
            outside = [c for c in word if c not in chars]
            if len(word) >= 3 and outside and 3 * len(outside) <= len(word):
                gaps.update(outside)
    return {c for c, n in gaps.items() if n >= BOOTSTRAP_MIN}


def common_characters(path: str, chars: set[str]) -> set[str]:
    """Characters outside `chars` written mostly in words that are no proper noun."""
    common, proper = Counter(), Counter()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) > 3 and cols[0].isdigit():
            (proper if cols[3] == "PROPN" else common).update(_HAN.findall(cols[1]))
    return {c for c, n in common.items() if n >= COMMON_MIN and n > proper[c] and c not in chars}


def main(paths: list[str]) -> None:
    zh = [p for p in paths if "zh_" in Path(p).name]
    ar = [p for p in paths if "ar_" in Path(p).name]
    sound = sound_characters()
    # each file alone: GSD and GSDSimp are the same sentences in two scripts
    gaps = set().union(*(proper_noun_characters([p], sound) for p in zh))
    chars = (sound | gaps) - function_characters(zh)
    OUT.write_text("".join(f"{c}\n" for c in sorted(chars)), encoding="utf-8")
    print(f"{len(chars)} characters -> {OUT}")
    common = set().union(*(common_characters(p, chars) for p in zh))
    OUT_COMMON.write_text("".join(f"{c}\n" for c in sorted(common)), encoding="utf-8")
    print(f"{len(common)} characters -> {OUT_COMMON}")
    words = set().union(*(arabic_common_words(p) for p in ar))
    OUT_AR.write_text("".join(f"{w}\n" for w in sorted(words)), encoding="utf-8")
    print(f"{len(words)} words -> {OUT_AR}")


if __name__ == "__main__":
    main(sys.argv[1:])
