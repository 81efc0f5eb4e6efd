"""The exports: Moses file pairs, TMX 1.4, the OPUS folder read back by OpusTools, dolma,
the --script/--pairs/--min-score/--self-pairs options, and all-or-nothing writing.

Most tests export the seeds' run (two-member beads only, 29 of them pairing the kk-Cyrl
seed 002 with seed 003, kk-Arab transliterated to Cyrillic); the others a hand-made one.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kzkg_tools import export, langs
from kzkg_tools.cli import cli
from kzkg_tools.errors import KzkgError, OutputError
from kzkg_tools.records import Bead, BeadMember, Document, Sentence, dumps, from_dict
from tests import run_output

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# TMX 1.4 header attributes the DTD declares #REQUIRED
TMX_HEADER = ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang")
TMX_HEADER_REQUIRED = (*TMX_HEADER, "srclang", "datatype")
CYRILLIC = re.compile("[\u0400-\u04ff]")
ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    result = CliRunner().invoke(cli, ["run", "-o", str(out), "--align-method", "facts"])
    assert result.exit_code == 0, result.stderr
    return out


def _read(path: Path, cls: type) -> list:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [from_dict(cls, json.loads(line)) for line in lines]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _lines(path: Path | str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").split("\n")[:-1]


def _export(runner: CliRunner, run: Path, *args: str):
    return runner.invoke(cli, ["export", str(run), *args])


def _moses(prefix: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Language pair → its two files' lines, read from the files an export wrote."""
    files = sorted(prefix.parent.glob(f"{prefix.name}.*"))
    by_pair: dict[str, list[Path]] = {}
    for path in files:
        pair = path.name[len(prefix.name) + 1 : path.name.rindex(".")]
        by_pair.setdefault(pair, []).append(path)
    out = {}
    for pair, paths in by_pair.items():
        assert len(paths) == 2, paths
        first, second = sorted(paths, key=lambda p: p.name != f"{prefix.name}.{pair}.1")
        out[pair] = (_lines(first), _lines(second))
    return out


def _sorted_side_pairs(beads: list[Bead], self_pairs: bool) -> Counter:
    """(pair, text, text) of every exportable bead, sides ordered by language."""
    found: Counter = Counter()
    for bead in beads:
        a, b = sorted(bead.members, key=lambda m: m.lang)
        if a.lang == b.lang and not self_pairs:
            continue
        found[(f"{a.lang}-{b.lang}", _flat(a.text), _flat(b.text))] += 1
    return found


# -- Moses ------------------------------------------------------------------------------------


def test_moses_one_file_pair_per_language_pair(
    runner: CliRunner, seeds_run: Path, tmp_path: Path
) -> None:
    beads = _read(seeds_run / "aligned.jsonl", Bead)
    two = [b for b in beads if len(b.members) == 2]
    same = [b for b in two if b.members[0].lang == b.members[1].lang]
    assert len(two) == len(beads) and same  # the seeds have both kinds
    prefix = tmp_path / "m"
    result = _export(runner, seeds_run, "--format", "moses", "-o", str(prefix))
    assert result.exit_code == 0, result.stderr
    assert f"{len(same)} same-language pairs skipped ({len(same)} kk-Cyrl)" in result.stderr
    files = _moses(prefix)
    total = 0
    for pair, (left, right) in files.items():
        l1, l2 = export.parse_pairs(pair).__iter__().__next__()
        assert pair == f"{l1}-{l2}" and l1 < l2
        assert len(left) == len(right) > 0
        assert all(line.strip() and line == _flat(line) for line in left + right)
        total += len(left) + len(right)
    assert total == 2 * (len(two) - len(same))
    got = Counter((p, a, b) for p, (ls, rs) in files.items() for a, b in zip(ls, rs, strict=True))
    assert got == _sorted_side_pairs(beads, self_pairs=False)


def test_moses_self_pairs_kept_in_their_own_pair(
    runner: CliRunner, seeds_run: Path, tmp_path: Path
) -> None:
    beads = _read(seeds_run / "aligned.jsonl", Bead)
    prefix = tmp_path / "m"
    result = _export(runner, seeds_run, "--format", "moses", "-o", str(prefix), "--self-pairs")
    assert result.exit_code == 0, result.stderr
    assert "skipped" not in result.stderr
    assert (tmp_path / "m.kk-Cyrl-kk-Cyrl.1").is_file()
    assert (tmp_path / "m.kk-Cyrl-kk-Cyrl.2").is_file()
    files = _moses(prefix)
    assert sum(len(a) + len(b) for a, b in files.values()) == 2 * len(beads)
    # a self-pair's sides stay in bead order: .1 holds the first member
    same = [b for b in beads if b.members[0].lang == b.members[1].lang]
    assert files["kk-Cyrl-kk-Cyrl"][0] == [_flat(b.members[0].text) for b in same]


def test_script_orig_exports_the_source_script(
    runner: CliRunner, seeds_run: Path, tmp_path: Path
) -> None:
    docs = {d.id: d for d in _read(seeds_run / "documents.jsonl", Document)}
    sentences = {s.id: s for s in _read(seeds_run / "sentences.jsonl", Sentence)}
    arab = {d.id for d in docs.values() if d.orig_lang == "kk-Arab"}
    assert arab
    prefix = tmp_path / "m"
    result = _export(runner, seeds_run, "--format", "moses", "-o", str(prefix), "--script", "orig")
    assert result.exit_code == 0, result.stderr
    files = _moses(prefix)
    # 002 (kk-Cyrl) and 003 (kk-Arab) are no longer a same-language pair
    assert "kk-Cyrl-kk-Cyrl" not in files and "skipped" not in result.stderr
    assert "kk-Arab-kk-Cyrl" in files
    expected = []
    for bead in _read(seeds_run / "aligned.jsonl", Bead):
        for m in bead.members:
            if m.doc_id in arab and m.lang == "ar":
                continue
            if m.doc_id in arab:
                expected.append(_flat(" ".join(sentences[i].orig_text for i in m.sentence_ids)))
    arab_lines = [
        line
        for pair, (left, right) in files.items()
        for lang, lines in zip(pair_langs(pair), (left, right), strict=True)
        if lang == "kk-Arab"
        for line in lines
    ]
    assert sorted(arab_lines) == sorted(expected)
    assert all(ARABIC.search(line) and not CYRILLIC.search(line) for line in arab_lines)


def pair_langs(pair: str) -> tuple[str, str]:
    ((a, b),) = export.parse_pairs(pair)
    return a, b


# -- TMX --------------------------------------------------------------------------------------


def _tmx(text: str) -> list[ET.Element]:
    """The tus of a TMX 1.4 document, after checking what the DTD requires of it."""
    root = ET.fromstring(text)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header, body = list(root)
    assert header.tag == "header" and body.tag == "body"
    assert all(header.get(a) for a in TMX_HEADER_REQUIRED)
    srclang = header.get("srclang")
    tus = body.findall("tu")
    assert len(tus) == len(body)
    for tu in tus:
        children = [c.tag for c in tu]
        # (note|prop)*, tuv+
        assert children == sorted(children, key=lambda t: t == "tuv") and "tuv" in children
        for tuv in tu.findall("tuv"):
            assert tuv.get(XML_LANG), ET.tostring(tuv)
            assert [c.tag for c in tuv][-1] == "seg" and len(tuv.findall("seg")) == 1
            assert tuv.find("seg").text.strip()
        if srclang != "*all*":
            assert srclang in [tuv.get(XML_LANG) for tuv in tu.findall("tuv")]
    return tus


def _tuv_langs(tu: ET.Element) -> list[str]:
    return [tuv.get(XML_LANG) for tuv in tu.findall("tuv")]


def test_tmx_has_no_self_pairs_and_the_variant_tags(runner: CliRunner, seeds_run: Path) -> None:
    beads = _read(seeds_run / "aligned.jsonl", Bead)
    result = _export(runner, seeds_run, "--format", "tmx")
    assert result.exit_code == 0, result.stderr
    tus = _tmx(result.stdout)
    same = sum(1 for b in beads if b.members[0].lang == b.members[1].lang)
    assert len(tus) == len(beads) - same
    for tu in tus:
        a, b = _tuv_langs(tu)
        assert a < b and a in langs.LANGS and b in langs.LANGS
    tags = {t for tu in tus for t in _tuv_langs(tu)}
    assert {"zh-Hant", "kk-Cyrl", "ar"} <= tags and "kk-Arab" not in tags

    orig = _export(runner, seeds_run, "--format", "tmx", "--script", "orig")
    tags = {t for tu in _tmx(orig.stdout) for t in _tuv_langs(tu)}
    assert "kk-Arab" in tags
    kept = _export(runner, seeds_run, "--format", "tmx", "--self-pairs")
    selfs = [tu for tu in _tmx(kept.stdout) if len(set(_tuv_langs(tu))) == 1]
    assert len(selfs) == same


def test_tmx_keeps_provenance_and_score(runner: CliRunner, tmp_path: Path) -> None:
    out = run_output.write(tmp_path / "out")
    result = _export(runner, out, "--format", "tmx")
    assert result.exit_code == 0, result.stderr
    tu = _tmx(result.stdout)[0]
    assert tu.get("tuid") == f"bead:{run_output.ZH}~{run_output.AR}:0"
    assert tu.find("prop[@type='x-score']").text == "0.9100"
    ar = tu.find("tuv")  # ar sorts before zh-Hant
    assert ar.get(XML_LANG) == "ar" and ar.find("seg").text == run_output.AR_TEXT
    assert ar.find("prop[@type='x-doc']").text == run_output.AR
    assert ar.find("prop[@type='x-sentences']").text == f"{run_output.AR}:0"


# -- OPUS -------------------------------------------------------------------------------------


def test_opus_folder_layout(runner: CliRunner, seeds_run: Path, tmp_path: Path) -> None:
    sentences = _read(seeds_run / "sentences.jsonl", Sentence)
    out = tmp_path / "opus"
    result = _export(runner, seeds_run, "--format", "opus-xml", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    # every sentence is in the sentence file of its document and language, ids from 1
    streams = Counter((s.lang, s.doc_id) for s in sentences)
    for (lang, doc), n in streams.items():
        root = ET.parse(out / export.opus_doc_path(lang, doc)).getroot()
        assert root.tag == "document"
        assert [s.get("id") for s in root.findall("s")] == [str(i) for i in range(1, n + 1)]
    aligns = sorted(p.name for p in out.glob("*.xml"))
    assert aligns == sorted(f"{p}.xml" for p in _moses_pairs(runner, seeds_run, tmp_path))
    for name in aligns:
        root = ET.parse(out / name).getroot()
        assert root.tag == "cesAlign"
        for group in root.findall("linkGrp"):
            for end in ("fromDoc", "toDoc"):
                assert (out / group.get(end)).is_file()
            sizes = [len(ET.parse(out / group.get(e)).getroot()) for e in ("fromDoc", "toDoc")]
            for link in group.findall("link"):
                sides = link.get("xtargets").split(";")
                for side, size in zip(sides, sizes, strict=True):
                    assert all(1 <= int(i) <= size for i in side.split())


def _moses_pairs(runner: CliRunner, run: Path, tmp_path: Path, *args: str) -> dict:
    prefix = tmp_path / "moses" / "m"
    prefix.parent.mkdir(parents=True, exist_ok=True)
    result = _export(runner, run, "--format", "moses", "-o", str(prefix), *args)
    assert result.exit_code == 0, result.stderr
    return _moses(prefix)


def _opus_expected(run: Path, orig: bool, self_pairs: bool) -> dict[str, list[tuple[str, str]]]:
    """Pair → (source line, target line) as opus_read prints them: a side's sentences, each
    on one line, joined by a space (our Moses files join them as the language does)."""
    docs = {d.id: d for d in _read(run / "documents.jsonl", Document)}
    sentences = {s.id: s for s in _read(run / "sentences.jsonl", Sentence)}

    def side(m: BeadMember) -> tuple[str, str]:
        doc = docs[m.doc_id]
        source = orig and doc.orig_lang and doc.lang == m.lang
        texts = [sentences[i].orig_text if source else sentences[i].text for i in m.sentence_ids]
        return (doc.orig_lang if source else m.lang), " ".join(_flat(t) for t in texts)

    expected: dict[str, list[tuple[str, str]]] = {}
    for bead in _read(run / "aligned.jsonl", Bead):
        (la, ta), (lb, tb) = sorted(side(m) for m in bead.members)
        if la != lb or self_pairs:
            expected.setdefault(f"{la}-{lb}", []).append((ta, tb))
    return expected


@pytest.mark.parametrize("args", [(), ("--script", "orig", "--self-pairs")])
def test_opus_read_reads_the_export_back(
    runner: CliRunner, seeds_run: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    opus_read = pytest.importorskip("opustools").OpusRead
    out = tmp_path / "opus"
    result = _export(runner, seeds_run, "--format", "opus-xml", "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    expected = _opus_expected(seeds_run, "--script" in args, "--self-pairs" in args)
    assert sorted(p.name for p in out.glob("*.xml")) == sorted(f"{p}.xml" for p in expected)
    for pair, lines in expected.items():
        src, trg = pair_langs(pair)
        got = [tmp_path / f"read.{n}" for n in (1, 2)]
        # -p raw: our sentences are untokenized text; -dl: sentence files are found there
        opus_read(
            directory="kzkg",
            source=src,
            target=trg,
            preprocess="raw",
            alignment_file=str(out / f"{pair}.xml"),
            download_dir=str(out),
            write_mode="moses",
            write=[str(p) for p in got],
            suppress_prompts=True,
        ).printPairs()
        assert list(zip(_lines(got[0]), _lines(got[1]), strict=True)) == lines, pair


def test_opus_refuses_a_folder_that_is_not_empty(runner: CliRunner, tmp_path: Path) -> None:
    run = run_output.write(tmp_path / "out")
    (tmp_path / "opus").mkdir()
    (tmp_path / "opus" / "keep.txt").write_text("mine\n", encoding="utf-8")
    result = _export(runner, run, "--format", "opus-xml", "-o", str(tmp_path / "opus"))
    assert result.exit_code == 2
    assert "already exists and is a folder that is not empty" in result.stderr
    assert [p.name for p in (tmp_path / "opus").iterdir()] == ["keep.txt"]
    # an empty folder is filled
    (tmp_path / "empty").mkdir()
    result = _export(runner, run, "--format", "opus-xml", "-o", str(tmp_path / "empty"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "empty" / "ar-zh-Hant.xml").is_file()
    assert not list(tmp_path.glob(".empty.*"))


def test_opus_needs_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = _export(runner, run_output.write(tmp_path / "out"), "--format", "opus-xml")
    assert result.exit_code == 2
    assert "-o FOLDER" in result.stderr


# -- filters ----------------------------------------------------------------------------------


def test_pairs_filter_every_format(runner: CliRunner, seeds_run: Path, tmp_path: Path) -> None:
    wanted = "zh-Hant-ar,kk-Cyrl-en"  # either order; hyphenated tags
    pairs = _moses_pairs(runner, seeds_run, tmp_path, "--pairs", wanted)
    assert sorted(pairs) == ["ar-zh-Hant", "en-kk-Cyrl"]
    result = _export(runner, seeds_run, "--format", "tmx", "--pairs", wanted)
    assert {tuple(_tuv_langs(tu)) for tu in _tmx(result.stdout)} == {
        ("ar", "zh-Hant"),
        ("en", "kk-Cyrl"),
    }
    out = tmp_path / "opus"
    _export(runner, seeds_run, "--format", "opus-xml", "-o", str(out), "--pairs", wanted)
    assert sorted(p.name for p in out.glob("*.xml")) == ["ar-zh-Hant.xml", "en-kk-Cyrl.xml"]
    # naming a same-language pair asks for it
    selfs = _moses_pairs(runner, seeds_run, tmp_path / "x", "--pairs", "kk-kk")
    assert sorted(selfs) == ["kk-Cyrl-kk-Cyrl"]


def test_min_score_filters_every_format(runner: CliRunner, seeds_run: Path, tmp_path: Path) -> None:
    beads = _read(seeds_run / "aligned.jsonl", Bead)
    cut = sorted(b.score for b in beads)[len(beads) // 2]  # the median: keeps about half
    kept = [b for b in beads if b.score >= cut and b.members[0].lang != b.members[1].lang]
    assert 0 < len(kept) < len(beads)
    pairs = _moses_pairs(runner, seeds_run, tmp_path, "--min-score", str(cut))
    assert sum(len(a) for a, _ in pairs.values()) == len(kept)
    result = _export(runner, seeds_run, "--format", "tmx", "--min-score", str(cut))
    scores = [float(tu.find("prop[@type='x-score']").text) for tu in _tmx(result.stdout)]
    assert len(scores) == len(kept) and min(scores) >= cut
    out = tmp_path / "opus"
    _export(runner, seeds_run, "--format", "opus-xml", "-o", str(out), "--min-score", str(cut))
    links = [ln for p in out.glob("*.xml") for ln in ET.parse(p).getroot().iter("link")]
    assert len(links) == len(kept)


def test_filters_are_refused_for_dolma(runner: CliRunner, tmp_path: Path) -> None:
    run = run_output.write(tmp_path / "out")
    result = _export(runner, run, "--format", "dolma", "--pairs", "ar-zh-Hant")
    assert result.exit_code == 2
    assert "dolma exports documents" in result.stderr


@pytest.mark.parametrize("bad", ["xx-yy", "ar", "ar-zh-Hant,", "kk-Cyrl-Cyrl", ","])
def test_bad_pairs_are_one_error_line(runner: CliRunner, tmp_path: Path, bad: str) -> None:
    run = run_output.write(tmp_path / "out")
    result = _export(runner, run, "--format", "tmx", "--pairs", bad)
    if bad == "ar-zh-Hant,":  # a trailing comma is harmless
        assert result.exit_code == 0, result.stderr
        return
    assert result.exit_code == 2
    assert result.stderr.startswith("kzkg: error: --pairs") and len(result.stderr.splitlines()) == 1


def test_parse_pairs_reads_hyphenated_tags_in_either_order() -> None:
    assert export.parse_pairs("zh-Hant-kk-Arab, en-ru,ru-en") == {
        ("kk-Arab", "zh-Hant"),
        ("en", "ru"),
    }
    assert export.parse_pairs("zh-TW-kk") == {("kk-Cyrl", "zh-Hant")}
    with pytest.raises(KzkgError, match="cannot read 'fr-en'"):
        export.parse_pairs("fr-en")


# -- the library on hand-made beads -----------------------------------------------------------


def _bead(*members: tuple[str, str, str], score: float = 0.5) -> Bead:
    return Bead(
        "bead:x",
        "parallel",
        score,
        [BeadMember(doc, lang, [f"{doc}:0"], text) for doc, lang, text in members],
    )


def test_links_of_a_three_member_bead_and_an_empty_side() -> None:
    three = _bead(("a", "ru", "три"), ("b", "en", "three\nlines"), ("c", "ar", "ثلاثة"))
    empty = _bead(("a", "ru", "  "), ("b", "en", "none"))
    skipped = export.Skipped()
    got = list(export.links([three, empty], export.Script(), export.Selection(), skipped))
    assert [(x.id, x.pair) for x in got] == [
        ("bead:x/1-2", ("en", "ru")),
        ("bead:x/1-3", ("ar", "ru")),
        ("bead:x/2-3", ("ar", "en")),
    ]
    assert skipped.empty == 1 and not skipped.self_pairs


def test_write_moses_flattens_newlines(tmp_path: Path) -> None:
    beads = [_bead(("a", "ru", "две\nстроки"), ("b", "en", "two\n\tlines"))]
    links = export.links(beads, export.Script(), export.Selection(), export.Skipped())
    paths = export.write_moses(links, str(tmp_path / "c"))
    assert paths == [str(tmp_path / "c.en-ru.en"), str(tmp_path / "c.en-ru.ru")]
    assert _lines(paths[0]) == ["two lines"] and _lines(paths[1]) == ["две строки"]


def test_write_moses_leaves_nothing_when_the_beads_fail(tmp_path: Path) -> None:
    beads = run_output.beads()

    def broken() -> Iterator[Bead]:
        yield beads[0]
        raise ValueError("bead 2 unreadable")

    (tmp_path / "corpus.ar-zh-Hant.ar").write_text("old\n", encoding="utf-8")
    links = export.links(broken(), export.Script(), export.Selection(), export.Skipped())
    with pytest.raises(ValueError, match="bead 2"):
        export.write_moses(links, str(tmp_path / "corpus"))
    # the earlier export stays as it was and no temporary file is left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.ar-zh-Hant.ar"]
    assert (tmp_path / "corpus.ar-zh-Hant.ar").read_text(encoding="utf-8") == "old\n"


def test_write_moses_discards_opened_files_when_a_later_one_cannot_open(tmp_path: Path) -> None:
    # the second language pair's files would go to a folder that does not exist
    side = export.Side
    first = export.Link("1", 1.0, side("b", "en", (), "one"), side("a", "ru", (), "один"))
    second = export.Link("2", 1.0, side("b", "no/such", (), "x"), side("a", "ru", (), "y"))
    with pytest.raises(OutputError, match="cannot write"):
        export.write_moses([first, second], str(tmp_path / "corpus"))
    assert list(tmp_path.iterdir()) == []


def test_dolma_script_orig(runner: CliRunner, seeds_run: Path) -> None:
    docs = {d.id: d for d in _read(seeds_run / "documents.jsonl", Document)}
    result = _export(runner, seeds_run, "--format", "dolma", "--script", "orig")
    assert result.exit_code == 0, result.stderr
    for line in result.stdout.splitlines():
        rec = json.loads(line)
        doc = docs[rec["id"]]
        if doc.orig_lang:
            assert rec["metadata"]["lang"] == doc.orig_lang == "kk-Arab"
            assert rec["metadata"]["translit_lang"] == doc.lang
            assert rec["text"] == doc.orig_text
        else:
            assert rec["text"] == doc.text and rec["metadata"]["lang"] == doc.lang


def test_opus_bead_naming_an_unknown_sentence_writes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    run = run_output.write(tmp_path / "out")
    aligned = run / "aligned.jsonl"
    aligned.write_text(
        aligned.read_text(encoding="utf-8").replace(f"{run_output.AR}:0", f"{run_output.AR}:9"),
        encoding="utf-8",
    )
    result = _export(runner, run, "--format", "opus-xml", "-o", str(tmp_path / "opus"))
    assert result.exit_code == 2
    assert f"sentence {run_output.AR}:9 is not a ar sentence" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_script_orig_needs_the_source_text(runner: CliRunner, tmp_path: Path) -> None:
    run = run_output.write(tmp_path / "out")
    docs = run_output.documents()
    docs[1].orig_lang = "kk-Arab"  # claims a source script its sentences do not carry
    (run / "documents.jsonl").write_text("".join(dumps(d) + "\n" for d in docs), encoding="utf-8")
    result = _export(runner, run, "--format", "tmx", "--script", "orig")
    assert result.exit_code == 2
    assert f"sentence {run_output.AR}:0 of transliterated document" in result.stderr
    assert len(result.stderr.splitlines()) == 1
