"""The GDS catalog from the store's driver: is GDS there, project, stream, write back, drop.

Every call is a Cypher statement sent through the store's own driver (``store._run``): no
client library is needed. :func:`projected` holds a projection of
:mod:`~netintel.store.gds.projection` in the catalog for the time of a ``with`` block;
:class:`Projection` streams the algorithms of :data:`STREAMS` on it, configured by
:data:`CONFIGS`; :func:`write_properties` writes results back onto the stored people.
:func:`statements` lists every statement sent, for review and for an ``EXPLAIN`` check.

Examples
--------
>>> sorted(STREAMS)[:3]
['betweenness', 'degree', 'eigenvector']
>>> WRITE_PROPERTIES["pagerank"]
'netintel_pagerank'
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from netintel.errors import AnalysisError, ReadOnlyError, StoreError
from netintel.measures import MEASURES
from netintel.project import ProjectionSettings
from netintel.store.base import GraphStore
from netintel.store.gds.projection import (
    MISSING_RESOLVED,
    PEOPLE,
    SELF,
    TIE,
    projection_parameters,
    projection_statement,
    reference_statement,
)

__all__ = [
    "CONFIGS",
    "DROP",
    "STREAMS",
    "VERSION",
    "WRITE_BACK",
    "WRITE_PROPERTIES",
    "Projection",
    "gds_version",
    "projected",
    "require_gds",
    "statements",
    "wants_gds",
    "write_properties",
]

log = logging.getLogger(__name__)

#: Person properties written by ``write_back=True``.
WRITE_PROPERTIES = {
    **{m: f"netintel_{m}" for m in MEASURES},
    "ring": "netintel_ring",
    "component": "netintel_component",
}

VERSION = "RETURN gds.version() AS version"


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
    "eigenvector": {"relationshipTypes": [TIE, SELF], "maxIterations": 1000, "tolerance": 1e-9},
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
        ``[what]``): ``person_id, value``, one row per resolved person.

        Raises
        ------
        AnalysisError
            If ``what`` is not one of :data:`STREAMS`.
        """
        if what not in STREAMS:
            raise AnalysisError(f"no GDS stream {what!r}; use one of {', '.join(STREAMS)}")
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

    def values(self, what: str, config: Mapping[str, Any] | None = None) -> pd.Series:
        """:meth:`stream` as a Series ``person_id -> value``."""
        return self.stream(what, config).set_index("person_id")["value"]


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
