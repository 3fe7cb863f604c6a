"""Brokerage: who carries what between rings, provinces or countries.

Gould and Fernandez (1989) read brokerage off *directed* two-paths ``a -> b -> c``: ``b``
brokers between ``a`` and ``c`` when ``a`` has no tie of its own to ``c``. Given a grouping of
people (detected rings, home provinces, countries), the groups of ``a``, ``b`` and ``c`` say
which of five roles ``b`` plays on that path:

================  =====================  =====================================================
role              groups                 in an investigation
================  =====================  =====================================================
coordinator       a = b = c              runs things inside their own ring / province / side
itinerant         a = c, b elsewhere     an outsider moving things within another group
gatekeeper        a elsewhere, b = c     lets an outside supplier in: a Vietnamese contact
                                         who takes Lao-side calls and calls Vietnamese buyers
representative    a = b, c elsewhere     carries their own group's business out: the
                                         Lao-side man who passes his suppliers to Vietnam
liaison           a, b, c all different  the pure middleman between two other groups
================  =====================  =====================================================

:func:`gould_fernandez` counts, for each person, the distinct pairs ``(a, c)`` in each role.
Ties without a direction (a co-arrest, a shared vehicle) cannot tell a gatekeeper from a
representative; for them :func:`participation` gives the participation coefficient of
Guimerà and Amaral (2005), ``P = 1 - sum_s (k_s / k)^2`` over the groups ``s`` of a person's
contacts, weighted by tie strength: 0 when every contact is in one group, towards 1 when the
contacts are spread evenly over many.

:func:`brokerage` puts both together into one table sorted by a brokerage score (see its
Notes) with an explanation and the records behind every row.

References
----------
.. [1] R. V. Gould, R. M. Fernandez, "Structures of mediation: a formal approach to brokerage
   in transaction networks", Sociological Methodology 19, 89-126, 1989.
.. [2] R. Guimerà, L. A. N. Amaral, "Functional cartography of complex metabolic networks",
   Nature 433, 895-900, 2005.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from netintel.analysis.evidence import person_evidence
from netintel.errors import AnalysisError

__all__ = ["BRIDGING_ROLES", "ROLES", "brokerage", "gould_fernandez", "participation"]

#: The five Gould-Fernandez roles, in the order of the output columns.
ROLES: tuple[str, ...] = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
#: The roles whose two ends are in different groups: the broker carries something from one
#: group to another (the score counts these; an itinerant only relays within one group).
BRIDGING_ROLES: tuple[str, ...] = ("gatekeeper", "representative", "liaison")

_COORD, _ITIN, _GATE, _REPR, _LIAI = range(5)


def _group_map(groups: Mapping[Hashable, Hashable] | pd.Series | pd.DataFrame) -> dict:
    """``person -> group`` without missing groups, from a mapping, Series or frame."""
    if isinstance(groups, pd.DataFrame):
        if "person_id" not in groups.columns or "group" not in groups.columns:
            raise AnalysisError(
                f"groups frame needs columns 'person_id' and 'group', got {list(groups.columns)}"
            )
        groups = groups.set_index("person_id")["group"]
    if isinstance(groups, pd.Series):
        if groups.index.has_duplicates:
            dup = groups.index[groups.index.duplicated()][0]
            raise AnalysisError(f"person {dup!r} is in more than one group")
        groups = groups.to_dict()
    if not isinstance(groups, Mapping):
        raise AnalysisError(
            f"groups must be a mapping, Series or frame, got {type(groups).__name__}"
        )
    return {u: g for u, g in groups.items() if not _missing(g)}


def _missing(g: object) -> bool:
    if g is None:
        return True
    try:
        return bool(pd.isna(g))
    except (TypeError, ValueError):
        return False


def _role(ga: Hashable, gb: Hashable, gc: Hashable) -> int:
    if ga == gc:
        return _COORD if ga == gb else _ITIN
    if ga == gb:
        return _REPR
    if gb == gc:
        return _GATE
    return _LIAI


def gould_fernandez(
    D: nx.DiGraph,
    groups: Mapping[Hashable, Hashable] | pd.Series | pd.DataFrame,
    *,
    weight: str | None = None,
    open_only: bool = True,
) -> pd.DataFrame:
    """Gould-Fernandez brokerage role counts of every person of a directed graph.

    Parameters
    ----------
    D : networkx.DiGraph
        Directed ties ``a -> b`` (who called, paid or passed to whom). An undirected graph is
        read as mutual ties (each tie both ways).
    groups : mapping, Series or DataFrame
        ``person -> group`` (a frame with columns ``person_id, group``). People without a
        group are left out: no role is counted on a path with an ungrouped end.
    weight : str or None, default None
        ``None`` counts pairs. A tie attribute (strength, e.g. ``"weight"``) instead sums,
        over the pairs, the geometric mean ``sqrt(w(a->b) * w(b->c))`` of the two ties'
        strengths: a path over two strong ties counts more than one over a single call.
    open_only : bool, default True
        Count ``a -> b -> c`` only when there is no tie ``a -> c`` (Gould and Fernandez's
        definition: ``b`` brokers only where ``a`` cannot reach ``c`` directly). ``False``
        counts every two-path.

    Returns
    -------
    pandas.DataFrame
        ``person_id, group`` and one column per role (:data:`ROLES`), one row per node of
        ``D`` in node order; ``group`` is ``None`` for ungrouped people (all 0). Unweighted,
        each count is the number of distinct pairs ``(a, c)``, ``a != c``, mediated in that
        role (integers); weighted, the sums described above (floats).

    Raises
    ------
    AnalysisError
        If ``D`` is not a networkx graph, ``groups`` is malformed, or a weight is not a
        number >= 0.

    Notes
    -----
    Counts come from group tallies, not from listing paths: for a broker ``b`` the pairs
    with ``a`` in group ``s`` and ``c`` in group ``t`` number ``in_b(s) * out_b(t)``; the
    pairs ``a = c`` (a tie both ways) are then taken off, and, with ``open_only``, the
    pairs closed by a tie ``a -> c`` (found edge by edge as ``succ(a) & pred(c)``). The
    cost is that of counting the graph's transitive triads, not of its two-paths.

    Examples
    --------
    A Lao supplier calls a Vietnamese contact who calls a Vietnamese buyer: the contact is
    the buyer side's gatekeeper.

    >>> D = nx.DiGraph([("supplier", "contact"), ("contact", "buyer")])
    >>> side = {"supplier": "LA", "contact": "VN", "buyer": "VN"}
    >>> gould_fernandez(D, side).set_index("person_id").loc["contact", list(ROLES)].tolist()
    [0, 0, 1, 0, 0]
    """
    counts, _ = _tallies(D, _group_map(groups), weight=weight, open_only=open_only)
    return counts


def _tallies(
    D: nx.Graph, g: dict, *, weight: str | None, open_only: bool
) -> tuple[pd.DataFrame, list[dict[tuple[Hashable, Hashable], float]]]:
    """Role counts (see :func:`gould_fernandez`) and, per person, the flows
    ``(group of a, group of c) -> count`` of their bridging brokerage (``a``, ``c`` in
    different groups)."""
    if not isinstance(D, nx.Graph):
        raise AnalysisError(f"expected a networkx graph of ties, got {type(D).__name__}")
    if not D.is_directed():
        D = D.to_directed()

    def root(a: Hashable, b: Hashable) -> float:
        if weight is None:
            return 1.0
        w = D.edges[a, b].get(weight, 1.0)
        if isinstance(w, bool) or not isinstance(w, int | float) or not w >= 0:
            raise AnalysisError(f"tie {a!r} -> {b!r}: {weight!r} must be a number >= 0, got {w!r}")
        return math.sqrt(w)

    pred = {b: {a: root(a, b) for a in D.predecessors(b) if a != b and a in g} for b in D}
    succ = {b: {c: root(b, c) for c in D.successors(b) if c != b and c in g} for b in D}
    counts = np.zeros((len(D), 5), dtype=np.float64)
    flows: list[dict[tuple[Hashable, Hashable], float]] = [{} for _ in range(len(D))]
    index = {u: i for i, u in enumerate(D)}

    def add(i: int, ga: Hashable, gb: Hashable, gc: Hashable, amount: float) -> None:
        role = _role(ga, gb, gc)
        counts[i, role] += amount
        if ga != gc:
            flows[i][ga, gc] = flows[i].get((ga, gc), 0.0) + amount

    for b, i in index.items():
        if b not in g:
            continue
        gb = g[b]
        ins: dict[Hashable, float] = {}
        outs: dict[Hashable, float] = {}
        for a, r in pred[b].items():
            ins[g[a]] = ins.get(g[a], 0.0) + r
        for c, r in succ[b].items():
            outs[g[c]] = outs.get(g[c], 0.0) + r
        for ga, s_in in ins.items():
            for gc, s_out in outs.items():
                add(i, ga, gb, gc, s_in * s_out)
        for a in pred[b].keys() & succ[b].keys():  # a -> b -> a is no brokerage
            add(i, g[a], gb, g[a], -pred[b][a] * succ[b][a])
    if open_only:
        for a, c in D.edges():
            if a == c or a not in g or c not in g:
                continue
            for b in succ[a].keys() & pred[c].keys():
                if b != a and b != c and b in g:
                    add(index[b], g[a], g[b], g[c], -pred[b][a] * succ[b][c])
    counts = np.clip(counts, 0.0, None)
    if weight is None:
        counts = np.rint(counts)
    frame = pd.DataFrame(counts.astype(np.int64) if weight is None else counts, columns=list(ROLES))
    frame.insert(0, "group", pd.Series([g.get(u) for u in D], dtype=object))
    frame.insert(0, "person_id", list(D))
    flows = [{k: v for k, v in f.items() if v > 1e-9} for f in flows]
    return frame, flows


def participation(
    G: nx.Graph,
    groups: Mapping[Hashable, Hashable] | pd.Series | pd.DataFrame,
    *,
    weight: str | None = "weight",
) -> pd.Series:
    """Participation coefficient of every person across groups (Guimerà & Amaral 2005).

    ``P_i = 1 - sum_s (k_is / k_i) ** 2``, where ``k_is`` is the strength of ``i``'s ties to
    contacts in group ``s`` and ``k_i`` the strength of all ties to grouped contacts.

    Parameters
    ----------
    G : networkx.Graph
        Ties (directed graphs are read as undirected).
    groups : mapping, Series or DataFrame
        As for :func:`gould_fernandez`; ties to ungrouped contacts are left out.
    weight : str or None, default "weight"
        Tie strength attribute; ``None`` counts ties.

    Returns
    -------
    pandas.Series
        Indexed by person (node order), named ``participation``, in [0, 1); 0 for people
        without grouped contacts.

    Examples
    --------
    >>> G = nx.Graph([("x", "a1"), ("x", "a2"), ("x", "b1"), ("x", "b2")])
    >>> float(participation(G, {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "x": "A"})["x"])
    0.5
    """
    if not isinstance(G, nx.Graph):
        raise AnalysisError(f"expected a networkx graph of ties, got {type(G).__name__}")
    g = _group_map(groups)
    H = G.to_undirected(as_view=True) if G.is_directed() else G
    values = []
    for u in H:
        by_group: dict[Hashable, float] = {}
        for v, d in H.adj[u].items():
            if v == u or v not in g:
                continue
            w = 1.0 if weight is None else float(d.get(weight, 1.0))
            by_group[g[v]] = by_group.get(g[v], 0.0) + w
        total = sum(by_group.values())
        p = 1.0 - sum((k / total) ** 2 for k in by_group.values()) if total > 0 else 0.0
        values.append(max(0.0, p))
    return pd.Series(values, index=pd.Index(list(H), name="person_id"), name="participation")


def brokerage(
    G: nx.Graph,
    groups: Mapping[Hashable, Hashable] | pd.Series | pd.DataFrame,
    *,
    directed: nx.DiGraph | None = None,
    weight: str | None = "weight",
    open_only: bool = True,
    top: int | None = None,
) -> pd.DataFrame:
    """Brokers across groups: Gould-Fernandez roles, participation and a brokerage score.

    Parameters
    ----------
    G : networkx.Graph
        The person graph (undirected ties; node ``name`` and ``sources``, tie ``sources``).
    groups : mapping, Series or DataFrame
        ``person -> group``: rings, home provinces, countries (see :func:`gould_fernandez`).
    directed : networkx.DiGraph, optional
        The directed ties (calls, payments; see :mod:`netintel.project.directed`). Without it,
        or when it has no ties, the ties of ``G`` are read as mutual.
    weight : str or None, default "weight"
        Tie strength, in both graphs, for the score and the participation coefficient;
        ``None``: every tie counts 1. The role counts are always plain pair counts.
    open_only : bool, default True
        Gould and Fernandez's rule: no brokerage of ``a -> b -> c`` when ``a -> c`` exists.
    top : int, optional
        Keep the first ``top`` rows.

    Returns
    -------
    pandas.DataFrame
        ``person_id, name, group``, the five role counts (:data:`ROLES`), ``brokerage``
        (the weighted bridging brokerage ``W``), ``participation``, ``score``,
        ``explanation`` and ``evidence`` (record ids), one row per person, sorted by
        ``score`` (highest first), then ``participation`` (highest first), then
        ``person_id``. ``attrs``: ``groups`` (their number), ``ungrouped`` (people
        without a group) and ``directed_ties``.

    Raises
    ------
    AnalysisError
        If a graph or ``groups`` is malformed, or ``top < 1``.

    Notes
    -----
    The score rewards people who carry much between groups, and little inside their own:

    ``score = W / (W + C) * ln(1 + W)``

    ``W`` sums, over the open two-paths ``a -> b -> c`` that bridge two groups (``a`` and
    ``c`` in different groups: gatekeeper, representative, liaison), the geometric mean of
    the two ties' strengths; ``C`` does the same over ``b``'s coordinator paths (all three in
    one group). ``ln(1 + W)`` grows with the traffic a person carries between groups, with
    diminishing returns, so a phone shop that calls everybody once does not outrank a
    broker with a few strong ties on each side; ``W / (W + C)`` is the share of that
    traffic in what the person brokers of their own group's business, so a ring's leader,
    who mostly coordinates inside the ring and only sometimes deals outside it, scores
    below a broker who does nothing but carry between rings. Itinerant paths (``b``
    relaying inside another group) count on neither side: they show that ``b`` stands
    outside that group, not that ``b`` carries anything across. Ties are broken by
    participation, then by ``person_id``.

    ``evidence`` holds the person's own records and those of their ties (directed or not) to
    people of other groups; for someone with no tie across groups, all the records of
    :func:`~netintel.analysis.evidence.person_evidence`.

    Examples
    --------
    Lao suppliers ``s1, s2`` call ``x``, who calls Vietnamese buyers ``b1, b2``; inside
    Vietnam ``b1`` also calls ``b2``.

    >>> D = nx.DiGraph([("s1", "x"), ("s2", "x"), ("x", "b1"), ("x", "b2"), ("b1", "b2")])
    >>> G = nx.Graph(D)
    >>> side = {"s1": "LA", "s2": "LA", "x": "VN", "b1": "VN", "b2": "VN"}
    >>> df = brokerage(G, side, directed=D, weight=None)
    >>> print(df[["person_id", "gatekeeper", "coordinator", "score"]].head(2).to_string(index=False))
    person_id  gatekeeper  coordinator    score
            x           4            0 1.609438
           b1           0            0 0.000000
    >>> df.loc[0, "explanation"]
    'gatekeeper 4 (LA -> VN 4); participation 0.50'
    """
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise AnalysisError(f"top must be an integer >= 1, got {top!r}")
    if not isinstance(G, nx.Graph):
        raise AnalysisError(f"expected a networkx graph of ties, got {type(G).__name__}")
    g = _group_map(groups)
    D = directed if directed is not None and directed.number_of_edges() > 0 else G
    D = D.copy()
    D.add_nodes_from(u for u in G if u not in D)
    counts, flows = _tallies(D, g, weight=None, open_only=open_only)
    strength, _ = _tallies(D, g, weight=weight, open_only=open_only)
    cross = strength[list(BRIDGING_ROLES)].sum(axis=1).to_numpy(dtype=float)
    total = cross + strength["coordinator"].to_numpy(dtype=float)
    share = np.divide(cross, total, out=np.zeros_like(cross), where=total > 0)
    out = counts.copy()
    out.insert(1, "name", [_name(G, D, u) for u in D])
    out["brokerage"] = cross
    out["participation"] = (
        participation(G, g, weight=weight).reindex(list(D)).fillna(0.0).to_numpy()
    )
    out["score"] = share * np.log1p(cross)
    out["explanation"] = [
        _explain(row, flows[i]) for i, row in enumerate(out.itertuples(index=False))
    ]
    out["evidence"] = [_evidence(G, D, u, g) for u in D]
    out["_key"] = out["person_id"].astype(str)
    out = out.sort_values(
        ["score", "participation", "_key"], ascending=[False, False, True], kind="mergesort"
    ).drop(columns="_key")
    out = out.reset_index(drop=True)
    if top is not None:
        out = out.head(top)
    out.attrs.update(
        groups=len(set(g.values())),
        ungrouped=sum(1 for u in G if u not in g),
        directed_ties=directed.number_of_edges() if directed is not None else 0,
    )
    return out


def _name(G: nx.Graph, D: nx.Graph, u: Hashable) -> str:
    name = G.nodes[u].get("name") if u in G else None
    if not name and u in D:
        name = D.nodes[u].get("name")
    return name if isinstance(name, str) else ""


def _explain(row: tuple, flows: dict[tuple[Hashable, Hashable], float]) -> str:
    if _missing(row.group):
        return "no group: not scored"
    parts = []
    for role in ROLES:
        n = getattr(row, role)
        if n and role != "coordinator":
            parts.append(f"{role} {n}")
    if not parts:
        text = f"no brokerage across groups (coordinator {row.coordinator})"
    else:
        main = sorted(flows.items(), key=lambda kv: (-kv[1], str(kv[0])))[:3]
        route = ", ".join(f"{a} -> {c} {_num(v)}" for (a, c), v in main)
        text = ", ".join(parts) + (f" ({route})" if route else "")
        if row.coordinator:
            text += f"; coordinator {row.coordinator}"
    return text + f"; participation {row.participation:.2f}"


def _num(v: float) -> str:
    return str(round(v)) if abs(v - round(v)) < 1e-9 else f"{v:.1f}"


def _evidence(G: nx.Graph, D: nx.Graph, u: Hashable, g: dict) -> list:
    mine = g.get(u)
    records: set = set(G.nodes[u].get("sources") or ()) if u in G else set()
    crossing = False
    ties = []
    if u in G:
        ties += [(v, d) for v, d in G.adj[u].items()]
    if D.is_directed():
        ties += [(v, d) for v, d in D.succ[u].items()]
        ties += [(v, d) for v, d in D.pred[u].items()]
    for v, d in ties:
        if v in g and mine is not None and g[v] != mine:
            crossing = True
            src = d.get("sources")
            records.update([src] if isinstance(src, str) else (src or ()))
    if not crossing and u in G:
        return person_evidence(G, u)
    return sorted(records, key=str)
