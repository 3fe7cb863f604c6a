"""The workspace as a root and its wings: each wing answers on the small set, the headline
shortcuts are the wings' methods, and writing forgets what was read."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import netintel
from netintel.analysis.dismantle import KeyPlayerPlan
from netintel.analysis.hidden import LinkPredictor
from netintel.analysis.time import TimelineResult
from netintel.errors import AnalysisError, InputError, ReadOnlyError
from netintel.workspace.query import QueryWing

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small"
WINGS = ("records", "network", "dismantle", "routes", "time", "hidden", "query")


def test_the_root_holds_the_wings_and_the_headline_shortcuts(ws):
    for wing in WINGS:
        assert getattr(ws, wing)._ws is ws
        assert wing in repr(getattr(ws, wing)).lower() or wing == "query"
    assert ws.ingest == ws.records.ingest
    assert ws.rank_targets == ws.network.rank_targets
    assert ws.cypher == ws.query.cypher
    assert ws.graph() is ws.graph()  # projected once, kept
    assert isinstance(ws.network.directed_graph(), nx.DiGraph)


def test_records_wing_people_resolution_and_writes_forget_the_graph(tmp_path):
    files = {k: SMALL / f"{k}.csv" for k in ("arrests", "seizures", "links")}
    with netintel.open(tmp_path / "case.db") as ws:
        report = ws.records.ingest(**files, resolve=False)
        assert report.resolution is None
        people = ws.records.people()
        assert people["resolved_id"].isna().all()
        before = ws.graph()
        resolution = ws.records.resolve()
        assert resolution.n_people < len(people)
        assert ws.graph() is not before  # resolving wrote: the graph is projected again
        assert ws.graph().number_of_nodes() == resolution.n_people
        merged = ws.records.people().dropna(subset=["resolved_id"])
        wrong = merged[merged["person_id"] != merged["resolved_id"]]["person_id"].iloc[0]
        decisions = ws.records.review_split(wrong)
        assert set(decisions["decision"]) == {"reject"}
        counts = ws.records.review_apply(decisions, resolve=False)
        assert counts == {"accepted": 0, "rejected": len(decisions)}
        with pytest.raises(InputError, match="no Person node 'P-nobody'"):
            ws.records.review_split("P-nobody")


def test_dismantle_wing(ws):
    plan = ws.dismantle.key_players(3, window="2023")
    assert isinstance(plan, KeyPlayerPlan) and len(plan.players) == 3
    curve = ws.dismantle.disrupt("degree", steps=3, plans={"plan": plan.players["person_id"]})
    assert set(curve["strategy"]) == {"degree", "plan"}
    heirs = ws.dismantle.successors(plan.players["person_id"].iloc[0], top=3)
    assert heirs["rank"].tolist() == [1, 2, 3]
    with pytest.raises(InputError, match="no person matches 'Nobody At All'; nearest"):
        ws.dismantle.successors("Nobody At All")


def test_routes_wing_and_its_geojson_file(ws, tmp_path):
    corridors = ws.routes.corridors(top=3)
    assert corridors["rank"].tolist() == [1, 2, 3]
    assert corridors["rings"].map(bool).any()
    assert not ws.routes.corridors(top=3, rings=False)["rings"].map(bool).any()
    assert set(ws.routes.chokepoints(top=1)["kind"]) == {"gate", "province"}
    people = ws.routes.corridor_people(top=1)
    assert set(people["corridor_rank"]) == {1} and people["evidence"].map(len).min() > 0
    path = tmp_path / "maps" / "routes.geojson"
    collection = ws.routes.geojson(path, top=3)
    assert json.loads(path.read_text(encoding="utf-8")) == collection
    lines = [f for f in collection["features"] if f["properties"]["feature"] == "corridor"]
    assert len(lines) == 3 and lines[0]["properties"]["rings"]


def test_time_wing_cuts_the_window_into_periods(ws):
    result = ws.time.timeline(period="quarter", window="2023-01 to 2023-06", engine="igraph")
    assert isinstance(result, TimelineResult)
    assert result.timeline["period"].unique().tolist() == ["2023-Q1", "2023-Q2"]
    with pytest.raises(AnalysisError, match="unknown period"):
        ws.time.timeline(period="week")


def test_hidden_wing_takes_a_predictor_with_its_options(ws):
    fitted = ws.hidden.link_predictor(predictor=LinkPredictor(max_hops=3, cv=2, seed=1))
    assert fitted.max_hops == 3 and len(fitted.cv_) == 2
    leads = ws.hidden.suggest_links(top=4)
    assert leads["rank"].tolist() == [1, 2, 3, 4]
    assert leads["evidence"].map(len).min() > 0


def test_query_wing_is_callable_and_lists_its_queries(ws):
    listed = QueryWing.list()
    assert listed.equals(ws.query.list())
    assert {"calls_between_prefixes", "people_linked_to_case"} <= set(listed["name"])
    assert all(isinstance(p, list) for p in listed["parameters"])
    shared = ws.query("phones_shared_by_arrestees")
    assert isinstance(shared, pd.DataFrame) and len(shared.columns)
    with pytest.raises(InputError, match="no saved query 'nothing'"):
        ws.query("nothing")
    assert ws.query.stats()["Person"] > 50
    with pytest.raises(ReadOnlyError):
        ws.query.cypher("CREATE (:Phone {id: 'x'})")
