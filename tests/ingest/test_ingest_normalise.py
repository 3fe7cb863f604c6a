"""Validation, quarantine reasons, reconciliation and record ids."""

from __future__ import annotations

import pandas as pd
import pytest

from netintel.batch import stable_id
from netintel.errors import InputError
from netintel.ingest import KINDS, ingest_files, normalise

ARRESTS = (
    "record_id,arrest_date,name,dob,phones,province,country,role,source_ref\n"
    "A1,14/05/2024,Nguyễn Văn Hùng,1987,0912 345 678,Nghệ An,VN,organizer,BC-1\n"
    "A2,31/02/2024,Lò Văn Páo,,0912,Nghe An,,boss,BC-1\n"
    "A3,2024-05,,,,,,courier,BC-2\n"
    "A4,,Vàng A Sử,1990-13,,,Atlantis,,BC-3\n"
    "A5,2024-05-14,Hà Văn Tú,,,,,,\n"
)
SEIZURES = (
    "seizure_id,date,country,drug,quantity,unit\n"
    "S1,2024-05-14,VN,heroin,12,bánh\n"
    "S2,2024-05-15,VN,heroin,abc,kg\n"
    "S3,2024-05-16,VN,heroin,5,bags\n"
    "S4,2024-05-17,VN,heroin,5,\n"
    "S5,,VN,,,\n"
)
CALLS = (
    "record_id,date,from_phone,to_phone,from_person,to_person,count\n"
    "C1,2024-05-01,0912345678,0987654321,,,2\n"
    "C2,2024-05-01,,,,,1\n"
    "C3,2024-05-01,0912345678,,,Páo,1\n"
    "C4,2024-05-01,0912345678,0912 345 678,,,1\n"
    "C5,2024-05-01,0912345678,0987654321,,,2.5\n"
)
LINKS = (
    "record_id,source,target,link_type,weight\n"
    "L1,Hùng,Páo,co-offending,2\n"
    "L2,Hùng,Páo,friends,1\n"
    "L3,Hùng,Hung,family,heavy\n"
    "L4,Hùng,HÙNG,family,1\n"
)


@pytest.fixture
def files(tmp_path):
    out = {}
    for kind, text in (
        ("arrests", ARRESTS),
        ("seizures", SEIZURES),
        ("communications", CALLS),
        ("links", LINKS),
    ):
        out[kind] = tmp_path / f"{kind}.csv"
        out[kind].write_text(text, encoding="utf-8")
    return out


def test_reconciliation_and_reasons_name_their_field(files, tmp_path):
    qpath = tmp_path / "out" / "quarantine.csv"
    result = ingest_files(**files, quarantine=qpath)
    rec = result.reconciliation.set_index("kind")
    assert (rec["read"] == rec["loaded"] + rec["quarantined"]).all()
    # malformed optional values (A2's date, phone and role, A4's dob and country) are dropped
    # with a quality flag and the records load; A3 has no name (required)
    assert rec.loc["arrests", ["read", "loaded", "quarantined", "flagged"]].tolist() == [5, 4, 1, 2]
    assert rec.loc["seizures", ["loaded", "quarantined"]].tolist() == [1, 4]
    assert rec.loc["communications", ["loaded", "quarantined"]].tolist() == [2, 3]
    assert rec.loc["links", ["loaded", "quarantined"]].tolist() == [1, 3]

    q = result.quarantine
    assert list(q.columns) == ["file", "kind", "row", "record_id", "field", "value", "reason"]
    for r in q.itertuples():
        assert r.reason.startswith(f"{r.field}: "), r.reason
    fields = q.groupby("record_id")["field"].apply(sorted).to_dict()
    assert fields["A3"] == ["name"]
    assert "A2" not in fields and "A4" not in fields
    flags = result.flags
    assert list(flags.columns) == [
        "file", "sheet", "kind", "row", "record_id", "field", "value", "reason"
    ]  # fmt: skip
    flagged = flags.groupby("record_id")["field"].apply(sorted).to_dict()
    assert flagged == {"A2": ["arrest_date", "phones", "role"], "A4": ["country", "dob"]}
    for r in flags.itertuples():
        assert r.reason.startswith(f"{r.field}: "), r.reason
    a2 = result.clean["arrests"].set_index("record_id").loc["A2"]
    assert a2["arrest_date"] is None and a2["phones"] == [] and a2["role"] is None
    assert a2["name"] == "Lò Văn Páo"
    assert fields["S2"] == ["quantity"] and fields["S3"] == ["unit"] and fields["S4"] == ["unit"]
    assert fields["S5"] == ["date", "drug"]
    assert fields["C2"] == ["from_phone", "to_phone"]
    assert "C3" not in fields  # a number calling a named person is a valid record
    assert fields["C4"] == ["to_phone"]  # same number on both sides
    assert fields["C5"] == ["count"]
    assert fields["L2"] == ["link_type"] and fields["L3"] == ["weight"]
    assert fields["L4"] == ["target"]  # the same person at both ends
    reason = flags.set_index(["record_id", "field"]).loc[("A2", "arrest_date"), "reason"]
    assert reason == "arrest_date: '31/02/2024' is not a valid date (day is out of range for month)"
    assert flags.set_index("record_id").loc["A2", "row"].iloc[0] == 3
    assert "7 quality flags" in result.summary() or "5 quality flags" in result.summary()

    written = pd.read_csv(qpath, dtype=str)
    assert len(written) == len(q)


def test_quarantine_jsonl_is_written_even_when_empty(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("source,target,link_type\nA,B,family\n", encoding="utf-8")
    qpath = tmp_path / "q.jsonl"
    ingest_files(links=path, quarantine=qpath)
    assert qpath.exists() and qpath.read_text() == ""


def test_normalised_values(files):
    result = ingest_files(**files)
    arrest = result.clean["arrests"].set_index("record_id").loc["A1"]
    assert arrest["arrest_date"] == "2024-05-14" and arrest["dob"] == "1987"
    assert arrest["phones"] == ["+84912345678"]
    assert arrest["province"] == "Nghệ An" and arrest["country"] == "VN"
    a5 = result.clean["arrests"].set_index("record_id").loc["A5"]
    assert a5["country"] is None and a5["role"] is None  # missing optional values are fine
    seizure = result.clean["seizures"].iloc[0]
    assert seizure["quantity_kg"] == pytest.approx(4.2)


def test_missing_record_ids_are_stable_hashes(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(
        "from_phone,to_phone,date\n0912345678,0987654321,2024-05-01\n"
        "0912345678,0987654321,2024-05-02\n",
        encoding="utf-8",
    )
    first = ingest_files(communications=path).clean["communications"]["record_id"].tolist()
    again = ingest_files(communications=path).clean["communications"]["record_id"].tolist()
    assert first == again and len(set(first)) == 2
    spec = KINDS["communications"]
    row = dict.fromkeys(spec.columns) | {
        "from_phone": "0912345678",
        "to_phone": "0987654321",
        "date": "2024-05-01",
    }
    assert first[0] == stable_id("communications", *[row[c] for c in spec.columns[1:]], prefix="C-")
    # the same row in another file, with extra columns and another column order: same id
    other = tmp_path / "other.csv"
    other.write_text(
        "note,date,to_phone,from_phone\nx,2024-05-01,0987654321,0912345678\n", encoding="utf-8"
    )
    assert ingest_files(communications=other).clean["communications"]["record_id"][0] == first[0]


def test_record_id_reused_with_other_content_is_quarantined():
    raw = pd.DataFrame({"record_id": ["A1", "A1", "A1"], "name": ["X", "X", "Y"]})
    clean, quarantine, _ = normalise(raw, "arrests", file="a.csv")
    assert len(clean) == 2  # the identical repeat folds later; the conflicting one does not
    assert quarantine["reason"].tolist() == [
        "record_id: 'A1' is also used by row 1 with different content"
    ]


def test_default_region(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("from_phone,to_phone\n020 5551 2345,030 5123 456\n", encoding="utf-8")
    vn = ingest_files(communications=path).clean["communications"]
    la = ingest_files(communications=path, default_region="LA").clean["communications"]
    assert vn["from_phone"][0].startswith("+84")
    assert (la["from_phone"][0], la["to_phone"][0]) == ("+8562055512345", "+856305123456")


def test_passport_is_normalised_or_flagged():
    raw = pd.DataFrame(
        {
            "record_id": ["A1", "A2", "A3", "A4", "A5"],
            "name": ["Souksavanh Vongsa", "Lê Văn Hùng", "X", "Y", "Z"],
            "passport": [" pa 123 4567 ", "P-1234567", "PA12", "PASSPORT", None],
        }
    )
    clean, quarantine, flags = normalise(raw, "arrests", file="a.csv")
    assert clean["passport"].tolist() == ["PA1234567", "P1234567", None, None, None]
    assert quarantine.empty  # an optional value: dropped with a flag, the arrest loads
    assert flags["record_id"].tolist() == ["A3", "A4"]
    assert set(flags["field"]) == {"passport"}
    assert flags["reason"].iloc[0] == (
        "passport: 'PA12' is not a valid passport number "
        "(expected letters then digits, like P1234567 or PA1234567)"
    )


def test_invisible_only_places_are_missing_not_a_failure():
    raw = pd.DataFrame(
        {
            "record_id": ["A1", "A2"],
            "name": ["Lò Văn Páo", "Vàng A Sử"],
            "province": ["\u200b", "Nghệ\u00a0 An"],
            "place": ["\ufeff", " huyện  Kỳ Sơn"],
        }
    )
    clean, quarantine, _ = normalise(raw, "arrests", file="a.csv")
    assert quarantine.empty
    assert clean[["country", "province", "place"]].values.tolist() == [
        [None, None, None],
        ["VN", "Nghệ An", "huyện Kỳ Sơn"],
    ]


def test_an_unknown_region_is_refused_before_any_row_is_read():
    raw = pd.DataFrame({"from_phone": ["0912345678"], "to_phone": ["0987654321"]})
    with pytest.raises(InputError, match="default_region: 'XX' is not a phone region"):
        normalise(raw, "communications", file="c.csv", default_region="XX")
