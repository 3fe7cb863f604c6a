"""Reports: tables written to files and shown on a console."""

from __future__ import annotations

from netintel.report.tables import write_table

__all__ = ["write_table"]
