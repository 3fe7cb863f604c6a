"""Probabilities of suggested ties that mean what they say (see :mod:`.links`, Probabilities).

The link classifier learns on pairs drawn one tie to a few non-ties, so its raw output is far
above the chance that an untied pair of a case is a tie the records miss. Here it is
calibrated in two monotone steps, which keep the classifier's order:

1. :func:`platt_and_prior`: Platt scaling (Platt 1999) of the classifier's log-odds, fitted on
   its out-of-fold predictions for the training pairs;
2. a prior shift (Saerens et al. 2002) from the training pairs' share of ties to the share of
   the candidate pairs that are missing ties, fixed by :func:`fix_prior_shift` so that the
   candidates' probabilities add up to the ties the records are assumed to miss, times the
   share of hidden ties that were still candidates in training (:func:`near_share`).

Examples
--------
>>> import numpy as np
>>> y = np.array([1, 1, 0, 0, 0, 0, 0, 0])
>>> oof = np.array([0.9, 0.7, 0.6, 0.2, 0.2, 0.1, 0.1, 0.05])
>>> c = platt_and_prior(oof, y, n=100, m=200, share=0.2)
>>> c["missing_ties"], c["training_rate"]
(50.0, 0.25)
>>> raw = np.linspace(0.01, 0.9, 400)
>>> fix_prior_shift(c, raw, 0.8)
>>> round(float(calibrate(c, raw).sum()), 6)  # 50 missing ties, 80% of them among these pairs
40.0
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from netintel.analysis.hidden.features import pair_codes

__all__ = ["calibrate", "fix_prior_shift", "near_share", "platt_and_prior"]


def logit(p: NDArray[np.float64]) -> NDArray[np.float64]:
    q = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    return np.log(q / (1 - q))


def sigmoid(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def platt_and_prior(
    oof: NDArray[np.float64] | None, y: NDArray[np.int64], *, n: int, m: int, share: float
) -> dict[str, float]:
    """Platt scaling from out-of-fold predictions and a first prior shift (to every untied
    pair of ``n`` people with ``m`` ties, if the records miss ``share`` of all ties).

    Returns ``slope``, ``intercept``, ``training_rate``, ``population_rate``,
    ``prior_shift``, ``brier_training`` and ``missing_ties``.
    """
    slope, intercept, brier = 1.0, 0.0, float("nan")
    if oof is not None and 0 < y.sum() < len(y):
        z = logit(oof).reshape(-1, 1)
        platt = LogisticRegression(C=1e4, max_iter=2000).fit(z, y)
        if platt.coef_[0, 0] > 0:  # never turn the classifier's order around
            slope, intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        brier = float(np.mean((sigmoid(slope * z.ravel() + intercept) - y) ** 2))
    untied = max(n * (n - 1) // 2 - m, 1)
    missing_ties = m * share / (1 - share)
    population = min(missing_ties / untied, 0.5)
    training = float(np.mean(y))
    return {
        "slope": slope,
        "intercept": intercept,
        "training_rate": training,
        "population_rate": float(population),
        "prior_shift": float(logit(np.array([population]))[0] - logit(np.array([training]))[0]),
        "brier_training": brier,
        "missing_ties": float(missing_ties),
    }


def calibrate(c: Mapping[str, float], raw: NDArray[np.float64]) -> NDArray[np.float64]:
    """Calibrated probabilities of the classifier's raw ones."""
    return sigmoid(c["slope"] * logit(raw) + c["intercept"] + c["prior_shift"])


def fix_prior_shift(c: dict[str, float], raw: NDArray[np.float64], near: float) -> None:
    """Set ``c``'s prior shift so that the candidates' probabilities add up to the missing
    ties expected among them (``missing_ties`` times ``near``), by bisection.

    Features of the whole graph run higher than those of the training graph, which lacked
    the hidden ties, so a shift fixed on the training pairs alone would overstate every
    probability; fixing it on the pairs scored keeps their sum right.
    """
    expected = c["missing_ties"] * near
    if len(raw) == 0 or expected <= 0:
        return
    z = c["slope"] * logit(raw) + c["intercept"]
    target = min(expected, 0.5 * len(raw))
    lo, hi = -60.0, 60.0
    for _ in range(200):  # the sum rises with the shift
        mid = (lo + hi) / 2
        if sigmoid(z + mid).sum() < target:
            lo = mid
        else:
            hi = mid
    c["prior_shift"] = (lo + hi) / 2
    c["population_rate"] = float(target / len(raw))


def near_share(
    A: sp.csr_matrix,
    hidden: NDArray[np.int64],
    max_hops: int,
    cooc: Mapping[str, Mapping[int, float]],
    n: int,
) -> float:
    """Share of the ``hidden`` ties (index pairs) that the training graph ``A`` still puts
    within ``max_hops`` ties, or that co-occur in the records: the share of missing ties
    among the suggestion candidates."""
    if len(hidden) == 0:
        return 1.0
    i, j = hidden[:, 0], hidden[:, 1]
    reach = A[i]
    near = np.asarray(reach.multiply(A[j]).sum(axis=1)).ravel() > 0
    if max_hops >= 3:
        near |= np.asarray((reach @ A).multiply(A[j]).sum(axis=1)).ravel() > 0
    codes = pair_codes(i, j, n)
    for lookup in cooc.values():
        near |= np.fromiter((int(c) in lookup for c in codes), bool, len(codes))
    return float(near.mean())
