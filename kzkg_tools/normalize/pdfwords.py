"""Words of PDF text: rejoining line-break hyphens and words cut by justification gaps.

Two decisions, both made with the word evidence of `pdflexicon`:
* `X-` at a line end and `Y` on the next line: a syllable break (`мемлекеттер-`/`мен` →
  `мемлекеттермен`) or a real compound (`қарым-`/`қатынас` stays hyphenated);
* a paragraph's words may hold pieces of one word that justification spread apart
  (`та тулықты`, `Қазақ стан`, `са ла ла рындағы`): `repair_splits` picks the best
  segmentation by a small dynamic programme.
A rebuilt word keeps the list of source ranges it came from, so the offset map can say
where it stands in the source.
"""

from __future__ import annotations

import math
from typing import Any

import regex

from kzkg_tools.normalize.pdflexicon import (
    DOC_MIN_LETTERS,
    DOC_WORD,
    MIN_STEM,
    WORD_CACHE,
    Lexicon,
    Source,
    _is_particle,
    _listed_form,
    _listed_suffix,
    _lists_know,
    _solid,
    _suffix_chain,
    wordlists,
)
from kzkg_tools.resources import owned

MAX_MERGE = 4  # most tokens one split word is rebuilt from (`са ла ла рындағы`)
# Rewards of rebuilding a word in `repair_splits`, against 0 for a word kept as it is
# and -1 for a piece that is no word: the document's own spelling of the whole is the
# surest evidence, the lists' the weaker.
DOC_MERGE = 0.3
LIST_MERGE = 0.1
STRONG_WHOLE = 3  # the document spells the whole at least this often ...
STRONG_RATIO = 5  # ... and this many times more often than the pair
PARTICLE_RATIO = 3  # the same for a word and a particle (`кезін де`)
MAX_CUT_ENDING = 3  # longest suffix-only piece that counts as no word when alone
LOAN_PAST_CUT = 3  # a Russian lemma must run this many letters past the cut ...
SOLID_LOAN = 7  # ... and share this many letters with the whole (`_loan_across`)
BACK_VOWELS = frozenset("аоұы")
FRONT_VOWELS = frozenset("әеөүі")


@owned("normalize-patterns")
def _rx() -> dict[str, Any]:
    return {
        "letters": regex.compile(r"^\p{L}+(?:-\p{L}+)*$"),
        "core": regex.compile(r"^([«\"“(\[]*)(.*?)([.,;:!?»\"”)\]]*)$"),
        "hyphen_end": regex.compile(r"[\p{L}\p{N}]-$"),
        "first_letters": regex.compile(r"\p{L}+"),
    }


class Word:
    """A word of the output and the source ranges it is made of, in order.

    One per word of the text: a plain class with slots and its own `__init__` (a
    dataclass's generated one, with `__post_init__`, cost a fifth of building a line's
    words, issue #19). What the word's text is made of (`lead`, `core`, `trail`, `alpha`)
    is looked up when asked: most words are only copied to the output (their facts come
    from the memo of their text), and looking it up for each cost a tenth of the pass."""

    __slots__ = ("broken", "line_end", "rejoined", "segs", "text")

    def __init__(
        self,
        segs: list[tuple[int, int]],
        text: str,
        rejoined: bool = False,
        line_end: bool = False,
        broken: bool = False,
    ) -> None:
        self.segs = segs
        self.text = text
        self.rejoined = rejoined  # a hyphen or a gap inside its source range was dropped
        self.line_end = line_end  # the last word of a source line
        self.broken = broken  # built across a line break

    # Opening punctuation (`«`, `(`), the word itself, closing punctuation (`,`, `».`), and
    # whether the core is letters, maybe hyphenated.
    @property
    def lead(self) -> str:
        return _word_parts(self.text)[0]

    @property
    def core(self) -> str:
        return _word_parts(self.text)[1]

    @property
    def trail(self) -> str:
        return _word_parts(self.text)[2]

    @property
    def alpha(self) -> bool:
        return _word_parts(self.text)[3]

    def __repr__(self) -> str:
        return f"Word({self.segs!r}, {self.text!r})"


@owned("pdf-lexicon", maxsize=1 << 16)
def _word_parts(text: str) -> tuple[str, str, str, bool]:
    """`Word`'s lead, core, trail and alpha for `text` (cached: a text repeats its words)."""
    m = _rx()["core"].match(text)
    assert m is not None
    core = m.group(2)
    return m.group(1), core, m.group(3), bool(core) and bool(_rx()["letters"].match(core))


def join_line_break(
    lex: Lexicon, before: list[Word], left: Word, right: Word, kazakh: bool
) -> Word | None:
    """`left` ends a line with `X-` and `right` starts the next: one word, with or without
    the hyphen; None when they are not a hyphenated word."""
    rx = _rx()
    if not rx["hyphen_end"].search(left.text):
        return None
    x = Word(left.segs, left.text[:-1])
    y_first = rx["first_letters"].match(right.core)
    if not right.core or right.lead:
        return None
    if not x.alpha or not y_first:
        # `1991-` / `1998`, `COVID-` / `19`: not a word to rejoin, but no gap either.
        return Word(left.segs + right.segs, left.text + right.text, broken=True)
    x_last = x.core.rsplit("-", 1)[-1]
    heads = [w.core for w in before if w.alpha and not w.trail]
    if keep_hyphen(lex, x_last, y_first.group(0), heads, kazakh):
        return Word(left.segs + right.segs, left.text + right.text, broken=True)
    end = left.segs[-1]
    segs = [*left.segs[:-1], (end[0], end[1] - 1), *right.segs]
    return Word(segs, left.text[:-1] + right.text, rejoined=True, broken=True)


def keep_hyphen(
    lex: Lexicon, x: str, y: str, before: list[str] | None = None, kazakh: bool = True
) -> bool:
    """Whether the line-end hyphen of `x-` / `y` is a real one (a compound) and stays.

    Real: the document hyphenates these parts in-line — also when `x` is itself the tail
    of a word cut by a justification gap (`қа рым-` / `қаты`), so the words `before` it
    are tried as its head; `y` is capitalized (`Селли-` / `Оук`) or `x` an abbreviation
    (`УПМ-` / `ге`); or, in Kazakh, both are dictionary words and the whole is no word the
    document or a listed stem vouches for, while `y` breaks vowel harmony with `x` (so it
    cannot be its suffix: `тау-` / `кен`) or is a word and no suffix (`интернет-` /
    `дүкендер`). Everything else is a syllable break: what a hyphen at the end of a line
    of running text almost always is.
    """
    before = before or []
    heads = [""] + ["".join(before[-k:]) for k in range(1, min(2, len(before)) + 1)]
    if any(lex.real_compound(head + x, y) for head in heads):
        return True
    caps = x.isupper() and y.isupper()
    if (y[:1].isupper() and not caps) or (len(x) > 1 and x.isupper() and not caps):
        return True
    xl, yl = x.lower(), y.lower()
    xy = xl + yl
    attested = bool(lex.freq.get(xy)) or (kazakh and lex.stem_spans(xy, len(xl)))
    if attested:
        return False
    if (
        kazakh
        and xl in lex.lists.kk
        and yl in lex.lists.kk
        and not lex.is_particle(yl)
        and (_disharmonic(xl, yl) or not lex.suffix_chain(yl))
    ):
        return True
    if lex.known(xy, kazakh) or (kazakh and lex.suffix_chain(yl)):
        return False
    return lex.standalone(xl, kazakh) and lex.standalone(yl, kazakh) and len(yl) >= 3


VOICELESS = frozenset("кқпстфхцчшщ")
AFTER_VOWEL_OR = {"л": "руй", "н": "мнң", "с": ""}  # these endings follow vowels or ...


def _suffix_fits(stem: str, suffix: str) -> bool:
    """Whether `suffix` can follow `stem` in Kazakh: its vowel harmonizes with the stem's
    last vowel, and its first consonant agrees with the stem's last sound (`-тар` after
    a voiceless consonant, `-дар` after a voiced one, `-лар` after a vowel or р у й …).
    `оларға қан` and `көлденең пас` fail: they are two words."""
    if not stem or not suffix:
        return True
    if _disharmonic(stem, suffix):
        return False
    last, first = stem[-1], suffix[0]
    if first in "тқкп":
        return last in VOICELESS
    if first in "дғгб":
        return last not in VOICELESS
    if first in AFTER_VOWEL_OR:
        return last in FRONT_VOWELS | BACK_VOWELS or last in "иуюя" or last in AFTER_VOWEL_OR[first]
    return True


def _harmony(letters: str) -> str | None:
    for v in letters:
        if v in BACK_VOWELS:
            return "back"
        if v in FRONT_VOWELS:
            return "front"
    return None


def _disharmonic(x: str, y: str) -> bool:
    """Whether `y` breaks Kazakh vowel harmony after `x` (so it is not x's suffix)."""
    last, first = _harmony(x[::-1]), _harmony(y)
    return last is not None and first is not None and last != first


def _doc_merge(freq: int) -> float:
    """A whole the document spells more often is the better reading (`халық ара лық`:
    `халықаралық`, not `халық аралық`)."""
    return DOC_MERGE + 0.01 * min(freq, 10)


def _merge_score(
    lex: Lexicon,
    words: list[Word],
    cores: list[str],
    kazakh: bool,
    memos: list[WordMemo] | None = None,
) -> float:
    """Reward of rebuilding `words` (lower-cased: `cores`) as one word (see `repair_splits`,
    which only asks about pieces that may make one); -inf if not allowed. `memos`: the
    pieces' `WordMemo`s, when known, so that whether each is a word is not asked again.

    A final particle keeps its own word. The document's own spelling of the whole is the
    best evidence: it suffices when some piece is no word or a suffix run. Without it,
    `_list_merge` decides on list evidence. Two real words join only when the document
    spells the whole far more often than the pair, or a line break already cut one of them.
    """
    joined = "".join(cores)
    # `get`, not `Counter.__missing__` (a Python call): most wholes are no document word.
    whole = lex.freq.get(joined, 0)
    if memos is None:
        memos = [_piece_memo(lex, c, kazakh) for c in cores]
    if _is_particle(cores[-1]):
        # `Қазақстан мен`, `тұрсың ба`: a particle after a word is a word of its own,
        # unless the document spells the whole often and the pair hardly ever (`кезін
        # де` is `кезінде`, spelled whole five times). Inside a rebuilt word a particle-
        # like piece is a syllable (`қатынас та ры-`/`ның`).
        if whole < STRONG_WHOLE:
            return -math.inf  # whatever the pair's count (asked only when it can matter)
        if whole < PARTICLE_RATIO * max(lex.pair_count(cores[-2], cores[-1]), 1):
            return -math.inf
    # A whole the document never spells is rebuilt only on list evidence (`_list_merge`)
    # or as a loan no list knows (`_loan_across`). Both are decided mostly by what each
    # piece is, which is cached per word; asking first whether the window is a known
    # form would parse every new window string against the suffix grammar (the cost of
    # this module on text of ordinary words, issue #19).
    listed = not whole and _list_merge(lex, joined, cores, kazakh, memos)
    if not whole and not listed:
        loan = _loan_across(lex, words, kazakh, memos) and not lex.known(joined, kazakh)
        return LIST_MERGE if loan else -math.inf
    if not lex.known(joined, kazakh):
        return LIST_MERGE if _loan_across(lex, words, kazakh, memos) else -math.inf
    later = cores[1:]

    def suffixes(c: str) -> bool:
        return kazakh and not lex.is_particle(c) and lex.suffix_chain(c)

    if whole:
        # A later piece is sure when it is a solid Kazakh word, or (other languages) a
        # word on its own (its memo's `standalone`).
        if not memos[0][6] or any(
            not (lex.solid(c) if kazakh else m[6]) or suffixes(c)
            for c, m in zip(later, memos[1:], strict=True)
        ):
            return _doc_merge(whole)
    elif listed:
        # A stem the document spells whole running across the cut is document evidence.
        doc_stem = kazakh and _stem_spans(lex, joined, len(cores[0]), "doc")
        return DOC_MERGE if doc_stem else LIST_MERGE
    # Real words on both sides: the document must spell the whole far more often than
    # the pair (`Қазақстан` vs `Қазақ стан`), or a piece was cut by a line break and the
    # document spells the whole (`ба-`/`ры сын да`).
    pair = lex.pair_count(cores[0].rsplit("-", 1)[-1], cores[1]) if len(cores) == 2 else 0
    strong = whole >= STRONG_WHOLE and whole >= STRONG_RATIO * pair
    # Or the document spells the whole at least as often as the pair and a listed stem
    # runs across the cut: document and lists agree (`көр сетілген`: `көрсет`+`ілген`).
    agreed = kazakh and whole >= max(pair, 1) and _stem_spans(lex, joined, len(cores[0]), "lists")
    if strong or agreed or (whole and any(w.broken for w in words)):
        return _doc_merge(whole)
    return -math.inf


def _loan_across(lex: Lexicon, words: list[Word], kazakh: bool, memos: list[WordMemo]) -> bool:
    """Two pieces of no word in Kazakh text whose whole begins with a Russian lemma
    running well past the cut: a loanword with Kazakh endings that no list holds
    (`инсти туционалдық`: `институционализм`). `memos`: the pieces' `WordMemo`s."""
    if not kazakh or len(words) != 2 or memos[0][6] or memos[1][6]:
        return False
    cut = len(words[0].core)
    return lex.loan_reach(words[0].core + words[1].core) >= max(cut + LOAN_PAST_CUT, SOLID_LOAN)


def _list_merge(
    lex: Lexicon, joined: str, cores: list[str], kazakh: bool, memos: list[WordMemo]
) -> bool:
    """Whether the word lists alone may rebuild `cores` into `joined` (see `_merge_score`;
    `memos`: the pieces' `WordMemo`s, which say whether each is a word).

    Only pieces of no word join on list evidence: a cut ending (`ды`), or a longer piece
    when a listed stem runs across the cut (`инвес тиция`, `бас тады`).
    A word after a word stays apart (`адам суық`, `жол апаты`: any pair of words reads as
    some stem plus suffixes); only after a piece of no word, with a stem running across
    the cut, is it the rest of a word (`уа қыттан`, `кли маттың`).
    """
    if not kazakh:
        return not any(m[6] for m in memos[1:])
    later = cores[1:]
    first_is_word = memos[0][4]  # `_head_is_word`
    cut = 0
    # The pieces are lower case: the list facts are asked of the process caches directly.
    for k, c in enumerate(later):
        head = cores[k]
        cut += len(head)  # where `c` starts in `joined`
        # The piece before `c` is no word and a stem runs across into `c`: `c` is the
        # rest of a word (`уа қыттан`, `қатынас та рының`; not `еке нін атап`). Asked
        # last: it parses the window, the rest is known per piece.
        head_is_word = first_is_word if k == 0 else memos[k][6]
        is_word = memos[k + 1][6]
        suffix = _listed_suffix(c)
        # Endings that fit their stem (`ұлтымыз дың`, `қақтығыс тар`, `Талдаушы лардың`)
        # are the rest of the word; a longer run that reads as a word (`басты`, `келеді`)
        # is one; a short word that is more often an ending (`там`, `ары`) joins when
        # the whole is a listed word (`ас там` is `астам`; `одан ары` stays).
        ending = suffix or not is_word
        if not (ending or _solid(c)) and joined in lex.lists.kk:
            ending = True
        if ending and _fitting_endings(lex, head, c):
            continue
        if is_word or suffix:
            # A word, or a short word that is also a suffix (`пас`, `қан`, `сын`): after a
            # word it stays apart unless a listed stem runs across the cut (`жыл дар`).
            # A stem the document spells reaching two letters into it vouches for endings
            # (`қатынас тарының`; `мүмкіндігін` + `емесе` from `мүмкіндігі немесе` is a
            # coincidence, not evidence).
            if _suffix_chain(c) and _stem_spans(lex, joined, cut + 1, "doc"):
                continue
            if not ((suffix or not head_is_word) and _stem_spans(lex, joined, cut)):
                return False
        elif not (len(c) <= MAX_CUT_ENDING or _stem_spans(lex, joined, cut)):
            # A longer piece the lists do not know is as often a word they lack
            # (`денесі қанға`) as the rest of a cut word: a stem must run across.
            return False
        elif (
            lex.freq.get(head, 0) >= STRONG_WHOLE
            and len(c) > MAX_CUT_ENDING
            and _listed_form(c, MIN_STEM)
        ):
            # After a word the document often writes on its own, a piece that is a
            # listed stem plus endings is the next word, though the pair reads as a
            # listed compound (`қол қоюды`, not `қолқоюды`; but `жүргі зуді`).
            return False
    return True


def _head_is_word(lex: Lexicon, first: str, kazakh: bool) -> bool:
    """Whether the first piece of a window is a word (`_list_merge`): standalone, or a
    hyphen and suffixes closing it (`АҚШ-тың`, `180-нен`)."""
    return lex.standalone(first, kazakh) or (
        "-" in first and lex.suffix_chain(first.rsplit("-", 1)[1])
    )


def _stays_apart(lex: Lexicon, piece: str, kazakh: bool) -> bool:
    """Whether a window whose second piece is `piece` (lower case) is refused whatever
    the rest, when its first piece is a word (in Kazakh text) and the document never
    spells its whole: `piece` is a word and, in Kazakh, neither a listed suffix nor a run
    of suffixes. `_list_merge` then refuses at its first cut without parsing the window
    (a word after a word joins only as endings that fit, or a suffix with a stem across
    the cut), `_loan_across` needs two pieces of no word, and a final particle needs the
    whole spelled: `_merge_score` is -inf. Most windows of ordinary text are such a word
    after a word: this is what each piece says, once per word. The same holds at any later
    cut of a longer window, after a piece that is a word (`repair_splits`)."""
    if not lex.standalone(piece, kazakh):
        return False
    return not kazakh or (not lex.listed_suffix(piece) and not lex.suffix_chain(piece))


def _fitting_endings(lex: Lexicon, stem: str, piece: str) -> bool:
    """Whether `piece` is a run of Kazakh endings (no particle) that fits `stem` by
    vowel harmony and voicing (`лардың` after `Талдаушы`; not `қан` after `оларға`)."""
    return (
        not _is_particle(piece)
        and _suffix_chain(piece)
        and _suffix_fits(stem.rsplit("-", 1)[-1], piece)
    )


def _stem_spans(lex: Lexicon, joined: str, cut: int, source: Source = "any") -> bool:
    """Whether the hyphen-free part of `joined` around position `cut` reads as a stem
    running across the cut plus suffixes."""
    start = joined.rfind("-", 0, cut) + 1
    end = joined.find("-", cut)
    part = joined[start : end if end >= 0 else len(joined)]
    return lex.stem_spans(part, cut - start, source)


def _single_score(lex: Lexicon, word: Word, kazakh: bool) -> float:
    """0 for a word, -1 for a piece: no word, or (Kazakh) a short run of suffixes (`лық`)."""
    if not word.alpha:
        return 0.0
    low = word.core.lower()
    if not lex.standalone(low, kazakh):
        return -1.0
    return -1.0 if _cut_ending(word.core, low, kazakh) else 0.0


def _cut_ending(core: str, low: str, kazakh: bool) -> bool:
    """A short lower-case run of Kazakh suffixes that is no treebank word (`лық`)."""
    return (
        kazakh
        and core[0].islower()
        and len(low) <= MAX_CUT_ENDING
        and low not in wordlists().kk_short
        and _suffix_chain(low)
    )


Facts = tuple[bool, bool, float, bool]


def _word_facts(lex: Lexicon, w: Word, core: str, kazakh: bool) -> Facts:
    """What `repair_splits` needs of a word with this document's evidence: whether a window
    with it as the second piece stays apart, whether it is a word as a first piece, its
    score kept alone, and whether it is a word on its own (`Lexicon.standalone`)."""
    return (
        w.alpha and _stays_apart(lex, core, kazakh),
        not kazakh or _head_is_word(lex, core, kazakh),
        _single_score(lex, w, kazakh),
        lex.standalone(core, kazakh),
    )


# What `repair_splits` needs of a word, by its text: its core in lower case; whether it
# can continue a rebuilt word (letters, no opening punctuation, lower case) and start one
# (letters, no closing punctuation); whether a window with it as the second piece stays
# apart; whether it is a word as a first piece; its score kept alone; whether it is a word
# on its own; whether it is a particle.
WordMemo = tuple[str, bool, bool, bool, bool, float, bool, bool]


def _memo(w: Word | tuple[str, str, str, bool], low: str, facts: Facts) -> WordMemo:
    lead, core, trail, alpha = (w.lead, w.core, w.trail, w.alpha) if isinstance(w, Word) else w
    apart, head, single, word = facts
    continues = alpha and not lead and core[0].islower()
    starts = alpha and not trail
    return low, continues, starts, continues and apart, head, single, word, _is_particle(low)


@owned("pdf-lexicon", maxsize=WORD_CACHE)
def _text_facts(text: str, kazakh: bool) -> tuple[bool, WordMemo, WordMemo] | None:
    """The `WordMemo` of a word (its text) with no hyphen for every document at once:
    whether the document can change it (a word of DOC_MIN_LETTERS or more that the lists
    do not know is a word when the document spells it DOC_WORD times), and the memo when
    it does not, then when it does; None for a hyphenated word (its parts are asked of
    the document). Only `Lexicon.standalone` reads the document here."""
    parts = _word_parts(text)
    _, core, _, alpha = parts
    low = core.lower()
    if "-" in low:
        return None
    by_lists = _lists_know(low, kazakh)
    sensitive = not by_lists and len(low) >= DOC_MIN_LETTERS

    def facts(standalone: bool) -> Facts:
        apart = (
            alpha
            and standalone
            and (not kazakh or (not _listed_suffix(low) and not _suffix_chain(low)))
        )
        if not alpha:
            single = 0.0
        elif not standalone:
            single = -1.0
        else:
            single = -1.0 if _cut_ending(core, low, kazakh) else 0.0
        return apart, not kazakh or standalone, single, standalone

    return sensitive, _memo(parts, low, facts(by_lists)), _memo(parts, low, facts(True))


def _piece_memo(lex: Lexicon, core: str, kazakh: bool) -> WordMemo:
    """The `WordMemo` of a lower-case piece `core` (no punctuation), for a caller of
    `_merge_score` that has none (the facts depend on the core alone)."""
    return _memo(Word([], core), core, _word_facts(lex, Word([], core), core, kazakh))


def _memo_word(lex: Lexicon, memo: dict[str, WordMemo], w: Word, kazakh: bool) -> WordMemo:
    """The `WordMemo` of `w` in this document, remembered in `memo`."""
    listed = _text_facts(w.text, kazakh)
    if listed is None:
        low = w.core.lower()
        facts = _memo(w, low, _word_facts(lex, w, low, kazakh))
    else:
        # The lists' facts are the same in every document; the document only decides
        # whether a long word it spells often is a word (`standalone`).
        sensitive, by_lists, by_doc = listed
        facts = by_doc if sensitive and lex.freq.get(by_lists[0], 0) >= DOC_WORD else by_lists
    memo[w.text] = facts
    return facts


def repair_splits(lex: Lexicon, words: list[Word], kazakh: bool) -> list[Word]:
    """Rebuild words that justification cut into pieces (`та тулықты` → `татулықты`).

    A dynamic programme over the words of a paragraph: a kept word scores 0, or -1 when
    it is a piece of no word; a rebuilt word scores `_merge_score` per gap it closes.
    The best-scoring segmentation wins; on a tie the shorter rebuild, then the source.
    """
    n = len(words)
    # Per word, not per window: a window of a word and a second piece that stays apart
    # (`_stays_apart`) is refused unless the document spells its whole. What a word is
    # depends on its text and the document only: worked out once per distinct word of the
    # document (`Lexicon.word_memo`), not once per occurrence.
    memo = lex.word_memo.setdefault(kazakh, {})
    freq = lex.freq.get  # not `Counter.__missing__`, a Python call per miss
    known = memo.get
    facts = [known(w.text) or _memo_word(lex, memo, w, kazakh) for w in words]
    cores = [f[0] for f in facts]
    best = [0.0]
    back = [0]
    best_j = 0.0
    for j, last in enumerate(facts, 1):
        # The word kept as it is; only a word that can continue a rebuilt word ends
        # windows to score.
        best_j += last[5]
        back_j = j - 1
        if last[1]:
            # Whether a piece after the second of the window stays apart after the word
            # before it (`_stays_apart`), as the second piece after a first that is a word:
            # `_list_merge` refuses at that cut whatever the whole, `_loan_across` takes
            # two pieces of no word, so a whole the document never spells is refused
            # without scoring.
            later = False
            # A final particle keeps its own word unless the document spells the whole
            # often (`_merge_score`).
            particle = last[7]
            second = last
            for i in range(j - 2, max(0, j - MAX_MERGE) - 1, -1):
                first = facts[i]
                if not first[2]:
                    break
                apart = later or (second[3] and first[4])
                if apart or particle:
                    whole = freq("".join(cores[i:j]), 0)
                    refused = (apart and not whole) or (particle and whole < STRONG_WHOLE)
                else:
                    refused = False
                if not refused:
                    # The reward is per gap closed, so one rebuilt word beats two half-
                    # rebuilt ones (`са ла ла рындағы` → `салаларындағы`, not `сала
                    # ларындағы`).
                    score = _merge_score(lex, words[i:j], cores[i:j], kazakh, facts[i:j])
                    score = best[i] + score * (j - i - 1)
                    if score > best_j:
                        best_j = score
                        back_j = i
                if not first[1]:
                    break  # it can only start a rebuilt word
                later = later or (second[3] and (first[6] or not kazakh))
                second = first
        best.append(best_j)
        back.append(back_j)
    out: list[Word] = []
    j = n
    while j > 0:
        i = back[j]
        if j - i == 1:
            out.append(words[i])
        else:
            segs = [s for w in words[i:j] for s in w.segs]
            text = "".join(w.text for w in words[i:j])
            out.append(Word(segs, text, rejoined=True, broken=True))
        j = i
    out.reverse()
    return out
