"""The gazetteer: canonical English names, ids and surface forms per language.

Country names come from CLDR through ICU (`Locale("und_KZ").getDisplayCountry`
in every language, Hans↔Hant converted with ICU's transform so 000's
哈薩克斯坦 is found next to Taiwan's 哈薩克); `data/facts/gazetteer.tsv` adds
what CLDR lacks — official long forms, variants, and the cities, people,
organisations and treaties of this corpus, each row with its source. Forms in
Arabic-script Kazakh are derived from the Cyrillic ones (`lexicon.kk_arab`)
unless the row gives them. `data/facts/gazetteer_exclude.tsv` lists CLDR names
that are ordinary words in running text (Arabic مالي "financial") and words
inside which a form is no name (發展中國家).
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

import icu

from kzkg_tools import tables
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


def country_names(code: str) -> dict[str, set[str]]:
    """CLDR display names of one region code in each of the seven languages.

    Each locale gives its standard name and its short one (`United States` and `US`,
    `Соединенные Штаты` and `США`): running text uses both. ICU answers the code itself
    where it has no name; a short name equal to the code is a name (US) only when the
    standard name is not the code too.
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
    zh = _zh_variants(names["zh-Hant"] | names["zh-Hans"])
    names["zh-Hant"] = names["zh-Hans"] = zh
    names["kk-Arab"] = {lexicon.kk_arab(f) for f in names["kk-Cyrl"]}
    return names


@owned("gazetteer")
def entries() -> dict[str, dict[str, Entity]]:
    """lang → {surface form: Entity}, countries from ICU merged with the curated rows."""
    forms: dict[str, dict[str, Entity]] = defaultdict(dict)
    excluded = {
        (r["lang"], r["surface"])
        for r in tables.records("facts/gazetteer_exclude.tsv")
        if r["kind"] == "form"
    }
    english = icu.Locale("en")
    for code in icu.Locale.getISOCountries():
        entity = Entity(icu.Locale(f"und_{code}").getDisplayCountry(english), "country", code)
        for lang, names in country_names(code).items():
            for name in names:
                if name and (lang, name) not in excluded:
                    forms[lang].setdefault(name, entity)
    for row in tables.records("facts/gazetteer.tsv"):
        entity = Entity(row["name"], row["subtype"], row["id"] or None)
        per_lang = {lang: {f for f in row[lang].split("|") if f} for lang in lexicon.LANGS}
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
        # ل + ال is written لل: للاتحاد السوفيتي "to the Soviet Union"
        per_lang["ar"] |= {"ل" + f[1:] for f in per_lang["ar"] if f.startswith("ال")}
        for lang, names in per_lang.items():
            for name in names:
                forms[lang][name] = entity  # curated rows win over CLDR
    return dict(forms)


@owned("gazetteer")
def blocking_contexts(lang: str) -> tuple[str, ...]:
    """Words in which a gazetteer form is not a name (中國 in 發展中國家 "developing countries")."""
    rows = tables.records("facts/gazetteer_exclude.tsv")
    return tuple(r["surface"] for r in rows if r["kind"] == "context" and r["lang"] == lang)
