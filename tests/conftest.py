"""Shared fixtures: the repository root, the seeds, a CliRunner that keeps stderr apart, and a
cache folder of built resources (`KZKG_CACHE_DIR`) of the test session's own."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# Tests never write to the user's cache of built resources (kzkg_tools/cache.py): one fresh
# folder for the session, set before any test runs so that child processes inherit it too.
CACHE_DIR = tempfile.mkdtemp(prefix="kzkg-test-cache-")
os.environ["KZKG_CACHE_DIR"] = CACHE_DIR
atexit.register(shutil.rmtree, CACHE_DIR, ignore_errors=True)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    """Seed files by their three-digit number."""
    return {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}
