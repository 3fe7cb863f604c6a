"""The end-to-end evaluation, through `netintel evaluate`, on the default synthetic set."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netintel.cli import app
from netintel.errors import OutputError
from netintel.evaluation import run_evaluation
from netintel.evaluation.readme import END, START
from netintel.evaluation.scorers import SCORERS

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, str]:
    """`netintel evaluate --out results.json --readme README.md` on the default set, once."""
    work = tmp_path_factory.mktemp("evaluate")
    readme = work / "README.md"
    readme.write_text(f"# Quality\n{START}\n{END}\n", encoding="utf-8")
    out = runner.invoke(
        app, ["evaluate", "--out", str(work / "results.json"), "--readme", str(readme)]
    )
    assert out.exit_code == 0, out.output
    return work, out.output


def test_default_synthetic_set_puts_planted_leaders_in_the_top_five(run):
    """The engine's promise on its own benchmark: at least 4 of the top 5 are ring leaders."""
    work, _ = run
    doc = json.loads((work / "results.json").read_text(encoding="utf-8"))
    at = {(r["metric"], r["k"]): r["value"] for r in doc["metrics"]}
    assert at[("precision_leaders", 5)] >= 0.8
    assert at[("recall_leaders", 10)] == 1.0
    # every planted malformed row, and only those
    assert at[("quarantine_recall", None)] == at[("quarantine_precision", None)] == 1.0


def test_the_results_file_holds_every_printed_row(run):
    work, output = run
    doc = json.loads((work / "results.json").read_text(encoding="utf-8"))
    assert (doc["records"], doc["seed"]) == (2000, 0)
    metrics = [r["metric"] for r in doc["metrics"]]
    assert len(metrics) == 54
    assert metrics[:2] == ["precision_leaders", "recall_leaders"]
    assert metrics[-7:] == [
        "precision_leaders_unresolved",
        "parcel_rings_found",
        "parcel_ring_members_found",
        "reformations_flagged",
        "reformation_false_flags",
        "reformation_people_named",
        "seller_money_paths_found",
    ]
    for name in set(metrics):
        assert name[:29] in output  # the printed table wraps long names at 29 characters


def test_the_readme_is_generated_from_the_run(run):
    work, output = run
    text = (work / "README.md").read_text(encoding="utf-8")
    assert "[`results.json`](results.json)" in text
    assert "| ring NMI, Louvain / Leiden |" in text
    assert "quality table regenerated" in output


def test_readme_options_need_a_results_file(tmp_path):
    readme = tmp_path / "README.md"
    out = runner.invoke(app, ["evaluate", "--readme", str(readme)])
    assert out.exit_code == 1 and "--out FILE.json" in out.output
    out = runner.invoke(app, ["evaluate", "--from", str(tmp_path / "r.json")])
    assert out.exit_code == 1 and "--from goes with --readme" in out.output
    out = runner.invoke(
        app, ["evaluate", "--readme", str(readme), "--from", str(tmp_path / "r.json")]
    )
    assert out.exit_code == 1 and "cannot read the results file" in out.output


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
        "channels.parcels",
        "channels.reformations",
        "channels.money_paths",
    ]


def test_importing_the_metrics_stays_light():
    """bench/ imports the metrics and measures peak memory: no analysis engine comes along."""
    code = (
        "import sys, netintel.evaluation; "
        "print(sorted(m for m in ('sklearn', 'igraph', 'netintel.analysis') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
