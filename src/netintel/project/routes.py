"""The seizure and place tables that route analysis reads, from any :class:`GraphStore`.

The stored graph holds a seizure as a node with relationships to where it happened
(``AT``), the border gate it crossed (``CROSSED``), where the drugs came from (``ORIGIN``) and
were going (``DESTINED_FOR``); places form a hierarchy through ``LOCATED_IN`` (commune in
district in province in country; a gate in a province). People reach a seizure through their
arrest: ``(Person)-[ARRESTED_IN]->(Arrest)-[LINKED_TO]->(Seizure)``.

Every query here is plain openCypher that LadybugDB and Neo4j 5 both accept, read-only,
built from the labels, types and properties of the declared schema (checked on every call);
no value ever appears in a query text.

Examples
--------
>>> from netintel.schema import load_schema
>>> print(route_queries(load_schema())["gates"])
MATCH (s:Seizure)-[:CROSSED]->(g:BorderGate) RETURN s.id AS seizure_id, g.id AS gate_id, g.name AS name, g.country AS country
"""

from __future__ import annotations

import numpy as np

from netintel.analysis.routes import RouteTables
from netintel.errors import SchemaError
from netintel.schema import Schema
from netintel.store.base import GraphStore


def _node(schema: Schema, alias: str, label: str, props: dict[str, str]) -> str:
    declared = schema.node(label).properties
    for prop in props:
        if prop != schema.key and prop not in declared and prop not in schema.common:
            raise SchemaError(f"{label} has no property {prop!r} in the schema")
    return ", ".join(f"{alias}.{prop} AS {name}" for prop, name in props.items())


def _hop(schema: Schema, rel: str, a: str, b: str) -> str:
    schema.check_endpoints(rel, a, b)
    return f"-[:{rel}]->"


def route_queries(schema: Schema) -> dict[str, str]:
    """The read-only query texts of :func:`read_route_tables`, keyed by table."""
    key = schema.key
    seizures = "MATCH (s:Seizure) RETURN " + _node(
        schema,
        "s",
        "Seizure",
        {
            key: "seizure_id",
            "date": "date",
            "first_seen": "first_seen",
            "last_seen": "last_seen",
            "drug": "drug",
            "quantity_kg": "quantity_kg",
            "origin": "origin_text",
            "destination": "destination_text",
        },
    )
    legs = {
        name: (
            f"MATCH (s:Seizure){_hop(schema, rel, 'Seizure', 'Place')}(p:Place) "
            f"RETURN s.{key} AS seizure_id, p.{key} AS place_id"
        )
        for name, rel in (("at", "AT"), ("origins", "ORIGIN"), ("destinations", "DESTINED_FOR"))
    }
    gates = (
        f"MATCH (s:Seizure){_hop(schema, 'CROSSED', 'Seizure', 'BorderGate')}(g:BorderGate) "
        f"RETURN s.{key} AS seizure_id, "
        + _node(schema, "g", "BorderGate", {key: "gate_id", "name": "name", "country": "country"})
    )
    places = "MATCH (p:Place) RETURN " + _node(
        schema, "p", "Place", {key: "id", "name": "name", "level": "level", "country": "country"}
    )
    parents = (
        f"MATCH (c:Place){_hop(schema, 'LOCATED_IN', 'Place', 'Place')}(p:Place) "
        f"RETURN c.{key} AS id, p.{key} AS parent"
    )
    gate_places = (
        f"MATCH (g:BorderGate){_hop(schema, 'LOCATED_IN', 'BorderGate', 'Place')}(p:Place) "
        f"RETURN g.{key} AS gate_id, p.{key} AS place_id"
    )
    schema.check_endpoints("ARRESTED_IN", "Person", "Arrest")
    schema.check_endpoints("LINKED_TO", "Arrest", "Seizure")
    # Entity resolution groups Person nodes into resolved people (``resolved_id``); the
    # person graph has one node per resolved person, and so do the route tables.
    resolved = (
        ", p.resolved_id AS resolved_id"
        if "resolved_id" in schema.node("Person").properties
        else ""
    )
    arrests = (
        f"MATCH (p:Person)-[r:ARRESTED_IN]->(a:Arrest)-[l:LINKED_TO]->(s:Seizure) "
        f"RETURN p.{key} AS person_id, p.name AS name, r.role AS role, "
        f"r.sources AS arrest_sources, l.sources AS link_sources, s.{key} AS seizure_id"
        f"{resolved}"
    )
    return {
        "seizures": seizures,
        **legs,
        "gates": gates,
        "places": places,
        "parents": parents,
        "gate_places": gate_places,
        "arrests": arrests,
    }


def _as_list(value: object) -> list:
    if isinstance(value, list | tuple | np.ndarray):
        return [str(v) for v in value]
    return []


def read_route_tables(store: GraphStore) -> RouteTables:
    """Read seizures, their legs, the place hierarchy and the arrested people from ``store``.

    Returns
    -------
    RouteTables
        ``seizures``: ``seizure_id, date, first_seen, last_seen, drug, quantity_kg,
        origin_text, destination_text, place, gate, origin, destination`` (the last four: the
        ids of the most specific Place, or the BorderGate, of each leg; missing when not
        recorded); ``places``: ``id, name, level, country, parent``; ``gates``: ``id, name,
        country, places`` (list of Place ids the gate is recorded in); ``arrests``:
        ``person_id, name, role, seizure_id, evidence`` (the arrest record ids that name the
        person and this seizure).
    """
    texts = route_queries(store.schema)
    t = {name: store.query(text) for name, text in texts.items()}
    seizures = t["seizures"]
    for leg, table in (("place", "at"), ("origin", "origins"), ("destination", "destinations")):
        first = t[table].sort_values(["seizure_id", "place_id"]).drop_duplicates("seizure_id")
        seizures[leg] = seizures["seizure_id"].map(first.set_index("seizure_id")["place_id"])
    crossed = t["gates"].sort_values(["seizure_id", "gate_id"]).drop_duplicates("seizure_id")
    seizures["gate"] = seizures["seizure_id"].map(crossed.set_index("seizure_id")["gate_id"])
    parents = t["parents"].sort_values(["id", "parent"]).drop_duplicates("id")
    places = t["places"].copy()
    places["parent"] = places["id"].map(parents.set_index("id")["parent"])
    gates = crossed[["gate_id", "name", "country"]].drop_duplicates("gate_id")
    located = t["gate_places"].groupby("gate_id")["place_id"].agg(lambda s: sorted(set(s)))
    gates = gates.rename(columns={"gate_id": "id"}).reset_index(drop=True)
    gates["places"] = [located.get(g, []) for g in gates["id"]]
    arrests = t["arrests"]
    evidence = [
        sorted(set(_as_list(a)) & set(_as_list(b)))
        for a, b in zip(arrests["arrest_sources"], arrests["link_sources"], strict=True)
    ]
    # Only the people whose own arrest record names the seizure: people arrested in the same
    # event as someone whose record names it are not tied to it by that alone.
    arrests = arrests.assign(evidence=evidence)
    arrests = arrests[arrests["evidence"].map(len) > 0]
    if "resolved_id" in arrests and arrests["resolved_id"].notna().any():
        rid = arrests["resolved_id"].where(arrests["resolved_id"].notna(), arrests["person_id"])
        # the resolved person's name: its own node's when arrested, else the first member's
        own = arrests[arrests["person_id"] == rid].drop_duplicates("person_id")
        names = dict(zip(own["person_id"], own["name"], strict=True))
        first = arrests.assign(_rid=rid).sort_values("person_id").drop_duplicates("_rid")
        for r, n in zip(first["_rid"], first["name"], strict=True):
            names.setdefault(r, n)
        arrests = arrests.assign(person_id=rid.astype(object), name=rid.map(names))
    arrests = arrests[["person_id", "name", "role", "seizure_id", "evidence"]].reset_index(
        drop=True
    )
    return RouteTables(seizures, places, gates, arrests)
