"""The end-to-end evaluation on the default synthetic set."""

from __future__ import annotations

import subprocess
import sys

import pytest

from netintel.errors import OutputError
from netintel.evaluation import run_evaluation
from netintel.evaluation.scorers import SCORERS


def test_default_synthetic_set_puts_planted_leaders_in_the_top_five(tmp_path):
    """The engine's promise on its own benchmark: at least 4 of the top 5 are ring leaders."""
    metrics = run_evaluation(records=2000, seed=0, workdir=tmp_path / "work")
    assert metrics.attrs == {"records": 2000, "seed": 0}
    assert len(metrics) == 48 and list(metrics.columns) == ["metric", "k", "value", "detail"]
    at = {(m, k): v for m, k, v in metrics[["metric", "k", "value"]].itertuples(index=False)}
    assert at[("precision_leaders", 5)] >= 0.8
    assert at[("recall_leaders", 10)] == 1.0
    quarantine = metrics.set_index("metric").loc[
        ["quarantine_recall", "quarantine_precision"], "value"
    ]
    assert (quarantine == 1.0).all()  # every planted malformed row, and only those


def test_a_fresh_folder_is_required(tmp_path):
    (tmp_path / "evaluation.db").mkdir()
    with pytest.raises(OutputError, match="evaluate into a fresh folder"):
        run_evaluation(workdir=tmp_path)


def test_scorers_run_in_the_order_of_the_table():
    assert [f"{s.__module__.rsplit('.', 1)[-1]}.{s.__name__}" for s in SCORERS] == [
        "network.targets",
        "network.rings",
        "records.quarantine",
        "records.people_mapped",
        "network.ring_algorithms",
        "network.brokers",
        "dismantle.key_players",
        "routes.corridors",
        "hidden.links",
        "network.learned",
        "dismantle.successors",
        "records.resolution",
    ]


def test_importing_the_metrics_stays_light():
    """bench/ imports the metrics and measures peak memory: no analysis engine comes along."""
    code = (
        "import sys, netintel.evaluation; "
        "print(sorted(m for m in ('sklearn', 'igraph', 'netintel.analysis') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
