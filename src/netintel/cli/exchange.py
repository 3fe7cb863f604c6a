"""Neo4j and file exchange: saved queries, export for neo4j-admin, GraphML and GEXF."""

from __future__ import annotations

from netintel.cli._app import app  # noqa: F401
