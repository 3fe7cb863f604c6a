"""Test-wide settings and shared fixtures: temporary files of tests and doctests go under
pytest's tmp_path; ``small_db`` is fixtures/small loaded once for the whole run."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

SMALL = Path(__file__).resolve().parent / "fixtures" / "small"


@pytest.fixture(autouse=True)
def _temporary_files_in_tmp_path(tmp_path, monkeypatch):
    """Docstring examples use :func:`tempfile.mkdtemp`; keep what they write with the test run."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


@pytest.fixture(scope="session")
def small_db(tmp_path_factory) -> Path:
    """fixtures/small (300 records, seed 7) ingested, with entity resolution, into one
    database for the whole run. Tests only read it: one that writes makes its own."""
    import netintel

    path = tmp_path_factory.mktemp("small") / "case.db"
    with netintel.open(path) as ws:
        ws.ingest(
            **{k: SMALL / f"{k}.csv" for k in ("arrests", "seizures", "communications", "links")}
        )
    return path
