"""Entity resolution: resolve people, and apply review decisions."""

from __future__ import annotations

from netintel.cli._app import app  # noqa: F401
