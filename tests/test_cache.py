"""The cache of built resources (kzkg_tools/cache.py): tables read back exactly, a file built
once and then read, rebuilt when its data changes or when it is damaged, never a failure when
the folder cannot be written, and outputs identical with a cold cache, a warm one and none."""

from __future__ import annotations

import bisect
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kzkg_tools import cache, detect, resources, tables
from kzkg_tools.normalize import pdflexicon
from kzkg_tools.translit import kk_arab
from kzkg_tools.translit.lexicon import Lexicon, lexicon, read_tsv

from .conftest import CACHE_DIR, ROOT, SEEDS

WORDS = ["қазақ", "қырғыз", "ел", "", "a", "ءبىر", "z" * 300]


def _encoded() -> bytes:
    return cache.Tables.encode(
        {
            "text": ([(w, w[::-1] + "·") for w in WORDS], cache.TEXT),
            "one": ([(w, i * 1000) for i, w in enumerate(WORDS)], 1),
            "two": ([(w, (i, 2**32 - 1)) for i, w in enumerate(WORDS)], 2),
            "set": (sorted(WORDS), cache.SET),
            "empty": ([], cache.SET),
        },
        {"n": 3, "x": 0.1 + 0.2, "names": ["kk", "ru"], "blob": b"\x00\x01\x02"},
    )


def test_tables_read_back_exactly() -> None:
    t = cache.Tables.decode(_encoded())
    text, one, two, strings = (t.tables[n] for n in ("text", "one", "two", "set"))
    for i, w in enumerate(WORDS):
        assert text[w] == w[::-1] + "·" and one[w] == i * 1000 and two[w] == (i, 2**32 - 1)
        assert w in strings and strings.get(w) is True
    for missing in ("қаза", "x", "ءبى"):
        assert missing not in text and text.get(missing, 7) == 7 and one.get(missing) is None
        with pytest.raises(KeyError):
            one[missing]
    assert 1 not in strings  # not a string: no crash either
    assert list(text) == WORDS and len(text) == len(WORDS)  # entries in the order given
    assert len(t.tables["empty"]) == 0 and "a" not in t.tables["empty"]
    assert t.extra["n"] == 3 and t.extra["x"] == 0.1 + 0.2 and t.extra["names"] == ["kk", "ru"]
    assert bytes(t.extra["blob"]) == b"\x00\x01\x02"


def test_sorted_keys_bisect_as_sorted_strings() -> None:
    t = cache.Tables.decode(_encoded())
    view, plain = cache.keys(t.tables["set"]), sorted(WORDS)
    assert list(view) == plain and view[-1] == plain[-1] and view[1:3] == plain[1:3]
    for probe in ["", "a", "b", "ел", "қ", "қазақстан", "ء", "zz", "\U0001f600"]:
        assert bisect.bisect_left(view, probe) == bisect.bisect_left(plain, probe)
    # a table not stored in order is sorted, not read in place
    assert cache.keys(t.tables["text"]) == tuple(plain)


def test_values_that_do_not_fit_are_refused() -> None:
    with pytest.raises(ValueError, match="32 bits"):
        cache.Tables.encode({"one": ([("a", 2**32)], 1)}, {})


def test_directory_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cache.directory() == Path(CACHE_DIR)  # tests never touch the user's cache
    monkeypatch.delenv("KZKG_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/x/cache")
    assert cache.directory() == Path("/x/cache/kzkg")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # the XDG spec: relative paths are ignored
    assert cache.directory() == Path.home() / ".cache" / "kzkg"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.directory() == Path.home() / ".cache" / "kzkg"


class Builds:
    """A builder that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> bytes:
        self.calls += 1
        return _encoded()


def test_built_once_then_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZKG_CACHE_DIR", str(tmp_path / "c"))
    build = Builds()
    first = cache.load("words", "k1", build)
    second = cache.load("words", "k1", build)
    assert build.calls == 1
    assert dict(first.tables["text"]) == dict(second.tables["text"])
    assert [p.name for p in cache.files("words")] == ["words-k1.kzc"]
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "c" / "words-k1.kzc").stat().st_mode & 0o777 == 0o666 & ~umask
    assert not list((tmp_path / "c").glob("*.tmp"))  # written under a temporary name
    # Other data or code: another key, another file, built again.
    cache.load("words", "k2", build)
    assert build.calls == 2 and len(cache.files("words")) == 2


@pytest.mark.parametrize(
    "damage",
    ["empty", "truncated", "flipped byte", "flipped header", "other format", "directory"],
)
def test_a_damaged_file_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    monkeypatch.setenv("KZKG_CACHE_DIR", str(tmp_path))
    build = Builds()
    cache.load("words", "k", build)
    path = tmp_path / "words-k.kzc"
    data = bytearray(path.read_bytes())
    if damage == "empty":
        data = bytearray()
    elif damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped byte":
        data[-5] ^= 0x40
    elif damage == "flipped header":
        data[25] ^= 0x40
    else:
        data[:8] = b"PK\x03\x04\x00\x00\x00\x00"
    if damage == "directory":
        path.unlink()
        path.mkdir()  # cannot be read nor replaced: built in memory
    else:
        path.write_bytes(bytes(data))
    again = cache.load("words", "k", build)
    assert build.calls == 2
    assert again.tables["two"]["ел"] == (2, 2**32 - 1)
    if damage != "directory":
        assert path.read_bytes() == _encoded()  # replaced by a good file
        cache.load("words", "k", build)
        assert build.calls == 2


def test_an_unwritable_folder_is_no_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KZKG_CACHE_DIR", str(blocker / "cache"))
    build = Builds()
    assert cache.load("words", "k", build).tables["one"]["ел"] == 2000
    assert cache.load("words", "k", build).tables["one"]["ел"] == 2000
    assert build.calls == 2  # in memory each time, silently
    # no home directory to put ~/.cache in
    monkeypatch.delenv("KZKG_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def homeless() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", homeless)
    assert cache.load("words", "k", build).tables["one"]["ел"] == 2000
    assert build.calls == 3 and cache.files() == []
    monkeypatch.setenv("KZKG_CACHE_DIR", str(blocker / "cache"))
    if os.geteuid() != 0:  # root writes through permissions
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        monkeypatch.setenv("KZKG_CACHE_DIR", str(ro))
        assert cache.load("words", "k", build).tables["one"]["ел"] == 2000


def _fresh(*names: str) -> None:
    resources.release(names=list(names))


def test_stored_translit_model_reads_as_the_built_one() -> None:
    _fresh("translit")
    built = Lexicon(read_tsv("lexicon.tsv.gz"), read_tsv("suffixes.tsv"))
    stored = lexicon()
    assert stored.model_tables is not None  # it came from the cache
    assert len(stored.words) == len(built.words) and stored.max_suffix == built.max_suffix
    for key, readings in built.words.items():
        assert stored.words[key] == readings
    for key, readings in built.suffixes.items():
        assert stored.suffixes.get(key) == readings
    model = kk_arab.Reader(stored).model
    trained = kk_arab.CharModel.train(built)
    assert model.uniform == trained.uniform
    for name in ("grams", "total", "kinds"):
        mine, theirs = getattr(model, name), getattr(trained, name)
        assert len(mine) == len(theirs)
        assert all(mine[k] == v for k, v in theirs.items())
    # Readings of the Kazinform seed, word for word, from both readers.
    fresh = kk_arab.Reader(built)
    words = (SEEDS / "003_07f1efdd8f50746f.txt").read_text(encoding="utf-8").split()
    reader = kk_arab.reader()
    assert [reader.word(w) for w in words] == [fresh.word(w) for w in words]


def test_stored_langid_model_reads_as_the_built_one() -> None:
    _fresh("langid")
    model = detect._model()
    import langdetect

    stock = Path(langdetect.__file__).parent / "profiles"
    profiles = [(stock, p.name) for p in sorted(stock.iterdir())] + [(None, "langdetect/kk")]
    built = detect._built_model(profiles)
    assert model.langs == built.langs
    assert np.array_equal(model.prior, built.prior)
    assert model.log_probs.dtype == built.log_probs.dtype
    assert np.array_equal(model.log_probs, built.log_probs)
    assert len(model.index) == len(built.index)
    assert all(model.index[g] == row for g, row in built.index.items())


def test_stored_word_lists_read_as_the_built_ones() -> None:
    _fresh("pdf-lexicon")
    stored, built = pdflexicon.wordlists(), pdflexicon._built_wordlists()
    for name in pdflexicon._SETS:
        assert set(getattr(stored, name)) == getattr(built, name), name
    assert stored.kk_suffix_max == built.kk_suffix_max
    assert list(pdflexicon._ru_sorted()) == sorted(built.ru)


def test_changed_data_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A word added to a shipped list gives another fingerprint: a new file that has it."""
    data = tmp_path / "data"
    shutil.copytree(tables.DATA, data)
    monkeypatch.setattr(tables, "DATA", data)
    monkeypatch.setenv("KZKG_CACHE_DIR", str(tmp_path / "cache"))
    _fresh("pdf-lexicon")
    try:
        assert "жаңасөз" not in pdflexicon.wordlists().kk_short
        before = cache.files("pdf-wordlists")
        with open(data / "pdftext" / "kk_short.txt", "a", encoding="utf-8") as f:
            f.write("жаңасөз\n")
        _fresh("pdf-lexicon")
        assert "жаңасөз" in pdflexicon.wordlists().kk_short
        after = cache.files("pdf-wordlists")
        assert len(before) == 1 and len(after) == 2 and before[0] in after
    finally:
        _fresh("pdf-lexicon")


def _kzkg(args: list[str], cache_dir: Path) -> bytes:
    env = {**os.environ, "KZKG_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "kzkg_tools", "-q", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )
    return done.stdout


def test_cold_warm_and_no_cache_give_the_same_records(tmp_path: Path) -> None:
    """The same bytes from the process that builds the cache, one that reads it, and one
    that cannot keep it."""
    seeds = [str(p) for p in sorted(SEEDS.glob("00[123]_*.txt"))]  # ar, PDF text, kk-Arab
    arab = str(SEEDS / "003_07f1efdd8f50746f.txt")
    blocker = tmp_path / "file"
    blocker.write_text("")
    # the Sentences facts reads: Arabic (clitics before names) and Arabic-script Kazakh
    documents = tmp_path / "documents.jsonl"
    documents.write_bytes(_kzkg(["normalize", seeds[0], arab], tmp_path / "prep"))
    sentences = tmp_path / "sentences.jsonl"
    sentences.write_bytes(_kzkg(["segment", str(documents)], tmp_path / "prep"))
    outputs = {}
    for state, where in [("cold", tmp_path / "c"), ("warm", tmp_path / "c"), ("none", blocker)]:
        outputs[state] = (
            _kzkg(["normalize", *seeds], where),
            _kzkg(["translit", "--from", "kk-Arab", "--to", "kk-Latn", arab], where),
            _kzkg(["facts", str(sentences)], where),
        )
        if state == "cold":
            names = sorted(p.name.rsplit("-", 1)[0] for p in (tmp_path / "c").iterdir())
            assert names == ["gazetteer", "langid", "pdf-wordlists", "translit"]
    assert outputs["cold"] == outputs["warm"] == outputs["none"]
    assert b'"type":"entity"' in outputs["cold"][2]
