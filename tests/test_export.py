"""The export library: the Moses writer (one file per language, all or none)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kzkg_tools import export
from kzkg_tools.errors import OutputError
from kzkg_tools.records import Bead
from tests import run_output


def _lines(path: str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").split("\n")[:-1]


def test_languages_are_sorted_and_distinct() -> None:
    assert export.languages(run_output.beads()) == ["ar", "en", "kk-Cyrl", "zh-Hant"]
    assert export.languages([]) == []


def test_write_moses_line_i_of_every_file_is_bead_i(tmp_path: Path) -> None:
    beads = run_output.beads()
    prefix = str(tmp_path / "corpus")
    paths = export.write_moses(iter(beads), export.languages(beads), prefix)
    assert paths == [f"{prefix}.{lang}" for lang in ("ar", "en", "kk-Cyrl", "zh-Hant")]
    assert sorted(p.name for p in tmp_path.iterdir()) == [Path(p).name for p in paths]
    rows = list(export.moses(beads, export.languages(beads)))
    for path in paths:
        lang = path[len(prefix) + 1 :]
        assert _lines(path) == [row[lang] for row in rows]
    assert _lines(f"{prefix}.ar") == [run_output.AR_TEXT, ""]


def test_write_moses_leaves_nothing_when_the_beads_fail(tmp_path: Path) -> None:
    beads = run_output.beads()

    def broken() -> Iterator[Bead]:
        yield beads[0]
        raise ValueError("bead 2 unreadable")

    (tmp_path / "corpus.ar").write_text("old\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bead 2"):
        export.write_moses(broken(), export.languages(beads), str(tmp_path / "corpus"))
    # the earlier export stays as it was and no temporary file is left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.ar"]
    assert (tmp_path / "corpus.ar").read_text(encoding="utf-8") == "old\n"


def test_write_moses_discards_opened_files_when_a_later_one_cannot_open(tmp_path: Path) -> None:
    # "no/such" puts the last file in a folder that does not exist
    with pytest.raises(OutputError, match="cannot write"):
        export.write_moses(run_output.beads(), ["ar", "en", "no/such"], str(tmp_path / "corpus"))
    assert list(tmp_path.iterdir()) == []
