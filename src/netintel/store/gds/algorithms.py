"""Centrality, rings and components computed by GDS, in the in-process tables' shape.

Each function projects the person graph (:func:`~netintel.store.gds.catalog.projected`),
streams the algorithms it needs, drops the projection, and returns the columns, order,
numbering and rounding of its in-process twin; ``write_back=True`` also writes the results
onto the stored people. What equals the in-process values, and what does not, is in the
notes of :mod:`netintel.store.gds`.
"""

from __future__ import annotations

import math
import warnings
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from netintel.errors import AnalysisError
from netintel.measures import MEASURES, round_significant
from netintel.project import ProjectionSettings
from netintel.resolve.fold import fold_tables
from netintel.store import cypher
from netintel.store.base import GraphStore
from netintel.store.gds.catalog import CONFIGS, WRITE_PROPERTIES, projected, write_properties

__all__ = ["centrality", "communities", "components"]


def _names(store: Any) -> pd.Series:
    """``person_id -> name`` of every resolved person, named as the in-process graph names
    them (:func:`netintel.resolve.fold.fold_tables`)."""
    persons = store._run(cypher.PERSONS, {}, write=False)
    persons["sources"] = [s if isinstance(s, list) else [] for s in persons["sources"]]
    folded = fold_tables({"persons": persons})["persons"]
    return folded.set_index("person_id")["name"]


def _per_component(values: pd.Series, component: pd.Series) -> pd.Series:
    """Eigenvector values rescaled as :func:`netintel.analysis.network.centrality.centrality` does:
    unit length within each connected component, times ``sqrt(size / n)``; pairs
    ``sqrt(1/2)`` each, isolates 0. A component GDS returned all zero (its scores vanished
    beside a larger component's, or all overflowed) is NaN, with a warning."""
    n = len(values)
    frame = pd.DataFrame({"x": values.astype(float), "c": component.reindex(values.index)})
    size = frame.groupby("c")["x"].transform("size")
    norm = np.sqrt((frame["x"] ** 2).groupby(frame["c"]).transform("sum"))
    out = frame["x"] / norm.where(norm > 0)
    out[size == 2] = math.sqrt(0.5)
    out[size == 1] = 0.0
    lost = frame.loc[out.isna(), "c"]
    if len(lost):
        warnings.warn(
            f"GDS eigenvector: no scores for {lost.nunique()} component(s) of 3 or more "
            f"people ({len(lost)} people), left NaN; GDS's power iteration does not normalise "
            "between supersteps, so scores vanish beside a larger component's or overflow; "
            "use the in-process engine for eigenvector centrality",
            stacklevel=3,
        )
    return out * np.sqrt(size / n)


# -- analyses ---------------------------------------------------------------------------------
def _check_k(betweenness_k: int | None) -> None:
    if betweenness_k is not None and (
        isinstance(betweenness_k, bool) or not isinstance(betweenness_k, int) or betweenness_k < 2
    ):
        raise AnalysisError(f"betweenness_k must be an integer >= 2 or None, got {betweenness_k!r}")


def _check_seed(seed: int | None) -> None:
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, Integral)):
        raise AnalysisError(f"seed must be an integer or None, got {seed!r}")


def centrality(
    store: GraphStore,
    *,
    betweenness_k: int | None = None,
    seed: int | None = 0,
    settings: ProjectionSettings | None = None,
    write_back: bool = False,
) -> pd.DataFrame:
    """Degree, strength, betweenness, PageRank, eigenvector and k-core computed by GDS.

    Parameters
    ----------
    store : Neo4jStore
        A Neo4j store whose server has Graph Data Science.
    betweenness_k : int or None, default None
        ``None``: exact betweenness. Else the number of source people GDS samples
        (``samplingSize``, with ``samplingSeed=seed``); a value ``>= n`` is exact.
    seed : int or None, default 0
        Seed of the betweenness source sample.
    settings : ProjectionSettings, optional
        The projection (kind weights, window, half-life, ``max_group``).
    write_back : bool, default False
        Also write every measure to ``netintel_<measure>`` on the stored people (every
        Person of each resolved person); needs a store opened for writing.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`netintel.analysis.network.centrality.centrality` (``person_id``
        and :data:`~netintel.measures.MEASURES`), one row per resolved person, sorted
        by ``pagerank`` descending then ``person_id``; floats rounded to 12 significant
        digits. ``attrs``: ``engine="gds"``, ``gds_version``, ``weight``,
        ``betweenness_k`` (``None`` when exact), ``betweenness_exact``, ``seed``,
        ``eigenvector_weight=None``.

    Raises
    ------
    AnalysisError
        If the store is not Neo4j with GDS, ``betweenness_k`` is not an integer >= 2, or
        ``seed`` is not an integer.

    Notes
    -----
    See the notes of :mod:`netintel.store.gds` for what equals the in-process values. Sampled betweenness: GDS
    draws each source with probability ``degree / max degree``, scanning people in the
    projection's order until ``k`` are drawn (then tops up at random), and sums their
    dependencies once per unordered pair; netintel scales the sum by ``n / k`` and normalises
    it as the exact values. The in-process estimator samples sources uniformly (Brandes &
    Pich 2007) and is unbiased; the GDS one favours well-tied sources and is not.
    """
    _check_k(betweenness_k)
    _check_seed(seed)
    with projected(store, settings) as g:
        n = g.people
        k = None if betweenness_k is None or betweenness_k >= n else betweenness_k
        between = dict(CONFIGS["betweenness"])
        if k is not None:  # one thread: GDS's sample depends on the threads' timing
            between.update(samplingSize=k, samplingSeed=int(seed or 0), concurrency=1)
        values = {
            "degree": g.values("degree"),
            "strength": g.values("degree", CONFIGS["strength"]),
            "betweenness": g.values("betweenness", between),
            "pagerank": g.values("pagerank"),
            "eigenvector": g.values("eigenvector"),
            "kcore": g.values("kcore"),
        }
        component = g.values("wcc")
        version = g.gds_version
    out = pd.DataFrame({"person_id": values["pagerank"].index.astype(object)})
    for m in MEASURES:
        out[m] = values[m].reindex(out["person_id"]).to_numpy()
    out["degree"] = out["degree"].astype("int64")
    out["kcore"] = out["kcore"].astype("int64")
    total = out["pagerank"].sum()
    if total > 0:
        out["pagerank"] = out["pagerank"] / total
    scale = 0.0 if n <= 2 else 2.0 / ((n - 1) * (n - 2))
    if k is not None:
        scale *= n / k
    out["betweenness"] = out["betweenness"] * scale
    out["eigenvector"] = _per_component(
        out.set_index("person_id")["eigenvector"], component
    ).to_numpy()
    for m in ("strength", "betweenness", "pagerank", "eigenvector"):
        out[m] = round_significant(out[m].to_numpy(dtype=float))
    out = out.sort_values(
        ["pagerank", "person_id"], ascending=[False, True], kind="mergesort", ignore_index=True
    )
    out.attrs.update(
        engine="gds",
        gds_version=version,
        backend=None,
        weight="weight",
        betweenness_k=k,
        betweenness_exact=k is None,
        seed=seed,
        eigenvector_weight=None,
    )
    if write_back:
        write_properties(store, out, {m: WRITE_PROPERTIES[m] for m in MEASURES})
    return out


def _numbered(frame: pd.DataFrame, column: str, names: pd.Series) -> pd.DataFrame:
    """Groups renumbered 0.. by size, largest first, ties by smallest member id (as
    :mod:`netintel.analysis.network.rings` numbers rings)."""
    groups = frame.groupby("value")["person_id"]
    order = sorted(
        ((len(members), min(members), key) for key, members in groups), key=lambda t: (-t[0], t[1])
    )
    number = {key: i for i, (_, _, key) in enumerate(order)}
    out = pd.DataFrame(
        {
            "person_id": frame["person_id"].astype(object),
            "name": frame["person_id"].map(names).to_numpy(),
            column: frame["value"].map(number).astype("int64"),
        }
    )
    return out.sort_values([column, "person_id"], kind="mergesort", ignore_index=True)


def communities(
    store: GraphStore,
    *,
    algorithm: str = "louvain",
    seed: int | None = 0,
    resolution: float = 1.0,
    settings: ProjectionSettings | None = None,
    write_back: bool = False,
) -> pd.DataFrame:
    """Rings by GDS Louvain or Leiden, as :func:`netintel.analysis.network.rings.detect_rings`
    returns them (with ``name``).

    Parameters
    ----------
    store : Neo4jStore
    algorithm : {"louvain", "leiden"}
    seed : int or None, default 0
        Leiden's ``randomSeed``. GDS Louvain takes no seed (it runs with ``concurrency: 1``,
        so a run is repeatable).
    resolution : float, default 1.0
        Leiden's ``gamma``. GDS Louvain has no resolution: only 1 is accepted.
    settings : ProjectionSettings, optional
    write_back : bool, default False
        Also write ``netintel_ring`` on the stored people.

    Returns
    -------
    pandas.DataFrame
        ``person_id, name, ring``, rings numbered by size (largest is 0), ties by smallest
        member id. ``attrs``: ``engine="gds"``, ``algorithm``, ``seed``, ``resolution``,
        ``rings`` (how many).

    Raises
    ------
    AnalysisError
        For an unknown algorithm, a resolution that is not a number > 0 (or other than 1
        with Louvain), a seed that is not an integer, or a store that is not Neo4j with GDS.
    """
    if algorithm not in ("louvain", "leiden"):
        raise AnalysisError(f"unknown ring algorithm {algorithm!r}; use louvain or leiden")
    _check_seed(seed)
    if isinstance(resolution, bool) or not isinstance(resolution, Real) or not resolution > 0:
        raise AnalysisError(f"resolution must be a number > 0, got {resolution!r}")
    if algorithm == "louvain" and resolution != 1.0:
        raise AnalysisError(
            f"resolution {resolution!r}: GDS Louvain has none; use algorithm='leiden' (gamma)"
        )
    config = dict(CONFIGS[algorithm])
    if algorithm == "leiden":
        config.update(gamma=float(resolution), randomSeed=int(seed or 0))
    with projected(store, settings) as g:
        raw = g.stream(algorithm, config)
    out = _numbered(raw, "ring", _names(store))
    out.attrs.update(
        engine="gds",
        algorithm=algorithm,
        seed=seed,
        resolution=resolution,
        rings=int(out["ring"].nunique()),
    )
    if write_back:
        write_properties(store, out, {"ring": WRITE_PROPERTIES["ring"]})
    return out


def components(
    store: GraphStore,
    *,
    settings: ProjectionSettings | None = None,
    write_back: bool = False,
) -> pd.DataFrame:
    """Weakly connected components by GDS: ``person_id, name, component`` (largest is 0)."""
    with projected(store, settings) as g:
        raw = g.stream("wcc")
    out = _numbered(raw, "component", _names(store))
    out.attrs.update(engine="gds", components=int(out["component"].nunique()))
    if write_back:
        write_properties(store, out, {"component": WRITE_PROPERTIES["component"]})
    return out
