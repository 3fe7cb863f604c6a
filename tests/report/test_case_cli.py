"""netintel report end to end: the HTML and its PDF written, the disclosure on the audit log,
and the mistakes a user makes refused before any work, in one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netintel.audit import file_sha256
from netintel.audit.files import log_path
from netintel.cli import app


def _entries(db: str) -> list[dict]:
    lines = log_path(db).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_report_writes_html_and_pdf_on_the_record(cli, db, tmp_path):
    out = tmp_path / "case.html"
    result = cli("report", "--db", db, "--out", out, "--pdf", "--runs", 2, "--top", 5)
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "case.pdf"
    assert out.is_file() and pdf.read_bytes().startswith(b"%PDF-")
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'id="methods"' in html
    assert "wrote" in result.output and "KiB" in result.output
    assert "sections" in result.output
    written = {Path(e["output"]).name: e for e in _entries(db) if e.get("output")}
    assert written["case.html"]["output_sha256"] == file_sha256(out)
    assert written["case.pdf"]["output_sha256"] == file_sha256(pdf)
    assert written["case.html"]["purpose"] == "test suite"


def test_report_for_a_province_and_a_window(cli, db, tmp_path):
    out = tmp_path / "thanh_hoa.html"
    result = cli(
        "report", "--db", db, "--out", out, "--place", "Thanh Hoa", "--since", "2022",
        "--until", "2024", "--runs", 2, "--evidence-top", 1,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Case report: Thanh Hóa" in html
    assert "2022 to 2024" in html


def test_mistakes_are_one_line_before_any_work(cli, db, tmp_path):
    wrong = cli("report", "--db", db, "--out", tmp_path / "case.pdf")
    assert wrong.exit_code != 0 and "use one of .html" in wrong.output
    nowhere = cli("report", "--db", db, "--out", tmp_path / "x.html", "--place", "Atlantis")
    assert nowhere.exit_code == 1 and "Atlantis" in nowhere.output
    assert "Traceback" not in nowhere.output
    bad_window = cli("report", "--db", db, "--out", tmp_path / "y.html", "--since", "2025",
                     "--until", "2023")  # fmt: skip
    assert bad_window.exit_code == 1 and "--since/--until" in bad_window.output
    assert not list(tmp_path.glob("*.html"))


def test_a_report_needs_a_purpose(db, tmp_path):
    out = tmp_path / "case.html"
    result = CliRunner().invoke(app, ["report", "--db", db, "--out", str(out)])
    assert result.exit_code == 1
    assert "purpose" in result.output and not out.exists()


def test_help_has_examples(cli):
    result = cli("report", "--help")
    assert result.exit_code == 0
    assert "Examples" in result.output and "--place" in result.output and "--pdf" in result.output


def test_a_second_report_says_what_changed(cli, tmp_path):
    """Each report's ranking is recorded as a run; the next report compares with it."""
    pytest.importorskip("netintel.workspace.changes", reason="needs the run history (ws.changes)")
    db = tmp_path / "case.db"
    small = Path(__file__).resolve().parents[2] / "fixtures" / "small"
    loaded = cli("ingest", "--db", db, *[a for k in ("arrests", "seizures", "communications",
                 "links") for a in (f"--{k}", small / f"{k}.csv")])  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    first, second = tmp_path / "first.html", tmp_path / "second.html"
    for out in (first, second):
        result = cli("report", "--db", db, "--out", out, "--runs", 2, "--evidence-top", 1)
        assert result.exit_code == 0, result.output
    before = first.read_text(encoding="utf-8")
    after = second.read_text(encoding="utf-8")
    assert "1 ranking run(s) recorded" in before
    assert re.search(r"The top 20 of the run of \S+ \(report, window all dates\) against", after)
    assert "No one entered, rose, fell or left the top 20." in after


def test_json_for_cron_and_quiet(db, tmp_path):
    runner = CliRunner()
    out = tmp_path / "case.html"
    args = ["report", "--db", db, "--out", str(out), "--runs", "2", "--evidence-top", "1"]
    result = runner.invoke(app, ["--purpose", "nightly", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["files"] == [{"path": str(out), "bytes": out.stat().st_size}]
    assert [s["id"] for s in found["sections"]][:3] == ["summary", "records", "targets"]
    assert found["records_shown"] > 0
    quiet = runner.invoke(app, ["--purpose", "nightly", "--quiet", *args])
    assert quiet.exit_code == 0 and quiet.stdout == ""
