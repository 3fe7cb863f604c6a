"""The graph schema: loaded from ``graph_schema/schema.yaml``, validated, rendered to DDL.

The schema is the allow-list for everything a store writes: a label or relationship type that
is not declared here cannot be written, and property names come from here, never from data.

Examples
--------
>>> schema = load_schema()
>>> "Person" in schema.nodes and "CALLED" in schema.relationships
True
>>> schema.relationships["AT"].endpoints[0]
('Arrest', 'Place')
>>> schema.node("Persn")
Traceback (most recent call last):
...
netintel.errors.SchemaError: unknown node label 'Persn'; declared labels: Account, Address, ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from netintel.errors import SchemaError
from netintel.resources import schema_dir

TYPES = ("STRING", "INT64", "DOUBLE", "BOOL", "DATE", "STRING[]")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# Words that LadybugDB or Neo4j will not accept unquoted as a label, type or property: a
# schema using one would force every analyst to backtick it, so the loader refuses it.
RESERVED = frozenset(
    """ALL AND AS ASC BY CALL CASE CONTAINS CREATE DELETE DESC DETACH DISTINCT ELSE END EXISTS
    FALSE FROM IN IS LIMIT MATCH MERGE NOT NULL OPTIONAL OR ORDER REMOVE RETURN SET SKIP THEN
    TO TRUE UNION UNWIND WHEN WHERE WITH XOR COPY LOAD""".split()
)


@dataclass(frozen=True)
class NodeType:
    """A declared node label: its key and its properties (common ones included)."""

    label: str
    key: str
    properties: dict[str, str]


@dataclass(frozen=True)
class RelType:
    """A declared relationship type: allowed endpoint pairs and properties (common ones included)."""

    type: str
    key: str
    endpoints: tuple[tuple[str, str], ...]
    properties: dict[str, str]


@dataclass(frozen=True)
class Schema:
    """The validated schema. Use :func:`load_schema` to build one."""

    version: int
    key: str
    common: dict[str, str]
    nodes: dict[str, NodeType] = field(default_factory=dict)
    relationships: dict[str, RelType] = field(default_factory=dict)

    def node(self, label: str) -> NodeType:
        """The declared node type for ``label``; raises :class:`SchemaError` if undeclared."""
        return _declared(self.nodes, label, "node label", "labels")

    def relationship(self, rel_type: str) -> RelType:
        """The declared relationship type; raises :class:`SchemaError` if undeclared."""
        return _declared(self.relationships, rel_type, "relationship type", "types")

    def check_endpoints(self, rel_type: str, from_label: str, to_label: str) -> RelType:
        """Validate that ``(from_label)-[rel_type]->(to_label)`` is declared and return the type."""
        rel = self.relationship(rel_type)
        if (from_label, to_label) not in rel.endpoints:
            allowed = ", ".join(f"({a})->({b})" for a, b in rel.endpoints)
            raise SchemaError(
                f"{rel_type} does not connect ({from_label})->({to_label}); declared: {allowed}"
            )
        return rel


def _declared(table: dict, name: object, what: str, plural: str) -> Any:
    """``table[name]``, or a SchemaError naming ``name`` and what is declared."""
    found = table.get(name) if isinstance(name, str) else None
    if found is None:
        raise SchemaError(f"unknown {what} {name!r}; declared {plural}: {', '.join(sorted(table))}")
    return found


def _check_name(kind: str, name: object) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise SchemaError(f"invalid {kind} name {name!r}: letters, digits and '_' only")
    if name.upper() in RESERVED:
        raise SchemaError(f"invalid {kind} name {name!r}: a reserved word in Cypher")
    return name


def _check_props(owner: str, props: object) -> dict[str, str]:
    if props is None:
        return {}
    if not isinstance(props, dict):
        raise SchemaError(f"{owner}: 'properties' must be a mapping of name to type")
    out: dict[str, str] = {}
    for name, typ in props.items():
        _check_name(f"property of {owner}", name)
        if typ not in TYPES:
            raise SchemaError(
                f"{owner}.{name}: unknown type {typ!r}; use one of {', '.join(TYPES)}"
            )
        out[name] = typ
    return out


def _mapping(origin: str, what: str, value: object) -> dict:
    """``value`` if it is a mapping (a missing one is empty); else a SchemaError naming it."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SchemaError(f"{origin}: {what} must be a mapping, got {type(value).__name__}")
    return value


def parse_schema(doc: dict, *, origin: str = "<schema>") -> Schema:
    """Validate a schema document (the parsed YAML) and build a :class:`Schema`.

    Raises
    ------
    SchemaError
        On a section that is not a mapping, an invalid name, type or version, a relationship
        endpoint that names an undeclared label, or a property that shadows the key or a
        common property (the message names ``origin`` and the offending entry).

    Examples
    --------
    >>> parse_schema({"nodes": {"Person": None}, "relationships": []}, origin="s.yaml")
    Traceback (most recent call last):
    ...
    netintel.errors.SchemaError: s.yaml: relationships must be a mapping, got list
    """
    if not isinstance(doc, dict) or "nodes" not in doc or "relationships" not in doc:
        raise SchemaError(f"{origin}: expected top-level 'nodes' and 'relationships'")
    key = _check_name("key", doc.get("key", "id"))
    common = _check_props("common_properties", doc.get("common_properties"))
    nodes: dict[str, NodeType] = {}
    try:
        version = int(doc.get("version", 1))
    except (TypeError, ValueError):
        raise SchemaError(f"{origin}: version {doc['version']!r} is not a whole number") from None
    for label, spec in _mapping(origin, "nodes", doc["nodes"]).items():
        _check_name("node label", label)
        spec = _mapping(origin, f"node {label}", spec)
        props = _check_props(label, spec.get("properties"))
        clash = (set(props) & set(common)) | ({key} & set(props))
        if clash:
            raise SchemaError(f"{origin}: {label} redeclares reserved properties {sorted(clash)}")
        nodes[label] = NodeType(label, key, {key: "STRING", **props, **common})
    rels: dict[str, RelType] = {}
    for rel_type, spec in _mapping(origin, "relationships", doc["relationships"]).items():
        _check_name("relationship type", rel_type)
        spec = _mapping(origin, f"relationship {rel_type}", spec)
        pairs = spec.get("endpoints") or []
        if not pairs:
            raise SchemaError(f"{origin}: {rel_type} declares no endpoints")
        endpoints = []
        for pair in pairs:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise SchemaError(f"{origin}: {rel_type} endpoint {pair!r} is not [From, To]")
            for label in pair:
                if not isinstance(label, str) or label not in nodes:
                    raise SchemaError(
                        f"{origin}: {rel_type} endpoint names undeclared label {label!r}"
                    )
            endpoints.append((pair[0], pair[1]))
        props = _check_props(rel_type, spec.get("properties"))
        clash = (set(props) & set(common)) | ({key} & set(props))
        if clash:
            raise SchemaError(
                f"{origin}: {rel_type} redeclares reserved properties {sorted(clash)}"
            )
        rels[rel_type] = RelType(
            rel_type, key, tuple(endpoints), {key: "STRING", **props, **common}
        )
    return Schema(version, key, common, nodes, rels)


@lru_cache(maxsize=8)
def load_schema(path: str | Path | None = None) -> Schema:
    """Load and validate the schema (default: the shipped ``graph_schema/schema.yaml``)."""
    path = Path(path) if path is not None else schema_dir() / "schema.yaml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise SchemaError(f"cannot read schema {path}: {e}") from e
    return parse_schema(doc, origin=str(path))
