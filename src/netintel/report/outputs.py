"""Output files: checked before the work starts, written to a temporary name and renamed.

This is the home every writer of files uses (tables, reports, exports, the audit's exports):
:func:`check_output`, :func:`atomic_write` and the spreadsheet-formula guard
:func:`spreadsheet_safe`, and the CSV/.xlsx writer :func:`write_spreadsheet` with its
encoding (:func:`csv_encoding`, :func:`using_csv_encoding`). They are implemented in :mod:`netintel.outputs`, in the foundation,
so that ingest (which writes the quarantine) can use them too; see there for the rules.

Examples
--------
>>> import tempfile, pathlib
>>> out = check_output(pathlib.Path(tempfile.mkdtemp()) / "targets.csv", suffixes=(".csv",))
>>> with atomic_write(out) as tmp:
...     _ = tmp.write_text("rank\\n1\\n")
>>> out.read_text()
'rank\\n1\\n'
"""

from __future__ import annotations

from netintel.outputs import (
    LIST_SEPARATOR,
    atomic_write,
    check_output,
    csv_encoding,
    csv_text,
    spreadsheet_safe,
    spreadsheet_safe_frame,
    using_csv_encoding,
    write_spreadsheet,
)

__all__ = [
    "LIST_SEPARATOR",
    "atomic_write",
    "check_output",
    "csv_encoding",
    "csv_text",
    "spreadsheet_safe",
    "spreadsheet_safe_frame",
    "using_csv_encoding",
    "write_spreadsheet",
]
