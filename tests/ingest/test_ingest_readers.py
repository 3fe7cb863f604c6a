"""Readers: encodings, row numbers, JSON Lines / Parquet / Excel round trips, mappings."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from netintel.errors import InputError
from netintel.ingest import Mapping, ingest_files, normalise, read_records
from netintel.ingest.readers import read_table

ROOT = Path(__file__).resolve().parents[2]
HEADER = "record_id,name,phones,role\n"
ROWS = [
    {"record_id": "A1", "name": "Nguyễn Văn Hùng", "phones": "0912345678", "role": "organizer"},
    {
        "record_id": "A2",
        "name": "Lò Văn Páo",
        "phones": "+856 20 5551 2345;0987654321",
        "role": None,
    },
]


def test_csv_with_bom_and_row_numbers(tmp_path):
    path = tmp_path / "arrests.csv"
    text = HEADER + "A1,Nguyễn Văn Hùng,0912345678,organizer\n\nA2,Lò Văn Páo,,\n"
    path.write_bytes("\ufeff".encode() + text.encode())
    raw = read_records(path, "arrests")
    assert raw["record_id"].tolist() == ["A1", "A2"]  # the BOM is not part of the first name
    assert raw["name"].iloc[0] == "Nguyễn Văn Hùng"
    assert raw["_row"].tolist() == [2, 4]  # header is row 1; the blank line is skipped


def test_cp1258_file_refused_unless_named(tmp_path):
    path = tmp_path / "arrests.csv"
    # cp1258 spells tones as combining marks: "Trần" is T, r, â, combining grave, n.
    path.write_bytes(
        (HEADER + "A1,Tr\u00e2\u0300n V\u0103n An,0912345678,courier\n").encode("cp1258")
    )
    with pytest.raises(InputError) as err:
        read_records(path, "arrests")
    message = str(err.value)
    assert str(path) in message and "byte" in message and "--encoding" in message
    raw = read_records(path, "arrests", encoding="cp1258")
    clean, _, _ = normalise(raw, "arrests", file=path)
    assert clean["name"].iloc[0] == "Trần Văn An"  # composed by NFC


def test_latin1_file_refused_with_line(tmp_path):
    path = tmp_path / "links.csv"
    path.write_bytes("source,target,link_type\nA,B,family\nJos\xe9,C,family\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"line 3"):
        read_records(path, "links")
    assert read_records(path, "links", encoding="latin-1")["source"].tolist() == ["A", "José"]


def test_jsonl_round_trip(tmp_path):
    path = tmp_path / "arrests.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in ROWS]
    lines.insert(1, "")
    lines.append(
        '{"record_id": "A3", "name": "Vàng A Sử", "phones": ["0912 000 111", "0912 000 222"]}'
    )
    lines.append("not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    raw = read_records(path, "arrests")
    assert raw["_row"].tolist() == [1, 3, 4, 5]
    assert raw["phones"].iloc[2] == "0912 000 111;0912 000 222"
    result = ingest_files(arrests=path)
    rec = result.reconciliation.iloc[0]
    assert (rec["read"], rec["loaded"], rec["quarantined"]) == (4, 3, 1)
    assert result.quarantine["field"].tolist() == ["record"]
    assert result.quarantine["row"].tolist() == [5]


def test_parquet_round_trip(tmp_path):
    path = tmp_path / "arrests.parquet"
    frame = pd.DataFrame(ROWS)
    frame["count_like"] = [3, 4]  # a non-text column is read as text
    frame.to_parquet(path)
    raw = read_table(path)
    assert raw["_row"].tolist() == [1, 2]
    assert raw["count_like"].tolist() == ["3", "4"]
    clean, quarantine, _ = normalise(read_records(path, "arrests"), "arrests", file=path)
    assert clean["phones"].tolist() == [["+84912345678"], ["+8562055512345", "+84987654321"]]
    assert quarantine.empty


def test_excel_round_trip(tmp_path):
    path = tmp_path / "seizures.xlsx"
    frame = pd.DataFrame(
        {
            "seizure_id": ["S1", "S2"],
            "date": [pd.Timestamp("2024-05-14"), "05/2024"],
            "country": ["VN", "Laos"],
            "drug": ["heroin", "ya ba"],
            "quantity": [1.5, 20000],
            "unit": ["kg", "viên"],
        }
    )
    frame.to_excel(path, index=False)
    raw = read_records(path, "seizures")
    assert raw["_row"].tolist() == [2, 3]  # worksheet rows
    assert raw["date"].tolist() == ["2024-05-14", "05/2024"]
    assert raw["quantity"].tolist() == ["1.5", "20000"]


def test_ragged_csv_rows_are_quarantined_not_lost(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("source,target,link_type\nA,B,family\nC,D,meeting,extra\n", encoding="utf-8")
    result = ingest_files(links=path)
    assert result.reconciliation[["read", "loaded", "quarantined"]].iloc[0].tolist() == [2, 1, 1]
    assert result.quarantine.iloc[0]["field"] == "record"
    assert "4 fields" in result.quarantine.iloc[0]["reason"]


def test_missing_required_column_is_a_file_error(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text("record_id,ho_ten\nA1,X\n", encoding="utf-8")
    with pytest.raises(InputError, match="name"):
        read_records(path, "arrests")


def test_mapping_loads_an_agency_export_unedited(tmp_path):
    export = tmp_path / "so_bat_giu.csv"
    export.write_text(
        "STT,Ma_ho_so,Ho_ten,SDT,SDT_2,Ngay_bat,Tinh,Vai_tro\n"
        '1,HS-01,Nguyễn Văn Hùng,"0912345678, 0987654321",0911111111,14/05/2024,Nghệ An,Cầm đầu\n'
        "2,HS-02,Lò Văn Páo,,,14/05/2024,Nghệ An,vận chuyển\n",
        encoding="utf-8",
    )
    mapping = ROOT / "graph_schema" / "mappings" / "vn_police_arrests.yaml"
    result = ingest_files(arrests=export, mapping=mapping)
    assert result.quarantine.empty
    clean = result.clean["arrests"]
    assert clean["record_id"].tolist() == ["HS-01", "HS-02"]
    assert clean["role"].tolist() == ["organizer", "courier"]
    assert clean["country"].tolist() == ["VN", "VN"]  # the mapping's constant
    assert clean["phones"].iloc[0] == ["+84912345678", "+84987654321", "+84911111111"]
    assert result.reconciliation["unknown_columns"].tolist() == [""]  # STT is ignored


def test_mapping_errors_name_the_file_and_key(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("columns: {Ho_ten: full_name}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"m\.yaml: columns\.Ho_ten"):
        Mapping.load(path)
    path.write_text("colums: {Ho_ten: name}\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown key 'colums'"):
        Mapping.load(path)
    path.write_text("kind: arrests\ncolumns: {Ho_ten: name}\n", encoding="utf-8")
    links = tmp_path / "links.csv"
    links.write_text("source,target,link_type\nA,B,family\n", encoding="utf-8")
    with pytest.raises(InputError, match="for arrests, not links"):
        ingest_files(links=links, mapping=path)
    assert len(ingest_files(links=links, mapping={"arrests": path}).clean["links"]) == 1


def test_gzip_and_semicolon_csv(tmp_path):
    import gzip

    path = tmp_path / "links.csv.gz"
    path.write_bytes(gzip.compress(b"source;target;link_type\nA;B;family\n"))
    raw = read_records(path, "links")
    assert raw[["source", "target", "link_type"]].values.tolist() == [["A", "B", "family"]]
