"""One edge-case suite run against every subcommand (csvkit's EmptyFileTests pattern).

Every command must be listed in INPUT_KIND, so a new command cannot escape the suite:
"text" commands read raw text files, "jsonl" commands read records.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kzkg_tools.cli import cli

INPUT_KIND: dict[str, str] = {
    "align": "jsonl",
    "check": "jsonl",
    "detect": "text",
    "diff": "jsonl",
    "export": "outdir",
    "facts": "jsonl",
    "normalize": "text",
    "report": "outdir",
    "run": "text",
    "segment": "jsonl",
    "show": "outdir",
    "translit": "text",
}
# Arguments each command needs besides its input; {tmp} is the test's temporary folder.
EXTRA_ARGS: dict[str, list[str]] = {
    "export": ["--format", "dolma"],
    "run": ["-o", "{tmp}/run-out"],
}
# A valid input line for commands that read records (others read any text).
VALID_INPUT: dict[str, str] = {
    "check": '{"source": "x", "format": "plain", "script": "Cyrl", "lang": "kk-Cyrl", "langs": {}}',
    "align": '{"id": "a:0", "doc_id": "a", "n": 0, "lang": "kk-Cyrl", "text": "Қазақстан.", '
    '"block": "paragraph", "source": "a.txt", "span": [0, 10]}',
    "diff": '{"id": "a:0", "doc_id": "a", "n": 0, "lang": "kk-Cyrl", "text": "Қазақстан.", '
    '"block": "paragraph", "source": "a.txt", "span": [0, 10]}',
    "facts": '{"id": "a:0", "doc_id": "a", "n": 0, "lang": "kk-Cyrl", "text": "Қазақстан.", '
    '"block": "paragraph", "source": "a.txt", "span": [0, 10]}',
    "segment": '{"id": "a", "source": "a.txt", "format": "plain", "lang": "kk-Cyrl", '
    '"text": "Қазақстан мен Қырғызстан.", "blocks": [], "spans": [[0, 25, 0, 25]]}',
}
STDIN_COMMANDS = [n for n in sorted(INPUT_KIND) if INPUT_KIND[n] != "outdir" and n != "run"]
COMMANDS = sorted(n for n, kind in INPUT_KIND.items() if kind != "outdir")
OUTDIR_COMMANDS = sorted(n for n, kind in INPUT_KIND.items() if kind == "outdir")
RUN_FILES = ["documents.jsonl", "sentences.jsonl", "aligned.jsonl", "diff.jsonl"]


def test_every_command_is_in_the_suite() -> None:
    assert set(cli.commands) == set(INPUT_KIND)


def invoke(name: str, *args: str, stdin: bytes | None = None, tmp: Path | None = None):
    extra = [a.format(tmp=tmp) for a in EXTRA_ARGS.get(name, [])]
    return CliRunner().invoke(cli, [name, *extra, *args], input=stdin)


def assert_one_error_line(result, pattern: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert re.search(pattern, lines[0]), lines[0]


@pytest.mark.parametrize("name", COMMANDS)
def test_empty_file(name: str, tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    result = invoke(name, str(f), tmp=tmp_path)
    if name == "run":  # a run with nothing to read is an error, not an empty success
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            f"kzkg: warning: {f}: empty input, no records",
            "kzkg: error: all inputs are empty (or were skipped): nothing to run",
        ]
        return
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"{f}: empty input" in result.stderr


@pytest.mark.parametrize("name", COMMANDS)
def test_invalid_utf8_names_line_and_column(name: str, tmp_path: Path) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(b'\n"\xc3\xa9\xff"\n')
    result = invoke(name, str(f), tmp=tmp_path)
    assert_one_error_line(result, re.escape(f"{f}:2:3: invalid UTF-8 (byte 0xFF)"))


@pytest.mark.parametrize("name", STDIN_COMMANDS)
def test_invalid_utf8_on_stdin(name: str) -> None:
    result = invoke(name, "-", stdin=b"\xff\xfeabc")
    # \xff\xfe is the UTF-16-LE byte-order mark: refused with a hint.
    assert_one_error_line(result, r"^kzkg: error: -:1:1: file is UTF-16-LE .*iconv")
    result = invoke(name, "-", stdin=b"abc\x80\n")
    assert_one_error_line(result, re.escape("-:1:4: invalid UTF-8 (byte 0x80)"))


@pytest.mark.parametrize("name", COMMANDS)
def test_binary_file(name: str, tmp_path: Path) -> None:
    f = tmp_path / "x.bin"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert_one_error_line(invoke(name, str(f), tmp=tmp_path), re.escape(f"{f}: binary file"))


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("bom", ["UTF-16-LE", "UTF-16-BE", "UTF-32-LE", "UTF-32-BE"])
def test_utf16_and_utf32_are_refused_with_a_hint(name: str, bom: str, tmp_path: Path) -> None:
    f = tmp_path / "u.txt"
    f.write_bytes("\ufeffhello\n".encode(bom))
    assert_one_error_line(
        invoke(name, str(f), tmp=tmp_path), rf"{re.escape(str(f))}:1:1: file is {bom} .*iconv"
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_missing_file(name: str, tmp_path: Path) -> None:
    assert_one_error_line(
        invoke(name, str(tmp_path / "nope.txt"), tmp=tmp_path), r"nope\.txt: no such file"
    )


@pytest.mark.parametrize("name", [n for n in COMMANDS if INPUT_KIND[n] == "text"])
def test_utf8_bom_is_stripped(name: str, tmp_path: Path) -> None:
    f = tmp_path / "b.txt"
    f.write_bytes("\ufeffҚазақстан мен Қырғызстан арасындағы қатынас.\n".encode())
    result = invoke(name, str(f), tmp=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "\ufeff" not in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("name", COMMANDS)
def test_50mb_single_line(name: str, tmp_path: Path) -> None:
    f = tmp_path / "long.txt"
    # Kazakh function words: no punctuation and no facts, so every stage sees the line's size.
    # `run` gets 5 MB: its facts stage reads about 0.3 MB/s, so 50 MB would take minutes
    # (benchmarks/bench_pipeline.py measures the large-input behaviour).
    repeats = 250_000 if name == "run" else 2_500_000  # 5.25 MB or 52.5 MB
    f.write_bytes(("мен және да " * repeats).encode() + b"\n")
    result = invoke(name, str(f), tmp=tmp_path)
    if name == "check":  # a data check: the bad line is one failed record, exit 1
        assert result.exit_code == 1
        assert result.stderr.startswith(f"{f}:1:1: invalid JSON")
    elif INPUT_KIND[name] == "jsonl":
        assert_one_error_line(result, re.escape(f"{f}:1:1: invalid JSON"))
    else:
        assert result.exit_code == 0, result.stderr[-500:]
        if name == "run":
            lines = (tmp_path / "run-out" / "sentences.jsonl").read_text("utf-8").splitlines()
            assert len(lines) > 1  # cut into bounded sentences, not one 5 MB record
        else:
            assert result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_directory_of_mixed_files(name: str, tmp_path: Path) -> None:
    valid = VALID_INPUT.get(name, "Қазақстан мен Қырғызстан арасындағы қатынас.")
    (tmp_path / "a.txt").write_text(valid + "\n", encoding="utf-8")
    (tmp_path / "b.bin").write_bytes(b"\x00\x01\x02")
    (tmp_path / ".hidden").write_bytes(b"\x00")
    assert_one_error_line(
        invoke(name, str(tmp_path), tmp=tmp_path), re.escape(f"{tmp_path / 'b.bin'}: binary")
    )
    if "--keep-going" in [o for p in cli.commands[name].params for o in p.opts]:
        result = invoke(name, "--keep-going", str(tmp_path), tmp=tmp_path)
        assert result.exit_code in (0, 1), result.stderr
        assert "b.bin: binary file" in result.stderr


def _run_folder(path: Path, content: bytes) -> Path:
    path.mkdir()
    for name in RUN_FILES:
        (path / name).write_bytes(content)
    return path


@pytest.mark.parametrize("name", OUTDIR_COMMANDS)
def test_outdir_missing(name: str, tmp_path: Path) -> None:
    assert_one_error_line(invoke(name, str(tmp_path / "nope")), "not a kzkg run output folder")


@pytest.mark.parametrize("name", OUTDIR_COMMANDS)
def test_outdir_empty_files(name: str, tmp_path: Path) -> None:
    result = invoke(name, str(_run_folder(tmp_path / "out", b"")))
    assert result.exit_code == 0, result.stderr
    assert "empty input" in result.stderr


@pytest.mark.parametrize("name", OUTDIR_COMMANDS)
def test_outdir_invalid_utf8(name: str, tmp_path: Path) -> None:
    out = _run_folder(tmp_path / "out", b'\n"\xc3\xa9\xff"\n')
    assert_one_error_line(invoke(name, str(out)), r"\.jsonl:2:3: invalid UTF-8 \(byte 0xFF\)")


@pytest.mark.parametrize("name", OUTDIR_COMMANDS)
def test_outdir_binary(name: str, tmp_path: Path) -> None:
    out = _run_folder(tmp_path / "out", b"\x00\x01")
    assert_one_error_line(invoke(name, str(out)), r"\.jsonl: binary file")


@pytest.mark.parametrize("name", OUTDIR_COMMANDS)
def test_outdir_wrong_records(name: str, tmp_path: Path) -> None:
    out = _run_folder(tmp_path / "out", b'{"colour": 1}\n')
    assert_one_error_line(invoke(name, str(out)), r"\.jsonl:1: not a \w+ record")


COMPRESSORS = {"gz": "gzip", "bz2": "bzip2", "xz": "xz", "zst": "zstd"}


def _compress(data: bytes, suffix: str) -> bytes:
    import bz2
    import gzip
    import lzma

    if suffix == "zst":
        zstandard = pytest.importorskip("zstandard")
        return zstandard.ZstdCompressor().compress(data)
    return {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}[suffix](data)


@pytest.mark.parametrize("suffix", sorted(COMPRESSORS))
@pytest.mark.parametrize("name", [n for n in COMMANDS if INPUT_KIND[n] == "text" and n != "run"])
def test_compressed_input_reads_as_the_plain_file(name: str, suffix: str, tmp_path: Path) -> None:
    """`kzkg X f.txt.gz` is `kzkg X f.txt` but for the path: told by magic bytes, not names."""
    text = "Қазақстан мен Қырғызстан 1992 жылы қатынас орнатты.\nЕкінші жол.\n".encode()
    plain = tmp_path / "f.txt"
    plain.write_bytes(text)
    packed = tmp_path / "f.data"  # a name that says nothing of the compression
    packed.write_bytes(_compress(text, suffix))
    want = invoke(name, str(plain), tmp=tmp_path)
    got = invoke(name, str(packed), tmp=tmp_path)
    assert want.exit_code == got.exit_code == 0, got.stderr
    assert got.stdout.replace(str(packed), str(plain)).replace("f.data", "f.txt") == want.stdout


@pytest.mark.parametrize("suffix", sorted(COMPRESSORS))
def test_compressed_invalid_utf8_counts_in_the_decompressed_text(
    suffix: str, tmp_path: Path
) -> None:
    f = tmp_path / f"bad.txt.{suffix}"
    f.write_bytes(_compress(b'\n"\xc3\xa9\xff"\n', suffix))
    for name in ("detect", "normalize", "translit"):
        assert_one_error_line(
            invoke(name, str(f), tmp=tmp_path),
            re.escape(f"{f}:2:3: invalid UTF-8 (byte 0xFF) (in the {COMPRESSORS[suffix]}-"),
        )


@pytest.mark.parametrize("name", ["detect", "normalize", "translit", "segment", "check"])
def test_truncated_compressed_input(name: str, tmp_path: Path) -> None:
    import gzip

    f = tmp_path / "cut.gz"
    data = gzip.compress(b"\n" * 200_000)  # blank lines: no command stops before the cut
    f.write_bytes(data[: len(data) // 2])
    assert_one_error_line(
        invoke(name, str(f), tmp=tmp_path), re.escape(f"{f}: corrupt or truncated gzip data")
    )


@pytest.mark.parametrize("name", [n for n in COMMANDS if INPUT_KIND[n] == "jsonl"])
def test_deeply_nested_json_is_one_line(name: str, tmp_path: Path) -> None:
    f = tmp_path / "deep.jsonl"
    depth = 100_000
    f.write_text('{"a": ' + "[" * depth + "]" * depth + "}\n", encoding="utf-8")
    result = invoke(name, str(f), tmp=tmp_path)
    if name == "check":  # a data check: one failed record, exit 1
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == f"{f}:1: nested too deep"
        return
    assert_one_error_line(result, re.escape(f"{f}:1: nested too deep"))


@pytest.mark.parametrize("name", COMMANDS)
def test_empty_directory_is_warned_about(name: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke(name, str(empty), tmp=tmp_path)
    assert f"{empty}: empty directory, no inputs" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["detect", "normalize", "run"])
def test_file_name_that_is_not_utf8(name: str, tmp_path: Path) -> None:
    """Named with a backslash escape in records and messages, never an encoding crash."""
    import os

    folder = os.path.join(os.fsencode(str(tmp_path)), b"in")
    os.mkdir(folder)
    with open(os.path.join(folder, b"bad\xffname.txt"), "wb") as f:
        f.write("Қазақстан мен Қырғызстан 1992 жылы қатынас орнатты.\n".encode())
    result = invoke(name, os.fsdecode(folder), tmp=tmp_path)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if name == "run":
        out = (tmp_path / "run-out" / "documents.jsonl").read_text(encoding="utf-8")
    assert "bad\\\\xffname.txt" in out  # a JSON string holding `bad\xffname.txt`


@pytest.mark.slow
def test_ctrl_c_during_run_is_one_line_and_130(tmp_path: Path) -> None:
    """SIGINT to the whole process group (what a terminal's Ctrl-C sends): main process and
    workers stop, one line on stderr, no traceback, exit 130."""
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import time

    from kzkg_tools.seeds import seed_paths

    corpus = tmp_path / "corpus"
    # Long enough that the signal comes mid-run even when phase 1 is fast (8 groups finished
    # before the signal at load 11); interrupted early, the size costs nothing.
    for n in range(32):
        (corpus / f"g{n}").mkdir(parents=True)
        for seed in seed_paths():
            shutil.copy(seed, corpus / f"g{n}" / Path(seed).name)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kzkg_tools", "run", str(corpus), "-o", str(out), "-j2"]
    proc = subprocess.Popen(
        [*cmd, "--align-method", "facts"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(out.glob(".kzkg-run-*/*/")) and time.monotonic() < deadline:
        time.sleep(0.1)  # until the workers have started writing shards
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.decode().splitlines() == ["kzkg: interrupted"]
    assert not (out / "documents.jsonl").exists()


# Hostile shapes (issue #17 items 3-4; benchmarks/bench_shapes.py measures them at 1 and 8 MB).
# Each row runs at a size that keeps the suite fast and checks what keeps it linear: a cap is
# applied, or a structure does not grow with what came before it.
KK_ARAB_WORDS = "قازاقستان مەن قىرعىزستان اراسىنداعى قارىم قاتىناس تاريحي".split()


def _shape_through_stages(text: str, fmt: str | None = None):
    """Documents, Sentences and facts of one text, through the library's stages."""
    from kzkg_tools.facts import FactsOptions, facts
    from kzkg_tools.normalize import NormalizeOptions, normalize_file
    from kzkg_tools.segment import SegmentOptions, segment

    doc = normalize_file("shape.txt", text, NormalizeOptions(format=fmt))
    sentences = list(segment([doc], SegmentOptions()))
    return doc, list(facts(sentences, FactsOptions(), source_text=lambda _: text))


def test_shape_long_arabic_script_line_is_cut_into_bounded_sentences() -> None:
    from kzkg_tools.segment import MAX_SENTENCE_CHARS

    text = " ".join(KK_ARAB_WORDS[i % 6] for i in range(20_000)) + "\n"  # one 220 KB line
    doc, sentences = _shape_through_stages(text)
    assert doc.lang == "kk-Cyrl" and doc.orig_text == text.strip()
    assert len(sentences) > 1
    assert max(len(s.text) for s in sentences) <= MAX_SENTENCE_CHARS


def test_offset_map_costs_bytes_not_objects_per_span() -> None:
    """A transliterated line has a span per word: the map must not hold a Python object per
    span (a tuple of four ints is ~180 bytes; the flat array is 32)."""
    import tracemalloc

    from kzkg_tools.offsets import TextBuilder

    n = 100_000
    tracemalloc.start()
    out = TextBuilder()
    for i in range(n):
        out.replace("сөз", 10 * i, 10 * i + 7)
        out.copy(" ", 10 * i + 7)
    _text, offsets = out.build()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(offsets) == 2 * n
    assert peak < 2 * n * 100, peak  # was ~450 bytes a span (list, then tuples, then a copy)


def test_offset_map_clip_does_not_copy_the_rest_of_the_map() -> None:
    """segment clips the map once per sentence; copying the map's tail each time made a
    document of many short blocks (a page per form feed, a `-` per line) quadratic."""
    import tracemalloc

    from kzkg_tools.offsets import OffsetMap

    offsets = OffsetMap((3 * i, 3 * i + 1, 2 * i, 2 * i + 1) for i in range(200_000))
    tracemalloc.start()
    assert offsets.clip(0, 4) == [[0, 1, 0, 1], [3, 4, 2, 3]]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 100_000, peak  # a slice of the tail was 1.6 MB


def test_shape_unclosed_wikitext_tables_degrade_to_plain_text() -> None:
    from kzkg_tools.normalize.wikitext import MAX_UNCLOSED, too_hard

    head = "'''Қазақстан''' — [[Орталық Азия]]дағы мемлекет.\n== Тарих ==\n"
    rows = "".join(f'{{| class="wikitable"\n| [[Қазақстан]] {i}\n' for i in range(5_000))
    assert too_hard(head + rows) == "5000 unclosed constructs"
    closed = "".join(f"{{|\n| {i}\n|}}\n" for i in range(5_000))  # many tables, all closed
    assert too_hard(head + closed) is None
    row = f'{{| class="wikitable"\n| [[Қазақстан]] {MAX_UNCLOSED}\n'
    assert too_hard(head + rows[: rows.index(row)]) is None  # MAX_UNCLOSED tables still parse
    doc, sentences = _shape_through_stages(head + rows, fmt="wikitext")
    assert doc.metadata["degraded"] == "wikitext kept as plain text: 5000 unclosed constructs"
    assert sentences


def test_shape_one_long_arabic_script_word_is_read_in_pieces(monkeypatch) -> None:
    """A run of letters longer than MAX_WORD is read in pieces by letter rules, without the
    beam search (some 20-50 µs a letter that does not repeat): back vowels, front ones in a
    piece with a hamza."""
    from kzkg_tools.translit import arab_to_cyrl
    from kzkg_tools.translit.kk_arab import HAMZA, MAX_WORD, Reader

    word = ("".join(KK_ARAB_WORDS) * 100)[: 20 * MAX_WORD + 5]  # no space, hamza or comma
    seen: list[int] = []
    guess = Reader._guess

    def spy(self: Reader, part: str) -> str:
        seen.append(len(part))
        return guess(self, part)

    monkeypatch.setattr(Reader, "_guess", spy)
    out, offsets = arab_to_cyrl(word)
    assert not seen and out.isalpha() and not set(out.lower()) & set("әөүі")
    # a span a piece: a part of the reading maps back to its pieces, not to the whole run
    assert len(offsets) == 21 and offsets.to_source(0, len(out)) == (0, len(word))
    a, b = offsets.to_source(100, 110)
    assert 64 <= a < b <= 128
    marked, _ = arab_to_cyrl(HAMZA + "قاز" * MAX_WORD)  # the hamza marks its piece only
    assert marked.startswith("Қәзқәз") and marked.endswith("қазқаз")
    assert arab_to_cyrl("قازاقستان")[0] == "Қазақстан"  # a word is read as before


def test_shape_long_arabic_script_word_sentences_keep_their_own_original() -> None:
    """Sentences cut out of one long word (MAX_SENTENCE_CHARS) carry the original of their
    own piece: with one span for the whole word each carried all of it (16 GB of sentences
    for a word of 4 M letters)."""
    from kzkg_tools.normalize import NormalizeOptions, normalize_file
    from kzkg_tools.segment import MAX_SENTENCE_CHARS, SegmentOptions, segment
    from kzkg_tools.translit.kk_arab import MAX_WORD

    word = ("".join(KK_ARAB_WORDS) * 100).replace(" ", "")[: 3 * MAX_SENTENCE_CHARS]
    doc = normalize_file("w.txt", word, NormalizeOptions(), fmt="plain")
    sentences = list(segment([doc], SegmentOptions()))
    assert len(sentences) == 3
    assert all(len(s.orig_text or "") <= len(s.text) + 2 * MAX_WORD for s in sentences)
    assert "".join(s.orig_text or "" for s in sentences) == word


def test_shape_short_lines_in_four_scripts() -> None:
    lines = [
        "Қазақстан мен Қырғызстан",
        "العلاقات الثنائية بين",
        "哈薩克斯坦關係",
        "the border treaty",
    ]
    text = "".join(lines[i % 4] + "\n" for i in range(4_000))
    _doc, sentences = _shape_through_stages(text)
    assert len(sentences) == 4_000  # a newline is a boundary: no line swallowed or split
    assert {s.lang for s in sentences} >= {"kk-Cyrl", "ar", "en"}


def test_shape_long_pair_of_one_line_paragraphs_runs_one_programme(monkeypatch) -> None:
    """Lines in turn in two languages, each line its own paragraph (`four_scripts`,
    `pdf_pages`, `wiki_openers` in `run`): a long pair's paragraph programme would be its
    sentence programme again, as costly as the rest of its alignment. It is not run (the
    paragraphs are read off the sentence path), and the beads are those it gives."""
    import importlib

    from kzkg_tools.align import AlignOptions, align, dp, streams
    from kzkg_tools.records import Sentence, dumps

    module = importlib.import_module("kzkg_tools.align")
    lines = [("kk-Cyrl", "Екі ел {} жылы келісімге қол қойды."), ("ru", "Две страны в {} году.")]
    sentences = [
        Sentence(f"d:{k}", "d", k, lang, text.format(1000 + k // 2), "paragraph", "d", [0, 1], k)
        for k, (lang, text) in ((k, lines[k % 2]) for k in range(600))
    ]
    a = streams(sentences)[0]
    assert module._merged(a, range(len(a.units))).runs is a.runs  # built once per stream
    monkeypatch.setattr(dp, "BAND_CELLS", 10_000)  # 301 x 301 grid points: a long pair
    calls: list[int] = []
    real = module._paragraph_alignments

    def counted(pairs, *rest):
        calls.extend(1 for _ in pairs)  # paragraph programmes asked for
        return real(pairs, *rest)

    monkeypatch.setattr(module, "_paragraph_alignments", counted)
    opts = AlignOptions(method="facts")
    beads = [dumps(bead) for bead in align(sentences, opts)]
    assert not calls
    assert len(beads) == 300 and all('"parallel"' in bead for bead in beads)
    monkeypatch.setattr(module, "_one_sentence_paragraphs", lambda stream: False)
    assert [dumps(bead) for bead in align(sentences, opts)] == beads
    assert calls  # the paragraph programme ran this time


def test_shape_group_of_too_many_sentences_is_not_aligned(monkeypatch, tmp_path: Path) -> None:
    """A file of a sentence per short line in two languages (`hyphen_runs`: 2.5 million `-`
    lines in 8 MB) is a document group align would hold whole: over `MAX_GROUP_SENTENCES`
    sentences too short to pay for align's memory under the bound, it is written through
    phase 1 and not aligned, with one warning. Sentences of prose length over the same count
    are aligned (a pair of long books)."""
    from kzkg_tools import pipeline

    def write(name: str, times: int) -> Path:
        lines = [
            "Қазақстан мен Қырғызстан {} жылы шекара туралы келісімге қол қойды"
            + ", одан кейінгі жылдары да" * times
            + ".",
            "Kazakhstan and Kyrgyzstan signed the border treaty in {}"
            + ", and in the years after" * times
            + ".",
        ]
        src = tmp_path / name
        text = "".join(lines[k % 2].format(1000 + k // 2) + "\n" for k in range(40))
        src.write_text(text, "utf-8")
        return src

    def run(src: Path) -> tuple[Path, str]:
        out = tmp_path / f"out-{src.stem}"
        args = ["run", str(src), "-o", str(out), "-j1", "--align-method", "facts"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        return out, result.stderr

    short = write("lines.txt", 0)
    out, _ = run(short)
    assert len((out / "aligned.jsonl").read_text("utf-8").splitlines()) == 20  # line by line
    monkeypatch.setattr(pipeline, "MAX_GROUP_SENTENCES", 10)
    out, stderr = run(short)
    assert "lines.txt: its document group has 40 sentences, more than 10 too short" in stderr
    assert (out / "aligned.jsonl").read_text("utf-8") == ""
    assert len((out / "sentences.jsonl").read_text("utf-8").splitlines()) == 40
    # 30 sentences over the cap need 105,000 bytes of align's memory; 40 sentences of about
    # 250 bytes give 200,000 of allowance under the bound.
    long = write("prose.txt", 8)
    out, stderr = run(long)
    assert "not aligned" not in stderr
    assert len((out / "aligned.jsonl").read_text("utf-8").splitlines()) == 20


def test_shape_pdf_pages_of_one_line_each() -> None:
    from kzkg_tools.segment import MAX_SENTENCE_CHARS

    pages = "".join(
        f"ҚАЗАҚСТАН МЕН ҚЫРҒЫЗСТАН ҚАТЫНАСТАРЫ\nЕкі ел {i} жылы келісімге қол қойды.\n{i + 1}\n\f"
        for i in range(300)
    )
    doc, sentences = _shape_through_stages(pages, fmt="pdf-text")
    assert "\f" not in doc.text
    assert doc.text.count("келісімге") == 300  # every page's body, once
    assert max(len(s.text) for s in sentences) <= MAX_SENTENCE_CHARS


def test_shape_hyphen_runs_then_hyphenated_words() -> None:
    text = "-\n" * 20_000 + "сөз-\nдер\n" * 4_000
    _doc, sentences = _shape_through_stages(text)
    assert sum(s.text.count("сөз") for s in sentences) == 4_000


@pytest.mark.parametrize("joiner", ["\u200d", "\u200c", "\u2060"])
def test_shape_zero_width_joiner_spam(joiner: str) -> None:
    word = joiner.join("Қазақстан") + " " + joiner * 5_000 + "\n"
    _doc, sentences = _shape_through_stages(word * 40)
    assert sum(s.text.replace(joiner, "").count("Қазақстан") for s in sentences) == 40
    assert sum(len(s.text) for s in sentences) < len(word) * 40


def test_shape_arabic_in_visual_order_is_restored() -> None:
    line = "تعتبر العلاقات الثنائية بين البلدين قوية وتاريخية منذ الاستقلال عام 1991"
    logical = "\n".join([line] * 500) + "\n"
    visual = "\n".join([line[::-1]] * 500) + "\n"
    doc, _sentences = _shape_through_stages(visual)
    assert doc.text.split("\n\n")[0] == _shape_through_stages(logical)[0].text.split("\n\n")[0]


def _visual_order_document():
    """A Document of a span per character: Arabic lines stored in visual order."""
    from kzkg_tools.normalize import NormalizeOptions, normalize_file

    line = "تعتبر العلاقات الثنائية بين البلدين قوية وتاريخية منذ الاستقلال عام 1991"
    visual = "\n".join([line[::-1]] * 1_500) + "\n"
    normalize_file("warm.txt", visual[:2_000], NormalizeOptions())  # lazy imports, profiles
    return visual, lambda: normalize_file("visual.txt", visual, NormalizeOptions())


def test_shape_document_spans_stay_compact_in_normalize() -> None:
    """A Document's spans are a flat map, not a list of four-int lists per span (some 230
    bytes a span held and 310 at the peak; now under 50 and 90)."""
    import tracemalloc

    _visual, run = _visual_order_document()
    tracemalloc.start()
    doc = run()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = len(doc.spans)
    assert n > 100_000  # a span per character: what makes the shape costly
    assert held < 100 * n, held / n
    assert peak < 160 * n, peak / n


def test_shape_document_line_is_written_in_pieces(tmp_path: Path) -> None:
    """The writer never holds a Document's JSON line whole, and writes the bytes `json.dumps`
    gives."""
    import json
    import tracemalloc

    from kzkg_tools.io import Output
    from kzkg_tools.records import to_dict

    _visual, run = _visual_order_document()
    doc = run()
    path = tmp_path / "docs.jsonl"
    tracemalloc.start()
    with Output(str(path)) as out:
        out.write(doc)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    data = path.read_bytes()
    # pieces of some 64 KB, whatever the record's size (the old writer: 22 MB here)
    assert len(data) > 3_000_000 and peak < 2_000_000, (peak, len(data))
    line = json.dumps(to_dict(doc), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert data == line.encode("utf-8")


def test_document_pieces_equal_dumps_for_every_field_kind() -> None:
    """Long strings, long lists, maps and short fields are cut into pieces; joined they are
    `dumps`' line, and an empty map is `[]`."""
    from kzkg_tools.offsets import OffsetMap
    from kzkg_tools.records import PIECE_CHARS, PIECE_ITEMS, Block, Document, dumps, json_pieces

    text = ('a"\\\n\u0434\U0001f600' * PIECE_CHARS)[: 2 * PIECE_CHARS + 3]
    blocks = [Block(i, i + 1, "paragraph", "kk-Cyrl") for i in range(PIECE_ITEMS * 2 + 1)]
    spans = OffsetMap((i, i + 1, 2 * i, 2 * i + 1) for i in range(5_000))
    for doc in (
        Document("d", "d.txt", "plain", "kk-Cyrl", text, blocks, spans, {"sha256": "x"}),
        Document("e", "e.txt", "plain", "und", "", [], OffsetMap([]), orig_spans=OffsetMap([])),
    ):
        pieces = list(json_pieces(doc))
        assert "".join(pieces) == dumps(doc)
        assert max(map(len, pieces)) < 8 * PIECE_CHARS


def test_blocks_in_arrays_write_as_a_list_of_blocks() -> None:
    """A Document's `Blocks` (arrays) is written as its list of `Block`s, in pieces or whole,
    reads as that list and compares equal to it; `set_lang` changes a block's language."""
    from kzkg_tools.records import (
        PIECE_ITEMS,
        Block,
        Blocks,
        Document,
        dumps,
        from_dict,
        json_pieces,
        to_dict,
    )

    listed = [
        Block(i, i + 1, ("paragraph", "heading")[i % 2], ("kk-Cyrl", 'x"\u0434')[i % 3 == 0])
        for i in range(PIECE_ITEMS * 2 + 1)
    ]
    compact = Blocks(listed)
    assert compact == listed and list(compact) == listed and compact[-1] == listed[-1]
    as_list = Document("d", "d.txt", "plain", "kk-Cyrl", "t", listed)
    doc = Document("d", "d.txt", "plain", "kk-Cyrl", "t", compact)  # type: ignore[arg-type]
    assert "".join(json_pieces(doc)) == dumps(doc) == dumps(as_list)
    assert to_dict(doc) == to_dict(as_list)
    assert from_dict(Document, to_dict(doc)).blocks == compact
    compact.set_lang(1, "ru")
    assert compact[1] == Block(1, 2, "heading", "ru") and compact.has_lang("ru")
    assert not compact.has_lang("en")


def _long_line_documents(tmp_path: Path) -> Path:
    """Documents whose lines are long next to the small limits the tests set: a text of short
    lines (a block and a span each), and a transliterated one (`orig_spans`)."""
    from kzkg_tools.io import Output
    from kzkg_tools.normalize import NormalizeOptions, normalize_file

    lines = "\n".join(f"сөз-\nдер {i}.\n-\n" for i in range(300))
    arab = "\n".join("قازاقستان رەسپۋبليكاسى. ەلوردا" for _ in range(40))
    path = tmp_path / "docs.jsonl"
    with Output(str(path)) as out:
        out.write(normalize_file("a.txt", lines, NormalizeOptions(), fmt="plain"))
        out.write(normalize_file("b.txt", arab, NormalizeOptions()))
    return path


def _small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    from kzkg_tools import docstream

    # lines over 200 bytes are read in pieces of 37 bytes (which cut UTF-8 sequences)
    monkeypatch.setattr(docstream, "WHOLE_LINE", 200)
    monkeypatch.setattr(docstream, "CHUNK", 37)
    monkeypatch.setattr(docstream, "LOOKAHEAD", 150)


def test_long_document_lines_read_in_pieces(tmp_path: Path, monkeypatch) -> None:
    """A Document line over WHOLE_LINE is parsed as it is read: the same record as the whole
    line gives (`blocks` and spans in arrays), and `segment` writes the same sentences."""
    from kzkg_tools import io as kio
    from kzkg_tools.docstream import read_documents
    from kzkg_tools.records import Blocks, Document

    path = _long_line_documents(tmp_path)
    whole = list(kio.iter_records(kio.expand([str(path)]), Document))
    before = invoke("segment", str(path))
    _small_limits(monkeypatch)
    pieces = list(read_documents(kio.expand([str(path)])))
    assert len(pieces) == len(whole) == 2 and whole[1].orig_spans
    for a, b in zip(pieces, whole, strict=True):
        assert isinstance(a.blocks, Blocks) and len(a.blocks) >= 40
        assert a == b  # every field, blocks and spans compared as lists
    after = invoke("segment", str(path))
    assert after.exit_code == before.exit_code == 0
    assert after.stdout == before.stdout and after.stdout.count("\n") > 600


@pytest.mark.parametrize(
    ("damage", "pattern"),
    [
        (lambda line: line[:-40], r"docs\.jsonl:1:\d+: invalid JSON"),
        (lambda line: line.replace('"spans":[[', '"spans":[["x",', 1), r"docs\.jsonl:1: .*span 0"),
        (
            lambda line: line.replace('"start":0,', '"start":"0",', 1),
            r"docs\.jsonl:1: .*blocks\[0\]",
        ),
        (lambda line: line.replace('{"id"', '{"idx"', 1), r"docs\.jsonl:1: not a Document"),
        (lambda line: line[:-1] + ',"extra":1}', r"docs\.jsonl:1: not a Document"),
        (lambda line: line + "x", r"docs\.jsonl:1:\d+: invalid JSON"),
        (lambda line: "мен " * 100, r"docs\.jsonl:1:1: invalid JSON \(Expecting value\)"),
        (lambda line: "[" + line + "]", r"docs\.jsonl:1:1: expected a JSON object per line"),
    ],
)
def test_long_document_line_errors(tmp_path: Path, monkeypatch, damage, pattern: str) -> None:
    """A bad long Document line is one error line naming file, line (and column), exit 2."""
    path = _long_line_documents(tmp_path)
    first = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(damage(first) + "\n", encoding="utf-8")
    _small_limits(monkeypatch)
    assert_one_error_line(invoke("segment", str(path)), pattern)
