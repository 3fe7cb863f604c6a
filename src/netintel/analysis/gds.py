"""Analytics inside Neo4j with Graph Data Science (GDS), for graphs too large to pull out.

When the store is Neo4j and the server has the GDS plugin (``RETURN gds.version()``), the
person graph is projected *in the database* by a Cypher projection of the same ties
:mod:`netintel.project` builds (co-arrest, co-seizure, calls, links, shared vehicles and
addresses, weighted by :class:`~netintel.project.ProjectionSettings`, people folded onto
their ``resolved_id`` as entity resolution decided), and PageRank,
betweenness (sampled), degree, eigenvector, k-core, Louvain or Leiden and weakly connected
components run there through the ``graphdatascience`` client. The results come back in the
shapes of :func:`netintel.analysis.centrality.centrality` and
:func:`netintel.analysis.community.louvain`, and can be written back as node properties
(``netintel_pagerank``, ``netintel_community``, ...) for Neo4j Bloom.

Every statement here is fixed text with ``$parameters``: the graph name, weights, sampling
size, seed and property names are values, never part of the text.

Differences from the in-process path, by design:

- the projection has no time window and no recency half-life (use ``engine="networkx"``
  for ``since``/``until`` or ``half_life_days``);
- PageRank is rescaled to sum to 1 and betweenness normalised by ``(n - 1)(n - 2)`` to match
  NetworkX's scale; eigenvector centrality is GDS's (unit length over the whole graph, not
  per component);
- GDS Louvain takes no seed; it runs with ``concurrency: 1`` so a run is repeatable, and
  takes no resolution (Leiden's ``gamma`` is the resolution).

Examples
--------
>>> "gds.graph.project(" in PROJECTION and "$graph_name" in PROJECTION
True
>>> wants_gds("networkx", None)
False
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from netintel.analysis.centrality import MEASURES
from netintel.errors import AnalysisError, StoreError
from netintel.project import ProjectionSettings
from netintel.store.base import GraphStore

log = logging.getLogger(__name__)

ENGINES = ("auto", "networkx", "igraph", "gds")
#: Node properties written back by ``write_back=True``.
WRITE_PROPERTIES = {
    "pagerank": "netintel_pagerank",
    "betweenness": "netintel_betweenness",
    "community": "netintel_community",
    "component": "netintel_component",
}

VERSION = "RETURN gds.version() AS version"

# The person-to-person ties of netintel.project, as a GDS Cypher projection (GDS >= 2.4).
# Each branch returns (source, target, w) with source.id < target.id; the first branch
# projects every person, so people without ties are nodes too. Then, as the projection
# folds resolved people (netintel.resolve), every Person is replaced by the Person node its
# resolved_id names, ties inside one resolved person are dropped, and weights are summed.
PROJECTION = """
CALL {
  MATCH (p:Person)
  RETURN p AS source, null AS target, 0.0 AS w
  UNION ALL
  MATCH (a:Person)-[:ARRESTED_IN]->(e:Arrest)<-[:ARRESTED_IN]-(b:Person)
  WHERE a.id < b.id AND COUNT { (e)<-[:ARRESTED_IN]-(:Person) } <= $max_group
  RETURN a AS source, b AS target, $weights.co_arrest AS w
  UNION ALL
  MATCH (s:Seizure)<-[:LINKED_TO]-(:Arrest)<-[:ARRESTED_IN]-(p:Person)
  WITH s, collect(DISTINCT p) AS people
  WHERE size(people) <= $max_group
  UNWIND people AS a
  UNWIND people AS b
  WITH s, a, b
  WHERE a.id < b.id
    AND NOT EXISTS {
      MATCH (a)-[:ARRESTED_IN]->(x:Arrest)<-[:ARRESTED_IN]-(b)
      WHERE (x)-[:LINKED_TO]->(s)
    }
  RETURN a AS source, b AS target, $weights.co_seizure AS w
  UNION ALL
  MATCH (a:Person)-[:USES*0..1]->(x)-[c:CALLED]->(y)<-[:USES*0..1]-(b:Person)
  WHERE a <> b
    AND (x:Person OR COUNT { (x)<-[:USES]-(:Person) } <= $max_group)
    AND (y:Person OR COUNT { (y)<-[:USES]-(:Person) } <= $max_group)
  WITH a, b, CASE WHEN coalesce(c.count, 1) < 1 THEN 1 ELSE coalesce(c.count, 1) END AS n
  RETURN CASE WHEN a.id < b.id THEN a ELSE b END AS source,
         CASE WHEN a.id < b.id THEN b ELSE a END AS target,
         $weights.call * (1.0 + log(toFloat(n))) AS w
  UNION ALL
  MATCH (a:Person)-[l:LINKED]->(b:Person)
  WHERE a <> b
  RETURN CASE WHEN a.id < b.id THEN a ELSE b END AS source,
         CASE WHEN a.id < b.id THEN b ELSE a END AS target,
         coalesce($link_weights[coalesce(l.link_type, 'other')], $link_other)
           * coalesce(l.weight, 1.0) AS w
  UNION ALL
  MATCH (v:Vehicle)<-[:USES_VEHICLE]-(p:Person)
  WITH v, collect(DISTINCT p) AS people
  WHERE size(people) <= $max_group
  UNWIND people AS a
  UNWIND people AS b
  WITH a, b
  WHERE a.id < b.id
  RETURN a AS source, b AS target, $weights.shared_vehicle AS w
  UNION ALL
  MATCH (d:Address)<-[:LIVES_AT]-(p:Person)
  WITH d, collect(DISTINCT p) AS people
  WHERE size(people) <= $max_group
  UNWIND people AS a
  UNWIND people AS b
  WITH a, b
  WHERE a.id < b.id
  RETURN a AS source, b AS target, $weights.shared_address AS w
}
WITH source, target, w
MATCH (s:Person {id: coalesce(source.resolved_id, source.id)})
OPTIONAL MATCH (t:Person {id: coalesce(target.resolved_id, target.id)})
WITH CASE WHEN t IS NULL OR s.id < t.id THEN s ELSE t END AS source,
     CASE WHEN t IS NULL OR s.id < t.id THEN t ELSE s END AS target, w
WHERE target IS NULL OR source <> target
WITH source, target, sum(w) AS weight
WHERE target IS NULL OR weight > 0
WITH gds.graph.project(
  $graph_name, source, target,
  {relationshipProperties: {weight: weight,
                            distance: CASE WHEN weight > 0 THEN 1.0 / weight ELSE 0.0 END}},
  {undirectedRelationshipTypes: ['*']}
) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS ties
""".strip()

DROP = "CALL gds.graph.drop($graph_name, false) YIELD graphName RETURN graphName"

_NODE = "gds.util.asNode(nodeId)"
#: Streaming calls: measure -> statement returning ``person_id, name, value``.
STREAMS = {
    "degree": (
        "CALL gds.degree.stream($graph_name) YIELD nodeId, score "
        f"RETURN {_NODE}.id AS person_id, {_NODE}.name AS name, score AS value"
    ),
    "strength": (
        "CALL gds.degree.stream($graph_name, {relationshipWeightProperty: 'weight'}) "
        f"YIELD nodeId, score RETURN {_NODE}.id AS person_id, {_NODE}.name AS name, "
        "score AS value"
    ),
    "betweenness": (
        "CALL gds.betweenness.stream($graph_name, $config) YIELD nodeId, score "
        f"RETURN {_NODE}.id AS person_id, {_NODE}.name AS name, score AS value"
    ),
    "pagerank": (
        "CALL gds.pageRank.stream($graph_name, {relationshipWeightProperty: 'weight'}) "
        f"YIELD nodeId, score RETURN {_NODE}.id AS person_id, {_NODE}.name AS name, "
        "score AS value"
    ),
    "eigenvector": (
        "CALL gds.eigenvector.stream($graph_name, "
        "{relationshipWeightProperty: 'weight', maxIterations: 1000}) YIELD nodeId, score "
        f"RETURN {_NODE}.id AS person_id, {_NODE}.name AS name, score AS value"
    ),
    "kcore": (
        "CALL gds.kcore.stream($graph_name) YIELD nodeId, coreValue "
        f"RETURN {_NODE}.id AS person_id, {_NODE}.name AS name, coreValue AS value"
    ),
    "louvain": (
        "CALL gds.louvain.stream($graph_name, "
        "{relationshipWeightProperty: 'weight', concurrency: 1}) YIELD nodeId, communityId "
        f"RETURN {_NODE}.id AS person_id, {_NODE}.name AS name, communityId AS value"
    ),
    "leiden": (
        "CALL gds.leiden.stream($graph_name, $config) YIELD nodeId, communityId "
        f"RETURN {_NODE}.id AS person_id, {_NODE}.name AS name, communityId AS value"
    ),
    "wcc": (
        "CALL gds.wcc.stream($graph_name) YIELD nodeId, componentId "
        f"RETURN {_NODE}.id AS person_id, {_NODE}.name AS name, componentId AS value"
    ),
}
#: Write-back calls: what -> statement (property name and config are parameters).
WRITES = {
    "pagerank": (
        "CALL gds.pageRank.write($graph_name, {relationshipWeightProperty: 'weight', "
        "writeProperty: $property}) YIELD nodePropertiesWritten RETURN nodePropertiesWritten"
    ),
    "betweenness": (
        "CALL gds.betweenness.write($graph_name, $config) "
        "YIELD nodePropertiesWritten RETURN nodePropertiesWritten"
    ),
    "louvain": (
        "CALL gds.louvain.write($graph_name, {relationshipWeightProperty: 'weight', "
        "concurrency: 1, writeProperty: $property}) "
        "YIELD nodePropertiesWritten RETURN nodePropertiesWritten"
    ),
    "leiden": (
        "CALL gds.leiden.write($graph_name, $config) "
        "YIELD nodePropertiesWritten RETURN nodePropertiesWritten"
    ),
    "wcc": (
        "CALL gds.wcc.write($graph_name, {writeProperty: $property}) "
        "YIELD nodePropertiesWritten RETURN nodePropertiesWritten"
    ),
}


# -- availability -----------------------------------------------------------------------------
def client() -> Any:
    """The ``graphdatascience`` module; raises :class:`AnalysisError` saying how to install it."""
    try:
        import graphdatascience
    except ImportError:
        raise AnalysisError(
            "engine 'gds' needs the Neo4j Graph Data Science client: "
            "pip install 'netintel[gds]' (graphdatascience>=1.10), and the GDS plugin on the "
            "Neo4j server; or use --engine networkx"
        ) from None
    return graphdatascience


def _require_neo4j(store: GraphStore | None) -> Any:
    if store is None or getattr(store, "backend", None) != "neo4j":
        backend = getattr(store, "backend", "no store")
        raise AnalysisError(
            f"engine 'gds' runs inside a Neo4j server with Graph Data Science; this store is "
            f"{backend}: open a Neo4j URI (--neo4j bolt://host:7687) or use --engine networkx"
        )
    return store


def gds_version(store: GraphStore) -> str | None:
    """The server's GDS version, or ``None`` when the store is not Neo4j or has no GDS."""
    if getattr(store, "backend", None) != "neo4j":
        return None
    try:
        return str(store.query(VERSION).iloc[0, 0])
    except StoreError as e:
        log.info("no Graph Data Science on %r: %s", store, e)
        return None


def require_gds(store: GraphStore | None) -> Any:
    """A ``GraphDataScience`` object on the store's driver; raises a clear AnalysisError if
    the store is not Neo4j, the client is not installed or the server has no GDS."""
    store = _require_neo4j(store)
    version = gds_version(store)
    if version is None:
        raise AnalysisError(
            f"the Neo4j server behind {store!r} has no Graph Data Science plugin "
            "(RETURN gds.version() failed); install GDS on the server or use --engine networkx"
        )
    module = client()
    return module.GraphDataScience(store.driver, database=store.settings.database, arrow=False)


def wants_gds(engine: str, store: GraphStore | None) -> bool:
    """Whether ``engine`` selects GDS on ``store``: always for ``"gds"``; for ``"auto"``, when
    the store is Neo4j with GDS and the client is installed; never for another engine (the
    in-process analyses validate those).
    """
    if engine == "gds":
        return True
    if engine != "auto" or getattr(store, "backend", None) != "neo4j":
        return False
    try:
        client()
    except AnalysisError:
        return False
    return gds_version(store) is not None


# -- projection -------------------------------------------------------------------------------
def projection_parameters(settings: ProjectionSettings | None, graph_name: str) -> dict[str, Any]:
    """The parameters of :data:`PROJECTION` for projection settings.

    >>> p = projection_parameters(None, "g")
    >>> p["weights"]["co_arrest"], p["link_weights"]["money_transfer"], p["max_group"]
    (1.0, 1.0, 50)

    Raises
    ------
    AnalysisError
        If the settings ask for a time window or a recency half-life (not in the GDS
        projection).
    """
    settings = settings or ProjectionSettings()
    if settings.since or settings.until or settings.half_life_days:
        raise AnalysisError(
            "the GDS projection has no time window or recency half-life; "
            "use --engine networkx with --since/--until or half_life_days"
        )
    kinds = ("co_arrest", "co_seizure", "call", "shared_vehicle", "shared_address")
    links = {
        k.split(":", 1)[1]: float(v)
        for k, v in settings.kind_weights.items()
        if k.startswith("link:")
    }
    return {
        "graph_name": graph_name,
        "max_group": int(settings.max_group),
        "weights": {k: settings.weight_of(k) for k in kinds},
        "link_weights": links,
        "link_other": settings.weight_of("link:other"),
    }


@contextmanager
def projected(
    store: GraphStore, settings: ProjectionSettings | None = None
) -> Iterator[tuple[Any, str, int]]:
    """Project the person graph in GDS; yield ``(gds, graph_name, people)``; drop it after."""
    gds = require_gds(store)
    name = f"netintel-{uuid.uuid4().hex[:12]}"
    params = projection_parameters(settings, name)
    try:
        info = _run(gds, PROJECTION, params)
        people = int(info["nodes"].iloc[0])
        log.info("GDS projection %s: %s people, %s ties", name, people, info["ties"].iloc[0])
        yield gds, name, people
    finally:
        try:
            _run(gds, DROP, {"graph_name": name})
        except AnalysisError as e:  # the projection may not exist if it failed
            log.warning("could not drop GDS graph %s: %s", name, e)


def _run(gds: Any, query: str, params: dict[str, Any]) -> pd.DataFrame:
    try:
        return gds.run_cypher(query, params)
    except Exception as e:  # driver and client errors, translated at this boundary
        raise AnalysisError(f"Graph Data Science: {type(e).__name__}: {e}") from e


def _stream(gds: Any, what: str, graph_name: str, config: dict | None = None) -> pd.DataFrame:
    params: dict[str, Any] = {"graph_name": graph_name}
    if config is not None:
        params["config"] = config
    return _run(gds, STREAMS[what], params)


# -- analyses ---------------------------------------------------------------------------------
def centrality(
    store: GraphStore,
    *,
    betweenness_k: int | None = None,
    seed: int | None = 0,
    settings: ProjectionSettings | None = None,
    write_back: bool = False,
) -> pd.DataFrame:
    """:func:`netintel.analysis.centrality.centrality` computed by GDS in the database.

    Returns the same columns (``person_id`` and :data:`MEASURES`), sorted by ``pagerank``
    descending then ``person_id``; ``attrs["engine"] == "gds"``. ``betweenness_k`` sets
    GDS's ``samplingSize`` (with ``samplingSeed=seed``); ``None`` is exact. With
    ``write_back``, PageRank and betweenness are also written to ``netintel_pagerank`` and
    ``netintel_betweenness`` on the Person nodes.
    """
    between: dict[str, Any] = {"relationshipWeightProperty": "distance"}
    if betweenness_k is not None:
        if (
            isinstance(betweenness_k, bool)
            or not isinstance(betweenness_k, int)
            or betweenness_k < 2
        ):
            raise AnalysisError(
                f"betweenness_k must be an integer >= 2 or None, got {betweenness_k!r}"
            )
        between.update(samplingSize=betweenness_k, samplingSeed=int(seed or 0))
    with projected(store, settings) as (gds, name, n):
        frames = {
            m: _stream(gds, m, name, between if m == "betweenness" else None) for m in MEASURES
        }
        if write_back:
            _run(
                gds,
                WRITES["pagerank"],
                {"graph_name": name, "property": WRITE_PROPERTIES["pagerank"]},
            )
            _run(
                gds,
                WRITES["betweenness"],
                {
                    "graph_name": name,
                    "config": {**between, "writeProperty": WRITE_PROPERTIES["betweenness"]},
                },
            )
    out = frames["pagerank"][["person_id"]].copy()
    for m in MEASURES:
        values = frames[m].set_index("person_id")["value"]
        out[m] = out["person_id"].map(values)
    out["degree"] = out["degree"].astype("int64")
    out["kcore"] = out["kcore"].astype("int64")
    total = out["pagerank"].sum()
    if total > 0:
        out["pagerank"] = out["pagerank"] / total
    if n > 2:
        out["betweenness"] = out["betweenness"] / ((n - 1) * (n - 2))
    out = out.sort_values(
        ["pagerank", "person_id"], ascending=[False, True], kind="mergesort", ignore_index=True
    )
    out.attrs.update(
        engine="gds",
        backend=None,
        weight="weight",
        betweenness_k=betweenness_k,
        betweenness_exact=betweenness_k is None,
        seed=seed,
    )
    return out


def _numbered(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Groups renumbered 0.. by size, largest first, ties by smallest member id."""
    groups = frame.groupby("value")["person_id"]
    order = sorted(
        ((len(members), min(members), key) for key, members in groups), key=lambda t: (-t[0], t[1])
    )
    number = {key: i for i, (_, _, key) in enumerate(order)}
    out = pd.DataFrame(
        {
            "person_id": frame["person_id"],
            "name": frame["name"],
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
    """Rings by GDS Louvain or Leiden: ``person_id, name, community`` as
    :meth:`netintel.Workspace.communities` returns them (largest community is 0).

    Raises
    ------
    AnalysisError
        For an unknown algorithm, or a resolution other than 1 with Louvain (GDS Louvain has
        none; use Leiden, whose ``gamma`` it sets).
    """
    if algorithm not in ("louvain", "leiden"):
        raise AnalysisError(f"unknown community algorithm {algorithm!r}; use louvain or leiden")
    if not resolution > 0:
        raise AnalysisError(f"resolution must be > 0, got {resolution!r}")
    if algorithm == "louvain" and resolution != 1.0:
        raise AnalysisError("GDS Louvain has no resolution; use algorithm='leiden' (gamma)")
    config = {
        "relationshipWeightProperty": "weight",
        "gamma": float(resolution),
        "randomSeed": int(seed or 0),
        "concurrency": 1,
    }
    with projected(store, settings) as (gds, name, _):
        raw = _stream(gds, algorithm, name, config if algorithm == "leiden" else None)
        if write_back:
            prop = WRITE_PROPERTIES["community"]
            params: dict[str, Any] = {"graph_name": name, "property": prop}
            if algorithm == "leiden":
                params = {"graph_name": name, "config": {**config, "writeProperty": prop}}
            _run(gds, WRITES[algorithm], params)
    out = _numbered(raw, "community")
    out.attrs.update(engine="gds", algorithm=algorithm, seed=seed, resolution=resolution)
    out.attrs["communities"] = int(out["community"].nunique())
    return out


def components(
    store: GraphStore,
    *,
    settings: ProjectionSettings | None = None,
    write_back: bool = False,
) -> pd.DataFrame:
    """Weakly connected components by GDS: ``person_id, name, component`` (largest is 0)."""
    with projected(store, settings) as (gds, name, _):
        raw = _stream(gds, "wcc", name)
        if write_back:
            _run(
                gds, WRITES["wcc"], {"graph_name": name, "property": WRITE_PROPERTIES["component"]}
            )
    out = _numbered(raw, "component")
    out.attrs.update(engine="gds")
    return out
