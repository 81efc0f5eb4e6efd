"""Reading a `kzkg run` output folder back: the records `show`, `report` and `export` use.

The folder holds `documents.jsonl`, `sentences.jsonl`, `aligned.jsonl`, `diff.jsonl` and
`manifest.json`; each reader streams its file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kzkg_tools import io as kio
from kzkg_tools.errors import InputError
from kzkg_tools.records import Bead, Diff, Document, Sentence

FILES = {
    "documents": "documents.jsonl",
    "sentences": "sentences.jsonl",
    "aligned": "aligned.jsonl",
    "diff": "diff.jsonl",
}


class RunOutput:
    """One output folder of `kzkg run`."""

    def __init__(self, directory: str) -> None:
        self.dir = Path(directory)
        if not self.dir.is_dir():
            raise InputError(f"{directory}: not a kzkg run output folder (no such directory)")

    def _path(self, name: str) -> Path:
        path = self.dir / FILES[name]
        if not path.is_file():
            raise InputError(f"{path}: no such file (is {self.dir} a kzkg run output folder?)")
        return path

    def _records(self, name: str, cls: type) -> Iterator[Any]:
        return kio.iter_records([kio.Source(str(self._path(name)))], cls)

    def documents(self) -> Iterator[Document]:
        return self._records("documents", Document)

    def sentences(self) -> Iterator[Sentence]:
        return self._records("sentences", Sentence)

    def beads(self) -> Iterator[Bead]:
        return self._records("aligned", Bead)

    def diffs(self) -> Iterator[Diff]:
        return self._records("diff", Diff)
