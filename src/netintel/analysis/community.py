"""Rings: Louvain communities of the person graph, and how stable they are across seeds.

A ring is a group of people more densely tied to each other than to the rest of the
network. :func:`louvain` finds them by maximising modularity with the Louvain method
(Blondel et al. 2008), reading tie weights as strengths; :func:`stability` reruns it with other
seeds and reports, for each ring, how much of it reappears (a mean best-match Jaccard index),
so an analyst knows which rings are solid and which are artefacts of one run.

References
----------
.. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of
   communities in large networks", Journal of Statistical Mechanics P10008, 2008.
.. [2] M. E. J. Newman, M. Girvan, "Finding and evaluating community structure in
   networks", Physical Review E 69, 026113, 2004.
.. [3] C. Hennig, "Cluster-wise assessment of cluster stability", Computational Statistics &
   Data Analysis 52(1), 258-271, 2007.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable

import igraph as ig
import networkx as nx
import pandas as pd

from netintel.analysis._engine import Prepared, prepare
from netintel.errors import AnalysisError

__all__ = ["louvain", "stability"]


def louvain(
    G: nx.Graph,
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int | None = None,
    engine: str = "auto",
    backend: str | None = None,
) -> pd.DataFrame:
    """Louvain communities (rings) of the person graph.

    Parameters
    ----------
    G : networkx.Graph
        The person graph.
    weight : str or None, default "weight"
        Edge attribute read as tie *strength* (weighted modularity); ``None``: unweighted.
    resolution : float, default 1.0
        Modularity resolution: above 1 gives more, smaller rings; below 1 fewer, larger ones.
    seed : int or None, default None
        Seed of the node visiting order. The same seed gives the same rings on one engine.
    engine : {"auto", "networkx", "igraph"}, default "auto"
        ``"networkx"``: :func:`networkx.community.louvain_communities`; ``"igraph"``:
        :meth:`igraph.Graph.community_multilevel`; ``"auto"``: by graph size (see
        :mod:`netintel.analysis._engine`).
    backend : str or None, default None
        Passed to NetworkX's dispatch (NetworkX engine only).

    Returns
    -------
    pandas.DataFrame
        Columns ``person_id, community``, sorted by community then person. Communities are
        numbered 0.. by size, largest first, ties broken by their smallest member id; an
        isolate is a ring of its own. ``df.attrs`` records ``engine``, ``seed``,
        ``resolution`` and ``communities`` (their number).

    Raises
    ------
    AnalysisError
        If the graph is invalid (see :func:`~netintel.analysis.centrality.centrality`) or
        ``resolution <= 0``.

    Notes
    -----
    igraph's multilevel method takes no seed argument; it draws its random numbers from the
    generator set with :func:`igraph.set_random_number_generator`. This function installs
    ``random.Random(seed)`` there for the duration of the call and then restores igraph's
    default (the :mod:`random` module), so it is deterministic for a seed but not safe to run
    concurrently with other igraph calls in threads. With ``seed=None`` igraph's current
    generator is left alone. The two engines give equally good but not identical rings.

    Examples
    --------
    >>> G = nx.barbell_graph(4, 0)  # two 4-cliques joined by one tie
    >>> G.add_node(99)               # an isolate
    >>> df = louvain(G, seed=1)
    >>> df.groupby("community")["person_id"].apply(list).tolist()
    [[0, 1, 2, 3], [4, 5, 6, 7], [99]]
    """
    _check_resolution(resolution)
    prep = prepare(G, weight=weight, engine=engine, backend=backend)
    return compute_louvain(prep, resolution=resolution, seed=seed)


def compute_louvain(prep: Prepared, *, resolution: float, seed: int | None) -> pd.DataFrame:
    """:func:`louvain` on an already prepared graph (for callers that reuse ``prep``)."""
    groups = _partition(prep, resolution, seed)
    df = _frame(groups)
    df.attrs.update(engine=prep.engine, seed=seed, resolution=resolution, communities=len(groups))
    return df


def stability(
    G: nx.Graph,
    *,
    runs: int = 10,
    seed: int | None = None,
    weight: str | None = "weight",
    resolution: float = 1.0,
    engine: str = "auto",
    communities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How well each ring survives reseeded Louvain runs (mean best-match Jaccard).

    For each community ``C`` of the reference partition and each of ``runs`` partitions from
    other seeds, the best match is the highest Jaccard index ``|C & D| / |C | D|`` over that
    run's communities ``D``; the ring's stability is the mean over runs (Hennig 2007 uses the
    same cluster-wise Jaccard with bootstrap resampling instead of reseeding).

    Parameters
    ----------
    G : networkx.Graph
        The person graph.
    runs : int, default 10
        Number of reseeded runs (>= 1).
    seed : int or None, default None
        Seed of the reference run; the runs' seeds are drawn from ``random.Random(seed)``.
    weight, resolution, engine
        As for :func:`louvain`.
    communities : pandas.DataFrame, optional
        A reference partition (``person_id, community``) to assess, e.g. the one a ranking
        used; by default ``louvain(G, seed=seed, ...)``.

    Returns
    -------
    pandas.DataFrame
        Columns ``community, size, stability, worst`` (mean and lowest best-match Jaccard,
        0..1; 1 = the ring reappears whole in every run), sorted by community.

    Raises
    ------
    AnalysisError
        If the graph is invalid, ``runs < 1``, or ``communities`` lacks its columns.

    Examples
    --------
    >>> G = nx.barbell_graph(5, 0)
    >>> print(stability(G, runs=3, seed=0).to_string(index=False))
     community  size  stability  worst
             0     5        1.0    1.0
             1     5        1.0    1.0
    """
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise AnalysisError(f"runs must be an integer >= 1, got {runs!r}")
    _check_resolution(resolution)
    prep = prepare(G, weight=weight, engine=engine)
    if communities is None:
        reference = compute_louvain(prep, resolution=resolution, seed=seed)
    else:
        missing = {"person_id", "community"} - set(communities.columns)
        if missing:
            raise AnalysisError(f"communities frame lacks column(s) {sorted(missing)}")
        reference = communities[["person_id", "community"]]
    sizes = reference.groupby("community").size().rename("size")
    rng = random.Random(seed)
    scores = []
    for _ in range(runs):
        run = _frame(_partition(prep, resolution, rng.randrange(2**31)))
        scores.append(_best_match_jaccard(reference, run))
    table = pd.concat(scores, axis=1).reindex(sizes.index).fillna(0.0)
    out = (
        pd.DataFrame({"size": sizes, "stability": table.mean(axis=1), "worst": table.min(axis=1)})
        .rename_axis("community")
        .reset_index()
    )
    out.attrs.update(runs=runs, seed=seed, engine=prep.engine)
    return out


def _check_resolution(resolution: float) -> None:
    if not resolution > 0:
        raise AnalysisError(f"resolution must be > 0, got {resolution!r}")


def _partition(prep: Prepared, resolution: float, seed: int | None) -> list[set[Hashable]]:
    """One Louvain partition of ``prep`` as a list of sets of node ids."""
    if prep.engine == "networkx":
        return nx.community.louvain_communities(
            prep.G, weight=prep.weight, resolution=resolution, seed=seed, backend=prep.backend
        )
    g = prep.igraph()
    if seed is not None:
        ig.set_random_number_generator(random.Random(seed))
    try:
        membership = g.community_multilevel(weights="strength", resolution=resolution).membership
    finally:
        if seed is not None:
            ig.set_random_number_generator(random)
    groups: dict[int, set[Hashable]] = {}
    for node, c in zip(prep.nodes, membership, strict=True):
        groups.setdefault(c, set()).add(node)
    return list(groups.values())


def _frame(groups: Iterable[set[Hashable]]) -> pd.DataFrame:
    """``person_id, community`` with communities numbered by size, then smallest member."""
    ordered = sorted(((len(c), min(c), c) for c in groups), key=lambda t: (-t[0], t[1]))
    rows = [(u, i) for i, (_, _, members) in enumerate(ordered) for u in members]
    df = pd.DataFrame(rows, columns=["person_id", "community"])
    return df.sort_values(["community", "person_id"], kind="mergesort", ignore_index=True)


def _best_match_jaccard(reference: pd.DataFrame, run: pd.DataFrame) -> pd.Series:
    """For each reference community, the highest Jaccard index with a community of ``run``."""
    pairs = reference.merge(run, on="person_id", suffixes=("", "_run"))
    inter = pairs.groupby(["community", "community_run"]).size().rename("inter").reset_index()
    inter["a"] = inter["community"].map(reference.groupby("community").size())
    inter["b"] = inter["community_run"].map(run.groupby("community").size())
    inter["jaccard"] = inter["inter"] / (inter["a"] + inter["b"] - inter["inter"])
    return inter.groupby("community")["jaccard"].max()
