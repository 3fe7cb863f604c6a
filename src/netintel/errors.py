"""The netintel exception tree.

Every error netintel raises on purpose derives from :class:`NetIntelError`, so a caller can
catch one type. Engine and driver errors are translated at the boundary (``raise ... from e``).

::

    NetIntelError
    ├── SchemaError          the declared schema is invalid, or a write names an undeclared label/type
    ├── InputError           an input file cannot be read at all (missing, wrong encoding, bad mapping)
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


class StoreError(NetIntelError):
    """The graph store failed to open, query or write."""


class ReadOnlyError(StoreError):
    """A write was attempted where only reads are allowed."""


class AnalysisError(NetIntelError):
    """An analysis cannot run on the given graph or options."""
