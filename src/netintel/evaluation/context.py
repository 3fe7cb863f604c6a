"""What every scorer gets: the loaded evaluation workspace and the planted truth.

A scorer is a function ``score(ctx: EvalContext) -> list[dict]`` returning rows of
``metric, k, value, detail`` (``k`` missing where it does not apply). The scorers live in
:mod:`netintel.evaluation.scorers`, one module per wing; the driver
(:func:`netintel.evaluation.driver.run_evaluation`) runs them in the order of
:data:`netintel.evaluation.scorers.SCORERS`.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from netintel.workspace import IngestReport, Workspace

__all__ = ["EvalContext", "Row", "Scorer", "quiet", "skipped"]

#: One result row: ``metric``, ``k``, ``value``, ``detail``.
Row = dict


@dataclass
class EvalContext:
    """The evaluation workspace, the truth, and what the driver computed once for all scorers.

    ``people`` and ``mapping`` may be ``None`` for scorers that do not read them;
    ``ranking`` (the target list) and ``rings`` (the default rings) are computed on first use
    when the driver has not set them (:meth:`targets`, :meth:`ring_table`).
    """

    ws: Workspace
    truth: dict
    seed: int
    people: pd.DataFrame | None
    mapping: pd.Series | None  # graph person_id -> planted person id (missing when unmatched)
    paths: dict[str, Path]  # the record files, by kind
    workdir: Path  # scratch space for scorers that need a database of their own
    report: IngestReport | None
    ks: tuple[int, ...] = (5, 10)  # the cut-offs of the target list scores
    ranking: pd.DataFrame | None = None
    rings: pd.DataFrame | None = None

    def targets(self) -> pd.DataFrame:
        """The ranked target list of the evaluation (``ws.rank_targets`` with its seed)."""
        if self.ranking is None:
            self.ranking = self.ws.rank_targets(seed=self.seed)
        return self.ranking

    def ring_table(self) -> pd.DataFrame:
        """The default rings of the evaluation (``ws.communities`` with its seed)."""
        if self.rings is None:
            self.rings = self.ws.network.rings(seed=self.seed)
        return self.rings


#: What :data:`netintel.evaluation.scorers.SCORERS` holds.
Scorer = Callable[[EvalContext], list[Row]]


def skipped(metric: str, k: object, why: str) -> Row:
    """The row of a metric that could not be computed: a missing value that says why.

    >>> skipped("successor_found", None, "no succession planted")["detail"]
    'skipped: no succession planted'
    """
    return {"metric": metric, "k": k, "value": float("nan"), "detail": f"skipped: {why}"}


def quiet(scorer: Scorer) -> Scorer:
    """``scorer`` with warnings silenced: learners warn about small folds and constant
    features on a synthetic set, which says nothing about the scores."""

    @functools.wraps(scorer)
    def run(ctx: EvalContext) -> list[Row]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return scorer(ctx)

    return run
