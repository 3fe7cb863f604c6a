"""End to end: the CLI driven as a user would, in a temporary directory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from netintel.ingest.matrix import network_folders

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "data" / "real"
HOSTILE = "x'}) DETACH DELETE n //"


def run(*args: str) -> subprocess.CompletedProcess:
    """The installed console script, as a user runs it."""
    exe = Path(sys.executable).with_name("netintel")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def records() -> dict[str, Path]:
    """The committed seeded set (fixtures/small: 300 records, seed 7)."""
    small = ROOT / "fixtures" / "small"
    return {
        kind: small / f"{kind}.csv" for kind in ("arrests", "seizures", "communications", "links")
    }


def _ingest_args(db: Path, files: dict[str, Path]) -> list[str]:
    return [
        "ingest",
        "--db",
        str(db),
        "--arrests",
        str(files["arrests"]),
        "--seizures",
        str(files["seizures"]),
        "--communications",
        str(files["communications"]),
        "--links",
        str(files["links"]),
    ]


def test_demo_prints_top_targets_and_writes_the_list(tmp_path):
    out = run("demo", "--out", str(tmp_path / "demo"), "--records", "800")
    assert out.returncode == 0, out.stderr
    assert "Top 10 targets" in out.stdout
    targets = pd.read_csv(tmp_path / "demo" / "targets.csv")
    assert list(targets["rank"][:3]) == [1, 2, 3]
    assert targets["explanation"].str.len().min() > 0
    assert targets["evidence"].notna().iloc[0]


def test_ingesting_twice_changes_no_count(tmp_path, records, cli):
    db = tmp_path / "g.db"
    assert cli(*_ingest_args(db, records)).exit_code == 0
    first = json.loads(cli("stats", "--db", str(db), "--json").stdout)
    assert first["Person"] > 50 and first["CALLED"] > 0
    assert cli(*_ingest_args(db, records)).exit_code == 0
    assert json.loads(cli("stats", "--db", str(db), "--json").stdout) == first


def test_reconciliation_with_malformed_rows_names_each_field(tmp_path, cli):
    src = ROOT / "fixtures" / "malformed" / "arrests.csv"
    quarantine = tmp_path / "bad.csv"
    out = cli(
        "ingest",
        "--db",
        str(tmp_path / "g.db"),
        "--arrests",
        str(src),
        "--quarantine",
        str(quarantine),
    )
    assert out.exit_code == 0, out.stdout
    bad = pd.read_csv(quarantine)
    read = sum(1 for _ in src.open(encoding="utf-8")) - 1
    rows_bad = bad["row"].nunique()
    # MAL-003 lacks its name (required); MAL-005's date, MAL-008's phone and MAL-011's role
    # are optional values: dropped with a quality flag, the arrests load
    assert rows_bad == 1
    assert set(bad["field"]) == {"name"}
    assert all(f in reason for f, reason in zip(bad["field"], bad["reason"], strict=True))
    assert f"{read - rows_bad}" in out.stdout  # loaded count shown in the reconciliation


def test_hostile_name_is_stored_verbatim_and_nothing_is_deleted(tmp_path, cli):
    csv = tmp_path / "arrests.csv"
    pd.DataFrame(
        {
            "record_id": ["a1", "a2"],
            "name": [HOSTILE, "Trần Thị Lan"],
            "case_id": ["C1", "C1"],
            "arrest_date": ["2024-05-01", "2024-05-01"],
        }
    ).to_csv(csv, index=False)
    db = str(tmp_path / "g.db")
    assert cli("ingest", "--db", db, "--arrests", str(csv)).exit_code == 0
    before = cli("stats", "--db", db, "--json").stdout
    out = cli(
        "cypher",
        "--db",
        db,
        "--format",
        "json",
        "MATCH (p:Person) WHERE p.name = $n RETURN p.name AS name",
        "--param",
        f"n={HOSTILE}",
    )
    assert out.exit_code == 0, out.stdout
    assert json.loads(out.stdout) == [{"name": HOSTILE}]
    assert cli("stats", "--db", db, "--json").stdout == before


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (:Phone {id: 'x'})",
        "MERGE (:Phone {id: 'x'})",
        "MATCH (p:Person) DETACH DELETE p",
        "MATCH (p:Person) SET p.name = 'y'",
    ],
)
def test_cypher_refuses_writes_without_flag(tmp_path, records, query, cli):
    db = str(tmp_path / "g.db")
    cli(*_ingest_args(Path(db), records))
    before = cli("stats", "--db", db, "--json").stdout
    out = cli("cypher", "--db", db, query)
    assert out.exit_code == 1
    assert "--write" in out.output
    assert cli("stats", "--db", db, "--json").stdout == before
    assert cli("cypher", "--db", db, "--write", query).exit_code == 0


def test_rank_writes_every_format(tmp_path, records, cli):
    db = str(tmp_path / "g.db")
    cli(*_ingest_args(Path(db), records))
    for ext in ("csv", "parquet", "json"):
        out = cli("rank", "--db", db, "--top", "7", "--out", str(tmp_path / f"t.{ext}"))
        assert out.exit_code == 0, out.output
    # targets whom restricted records (handling C) alone make are withheld from the files
    n = len(pd.read_parquet(tmp_path / "t.parquet"))
    assert 0 < n <= 7 and len(json.loads((tmp_path / "t.json").read_text())) == n
    rings = tmp_path / "rings.csv"
    assert cli("rings", "--db", db, "--out", str(rings)).exit_code == 0
    assert {"person_id", "ring"} <= set(pd.read_csv(rings).columns)


def test_clear_errors_and_exit_codes(tmp_path, cli):
    out = cli("rank", "--db", str(tmp_path / "nothing.db"))
    assert out.exit_code == 1 and "no netintel database" in out.output
    assert cli("ingest", "--db", str(tmp_path / "g.db")).exit_code == 2
    bad = tmp_path / "x.csv"
    bad.write_bytes("record_id,name\na1,Đoàn Văn Tâm\n".encode("cp1258"))  # a legacy Windows export
    out = cli("ingest", "--db", str(tmp_path / "g.db"), "--arrests", str(bad))
    assert out.exit_code == 1 and "--encoding" in out.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("generate --records 50 --out {tmp}/x", "records must be at least 100"),
        # the window is checked at the edge, before the (missing) database is opened
        ("rank --db {tmp}/none.db --since 2024 --until 2023", "since 2024 is after until 2023"),
        ("timeline --db {tmp}/none.db --since 2099", "since 2099 is in the future"),
        ("brokers --db {tmp}/none.db --until 2024-13", "'2024-13' is not a valid date"),
        ("query no_such_query --db {db}", "no saved query 'no_such_query'"),
        ("ingest --db {tmp}/g.db --arrests {tmp}/missing.csv", "missing.csv: no such file"),
        ("review apply {tmp}/queue.csv --db {tmp}/g.db", "queue.csv: no such file"),
        ("import {tmp}/export --db {tmp}/g.db", "export: no such folder"),
    ],
)
def test_a_user_error_is_one_line_and_a_non_zero_exit(args, message, db, tmp_path):
    out = run(*args.format(db=db, tmp=tmp_path).split())
    assert out.returncode == 1, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert out.stderr.startswith("error: ") and message in out.stderr
    assert not (tmp_path / "g.db").exists()  # nothing was opened, so nothing was created


COMMANDS = [
    "ingest", "resolve", "review apply", "review split", "rank", "rings", "brokers",
    "keyplayers", "disrupt", "successors", "routes", "chokepoints", "timeline",
    "suggest-links", "cypher", "query", "stats", "export", "import", "gds", "demo",
    "generate", "evaluate",
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_an_example_in_its_help(cli, command):
    out = cli(*command.split(), "--help")
    assert out.exit_code == 0, out.output
    assert "netintel " + command in " ".join(out.output.split())


@pytest.mark.skipif(
    not REAL.is_dir(), reason="the real networks folder ../shared/data/real is absent"
)
@pytest.mark.parametrize(
    "path",
    [n.matrix for n in network_folders(REAL)] if REAL.is_dir() else [],
    ids=lambda p: p.parent.name,
)
def test_real_network_ingests_through_matrix_and_ranks(tmp_path, path, cli):
    db = str(tmp_path / "g.db")
    out = cli("ingest", "--db", db, "--matrix", str(path), "--kind", "communications")
    assert out.exit_code == 0, out.output
    out = cli("rank", "--db", db, "--top", "5", "--out", str(tmp_path / "t.csv"))
    assert out.exit_code == 0, out.output
    targets = pd.read_csv(tmp_path / "t.csv")
    assert len(targets) == 5 and targets["score"].is_monotonic_decreasing
