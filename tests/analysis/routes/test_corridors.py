"""Corridors: ranking, recurrence and trend, roll-up, the 2025 merger, filters, attribution."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import netintel
from netintel.analysis.routes import chokepoints, corridors, example_tables, resolve_place
from netintel.errors import AnalysisError

ROOT = Path(__file__).resolve().parents[3]

X, B = "la/xiangkhouang", "la/bolikhamxay"
NC, CT = "gate:vn/nam can", "gate:vn/cau treo"


def test_known_ranking_by_count_and_by_kg(known):
    c = corridors(known)
    assert list(c["corridor"]) == [
        "Xiangkhouang → Nậm Cắn → Nghệ An → Hà Nội",
        "Bolikhamxay → Cầu Treo → Hà Tĩnh → Hà Nội",
    ]
    assert list(c["rank"]) == [1, 2]
    assert list(c["seizures"]) == [4, 2]
    assert c.loc[0, "kg_by_drug"] == {"heroin": 3.0, "methamphetamine": 2.0}
    assert c.loc[1, "kg"] == 50.0
    assert c.loc[0, "evidence"] == ["S1", "S2", "S3", "S4"]
    assert "S7" not in {s for ev in c["evidence"] for s in ev}  # no route: not a corridor
    by_kg = corridors(known, by="kg")
    assert by_kg.loc[0, "gate"] == "Cầu Treo"


def test_recurrence_and_trend(known):
    c = corridors(known).set_index("gate")
    # Nậm Cắn: quarters 2022Q1, Q3, Q4 active -> 3 periods; counts 1,0,1,2 rise.
    assert c.loc["Nậm Cắn", "periods"] == 3
    assert c.loc["Nậm Cắn", "trend"] > 0
    # Cầu Treo: two seizures in Q1 then nothing -> falling.
    assert c.loc["Cầu Treo", "periods"] == 1
    assert c.loc["Cầu Treo", "trend"] < 0


def test_ties_are_broken_deterministically(route_tables):
    t = route_tables(
        [
            ("S1", "2022-01-05", "heroin", 1.0, X, NC, "vn/nghe an", "vn/ha noi"),
            ("S2", "2022-01-05", "heroin", 1.0, B, CT, "vn/ha tinh", "vn/ha noi"),
        ]
    )
    first = corridors(t)["corridor"].tolist()
    assert first == sorted(first)  # equal on every measure: by the corridor's text
    assert corridors(t)["corridor"].tolist() == first


def test_roll_up_across_levels(known):
    district = corridors(known, level="district")
    assert "xã Mường Xén" not in set(district["seizure_place"])
    # the commune rolls up to its district; S3/S4 were recorded at the province only
    by_place = district.groupby("seizure_place")["seizures"].sum().to_dict()
    assert by_place["huyện Kỳ Sơn"] == 2 and by_place["Nghệ An"] == 2
    country = corridors(known, level="country")
    assert country["corridor"].tolist() == [
        "Laos → Nậm Cắn → Vietnam → Vietnam",
        "Laos → Cầu Treo → Vietnam → Vietnam",
    ]
    with pytest.raises(AnalysisError, match="level"):
        corridors(known, level="region")


def test_2025_merger_rolls_pre_merger_provinces_up(route_tables):
    t = route_tables(
        [
            ("S1", "2022-01-05", "heroin", 1.0, "vn/ha giang", None, "vn/ha giang", "vn/ha noi"),
            ("S2", "2022-02-05", "heroin", 1.0, "vn/tuyen quang", None, "vn/tuyen quang",
             "vn/ha noi"),
        ]
    )  # fmt: skip
    before = corridors(t, attribute=False)
    assert sorted(before["origin"]) == ["Hà Giang", "Tuyên Quang"]
    after = corridors(t, merged=True, attribute=False)
    assert after["origin"].tolist() == ["Tuyên Quang"] and after["seizures"].tolist() == [2]
    # a pre-merger name finds the merged province's routes
    assert corridors(t, merged=True, origin="Ha Giang")["seizures"].sum() == 2
    assert corridors(t, origin="Ha Giang")["seizures"].sum() == 1
    points = chokepoints(after, t, merged=True)
    assert points.loc[points["kind"] == "province", "name"].tolist() == ["Tuyên Quang"]


@pytest.mark.parametrize("spelling", ["Nghe An", "nghệ an", "NGHE AN", "tỉnh Nghệ An"])
def test_from_to_accept_any_spelling(known, spelling):
    c = corridors(known, origin="la", destination=spelling)
    assert c["gate"].tolist() == ["Nậm Cắn"]
    assert resolve_place(spelling) == "vn/nghe an"


def test_from_to_filters_and_unknown_names(known):
    assert corridors(known, origin="Laos")["seizures"].sum() == 6
    assert corridors(known, origin="Bolikhamxay")["gate"].tolist() == ["Cầu Treo"]
    assert corridors(known, destination="Hà Tĩnh")["gate"].tolist() == ["Cầu Treo"]
    assert corridors(known, origin="TH").empty
    with pytest.raises(AnalysisError, match="neither a country nor a province"):
        corridors(known, origin="Atlantis del Norte")


def test_partial_seizures_are_attributed_only_when_unambiguous(route_tables):
    t = route_tables(
        [
            ("S1", "2022-01-05", "heroin", 1.0, X, NC, "vn/nghe an", "vn/ha noi"),
            ("S2", "2022-01-06", "heroin", 1.0, "la", NC, "vn/nghe an", "vn/ha noi"),
            ("S3", "2022-01-07", "heroin", 1.0, X, None, "vn/nghe an", "vn/ha noi"),
            ("S4", "2022-01-08", "heroin", 1.0, B, CT, "vn/ha tinh", "vn/ha noi"),
            # agrees with both complete corridors: stays on its own
            ("S5", "2022-01-09", "heroin", 1.0, "la", None, None, "vn/ha noi"),
        ]
    )
    c = corridors(t)
    top = c.iloc[0]
    assert top["gate"] == "Nậm Cắn" and top["seizures"] == 3 and top["attributed"] == 2
    assert top["complete"] == 1
    assert "Laos → ? → ? → Hà Nội" in set(c["corridor"])
    plain = corridors(t, attribute=False)
    assert plain["attributed"].sum() == 0 and len(plain) == 5
    # the attributed seizures count for the filters on the corridor's legs
    assert corridors(t, origin="Xiangkhouang")["seizures"].sum() == 3


def test_since_until_window(known):
    c = corridors(known, since="2022-04", until="2022-12")
    assert c["seizures"].tolist() == [3]
    with pytest.raises(AnalysisError, match="since"):
        corridors(known, since="last year")


def test_example_tables_doc_numbers():
    t = example_tables()
    assert corridors(t).loc[0, "seizures"] == 3


def test_synthetic_dominant_corridors_rank_first(tmp_path):
    from netintel.evaluation import EvalContext
    from netintel.evaluation.scorers.routes import corridors as score
    from netintel.synthetic import generate, write

    data = generate(800, seed=3)
    files = write(data, tmp_path / "rec")
    with netintel.open(tmp_path / "g.db") as ws:
        ws.ingest(**{k: files[k] for k in ("arrests", "seizures", "communications", "links")})
        rows = {r["metric"]: r for r in score(EvalContext(ws, data.truth, 0, None, None, {},
                                                          tmp_path, None))}  # fmt: skip
        assert rows["corridors_in_top3_routes"]["value"] == 1.0
        people = ws.routes.corridor_people(top=1)
        persons = ws.records.people()
        # a resolved person's records are those of every Person node resolved into it
        resolved = persons.get("resolved_id", persons["person_id"]).fillna(persons["person_id"])
        records = {
            pid: {r for srcs in group for r in srcs}
            for pid, group in persons["sources"].groupby(resolved.to_numpy())
        }
        assert len(people) > 0
        for row in people.itertuples():
            arrests = [r for r in row.evidence if not r.startswith("SZ-")]
            assert arrests and set(arrests) <= records[row.person_id]


def test_store_without_seizures_says_so(tmp_path):
    with netintel.open(tmp_path / "g.db") as ws:
        ws.ingest(links=ROOT / "fixtures" / "small" / "links.csv")
        with pytest.raises(AnalysisError, match="no seizures with places"):
            ws.routes.corridors()


def test_inputs_of_the_wrong_kind_are_named(known):
    with pytest.raises(AnalysisError, match="top must be an integer >= 1"):
        corridors(known, top="3")
    with pytest.raises(AnalysisError, match="expected RouteTables"):
        corridors({"seizures": []})
    with pytest.raises(AnalysisError, match="corridor table lacks"):
        chokepoints(corridors(known).drop(columns=["gate_id"]), known)


def test_each_corridor_says_which_channels_its_seizures_came_through(small_db):
    """fixtures/small: a corridor's channels are those its seizures' recorded transport
    modes name (motorbike, truck, foot, road: land; air; express delivery), read back from
    the store, in the programme's order."""
    from netintel.analysis.network.channels import CHANNEL_WORDS
    from netintel.ingest.vocab import transport_channel

    recorded = pd.read_csv(
        Path(__file__).resolve().parents[3] / "fixtures" / "small" / "seizures.csv", dtype=str
    ).set_index("seizure_id")["transport"]
    with netintel.open(small_db, read_only=True, purpose="test suite") as ws:
        table = ws.routes.corridors(top=None)
    seen = set()
    for evidence, channels in zip(table["evidence"], table["channels"], strict=True):
        modes = {transport_channel(recorded.get(s)) for s in evidence} - {None}
        expected = [CHANNEL_WORDS[c] for c in CHANNEL_WORDS if c in modes]
        assert channels == "; ".join(expected)
        seen |= modes
    assert {"land", "express"} <= seen  # both kinds of corridor are in the set
