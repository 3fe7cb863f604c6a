"""Record versions: every loaded record is evidence with a version, and the graph reflects the
newest version of each record completely (see ``graph_schema/records.md``, "Versions").

- :func:`prepare_load` (called by ``ws.records.ingest``) classifies an ingest's records as new,
  changed, unchanged or conflicting, retires what superseded versions alone produced, and adds
  one ``Record`` node per new version to the batch.
- :mod:`netintel.versions.ledger` hashes canonical rows and finds conflicts without a store.
"""

from __future__ import annotations

from netintel.versions.apply import VersionSummary, prepare_load, retire
from netintel.versions.ledger import qualified_id, record_table, version_id

__all__ = [
    "VersionSummary",
    "prepare_load",
    "qualified_id",
    "record_table",
    "retire",
    "version_id",
]
