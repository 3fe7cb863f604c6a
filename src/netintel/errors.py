"""The netintel exception tree.

Every error netintel raises on purpose derives from :class:`NetIntelError`, so a caller can
catch one type. Engine and driver errors are translated at the boundary (``raise ... from e``).
A message names what was at fault (the file, setting, label or value) and, where there is
one, what to do instead. Row-level problems of input records are not errors: they go to
quarantine, with reasons.

::

    NetIntelError
    ├── SchemaError          the declared schema is invalid, or a write names an undeclared label/type
    ├── InputError           an input file cannot be read at all (missing, wrong encoding, bad mapping)
    ├── InvalidValueError    one value cannot be cleaned (a phone, a date, a unit); also a ValueError
    ├── OutputError          an output file or folder cannot be written
    ├── StoreError           the graph store failed (open, query, write)
    │   └── ReadOnlyError    a write was attempted on a read-only store or query
    └── AnalysisError        an analysis cannot run on the given graph or options
"""

from __future__ import annotations


class NetIntelError(Exception):
    """Root of all netintel errors."""


class SchemaError(NetIntelError):
    """The schema is invalid, or a write names a label or type the schema does not declare."""


class InputError(NetIntelError):
    """An input file or mapping cannot be read at all (row-level problems go to quarantine)."""


class OutputError(NetIntelError):
    """An output file or folder cannot be written (no permission, a file where a folder
    should be, a full disk); the message names the path."""


class InvalidValueError(NetIntelError, ValueError):
    """One value cannot be cleaned: a phone number, a date, a unit, a time window...

    The message names the value. Ingest turns it into a quarantine reason for the row that
    holds the value; anywhere else it reaches the caller. It is also a :class:`ValueError`,
    so code that catches ``ValueError`` around a cleaner keeps working.
    """


class StoreError(NetIntelError):
    """The graph store failed to open, query or write."""


class ReadOnlyError(StoreError):
    """A write was attempted where only reads are allowed."""


class AnalysisError(NetIntelError):
    """An analysis cannot run on the given graph or options."""
