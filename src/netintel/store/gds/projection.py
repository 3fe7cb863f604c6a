"""The GDS projection of the person graph, generated from ProjectionSettings.

The statement yields the in-process person graph of :mod:`netintel.project`, pair for pair
and weight for weight:

- :data:`TIE_KINDS` holds one Cypher branch per kind of tie (``co_arrest``, ``co_seizure``,
  ``call``, ``link:<type>``, ``shared_vehicle``, ``shared_address``), each yielding the
  evidence rows ``a, b, kind, strength, date`` that :func:`netintel.project.evidence` builds
  in pandas, between *resolved* people (a Person stands for its ``resolved_id``, as
  :func:`netintel.resolve.fold.fold_tables` folds the tables), with the same ``max_group``
  limit (groups above it are skipped, silently here);
- one common tail drops dated evidence outside the window (undated evidence is a standing
  fact and stays), multiplies each row's strength by its kind weight
  (:meth:`~netintel.project.ProjectionSettings.weight_of`: ``link:<type>`` falls back to
  ``link:other``) and by ``0.5 ** (age / half_life)`` (age in days before
  ``reference_date``, else before the latest date of the windowed evidence, which
  :func:`reference_statement` finds), drops rows left with no strength, sums the rest per
  unordered pair of people, and projects them as undirected ``TIE`` relationships with
  ``weight`` (the strength) and ``distance``
  (:func:`netintel.analysis.weights.strength_to_distance_cypher`: the rule lives there);
- every resolved person is a node (isolates too), with one directed ``SELF`` loop, which
  only the eigenvector reads (see :mod:`netintel.store.gds`).

Labels and relationship types are fixed words of the schema; every value (graph name, kind
weights, window, half-life, reference date, ``max_group``) is a ``$parameter``
(:func:`projection_parameters`).

Examples
--------
>>> from netintel.project import ProjectionSettings
>>> text = projection_statement(ProjectionSettings(since="2023"))
>>> "gds.graph.project(" in text and "$since" in text and "2023" not in text
True
>>> projection_parameters(ProjectionSettings(since="2023"), "g")["since"]
datetime.date(2023, 1, 1)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from netintel.analysis.weights import strength_to_distance_cypher
from netintel.project import ProjectionSettings

__all__ = [
    "MISSING_RESOLVED",
    "PEOPLE",
    "SELF",
    "TIE",
    "TIE_KINDS",
    "projection_parameters",
    "projection_statement",
    "reference_statement",
]

#: The relationship types of the projection: a tie between two people (undirected), and
#: the loop of every person onto itself (directed; read by the eigenvector only).
TIE, SELF = "TIE", "SELF"


# A Person stands for the resolved person its resolved_id names (netintel.resolve.fold).
_RID = "coalesce({v}.resolved_id, {v}.id)"


def _group_branch(kind: str, rel_type: str, label: str, dated: bool) -> str:
    """Evidence of people sharing one event, vehicle or address: every pair of the resolved
    people tied to the same node, groups of more than ``$max_group`` skipped."""
    date = "g.first_seen" if dated else "null"
    return (
        f"MATCH (p:Person)-[:{rel_type}]->(g:{label})\n"
        f"WITH g, collect(DISTINCT {_RID.format(v='p')}) AS people\n"
        "WHERE size(people) <= $max_group\n"
        "UNWIND people AS a\n"
        "UNWIND people AS b\n"
        "WITH g, a, b WHERE a < b\n"
        f"RETURN a, b, '{kind}' AS kind, 1.0 AS strength, {date} AS date"
    )


def _users(v: str) -> str:
    """The resolved people using phone ``v``; none when more than ``$max_group`` do."""
    users = f"COLLECT {{ MATCH (u:Person)-[:USES]->({v}) RETURN DISTINCT {_RID.format(v='u')} }}"
    return f"CASE WHEN {v}:Person THEN [{_RID.format(v=v)}] ELSE {users} END"


#: One Cypher branch per kind of tie, yielding evidence rows ``a, b, kind, strength, date``
#: of resolved people ``a <> b``: the rows :func:`netintel.project.evidence` builds in pandas.
TIE_KINDS: dict[str, str] = {
    # arrested in the same Arrest event (dated by the arrest)
    "co_arrest": _group_branch("co_arrest", "ARRESTED_IN", "Arrest", dated=True),
    # different arrests linked to the same Seizure; people also arrested together for it
    # have a co_arrest tie already. Dated by the earlier of the two people's arrests.
    "co_seizure": (
        "MATCH (p:Person)-[:ARRESTED_IN]->(e:Arrest)-[:LINKED_TO]->(s:Seizure)\n"
        f"WITH s, {_RID.format(v='p')} AS rid, min(e.first_seen) AS first,\n"
        "     collect(DISTINCT e) AS arrests\n"
        "WITH s, collect({rid: rid, first: first, arrests: arrests}) AS people\n"
        "WHERE size(people) <= $max_group\n"
        "UNWIND people AS x\n"
        "UNWIND people AS y\n"
        "WITH x, y WHERE x.rid < y.rid AND none(e IN x.arrests WHERE e IN y.arrests)\n"
        "RETURN x.rid AS a, y.rid AS b, 'co_seizure' AS kind, 1.0 AS strength,\n"
        "       CASE WHEN x.first IS NULL OR y.first < x.first THEN y.first ELSE x.first END\n"
        "         AS date"
    ),
    # a communication between two people, or between phones (each the people using it);
    # strength 1 + ln(count)
    "call": (
        "MATCH (x)-[c:CALLED]->(y)\n"
        "WHERE (x:Person OR x:Phone) AND (y:Person OR y:Phone)\n"
        f"WITH c, {_users('x')} AS xs, {_users('y')} AS ys\n"
        "WITH c,\n"
        "     CASE WHEN size(xs) > $max_group THEN [] ELSE xs END AS xs,\n"
        "     CASE WHEN size(ys) > $max_group THEN [] ELSE ys END AS ys\n"
        "UNWIND xs AS a\n"
        "UNWIND ys AS b\n"
        "WITH c, a, b WHERE a <> b\n"
        "RETURN a, b, 'call' AS kind,\n"
        "       1.0 + log(CASE WHEN c.count IS NULL OR c.count < 1 THEN 1.0\n"
        "                 ELSE toFloat(c.count) END) AS strength,\n"
        "       c.first_seen AS date"
    ),
    # an explicit link record, kind link:<type>, strength its recorded weight (else 1)
    "link": (
        "MATCH (x:Person)-[l:LINKED]->(y:Person)\n"
        f"WITH l, {_RID.format(v='x')} AS a, {_RID.format(v='y')} AS b\n"
        "WHERE a <> b\n"
        "RETURN a, b, 'link:' + coalesce(l.link_type, 'other') AS kind,\n"
        "       coalesce(toFloat(l.weight), 1.0) AS strength, l.first_seen AS date"
    ),
    # recorded with the same vehicle, or at the same address (undated: standing facts)
    "shared_vehicle": _group_branch("shared_vehicle", "USES_VEHICLE", "Vehicle", dated=False),
    "shared_address": _group_branch("shared_address", "LIVES_AT", "Address", dated=False),
}

_WINDOW = (
    "WHERE date IS NULL OR (($since IS NULL OR date >= $since) "
    "AND ($until IS NULL OR date <= $until))"
)
_KIND_WEIGHT = (
    "coalesce($kind_weights[kind], "
    "CASE WHEN kind STARTS WITH 'link:' THEN $link_other ELSE 0.0 END)"
)
_RECENCY = (
    "CASE WHEN date IS NULL OR $reference IS NULL THEN 1.0 "
    "ELSE 0.5 ^ (toFloat(CASE WHEN date > $reference THEN 0 "
    "ELSE duration.inDays(date, $reference).days END) / $half_life) END"
)
_PEOPLE = (
    "MATCH (p:Person)\n"
    f"WITH DISTINCT {_RID.format(v='p')} AS rid\n"
    "MATCH (n:Person {id: rid})\n"
    "RETURN n AS source, n AS target, null AS weight"
)

#: Every resolved person.
PEOPLE = f"MATCH (p:Person) RETURN DISTINCT {_RID.format(v='p')} AS person_id"

#: Resolved ids that name no Person (the projection needs the Person each one names).
MISSING_RESOLVED = (
    "MATCH (p:Person) WHERE p.resolved_id IS NOT NULL\n"
    "AND NOT EXISTS { MATCH (:Person {id: p.resolved_id}) }\n"
    "RETURN count(p) AS n, collect(DISTINCT p.resolved_id)[..3] AS examples"
)


def _kinds(settings: ProjectionSettings, *, all_kinds: bool = False) -> list[str]:
    """The tie kinds whose evidence can carry strength under ``settings`` (all of them for
    the reference date, which counts every piece of windowed evidence)."""
    if all_kinds:
        return list(TIE_KINDS)
    links = [w for k, w in settings.kind_weights.items() if k.startswith("link:")]
    out = []
    for kind in TIE_KINDS:
        if kind == "link":
            # link:other is the fallback of every type without a weight of its own
            if any(float(w) != 0 for w in links) or settings.weight_of("link:other") != 0:
                out.append(kind)
        elif settings.weight_of(kind) != 0:
            out.append(kind)
    return out


def _evidence(settings: ProjectionSettings, kinds: list[str]) -> str:
    """The evidence rows of ``kinds``, inside the settings' window."""
    if not kinds:  # nothing can tie two people: an empty evidence table
        body = "UNWIND [] AS a RETURN a, a AS b, '' AS kind, 0.0 AS strength, null AS date"
    else:
        body = "\n  UNION ALL\n".join(_indent(TIE_KINDS[k]) for k in kinds)
    text = f"CALL () {{\n{body}\n}}\nWITH a, b, kind, strength, date\n"
    if not settings.window.is_open:
        text += _WINDOW + "\n"
    return text


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def reference_statement(settings: ProjectionSettings | None = None) -> str:
    """The preliminary query of the recency reference date: the latest date of the
    windowed evidence (every kind, as in :func:`netintel.project.weigh`).

    >>> reference_statement().splitlines()[-1]
    'RETURN max(date) AS reference'
    """
    settings = (settings or ProjectionSettings()).validate()
    return _evidence(settings, _kinds(settings, all_kinds=True)) + "RETURN max(date) AS reference"


def projection_statement(settings: ProjectionSettings | None = None) -> str:
    """The GDS Cypher projection of the person graph for ``settings``.

    Parameters
    ----------
    settings : ProjectionSettings, optional
        Kind weights, window, half-life and ``max_group``; default settings when ``None``.
        Only the *shape* of the statement depends on them (which kinds can carry strength,
        whether there is a window or a half-life); their values are parameters
        (:func:`projection_parameters`).

    Returns
    -------
    str
        One statement returning ``graph, nodes, ties``.

    Examples
    --------
    >>> text = projection_statement()
    >>> "'co_arrest' AS kind" in text and "$since" not in text and "$half_life" not in text
    True
    >>> "$half_life" in projection_statement(ProjectionSettings(half_life_days=90))
    True
    """
    settings = (settings or ProjectionSettings()).validate()
    factor = _KIND_WEIGHT
    if settings.half_life_days:
        factor = f"({_KIND_WEIGHT} * {_RECENCY})"
    ties = (
        _evidence(settings, _kinds(settings)) + f"WITH a, b, strength * {factor} AS strength\n"
        "WHERE strength > 0\n"
        "WITH CASE WHEN a < b THEN a ELSE b END AS u, CASE WHEN a < b THEN b ELSE a END AS v,\n"
        "     strength\n"
        "WITH u, v, sum(strength) AS weight\n"
        "MATCH (s:Person {id: u})\n"
        "MATCH (t:Person {id: v})\n"
        "RETURN s AS source, t AS target, weight"
    )
    distance = strength_to_distance_cypher("weight")
    return (
        f"CALL () {{\n{_indent(ties)}\n  UNION ALL\n{_indent(_PEOPLE)}\n}}\n"
        "WITH gds.graph.project(\n"
        "  $graph_name, source, target,\n"
        f"  CASE WHEN weight IS NULL THEN {{relationshipType: '{SELF}'}}\n"
        f"  ELSE {{relationshipType: '{TIE}',\n"
        f"        relationshipProperties: {{weight: weight, distance: {distance}}}}} END,\n"
        f"  {{undirectedRelationshipTypes: ['{TIE}']}}\n"
        ") AS g\n"
        "RETURN g.graphName AS graph, g.nodeCount AS nodes,\n"
        "       g.relationshipCount AS relationships"
    )


def projection_parameters(
    settings: ProjectionSettings | None,
    graph_name: str,
    reference: dt.date | None = None,
) -> dict[str, Any]:
    """The parameters of :func:`projection_statement` (and :func:`reference_statement`).

    Parameters
    ----------
    settings : ProjectionSettings or None
    graph_name : str
        Name of the in-memory graph in the GDS catalog.
    reference : datetime.date, optional
        The recency reference date when ``settings.reference_date`` is not set (the result
        of :func:`reference_statement`).

    Returns
    -------
    dict

    Raises
    ------
    AnalysisError
        If a setting is invalid (:meth:`~netintel.project.ProjectionSettings.validate`).

    Examples
    --------
    >>> p = projection_parameters(None, "g")
    >>> p["kind_weights"]["co_arrest"], p["link_other"], p["max_group"], p["since"]
    (1.0, 0.5, 50, None)
    >>> s = ProjectionSettings(half_life_days=30, reference_date="2024-06-30", until="2024-05")
    >>> p = projection_parameters(s, "g")
    >>> p["reference"], p["until"], p["half_life"]
    (datetime.date(2024, 6, 30), datetime.date(2024, 5, 31), 30.0)
    """
    settings = (settings or ProjectionSettings()).validate()
    start, end = settings.window.first_day, settings.window.last_day
    params: dict[str, Any] = {
        "graph_name": graph_name,
        "max_group": int(settings.max_group),
        "kind_weights": {str(k): float(v) for k, v in settings.kind_weights.items()},
        "link_other": settings.weight_of("link:other"),
        "since": None if start is None else start.date(),
        "until": None if end is None else end.date(),
    }
    if settings.half_life_days:
        if settings.reference_date:
            reference = pd.Timestamp(settings.reference_date).date()
        params.update(half_life=float(settings.half_life_days), reference=reference)
    return params
