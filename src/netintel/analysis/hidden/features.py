"""Features of a pair of people: how much their neighbourhoods and records overlap.

:class:`~netintel.analysis.hidden.links.LinkPredictor` learns what a tie looks like from
these features; :func:`pair_features` computes them for any pairs, :func:`katz_index` the
Katz index alone, and :func:`cooccurrence_pairs` the pairs of people who co-occur in the
records. Every feature is computed on sparse matrices over a fixed node order, for many
pairs at once.

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
                             (:func:`netintel.analysis.network.rings.louvain`)

Co-occurrence (from record tables the caller gathers from the store, see
:mod:`netintel.project.cooccurrence`):

``same_place_time``          pairs of *different* events (arrests or seizures) of the two in the
                             same province within ``window_days`` days
``shared_contacts``          third phones both were in contact with (both called, or were
                             called by, the same number that neither of them uses)
``shared_vehicles``          vehicles recorded with both

References
----------
.. [1] D. Liben-Nowell, J. Kleinberg, "The link-prediction problem for social networks",
   JASIST 58(7), 1019-1031, 2007.
.. [2] L. A. Adamic, E. Adar, "Friends and neighbors on the Web", Social Networks 25(3),
   211-230, 2003.
.. [3] T. Zhou, L. Lü, Y.-C. Zhang, "Predicting missing links via local information",
   European Physical Journal B 71, 623-630, 2009.
.. [4] L. Katz, "A new status index derived from sociometric analysis", Psychometrika 18,
   39-43, 1953.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from netintel.analysis.network.rings import louvain
from netintel.errors import AnalysisError

__all__ = [
    "COOCCURRENCE_COLUMNS",
    "FEATURES",
    "KATZ_EXACT_MAX_NODES",
    "KATZ_TRUNCATED_LENGTH",
    "Topology",
    "cooccurrence_counts",
    "cooccurrence_pairs",
    "feature_frame",
    "katz_index",
    "pair_codes",
    "pair_features",
    "pair_index",
    "record_ids",
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
class Topology:
    """Sparse adjacency of a graph over a fixed node order, and per-pair features on it.

    Shared with :mod:`netintel.analysis.hidden.links`; assumes ``nodes`` covers ``G`` and
    weights are valid strengths (the entry points check).
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
    for pid, c in zip(rings["person_id"], rings["ring"], strict=True):
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
    topo = Topology(G, nodes, index, katz_beta=beta, katz_max_length=max_length, seed=0)
    i, j = pair_index(pairs, index)
    return topo.katz(i, j)


def pair_index(
    pairs: Sequence[tuple[Hashable, Hashable]], index: Mapping[Hashable, int]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Positions ``(i, j)`` of the people of each pair.

    Raises
    ------
    AnalysisError
        If a person is not in ``index`` (the graph), naming them.
    """
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
        If a table is unknown or lacks a column, ``window_days`` is not an integer >= 0, or
        ``max_group`` not an integer >= 1.

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
    if isinstance(window_days, bool) or not isinstance(window_days, int) or window_days < 0:
        raise AnalysisError(f"window_days must be an integer >= 0, got {window_days!r}")
    if isinstance(max_group, bool) or not isinstance(max_group, int) or max_group < 1:
        raise AnalysisError(f"max_group must be an integer >= 1, got {max_group!r}")
    if cooccurrence is not None and not isinstance(cooccurrence, Mapping):
        raise AnalysisError(
            f"cooccurrence must map table names to frames, got {type(cooccurrence).__name__}"
        )
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


def record_ids(value: object) -> list:
    """The record ids of a ``sources`` value: one id, a list of them, or none.

    >>> record_ids("ARR-1"), record_ids(("ARR-1", "COM-2")), record_ids(None)
    (['ARR-1'], ['ARR-1', 'COM-2'], [])
    """
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
    f["sources"] = f["sources"].map(record_ids)
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
    f["sources"] = f["sources"].map(record_ids)
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


def cooccurrence_counts(
    pairs: pd.DataFrame, index: Mapping[Hashable, int], n: int
) -> dict[str, dict[int, float]]:
    """kind -> {pair code -> number of distinct shared things}, for people in ``index``."""
    counts: dict[str, dict[int, float]] = {k: {} for k in _COOC_KIND.values()}
    if pairs.empty:
        return counts
    known = pairs["u"].isin(index.keys()) & pairs["v"].isin(index.keys())
    p = pairs[known]
    codes = pair_codes(p["u"].map(index).to_numpy(), p["v"].map(index).to_numpy(), n)
    per = pd.DataFrame({"code": codes, "kind": p["kind"].to_numpy()})
    for (kind, code), c in per.groupby(["kind", "code"]).size().items():
        counts[kind][int(code)] = float(c)
    return counts


def pair_codes(i: NDArray[np.int64], j: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """One integer per unordered pair of positions: ``min * n + max``.

    >>> pair_codes(np.array([3, 0]), np.array([1, 2]), 10).tolist()
    [13, 2]
    """
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    return lo.astype(np.int64) * n + hi


# -- features -----------------------------------------------------------------------------------
def feature_frame(
    topo: Topology,
    i: NDArray[np.int64],
    j: NDArray[np.int64],
    cooc: Mapping[str, Mapping[int, float]],
) -> pd.DataFrame:
    """The :data:`FEATURES` of the pairs ``(i[k], j[k])``: topology from ``topo``,
    co-occurrence counts from ``cooc`` (:func:`cooccurrence_counts`)."""
    feats = topo.features(i, j)
    codes = pair_codes(i, j, topo.n)
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
    i, j = pair_index(pairs, index)
    topo = Topology(
        G, nodes, index, katz_beta=katz_beta, katz_max_length=katz_max_length, seed=seed
    )
    cooc = cooccurrence_counts(
        cooccurrence_pairs(cooccurrence, window_days=window_days, max_group=max_group),
        index,
        len(nodes),
    )
    frame = feature_frame(topo, i, j, cooc)
    frame.insert(0, "v", [nodes[k] for k in j])
    frame.insert(0, "u", [nodes[k] for k in i])
    return frame
