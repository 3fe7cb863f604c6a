"""The console, for people at an 80-column terminal and for cron: tables that stay readable,
a screenful of rows, --format json with nothing else on stdout, --quiet with nothing at all,
and progress with a total and a count."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from netintel.cli import app
from netintel.cli.console import fit_table
from netintel.progress import reporting, task, track

PURPOSE = ["--purpose", "test suite"]


@pytest.fixture(scope="module")
def narrow() -> CliRunner:
    """A terminal 80 columns wide and 25 lines high."""
    return CliRunner(env={"COLUMNS": "80", "LINES": "25"})


def headers(output: str) -> list[list[str]]:
    """The column headers of each Rich table in ``output``, lines of a wrapped header joined."""
    tables, lines = [], []
    for line in [*output.splitlines(), ""]:
        if line.startswith("┃"):
            lines.append([c.strip() for c in line.strip().strip("┃").split("┃")])
        elif lines:
            tables.append([" ".join(w for w in col if w) for col in zip(*lines, strict=True)])
            lines = []
    return tables


def table_widths(output: str) -> list[list[int]]:
    """The inner width of each column of each table (from its top border)."""
    return [
        [len(part) - 2 for part in line.strip()[1:-1].split("┳")]
        for line in output.splitlines()
        if line.startswith("┏")
    ]


def test_rank_at_80_columns_is_readable_and_a_screenful(narrow: CliRunner, db: str) -> None:
    result = narrow.invoke(app, [*PURPOSE, "rank", "--db", db, "--top", "200"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert len(lines) <= 25, out  # a screenful, not 999 lines
    (cols,) = headers(out)
    # the essential columns, whole words, in the order the command names them
    assert cols[:4] == ["rank", "name", "score", "ring"]
    (widths,) = table_widths(out)
    for header, width in zip(cols, widths, strict=True):
        assert width >= max(len(w) for w in header.split()), (header, width)
    everyone = json.loads(
        CliRunner().invoke(app, ["--format", "json", "rank", "--db", db, "--top", "200"]).stdout
    )["targets"]
    more = int(re.search(r"(\d+) more rows", out).group(1))
    table_rows = [ln for ln in lines if re.match(r"│ \d+\s", ln)]
    assert more + len(table_rows) == len(everyone) > 25  # every target is shown or counted
    assert "--out FILE" in out and "--format json" in out
    # the first target's full name can be read in the table (wrapped, never cut)
    first = everyone[0]["name"]
    name_cells = " ".join(ln.split("│")[2].strip() for ln in lines[4:8] if ln.startswith("│"))
    assert first in name_cells


def test_narrow_tables_drop_columns_instead_of_letters(narrow: CliRunner, db: str) -> None:
    args = ["brokers", "--db", db, "--by", "country", "--top", "30"]
    result = narrow.invoke(app, args)
    assert result.exit_code == 0, result.output
    columns = set(
        json.loads(CliRunner().invoke(app, ["--format", "json", *args]).stdout)["brokers"][0]
    )
    (cols,) = headers(result.stdout)
    (widths,) = table_widths(result.stdout)
    # every header is a whole column name (none cut into letters), the essential ones first
    assert cols[:2] == ["name", "score"] and set(cols) <= columns, cols
    for header, width in zip(cols, widths, strict=True):
        assert width >= len(header), (header, width)
    dropped = re.search(r"not shown at this width: (.*)", result.stdout).group(1).split(", ")
    assert "person_id" in dropped and set(dropped) <= columns


def test_fit_table_keeps_the_essential_columns_first() -> None:
    frame = pd.DataFrame(
        {"rank": [1, 2], "name": ["Nguyễn Văn Hùng", "Chanthavong"], "explanation": ["x" * 200] * 2}
    )
    table, dropped = fit_table(frame, width=30)
    assert [c.header for c in table.columns] == ["rank", "name"] and dropped == ["explanation"]
    table, dropped = fit_table(frame, width=80)
    assert len(table.columns) == 3 and not dropped


def test_format_json_prints_the_whole_result_and_nothing_else(db: str, tmp_path: Path) -> None:
    out = tmp_path / "targets.csv"
    result = CliRunner().invoke(
        app, [*PURPOSE, "--format", "json", "rank", "--db", db, "--top", "200", "--out", out]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # stdout is one JSON document
    written = pd.read_csv(out, encoding="utf-8-sig")
    # all of the result (the file withholds restricted targets without a recipient)
    assert len(data["targets"]) >= len(written) > 25
    assert [t["rank"] for t in data["targets"]] == list(range(1, len(data["targets"]) + 1))
    assert {"explanation", "evidence", "person_id"} <= set(data["targets"][0])
    assert data["files"] == [{"path": str(out), "rows": len(written), "what": "targets"}]


@pytest.mark.parametrize(
    ("command", "key"),
    [
        (["rank", "--top", "5"], "targets"),
        (["rings"], "rings"),
        (["rings", "--profiles", "--runs", "2"], "rings"),
        (["brokers", "--top", "5"], "brokers"),
        (["keyplayers", "--k", "3"], "key_players"),
        (["disrupt", "--steps", "3", "--strategy", "degree"], "curve"),
        (["routes", "--top", "3"], "corridors"),
        (["chokepoints"], "chokepoints"),
        (["timeline", "--period", "year"], "timeline"),
        (["suggest-links", "--top", "5"], "suggestions"),
        (["stats"], "counts"),
        (["cypher", "MATCH (p:Person) RETURN p.id AS id LIMIT 3"], "rows"),
        (["watch", "list"], "watchlist"),
        (["alerts"], "alerts"),
    ],
)
def test_format_json_parses_for_each_command(db: str, command: list[str], key: str) -> None:
    args = [*command[:1], "--db", db, *command[1:]]
    if command[0] == "watch":
        args = [*command, "--db", db]
    result = CliRunner().invoke(app, ["--format", "json", *args])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # one document, nothing else on stdout
    assert key in data and all(isinstance(v, list | dict) for v in data.values())
    quiet = CliRunner().invoke(app, ["--quiet", *args])
    assert quiet.exit_code == 0 and quiet.output == "", quiet.output


def test_quiet_prints_nothing_but_errors(db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "t.csv"
    result = runner.invoke(app, [*PURPOSE, "--quiet", "rank", "--db", db, "--out", out])
    assert result.exit_code == 0 and result.output == "" and out.exists()
    failed = runner.invoke(app, ["--quiet", "rank", "--db", db, "--since", "2099"])
    assert failed.exit_code == 1 and failed.output.startswith("error: ")


def test_progress_reports_a_total_and_a_count() -> None:
    seen: list[tuple[str, int, int | None]] = []
    with reporting(lambda *event: seen.append(event)):
        for _ in track(range(4), label="folds"):
            pass
        with task("batches") as t:
            t.advance(2)
    assert seen[:5] == [("folds", 0, 4), ("folds", 1, 4), ("folds", 2, 4), ("folds", 3, 4),
                        ("folds", 4, 4)]  # fmt: skip
    assert seen[-1] == ("batches", 2, None)


def test_disruption_and_key_players_report_strategies_and_steps() -> None:
    import networkx as nx

    from netintel.analysis.dismantle import key_players, simulate_disruption

    G = nx.relabel_nodes(nx.karate_club_graph(), lambda i: f"P-{i:02d}")
    seen: list[tuple[str, int, int | None]] = []
    with reporting(lambda *event: seen.append(event)):
        simulate_disruption(G, strategies=["degree", "betweenness"], steps=5)
        key_players(G, 3, exact=False)
    curve = [e for e in seen if e[0].startswith("disruption")]
    assert curve[0][1:] == (0, 10) and curve[-1][1:] == (10, 10)  # 2 strategies x 5 steps
    assert max(e[1] for e in curve) == 10
    swaps = [e for e in seen if e[0] == "key players: swaps from each start"]
    assert swaps and swaps[-1][1] == swaps[-1][2] >= 1


def test_a_load_reports_its_labels_and_ties(tmp_path: Path) -> None:
    import netintel

    seen: list[tuple[str, int, int | None]] = []
    files = Path(__file__).resolve().parents[2] / "fixtures" / "small"
    with netintel.open(tmp_path / "case.db") as ws, reporting(lambda *e: seen.append(e)):
        ws.ingest(arrests=files / "arrests.csv", resolve=False)
    load = [e for e in seen if e[0] == "load: labels and ties"]
    assert load[0][1] == 0 and load[-1][1] == load[-1][2] > 3  # every label and tie type


def test_in_a_notebook_steps_draw_a_tqdm_bar(monkeypatch, capsys) -> None:
    import netintel.progress as progress

    monkeypatch.setattr(progress, "_in_notebook", lambda: True)
    monkeypatch.setattr(progress, "NOTEBOOK_DELAY", 0)
    assert list(track(range(3), label="reseeded runs")) == [0, 1, 2]
    drawn = capsys.readouterr().err
    assert "reseeded runs" in drawn and "0/3" in drawn  # a bar with its total
