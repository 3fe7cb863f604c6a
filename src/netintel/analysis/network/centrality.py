"""Who matters structurally: degree, strength, betweenness, PageRank, eigenvector, k-core.

One function, :func:`centrality`, returns every measure for every person as a tidy frame.
Each measure answers a different investigative question:

degree
    How many distinct people this person is directly tied to (Freeman 1979).
strength
    The sum of the evidence strengths of those ties: many calls or repeated co-arrests with
    the same people count more than one chance encounter (Opsahl et al. 2010).
betweenness
    The share of shortest paths between other people that run through this person: brokers
    and couriers who connect otherwise separate parts of the network (Freeman 1977;
    Brandes 2001). Ties are read as distances ``1 / weight`` (:mod:`netintel.analysis.weights`).
pagerank
    Being tied to people who are themselves well tied (Brin & Page 1998).
eigenvector
    Closeness to the most interconnected core of one's group (Bonacich 1987).
kcore
    The largest ``k`` such that the person belongs to a group where everyone has at least
    ``k`` contacts inside the group (Seidman 1983).

References
----------
.. [1] L. C. Freeman, "A set of measures of centrality based on betweenness", Sociometry 40,
   35-41, 1977.
.. [2] L. C. Freeman, "Centrality in social networks: conceptual clarification", Social
   Networks 1, 215-239, 1979.
.. [3] U. Brandes, "A faster algorithm for betweenness centrality", Journal of Mathematical
   Sociology 25(2), 163-177, 2001.
.. [4] U. Brandes, C. Pich, "Centrality estimation in large networks", International Journal
   of Bifurcation and Chaos 17(7), 2303-2318, 2007.
.. [5] S. Brin, L. Page, "The anatomy of a large-scale hypertextual Web search engine",
   Computer Networks and ISDN Systems 30, 107-117, 1998.
.. [6] P. Bonacich, "Power and centrality: a family of measures", American Journal of
   Sociology 92(5), 1170-1182, 1987.
.. [7] S. B. Seidman, "Network structure and minimum degree", Social Networks 5, 269-287, 1983.
.. [8] T. Opsahl, F. Agneessens, J. Skvoretz, "Node centrality in weighted networks:
   Generalizing degree and shortest paths", Social Networks 32(3), 245-251, 2010.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from netintel.analysis.engine import (
    BETWEENNESS_WORK,
    EXACT_BETWEENNESS_MAX_NODES,
    Prepared,
    betweenness,
    default_betweenness_k,
    prepare,
    sample_sources,
)
from netintel.analysis.weights import DISTANCE, add_distance
from netintel.errors import AnalysisError
from netintel.measures import MEASURES, round_significant

__all__ = [
    "BETWEENNESS_WORK",
    "EXACT_BETWEENNESS_MAX_NODES",
    "MEASURES",
    "centrality",
    "default_betweenness_k",
    "round_significant",
]

#: PageRank's convergence test (NetworkX: the L1 change of an iteration below ``n * tol``).
#: NetworkX's default, 1e-6, leaves values off by up to ~1e-3 of their size (8.5e-4 on the
#: published oversize network); this one leaves them accurate to about 1e-10, for the price
#: of ~150 cheap iterations.
PAGERANK_TOL = 1e-12
PAGERANK_MAX_ITER = 1_000


def centrality(
    G: nx.Graph,
    *,
    weight: str | None = "weight",
    betweenness_k: int | None = None,
    seed: int | None = None,
    engine: str = "auto",
    backend: str | None = None,
) -> pd.DataFrame:
    """Degree, strength, betweenness, PageRank, eigenvector and k-core of every person.

    Parameters
    ----------
    G : networkx.Graph
        The person graph (undirected; isolates and many components are fine).
    weight : str or None, default "weight"
        Edge attribute with the evidence *strength* of a tie (higher = stronger). Strength,
        PageRank and eigenvector read it as a strength; betweenness as the distance
        ``1 / weight`` (:mod:`netintel.analysis.weights`); degree and k-core ignore it.
        ``None`` makes every tie weigh 1.
    betweenness_k : int or None, default None
        Number of sampled source people for betweenness. ``None`` chooses it with
        :func:`default_betweenness_k` (exact up to 2,000 people); a value ``>= n`` is exact.
    seed : int or None, default None
        Seed of the betweenness source sample. Both engines draw the same sample for the same
        seed (``random.Random(seed).sample`` over the node order, as NetworkX does).
    engine : {"auto", "networkx", "igraph"}, default "auto"
        ``"networkx"`` is the reference, ``"igraph"`` the fast path, ``"auto"`` picks NetworkX
        for small graphs (see :mod:`netintel.analysis.engine`).
    backend : str or None, default None
        Passed to NetworkX's dispatch (``engine="networkx"`` or ``"auto"`` only).

    Returns
    -------
    pandas.DataFrame
        Columns ``person_id, degree, strength, betweenness, pagerank, eigenvector, kcore``,
        one row per person, sorted by ``pagerank`` descending, then ``person_id``.
        ``df.attrs`` records ``engine``, ``backend``, ``weight``, ``betweenness_k`` (``None``
        when exact), ``betweenness_exact`` and ``seed``.

    Raises
    ------
    AnalysisError
        If the graph is empty, directed or a multigraph; if a weight is not a number > 0; if
        ``betweenness_k < 2``; or if ``engine`` is unknown.

    Notes
    -----
    Betweenness is normalised to 0..1 by the number of pairs of other people,
    ``(n - 1)(n - 2) / 2``. Sampled, each source's dependencies are scaled by ``n / k`` and
    the sampled sources themselves by ``n / (k - 1)``, since they are never intermediaries of
    their own paths; this is NetworkX's estimator, so both engines agree for the same seed.
    Betweenness splits a pair's share over all its shortest paths: igraph compares path
    lengths within a small tolerance, NetworkX exactly, so where fractional distances add up
    to the same length only up to rounding (``1/3 + 1/6`` against ``1/2``) NetworkX counts
    fewer equally short paths and the engines differ slightly (at most 0.002 on Zachary's
    karate club, with identical rankings).

    Eigenvector centrality is only defined for a connected graph (Bonacich 1987). It is
    computed per connected component (unit length within the component, as NetworkX
    normalises it), then scaled by ``sqrt(component size / n)``: each component's share of
    the vector's (squared) length is its share of the people, so a pair of co-arrestees does
    not look as central as the hub of the main network, and a connected graph gets exactly
    NetworkX's values. Isolates get 0.

    Float measures are rounded to 12 significant digits, so people in structurally equal
    positions tie exactly (and the ``person_id`` tie-break applies) instead of differing in
    the last bits of a floating-point sum.

    Examples
    --------
    >>> G = nx.star_graph(["hub", "a", "b", "c"])
    >>> df = centrality(G)
    >>> print(df.to_string(index=False))
    person_id  degree  strength  betweenness  pagerank  eigenvector  kcore
          hub       3       3.0          1.0  0.479730     0.707107      1
            a       1       1.0          0.0  0.173423     0.408248      1
            b       1       1.0          0.0  0.173423     0.408248      1
            c       1       1.0          0.0  0.173423     0.408248      1
    >>> df.attrs["engine"], df.attrs["betweenness_exact"]
    ('networkx', True)
    """
    prep = prepare(G, weight=weight, engine=engine, backend=backend)
    return compute_centrality(prep, betweenness_k=betweenness_k, seed=seed)


def compute_centrality(
    prep: Prepared, *, betweenness_k: int | None, seed: int | None
) -> pd.DataFrame:
    """:func:`centrality` on an already prepared graph (for callers that reuse ``prep``)."""
    if betweenness_k is None:
        k = default_betweenness_k(prep.n, prep.m)
    elif isinstance(betweenness_k, bool) or not isinstance(betweenness_k, int) or betweenness_k < 2:
        raise AnalysisError(f"betweenness_k must be an integer >= 2 or None, got {betweenness_k!r}")
    else:
        k = None if betweenness_k >= prep.n else betweenness_k
    cols = _networkx(prep, k, seed) if prep.engine == "networkx" else _igraph(prep, k, seed)
    df = pd.DataFrame({"person_id": prep.nodes})
    for name in MEASURES:
        values = np.asarray(cols[name])
        df[name] = (
            values.astype(np.int64) if name in ("degree", "kcore") else round_significant(values)
        )
    df = df.sort_values(
        ["pagerank", "person_id"], ascending=[False, True], kind="mergesort", ignore_index=True
    )
    df.attrs.update(
        engine=prep.engine,
        backend=prep.backend,
        weight=prep.weight,
        betweenness_k=k,
        betweenness_exact=k is None,
        seed=seed,
    )
    return df


def _networkx(prep: Prepared, k: int | None, seed: int | None) -> dict[str, Any]:
    """Every measure by NetworkX (the reference), in ``prep.nodes`` order."""
    G, w, backend = prep.G, prep.weight, prep.backend
    H = add_distance(G, weight=w) if w is not None else G
    measures = {
        "degree": dict(G.degree()),
        "strength": dict(G.degree(weight=w)) if w is not None else dict(G.degree()),
        "betweenness": nx.betweenness_centrality(
            H,
            k=k,
            normalized=True,
            weight=DISTANCE if w is not None else None,
            seed=seed,
            backend=backend,
        ),
        "pagerank": nx.pagerank(
            G, weight=w, tol=PAGERANK_TOL, max_iter=PAGERANK_MAX_ITER, backend=backend
        ),
        "eigenvector": _eigenvector_networkx(G, w, backend),
        "kcore": nx.core_number(G, backend=backend),
    }
    return {name: [values[u] for u in prep.nodes] for name, values in measures.items()}


def _eigenvector_networkx(G: nx.Graph, weight: str | None, backend: str | None) -> dict[Any, float]:
    """Eigenvector centrality per connected component, scaled as in :func:`centrality`."""
    n = G.number_of_nodes()
    out = dict.fromkeys(G, 0.0)
    for comp in nx.connected_components(G):
        size = len(comp)
        if size == 1:
            continue
        if size == 2:
            values = dict.fromkeys(comp, math.sqrt(0.5))
        else:
            # The sparse eigensolver, not power iteration: power iteration oscillates on
            # bipartite components (a hub and its couriers) and runs to its iteration cap.
            H = G.subgraph(comp)
            values = nx.eigenvector_centrality_numpy(H, weight=weight, backend=backend)
        scale = math.sqrt(size / n)
        for u, x in values.items():
            out[u] = x * scale
    return out


def _igraph(prep: Prepared, k: int | None, seed: int | None) -> dict[str, Any]:
    """Every measure by igraph, in ``prep.nodes`` order (vertex ``i`` is ``nodes[i]``)."""
    g, n = prep.igraph(), prep.n
    strength = np.bincount(prep.src, prep.strength, minlength=n) + np.bincount(
        prep.dst, prep.strength, minlength=n
    )
    sources = sample_sources(n, k, seed) if n > 2 else None
    return {
        "degree": g.degree(),
        "strength": strength,
        "betweenness": betweenness(g, weights=prep.path_weights, sources=sources),
        "pagerank": g.pagerank(directed=False, weights="strength"),
        "eigenvector": _eigenvector_igraph(prep),
        "kcore": g.coreness(),
    }


def _eigenvector_igraph(prep: Prepared) -> NDArray[np.float64]:
    """Eigenvector centrality per connected component, scaled as in :func:`centrality`."""
    g, n = prep.igraph(), prep.n
    membership = np.asarray(g.connected_components().membership)
    sizes = np.bincount(membership)
    out = np.zeros(n)
    out[sizes[membership] == 2] = math.sqrt(0.5)
    order = np.argsort(membership, kind="stable")
    starts = np.cumsum(sizes) - sizes
    for c in np.flatnonzero(sizes >= 3):
        members = order[starts[c] : starts[c] + sizes[c]]  # increasing ids: igraph keeps order
        sub = g if sizes[c] == n else g.induced_subgraph(members.tolist())
        x = np.asarray(sub.eigenvector_centrality(weights="strength"))
        out[members] = x / np.linalg.norm(x)
    return out * np.sqrt(sizes[membership] / n)
