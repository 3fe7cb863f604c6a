"""Output files: checked before the work, written whole or not at all, owner-only, and safe to
open in a spreadsheet."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from netintel.errors import OutputError
from netintel.report import write_table
from netintel.report.outputs import atomic_write, check_output, spreadsheet_safe


def test_an_output_must_not_be_a_folder_an_input_or_another_format(tmp_path: Path) -> None:
    records = tmp_path / "arrests.csv"
    records.write_text("record_id\nA-1\n")
    with pytest.raises(OutputError, match="is one of the inputs"):
        check_output(records, suffixes=(".csv",), inputs=[records])
    linked = tmp_path / "same.csv"
    os.link(records, linked)  # another name for the same file is the same input
    with pytest.raises(OutputError, match="is one of the inputs"):
        check_output(linked, suffixes=(".csv",), inputs=[records])
    with pytest.raises(OutputError, match="is a folder"):
        check_output(tmp_path, suffixes=())
    with pytest.raises(OutputError, match=r"out\.txt: use one of \.csv"):
        check_output(tmp_path / "out.txt", suffixes=(".csv",))
    assert check_output(tmp_path / "new" / "deeper" / "t.CSV", suffixes=(".csv",))
    assert not (tmp_path / "new").exists()  # a check creates nothing


def test_an_output_whose_folder_refuses_files_is_refused_before_work(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(OutputError, match="a-file is a file, not a folder"):
        check_output(blocker / "targets.csv", suffixes=(".csv",))
    with pytest.raises(OutputError, match=r"cannot write /proc/targets\.csv"):
        check_output("/proc/targets.csv", suffixes=(".csv",))  # refuses new files, even to root
    if os.geteuid() != 0:  # permissions do not bind root
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(OutputError, match="locked"):
            check_output(locked / "targets.csv", suffixes=(".csv",))


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "targets.csv"
    target.write_text("rank,person_id\n1,P-old\n")
    with pytest.raises(RuntimeError, match="writer failed"), atomic_write(target) as tmp:
        tmp.write_text("rank,person_id\n1,P-new\n2,")
        raise RuntimeError("writer failed midway")
    assert target.read_text() == "rank,person_id\n1,P-old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["targets.csv"]


def test_a_full_disk_never_leaves_a_truncated_table(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes the write fail midway as a full disk would (EFBIG)."""
    target = tmp_path / "targets.csv"
    target.write_text("rank,person_id\n1,P-old\n")
    script = textwrap.dedent(
        f"""
        import resource, pandas as pd
        from netintel.report import write_table
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
        frame = pd.DataFrame({{"rank": range(50_000), "person_id": ["P-x"] * 50_000}})
        write_table(frame, {str(target)!r})
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode != 0
    assert "OutputError: cannot write" in run.stderr and "targets.csv" in run.stderr
    assert target.read_text() == "rank,person_id\n1,P-old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["targets.csv"]


def test_outputs_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    path = write_table(pd.DataFrame({"rank": [1]}), tmp_path / "out" / "t.json")
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("+84 91 234 5678", "+84 91 234 5678"),
        ("-3.5", "-3.5"),
        ("Nguyễn Văn A", "Nguyễn Văn A"),
    ],
)
def test_spreadsheet_formulas_are_neutralised(value: str, safe: str) -> None:
    assert spreadsheet_safe(value) == safe


def test_csv_tables_are_safe_in_a_spreadsheet_and_other_formats_keep_values(tmp_path: Path) -> None:
    frame = pd.DataFrame({"name": ["=1+1", "Lò A"], "phones": [["@x", "+8491"], []], "n": [-1, 2]})
    text = write_table(frame, tmp_path / "t.csv").read_text()
    assert text.splitlines()[1:] == ["'=1+1,'@x;+8491,-1", "Lò A,,2"]
    back = pd.read_json(write_table(frame, tmp_path / "t.json"))
    assert back["name"].tolist() == ["=1+1", "Lò A"]
