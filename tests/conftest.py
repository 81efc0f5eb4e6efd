"""Shared fixtures: the repository root, the seeds, and a CliRunner that keeps stderr apart."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def pytest_configure(config: pytest.Config) -> None:
    # The tests never read or fill the user's cache (~/.cache/kzkg): every process they start
    # inherits a cache folder of their own, removed at the end.
    os.environ["KZKG_CACHE_DIR"] = tempfile.mkdtemp(prefix="kzkg-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("KZKG_CACHE_DIR", ""), ignore_errors=True)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    """Seed files by their three-digit number."""
    return {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}
