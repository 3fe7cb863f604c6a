"""netintel: link analysis for drug-trafficking investigations."""

from __future__ import annotations

__version__ = "0.1.0"
