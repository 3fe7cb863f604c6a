"""Every table the engine writes is safe where it lands: a person named like a spreadsheet
formula is text in every CSV and .xlsx (Excel and LibreOffice never run it), CSVs start with a
byte-order mark, lists are joined with ``;``, and identifiers with leading zeros stay text in
.xlsx.

The end-to-end test loads fixtures/small with five of its busiest people renamed to formulas
and one arrest whose date is a formula (quarantined), then runs every command that writes a
table with ``--out`` as .csv and as .xlsx, the quarantine in both, ``cypher --format csv`` and
``query --out``, and opens each file as a spreadsheet would.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from netintel.errors import OutputError
from netintel.outputs import csv_text, spreadsheet_safe, using_csv_encoding
from netintel.report import write_table

ROOT = Path(__file__).resolve().parents[2]
BOM = b"\xef\xbb\xbf"
#: Names a spreadsheet would run: a link, DDE, a function, arithmetic, a tab-led value.
HOSTILE = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\t=1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(path: Path) -> list[list[str]]:
    """The cells of a CSV as a spreadsheet reads them, after checking the byte-order mark and
    that no cell would run as a formula."""
    raw = path.read_bytes()
    assert raw.startswith(BOM), f"{path.name} has no byte-order mark"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    for row in rows:
        for cell in row:
            assert spreadsheet_safe(cell) == cell, f"{path.name}: {cell!r} would run as a formula"
    return rows


def xlsx_cells(path: Path) -> list[list[object]]:
    """The values of a workbook's first sheet, after checking that no cell is a formula and
    every formula-looking value is a text cell."""
    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A2", f"{path.name}: header row not frozen"
    values = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{path.name} {cell.coordinate}: a formula"
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                assert cell.data_type == "s", f"{path.name} {cell.coordinate}: not text"
        values.append([c.value for c in row])
    return values


def test_a_table_with_formula_names_is_text_in_csv_and_xlsx(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "rank": range(1, 6),
            "name": HOSTILE,
            "national_id": ["001234", "0099", "12", "0", "00"],
            "value": HOSTILE[::-1],
            "sources": [["ARR-1", "=x"]] * 5,
            "score": [0.9, 0.8, 0.7, 0.6, 0.5],
            "date": pd.to_datetime(["2024-01-05"] * 5),
        }
    )
    rows = csv_cells(write_table(frame, tmp_path / "t.csv"))
    assert [r[1] for r in rows[1:]] == ["'" + h for h in HOSTILE]
    assert rows[1][4] == "ARR-1;=x" and rows[1][2] == "001234"
    cells = xlsx_cells(write_table(frame, tmp_path / "t.xlsx"))
    assert [r[1] for r in cells[1:]] == HOSTILE  # the value itself, as text
    assert [r[2] for r in cells[1:]] == ["001234", "0099", "12", "0", "00"]
    assert cells[1][4] == "ARR-1;=x" and cells[1][5] == 0.9
    assert cells[1][6].date().isoformat() == "2024-01-05"  # a date cell, not text
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert sheet["B2"].quotePrefix and sheet["A2"].data_type == "n"
    assert sheet.column_dimensions["B"].width >= len(HOSTILE[0])


def test_plain_utf8_on_request_and_unknown_encodings_refused(tmp_path: Path) -> None:
    frame = pd.DataFrame({"name": ["Lò Văn Thành"]})
    plain = write_table(frame, tmp_path / "plain.csv", encoding="utf-8").read_bytes()
    assert not plain.startswith(BOM) and "Lò Văn Thành" in plain.decode("utf-8")
    with using_csv_encoding("utf-8"):
        assert not write_table(frame, tmp_path / "ctx.csv").read_bytes().startswith(BOM)
    assert write_table(frame, tmp_path / "bom.csv").read_bytes().startswith(BOM)
    with pytest.raises(OutputError, match="utf-8-sig"):
        write_table(frame, tmp_path / "latin.csv", encoding="latin-1")
    assert not (tmp_path / "latin.csv").exists()
    assert csv_text(frame).startswith("\ufeff")


def test_a_wrong_extension_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"use one of \.csv, \.xlsx, \.parquet, \.json"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.xls")
    assert list(tmp_path.iterdir()) == []


# -- every writer of the command line ---------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_case(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """fixtures/small with five busy people renamed to formulas, a formula for a phone (the
    row is quarantined) and for a date (dropped with a quality flag)."""
    folder = tmp_path_factory.mktemp("hostile")
    small = ROOT / "fixtures" / "small"
    shutil.copy(small / "seizures.csv", folder / "seizures.csv")
    calls = pd.read_csv(small / "communications.csv", dtype=str, keep_default_na=False)
    bad_call = calls.iloc[[0]].copy()
    bad_call["record_id"], bad_call["from_phone"] = "COM-BAD", HOSTILE[0]
    pd.concat([calls, bad_call]).to_csv(folder / "communications.csv", index=False)
    arrests = pd.read_csv(small / "arrests.csv", dtype=str, keep_default_na=False)
    links = pd.read_csv(small / "links.csv", dtype=str, keep_default_na=False)
    busy = pd.concat([links["source"], links["target"]]).value_counts().index[:5]
    renamed = dict(zip(busy, HOSTILE, strict=True))
    arrests["name"] = arrests["name"].replace(renamed)
    links["source"] = links["source"].replace(renamed)
    links["target"] = links["target"].replace(renamed)
    bad = arrests.iloc[[0]].copy()
    bad["record_id"], bad["arrest_date"] = "ARR-BAD", HOSTILE[0]
    pd.concat([arrests, bad]).to_csv(folder / "arrests.csv", index=False)
    links.to_csv(folder / "links.csv", index=False)
    return {kind: folder / f"{kind}.csv" for kind in ("arrests", "seizures", "communications")} | {
        "links": folder / "links.csv",
        "folder": folder,
    }


@pytest.fixture(scope="module")
def hostile_db(cli, hostile_case: dict[str, Path]) -> Path:
    folder = hostile_case["folder"]
    db = folder / "case.db"
    for suffix in (".csv", ".xlsx"):
        if db.exists():
            shutil.rmtree(db) if db.is_dir() else db.unlink()
        result = cli(
            "ingest", "--db", db, "--quarantine", folder / f"quarantine{suffix}",
            *(a for k in ("arrests", "seizures", "communications", "links")
              for a in (f"--{k}", hostile_case[k])),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    return db


COMMANDS = {
    "rank": ["rank", "--top", "40"],
    "rings": ["rings", "--profiles"],
    "brokers": ["brokers"],
    "keyplayers": ["keyplayers", "--k", "3"],
    "disrupt": ["disrupt", "--steps", "3"],
    "successors": ["successors", "--remove", HOSTILE[0]],
    "routes": ["routes"],
    "chokepoints": ["chokepoints"],
    "timeline": ["timeline", "--period", "year"],
    "suggest-links": ["suggest-links", "--top", "10"],
    "resolve": ["resolve"],
}


def test_the_quarantine_value_is_text_in_csv_and_xlsx(hostile_db: Path) -> None:
    folder = hostile_db.parent
    rows = csv_cells(folder / "quarantine.csv")
    assert "'" + HOSTILE[0] in {c for r in rows for c in r}
    cells = xlsx_cells(folder / "quarantine.xlsx")
    header = cells[0]
    assert HOSTILE[0] in [r[header.index("value")] for r in cells[1:]]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_writes_formula_names_as_text(
    cli, hostile_db: Path, tmp_path: Path, command: str
) -> None:
    found: dict[str, set] = {}
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"{command}{suffix}"
        extra = ["--review", tmp_path / f"review{suffix}"] if command == "resolve" else []
        result = cli(*COMMANDS[command], "--db", hostile_db, "--out", out, *extra)
        assert result.exit_code == 0, result.output
        written = sorted(tmp_path.glob(f"*{suffix}"))
        assert out in written
        for path in written:
            if suffix == ".csv":
                cells = {c for row in csv_cells(path) for c in row}
            else:
                cells = {c for row in xlsx_cells(path) for c in row}
            found.setdefault(suffix, set()).update(cells)
    if command in {"rank", "keyplayers", "brokers", "successors", "disrupt"}:
        # the people themselves are named: the name is in the file, as text
        assert any("'" + h in found[".csv"] for h in HOSTILE), command
        assert any(h in found[".xlsx"] for h in HOSTILE), command


def test_the_csv_encoding_is_chosen_per_command_or_for_cron(
    cli, hostile_db: Path, tmp_path: Path, monkeypatch
) -> None:
    plain = tmp_path / "plain.csv"
    result = cli("rank", "--db", hostile_db, "--csv-encoding", "utf-8", "--out", plain)
    assert result.exit_code == 0, result.output
    assert not plain.read_bytes().startswith(BOM) and b"rank," in plain.read_bytes()[:5]
    monkeypatch.setenv("NETINTEL_CSV_ENCODING", "utf-8")
    cron = tmp_path / "cron.csv"
    assert cli("rank", "--db", hostile_db, "--out", cron).exit_code == 0
    assert not cron.read_bytes().startswith(BOM)
    bad = tmp_path / "bad.csv"
    result = cli("rank", "--db", hostile_db, "--csv-encoding", "latin-1", "--out", bad)
    assert result.exit_code == 1 and "utf-8-sig" in result.output and not bad.exists()


def test_cypher_csv_and_query_out_are_safe(cli, hostile_db: Path, tmp_path: Path) -> None:
    query = "MATCH (p:Person) RETURN p.name AS name, p.id AS id ORDER BY name"
    result = cli("cypher", "--db", hostile_db, "--format", "csv", query)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeffname,id")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    names = [r[0] for r in rows[1:]]
    assert "'" + HOSTILE[0] in names and all(spreadsheet_safe(n) == n for n in names)
    plain = cli("cypher", "--db", hostile_db, "--format", "csv", "--csv-encoding", "utf-8", query)
    assert plain.exit_code == 0 and plain.stdout.startswith("name,id")
    for suffix in (".csv", ".xlsx"):  # a saved query's rows, names and lists of records
        out = tmp_path / f"calls{suffix}"
        saved = cli("query", "calls_between_prefixes", "--db", hostile_db, "--out", out)
        assert saved.exit_code == 0, saved.output
        cells = csv_cells(out) if suffix == ".csv" else xlsx_cells(out)
        assert len(cells) > 1


def test_a_review_queue_written_as_xlsx_is_read_back(cli, hostile_db: Path, tmp_path: Path):
    """Written as .xlsx, filled in Excel, applied: the decisions come back from the workbook.
    (Last in this module: it changes the resolution of the shared case.)"""
    query = "MATCH (p:Person) RETURN p.id AS id ORDER BY id LIMIT 2"
    ids = cli("cypher", "--db", hostile_db, "--format", "json", query)
    assert ids.exit_code == 0, ids.output
    a, b = (row["id"] for row in json.loads(ids.stdout))
    decisions = pd.DataFrame({"left_id": [a], "right_id": [b], "decision": ["reject"]})
    queue = write_table(decisions, tmp_path / "queue.xlsx")
    result = cli("review", "apply", queue, "--db", hostile_db)
    assert result.exit_code == 0, result.output
    assert "0 accepted, 1 rejected" in result.output


def test_the_audit_export_is_checked_before_it_is_read(cli, hostile_db: Path, tmp_path: Path):
    log = Path(f"{hostile_db}.audit.jsonl")
    before = log.read_bytes()
    for target, why in ((tmp_path / "log.csv", "use one of .jsonl, .json"), (log, "inputs")):
        result = cli("audit", "export", "--db", hostile_db, "--out", target)
        assert result.exit_code == 1 and why in result.output, result.output
    assert log.read_bytes()[: len(before)] == before  # the log itself never overwritten
    copy = tmp_path / "copy.jsonl"
    assert cli("audit", "export", "--db", hostile_db, "--out", copy).exit_code == 0
    assert copy.stat().st_mode & 0o777 == 0o600
    assert cli("audit", "verify", "--file", copy).exit_code == 0
