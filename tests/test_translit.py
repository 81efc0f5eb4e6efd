"""Kazakh script conversion: data-driven cases, the line contract, offsets, round trips."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kzkg_tools.cli import cli
from kzkg_tools.translit import (
    CONVERSIONS,
    UnsupportedConversion,
    arab_to_cyrl,
    converter,
    cyrl_to_arab,
    cyrl_to_latn,
)
from kzkg_tools.translit.kk_arab import attach, reader
from kzkg_tools.translit.lexicon import lexicon
from kzkg_tools.translit.script import bare, spell

CASES = Path(__file__).resolve().parent / "cases" / "translit"
ARABIC = re.compile(r"[\u0600-\u06ff]")


def _cases() -> list[pytest.param]:
    out = []
    for path in sorted(CASES.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            case = json.loads(line)
            marks = [pytest.mark.xfail(strict=True)] if case.get("expect") == "fail" else []
            out.append(pytest.param(case, id=f"{path.stem}:{n}:{case['label']}", marks=marks))
    return out


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict) -> None:
    to = case.get("to", "kk-Cyrl")
    if to == "kk-Cyrl":
        got = arab_to_cyrl(case["input"], repair=case.get("repair", True))[0]
    elif to == "kk-Arab":
        got = cyrl_to_arab(case["input"], case.get("profile", "kazinform"))
    else:
        got = cyrl_to_latn(case["input"])
    assert got == case["expected"]


def test_seed_003_sentences(seeds: dict[str, Path]) -> None:
    """Seed 003 is the test text: none of it is in the lexicon. Lines checked by hand."""
    lines = seeds["003"].read_text(encoding="utf-8").split("\n")
    out = [arab_to_cyrl(line)[0] for line in lines]
    assert out[0] == (
        " date 2025-08-21 Қазақстан мен Қырғызстан: тарихи құндылықтар біріктірген жаңа кезең"
    )
    assert out[2].startswith(
        "22 тамызда Қазақстан президенті Қасым-Жомарт Тоқаев Қырғыз Республикасына ресми "
        "сапармен ат басын бұрады. Осы орайда Kazinform агенттігінің аналитикалық шолушысы "
        "екі ел қарым-қатынасын жан-жақты талдады."
    )
    assert "1991 жылы бірге тәуелсіздік алды" in out[1]
    assert "1992 жылдың 15 қазанынан бастау алады" in out[4]
    assert not any(ARABIC.search(line) for line in out)


def test_one_line_out_per_line_in(runner: CliRunner, seeds: dict[str, Path]) -> None:
    text = "\n" + seeds["003"].read_text(encoding="utf-8") + "\n\nء\n ،\n"
    result = runner.invoke(cli, ["translit", "--from", "kk-Arab", "--to", "kk-Cyrl"], input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == text.count("\n")
    assert result.stdout.split("\n")[0] == ""


@pytest.mark.parametrize("seed", ["000", "002", "004"])
def test_non_arabic_passes_byte_for_byte(runner: CliRunner, seeds: dict[str, Path], seed: str):
    data = seeds[seed].read_bytes()
    result = runner.invoke(cli, ["translit"], input=data)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == data + (b"" if data.endswith(b"\n") else b"\n")


@given(st.text(st.characters(exclude_categories=["Cs"], max_codepoint=0x5FF)))
def test_text_without_arabic_is_unchanged(text: str) -> None:
    out, offsets = arab_to_cyrl(text)
    assert out == text
    assert offsets.spans == ([(0, len(text), 0, len(text))] if text else [])


def test_streams_line_by_line() -> None:
    """Each line comes out before the input ends (a pipe into an interactive reader)."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    cmd = [sys.executable, "-m", "kzkg_tools", "translit"]
    with subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=root, env=env
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("ءبىر ەكى\n".encode())
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        assert ready, "no output line while the input is still open"
        assert proc.stdout.readline().decode() == "Бір екі\n"
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0


def test_no_repair_flag(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["translit", "--no-repair"], input="1991 -جىلى\n")
    assert result.stdout == "1991 -жылы\n"


def test_reverse_directions_cli(runner: CliRunner) -> None:
    args = ["translit", "--from", "kk-Cyrl", "--to", "kk-Arab", "--profile", "mediawiki"]
    assert runner.invoke(cli, args, input="бөлім\n").stdout == "ٴبولىم\n"
    args = ["translit", "--from", "kk-Arab", "--to", "kk-Latn"]
    assert runner.invoke(cli, args, input="ءبىر قازاق\n").stdout == "Bır qazaq\n"
    bad = runner.invoke(cli, ["translit", "--from", "kk-Cyrl", "--to", "kk-Cyrl"])
    assert bad.exit_code == 2


def test_bad_utf8_is_one_line_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("ءبىر\n".encode() + b"\xff\n")
    result = runner.invoke(cli, ["translit", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"kzkg: error: {path}:2:1: invalid UTF-8 (byte 0xFF)"


def test_offset_map_replays_onto_source(seeds: dict[str, Path]) -> None:
    """Copied spans are the source itself; each replaced span is what its Arabic produced."""
    src = seeds["003"].read_text(encoding="utf-8")
    out, offsets = arab_to_cyrl(src)
    assert offsets.spans[0][0] == 0
    covered = 0
    for t0, t1, s0, s1 in offsets.spans:
        assert t0 >= covered
        covered = t1
        piece, source = out[t0:t1], src[s0:s1]
        if not ARABIC.search(source):
            if piece != source:  # the only rewrite of non-Arabic text: `22-` -> `22 `
                assert (source, piece) == ("-", " ")
            continue
        if re.match(r"[\u0621\u0674][«\"“‘(\[]+$", src[max(0, s0 - 2) : s0]):
            source = src[s0 - 2] + source  # the hamza moved inside the quote
        spaced = " " in source  # an acronym of spaced letters: only repair joins it
        assert arab_to_cyrl(source, repair=spaced)[0].lower() == piece.lower()
    assert covered == len(out)


def _lexicon_words(step: int = 20) -> list[str]:
    """Every `step`-th lower-case lexicon word that is the preferred reading of its spelling."""
    words = []
    index = lexicon().words
    for readings in list(index.values())[::step]:
        word = readings[0].cyrillic
        if not word.islower():
            continue
        arabic = spell(word)
        first = next(r for r in index[bare(arabic)] if arabic in r.spellings)
        if first.cyrillic == word:
            words.append(word)
    return sorted(set(words))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_cyrillic_arabic_cyrillic_round_trip(data: st.DataObject) -> None:
    word = data.draw(st.sampled_from(_WORDS))
    arabic = cyrl_to_arab(word)
    # Case may differ: hunspell-kk lists some surnames and patronymics in lower case.
    assert reader().word(arabic).lower() == word, arabic
    assert arab_to_cyrl(arabic, repair=False)[0].lower() == word


_WORDS = _lexicon_words()


def test_every_lexicon_word_round_trips() -> None:
    """All of them, not a sample: nothing may overrule an exact lexicon match (an override
    of once-seen loans once broke детальдарды, календарь)."""
    r = reader()
    wrong = [w for w in _lexicon_words(step=1) if r.word(cyrl_to_arab(w)).lower() != w]
    assert wrong == []


@pytest.mark.parametrize(
    ("stem", "suffix", "joined"),
    [
        ("король", "і", "королі"),  # ь drops before a vowel
        ("модель", "ін", "моделін"),
        ("фестиваль", "дер", "фестивальдер"),  # and stays before a consonant
        ("азай", "а", "азая"),  # й + а -> я
        ("банк", "і", "банкі"),  # loans ending in к take front suffixes
        ("бала", "лар", "балалар"),
        ("соны", "мен", "сонымен"),  # the clitic does not harmonize
        ("бала", "лер", None),  # harmony disagrees
        ("бала", "ы", None),  # vowel hiatus
        ("кітап", "м", None),  # a bare consonant suffix needs a vowel before it
    ],
)
def test_attach(stem: str, suffix: str, joined: str | None) -> None:
    assert attach(stem, suffix) == joined


def test_letter_rules_for_unknown_words() -> None:
    """Words the shipped lexicon does not have, read by letter rules and the n-gram model."""
    lex = lexicon()
    r = reader()
    for arab, cyr in [("ايتماتوۆ", "Айтматов"), ("پاندەميادان", "пандемиядан")]:
        assert bare(arab) not in lex.words
        assert r.word(arab) == cyr


def test_converter_composes_the_direction_functions() -> None:
    arab, cyrl = "1991 -جىلى ءبىر قازاق", "Бөлім, қазақ?"
    assert converter("kk-Arab", "kk-Cyrl")(arab) == arab_to_cyrl(arab)[0]
    assert converter("kk-Arab", "kk-Cyrl", repair=False)(arab) == arab_to_cyrl(arab, False)[0]
    # repair is what joins the detached suffix; without it the hyphen stays
    assert converter("kk-Arab", "kk-Cyrl")(arab) != converter("kk-Arab", "kk-Cyrl", repair=False)(
        arab
    )
    assert converter("kk-Arab", "kk-Latn")(arab) == cyrl_to_latn(arab_to_cyrl(arab)[0])
    assert converter("kk-Cyrl", "kk-Latn")(cyrl) == cyrl_to_latn(cyrl)
    for profile in ("kazinform", "mediawiki"):
        got = converter("kk-Cyrl", "kk-Arab", profile)(cyrl)
        assert got == cyrl_to_arab(cyrl, profile)
    assert converter("kk-Cyrl", "kk-Arab", "mediawiki")("бөлім") == "ٴبولىم"
    assert converter("kk-Cyrl", "kk-Arab")("бөлім") == "ءبولىم"
    # loose tags are read by the language table: kk is kk-Cyrl, kk-CN is kk-Arab
    assert converter("kk", "KK_latn")(cyrl) == cyrl_to_latn(cyrl)
    assert converter("kk-CN", "kk")(arab) == arab_to_cyrl(arab)[0]


@pytest.mark.parametrize(
    ("source", "target"), [("kk-Cyrl", "kk-Cyrl"), ("kk-Latn", "kk-Cyrl"), ("kk-Arab", "ru")]
)
def test_converter_refuses_a_pair_it_has_no_conversion_for(source: str, target: str) -> None:
    assert (source, target) not in CONVERSIONS
    with pytest.raises(UnsupportedConversion) as err:
        converter(source, target)
    assert (err.value.source, err.value.target) == (source, target)
    assert f"from {source} to {target}" in str(err.value)


def test_converter_refuses_an_unknown_profile_before_reading_text() -> None:
    with pytest.raises(ValueError, match="unknown profile 'latin'"):
        converter("kk-Cyrl", "kk-Arab", "latin")  # type: ignore[arg-type]
