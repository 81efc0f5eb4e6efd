"""`kzkg normalize`: golden texts of the seeds, data-driven cases, offset invariants, bad input."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pytest
import regex
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kzkg_tools.cli import cli
from kzkg_tools.io import SourceText
from kzkg_tools.normalize import NormalizeOptions, normalize, normalize_file
from kzkg_tools.normalize.rtl import is_kazakh_arabic
from kzkg_tools.normalize.unicode import normalize_chars
from kzkg_tools.offsets import OffsetMap
from kzkg_tools.records import Document, dumps

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "tests" / "golden" / "normalize"
CASES = ROOT / "tests" / "cases" / "normalize"
LEFTOVERS = ["[[", "]]", "{{", "}}", "'''", "==", "##", "](http", "](../", "\\[", "Category:"]
LEFTOVERS += ["<ref", "-{"]


def _seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def _doc(path: Path, **options: object) -> tuple[str, Document]:
    text = path.read_text(encoding="utf-8")
    return text, normalize_file(str(path), text, NormalizeOptions(**options))  # type: ignore[arg-type]


def _same_chars(piece: str, kazakh: bool = False, clean: bool = True) -> str:
    """A range after the character pass, whitespace collapsed and joiners left out.

    Joiners are kept or dropped by their neighbours, which a range cut out of
    its context may have lost, so the comparison leaves them aside.
    """
    if clean:
        piece = normalize_chars(piece, kazakh=kazakh, visual_order=False)[0]
    return regex.sub(r"\s+", " ", piece.replace("\u200c", "").replace("\u200d", ""))


def _check_spans(source: str, doc: Document) -> None:
    """Every span is in range and ordered; every copied span shows its source text.

    Transliterated documents are checked for range and order only: a Cyrillic word of the same
    length as its Arabic-script source looks like a copy in the 4-integer span format.
    """
    kazakh = is_kazakh_arabic(source)
    last_end = 0
    for t0, t1, s0, s1 in doc.spans:
        assert last_end <= t0 < t1 <= len(doc.text)
        assert 0 <= s0 <= s1 <= len(source)
        last_end = t1
        if t1 - t0 == s1 - s0 and doc.orig_text is None:
            shown = _same_chars(doc.text[t0:t1], clean=False)
            assert shown == _same_chars(source[s0:s1], kazakh), (t0, s0)


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_golden_text(prefix: str) -> None:
    path = _seed(prefix)
    _, doc = _doc(path, translit="none")
    expected = (GOLDEN / path.name).read_text(encoding="utf-8")
    assert doc.text + "\n" == expected


def test_kazakh_arabic_is_transliterated_with_the_source_kept() -> None:
    path = _seed("003")
    source, doc = _doc(path)
    assert (doc.lang, doc.orig_lang) == ("kk-Cyrl", "kk-Arab")
    assert doc.orig_text is not None and doc.orig_spans is not None
    assert doc.orig_text + "\n" == (GOLDEN / path.name).read_text(encoding="utf-8")
    assert not regex.search(r"\p{Arabic}", doc.text)
    assert {b.lang for b in doc.blocks} == {"kk-Cyrl"}
    assert doc.text.startswith("Қазақстан мен Қырғызстан: тарихи құндылықтар")
    spans = [tuple(s) for s in doc.spans]
    assert spans == sorted(spans) and all(0 <= s[2] <= s[3] <= len(source) for s in spans)
    # A Cyrillic word maps to its Arabic-script word in the file and in orig_text.
    start = doc.text.index("Тоқаев")
    end = start + len("Тоқаев")
    assert source[slice(*OffsetMap(doc.spans).to_source(start, end))] == "توقايەۆ"
    orig = OffsetMap(doc.orig_spans).to_source(start, end)
    assert doc.orig_text[slice(*orig)] == "توقايەۆ"


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_no_markup_left(prefix: str) -> None:
    _, doc = _doc(_seed(prefix))
    assert [tok for tok in LEFTOVERS if tok in doc.text] == []


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_offsets_replay_on_seeds(prefix: str) -> None:
    # Character-level replay: a transliterated word of the same length would look like a copy.
    source, doc = _doc(_seed(prefix), translit="none")
    _check_spans(source, doc)
    # Block ranges cover the text and are separated by blank lines.
    starts = [b.start for b in doc.blocks]
    assert starts == sorted(starts)
    assert "\n\n".join(doc.text[b.start : b.end] for b in doc.blocks) == doc.text


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_idempotent_on_seeds(prefix: str) -> None:
    _, doc = _doc(_seed(prefix))
    again = normalize_file("out.txt", doc.text, NormalizeOptions(format="plain"))
    assert again.text == doc.text


def test_metadata_of_seeds() -> None:
    source, doc = _doc(_seed("000"))
    assert doc.id == "000_ea888725cebc72af.txt"
    assert doc.format == "wikitext"
    assert doc.lang == "zh-Hant"
    assert doc.metadata["sha256"] == hashlib.sha256(_seed("000").read_bytes()).hexdigest()
    assert doc.metadata["title"] == "哈薩克斯坦－吉爾吉斯斯坦關係"
    assert doc.metadata["categories"] == [
        "哈薩克－吉爾吉斯關係",
        "哈薩克雙邊關係",
        "吉爾吉斯斯坦雙邊關係",
    ]
    assert doc.metadata["infobox"]["party2"] == "吉爾吉斯斯坦"
    assert doc.metadata["conversion"] == {"groups": ["國家", "地名", "IT"]}
    assert [b.kind for b in doc.blocks].count("heading") == 3
    # The heading "背景" maps back to "==背景==" in the file.
    heading = next(b for b in doc.blocks if b.kind == "heading")
    assert doc.text[heading.start : heading.end] == "背景"
    src = next(s for s in doc.spans if s[0] == heading.start)
    assert source[src[2] - 2 : src[3] + 2] == "==背景=="

    _, doc = _doc(_seed("003"), translit="none")
    assert doc.lang == "kk-Arab"
    assert doc.metadata["date"] == "2025-08-21"
    assert doc.metadata["title"].startswith("قازاقستان مەن قىرعىزستان")
    assert doc.blocks[0].kind == "heading"

    _, doc = _doc(_seed("004"))
    assert doc.format == "markdown"
    assert doc.metadata["categories"] == ["馬來西亞雙邊關係", "哈薩克雙邊關係"]
    assert [b.kind for b in doc.blocks].count("list_item") == 4


def test_visual_order_lines_of_seed_001_restored() -> None:
    import icu

    source = _seed("001").read_text(encoding="utf-8")
    lines = [ln for ln in source.split("\n") if len(ln.split()) >= 5]
    visual = []
    for line in lines:
        bidi = icu.Bidi()
        bidi.setPara(icu.UnicodeString(line), 1)
        visual.append(str(bidi.writeReordered(icu.Bidi.DO_MIRRORING)))
    reversed_text = "\n".join(visual)
    assert reversed_text != "\n".join(lines)
    doc = normalize_file("rev.txt", reversed_text, NormalizeOptions(format="plain"))
    logical = normalize_file("fwd.txt", "\n".join(lines), NormalizeOptions(format="plain"))
    assert doc.text == logical.text
    # Each restored character maps to the very character it was in the reversed line.
    mirrored = dict(zip("()[]«»", ")(][»«", strict=True))
    for t0, t1, s0, s1 in doc.spans:
        if t1 - t0 == 1 == s1 - s0 and not doc.text[t0].isspace():
            assert doc.text[t0] in (reversed_text[s0], mirrored.get(reversed_text[s0]))


def _cases(name: str) -> list[object]:
    out = []
    for line in (CASES / name).read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        marks = [pytest.mark.xfail(strict=True)] if case.get("expect") == "fail" else []
        out.append(pytest.param(case, id=case["label"], marks=marks))
    return out


@pytest.mark.parametrize("case", _cases("chars.jsonl"))
def test_char_cases(case: dict[str, str]) -> None:
    text = case["input"]
    assert normalize_chars(text, kazakh=is_kazakh_arabic(text))[0] == case["expected"]


@pytest.mark.parametrize(
    "case", _cases("wikitext.jsonl") + _cases("markdown.jsonl") + _cases("plain.jsonl")
)
def test_format_cases(case: dict[str, str]) -> None:
    text = case["input"]
    opts = NormalizeOptions(format=case["format"], zh_variant=case.get("zh_variant"))
    doc = normalize_file("case.txt", text, opts)
    assert doc.text == case["expected"]
    _check_spans(text, doc)


def test_infobox_and_categories_of_wikitext() -> None:
    text = (
        "{{Infobox country\n| name = Andorra\n| capital = [[Andorra la Vella]]\n}}\n"
        "'''Andorra''' is small.\n[[Category:Europe|sort]]\n[[Категория:Европа]]"
    )
    doc = normalize_file("a.wiki", text, NormalizeOptions(format="wikitext"))
    assert doc.metadata["infobox"] == {"name": "Andorra", "capital": "Andorra la Vella"}
    assert doc.metadata["categories"] == ["Europe", "Европа"]
    assert doc.metadata["title"] == "Andorra"


def test_tables_dropped_or_kept_as_blocks() -> None:
    text = (
        "Before.\n{| class=x\n|+ Cap\n! H1 !! H2\n|-\n| a [[b|c]] || d\n|-\n"
        '| style="x" | e &amp; f\n|}\nAfter.'
    )
    dropped = normalize_file("t.wiki", text, NormalizeOptions(format="wikitext"))
    assert dropped.text == "Before.\n\nAfter."
    kept = normalize_file("t.wiki", text, NormalizeOptions(format="wikitext", tables=True))
    assert kept.text == "Before.\n\nCap\n\nH1 | H2\n\na c | d\n\ne & f\n\nAfter."
    kinds = [b.kind for b in kept.blocks]
    assert kinds == ["paragraph", "caption", "table", "table", "table", "paragraph"]
    _check_spans(text, kept)


PATHOLOGICAL = {
    "nested templates": "{{a|" * 10_000 + "kept" + "}}" * 10_000,
    "unclosed tags": "<div><span>kept [[link {{tpl|" * 3_000,
    "giant line": "kept [[link]] {{t}} " * 60_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_wikitext_degrades_to_plain(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = PATHOLOGICAL[name]
    start = time.perf_counter()
    doc = normalize_file("bad.wiki", text, NormalizeOptions(format="wikitext"))
    assert time.perf_counter() - start < 10
    assert "too hard to parse" in capsys.readouterr().err
    assert "degraded" in doc.metadata
    # Nothing lost: every non-space character is still there.
    assert regex.sub(r"\s+", "", doc.text) == regex.sub(r"\s+", "", text)


def test_stage_is_a_generator_skipping_empty_inputs() -> None:
    sources = [
        SourceText(p, p, text, "0" * 64, len(text))
        for p, text in [("a.txt", "one"), ("b.txt", ""), ("c.txt", "two")]
    ]
    docs = normalize(sources, NormalizeOptions())
    assert [d.id for d in docs] == ["a.txt", "c.txt"]


def test_cli_text_and_jsonl(tmp_path: Path) -> None:
    runner = CliRunner()
    seed = str(_seed("000"))
    result = runner.invoke(cli, ["normalize", "--out", "text", seed])
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / _seed("000").name).read_text(encoding="utf-8")
    out = tmp_path / "docs.jsonl"
    result = runner.invoke(cli, ["normalize", "--format", "plain", "-o", str(out), seed])
    assert result.exit_code == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["format"] == "plain"
    assert record["id"] == "000_ea888725cebc72af.txt"


def test_cli_bad_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff\n")
    result = CliRunner().invoke(cli, ["normalize", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2:1: invalid UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


_ALPHABET = st.sampled_from(
    list("ab cd\n\t")
    + list("كتاب ەلدىڭ")
    + ["[1]", "{{x}}", "ـ", "\u200f", "\u202b", "\u202c"]
    + ["\u200c", "\ufefb", "\ufe8e", "e\u0301", "\u0674", "\u00a0", "()"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_spans_show_their_source_after_character_normalization(text: str) -> None:
    opts = NormalizeOptions(format="plain", visual_order=False, translit="none")
    _check_spans(text, normalize_file("h.txt", text, opts))


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["plain", "wikitext", "markdown"]),
    st.lists(
        st.sampled_from(
            [
                *"ab c\n",
                *["[[x|y]]", "'''", "== h ==\n", "* ", "{{lang|en|z}}", "<ref>r</ref>"],
                *['[l](http://u "wikilink")', "## ", "\\[2\\]", "&amp;", "ـ", "\u200f", "كتاب"],
            ]
        ),
        max_size=40,
    ).map("".join),
)
def test_normalization_is_idempotent(fmt: str, text: str) -> None:
    opts = NormalizeOptions(format=fmt, visual_order=False)
    doc = normalize_file("h.txt", text, opts)
    again = normalize_file("o.txt", doc.text, NormalizeOptions(format="plain", visual_order=False))
    assert again.text == doc.text


_MARKUP = st.sampled_from(
    [
        *"ab c\n",
        *["[[x|y]]", "[[z]]", "'''", "== h ==\n", "* ", "# ", ": ", "{{lang|en|z}}", "{{q}}"],
        *["<ref>r</ref>", "<!--c-->", "&amp;", "&nbsp;", "-{zh-hant:甲;zh-hans:乙}-", "{|\n"],
        *["|}\n", "|-\n", "[http://u l]", "{{convert|1|km}}", "\u200f", "ـ", "\ufefb", "()"],
        *["## ", '[l](http://u "wikilink")', "\\[2\\]", "**", "  - ", "    "],
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["wikitext", "markdown"]), st.lists(_MARKUP, max_size=40).map("".join))
def test_markup_spans_show_their_source(fmt: str, text: str) -> None:
    doc = normalize_file("h.txt", text, NormalizeOptions(format=fmt, visual_order=False))
    _check_spans(text, doc)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["plain", "wikitext", "markdown"]), st.text(max_size=80))
def test_any_text_normalizes_with_valid_spans(fmt: str, text: str) -> None:
    doc = normalize_file("any.txt", text, NormalizeOptions(format=fmt))
    _check_spans(text, doc)


def test_conversion_rules_keep_blocks_and_offsets() -> None:
    rules = "{{noteTA|G1=IT|1=zh-cn:软件;zh-tw:軟體;|2=zh-cn:博弈论;zh-tw:賽局理論;}}\n"
    text = rules + "'''软件工程'''與博弈论。\n\n== 软件 ==\n* 博弈论软件\n* 其他軟體"
    doc = normalize_file("a.wiki", text, NormalizeOptions(format="wikitext", zh_variant="zh-TW"))
    assert doc.text == "軟體工程與賽局理論。\n\n軟體\n\n賽局理論軟體\n\n其他軟體"
    assert doc.metadata["title"] == "軟體工程"
    assert [b.kind for b in doc.blocks] == ["paragraph", "heading", "list_item", "list_item"]
    assert "\n\n".join(doc.text[b.start : b.end] for b in doc.blocks) == doc.text
    _check_spans(text, doc)
    offsets = OffsetMap(doc.spans)
    # Every converted word traces back to the word written in the page, as a whole.
    for word, written in (("軟體", "软件"), ("賽局理論", "博弈论")):
        for start in (m.start() for m in regex.finditer(word, doc.text)):
            s0, s1 = offsets.to_source(start, start + len(word))
            assert text[s0:s1] == written or (text[s0:s1] == word and written == "软件")
            assert s0 > len(rules)  # not the rule in the template


@given(st.lists(st.sampled_from(["软件", "博弈论", "軟體", "和", "。", "\n\n", " "]), max_size=30))
@settings(max_examples=60, deadline=None)
def test_conversion_rules_replay(pieces: list[str]) -> None:
    """The converted text is the text with the rule words swapped, and its map replays."""
    body = "".join(pieces)
    text = "-{H|zh-cn:软件;zh-tw:軟體;}--{H|zh-cn:博弈论;zh-tw:賽局理論;}-" + body
    doc = normalize_file("a.wiki", text, NormalizeOptions(format="wikitext", zh_variant="zh-Hant"))
    plain = normalize_file("b.wiki", body, NormalizeOptions(format="wikitext"))
    assert doc.text == plain.text.replace("软件", "軟體").replace("博弈论", "賽局理論")
    _check_spans(text, doc)
    for t0, t1, s0, s1 in doc.spans:
        if t1 - t0 != s1 - s0 and doc.text[t0:t1].strip():  # (whitespace runs collapse)
            assert text[s0:s1] in ("软件", "博弈论")


def test_noteta_groups_are_one_counted_log_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzkg_tools import console

    monkeypatch.setattr(console.settings, "verbosity", 1)
    texts = [f"{{{{noteTA|G1=IT|G2=地名}}}}\n第{n}頁。" for n in range(3)]
    pages = [SourceText(f"p{n}.wiki", f"p{n}", t, "0" * 64, len(t)) for n, t in enumerate(texts)]
    docs = list(normalize(pages, NormalizeOptions()))
    assert [d.metadata["conversion"]["groups"] for d in docs] == [["IT", "地名"]] * 3
    err = capsys.readouterr().err
    assert err.count("noteTA") == 1 and "6 noteTA conversion group references (IT, 地名)" in err


def test_zh_variants_are_the_wikitext_tables() -> None:
    from kzkg_tools.normalize import ZH_VARIANTS
    from kzkg_tools.normalize.wikitext import _ZH_VARIANTS

    assert set(ZH_VARIANTS) == set(_ZH_VARIANTS)
    # Each variant prefers its own code and ends with plain zh.
    assert all(pref[0] == v.lower() and pref[-1] == "zh" for v, pref in _ZH_VARIANTS.items())


def test_convert_and_gallery_offsets() -> None:
    text = "{{convert|10|-|20|km}}\n<gallery>\nFile:A.jpg|alt=x|The [[Big River|river]]\n</gallery>"
    doc = normalize_file("a.wiki", text, NormalizeOptions(format="wikitext"))
    assert doc.text == "10–20 km\n\nThe river"
    offsets = OffsetMap(doc.spans)
    dash = doc.text.index("–")
    assert text[slice(*offsets.to_source(dash, dash + 1))] == "|-|"  # not a one-to-one copy
    caption = doc.text.index("The")
    assert text[slice(*offsets.to_source(caption, len(doc.text)))] == "The [[Big River|river"
    _check_spans(text, doc)


_WIKI_PIECES = [
    "[[Almaty]]", "[[Almaty|the city]]", "[[a|]]", "[[ ]]", "[[Category:Cities]]", "text ",
    " ", "\n", "\n\n", "'''", "''", "{{lang|kk|", "{{convert|1|", "}}", "{{", "[[", "]]", "[",
    "]", "|", "http://x.org", "[http://y.org ", "<nowiki>", "</nowiki>", "<span>", "</span>",
    "== H ==\n", "* ", "{|\n", "|-\n", "|}\n", "&amp;", "中文", "-{", "}-", "<", ":", "=",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WIKI_PIECES), max_size=30), st.booleans())
def test_masked_links_change_nothing(pieces: list[str], tables: bool) -> None:
    """Plain links hidden from the parser (the fast path) give the records the tree gives."""
    from kzkg_tools.normalize import wikitext

    text = "".join(pieces)
    fast = normalize_file("p.wiki", text, NormalizeOptions(format="wikitext", tables=tables))
    original = wikitext._mask_links
    wikitext._mask_links = lambda t: (t, {})  # type: ignore[assignment]
    try:
        slow = normalize_file("p.wiki", text, NormalizeOptions(format="wikitext", tables=tables))
    finally:
        wikitext._mask_links = original
    assert dumps(fast) == dumps(slow)


_URL_PIECES = [
    "http://", "https://", "//", "../", "Category:", "a", "B", "1", ":", "/", ".", "#", "?",
    "=", "&", "@", "%", "xn--", "mailto:", "-", "(", ")", "'", "*", "~", "!", ",", ";", "$",
    "+", "_", "..", " ", "\u00e9", "\u99ac\u4f86", "\u00b7", "\u049b", "\u06d5", "\u3000",
    "\u00a0", "\u2028", "\ufeff", "\u0301", "\U0001f600", "\ud800", "%E4",
]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_URL_PIECES), min_size=1, max_size=9))
def test_markdown_link_targets_normalized_as_markdown_it_does(pieces: list[str]) -> None:
    """The shortcut for plain wiki URLs returns what markdown-it's normalizeLink returns."""
    from markdown_it.common.normalize_url import normalizeLink

    from kzkg_tools.normalize.markdown import _normalize_link

    url = "".join(pieces)
    assert _normalize_link(url) == normalizeLink(url)


_MARKDOWN_PIECES = [
    "[", "]", "](", ")", "(", "<", ">", "<b>", "</b>", '"', "'", " ", "\n", "\n\n", "\\", "\\[",
    "`", "*", "**", "_", "!", "![", "&amp;", "&", "#x41;", "-", ":", "=", "~", "{", "}", "a",
    "word", "\u4e2d\u6587", "http://x.org/a_b", "../Page/\u99ac", ' "wikilink"', " 'title'",
    "\x01", "\x7f", "\t", "[r]: /u \"t\"\n", "[r]", "<http://a.b>", "- ", "1. ", "# ", "| a |",
    "[a](", "](a\\)b)", "](a(b)c)", "](<a b>)", ' "t\\"x")', "](a 'b')",
    # block starts: indented code, quotes, fences, rules, list markers, HTML, setext lines
    "    ", "  ", "\n    ", "> ", "\n> ", "```", "\n```\n", "~~~", "***", "___", "\n---\n",
    "\n===\n", "+ ", "2) ", "10. ", "\n- ", "\n1. ", "<div>", "</div>", "\n<!-- c -->\n",
    "|---|", "\n| a | b |\n|---|---|\n", "###### ", "\n#", "+", "0",
    # whole links as pandoc writes them (one regex), and near misses
    '[a b](http://x.org/a_b "wikilink")', '[\u4e2d](../Page/\u99ac "t")', '](x "")', "](x)",
    '[a](javascript:x "t")', '[a](&amp;x "t&amp;")', '[a](<x> "t")', '[a](x  "t")',
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_MARKDOWN_PIECES), min_size=1, max_size=30))
def test_markdown_parser_shortcuts_give_markdown_its_tokens(pieces: list[str]) -> None:
    """Our parser (text rule stopping only where a rule can match, inline and block rules
    tried only at characters they can start at, a plain link, its destination and title read
    by regex)
    gives exactly the tokens of markdown-it configured the same way."""
    from markdown_it import MarkdownIt

    from kzkg_tools.normalize.markdown import _normalize_link, _parser

    def fields(tokens: list[Any]) -> list[Any]:
        return [
            (t.type, t.tag, t.nesting, t.attrs, t.map, t.level, t.content, t.markup, t.info,
             t.meta, t.block, t.hidden, fields(t.children) if t.children else None)
            for t in tokens
        ]  # fmt: skip

    reference = MarkdownIt("commonmark").enable("table")
    reference.disable("text_join")
    reference.normalizeLink = _normalize_link  # type: ignore[method-assign]
    text = "".join(pieces)
    assert fields(_parser().parse(text)) == fields(reference.parse(text))
    assert _parser().inline.terminator_re.pattern != reference.inline.terminator_re.pattern


@settings(deadline=None)
@given(st.text(alphabet="ab ()\uff08\uff09,\n", max_size=60), st.data())
def test_drop_empty_brackets_moves_block_edges_by_what_was_removed_before(
    text: str, data: st.DataObject
) -> None:
    """A block edge moves back by the characters removed before it (the bisect over the
    removed ranges gives what summing over all of them gives)."""
    from itertools import pairwise

    from kzkg_tools.normalize.blocks import _empty_brackets, drop_empty_brackets

    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=8)))
    blocks = [(a, b, "paragraph") for a, b in pairwise(cuts)]
    removed = _empty_brackets(text)

    def moved(p: int) -> int:
        return p - sum(min(e, p) - s for s, e in removed if s < p)

    new_text, _, new_blocks = drop_empty_brackets(text, blocks)
    assert new_blocks == [(moved(a), moved(b), k) for a, b, k in blocks]
    assert len(new_text) == moved(len(text))


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6)), max_size=8))
def test_dropped_runs_are_the_union_of_the_ranges(ranges: list[tuple[int, int]]) -> None:
    from kzkg_tools.normalize.markdown import _runs

    spans = [(a, a + n) for a, n in ranges]
    starts, ends = _runs(spans)
    covered = {p for a, b in spans for p in range(a, b)}
    assert {p for a, b in zip(starts, ends, strict=True) for p in range(a, b)} == covered
    assert all(b < a for a, b in zip(starts[1:], ends[:-1], strict=True))  # apart, not touching


_CUT_PIECES = ["<ref>", "</ref>", "<ref name=a/>", "<ref name=b>", "<!--", "-->", "<references/>",
               "<references>", "</references>", " ", "\t", ".", "a", "<", "<b>", "\n"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CUT_PIECES), max_size=25))
def test_comment_and_ref_cuts_are_the_pattern_matches(pieces: list[str]) -> None:
    """Trying the cut pattern only at `<` and the spaces before it finds what finditer finds."""
    from kzkg_tools.normalize.wikitext import _comment_ref_cuts, _rx

    text = "".join(pieces)
    expected = [(m.start(), m.end()) for m in _rx()["cut"].finditer(text)]
    assert _comment_ref_cuts(text) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" ()\uff08\uff09,\uff0c;\uff1ba\n\t\u3000\x1c\u200b", max_size=30))
def test_empty_brackets_are_the_pattern_matches(text: str) -> None:
    """`re`'s search for the bracket pair finds what the `regex` pattern with its space finds."""
    from kzkg_tools.normalize.blocks import _empty_brackets

    pattern = regex.compile(r" ?[(\uff08][\s,\uff0c;\uff1b]*[)\uff09]")
    assert _empty_brackets(text) == [(m.start(), m.end()) for m in pattern.finditer(text)]


_WIKI_PIECES = ["[[a]]", "[[a|b]]", "[[Category:X]]", "[[File:f.jpg|thumb|c [[d]]]]", "{{Infobox x",
                "|a=", "|1=", "|", "b", "}}", "{{lang|en|z}}", "{{convert|1|-|2|km}}", "== H ==",
                "\n", "* ", "# ", ": ", "; ", "----", "&amp;", "&#65;", "&#x42;", "'''", "''",
                "[http://x.org y]", "http://x.org", "<b>", "</b>", "<br/>", "{|", "|}", "|-",
                "{{{1}}}", "<gallery>\nF.jpg|cap\n</gallery>", " ", "===x===", "__TOC__",
                "[[a|{{b}}]]", "{{Infobox y|n=[[p|q]] r|m={{lang|en|s}}}}", "[[Category:X|Y]]",
                "[http://x.org]", "[//x.org z<b>w</b>]", "[[File:f.png|c]]"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WIKI_PIECES), max_size=20), st.booleans())
@example(["{{Infobox x", "|1=", "b", "|", "b", "}}"], False)  # a positional parameter named 1
def test_token_walk_is_the_tree_walk(pieces: list[str], keep_tables: bool) -> None:
    """Walking the tokenizer's tokens writes what walking mwparserfromhell's tree writes."""
    import mwparserfromhell

    from kzkg_tools.normalize.wikitext import _mask_links, _tokenize, _Walker

    text = "".join(pieces)
    masked, links = _mask_links(text)
    results = []
    for by_tokens in (False, True):
        walker = _Walker(keep_tables, text, links)
        if by_tokens:
            walker.walk_tokens(_tokenize(masked), 0)
        else:
            walker.walk(mwparserfromhell.parse(masked, skip_style_tags=True), 0)
        out, offsets, blocks = walker.out.build()
        results.append(
            (out, offsets.as_lists(), blocks, walker.infobox, walker.categories,
             walker.bold_ranges, walker.rules, walker.conversion)
        )  # fmt: skip
    assert results[0] == results[1]


def test_block_writer_line_writes_what_start_text_finish_write() -> None:
    # `line` writes a one-piece block in one step; on any line (spaces at the edges, runs
    # to collapse, tabs, empty) and after a held heading it gives the same text, map, blocks
    import random

    from kzkg_tools.normalize.blocks import BlockWriter

    rng = random.Random(9)
    pool = ["сөз", "-", " ", "  ", "\t", "a", "\u3000", "x.y"]
    for drop in (False, True):
        fast, slow = BlockWriter(drop_empty_sections=drop), BlockWriter(drop_empty_sections=drop)
        pos = 0
        for _ in range(300):
            line = "".join(rng.choice(pool) for _ in range(rng.randint(0, 4)))
            kind = rng.choice(["paragraph", "heading", "list_item"])
            fast.line(kind, line, pos)
            slow.start(kind)
            slow.text(line, pos)
            slow.finish()
            pos += len(line) + 1
        text, offsets, blocks = fast.build_blocks()
        want_text, want_offsets, want_blocks = slow.build_blocks()
        assert text == want_text and list(offsets) == list(want_offsets)
        assert list(blocks) == list(want_blocks) and len(blocks) > 100
