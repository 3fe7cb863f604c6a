"""Channel in every answer: each tie knows the channels of its evidence, the target list names
them with their records, and cases are counted per channel and period."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

import netintel
from netintel.analysis.network import rank_targets
from netintel.analysis.network.channels import person_channels

ROOT = Path(__file__).resolve().parents[3]
SMALL = ROOT / "fixtures" / "small"
KINDS = ("arrests", "seizures", "communications", "links", "shipments")


def test_the_explanation_names_the_channels_of_the_evidence_with_records():
    G = nx.star_graph(["hub", "a", "b", "c"])
    nx.set_edge_attributes(G, {e: ["r"] for e in G.edges}, "sources")
    G.edges["hub", "a"]["channel_sources"] = {"express": ["VTP1", "GHN2"]}
    G.edges["hub", "b"]["channel_sources"] = {"land": ["ARR-1"]}
    ranking = rank_targets(G, seed=0).set_index("person_id")
    assert ranking.loc["hub", "channels"] == "land; express delivery"
    assert ranking.loc["hub", "explanation"].endswith(
        "Evidence through land (ARR-1), express delivery (GHN2, VTP1)."
    )
    assert (
        ranking.loc["c", "channels"] == ""
        and "Evidence through" not in ranking.loc["c", "explanation"]
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """fixtures/small with its shipments (a planted parcel ring reaching a planted ring)."""
    db = tmp_path_factory.mktemp("channels") / "case.db"
    with netintel.open(db, purpose="test suite") as ws:
        ws.ingest(**{kind: SMALL / f"{kind}.csv" for kind in KINDS})
    return db, json.loads((SMALL / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture
def ws(loaded):
    with netintel.open(loaded[0], read_only=True, purpose="test suite") as ws:
        yield ws


def test_every_tie_carries_the_channels_of_its_evidence(ws):
    G = ws.graph()
    channels = {c for _, _, d in G.edges(data=True) for c in d["channels"]}
    assert {"express", "land"} <= channels
    for _, _, d in G.edges(data=True):
        assert set(d["channels"]) == set(d["channel_sources"])
        for records in d["channel_sources"].values():
            assert set(records) <= set(d["sources"])


def test_a_target_on_the_parcel_ring_is_explained_by_express_delivery(ws, loaded):
    truth = loaded[1]
    targets = ws.rank_targets(seed=0)
    waybills = {w for r in truth["parcel_rings"] for w in r["waybills"]}
    G = ws.graph()
    parcel = targets[
        [
            bool(set(person_channels(G, p).get("express", [])) & waybills)
            for p in targets["person_id"]
        ]
    ]
    assert len(parcel) >= len(truth["parcel_rings"])  # the ring's people are on the list
    explained = [e for e in parcel["explanation"] if any(w in e for w in waybills)]
    assert explained and all("express delivery (" in e for e in explained)
    assert all("express delivery" in c for c in parcel["channels"])


def test_cases_are_counted_per_channel_and_period(ws, loaded, cli):
    table = ws.query.channels(period="year")
    assert list(table.columns) == ["period", "channel", "cases", "events", "records"]
    express = table[table["channel"] == "express"]
    waybills = {w for r in loaded[1]["parcel_rings"] for w in r["waybills"]}
    # every shipment, and seizures sent by post
    assert waybills <= {r for records in express["records"] for r in records}
    assert express["events"].sum() >= len(waybills)
    assert (table["channel"] == "land").any()
    quarters = ws.query.channels(period="quarter")
    assert quarters["period"].str.contains("Q").all() or (quarters["period"] == "undated").any()
    assert quarters["cases"].sum() >= table["cases"].sum()
    ws.close()
    result = cli("stats", "--db", loaded[0], "--channels")
    assert result.exit_code == 0, result.output
    assert "express" in result.output and "period" in result.output
