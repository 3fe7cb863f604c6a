"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

import netintel

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small"


@pytest.fixture(scope="session")
def small_db(tmp_path_factory) -> Path:
    """fixtures/small (300 records, seed 7) ingested, with entity resolution, into one
    database for the whole run. Tests only read it: one that writes makes its own."""
    path = tmp_path_factory.mktemp("small") / "case.db"
    with netintel.open(path) as ws:
        ws.ingest(
            **{
                kind: SMALL / f"{kind}.csv"
                for kind in ("arrests", "seizures", "communications", "links")
            }
        )
    return path
