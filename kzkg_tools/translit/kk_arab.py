"""Reading one Kazakh Arabic-script word as Cyrillic.

Candidates come from these sources, in order of trust: the lexicon (a known word form);
Russian-style surnames (Тоқаевтың); a frequent front word written without its hamza
(MediaWiki); a known stem plus a known suffix chain in the stem's vowel harmony (so unseen
inflections of known stems resolve); бір-/әр-/өз- compounds; and, for words nothing explains,
letter rules ranked by a character n-gram model of the lexicon. A candidate must spell back to the
input (`script.spell`), hamza included, which is what lets the hamza and the front letters
ە ك گ decide harmony.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from kzkg_tools.resources import owned
from kzkg_tools.translit.lexicon import Lexicon, Reading, lexicon, read_list, read_pairs
from kzkg_tools.translit.script import (
    BACK_VOWELS,
    FRONT_VOWELS,
    HAMZA,
    NORMALIZE_WORD,
    bare,
    capitalize,
    letter_tables,
    spell,
    switches,
)

_ARAB_VOWELS = frozenset("اوۇىەي")
# Consonant stems voice their last letter before a vowel-initial suffix: кітап -> кітабы.
_VOICED = {"ب": ("پ", "п", "б"), "گ": ("ك", "к", "г"), "ع": ("ق", "қ", "ғ")}
_CYR_VOWELS = frozenset("аәеёиоөұүыіэюя")
# Case endings a surname takes (Тоқаевтың, Тоқаевқа); derivations (стахановшы) are words.
_NAME_CASES = frozenset(
    "тың тің ты ті қа ке та те тан тен пен мен бен ның нің ны ні а е да де дан ден "
    "ға ге ға на не нан нен ымен імен".split()
)
_UNMARKED_MIN_COUNT = 5
_CLITICS = frozenset(("мен", "бен", "пен"))  # "with": never harmonizes (сонымен, бірмен)
_IOTATED = {"а": "я", "у": "ю"}  # азай + а -> азая, not азайа
# Letters of Russian loans, which have no ә ө ү (пандемия, not пәндемия); иа counts too.
_LOAN_LETTERS = frozenset("яюёцчщфвэ")
_LOAN_COST = 5.0


# Every reading of each Arabic letter (longest sequences first). These are the inverse of the
# Kazinform letter table plus the context rules of script.py (ия, the glide before е).
_MULTI = {
    "ىي": ("и", "ый", "ій"),  # MediaWiki writes и as ىي (and ия as ىيا)
    "يا": ("я", "ия", "иа"),
    "يۋ": ("ю", "иу"),
    "يو": ("ё", "йо", "ио"),
    "تس": ("тс", "ц"),
    "تش": ("тш", "ч"),
    "شش": ("шш", "щ"),
}
_SINGLE_OPTIONS = {
    "ا": ("а", "ә"),
    "و": ("о", "ө"),
    "ۇ": ("ұ", "ү"),
    "ى": ("ы", "і"),
    "ە": ("е", "э"),
    "ي": ("и", "й", "ий"),
    "ۋ": ("у",),
    "ۆ": ("в",),
    "ح": ("х", "һ"),
    "ل": ("л", "ль"),  # the soft sign is not written: фильм, медаль, стиль
}
_HARMONY_COST = 3.0
_STEM_MARGIN = 5.0  # nats
_HARMONIC = FRONT_VOWELS | BACK_VOWELS
# Letter-rule readings with marks of Russian loans that the script does not show pay for
# them: ь/ъ (ол must not become оль) and -ий (уики, not уикий).
_SOFT_COST = 4.0
_IY_COST = 2.0


def _letter_options(key: str, i: int) -> tuple[str, tuple[str, ...]]:
    """The Arabic letters read at `i` and their possible Cyrillic readings."""
    pair = key[i : i + 2]
    if pair in _MULTI:
        return pair, _MULTI[pair]
    c = key[i]
    nxt = key[i + 1 : i + 2]
    if c == "ي" and nxt == "ە" and i > 0 and key[i - 1] in "او":
        return c, ("й", "")  # the glide of Тоқаев
    if c == "ي" and nxt == "ە" and i > 0 and key[i - 1] not in _ARAB_VOWELS:
        return c, ("и", "й", "ь", "ъ")  # ь/ъ before е are written ي: рельеф, субъект
    if c == "ي" and nxt and nxt in "اۋو":
        return c, ("и",)  # й before а/у/о is written я/ю/ё, read above
    return c, _SINGLE_OPTIONS.get(c) or (single_letters().get(c, c),)


def _front_ok(o: str) -> bool:
    return not any(c in BACK_VOWELS for c in o)


def _back_ok(o: str) -> bool:
    return not any(c in FRONT_VOWELS for c in o)


def _any_ok(o: str) -> bool:
    return True


def harmony(cyrillic: str, last: bool = True) -> str | None:
    """'front' or 'back' from the last (or first) vowel that decides it; None if none does."""
    seq = reversed(cyrillic) if last else iter(cyrillic)
    for c in seq:
        c = c.lower()
        if c in FRONT_VOWELS or c in "еэ":
            return "front"
        if c in BACK_VOWELS or c == "я":
            return "back"
    return None


def attach(stem: str, suffix: str) -> str | None:
    """`stem` + a suffix chain as Kazakh joins them, or None when they cannot join: the
    suffix's harmony must match the stem's last vowel (loans ending in к or ь take front
    suffixes: банкі, Йорктің, королі; -г goes either way: диалогты; the clitic мен/бен/пен
    does not harmonize: сонымен), no vowel hiatus, and a bare consonant suffix (-м, -ң, -й)
    needs a vowel before it; й + а/у -> я/ю (азай + а -> азая) and ь drops before a vowel
    (король + і -> королі, модель + ін -> моделін)."""
    if not suffix:
        return stem
    end = stem[-1].lower()
    h = "front" if end in "кь" else harmony(stem)
    sh = None if suffix in _CLITICS else harmony(suffix, last=False)
    if h and sh and h != sh:
        return None
    stem_vowel_end = end in _CYR_VOWELS and end != "у"
    suf_vowel_start = suffix[0] in _CYR_VOWELS
    if suf_vowel_start and stem_vowel_end:
        return None
    if not stem_vowel_end and (suffix[0] == "й" or not any(c in _CYR_VOWELS for c in suffix)):
        return None
    if end == "й" and suffix[0] in _IOTATED:
        return stem[:-1] + _IOTATED[suffix[0]] + suffix[1:]
    if end == "ь" and suf_vowel_start:
        return stem[:-1] + suffix
    return stem + suffix


@owned("translit")
def single_letters() -> dict[str, str]:
    """Arabic letter -> the Cyrillic letter it spells when it is unambiguous."""
    out: dict[str, str] = {}
    for cyr, arab in letter_tables()["kazinform"].items():
        if len(arab) == 1 and arab not in _ARAB_VOWELS:
            out[arab] = cyr
    return out


@owned("translit")
def compound_heads() -> tuple[str, ...]:
    """Front words that open compounds with back words (data/translit/compound_heads.txt)."""
    return tuple(read_list("compound_heads.txt"))


@owned("translit")
def surname_endings() -> list[tuple[str, str]]:
    """(Arabic ending, Cyrillic ending), longest first."""
    return sorted(read_pairs("surnames.tsv"), key=lambda r: -len(r[0]))


class CharModel:
    """A character n-gram model of the lexicon's words (Witten-Bell interpolation of orders
    1..ORDER, mixed with its trigram level): ranks readings nothing in the lexicon explains.
    Trained on word types, so it knows what Kazakh words look like (harmony, ь after л in
    loans, -ий) rather than which words are frequent."""

    ORDER = 5
    # Half the weight goes to the trigram level: a 5-gram alone is too sure in rare
    # contexts (it read ايتماتوۆ as Аитматов, because айтм is unattested and аит is rare).
    SMOOTH = 0.5
    SMOOTH_ORDER = 3
    PAD = "^" * (ORDER - 1)
    _CACHE_SIZE = 1 << 16  # log-probabilities kept, at most: ~140 bytes each (4,274 in 20 MB)

    def __init__(
        self, grams: Mapping[str, int], total: Mapping[str, int], kinds: Mapping[str, int]
    ) -> None:
        """A model from its counts: `train`'s Counters, or the cache's tables of them."""
        self.grams, self.total, self.kinds = grams, total, kinds
        self.uniform = 1.0 / (sum(1 for g in grams if len(g) == 1) + 1)
        self._logp: dict[str, float] = {}

    @classmethod
    def train(cls, lex: Lexicon) -> CharModel:
        """The model of a lexicon's words (a word filed under two spellings counts once)."""
        return cls.count(sorted({r.cyrillic for rs in lex.words.values() for r in rs}))

    @classmethod
    def stored(cls, tables: Mapping[str, Any]) -> CharModel:
        """The model of a cache file (the `tables()` of a trained one)."""
        model = cls.__new__(cls)
        model.grams, model.total, model.kinds = tables["grams"], tables["total"], tables["kinds"]
        model.uniform = tables["uniform"]
        model._logp = {}
        return model

    def tables(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The counts as `cache.Tables.encode` takes them (tables, extra)."""
        counts = {name: (getattr(self, name).items(), 1) for name in ("grams", "total", "kinds")}
        return counts, {"uniform": self.uniform}

    @classmethod
    def count(cls, words: list[str]) -> CharModel:
        """Count the n-grams of `words`."""
        n = cls.ORDER
        padded = [f"{cls.PAD}{w.lower()}$" for w in words]
        grams = Counter(
            s[i - k : i + 1] for s in padded for i in range(n - 1, len(s)) for k in range(n)
        )
        # A context is nearly always a gram itself: both tables key it by the gram's own
        # string object rather than a slice of their own (8 MB less, issue #8).
        same = {gram: gram for gram in grams}
        kinds = Counter(same.get(gram[:-1], gram[:-1]) for gram in grams)
        total: Counter[str] = Counter(dict.fromkeys(kinds, 0))
        for gram, c in grams.items():
            total[gram[:-1]] += c
        return cls(grams, total, kinds)

    def _prob(self, context: str, c: str) -> float:
        p = low = self.uniform
        for k in range(len(context) + 1):
            h = context[len(context) - k :]
            t = self.total.get(h)
            if not t:
                break
            kinds = self.kinds[h]
            p = (self.grams.get(h + c, 0) + kinds * p) / (t + kinds)
            if k == self.SMOOTH_ORDER - 1:
                low = p
        return (1 - self.SMOOTH) * p + self.SMOOTH * low

    def logp(self, context: str, c: str) -> float:
        """log P(c | the last ORDER-1 characters of context)."""
        key = context[1 - self.ORDER :] + c
        lp = self._logp.get(key)
        if lp is None:
            if len(self._logp) >= self._CACHE_SIZE:
                self._logp.clear()
            lp = self._logp[key] = math.log(self._prob(key[:-1], c))
        return lp

    def word(self, word: str) -> float:
        """Log-probability of a whole lower-case word."""
        return self.extend(self.PAD, word + "$")

    def extend(self, text: str, more: str) -> float:
        """Log-probability of appending `more` to `text` (which starts with PAD)."""
        if len(more) == 1:
            return self.logp(text, more)  # the common case, without a generator
        s = text[1 - self.ORDER :] + more
        return sum(self.logp(s[:i], s[i]) for i in range(self.ORDER - 1, len(s)))


#: The longest word part (letters between hyphens) the lexicon searches try whole: twice the
#: longest lexicon word (27 letters) plus the longest suffix chain (10); a longer part is no
#: Kazakh word (a run of letters with no space, garbage or a joined line) and is read in
#: pieces of this length, so its time is linear in its length.
MAX_WORD = 64


class Reader:
    """Arabic-script word -> Cyrillic, memoized (news text repeats its words)."""

    CACHE_SIZE = 1 << 15  # words remembered, at most: ~200 bytes each (738 in 20 MB)
    BEAM = 12

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self._cache: dict[str, str] = {}
        self._surnames: dict[str, bool] = {}
        self._model: CharModel | None = None

    @property
    def model(self) -> CharModel:
        if self._model is None:
            stored = self.lex.model_tables
            self._model = CharModel.train(self.lex) if stored is None else CharModel.stored(stored)
        return self._model

    def word(self, token: str) -> str:
        """The Cyrillic of one Arabic-script word (hyphens allowed), proper names capitalised."""
        out = self._cache.get(token)
        if out is None:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()  # bounded memory on endless streams
            out = self._cache[token] = self._read(token.translate(NORMALIZE_WORD))
        return out

    def is_surname(self, token: str) -> bool:
        """Whether a word reads as a Russian-style surname (Тоқаев, Әуезовтің)."""
        found = self._surnames.get(token)
        if found is None:
            if len(self._surnames) >= self.CACHE_SIZE:
                self._surnames.clear()
            key = bare(token.translate(NORMALIZE_WORD))
            found = "-" not in key and self._surname_split(key) is not None
            self._surnames[token] = found
        return found

    def _read(self, word: str) -> str:
        if "-" in word:
            whole = self._known(word)
            if whole is not None:
                return whole
            return "-".join(self._part(p) for p in word.split("-"))
        return self._part(word)

    def _known(self, word: str) -> str | None:
        readings = self.lex.words.get(bare(word), ())
        for r in readings:
            if word in r.spellings:
                return r.cyrillic
        return None

    def _part(self, part: str) -> str:
        """Trusted sources first; a reading that spells back to the input beats one that
        does not (the hamza decides); letter rules last."""
        if not part.strip(HAMZA):
            return ""
        if len(part) > MAX_WORD:
            # No lexicon entry, stem + suffix chain or surname is this long: it is no word
            # (letters with no space, garbage or joined lines). The searches below copy the
            # word once per letter (quadratic: a 64,000-letter word took 3 s, 256,000 over
            # five minutes), and the beam search costs some 20-50 µs a letter on letters
            # that do not repeat (0.08 MB/s on one word of a million): pieces of MAX_WORD
            # letters are read by letter rules alone.
            return "".join(
                self._letters(part[i : i + MAX_WORD]) for i in range(0, len(part), MAX_WORD)
            )
        known = self._known(part)
        if known is not None:
            # hunspell-kk lists some surnames in lower case (әуезов)
            return capitalize(known) if self._surname_split(bare(part)) else known
        found = self._surname(part) or self._unmarked(part)
        if found:
            return found
        found = self._inflected(part, strict=True)
        if found and found.islower():
            # A short known stem can explain a word by accident (алып read as аль + іп,
            # сонымен as сөн + імен): letter rules win when the model is far surer of them.
            # (A name's inflection, Азияда, stays.)
            guess = self._guess(part)
            if self.model.word(guess) - self.model.word(found) > _STEM_MARGIN:
                return guess
        if found:
            return found
        return self._compound(part) or self._guess(part)

    def _unmarked(self, part: str) -> str | None:
        """A known front word written without its hamza (MediaWiki: بىراق for бірақ)."""
        if HAMZA in part:
            return None  # a written hamza is never wrong about front vowels
        readings = self.lex.words.get(part)
        if readings and readings[0].count >= _UNMARKED_MIN_COUNT:
            return readings[0].cyrillic  # frequent words only: бәр must not beat бар
        return None

    def _compound(self, part: str) -> str | None:
        """бір-, әр-, өз- written together with a back word (біртұтас, әрқашан, өзара): the
        hamza belongs to the first part only, so the rest is read as a word of its own."""
        if not part.startswith(HAMZA):
            return None
        key = bare(part)
        for head in compound_heads():
            arab = bare(spell(head))
            if not key.startswith(arab) or len(key) - len(arab) < 3:
                continue
            rest = key[len(arab) :]
            second = self._known(rest) or self._inflected(rest, strict=True)
            if second is None and len(rest) >= 5:
                second = self._guess(rest)
            if second is not None and second.islower() and harmony(second) == "back":
                return head + second
        return None

    def _splits(self, key: str) -> Iterator[tuple[tuple[Reading, ...], str, str, str]]:
        """(stem readings, devoiced stem end, its voiced form, suffix key) for every known
        split, longest stem first; the two ends are '' when the stem is spelled as is."""
        words, suffixes = self.lex.words, self.lex.suffixes
        for i in range(len(key) - 1, 1, -1):
            suffix = key[i:]
            if len(suffix) > self.lex.max_suffix:
                break
            if suffix not in suffixes:
                continue
            stem = key[:i]
            if stem in words:
                yield words[stem], "", "", suffix
            voiced = _VOICED.get(stem[-1])
            if voiced and stem[:-1] + voiced[0] in words:
                yield words[stem[:-1] + voiced[0]], voiced[1], voiced[2], suffix

    def _inflected(self, part: str, strict: bool) -> str | None:
        """Known stem + known suffix chain, harmony agreeing, spelling back to `part`."""
        key = bare(part)
        for stems, plain, voiced, suffix in self._splits(key):
            found: list[tuple[float, str]] = []
            for stem in stems:
                if plain:
                    if not stem.cyrillic.lower().endswith(plain):
                        continue
                    base = stem.cyrillic[:-1] + voiced
                else:
                    base = stem.cyrillic
                if (len(base) < 3 and len(suffix) < 2) or (base[0].isupper() and len(base) < 4):
                    continue  # short stems explain too much by accident
                for suf in self.lex.suffixes[suffix]:
                    cand = attach(base, suf.cyrillic)
                    if cand is None:
                        continue
                    low = cand.lower()
                    if strict and part not in (spell(low), spell(low, "mediawiki")):
                        continue
                    # how often stem and chain occur, and how Kazakh the whole word looks
                    weight = (
                        math.log(stem.count + 1) + math.log(suf.count + 1) + self.model.word(low)
                    )
                    found.append((weight, cand))
            if found:
                return max(found)[1]
        return None

    def _surname(self, part: str) -> str | None:
        """Russian-style surnames: Тоқаев, Тоқаевтың, Әуезовтің, Назарбаева."""
        key = bare(part)
        split = self._surname_split(key)
        if split is None:
            return None
        at, ending, rest = split
        name = self._name(part, key[:at])
        return name + ending + self._suffix_after(name, rest)

    def _surname_split(self, key: str) -> tuple[int, str, str] | None:
        """(where the ending starts, its Cyrillic, the suffix key after it) of a surname."""
        for ending, cyr_ending in surname_endings():
            at = key.find(ending, 2)
            while at >= 0:
                rest = key[at + len(ending) :]
                if not rest or any(
                    r.cyrillic in _NAME_CASES for r in self.lex.suffixes.get(rest, ())
                ):
                    return at, cyr_ending, rest
                at = key.find(ending, at + 1)
        return None

    def _name(self, part: str, key: str) -> str:
        hamza = HAMZA if part.startswith(HAMZA) else ""
        if key.endswith("ي") and len(key) > 2 and key[-2] in _ARAB_VOWELS:
            key = key[:-1]  # the glide before е: توقايەۆ = Тоқа + ев
        known = self._known(hamza + key)
        if known is None and self.lex.words.get(key):
            known = self.lex.words[key][0].cyrillic
        return capitalize(known or self._guess(hamza + key))

    def _suffix_after(self, name: str, rest: str) -> str:
        if not rest:
            return ""
        h = harmony(name) or "back"
        options = self.lex.suffixes[rest]
        for suf in options:
            if harmony(suf.cyrillic, last=False) in (h, None):
                return suf.cyrillic
        return options[0].cyrillic

    def letters(self, piece: str) -> str:
        """The letter-rule reading (`_letters`) of a piece of a letter run too long to be a
        word (over MAX_WORD letters)."""
        piece = piece.translate(NORMALIZE_WORD)
        return self._letters(piece) if piece.strip(HAMZA) else ""

    def _letters(self, part: str) -> str:
        """Letter rules without the model: each letter's first reading (a back vowel), a
        front one where a hamza marks the piece front."""
        key = bare(part)
        allowed = _front_ok if HAMZA in part else _any_ok
        out = []
        i = 0
        while i < len(key):
            arab, options = _letter_options(key, i)
            out.append(next((o for o in options if allowed(o)), options[0]))
            i += len(arab)
        return "".join(out)

    def _guess(self, part: str) -> str:
        """Letter rules for a word nothing else explains: a beam search over the readings of
        each letter, scored by the n-gram model, within what the hamza allows for the first
        vowel; the spell-back check then enforces the hamza rule for the whole word."""
        key = bare(part)
        if HAMZA in part:
            allowed = _front_ok
        elif any(c in key for c in "ەكگ"):
            allowed = _any_ok
        else:
            allowed = _back_ok
        model = self.model
        # (score, text, whether text has a vowel yet): the hamza speaks for the first vowel
        # only (бірақ, қазір, мұғалім)
        beam: list[tuple[float, str, bool]] = [(0.0, model.PAD, False)]
        i = 0
        while i < len(key):
            arab, options = _letter_options(key, i)
            step = [o for o in options if allowed(o)] or options
            cands = [
                (score + model.extend(text, o), text + o, voweled or not _HARMONIC.isdisjoint(o))
                for score, text, voweled in beam
                for o in (options if voweled else step)
            ]
            beam = sorted(cands, reverse=True)[: self.BEAM]
            i += len(arab)
        finals = []
        for score, text, _ in beam:
            cand = text[len(model.PAD) :]
            total = score + model.extend(text, "$") - _HARMONY_COST * switches(cand)
            if "иа" in cand or any(c in _LOAN_LETTERS for c in cand):
                total -= _LOAN_COST * sum(c in "әөү" for c in cand)
            total -= _SOFT_COST * sum(c in "ьъ" for c in cand) + _IY_COST * cand.count("ий")
            fits = part in (spell(cand), spell(cand, "mediawiki"))
            finals.append((fits, total, cand))
        return max(finals)[2]


@owned("translit")
def reader() -> Reader:
    """The shipped reader, built once per process on first use."""
    return Reader(lexicon())
