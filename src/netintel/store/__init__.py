"""Graph stores: the :class:`GraphStore` seam and its backends."""

from __future__ import annotations

from netintel.store.base import GraphStore, WriteSummary

__all__ = ["GraphStore", "WriteSummary"]
