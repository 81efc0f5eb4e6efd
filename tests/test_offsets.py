"""Offset maps replay onto their source (hypothesis), and composition chains two maps."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from kzkg_tools.offsets import OffsetMap, TextBuilder

# A source is a list of pieces: kept text, an entity to decode, or markup to drop.
piece = st.one_of(
    st.tuples(st.just("keep"), st.text(alphabet="abcҚқ哈ة \n", min_size=1, max_size=5)),
    st.tuples(st.just("entity"), st.sampled_from(["&amp;", "&lt;", "&nbsp;"])),
    st.tuples(st.just("drop"), st.sampled_from(["[[", "]]", "{{x}}", "''"])),
)


def build(pieces: list[tuple[str, str]]) -> tuple[str, str, OffsetMap]:
    source = "".join(p for _, p in pieces)
    b = TextBuilder()
    pos = 0
    for kind, p in pieces:
        if kind == "keep":
            b.copy(p, pos)
        elif kind == "entity":
            b.replace(html.unescape(p), pos, pos + len(p))
        pos += len(p)
    text, offsets = b.build()
    return source, text, offsets


@given(st.lists(piece, max_size=30))
def test_every_span_replays(pieces: list[tuple[str, str]]) -> None:
    source, text, offsets = build(pieces)
    for t0, t1, s0, s1 in offsets.spans:
        assert html.unescape(source[s0:s1]) == text[t0:t1]


@given(st.lists(piece, max_size=30), st.data())
def test_any_range_maps_to_a_covering_source_range(pieces, data) -> None:
    source, text, offsets = build(pieces)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s, e = offsets.to_source(start, end)
    assert 0 <= s <= e <= len(source)
    for i in range(start, end):
        c0, c1 = offsets.to_source(i, i + 1)
        assert s <= c0 <= c1 <= e


@given(st.lists(piece, max_size=20))
def test_compose_with_identity_is_a_no_op(pieces) -> None:
    _, text, offsets = build(pieces)
    composed = offsets.compose(OffsetMap.identity(len(text)))
    for start in range(len(text)):
        assert composed.to_source(start, start + 1) == offsets.to_source(start, start + 1)


def test_compose_chains_two_steps() -> None:
    source = "x&amp;y  z"
    step1 = TextBuilder()
    step1.copy("x", 0)
    step1.replace("&", 1, 6)
    step1.copy("y  z", 6)
    mid, m1 = step1.build()
    assert mid == "x&y  z"
    step2 = TextBuilder()  # collapse the double space
    step2.copy("x&y ", 0)
    step2.copy("z", 5)
    out, m2 = step2.build()
    composed = m1.compose(m2)
    assert out == "x&y z"
    assert source[slice(*composed.to_source(0, 3))] == "x&amp;y"
    assert source[slice(*composed.to_source(4, 5))] == "z"


def test_map_from_json_lists_and_bad_spans() -> None:
    # span lists read from JSON take the C path; a bad span still says what is wrong with it
    spans = [[0, 2, 5, 7], [2, 3, 9, 12]]
    m = OffsetMap(spans)
    assert m.spans == [(0, 2, 5, 7), (2, 3, 9, 12)]
    assert m == OffsetMap(iter(spans)) == OffsetMap([tuple(s) for s in spans])
    assert OffsetMap([]).spans == []
    for bad, error in (
        ([[0, 1, 2]], ValueError),
        ([[0, 1, 2, 3, 4]], ValueError),
        ([5], TypeError),
    ):
        try:
            OffsetMap(bad)
        except error as err:
            assert "unpack" in str(err)
        else:
            raise AssertionError(f"{bad} accepted")


def test_clip_matches_a_walk_over_every_span() -> None:
    # `clip` takes a range inside one span without its loop; both ways give what cutting
    # every overlapping span gives (copied spans cut in the source too, replaced ones whole)
    import random

    from kzkg_tools.offsets import _cut

    rng = random.Random(3)
    for _ in range(500):
        spans, t, s = [], 0, 0
        for _ in range(rng.randint(1, 6)):
            t += rng.randint(0, 2)
            n, m = rng.randint(1, 4), rng.randint(0, 4)
            n_src = n if rng.random() < 0.6 else m
            spans.append([t, t + n, s, s + n_src])
            t, s = t + n, s + n_src + rng.randint(0, 2)
        offsets = OffsetMap(spans)
        a = rng.randint(0, t)
        b = rng.randint(a, t)
        want = [_cut(*sp, a, b) for sp in spans if sp[1] > a and sp[0] < b]
        assert offsets.clip(a, b) == want, (spans, a, b)


def _compose_by_walk(outer: OffsetMap, inner: OffsetMap) -> list[tuple[int, int, int, int]]:
    """`compose` as it walks every piece through the spans it straddles (no shortcut)."""
    from bisect import bisect_right

    f, starts, n = list(outer._flat), list(outer._starts), len(outer._starts)
    out = []
    for t0, t1, m0, m1 in inner:
        if t1 - t0 == m1 - m0:
            pos = m0
            while pos < m1:
                j = bisect_right(starts, pos) - 1
                if j < 0 or f[4 * j + 1] <= pos:
                    nxt = bisect_right(starts, pos)
                    if nxt >= n:
                        break
                    pos = min(m1, starts[nxt])
                    continue
                a0, a1, c0, c1 = f[4 * j : 4 * j + 4]
                stop = min(m1, a1)
                if a1 - a0 == c1 - c0:
                    s, e = c0 + pos - a0, c0 + stop - a0
                else:
                    s, e = c0, c1
                out.append((t0 + pos - m0, t0 + stop - m0, s, e))
                pos = stop
        else:
            out.append((t0, t1, *outer.to_source(m0, m1)))
    return out


def test_compose_matches_a_walk_through_every_span() -> None:
    # `compose` maps a piece inside one span without its walk; both give the same map, on
    # maps with gaps, replaced spans and pieces straddling spans
    import random

    rng = random.Random(5)

    def random_map(length: int) -> OffsetMap:
        spans, t, s = [], 0, 0
        while t < length:
            t += rng.randint(0, 1)
            n = rng.randint(1, 3)
            n_src = n if rng.random() < 0.7 else rng.randint(1, 3)
            spans.append((t, t + n, s, s + n_src))
            t, s = t + n, s + n_src + rng.randint(0, 2)
        return OffsetMap(spans)

    for _ in range(400):
        outer = random_map(rng.randint(1, 20))
        inner = random_map(rng.randint(1, 20))
        inner = OffsetMap((t0, t1, m0, m1) for t0, t1, m0, m1 in inner if m1 <= 25)
        assert list(outer.compose(inner)) == _compose_by_walk(outer, inner)


def test_replace_chars_writes_what_replacing_each_character_writes() -> None:
    # a reordered line is written in one step: the same text and map as a `replace` (or, for
    # a character with no source, an `insert`) per character, next to copies
    one, each = TextBuilder(), TextBuilder()
    for b in (one, each):
        b.copy("ab", 0)
    one.replace_chars("xyz", [2, -1, 0], 10)
    for ch, src in zip("xyz", [2, -1, 0], strict=True):
        if src < 0:
            each.insert(ch)
        else:
            each.replace(ch, 10 + src, 11 + src)
    for b in (one, each):
        b.copy("c", 20)
    text, offsets = one.build()
    want_text, want_offsets = each.build()
    assert text == want_text and list(offsets) == list(want_offsets)
    assert list(offsets) == [(0, 2, 0, 2), (2, 3, 12, 13), (4, 5, 10, 11), (5, 6, 20, 21)]
