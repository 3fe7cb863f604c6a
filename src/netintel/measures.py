"""The centrality measures every engine returns, and how their values are rounded.

A table of measures is the same contract whichever engine computed it: the in-process
analyses (:mod:`netintel.analysis`) and Graph Data Science inside Neo4j
(:mod:`netintel.store.gds`) both return ``person_id`` and the columns of :data:`MEASURES`,
with the float measures rounded by :func:`round_significant`, so that values equal up to
floating-point noise tie exactly and sort the same on either engine. Both import them from
here, below the store and the analyses alike.

Examples
--------
>>> MEASURES[:2]
('degree', 'strength')
>>> round_significant(np.array([1 / 3]), digits=3)
array([0.333])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["MEASURES", "SIGNIFICANT_DIGITS", "round_significant"]

#: The measure columns of a centrality table, in order.
MEASURES = ("degree", "strength", "betweenness", "pagerank", "eigenvector", "kcore")

#: Float measures are rounded to this many significant digits.
SIGNIFICANT_DIGITS = 12


def round_significant(
    x: NDArray[np.float64], digits: int = SIGNIFICANT_DIGITS
) -> NDArray[np.float64]:
    """Round to ``digits`` significant digits (zeros stay zero), so that values equal up to
    floating-point noise tie exactly.

    >>> round_significant(np.array([0.1 + 0.2, 0.0, 123456.7890123456]))
    array([3.00000000e-01, 0.00000000e+00, 1.23456789e+05])
    """
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore"):
        exponent = np.floor(np.log10(np.abs(x)))
    exponent = np.clip(np.where(np.isfinite(exponent), exponent, 0.0), -290, 290)
    factor = 10.0 ** (digits - 1 - exponent)
    return np.round(x * factor) / factor
