"""Timeline: per-period ranks, rising actors and successors of arrested leaders."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import netintel
from netintel.analysis.time import Timeline, timeline
from netintel.errors import AnalysisError
from netintel.ingest.matrix import network_folders
from netintel.project.periods import period_windows

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT.parent / "shared" / "data" / "real"


def _snapshot(edges, day: str) -> nx.Graph:
    G = nx.Graph()
    for u, v in edges:
        G.add_edge(u, v, weight=1.0, first_seen=day, last_seen=day, sources=[f"R-{u}{v}-{day}"])
    for u in G:
        G.nodes[u].update(name=f"Name {u}", roles={}, seizure_kg=0.0, sources=[])
    return G


@pytest.fixture
def succession():
    """Hub L leads A..E through January and February; L is arrested on 1 March, after which S
    (one of his contacts) becomes the hub of the same people. W, far away, grows slowly."""
    ring = ["A", "B", "C", "D", "E"]
    far = [("W", "X"), ("X", "Y")]
    jan = _snapshot([("L", x) for x in ring] + [("L", "S"), ("S", "A")] + far, "2023-01-10")
    feb = _snapshot([("L", x) for x in ring] + [("L", "S")] + far, "2023-02-10")
    mar = _snapshot([("S", x) for x in ring] + far + [("W", "Y")], "2023-03-10")
    apr = _snapshot([("S", x) for x in ring] + far + [("W", "Y")], "2023-04-10")
    snaps = {"2023-01": jan, "2023-02": feb, "2023-03": mar, "2023-04": apr}
    arrests = pd.DataFrame(
        {
            "person_id": ["L", "A"],
            "arrest_id": ["ARR-L", "ARR-A"],
            "date": ["2023-03-01", "2023-02-03"],
            "sources": [["ARR-1"], ["ARR-2"]],
        }
    )
    return snaps, period_windows("2023-01-01", "2023-04-30", "month"), arrests


def test_each_period_is_ranked_on_its_own_ties(succession):
    snaps, windows, arrests = succession
    t = Timeline(seed=0).fit(snaps, windows=windows, arrests=arrests)
    first = t.timeline_[t.timeline_["rank"] == 1].set_index("period")["person_id"]
    assert first.to_dict() == {"2023-01": "L", "2023-02": "L", "2023-03": "S", "2023-04": "S"}
    march = t.timeline_[t.timeline_["period"] == "2023-03"]
    assert "L" not in set(march["person_id"])  # no tie, no role: not active
    # evidence: the period's tie records, plus the person's arrests in the period
    a_feb = t.timeline_[(t.timeline_["period"] == "2023-02") & (t.timeline_["person_id"] == "A")]
    assert a_feb["evidence"].item() == ["ARR-2", "R-LA-2023-02-10"]
    top2 = Timeline(top=2).fit(snaps).timeline_
    assert top2.groupby("period").size().tolist() == [2, 2, 2, 2]


def test_rising_actors_come_with_their_new_ties(succession):
    snaps, windows, arrests = succession
    rising = Timeline().fit(snaps, windows=windows, arrests=arrests).rising_
    march = rising[rising["period"] == "2023-03"].iloc[0]
    assert march["person_id"] == "S"
    assert march["previous_period"] == "2023-02"
    assert march["rank"] == 1 and march["rank_change"] > 0
    assert march["new_ties"] == ["A", "B", "C", "D", "E"]
    assert march["evidence"] == sorted(f"R-S{x}-2023-03-10" for x in "ABCDE")
    assert "5 new contacts" in march["explanation"]
    assert (rising["score_rise"] > 0).all()


def test_the_successor_of_an_arrested_leader_is_named_first(succession):
    snaps, windows, arrests = succession
    rep = timeline(snaps, windows=windows, arrests=arrests, leader_top=1).replacements
    first = rep[rep["candidate"] == 1]
    assert first[["arrested_id", "arrest_period", "person_id"]].values.tolist() == [
        ["L", "2023-03", "S"]
    ]
    row = first.iloc[0]
    assert not row["active_after"]
    assert row["rank_after"] == 1
    assert "ARR-1" in row["evidence"]  # the leader's arrest record
    assert "R-SB-2023-03-10" in row["evidence"]  # and the successor's new ties
    assert "is in no later record" in row["explanation"]
    # W's rise is in another part of the network: never a candidate
    assert "W" not in set(rep["person_id"])


def test_a_leader_who_stays_on_top_was_not_replaced(succession):
    snaps, windows, _ = succession
    arrests = pd.DataFrame({"person_id": ["L"], "arrest_id": ["X"], "date": ["2023-01-20"]})
    rep = Timeline(leader_top=1).fit(snaps, windows=windows, arrests=arrests).replacements_
    assert rep.empty  # L is still first in February


def test_timeline_checks_its_options(succession):
    snaps, windows, _ = succession
    with pytest.raises(AnalysisError, match="unknown measure"):
        Timeline(measure="fame").fit(snaps)
    with pytest.raises(AnalysisError, match="no periods"):
        Timeline().fit({})
    with pytest.raises(AnalysisError, match="lack the period"):
        Timeline().fit(snaps, windows=windows.iloc[:2])
    by_degree = Timeline(measure="degree").fit(snaps).timeline_
    assert by_degree.loc[by_degree["period"] == "2023-01", "score"].iloc[0] == 6


def test_workspace_timeline_on_the_committed_records(tmp_path):
    small = ROOT / "fixtures" / "small"
    with netintel.open(tmp_path / "case.db") as ws:
        ws.ingest(
            **{k: small / f"{k}.csv" for k in ("arrests", "seizures", "communications", "links")}
        )
        result = ws.time.timeline(period="year", top=5, engine="igraph")
        window = ws.time.timeline(period="quarter", window="2023-01 to 2023-06", engine="igraph")
    periods = result.timeline["period"].unique().tolist()
    assert periods == sorted(periods) and len(periods) >= 2
    assert (result.timeline.groupby("period")["rank"].max() <= 5).all()
    assert all(len(e) > 0 for e in result.timeline["evidence"])
    assert set(result.rising["period"]) <= set(periods[1:])
    assert window.timeline["period"].unique().tolist() == ["2023-Q1", "2023-Q2"]


@pytest.mark.skipif(
    not REAL.is_dir(), reason="the real networks folder ../shared/data/real is absent"
)
def test_undated_real_network_gets_a_clear_answer(tmp_path):
    path = network_folders(REAL)[0].matrix
    with netintel.open(tmp_path / "real.db") as ws:
        ws.ingest(matrices=path)
        with pytest.raises(AnalysisError, match="no dated evidence"):
            ws.time.timeline()
