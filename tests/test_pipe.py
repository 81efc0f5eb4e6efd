"""Through a real pipe: `kzkg … | head -1` exits 141 with nothing on stderr."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.skipif(shutil.which("head") is None, reason="needs head(1)")
def test_head_closes_the_pipe(tmp_path: Path) -> None:
    # Enough records to overflow the pipe buffer after head has gone away.
    for i in range(3000):
        (tmp_path / f"{i:05d}.txt").write_text(
            "哈薩克斯坦與吉爾吉斯斯坦的關係。\n", encoding="utf-8"
        )
    producer = subprocess.Popen(
        [sys.executable, "-m", "kzkg_tools", "detect", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    head = subprocess.Popen(["head", "-1"], stdin=producer.stdout, stdout=subprocess.PIPE)
    assert producer.stdout is not None
    producer.stdout.close()
    first, _ = head.communicate(timeout=120)
    assert head.stdout is None or head.stdout.closed
    assert producer.stderr is not None
    with producer.stderr:
        stderr = producer.stderr.read()
    assert producer.wait(timeout=120) == 141
    assert stderr == b""
    assert first.startswith(b'{"source":')
