"""Han variant detection: the rule tables that count what ICU's Hant-Hans and Hans-Hant
transforms change give ICU's counts (`detect._HanRules`), so `han_variant` is the same with
either."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import regex

from kzkg_tools import detect

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
#: Random strings per transform: enough to meet each context rule in and out of its context.
CASES = 3000


def _han_of_seeds() -> str:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return "".join(regex.findall(r"\p{Han}", text))


@pytest.mark.parametrize("which", [0, 1], ids=["Hant-Hans", "Hans-Hant"])
def test_han_rules_count_what_icu_changes(which: int) -> None:
    """On the seeds' Chinese, on strings of the characters the longer and context rules hold
    (where the order of the rules decides), and on each such rule in and around its context."""
    transliterator = detect._hant_hans()[which]
    table = detect._han_rules()[which]
    assert table.exact  # the rules were read, not left to ICU
    text = _han_of_seeds()
    assert len(text) > 1000
    for i in range(0, len(text), 500):
        piece = text[i : i + 500]
        assert table.changed(piece) == detect._icu_changed(transliterator, piece)
    rng = random.Random(19)
    rules = [rule for bucket in table.special.values() for rule in bucket]
    alphabet = sorted(
        {ch for ante, key, post, _ in rules for ch in key + "".join(map("".join, ante + post))}
    )
    for _ in range(CASES):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        assert table.changed(s) == detect._icu_changed(transliterator, s), s
    for _ in range(CASES):
        ante, key, post, _out = rng.choice(rules)
        core = "".join(rng.choice(sorted(x)) for x in ante) + key
        core += "".join(rng.choice(sorted(x)) for x in post)
        s = rng.choice(alphabet) + core + rng.choice(alphabet)
        assert table.changed(s) == detect._icu_changed(transliterator, s), s


def test_hans_hant_has_context_rules() -> None:
    """The case the tables handle besides plain rules is there to be tested (ICU's data has
    rules such as `[一二…]{余} > 餘`)."""
    table = detect._han_rules()[1]
    assert any(ante or post for bucket in table.special.values() for ante, _k, post, _o in bucket)


def test_han_variant_same_with_icu_and_rule_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _han_of_seeds()
    lines = [text[i : i + 40] for i in range(0, len(text), 40)] + ["一二三", "乾隆", "干", "出戏"]
    monkeypatch.setattr(detect, "HAN_RULES_AFTER", 10**12)
    detect._han_rules.cache_clear()
    by_icu = [detect.han_variant(line) for line in lines]
    monkeypatch.setattr(detect, "HAN_RULES_AFTER", 0)
    assert [detect.han_variant(line) for line in lines] == by_icu
    assert detect._han_rules.cache_info().currsize
    assert {"zh-Hant", "zh-Hans"} <= set(by_icu)


def test_han_characters_taken_as_the_script_pattern_finds_them() -> None:
    """`han_variant` takes a text's Han characters by deleting the rest: the same string as
    `_SCRIPTS["Hani"]`'s matches, over every code point (surrogates aside)."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    han = "".join(detect._SCRIPTS["Hani"].findall(every))
    assert detect._NOT_HAN.sub("", every) == han
    assert 0 < len(han) < len(every)
