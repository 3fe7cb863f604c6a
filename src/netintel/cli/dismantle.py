"""Dismantling: disruption simulation, key players and likely successors."""

from __future__ import annotations

from netintel.cli._app import app  # noqa: F401
