"""What ``ws.show(...)`` and ``ws.network.view(...)`` show: the network view of a workspace.

The view itself is :func:`netintel.report.view.network_view`; here the workspace supplies the
person graph of a window, the ranked target list (names, scores, rings, explanations) and
turns what was asked for into a cut: a person named in any spelling, phone or ID
(``ws.person``), a list of people, a ranked table or a ring's members, the nodes of a
Cypher result, or the people of ``ws.path(...)`` or ``ws.neighbourhood(...)``.

Examples
--------
>>> view = show(ws, top=5)
>>> view.cut.caption.startswith("Top 5 people by score: 5 of ")
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from netintel.errors import InputError

if TYPE_CHECKING:
    from netintel.workspace import Workspace


def person_ids_in(frame: pd.DataFrame) -> list[str]:
    """The resolved person ids a table names: its ``person_id`` column, else the Person
    nodes (and the people on paths) of a Cypher result, mapped to their resolved person.

    >>> person_ids_in(pd.DataFrame({"p": [{"_LABEL": "Person", "id": "P-1", "resolved_id": "P-9"}]}))
    ['P-9']
    >>> person_ids_in(pd.DataFrame({"person_id": ["P-2", "P-1", "P-2"]}))
    ['P-2', 'P-1']
    """
    if "person_id" in frame.columns:
        return list(dict.fromkeys(str(p) for p in frame["person_id"].dropna()))
    found: list[str] = []

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("_LABEL") == "Person" or "resolved_id" in value:
                found.append(str(value.get("resolved_id") or value.get("id")))
            for inner in value.get("_NODES") or ():
                visit(inner)
        elif isinstance(value, list | tuple):
            for inner in value:
                visit(inner)

    for column in frame.columns:
        for value in frame[column]:
            visit(value)
    return list(dict.fromkeys(found))


def resolve_person(ws: Workspace, text: str, graph: nx.Graph) -> str:
    """A person id of ``graph`` for ``text``: the id itself, else ``ws.person(text)`` (a
    name in any spelling, an alias, a phone, an ID or a plate)."""
    if text in graph:
        return text
    finder = getattr(ws, "person", None)
    if finder is None:
        raise InputError(f"{text!r} is not a person id of this workspace")
    return finder(text)


def show(
    ws: Workspace,
    what: Any = None,
    *,
    top: int | None = None,
    ring: int | str | None = None,
    around: str | None = None,
    hops: int = 1,
    between: Sequence[str] | None = None,
    people: Iterable[str] | None = None,
    window: Any = None,
    color: str = "ring",
    max_people: int | None = None,
    title: str | None = None,
    height: int = 600,
    seed: int = 0,
) -> Any:
    """The network view of ``ws`` (see :meth:`netintel.workspace.Workspace.show`)."""
    from netintel.report.view import MAX_PEOPLE, network_view

    graph = ws.graph(window=window)
    nodes = ws.network.rank_targets(window=window, seed=seed)
    if color in ("country", "province"):
        places = ws.network.person_places()[["person_id", color]]
        nodes = nodes.merge(places, on="person_id", how="left")
    if isinstance(what, pd.DataFrame):
        people = person_ids_in(what)
        if not people:
            raise InputError(
                "the table names no people: it needs a person_id column, or Person nodes "
                "returned by a Cypher query (RETURN p)"
            )
    elif isinstance(what, nx.Graph):
        people = list(what)
    elif isinstance(getattr(what, "graph", None), nx.Graph):  # ws.path(...), ws.neighbourhood(...)
        people = list(what.graph)
    elif isinstance(what, str):
        around = what
    elif what is not None:
        people = list(what)
    if around is not None:
        around = resolve_person(ws, around, graph)
    if between is not None:
        between = [resolve_person(ws, p, graph) for p in between]
    return network_view(
        graph, nodes, top=top, ring=ring, around=around, hops=hops, between=between,
        people=people, color=color, max_people=max_people or MAX_PEOPLE, title=title,
        height=height, seed=seed,
    )  # fmt: skip
