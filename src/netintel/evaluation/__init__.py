"""Score analytic results against the planted truth of :mod:`netintel.synthetic`.

Quality is a number against a known answer: the synthetic generator plants rings, leaders,
brokers, corridors, duplicate identities, hidden ties, successions and malformed rows, and
this package measures how much of it the engine finds.

Modules
-------
truth      the planted truth (:func:`load_truth`) and which planted person each graph person
           is (:func:`map_people`)
metrics    plain metric functions (precision and recall at k, NMI, corridor recall, pairwise
           resolution scores, quarantine scores), shared with ``bench/``
context    :class:`EvalContext`, what every scorer gets
scorers    one module per wing (records, network, dismantle, routes, hidden), each scorer
           returning rows ``metric, k, value, detail``
driver     :func:`run_evaluation`, the end-to-end run behind ``netintel evaluate``
real       :func:`evaluate_real`, the same analytics checked on a folder of real networks
           (``netintel evaluate --real DIR``; scores in ``real_scores``, README tables in
           ``real_readme``)
results    the dated results file (:class:`EvaluationResults`) and the README table generated
           from it (:func:`update_readme`)

Examples
--------
>>> precision_at_k(["T1", "T7", "T2"], {"T1", "T2"}, 2)
0.5
"""

from __future__ import annotations

from netintel.evaluation.context import EvalContext
from netintel.evaluation.driver import run_evaluation
from netintel.evaluation.metrics import (
    corridor_recall,
    nmi,
    pair_scores,
    precision_at_k,
    quarantine_scores,
    recall_at_k,
    resolution_scores,
    ring_nmi,
    score_ranking,
)
from netintel.evaluation.readme import readme_block, update_readme
from netintel.evaluation.results import EvaluationResults, machine_info
from netintel.evaluation.truth import (
    gatekeepers,
    graph_mapping,
    load_truth,
    map_people,
    resolved_people,
    truth_frame,
    truth_ids,
)

# the real-network checks run the analytics: imported on first use, so that importing the
# metrics (bench/) stays light
_REAL = ("evaluate_real", "read_real_networks", "real_summary")


def __getattr__(name: str) -> object:
    if name in _REAL:
        from netintel.evaluation import real

        return getattr(real, name)
    raise AttributeError(f"module 'netintel.evaluation' has no attribute {name!r}")


__all__ = [
    "EvalContext",
    "EvaluationResults",
    "corridor_recall",
    "evaluate_real",
    "gatekeepers",
    "graph_mapping",
    "load_truth",
    "machine_info",
    "map_people",
    "nmi",
    "pair_scores",
    "precision_at_k",
    "quarantine_scores",
    "read_real_networks",
    "readme_block",
    "real_summary",
    "recall_at_k",
    "resolution_scores",
    "resolved_people",
    "ring_nmi",
    "run_evaluation",
    "score_ranking",
    "truth_frame",
    "truth_ids",
    "update_readme",
]
