"""Plumbing shared by the analysis modules: graph checks, engine choice, igraph conversion.

:func:`prepare` is what every public analysis entry point calls first: it validates the graph
(the only place that does), reads the ties in one pass into index arrays, and picks the
engine. Everything that receives a :class:`Prepared` assumes valid input.

Engines
-------
``"networkx"``
    The reference: every measure is the NetworkX function of the same name, and ``backend=``
    is passed through to NetworkX's dispatch.
``"igraph"``
    The fast path (C core) for graphs too large for pure Python. The igraph graph is built
    from the edge arrays in one call, never edge by edge.
``"auto"``
    NetworkX while exact betweenness would cost at most :data:`AUTO_NETWORKX_MAX_WORK`
    edge visits, ``n * (n + m)`` (about 1,000 people and 4,000 ties: a few seconds in pure
    Python), igraph above; NetworkX whenever a ``backend`` is named.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from dataclasses import dataclass, field

import igraph as ig
import networkx as nx
import numpy as np
from numpy.typing import NDArray

from netintel.analysis.weights import check_strengths
from netintel.errors import AnalysisError

ENGINES = ("auto", "networkx", "igraph")

#: ``auto`` runs NetworkX while ``n * (n + m)`` stays at or below this (see module notes).
AUTO_NETWORKX_MAX_WORK = 5_000_000


@dataclass
class Prepared:
    """A validated person graph, its ties as index arrays, and the engine chosen for it."""

    G: nx.Graph
    weight: str | None
    engine: str
    backend: str | None
    nodes: list[Hashable]
    src: NDArray[np.int64]
    dst: NDArray[np.int64]
    strength: NDArray[np.float64]
    _igraph: ig.Graph | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        """Number of people."""
        return len(self.nodes)

    @property
    def m(self) -> int:
        """Number of ties."""
        return len(self.src)

    def igraph(self) -> ig.Graph:
        """The undirected igraph twin, built once on first use.

        Vertex ``i`` is ``nodes[i]``; edge ``j`` is ``(src[j], dst[j])`` with the edge attribute
        ``"strength"`` (``strength[j]``, all 1 when the analysis is unweighted).
        """
        if self._igraph is None:
            pairs = list(zip(self.src.tolist(), self.dst.tolist(), strict=True))
            g = ig.Graph(n=self.n, edges=pairs, directed=False)
            g.es["strength"] = self.strength.tolist()
            self._igraph = g
        return self._igraph


def pick_engine(engine: str, n: int, m: int, backend: str | None = None) -> str:
    """Resolve ``engine`` ("auto", "networkx" or "igraph") for a graph of n people, m ties.

    >>> pick_engine("auto", 100, 300), pick_engine("auto", 50_000, 200_000)
    ('networkx', 'igraph')
    """
    if engine not in ENGINES:
        raise AnalysisError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if backend is not None and engine == "igraph":
        raise AnalysisError(
            "backend= selects a NetworkX backend; it cannot be used with engine='igraph'"
        )
    if engine != "auto":
        return engine
    if backend is not None or n * (n + m) <= AUTO_NETWORKX_MAX_WORK:
        return "networkx"
    return "igraph"


def prepare(
    G: nx.Graph,
    *,
    weight: str | None,
    engine: str,
    backend: str | None = None,
    stacklevel: int = 3,
) -> Prepared:
    """Validate ``G``, read its ties into arrays in one pass, and choose the engine.

    Self-loops are dropped from a copy, with a warning (a person is not their own contact).
    ``stacklevel`` is passed to :func:`warnings.warn` so warnings point at the user's call.

    Raises
    ------
    AnalysisError
        If ``G`` is not an undirected simple :class:`networkx.Graph`, has no nodes, or has a
        tie weight that is not a finite number > 0; or if ``engine`` is unknown.
    """
    if not isinstance(G, nx.Graph) or G.is_directed() or G.is_multigraph():
        raise AnalysisError(
            f"expected an undirected simple networkx.Graph, got {type(G).__name__}; "
            "project the person graph first (directed or multi-graphs: nx.Graph(G.to_undirected()))"
        )
    if G.number_of_nodes() == 0:
        raise AnalysisError("the graph has no people to analyse")
    loops = nx.number_of_selfloops(G)
    if loops:
        warnings.warn(
            f"ignoring {loops} self-loop(s): a tie from a person to themself carries no structure",
            stacklevel=stacklevel,
        )
        G = G.copy()
        G.remove_edges_from(list(nx.selfloop_edges(G)))
    nodes = list(G)
    index = {u: i for i, u in enumerate(nodes)}
    ties = G.edges(data=weight, default=1.0) if weight is not None else G.edges(data=True)
    flat = [x for u, v, w in ties for x in (index[u], index[v], 1.0 if weight is None else w)]
    try:
        arr = np.asarray(flat, dtype=float).reshape(-1, 3)
    except (TypeError, ValueError) as e:
        raise AnalysisError(f"tie weights in {weight!r} must be numbers: {e}") from e
    strength = np.ascontiguousarray(arr[:, 2])
    check_strengths(strength)
    return Prepared(
        G=G,
        weight=weight,
        engine=pick_engine(engine, len(nodes), len(strength), backend),
        backend=backend,
        nodes=nodes,
        src=arr[:, 0].astype(np.int64),
        dst=arr[:, 1].astype(np.int64),
        strength=strength,
    )
