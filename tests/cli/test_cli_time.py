"""The timeline command driven as a user would (and suggest-links on undated real networks)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netintel.ingest.matrix import network_folders

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "data" / "real"


def test_timeline_prints_and_writes_its_three_tables(db, tmp_path, cli):
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


def test_timeline_rejects_an_unknown_period(db, cli):
    result = cli("timeline", "--db", str(db), "--period", "week")
    assert result.exit_code == 1
    assert "unknown period" in result.output


@pytest.mark.skipif(
    not REAL.is_dir(), reason="the real networks folder ../shared/data/real is absent"
)
@pytest.mark.parametrize(
    "path",
    [n.matrix for n in network_folders(REAL)] if REAL.is_dir() else [],
    ids=lambda p: p.parent.name,
)
def test_real_networks_suggest_links_but_have_no_timeline(tmp_path, path, cli):
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
