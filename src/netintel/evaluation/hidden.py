"""Scores of this area against the planted truth (see :class:`netintel.evaluation.EvalContext`)."""

from __future__ import annotations


def score(ctx) -> list[dict]:
    return []
