"""Back to the source row (issue 12, item 4): every record keeps the row as it was read
(before mapping and normalisation, under the file's own column names), the SHA-256 of the
whole file, the file, sheet, row and load time; ``ws.records.records(ids)`` and ``netintel
records ID...`` give them back from the store, without reading the files again."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd

import netintel
from netintel.ingest import ingest_files

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small"
MAPPING = ROOT / "graph_schema" / "mappings" / "vn_police_arrests.yaml"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(path: Path) -> dict[str, dict[str, str | None]]:
    """The file's rows by first column, read with the standard library (empty -> None)."""
    with open(path, encoding="utf-8", newline="") as f:
        return {
            row[next(iter(row))]: {k: (v.strip() or None) for k, v in row.items()}
            for row in csv.DictReader(f)
        }


def _copy(tmp_path: Path, *kinds: str) -> dict[str, Path]:
    out = {}
    for kind in kinds:
        out[kind] = tmp_path / f"{kind}.csv"
        shutil.copy(SMALL / f"{kind}.csv", out[kind])
    return out


def test_records_give_back_the_row_as_read_with_its_provenance(tmp_path):
    files = _copy(tmp_path, "arrests", "seizures")
    with netintel.open(tmp_path / "g.db", purpose="test") as ws:
        ws.records.ingest(**files, resolve=False)
        found = ws.records.records(["ARR-000002", "SZ-000002"])
    assert found["record_id"].tolist() == ["ARR-000002", "SZ-000002"]
    arrest = found.iloc[0]
    # As read: the day-first date and the country's name, which normalisation rewrites.
    assert arrest["raw"] == _rows(files["arrests"])["ARR-000002"]
    assert arrest["raw"]["dob"] == "03/04/1991" and arrest["raw"]["nationality"] == "Vietnam"
    assert list(arrest["raw"]) == next(csv.reader(files["arrests"].open(encoding="utf-8")))
    assert arrest["file_sha256"] == _sha(files["arrests"])
    assert (arrest["file"], arrest["row"], arrest["dataset"]) == (
        str(files["arrests"]),
        3,
        "arrests.csv",
    )
    assert found.iloc[1]["raw"] == _rows(files["seizures"])["SZ-000002"]
    assert found.iloc[1]["file_sha256"] == _sha(files["seizures"])
    assert found["loaded_at"].str.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all()
    # From the store, not the files: they may be gone.
    files["arrests"].unlink()
    with netintel.open(tmp_path / "g.db", read_only=True) as ws:
        again = ws.records.records("ARR-000002")
    assert again.loc[0, "raw"] == arrest["raw"]


def test_every_loaded_record_has_its_row_and_quarantined_rows_stay_in_the_quarantine(tmp_path):
    files = _copy(tmp_path, "arrests", "seizures", "communications", "links")
    width = len(next(csv.reader(files["arrests"].open(encoding="utf-8"))))
    no_name = ",".join(["ARR-BAD", "2024-01-01"] + [""] * (width - 2))  # name is required
    bad = files["arrests"].read_text(encoding="utf-8") + no_name + "\n"
    files["arrests"].write_text(bad, encoding="utf-8")
    with netintel.open(tmp_path / "g.db", purpose="test") as ws:
        report = ws.records.ingest(**files, resolve=False)
        stored = ws.records.records()
    rec = report.reconciliation
    assert (rec["read"] == rec["loaded"] + rec["quarantined"]).all()
    assert int(rec["loaded"].sum()) == len(stored)
    assert stored["raw"].map(lambda r: isinstance(r, dict) and bool(r)).all()
    assert "ARR-BAD" in set(report.quarantine["record_id"])
    assert "ARR-BAD" not in set(stored["record_id"])
    by_file = {str(p): _sha(p) for p in files.values()}
    assert (stored["file_sha256"] == stored["file"].map(by_file)).all()
    # The row as read names the record: its id (given) or, hashed, the row it was hashed from.
    given = stored[stored["kind"].isin(["arrests", "seizures"])]
    ids = [r.get("record_id", r.get("seizure_id")) for r in given["raw"]]
    assert ids == given["record_id"].tolist()


def test_reingesting_the_same_file_keeps_the_first_load(tmp_path):
    files = _copy(tmp_path, "arrests")
    with netintel.open(tmp_path / "g.db", purpose="test") as ws:
        ws.records.ingest(**files, resolve=False)
        first = ws.records.records(all_versions=True)
        report = ws.records.ingest(**files, resolve=False)
        second = ws.records.records(all_versions=True)
    assert report.versions.new == 0 and report.versions.changed == 0
    cols = ["id", "row", "file_sha256", "loaded_at", "version"]
    pd.testing.assert_frame_equal(first[cols], second[cols])
    assert first["raw"].tolist() == second["raw"].tolist()


def test_an_edited_row_is_a_new_version_with_its_own_row_and_file_hash(tmp_path):
    files = _copy(tmp_path, "arrests")
    with netintel.open(tmp_path / "g.db", purpose="test") as ws:
        ws.records.ingest(**files, resolve=False)
        old_sha = _sha(files["arrests"])
        frame = pd.read_csv(files["arrests"], dtype=str, keep_default_na=False)
        frame.loc[frame["record_id"] == "ARR-000001", "role"] = "organizer"
        frame.to_csv(files["arrests"], index=False)
        ws.records.ingest(**files, resolve=False)
        versions = ws.records.versions("ARR-000001")
    assert versions["version"].tolist() == [1, 2]
    assert [r["role"] for r in versions["raw"]] == ["buyer", "organizer"]
    assert versions["file_sha256"].tolist() == [old_sha, _sha(files["arrests"])]
    assert versions["current"].tolist() == [False, True]


def test_a_mapped_agency_workbook_keeps_its_own_column_names_and_sheet(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bắt giữ"
    sheet.append(["STT", "Ma_ho_so", "Ho_ten", "SDT", "SDT_2", "Ngay_bat", "Tinh", "Vai_tro"])
    sheet.append([1, "HS-01", "Nguyễn Văn Hùng", "0912345678, 0987654321", None, "14/05/2024",
                  "Nghệ An", "Cầm đầu"])  # fmt: skip
    sheet.append([2, "HS-02", "Lò Văn Páo", None, "0911111111", "14/05/2024", "nghe an",
                  "vận chuyển"])  # fmt: skip
    path = tmp_path / "so_bat_giu.xlsx"
    book.save(path)
    with netintel.open(tmp_path / "g.db", purpose="test") as ws:
        ws.records.ingest(arrests=path, mapping=MAPPING, resolve=False)
        found = ws.records.records(["HS-01", "HS-02"])
        clean = json.loads(
            ws.cypher("MATCH (r:Record {record_id: 'HS-01'}) RETURN r.content AS c").iloc[0, 0]
        )
    assert found.loc[0, "raw"] == {
        "STT": "1",
        "Ma_ho_so": "HS-01",
        "Ho_ten": "Nguyễn Văn Hùng",
        "SDT": "0912345678, 0987654321",
        "SDT_2": None,
        "Ngay_bat": "14/05/2024",
        "Tinh": "Nghệ An",
        "Vai_tro": "Cầm đầu",
    }
    assert found.loc[1, "raw"]["Tinh"] == "nghe an"  # as written, not the gazetteer's name
    assert (clean["role"], clean["arrest_date"], clean["country"]) == (
        "organizer",
        "2024-05-14",
        "VN",
    )
    assert found["sheet"].tolist() == ["Bắt giữ", "Bắt giữ"]
    assert found["row"].tolist() == [2, 3]
    assert (found["file_sha256"] == _sha(path)).all()


def test_matrix_records_keep_their_cell_and_file_hash(tmp_path):
    path = tmp_path / "ring.csv"
    path.write_text(",A,B,C\nA,0,2,0\nB,0,0,3\nC,0,0,0\n", encoding="utf-8")
    result = ingest_files(matrices=path)
    got = result.originals.sort_values("row")
    assert [json.loads(r) for r in got["raw"]] == [
        {"row": "A", "column": "B", "value": "2"},
        {"row": "B", "column": "C", "value": "3"},
    ]
    assert got["row"].tolist() == [2, 3]
    assert set(got["file_sha256"]) == {_sha(path)}


def test_the_records_command_prints_the_row_as_read(cli, tmp_path):
    files = _copy(tmp_path, "arrests")
    db = tmp_path / "g.db"
    assert cli("ingest", "--db", db, "--arrests", files["arrests"], "--no-resolve").exit_code == 0
    result = cli("records", "ARR-000002", "NOPE", "--db", db, "--out", tmp_path / "rows.csv")
    assert result.exit_code == 0, result.output
    assert _sha(files["arrests"]) in result.stdout
    assert "row 3" in result.stdout and "03/04/1991" in result.stdout
    assert "no record 'NOPE'" in result.output
    written = pd.read_csv(tmp_path / "rows.csv", dtype=str)
    assert json.loads(written.loc[0, "raw"]) == _rows(files["arrests"])["ARR-000002"]
    result = cli("--format", "json", "records", "ARR-000002", "--db", db)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)["records"]
    assert json.loads(printed[0]["raw"])["dob"] == "03/04/1991"
    missing = cli("records", "NOPE", "--db", db)
    assert missing.exit_code == 1 and "no record 'NOPE'" in missing.output


def test_a_reload_gives_rows_as_read_to_versions_stored_without_them(tmp_path):
    """A case loaded before records kept their rows: loading the same file again changes
    nothing in the graph but fills in each version's row as read and file hash."""
    files = _copy(tmp_path, "arrests")
    with netintel.open(tmp_path / "g.db", purpose="test") as ws:
        ws.records.ingest(**files, resolve=False)
        ws.cypher("MATCH (r:Record) SET r.raw = NULL, r.file_sha256 = NULL", write=True)
        assert ws.records.records("ARR-000002").loc[0, "raw"] is None
        before = ws.query.stats()
        report = ws.records.ingest(**files, resolve=False)
        found = ws.records.records(all_versions=True)
        assert ws.query.stats() == before
    assert report.versions.changed == 0 and report.versions.new == 0
    assert found["raw"].map(bool).all() and (found["file_sha256"] == _sha(files["arrests"])).all()
    assert (
        found.set_index("record_id").loc["ARR-000002", "raw"]
        == _rows(files["arrests"])["ARR-000002"]
    )
