"""Output paths are checked before any work, so a bad one costs nothing and changes nothing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "small"


def _digest(folder_or_file: Path) -> str:
    h = hashlib.sha256()
    paths = sorted(folder_or_file.rglob("*")) if folder_or_file.is_dir() else [folder_or_file]
    for p in paths:
        if p.is_file():
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def test_quarantine_onto_an_input_file_is_refused_and_the_input_kept(tmp_path: Path, cli) -> None:
    arrests = tmp_path / "arrests.csv"
    shutil.copy(FIXTURES / "arrests.csv", arrests)
    before = arrests.read_bytes()
    for order in (
        ["--arrests", arrests, "--quarantine", arrests],
        ["--quarantine", arrests, "--arrests", arrests],
    ):
        result = cli("ingest", "--db", tmp_path / "case.db", *order)
        assert result.exit_code == 1, result.output
        assert "is one of the inputs" in result.output and "Traceback" not in result.output
        assert arrests.read_bytes() == before
    assert not (tmp_path / "case.db").exists()  # refused before the database was created


def test_an_unwritable_out_fails_before_the_computation(db: str, tmp_path: Path, cli) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for command in (
        ["rank"],
        ["rings"],
        ["keyplayers", "--k", "2"],
        ["query", "phones_shared_by_arrestees"],
    ):
        result = cli(*command, "--db", db, "--out", blocker / "targets.csv")
        assert result.exit_code == 1, result.output
        assert "cannot write" in result.output and "a-file is a file, not a folder" in result.output
        assert "Traceback" not in result.output and "Ranked" not in result.output
    result = cli("rank", "--db", db, "--out", "/proc/targets.csv")
    assert result.exit_code == 1 and "cannot write /proc/targets.csv" in result.output
    result = cli("rank", "--db", db, "--out", tmp_path / "targets.txt")
    assert result.exit_code == 1 and "use one of .csv, .xlsx, .parquet, .json" in result.output
    result = cli("disrupt", "--db", db, "--plot", tmp_path / "curve.gif")
    assert result.exit_code == 1 and "use one of .png, .svg, .pdf" in result.output


def test_resolve_with_a_bad_out_leaves_the_database_unchanged(
    small_db: Path, tmp_path: Path, cli
) -> None:
    copy = tmp_path / "copy.db"
    if small_db.is_dir():
        shutil.copytree(small_db, copy)
    else:
        shutil.copy(small_db, copy)
    before = _digest(copy)
    for option in ("--out", "--review"):
        result = cli(
            "resolve", "--db", copy, option, tmp_path / "a-folder-not-here" / "x" / "y.txt"
        )
        assert result.exit_code == 1, result.output
        assert "use one of" in result.output
    assert _digest(copy) == before


def test_an_export_onto_a_file_or_a_wrong_suffix_is_refused(db: str, tmp_path: Path, cli) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("keep")
    result = cli("export", "--db", db, "--format", "neo4j-admin", blocker)
    assert result.exit_code == 1 and "a file is there, not a folder" in result.output
    assert blocker.read_text() == "keep"
    result = cli("export", "--db", db, "--format", "gexf", tmp_path / "people.csv")
    assert result.exit_code == 1 and "use one of .gexf" in result.output
