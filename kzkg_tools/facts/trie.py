"""Many literal forms as one regex shaped like a trie, for the `regex` module's sake.

The `regex` module tries an alternation branch by branch at every position, so a flat
alternation of 800 names (or 36 month names) costs a comparison per form per character; a
trie tries each shared prefix once.
"""

from __future__ import annotations

from typing import Any


def branches(forms: list[tuple[str, ...]]) -> list[tuple[str, str]]:
    """Forms given as regex units (one per character) as a trie, one branch per first unit.

    Returns (first unit, branch regex) pairs. The branches joined by `|`, in this order, match
    what an alternation of the forms matches, and try longer forms first.
    """
    trie: dict[str, Any] = {}
    for units in forms:
        node = trie
        for u in units:
            node = node.setdefault(u, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [u + build(child) for u, child in sorted(node.items()) if u]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")" if alts else ""
        return f"(?:{body})?" if "" in node and body else body

    return [(u, u + build(child)) for u, child in sorted(trie.items()) if u]
