"""Successors: who is best placed to take over after people are removed.

Criminal networks recover: when a broker is arrested, someone else ends up carrying the
contacts and the traffic (Duijn, Kashirin & Sloot 2014; Bright, Greenhill, Ritter & Morselli
2015). :func:`likely_successors` removes the given people and scores everyone near them on
four signs of succession:

``betweenness_gain``
    The rise in betweenness after the removal: the shortest paths that ran through the
    removed people and now run through this person (paths count ``1 / strength`` per tie,
    :mod:`netintel.analysis.weights`; both values normalised by the intact network's pairs).
``contact_share``
    The share of the removed people's contacts this person is already tied to: the
    contacts they could inherit.
``brokerage_gain``
    The fall in Burt's (1992) constraint: more structural holes around the person, hence
    more brokerage opportunity, once the removed are gone.
``tie_to_removed``
    The strength of their own tie to the removed (a lieutenant, a partner).

The score is the weighted sum of these, each scaled to 0..1 over the candidates
(:data:`SUCCESSION_WEIGHTS`). Candidates are the people within two steps of a removed person,
and anyone else whose betweenness rises. Rows are sorted by score, then person id.

References
----------
.. [1] R. S. Burt, Structural Holes: The Social Structure of Competition, Harvard University
   Press, 1992.
.. [2] P. A. C. Duijn, V. Kashirin, P. M. A. Sloot, "The relative ineffectiveness of criminal
   network disruption", Scientific Reports 4, 4238, 2014.
.. [3] D. A. Bright, C. Greenhill, A. Ritter, C. Morselli, "Networks within networks: using
   multiple link types to examine network structure and identify key actors in a drug
   trafficking operation", Global Crime 16(3), 219-237, 2015.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable

import networkx as nx
import numpy as np
import pandas as pd

from netintel.analysis.engine import betweenness, default_betweenness_k, prepare
from netintel.analysis.evidence import person_evidence, tie_records
from netintel.analysis.topk import id_key
from netintel.errors import AnalysisError
from netintel.measures import round_significant
from netintel.values import fold

__all__ = ["SUCCESSION_WEIGHTS", "SUCCESSOR_COLUMNS", "find_people", "likely_successors"]

#: Weight of each sign of succession in the score (they sum to 1).
SUCCESSION_WEIGHTS = {
    "betweenness_gain": 0.4,
    "contact_share": 0.3,
    "brokerage_gain": 0.2,
    "tie_to_removed": 0.1,
}

#: Columns of :func:`likely_successors`, in order.
SUCCESSOR_COLUMNS = (
    "rank", "person_id", "name", "score",
    "betweenness_before", "betweenness_after", "betweenness_gain",
    "constraint_before", "constraint_after", "brokerage_gain",
    "contacts_inherited", "contact_share", "tie_to_removed",
    "explanation", "evidence", "succession_evidence",
)  # fmt: skip


def find_people(G: nx.Graph, refs: Iterable[object]) -> list[Hashable]:
    """Person ids for references that are ids, or names naming exactly one person.

    Names are compared by :func:`netintel.values.fold` (case, diacritics and punctuation do
    not matter), as everywhere else in netintel.

    Raises
    ------
    AnalysisError
        If a reference matches nobody, or a name matches several people.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("P-1", name="Lê Văn Tám")
    >>> find_people(G, ["lê văn tám"]), find_people(G, ["Le Van Tam"])
    (['P-1'], ['P-1'])
    """
    by_name: dict[str, list[Hashable]] = {}
    for u, name in G.nodes(data="name"):
        key = fold(name) if name else ""
        if key:
            by_name.setdefault(key, []).append(u)
    out = []
    for ref in refs:
        if ref in G:
            out.append(ref)
            continue
        found = by_name.get(fold(ref), [])
        if not found:
            raise AnalysisError(f"{ref!r} is neither a person id nor the name of a person")
        if len(found) > 1:
            raise AnalysisError(
                f"{ref!r} names {len(found)} people ({', '.join(map(str, found[:5]))}); "
                "give a person id"
            )
        out.append(found[0])
    return list(dict.fromkeys(out))


def _betweenness(
    G: nx.Graph, nodes: list[Hashable], weight: str | None, sources: list[Hashable] | None
) -> np.ndarray:
    """Raw betweenness (pairs of people, each counted once) of ``nodes`` in ``G``; sampled
    from ``sources`` (scaled by ``n / k``) when given."""
    prep = prepare(G, weight=weight, engine="igraph", allow_empty=True, stacklevel=4)
    index = {u: i for i, u in enumerate(prep.nodes)}
    src = None if sources is None else [index[u] for u in sources if u in index]
    raw = betweenness(prep.igraph(), weights=prep.path_weights, sources=src, normalized=False)
    return np.array([raw[index[u]] if u in index else 0.0 for u in nodes])


def _constraint(G: nx.Graph, nodes: list[Hashable], weight: str | None) -> np.ndarray:
    """Burt's constraint of ``nodes``, as :func:`networkx.constraint` computes it, in sparse
    matrix form: ``c_i = sum_{j in N(i)} (p_ij + sum_q p_iq p_qj)^2`` with ``p_ij`` the share
    of ``i``'s tie strength that goes to ``j``. Someone with no tie gets 1 (no holes to span).
    """
    order = list(G)
    A = nx.to_scipy_sparse_array(G, nodelist=order, weight=weight, format="csr", dtype=float)
    s = np.asarray(A.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        inv = np.where(s > 0, 1.0 / s, 0.0)
    P = A.multiply(inv[:, None]).tocsr()
    total = (P + (P @ P).multiply(A != 0)).power(2).sum(axis=1)
    c = np.where(s > 0, np.asarray(total).ravel(), 1.0)
    index = {u: i for i, u in enumerate(order)}
    return np.array([c[index[u]] for u in nodes], dtype=float)


def likely_successors(
    G: nx.Graph,
    removed: Iterable[Hashable],
    *,
    top: int | None = 10,
    weight: str | None = "weight",
    seed: int | None = 0,
) -> pd.DataFrame:
    """Who is best placed to take over once ``removed`` are gone (see the module notes).

    Parameters
    ----------
    G : networkx.Graph
        The person graph.
    removed : iterable of person ids
        The people arrested (or whose removal is simulated).
    top : int or None, default 10
        Rows to keep; ``None`` keeps every candidate.
    weight : str or None, default "weight"
        Evidence strength of ties; ``None`` for the unweighted graph.
    seed : int or None, default 0
        Seed of the betweenness sample on graphs of more than 2,000 people (the same
        sampled sources before and after, so the gain compares like with like).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUCCESSOR_COLUMNS`. ``evidence`` is every record behind the person
        (:func:`~netintel.analysis.evidence.person_evidence`); ``succession_evidence`` the
        records behind their ties to the removed and to the removed's contacts.
        ``attrs`` records ``removed``, ``weighted``, ``betweenness_exact`` and ``seed``.

    Raises
    ------
    AnalysisError
        If nobody is removed, a removed id is not in the graph, or ``top < 1``.

    Examples
    --------
    >>> G = nx.Graph([("boss", "a"), ("boss", "b"), ("boss", "c"), ("lt", "a"), ("lt", "b"),
    ...               ("lt", "boss"), ("c", "d")])
    >>> nx.set_node_attributes(G, {u: u.title() for u in G}, "name")
    >>> heirs = likely_successors(G, ["boss"], top=2, weight=None)
    >>> heirs[["rank", "person_id", "contacts_inherited"]].values.tolist()
    [[1, 'lt', 2], [2, 'a', 1]]
    """
    gone = list(dict.fromkeys(removed))
    if not gone:
        raise AnalysisError("name at least one removed person")
    missing = [u for u in gone if u not in G]
    if missing:
        raise AnalysisError(f"removed person(s) not in the graph: {missing[:5]}")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise AnalysisError(f"top must be an integer >= 1 or None, got {top!r}")
    gone_set = set(gone)
    after = G.subgraph(u for u in G if u not in gone_set).copy()
    contacts = {v for u in gone for v in G[u]} - gone_set
    near = set(contacts)
    for v in contacts:
        near.update(G[v])
    near -= gone_set

    n = G.number_of_nodes()
    k = default_betweenness_k(n, G.number_of_edges())
    sources = None
    if k is not None:
        pool = sorted((u for u in G if u not in gone_set), key=id_key)
        sources = random.Random(seed).sample(pool, min(k, len(pool)))
    people = sorted(after, key=id_key)
    norm = (n - 1) * (n - 2) / 2.0 if n > 2 else 1.0
    before_b = _betweenness(G, people, weight, sources) / norm
    after_b = _betweenness(after, people, weight, sources) / norm
    gain = round_significant(after_b - before_b)
    candidates = [u for u, g in zip(people, gain, strict=True) if u in near or g > 0]
    pos = {u: i for i, u in enumerate(people)}
    sel = np.array([pos[u] for u in candidates], dtype=np.int64)
    before_c = _constraint(G, candidates, weight)
    after_c = _constraint(after, candidates, weight)
    inherited = np.array([len(contacts.intersection(G[u])) for u in candidates], dtype=np.int64)
    share = inherited / len(contacts) if contacts else np.zeros(len(candidates))
    tie = np.array(
        [
            sum(G[u][v].get(weight, 1.0) if weight is not None else 1.0 for v in gone if v in G[u])
            for u in candidates
        ],
        dtype=float,
    )
    signs = {
        "betweenness_gain": gain[sel] if len(sel) else np.zeros(0),
        "contact_share": share,
        "brokerage_gain": round_significant(before_c - after_c),
        "tie_to_removed": tie,
    }
    score = np.zeros(len(candidates))
    for name, w in SUCCESSION_WEIGHTS.items():
        x = np.clip(signs[name], 0.0, None)
        top_x = x.max() if len(x) else 0.0
        if top_x > 0:
            score += w * x / top_x
    df = pd.DataFrame(
        {
            "person_id": pd.Series(candidates, dtype=object),
            "name": [G.nodes[u].get("name") for u in candidates],
            "score": round_significant(score),
            "betweenness_before": before_b[sel] if len(sel) else [],
            "betweenness_after": after_b[sel] if len(sel) else [],
            "betweenness_gain": signs["betweenness_gain"],
            "constraint_before": before_c,
            "constraint_after": after_c,
            "brokerage_gain": signs["brokerage_gain"],
            "contacts_inherited": inherited,
            "contact_share": share,
            "tie_to_removed": tie,
        }
    )
    df["_key"] = [id_key(u) for u in candidates]
    df = df.sort_values(["score", "_key"], ascending=[False, True], kind="mergesort")
    df = df.drop(columns="_key").reset_index(drop=True)
    if top is not None:
        df = df.head(top).copy()
    labels = [str(G.nodes[u].get("name") or u) for u in gone]
    who = labels[0] if len(labels) == 1 else "the removed"
    df["explanation"] = [_explain(row, who, len(contacts)) for row in df.itertuples(index=False)]
    df["evidence"] = [person_evidence(G, u) for u in df["person_id"]]
    df["succession_evidence"] = [tie_records(G, u, gone_set | contacts) for u in df["person_id"]]
    df.insert(0, "rank", np.arange(1, len(df) + 1, dtype=np.int64))
    df.attrs.update(
        removed=gone, weighted=weight is not None, betweenness_exact=k is None, seed=seed
    )
    return df[list(SUCCESSOR_COLUMNS)]


def _explain(row: object, who: str, n_contacts: int) -> str:
    parts = []
    gain = row.betweenness_gain  # type: ignore[attr-defined]
    if gain > 0:
        parts.append(
            f"betweenness rises from {row.betweenness_before:.3f} to "  # type: ignore[attr-defined]
            f"{row.betweenness_after:.3f}: paths that ran through {who} now run through them"  # type: ignore[attr-defined]
        )
    inherited = row.contacts_inherited  # type: ignore[attr-defined]
    if inherited:
        parts.append(f"already tied to {inherited} of {who}'s {n_contacts} contacts")
    if row.tie_to_removed > 0:  # type: ignore[attr-defined]
        parts.append(f"directly tied to {who} (strength {row.tie_to_removed:.2f})")  # type: ignore[attr-defined]
    if row.brokerage_gain > 0:  # type: ignore[attr-defined]
        parts.append(
            f"more brokerage room (constraint {row.constraint_before:.2f} -> "  # type: ignore[attr-defined]
            f"{row.constraint_after:.2f})"  # type: ignore[attr-defined]
        )
    if not parts:
        parts.append(f"within two steps of {who}; no sign of succession stands out")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
