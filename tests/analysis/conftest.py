"""Small, seeded person graphs shaped like the projection's output."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import pytest

PersonGraph = Callable[..., nx.Graph]


def _person_graph(
    edges: Iterable[tuple[str, str] | tuple[str, str, float]],
    *,
    nodes: Iterable[str] = (),
    roles: Mapping[str, Mapping[str, int]] | None = None,
    seizure_kg: Mapping[str, float] | None = None,
    sources: Mapping[tuple[str, str], list[str]] | None = None,
) -> nx.Graph:
    """A person graph with the contract's attributes (weight 1 and one record per tie by default)."""
    G = nx.Graph(name="test")
    G.add_nodes_from(nodes)
    for e in edges:
        u, v = e[0], e[1]
        w = e[2] if len(e) == 3 else 1.0
        G.add_edge(u, v, weight=w, kinds={"co_arrest": 1}, sources=[f"R-{min(u, v)}-{max(u, v)}"])
    for (u, v), recs in (sources or {}).items():
        G[u][v]["sources"] = sorted(recs)
    roles, seizure_kg = roles or {}, seizure_kg or {}
    for u, d in G.nodes(data=True):
        d["name"] = f"Name {u}"
        d["roles"] = dict(roles.get(u, {}))
        d["seizure_kg"] = float(seizure_kg.get(u, 0.0))
        d["n_records"] = 1
    return G


@pytest.fixture
def person_graph() -> PersonGraph:
    """Factory: ``person_graph(edges, nodes=..., roles=..., seizure_kg=..., sources=...)``."""
    return _person_graph


def _ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


@pytest.fixture
def star(person_graph: PersonGraph) -> nx.Graph:
    """Hub ``P-hub`` tied to five leaves."""
    return person_graph([("P-hub", leaf) for leaf in _ids("P-leaf", 5)])


@pytest.fixture
def two_cliques(person_graph: PersonGraph) -> nx.Graph:
    """A 6-clique ``A0..A5`` and a 4-clique ``B0..B3``, joined only through the broker ``X``.

    ``X`` is tied to two people on each side, so no clique member shares the bridging load.
    """
    a, b = _ids("A", 6), _ids("B", 4)
    edges: list[Any] = [(u, v) for i, u in enumerate(a) for v in a[i + 1 :]]
    edges += [(u, v) for i, u in enumerate(b) for v in b[i + 1 :]]
    edges += [("A0", "X"), ("A1", "X"), ("X", "B0"), ("X", "B1")]
    return person_graph(edges)


@pytest.fixture
def messy() -> nx.Graph:
    """Seeded weighted graph with several components and isolates (60 people)."""
    rng = np.random.default_rng(7)
    G = nx.gnm_random_graph(45, 110, seed=7)
    G.add_edges_from([(45, 46), (47, 48), (48, 49), (49, 47), (50, 51), (51, 52)])
    G.add_nodes_from(range(53, 60))  # isolates
    G = nx.relabel_nodes(G, {i: f"P-{i:02d}" for i in G})
    for u, v, d in G.edges(data=True):
        d["weight"] = float(rng.integers(1, 6)) * 0.5
        d["sources"] = [f"R-{u}-{v}"]
    return G
