"""Hidden ties: which people are probably tied, though no record shows it yet.

Records miss ties: a phone nobody tapped, a meeting nobody saw. :class:`LinkPredictor`
learns, from the ties the records *do* show, what a tie looks like, and scores the pairs of
people who are not (yet) tied. It follows the protocol of Berlusconi et al. (2016) for
criminal networks: hide a share of the observed ties, compute similarity features of pairs
on what is left, and see whether the hidden ties score above pairs with no tie. Here the
features feed a scikit-learn classifier, trained on exactly that task, instead of being used
one at a time.

Features of a pair ``(u, v)``
-----------------------------
Topology (on the person graph, every tie counted once, whatever its strength, except
``weighted_common``):

``common_neighbours``        people tied to both (Liben-Nowell & Kleinberg 2007)
``jaccard``                  common neighbours / people tied to either
``adamic_adar``              sum over common neighbours ``w`` of ``1 / log(deg w)`` (Adamic &
                             Adar 2003): a shared contact who knows few people says more
``resource_allocation``      sum of ``1 / deg w`` (Zhou, Lü & Zhang 2009)
``preferential_attachment``  ``deg u * deg v``
``katz``                     ``sum_l beta^l (A^l)_uv``, walks of every length, damped (Katz
                             1953). Exact, ``(I - beta A)^-1 - I``, up to
                             :data:`KATZ_EXACT_MAX_NODES` people; above, truncated at walks of
                             :data:`KATZ_TRUNCATED_LENGTH` ties. ``beta`` defaults to
                             ``0.5 / lambda_max`` (half the radius of convergence).
``weighted_common``          sum over common neighbours of the weaker of the two ties' strengths
``same_ring``                1 when Louvain puts both in one ring
                             (:func:`netintel.analysis.community.louvain`)

Co-occurrence (from record tables the caller gathers from the store, see
:meth:`netintel.Workspace.suggest_links`):

``same_place_time``          pairs of *different* events (arrests or seizures) of the two in the
                             same province within ``window_days`` days
``shared_contacts``          third phones both were in contact with (both called, or were
                             called by, the same number that neither of them uses)
``shared_vehicles``          vehicles recorded with both

Training (:meth:`LinkPredictor.fit`)
------------------------------------
A seeded ``holdout`` share of the ties is hidden; the hidden ties are the positives and
``negatives`` times as many pairs with no tie, drawn uniformly, the negatives (the protocol of
Berlusconi et al.: missing ties against non-existent ones). ``near_negatives`` draws a share
of them two steps apart instead, the hard cases of a suggestion list; on the synthetic
benchmark and on the five real networks this lowered both the cross-validated AUC and the
rank of the planted hidden ties, so it is off by default. Features are computed on the graph without the hidden ties (rings included), so
nothing of a hidden tie leaks into its own features. The model is a
:class:`sklearn.pipeline.Pipeline`: ``log1p`` of the (heavy-tailed, non-negative) features,
standard scaling, then a logistic regression (``model="logistic"``, coefficients readable as
importances) or a random forest (``model="forest"``). Stratified ``cv``-fold cross-validation
on the training pairs reports ROC AUC and average precision per fold (:attr:`cv_`).

Suggestions are then scored on the whole graph: candidates are the untied pairs within
``max_hops`` ties of each other plus every co-occurrence pair, never all ``n^2`` pairs.
``probability`` is the classifier's estimate for a pair drawn like its training pairs (one
tie to ``negatives`` non-ties); it orders suggestions well, but it is not the chance that a
random untied pair is tied, which is far lower.

References
----------
.. [1] G. Berlusconi, F. Calderoni, N. Parolini, M. Verani, C. Piccardi, "Link prediction in
   criminal networks: a tool for criminal intelligence analysis", PLoS ONE 11(4):
   e0154244, 2016.
.. [2] D. Liben-Nowell, J. Kleinberg, "The link-prediction problem for social networks",
   JASIST 58(7), 1019-1031, 2007.
.. [3] L. A. Adamic, E. Adar, "Friends and neighbors on the Web", Social Networks 25(3),
   211-230, 2003.
.. [4] T. Zhou, L. Lü, Y.-C. Zhang, "Predicting missing links via local information",
   European Physical Journal B 71, 623-630, 2009.
.. [5] L. Katz, "A new status index derived from sociometric analysis", Psychometrika 18,
   39-43, 1953.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from netintel.analysis.community import louvain
from netintel.errors import AnalysisError

__all__ = [
    "COOCCURRENCE_COLUMNS",
    "FEATURES",
    "KATZ_EXACT_MAX_NODES",
    "KATZ_TRUNCATED_LENGTH",
    "SUGGESTION_COLUMNS",
    "LinkPredictor",
    "cooccurrence_pairs",
    "katz_index",
    "pair_features",
    "suggest_links",
]

#: Feature columns, in model order.
FEATURES = (
    "common_neighbours",
    "jaccard",
    "adamic_adar",
    "resource_allocation",
    "preferential_attachment",
    "katz",
    "weighted_common",
    "same_ring",
    "same_place_time",
    "shared_contacts",
    "shared_vehicles",
)

#: Columns each co-occurrence table needs (``sources``: the record ids behind the row).
COOCCURRENCE_COLUMNS = {
    "events": ("person_id", "event", "place", "date", "sources"),
    "contacts": ("person_id", "phone", "sources"),
    "vehicles": ("person_id", "vehicle", "sources"),
}

#: Columns of the suggestion table, in order.
SUGGESTION_COLUMNS = (
    "rank", "person_id_a", "name_a", "person_id_b", "name_b", "probability", *FEATURES,
    "common", "explanation", "evidence", "evidence_count",
)  # fmt: skip

#: Katz is exact (a dense inverse) up to this many people.
KATZ_EXACT_MAX_NODES = 2_000
#: Longest walk the truncated Katz index counts on larger graphs.
KATZ_TRUNCATED_LENGTH = 3

_COOC_KIND = {
    "events": "same_place_time",
    "contacts": "shared_contacts",
    "vehicles": "shared_vehicles",
}


# -- topology ---------------------------------------------------------------------------------
class _Topology:
    """Sparse adjacency of a graph over a fixed node order, and per-pair features on it.

    Private: assumes ``nodes`` covers ``G`` and weights are valid strengths.
    """

    def __init__(
        self,
        G: nx.Graph,
        nodes: Sequence[Hashable],
        index: Mapping[Hashable, int],
        *,
        katz_beta: float | None,
        katz_max_length: int | None,
        seed: int | None,
    ) -> None:
        n = len(nodes)
        rows, cols, w = [], [], []
        for u, v, s in G.edges(data="weight", default=1.0):
            if u == v:
                continue
            i, j = index[u], index[v]
            rows += [i, j]
            cols += [j, i]
            w += [float(s), float(s)]
        self.n = n
        self.W = sp.csr_matrix((w, (rows, cols)), shape=(n, n), dtype=float)
        self.A = self.W.copy()
        self.A.data[:] = 1.0
        self.deg = np.asarray(self.A.sum(axis=1)).ravel()
        with np.errstate(divide="ignore"):
            self.inv_log = np.where(self.deg > 1, 1.0 / np.log(np.maximum(self.deg, 2)), 0.0)
            self.inv = np.where(self.deg > 0, 1.0 / np.maximum(self.deg, 1), 0.0)
        self.beta, self.katz_exact, self.katz_length = _katz_setup(
            self.A, katz_beta, katz_max_length
        )
        self._katz: NDArray[np.float64] | None = None
        self.ring = _rings(G, nodes, index, seed)

    def features(self, i: NDArray[np.int64], j: NDArray[np.int64]) -> dict[str, NDArray]:
        A, W = self.A, self.W
        common = A[i].multiply(A[j]).tocsr()
        cn = np.asarray(common.sum(axis=1)).ravel()
        union = self.deg[i] + self.deg[j] - cn
        return {
            "common_neighbours": cn,
            "jaccard": np.divide(cn, union, out=np.zeros_like(cn), where=union > 0),
            "adamic_adar": common @ self.inv_log,
            "resource_allocation": common @ self.inv,
            "preferential_attachment": self.deg[i] * self.deg[j],
            "katz": self.katz(i, j),
            "weighted_common": np.asarray(W[i].minimum(W[j]).sum(axis=1)).ravel(),
            "same_ring": (self.ring[i] == self.ring[j]).astype(float),
        }

    def katz(self, i: NDArray[np.int64], j: NDArray[np.int64]) -> NDArray[np.float64]:
        if self.katz_exact:
            if self._katz is None:
                self._katz = _katz_exact(self.A, self.beta)
            return self._katz[i, j]
        return _katz_truncated(self.A, i, j, self.beta, self.katz_length)


def _katz_setup(
    A: sp.csr_matrix, beta: float | None, max_length: int | None
) -> tuple[float, bool, int]:
    n = A.shape[0]
    exact = max_length is None and n <= KATZ_EXACT_MAX_NODES
    length = KATZ_TRUNCATED_LENGTH if max_length is None else int(max_length)
    if length < 1:
        raise AnalysisError(f"katz_max_length must be >= 1 or None, got {max_length!r}")
    lam = _largest_eigenvalue(A)
    if beta is None:
        beta = 0.5 / lam if lam > 0 else 0.5
    if not (isinstance(beta, int | float) and beta > 0):
        raise AnalysisError(f"katz_beta must be a number > 0, got {beta!r}")
    if exact and lam > 0 and beta * lam >= 1.0:
        raise AnalysisError(
            f"katz_beta {beta:g} is not below 1 / lambda_max = {1 / lam:g}: the exact Katz "
            "series does not converge; lower it or give katz_max_length for the truncated sum"
        )
    return float(beta), exact, length


def _largest_eigenvalue(A: sp.csr_matrix) -> float:
    n = A.shape[0]
    if A.nnz == 0:
        return 0.0
    if n <= KATZ_EXACT_MAX_NODES:
        return float(np.linalg.eigvalsh(A.toarray())[-1])
    from scipy.sparse.linalg import eigsh

    return float(eigsh(A.astype(float), k=1, which="LA", return_eigenvectors=False)[0])


def _katz_exact(A: sp.csr_matrix, beta: float) -> NDArray[np.float64]:
    n = A.shape[0]
    return np.linalg.inv(np.eye(n) - beta * A.toarray()) - np.eye(n)


def _katz_truncated(
    A: sp.csr_matrix, i: NDArray[np.int64], j: NDArray[np.int64], beta: float, length: int
) -> NDArray[np.float64]:
    """``sum_{l=1..length} beta^l (A^l)_ij`` per pair: walks of length ``a + b`` counted as the
    dot product of the rows ``e_i A^a`` and ``e_j A^b`` (no n x n power is ever formed)."""
    out = np.zeros(len(i))
    chunk = 4096
    half = (length + 1) // 2
    for s in range(0, len(i), chunk):
        ii, jj = i[s : s + chunk], j[s : s + chunk]
        eye = sp.identity(A.shape[0], format="csr")
        left, right = [eye[ii]], [eye[jj]]
        for _ in range(half):
            left.append(left[-1] @ A)
            right.append(right[-1] @ A)
        for ell in range(1, length + 1):
            a, b = (ell + 1) // 2, ell // 2
            walks = np.asarray(left[a].multiply(right[b]).sum(axis=1)).ravel()
            out[s : s + chunk] += beta**ell * walks
    return out


def _rings(
    G: nx.Graph, nodes: Sequence[Hashable], index: Mapping[Hashable, int], seed: int | None
) -> NDArray[np.int64]:
    ring = np.arange(len(nodes), dtype=np.int64) + 10**9  # isolates: rings of their own
    if G.number_of_edges() == 0:
        return ring
    rings = louvain(G, seed=seed)
    for pid, c in zip(rings["person_id"], rings["community"], strict=True):
        ring[index[pid]] = int(c)
    return ring


def katz_index(
    G: nx.Graph,
    pairs: Sequence[tuple[Hashable, Hashable]],
    *,
    beta: float | None = None,
    max_length: int | None = None,
) -> NDArray[np.float64]:
    """The Katz index of each pair: ``sum_{l>=1} beta^l`` times the number of walks of length
    ``l`` between the two.

    Parameters
    ----------
    G : networkx.Graph
    pairs : sequence of (u, v)
    beta : float, optional
        Damping per step; default ``0.5 / lambda_max`` (``lambda_max``: the largest adjacency
        eigenvalue). The exact sum needs ``beta < 1 / lambda_max``.
    max_length : int, optional
        Count walks up to this many ties only. ``None``: exact, ``(I - beta A)^-1 - I``, on
        graphs up to :data:`KATZ_EXACT_MAX_NODES` people, truncated at
        :data:`KATZ_TRUNCATED_LENGTH` above.

    Examples
    --------
    >>> G = nx.path_graph(4)
    >>> katz_index(G, [(0, 2), (0, 3)], beta=0.1, max_length=3).round(6).tolist()
    [0.01, 0.001]
    >>> katz_index(G, [(0, 2), (0, 3)], beta=0.1).round(6).tolist()  # exact
    [0.010308, 0.001031]
    """
    nodes = list(G)
    index = {u: k for k, u in enumerate(nodes)}
    topo = _Topology(G, nodes, index, katz_beta=beta, katz_max_length=max_length, seed=0)
    i, j = _pair_index(pairs, index)
    return topo.katz(i, j)


def _pair_index(
    pairs: Sequence[tuple[Hashable, Hashable]], index: Mapping[Hashable, int]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    try:
        i = np.fromiter((index[u] for u, _ in pairs), dtype=np.int64, count=len(pairs))
        j = np.fromiter((index[v] for _, v in pairs), dtype=np.int64, count=len(pairs))
    except KeyError as e:
        raise AnalysisError(f"person {e.args[0]!r} is not in the graph") from None
    return i, j


# -- co-occurrence ----------------------------------------------------------------------------
def cooccurrence_pairs(
    cooccurrence: Mapping[str, pd.DataFrame] | None,
    *,
    window_days: int = 30,
    max_group: int = 50,
) -> pd.DataFrame:
    """Pairs of people who co-occur in the records, one row per shared thing.

    Parameters
    ----------
    cooccurrence : mapping of str to DataFrame, optional
        Any of ``events`` (``person_id, event, place, date, sources``: an arrest or seizure
        the person was involved in, ``place`` its province), ``contacts`` (``person_id,
        phone, sources``: a phone the person was in contact with, not their own) and
        ``vehicles`` (``person_id, vehicle, sources``); see :data:`COOCCURRENCE_COLUMNS`.
    window_days : int, default 30
        Two events count as together when in one place at most this many days apart.
    max_group : int, default 50
        Phones, vehicles and place-and-time windows shared by more people are skipped
        (a switchboard number says nothing about who works with whom).

    Returns
    -------
    pandas.DataFrame
        ``u, v, kind, key, detail, sources`` with ``u < v`` (as text) and ``kind`` one of
        ``same_place_time``, ``shared_contacts``, ``shared_vehicles``.

    Raises
    ------
    AnalysisError
        If a table lacks a column, or ``window_days < 0``.

    Examples
    --------
    >>> events = pd.DataFrame({"person_id": ["a", "b", "c"], "event": ["S1", "S2", "S3"],
    ...     "place": ["vn/nghe an"] * 3, "date": ["2023-01-01", "2023-01-20", "2023-06-01"],
    ...     "sources": [["ARR-1"], ["ARR-2"], ["ARR-3"]]})
    >>> contacts = pd.DataFrame({"person_id": ["a", "c"], "phone": ["+8491", "+8491"],
    ...     "sources": [["COM-1"], ["COM-2"]]})
    >>> pairs = cooccurrence_pairs({"events": events, "contacts": contacts})
    >>> pairs[["u", "v", "kind", "sources"]].values.tolist()
    [['a', 'b', 'same_place_time', ['ARR-1', 'ARR-2']], ['a', 'c', 'shared_contacts', ['COM-1', 'COM-2']]]
    """
    out = []
    if window_days < 0:
        raise AnalysisError(f"window_days must be >= 0, got {window_days!r}")
    for name, frame in (cooccurrence or {}).items():
        if name not in COOCCURRENCE_COLUMNS:
            raise AnalysisError(
                f"unknown co-occurrence table {name!r}; use {', '.join(COOCCURRENCE_COLUMNS)}"
            )
        missing = set(COOCCURRENCE_COLUMNS[name]) - set(frame.columns)
        if missing:
            raise AnalysisError(f"co-occurrence table {name!r} lacks column(s) {sorted(missing)}")
        if frame.empty:
            continue
        if name == "events":
            out.append(_event_pairs(frame, window_days, max_group))
        else:
            key = "phone" if name == "contacts" else "vehicle"
            out.append(_shared_pairs(frame, key, _COOC_KIND[name], max_group))
    cols = ["u", "v", "kind", "key", "detail", "sources"]
    out = [f for f in out if not f.empty]
    if not out:
        return pd.DataFrame(columns=cols)
    pairs = pd.concat(out, ignore_index=True)[cols]
    return pairs.sort_values(["u", "v", "kind", "key"], kind="mergesort", ignore_index=True)


def _sources(value: object) -> list:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple | np.ndarray):
        return list(value)
    return []


def _ordered(a: pd.Series, b: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Pairs as (u, v) with str(u) < str(v), dropping u == v; the mask of kept rows."""
    sa, sb = a.astype(str), b.astype(str)
    keep = sa != sb
    swap = sa > sb
    u = a.where(~swap, b)
    v = b.where(~swap, a)
    return u[keep], v[keep], keep


def _shared_pairs(frame: pd.DataFrame, key: str, kind: str, max_group: int) -> pd.DataFrame:
    f = frame[["person_id", key, "sources"]].dropna(subset=["person_id", key]).copy()
    f["sources"] = f["sources"].map(_sources)
    f = f.groupby(["person_id", key], sort=True)["sources"].sum().reset_index()
    size = f.groupby(key)["person_id"].transform("size")
    f = f[(size > 1) & (size <= max_group)]
    m = f.merge(f, on=key, suffixes=("_a", "_b"))
    u, v, keep = _ordered(m["person_id_a"], m["person_id_b"])
    m = m[keep]
    return pd.DataFrame(
        {
            "u": u.to_numpy(),
            "v": v.to_numpy(),
            "kind": kind,
            "key": m[key].astype(str).to_numpy(),
            "detail": m[key].astype(str).to_numpy(),
            "sources": [
                sorted(set(a + b)) for a, b in zip(m["sources_a"], m["sources_b"], strict=True)
            ],
        }
    ).drop_duplicates(["u", "v", "key"])


def _event_pairs(frame: pd.DataFrame, window_days: int, max_group: int) -> pd.DataFrame:
    f = frame[["person_id", "event", "place", "date", "sources"]].copy()
    f["date"] = pd.to_datetime(f["date"], errors="coerce")
    f = f.dropna(subset=["person_id", "event", "place", "date"])
    if f.empty:
        return pd.DataFrame()
    f["sources"] = f["sources"].map(_sources)
    width = max(window_days, 1)
    f["bin"] = (f["date"] - pd.Timestamp("1970-01-01")).dt.days // width
    size = f.groupby(["place", "bin"])["person_id"].transform("nunique")
    f = f[size <= max_group]
    nxt = f.assign(bin=f["bin"] - 1)  # pairs one bin apart meet here
    m = pd.concat(
        [f.merge(f, on=["place", "bin"], suffixes=("_a", "_b")),
         f.merge(nxt, on=["place", "bin"], suffixes=("_a", "_b"))],
        ignore_index=True,
    )  # fmt: skip
    days = (m["date_a"] - m["date_b"]).abs().dt.days
    close = (days <= window_days) & (m["event_a"] != m["event_b"])
    m, days = m[close], days[close]
    u, v, keep = _ordered(m["person_id_a"], m["person_id_b"])
    m, days = m[keep], days[keep]
    swap = (m["person_id_a"].astype(str) > m["person_id_b"].astype(str)).to_numpy()
    ea = np.where(swap, m["event_b"], m["event_a"])
    eb = np.where(swap, m["event_a"], m["event_b"])
    da = np.where(swap, m["date_b"], m["date_a"])
    db = np.where(swap, m["date_a"], m["date_b"])
    out = pd.DataFrame(
        {
            "u": u.to_numpy(),
            "v": v.to_numpy(),
            "kind": "same_place_time",
            "key": [f"{a}|{b}" for a, b in zip(ea, eb, strict=True)],
            "detail": [
                f"{p} {pd.Timestamp(x).date()} and {pd.Timestamp(y).date()}"
                for p, x, y in zip(m["place"], da, db, strict=True)
            ],
            "sources": [
                sorted(set(a + b)) for a, b in zip(m["sources_a"], m["sources_b"], strict=True)
            ],
            "days": days.to_numpy(),
        }
    )
    return out.drop_duplicates(["u", "v", "key"])


def _cooc_counts(
    pairs: pd.DataFrame, index: Mapping[Hashable, int], n: int
) -> dict[str, dict[int, float]]:
    """kind -> {pair code -> number of distinct shared things}, for people in ``index``."""
    counts: dict[str, dict[int, float]] = {k: {} for k in _COOC_KIND.values()}
    if pairs.empty:
        return counts
    known = pairs["u"].isin(index.keys()) & pairs["v"].isin(index.keys())
    p = pairs[known]
    codes = _codes(p["u"].map(index).to_numpy(), p["v"].map(index).to_numpy(), n)
    per = pd.DataFrame({"code": codes, "kind": p["kind"].to_numpy()})
    for (kind, code), c in per.groupby(["kind", "code"]).size().items():
        counts[kind][int(code)] = float(c)
    return counts


def _codes(i: NDArray[np.int64], j: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    return lo.astype(np.int64) * n + hi


# -- features -----------------------------------------------------------------------------------
def _feature_frame(
    topo: _Topology,
    i: NDArray[np.int64],
    j: NDArray[np.int64],
    cooc: Mapping[str, Mapping[int, float]],
) -> pd.DataFrame:
    feats = topo.features(i, j)
    codes = _codes(i, j, topo.n)
    for kind, lookup in cooc.items():
        feats[kind] = np.fromiter((lookup.get(int(c), 0.0) for c in codes), float, len(codes))
    return pd.DataFrame({f: np.asarray(feats[f], dtype=float) for f in FEATURES})


def pair_features(
    G: nx.Graph,
    pairs: Sequence[tuple[Hashable, Hashable]],
    *,
    cooccurrence: Mapping[str, pd.DataFrame] | None = None,
    window_days: int = 30,
    max_group: int = 50,
    katz_beta: float | None = None,
    katz_max_length: int | None = None,
    seed: int | None = 0,
) -> pd.DataFrame:
    """The :data:`FEATURES` of each pair, on ``G`` as it is.

    Parameters
    ----------
    G : networkx.Graph
        The person graph.
    pairs : sequence of (u, v)
        People of ``G``.
    cooccurrence, window_days, max_group
        As for :func:`cooccurrence_pairs`.
    katz_beta, katz_max_length
        As ``beta`` and ``max_length`` of :func:`katz_index`.
    seed : int or None, default 0
        Seed of Louvain (``same_ring``).

    Returns
    -------
    pandas.DataFrame
        ``u, v`` and one column per feature, in the order of ``pairs``.

    Examples
    --------
    >>> G = nx.Graph([("a", "x"), ("b", "x"), ("a", "y"), ("b", "y"), ("y", "z")])
    >>> f = pair_features(G, [("a", "b")])
    >>> f[["common_neighbours", "jaccard", "resource_allocation"]].values.tolist()
    [[2.0, 1.0, 0.8333333333333333]]
    >>> round(float(f.loc[0, "adamic_adar"]), 4)  # 1/ln 2 + 1/ln 3
    2.3529
    """
    nodes = list(G)
    index = {u: k for k, u in enumerate(nodes)}
    i, j = _pair_index(pairs, index)
    topo = _Topology(
        G, nodes, index, katz_beta=katz_beta, katz_max_length=katz_max_length, seed=seed
    )
    cooc = _cooc_counts(
        cooccurrence_pairs(cooccurrence, window_days=window_days, max_group=max_group),
        index,
        len(nodes),
    )
    frame = _feature_frame(topo, i, j, cooc)
    frame.insert(0, "v", [nodes[k] for k in j])
    frame.insert(0, "u", [nodes[k] for k in i])
    return frame


# -- the estimator --------------------------------------------------------------------------------
@dataclass
class _Scored:
    """Candidate pairs of the whole graph, as node indices, with features and probability."""

    i: NDArray[np.int64]
    j: NDArray[np.int64]
    features: pd.DataFrame
    probability: NDArray[np.float64]


class LinkPredictor:
    """Learn what a tie looks like from the observed ties; score untied pairs.

    Parameters
    ----------
    holdout : float, default 0.2
        Share of the ties hidden to make the positive training pairs (0 < holdout < 1).
    negatives : float, default 3.0
        Untied training pairs per hidden tie (see the module).
    near_negatives : float, default 0.0
        Share of them drawn two steps apart rather than uniformly (0..1).
    model : {"logistic", "forest"}, default "logistic"
    max_hops : {2, 3}, default 2
        Suggestion candidates: untied pairs at most this many ties apart, plus every
        co-occurrence pair.
    max_candidates : int, default 2,000,000
        Above this many near pairs, the ones with the most common neighbours are kept (with
        a warning).
    cv : int, default 5
        Folds of the stratified cross-validation of :attr:`cv_`.
    window_days, max_group
        As for :func:`cooccurrence_pairs`.
    katz_beta, katz_max_length
        As ``beta`` and ``max_length`` of :func:`katz_index`.
    seed : int or None, default 0
        Seeds the hidden ties, the negative pairs, Louvain, the folds and the forest.

    Attributes
    ----------
    model_ : sklearn.pipeline.Pipeline
        Fitted on all training pairs.
    cv_ : pandas.DataFrame
        ``fold, train_pairs, test_pairs, roc_auc, average_precision`` per fold.
    importances_ : pandas.DataFrame
        ``feature, importance``: standardised coefficients (logistic) or impurity
        importances (forest), largest magnitude first.
    training_ : pandas.DataFrame
        The training pairs: ``u, v, label`` and their features.

    Examples
    --------
    >>> G = nx.connected_caveman_graph(6, 6)
    >>> lp = LinkPredictor(seed=0).fit(G)
    >>> bool(lp.cv_["roc_auc"].mean() > 0.8)
    True
    >>> out = lp.suggest(top=3)
    >>> list(out.columns[:6])
    ['rank', 'person_id_a', 'name_a', 'person_id_b', 'name_b', 'probability']
    """

    def __init__(
        self,
        *,
        holdout: float = 0.2,
        negatives: float = 3.0,
        near_negatives: float = 0.0,
        model: str = "logistic",
        max_hops: int = 2,
        max_candidates: int = 2_000_000,
        cv: int = 5,
        window_days: int = 30,
        max_group: int = 50,
        katz_beta: float | None = None,
        katz_max_length: int | None = None,
        seed: int | None = 0,
    ) -> None:
        self.holdout = holdout
        self.negatives = negatives
        self.near_negatives = near_negatives
        self.model = model
        self.max_hops = max_hops
        self.max_candidates = max_candidates
        self.cv = cv
        self.window_days = window_days
        self.max_group = max_group
        self.katz_beta = katz_beta
        self.katz_max_length = katz_max_length
        self.seed = seed

    # fitting ---------------------------------------------------------------------------------
    def fit(
        self, G: nx.Graph, cooccurrence: Mapping[str, pd.DataFrame] | None = None
    ) -> LinkPredictor:
        """Hide ties, learn to find them again; keep the graph for :meth:`suggest`.

        Parameters
        ----------
        G : networkx.Graph
            The person graph (edge ``weight`` read as strength, ``sources`` as the records).
        cooccurrence : mapping of str to DataFrame, optional
            Record tables for the co-occurrence features (see :func:`cooccurrence_pairs`).

        Raises
        ------
        AnalysisError
            If the graph is not an undirected simple graph, has fewer than 10 ties, or an
            option is out of range.
        """
        self._check(G)
        rng = np.random.default_rng(self.seed)
        nodes = sorted(G, key=str)
        index = {u: k for k, u in enumerate(nodes)}
        n = len(nodes)
        edges = np.array(
            [(index[u], index[v]) for u, v in G.edges() if u != v], dtype=np.int64
        ).reshape(-1, 2)
        edges.sort(axis=1)
        edges = edges[np.lexsort((edges[:, 1], edges[:, 0]))]
        m = len(edges)
        if m < 10:
            raise AnalysisError(
                f"link prediction learns from the observed ties: the graph has {m}, need 10+"
            )
        self._pairs_table = cooccurrence_pairs(
            cooccurrence, window_days=self.window_days, max_group=self.max_group
        )
        cooc = _cooc_counts(self._pairs_table, index, n)
        tied = set(_codes(edges[:, 0], edges[:, 1], n).tolist())

        n_hidden = max(2, round(self.holdout * m))
        hidden = edges[np.sort(rng.choice(m, size=n_hidden, replace=False))]
        G_train = G.copy()
        G_train.remove_edges_from((nodes[a], nodes[b]) for a, b in hidden)
        train = self._topology(G_train, nodes, index)
        neg = _sample_negatives(
            train.A, tied, round(self.negatives * n_hidden), self.near_negatives, rng
        )
        i = np.concatenate([hidden[:, 0], neg[:, 0]])
        j = np.concatenate([hidden[:, 1], neg[:, 1]])
        y = np.concatenate([np.ones(len(hidden), int), np.zeros(len(neg), int)])
        X = _feature_frame(train, i, j, cooc)

        folds = min(self.cv, int(y.sum()), int((1 - y).sum()))
        if folds >= 2:
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.seed)
            res = cross_validate(
                self._pipeline(),
                X,
                y,
                cv=splitter,
                scoring=("roc_auc", "average_precision"),
            )
            sizes = [(len(tr), len(te)) for tr, te in splitter.split(X, y)]
            self.cv_ = pd.DataFrame(
                {
                    "fold": np.arange(1, folds + 1),
                    "train_pairs": [a for a, _ in sizes],
                    "test_pairs": [b for _, b in sizes],
                    "roc_auc": res["test_roc_auc"],
                    "average_precision": res["test_average_precision"],
                }
            )
        else:
            self.cv_ = pd.DataFrame(
                columns=["fold", "train_pairs", "test_pairs", "roc_auc", "average_precision"]
            )
        self.model_ = self._pipeline().fit(X, y)
        self.importances_ = self._importances()
        self.training_ = pd.concat(
            [
                pd.DataFrame({"u": [nodes[k] for k in i], "v": [nodes[k] for k in j], "label": y}),
                X,
            ],
            axis=1,
        )
        self.training_.attrs.update(hidden=len(hidden), negatives=len(neg), ties=m)

        self.graph_ = G
        self._nodes, self._index, self._cooc, self._tied = nodes, index, cooc, tied
        self._full = self._topology(G, nodes, index)
        return self

    def _check(self, G: nx.Graph) -> None:
        if not isinstance(G, nx.Graph) or G.is_directed() or G.is_multigraph():
            raise AnalysisError(
                f"expected an undirected simple networkx.Graph, got {type(G).__name__}"
            )
        if not 0 < self.holdout < 1:
            raise AnalysisError(f"holdout must be in (0, 1), got {self.holdout!r}")
        if not self.negatives > 0:
            raise AnalysisError(f"negatives must be > 0, got {self.negatives!r}")
        if not 0 <= self.near_negatives <= 1:
            raise AnalysisError(f"near_negatives must be in 0..1, got {self.near_negatives!r}")
        if self.model not in {"logistic", "forest"}:
            raise AnalysisError(f"unknown model {self.model!r}; use logistic or forest")
        if self.max_hops not in {2, 3}:
            raise AnalysisError(f"max_hops must be 2 or 3, got {self.max_hops!r}")
        if isinstance(self.cv, bool) or not isinstance(self.cv, int) or self.cv < 2:
            raise AnalysisError(f"cv must be an integer >= 2, got {self.cv!r}")

    def _topology(
        self, G: nx.Graph, nodes: Sequence[Hashable], index: Mapping[Hashable, int]
    ) -> _Topology:
        return _Topology(
            G,
            nodes,
            index,
            katz_beta=self.katz_beta,
            katz_max_length=self.katz_max_length,
            seed=self.seed,
        )

    def _pipeline(self) -> Pipeline:
        if self.model == "forest":
            clf = RandomForestClassifier(
                n_estimators=300, min_samples_leaf=3, random_state=self.seed, n_jobs=1
            )
        else:
            clf = LogisticRegression(C=1.0, max_iter=2000)
        return Pipeline(
            [
                ("log1p", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
                ("scale", StandardScaler()),
                ("model", clf),
            ]
        )

    def _importances(self) -> pd.DataFrame:
        clf = self.model_.named_steps["model"]
        values = clf.coef_[0] if self.model == "logistic" else clf.feature_importances_
        out = pd.DataFrame({"feature": list(FEATURES), "importance": values})
        order = np.lexsort((out["feature"].to_numpy(), -np.abs(out["importance"].to_numpy())))
        return out.iloc[order].reset_index(drop=True)

    # scoring -----------------------------------------------------------------------------------
    def predict_proba(self, pairs: Sequence[tuple[Hashable, Hashable]]) -> NDArray[np.float64]:
        """Probability of a tie for each pair of people, on the whole graph given to fit."""
        self._fitted()
        i, j = _pair_index(pairs, self._index)
        if len(i) == 0:
            return np.zeros(0)
        X = _feature_frame(self._full, i, j, self._cooc)
        return self.model_.predict_proba(X)[:, 1]

    def suggest(self, *, top: int | None = 20) -> pd.DataFrame:
        """The untied pairs most likely tied, with evidence (columns :data:`SUGGESTION_COLUMNS`).

        Rows are sorted by ``probability`` descending, then by the two person ids (as text).
        ``common`` lists the common neighbours; ``evidence`` the records of their ties to
        both people and of the co-occurrences behind the pair's features.
        """
        self._fitted()
        if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
            raise AnalysisError(f"top must be an integer >= 1 or None, got {top!r}")
        scored = self._score_candidates()
        nodes = self._nodes
        order = np.lexsort((scored.j, scored.i, -np.round(scored.probability, 12)))
        keep = order if top is None else order[:top]
        G = self.graph_
        names = nx.get_node_attributes(G, "name")
        by_pair = {
            (u, v): g for (u, v), g in self._pairs_table.groupby(["u", "v"], sort=False)
        } if not self._pairs_table.empty else {}  # fmt: skip
        rows = []
        for rank, k in enumerate(keep, start=1):
            u, v = nodes[scored.i[k]], nodes[scored.j[k]]
            feats = scored.features.iloc[k]
            common = sorted(set(G[u]) & set(G[v]), key=str)
            records: set = set()
            for w in common:
                records.update(_sources(G[u][w].get("sources")))
                records.update(_sources(G[v][w].get("sources")))
            cooc = by_pair.get((u, v))
            if cooc is None:
                cooc = by_pair.get((v, u))
            if cooc is not None:
                for s in cooc["sources"]:
                    records.update(s)
            rows.append(
                {
                    "rank": rank,
                    "person_id_a": u,
                    "name_a": str(names.get(u, "") or ""),
                    "person_id_b": v,
                    "name_b": str(names.get(v, "") or ""),
                    "probability": float(scored.probability[k]),
                    **{f: feats[f] for f in FEATURES},
                    "common": common,
                    "explanation": _explain(float(scored.probability[k]), feats, common,
                                            names, cooc),
                    "evidence": sorted(records, key=str),
                }
            )  # fmt: skip
        out = pd.DataFrame(rows, columns=[c for c in SUGGESTION_COLUMNS if c != "evidence_count"])
        out["evidence_count"] = out["evidence"].map(len).astype(np.int64)
        for f in ("common_neighbours", "same_place_time", "shared_contacts", "shared_vehicles"):
            out[f] = out[f].astype(np.int64)
        out["same_ring"] = out["same_ring"].astype(bool)
        out.attrs.update(
            candidates=len(scored.i),
            model=self.model,
            seed=self.seed,
            cv_roc_auc=float(self.cv_["roc_auc"].mean()) if len(self.cv_) else float("nan"),
            katz="exact" if self._full.katz_exact else f"truncated at {self._full.katz_length}",
        )
        return out

    def _fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise AnalysisError("this LinkPredictor is not fitted yet: call fit(G) first")

    def _score_candidates(self) -> _Scored:
        if hasattr(self, "_scored"):
            return self._scored
        topo, n = self._full, len(self._nodes)
        near = _near_pairs(topo.A, self.max_hops, self.max_candidates)
        codes = set(near.tolist())
        if not self._pairs_table.empty:
            p = self._pairs_table
            known = p["u"].isin(self._index.keys()) & p["v"].isin(self._index.keys())
            codes.update(
                _codes(
                    p.loc[known, "u"].map(self._index).to_numpy(),
                    p.loc[known, "v"].map(self._index).to_numpy(),
                    n,
                ).tolist()
            )
        codes -= self._tied
        arr = np.array(sorted(codes), dtype=np.int64)
        i, j = arr // n, arr % n
        if len(arr):
            X = _feature_frame(topo, i, j, self._cooc)
            proba = self.model_.predict_proba(X)[:, 1]
        else:
            X = pd.DataFrame(columns=list(FEATURES), dtype=float)
            proba = np.zeros(0)
        self._scored = _Scored(i, j, X, proba)
        return self._scored


def _near_pairs(A: sp.csr_matrix, max_hops: int, max_candidates: int) -> NDArray[np.int64]:
    """Codes ``i * n + j`` (``i < j``) of the pairs 2..``max_hops`` ties apart (ties included,
    removed by the caller)."""
    n = A.shape[0]
    A2 = (A @ A).tocsr()
    reach = A2
    if max_hops == 3:
        if int(A2.nnz) * max(1.0, float(A.nnz) / max(n, 1)) > 20 * max_candidates:
            warnings.warn(
                "three-hop candidates would be too many on this graph; using two hops",
                stacklevel=4,
            )
        else:
            reach = (A2 + A2 @ A).tocsr()
    upper = sp.triu(reach, k=1).tocoo()
    codes = upper.row.astype(np.int64) * n + upper.col
    if len(codes) > max_candidates:
        cn = sp.triu(A2, k=1).tocsr()[upper.row, upper.col].A1
        warnings.warn(
            f"{len(codes):,} candidate pairs; keeping the {max_candidates:,} with the most "
            "common neighbours",
            stacklevel=4,
        )
        keep = np.lexsort((codes, -cn))[:max_candidates]
        codes = codes[keep]
    return codes


def _sample_negatives(
    A: sp.csr_matrix, tied: set[int], count: int, near: float, rng: np.random.Generator
) -> NDArray[np.int64]:
    """``count`` distinct untied pairs: a share ``near`` two steps apart in ``A`` (a random
    walk of two steps), the rest uniform over all pairs; fewer if the graph has too few."""
    n = A.shape[0]
    chosen: set[int] = set()
    out: list[tuple[int, int]] = []
    indptr, indices = A.indptr, A.indices
    deg = np.diff(indptr)
    hubs = np.flatnonzero(deg >= 2)
    want_near = int(count * near) if len(hubs) else 0

    def take(a: int, b: int) -> None:
        if a == b:
            return
        lo, hi = min(a, b), max(a, b)
        code = lo * n + hi
        if code in tied or code in chosen:
            return
        chosen.add(code)
        out.append((lo, hi))

    tries = 0
    while len(out) < want_near and tries < 50 * count:
        tries += 1
        w = int(hubs[rng.integers(len(hubs))])
        nb = indices[indptr[w] : indptr[w + 1]]
        a, b = rng.choice(nb, size=2, replace=False)
        take(int(a), int(b))
    tries = 0
    while len(out) < count and tries < 50 * count:
        tries += 1
        take(int(rng.integers(n)), int(rng.integers(n)))
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def _explain(
    probability: float,
    feats: pd.Series,
    common: Sequence[Hashable],
    names: Mapping[Hashable, str],
    cooc: pd.DataFrame | None,
) -> str:
    parts = []
    if common:
        shown = [str(names.get(w) or w) for w in common[:3]]
        more = f" and {len(common) - 3} more" if len(common) > 3 else ""
        parts.append(
            f"{len(common)} common contact{'' if len(common) == 1 else 's'} "
            f"({', '.join(shown)}{more})"
        )
    elif feats["katz"] > 0:
        parts.append("linked through longer chains of ties (Katz)")
    if feats["same_ring"]:
        parts.append("same ring")
    if cooc is not None:
        for kind, label in (
            ("shared_contacts", "both in contact with"),
            ("shared_vehicles", "same vehicle"),
            ("same_place_time", "in the same province within days"),
        ):
            rows = cooc[cooc["kind"] == kind]
            if len(rows):
                details = list(dict.fromkeys(rows["detail"]))
                more = f" and {len(details) - 2} more" if len(details) > 2 else ""
                parts.append(f"{label} {', '.join(details[:2])}{more}")
    if not parts:
        parts.append("no shared contact or co-occurrence: a weak suggestion")
    return f"Probability {probability:.2f}: " + "; ".join(parts) + "."


def suggest_links(
    G: nx.Graph,
    *,
    top: int | None = 20,
    cooccurrence: Mapping[str, pd.DataFrame] | None = None,
    seed: int | None = 0,
    **options: object,
) -> pd.DataFrame:
    """The ``top`` most likely hidden ties of ``G`` (see :class:`LinkPredictor`).

    ``options`` go to :class:`LinkPredictor`. ``df.attrs`` records the number of candidate
    pairs, the model, the seed, the mean cross-validated ROC AUC and how Katz was computed.

    Examples
    --------
    Five 5-cliques in a circle, each missing the one tie rewired to join the next: the
    five missing ties come first.

    >>> G = nx.connected_caveman_graph(5, 5)
    >>> out = suggest_links(G, top=5)
    >>> sorted(zip(out["person_id_a"], out["person_id_b"]))
    [(0, 1), (5, 6), (10, 11), (15, 16), (20, 21)]
    """
    predictor = LinkPredictor(seed=seed, **options)  # type: ignore[arg-type]
    return predictor.fit(G, cooccurrence).suggest(top=top)
