"""Graph Data Science where the data lives: the person graph analysed inside Neo4j.

When the store is Neo4j and the server has the Graph Data Science plugin (``RETURN
gds.version()``), the person graph of :mod:`netintel.project` is projected *in the
database*, and degree, strength, betweenness, PageRank, eigenvector, k-core, weakly
connected components, Louvain and Leiden run there: only the results leave the server.
Every call is a Cypher statement sent through the store's own driver.

The projection is generated from :class:`~netintel.project.ProjectionSettings` and yields
the in-process person graph, pair for pair and weight for weight:

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
  ``reference_date``, else before the latest date of the windowed evidence, which a
  preliminary query finds), drops rows left with no strength, sums the rest per unordered
  pair of people, and projects them as undirected ``TIE`` relationships with ``weight`` (the
  strength) and ``distance``
  (:func:`netintel.analysis.weights.strength_to_distance_cypher`);
- every resolved person is a node (isolates too), with one directed ``SELF`` loop, which
  only the eigenvector reads (see below).

Labels and relationship types are fixed words of the schema; every value (graph name, kind
weights, window, half-life, reference date, ``max_group``, algorithm settings, property
names and values written back) is a ``$parameter``.

Against the in-process NetworkX path, checked on a live Neo4j 5.26.24 with GDS 2.13.9
(``tests/store/test_gds.py``; numbers in ``docs/neo4j.md``):

- degree, strength, k-core and components: equal.
- betweenness (on ``distance``, exact by default): equal. GDS counts each unordered pair
  once; netintel multiplies by ``2 / ((n - 1)(n - 2))``, NetworkX's normalisation of an
  undirected graph. Sampled betweenness is *not* the in-process estimator: see
  :func:`centrality`.
- PageRank (on ``weight``; tolerance 1e-12, up to 1,000 iterations), rescaled to sum to 1:
  equal. GDS lets the share of people without ties leak away where NetworkX spreads it over
  everyone; that changes every score by the same factor, which the rescaling removes.
- eigenvector: GDS has no *weighted* eigenvector centrality (a weighted run divides what a
  person passes on by their weighted degree, and converges to the strength vector), so it
  runs unweighted and equals ``centrality(G, weight=None)["eigenvector"]``, rescaled per
  component as that is. GDS 2.13's power iteration carries unnormalised scores from one
  superstep to the next: it never converges on a bipartite component (a star of couriers,
  a chain, any tree) and overflows to zeros when it needs many supersteps. The ``SELF``
  loops make it iterate ``A + I``, which converges on bipartite components too; what still
  overflows (measured: a star of 200 contacts) comes back NaN, with a warning.
- Louvain (GDS: no seed, no resolution; one thread, so a run is repeatable) and Leiden
  (``randomSeed``, ``gamma`` = resolution): rings as good as the in-process ones by
  modularity, and the same rings where the network has clear rings, but not identical ones
  where it has not (nor are two in-process runs with different seeds).

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
import logging
import math
import uuid
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from netintel.analysis.centrality import MEASURES, round_significant
from netintel.analysis.weights import strength_to_distance_cypher
from netintel.errors import AnalysisError, ReadOnlyError, StoreError
from netintel.project import ProjectionSettings
from netintel.resolve.fold import fold_tables
from netintel.store import cypher
from netintel.store.base import GraphStore

log = logging.getLogger(__name__)

#: Person properties written by ``write_back=True``.
WRITE_PROPERTIES = {
    **{m: f"netintel_{m}" for m in MEASURES},
    "community": "netintel_community",
    "component": "netintel_component",
}

VERSION = "RETURN gds.version() AS version"
TIE, SELF = "TIE", "SELF"

# -- the projection ---------------------------------------------------------------------------
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
    start, end = settings.window()
    if start is not None or end is not None:
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
    settings = settings or ProjectionSettings()
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
    settings = settings or ProjectionSettings()
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
        If the window or the reference date is not a date, or the half-life is not > 0.

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
    settings = settings or ProjectionSettings()
    start, end = settings.window()
    params: dict[str, Any] = {
        "graph_name": graph_name,
        "max_group": int(settings.max_group),
        "kind_weights": {str(k): float(v) for k, v in settings.kind_weights.items()},
        "link_other": settings.weight_of("link:other"),
        "since": None if start is None else start.date(),
        "until": None if end is None else end.date(),
    }
    if settings.half_life_days:
        half_life = float(settings.half_life_days)
        if not half_life > 0 or not math.isfinite(half_life):
            raise AnalysisError(f"half_life_days must be a number > 0, got {half_life!r}")
        if settings.reference_date:
            try:
                reference = pd.Timestamp(settings.reference_date).date()
            except (TypeError, ValueError) as e:
                raise AnalysisError(
                    f"reference_date {settings.reference_date!r} is not a date: {e}"
                ) from None
        params.update(half_life=half_life, reference=reference)
    return params


# -- availability -----------------------------------------------------------------------------
def _neo4j(store: GraphStore | None) -> Any:
    """``store`` if it is a Neo4j store; else an AnalysisError saying what GDS needs."""
    if store is None or getattr(store, "backend", None) != "neo4j":
        backend = getattr(store, "backend", "no store")
        raise AnalysisError(
            f"engine 'gds' runs inside a Neo4j server with Graph Data Science; this store is "
            f"{backend}: open a Neo4j URI (--neo4j bolt://host:7687) or use --engine networkx"
        )
    return store


def _gds_version(store: Any) -> tuple[str | None, str]:
    try:
        return str(store._run(VERSION, {}, write=False).iloc[0, 0]), ""
    except ReadOnlyError:
        raise
    except StoreError as e:
        return None, str(e)


def gds_version(store: GraphStore | None) -> str | None:
    """The server's GDS version, or ``None`` when the store is not Neo4j or has no GDS."""
    if getattr(store, "backend", None) != "neo4j":
        return None
    version, why = _gds_version(store)
    if version is None:
        log.info("no Graph Data Science on %r: %s", store, why)
    return version


def require_gds(store: GraphStore | None) -> str:
    """The GDS version of ``store``'s server.

    Raises
    ------
    AnalysisError
        If the store is not Neo4j, or the server has no Graph Data Science (the message says
        what is missing and what to do instead).
    """
    store = _neo4j(store)
    version, why = _gds_version(store)
    if version is None:
        raise AnalysisError(
            f"the Neo4j server behind {store!r} has no Graph Data Science plugin "
            f"(RETURN gds.version() failed: {why}); install GDS on the server or use "
            "--engine networkx"
        )
    return version


def wants_gds(
    engine: str,
    store: GraphStore | None,
    *,
    algorithm: str = "louvain",
    resolution: float = 1.0,
) -> bool:
    """Whether ``engine`` selects GDS on ``store``.

    Always for ``"gds"`` (which then fails clearly where GDS is missing, or cannot do what is
    asked); for ``"auto"``, when the store is Neo4j with GDS and GDS can run ``algorithm``
    at ``resolution`` (GDS Louvain has no resolution); never for another engine (the
    in-process analyses validate those).

    >>> wants_gds("networkx", None), wants_gds("auto", None), wants_gds("gds", None)
    (False, False, True)
    """
    if engine == "gds":
        return True
    if engine != "auto" or (algorithm == "louvain" and resolution != 1.0):
        return False
    return gds_version(store) is not None


# -- running ----------------------------------------------------------------------------------
DROP = "CALL gds.graph.drop($graph_name, false) YIELD graphName RETURN graphName"

#: Streaming calls: what -> statement returning ``person_id, value``; the algorithm's
#: configuration is the ``$config`` parameter.
STREAMS = {
    what: (
        f"CALL gds.{proc}.stream($graph_name, $config) YIELD nodeId, {column}\n"
        f"RETURN gds.util.asNode(nodeId).id AS person_id, {column} AS value"
    )
    for what, proc, column in (
        ("degree", "degree", "score"),
        ("betweenness", "betweenness", "score"),
        ("pagerank", "pageRank", "score"),
        ("eigenvector", "eigenvector", "score"),
        ("kcore", "kcore", "coreValue"),
        ("wcc", "wcc", "componentId"),
        ("louvain", "louvain", "communityId"),
        ("leiden", "leiden", "communityId"),
    )
}

#: The configuration of each call (sent as ``$config``). Every call reads the ties only
#: (``relationshipTypes: [TIE]``) but the eigenvector, which also reads the self-loops.
CONFIGS: dict[str, dict[str, Any]] = {
    "degree": {},
    "strength": {"relationshipWeightProperty": "weight"},
    # exact unless samplingSize/samplingSeed are added (see centrality)
    "betweenness": {"relationshipWeightProperty": "distance"},
    # tight: GDS's defaults (tolerance 1e-7, 20 iterations) are 1.4% off on oversize
    "pagerank": {
        "relationshipWeightProperty": "weight",
        "dampingFactor": 0.85,
        "maxIterations": 1000,
        "tolerance": 1e-12,
    },
    # unweighted, on A + I (the self-loops): see the module notes
    "eigenvector": {"relationshipTypes": [TIE, SELF], "maxIterations": 1000, "tolerance": 1e-12},
    "kcore": {},
    "wcc": {},
    # GDS Louvain has no seed; one thread makes a run repeatable
    "louvain": {"relationshipWeightProperty": "weight", "concurrency": 1},
    # plus gamma and randomSeed (see communities)
    "leiden": {"relationshipWeightProperty": "weight", "concurrency": 1},
}
#: Up to this many people the iterative calls run on one thread: GDS's eigenvector spends
#: ~60 ms a superstep coordinating threads (9 s against 0.3 s on fixtures/small).
SMALL_GRAPH = 100_000

#: Writes values onto every stored Person of each resolved person: ``$rows`` of
#: ``{person_id, properties}`` (property name -> value, names from :data:`WRITE_PROPERTIES`).
WRITE_BACK = (
    "UNWIND $rows AS row\n"
    "MATCH (p:Person)\n"
    "WHERE p.resolved_id = row.person_id OR (p.resolved_id IS NULL AND p.id = row.person_id)\n"
    "SET p += row.properties\n"
    "RETURN count(p) AS written"
)


@dataclass(frozen=True)
class Projection:
    """A person graph projected into the GDS catalog (see :func:`projected`).

    ``people`` counts the resolved people, ``ties`` the pairs of them with evidence. When
    no two people are tied under the settings, GDS cannot hold the graph (an undirected
    relationship type needs one relationship); then nothing is projected, ``alone`` lists
    the people, and :meth:`stream` gives what every algorithm gives on people without ties.
    """

    store: Any
    name: str
    people: int
    ties: int
    gds_version: str
    alone: tuple[str, ...] = ()

    def stream(self, what: str, config: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Run :data:`STREAMS` ``[what]`` with ``config`` (default :data:`CONFIGS`
        ``[what]``): ``person_id, value``, one row per resolved person."""
        if self.ties == 0:
            # each person alone: a group of their own, no degree, core, betweenness or
            # eigenvector score, and the same PageRank (the teleport share) for all
            ids = list(self.alone)
            if what in ("wcc", "louvain", "leiden"):
                return pd.DataFrame({"person_id": ids, "value": range(len(ids))})
            return pd.DataFrame({"person_id": ids, "value": float(what == "pagerank")})
        config = {"relationshipTypes": [TIE], **(CONFIGS[what] if config is None else config)}
        if self.people <= SMALL_GRAPH and "concurrency" not in config:
            config["concurrency"] = 1
        params = {"graph_name": self.name, "config": config}
        return self.store._run(STREAMS[what], params, write=False)


def _reference(store: Any, settings: ProjectionSettings) -> dt.date | None:
    """The recency reference date the preliminary query finds, when one is needed."""
    if not settings.half_life_days or settings.reference_date:
        return None
    params = projection_parameters(settings, "")
    out = store._run(reference_statement(settings), params, write=False)
    value = out["reference"].iloc[0] if len(out) else None
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


@contextmanager
def projected(
    store: GraphStore, settings: ProjectionSettings | None = None
) -> Iterator[Projection]:
    """Project the person graph for ``settings`` into GDS; yield it; drop it afterwards.

    Raises
    ------
    AnalysisError
        If the store is not Neo4j with GDS, holds no people, or a ``resolved_id`` names no
        Person.
    """
    version = require_gds(store)
    settings = settings or ProjectionSettings()
    missing = store._run(MISSING_RESOLVED, {}, write=False)
    if int(missing["n"].iloc[0]):
        raise AnalysisError(
            f"{int(missing['n'].iloc[0])} Person node(s) have a resolved_id that names no "
            f"Person (e.g. {missing['examples'].iloc[0]}); run `netintel resolve` again"
        )
    name = f"netintel-{uuid.uuid4().hex[:12]}"
    params = projection_parameters(settings, name, _reference(store, settings))
    try:
        try:
            info = store._run(projection_statement(settings), params, write=False)
        except StoreError as e:
            if f"undirectedRelationshipTypes `[{TIE}]` were not projected" not in str(e):
                raise
            people = store._run(PEOPLE, {}, write=False)["person_id"].astype(str)
            log.info("GDS projection: no ties between %s people", len(people))
            yield Projection(store, name, len(people), 0, version, tuple(sorted(people)))
            return
        if info.empty or pd.isna(info["nodes"].iloc[0]):  # no rows: nothing was projected
            raise AnalysisError(f"{store!r} holds no people to analyse")
        people = int(info["nodes"].iloc[0])
        # a tie is undirected (two relationships), a self-loop directed (one)
        ties = (int(info["relationships"].iloc[0]) - people) // 2
        log.info("GDS projection %s: %s people, %s ties", name, people, ties)
        yield Projection(store, name, people, ties, version)
    finally:
        try:
            store._run(DROP, {"graph_name": name}, write=False)
        except StoreError as e:  # the projection may not exist if it failed
            log.warning("could not drop GDS graph %s: %s", name, e)


def write_properties(store: GraphStore, frame: pd.DataFrame, columns: Mapping[str, str]) -> int:
    """Write ``frame[column]`` to the property ``columns[column]`` of every stored Person of
    each resolved person (``frame["person_id"]``), in batches of the store's batch size.

    Returns
    -------
    int
        The Person nodes written.

    Raises
    ------
    ReadOnlyError
        If the store was opened read-only.
    """
    names = list(columns)
    rows = [
        {
            "person_id": str(pid),
            "properties": {columns[c]: _plain(v) for c, v in zip(names, values, strict=True)},
        }
        for pid, *values in frame[["person_id", *names]].itertuples(index=False)
    ]
    size = int(getattr(store, "batch_size", 10_000))
    written = 0
    for start in range(0, len(rows), size):
        out = store._run(WRITE_BACK, {"rows": rows[start : start + size]}, write=True)
        written += int(out["written"].iloc[0])
    return written


def _plain(value: Any) -> Any:
    """A DataFrame cell as a value the driver sends (NaN as no value)."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    return value


def statements(
    settings: ProjectionSettings | None = None,
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every statement this module sends for ``settings``, with parameters of the right
    shape: ``(what, text, params)``. For review, and for checking each one on a live server
    (``EXPLAIN``).

    >>> [what for what, _, _ in statements()][:3]
    ['version', 'missing resolved', 'people']
    """
    settings = settings or ProjectionSettings()
    graph = {"graph_name": "netintel-check"}
    params = projection_parameters(settings, graph["graph_name"], dt.date(2024, 1, 1))
    yield "version", VERSION, {}
    yield "missing resolved", MISSING_RESOLVED, {}
    yield "people", PEOPLE, {}
    if settings.half_life_days and not settings.reference_date:
        yield "reference date", reference_statement(settings), params
    yield "projection", projection_statement(settings), params
    for what, text in STREAMS.items():
        yield f"stream {what}", text, {**graph, "config": CONFIGS[what]}
    row = {"person_id": "P-1", "properties": {WRITE_PROPERTIES["pagerank"]: 0.5}}
    yield "write back", WRITE_BACK, {"rows": [row]}
    yield "drop", DROP, graph


def _names(store: Any) -> pd.Series:
    """``person_id -> name`` of every resolved person, named as the in-process graph names
    them (:func:`netintel.resolve.fold.fold_tables`)."""
    persons = store._run(cypher.PERSONS, {}, write=False)
    persons["sources"] = [s if isinstance(s, list) else [] for s in persons["sources"]]
    folded = fold_tables({"persons": persons})["persons"]
    return folded.set_index("person_id")["name"]


def _values(frame: pd.DataFrame) -> pd.Series:
    return frame.set_index("person_id")["value"]


def _per_component(values: pd.Series, component: pd.Series) -> pd.Series:
    """Eigenvector values rescaled as :func:`netintel.analysis.centrality.centrality` does:
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
        The columns of :func:`netintel.analysis.centrality.centrality` (``person_id`` and
        :data:`~netintel.analysis.centrality.MEASURES`), one row per resolved person, sorted
        by ``pagerank`` descending then ``person_id``; floats rounded to 12 significant
        digits. ``attrs``: ``engine="gds"``, ``gds_version``, ``weight``,
        ``betweenness_k`` (``None`` when exact), ``betweenness_exact``, ``seed``,
        ``eigenvector_weight=None``.

    Raises
    ------
    AnalysisError
        If the store is not Neo4j with GDS, or ``betweenness_k`` is not an integer >= 2.

    Notes
    -----
    See the module notes for what equals the in-process values. Sampled betweenness: GDS
    draws each source with probability ``degree / max degree``, scanning people in the
    projection's order until ``k`` are drawn (then tops up at random), and sums their
    dependencies once per unordered pair; netintel scales the sum by ``n / k`` and normalises
    it as the exact values. The in-process estimator samples sources uniformly (Brandes &
    Pich 2007) and is unbiased; the GDS one favours well-tied sources and is not.
    """
    _check_k(betweenness_k)
    with projected(store, settings) as g:
        n = g.people
        k = None if betweenness_k is None or betweenness_k >= n else betweenness_k
        between = dict(CONFIGS["betweenness"])
        if k is not None:  # one thread: GDS's sample depends on the threads' timing
            between.update(samplingSize=k, samplingSeed=int(seed or 0), concurrency=1)
        values = {
            "degree": _values(g.stream("degree")),
            "strength": _values(g.stream("degree", CONFIGS["strength"])),
            "betweenness": _values(g.stream("betweenness", between)),
            "pagerank": _values(g.stream("pagerank")),
            "eigenvector": _values(g.stream("eigenvector")),
            "kcore": _values(g.stream("kcore")),
        }
        component = _values(g.stream("wcc"))
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
    :mod:`netintel.analysis.community` numbers rings)."""
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
    """Rings by GDS Louvain or Leiden, as :meth:`netintel.Workspace.communities` returns them.

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
        Also write ``netintel_community`` on the stored people.

    Returns
    -------
    pandas.DataFrame
        ``person_id, name, community``, communities numbered by size (largest is 0), ties
        by smallest member id. ``attrs``: ``engine="gds"``, ``algorithm``, ``seed``,
        ``resolution``, ``communities``.

    Raises
    ------
    AnalysisError
        For an unknown algorithm, a resolution <= 0 (or other than 1 with Louvain), or a
        store that is not Neo4j with GDS.
    """
    if algorithm not in ("louvain", "leiden"):
        raise AnalysisError(f"unknown community algorithm {algorithm!r}; use louvain or leiden")
    if not resolution > 0:
        raise AnalysisError(f"resolution must be > 0, got {resolution!r}")
    if algorithm == "louvain" and resolution != 1.0:
        raise AnalysisError(
            f"resolution {resolution!r}: GDS Louvain has none; use algorithm='leiden' (gamma)"
        )
    config = dict(CONFIGS[algorithm])
    if algorithm == "leiden":
        config.update(gamma=float(resolution), randomSeed=int(seed or 0))
    with projected(store, settings) as g:
        raw = g.stream(algorithm, config)
    out = _numbered(raw, "community", _names(store))
    out.attrs.update(
        engine="gds",
        algorithm=algorithm,
        seed=seed,
        resolution=resolution,
        communities=int(out["community"].nunique()),
    )
    if write_back:
        write_properties(store, out, {"community": WRITE_PROPERTIES["community"]})
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
