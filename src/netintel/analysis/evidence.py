"""The records behind a person in the person graph: what every person-naming result shows."""

from __future__ import annotations

from collections.abc import Collection, Hashable
from typing import Any

import networkx as nx


def person_evidence(G: nx.Graph, u: Hashable) -> list[Any]:
    """Sorted union of ``u``'s own ``sources`` and those of its ties.

    >>> G = nx.Graph()
    >>> G.add_node("a", sources=["ARR-2"])
    >>> G.add_edge("a", "b", sources=["COM-7", "ARR-2"])
    >>> person_evidence(G, "a")
    ['ARR-2', 'COM-7']
    """
    own = set(G.nodes[u].get("sources") or ())
    return sorted(own.union(tie_records(G, u)), key=str)


def tie_records(G: nx.Graph, u: Hashable, others: Collection[Hashable] | None = None) -> list[Any]:
    """Sorted records of ``u``'s ties (only those to ``others`` when given).

    >>> G = nx.Graph([("a", "b", {"sources": ["COM-1"]}), ("a", "c", {"sources": "LNK-4"})])
    >>> tie_records(G, "a"), tie_records(G, "a", {"c"})
    (['COM-1', 'LNK-4'], ['LNK-4'])
    """
    records: set[Any] = set()
    for v, d in G.adj[u].items():
        if others is not None and v not in others:
            continue
        src = d.get("sources")
        if isinstance(src, str):
            records.add(src)
        elif src:
            records.update(src)
    return sorted(records, key=str)
