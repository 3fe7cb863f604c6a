"""The scorers of each wing on fixtures/small (300 records, seed 7, with its truth).

Every scorer runs on the read-only small database: its rows follow the row contract
(``metric, k, value, detail``), name exactly the metrics its module lists, in order, and
read sensibly against the planted truth.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import netintel
from netintel.evaluation.context import EvalContext
from netintel.evaluation.scorers import dismantle, hidden, network, records, routes
from netintel.evaluation.truth import load_truth, map_people

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small"
KINDS = ("arrests", "seizures", "communications", "links")


@pytest.fixture(scope="module")
def ctx(small_db, tmp_path_factory) -> Iterator[EvalContext]:
    truth = load_truth(SMALL)
    with netintel.open(small_db, read_only=True) as ws:
        people = ws.records.people()
        yield EvalContext(
            ws,
            truth,
            0,
            people,
            map_people(people, truth),
            {kind: SMALL / f"{kind}.csv" for kind in KINDS},
            tmp_path_factory.mktemp("scratch"),
            None,
        )


def check_rows(rows: list[dict], metrics: list[str]) -> dict[str, dict]:
    """``rows`` have the row contract and exactly the ``metrics`` (in that order); by metric."""
    assert [r["metric"] for r in rows] == metrics
    for r in rows:
        assert set(r) == {"metric", "k", "value", "detail"}
        assert isinstance(r["value"], float | int) and isinstance(r["detail"], str)
        assert not math.isnan(r["value"]), r  # fixtures/small has every field planted
    return {r["metric"]: r for r in rows}


# -- records: quarantine, people matched, entity resolution -------------------------------
def test_quarantine_against_the_planted_malformed_rows(ctx):
    planted = ctx.truth["malformed"]
    quarantine = pd.DataFrame(
        {"file": [f"/in/{m['file']}" for m in planted] + ["/in/links.csv"],
         "record_id": [m["record_id"] for m in planted] + ["LNK-NOT-PLANTED"]}
    )  # fmt: skip
    report = SimpleNamespace(quarantine=quarantine, resolution=None)
    rows = check_rows(
        records.quarantine(replace(ctx, report=report)),
        ["quarantine_recall", "quarantine_precision"],
    )
    assert rows["quarantine_recall"]["value"] == 1.0
    assert rows["quarantine_precision"]["value"] == len(planted) / (len(planted) + 1)


def test_people_mapped(ctx):
    row = check_rows(records.people_mapped(ctx), ["people_mapped"])["people_mapped"]
    assert row["value"] == 1.0  # every record-level person of fixtures/small is planted
    assert row["detail"] == f"{len(ctx.people)} graph people, {len(ctx.truth['persons'])} planted"


def test_resolution_with_and_without(ctx):
    rows = records.resolution(ctx)  # no ingest report: no review queue row
    by = check_rows(
        rows,
        ["resolution_precision", "resolution_recall", "resolution_f1", "resolution_people"]
        + ["precision_leaders_resolved", "precision_leaders_unresolved"] * 2,
    )
    assert by["resolution_f1"]["value"] >= 0.9
    assert [r["k"] for r in rows[4:]] == [5, 5, 10, 10]
    assert (ctx.workdir / "unresolved.db").exists()


# -- network: targets, rings, brokers, learned ranking ------------------------------------
def test_targets_score_the_ranked_list_at_each_k(ctx):
    rows = network.targets(ctx)
    names = [
        "precision_leaders",
        "recall_leaders",
        "precision_brokers_in_targets",
        "recall_brokers_in_targets",
        "decoys_in_top",
        "mapped_in_top",
    ]
    by_betweenness = [
        f"{m}_brokers_by_betweenness" for k in ctx.ks for m in ("precision", "recall")
    ]
    assert [r["metric"] for r in rows] == names * len(ctx.ks) + by_betweenness
    assert [r["k"] for r in rows] == [k for k in ctx.ks for _ in names] + [5, 5, 10, 10]
    assert all(0.0 <= r["value"] <= 1.0 for r in rows)
    top5 = {r["metric"]: r for r in rows if r["k"] == 5}
    assert top5["recall_leaders"]["value"] == 1.0  # both planted leaders in the top 5


def test_rings_are_scored_per_algorithm(ctx):
    default = check_rows(network.rings(ctx), ["ring_nmi"])["ring_nmi"]
    rows = check_rows(
        network.ring_algorithms(ctx),
        ["ring_nmi_louvain", "ring_stability_louvain", "ring_nmi_leiden", "ring_stability_leiden"],
    )
    assert rows["ring_nmi_louvain"]["value"] == default["value"]  # Louvain is the default
    assert all(0.0 <= r["value"] <= 1.0 for r in rows.values())
    assert rows["ring_nmi_louvain"]["detail"].endswith(f"{len(ctx.truth['rings'])} planted")


def test_brokers_and_gatekeepers_among_the_first_ten(ctx):
    rows = check_rows(
        network.brokers(ctx),
        [
            "precision_brokers_top10",
            "recall_brokers_top10",
            "precision_gatekeepers_top10",
            "recall_gatekeepers_top10",
        ],
    )
    assert {r["k"] for r in rows.values()} == {10}
    assert rows["precision_brokers_top10"]["detail"].startswith("by ring: ")
    assert rows["precision_gatekeepers_top10"]["detail"].startswith("by country: ")


def test_learned_ranking(ctx):
    row = check_rows(network.learned(ctx), ["learned_rank_precision_leaders"])
    assert row["learned_rank_precision_leaders"]["k"] == 5


# -- dismantle: key players, successors ---------------------------------------------------
def test_the_key_player_plan_is_never_worse_than_one_measure(ctx):
    rows = check_rows(
        dismantle.key_players(ctx),
        [
            "keyplayer_lcc_fraction",
            "best_single_lcc_fraction",
            "keyplayer_fragmentation",
            "keyplayer_planted_hits",
        ],
    )
    kp, best = rows["keyplayer_lcc_fraction"], rows["best_single_lcc_fraction"]
    assert kp["k"] == best["k"] == 5
    assert 0 < kp["value"] <= best["value"] <= 1
    assert best["detail"].split()[-1] in {"degree", "betweenness", "pagerank", "ranked"}
    assert 0 <= rows["keyplayer_planted_hits"]["value"] <= 5


def test_successors_say_what_became_of_each_planted_succession(ctx):
    row = check_rows(dismantle.successors(ctx), ["successor_found"])["successor_found"]
    planted = ctx.truth["successions"]
    assert len(row["detail"].split("; ")) == len(planted)
    assert row["value"] * len(planted) == row["detail"].count(": found")


def test_a_truth_without_successions_is_skipped(ctx):
    old = replace(ctx, truth={k: v for k, v in ctx.truth.items() if k != "successions"})
    (row,) = dismantle.successors(old)
    assert row["detail"] == "skipped: the truth has no successions"
    assert row["value"] != row["value"]  # NaN


# -- routes: corridors --------------------------------------------------------------------
def test_planted_corridors_among_the_first_routes(ctx):
    n = len(ctx.truth["corridors"])
    rows = check_rows(
        routes.corridors(ctx), ["corridors_in_top3_routes", f"corridor_recall_top{n}"]
    )
    assert rows["corridors_in_top3_routes"]["k"] == 3
    assert "found rank" in rows["corridors_in_top3_routes"]["detail"]
    assert rows[f"corridor_recall_top{n}"]["detail"].startswith(f"{n} planted")


def test_no_planted_corridor_no_row(ctx):
    assert routes.corridors(replace(ctx, truth={**ctx.truth, "corridors": []})) == []


# -- hidden: suggested links --------------------------------------------------------------
def test_hidden_ties_against_the_link_predictor(ctx):
    rows = check_rows(
        hidden.links(ctx), ["link_prediction_auc", "hidden_ties_in_top", "suggestions_same_ring"]
    )
    assert 0.5 < rows["link_prediction_auc"]["value"] <= 1.0
    assert rows["hidden_ties_in_top"]["k"] == rows["suggestions_same_ring"]["k"] == 20


def test_a_truth_without_hidden_ties_is_skipped(ctx):
    old = replace(ctx, truth={k: v for k, v in ctx.truth.items() if k != "hidden_ties"})
    rows = hidden.links(old)
    assert [r["metric"] for r in rows] == ["link_prediction_auc", "hidden_ties_in_top"]
    assert all(r["detail"] == "skipped: the truth has no hidden_ties" for r in rows)


# -- channels: parcel rings (a generated set: fixtures/small predates the shipments) ----------
def test_parcel_rings_are_scored_against_the_planted_rings(tmp_path):
    from netintel.evaluation.scorers import channels
    from netintel.synthetic import generate, write

    dataset = generate(700, seed=3)
    paths = write(dataset, tmp_path / "records")
    truth = dataset.truth
    ctx = EvalContext(None, truth, 3, None, None, paths, tmp_path / "scratch", None)
    ctx.workdir.mkdir()
    rows = check_rows(channels.parcels(ctx), ["parcel_rings_found", "parcel_ring_members_found"])
    planted = truth["parcel_rings"]
    assert rows["parcel_rings_found"]["value"] >= 0.5
    assert rows["parcel_ring_members_found"]["value"] >= 0.6
    assert f"of {len(planted)} planted" in rows["parcel_rings_found"]["detail"]
    assert all(r["id"] in rows["parcel_rings_found"]["detail"] for r in planted)
    # without the shipments file the score says why it is missing
    del paths["shipments"]
    (row,) = channels.parcels(replace(ctx, paths=paths))
    assert math.isnan(row["value"]) and row["detail"].startswith("skipped:")


def test_reformations_are_scored_against_the_planted_hotspots(tmp_path):
    from netintel.evaluation.scorers import channels
    from netintel.synthetic import generate, write

    dataset = generate(700, seed=3)
    paths = write(dataset, tmp_path / "records")
    ctx = EvalContext(None, dataset.truth, 3, None, None, paths, tmp_path / "scratch", None)
    ctx.workdir.mkdir()
    rows = check_rows(
        channels.reformations(ctx),
        ["reformations_flagged", "reformation_false_flags", "reformation_people_named"],
    )
    assert rows["reformations_flagged"]["value"] == 1.0
    assert rows["reformation_false_flags"]["value"] == 0.0
    assert rows["reformation_people_named"]["value"] >= 0.75
    for h in dataset.truth["hotspots"]:
        assert h["id"] in rows["reformations_flagged"]["detail"]


def test_seller_money_paths_are_scored_against_the_planted_sellers(tmp_path):
    """Each planted seller's accounts resolve to them and their wallet's money reaches the
    planted supplier; with the supplier's wallet registered with no phone the money has
    nobody to reach and the path is not found."""
    import pandas as pd

    from netintel.evaluation.scorers import channels
    from netintel.synthetic import generate, write

    dataset = generate(700, seed=3)
    paths = write(dataset, tmp_path / "records")
    ctx = EvalContext(None, dataset.truth, 3, None, None, paths, tmp_path / "scratch", None)
    ctx.workdir.mkdir()
    (row,) = check_rows(channels.money_paths(ctx), ["seller_money_paths_found"]).values()
    sellers = dataset.truth["online_sellers"]
    assert row["value"] == 1.0
    assert f"{len(sellers)} of {len(sellers)} planted sellers" in row["detail"]
    assert all(s["seller"] in row["detail"] and s["supplier"] in row["detail"] for s in sellers)
    # the supplier's wallets unregistered: the seller resolves, the money reaches nobody
    accounts = pd.read_csv(paths["accounts"], dtype=str, keep_default_na=False)
    cut = accounts["record_id"].isin([a for s in sellers for a in s["supplier_accounts"]])
    accounts.loc[cut, "phone"] = ""
    accounts.to_csv(paths["accounts"], index=False)
    (tmp_path / "again").mkdir()
    (row,) = channels.money_paths(replace(ctx, workdir=tmp_path / "again"))
    assert row["value"] == 0.0 and "accounts resolved, no money path" in row["detail"]
    # without the interactions file the score says why it is missing
    del paths["interactions"]
    (row,) = channels.money_paths(replace(ctx, paths=paths))
    assert math.isnan(row["value"]) and row["detail"].startswith("skipped:")
