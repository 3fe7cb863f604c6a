"""The workspace the wing tests read: fixtures/small (the root ``small_db``), read-only."""

from __future__ import annotations

from pathlib import Path

import pytest

import netintel


@pytest.fixture(scope="session")
def ws(small_db: Path):
    with netintel.open(small_db, read_only=True) as workspace:
        yield workspace
