"""Strict input: every row ends loaded, quarantined (with its field and reason) or flagged, and
no input aborts a load with anything but an InputError naming the file (issue 14)."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

from netintel.errors import InputError
from netintel.ingest import Mapping, ingest_files, read_records


def counts(result, kind=None):
    rec = result.reconciliation
    row = rec.iloc[0] if kind is None else rec.set_index("kind").loc[kind]
    assert row["read"] == row["loaded"] + row["quarantined"]
    return [int(row["read"]), int(row["loaded"]), int(row["quarantined"])]


# -- CSV ------------------------------------------------------------------------------------


def test_an_unterminated_quote_costs_its_row_only(tmp_path):
    # printf 'record_id,name,address\nA-1,Xuan,"12 Le Loi\nA-2,Yen,\n'
    path = tmp_path / "arrests.csv"
    path.write_text('record_id,name,address\nA-1,Xuan,"12 Le Loi\nA-2,Yen,\n', encoding="utf-8")
    result = ingest_files(arrests=path)
    assert counts(result) == [2, 1, 1]
    assert result.clean["arrests"]["record_id"].tolist() == ["A-2"]
    q = result.quarantine.iloc[0]
    assert (q["row"], q["field"]) == (2, "record")
    assert "quote" in q["reason"] and "A-1" in q["reason"]


def test_text_after_a_closing_quote_costs_its_row_only(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text('record_id,name\nA-1,"Xu"an\nA-2,Yen\n', encoding="utf-8")
    result = ingest_files(arrests=path)
    assert counts(result) == [2, 1, 1]


def test_a_quoted_value_may_span_lines(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text('record_id,name,address\nA-1,Xuan,"12 Le Loi\nVinh"\nA-2,Yen,\n')
    result = ingest_files(arrests=path)
    assert counts(result) == [2, 2, 0]
    assert result.clean["arrests"]["address"].iloc[0] == "12 Le Loi Vinh"


def test_short_and_long_rows_are_quarantined_with_the_field_counts(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text(
        "record_id,name,address,phones\nA-1,Xuan,x,0912345678\nA-2,Yen\n"
        "A-3,Z,y,0912345678,extra\nA-4,W,z,,\n",
        encoding="utf-8",
    )
    result = ingest_files(arrests=path)
    assert counts(result) == [4, 2, 2]
    reasons = result.quarantine.set_index("row")["reason"]
    assert reasons[3] == "record: row has 2 fields, the header has 4: A-2,Yen"
    assert reasons[4].startswith("record: row has 5 fields, the header has 4")


def test_a_huge_field_in_a_ragged_file_does_not_abort(tmp_path):
    path = tmp_path / "arrests.csv"
    big = "x" * (200 * 1024)
    path.write_text(f"record_id,name,address\nA-1,Xuan,{big}\nA-2,Yen,a,b\n", encoding="utf-8")
    result = ingest_files(arrests=path)
    assert counts(result) == [2, 1, 1]
    assert result.clean["arrests"]["address"].iloc[0] == big


def test_a_truncated_gzip_is_an_input_error_naming_the_file(tmp_path):
    data = gzip.compress(b"record_id,name\n" + b"A-1,Xuan\n" * 1000)
    for cut in (10, len(data) // 2, len(data) - 4):
        path = tmp_path / f"arrests{cut}.csv.gz"
        path.write_bytes(data[:cut])
        with pytest.raises(InputError, match=str(path.name)):
            ingest_files(arrests=path)


def test_a_header_only_file_loads_nothing(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text("record_id,name\n", encoding="utf-8")
    result = ingest_files(arrests=path)
    assert counts(result) == [0, 0, 0]
    assert result.batch.counts().get("Person", 0) == 0


# -- JSON Lines, Parquet, Excel --------------------------------------------------------------


def test_deeply_nested_json_is_quarantined(tmp_path):
    path = tmp_path / "arrests.jsonl"
    deep = "[" * 1000 + "]" * 1000
    lines = [
        json.dumps({"record_id": "A-1", "name": "Xuan"}),
        '{"record_id": "A-2", "name": "Yen", "address": ' + deep + "}",
        "[" * 100_000,
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_files(arrests=path)
    assert counts(result) == [3, 1, 2]
    assert set(result.quarantine["field"]) == {"record"}


def test_parquet_struct_and_bad_binary_columns(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "arrests.parquet"
    table = pa.table(
        {
            "record_id": ["A-1", "A-2", "A-3"],
            "name": pa.array([b"Xuan", b"Y\xffen", b"Zung"], type=pa.binary()),
            "meta": pa.array([{"a": 1}, {"a": 2}, None], type=pa.struct([("a", pa.int64())])),
            "blob": pa.array([b"\xff", b"ok", None], type=pa.binary()),
            "address": pa.array([b"12 Le Loi", b"x", b"\xfe"], type=pa.binary()),
        }
    )
    pq.write_table(table, path)
    result = ingest_files(arrests=path)
    assert counts(result) == [3, 2, 1]  # A-2's name (required) cannot be read
    q = result.quarantine
    assert q["record_id"].tolist() == ["A-2"] and q["field"].tolist() == ["name"]
    assert "not valid UTF-8" in q["reason"].iloc[0]
    rec = result.reconciliation.iloc[0]
    assert rec["unknown_columns"] == "meta, blob"  # not loaded: reported, not fatal
    flags = result.flags
    assert flags[["record_id", "field"]].values.tolist() == [["A-3", "address"]]


def test_excel_formulas_without_values_are_flagged_not_silently_missing(tmp_path):
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula

    path = tmp_path / "arrests.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Bắt giữ"
    ws.append(["record_id", "name", "dob"])
    ws.append(["A-1", "Xuan", "=DATE(1990,1,2)"])
    ws.append(["A-2", '=CONCAT("Y","en")', "1991"])
    ws.append(["A-3", "Zung", None])
    ws["C4"] = ArrayFormula("C4:C4", "=MAX(C2:C3)")
    book.save(path)  # openpyxl writes formulas without computed values
    result = ingest_files(arrests=path)
    assert counts(result) == [3, 2, 1]
    assert result.quarantine["field"].tolist() == ["name"]
    assert "has no computed value" in result.quarantine["reason"].iloc[0]
    flags = result.flags[["record_id", "field", "sheet"]].values.tolist()
    assert flags == [["A-1", "dob", "Bắt giữ"], ["A-3", "dob", "Bắt giữ"]]


# -- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "unit"),
    [
        ("99999999999999999999", "kg"),
        ("1e308", "kg"),
        ("1e308", "t"),
        ("1_000", "kg"),
        ("１２", "kg"),
        ("inf", "kg"),
        ("999999999", "t"),
    ],
)
def test_quantities_outside_the_documented_formats_or_range_are_quarantined(
    tmp_path, quantity, unit
):
    path = tmp_path / "seizures.csv"
    path.write_text(
        f"seizure_id,date,country,drug,quantity,unit\nS1,2024-05-14,VN,heroin,{quantity},{unit}\n"
        "S2,2024-05-14,VN,heroin,12,kg\n",
        encoding="utf-8",
    )
    result = ingest_files(seizures=path)
    assert counts(result) == [2, 1, 1]
    assert result.quarantine["field"].tolist() == ["quantity"]
    assert result.clean["seizures"]["quantity_kg"].tolist() == [12.0]


@pytest.mark.parametrize("count", ["99999999999999999999", "1e308", "1_000", "１２", "-1"])
def test_counts_outside_the_documented_formats_or_range_are_quarantined(tmp_path, count):
    path = tmp_path / "calls.csv"
    path.write_text(
        f"record_id,from_phone,to_phone,count\nC1,0912345678,0987654321,{count}\n",
        encoding="utf-8",
    )
    result = ingest_files(communications=path)
    assert counts(result) == [1, 0, 1]
    assert result.quarantine["field"].tolist() == ["count"]


# -- text ------------------------------------------------------------------------------------


def test_invisible_and_bidi_characters_do_not_make_a_second_person(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text(
        "record_id,name,dob\nA-1,Nguyễn Văn Hùng,1987\nA-2,Nguyễn Văn Hù\u200dng,1987\n"
        "A-3,\u202eNguyễn Văn Hùng\u202c,1987\nA-4,Nguyễn\u00ad Văn Hùng\u200b,1987\n",
        encoding="utf-8",
    )
    result = ingest_files(arrests=path)
    assert counts(result) == [4, 4, 0]
    assert set(result.clean["arrests"]["name"]) == {"Nguyễn Văn Hùng"}
    assert result.batch.counts()["Person"] == 1


def test_nul_in_a_name_is_refused_and_in_an_optional_field_flagged(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text(
        "record_id,name,address\nA-1,Xu\x00an,x\nA-2,Yen,12\x00 Le Loi\n", encoding="utf-8"
    )
    result = ingest_files(arrests=path)
    assert counts(result) == [2, 1, 1]
    q = result.quarantine.iloc[0]
    assert (q["record_id"], q["field"]) == ("A-1", "name") and "U+0000" in q["reason"]
    assert result.flags[["record_id", "field"]].values.tolist() == [["A-2", "address"]]
    assert result.clean["arrests"]["address"].isna().all()


def test_a_place_of_invisible_characters_only_is_missing(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text(
        "record_id,name,place,province\nA-1,Xuan,\u200b\u00ad\ufeff,\u200b\u200d\n",
        encoding="utf-8",
    )
    result = ingest_files(arrests=path)
    assert counts(result) == [1, 1, 0]
    assert result.clean["arrests"][["place", "province"]].values.tolist() == [[None, None]]


# -- optional fields -------------------------------------------------------------------------


def test_a_malformed_optional_field_is_flagged_and_the_arrest_loads(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text(
        "record_id,name,dob,national_id,case_id,seizure_id,grading\n"
        "A-1,Xuan,1997-21-08,040190001234,VA-1,S1,B3\n",
        encoding="utf-8",
    )
    result = ingest_files(arrests=path)
    assert counts(result) == [1, 1, 0]
    arrest = result.clean["arrests"].iloc[0]
    assert arrest["dob"] is None and arrest["grading"] is None  # ungraded
    assert arrest["national_id"] == "040190001234" and arrest["seizure_id"] == "S1"
    flags = result.flags.set_index("field")
    assert flags.loc["dob", "value"] == "1997-21-08"
    assert flags.loc["grading", "reason"].startswith("grading: 'B3' is not a 3x5x2 grading")
    assert "1 with quality flags" in result.summary()
    assert result.batch.counts()["Seizure"] == 1  # the seizure it names is kept


def test_grading_is_kept_in_canonical_form(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text("record_id,name,grading\nA-1,Xuan,2/b/p\nA-2,Yen,1a\n", encoding="utf-8")
    result = ingest_files(arrests=path)
    assert result.clean["arrests"]["grading"].tolist() == ["2BP", "1AC"]
    assert result.flags.empty


def test_a_bad_phone_beside_a_named_person_is_flagged(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(
        "record_id,from_phone,from_person,to_phone\nC1,12,Xuan,0987654321\nC2,12,,0987654321\n",
        encoding="utf-8",
    )
    result = ingest_files(communications=path)
    assert counts(result) == [2, 1, 1]
    assert result.flags[["record_id", "field"]].values.tolist() == [["C1", "from_phone"]]
    assert result.quarantine["record_id"].tolist() == ["C2"]


# -- columns ---------------------------------------------------------------------------------


def test_a_misspelt_column_is_an_error_unless_mapped_or_ignored(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text("record_id,name,arest_date,notes\nA-1,Xuan,2024-05-14,x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"arrests.csv: column 'arest_date' .* 'arrest_date'"):
        ingest_files(arrests=path)
    mapped = ingest_files(
        arrests=path, mapping=Mapping.from_dict({"columns": {"arest_date": "arrest_date"}})
    )
    assert mapped.clean["arrests"]["arrest_date"].tolist() == ["2024-05-14"]
    assert mapped.reconciliation["unknown_columns"].tolist() == ["notes"]
    ignored = ingest_files(arrests=path, mapping=Mapping.from_dict({"ignore": ["arest_date"]}))
    assert ignored.clean["arrests"]["arrest_date"].tolist() == [None]
    assert ignored.reconciliation["unknown_columns"].tolist() == ["notes"]
    assert "columns not loaded: notes" in ignored.summary()


def test_the_mapping_ignore_list_must_be_a_list():
    with pytest.raises(InputError, match="ignore must be a list"):
        Mapping.from_dict({"ignore": "notes"})


def test_a_known_column_spelt_right_is_not_a_near_miss(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text("record_id,name,arrest_date,arrest_dates\nA-1,Xuan,2024,x\n")
    raw = read_records(path, "arrests")  # arrest_dates is near a column the file has
    assert raw.attrs["unknown_columns"] == ["arrest_dates"]


# -- phones ----------------------------------------------------------------------------------


def test_the_rows_nationality_is_the_region_of_national_phone_numbers(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text(
        "record_id,name,nationality,country,phones\n"
        "A-1,Souksavanh,Lào,VN,020 5551 2345\n"
        "A-2,Xuan,,,0912 345 678\n"
        "A-3,Somchai,,LA,020 5551 2345\n"
        "A-4,Pao,Atlantis,,0912 345 678\n",
        encoding="utf-8",
    )
    clean = ingest_files(arrests=path).clean["arrests"].set_index("record_id")
    assert clean.loc["A-1", "phones"] == ["+8562055512345"]
    assert clean.loc["A-2", "phones"] == ["+84912345678"]
    assert clean.loc["A-3", "phones"] == ["+8562055512345"]
    assert clean.loc["A-4", "phones"] == ["+84912345678"]  # unknown nationality: default


def test_every_row_is_accounted_for_in_a_messy_file(tmp_path):
    path = tmp_path / "arrests.csv"
    text = (
        "record_id,name,dob,phones,address\n"
        'A-1,Xuan,1997-21-08,12,"open\nA-2,Yen\nA-3,\u200b,,,\nA-4,Zung,,,x,y\n'
        "A-5,Hoa\x00,,,\nA-6,Lan,1990,0912345678,ok\n"
    )
    path.write_text(text, encoding="utf-8")
    result = ingest_files(arrests=path)
    read, loaded, quarantined = counts(result)
    assert (read, loaded) == (6, 1) and quarantined == 5
    assert pd.Series(result.quarantine["row"]).nunique() == 5


def test_a_header_only_file_into_a_new_database_loads_nothing_cleanly(tmp_path):
    import netintel

    path = tmp_path / "arrests.csv"
    path.write_text("record_id,name\n", encoding="utf-8")
    with netintel.open(tmp_path / "g.db") as ws:
        report = ws.records.ingest(arrests=path)  # resolves the (no) people too
        assert report.reconciliation[["read", "loaded", "quarantined"]].values.tolist() == [
            [0, 0, 0]
        ]
        assert report.resolution is not None


def test_control_characters_are_refused_in_every_column_and_blank_ids_quarantined(tmp_path):
    path = tmp_path / "seizures.csv"
    path.write_text(
        "seizure_id,date,country,drug,quantity,unit\n"
        "S1,2024-05-14,VN,heroin\x00,1,kg\n"
        "\u200b\u200d,2024-05-14,VN,heroin,1,kg\n"
        "S3,2024-05-14,VN,heroin,1,kg\x1b\n"
        "S4,2024-05-14,VN,heroin,1,kg\n",
        encoding="utf-8",
    )
    result = ingest_files(seizures=path)
    assert counts(result) == [4, 1, 3]
    q = result.quarantine.set_index("row")
    assert q.loc[2, "field"] == "drug" and "U+0000" in q.loc[2, "reason"]
    assert q.loc[3, "reason"] == "seizure_id: is blank (invisible characters only)"
    assert q.loc[4, "field"] == "unit"
    calls = tmp_path / "calls.csv"
    calls.write_text("record_id,from_phone,to_phone\n\u200b,0912345678,0987654321\n")
    assert counts(ingest_files(communications=calls)) == [1, 0, 1]


def test_excel_formulas_that_computed_an_error_are_not_values(tmp_path):
    import re
    import zipfile

    import openpyxl

    path = tmp_path / "arrests.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["record_id", "name"])
    book.active.append(["A-1", "=1/0"])
    book.save(path)
    with zipfile.ZipFile(path) as z:  # the value Excel would have cached for the formula
        files = {n: z.read(n) for n in z.namelist()}
    sheet = files["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'<c r="B2"[^>]*>.*?</c>', '<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>', sheet)
    files["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    result = ingest_files(arrests=path)
    assert counts(result) == [1, 0, 1]
    assert result.quarantine["reason"].tolist() == [
        "name: name formula =1/0 computed to the error #DIV/0!"
    ]


def test_structures_where_a_value_belongs_are_not_loaded_as_text(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "arrests.jsonl"
    path.write_text(
        '{"record_id": "A-1", "name": {"first": "Xuan"}}\n'
        '{"record_id": "A-2", "name": "Yen", "address": {"street": "Le Loi"}}\n'
        '{"record_id": "A-3", "name": "Zung", "phones": ["0912345678", "0987654321"]}\n'
        '{"record_id": "A-4", "name": "Hoa", "aliases": [["a"], "b"]}\n',
        encoding="utf-8",
    )
    result = ingest_files(arrests=path)
    assert counts(result) == [4, 3, 1]
    assert result.quarantine["reason"].tolist() == [
        "name: name is a structure (a JSON object), not a value"
    ]
    assert result.flags[["record_id", "field"]].values.tolist() == [
        ["A-2", "address"],
        ["A-4", "aliases"],
    ]
    assert result.clean["arrests"]["phones"].iloc[1] == ["+84912345678", "+84987654321"]

    parquet = tmp_path / "arrests.parquet"
    struct = pa.struct([("street", pa.string())])
    pq.write_table(
        pa.table(
            {
                "record_id": ["A-1", "A-2"],
                "name": ["Xuan", "Yen"],
                "address": pa.array([{"street": "Le Loi"}, None], type=struct),
            }
        ),
        parquet,
    )
    result = ingest_files(arrests=parquet)
    assert counts(result) == [2, 2, 0]
    assert result.flags[["record_id", "field"]].values.tolist() == [["A-1", "address"]]
