"""The gazetteer: canonical English names, ids and surface forms per language.

Country names come from CLDR through ICU (`Locale("und_KZ").getDisplayCountry`
in every language, Hans↔Hant converted with ICU's transform so 000's
哈薩克斯坦 is found next to Taiwan's 哈薩克), with CLDR's short and variant forms
(US, Британия, Ivory Coast, Czech Republic) and the other regions CLDR names: the
continents and UN M.49 regions (Europe, Латинская Америка, 中亚), the European Union
and the United Nations. `data/facts/gazetteer.tsv` adds
what CLDR lacks — official long forms, variants, and the cities, people,
organisations and treaties of this corpus, each row with its source. Forms in
Arabic-script Kazakh are derived from the Cyrillic ones (`lexicon.kk_arab`)
unless the row gives them. `data/facts/subdivisions.tsv` adds the first-level
subdivisions CLDR names in every language (England, Scotland, Wales: ISO 3166-2 ids,
subtype region), unless a form collides with another name.
`data/facts/gazetteer_exclude.tsv` lists CLDR names that are ordinary words in running
text (Arabic مالي "financial") and words inside which a form is no name (發展中國家).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import NamedTuple

import icu

from kzkg_tools import cache, tables
from kzkg_tools.facts import lexicon
from kzkg_tools.resources import owned


class Entity(NamedTuple):
    """One gazetteer entry."""

    name: str
    subtype: str
    id: str | None


@owned("icu")
def _transform(name: str) -> icu.Transliterator:
    return icu.Transliterator.createInstance(name)


def _zh_variants(forms: set[str]) -> set[str]:
    """Each Chinese form in both traditional and simplified characters."""
    out = set(forms)
    for f in forms:
        out.add(_transform("Hans-Hant").transliterate(f))
        out.add(_transform("Hant-Hans").transliterate(f))
    return out


@owned("icu")
def _short_names(locale: str) -> icu.LocaleDisplayNames:
    """CLDR's short region names of a locale (US, UK, США, Британия, АҚШ)."""
    return icu.LocaleDisplayNames.createInstance(
        icu.Locale(locale), [icu.UDisplayContext.LENGTH_SHORT]
    )


# ICU's tree of region display names (the CLDR `territories` of every locale), where the
# alt="short" and alt="variant" forms are the keys of tables `Countries%short` and
# `Countries%variant`; no PyICU class answers the variants, so the resource is read.
_REGION_TREE = f"icudt{icu.ICU_VERSION.split('.')[0]}{sys.byteorder[0]}-region"
_ALT_TABLES = ("Countries%short", "Countries%variant")
# A display name with a parenthetical or comma qualifier (`Congo (DRC)`, `Аотеароа, Жаңа
# Зеландия`) is a label for menus, not how running text names the country.
_QUALIFIED = frozenset("(),（），")
# CLDR regions that are no country but are named in text: UN M.49 macro-regions (three
# digits: continents, Central Asia, Latin America) and the codes below, with their
# subtype. 001 (the world: `world`, 世界, العالم are common nouns) is left out, as are the
# pseudo-regions ZZ (unknown), XA, XB (test locales).
_WORLD = "001"
_OTHER_REGIONS = {
    "EU": "org",  # European Union
    "UN": "org",  # United Nations
    "EZ": "region",  # Eurozone
    "QO": "region",  # Outlying Oceania
    "AC": "place",  # Ascension Island
    "CP": "place",  # Clipperton Island
    "TA": "place",  # Tristan da Cunha
}


@owned("icu")
def _region_bundle(locale: str) -> icu.ResourceBundle:
    return icu.ResourceBundle(_REGION_TREE, icu.Locale(locale))


def _alt_names(locale: str, code: str) -> set[str]:
    """CLDR's alt="short" and alt="variant" names of a region in one locale (none: empty)."""
    bundle = _region_bundle(locale)
    out = set()
    for table in _ALT_TABLES:
        try:
            out.add(bundle.get(table).getStringEx(code))
        except icu.ICUError:  # the locale has no such table, or no such name in it
            continue
    return out


@owned("icu")
def _region_codes() -> dict[str, str]:
    """Region code → subtype: every ISO country, every M.49 macro-region, `_OTHER_REGIONS`."""
    codes = dict.fromkeys(icu.Locale.getISOCountries(), "country")
    names = _region_bundle("en").get("Countries")
    for i in range(names.getSize()):
        code = names.get(i).getKey()
        if code.isdigit() and code != _WORLD:
            codes[code] = "region"
    return {**codes, **_OTHER_REGIONS}


def country_names(code: str) -> dict[str, set[str]]:
    """CLDR display names of one region code in each of the seven languages.

    Each locale gives its standard name, its short one (`United States` and `US`,
    `Соединенные Штаты` and `США`) and its variant (`Czechia` and `Czech Republic`): running
    text uses all of them. ICU answers the code itself where it has no name; a short name
    equal to the code is a name (US) only when the standard name is not the code too. Names
    with a qualifier in parentheses or after a comma are left out (`_QUALIFIED`).
    """
    region = icu.Locale(f"und_{code}")
    names: dict[str, set[str]] = {}
    for lang in lexicon.LANGS:
        if lang == "kk-Arab":
            continue
        names[lang] = set()
        for loc in lexicon.ICU_LOCALES[lang]:
            full = region.getDisplayCountry(icu.Locale(loc))
            if full and full != code:
                names[lang] |= {full, _short_names(loc).regionDisplayName(code)}
                names[lang] |= _alt_names(loc, code)
        names[lang] = {n for n in names[lang] if n and not _QUALIFIED.intersection(n)}
    zh = _zh_variants(names["zh-Hant"] | names["zh-Hans"])
    names["zh-Hant"] = names["zh-Hans"] = zh
    names["kk-Arab"] = {lexicon.kk_arab(f) for f in names["kk-Cyrl"]}
    return names


def _row_forms(row: dict[str, str]) -> dict[str, set[str]]:
    """A table row's forms per language: zh in both scripts, kk-Arab derived, Latin in all."""
    per_lang = {lang: {f for f in row.get(lang, "").split("|") if f} for lang in lexicon.LANGS}
    zh = _zh_variants(per_lang["zh-Hant"] | per_lang["zh-Hans"])
    per_lang["zh-Hant"] = per_lang["zh-Hans"] = zh
    # every language quotes Latin names as they are (Juraev議員, Kazinform اگەنتتىگى)
    for lang in lexicon.LANGS:
        per_lang[lang] |= per_lang["en"]
    per_lang["kk-Arab"] |= {
        lexicon.kk_arab(f) for f in per_lang["kk-Cyrl"] if not f.startswith("«")
    }
    per_lang["kk-Arab"] |= {
        f"«{lexicon.kk_arab(f[1:-1])}»" for f in per_lang["kk-Cyrl"] if f.startswith("«")
    }
    return per_lang


# An initial alef is written with or without its hamza (CLDR's اسكتلندا, news text's
# أسكتلندا, Wikipedia's إسكتلندا; إنجلترا and انجلترا): CLDR gives one spelling only.
_ALEFS = "اأإ"


def _alef_variants(form: str) -> set[str]:
    """An Arabic form with each spelling of its initial alef (itself included)."""
    return {a + form[1:] for a in _ALEFS} if form[:1] in _ALEFS else {form}


def subdivisions(
    rows: list[dict[str, str]],
    taken: dict[str, dict[str, Entity]],
    excluded: set[tuple[str, str]],
) -> list[tuple[Entity, dict[str, set[str]]]]:
    """The subdivision rows (`data/facts/subdivisions.tsv`) safe to match, with their forms.

    A subdivision is found in every language or in none, since one found in some
    translations only is a missing fact for the others. So it is left out whole when any
    of its forms, in any language, is already another entity's, case aside (`taken`: the
    US state Georgia and the country, a capital city and its city-subdivision), or an
    ordinary word (`excluded`, the `form` rows of gazetteer_exclude.tsv).
    """
    folded = {
        lang: {name.casefold(): entity for name, entity in names.items()}
        for lang, names in taken.items()
    }
    out = []
    for row in rows:
        entity = Entity(row["name"], row["subtype"], row["id"])
        per_lang = _row_forms(row)
        per_lang["ar"] |= {v for f in per_lang["ar"] for v in _alef_variants(f)}
        clash = any(
            (lang, name) in excluded or folded.get(lang, {}).get(name.casefold(), entity) != entity
            for lang, names in per_lang.items()
            for name in names
        )
        if not clash:
            out.append((entity, per_lang))
    return out


# What `built` reads: the tables (with `lexicon.kk_arab`'s letter table), the code that turns
# them into forms, and ICU, whose version names the CLDR data its region names come from.
_DATA = (
    "facts/gazetteer.tsv",
    "facts/gazetteer_exclude.tsv",
    "facts/subdivisions.tsv",
    "facts/kk_cyrl_arab.tsv",
)
_MODULES = (__name__, lexicon.__name__, "kzkg_tools.langs", "kzkg_tools.tables")


@owned("gazetteer")
def entries() -> dict[str, dict[str, Entity]]:
    """lang → {surface form: Entity}, as `built` makes it, kept in the cache of built resources.

    Asking ICU for 300 regions' names in eight locales, converting the Chinese ones between
    scripts and reading the tables costs a tenth of a second, most of a one-line `kzkg facts`
    start (issue #19); the stored forms are read back in the order `built` made them, so
    everything downstream sees the same dict.
    """
    icu_version = f"icu {icu.ICU_VERSION} pyicu {icu.VERSION} unicode {icu.UNICODE_VERSION}"
    data = [icu_version.encode(), *(tables.read_text(rel).encode() for rel in _DATA)]
    stored = cache.load("gazetteer", cache.fingerprint(data, _MODULES), _stored)
    found = [Entity(*e) for e in stored.extra["entities"]]
    return {lang: {form: found[i] for form, i in forms} for lang, forms in stored.extra["forms"]}


def _stored() -> bytes:
    """`built()` as a cache file: the entities once, each language's forms in order."""
    index: dict[Entity, int] = {}
    forms = [
        [lang, [[form, index.setdefault(e, len(index))] for form, e in table.items()]]
        for lang, table in built().items()
    ]
    return cache.Tables.encode({}, {"entities": [list(e) for e in index], "forms": forms})


def built() -> dict[str, dict[str, Entity]]:
    """lang → {surface form: Entity}, regions from ICU merged with the curated rows.

    A CLDR region whose English name is a curated row's (European Union, United Nations,
    Central Asia) is that row's entity, so both give one value and id.
    """
    forms: dict[str, dict[str, Entity]] = defaultdict(dict)
    excluded = {
        (r["lang"], r["surface"])
        for r in tables.records("facts/gazetteer_exclude.tsv")
        if r["kind"] == "form"
    }
    curated = [
        (Entity(row["name"], row["subtype"], row["id"] or None), row)
        for row in tables.records("facts/gazetteer.tsv")
    ]
    by_name = {entity.name: entity for entity, _ in curated}
    english = icu.Locale("en")
    for code, subtype in _region_codes().items():
        name = icu.Locale(f"und_{code}").getDisplayCountry(english)
        entity = by_name.get(name) or Entity(name, subtype, code)
        for lang, names in country_names(code).items():
            for name in names:
                if name and (lang, name) not in excluded:
                    forms[lang].setdefault(name, entity)
    for entity, row in curated:
        for lang, names in _row_forms(row).items():
            for name in names:
                forms[lang][name] = entity  # curated rows win over CLDR
    for entity, per_lang in subdivisions(tables.records("facts/subdivisions.tsv"), forms, excluded):
        for lang, names in per_lang.items():
            for name in names:
                forms[lang][name] = entity
    # ل + ال is written لل: للاتحاد السوفيتي "to the Soviet Union", للولايات المتحدة
    arabic = forms["ar"]
    for form, entity in list(arabic.items()):
        if form.startswith("ال"):
            arabic.setdefault("ل" + form[1:], entity)
    return dict(forms)


@owned("gazetteer")
def blocking_contexts(lang: str) -> tuple[str, ...]:
    """Words in which a gazetteer form is not a name (中國 in 發展中國家 "developing countries")."""
    rows = tables.records("facts/gazetteer_exclude.tsv")
    return tuple(r["surface"] for r in rows if r["kind"] == "context" and r["lang"] == lang)
