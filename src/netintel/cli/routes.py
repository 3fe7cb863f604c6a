"""Routes: corridors, border gates and chokepoints from seizures."""

from __future__ import annotations

from netintel.cli._app import app  # noqa: F401
