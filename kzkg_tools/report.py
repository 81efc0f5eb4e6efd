"""A self-contained HTML page of a run: aligned sentences side by side, facts highlighted,
conflicts and missing facts marked, and a summary of agree/conflict/missing per document pair.

No script and no network: one file that any browser renders. Every text cell carries its `lang`
and `dir="auto"` so Arabic reads right to left and Chinese gets CJK fonts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from html import escape

from kzkg_tools import __version__
from kzkg_tools.records import Bead, Diff, Fact, Sentence

STATUSES = ("agree", "conflict", "missing")

CSS = """
body{font-family:system-ui,"Noto Sans","Noto Sans Arabic","Noto Sans CJK TC",sans-serif;
margin:1.5rem;color:#1b1b1b;line-height:1.5}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.35rem .5rem;vertical-align:top}
th{background:#f3f3f3;text-align:start}
td.num{text-align:end;font-variant-numeric:tabular-nums}
tr.conflict>td{background:#fff1f0}tr.missing>td{background:#fffbe6}
mark.fact{background:#e6f4ff;border-radius:3px;padding:0 .1em}
mark.fact.conflict{background:#ffccc7;outline:2px solid #cf1322}
mark.fact.missing{background:#ffe58f;outline:1px dashed #ad8b00}
mark.fact.agree{background:#d9f7be}
.reason{font-size:.9em;color:#444}.reason b.conflict{color:#cf1322}.reason b.missing{color:#ad6800}
.legend mark{margin-inline-end:.5rem}
"""


def _fact_status(diffs: Iterable[Diff]) -> dict[tuple[str, tuple[int, ...]], str]:
    """(doc_id, span) → the worst status any diff gives that mention."""
    rank = {"agree": 0, "missing": 1, "conflict": 2}
    out: dict[tuple[str, tuple[int, ...]], str] = {}
    for d in diffs:
        for v in d.values:
            if v.span is None:
                continue
            key = (v.doc_id, tuple(v.span))
            if rank[d.status] >= rank.get(out.get(key, "agree"), 0):
                out[key] = d.status
    return out


def _highlight(sentence: Sentence, status: dict[tuple[str, tuple[int, ...]], str]) -> str:
    """The sentence's text with each fact wrapped in a <mark>."""
    text = sentence.text
    parts: list[str] = []
    pos = 0
    facts: list[Fact] = sorted(sentence.facts or [], key=lambda f: (f.start, -f.end))
    for fact in facts:
        if fact.start < pos:
            continue  # nested mention (a country inside an organisation name): outer one shown
        cls = status.get((sentence.doc_id, tuple(fact.span)), "")
        title = f"{fact.type}: {fact.value}"
        parts.append(escape(text[pos : fact.start]))
        parts.append(
            f'<mark class="fact {cls}" title="{escape(title)}">'
            f"{escape(text[fact.start : fact.end])}</mark>"
        )
        pos = fact.end
    parts.append(escape(text[pos:]))
    return "".join(parts)


def render(
    beads: Iterable[Bead], sentences: dict[str, Sentence], diffs: Iterable[Diff], title: str
) -> str:
    """The whole HTML page."""
    diffs = list(diffs)
    by_bead: dict[str, list[Diff]] = defaultdict(list)
    for d in diffs:
        by_bead[d.bead].append(d)
    status = _fact_status(diffs)
    pairs: dict[str, list[Bead]] = defaultdict(list)
    for bead in beads:
        pairs[" ~ ".join(dict.fromkeys(m.doc_id for m in bead.members))].append(bead)

    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p>kzkg {escape(__version__)}. Legend: <span class="legend">'
        '<mark class="fact">fact</mark><mark class="fact agree">agrees</mark>'
        '<mark class="fact conflict">conflicts</mark><mark class="fact missing">missing in the '
        "other language</mark></span></p>",
        "<h2>Summary</h2>",
        "<table><thead><tr><th>document pair</th><th>beads</th>"
        + "".join(f"<th>{s}</th>" for s in STATUSES)
        + "</tr></thead><tbody>",
    ]
    for pair, group in pairs.items():
        counts: Counter[str] = Counter(d.status for b in group for d in by_bead.get(b.id, []))
        out.append(
            f'<tr><td dir="auto">{escape(pair)}</td><td class="num">{len(group)}</td>'
            + "".join(f'<td class="num">{counts[s]}</td>' for s in STATUSES)
            + "</tr>"
        )
    bead_ids = {b.id for g in pairs.values() for b in g}
    doc_level = [d for d in diffs if d.bead not in bead_ids]
    out.append("</tbody></table>")

    for n, (pair, group) in enumerate(pairs.items()):
        columns = list(dict.fromkeys((m.doc_id, m.lang) for b in group for m in b.members))
        out.append(f'<h2 id="pair-{n}" dir="auto">{escape(pair)}</h2>')
        out.append(
            "<table><thead><tr>"
            + "".join(
                f"<th>{escape(doc)} <small>({escape(lang)})</small></th>" for doc, lang in columns
            )
            + "<th>differences</th></tr></thead><tbody>"
        )
        for bead in group:
            found = by_bead.get(bead.id, [])
            worst = (
                "conflict"
                if any(d.status == "conflict" for d in found)
                else ("missing" if any(d.status == "missing" for d in found) else "")
            )
            cells = []
            for doc, lang in columns:
                member = next((m for m in bead.members if (m.doc_id, m.lang) == (doc, lang)), None)
                if member is None:
                    cells.append(f'<td lang="{escape(lang)}" dir="auto"></td>')
                    continue
                html_text = " ".join(
                    _highlight(sentences[sid], status) if sid in sentences else ""
                    for sid in member.sentence_ids
                ) or escape(member.text)
                cells.append(f'<td lang="{escape(lang)}" dir="auto">{html_text}</td>')
            reasons = "<br>".join(
                f'<b class="{d.status}">{d.status}</b> {escape(d.type)}: {escape(d.reason)}'
                for d in found
                if d.status != "agree"
            )
            out.append(
                f'<tr class="{worst}" id="{escape(bead.id)}">'
                + "".join(cells)
                + f'<td class="reason" dir="auto">{reasons}</td></tr>'
            )
        out.append("</tbody></table>")

    if doc_level:
        out.append(
            "<h2>Document-level differences</h2><table><thead><tr><th>status</th>"
            "<th>type</th><th>reason</th><th>values</th></tr></thead><tbody>"
        )
        for d in doc_level:
            values = "<br>".join(
                f'<span lang="{escape(v.lang)}" dir="auto">{escape(v.doc_id)}: '
                f"{escape(str(v.value))} ({escape(v.surface or '')})</span>"
                for v in d.values
            )
            out.append(
                f'<tr class="{d.status}"><td>{d.status}</td><td>{escape(d.type)}</td>'
                f'<td dir="auto">{escape(d.reason)}</td><td dir="auto">{values}</td></tr>'
            )
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
