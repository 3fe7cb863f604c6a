"""The chronology of a person or a ring (issue 12, item 5), on fixtures/small: every event
is there once per person taking part, on its record's date, with who else took part and the
records it comes from; the swimlane picture draws one lane per person and a marker per
dated event."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest
from matplotlib.collections import PathCollection

from netintel.analysis.time.chronology import COLUMNS, KINDS, chronology
from netintel.errors import InputError
from netintel.report.plots import chronology_figure
from netintel.values import PartialDate, date_bounds

SMALL = Path(__file__).resolve().parents[3] / "fixtures" / "small"


def _csv(kind: str) -> pd.DataFrame:
    return pd.read_csv(SMALL / f"{kind}.csv", dtype=str, keep_default_na=False)


def _day(text: str) -> pd.Timestamp:
    """The first day of a record's date as written (``2024-05`` -> 1 May 2024)."""
    return pd.Timestamp(date_bounds(PartialDate.parse(text).iso)[0])


def _loaded_date(text: str) -> bool:
    try:
        return bool(PartialDate.parse(text).iso)
    except Exception:
        return False


@pytest.fixture(scope="module")
def everyone(ws) -> pd.DataFrame:
    return ws.time.chronology()


def test_columns_order_and_kinds(everyone):
    assert tuple(everyone.columns) == COLUMNS
    assert set(everyone["kind"]) == {"arrest", "seizure", "call", "link"}
    dated = everyone["date"].dropna()
    assert dated.is_monotonic_increasing
    undated = everyone[everyone["date"].isna()]
    assert undated.index.min() == len(dated)  # undated events come last
    arrests = _csv("arrests").set_index("record_id")["arrest_date"]
    for records in undated["records"]:  # ARR-000057's date is flagged as malformed
        assert all(r in arrests and not _loaded_date(arrests[r]) for r in records)
    assert everyone["records"].map(len).gt(0).all()


def test_every_link_is_told_once_in_each_persons_lane(everyone):
    links = _csv("links")
    rows = everyone[everyone["kind"] == "link"]
    per_record = rows.explode("records").groupby("records")["person_id"].agg(list)
    loaded = set(per_record.index)
    assert loaded <= set(links["record_id"])
    assert len(loaded) >= len(links) - 2  # at most a couple quarantined in the fixture
    assert per_record.map(len).eq(2).all() and per_record.map(lambda p: p[0] != p[1]).all()
    for r in links.itertuples():
        if r.record_id in loaded and r.date:
            row = rows[rows["records"].map(lambda x, rid=r.record_id: rid in x)].iloc[0]
            assert row["date"] == _day(r.date)


def test_a_money_transfer_reads_in_both_directions(ws, everyone):
    links = _csv("links")
    paid = links[links["link_type"].str.replace(" ", "_") == "money_transfer"].iloc[0]
    rows = everyone[everyone["records"].map(lambda x: paid["record_id"] in x)]
    payer = rows[rows["detail"].str.startswith("money transfer to")]
    payee = rows[rows["detail"].str.startswith("money transfer from")]
    assert len(payer) == 1 and len(payee) == 1
    assert payer.iloc[0]["other"] == payee.iloc[0]["name"]
    assert payee.iloc[0]["other"] == payer.iloc[0]["name"]
    assert payer.iloc[0]["person_id"] == ws.person(paid["source"])


def test_an_arrest_names_who_was_arrested_together_and_the_seizure(ws):
    """ARR-000002 and ARR-000003: two people arrested on 7 July 2022 at Son La City in one
    case, for seizure SZ-000002 (4 bánh of heroin at the Tây Trang gate)."""
    arrests = _csv("arrests").set_index("record_id")
    a, b = arrests.loc["ARR-000002", "name"], arrests.loc["ARR-000003", "name"]
    events = ws.time.chronology(a)
    arrest = events[
        (events["kind"] == "arrest") & (events["records"].map(lambda r: "ARR-000002" in r))
    ]
    assert len(arrest) == 1
    row = arrest.iloc[0]
    assert row["date"] == pd.Timestamp("2022-07-07")
    assert b in row["other"].split("; ")
    assert "Son La City" in row["place"] and row["detail"] == "arrested as courier"
    seizure = events[events["kind"] == "seizure"]
    seized = seizure[seizure["detail"].str.contains("SZ-000002")].iloc[0]
    assert "heroin" in seized["detail"] and "Tây Trang gate" in seized["place"]
    assert {"ARR-000002", "SZ-000002"} <= set(seized["records"])
    assert b in seized["other"].split("; ")


def test_calls_are_the_communications_of_the_persons_phones(ws, everyone):
    who = everyone[everyone["kind"] == "call"]["person_id"].value_counts().index[0]
    mine = everyone[(everyone["person_id"] == who) & (everyone["kind"] == "call")]
    records = ws.records.records(sorted({r for rs in mine["records"] for r in rs}))
    phones = set(ws.tables()["person_phones"].query("person_id == @who")["phone"])
    for r in records.itertuples():
        content = json.loads(
            ws.cypher("MATCH (r:Record {id: $id}) RETURN r.content AS c", id=r.id).iloc[0, 0]
        )
        assert phones & {content.get("from_phone"), content.get("to_phone")}, r.record_id
    # and every call of those phones is told
    comms = ws.cypher(
        "MATCH (a:Phone)-[c:CALLED]->(b:Phone) RETURN a.id AS a, b.id AS b, c.sources AS s"
    )
    theirs = {s for a, b, ss in comms.values for s in ss if a in phones or b in phones}
    assert theirs == set(records["source_id"])


def test_a_ring_is_its_members_and_a_window_cuts_by_date(ws):
    rings = ws.network.rings()
    members = set(rings.loc[rings["ring"] == 0, "person_id"])
    events = ws.time.chronology(ring=0)
    assert set(events["person_id"]) <= members and len(set(events["person_id"])) > len(members) // 2
    # With a window, the ring is the window's (as `netintel rings --since` numbers them) and
    # its events are those dated in the window, plus the undated (standing facts).
    both = ws.time.chronology(ring=0, window="2023")
    dated = both["date"].dropna()
    assert (
        len(dated) and dated.between(pd.Timestamp("2023-01-01"), pd.Timestamp("2023-12-31")).all()
    )
    ring_2023 = ws.network.rings(window="2023")
    members = set(ring_2023.loc[ring_2023["ring"] == 0, "person_id"])
    inside = everyone_of(ws, members)
    inside = inside[inside["date"].isna() | (inside["date"].dt.year == 2023)]
    pd.testing.assert_frame_equal(both, inside.reset_index(drop=True))
    with pytest.raises(InputError, match="no ring 999"):
        ws.time.chronology(ring=999)
    with pytest.raises(InputError):
        ws.time.chronology("Nobody Atall Xyz")


def everyone_of(ws, people: set[str]) -> pd.DataFrame:
    events = ws.time.chronology()
    return events[events["person_id"].isin(people)]


def test_people_filter_keeps_the_others_named():
    tables = {
        "persons": pd.DataFrame(
            {"person_id": ["P-1", "P-2", "P-3"], "name": ["Hùng", "Páo", "Sử"]}
        ),
        "person_phones": pd.DataFrame({"person_id": ["P-1", "P-2"], "phone": ["+841", "+842"]}),
        "calls_phone_phone": pd.DataFrame(
            {
                "source": ["+841", "+842"],
                "target": ["+842", "+849"],
                "count": [3, 1],
                "sources": [["C-1"], ["C-2"]],
                "date": pd.to_datetime(["2024-02-01", "2024-01-01"]),
            }
        ),
        "shipment_sent_person": pd.DataFrame(
            {
                "party": ["P-3"],
                "shipment_id": ["W-1"],
                "sources": [["W-1"]],
                "date": pd.to_datetime(["2024-03-01"]),
            }
        ),
        "shipment_received_person": pd.DataFrame(
            {
                "party": ["P-2"],
                "shipment_id": ["W-1"],
                "sources": [["W-1"]],
                "date": pd.to_datetime(["2024-03-01"]),
            }
        ),
    }
    got = chronology(tables, people=["P-2"])
    assert got[["kind", "other", "detail"]].values.tolist() == [
        ["call", "+849", "1 call to +849 (from +842)"],
        ["call", "Hùng", "3 calls from +841 (to +842)"],
        ["parcel", "Sử", "received parcel W-1"],
    ]
    assert chronology({}).columns.tolist() == list(COLUMNS)


def test_the_swimlane_draws_a_lane_per_person_and_a_marker_per_event(ws, tmp_path):
    events = ws.time.chronology(ring=1)
    fig = chronology_figure(events, title="Ring 1", path=tmp_path / "ring.svg")
    ax = fig.axes[0]
    lanes = [t.get_text() for t in ax.get_yticklabels()]
    assert len(lanes) == events["person_id"].nunique()
    first = events.drop_duplicates("person_id")["name"].tolist()  # lanes by first event
    assert [name.split(" (P-")[0] for name in lanes] == first
    markers = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sum(len(c.get_offsets()) for c in markers) == int(events["date"].notna().sum())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [k for k in KINDS if k in set(events["kind"])]
    ElementTree.parse(tmp_path / "ring.svg")  # a whole SVG was written
    one = ws.time.chronology(events["name"].iloc[0])
    fig = chronology_figure(one)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        k for k in KINDS if k in set(one["kind"])
    ]


def test_the_chronology_command(cli, db, tmp_path):
    out, plot = tmp_path / "c.csv", tmp_path / "c.png"
    result = cli(
        "chronology", "--db", db, "--ring", "1", "--since", "2023", "--out", out, "--plot", plot
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert table.columns.tolist() == list(COLUMNS)
    assert (table["date"] >= "2023-01-01").all() and len(table) > 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = cli("--format", "json", "chronology", "--db", db, "--person", table.loc[0, "name"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)["chronology"]
    assert {r["name"] for r in printed} == {table.loc[0, "name"]}
    result = cli("chronology", "--db", db, "--person", "Nobody Atall Xyz")
    assert result.exit_code == 1 and "Nobody Atall Xyz" in result.output
