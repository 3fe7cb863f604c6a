"""Resolution in the pipeline: store, person graph, idempotence, review round trip, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import netintel
from netintel.cli import app
from netintel.evaluation import load_truth, resolution_scores

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small"
FILES = {k: SMALL / f"{k}.csv" for k in ("arrests", "seizures", "communications", "links")}


def _people_frame(ws) -> pd.DataFrame:
    return ws.cypher(
        "MATCH (p:Person) RETURN p.id AS person_id, p.resolved_id AS resolved_id, "
        "p.match_rule AS match_rule, p.sources AS sources ORDER BY person_id"
    ).set_index("person_id")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    db = tmp_path_factory.mktemp("resolve") / "case.db"
    with netintel.open(db) as ws:
        report = ws.ingest(**FILES)
    return db, report


def test_ingest_resolves_people(loaded):
    db, report = loaded
    assert report.resolution is not None
    truth = load_truth(SMALL)
    with netintel.open(db, read_only=True) as ws:
        people = ws.records.people()
        assert people["resolved_id"].notna().all()
        clusters = people.set_index("person_id")["resolved_id"]
        scores = resolution_scores(clusters, people, truth)
        assert scores["precision"] >= 0.98 and scores["recall"] >= 0.9, scores
        # the person graph has one node per resolved person, and keeps every record
        G = ws.graph()
        assert set(G.nodes) == set(people["resolved_id"])
        node_records = {r for _, s in G.nodes(data="sources") for r in s}
        assert node_records == {r for s in people["sources"] for r in s}
        merged = people.groupby("resolved_id").size()
        big = merged.idxmax()
        assert set(G.nodes[big]["sources"]) == {
            r for s in people.loc[people["resolved_id"] == big, "sources"] for r in s
        }
        # every SAME_AS joins two members of one resolved person, with its evidence
        same = ws.cypher(
            "MATCH (a:Person)-[r:SAME_AS]->(b:Person) RETURN a.resolved_id AS ra, "
            "b.resolved_id AS rb, r.probability AS p, r.rule AS rule, r.agreed AS agreed"
        )
        assert len(same) and (same["ra"] == same["rb"]).all()
        assert same["rule"].notna().all() and (same["p"] > 0).all()
        # analysts can group records by resolved person in Cypher
        names = ws.cypher("MATCH (p:Person) RETURN p.resolved_id AS rid, collect(p.name) AS names")
        assert len(names) == people["resolved_id"].nunique()


def test_resolution_is_idempotent_and_reingest_duplicates_nothing(loaded, tmp_path):
    db, _ = loaded
    with netintel.open(db) as ws:
        before = _people_frame(ws)[["resolved_id", "match_rule"]]
        counts = ws.query.stats()
        ws.records.resolve()
        assert ws.query.stats() == counts
        pd.testing.assert_frame_equal(_people_frame(ws)[["resolved_id", "match_rule"]], before)
        ws.ingest(**FILES)
        assert ws.query.stats() == counts
        pd.testing.assert_frame_equal(_people_frame(ws)[["resolved_id", "match_rule"]], before)


def test_review_round_trip_and_split(tmp_path):
    with netintel.open(tmp_path / "case.db") as ws:
        ws.ingest(**FILES)
        people = _people_frame(ws)
        sizes = people.groupby("resolved_id").size()
        group = people.index[people["resolved_id"] == sizes.idxmax()].tolist()
        assert len(group) >= 3
        singles = people.index[people["resolved_id"].map(sizes) == 1].tolist()
        a, b = singles[0], singles[1]
        wrong = group[-1]  # say this record was wrongly merged
        decisions = pd.DataFrame(
            {
                "left_id": [a, group[0]],
                "right_id": [b, group[1]],
                "decision": ["accept", "reject"],
            }
        )
        path = tmp_path / "decisions.csv"
        decisions.to_csv(path, index=False)
        assert ws.records.review_apply(path) == {"accepted": 1, "rejected": 1}
        after = _people_frame(ws)
        assert after.loc[a, "resolved_id"] == after.loc[b, "resolved_id"]
        assert after.loc[group[0], "resolved_id"] != after.loc[group[1], "resolved_id"]
        assert after.loc[b, "match_rule"] == "reviewer"
        # remembered on the next run
        ws.records.resolve()
        again = _people_frame(ws)
        pd.testing.assert_series_equal(again["resolved_id"], after["resolved_id"])
        # a later decision replaces an earlier one
        ws.records.review_apply(
            pd.DataFrame({"left_id": [a], "right_id": [b], "decision": ["reject"]})
        )
        assert _people_frame(ws).loc[a, "resolved_id"] != _people_frame(ws).loc[b, "resolved_id"]
        # split a wrong merge: the record leaves, nothing else it was grouped with joins it
        partner = after.loc[wrong, "resolved_id"]
        ws.records.review_split(wrong)
        split = _people_frame(ws)
        assert split.loc[wrong, "resolved_id"] == wrong
        assert (split["resolved_id"] == wrong).sum() == 1
        assert partner == wrong or (split["resolved_id"] == partner).any()
        G = ws.graph()
        assert wrong in G and set(G.nodes[wrong]["sources"]) == set(split.loc[wrong, "sources"])


def test_cli_resolve_review_and_no_resolve(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    args = ["ingest", "--db", db, "--no-resolve"]
    for kind, path in FILES.items():
        args += [f"--{kind}", str(path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with netintel.open(db, read_only=True) as ws:
        assert ws.records.people()["resolved_id"].isna().all()
        assert ws.graph().number_of_nodes() == len(ws.records.people())
    out, queue = tmp_path / "resolved.csv", tmp_path / "queue.csv"
    result = runner.invoke(
        app,
        [
            "--purpose",
            "test suite",
            "resolve",
            "--db",
            db,
            "--out",
            str(out),
            "--review",
            str(queue),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(rows.columns) == ["record_id", "person_id", "node_id", "match_probability", "rule"]
    truth = json.loads((SMALL / "truth.json").read_text(encoding="utf-8"))
    by_record = rows.groupby("record_id")["person_id"].agg(set)
    arrests = pd.read_csv(FILES["arrests"], dtype=str)["record_id"]
    assert set(arrests) - set(truth_bad(truth)) <= set(by_record.index)
    queue_frame = pd.read_csv(queue, dtype=str, keep_default_na=False)
    assert "decision" in queue_frame.columns
    with netintel.open(db, read_only=True) as ws:
        people = ws.records.people()
    x, y = people["person_id"].iloc[0], people["person_id"].iloc[1]
    decisions = tmp_path / "d.csv"
    pd.DataFrame({"left_id": [x], "right_id": [y], "decision": ["accept"]}).to_csv(
        decisions, index=False
    )
    result = runner.invoke(app, ["review", "apply", str(decisions), "--db", db])
    assert result.exit_code == 0, result.output
    assert "1 accepted" in result.output
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"left_id": ["P-nobody"], "right_id": [y], "decision": ["accept"]}).to_csv(
        bad, index=False
    )
    result = runner.invoke(app, ["review", "apply", str(bad), "--db", db])
    assert result.exit_code == 1 and "unknown Person id" in result.output
    result = runner.invoke(app, ["review", "split", y, "--db", db])
    assert result.exit_code == 0, result.output
    with netintel.open(db, read_only=True) as ws:
        p = ws.records.people().set_index("person_id")
    assert p.loc[x, "resolved_id"] != p.loc[y, "resolved_id"]


def truth_bad(truth: dict) -> set[str]:
    """Arrest records planted as malformed (quarantined rows have no Person)."""
    return {m["record_id"] for m in truth.get("malformed", []) if m["file"] == "arrests.csv"}


def test_nothing_to_merge(tmp_path):
    links = tmp_path / "links.csv"
    links.write_text(
        "record_id,source,target,link_type,date,weight,source_ref\n"
        "L1,Lò Văn Páo,Souksavanh Vongsa,meeting,2023-01-02,1,INT-1\n",
        encoding="utf-8",
    )
    with netintel.open(tmp_path / "tiny.db") as ws:
        report = ws.ingest(links=links)
        people = _people_frame(ws)
        assert report.resolution.n_people == len(people) == 2
        assert (people["resolved_id"] == people.index).all()
        assert people["match_rule"].isna().all()
        assert ws.graph().number_of_edges() == 1
