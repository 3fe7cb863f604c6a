"""The seizure and place tables that route analysis reads, from any :class:`GraphStore`.

:func:`read_route_tables` reads them into a :class:`RouteTables`; its :attr:`RouteTables.index`
is the :class:`PlaceIndex` that rolls places up the hierarchy (commune, district, province,
country), applies Vietnam's 2025 province merger and places gates and provinces on the map
from the gazetteer (``graph_schema/gazetteer.yaml``).

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

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from netintel.errors import SchemaError
from netintel.schema import Schema
from netintel.store.base import GraphStore
from netintel.values import country_name, fold
from netintel.values.places import country_point, find_gate, find_province

__all__ = [
    "UNKNOWN",
    "PlaceIndex",
    "RouteTables",
    "optional_text",
    "read_route_tables",
    "route_queries",
]

#: How a leg that is not recorded is labelled.
UNKNOWN = "?"
_DEPTH = {"country": 0, "province": 1, "district": 2, "commune": 3}


@dataclass
class RouteTables:
    """What route analysis reads (see :func:`read_route_tables`).

    Attributes
    ----------
    seizures : DataFrame
        ``seizure_id, first_seen, last_seen, drug, quantity_kg`` and the leg ids ``origin``,
        ``gate``, ``place``, ``destination`` (missing when not recorded).
    places : DataFrame
        ``id, name, level, country, parent`` (``parent`` missing for a country).
    gates : DataFrame
        ``id, name, country, places`` (the Place ids the gate is recorded in).
    arrests : DataFrame
        ``person_id, name, role, seizure_id, evidence`` (record ids).
    """

    seizures: pd.DataFrame
    places: pd.DataFrame
    gates: pd.DataFrame
    arrests: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["person_id", "name", "role", "seizure_id", "evidence"]
        )
    )

    @cached_property
    def index(self) -> PlaceIndex:
        """The place hierarchy and gates of these tables, built once on first use."""
        return PlaceIndex(self.places, self.gates)


def optional_text(value: object) -> str | None:
    """``value`` as stripped text, or ``None`` when it is missing or blank.

    >>> optional_text("  vn/nghe an "), optional_text(float("nan")), optional_text("")
    ('vn/nghe an', None, None)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


class PlaceIndex:
    """The place hierarchy and gates, with roll-up, the 2025 merger and coordinates.

    Places are keyed by their stored id; a gate's province, coordinates and facing gate come
    from the gazetteer (:mod:`netintel.values.places`) when it knows the gate. Provinces the
    gazetteer adds (a gate's province, a province a merger created) join the hierarchy as
    they are met.
    """

    def __init__(self, places: pd.DataFrame, gates: pd.DataFrame) -> None:
        self._merged: dict[str, str] = {}
        self._chains: dict[tuple[str | None, bool], list[str]] = {}
        self.name: dict[str, str] = {}
        self.level: dict[str, str] = {}
        self.country: dict[str, str] = {}
        self.parent: dict[str, str | None] = {}
        for row in places.itertuples(index=False):
            pid = str(row.id)
            self.name[pid] = optional_text(row.name) or pid
            self.level[pid] = optional_text(row.level) or "district"
            self.country[pid] = (optional_text(row.country) or pid.split("/")[0]).upper()
            self.parent[pid] = optional_text(row.parent)
        self.gates: dict[str, dict] = {}
        for row in gates.itertuples(index=False):
            recorded = [p for p in (row.places if isinstance(row.places, list) else [])]
            provinces = [self.name.get(p, p) for p in recorded if self.level.get(p) == "province"]
            found = None
            for prov in provinces or [None]:
                found = find_gate(str(row.name), prov)
                if found is not None:
                    break
            province_id = None
            if found is not None:
                province_id = self._province_id(found.country, found.province)
            elif len(recorded) == 1:
                province_id = recorded[0]
            self.gates[str(row.id)] = {
                "name": found.name if found else (optional_text(row.name) or str(row.id)),
                "country": found.country if found else (optional_text(row.country) or "").upper(),
                "province": province_id,
                "point": (found.lat, found.lon) if found else None,
                "counterpart": (
                    f"{found.counterpart} ({found.counterpart_province}, "
                    f"{found.counterpart_country})"
                    if found and found.counterpart
                    else None
                ),
            }

    def _province_id(self, country: str, name: str) -> str:
        pid = f"{country.lower()}/{fold(name)}"
        if pid not in self.name:
            self.name[pid], self.level[pid], self.country[pid] = name, "province", country
            self.parent[pid] = country.lower()
            self._ensure_country(country)
        return pid

    def _ensure_country(self, country: str) -> None:
        cc = country.lower()
        if cc not in self.name:
            self.name[cc], self.level[cc], self.country[cc] = (
                country_name(country),
                "country",
                country,
            )
            self.parent[cc] = None

    def merged(self, pid: str) -> str:
        """The post-2025 province of a Vietnamese province id (itself otherwise)."""
        if pid in self._merged:
            return self._merged[pid]
        out = pid
        if self.level.get(pid) == "province":
            found = find_province(self.name.get(pid, ""), self.country.get(pid))
            if found is not None and found.merged_into:
                out = self._province_id(found.country, found.merged_into)
        self._merged[pid] = out
        return out

    def chain(self, pid: str | None, *, merged: bool = False) -> list[str]:
        """``pid`` and its ancestors, most specific first."""
        key = (pid, merged)
        if key in self._chains:
            return self._chains[key]
        out: list[str] = []
        node = pid
        while node is not None and node not in out:
            out.append(self.merged(node) if merged else node)
            node = self.parent.get(node)
        self._chains[key] = out
        return out

    def roll(self, pid: str | None, level: str, *, merged: bool = False) -> str | None:
        """``pid`` rolled up to ``level`` (itself when recorded more coarsely)."""
        if pid is None:
            return None
        depth = _DEPTH[level]
        for anc in self.chain(pid):
            if _DEPTH.get(self.level.get(anc, "district"), 2) <= depth:
                return self.merged(anc) if merged else anc
        return pid

    def point(self, pid: str) -> tuple[float, float, str] | None:
        """``(lat, lon, located)`` of a place or gate: ``located`` says what the point is of."""
        if pid in self.gates:
            g = self.gates[pid]
            return (*g["point"], "gate") if g["point"] else None
        # A district or commune is placed at its province (approximately); a province the
        # gazetteer does not know, or a place under no known province, is not placed at all.
        for anc in self.chain(pid):
            lvl = self.level.get(anc)
            if lvl == "province":
                found = find_province(self.name.get(anc, ""), self.country.get(anc))
                if found is None or found.lat is None:
                    return None
                return found.lat, found.lon, "province" if anc == pid else "province (approx.)"
            if lvl == "country":
                p = country_point(self.country.get(anc, "")) if anc == pid else None
                return (p[0], p[1], "country") if p is not None else None
        return None

    def label(self, pid: str | None) -> str:
        if pid is None:
            return UNKNOWN
        if pid in self.gates:
            return self.gates[pid]["name"]
        return self.name.get(pid, pid)


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
            "transport": "transport",
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
        origin_text, destination_text, transport, place, gate, origin, destination`` (the
        last four: the
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
