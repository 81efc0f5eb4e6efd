"""MediaWiki XML dumps and exports as input (issue 17 item 2): one Document per article page,
with the page's metadata, redirects and other namespaces skipped and counted, the same
sentences as the pages saved as files, one error line for a broken dump, and memory that does
not grow with the number of pages."""

from __future__ import annotations

import bz2
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tracemalloc
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

from kzkg_tools import dumps, resources
from kzkg_tools import io as kio
from kzkg_tools.align import group_key
from kzkg_tools.cli import cli
from kzkg_tools.records import Sentence
from tests.test_edge_cases import assert_one_error_line
from tests.test_one_pipeline import OUTPUTS, chain

FIXTURES = Path(__file__).parent / "fixtures" / "dumps"
ZH = FIXTURES / "zhwiki-sample.xml"
EN = FIXTURES / "enwiki-sample.xml.bz2"
EXPORT_NS = "{http://www.mediawiki.org/xml/export-0.11/}"
# What would show that XML leaked into a text: tags and attributes of the export format.
XML_MARKERS = re.compile(r"</?(page|revision|text|title|mediawiki|siteinfo|contributor)\b|xmlns")
METADATA = ("title", "page_id", "namespace", "revision_id", "timestamp")


def invoke(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def articles(path: Path) -> list[dict]:
    """The article pages (namespace 0, not redirects) of a fixture, read with xml.etree
    (not mwxml): what the toolkit must find."""
    data = bz2.decompress(path.read_bytes()) if path.suffix == ".bz2" else path.read_bytes()
    root = ET.fromstring(data)
    ns = root.tag[: root.tag.index("}") + 1]
    out = []
    for page in root.iter(f"{ns}page"):
        if page.findtext(f"{ns}ns") != "0" or page.find(f"{ns}redirect") is not None:
            continue
        revision = page.find(f"{ns}revision")
        assert revision is not None
        out.append(
            {
                "title": page.findtext(f"{ns}title"),
                "page_id": int(page.findtext(f"{ns}id") or 0),
                "revision_id": int(revision.findtext(f"{ns}id") or 0),
                "timestamp": revision.findtext(f"{ns}timestamp"),
                "text": revision.findtext(f"{ns}text"),
            }
        )
    return out


def make_dump(pages: list[dict], dbname: str = "kkwiki", tail: str = "") -> str:
    """A schema 0.11 export of `pages` ({title, id, text, ns?, redirect?, revisions?})."""
    out = [
        f'<mediawiki xmlns="{EXPORT_NS[1:-1]}" version="0.11" xml:lang="kk">\n'
        f"<siteinfo><sitename>Wikipedia</sitename><dbname>{dbname}</dbname></siteinfo>\n"
    ]
    for p in pages:
        redirect = f'<redirect title="{p["redirect"]}"/>' if p.get("redirect") else ""
        revisions = "".join(
            f"<revision><id>{rev_id}</id><timestamp>2024-01-0{n + 1}T00:00:00Z</timestamp>"
            f'<model>wikitext</model><text xml:space="preserve">{escape(text)}</text>'
            "</revision>"
            for n, (rev_id, text) in enumerate(p.get("revisions") or [(p["id"] + 1000, p["text"])])
        )
        out.append(
            f"<page><title>{escape(p['title'])}</title><ns>{p.get('ns', 0)}</ns>"
            f"<id>{p['id']}</id>{redirect}{revisions}</page>\n"
        )
    return "".join(out) + "</mediawiki>\n" + tail


@pytest.mark.parametrize("fixture", [ZH, EN], ids=["xml", "xml.bz2"])
def test_fixtures_are_small_real_exports(fixture: Path) -> None:
    assert fixture.stat().st_size < 200_000
    data = (
        bz2.decompress(fixture.read_bytes()) if fixture.suffix == ".bz2" else fixture.read_bytes()
    )
    root = ET.fromstring(data)
    assert re.fullmatch(r"\{http://www.mediawiki.org/xml/export-0\.1[01]/\}mediawiki", root.tag)
    ns = root.tag[: root.tag.index("}") + 1]
    assert root.find(f"{ns}siteinfo/{ns}dbname") is not None
    pages = root.findall(f"{ns}page")
    assert any(p.find(f"{ns}redirect") is not None for p in pages)
    assert any(p.findtext(f"{ns}ns") != "0" for p in pages)
    assert len(articles(fixture)) >= 3


def test_run_on_a_compressed_dump(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def second_read(path: str) -> str:
        raise AssertionError(f"{path}: read again; run hands facts the text it read")

    monkeypatch.setattr(dumps, "page_text", second_read)
    out = tmp_path / "out"
    result = invoke("run", str(EN), "-o", str(out), "--align-method", "facts")
    assert result.exit_code == 0, result.stderr
    want = articles(EN)
    docs = jsonl((out / "documents.jsonl").read_text(encoding="utf-8"))
    assert [d["id"] for d in docs] == [f"{EN.name}#{p['page_id']}" for p in want]
    assert [d["source"] for d in docs] == [f"{EN}#{p['page_id']}" for p in want]
    for doc, page in zip(docs, want, strict=True):
        assert doc["format"] == "wikitext"
        assert {k: doc["metadata"][k] for k in METADATA} == {
            "title": page["title"],
            "page_id": page["page_id"],
            "namespace": 0,
            "revision_id": page["revision_id"],
            "timestamp": page["timestamp"],
        }
        assert doc["metadata"]["wiki"] == "enwiki"
        assert doc["metadata"]["sha256"] == hashlib.sha256(page["text"].encode()).hexdigest()
        assert not XML_MARKERS.search(doc["text"]), doc["id"]
    sentences = jsonl((out / "sentences.jsonl").read_text(encoding="utf-8"))
    assert sentences and not any(XML_MARKERS.search(s["text"]) for s in sentences)
    assert {s["doc_id"] for s in sentences} == {d["id"] for d in docs}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    [entry] = manifest["inputs"]
    assert entry["pages"] == len(want)
    assert entry["skipped"] == {"redirects": 1, "other_namespaces": 1}
    assert entry["bytes"] == len(bz2.decompress(EN.read_bytes()))
    # Each page is its own group; a page of one language has nothing to align: no task.
    langs: dict[str, set[str]] = {}
    for s in sentences:
        langs.setdefault(s["doc_id"], set()).add(s["lang"])
    assert manifest["counts"]["groups"] == sum(len(v) > 1 for v in langs.values())
    assert re.search(
        rf"{re.escape(str(EN))}: MediaWiki dump of enwiki: {len(want)} pages of namespace 0 "
        r"read; skipped 1 redirect, 1 page of another namespace",
        result.stderr,
    )


def test_a_dump_is_shared_among_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With -j2 the run reads the dump ahead into parts of about PART_BYTES of pages, one
    shard each, and writes the records (and the manifest's inputs) -j1 writes."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(EN, corpus / EN.name)
    (corpus / "zz.txt").write_text("Астана — Қазақстанның астанасы.\n", encoding="utf-8")
    one = tmp_path / "j1"
    assert (
        invoke("run", str(corpus), "-o", str(one), "-j1", "--align-method", "facts").exit_code == 0
    )
    parts: list[int] = []
    real_split = dumps.split

    def counted(*args):  # type: ignore[no-untyped-def]
        got = real_split(*args)
        parts.append(len(got))
        return got

    monkeypatch.setattr(dumps, "PART_BYTES", 4000)  # the pages are 1-16 KB: several parts
    monkeypatch.setattr(dumps, "split", counted)
    two = tmp_path / "j2"
    result = invoke("run", str(corpus), "-o", str(two), "-j2", "--align-method", "facts")
    assert result.exit_code == 0, result.stderr
    # The dump's pages of 15, 13, 0.7, 1 and 3.5 KB: a part is closed once it holds 4 KB.
    assert parts == [3, 1]  # and the text file stays one input
    for name in OUTPUTS:
        assert (two / name).read_bytes() == (one / name).read_bytes(), name
    manifests = [json.loads((d / "manifest.json").read_text(encoding="utf-8")) for d in (one, two)]
    assert manifests[0]["inputs"] == manifests[1]["inputs"]
    assert [e["id"] for e in manifests[1]["inputs"]] == [EN.name, "zz.txt"]
    assert not list(two.glob(".kzkg-run-*"))  # the parts went with the work folder


def test_one_dump_gets_every_core(tmp_path: Path) -> None:
    from kzkg_tools.pipeline import resolve_jobs, usable_cores

    assert resolve_jobs(0, kio.expand([str(EN)])) == usable_cores()
    assert resolve_jobs(0, kio.expand([str(FIXTURES / "README.md")])) == 1
    assert resolve_jobs(3, kio.expand([str(EN)])) == 3


@pytest.mark.parametrize("fixture", [ZH, EN], ids=["zh", "en"])
def test_pages_give_the_sentences_of_the_same_pages_as_files(fixture: Path, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    pages = articles(fixture)
    for page in pages:
        (folder / f"{page['page_id']:07d}.wiki").write_text(page["text"], encoding="utf-8")

    def sentences(*inputs: str) -> list[tuple]:
        docs = invoke("normalize", *inputs)
        assert docs.exit_code == 0, docs.stderr
        segs = invoke("segment", stdin=docs.stdout.encode("utf-8"))
        assert segs.exit_code == 0, segs.stderr
        return [
            (s["text"], s["span"], s.get("spans"), s["lang"], s["block"])
            for s in jsonl(segs.stdout)
        ]

    from_dump, from_files = sentences(str(fixture)), sentences(str(folder))
    assert from_dump and from_dump == from_files


def test_chain_and_run_are_byte_identical_on_a_dump(tmp_path: Path) -> None:
    """`kzkg facts` on its own finds each sentence's page in the dump (`dumps.page_text`)
    and gives the surfaces a run gives."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(EN, corpus / EN.name)
    chain(corpus, tmp_path / "chain")
    run = tmp_path / "run"
    assert invoke("run", str(corpus), "-o", str(run), "--align-method", "facts").exit_code == 0
    assert (run / "sentences.jsonl").stat().st_size
    for run_name, chain_name in OUTPUTS.items():  # aligned and diff: empty for one-page groups
        assert (run / run_name).read_bytes() == (tmp_path / "chain" / chain_name).read_bytes()
    facts = [
        f for s in jsonl((run / "sentences.jsonl").read_text(encoding="utf-8")) for f in s["facts"]
    ]
    # The source surfaces differ from the normalized text somewhere (`&ndash;` in Magnar
    # Sætre's page): the chain found the page text, not the sentence text.
    assert any("&" in f["surface"] for f in facts)


def test_page_text_reads_on_and_from_the_top() -> None:
    pages = articles(ZH)
    # In order, out of order, again: every page found.
    for page in [*pages, pages[0], pages[-1], pages[1]]:
        assert dumps.page_text(f"{ZH}#{page['page_id']}") == page["text"]
    assert dumps.page_text(f"{ZH}#123456789") is None
    assert dumps.page_text(f"{FIXTURES / 'README.md'}#1") is None  # not a dump
    assert dumps.page_text("-#13") is None  # standard input is not read twice
    dumps.page_text(f"{ZH}#13")
    assert resources.built()["facts-source"]["entries"] >= 1
    resources.release(["facts-source"])  # closes the dump
    assert "facts-source" not in resources.built()
    assert dumps.page_text(f"{ZH}#13") == pages[0]["text"]


def test_detect_and_normalize_on_a_dump(tmp_path: Path) -> None:
    pages = articles(ZH)
    detected = invoke("detect", str(ZH))
    assert detected.exit_code == 0, detected.stderr
    records = jsonl(detected.stdout)
    assert [r["source"] for r in records] == [f"{ZH}#{p['page_id']}" for p in pages]
    assert all(r["format"] == "wikitext" and r["lang"].startswith("zh-") for r in records)
    normalized = invoke("normalize", str(ZH))
    assert normalized.exit_code == 0, normalized.stderr
    docs = jsonl(normalized.stdout)
    assert [d["metadata"]["title"] for d in docs] == [p["title"] for p in pages]
    assert all(d["lang"].startswith("zh-") and not XML_MARKERS.search(d["text"]) for d in docs)
    # -{…}- conversion markup resolved as in a file: none left.
    assert not any("-{" in d["text"] for d in docs)


@pytest.mark.parametrize("kind", ["gzip", "bzip2", "xz"])
def test_compressed_dumps_read_as_the_plain_dump(kind: str, tmp_path: Path) -> None:
    import gzip
    import lzma

    compress = {"gzip": gzip.compress, "bzip2": bz2.compress, "xz": lzma.compress}[kind]
    xml = make_dump([{"title": "Алматы", "id": 5, "text": "'''Алматы''' — ірі қала. 1929 жыл."}])
    plain, packed = tmp_path / "kk.xml", tmp_path / "kk.data"  # the name says nothing
    plain.write_text(xml, encoding="utf-8")
    packed.write_bytes(compress(xml.encode("utf-8")))
    want, got = invoke("normalize", str(plain)), invoke("normalize", str(packed))
    assert want.exit_code == got.exit_code == 0, got.stderr
    assert got.stdout.replace(str(packed), str(plain)).replace("kk.data", "kk.xml") == want.stdout
    assert '"page_id":5' in got.stdout


def test_dump_on_standard_input() -> None:
    """Told by its first bytes on a real pipe (CliRunner's stdin cannot be peeked at)."""
    with ZH.open("rb") as stdin:
        result = subprocess.run(
            [sys.executable, "-m", "kzkg_tools", "normalize"],
            stdin=stdin,
            capture_output=True,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert [d["id"] for d in jsonl(result.stdout.decode("utf-8"))] == [
        f"-:1#{p['page_id']}" for p in articles(ZH)
    ]


def test_namespaces_and_full_history(tmp_path: Path) -> None:
    f = tmp_path / "kk.xml"
    f.write_text(
        make_dump(
            [
                {"title": "Алматы", "id": 5, "revisions": [(50, "Ескі мәтін."), (51, "Жаңа.")]},
                {"title": "Талқылау:Алматы", "id": 6, "ns": 1, "text": "Талқылау беті."},
                {"title": "Алма-Ата", "id": 7, "text": "#АЙДАУ [[Алматы]]", "redirect": "Алматы"},
                {"title": "Бос", "id": 8, "text": ""},
            ]
        ),
        encoding="utf-8",
    )
    reader = kio.Reader(kio.expand([str(f)]))
    [page] = list(reader)
    assert (page.text, page.metadata["revision_id"]) == ("Жаңа.", 51)  # the last revision
    assert page.lang == "kk-Cyrl" and page.format == "wikitext"
    assert reader.inputs[0]["skipped"] == {"redirects": 1, "other_namespaces": 1, "no_text": 1}
    both = list(kio.Reader(kio.expand([str(f)]), namespaces=frozenset({0, 1})))
    assert [(p.id, p.metadata["title"]) for p in both] == [
        ("kk.xml#5", "Алматы"),
        ("kk.xml#6", "Талқылау:Алматы"),
    ]


def test_namespaces_option(tmp_path: Path) -> None:
    f = tmp_path / "kk.xml"
    f.write_text(
        make_dump(
            [
                {"title": "Алматы", "id": 5, "text": "Алматы қаласы."},
                {"title": "Талқылау:Алматы", "id": 6, "ns": 1, "text": "Талқылау беті."},
                {"title": "Санат:Қалалар", "id": 9, "ns": 14, "text": "Қалалар санаты."},
            ]
        ),
        encoding="utf-8",
    )
    for command in ("normalize", "detect"):
        result = invoke(command, str(f), "--namespaces", "14,1")
        assert result.exit_code == 0, result.output
        ids = [r.get("id") or r["source"].rsplit("/", 1)[-1] for r in jsonl(result.stdout)]
        assert ids == ["kk.xml#6", "kk.xml#9"]
    bad = invoke("normalize", str(f), "--namespaces", "0,talk")
    assert bad.exit_code == 2 and "namespace numbers" in bad.output


def test_run_takes_namespaces_and_variant(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("--namespaces", "0,1", "--zh-variant", "zh-Hans", "--align-method", "facts")
    result = invoke("run", str(ZH), "-o", str(out), "-j1", *args)
    assert result.exit_code == 0, result.output
    docs = jsonl((out / "documents.jsonl").read_text(encoding="utf-8"))
    assert sorted(d["metadata"]["namespace"] for d in docs) == [0, 0, 0, 1]
    film = next(d for d in docs if d["id"].endswith("#48"))
    assert "数字" in film["text"]
    options = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["options"]
    assert options["normalize"]["namespaces"] == [0, 1]
    assert options["normalize"]["zh_variant"] == "zh-Hans"


def test_zh_variant_option_and_note_ta_rules_of_a_real_page() -> None:
    """電影 (page 48) declares `1=zh-tw:數位;zh-hk:數碼;zh-cn:数字;` and writes 數碼 twice."""
    source = next(p for p in articles(ZH) if p["page_id"] == 48)["text"]
    docs = {
        variant: next(
            d for d in jsonl(invoke("normalize", str(ZH), *opt).stdout) if d["id"].endswith("#48")
        )
        for variant, opt in (("Hant", []), ("Hans", ["--zh-variant", "zh-Hans"]))
    }
    hant, hans = docs["Hant"], docs["Hans"]
    assert "數碼攝像機" in source and "數位攝像機" in hant["text"]
    assert "數碼" in source and "數碼" not in hant["text"]
    # Each converted character maps onto the whole word it replaces in the page.
    converted = [s for s in hant["spans"] if hant["text"][s[0] : s[1]] in ("數", "位")]
    assert converted and {source[s[2] : s[3]] for s in converted} == {"數碼"}
    # zh-Hans takes the zh-cn word, for the zh-tw and the zh-hk one alike.
    assert "数字" in hans["text"] and not {"數位", "數碼"} & set(_words(hans["text"], 2))


def _words(text: str, n: int) -> list[str]:
    return [text[i : i + n] for i in range(len(text) - n + 1)]


def test_a_page_not_in_the_wiki_language_is_warned_about(tmp_path: Path) -> None:
    english = "The city is the largest in the country and its main centre of trade."
    f = tmp_path / "kk.xml"
    f.write_text(
        make_dump(
            [{"title": f"Page {i}", "id": i, "text": english} for i in range(1, 8)]
            + [{"title": "Қала", "id": 9, "text": "Алматы — Қазақстандағы ең ірі қала."}]
        ),
        encoding="utf-8",
    )
    result = invoke("normalize", str(f))
    assert result.exit_code == 0, result.stderr
    docs = jsonl(result.stdout)
    assert [d["lang"] for d in docs] == ["en"] * 7 + ["kk-Cyrl"]  # detection is kept
    lines = result.stderr.splitlines()
    shown = [line for line in lines if "detected language en, the input says kk" in line]
    assert len(shown) == dumps_lang_warnings()
    assert f"{f}#1 (Page 1): detected language en" in shown[0]
    assert any(f"{f}: 7 documents in all whose detected language is not kk" in x for x in lines)


def dumps_lang_warnings() -> int:
    from kzkg_tools.normalize import LANG_WARNINGS

    return LANG_WARNINGS


@pytest.mark.parametrize(
    ("dbname", "xml_lang", "tag"),
    [
        ("kkwiki", None, "kk-Cyrl"),
        ("zhwiki", None, "zh-Hans"),
        ("arwiki", None, "ar"),
        ("ruwiki", None, "ru"),
        ("enwiki", None, "en"),
        ("simplewiki", None, "en"),
        ("kkwikibooks", None, "kk-Cyrl"),
        (None, "ar", "ar"),
        ("mywiki-private", None, None),
    ],
)
def test_wiki_language_from_dbname(dbname: str | None, xml_lang: str | None, tag: str) -> None:
    assert dumps.wiki_lang(dbname, xml_lang) == tag


def test_each_dump_page_is_its_own_align_group() -> None:
    def sentence(source: str) -> Sentence:
        return Sentence("a:0", "a", 0, "en", "A.", "paragraph", source, [0, 2])

    assert group_key(sentence("corpus/kkwiki.xml.bz2#12"), "dir") == "corpus/kkwiki.xml.bz2#12"
    assert group_key(sentence("corpus/kkwiki.xml.bz2#13"), "dir") != group_key(
        sentence("corpus/kkwiki.xml.bz2#12"), "dir"
    )
    assert group_key(sentence("corpus/kk.txt"), "dir") == "corpus"
    assert group_key(sentence("corpus/kkwiki.xml.bz2#12"), "all") == ""


@pytest.mark.parametrize("command", ["normalize", "detect", "run", "run -j1"])
def test_truncated_dump_is_one_error_line(command: str, tmp_path: Path) -> None:
    """(`run` reads a dump ahead in its main process, `run -j1` in its only one.)"""
    data = ZH.read_bytes()
    f = tmp_path / "cut.xml"
    f.write_bytes(data[: len(data) // 2])
    command, *jobs = command.split()
    args = ["-o", str(tmp_path / "out"), *jobs] if command == "run" else []
    assert_one_error_line(
        invoke(command, *args, str(f)),
        # "no element found", or "partial character" when the cut falls inside a character
        rf"^kzkg: error: {re.escape(str(f))}:\d+: malformed MediaWiki XML \([a-z ]+\); "
        r"at or after page id 48 \(电影\)$",
    )


def test_truncated_compressed_dump_counts_lines_in_the_decompressed_text(tmp_path: Path) -> None:
    data = ZH.read_bytes()
    f = tmp_path / "cut.xml.bz2"
    f.write_bytes(bz2.compress(data[: len(data) // 2]))
    assert_one_error_line(
        invoke("normalize", str(f)),
        rf"{re.escape(str(f))}:\d+: malformed MediaWiki XML \([a-z ]+\) "
        r"\(in the bzip2-decompressed text\); at or after page id",
    )


GOOD = make_dump([{"title": "A", "id": 1, "text": "B"}])


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (GOOD.replace("</ns>", "</n>"), r":3: malformed MediaWiki XML \(mismatched tag\)"),
        (GOOD + "junk", r":5: malformed MediaWiki XML \(junk after document element\)"),
        (GOOD.replace("<id>1</id>", "<id>x1</id>"), r": malformed MediaWiki XML \(.*'x1'\)"),
        (GOOD.replace("<title>A</title>", ""), r": malformed MediaWiki XML \("),
        (
            '<mediawiki xmlns="x"><page><title>A</title></page></mediawiki>',
            r": malformed MediaWiki XML \(<siteinfo> tag not found",
        ),
    ],
    ids=["mismatched-tag", "junk-after", "bad-page-id", "no-title", "no-siteinfo"],
)
def test_malformed_dump_is_one_error_line(xml: str, message: str, tmp_path: Path) -> None:
    f = tmp_path / "bad.xml"
    f.write_text(xml, encoding="utf-8")
    assert_one_error_line(
        invoke("normalize", str(f)), rf"^kzkg: error: {re.escape(str(f))}{message}"
    )


def _peak_bytes(path: Path) -> int:
    tracemalloc.start()
    try:
        for page in kio.Reader(kio.expand([str(path)])):
            assert page.text
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_pages(tmp_path: Path) -> None:
    """Ten times the pages, the same peak: each page is let go once the next one starts.
    (xml.etree keeps every finished child of the root, about 80 bytes a page, unless it is
    removed: 1,800 more pages would add some 140 KB.)"""
    text = "'''Қазақстан''' — Орталық Азиядағы мемлекет. " * 5
    sizes = {}
    for n in (200, 2000):
        f = tmp_path / f"{n}.xml"
        f.write_text(
            make_dump([{"title": f"Бет {i}", "id": i, "text": text} for i in range(1, n + 1)]),
            encoding="utf-8",
        )
        sizes[n] = f
    _peak_bytes(sizes[200])  # imports and first-use caches are not the dump's
    small, large = _peak_bytes(sizes[200]), _peak_bytes(sizes[2000])
    assert large - small < 48 * 1024, (small, large)
