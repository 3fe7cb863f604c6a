"""Rings: the communities of the person graph, how stable they are, and what each one is.

A ring is a group of people more densely tied to each other than to the rest of the
network (a community, in network science). :func:`louvain` finds them by maximising
modularity with the Louvain method (Blondel et al. 2008), :func:`leiden` with the Leiden
method (Traag et al. 2019, through the optional ``leidenalg`` package: ``pip install
'netintel[leiden]'`` or ``pip install leidenalg``), which refines Louvain's rings so that
none is internally disconnected; both read tie weights as strengths. :func:`detect_rings`
runs either by name. :func:`ring_stability` reruns the method with other seeds and reports,
for each ring, how much of it reappears (a mean best-match Jaccard index), so an analyst
knows which rings are solid and which are artefacts of one run. :func:`ring_profiles`
describes each ring from the graph and the people's recorded activity: size, leaders,
brokers, places, countries, drugs, seized kg, first and last activity.

References
----------
.. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of
   communities in large networks", Journal of Statistical Mechanics P10008, 2008.
.. [2] M. E. J. Newman, M. Girvan, "Finding and evaluating community structure in
   networks", Physical Review E 69, 026113, 2004.
.. [3] C. Hennig, "Cluster-wise assessment of cluster stability", Computational Statistics &
   Data Analysis 52(1), 258-271, 2007.
.. [4] V. A. Traag, L. Waltman, N. J. van Eck, "From Louvain to Leiden: guaranteeing
   well-connected communities", Scientific Reports 9, 5233, 2019.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable

import igraph as ig
import networkx as nx
import pandas as pd

from netintel.analysis.engine import Prepared, prepare
from netintel.analysis.network.channels import channels_text, group_channels
from netintel.errors import AnalysisError
from netintel.progress import track

__all__ = [
    "ALGORITHMS",
    "PROFILE_COLUMNS",
    "detect_rings",
    "leiden",
    "louvain",
    "ring_profiles",
    "ring_stability",
]

#: Ring detection methods :func:`detect_rings` and :func:`ring_stability` know.
ALGORITHMS = ("louvain", "leiden")

#: The columns of :func:`ring_profiles`, in order.
PROFILE_COLUMNS = (
    "ring", "size", "leaders", "leader_names", "brokers", "broker_names", "places",
    "countries", "drugs", "seizures", "seized_kg", "first_activity", "last_activity",
    "stability", "evidence", "channels",
)  # fmt: skip

LEIDEN_MISSING = (
    "Leiden ring detection needs the optional package leidenalg, which is not "
    "installed: pip install leidenalg (netintel's 'leiden' extra), or use Louvain"
)


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
        :mod:`netintel.analysis.engine`).
    backend : str or None, default None
        Passed to NetworkX's dispatch (NetworkX engine only).

    Returns
    -------
    pandas.DataFrame
        Columns ``person_id, ring``, sorted by ring then person. Rings are numbered 0.. by
        size, largest first, ties broken by their smallest member id; an isolate is a ring
        of its own. ``df.attrs`` records ``engine``, ``seed``, ``resolution`` and ``rings``
        (their number).

    Raises
    ------
    AnalysisError
        If the graph is invalid (see :func:`~netintel.analysis.network.centrality.centrality`) or
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
    >>> df.groupby("ring")["person_id"].apply(list).tolist()
    [[0, 1, 2, 3], [4, 5, 6, 7], [99]]
    """
    _check_resolution(resolution)
    prep = prepare(G, weight=weight, engine=engine, backend=backend)
    return compute_louvain(prep, resolution=resolution, seed=seed)


def compute_louvain(prep: Prepared, *, resolution: float, seed: int | None) -> pd.DataFrame:
    """:func:`louvain` on an already prepared graph (for callers that reuse ``prep``)."""
    groups = _partition(prep, resolution, seed)
    df = _frame(groups)
    df.attrs.update(engine=prep.engine, seed=seed, resolution=resolution, rings=len(groups))
    return df


def leiden(
    G: nx.Graph,
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int | None = None,
    n_iterations: int = -1,
) -> pd.DataFrame:
    """Leiden communities (rings) of the person graph.

    Maximises weighted modularity with the Leiden method (``leidenalg``, on igraph), which
    guarantees that every ring is internally connected, unlike Louvain.

    Parameters
    ----------
    G : networkx.Graph
        The person graph.
    weight : str or None, default "weight"
        Edge attribute read as tie *strength*; ``None``: unweighted.
    resolution : float, default 1.0
        Modularity resolution (``RBConfigurationVertexPartition``): above 1 gives more,
        smaller rings.
    seed : int or None, default None
        Seed of leidenalg's own generator: the same seed gives the same rings.
    n_iterations : int, default -1
        Leiden passes; negative runs until a pass changes nothing.

    Returns
    -------
    pandas.DataFrame
        As :func:`louvain`: ``person_id, ring``, rings numbered by size; ``attrs`` records
        ``algorithm="leiden"``, ``engine="igraph"``, ``seed``, ``resolution``, ``rings``.

    Raises
    ------
    AnalysisError
        If ``leidenalg`` is not installed (the message says how to install it), the graph is
        invalid, or ``resolution <= 0``.

    Examples
    --------
    >>> G = nx.barbell_graph(4, 0)
    >>> G.add_node(99)
    >>> df = leiden(G, seed=1)
    >>> df.groupby("ring")["person_id"].apply(list).tolist()
    [[0, 1, 2, 3], [4, 5, 6, 7], [99]]
    """
    _check_resolution(resolution)
    if isinstance(n_iterations, bool) or not isinstance(n_iterations, int):
        raise AnalysisError(f"n_iterations must be an integer, got {n_iterations!r}")
    _leidenalg()
    prep = prepare(G, weight=weight, engine="igraph")
    return compute_leiden(prep, resolution=resolution, seed=seed, n_iterations=n_iterations)


def compute_leiden(
    prep: Prepared, *, resolution: float, seed: int | None, n_iterations: int = -1
) -> pd.DataFrame:
    """:func:`leiden` on an already prepared graph (for callers that reuse ``prep``)."""
    groups = _leiden_partition(prep, resolution, seed, n_iterations)
    df = _frame(groups)
    df.attrs.update(
        algorithm="leiden", engine="igraph", seed=seed, resolution=resolution, rings=len(groups)
    )
    return df


def detect_rings(
    G: nx.Graph,
    *,
    algorithm: str = "louvain",
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int | None = None,
    engine: str = "auto",
) -> pd.DataFrame:
    """Rings by ``algorithm`` (``"louvain"`` or ``"leiden"``); see :func:`louvain`, :func:`leiden`.

    ``engine`` applies to Louvain only (Leiden always runs on igraph).

    Examples
    --------
    >>> detect_rings(nx.barbell_graph(3, 0), algorithm="louvain", seed=0)["ring"].tolist()
    [0, 0, 0, 1, 1, 1]
    """
    _check_algorithm(algorithm)
    if algorithm == "leiden":
        return leiden(G, weight=weight, resolution=resolution, seed=seed)
    df = louvain(G, weight=weight, resolution=resolution, seed=seed, engine=engine)
    df.attrs["algorithm"] = "louvain"
    return df


def ring_stability(
    G: nx.Graph,
    *,
    runs: int = 10,
    seed: int | None = None,
    weight: str | None = "weight",
    resolution: float = 1.0,
    engine: str = "auto",
    rings: pd.DataFrame | None = None,
    algorithm: str = "louvain",
) -> pd.DataFrame:
    """How well each ring survives reseeded runs (mean best-match Jaccard).

    For each ring ``C`` of the reference partition and each of ``runs`` partitions from other
    seeds, the best match is the highest Jaccard index ``|C & D| / |C | D|`` over that run's
    rings ``D``; the ring's stability is the mean over runs (Hennig 2007 uses the
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
        As for :func:`louvain` (``engine``: Louvain only).
    rings : pandas.DataFrame, optional
        A reference partition (``person_id, ring``) to assess, e.g. the one a ranking used;
        by default ``detect_rings(G, algorithm=algorithm, seed=seed, ...)``.
    algorithm : {"louvain", "leiden"}, default "louvain"
        The method rerun with other seeds.

    Returns
    -------
    pandas.DataFrame
        Columns ``ring, size, stability, worst`` (mean and lowest best-match Jaccard, 0..1;
        1 = the ring reappears whole in every run), sorted by ring.

    Raises
    ------
    AnalysisError
        If the graph is invalid, ``runs < 1``, ``rings`` lacks its columns, or the
        algorithm is unknown (or is Leiden without ``leidenalg``).

    Examples
    --------
    >>> G = nx.barbell_graph(5, 0)
    >>> print(ring_stability(G, runs=3, seed=0).to_string(index=False))
     ring  size  stability  worst
        0     5        1.0    1.0
        1     5        1.0    1.0
    """
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise AnalysisError(f"runs must be an integer >= 1, got {runs!r}")
    _check_resolution(resolution)
    _check_algorithm(algorithm)
    if algorithm == "leiden":
        _leidenalg()
        prep = prepare(G, weight=weight, engine="igraph")

        def run_once(run_seed: int | None) -> list[set[Hashable]]:
            return _leiden_partition(prep, resolution, run_seed, -1)
    else:
        prep = prepare(G, weight=weight, engine=engine)

        def run_once(run_seed: int | None) -> list[set[Hashable]]:
            return _partition(prep, resolution, run_seed)

    if rings is None:
        reference = _frame(run_once(seed))
    else:
        _check_columns(rings, "rings", ("person_id", "ring"))
        reference = rings[["person_id", "ring"]]
    sizes = reference.groupby("ring").size().rename("size")
    rng = random.Random(seed)
    scores = []
    for _ in track(range(runs), label="ring stability: reseeded runs"):
        run = _frame(run_once(rng.randrange(2**31)))
        scores.append(_best_match_jaccard(reference, run))
    table = pd.concat(scores, axis=1).reindex(sizes.index).fillna(0.0)
    out = (
        pd.DataFrame({"size": sizes, "stability": table.mean(axis=1), "worst": table.min(axis=1)})
        .rename_axis("ring")
        .reset_index()
    )
    out.attrs.update(runs=runs, seed=seed, engine=prep.engine, algorithm=algorithm)
    return out


def _check_columns(frame: object, what: str, columns: tuple[str, ...]) -> None:
    """Raise unless ``frame`` is a DataFrame with ``columns`` (``what`` names it)."""
    if not isinstance(frame, pd.DataFrame):
        raise AnalysisError(f"{what} must be a DataFrame, got {type(frame).__name__}")
    missing = set(columns) - set(frame.columns)
    if missing:
        raise AnalysisError(f"{what} frame lacks column(s) {sorted(missing)}")


def _check_resolution(resolution: float) -> None:
    if (
        isinstance(resolution, bool)
        or not isinstance(resolution, int | float)
        or not resolution > 0
    ):
        raise AnalysisError(f"resolution must be > 0, got {resolution!r}")


def _check_algorithm(algorithm: str) -> None:
    if algorithm not in ALGORITHMS:
        raise AnalysisError(
            f"unknown ring detection algorithm {algorithm!r}; use one of {', '.join(ALGORITHMS)}"
        )


def _leidenalg():
    """The ``leidenalg`` module, or :class:`AnalysisError` saying how to install it."""
    try:
        import leidenalg
    except ImportError as e:
        raise AnalysisError(LEIDEN_MISSING) from e
    return leidenalg


def _leiden_partition(
    prep: Prepared, resolution: float, seed: int | None, n_iterations: int
) -> list[set[Hashable]]:
    """One Leiden partition of ``prep`` as a list of sets of node ids."""
    la = _leidenalg()
    g = prep.igraph()
    weights = "strength" if prep.weight is not None else None
    part = la.find_partition(
        g,
        la.RBConfigurationVertexPartition,
        weights=weights,
        resolution_parameter=resolution,
        n_iterations=n_iterations,
        seed=seed,
    )
    groups: dict[int, set[Hashable]] = {}
    for node, c in zip(prep.nodes, part.membership, strict=True):
        groups.setdefault(c, set()).add(node)
    return list(groups.values())


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
    """``person_id, ring`` with rings numbered by size, then smallest member."""
    ordered = sorted(((len(c), min(c), c) for c in groups), key=lambda t: (-t[0], t[1]))
    rows = [(u, i) for i, (_, _, members) in enumerate(ordered) for u in members]
    df = pd.DataFrame(rows, columns=["person_id", "ring"])
    return df.sort_values(["ring", "person_id"], kind="mergesort", ignore_index=True)


def _best_match_jaccard(reference: pd.DataFrame, run: pd.DataFrame) -> pd.Series:
    """For each reference ring, the highest Jaccard index with a ring of ``run``."""
    pairs = reference.merge(run, on="person_id", suffixes=("", "_run"))
    inter = pairs.groupby(["ring", "ring_run"]).size().rename("inter").reset_index()
    inter["a"] = inter["ring"].map(reference.groupby("ring").size())
    inter["b"] = inter["ring_run"].map(run.groupby("ring").size())
    inter["jaccard"] = inter["inter"] / (inter["a"] + inter["b"] - inter["inter"])
    return inter.groupby("ring")["jaccard"].max()


def ring_profiles(
    G: nx.Graph,
    rings: pd.DataFrame,
    *,
    activity: pd.DataFrame | None = None,
    countries: pd.Series | pd.DataFrame | None = None,
    ranking: pd.DataFrame | None = None,
    brokers: pd.DataFrame | None = None,
    stability: pd.DataFrame | None = None,
    top: int = 3,
    min_size: int = 2,
) -> pd.DataFrame:
    """A profile of each ring: who leads it, who brokers for it, where, what, how much, when.

    Parameters
    ----------
    G : networkx.Graph
        The person graph (node ``name``, ``roles``; tie ``sources``, ``first_seen``,
        ``last_seen``).
    rings : pandas.DataFrame
        ``person_id, ring``, e.g. from :func:`detect_rings`.
    activity : pandas.DataFrame, optional
        The people's recorded activity, one row per person and arrest
        (:func:`netintel.project.directed.person_activity`): ``person_id``, ``arrest_id``,
        ``date``, ``province``, ``country``, ``seizure_id``, ``drug``, ``quantity_kg``,
        ``seizure_date``, ``seizure_province``, ``seizure_country`` (missing columns are
        treated as empty).
    countries : Series or DataFrame, optional
        Each person's country (``person_id -> country``, or a frame with ``person_id,
        country``), e.g. from :func:`netintel.project.directed.person_places`.
    ranking : pandas.DataFrame, optional
        A ranked target list (``rank, person_id``) to pick leaders from.
    brokers : pandas.DataFrame, optional
        A brokerage table (``person_id, score``, as from
        :func:`netintel.analysis.network.brokers.brokerage`) to pick each ring's brokers from.
    stability : pandas.DataFrame, optional
        ``ring, stability`` (from :func:`ring_stability`) to show beside each ring.
    top : int, default 3
        Leaders and brokers listed per ring.
    min_size : int, default 2
        Rings smaller than this are left out (an isolate is no ring).

    Returns
    -------
    pandas.DataFrame
        One row per ring, sorted by ``ring``: ``ring, size, leaders,
        leader_names, brokers, broker_names, places, countries, drugs, seizures, seized_kg,
        first_activity, last_activity, stability, evidence, channels``.

        - ``leaders``: members recorded as ``organizer`` first, then the best ranked
          members (by ``ranking``; without it, by weighted degree inside the ring), ``top``
          of them.
        - ``brokers``: the members with the highest positive brokerage ``score``.
        - ``places``: provinces of the members' arrests and of the linked seizures, most
          frequent first; ``countries`` likewise, with the members' own countries.
        - ``drugs``: drug types of the linked seizures, by seized kg then count;
          ``seizures`` counts the distinct seizures; ``seized_kg`` sums them (each once).
        - ``first_activity``, ``last_activity``: ISO dates, the earliest and latest of the
          members' arrests, the linked seizures and the ties inside the ring.
        - ``evidence``: the records behind the ties inside the ring.
        - ``channels``: the channels that evidence came through (land, sea, air, express
          delivery, online; ``"; "``-joined, ``""`` when none says).

    Examples
    --------
    >>> G = nx.barbell_graph(3, 0)
    >>> nx.set_node_attributes(G, {0: {"organizer": 1}}, "roles")
    >>> rings = detect_rings(G, seed=0)
    >>> ring_profiles(G, rings)[["ring", "size", "leaders"]].to_dict("records")
    [{'ring': 0, 'size': 3, 'leaders': [0, 1, 2]}, {'ring': 1, 'size': 3, 'leaders': [3, 4, 5]}]
    """
    _check_columns(rings, "rings", ("person_id", "ring"))
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise AnalysisError(f"top must be an integer >= 1, got {top!r}")
    if isinstance(min_size, bool) or not isinstance(min_size, int):
        raise AnalysisError(f"min_size must be an integer, got {min_size!r}")
    ring_of = dict(zip(rings["person_id"], rings["ring"], strict=True))
    members = rings.groupby("ring")["person_id"].apply(list)
    members = members[members.map(len) >= min_size]
    act = _activity_frame(activity, ring_of)
    country_of = _country_map(countries)
    rank_of = _rank_map(ranking)
    if brokers is not None:
        _check_columns(brokers, "brokers", ("person_id", "score"))
    if stability is not None:
        _check_columns(stability, "stability", ("ring", "stability"))
    broker_score = (
        dict(zip(brokers["person_id"], brokers["score"], strict=True))
        if brokers is not None and len(brokers)
        else {}
    )
    stab = (
        dict(zip(stability["ring"], stability["stability"], strict=True))
        if stability is not None and len(stability)
        else {}
    )
    rows = []
    for c, people in members.items():
        inside = set(people)
        tie_dates, records = [], set()
        strength = dict.fromkeys(people, 0.0)
        for u in people:
            if u not in G:
                continue
            for v, d in G.adj[u].items():
                if v in inside:
                    strength[u] += float(d.get("weight", 1.0))
                    if str(u) < str(v):
                        records.update(d.get("sources") or ())
                        tie_dates += [d.get("first_seen"), d.get("last_seen")]
        names = {u: (G.nodes[u].get("name") or "") if u in G else "" for u in people}

        leaders = sorted(
            people,
            key=lambda u, w=strength: (
                not (((G.nodes[u].get("roles") or {}) if u in G else {}).get("organizer", 0) > 0),
                rank_of.get(u, math.inf),
                -w[u],
                str(u),
            ),
        )[:top]
        ring_brokers = sorted(
            (u for u in people if broker_score.get(u, 0) > 0),
            key=lambda u: (-broker_score[u], str(u)),
        )[:top]
        a = act[act["ring"] == c]
        places = pd.concat([a["province"], a["seizure_province"]]).dropna()
        countries_here = pd.concat(
            [a["country"], a["seizure_country"], pd.Series([country_of.get(u) for u in people])]
        ).dropna()
        seized = a.dropna(subset=["seizure_id"]).drop_duplicates("seizure_id")
        kg = pd.to_numeric(seized["quantity_kg"], errors="coerce")
        drugs = (
            seized.assign(kg=kg.fillna(0.0))
            .dropna(subset=["drug"])
            .groupby("drug")["kg"]
            .agg(["sum", "size"])
            .reset_index()
            .sort_values(["sum", "size", "drug"], ascending=[False, False, True])
        )
        dates = pd.to_datetime(
            pd.concat([a["date"], a["seizure_date"], pd.Series(tie_dates, dtype=object)]),
            errors="coerce",
        ).dropna()
        rows.append(
            {
                "ring": c,
                "size": len(people),
                "leaders": leaders,
                "leader_names": [names[u] for u in leaders],
                "brokers": ring_brokers,
                "broker_names": [names[u] for u in ring_brokers],
                "places": _by_frequency(places),
                "countries": _by_frequency(countries_here),
                "drugs": drugs["drug"].tolist(),
                "seizures": int(seized["seizure_id"].nunique()),
                "seized_kg": round(float(kg.sum()), 6),
                "first_activity": dates.min().date().isoformat() if len(dates) else None,
                "last_activity": dates.max().date().isoformat() if len(dates) else None,
                "stability": stab.get(c, math.nan),
                "evidence": sorted(records, key=str),
                "channels": channels_text(group_channels(G, people)),
            }
        )
    return pd.DataFrame(rows, columns=list(PROFILE_COLUMNS))


_ACTIVITY = [
    "person_id", "arrest_id", "date", "province", "country", "seizure_id", "drug",
    "quantity_kg", "seizure_date", "seizure_province", "seizure_country",
]  # fmt: skip


def _activity_frame(activity: pd.DataFrame | None, ring_of: dict) -> pd.DataFrame:
    a = pd.DataFrame(columns=_ACTIVITY) if activity is None else activity.copy()
    if "person_id" not in a.columns:
        raise AnalysisError("activity frame lacks column 'person_id'")
    for col in _ACTIVITY:
        if col not in a.columns:
            a[col] = None
    a["ring"] = a["person_id"].map(ring_of)
    return a


def _country_map(countries: pd.Series | pd.DataFrame | None) -> dict:
    if countries is None:
        return {}
    if isinstance(countries, pd.DataFrame):
        if not {"person_id", "country"} <= set(countries.columns):
            raise AnalysisError("countries frame needs columns 'person_id' and 'country'")
        countries = countries.set_index("person_id")["country"]
    return {k: v for k, v in countries.items() if isinstance(v, str) and v}


def _rank_map(ranking: pd.DataFrame | None) -> dict:
    if ranking is None or ranking.empty:
        return {}
    if not {"rank", "person_id"} <= set(ranking.columns):
        raise AnalysisError("ranking needs columns 'rank' and 'person_id'")
    return dict(zip(ranking["person_id"], ranking["rank"], strict=True))


def _by_frequency(values: pd.Series) -> list:
    """Distinct values, most frequent first, ties alphabetical."""
    values = values[values.astype(str).str.strip() != ""]
    if values.empty:
        return []
    counts = values.astype(str).value_counts()
    return sorted(counts.index, key=lambda v: (-counts[v], v))
