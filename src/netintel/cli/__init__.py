"""The ``netintel`` command line: records in, ranked targets out, for batch jobs and analysts.

Commands are grouped in modules by wing, the words of the workspace (:mod:`netintel.workspace`);
each module registers its commands on the one Typer ``app`` (:mod:`netintel.cli._app`):

=============  ===================================================================
module         commands
=============  ===================================================================
``records``    ``ingest``, ``resolve``, ``review apply``, ``review split``, ``records``,
               ``versions`` (each record back to its row as read)
``network``    ``rank``, ``rings`` (``communities``: deprecated alias), ``brokers``
``people``     ``find``, ``path``, ``neighbourhood`` (a person in any spelling, by phone, ID...)
``dismantle``  ``keyplayers``, ``disrupt``, ``successors``
``routes``     ``routes``, ``chokepoints``, ``money``
``time``       ``timeline``, ``chronology`` (a person's or a ring's events in date order)
``hotspots``   ``hotspots`` (places of repeated activity; destroyed hotspots that re-form)
``hidden``     ``suggest-links``
``query``      ``cypher``, ``query``, ``stats``
``report``     ``report`` (the case report, HTML and PDF)
``exchange``   ``export``, ``import``, ``gds``
``core``       ``demo``, ``generate``, ``evaluate``
``changes``    ``changes``, ``watch add|list|remove``, ``alerts``
``audit``      ``audit show``, ``audit verify``, ``audit export``; ``--user`` and ``--purpose``
=============  ===================================================================
"""

from __future__ import annotations

import logging

from netintel.cli._app import app

# Each module registers its commands, in this order in `netintel --help`: the wings, then
# exchange, then the quick start.
# isort: off
from netintel.cli import records, network, people, dismantle, routes, time  # noqa: F401
from netintel.cli import hotspots  # noqa: F401
from netintel.cli import changes  # noqa: F401
from netintel.cli import hidden, query, report, exchange, core  # noqa: F401
from netintel.cli import audit
# isort: on

# Every command takes --user and --purpose and records the files it writes (netintel.cli.audit).
audit.record_all(app)

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``netintel`` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
