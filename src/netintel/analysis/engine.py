"""The prepared graph every analysis runs on, the engine chosen for it, and betweenness.

:func:`prepare` is what every public analysis entry point calls first: it validates the graph
(the only place that does), reads the ties in one pass into index arrays, and picks the
engine. The :class:`Prepared` graph it returns converts the ties to igraph once, on first
use, with both their evidence strength and their path distance
(:mod:`netintel.analysis.weights`); centrality, rings, fragmentation, key players, disruption
and successors all work on it. Everything that receives a :class:`Prepared` assumes valid
input.

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

Betweenness
-----------
:func:`betweenness` is the one igraph betweenness of the analyses (Brandes 2001): exact, or
estimated from a sample of source people (Brandes & Pich 2007) drawn by
:func:`sample_sources` exactly as NetworkX draws them, so that both engines agree for a
seed. :func:`default_betweenness_k` says how many sources a graph of a given size gets.

References
----------
.. [1] U. Brandes, "A faster algorithm for betweenness centrality", Journal of Mathematical
   Sociology 25(2), 163-177, 2001.
.. [2] U. Brandes, C. Pich, "Centrality estimation in large networks", International Journal
   of Bifurcation and Chaos 17(7), 2303-2318, 2007.

Examples
--------
>>> prep = prepare(nx.path_graph(4), weight=None, engine="igraph")
>>> prep.n, prep.m, prep.engine
(4, 3, 'igraph')
>>> betweenness(prep.igraph(), weights=prep.path_weights).round(4).tolist()
[0.0, 0.6667, 0.6667, 0.0]
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import igraph as ig
import networkx as nx
import numpy as np
from numpy.typing import NDArray

from netintel.analysis.weights import DISTANCE, check_strengths, strength_to_distance
from netintel.errors import AnalysisError

__all__ = [
    "AUTO_NETWORKX_MAX_WORK",
    "BETWEENNESS_WORK",
    "ENGINES",
    "EXACT_BETWEENNESS_MAX_NODES",
    "Prepared",
    "betweenness",
    "default_betweenness_k",
    "pick_engine",
    "prepare",
    "sample_sources",
]

ENGINES = ("auto", "networkx", "igraph")

#: ``auto`` runs NetworkX while ``n * (n + m)`` stays at or below this (see module notes).
AUTO_NETWORKX_MAX_WORK = 5_000_000

#: Betweenness is exact up to this many people, sampled above.
EXACT_BETWEENNESS_MAX_NODES = 2_000

#: Sampled betweenness uses about this many edge visits in all (``k * m``), see
#: :func:`default_betweenness_k`.
BETWEENNESS_WORK = 64_000_000

_K_MIN, _K_MAX = 32, 256


@dataclass
class Prepared:
    """A validated person graph, its ties as index arrays, and the engine chosen for it.

    Person ``i`` is ``nodes[i]``; tie ``j`` joins ``src[j]`` and ``dst[j]`` with evidence
    strength ``strength[j]`` (all 1 when the analysis is unweighted). ``G`` is the graph
    analysed (a copy without self-loops when the input had any).
    """

    G: nx.Graph
    weight: str | None
    engine: str
    backend: str | None
    nodes: list[Hashable]
    src: NDArray[np.int64]
    dst: NDArray[np.int64]
    strength: NDArray[np.float64]
    _igraph: ig.Graph | None = field(default=None, repr=False)
    _adjacency: list[list[int]] | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        """Number of people."""
        return len(self.nodes)

    @property
    def m(self) -> int:
        """Number of ties."""
        return len(self.src)

    @property
    def weighted(self) -> bool:
        """Whether tie strengths are read (``weight`` is not ``None``)."""
        return self.weight is not None

    @property
    def path_weights(self) -> str | None:
        """The igraph edge attribute shortest paths read: ``"distance"``, or ``None`` (hops)
        when the analysis is unweighted."""
        return DISTANCE if self.weighted else None

    def igraph(self) -> ig.Graph:
        """The undirected igraph twin, built once on first use.

        Vertex ``i`` is ``nodes[i]``; edge ``j`` is ``(src[j], dst[j])`` with the edge
        attributes ``"strength"`` (``strength[j]``) and ``"distance"`` (its
        :func:`~netintel.analysis.weights.strength_to_distance`).
        """
        if self._igraph is None:
            pairs = list(zip(self.src.tolist(), self.dst.tolist(), strict=True))
            g = ig.Graph(n=self.n, edges=pairs, directed=False)
            g.es["strength"] = self.strength.tolist()
            g.es[DISTANCE] = strength_to_distance(self.strength).tolist() if self.m else []
            self._igraph = g
        return self._igraph

    def adjacency(self) -> list[list[int]]:
        """Each person's neighbours, as positions (built once on first use)."""
        if self._adjacency is None:
            adj: list[list[int]] = [[] for _ in range(self.n)]
            for a, b in zip(self.src.tolist(), self.dst.tolist(), strict=True):
                adj[a].append(b)
                adj[b].append(a)
            self._adjacency = adj
        return self._adjacency


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
    engine: str = "auto",
    backend: str | None = None,
    stacklevel: int = 3,
    allow_empty: bool = False,
) -> Prepared:
    """Validate ``G``, read its ties into arrays in one pass, and choose the engine.

    Self-loops are dropped from a copy, with a warning (a person is not their own contact).
    ``stacklevel`` is passed to :func:`warnings.warn` so warnings point at the user's call.

    Parameters
    ----------
    G : networkx.Graph
        The person graph.
    weight : str or None
        Edge attribute with the evidence strength; ``None``: every tie strength 1.
    engine : {"auto", "networkx", "igraph"}, default "auto"
    backend : str or None, default None
        A NetworkX backend (not with ``engine="igraph"``).
    stacklevel : int, default 3
    allow_empty : bool, default False
        Accept a graph without people (what is left after removing everyone).

    Raises
    ------
    AnalysisError
        If ``G`` is not an undirected simple :class:`networkx.Graph`, has no nodes (unless
        ``allow_empty``), or has a tie weight that is not a finite number > 0; or if
        ``engine`` is unknown.
    """
    if not isinstance(G, nx.Graph) or G.is_directed() or G.is_multigraph():
        raise AnalysisError(
            f"expected an undirected simple networkx.Graph, got {type(G).__name__}; "
            "project the person graph first (directed or multi-graphs: nx.Graph(G.to_undirected()))"
        )
    if G.number_of_nodes() == 0 and not allow_empty:
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


def default_betweenness_k(n: int, m: int) -> int | None:
    """Number of sampled sources for betweenness on a graph of ``n`` people and ``m`` ties.

    ``None`` (exact) up to :data:`EXACT_BETWEENNESS_MAX_NODES` people. Above, the cost of
    sampled betweenness is one shortest-path search per source, each ``O(m log n)``, so ``k``
    keeps ``k * m`` near :data:`BETWEENNESS_WORK`, within 32..256 sources: 256 up to 250,000
    ties, 64 at a million. The estimate is unbiased and its error shrinks like ``1/sqrt(k)``
    (Brandes & Pich 2007); the strongest brokers, the ones a ranking needs, are the first to
    stand out.

    Examples
    --------
    >>> default_betweenness_k(500, 2_000) is None
    True
    >>> default_betweenness_k(200_000, 1_000_000)
    64
    """
    if n <= EXACT_BETWEENNESS_MAX_NODES:
        return None
    return min(n, max(_K_MIN, min(_K_MAX, BETWEENNESS_WORK // max(m, 1))))


def sample_sources(n: int, k: int | None, seed: int | None) -> list[int] | None:
    """The ``k`` source positions of sampled betweenness for ``seed`` (``None``: exact).

    ``random.Random(seed).sample`` over ``range(n)``: the positions NetworkX samples, so
    both engines use the same people for the same seed.

    >>> sample_sources(10, 3, seed=0), sample_sources(10, None, seed=0)
    ([6, 9, 0], None)
    """
    return None if k is None else random.Random(seed).sample(range(n), k)


def betweenness(
    g: ig.Graph,
    *,
    weights: str | Sequence[float] | None = None,
    sources: Sequence[int] | None = None,
    normalized: bool = True,
) -> NDArray[np.float64]:
    """Shortest-path betweenness of every vertex of ``g``, exact or from ``sources``.

    Parameters
    ----------
    g : igraph.Graph
        Undirected (assumed valid).
    weights : str, sequence of float or None
        Edge path lengths (an attribute name, e.g. ``"distance"``, or the values); ``None``
        counts hops.
    sources : sequence of int, optional
        Sampled source vertices (e.g. from :func:`sample_sources`); ``None``: exact.
    normalized : bool, default True
        ``True``: NetworkX's normalisation, 0..1 over the ``(n - 1)(n - 2) / 2`` pairs of
        other people, and NetworkX's estimator when sampled (each source's dependencies
        scaled by ``n / k``, the ``k`` sampled sources themselves by ``n / (k - 1)``, since
        they are never intermediaries of their own paths): both engines agree for a seed.
        ``False``: the number of unordered pairs whose shortest paths run through the
        vertex, scaled by ``n / k`` when sampled.

    Examples
    --------
    >>> g = ig.Graph.Star(4)  # the hub is vertex 0
    >>> betweenness(g).tolist(), betweenness(g, normalized=False).tolist()
    ([1.0, 0.0, 0.0, 0.0], [3.0, 0.0, 0.0, 0.0])
    """
    n = g.vcount()
    if not normalized:
        if sources is None:
            return np.asarray(g.betweenness(directed=False, weights=weights))
        raw = np.asarray(g.betweenness(directed=False, weights=weights, sources=sources))
        return raw * n / max(len(sources), 1)  # unordered pairs, scaled up from k sources
    if n <= 2:
        return np.zeros(n)
    if sources is None:
        raw = 2.0 * np.asarray(g.betweenness(directed=False, weights=weights))  # ordered pairs
        return raw / ((n - 1) * (n - 2))
    k = len(sources)
    raw = 2.0 * np.asarray(g.betweenness(directed=False, weights=weights, sources=sources))
    scale = np.full(n, 1.0 / (k * (n - 2)))
    scale[list(sources)] = 1.0 / ((k - 1) * (n - 2))
    return raw * scale
