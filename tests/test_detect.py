"""kzkg detect: format, script and language of the seeds, and sentence-level language ID.

The sentence cases are real UD sentences (tests/fixtures/langid/, CC BY-SA, see its
README); the full benchmark against langdetect and lingua is benchmarks/bench_langid.py.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kzkg_tools import detect as det
from kzkg_tools.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {p.name[:3]: p for p in sorted((ROOT / "seeds").glob("*.txt"))}
FIXTURES = ROOT / "tests" / "fixtures" / "langid"
SENTENCES = {p.stem: p.read_text("utf-8").splitlines() for p in sorted(FIXTURES.glob("*.txt"))}

# (format, lang) the issue asks `kzkg detect seeds/*.txt` to say.
SEED_EXPECTED = {
    "000": ("wikitext", "zh-Hant"),
    "001": ("plain", "ar"),
    "002": ("pdf-text", "kk-Cyrl"),
    "003": ("plain", "kk-Arab"),
    "004": ("markdown", "zh-Hant"),
}


@pytest.mark.parametrize("number", sorted(SEED_EXPECTED))
def test_seed_format_and_language(number: str) -> None:
    found = det.detect(SEEDS[number].read_text("utf-8"), SEEDS[number].name)
    assert (found.format, found.lang) == SEED_EXPECTED[number]
    assert next(iter(found.langs)) == found.lang


def test_seed_002_has_english_and_russian_parts() -> None:
    # The article has an English abstract and a Russian one next to the Kazakh text.
    langs = det.detect(SEEDS["002"].read_text("utf-8"), "002").langs
    assert langs["kk-Cyrl"] > 0.8
    assert 0.01 < langs["en"] < 0.1
    assert 0.01 < langs["ru"] < 0.1
    assert set(langs) == {"kk-Cyrl", "en", "ru"}


def test_cli_detect_on_the_seeds() -> None:
    result = CliRunner().invoke(cli, ["detect", *map(str, SEEDS.values())])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["format"], r["lang"]) for r in records] == list(SEED_EXPECTED.values())
    assert list(records[0]) == ["source", "format", "script", "lang", "langs"]
    assert [r["script"] for r in records] == ["Hani", "Arab", "Cyrl", "Arab", "Hani"]


def test_sentence_accuracy_on_ud_samples() -> None:
    assert sorted(SENTENCES) == ["ar", "en", "kk-Cyrl", "ru", "zh-Hans", "zh-Hant"]
    right = {tag: sum(det.detect_lang(s) == tag for s in ss) for tag, ss in SENTENCES.items()}
    total = sum(len(ss) for ss in SENTENCES.values())
    assert sum(right.values()) / total >= 0.98, right
    # Known misses in these samples: en "Absolutely amazing job!" (hu) and a
    # "Posted by ... at 8/30/2005 09:36:00 PM" signature (af); a ru sentence of
    # Georgian names (bg); the one GSD sentence with no Traditional-only character.
    for tag, n in right.items():
        assert n / len(SENTENCES[tag]) >= 0.96, (tag, n)


def test_seed_003_lines_are_kazakh_arabic_script() -> None:
    lines = [ln for ln in SEEDS["003"].read_text("utf-8").splitlines() if ln.strip()]
    assert {det.detect_lang(ln) for ln in lines} == {"kk-Arab"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Russian that quotes one Kazakh word stays Russian (1 word in 20 is needed).
        (
            "Цыган называют по-разному: казахи говорят сығандар, узбеки говорят люли, "
            "а финны говорят mustalaiset, и у каждого народа есть своё слово для них.",
            "ru",
        ),
        # Ukrainian has і but none of the letters only Kazakh uses.
        ("Він працює в університеті і пише книжки про історію міста.", "uk"),
        ("Бұл кітап өте қызықты.", "kk-Cyrl"),
        ("Это очень интересная книга.", "ru"),
        # Han outweighs the Latin names around it (HAN_WEIGHT).
        ("電視主播 Holly Willoughby 退出與 Peter Jones 的合作。", "zh-Hant"),
        # No Traditional-only or Simplified-only character: the quotation marks decide.
        ("我被咬了！』", "zh-Hant"),
        ("我被咬了!“", "zh-Hans"),
        ("これは日本語の文です。", "ja"),
        ("WASHINGTON POST REPORTS RECORD HEAT", "en"),
        ("Die Regierung hat heute neue Regeln für den Verkehr in der Stadt beschlossen.", "de"),
    ],
)
def test_detect_lang_cases(text: str, expected: str) -> None:
    assert det.detect_lang(text) == expected


def test_chinese_without_variant_evidence_takes_the_documents_variant() -> None:
    # The one sentence of UD GSD that is the same in GSDSimp.
    sentence = "希拉蕊的得票率只有37%。"
    assert det.detect_lang(sentence) == "zh-Hans"
    assert det.detect_lang(sentence, context="zh-Hant") == "zh-Hant"
    assert det.detect_lang("我們的國家", context="zh-Hans") == "zh-Hant"  # 們, 國: evidence wins
    assert det.detect_lang("Это очень интересная книга.", context="zh-Hant") == "ru"


@pytest.mark.parametrize("text", ["", "   ", "12:30 -- 42 ???", "(713) 853-7408", "*** ---"])
def test_no_letters_is_und(text: str) -> None:
    assert det.detect_lang(text) == "und"
    found = det.detect(text, "x")
    assert (found.lang, found.langs, found.script) == ("und", {}, "Zyyy")


def test_deterministic() -> None:
    sentences = [s for ss in SENTENCES.values() for s in ss]
    forward = [det.detect_lang(s) for s in sentences]
    backward = [det.detect_lang(s) for s in reversed(sentences)][::-1]
    assert forward == backward
    text = SEEDS["002"].read_text("utf-8")
    assert det.detect(text, "002") == det.detect(text, "002")


def test_kazakh_profile_is_a_langdetect_profile() -> None:
    profile = json.loads((ROOT / "kzkg_tools" / "data" / "langdetect" / "kk").read_text("utf-8"))
    assert sorted(profile) == ["freq", "n_words", "name"]
    assert profile["name"] == "kk"
    assert len(profile["n_words"]) == 3
    assert profile["freq"]["ның"] > 50  # the genitive ending, in the top Kazakh trigrams
    assert "kk" in det._model().langs


WRAPPED = (
    "The role of the state in the system of international relations depends\n"
    "not only on the level of its relations with the countries of the world,\n"
    "but also on relations with the states of the geographical neighbourhood.\n"
) * 6


def test_hard_wrapped_plain_text_is_not_pdf_text() -> None:
    # Line shape alone (a licence, an e-mail) is no evidence of a PDF.
    assert det.detect_format(WRAPPED) == "plain"


def test_soft_wraps_with_extraction_artefacts_are_pdf_text() -> None:
    with_spaces = WRAPPED.replace("\n", " \n")
    hyphenated = WRAPPED.replace("countries of the world,\n", "coun-\ntries of the world,\n")
    assert det.detect_format(with_spaces) == "pdf-text"
    assert det.detect_format(hyphenated) == "pdf-text"


WRAPPED_LINES = [line for line in WRAPPED.split("\n") if line][:6]


def _form_feed_pages(header: str) -> str:
    """pdftotext's shape: a form feed opens every page after the first; a header line (or
    none), one body line and the page number, no blank line and no soft wrap."""
    pages = [
        f"{header}Body sentence number {n} of the article ends here.\n{n}\n" for n in range(1, 7)
    ]
    return "\f".join(pages)


def test_form_feed_pages_with_running_lines_are_pdf_text() -> None:
    assert det.detect_format(_form_feed_pages("Journal of Central Asian Studies\n")) == "pdf-text"
    # A page number alone at the edges is furniture too.
    assert det.detect_format(_form_feed_pages("")) == "pdf-text"


def test_form_feeds_without_page_furniture_are_plain() -> None:
    # Source files and old plain text use form feeds as page breaks: no repeated edges.
    pages = [f"{line}\nIt has two lines.\n" for line in sorted(set(WRAPPED_LINES))]
    assert det.detect_format("\f".join(pages)) == "plain"
    names = ["parse", "scan", "emit", "check", "free", "main"]
    braces = "\f".join(f"int {name}(void)\n{{\n  return 0;\n}}\n" for name in names)
    assert det.detect_format(braces) == "plain"


def test_one_sentence_per_line_is_plain() -> None:
    for sentences in SENTENCES.values():
        assert det.detect_format("\n".join(sentences)) == "plain"


def test_hard_wrapped_text_with_bullets_is_not_markdown() -> None:
    assert det.detect_format("Terms:\n* one\n* two\n- three\n" * 10) == "plain"


def test_headings_and_code_spans_are_markdown() -> None:
    text = "## Planning\n- Use `pp.Word` and `pp.Forward()` for the grammar.\n\n" * 5
    assert det.detect_format(text) == "markdown"


def test_50_mb_single_line_is_sampled() -> None:
    line = "Бүгінгі таңда халықаралық қатынастар жүйесінде. The level of study. " * 800_000
    start = time.perf_counter()
    found = det.detect(line[:50_000_000], "big")
    assert time.perf_counter() - start < 30  # about 1 s: only SAMPLE_CHARS are read
    assert found.lang == "kk-Cyrl"
    assert found.format == "plain"


def _langdetect_ngrams(text: str) -> list[str]:
    """langdetect's own n-gram extraction, which `det._ngrams` must reproduce."""
    from langdetect.detector_factory import DetectorFactory

    factory = DetectorFactory()
    factory.word_lang_prob_map = det._model().index
    factory.langlist = det._model().langs
    detector = factory.create()
    detector.append(text)
    detector.cleaning_text()
    return detector._extract_ngrams()


NGRAM_CASES = [
    "Қазақстан Республикасы  НАТО-мен келісім жасады.",
    "THE UN SAID: «Мир» — see https://example.org/a?b=1 or mail a.b@example.com",
    "Tiếng Việt có dấu: Hà Nội, thành phố",  # langdetect's Vietnamese normalization
    "Это текст с English words, lots of них: ABC def GHI",  # Latin dropped in Cyrillic
    "中文句子，有「引號」和 English。日本語のかなカタカナ 한국어",
    "قال الرئيس إن الاتفاق مهم — ٴبىز كەلىسىمدى",
    "  spaces\t\tand\nnewlines  ",
]


@pytest.mark.parametrize("text", NGRAM_CASES)
def test_ngrams_are_langdetects(text: str) -> None:
    assert det._ngrams(text) == _langdetect_ngrams(text)
    assert det._ngrams(text.upper()) == _langdetect_ngrams(text.upper())


def test_ngrams_of_the_sample_sentences_are_langdetects() -> None:
    for sentences in SENTENCES.values():
        for s in sentences:
            assert det._ngrams(s) == _langdetect_ngrams(s), s


def test_script_counts_match_one_regex_pass_per_script() -> None:
    text = (
        "".join(NGRAM_CASES)
        + "ქართული Ελληνικά"
        + "".join(s for ss in SENTENCES.values() for s in ss)
    )
    expected = {name: len(rx.findall(text)) for name, rx in det._SCRIPTS.items()}
    expected["Zzzz"] = len(det._LETTER.findall(text)) - sum(expected.values())
    counts = det.script_counts(text)
    assert list(counts.items()) == list(expected.items())
    assert expected["Hani"] and expected["Arab"] and expected["Hang"] and expected["Zzzz"]


def test_script_counts_same_after_the_langid_resources_are_released() -> None:
    """The per-character kind codes are rebuilt from scratch after a release, in another order
    of first sight, and count the same."""
    from kzkg_tools import resources

    texts = ["ქართული Ελληνικά 中文ひらがな", "Қазақ тілі, اَلْعَرَبِيَّة 한국어", "中文 only 〇"]
    before = [list(det.script_counts(t).items()) for t in texts]
    resources.release(names=["langid"])
    assert not det._KIND_CODES and not det._KIND_CODES.kinds
    after = [list(det.script_counts(t).items()) for t in reversed(texts)][::-1]
    assert after == before
    assert dict(before[0])["Hani"] == 2 and dict(before[0])["Kana"] == 4


def test_script_counts_of_ascii_text_match_one_regex_pass_per_script() -> None:
    # ASCII text takes a shortcut (letters counted in C); every ASCII character, and English
    # sentences, must count as the regexes count them, key order included.
    for text in ["".join(map(chr, range(128))), *SENTENCES["en"], "", " 12 -- ?"]:
        assert text.isascii()
        expected = {name: len(rx.findall(text)) for name, rx in det._SCRIPTS.items()}
        expected["Zzzz"] = len(det._LETTER.findall(text)) - sum(expected.values())
        assert list(det.script_counts(text).items()) == list(expected.items()), text


@pytest.mark.parametrize("text", NGRAM_CASES)
def test_ngram_rows_are_the_rows_of_the_ngrams(text: str) -> None:
    index = det._model().index
    for case in (text, text.upper()):
        assert det._ngram_rows(case) == [index[g] for g in det._ngrams(case)]


def test_wikitext_too_hard_for_the_tokenizer_is_measured_as_written(monkeypatch) -> None:
    """Thousands of unclosed `{|` lines (bench_shapes' wiki_openers) took the tokenizer
    seconds on detect's sample: such a sample is measured without parsing."""
    import mwparserfromhell

    from kzkg_tools.detect import language_shares
    from kzkg_tools.normalize.wikitext import MAX_UNCLOSED

    def tokenizer(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tokenizer ran")

    monkeypatch.setattr(mwparserfromhell, "parse", tokenizer)
    text = "{|\n" * (MAX_UNCLOSED + 1) + "Қазақстан Республикасы Орталық Азияда орналасқан.\n"
    assert language_shares(text, "wikitext")
