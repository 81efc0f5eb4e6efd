"""The wheel is the product (issue 18): it must carry the seeds `kzkg run` defaults to, the code's
licence, the third-party notice, the licence text of every licence it names, and every data file
the notice lists — and nothing the notice does not list.

Building needs setuptools >= 77 (PEP 639) in this environment, because the wheel is built without
build isolation (no download); the dev extra installs it. .ci/run also installs the wheel into a
fresh virtual environment and runs it outside the repository (.ci/wheel_smoke.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
NOTICE = "THIRD_PARTY_NOTICES.md"
# PEP 639 (`license` as an SPDX expression, `license-files`) arrived in setuptools 77.
MIN_SETUPTOOLS = 77
# Artefacts of earlier builds and runs: a stale build/lib would put deleted files into the wheel.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", "out", ".venv", ".*_cache", ".hypothesis"
)
# A row of the notice's tables: | `path` | what | source | licence |
ROW = re.compile(r"^\| `([^`]+)` \|.*\| ([^|]+) \|$", re.M)


def _setuptools_major() -> int:
    try:
        return int(version("setuptools").split(".")[0])
    except PackageNotFoundError:
        return 0


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    if _setuptools_major() < MIN_SETUPTOOLS:
        pytest.skip(
            f"building the wheel needs setuptools>={MIN_SETUPTOOLS} (pip install -e '.[dev]')"
        )
    tmp = tmp_path_factory.mktemp("wheel")
    src, dist = tmp / "src", tmp / "dist"
    shutil.copytree(ROOT, src, ignore=NOT_SOURCES)
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    done = subprocess.run([*cmd, "-w", str(dist), str(src)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    (path,) = dist.glob("kzkg_tools-*.whl")
    with zipfile.ZipFile(path) as z:
        yield z


def _dist_info(wheel: zipfile.ZipFile) -> str:
    (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    return metadata.removesuffix("METADATA")


def _notice_rows() -> list[tuple[str, str]]:
    rows = ROW.findall((ROOT / NOTICE).read_text(encoding="utf-8"))
    assert rows, f"no table rows found in {NOTICE}"
    return [(path, licence.strip()) for path, licence in rows]


def _expression() -> str:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["license"]


def test_wheel_carries_the_seeds_unchanged(wheel):
    seeds = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert seeds, "no seeds in the checkout"
    prefix = "kzkg_tools/data/seeds/"
    shipped = sorted(n.removeprefix(prefix) for n in wheel.namelist() if n.startswith(prefix))
    assert [n for n in shipped if n.endswith(".txt")] == seeds
    for name in seeds:
        assert wheel.read(prefix + name) == (ROOT / "seeds" / name).read_bytes(), name


def test_wheel_carries_licence_notice_and_expression(wheel):
    info = _dist_info(wheel)
    names = set(wheel.namelist())
    assert info + "licenses/LICENSE" in names
    assert info + f"licenses/{NOTICE}" in names
    assert wheel.read(info + "licenses/LICENSE").startswith(b"MIT License")
    metadata = wheel.read(info + "METADATA").decode("utf-8")
    assert f"License-Expression: {_expression()}\n" in metadata


def test_every_licence_of_the_expression_has_its_text_in_the_wheel(wheel):
    info = _dist_info(wheel)
    names = set(wheel.namelist())
    ids = _expression().split(" AND ")
    assert "MIT" in ids  # the code's own, in LICENSE
    missing = [i for i in ids if i != "MIT" and f"{info}licenses/LICENSES/{i}.txt" not in names]
    assert not missing


def test_notice_rows_name_only_licences_of_the_expression():
    ids = set(_expression().split(" AND "))
    for path, licence in _notice_rows():
        named = licence.split(":")[0].split(" AND ")  # "LicenseRef-X: **no licence granted**"
        assert set(named) <= ids, (path, named)


def test_every_file_the_notice_lists_is_in_the_wheel(wheel):
    names = wheel.namelist()
    for path, _ in _notice_rows():
        if path.endswith("/"):
            assert any(n.startswith(path) for n in names), path
        else:
            assert path in names, path


def test_every_data_file_of_the_wheel_is_in_the_notice(wheel):
    listed = [path for path, _ in _notice_rows()]
    data = [n for n in wheel.namelist() if n.startswith("kzkg_tools/data/")]
    assert data
    unlisted = [
        n for n in data if not any(n == p or (p.endswith("/") and n.startswith(p)) for p in listed)
    ]
    assert not unlisted


def test_every_module_of_the_source_tree_is_in_the_wheel(wheel):
    """pyproject lists the packages by hand (find cannot map seeds/); a new one must be added."""
    names = set(wheel.namelist())
    modules = [p.relative_to(ROOT).as_posix() for p in (ROOT / "kzkg_tools").rglob("*.py")]
    missing = [m for m in modules if "__pycache__" not in m and m not in names]
    assert not missing
