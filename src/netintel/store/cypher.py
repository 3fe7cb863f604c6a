"""Portable Cypher texts, rendered from schema names only.

Every query text that more than one backend runs lives here, reviewable in one place. Labels,
relationship types and property names are taken from the declared schema (checked on every
call); values never appear in the text: they are ``$parameters``.
"""

from __future__ import annotations

from netintel.schema import Schema


def count_nodes(schema: Schema, label: str) -> str:
    """``MATCH (n:Label) RETURN count(n) AS n`` for a declared label.

    >>> from netintel.schema import load_schema
    >>> count_nodes(load_schema(), "Person")
    'MATCH (n:Person) RETURN count(n) AS n'
    """
    schema.node(label)
    return "MATCH (n:" + label + ") RETURN count(n) AS n"


def count_relationships(schema: Schema, rel_type: str) -> str:
    """``MATCH ()-[r:TYPE]->() RETURN count(r) AS n`` for a declared type."""
    schema.relationship(rel_type)
    return "MATCH ()-[r:" + rel_type + "]->() RETURN count(r) AS n"


# The tables the person-graph projection reads (see netintel.project). Plain openCypher
# that LadybugDB and Neo4j 5 both accept.
PERSONS = (
    "MATCH (p:Person) RETURN p.id AS person_id, p.name AS name, p.name_key AS name_key, "
    "p.national_id AS national_id, p.dob AS dob, p.nationality AS nationality, "
    "p.sources AS sources"
)
PERSON_ARRESTS = (
    "MATCH (p:Person)-[r:ARRESTED_IN]->(a:Arrest) "
    "RETURN p.id AS person_id, a.id AS arrest_id, r.role AS role, r.sources AS sources, "
    "a.first_seen AS date"
)
ARREST_SEIZURES = (
    "MATCH (a:Arrest)-[r:LINKED_TO]->(s:Seizure) "
    "RETURN a.id AS arrest_id, s.id AS seizure_id, s.quantity_kg AS quantity_kg, "
    "s.sources AS seizure_sources, r.sources AS sources"
)
PERSON_PHONES = "MATCH (p:Person)-[r:USES]->(f:Phone) RETURN p.id AS person_id, f.id AS phone, r.sources AS sources"
# Calls by the labels at each end: (from label, to label) -> query.
CALLS = {
    (a, b): (
        f"MATCH (a:{a})-[r:CALLED]->(b:{b}) RETURN a.id AS source, b.id AS target, "
        "r.count AS count, r.sources AS sources, r.first_seen AS date"
    )
    for a in ("Phone", "Person")
    for b in ("Phone", "Person")
}
PERSON_LINKS = (
    "MATCH (a:Person)-[r:LINKED]->(b:Person) RETURN a.id AS source, b.id AS target, "
    "r.link_type AS link_type, r.weight AS weight, r.sources AS sources, r.first_seen AS date"
)
PERSON_VEHICLES = (
    "MATCH (p:Person)-[r:USES_VEHICLE]->(v:Vehicle) RETURN p.id AS person_id, v.id AS vehicle, "
    "r.sources AS sources"
)
PERSON_ADDRESSES = (
    "MATCH (p:Person)-[r:LIVES_AT]->(a:Address) RETURN p.id AS person_id, a.id AS address, "
    "r.sources AS sources"
)
