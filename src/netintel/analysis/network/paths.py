"""Paths and neighbourhoods read as evidence: who is tied to whom, how, and by which records.

The person graph (:mod:`netintel.project`) has one node per resolved person, so a path never
steps through the ``SAME_AS`` of entity resolution. The shortest path is the shortest by
evidence *distance* (:func:`netintel.analysis.weights.add_distance`: strong, repeated,
corroborated ties are short steps), and its alternatives are the next shortest simple paths
(Yen's algorithm, :func:`networkx.shortest_simple_paths`). Every step becomes a sentence
built from what the tie remembers (its kinds, counts, records and dates) and, given the
projection's tables, from the records themselves: who called whom and how often, which
arrest, seizure, vehicle or link.

Examples
--------
>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_nodes_from([("a", {"name": "Lê Xuân Hải"}), ("b", {"name": "Syphet"}),
...                   ("c", {"name": "Bounmy"})])
>>> G.add_edge("a", "b", weight=2.0, kinds={"call": 2}, sources=["K1", "K2"],
...            first_seen="2023-01-02", last_seen="2023-03-04")
>>> G.add_edge("b", "c", weight=1.0, kinds={"shared_vehicle": 1}, sources=["A7", "A9"],
...            first_seen=None, last_seen=None)
>>> steps = evidence_paths(G, ["a"], ["c"])
>>> path_sentences(steps)[0]
'Lê Xuân Hải called or was called by Syphet 2 times (records K1, K2), 2023-01-02 to 2023-03-04 -> Syphet and Bounmy use the same vehicle (records A7, A9)'
>>> steps[["path", "step", "from_name", "to_name", "kind"]].values.tolist()
[[1, 1, 'Lê Xuân Hải', 'Syphet', 'call'], [1, 2, 'Syphet', 'Bounmy', 'shared_vehicle']]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice, pairwise

import networkx as nx
import pandas as pd

from netintel.analysis.weights import add_distance
from netintel.errors import AnalysisError

__all__ = [
    "PATH_COLUMNS",
    "EvidencePaths",
    "Neighbourhood",
    "evidence_paths",
    "neighbourhood",
    "path_sentences",
    "tie_sentence",
]

#: Columns of :func:`evidence_paths` (one row per step).
PATH_COLUMNS = [
    "path", "step", "from_id", "from_name", "to_id", "to_name", "kind", "sentence", "records",
    "first_seen", "last_seen", "distance", "path_distance",
]  # fmt: skip
_SHOWN = 4  # record ids named in a sentence; the rest are counted


@dataclass
class EvidencePaths:
    """Paths between two people as evidence (what ``ws.path`` returns).

    Attributes
    ----------
    steps : DataFrame
        One row per step (:data:`PATH_COLUMNS`).
    sentences : list of str
        Each path in words, shortest first (:func:`path_sentences`).
    graph : networkx.Graph
        The people and ties on the paths (for a view).
    notes : list of str
        What the reader should know: an end that names several people, no path found.
    """

    steps: pd.DataFrame
    sentences: list[str]
    graph: nx.Graph
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [*self.notes, *(f"{i}. {s}" for i, s in enumerate(self.sentences, start=1))]
        return "\n".join(lines)


@dataclass
class Neighbourhood:
    """The people within some hops of a person (what ``ws.neighbourhood`` returns).

    Attributes
    ----------
    person : str
        The person at the centre.
    people : DataFrame
        ``person_id, name, hops, ties, records`` (``hops`` 0 is the person).
    ties : DataFrame
        One row per tie among them (:func:`neighbourhood`).
    graph : networkx.Graph
        The subgraph, each node with its ``hops``.
    """

    person: str
    people: pd.DataFrame
    ties: pd.DataFrame
    graph: nx.Graph


#: How a link of each type reads between two people.
_LINKED = {
    "meeting": "met",
    "money_transfer": "sent each other money",
    "co_offending": "offended together",
    "family": "are family",
    "shared_vehicle": "share a vehicle",
    "shared_address": "share an address",
}


def _times(n: int, what: str) -> str:
    """``"in 2 transfers"``, ``"in 1 record"``."""
    return f"in {n} {what}{'s' if n != 1 else ''}"


def _records(ids: Iterable[str]) -> str:
    ids = sorted(set(ids))
    shown = ", ".join(ids[:_SHOWN])
    more = f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else ""
    return f"(record{'s' if len(ids) > 1 else ''} {shown}{more})" if ids else ""


def _ids_of(frame: pd.DataFrame) -> list[str]:
    return sorted({s for lst in frame["sources"] for s in lst}) if len(frame) else []


def _calls(tables: Mapping[str, pd.DataFrame], a: str, b: str) -> tuple[int, int, list[str]]:
    """Calls ``a`` -> ``b``, calls ``b`` -> ``a`` (summed counts) and their records."""
    phones = tables["person_phones"]
    mine = {p: set(phones.loc[phones["person_id"] == p, "phone"]) | {p} for p in (a, b)}
    ab = ba = 0
    records: list[str] = []
    for name, calls in tables.items():
        if not name.startswith("calls_") or calls.empty:
            continue
        for x, y, forward in ((a, b, True), (b, a, False)):
            hit = calls[calls["source"].isin(mine[x]) & calls["target"].isin(mine[y])]
            n = int(pd.to_numeric(hit["count"], errors="coerce").fillna(1).clip(lower=1).sum())
            ab, ba = (ab + n, ba) if forward else (ab, ba + n)
            records += _ids_of(hit)
    return ab, ba, records


def _shared(tables: Mapping[str, pd.DataFrame], table: str, key: str, a: str, b: str) -> tuple:
    """Values of ``key`` both people are recorded with in ``table``, and those records."""
    t = tables.get(table)
    if t is None or t.empty:
        return [], []
    both = set(t.loc[t["person_id"] == a, key]) & set(t.loc[t["person_id"] == b, key])
    rows = t[t[key].isin(both) & t["person_id"].isin([a, b])]
    return sorted(both), _ids_of(rows)


def tie_sentence(
    G: nx.Graph, a: str, b: str, tables: Mapping[str, pd.DataFrame] | None = None
) -> str:
    """The tie between ``a`` and ``b`` in words, read from ``a`` to ``b``: one clause per kind
    of evidence, each naming its records (see the module docstring).

    Parameters
    ----------
    G : networkx.Graph
        The person graph; the tie must exist.
    a, b : str
        Person ids.
    tables : mapping, optional
        The projection's tables (:func:`netintel.project.read_tables`): with them a call
        says who called whom how often, a co-arrest which arrests, a shared vehicle which
        plate. Without them, the tie's kinds and counts.
    """
    data = G.edges[a, b]
    na, nb = G.nodes[a].get("name") or a, G.nodes[b].get("name") or b
    edge_records = list(data.get("sources") or [])
    clauses = []
    for kind, n in sorted((data.get("kinds") or {}).items()):
        clause = None
        if tables is not None:
            clause = _detailed(tables, kind, a, b, na, nb, edge_records)
        if clause is None:
            clause = _plain(kind, int(n), na, nb, edge_records)
        clauses.append(clause)
    dates = [d for d in (data.get("first_seen"), data.get("last_seen")) if d]
    when = (
        ""
        if not dates
        else (f", {dates[0]}" if dates[0] == dates[-1] else f", {dates[0]} to {dates[-1]}")
    )
    return "; ".join(clauses) + when


def _plain(kind: str, n: int, na: str, nb: str, records: list[str]) -> str:
    rec = _records(records)
    times = f"{n} time{'s' if n != 1 else ''}"
    if kind == "call":
        return f"{na} called or was called by {nb} {times} {rec}".strip()
    if kind == "co_arrest":
        return f"{na} and {nb} were arrested together {times} {rec}".strip()
    if kind == "co_seizure":
        return f"{na} and {nb} were arrested over the same seizure {times} {rec}".strip()
    if kind == "shared_vehicle":
        return f"{na} and {nb} use the same vehicle {rec}".strip()
    if kind == "shared_address":
        return f"{na} and {nb} are recorded at the same address {rec}".strip()
    if kind.startswith("link:"):
        what = kind.split(":", 1)[1].replace("_", " ")
        return f"{na} and {nb} are linked by {what} ({times}) {rec}".strip()
    return f"{na} and {nb}: {kind} {times} {rec}".strip()


def _detailed(
    tables: Mapping[str, pd.DataFrame], kind: str, a: str, b: str, na: str, nb: str, edge: list
) -> str | None:
    """A clause from the records behind the tie, or ``None`` to fall back on :func:`_plain`.
    Only records the tie itself holds are named (the window the graph was built for)."""
    keep = set(edge)

    def rec(ids: Iterable[str]) -> str:
        return _records(i for i in ids if i in keep)

    if kind == "call":
        ab, ba, ids = _calls(tables, a, b)
        if not ab and not ba:
            return None
        parts = [f"{na} called {nb} {ab} time{'s' if ab != 1 else ''}"] if ab else []
        if ba:
            parts.append(f"{nb} called {na} {ba} time{'s' if ba != 1 else ''}")
        return " and ".join(parts) + " " + rec(ids)
    if kind == "co_arrest":
        arrests, ids = _shared(tables, "person_arrests", "arrest_id", a, b)
        return f"{na} and {nb} were arrested together {rec(ids)}" if arrests else None
    if kind == "co_seizure":
        seized = tables["person_arrests"].merge(tables["arrest_seizures"], on="arrest_id")
        sa = set(seized.loc[seized["person_id"] == a, "seizure_id"])
        common = sorted(sa & set(seized.loc[seized["person_id"] == b, "seizure_id"]))
        if not common:
            return None
        return f"{na} and {nb} were arrested over the same seizure {', '.join(common)} {rec(edge)}"
    if kind == "shared_vehicle":
        plates, ids = _shared(tables, "person_vehicles", "vehicle", a, b)
        return (
            f"{na} and {nb} use the same vehicle {', '.join(plates)} {rec(ids)}" if plates else None
        )
    if kind.startswith("link:"):
        links = tables["person_links"]
        what = kind.split(":", 1)[1]
        typed = links[links["link_type"].fillna("other") == what]
        ab = typed[(typed["source"] == a) & (typed["target"] == b)]
        ba = typed[(typed["source"] == b) & (typed["target"] == a)]
        n = len(ab) + len(ba)
        if not n:
            return None
        if what == "money_transfer" and not (len(ab) and len(ba)):
            verb = "sent money to" if len(ab) else "received money from"
            return f"{na} {verb} {nb} {_times(n, 'transfer')} {rec(_ids_of(ab) + _ids_of(ba))}"
        what_ = _LINKED.get(what, "are linked (" + what.replace("_", " ") + ")")
        return f"{na} and {nb} {what_} {rec(_ids_of(ab) + _ids_of(ba))}"
    return None


def _ends(G: nx.Graph, people: str | Iterable[str], what: str) -> list[str]:
    ids = [people] if isinstance(people, str) else list(people)
    missing = [p for p in ids if p not in G]
    if missing or not ids:
        raise AnalysisError(f"{what}: {', '.join(missing) or 'nobody'} not in the person graph")
    return ids


def evidence_paths(
    G: nx.Graph,
    sources: str | Iterable[str],
    targets: str | Iterable[str],
    *,
    k: int = 3,
    tables: Mapping[str, pd.DataFrame] | None = None,
    weight: str | None = "weight",
) -> pd.DataFrame:
    """The shortest paths by evidence distance from ``sources`` to ``targets``, with the
    alternatives, one row per step.

    Parameters
    ----------
    G : networkx.Graph
        The person graph (one node per resolved person; ``weight`` is evidence strength).
    sources, targets : str or iterable of str
        Person ids at each end; with several (a name several people share), the shortest
        path to each pair comes first, then the next shortest of all.
    k : int, default 3
        How many paths: the shortest and ``k - 1`` alternatives (simple paths, by Yen's
        algorithm through :func:`networkx.shortest_simple_paths`).
    tables : mapping, optional
        The projection's tables, for sentences from the records (:func:`tie_sentence`).
    weight : str or None, default "weight"
        The evidence strength, turned into distance by
        :func:`netintel.analysis.weights.add_distance` (``None``: fewest steps).

    Returns
    -------
    DataFrame
        :data:`PATH_COLUMNS`: ``path`` (1 = shortest), ``step``, the two people (id and
        name), ``kind`` (the tie's kinds, most evidence first), ``sentence``, ``records``,
        ``first_seen``, ``last_seen``, the step's ``distance`` and the ``path_distance``.
        Empty when no path joins them.

    Raises
    ------
    AnalysisError
        If an end is not in the graph, or ``k`` < 1.
    """
    if k < 1:
        raise AnalysisError(f"k must be at least 1, got {k}")
    starts, ends = _ends(G, sources, "from"), _ends(G, targets, "to")
    H = add_distance(G, weight=weight)
    found: list[tuple[float, int, list[str]]] = []
    for s in starts:
        for t in ends:
            if s == t:
                continue
            others = (set(starts) | set(ends)) - {s, t}
            try:  # a path through another end is that end's path, not this pair's
                simple = nx.shortest_simple_paths(H, s, t, weight="distance")
                tried = islice(simple, k * 5) if others else simple
                paths = list(islice((p for p in tried if not others & set(p)), k))
            except nx.NetworkXNoPath:
                continue
            for rank, path in enumerate(paths):
                length = sum(H.edges[u, v]["distance"] for u, v in pairwise(path))
                found.append((rank, length, path))
    firsts = sorted(((d, p) for r, d, p in found if r == 0), key=lambda x: (x[0], x[1]))
    rest = sorted(((d, p) for r, d, p in found if r > 0), key=lambda x: (x[0], x[1]))
    chosen = (firsts + rest)[: max(k, len(firsts))]
    rows = []
    for number, (length, path) in enumerate(chosen, start=1):
        for step, (u, v) in enumerate(pairwise(path), start=1):
            data = H.edges[u, v]
            kinds = sorted((data.get("kinds") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
            rows.append(
                {
                    "path": number, "step": step, "from_id": u,
                    "from_name": G.nodes[u].get("name") or u, "to_id": v,
                    "to_name": G.nodes[v].get("name") or v,
                    "kind": ", ".join(kind for kind, _ in kinds),
                    "sentence": tie_sentence(G, u, v, tables),
                    "records": sorted(set(data.get("sources") or [])),
                    "first_seen": data.get("first_seen"), "last_seen": data.get("last_seen"),
                    "distance": round(float(data["distance"]), 6),
                    "path_distance": round(float(length), 6),
                }
            )  # fmt: skip
    return pd.DataFrame(rows, columns=PATH_COLUMNS)


def path_sentences(steps: pd.DataFrame) -> list[str]:
    """Each path of :func:`evidence_paths` as one text, its steps joined by `` -> ``."""
    return [" -> ".join(group["sentence"]) for _, group in steps.groupby("path", sort=True)]


def neighbourhood(
    G: nx.Graph,
    person: str,
    *,
    hops: int = 1,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> tuple[nx.Graph, pd.DataFrame]:
    """The people within ``hops`` ties of ``person`` and every tie among them.

    Parameters
    ----------
    G : networkx.Graph
        The person graph.
    person : str
        A person id.
    hops : int, default 1
        How many ties away (1: direct contacts).
    tables : mapping, optional
        For sentences from the records (:func:`tie_sentence`).

    Returns
    -------
    (networkx.Graph, DataFrame)
        The subgraph (a copy, each node with ``hops``), and one row per tie: ``from_id,
        from_name, to_id, to_name, hops`` (of the farther end), ``kind``, ``sentence``,
        ``records``, ``first_seen``, ``last_seen``, ``weight``; ties of the person first,
        then by hops and strength.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> for u, v in G.edges:
    ...     G.edges[u, v].update(kinds={"co_arrest": 1}, sources=["A1"])
    >>> sub, ties = neighbourhood(G, "b", hops=1)
    >>> sorted(sub), ties[["from_id", "to_id", "hops"]].values.tolist()
    (['a', 'b', 'c'], [['b', 'a', 1], ['b', 'c', 1]])
    """
    if hops < 1:
        raise AnalysisError(f"hops must be at least 1, got {hops}")
    _ends(G, person, "person")
    away = nx.single_source_shortest_path_length(G, person, cutoff=hops)
    sub = G.subgraph(away).copy()
    nx.set_node_attributes(sub, away, "hops")
    rows = []
    for u, v, data in sub.edges(data=True):
        if away[v] < away[u] or (away[u] == away[v] and v == person):
            u, v = v, u
        kinds = sorted((data.get("kinds") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append(
            {
                "from_id": u, "from_name": G.nodes[u].get("name") or u, "to_id": v,
                "to_name": G.nodes[v].get("name") or v, "hops": away[v],
                "kind": ", ".join(kind for kind, _ in kinds),
                "sentence": tie_sentence(G, u, v, tables),
                "records": sorted(set(data.get("sources") or [])),
                "first_seen": data.get("first_seen"), "last_seen": data.get("last_seen"),
                "weight": float(data.get("weight", 1.0)),
            }
        )  # fmt: skip
    ties = pd.DataFrame(
        rows,
        columns=["from_id", "from_name", "to_id", "to_name", "hops", "kind", "sentence",
                 "records", "first_seen", "last_seen", "weight"],
    )  # fmt: skip
    order = ties.assign(_own=ties["from_id"] != person).sort_values(
        ["_own", "hops", "weight", "from_id", "to_id"], ascending=[True, True, False, True, True]
    )
    return sub, order.drop(columns="_own").reset_index(drop=True)
