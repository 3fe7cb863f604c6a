"""Chokepoints: the border gates and provinces that routes pass through, and the place graph.

:func:`chokepoints` ranks the border gates and the provinces that routes pass through: the
share of route seizures (and of their kg) that crossed a gate, or that were seized in a
province or crossed one of its gates (origins and destinations are ends, not passages), and
betweenness in the directed **place graph** (:func:`place_graph`: an arc for each pair of
consecutive known legs, weighted by seizures, read as distance ``1 / seizures`` as in
:mod:`netintel.analysis.weights`; Freeman 1977, Brandes 2001).

References
----------
.. [1] L. C. Freeman, "A set of measures of centrality based on betweenness", Sociometry 40,
   35-41, 1977.
.. [2] U. Brandes, "A faster algorithm for betweenness centrality", Journal of Mathematical
   Sociology 25(2), 163-177, 2001.
"""

from __future__ import annotations

from itertools import pairwise

import networkx as nx
import pandas as pd

from netintel.analysis.routes.corridors import check_corridor_table
from netintel.errors import AnalysisError
from netintel.project.routes import RouteTables, optional_text

__all__ = ["CHOKEPOINT_COLUMNS", "chokepoints", "place_graph"]

#: Columns of :func:`chokepoints`, in order.
CHOKEPOINT_COLUMNS = [
    "kind", "rank", "id", "name", "country", "seizures", "share", "kg", "kg_share",
    "betweenness", "corridors", "lat", "lon", "located", "counterpart",
]  # fmt: skip


def place_graph(table: pd.DataFrame, tables: RouteTables) -> nx.DiGraph:
    """The directed place graph of a corridor table.

    Nodes are the places and gates of the legs (attributes ``name``, ``kind``: ``gate`` or
    the place level); an arc joins each pair of consecutive known legs of a corridor
    (origin -> gate -> seizure place -> destination, skipping unknown ones and loops), with
    ``seizures`` and ``kg`` summed over the corridors using it and ``distance = 1 /
    seizures`` for shortest paths.

    Examples
    --------
    >>> from netintel.analysis.routes import corridors, example_tables
    >>> t = example_tables()
    >>> G = place_graph(corridors(t), t)
    >>> G["gate:vn/nam can"]["vn/nghe an"]["seizures"]
    3
    """
    check_corridor_table(
        table, tables, ("origin_id", "gate_id", "place_id", "destination_id", "seizures", "kg")
    )
    idx = tables.index
    G = nx.DiGraph()
    for row in table.itertuples(index=False):
        ids = (row.origin_id, row.gate_id, row.place_id, row.destination_id)
        legs = [p for p in map(optional_text, ids) if p]
        for pid in legs:
            kind = "gate" if pid in idx.gates else idx.level.get(pid, "place")
            G.add_node(pid, name=idx.label(pid), kind=kind)
        for a, b in pairwise(legs):
            if a == b:
                continue
            d = G.get_edge_data(a, b) or {"seizures": 0, "kg": 0.0}
            G.add_edge(a, b, seizures=d["seizures"] + row.seizures, kg=d["kg"] + row.kg)
    for _, _, d in G.edges(data=True):
        d["distance"] = 1.0 / d["seizures"]
    return G


def chokepoints(
    table: pd.DataFrame,
    tables: RouteTables,
    *,
    merged: bool = False,
    top: int | None = None,
) -> pd.DataFrame:
    """Border gates and provinces ranked by the share of route seizures passing through.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`~netintel.analysis.routes.corridors.corridors` at any level (all rows:
        pass it before ``top``).
    tables : RouteTables
    merged : bool
        Count provinces after the 2025 merger.
    top : int, optional
        Keep the first ``top`` of each kind.

    Returns
    -------
    pandas.DataFrame
        ``kind`` (``gate``, then ``province``), ``rank`` (within kind), ``id, name, country,
        seizures, share, kg, kg_share, betweenness`` (normalised, in the province-level place
        graph; gates and provinces are both nodes of it), ``corridors`` (how many pass),
        ``lat, lon, located`` (what the point is of), ``counterpart`` (a gate's facing gate).
        Ranked by ``share``, then ``kg_share``, ``betweenness``, ``name``.

    Raises
    ------
    AnalysisError
        If ``table`` is not a corridor table, ``tables`` not the route tables, or ``top`` is
        not an integer >= 1.

    Examples
    --------
    >>> from netintel.analysis.routes import corridors, example_tables
    >>> t = example_tables()
    >>> ch = chokepoints(corridors(t), t)
    >>> ch[ch["kind"] == "gate"][["name", "seizures", "share"]].to_dict("records")[0]
    {'name': 'Nậm Cắn', 'seizures': 3, 'share': 0.75}
    """
    check_corridor_table(table, tables, ("gate_id", "place_id", "seizures", "kg"))
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise AnalysisError(f"top must be an integer >= 1 or None, got {top!r}")
    idx = tables.index
    if table.empty:
        return pd.DataFrame(columns=CHOKEPOINT_COLUMNS)
    total = float(table["seizures"].sum())
    total_kg = float(table["kg"].sum())
    G = place_graph(table, tables)
    between = nx.betweenness_centrality(G, weight="distance", normalized=True) if len(G) else {}
    stats: dict[tuple[str, str], dict] = {}

    def add(kind: str, pid: str, row) -> None:
        s = stats.setdefault((kind, pid), {"seizures": 0, "kg": 0.0, "corridors": 0})
        s["seizures"] += row.seizures
        s["kg"] += row.kg
        s["corridors"] += 1

    for row in table.itertuples(index=False):
        provinces = set()
        gate, place = optional_text(row.gate_id), optional_text(row.place_id)
        if gate:
            add("gate", gate, row)
            gp = idx.gates.get(gate, {}).get("province")
            if gp:
                provinces.add(idx.merged(gp) if merged else gp)
        if place:
            prov = idx.roll(place, "province", merged=merged)
            if prov and idx.level.get(prov) == "province":
                provinces.add(prov)
        for prov in sorted(provinces):
            add("province", prov, row)
    rows = []
    for (kind, pid), s in stats.items():
        pt = idx.point(pid)
        node_b = between.get(pid)
        if node_b is None and kind == "province":
            # the graph's node for the province may be finer (district level): the largest
            node_b = max(
                (b for n, b in between.items() if pid in idx.chain(n, merged=merged)), default=0.0
            )
        rows.append(
            {
                "kind": kind,
                "id": pid,
                "name": idx.label(pid),
                "country": idx.gates[pid]["country"] if kind == "gate" else idx.country.get(pid),
                "seizures": s["seizures"],
                "share": round(s["seizures"] / total, 4) if total else 0.0,
                "kg": round(s["kg"], 3),
                "kg_share": round(s["kg"] / total_kg, 4) if total_kg else 0.0,
                "betweenness": round(float(node_b or 0.0), 4),
                "corridors": s["corridors"],
                "lat": pt[0] if pt else None,
                "lon": pt[1] if pt else None,
                "located": pt[2] if pt else None,
                "counterpart": idx.gates[pid]["counterpart"] if kind == "gate" else None,
            }
        )
    out = pd.DataFrame(rows)
    out["_k"] = out["kind"].map({"gate": 0, "province": 1})
    out = out.sort_values(
        ["_k", "share", "kg_share", "betweenness", "name"],
        ascending=[True, False, False, False, True],
        kind="mergesort",
    ).drop(columns="_k")
    out.insert(1, "rank", out.groupby("kind").cumcount() + 1)
    if top is not None:
        out = out[out["rank"] <= top]
    return out.reset_index(drop=True)[CHOKEPOINT_COLUMNS]
