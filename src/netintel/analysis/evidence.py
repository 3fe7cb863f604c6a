"""The records behind a person in the person graph: what every person-naming result shows."""

from __future__ import annotations

from collections.abc import Hashable
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
    records: set[Any] = set(G.nodes[u].get("sources") or ())
    for d in G.adj[u].values():
        src = d.get("sources")
        if isinstance(src, str):
            records.add(src)
        elif src:
            records.update(src)
    return sorted(records, key=str)
