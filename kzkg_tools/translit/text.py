"""Whole texts: find the Arabic-script runs, read them, keep everything else byte for byte.

Each converted word is one `replace` span of the offset map, pointing at the Arabic word it
came from; text between words is copied, so its spans map character for character.
"""

from __future__ import annotations

import re

from kzkg_tools.offsets import OffsetMap, TextBuilder
from kzkg_tools.translit import repair as fixes
from kzkg_tools.translit.kk_arab import MAX_WORD, Reader, reader, single_letters
from kzkg_tools.translit.script import DIGITS, PUNCT, bare, capitalize

# Arabic letters (hamzas included) and what may sit inside a word: tatweel, joiners, bidi
# marks, harakat (dropped when the word is read).
_L = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06d5"
_X = "\u0640\u064b-\u065f\u0670\u200c-\u200f\u061c"
_WORD = rf"[{_L}][{_L}{_X}]*(?:-[{_L}][{_L}{_X}]*)*"
_PUNCT = "".join(PUNCT)
_PLAIN = re.compile(rf"(?P<word>{_WORD})|(?P<digits>[٠-٩۰-۹]+)|(?P<punct>[{_PUNCT}])")
_REPAIR = re.compile(
    rf"(?P<acronym>(?<![{_L}])[{_L}](?: [{_L}]){{1,6}}(?![{_L}{_X}]))"
    rf"|(?P<numdash>(?<=\d) ?-)(?={_WORD})"
    rf"|(?P<hamza>[\u0621\u0674])(?P<open>[«\"“‘(\[]+)(?={_WORD})"
    rf"|(?P<word>{_WORD})(?P<joint>- +(?={_WORD}))?"
    rf"|(?P<digits>[٠-٩۰-۹]+)|(?P<punct>[{_PUNCT}])"
)
_ANY_ARABIC = re.compile(rf"[{_L}٠-٩۰-۹{_PUNCT}]")


def arab_to_cyrl(text: str, repair: bool = True) -> tuple[str, OffsetMap]:
    """Kazakh Arabic script -> Cyrillic, and the map from the Cyrillic back to `text`.

    Only Arabic-script runs change (each word a `replace` span); everything else is copied.
    `repair=False` reads word by word and leaves hyphens, spacing and case as they are.
    """
    return convert(text, repair, reader())


def convert(text: str, repair_text: bool, rd: Reader) -> tuple[str, OffsetMap]:
    """`arab_to_cyrl` with a given reader (benchmarks read with held-out lexicons)."""
    if not _ANY_ARABIC.search(text):
        return text, OffsetMap.identity(len(text))
    out = TextBuilder()
    pos = 0
    line_start = True
    gap_start = 0  # start of the text since the last word, for sentence starts
    pending_hamza = ""
    previous = ""  # the last word read, for names of several words
    pattern = _REPAIR if repair_text else _PLAIN
    modifiers, places = fixes.name_modifiers(), fixes.place_heads()
    for m in pattern.finditer(text):
        start = m.start()
        if start > pos:
            out.copy(text[pos:start], pos)
        kind = m.lastgroup
        if kind == "word" or kind == "joint":
            w0, w1 = m.span("word")
            word = m.group("word")
            pieces = None
            if w1 - w0 > MAX_WORD and not pending_hamza and "-" not in word:
                # No word: read in pieces (`Reader.letters`), each its own span, so that a
                # sentence cut out of it maps back to its piece, not to the whole run.
                pieces = [
                    (rd.letters(word[i : i + MAX_WORD]), w0 + i, min(w0 + i + MAX_WORD, w1))
                    for i in range(0, w1 - w0, MAX_WORD)
                ]
                cyr = "".join(piece for piece, _, _ in pieces)
            else:
                cyr = rd.word(pending_hamza + word)
            pending_hamza = ""
            reading = cyr
            if repair_text and not cyr[:1].isupper():
                gap = text[gap_start:w0]
                if "\n" in gap:
                    line_start = True
                    gap = gap[gap.rindex("\n") + 1 :]
                if (
                    ((gap != " " or line_start) and fixes.starts_sentence(gap, line_start))
                    or fixes.continues_name(previous, gap, cyr)
                    or (
                        # cheap tests first: a surname has ۆ (в), the rest are table words
                        (
                            text.find("ۆ", w1, w1 + _SURNAME_REACH) >= 0
                            or cyr in modifiers
                            or text.startswith(places, w1)
                        )
                        and _before_name(rd, text, w1, cyr)
                    )
                ):
                    cyr = capitalize(cyr)
            previous = reading
            if pieces is None:
                out.replace(cyr, w0, w1)
            else:
                if cyr != reading:  # capitalized: its first letter
                    first = next(i for i, (piece, _, _) in enumerate(pieces) if piece)
                    pieces[first] = (capitalize(pieces[first][0]), *pieces[first][1:])
                for piece, p0, p1 in pieces:
                    out.replace(piece, p0, p1)
            line_start = False
            if kind == "joint":
                out.replace("-", w1, w1 + 1)  # `قارىم- قاتىناس`: the space goes
            gap_start = pos = m.end()
            continue
        if kind == "acronym":
            out.replace(fixes.acronym(m.group(0), single_letters()), start, m.end())
            line_start = False
            gap_start = m.end()
        elif kind == "numdash":
            nxt = _PLAIN.match(text, m.end())
            assert nxt is not None
            if m.group(0).startswith(" "):
                out.copy(" ", start)  # `1991 -جىلى` -> `1991 жылы`
            elif not _is_suffix(rd, nxt.group(0)):
                out.replace(" ", start, m.end())  # `22-تامىزدا` -> `22 тамызда`
            else:
                out.copy("-", start)  # `3-تەن` -> `3-тен`
        elif kind == "open":
            pending_hamza = "\u0621"  # `ء«بىر` -> `«Бір`
            out.copy(m.group("open"), m.start("open"))
        elif kind == "digits":
            out.replace(m.group(0).translate(DIGITS), start, m.end())
        else:
            out.replace(PUNCT[m.group(0)], start, m.end())
        pos = m.end()
    if pos < len(text):
        out.copy(text[pos:], pos)
    return out.build()


_SURNAME_REACH = 48  # characters to look ahead for the next word's ۆ
_NEXT_WORD = re.compile(rf"(\. ?| )({_WORD})")


def _before_name(rd: Reader, text: str, end: int, word: str) -> bool:
    """A given name or an initial right before a surname (`садыр Жапаров` -> `Садыр`,
    `ш. Айтматов` -> `Ш.`), the first word of a place name (`орталық Азия`), or a place
    name before its head noun (`тараз қаласы` -> `Тараз қаласы`)."""
    if text.startswith(fixes.place_heads(), end):
        return word not in fixes.pronouns()
    initial = len(word) == 1
    modifier = word in fixes.name_modifiers()
    m = _NEXT_WORD.match(text, end)
    if m is None or (initial != m.group(1).startswith(".")):
        return False
    if modifier and m.group(1) == " ":
        return rd.word(m.group(2))[:1].isupper()  # Орталық Азия, Оңтүстік Корея
    return rd.is_surname(m.group(2))


def _is_suffix(rd: Reader, word: str) -> bool:
    """Whether an Arabic word after `N-` is a suffix (`3-تەن`, `5-ءشى`) rather than a word
    (`22-تامىزدا`): hunspell-kk's suffix chains against the corpus counts of words."""
    key = bare(word)
    suffixes = rd.lex.suffixes.get(key)
    if not suffixes:
        return False
    words = rd.lex.words.get(key)
    return not words or suffixes[0].count >= 20 * (words[0].count + 1)
