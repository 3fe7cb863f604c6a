"""Time and hidden ties: timelines per period, rising actors, suggested links."""

from __future__ import annotations

from netintel.cli._app import app  # noqa: F401
