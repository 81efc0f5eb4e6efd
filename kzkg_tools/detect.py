"""Format, script and language of a raw file, before normalization.

Language identification runs script rules first (Kazakh letters in Cyrillic or
Arabic script, Traditional vs Simplified Han from ICU's Hant-Hans transform),
then langdetect — seeded, so it is deterministic — with its 55 stock profiles
plus a Kazakh profile shipped in `data/langdetect/`.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

import regex

from kzkg_tools.records import Detection

KK_CYRL_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
KK_ARAB_LETTERS = "ەۇۋڭٴٵٶٷٸ"
# Letters that mark a language for langdetect's purposes; anything else is noise.
_SCRIPTS = {
    "Hani": regex.compile(r"\p{Han}"),
    "Arab": regex.compile(r"\p{Arabic}"),
    "Cyrl": regex.compile(r"\p{Cyrillic}"),
    "Latn": regex.compile(r"\p{Latin}"),
}
_URL = regex.compile(r"https?://\S+|\]\([^)]*\)|<[^>]{1,200}>")
_CHUNK_SPLIT = regex.compile(r"\n+")
SAMPLE_CHARS = 200_000  # langdetect on more text than this changes nothing but the time


@cache
def _regexes() -> dict[str, Any]:
    return {
        "wiki": regex.compile(r"\{\{|\}\}|\[\[|\]\]|^=+[^=\n]+=+\s*$|'''|<ref[ >]", regex.M),
        "md": regex.compile(
            r"\]\((?:https?://|\.\./)|^#{1,6} |\*\*[^*\n]+\*\*|\\\[\d+\\\]|^\s*[-*+] ", regex.M
        ),
        "hyphen_wrap": regex.compile(r"\p{Ll}-[ \t]*\n[ \t]*\p{Ll}"),
        "kk_cyrl": regex.compile(f"[{KK_CYRL_LETTERS}]"),
        "kk_arab": regex.compile(f"[{KK_ARAB_LETTERS}]"),
    }


def detect_format(text: str) -> str:
    """wikitext | markdown | pdf-text | plain, from markup and line-shape evidence."""
    rx = _regexes()
    sample = text[:SAMPLE_CHARS]
    n = max(1, len(sample) // 1000)
    wiki = len(rx["wiki"].findall(sample)) / n
    md = len(rx["md"].findall(sample)) / n
    if wiki >= 1 and wiki > md:
        return "wikitext"
    if md >= 1:
        return "markdown"
    lines = [ln for ln in sample.split("\n") if ln.strip()]
    if len(lines) >= 20:
        hyphen_wraps = len(rx["hyphen_wrap"].findall(sample))
        lengths = sorted(len(ln) for ln in lines)
        median = lengths[len(lengths) // 2]
        # Soft-wrapped: lines of a page width, many not ending a sentence.
        unfinished = sum(1 for ln in lines if not ln.rstrip().endswith((".", "!", "?", ":")))
        if 50 <= median <= 130 and (hyphen_wraps >= 3 or unfinished / len(lines) > 0.6):
            return "pdf-text"
    return "plain"


def script_counts(text: str) -> Counter[str]:
    """Letters per ISO 15924 script (Hani, Arab, Cyrl, Latn) in `text`."""
    return Counter({name: len(rx.findall(text)) for name, rx in _SCRIPTS.items()})


def detect_script(text: str) -> str:
    """The dominant script of `text` (ISO 15924), `Zyyy` when there are no letters."""
    counts = script_counts(text[:SAMPLE_CHARS])
    name, n = counts.most_common(1)[0]
    return name if n else "Zyyy"


@cache
def _hant_hans() -> tuple[Any, Any]:
    import icu

    return (
        icu.Transliterator.createInstance("Hant-Hans"),
        icu.Transliterator.createInstance("Hans-Hant"),
    )


def han_variant(text: str) -> str:
    """zh-Hant or zh-Hans: which variant's distinctive characters the text uses more."""
    to_hans, to_hant = _hant_hans()
    han = "".join(_SCRIPTS["Hani"].findall(text))
    as_hans = to_hans.transliterate(han)
    as_hant = to_hant.transliterate(han)
    trad = sum(1 for a, b in zip(han, as_hans, strict=False) if a != b)
    simp = sum(1 for a, b in zip(han, as_hant, strict=False) if a != b)
    return "zh-Hant" if trad > simp else "zh-Hans"


@cache
def _detector_factory() -> Any:
    import json
    import os
    from importlib import resources

    import langdetect
    from langdetect.detector_factory import DetectorFactory

    factory = DetectorFactory()
    factory.seed = 0
    stock = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
    profiles = []
    for name in sorted(os.listdir(stock)):
        with open(os.path.join(stock, name), encoding="utf-8") as f:
            profiles.append(f.read())
    kk = resources.files("kzkg_tools") / "data" / "langdetect" / "kk"
    if kk.is_file():
        profiles.append(json.dumps(json.loads(kk.read_text(encoding="utf-8"))))
    factory.load_json_profile(profiles)
    return factory


_LANGDETECT_TAGS = {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant", "kk": "kk-Cyrl"}


def detect_lang(text: str) -> str:
    """BCP 47 tag of one short text (a sentence or a line): script rules, then langdetect."""
    counts = script_counts(text)
    script, n = counts.most_common(1)[0]
    if not n:
        return "und"
    rx = _regexes()
    if script == "Hani":
        return han_variant(text)
    if script == "Arab" and rx["kk_arab"].search(text):
        return "kk-Arab"
    if script == "Cyrl" and rx["kk_cyrl"].search(text):
        return "kk-Cyrl"
    from langdetect.lang_detect_exception import LangDetectException

    detector = _detector_factory().create()
    detector.append(text)
    try:
        code = detector.detect()
    except LangDetectException:
        return "und"
    return _LANGDETECT_TAGS.get(code, code)


def language_shares(text: str) -> dict[str, float]:
    """Each language's share of the letters of `text`, detected line by line."""
    letters: Counter[str] = Counter()
    for chunk in _CHUNK_SPLIT.split(_URL.sub(" ", text[:SAMPLE_CHARS])):
        weight = sum(script_counts(chunk).values())
        if weight:
            letters[detect_lang(chunk)] += weight
    total = sum(letters.values())
    if not total:
        return {}
    shares = {lang: round(n / total, 3) for lang, n in letters.most_common() if n / total >= 0.005}
    return dict(sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])))


def detect(text: str, source: str) -> Detection:
    """The Detection record of one file's text."""
    shares = language_shares(text)
    lang = next(iter(shares), "und")
    return Detection(
        source=source,
        format=detect_format(text),  # type: ignore[arg-type]
        script=detect_script(text),
        lang=lang,
        langs=shares,
    )
