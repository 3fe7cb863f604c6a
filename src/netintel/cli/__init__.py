"""The ``netintel`` command line: records in, ranked targets out, for batch jobs and analysts.

Each module registers its commands on the one Typer ``app`` (see :mod:`netintel.cli._app`).
"""

from __future__ import annotations

import logging

from netintel.cli import (  # noqa: F401  (each module registers its commands)
    core,
    dismantle,
    exchange,
    resolve,
    rings,
    routes,
    timeline,
)
from netintel.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``netintel`` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
