"""The graph batch: id conventions, Person keys, places, provenance."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from netintel.batch import consolidate, stable_id
from netintel.ingest import ingest_files
from netintel.schema import load_schema

HOSTILE = "x'}) DETACH DELETE n //"
ARRESTS = (
    "record_id,arrest_date,name,dob,national_id,phones,address,place,province,country,case_id,"
    "seizure_id,role,source_ref,grading,vehicle_plate\n"
    "A1,14/05/2024,Nguyễn Văn Hùng,1987,0401-9000-1234,0912 345 678;+856 20 5551 2345,"
    "12 Lê Lợi,huyện Kỳ Sơn,Nghệ An,VN,VA-1,S1,organizer,BC-1,2-b-p,29C-123.45\n"
    "A2,14/05/2024,Lò Văn Páo,1990-03,,020 5551 2345,,huyện Kỳ Sơn,Nghe An,VN,VA-1,S1,courier,BC-1,3CP,\n"
    "A3,2024-06-01,NGUYEN VAN HUNG,,040190001234,,,,,,,S9,seller,BC-2,,\n"
    "A4,2024-06-02,Lo Van Pao,1990-03,,,,,,,,,,BC-7,,\n"
    "A5,,Vàng A Sử,,,,,,,,,,,BC-3,,\n"
    "A6,,Vàng A Sử,,,,,,,,,,,,,\n"
    f'A7,,"{HOSTILE}",,,,,,,,,,,BC-4,,\n'
)
SEIZURES = (
    "seizure_id,date,place,province,country,border_gate,drug,quantity,unit,origin,destination,"
    "transport,vehicle_plate,case_id,source_ref\n"
    'S1,2024-05-14,xã Mường Xén,Nghệ An,VN,Cửa khẩu Nậm Cắn,Hê-rô-in,12,bánh,"Luang Namtha, LA",'
    "Hanoi,xe máy,29C-123.45,VA-1,BB-1\n"
    'S2,05/2024,,,Viet Nam,,ice,"1,5",kg,Laos,somewhere north,,,,BB-2\n'
)
CALLS = (
    "record_id,date,from_phone,to_phone,from_person,to_person,count,source_ref\n"
    "C1,2024-05-10,0912 345 678,+856 20 5551 2345,Nguyễn Văn Hùng,,3,CDR-1\n"
    "C2,2024-05-11,,,Hùng,Páo,,WT-1\n"
)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    d = tmp_path_factory.mktemp("records")
    for name, text in (("arrests", ARRESTS), ("seizures", SEIZURES), ("calls", CALLS)):
        (d / f"{name}.csv").write_text(text, encoding="utf-8")
    return ingest_files(
        arrests=d / "arrests.csv", seizures=d / "seizures.csv", communications=d / "calls.csv"
    )


def nodes(result, label):
    return result.batch.nodes[label].set_index("id")


def edges(result, rel, a, b):
    for e in result.batch.edges:
        if (e.type, e.from_label, e.to_label) == (rel, a, b):
            return e.frame
    return pd.DataFrame(columns=["from", "to", "id"])


def pid(key):
    return stable_id(key, prefix="P-")


def test_batch_is_valid_and_one_row_per_id(result):
    result.batch.validate(load_schema())
    for frame in [*result.batch.nodes.values(), *(e.frame for e in result.batch.edges)]:
        assert not frame["id"].duplicated().any()
        assert all(isinstance(s, list) and s for s in frame["sources"])


def test_person_keys(result):
    people = nodes(result, "Person")
    hung = people.loc[pid("nid:040190001234")]  # A1 and A3 share a national ID
    assert hung["sources"] == ["A1", "A3"] and hung["name"] == "Nguyễn Văn Hùng"
    assert hung["roles"] == ["organizer", "seller"] and hung["gradings"] == ["2BP"]
    assert (hung["first_seen"], hung["last_seen"]) == (dt.date(2024, 5, 14), dt.date(2024, 6, 1))
    pao = people.loc[pid("nd:lo van pao|1990-03")]  # A2 and A4: same folded name and dob
    assert pao["sources"] == ["A2", "A4"]
    assert pid("ns:vang a su|BC-3") in people.index  # name + source_ref
    assert pid("ns:vang a su|arrests.csv") in people.index  # name + file name without a ref
    assert pid("ns:hung|WT-1") in people.index and pid("ns:pao|WT-1") in people.index


def test_hostile_name_is_kept_verbatim(result):
    people = nodes(result, "Person")
    assert people.loc[pid("ns:x detach delete n|BC-4"), "name"] == HOSTILE


def test_phones_and_uses(result):
    phones = nodes(result, "Phone")
    assert {"+84912345678", "+8562055512345", "+842055512345"} <= set(phones.index)
    assert phones.loc["+8562055512345", "region"] == "LA"
    assert phones.loc["+84912345678", "sources"] == ["A1", "C1"]
    uses = edges(result, "USES", "Person", "Phone")
    hung = pid("nid:040190001234")
    assert set(uses.loc[uses["from"] == hung, "to"]) == {"+84912345678", "+8562055512345"}
    caller = pid("ns:nguyen van hung|CDR-1")  # the call names the caller: USES for that side
    assert ((uses["from"] == caller) & (uses["to"] == "+84912345678")).any()


def test_called_joins_phones_else_persons(result):
    by_phone = edges(result, "CALLED", "Phone", "Phone")
    assert by_phone[["from", "to", "count"]].values.tolist() == [
        ["+84912345678", "+8562055512345", 3]
    ]
    assert by_phone["id"].tolist() == [stable_id("CALLED", "C1", prefix="R-")]
    by_person = edges(result, "CALLED", "Person", "Person")
    assert by_person[["from", "to", "count"]].values.tolist() == [
        [pid("ns:hung|WT-1"), pid("ns:pao|WT-1"), 1]
    ]


def test_arrest_events_and_links(result):
    arrests = nodes(result, "Arrest")
    shared = stable_id("VA-1", "2024-05-14", "huyện Kỳ Sơn", "Nghệ An", "VN", prefix="ARR-")
    assert arrests.loc[shared, "sources"] == ["A1", "A2"]  # arrested together
    assert "ARR-A5" in arrests.index  # no case, no date: its own event
    arrested = edges(result, "ARRESTED_IN", "Person", "Arrest").set_index("id")
    row = arrested.loc[stable_id("ARRESTED_IN", "A1", prefix="R-")]
    assert (row["role"], row["grading"], row["source_ref"]) == ("organizer", "2BP", "BC-1")
    seizures = nodes(result, "Seizure")
    assert seizures.loc["S9", "sources"] == ["A3"] and seizures.loc["S9", "drug"] is None
    assert seizures.loc["S1", "sources"] == ["A1", "A2", "S1"]
    linked = edges(result, "LINKED_TO", "Arrest", "Seizure")
    assert stable_id("LINKED_TO", shared, "S1", prefix="R-") in set(linked["id"])


def test_seizure_places_gates_and_routes(result):
    seizure = nodes(result, "Seizure").loc["S1"]
    assert (seizure["drug"], seizure["quantity_kg"], seizure["transport"]) == (
        "heroin",
        4.2,
        "road",
    )
    places = nodes(result, "Place")
    assert places.loc["vn/nghe an", ["name", "level", "country"]].tolist() == [
        "Nghệ An",
        "province",
        "VN",
    ]
    assert places.loc["vn/nghe an/xa muong xen", "level"] == "commune"
    assert places.loc["vn/nghe an/huyen ky son", "level"] == "district"
    located = edges(result, "LOCATED_IN", "Place", "Place")
    assert {
        ("vn/nghe an", "vn"),
        ("vn/nghe an/xa muong xen", "vn/nghe an"),
        ("la/luang namtha", "la"),
    } <= set(zip(located["from"], located["to"], strict=True))
    assert nodes(result, "BorderGate").loc["gate:vn/nam can", "country"] == "VN"
    gate_in = edges(result, "LOCATED_IN", "BorderGate", "Place")
    assert gate_in[["from", "to"]].values.tolist() == [["gate:vn/nam can", "vn/nghe an"]]
    origin = edges(result, "ORIGIN", "Seizure", "Place")
    assert sorted(zip(origin["from"], origin["to"], strict=True)) == [
        ("S1", "la/luang namtha"),
        ("S2", "la"),
    ]
    dest = edges(result, "DESTINED_FOR", "Seizure", "Place")
    assert dest[["from", "to"]].values.tolist() == [
        ["S1", "vn/ha noi"]
    ]  # "somewhere north" stays text
    assert nodes(result, "Seizure").loc["S2", "destination"] == "somewhere north"
    assert set(nodes(result, "Drug").index) == {"heroin", "methamphetamine"}
    assert nodes(result, "Vehicle").loc["29C12345", "sources"] == ["A1", "S1"]
    assert nodes(result, "Address").index[0] == stable_id("12 le loi", prefix="ADDR-")


def test_partial_dates_give_seen_intervals(result):
    s2 = nodes(result, "Seizure").loc["S2"]
    assert (s2["date"], s2["first_seen"], s2["last_seen"]) == (
        "2024-05",
        dt.date(2024, 5, 1),
        dt.date(2024, 5, 31),
    )


def test_consolidate_folds_single_record_ids_like_lists():
    rng = random.Random(3)
    rows = []
    for _ in range(300):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(100))
        rows.append(
            {
                "id": f"n{rng.randrange(40)}",
                "name": rng.choice([None, "a", "b"]),
                "aliases": rng.choice([[], ["x"], ["y", "x"]]),
                "_rid": f"r{rng.randrange(500)}",
                "first_seen": rng.choice([None, day]),
                "last_seen": rng.choice([None, day]),
            }
        )
    staged = pd.DataFrame(rows)
    ours = consolidate(staged.rename(columns={"_rid": "sources"}), ("aliases",))
    ours = ours.set_index("id").sort_index()
    theirs = consolidate(staged.assign(sources=[[r] for r in staged["_rid"]]).drop(columns="_rid"))
    theirs = theirs.set_index("id").sort_index()
    assert ours["sources"].tolist() == theirs["sources"].tolist()
    assert ours["aliases"].tolist() == [sorted(a) for a in theirs["aliases"]]
    for col in ("name", "first_seen", "last_seen"):
        assert [None if pd.isna(v) else v for v in ours[col]] == [
            None if pd.isna(v) else v for v in theirs[col]
        ]


def test_a_number_calling_a_named_person_is_drawn_phone_to_person(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(
        "record_id,date,from_phone,to_phone,from_person,to_person\n"
        "C1,2024-05-01,0912345678,,,Vàng A Páo\n",
        encoding="utf-8",
    )
    batch = ingest_files(communications=[path]).batch
    called = [e for e in batch.edges if e.type == "CALLED"]
    assert [(e.from_label, e.to_label) for e in called] == [("Phone", "Person")]
    assert called[0].frame.loc[0, "from"] == "+84912345678"
    assert called[0].frame.loc[0, "sources"] == ["C1"]


def test_passport_keys_a_person_without_national_id(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text(
        "record_id,name,dob,national_id,passport\n"
        "B1,Souksavanh Vongsa,1980-02-03,05-1234567,PA 765 4321\n"
        "B2,Suksavan Vongsa,1980-02-03,,PA7654321\n"
        "B3,Souksavanh Vongsa,,,pa-7654321\n"
        "B4,Souksavanh Vongsa,1980-02-03,,\n",
        encoding="utf-8",
    )
    result = ingest_files(arrests=path)
    result.batch.validate(load_schema())
    people = nodes(result, "Person")
    # National ID first, then passport, then folded name + date of birth.
    assert people.loc[pid("nid:051234567"), "passport"] == "PA7654321"
    assert people.loc[pid("pp:PA7654321"), "sources"] == ["B2", "B3"]
    assert people.loc[pid("nd:souksavanh vongsa|1980-02-03"), "sources"] == ["B4"]
    assert len(people) == 3
