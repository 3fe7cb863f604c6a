"""Ingestion: record files in, a provenance-carrying :class:`~netintel.batch.GraphBatch` out.

Read (CSV, JSON Lines, Parquet, Excel; any column names through a YAML mapping), validate and
normalise (names NFC, phones E.164, dates ISO with partial precision, countries ISO-2, places
by the gazetteer), quarantine rows whose required values are missing or malformed with
reasons, drop malformed optional values with a quality flag (the record loads), and build the
graph the schema declares. The record kinds, the mapping format, the quarantine and the flags
are documented in ``graph_schema/records.md``.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "calls.csv").write_text(
...     "from_phone,to_phone,date\\n0912345678,+856 20 5551 2345,2024-03\\n0912345678,12,2024-03\\n")
>>> result = ingest_files(communications=[d / "calls.csv"])
>>> result.reconciliation[["kind", "read", "loaded", "quarantined"]].to_dict("records")
[{'kind': 'communications', 'read': 2, 'loaded': 1, 'quarantined': 1}]
>>> sorted(result.batch.nodes["Phone"]["id"])
['+84912345678', '+8562055512345']
>>> result.quarantine.loc[0, "reason"]
"to_phone: '12' is not a valid phone number (too short for region VN)"
"""

from __future__ import annotations

from netintel.ingest.api import IngestResult, ingest_files, read_records
from netintel.ingest.build import build_batch
from netintel.ingest.kinds import KINDS, KindSpec
from netintel.ingest.mapping import Mapping
from netintel.ingest.matrix import read_matrix
from netintel.ingest.normalise import FLAG_COLUMNS, QUARANTINE_COLUMNS, normalise

__all__ = [
    "FLAG_COLUMNS",
    "KINDS",
    "QUARANTINE_COLUMNS",
    "IngestResult",
    "KindSpec",
    "Mapping",
    "build_batch",
    "ingest_files",
    "normalise",
    "read_matrix",
    "read_records",
]
