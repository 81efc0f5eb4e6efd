"""The language table: every fact the toolkit knows about a language tag, in one place.

Each supported language is one frozen `Lang` entry in `LANGS`: its canonical BCP 47
tag, script, ICU locale, the segmenter's rules file, the fact grammar and lexicon
key, the row of the align length table, and the joiner that glues its sentences
back into one text. The stages ask this table (`get`, `canonical`, `language`)
instead of parsing tags themselves, so adding a language means adding one entry
here plus its data files (`data/segment/<rules>.toml`, rows in
`data/facts/lexicon.tsv` and `data/align/length_ratios.tsv`).

Tag normalization (`canonical`) is the same for every stage:

* subtags are case-normalized (`KK-arab` → `kk-Arab`, `zh_tw` → `zh-TW`);
* a tag of the table is itself; a region tag listed in `ALIASES` takes the script
  CLDR's likely subtags give it (`zh-TW`, `zh-HK` → `zh-Hant`; `zh-CN` → `zh-Hans`;
  `kk-CN` → `kk-Arab`, the script of Kazakh in Xinjiang);
* otherwise language + script, then the language alone, decide (`zh-Hant-TW` →
  `zh-Hant`, `ar-SA` → `ar`, `kk-KZ` → `kk-Cyrl`); a tag that names a script the
  table does not have for its language (`zh-Latn`) is not folded onto another script;
* anything else (`fr`, `pt-BR`: languages the n-gram detector knows but the
  toolkit has no data for) stays as written, case-normalized; `get` gives it the
  `und` entry (no rules, no facts, the default length profile), `language` its
  primary subtag.

**A bare `zh` means Simplified Chinese (`zh-Hans`)**, as CLDR's likely subtags
(zh → zh_Hans_CN) and ICU's `zh` locale read it, and as the detector breaks a tie
between the variants. Detection always names the variant, so a bare `zh` only comes
from the user. A bare `kk` means Cyrillic Kazakh (`kk-Cyrl`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class Lang:
    """What the toolkit knows about one language tag."""

    tag: str
    """The canonical BCP 47 tag."""
    script: str
    """ISO 15924 code of the script its text is written in (`Zyyy` when unknown)."""
    icu_locale: str
    """The ICU locale whose CLDR data stands for it (month names, spelled numbers)."""
    cldr_locales: tuple[str, ...]
    """ICU locales whose CLDR names the fact grammar collects, `icu_locale` first: a
    country or month may be written as another locale of the same language writes it."""
    rules: str
    """Stem of the segmenter's rules file in `data/segment/` (`und`: ICU alone)."""
    facts: str | None
    """The tag whose fact grammar reads it; None: no facts are extracted."""
    lexicon: str | None
    """The key of its rows in `data/facts/lexicon.tsv` (set for fact-grammar tags only;
    `kk-Arab` rows are derived from `kk-Cyrl` ones by the letter table)."""
    length: str | None
    """Its row of `data/align/length_ratios.tsv`; None: the default profile."""
    joiner: str
    """What separates its sentences when they are joined into one text: "" for
    scripts written without spaces between words, " " otherwise."""

    @property
    def language(self) -> str:
        """The primary language subtag (`kk` for `kk-Arab`)."""
        return self.tag.split("-")[0]


def _entries(*entries: Lang) -> dict[str, Lang]:
    return {e.tag: e for e in entries}


#: Every supported tag. The order of the fact-grammar tags is the order of `grammar_tags`.
LANGS: dict[str, Lang] = _entries(
    Lang(
        tag="zh-Hant",
        script="Hant",
        icu_locale="zh_Hant",
        cldr_locales=("zh_Hant", "zh_Hant_HK", "zh"),
        rules="zh",
        facts="zh-Hant",
        lexicon="zh",
        length="zh-Hant",
        joiner="",
    ),
    Lang(
        tag="zh-Hans",
        script="Hans",
        icu_locale="zh",
        cldr_locales=("zh", "zh_Hant"),
        rules="zh",
        facts="zh-Hans",
        lexicon="zh",
        length="zh-Hans",
        joiner="",
    ),
    Lang(
        tag="ar",
        script="Arab",
        icu_locale="ar",
        cldr_locales=("ar", "ar_SY", "ar_IQ", "ar_LB", "ar_MA"),
        rules="ar",
        facts="ar",
        lexicon="ar",
        length="ar",
        joiner=" ",
    ),
    Lang(
        tag="kk-Cyrl",
        script="Cyrl",
        icu_locale="kk",
        cldr_locales=("kk",),
        rules="kk",
        facts="kk-Cyrl",
        lexicon="kk-Cyrl",
        length="kk",
        joiner=" ",
    ),
    # No CLDR locale writes Kazakh in Arabic script: its words come from kk's through the
    # letter table (facts.lexicon.kk_arab).
    Lang(
        tag="kk-Arab",
        script="Arab",
        icu_locale="kk",
        cldr_locales=("kk",),
        rules="kk-Arab",
        facts="kk-Arab",
        lexicon="kk-Arab",
        length="kk",
        joiner=" ",
    ),
    # Latin-script Kazakh (the 2021 alphabet) has no grammar of its own; it is read with the
    # Cyrillic one, which still finds its digits, years and amounts.
    Lang(
        tag="kk-Latn",
        script="Latn",
        icu_locale="kk",
        cldr_locales=("kk",),
        rules="kk",
        facts="kk-Cyrl",
        lexicon=None,
        length="kk",
        joiner=" ",
    ),
    Lang(
        tag="ru",
        script="Cyrl",
        icu_locale="ru",
        cldr_locales=("ru",),
        rules="ru",
        facts="ru",
        lexicon="ru",
        length="ru",
        joiner=" ",
    ),
    Lang(
        tag="en",
        script="Latn",
        icu_locale="en",
        cldr_locales=("en",),
        rules="en",
        facts="en",
        lexicon="en",
        length="en",
        joiner=" ",
    ),
    # Japanese is only detected (never segmented with rules or read for facts), but its
    # sentences join without spaces like Chinese ones.
    Lang(
        tag="ja",
        script="Jpan",
        icu_locale="ja",
        cldr_locales=("ja",),
        rules="und",
        facts=None,
        lexicon=None,
        length=None,
        joiner="",
    ),
    Lang(
        tag="und",
        script="Zyyy",
        icu_locale="und",
        cldr_locales=("und",),
        rules="und",
        facts=None,
        lexicon=None,
        length=None,
        joiner=" ",
    ),
)

#: Tags that stand for an entry of `LANGS` (CLDR likely subtags: the script a language or a
#: region writes by default).
ALIASES: dict[str, str] = {
    "kk": "kk-Cyrl",
    "kk-CN": "kk-Arab",
    "zh": "zh-Hans",
    "zh-CN": "zh-Hans",
    "zh-SG": "zh-Hans",
    "zh-MY": "zh-Hans",
    "zh-TW": "zh-Hant",
    "zh-HK": "zh-Hant",
    "zh-MO": "zh-Hant",
}

UND = LANGS["und"]

#: Lengths of subtags that BCP 47 writes in a fixed case: scripts (4 letters) in title case,
#: regions (2 letters) in upper case; every other subtag is lower case.
_SCRIPT_LEN = 4
_REGION_LEN = 2


def _case(parts: list[str]) -> list[str]:
    out = [parts[0].lower()]
    for p in parts[1:]:
        if len(p) == _SCRIPT_LEN and p.isalpha():
            out.append(p.title())
        elif len(p) == _REGION_LEN and p.isalpha():
            out.append(p.upper())
        else:
            out.append(p.lower())
    return out


#: Distinct tags whose canonical form is remembered: a corpus has a handful, but the tags
#: come from input records, so the memo is bounded.
CANONICAL_CACHE = 1024


@functools.lru_cache(maxsize=CANONICAL_CACHE)
def canonical(tag: str) -> str:
    """The canonical form of a BCP 47 tag (see the module docstring); idempotent."""
    subtags = [p for p in tag.strip().replace("_", "-").split("-") if p]
    if not subtags:
        return UND.tag
    parts = _case(subtags)
    full = "-".join(parts)
    if full in LANGS:
        return full
    if full in ALIASES:
        return ALIASES[full]
    script = next((p for p in parts[1:] if len(p) == _SCRIPT_LEN and p.isalpha()), None)
    if script is not None:
        key = f"{parts[0]}-{script}"
        if key in LANGS:
            return key
        # The script the language's entry is written in names that entry (`ar-Arab` is `ar`).
        base = LANGS.get(ALIASES.get(parts[0], parts[0]))
        return base.tag if base is not None and base.script == script else full
    for key in (f"{parts[0]}-{parts[1]}" if len(parts) > 1 else "", parts[0]):
        if key in LANGS:
            return key
        if key in ALIASES:
            return ALIASES[key]
    return full


def get(tag: str) -> Lang:
    """The entry of a tag (after `canonical`); the `und` entry for a tag the table lacks."""
    return LANGS.get(canonical(tag), UND)


def language(tag: str) -> str:
    """The primary language subtag of a tag, after `canonical` (`kk` for `KK-arab`)."""
    return canonical(tag).split("-")[0]


def joiner(tag: str) -> str:
    """What separates sentences of this language when they are joined into one text."""
    return get(tag).joiner


def grammar_tags() -> tuple[str, ...]:
    """The tags that have a fact grammar of their own, in table order."""
    return tuple(e.tag for e in LANGS.values() if e.facts == e.tag)


def tags() -> tuple[str, ...]:
    """The tags to offer users: the entries and the bare-language aliases (`kk`, `zh`), `und`
    excluded (`canonical` accepts region tags such as `zh-TW` too)."""
    return tuple(t for t in [*LANGS, *ALIASES] if t != UND.tag and (t in LANGS or "-" not in t))


#: Characters that separate the parts of a file name (`story.kk.txt`, `udhr_kaz.xml`,
#: `news-en.txt`); BCP 47 joins its own subtags with "-", so a tag can span separators.
_NAME_SEPARATORS = "._-"
#: The most subtags a tag in a file name is read with: language, script, region (`zh-Hans-CN`).
_MAX_NAME_SUBTAGS = 3
#: Compression suffixes read through (io.py), dropped before the extension.
_COMPRESSED = (".gz", ".bz2", ".xz", ".zst")


@functools.lru_cache(maxsize=CANONICAL_CACHE)
def names_language(word: str) -> bool:
    """Whether a part of a file name is a tag of a language of the table: a BCP 47 tag
    (`kk`, `kk-Arab`, `zh_TW`) or one with an ISO 639-3 language (`kaz`, `arb`, `cmn_Hans`,
    `zho-CN`: ICU applies CLDR's language aliases). Languages outside the table do not
    count, so that ordinary words of file names stay (`is`, `no`, `as`, `be` are ISO 639-1
    codes)."""
    if not word.replace("-", "").replace("_", "").isalpha():
        return False
    tag = canonical(word)
    if tag not in LANGS:
        import icu  # loaded by every stage anyway; the answer is memoized per word

        tag = canonical(icu.Locale.createCanonical(word.replace("-", "_")).getName())
    return tag in LANGS and tag != UND.tag


def _drop_tags(name: str) -> str:
    """`name` without the language tags among its parts, and the separator before each."""
    parts = []  # (separator before, word); the first word has none
    word, sep = "", ""
    for ch in name:
        if ch in _NAME_SEPARATORS:
            parts.append((sep, word))
            word, sep = "", ch
        else:
            word += ch
    parts.append((sep, word))
    kept: list[tuple[str, str]] = []
    i = 0
    while i < len(parts):
        for n in range(min(_MAX_NAME_SUBTAGS, len(parts) - i), 0, -1):
            run = parts[i : i + n]
            # subtags of one tag are joined by "-" (BCP 47) or "_" (ICU, POSIX locales), and
            # after the language come only a script (4 letters) or a region (2)
            if all(
                s in "-_" and len(w) in (_SCRIPT_LEN, _REGION_LEN) for s, w in run[1:]
            ) and names_language("-".join(w for _, w in run)):
                i += n
                break
        else:
            kept.append(parts[i])
            i += 1
    if kept and parts and kept[0] is not parts[0]:  # the name began with a tag
        kept[0] = ("", kept[0][1])
    return "".join(s + w for s, w in kept)


def untagged_path(path: str) -> str:
    """A path with its language tags taken out: the same for the translations of one text
    in the usual layouts, `en/story.txt` and `kk/story.txt` (a folder per language), or
    `story.en.txt` and `story_kk.txt` (a tag in the name); the extension is dropped too
    (`story.kk.md` and `story.en.txt`)."""
    for suffix in _COMPRESSED:
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    head, _, name = path.replace("\\", "/").rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    folders = [_drop_tags(folder) for folder in head.split("/")] if head else []
    return "/".join([*(f for f in folders if f), _drop_tags(stem)])
