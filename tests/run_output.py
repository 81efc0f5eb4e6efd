"""A small hand-made `kzkg run` output folder: the 000/001 date conflict, a missing fact,
an agreement, and 002's parallel kk/en abstract sentence. Used by the output-side tests."""

from __future__ import annotations

from pathlib import Path

from kzkg_tools.records import (
    Bead,
    BeadMember,
    Block,
    Diff,
    DiffValue,
    Document,
    Fact,
    Sentence,
    SharedFact,
    dumps,
)

ZH = "000_ea888725cebc72af"
AR = "001_21962d996b2447f1"
KK = "002_b841a6e1d22a4f9c"
ZH_TEXT = "007年4月26日，哈薩克斯坦和吉爾吉斯斯坦總統簽署了協議。"
AR_TEXT = "في 26 أبريل من عام 2007، وقع رئيسا كازاخستان وقيرغيزستان اتفاقية."


def documents() -> list[Document]:
    return [
        Document(
            ZH,
            f"seeds/{ZH}.txt",
            "wikitext",
            "zh-Hant",
            ZH_TEXT,
            [Block(0, len(ZH_TEXT), "paragraph", "zh-Hant")],
            [[0, len(ZH_TEXT), 370, 398]],
            {"sha256": "0" * 64},
        ),
        Document(
            AR,
            f"seeds/{AR}.txt",
            "plain",
            "ar",
            AR_TEXT,
            [Block(0, len(AR_TEXT), "paragraph", "ar")],
            [[0, len(AR_TEXT), 600, 665]],
            {"sha256": "1" * 64},
        ),
    ]


def _fact(text: str, src_start: int, type_: str, value: object, surface: str, **kw) -> Fact:
    start = text.index(surface)
    span = [src_start + start, src_start + start + len(surface)]
    return Fact(type_, value, surface, start, start + len(surface), span, **kw)


def sentences() -> list[Sentence]:
    zh_date = _fact(ZH_TEXT, 370, "date", "0007-04-26", "007年4月26日", intended="2007-04-26")
    zh_kz = _fact(ZH_TEXT, 370, "entity", "Kazakhstan", "哈薩克斯坦", subtype="country", id="KZ")
    ar_date = _fact(AR_TEXT, 600, "date", "2007-04-26", "26 أبريل من عام 2007")
    ar_kz = _fact(AR_TEXT, 600, "entity", "Kazakhstan", "كازاخستان", subtype="country", id="KZ")
    ar_kg = _fact(AR_TEXT, 600, "entity", "Kyrgyzstan", "وقيرغيزستان", subtype="country", id="KG")
    return [
        Sentence(
            f"{ZH}:0",
            ZH,
            0,
            "zh-Hant",
            ZH_TEXT,
            "paragraph",
            f"seeds/{ZH}.txt",
            [370, 398],
            facts=[zh_date, zh_kz],
        ),
        Sentence(
            f"{AR}:0",
            AR,
            0,
            "ar",
            AR_TEXT,
            "paragraph",
            f"seeds/{AR}.txt",
            [600, 665],
            facts=[ar_date, ar_kz, ar_kg],
        ),
        Sentence(
            f"{KK}:0",
            KK,
            0,
            "kk-Cyrl",
            "Қазақстан мен Қырғызстан.",
            "paragraph",
            f"seeds/{KK}.txt",
            [0, 25],
            facts=[],
        ),
        Sentence(
            f"{KK}:1",
            KK,
            1,
            "en",
            "Kazakhstan and Kyrgyzstan.",
            "paragraph",
            f"seeds/{KK}.txt",
            [30, 56],
            facts=[],
        ),
    ]


def beads() -> list[Bead]:
    return [
        Bead(
            f"bead:{ZH}~{AR}:0",
            "parallel",
            0.91,
            [
                BeadMember(ZH, "zh-Hant", [f"{ZH}:0"], ZH_TEXT),
                BeadMember(AR, "ar", [f"{AR}:0"], AR_TEXT),
            ],
            [SharedFact("entity", "Kazakhstan")],
        ),
        Bead(
            f"bead:{KK}~{KK}:0",
            "parallel",
            0.88,
            [
                BeadMember(KK, "kk-Cyrl", [f"{KK}:0"], "Қазақстан мен Қырғызстан."),
                BeadMember(KK, "en", [f"{KK}:1"], "Kazakhstan and Kyrgyzstan."),
            ],
        ),
    ]


def diffs() -> list[Diff]:
    bead = f"bead:{ZH}~{AR}:0"
    zh, ar = (s.facts or [] for s in sentences()[:2])

    def value(doc: str, lang: str, fact: Fact) -> DiffValue:
        return DiffValue(doc, lang, fact.value, fact.surface, fact.span)

    return [
        Diff(
            f"{bead}#1",
            bead,
            "date",
            "conflict",
            "value",
            "same day and month, years differ",
            [value(ZH, "zh-Hant", zh[0]), value(AR, "ar", ar[0])],
        ),
        Diff(
            f"{bead}#2",
            bead,
            "entity",
            "agree",
            "same",
            "same entity",
            [value(ZH, "zh-Hant", zh[1]), value(AR, "ar", ar[1])],
        ),
        Diff(
            f"{bead}#3",
            bead,
            "entity",
            "missing",
            "absent",
            "Kyrgyzstan is not named in zh-Hant",
            [value(AR, "ar", ar[2]), DiffValue(ZH, "zh-Hant", None, None, None)],
        ),
    ]


def write(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for name, records in [
        ("documents", documents()),
        ("sentences", sentences()),
        ("aligned", beads()),
        ("diff", diffs()),
    ]:
        (out / f"{name}.jsonl").write_text(
            "".join(dumps(r) + "\n" for r in records), encoding="utf-8"
        )
    return out
