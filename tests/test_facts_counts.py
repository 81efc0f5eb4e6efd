"""Factors, repetitions and Arabic duals (docs/conventions.md, "Numbers"): every lexicon form."""

from __future__ import annotations

import pytest

from kzkg_tools.facts import FactContext, extract, lexicon

# a sentence frame per language that puts a form between words that are no numbers
FRAMES = {
    "en": "Sales {} last year.",
    "ru": "Продажи {} за год.",
    "kk-Cyrl": "Сатылым {} өсті.",
    "ar": "قالت الشركة إنها {} الإنتاج.",
    "zh": "销量{}。",
}
# the inflected form written for a stem (`*`): the stem and one letter of an ending
ENDING = {"en": "d", "ru": "т", "kk-Cyrl": "ді", "ar": "ت", "zh": ""}


def _forms() -> list[tuple[str, str, int]]:
    out = []
    for lang in FRAMES:
        for kind in ("multiplier", "multiplier_verb"):
            for e in lexicon.words(lang, kind):
                form = e.surface.removesuffix("*") + (
                    ENDING[lang] if e.surface.endswith("*") else ""
                )
                out.append((lang, form, int(e.value)))
    return out


@pytest.mark.parametrize(("lang", "form", "value"), _forms())
def test_every_multiplier_form_is_its_factor_in_times(lang: str, form: str, value: int) -> None:
    facts = [
        f for f in extract(FRAMES[lang].format(form), lang, FactContext()) if f.type == "number"
    ]
    assert [(f.value, f.surface, f.unit) for f in facts] == [(value, form, "times")]


def test_multiplier_forms_cover_every_language_but_kazakh() -> None:
    # Kazakh states a factor with a numeral and есе (екі есе), which the `times` words read
    langs = {lang for lang, _, _ in _forms()}
    assert langs == {"en", "ru", "ar", "zh"}
    assert {e.surface for e in lexicon.words("kk-Cyrl", "times")} >= {"есе", "рет", "мәрте"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("He made a double bogey.", "en"),
        ("Two doubles and a triple.", "en"),
        ("A double-digit lead.", "en"),
    ],
)
def test_a_factor_word_used_as_a_noun_or_adjective_is_no_number(text: str, lang: str) -> None:
    assert [f for f in extract(text, lang, FactContext()) if f.unit == "times"] == []
