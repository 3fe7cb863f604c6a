"""netintel report end to end: the HTML and its PDF written, the disclosure on the audit log,
and the mistakes a user makes refused before any work, in one line."""

from __future__ import annotations

import json
from pathlib import Path

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
