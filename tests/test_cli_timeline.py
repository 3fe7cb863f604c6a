"""End to end: timeline, suggest-links and rank --labels, driven as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from netintel.cli import app
from netintel.ingest.matrix import network_folders

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"
runner = CliRunner()


def cli(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def db(small_db) -> Path:
    return small_db


def test_timeline_prints_and_writes_its_three_tables(db, tmp_path):
    out = tmp_path / "timeline.csv"
    result = cli(
        "timeline", "--db", str(db), "--period", "year", "--top", "3", "--engine", "igraph",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Top people per year" in result.output
    table = pd.read_csv(out)
    assert {"period", "rank", "person_id", "name", "score", "evidence"} <= set(table.columns)
    assert table["rank"].max() <= 3
    assert (tmp_path / "timeline-rising.csv").exists()
    assert (tmp_path / "timeline-replacements.csv").exists()


def test_timeline_rejects_an_unknown_period(db):
    result = cli("timeline", "--db", str(db), "--period", "week")
    assert result.exit_code == 1
    assert "unknown period" in result.output


def test_suggest_links_prints_scores_and_evidence(db, tmp_path):
    out = tmp_path / "hidden.json"
    result = cli("suggest-links", "--db", str(db), "--top", "5", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "hidden-tie test" in result.output and "ROC AUC" in result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) == 5
    assert all(0 <= r["probability"] <= 1 and r["evidence"] for r in rows)


def test_rank_with_labels_cross_validates_and_names_bad_rows(db, tmp_path):
    targets = tmp_path / "targets.csv"
    assert cli("rank", "--db", str(db), "--top", "40", "--out", str(targets)).exit_code == 0
    ranked = pd.read_csv(targets)
    labels = tmp_path / "confirmed.csv"
    # the composite's top 6 as confirmed organizers, the rest as couriers
    pd.DataFrame(
        {
            "person_id": ranked["person_id"],
            "label": ["organizer"] * 6 + ["courier"] * (len(ranked) - 6),
        }
    ).to_csv(labels, index=False)
    result = cli("rank", "--db", str(db), "--labels", str(labels), "--top", "5")
    assert result.exit_code == 0, result.output
    assert "Cross-validation per fold" in result.output
    assert "Feature importances" in result.output
    assert "Predicted" in result.output

    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,label\nP-nobody,1\n", encoding="utf-8")
    result = cli("rank", "--db", str(db), "--labels", str(bad))
    assert result.exit_code == 1
    assert "bad.csv, row 2, field person_id" in " ".join(result.output.split())

    single = tmp_path / "single.csv"
    single.write_text(f"person_id,label\n{ranked['person_id'][0]},1\n", encoding="utf-8")
    result = cli("rank", "--db", str(db), "--labels", str(single))
    assert result.exit_code == 1
    assert "labels are positive" in result.output


@pytest.mark.skipif(
    not REAL.is_dir(), reason="the real networks folder ../shared/data/real is absent"
)
@pytest.mark.parametrize(
    "path",
    [n.matrix for n in network_folders(REAL)] if REAL.is_dir() else [],
    ids=lambda p: p.parent.name,
)
def test_real_networks_suggest_links_but_have_no_timeline(tmp_path, path):
    db = tmp_path / "real.db"
    # resolution is exercised by the ingest tests; these commands only need the ties
    result = cli("ingest", "--db", str(db), "--matrix", str(path))
    assert result.exit_code == 0, result.output
    result = cli("suggest-links", "--db", str(db), "--top", "5")
    assert result.exit_code == 0, result.output
    assert "Top 5 suggested ties" in result.output
    result = cli("timeline", "--db", str(db))
    assert result.exit_code == 1
    assert "no dated evidence" in " ".join(result.output.split())
