"""Portable Cypher texts, rendered from schema names only.

Every query text that more than one backend runs lives here, reviewable in one place. Labels,
relationship types and property names are taken from the declared schema (checked on every
call); values never appear in the text: they are ``$parameters``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netintel.errors import InputError, SchemaError
from netintel.resources import schema_dir
from netintel.schema import Schema
from netintel.store.history import HISTORY_LABELS
from netintel.values.places import gate_match


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


def node_rows(schema: Schema, label: str) -> str:
    """Every node of a declared label with every declared property, one column each.

    >>> from netintel.schema import load_schema
    >>> node_rows(load_schema(), "Drug")
    'MATCH (n:Drug) RETURN n.id AS id, n.name AS name, n.sources AS sources, n.first_seen AS first_seen, n.last_seen AS last_seen ORDER BY id'
    """
    node = schema.node(label)
    cols = ", ".join(f"n.{p} AS {p}" for p in node.properties)
    return f"MATCH (n:{label}) RETURN {cols} ORDER BY {node.key}"


def edge_rows(schema: Schema, rel_type: str, from_label: str, to_label: str) -> str:
    """Every relationship of a declared type between two labels: ``start_id``, ``end_id`` (the
    endpoint keys) and every declared property."""
    rel = schema.check_endpoints(rel_type, from_label, to_label)
    key = schema.key
    cols = ", ".join(f"r.{p} AS {p}" for p in rel.properties)
    return (
        f"MATCH (a:{from_label})-[r:{rel_type}]->(b:{to_label}) "
        f"RETURN a.{key} AS start_id, b.{key} AS end_id, {cols} ORDER BY {rel.key}"
    )


def fold_scalar(name: str, current: str, new: str) -> str:
    """The value a loaded scalar property takes on a node or relationship already stored:
    the earlier ``first_seen``; for every other property (``last_seen`` included) the greater
    of the stored and the loaded value, a missing one never winning. This is the rule of
    :func:`netintel.batch.consolidate`, so the value is a function of the set of records
    behind the node, whatever the order they were loaded in; ``current`` and ``new`` are
    expressions of the calling statement, in Cypher both dialects accept.

    >>> fold_scalar("first_seen", "n.first_seen", "row.first_seen")
    'CASE WHEN n.first_seen IS NULL OR row.first_seen < n.first_seen THEN row.first_seen ELSE n.first_seen END'
    >>> fold_scalar("name", "n.name", "row.name")
    'CASE WHEN n.name IS NULL OR row.name > n.name THEN row.name ELSE n.name END'
    """
    better = "<" if name == "first_seen" else ">"
    return f"CASE WHEN {current} IS NULL OR {new} {better} {current} THEN {new} ELSE {current} END"


# The tables the person-graph projection reads (see netintel.project). Plain openCypher
# that LadybugDB and Neo4j 5 both accept.
PERSONS = (
    "MATCH (p:Person) RETURN p.id AS person_id, p.name AS name, p.name_key AS name_key, "
    "p.national_id AS national_id, p.dob AS dob, p.nationality AS nationality, "
    "p.sources AS sources, p.resolved_id AS resolved_id"
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

# Shipments (netintel.project.shipments): what each side of a waybill names, by relationship
# (SENT, RECEIVED) and label (Person, Phone, Address) -> query.
SHIPMENT_PARTIES = {
    (rel, label): (
        f"MATCH (x:{label})-[r:{rel}]->(s:Shipment) RETURN x.id AS party, s.id AS shipment_id, "
        "r.sources AS sources, s.first_seen AS date"
    )
    for rel in ("SENT", "RECEIVED")
    for label in ("Person", "Phone", "Address")
}
SHIPMENTS = (
    "MATCH (s:Shipment) RETURN s.id AS shipment_id, s.courier AS courier, "
    "s.first_seen AS date, s.origin AS origin, s.destination AS destination, s.sources AS sources"
)
# The transport mode of each seizure: the channel (land, sea, air, express) of its evidence.
SEIZURE_TRANSPORT = "MATCH (s:Seizure) RETURN s.id AS seizure_id, s.transport AS transport"
# The events cases are counted by channel and period from (netintel.analysis.time.channels):
# seizures (channel by transport mode) and shipments (express delivery), with their case.
CHANNEL_EVENTS = {
    "Seizure": (
        "MATCH (s:Seizure) OPTIONAL MATCH (s)-[:PART_OF]->(c:CaseFile) "
        "RETURN s.id AS event, s.transport AS transport, s.first_seen AS date, "
        "c.id AS case_id, s.sources AS sources"
    ),
    "Shipment": (
        "MATCH (s:Shipment) OPTIONAL MATCH (s)-[:PART_OF]->(c:CaseFile) "
        "RETURN s.id AS event, 'post' AS transport, s.first_seen AS date, "
        "c.id AS case_id, s.sources AS sources"
    ),
    # a payment or message between online accounts is an online event (no case file)
    **{
        rel: (
            f"MATCH (:OnlineAccount)-[r:{rel}]->(:OnlineAccount) RETURN r.id AS event, "
            "'online' AS transport, r.first_seen AS date, NULL AS case_id, r.sources AS sources"
        )
        for rel in ("PAID", "MESSAGED")
    },
}

# Online accounts (netintel.project.online): who owns or registered each, and what passed
# between them.
ACCOUNT_OWNERS = (
    "MATCH (p:Person)-[r:OWNS]->(a:OnlineAccount) "
    "RETURN p.id AS person_id, a.id AS account, r.sources AS sources"
)
ACCOUNT_PHONES = (
    "MATCH (a:OnlineAccount)-[r:REGISTERED_WITH]->(f:Phone) "
    "RETURN a.id AS account, f.id AS phone, r.sources AS sources"
)
ACCOUNT_EMAILS = (
    "MATCH (a:OnlineAccount)-[r:REGISTERED_WITH]->(e:Email) "
    "RETURN a.id AS account, e.id AS email, r.sources AS sources"
)
ACCOUNT_MESSAGES = (
    "MATCH (a:OnlineAccount)-[r:MESSAGED]->(b:OnlineAccount) "
    "RETURN a.id AS source, b.id AS target, r.sources AS sources, r.first_seen AS date"
)
ACCOUNT_PAYMENTS = (
    "MATCH (a:OnlineAccount)-[r:PAID]->(b:OnlineAccount) "
    "RETURN a.id AS source, b.id AS target, r.amount AS amount, r.currency AS currency, "
    "r.method AS method, r.sources AS sources, r.first_seen AS date"
)

# Activity at places (netintel.analysis.time.hotspots): one row per arrest or seizure and
# person involved (none for a seizure nobody was arrested for), with the place it names.
HOTSPOT_EVENTS = {
    "arrest": (
        "MATCH (a:Arrest)-[:AT]->(pl:Place) OPTIONAL MATCH (p:Person)-[r:ARRESTED_IN]->(a) "
        "RETURN 'arrest' AS kind, a.id AS event, pl.id AS place, pl.name AS place_name, "
        "a.first_seen AS date, p.id AS person_id, p.name AS name, r.sources AS sources"
    ),
    "seizure": (
        "MATCH (s:Seizure)-[:AT]->(pl:Place) "
        "OPTIONAL MATCH (p:Person)-[:ARRESTED_IN]->(:Arrest)-[:LINKED_TO]->(s) "
        "RETURN 'seizure' AS kind, s.id AS event, pl.id AS place, pl.name AS place_name, "
        "s.first_seen AS date, p.id AS person_id, p.name AS name, s.sources AS sources"
    ),
}

# Entity resolution (netintel.resolve): what it reads, and what it changes.
RESOLVE_PERSONS = (
    "MATCH (p:Person) RETURN p.id AS person_id, p.name AS name, p.aliases AS aliases, "
    "p.dob AS dob, p.national_id AS national_id, p.nationality AS nationality, "
    "p.sources AS sources"
)
RESOLVE_PASSPORTS = (
    "MATCH (p:Person) WHERE p.passport IS NOT NULL RETURN p.id AS person_id, p.passport AS passport"
)
RESOLVE_PHONES = "MATCH (p:Person)-[:USES]->(f:Phone) RETURN p.id AS person_id, f.id AS value"
RESOLVE_ADDRESSES = (
    "MATCH (p:Person)-[:LIVES_AT]->(a:Address) RETURN p.id AS person_id, a.address_key AS value"
)
RESOLVE_PLATES = (
    "MATCH (p:Person)-[:USES_VEHICLE]->(v:Vehicle) RETURN p.id AS person_id, v.id AS value"
)
RESOLVE_PROVINCES = (
    "MATCH (p:Person)-[:ARRESTED_IN]->(a:Arrest) WHERE a.province IS NOT NULL "
    "RETURN p.id AS person_id, a.province AS value"
)
RESOLVE_DECISIONS = (
    "MATCH (a:Person)-[r:SAME_AS]->(b:Person) WHERE r.decided_by = $reviewer "
    "RETURN a.id AS left, b.id AS right, 'accept' AS decision "
    "UNION ALL MATCH (a:Person)-[r:NOT_SAME_AS]->(b:Person) "
    "RETURN a.id AS left, b.id AS right, 'reject' AS decision"
)
RESOLVE_CLEAR_MERGES = (
    "MATCH (:Person)-[r:SAME_AS]->(:Person) WHERE r.decided_by IS NULL OR r.decided_by <> $reviewer "
    "DELETE r"
)
# Pairs are always stored from the smaller id to the larger one.
RESOLVE_FORGET_DECISION = {
    rel: f"MATCH (a:Person)-[r:{rel}]->(b:Person) WHERE a.id = $left AND b.id = $right DELETE r"
    for rel in ("SAME_AS", "NOT_SAME_AS")
}
RESOLVE_SET = (
    "UNWIND $rows AS row MATCH (p:Person {id: row.person_id}) "
    "SET p.resolved_id = row.resolved_id, p.match_probability = row.match_probability, "
    "p.match_rule = row.match_rule"
)
# People nothing merged (separate, so that no parameter column is all null).
RESOLVE_SET_ALONE = (
    "UNWIND $rows AS row MATCH (p:Person {id: row.person_id}) "
    "SET p.resolved_id = row.resolved_id, p.match_probability = NULL, p.match_rule = NULL"
)
RESOLVE_PERSON_IDS = "MATCH (p:Person) RETURN p.id AS id"
RESOLVE_PERSON_SOURCES = "MATCH (p:Person) RETURN p.id AS id, p.sources AS sources"
RESOLVE_RESOLVED = (
    "MATCH (p:Person) RETURN p.id AS person_id, p.resolved_id AS resolved_id, "
    "p.match_probability AS match_probability, p.match_rule AS match_rule, p.sources AS sources"
)


# -- saved analyst queries ----------------------------------------------------------------
# graph_schema/queries/NAME.cypher holds a portable query; NAME.neo4j.cypher and
# NAME.ladybug.cypher hold a dialect's version where the two differ. Each file opens with a
# header of `//` comments:
#
#   // name: calls_between_prefixes
#   // description: Calls from numbers of one country code to numbers of another, in a window.
#   // @param from_prefix (string, default "+856"): E.164 prefix of the caller. Example: +856
#   // @param since (date, required): First day of the window. Example: 2023-01-01
#
# Parameter types: string, int, float, bool, date (an ISO date string; the query applies
# date($name)), gate (a border gate in any spelling, bound to the end of its folded id: the
# query matches `g.id ENDS WITH $name`), person (anything `netintel find` takes, bound by the
# workspace to the resolved person's id). A parameter with a default may be left out.

#: The dialect of each store backend, as named in saved query file names.
DIALECTS = {"embedded": "ladybug", "neo4j": "neo4j"}
PARAM_TYPES = ("string", "int", "float", "bool", "date", "gate", "person")

_PARAM_LINE = re.compile(
    r"^@param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+\((?P<type>\w+),\s*"
    r"(?:(?P<required>required)|default\s+(?P<default>.+?))\)\s*:\s*(?P<text>.*)$"
)
_EXAMPLE = re.compile(r"\bExample:\s*(?P<example>.+)$")


@dataclass(frozen=True)
class QueryParam:
    """One declared parameter of a saved query."""

    name: str
    type: str
    required: bool
    default: Any
    description: str
    example: str | None

    def coerce(self, value: Any, query: str) -> Any:
        """``value`` as this parameter's type (CLI values arrive as text or JSON)."""
        try:
            if self.type in ("string", "person"):
                return str(value)
            if self.type == "gate":
                return gate_match(str(value))
            if self.type == "int":
                if isinstance(value, bool) or float(value) != int(float(value)):
                    raise ValueError("not a whole number")
                return int(float(value))
            if self.type == "float":
                return float(value)
            if self.type == "bool":
                if isinstance(value, bool):
                    return value
                text = str(value).strip().lower()
                if text not in {"true", "false", "1", "0", "yes", "no"}:
                    raise ValueError("use true or false")
                return text in {"true", "1", "yes"}
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            return day.isoformat()
        except (TypeError, ValueError, OverflowError) as e:
            raise InputError(
                f"query {query!r}: parameter {self.name} must be a {self.type}"
                f"{' (YYYY-MM-DD)' if self.type == 'date' else ''}, got {value!r}: {e}"
            ) from None


@dataclass(frozen=True)
class SavedQuery:
    """A named, documented, parameterised analyst query, in one dialect."""

    name: str
    description: str
    params: tuple[QueryParam, ...]
    text: str
    path: Path
    dialect: str  # "portable", "neo4j" or "ladybug"

    def bind(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Check and convert parameter values: every one declared, every required one given."""
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            raise InputError(
                f"query {self.name!r} has no parameter {', '.join(unknown)}; declared: "
                f"{', '.join(declared) or 'none'}"
            )
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in values:
                out[p.name] = p.coerce(values[p.name], self.name)
            elif p.required:
                raise InputError(
                    f"query {self.name!r} needs --param {p.name}=... ({p.type}: "
                    f"{p.description}{' Example: ' + p.example if p.example else ''})"
                )
            else:
                out[p.name] = None if p.default is None else p.coerce(p.default, self.name)
        return out


def queries_dir() -> Path:
    """The folder of saved queries (``graph_schema/queries``)."""
    return schema_dir() / "queries"


def parse_saved_query(path: Path) -> SavedQuery:
    """Read one saved query file and its header.

    Raises
    ------
    SchemaError
        If the header lacks a name or description, names another file, or declares a
        parameter badly.
    """
    text = path.read_text(encoding="utf-8")
    parts = path.name.split(".")
    stem, dialect = parts[0], (parts[1] if len(parts) == 3 else "portable")
    fields: dict[str, list[str]] = {}
    params: list[QueryParam] = []
    key = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            break
        body = stripped[2:].strip()
        if body.startswith("@param"):
            m = _PARAM_LINE.match(body)
            if not m or m["type"] not in PARAM_TYPES:
                raise SchemaError(
                    f"{path}: bad parameter line {body!r}; expected "
                    f"'@param NAME (TYPE, required|default JSON): text. Example: value' "
                    f"with TYPE one of {', '.join(PARAM_TYPES)}"
                )
            desc = m["text"]
            ex = _EXAMPLE.search(desc)
            default = None if m["required"] else json.loads(m["default"])
            params.append(
                QueryParam(
                    m["name"],
                    m["type"],
                    bool(m["required"]),
                    default,
                    desc[: ex.start()].strip() if ex else desc,
                    ex["example"].strip() if ex else None,
                )
            )
            key = None
        elif re.match(r"^(name|description):", body):
            key, _, value = body.partition(":")
            fields.setdefault(key, []).append(value.strip())
        elif key == "description":
            fields[key].append(body)
    name = " ".join(fields.get("name", [])).strip()
    description = " ".join(fields.get("description", [])).strip()
    if name != stem or not description:
        raise SchemaError(
            f"{path}: the header must start with '// name: {stem}' and a '// description:'"
        )
    body_text = "\n".join(
        line for line in text.splitlines() if not line.strip().startswith("//")
    ).strip()
    return SavedQuery(name, description, tuple(params), body_text, path, dialect)


def saved_queries(folder: Path | None = None) -> dict[str, dict[str, SavedQuery]]:
    """Every saved query: name -> dialect ("portable", "neo4j", "ladybug") -> query."""
    folder = folder or queries_dir()
    out: dict[str, dict[str, SavedQuery]] = {}
    for path in sorted(folder.glob("*.cypher")):
        q = parse_saved_query(path)
        out.setdefault(q.name, {})[q.dialect] = q
    return out


def saved_query(name: str, backend: str, folder: Path | None = None) -> SavedQuery:
    """The saved query ``name`` for a store backend: its dialect's file, else the portable one.

    >>> q = saved_query("phones_shared_by_arrestees", "embedded")
    >>> q.dialect, [p.name for p in q.params]
    ('portable', ['min_people'])

    Raises
    ------
    InputError
        If no saved query has that name, or none is written for that backend's dialect.
    """
    found = saved_queries(folder)
    if name not in found:
        raise InputError(
            f"no saved query {name!r}; available: {', '.join(sorted(found)) or 'none'} "
            "(netintel query --list)"
        )
    versions = found[name]
    dialect = DIALECTS.get(backend, backend)
    query = versions.get(dialect) or versions.get("portable")
    if query is None:
        raise InputError(f"saved query {name!r} has no version for the {dialect} dialect")
    return query


# Places, arrests, phones and seizures for grouping people by province and country
# (netintel.project.directed). Nothing here is keyed by person: person ids come from the
# projection tables, folded by entity resolution.
ADDRESSES = (
    "MATCH (a:Address) OPTIONAL MATCH (a)-[:AT]->(pl:Place) "
    "RETURN a.id AS address, a.text AS address_text, pl.id AS place_id"
)
PLACES = (
    "MATCH (pl:Place) "
    "RETURN pl.id AS place_id, pl.name AS name, pl.level AS level, pl.country AS country"
)
PLACE_PARENTS = (
    "MATCH (a:Place)-[:LOCATED_IN]->(b:Place) RETURN a.id AS place_id, b.id AS parent_id"
)
ARRESTS = "MATCH (a:Arrest) RETURN a.id AS arrest_id, a.province AS province, a.country AS country"
PHONES = "MATCH (f:Phone) RETURN f.id AS phone, f.region AS region"
SEIZURES = (
    "MATCH (s:Seizure) OPTIONAL MATCH (s)-[:AT]->(pl:Place) "
    "RETURN s.id AS seizure_id, s.drug AS drug, s.first_seen AS seizure_date, "
    "pl.id AS seizure_place"
)

# What happened at each arrest and seizure, for chronologies (netintel.analysis.time.chronology).
EVENT_ARRESTS = (
    "MATCH (a:Arrest) "
    "RETURN a.id AS arrest_id, a.first_seen AS date, a.place AS place, a.province AS province"
)
EVENT_SEIZURES = (
    "MATCH (s:Seizure) OPTIONAL MATCH (s)-[:AT]->(pl:Place) "
    "OPTIONAL MATCH (s)-[:CROSSED]->(g:BorderGate) "
    "RETURN s.id AS seizure_id, s.first_seen AS date, s.drug AS drug, s.quantity AS quantity, "
    "s.unit AS unit, s.quantity_kg AS quantity_kg, pl.name AS place, g.name AS gate"
)

# Co-occurrence of people for link prediction (netintel.project.cooccurrence).
PERSON_ARREST_PLACES = (
    "MATCH (p:Person)-[r:ARRESTED_IN]->(a:Arrest)-[:AT]->(pl:Place) "
    "RETURN p.id AS person_id, a.id AS arrest_id, pl.id AS place, a.first_seen AS date, "
    "r.sources AS sources"
)
PERSON_SEIZURE_VEHICLES = (
    "MATCH (p:Person)-[:ARRESTED_IN]->(:Arrest)-[:LINKED_TO]->(s:Seizure)"
    "-[r:TRANSPORTED_IN]->(v:Vehicle) RETURN p.id AS person_id, v.id AS vehicle, "
    "r.sources AS sources"
)


# -- record versions (netintel.versions) ------------------------------------------------------
#: Labels and relationship types that records do not produce: left alone by retirement.
NOT_FROM_RECORDS = ("Record", "SAME_AS", "NOT_SAME_AS", *HISTORY_LABELS)
#: Person properties entity resolution sets (kept when a node's record values are rebuilt).
RESOLUTION_PROPERTIES = ("resolved_id", "match_probability", "match_rule")

RECORD_COLUMNS = (
    "id",
    "record_id",
    "source_id",
    "kind",
    "file",
    "sheet",
    "row",
    "dataset",
    "sha256",
    "file_sha256",
    "loaded_at",
    "version",
    "current",
    "conflict",
    "grading",
    "flags",
)
#: Every stored record version, without its content.
RECORDS = "MATCH (r:Record) RETURN " + ", ".join(f"r.{c} AS {c}" for c in RECORD_COLUMNS)
#: The content of every current version (what the graph is rebuilt from).
RECORD_CONTENTS = (
    "MATCH (r:Record) WHERE r.current = true "
    "RETURN r.source_id AS source_id, r.kind AS kind, r.file AS file, r.row AS row, "
    "r.content AS content"
)
#: Versions of given record ids (as in the file, or as in ``sources``), with each row as read.
RECORD_VERSIONS = (
    "UNWIND $ids AS i MATCH (r:Record) WHERE r.record_id = i OR r.source_id = i RETURN "
    + ", ".join(f"r.{c} AS {c}" for c in RECORD_COLUMNS)
    + ", r.raw AS raw"
)
#: Every stored record version with its row as read.
RECORDS_RAW = RECORDS + ", r.raw AS raw"
RECORDS_SET_CURRENT = (
    "UNWIND $rows AS row MATCH (r:Record {id: row.id}) SET r.current = row.current"
)
RECORDS_SET_CONFLICT = "UNWIND $ids AS i MATCH (r:Record {id: i}) SET r.conflict = true"
#: The row as read and the file's hash, for versions stored before records kept them.
RECORDS_SET_PROVENANCE = (
    "UNWIND $rows AS row MATCH (r:Record {id: row.id}) "
    "SET r.raw = row.raw, r.file_sha256 = row.file_sha256"
)
#: People a reviewer decided about: never deleted by retirement (decisions are kept).
DECIDED_PEOPLE = (
    "UNWIND $ids AS i MATCH (p:Person {id: i})-[r:SAME_AS]-(:Person) "
    "WHERE r.decided_by = $reviewer RETURN DISTINCT p.id AS id",
    "UNWIND $ids AS i MATCH (p:Person {id: i})-[:NOT_SAME_AS]-(:Person) RETURN DISTINCT p.id AS id",
)


def element_sources(schema: Schema, label: str, ends: tuple[str, str] | None = None) -> str:
    """``id`` and ``sources`` of every node of a label (or relationship of a type between two
    labels), to find what a retired record version touched.

    >>> from netintel.schema import load_schema
    >>> element_sources(load_schema(), "USES", ("Person", "Phone"))
    'MATCH (:Person)-[n:USES]->(:Phone) RETURN n.id AS id, n.sources AS sources'
    """
    if ends is None:
        schema.node(label)
        return f"MATCH (n:{label}) RETURN n.id AS id, n.sources AS sources"
    schema.check_endpoints(label, *ends)
    return f"MATCH (:{ends[0]})-[n:{label}]->(:{ends[1]}) RETURN n.id AS id, n.sources AS sources"


def delete_elements(schema: Schema, label: str, ends: tuple[str, str] | None = None) -> str:
    """Delete the nodes (with their relationships) or relationships whose ids are ``$ids``.

    >>> from netintel.schema import load_schema
    >>> delete_elements(load_schema(), "Arrest")
    'UNWIND $ids AS i MATCH (n:Arrest {id: i}) DETACH DELETE n'
    """
    if ends is None:
        schema.node(label)
        return f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) DETACH DELETE n"
    schema.check_endpoints(label, *ends)
    return f"UNWIND $ids AS i MATCH (:{ends[0]})-[n:{label} {{id: i}}]->(:{ends[1]}) DELETE n"


def set_properties(
    schema: Schema,
    label: str,
    props: list[str],
    ends: tuple[str, str] | None = None,
    *,
    cast: bool = False,
) -> str:
    """Overwrite declared properties of the elements in ``$rows`` (matched by ``row.id``).

    ``cast`` wraps each value in ``CAST(... AS TYPE)`` (LadybugDB types a parameter column that
    is all null as text; Neo4j has no ``CAST`` and needs none).

    >>> from netintel.schema import load_schema
    >>> set_properties(load_schema(), "Drug", ["name", "sources"], cast=True)
    'UNWIND $rows AS row MATCH (n:Drug {id: row.id}) SET n.name = CAST(row.name AS STRING), n.sources = CAST(row.sources AS STRING[])'
    """
    if ends is None:
        declared = schema.node(label).properties
        match = f"MATCH (n:{label} {{id: row.id}})"
    else:
        declared = schema.check_endpoints(label, *ends).properties
        match = f"MATCH (:{ends[0]})-[n:{label} {{id: row.id}}]->(:{ends[1]})"
    sets = []
    for p in props:
        typ = declared[p]  # KeyError for an undeclared name: never reaches the text
        value = f"CAST(row.{p} AS {typ})" if cast else f"row.{p}"
        sets.append(f"n.{p} = {value}")
    return f"UNWIND $rows AS row {match} SET {', '.join(sets)}"
