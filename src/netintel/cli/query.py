"""The query wing: Cypher, the analysts' saved queries, and counts."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import pandas as pd
import typer

import netintel
from netintel.cli._app import (
    DbOption,
    ResultOut,
    app,
    console,
    fail,
    handle_errors,
    parse_param,
    write_out,
)
from netintel.cli.console import emit, show
from netintel.report.outputs import csv_text
from netintel.workspace.query import QueryWing

PANEL = "query"  # the heading of these commands in netintel --help


def print_result(result: pd.DataFrame, fmt: str, title: str | None = None) -> None:
    """A query's rows on stdout: ``--format`` csv, json, or a table under ``title``.

    CSV follows the rules of every CSV the engine writes (:func:`~netintel.outputs.csv_text`):
    text a spreadsheet would run gets a leading ``'``, lists are joined with ``;``, and it
    starts with a byte-order mark unless ``--csv-encoding utf-8``."""
    if fmt == "csv":  # as every CSV: formulas neutralised, lists joined, a byte-order mark
        sys.stdout.write(csv_text(result))
    elif fmt == "json":
        sys.stdout.write(
            result.to_json(orient="records", force_ascii=False, date_format="iso") + "\n"
        )
    else:
        show(result, name="rows", title=title)


@app.command(name="cypher", rich_help_panel=PANEL)
def cypher_command(
    query: Annotated[str, typer.Argument(help="Cypher text; values as $parameters.")],
    db: DbOption = None,
    param: Annotated[
        list[str] | None, typer.Option(help='NAME=VALUE (JSON values: 3, true, "0912").')
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    write: Annotated[
        bool, typer.Option("--write", help="Allow queries that change the graph.")
    ] = False,
) -> None:
    """Run a Cypher query on the store, embedded or Neo4j (read-only unless --write).

    Read-only queries may hold MATCH, OPTIONAL MATCH, WHERE, WITH, RETURN, UNWIND, ORDER BY, SKIP, LIMIT, UNION, subqueries and schema listings (CALL db.labels(), SHOW INDEXES); anything else (LOAD, COPY, CHECKPOINT, CALL apoc/dbms ...) is refused by name.

    With --write on the embedded store, files are reachable only inside $NETINTEL_IMPORT_FOLDER (docs/disclosure.md). Examples:

      netintel cypher --db case.db "MATCH (p:Person)-[:USES]->(f:Phone) WHERE f.region = \\$r RETURN p.name, f.id" --param r=LA

      netintel cypher --db case.db --format csv "MATCH (s:Seizure) RETURN s.id, s.drug, s.quantity_kg"
    """
    if fmt not in {"table", "csv", "json"}:
        raise fail(f"--format {fmt!r}: use table, csv or json", 2)
    params = dict(parse_param(p) for p in param or [])
    with netintel.open(db, read_only=not write) as ws:
        result = ws.query.cypher(query, write=write, **params)
    print_result(result, fmt)


@app.command(rich_help_panel=PANEL)
def stats(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    channels: Annotated[
        bool,
        typer.Option(
            "--channels",
            help="Count cases per channel (land, sea, air, express delivery, online) and period.",
        ),
    ] = False,
    period: Annotated[str, typer.Option(help="With --channels: year, quarter or month.")] = "year",
) -> None:
    """Count nodes per label and relationships per type, or cases per channel and period.

    Examples:

      netintel stats --db case.db --json

      netintel stats --db case.db --channels --period quarter
    """
    if channels:
        with handle_errors(), netintel.open(db, read_only=True) as ws:
            table = ws.query.channels(period=period)
        if as_json:
            sys.stdout.write(table.to_json(orient="records", force_ascii=False) + "\n")
        else:
            shown = table.assign(records=table["records"].map(len))
            emit("channels", table)
            show(shown.rename(columns={"records": "records (count)"}), name=None)
        return
    with netintel.open(db, read_only=True) as ws:
        counts = ws.query.stats()
    if as_json:
        sys.stdout.write(json.dumps(counts, indent=2) + "\n")
    else:
        frame = pd.DataFrame({"label or type": list(counts), "count": list(counts.values())})
        emit("counts", counts)
        show(frame, name=None, rows=len(frame))


@app.command(rich_help_panel=PANEL)
def query(
    name: Annotated[
        str | None, typer.Argument(help="Saved query name (see --list).", show_default=False)
    ] = None,
    db: DbOption = None,
    param: Annotated[
        list[str] | None, typer.Option(help='NAME=VALUE (JSON values: 3, true, "0912").')
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the saved queries and their parameters.")
    ] = False,
    out: ResultOut = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Run a saved analyst query from graph_schema/queries on either store (read-only).

    Examples:

      netintel query --list

      netintel query calls_between_prefixes --db case.db --param prefix_a=+856 --param since=2023-01-01

      netintel query shortest_evidence_path --neo4j bolt://localhost:7687 --param person_a=P-1 --param person_b=P-2
    """
    if list_:
        for row in QueryWing.list().itertuples(index=False):
            console.print(f"[bold]{row.name}[/] ({', '.join(row.dialects)})", highlight=False)
            console.print(f"  {row.description}", highlight=False)
            for text in row.parameters:
                console.print(f"  --param {text}", highlight=False)
        return
    if not name:
        raise fail("give a saved query name, or --list to see them", 2)
    if fmt not in {"table", "csv", "json"}:
        raise fail(f"--format {fmt!r}: use table, csv or json", 2)
    params = dict(parse_param(p) for p in param or [])
    with netintel.open(db, read_only=True) as ws:
        result = ws.query(name, **params)
    if out:
        write_out(result, out)
    else:
        print_result(result, fmt, title=f"{name}: {len(result)} rows")


@app.command(name="schema", rich_help_panel=PANEL)
def schema_command(
    name: Annotated[
        list[str] | None,
        typer.Argument(
            help="Labels or relationship types to show (default: all).", show_default=False
        ),
    ] = None,
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """List what Cypher can ask for: node labels, relationship types with their endpoints,
    their properties (with the schema's note on each), and how many the store holds.

    People: a stored Person node is a record-level person; entity resolution gives it
    resolved_id, the id of the resolved person it belongs to (itself a Person node). Every
    analysis works on resolved people: in Cypher group by p.resolved_id to count people, not
    records (the %%cypher magic does it for Person nodes unless --records).

    Examples:

      netintel schema --db case.db

      netintel schema Person USES CALLED --db case.db

      netintel schema --db case.db --format json
    """
    if fmt not in {"table", "csv", "json"}:
        raise fail(f"--format {fmt!r}: use table, csv or json", 2)
    with netintel.open(db, read_only=True) as ws:
        table = ws.schema()
    if name:
        unknown = sorted(set(name) - set(table["name"]))
        if unknown:
            raise fail(
                f"not in the schema: {', '.join(unknown)}; labels and types are "
                + ", ".join(table["name"]),
                2,
            )
        table = table[table["name"].isin(name)]
    print_result(table.reset_index(drop=True), fmt, title="graph schema (graph_schema/schema.yaml)")
