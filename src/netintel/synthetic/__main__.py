"""``python -m netintel.synthetic --records N --seed S --out DIR``: write a synthetic dataset."""

from __future__ import annotations

import argparse
import logging

from netintel.errors import NetIntelError
from netintel.synthetic import generate_to


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, generate and write; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m netintel.synthetic", description=__doc__)
    parser.add_argument("--records", type=int, default=2000, help="total rows (>= 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True, help="output folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        generate_to(args.out, records=args.records, seed=args.seed)
    except NetIntelError as e:
        parser.exit(2, f"{parser.prog}: error: {e}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
