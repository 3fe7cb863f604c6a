"""Evidence strength and path distance: the one place that converts one into the other.

Every tie of the person graph carries ``weight``, an evidence **strength**: more co-arrests,
more calls, more recent records give a larger number, and a larger number means a *closer*
relationship. Measures built on walks or sums read that number as it is; measures built on
shortest paths need a **distance**, where a larger number means *further apart*. Feeding the
strength to a shortest-path algorithm would make the weakest ties the preferred routes, so
netintel converts it here, once, and no analysis module has to guess.

How each measure reads the tie weight:

===================  =========  ==============================================================
measure              reads as   library call
===================  =========  ==============================================================
strength             strength   sum of incident weights (weighted degree)
PageRank             strength   transition probability proportional to weight
eigenvector          strength   entries of the weighted adjacency matrix
Louvain / Leiden     strength   weighted modularity
k-core               (none)     unweighted: counts distinct contacts
betweenness          distance   :func:`strength_to_distance` of the weight
closeness            distance   :func:`strength_to_distance` of the weight
efficiency           distance   :func:`strength_to_distance` of the weight
===================  =========  ==============================================================

The conversion is the reciprocal, ``distance = 1 / weight`` (Brandes 2001; Newman 2001;
Opsahl, Agneessens & Skvoretz 2010 with their tuning parameter ``alpha = 1``). It is
monotone, so a stronger tie is always a shorter step, and a path of two ties of strength 2
(distance 1) is as short as one tie of strength 1: strong indirect links can compete with
weak direct ones, which is what a courier relaying between two organizers looks like.

References
----------
.. [1] U. Brandes, "A faster algorithm for betweenness centrality", Journal of Mathematical
   Sociology 25(2), 163-177, 2001.
.. [2] M. E. J. Newman, "Scientific collaboration networks. II. Shortest paths, weighted
   networks, and centrality", Physical Review E 64, 016132, 2001.
.. [3] T. Opsahl, F. Agneessens, J. Skvoretz, "Node centrality in weighted networks:
   Generalizing degree and shortest paths", Social Networks 32(3), 245-251, 2010.

Examples
--------
>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_edge("A", "B", weight=4.0)
>>> H = add_distance(G)
>>> H["A"]["B"]["distance"], "distance" in G["A"]["B"]
(0.25, False)
"""

from __future__ import annotations

from typing import overload

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from netintel.errors import AnalysisError

__all__ = [
    "DISTANCE",
    "add_distance",
    "check_strengths",
    "strength_to_distance",
    "strength_to_distance_cypher",
]

#: Default edge attribute that :func:`add_distance` writes.
DISTANCE = "distance"


def check_strengths(strength: NDArray[np.float64]) -> None:
    """Raise :class:`~netintel.errors.AnalysisError` unless every strength is finite and > 0.

    Parameters
    ----------
    strength : numpy.ndarray
        Tie strengths.

    Raises
    ------
    AnalysisError
        If a strength is zero, negative, NaN or infinite (it has no distance).

    Examples
    --------
    >>> check_strengths(np.array([1.0, 0.5]))
    >>> check_strengths(np.array([1.0, -2.0]))
    Traceback (most recent call last):
    ...
    netintel.errors.AnalysisError: tie weights must be finite evidence strengths > 0; found -2.0
    """
    bad = ~(np.isfinite(strength) & (strength > 0))
    if bad.any():
        raise AnalysisError(
            f"tie weights must be finite evidence strengths > 0; found {float(strength[bad][0])!r}"
        )


@overload
def strength_to_distance(strength: float) -> float: ...
@overload
def strength_to_distance(strength: NDArray[np.float64]) -> NDArray[np.float64]: ...
def strength_to_distance(
    strength: float | NDArray[np.float64],
) -> float | NDArray[np.float64]:
    """The path length of a tie of the given evidence strength: ``1 / strength``.

    Parameters
    ----------
    strength : float or numpy.ndarray
        Evidence strength(s), each > 0 (not checked here; see :func:`check_strengths`).

    Returns
    -------
    float or numpy.ndarray
        The distance(s), of the same shape.

    Examples
    --------
    >>> strength_to_distance(2.0)
    0.5
    >>> strength_to_distance(np.array([1.0, 4.0]))
    array([1.  , 0.25])
    """
    if isinstance(strength, np.ndarray):
        return 1.0 / strength
    return 1.0 / float(strength)


def strength_to_distance_cypher(strength: str) -> str:
    """The rule of :func:`strength_to_distance` as a Cypher expression over ``strength``.

    For engines that compute the distance where the data lives (the Graph Data Science
    projection of :mod:`netintel.store.gds`), so the rule is written here once.

    Parameters
    ----------
    strength : str
        A Cypher expression for an evidence strength > 0: a variable or property name of
        the calling statement, never a value (values travel as parameters).

    Returns
    -------
    str
        The Cypher expression of its distance.

    Examples
    --------
    >>> strength_to_distance_cypher("weight")
    '1.0 / (weight)'
    """
    return f"1.0 / ({strength})"


def add_distance(
    G: nx.Graph,
    *,
    weight: str | None = "weight",
    attr: str = DISTANCE,
    copy: bool = True,
) -> nx.Graph:
    """Write the distance of every tie, ``1 / weight``, to the edge attribute ``attr``.

    Parameters
    ----------
    G : networkx.Graph
        The person graph.
    weight : str or None, default "weight"
        Edge attribute holding the evidence strength; a missing attribute counts as 1 (the
        NetworkX convention). ``None`` gives every tie distance 1 (hop count).
    attr : str, default "distance"
        Edge attribute to write.
    copy : bool, default True
        ``True`` writes onto a copy (``G.copy()``: new attribute dicts, same values) and leaves
        ``G`` untouched; ``False`` writes onto ``G`` itself.

    Returns
    -------
    networkx.Graph
        The copy, or ``G`` when ``copy=False``.

    Raises
    ------
    AnalysisError
        If a weight is not a finite number > 0.

    Examples
    --------
    >>> G = nx.path_graph(3)
    >>> nx.set_edge_attributes(G, {(0, 1): 2.0, (1, 2): 0.5}, "weight")
    >>> H = add_distance(G)
    >>> nx.shortest_path_length(H, 0, 2, weight="distance")
    2.5
    >>> add_distance(G, copy=False) is G
    True
    """
    H = G.copy() if copy else G
    if weight is None:
        nx.set_edge_attributes(H, 1.0, attr)
        return H
    edges = list(H.edges(data=True))
    strength = np.fromiter((d.get(weight, 1.0) for _, _, d in edges), dtype=float, count=len(edges))
    check_strengths(strength)
    for (_, _, d), dist in zip(edges, strength_to_distance(strength).tolist(), strict=True):
        d[attr] = dist
    return H
