"""How broken a network is: components, fragmentation and global efficiency.

The measures the dismantling analyses (:mod:`netintel.analysis.dismantle.keyplayers`,
:mod:`netintel.analysis.dismantle.disrupt`) report after people are removed:

largest connected component (LCC)
    The number of people in the largest group that can still reach one another.
fragmentation ``F`` (Borgatti 2006)
    The share of pairs of people who can no longer reach each other:
    ``F = 1 - sum_k s_k (s_k - 1) / (n (n - 1))`` over the components of sizes ``s_k``,
    ``n`` the people left. 0 for a connected network, 1 when nobody is tied to anyone.
distance-weighted fragmentation ``DF`` (Borgatti 2006)
    ``DF = 1 - sum_{i != j} (1 / d_ij) / (n (n - 1))``, with ``d_ij`` the number of steps
    (hops) between ``i`` and ``j`` and ``1 / d = 0`` for unreachable pairs: it also counts
    pairs that stay connected but drift apart. Borgatti defines it on hop counts, and so does
    netintel, whatever the tie weights.
global efficiency (Latora & Marchiori 2001)
    ``E = sum_{i != j} (1 / d_ij) / (n0 (n0 - 1))``: how easily people can reach one another.
    With tie weights, ``d_ij`` is the weighted path length, each tie counting its distance
    ``1 / strength`` (:mod:`netintel.analysis.weights`), so ``E`` is in units of evidence
    strength and can exceed 1. ``n0`` is a fixed reference size (the intact network's, in a
    disruption simulation), so that removing people can only lower ``E``.

Sums of ``1 / d`` come from igraph (C core, its harmonic centrality). Above :data:`EXACT_EFFICIENCY_MAX_NODES` people, sums
over all pairs are estimated from :data:`EFFICIENCY_SAMPLE` seeded source people (an
unbiased estimate; every pair from a sampled source is exact), and the result says so.

References
----------
.. [1] S. P. Borgatti, "Identifying sets of key players in a social network", Computational
   and Mathematical Organization Theory 12, 21-34, 2006.
.. [2] V. Latora, M. Marchiori, "Efficient behavior of small-world networks", Physical
   Review Letters 87, 198701, 2001.

Examples
--------
>>> import networkx as nx
>>> G = nx.barbell_graph(3, 1)  # two triangles joined through person 3
>>> fragmentation(G, removed=[3])
0.6
>>> round(distance_fragmentation(G), 4)
0.3889
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable

import igraph as ig
import networkx as nx
import numpy as np

from netintel.analysis.engine import prepare
from netintel.errors import AnalysisError

__all__ = [
    "EFFICIENCY_SAMPLE",
    "EXACT_EFFICIENCY_MAX_NODES",
    "check_sample",
    "component_sizes",
    "distance_fragmentation",
    "fragmentation",
    "global_efficiency",
]

#: Sums over pairs of people are exact up to this many people, sampled above.
EXACT_EFFICIENCY_MAX_NODES = 5_000

#: Number of seeded source people of a sampled sum over pairs.
EFFICIENCY_SAMPLE = 512


def check_sample(sample: object, name: str = "sample") -> None:
    """Raise :class:`~netintel.errors.AnalysisError` unless ``sample`` is ``None`` or an
    integer >= 1 (a number of source people); ``name`` names the option in the message."""
    if sample is not None and (
        isinstance(sample, bool) or not isinstance(sample, int) or sample < 1
    ):
        raise AnalysisError(f"{name} must be an integer >= 1 or None, got {sample!r}")


def component_sizes(G: nx.Graph, *, removed: Iterable[Hashable] = ()) -> list[int]:
    """Sizes of the connected components left after ``removed``, largest first.

    Every person left counts; someone with no tie left is a component of size 1.

    >>> component_sizes(nx.barbell_graph(3, 1), removed=[3])
    [3, 3]
    """
    if not isinstance(G, nx.Graph) or G.is_directed():
        raise AnalysisError(f"expected an undirected networkx.Graph, got {type(G).__name__}")
    gone = set(removed)
    return sorted(
        (len(c) for c in nx.connected_components(G.subgraph(u for u in G if u not in gone))),
        reverse=True,
    )


def fragmentation_of(sizes: Iterable[int]) -> float:
    """Borgatti's ``F`` from component sizes (0 with fewer than two people).

    >>> fragmentation_of([3, 3])
    0.6
    """
    s = np.asarray(list(sizes), dtype=float)
    n = s.sum()
    if n < 2:
        return 0.0
    return float(1.0 - (s * (s - 1)).sum() / (n * (n - 1)))


def fragmentation(G: nx.Graph, *, removed: Iterable[Hashable] = ()) -> float:
    """Borgatti's fragmentation ``F`` of ``G`` after ``removed`` (see the module notes).

    >>> fragmentation(nx.path_graph(4)), round(fragmentation(nx.path_graph(4), removed=[1]), 4)
    (0.0, 0.6667)
    """
    return fragmentation_of(component_sizes(G, removed=removed))


def inverse_distance_sum(
    g: ig.Graph,
    *,
    weights: str | list[float] | None = None,
    sample: int | None = None,
    seed: int | None = 0,
) -> tuple[float, bool]:
    """``sum_{i != j} 1 / d_ij`` over ordered pairs of ``g`` and whether it was sampled.

    ``sample`` (default :data:`EFFICIENCY_SAMPLE` above :data:`EXACT_EFFICIENCY_MAX_NODES`
    people, else exact) is the number of seeded source vertices; the sampled sum is scaled by
    ``n / sample``. Private: ``g`` is assumed valid.
    """
    n = g.vcount()
    if n < 2 or g.ecount() == 0:
        return 0.0, False
    if sample is None and n > EXACT_EFFICIENCY_MAX_NODES:
        sample = EFFICIENCY_SAMPLE
    sampled = sample is not None and sample < n
    sources = sorted(random.Random(seed).sample(range(n), sample)) if sampled else range(n)
    # Harmonic centrality (unnormalised) is each source's sum of 1 / d, computed in C
    # without an n x n matrix; unreachable people add 0.
    total = float(
        sum(g.harmonic_centrality(vertices=list(sources), weights=weights, normalized=False))
    )
    if sampled:
        total *= n / len(sources)
    return total, sampled


def global_efficiency(
    G: nx.Graph,
    *,
    weight: str | None = "weight",
    n_ref: int | None = None,
    sample: int | None = None,
    seed: int | None = 0,
) -> float:
    """Global efficiency of ``G`` (Latora & Marchiori 2001; see the module notes).

    Parameters
    ----------
    G : networkx.Graph
    weight : str or None, default "weight"
        Evidence strength; paths count ``1 / strength`` per tie. ``None`` counts hops.
    n_ref : int, optional
        Normalise by ``n_ref (n_ref - 1)`` pairs instead of ``G``'s own ``n (n - 1)``.
    sample : int, optional
        Number of seeded source people (default: exact up to
        :data:`EXACT_EFFICIENCY_MAX_NODES` people, :data:`EFFICIENCY_SAMPLE` above).
    seed : int or None, default 0

    Examples
    --------
    >>> round(global_efficiency(nx.path_graph(3), weight=None), 4)
    0.8333
    >>> G = nx.path_graph(3)
    >>> nx.set_edge_attributes(G, 2.0, "weight")
    >>> round(global_efficiency(G), 4)  # ties twice as strong: paths half as long
    1.6667
    """
    check_sample(sample)
    prep = prepare(G, weight=weight, engine="igraph", allow_empty=True)
    total, _ = inverse_distance_sum(
        prep.igraph(), weights=prep.path_weights, sample=sample, seed=seed
    )
    ref = prep.n if n_ref is None else n_ref
    return total / (ref * (ref - 1)) if ref > 1 else 0.0


def distance_fragmentation(
    G: nx.Graph,
    *,
    removed: Iterable[Hashable] = (),
    sample: int | None = None,
    seed: int | None = 0,
) -> float:
    """Borgatti's distance-weighted fragmentation ``DF`` after ``removed`` (hop distances).

    >>> distance_fragmentation(nx.complete_graph(4)), distance_fragmentation(nx.empty_graph(3))
    (0.0, 1.0)
    """
    check_sample(sample)
    if not isinstance(G, nx.Graph):
        raise AnalysisError(f"expected an undirected networkx.Graph, got {type(G).__name__}")
    gone = set(removed)
    H = G.subgraph(u for u in G if u not in gone)
    n = H.number_of_nodes()
    if n < 2:
        return 0.0
    prep = prepare(H, weight=None, engine="igraph")
    total, _ = inverse_distance_sum(prep.igraph(), sample=sample, seed=seed)
    return 1.0 - total / (n * (n - 1))


def removal_effects(
    adj: list[list[int]], alive: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """For every alive vertex ``v``: the sum of squared component sizes and the largest
    component once ``v`` is removed too; plus the current sum of squares and largest
    component.

    One iterative depth-first search (Hopcroft & Tarjan 1973): removing ``v`` splits its
    component into the subtrees of the children ``c`` with ``low[c] >= disc[v]`` and the
    rest. Cost ``O(n + m)`` for all vertices at once. Dead vertices get ``-1``.
    """
    n = len(adj)
    disc = np.full(n, -1, dtype=np.int64)
    low = np.zeros(n, dtype=np.int64)
    sub = np.ones(n, dtype=np.int64)
    comp = np.full(n, -1, dtype=np.int64)
    pieces: list[list[int]] = [[] for _ in range(n)]
    comp_sizes: list[int] = []
    timer = 0
    for root in range(n):
        if not alive[root] or disc[root] >= 0:
            continue
        c = len(comp_sizes)
        disc[root] = low[root] = timer
        timer += 1
        comp[root] = c
        size = 1
        stack = [(root, -1, iter(adj[root]))]
        while stack:
            v, parent, it = stack[-1]
            advanced = False
            for w in it:
                if not alive[w]:
                    continue
                if disc[w] < 0:
                    disc[w] = low[w] = timer
                    timer += 1
                    comp[w] = c
                    size += 1
                    stack.append((w, v, iter(adj[w])))
                    advanced = True
                    break
                if w != parent and disc[w] < low[v]:
                    low[v] = disc[w]
            if advanced:
                continue
            stack.pop()
            if parent >= 0:
                sub[parent] += sub[v]
                if low[v] < low[parent]:
                    low[parent] = low[v]
                if low[v] >= disc[parent]:
                    pieces[parent].append(int(sub[v]))
        comp_sizes.append(size)
    sizes = np.asarray(comp_sizes, dtype=np.int64)
    total = int((sizes**2).sum())
    order = np.argsort(-sizes, kind="stable")
    first = int(sizes[order[0]]) if len(sizes) else 0
    second = int(sizes[order[1]]) if len(sizes) > 1 else 0
    ss = np.full(n, -1, dtype=np.int64)
    lcc = np.full(n, -1, dtype=np.int64)
    biggest = int(order[0]) if len(sizes) else -1
    for v in np.flatnonzero(alive).tolist():
        c = int(comp[v])
        size = int(sizes[c])
        parts = pieces[v]
        rest = size - 1 - sum(parts)
        ss[v] = total - size * size + sum(p * p for p in parts) + rest * rest
        other = second if c == biggest else first
        lcc[v] = max(other, rest, max(parts, default=0))
    return ss, lcc, total, first
