"""What the tests share beyond the root conftest's session fixtures: ``cli`` drives the
``netintel`` command line as a user would; ``db`` is fixtures/small loaded once (the root
``small_db``) as the text ``--db`` takes, and ``ws`` a read-only workspace on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import netintel
from netintel.cli import app

Cli = Callable[..., Result]
#: Why the test suite acts, for the audit log.
PURPOSE = "test suite"


@pytest.fixture(scope="session")
def cli() -> Cli:
    """``cli("rank", "--db", path, ...)``: run one command in-process; any argument may be a
    Path or a number (each is passed as text). Commands run with ``--purpose "test suite"``
    (a command may give its own): every file a test writes is a disclosure on the record
    (tests/cli/test_audit.py checks the refusal without a purpose)."""
    runner = CliRunner()

    def invoke(*args: object) -> Result:
        return runner.invoke(app, ["--purpose", PURPOSE, *(str(a) for a in args)])

    return invoke


@pytest.fixture(scope="session")
def db(small_db: Path) -> str:
    """fixtures/small (300 records, seed 7), loaded once with entity resolution: read it only."""
    return str(small_db)


@pytest.fixture(scope="session")
def ws(small_db: Path):
    """A read-only workspace on fixtures/small (the wing tests read it; none writes)."""
    with netintel.open(small_db, read_only=True, purpose=PURPOSE) as workspace:
        yield workspace
