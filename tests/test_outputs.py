"""show, report and export on a hand-made run output folder."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from kzkg_tools.cli import cli
from tests import run_output

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return run_output.write(tmp_path / "out")


def test_export_tmx(runner: CliRunner, out_dir: Path) -> None:
    result = runner.invoke(cli, ["export", str(out_dir), "--format", "tmx"])
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(result.stdout)
    assert root.get("version") == "1.4"
    tus = root.findall("./body/tu")
    assert len(tus) == 2
    langs = [tuv.get(XML_LANG) for tuv in tus[0].findall("tuv")]
    assert langs == ["ar", "zh-Hant"]  # sides ordered by language tag
    assert tus[0].find("./tuv[1]/seg").text == run_output.AR_TEXT


def test_export_opus_xml(runner: CliRunner, out_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "opus"
    result = runner.invoke(cli, ["export", str(out_dir), "--format", "opus-xml", "-o", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.glob("*.xml")) == ["ar-zh-Hant.xml", "en-kk-Cyrl.xml"]
    root = ET.parse(folder / "ar-zh-Hant.xml").getroot()
    groups = root.findall("linkGrp")
    assert [(g.get("fromDoc"), g.get("toDoc")) for g in groups] == [
        (f"ar/{run_output.AR}.xml", f"zh-Hant/{run_output.ZH}.xml")
    ]
    link = groups[0].find("link")
    assert link.get("xtargets") == "1;1"
    assert link.get("certainty") == "0.9100"
    doc = ET.parse(folder / "ar" / f"{run_output.AR}.xml").getroot()
    assert [(s.get("id"), s.text) for s in doc] == [("1", run_output.AR_TEXT)]


def test_export_moses(runner: CliRunner, out_dir: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "corpus"
    result = runner.invoke(cli, ["export", str(out_dir), "--format", "moses", "-o", str(prefix)])
    assert result.exit_code == 0, result.stderr
    files = sorted(p.name for p in tmp_path.glob("corpus.*"))
    assert files == [
        "corpus.ar-zh-Hant.ar",
        "corpus.ar-zh-Hant.zh-Hant",
        "corpus.en-kk-Cyrl.en",
        "corpus.en-kk-Cyrl.kk-Cyrl",
    ]
    lines = {
        p.name: p.read_text(encoding="utf-8").split("\n")[:-1] for p in tmp_path.glob("corpus.*")
    }
    assert lines["corpus.ar-zh-Hant.ar"] == [run_output.AR_TEXT]
    assert lines["corpus.en-kk-Cyrl.en"] == ["Kazakhstan and Kyrgyzstan."]


def test_export_moses_needs_a_prefix(runner: CliRunner, out_dir: Path) -> None:
    result = runner.invoke(cli, ["export", str(out_dir), "--format", "moses"])
    assert result.exit_code == 2
    assert "-o PREFIX" in result.stderr


def test_export_dolma(runner: CliRunner, out_dir: Path) -> None:
    result = runner.invoke(cli, ["export", str(out_dir), "--format", "dolma"])
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["id"] for d in docs] == [run_output.ZH, run_output.AR]
    assert all(isinstance(d["source"], str) for d in docs)
    assert docs[1]["metadata"]["lang"] == "ar"


def test_export_missing_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["export", str(tmp_path / "nope"), "--format", "tmx"])
    assert result.exit_code == 2
    assert "not a kzkg run output folder" in result.stderr


class _Cells(HTMLParser):
    """Collects the attributes of every table cell and mark."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str | None]] = []
        self.marks: list[str] = []  # classes of the marks inside table cells
        self._in_td = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "td":
            self.cells.append(dict(attrs))
            self._in_td = True
        if tag == "mark" and self._in_td:
            self.marks.append(dict(attrs).get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_td = False


def test_report(runner: CliRunner, out_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = runner.invoke(cli, ["report", str(out_dir), "-o", str(page)])
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html  # self-contained
    parser = _Cells()
    parser.feed(html)
    text_cells = [c for c in parser.cells if "lang" in c]
    assert text_cells and all(c.get("dir") == "auto" for c in text_cells)
    assert {"ar", "zh-Hant", "kk-Cyrl", "en"} <= {c["lang"] for c in text_cells}
    assert "fact conflict" in parser.marks  # the two dates
    assert parser.marks.count("fact conflict") == 2
    assert "fact missing" in parser.marks and "fact agree" in parser.marks
    # Summary row of the zh~ar pair: 1 bead, 1 agree, 1 conflict, 1 missing.
    assert f"{run_output.ZH} ~ {run_output.AR}" in html
    assert "same day and month, years differ" in html


def test_show(runner: CliRunner, out_dir: Path) -> None:
    result = runner.invoke(cli, ["show", str(out_dir)])
    assert result.exit_code == 0, result.stderr
    assert "哈薩克斯坦" in result.stdout
    assert "Kazakhstan and Kyrgyzstan." in result.stdout
    # Visual order: the last Arabic word comes first, shaped into presentation forms.
    assert "ﺔﻴﻗﺎﻔﺗﺍ" in result.stdout
    logical = runner.invoke(cli, ["show", "--bidi", "logical", str(out_dir)])
    assert "اتفاقية" in logical.stdout
