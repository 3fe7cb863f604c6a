"""Records have versions (issue 14): a record edited under the same id is a new version and
the graph reflects it completely, as a fresh load of the edited files would; earlier versions
stay queryable; the same id with other content from another dataset is a conflict, not a
merge."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import netintel
from netintel.store import cypher

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small"


def _graph(ws) -> dict:
    """Every node and relationship the records produce, with every property."""
    store = ws.store
    out = {}
    for label in store.schema.nodes:
        if label not in cypher.NOT_FROM_RECORDS:
            out[label] = store.query(cypher.node_rows(store.schema, label))
    for rel in store.schema.relationships.values():
        if rel.type in cypher.NOT_FROM_RECORDS:
            continue
        for a, b in rel.endpoints:
            frame = store.query(cypher.edge_rows(store.schema, rel.type, a, b))
            out[f"{rel.type}({a})->({b})"] = frame.sort_values(["id"], ignore_index=True)
    return {k: v.astype(str).to_dict("list") for k, v in out.items()}


def _assert_same_graph(a: dict, b: dict) -> None:
    for name in a:
        assert a[name] == b[name], name


@pytest.fixture
def files(tmp_path) -> dict[str, pd.DataFrame]:
    frames = {
        k: pd.read_csv(SMALL / f"{k}.csv", dtype=str, keep_default_na=False)
        for k in ("seizures", "arrests")
    }
    for k, f in frames.items():
        f.to_csv(tmp_path / f"{k}.csv", index=False)
    return frames


def _ingest(ws, folder: Path, **extra):
    return ws.records.ingest(
        seizures=folder / "seizures.csv", arrests=folder / "arrests.csv", resolve=False, **extra
    )


def _fresh(folder: Path) -> dict:
    """The graph a fresh database gets from the files as they are now."""
    with netintel.open(folder / "fresh.db") as ws:
        _ingest(ws, folder)
        return _graph(ws)


def test_edited_seizure_is_a_new_version_reflected_completely(tmp_path, files):
    """The issue: SZ-000002 re-ingested with drug and quantity changed kept the old quantity,
    added a second drug link and reported nothing."""
    with netintel.open(tmp_path / "g.db") as ws:
        first = _ingest(ws, tmp_path)
        assert first.versions.new == len(first.versions.conflicts) + first.versions.new
        sz = files["seizures"]
        sz.loc[sz["seizure_id"] == "SZ-000002", ["drug", "quantity"]] = ["opium", "9"]
        sz.to_csv(tmp_path / "seizures.csv", index=False)
        report = _ingest(ws, tmp_path)
        assert (report.versions.new, report.versions.changed) == (0, 1)
        assert report.versions.unchanged == first.versions.new - 1
        got = ws.cypher(
            "MATCH (s:Seizure {id: 'SZ-000002'})-[:OF_DRUG]->(d:Drug) RETURN s.quantity AS q, d.id AS drug"
        )
        assert got.to_dict("records") == [{"q": 9.0, "drug": "opium"}]
        versions = ws.records.versions("SZ-000002")
        assert versions["version"].tolist() == [1, 2]
        assert versions["current"].tolist() == [False, True]
        assert versions["sha256"].nunique() == 2
        assert set(versions["row"]) == {3} and set(versions["dataset"]) == {"seizures.csv"}
        graph = _graph(ws)
    _assert_same_graph(graph, _fresh(tmp_path))


def test_edited_arrest_leaves_no_orphan_arrest(tmp_path, files):
    """The issue: an edited arrest left an orphan Arrest node."""
    with netintel.open(tmp_path / "g.db") as ws:
        _ingest(ws, tmp_path)
        ar = files["arrests"]
        ar.loc[ar["record_id"] == "ARR-000001", ["arrest_date", "place"]] = [
            "2022-05-01",
            "Cau Giay",
        ]
        ar.to_csv(tmp_path / "arrests.csv", index=False)
        report = _ingest(ws, tmp_path)
        assert report.versions.changed == 1
        orphans = ws.cypher(
            "MATCH (a:Arrest) OPTIONAL MATCH (p:Person)-[r:ARRESTED_IN]->(a) "
            "WITH a, count(r) AS n WHERE n = 0 RETURN a.id AS id"
        )
        assert orphans.empty
        graph = _graph(ws)
    _assert_same_graph(graph, _fresh(tmp_path))


def test_reverting_to_an_earlier_content_makes_that_version_current(tmp_path, files):
    with netintel.open(tmp_path / "g.db") as ws:
        _ingest(ws, tmp_path)
        original = files["seizures"].copy()
        sz = files["seizures"]
        sz.loc[sz["seizure_id"] == "SZ-000002", "quantity"] = "9"
        sz.to_csv(tmp_path / "seizures.csv", index=False)
        _ingest(ws, tmp_path)
        original.to_csv(tmp_path / "seizures.csv", index=False)
        report = _ingest(ws, tmp_path)
        assert report.versions.changed == 1
        versions = ws.records.versions("SZ-000002")
        assert versions["current"].tolist() == [True, False]
        graph = _graph(ws)
    _assert_same_graph(graph, _fresh(tmp_path))


def test_unchanged_reload_changes_nothing(tmp_path, files):
    with netintel.open(tmp_path / "g.db") as ws:
        first = _ingest(ws, tmp_path)
        before = _graph(ws)
        again = _ingest(ws, tmp_path)
        assert (again.versions.new, again.versions.changed) == (0, 0)
        assert again.versions.unchanged == first.versions.new
        assert again.counts == first.counts
        _assert_same_graph(before, _graph(ws))


def test_same_id_from_another_dataset_is_a_conflict_not_a_merge(tmp_path, files):
    """The issue: ids reused by another dataset merged two different people under one id."""
    other = tmp_path / "other"
    other.mkdir()
    theirs = files["arrests"][files["arrests"]["record_id"] == "ARR-000001"].copy()
    theirs["name"] = "Somebody Else"
    theirs["national_id"] = "001099000001"
    theirs.to_csv(other / "agency_b.csv", index=False)
    with netintel.open(tmp_path / "g.db") as ws:
        _ingest(ws, tmp_path)
        report = ws.records.ingest(arrests=other / "agency_b.csv", resolve=False)
        assert len(report.versions.conflicts) == 1
        conflicts = ws.records.conflicts()
        assert sorted(conflicts["dataset"]) == ["agency_b.csv", "arrests.csv"]
        qualified = conflicts.loc[conflicts["dataset"] == "agency_b.csv", "source_id"].iloc[0]
        assert qualified.startswith("ARR-000001@")
        people = ws.cypher(
            "MATCH (p:Person)-[r:ARRESTED_IN]->(:Arrest) WHERE 'ARR-000001' IN r.sources "
            "OR $q IN r.sources RETURN p.name AS name ORDER BY name",
            q=qualified,
        )
        assert len(people) == 2  # two people, each with its own record
        # The provenance of a qualified source resolves to the conflicting file and row.
        found = ws.records.records([qualified])
        assert found[["dataset", "row"]].values.tolist() == [["agency_b.csv", 2]]


def test_two_contents_for_one_id_in_one_ingest_are_conflicts_in_any_order(tmp_path, files):
    """Two files of one ingest give SZ-000002 two contents (within one file the reader
    quarantines the second row): both load apart, whichever file comes first."""
    sz = files["seizures"]
    sz[sz["seizure_id"] == "SZ-000002"].assign(quantity="9").to_csv(
        tmp_path / "seizures_b.csv", index=False
    )
    graphs = []
    for order in (["seizures.csv", "seizures_b.csv"], ["seizures_b.csv", "seizures.csv"]):
        folder = tmp_path / order[0]
        with netintel.open(folder.with_suffix(".db")) as ws:
            report = ws.records.ingest(seizures=[tmp_path / f for f in order], resolve=False)
            assert len(report.versions.conflicts) == 2
            ids = ws.cypher(
                "MATCH (s:Seizure) WHERE s.id STARTS WITH 'SZ-000002' RETURN s.id AS id"
            )
            assert len(ids) == 2 and all(i.startswith("SZ-000002@") for i in ids["id"])
            assert len(ws.records.conflicts()) == 2
            graphs.append(_graph(ws))
    _assert_same_graph(*graphs)


def test_quality_flags_are_kept_with_their_records(tmp_path, files):
    ar = files["arrests"]
    ar.loc[ar["record_id"] == "ARR-000003", "dob"] = "1997-21-08"
    ar.to_csv(tmp_path / "arrests.csv", index=False)
    with netintel.open(tmp_path / "g.db") as ws:
        report = _ingest(ws, tmp_path)
        flags = ws.records.flags()
        assert len(flags) == len(report.flags)
        mine = flags[flags["record_id"] == "ARR-000003"]
        assert any(f.startswith("dob: ") for f in mine["flag"])


def test_versions_on_the_command_line(cli, tmp_path, files):
    db = tmp_path / "g.db"
    folder = tmp_path
    done = cli("ingest", "--db", db, "--seizures", folder / "seizures.csv", "--no-resolve")
    assert done.exit_code == 0, done.output
    assert "records: 38 new, 0 changed" in done.output
    sz = files["seizures"]
    sz.loc[sz["seizure_id"] == "SZ-000002", "quantity"] = "9"
    sz.to_csv(folder / "seizures.csv", index=False)
    done = cli("ingest", "--db", db, "--seizures", folder / "seizures.csv", "--no-resolve")
    assert "0 new, 1 changed (new version), 37 unchanged" in done.output
    shown = cli("versions", "SZ-000002", "--db", db)
    assert shown.exit_code == 0, shown.output
    assert "Versions of SZ-000002" in shown.output
    missing = cli("versions", "NOPE", "--db", db)
    assert missing.exit_code == 1 and "no record 'NOPE'" in missing.output


def test_retiring_keeps_people_a_reviewer_decided_about(tmp_path, files):
    """An edited national id gives the arrest another person; the old person, left with no
    records, is deleted unless a reviewer decision names it (decisions are never lost)."""
    ar = files["arrests"]
    with netintel.open(tmp_path / "g.db") as ws:
        _ingest(ws, tmp_path)
        people = ws.cypher(
            "MATCH (p:Person)-[r:ARRESTED_IN]->(:Arrest) WHERE 'ARR-000001' IN r.sources "
            "OR 'ARR-000002' IN r.sources RETURN p.id AS id, r.sources AS s ORDER BY id"
        )
        pairs = list(zip(people["id"], people["s"], strict=True))
        one = next(i for i, s in pairs if "ARR-000001" in list(s))
        two = next(i for i, s in pairs if "ARR-000002" in list(s))
        left, right = sorted([one, two])
        decision = pd.DataFrame({"left_id": [left], "right_id": [right], "decision": ["reject"]})
        ws.records.review_apply(decision, resolve=False)
        ar.loc[ar["record_id"].isin(["ARR-000001", "ARR-000002"]), "national_id"] = [
            "001099000011",
            "001099000012",
        ]
        ar.to_csv(tmp_path / "arrests.csv", index=False)
        report = _ingest(ws, tmp_path)
        assert report.versions.changed == 2
        kept = ws.cypher("MATCH (a:Person)-[:NOT_SAME_AS]->(b:Person) RETURN a.id AS a, b.id AS b")
        assert kept.values.tolist() == [[left, right]]
        # ARR-000001's person had no other record: kept for the decision, with no sources.
        gone = ws.cypher("MATCH (p:Person {id: $id}) RETURN p.sources AS s", id=one)
        assert len(gone) == 1 and not isinstance(gone["s"].iloc[0], list | tuple)
        # Without a decision, such a person goes: the new people hold the edited records.
        assert len(ws.records.versions("ARR-000001")) == 2
