"""Exchange with other tools: neo4j-admin bulk import files, GraphML and GEXF for Gephi,
FollowTheMoney entities for Aleph.

- :func:`export_neo4j_admin` / :func:`import_neo4j_admin`: node and relationship CSVs in the
  ``neo4j-admin database import`` header format, and netintel's own reader of them.
- :func:`write_graph`: the person graph (with the analysis, :func:`annotate_people`) or the
  stored graph (:func:`stored_graph`) as GraphML or GEXF 1.3 for Gephi.
- :func:`write_ftm`: the case as FollowTheMoney entities (JSON lines) for Aleph.
"""

from __future__ import annotations

from netintel.exchange.ftm import FtmExport, ftm_entities, read_ftm, write_ftm
from netintel.exchange.gephi import (
    annotate_people,
    exchange_graph,
    flatten_attributes,
    person_rows,
    stored_graph,
    write_graph,
)
from netintel.exchange.neo4j_admin import (
    AdminExport,
    admin_command,
    export_neo4j_admin,
    import_neo4j_admin,
)

__all__ = [
    "AdminExport",
    "FtmExport",
    "admin_command",
    "annotate_people",
    "exchange_graph",
    "export_neo4j_admin",
    "flatten_attributes",
    "ftm_entities",
    "import_neo4j_admin",
    "person_rows",
    "read_ftm",
    "stored_graph",
    "write_ftm",
    "write_graph",
]
