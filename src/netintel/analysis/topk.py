"""Top-k by one measure: whom a single-measure strategy would arrest first.

The dismantling analyses compare every plan with the simplest one an investigator could
follow: arrest the ``k`` people who score highest by one measure. :func:`top_targets` gives
those people once, on the intact network; :func:`strategy_scores` scores the people left at
any point of a simulated arrest sequence (:mod:`netintel.analysis.dismantle.disrupt`), which
recomputes them after every removal, and :func:`sequential_targets` gives the first ``k``
people such a sequence removes (the adaptive attack of Cavallaro et al. 2020). Both key players
(:mod:`netintel.analysis.dismantle.keyplayers`) and disruption read them from here, so neither
imports the other.

Strategies (:data:`MEASURE_STRATEGIES`)
---------------------------------------
``degree``
    Most ties first; with tie weights, the largest *strength* (sum of evidence strengths).
``betweenness``
    Most shortest paths through the person; paths count ``1 / strength`` per tie
    (:mod:`netintel.analysis.weights`). Exact up to 2,000 people, sampled (seeded) above, as in
    :func:`~netintel.analysis.network.centrality.centrality`, by the one betweenness of
    :mod:`netintel.analysis.engine` (Brandes 2001; Brandes & Pich 2007).
``pagerank``
    PageRank with ties weighted by strength (Brin & Page 1998).
``ranked``
    The ranked target list (:func:`~netintel.analysis.network.ranking.rank_targets`):
    centrality, recorded roles and seized volume. Ties always count their strength there;
    ``weight=None`` gives every tie strength 1.

Scores are rounded to 12 significant digits and ties broken by person id (ascending), so
that structurally equal people tie exactly and the order is deterministic.

References
----------
.. [1] S. Brin, L. Page, "The anatomy of a large-scale hypertextual Web search engine",
   Computer Networks and ISDN Systems 30, 107-117, 1998.
.. [2] L. Cavallaro, A. Ficara, P. De Meo, G. Fiumara, S. Catanese, O. Bagdasar, W. Song,
   A. Liotta, "Disrupting resilient criminal networks through data analysis: The case of
   Sicilian Mafia", PLOS ONE 15(8), e0236476, 2020.

Examples
--------
>>> G = nx.star_graph(["hub", "a", "b", "c"])
>>> top_targets(G, "degree", 2)
[('hub', 3.0), ('a', 1.0)]
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np

from netintel.analysis.engine import (
    Prepared,
    betweenness,
    default_betweenness_k,
    prepare,
    sample_sources,
)
from netintel.analysis.network.ranking import rank_targets
from netintel.errors import AnalysisError
from netintel.measures import round_significant

__all__ = [
    "MEASURE_STRATEGIES",
    "by_score",
    "check_strategy",
    "id_key",
    "sequential_targets",
    "strategy_scores",
    "top_targets",
]

#: The strategies that rank people by a single score (compared with key-player sets).
MEASURE_STRATEGIES = ("degree", "betweenness", "pagerank", "ranked")


def id_key(u: Hashable) -> tuple[str, Any]:
    """Sort key of a person id: ids of one type compare as themselves (documented tie-break).

    >>> sorted(["b", 2, "a", 1], key=id_key)
    [1, 2, 'a', 'b']
    """
    return (type(u).__name__, u)


def check_strategy(strategy: object, allowed: Sequence[str]) -> None:
    """Raise :class:`~netintel.errors.AnalysisError` unless ``strategy`` is ``allowed``."""
    if strategy not in allowed:
        raise AnalysisError(f"unknown strategy {strategy!r}; use one of {', '.join(allowed)}")


def by_score(scores: np.ndarray, nodes: Sequence[Hashable]) -> list[int]:
    """Positions by score descending, then person id ascending.

    >>> by_score(np.array([1.0, 3.0, 3.0]), ["c", "b", "a"])
    [2, 1, 0]
    """
    return sorted(range(len(nodes)), key=lambda i: (-scores[i], id_key(nodes[i])))


def _measure(strategy: str, g: ig.Graph, weighted: bool, seed: int | None) -> np.ndarray:
    """One score per vertex of ``g`` (larger first), by igraph."""
    n = g.vcount()
    if strategy == "degree":
        x = g.strength(weights="strength") if weighted else g.degree()
    elif strategy == "pagerank":
        x = g.pagerank(directed=False, weights="strength" if weighted else None)
    elif strategy == "betweenness":
        k = default_betweenness_k(n, g.ecount())
        sources = sample_sources(n, k, seed) if n > 2 else None
        x = betweenness(g, weights="distance" if weighted else None, sources=sources)
    else:  # pragma: no cover - validated at the entry points
        raise AnalysisError(f"unknown strategy {strategy!r}")
    return round_significant(np.asarray(x, dtype=float))


def _ranked(
    G: nx.Graph, nodes: Sequence[Hashable], weighted: bool, seed: int | None, engine: str
) -> np.ndarray:
    """Score of the ranked target list for ``nodes`` (the people left in ``G``)."""
    # A copy, not a view: views make every neighbour lookup of the measures slow.
    H = G if len(nodes) == G.number_of_nodes() and weighted else G.subgraph(nodes).copy()
    if not weighted:
        nx.set_edge_attributes(H, 1.0, "weight")
    if H.number_of_edges() == 0:
        return np.zeros(len(nodes))
    ranking = rank_targets(H, seed=seed, engine=engine)
    score = dict(zip(ranking["person_id"], ranking["score"], strict=True))
    return round_significant(np.array([score[u] for u in nodes], dtype=float))


def strategy_scores(
    G: nx.Graph,
    prep: Prepared,
    idx: list[int],
    strategy: str,
    seed: int | None,
    engine: str = "igraph",
) -> np.ndarray:
    """The scores by ``strategy`` of the people at positions ``idx`` of ``prep``, measured on
    the network they form (``ranked`` on igraph unless ``engine`` says otherwise).

    Private to the dismantling analyses: ``prep`` is ``G`` prepared and ``strategy`` one of
    :data:`MEASURE_STRATEGIES`.
    """
    if strategy == "ranked":
        return _ranked(G, [prep.nodes[i] for i in idx], prep.weighted, seed, engine)
    return _measure(strategy, prep.igraph().induced_subgraph(idx), prep.weighted, seed)


def sequential_targets(
    G: nx.Graph, prep: Prepared, strategy: str, k: int, seed: int | None
) -> list[int]:
    """Positions in ``prep`` of the first ``k`` people ``strategy`` removes when its measure is
    recomputed on the people left after every removal (Cavallaro et al. 2020).

    The order :func:`~netintel.analysis.dismantle.disrupt.simulate_disruption` follows with
    ``recompute="sequential"``; once no tie is left it goes on by score, then person id, so
    that the set always has ``k`` people. Private to the dismantling analyses, as
    :func:`strategy_scores`.

    Examples
    --------
    >>> from netintel.analysis.engine import prepare
    >>> G = nx.barbell_graph(3, 1)  # two triangles joined through person 3
    >>> prep = prepare(G, weight=None, engine="igraph")
    >>> [prep.nodes[i] for i in sequential_targets(G, prep, "betweenness", 2, 0)]
    [3, 0]
    """
    alive = np.ones(prep.n, dtype=bool)
    out: list[int] = []
    for _ in range(min(k, prep.n)):
        idx = np.flatnonzero(alive).tolist()
        scores = strategy_scores(G, prep, idx, strategy, seed)
        v = idx[by_score(scores, [prep.nodes[i] for i in idx])[0]]
        alive[v] = False
        out.append(v)
    return out


def top_targets(
    G: nx.Graph,
    strategy: str,
    k: int,
    *,
    weight: str | None = "weight",
    seed: int | None = 0,
) -> list[tuple[Hashable, float]]:
    """The ``k`` people a single-measure strategy removes first, with their scores.

    Measured once on ``G`` (no recomputation); ties broken by person id. ``ranked`` is
    :func:`~netintel.analysis.network.ranking.rank_targets` with its default engine, the list
    ``netintel rank`` prints.

    Parameters
    ----------
    G : networkx.Graph
        The person graph.
    strategy : {"degree", "betweenness", "pagerank", "ranked"}
    k : int
        How many people.
    weight : str or None, default "weight"
        Evidence strength of ties; ``None``: unweighted.
    seed : int or None, default 0
        Seed of sampled betweenness and of the ranked list's rings.

    Raises
    ------
    AnalysisError
        If the strategy is unknown, ``k`` is not an integer >= 0, or the graph is invalid.

    Examples
    --------
    >>> top_targets(nx.path_graph(5), "betweenness", 1)
    [(2, 0.666666666667)]
    """
    check_strategy(strategy, MEASURE_STRATEGIES)
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise AnalysisError(f"k must be an integer >= 0, got {k!r}")
    prep = prepare(G, weight=weight, engine="igraph", allow_empty=True)
    idx = list(range(prep.n))
    scores = strategy_scores(G, prep, idx, strategy, seed, engine="auto")
    return [(prep.nodes[i], float(scores[i])) for i in by_score(scores, prep.nodes)[:k]]
