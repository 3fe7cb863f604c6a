"""The records wing: ingest record files, resolve people, and the reviewer's decisions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

import netintel
from netintel.cli._app import (
    DbOption,
    Files,
    app,
    console,
    err,
    existing_files,
    fail,
    out_option,
    output_file,
    progress_bar,
    write_out,
)
from netintel.cli.changes import check_watchlist, print_alerts
from netintel.cli.console import emit, say, show, warn
from netintel.ingest.api import QUARANTINE_FORMATS
from netintel.report import write_table
from netintel.report.outputs import check_output
from netintel.workspace.changes import data_version

PANEL = "records"  # the heading of these commands in netintel --help
RecordsOut = out_option(
    "one row per input record: record_id, person_id, node_id, match_probability, rule"
)

review_app = typer.Typer(
    help="The review queue of entity resolution: apply decisions, split wrong merges.",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review", rich_help_panel=PANEL)


def print_ingest(report: netintel.IngestReport) -> None:
    """The reconciliation table, what the load changed, and the resolution it ran."""
    show(
        report.reconciliation,
        name="reconciliation",
        title="Reconciliation (read = loaded + quarantined)",
        rows=len(report.reconciliation),
    )
    created = sum(report.written.created.values())
    updated = sum(report.written.updated.values())
    people = report.counts.get("Person", 0)
    console.print(
        f"graph: {created:,} nodes and ties created, {updated:,} extended with new records; "
        f"{people:,} record-level people in the store"
        + ("" if created or updated else " (every record was already loaded: nothing changed)")
    )
    if report.versions is not None:
        console.print(report.versions.line())
        if len(report.versions.conflicts):
            err.print(
                f"[yellow]{len(report.versions.conflicts):,} record id(s) came with other "
                "content from another file: loaded apart as ID@hash, not merged "
                "(netintel versions ID shows them)[/]"
            )
    emit("graph", {"created": report.written.created, "updated": report.written.updated})
    emit("counts", report.counts)
    if report.resolution is not None:
        r = report.resolution
        emit("resolution", {"people": len(r.assignments), "resolved": r.n_people,
                            "review": len(r.review)})  # fmt: skip
        console.print(
            f"resolution: {len(r.assignments):,} record-level people -> {r.n_people:,} people; "
            f"{len(r.review):,} pair(s) to review (netintel resolve --review FILE)"
        )


@app.command(rich_help_panel=PANEL)
def ingest(
    db: DbOption = None,
    arrests: Files = None,
    seizures: Files = None,
    communications: Files = None,
    links: Files = None,
    shipments: Files = None,
    accounts: Files = None,
    interactions: Files = None,
    matrix: Annotated[
        list[Path] | None,
        typer.Option(
            callback=existing_files, help="Adjacency-matrix CSV (labels in first row/column)."
        ),
    ] = None,
    kind: Annotated[
        str, typer.Option(help="Record kind of --matrix files: communications or links.")
    ] = "communications",
    mapping: Annotated[
        Path | None,
        typer.Option(callback=existing_files, help="YAML column mapping for other exports."),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Encoding of CSV files that are not UTF-8.")
    ] = None,
    region: Annotated[str, typer.Option(help="Default country for local phone numbers.")] = "VN",
    quarantine: Annotated[
        Path | None,
        typer.Option(
            callback=output_file(QUARANTINE_FORMATS),
            help="Write rejected rows here (.csv, .xlsx or .jsonl); never one of the inputs.",
        ),
    ] = None,
    no_resolve: Annotated[
        bool,
        typer.Option(
            "--no-resolve", help="Skip entity resolution of people (run `netintel resolve` later)."
        ),
    ] = False,
) -> None:
    """Load record files into the graph; bad rows go to the quarantine file.

    Loading the same files twice changes nothing. People are resolved after the load
    (see `netintel resolve`) unless --no-resolve. Examples:

      netintel ingest --db case.db --arrests arrests.csv --seizures seizures.csv --quarantine bad.csv

      netintel ingest --db cocaine.db --matrix natajaran_cocaine.csv --kind communications

      netintel ingest --db case.db --shipments van_don.csv --mapping graph_schema/mappings/vn_express_shipments.yaml
    """
    if not any(
        [arrests, seizures, communications, links, shipments, accounts, interactions, matrix]
    ):
        raise fail(
            "nothing to load: give --arrests, --seizures, --communications, --links, "
            "--shipments, --accounts, --interactions or --matrix",
            2,
        )
    if quarantine is not None:  # against every input, whatever order the options came in
        inputs = [*(arrests or []), *(seizures or []), *(communications or [])]
        inputs += [*(links or []), *(shipments or []), *(matrix or [])]
        inputs += [*(accounts or []), *(interactions or [])]
        inputs += [mapping, None if db is None else Path(db)]
        check_output(quarantine, suffixes=QUARANTINE_FORMATS, inputs=inputs)
    with netintel.open(db) as ws, progress_bar("ingest") as step:
        before, _ = data_version(ws.store)  # what the watchlist compares new records with
        report = ws.records.ingest(
            arrests=arrests,
            seizures=seizures,
            communications=communications,
            links=links,
            shipments=shipments,
            accounts=accounts,
            interactions=interactions,
            matrices=matrix,
            matrix_kind=kind,
            mapping=mapping,
            encoding=encoding,
            default_region=region,
            quarantine=quarantine,
            progress=step,
            resolve=not no_resolve,
        )
        raised = check_watchlist(ws, before)
    print_ingest(report)
    if raised is not None and len(raised):
        print_alerts(raised, title=f"ALERT: {len(raised)} watched entities in new records")
    if len(report.quarantine):
        where = (
            f" (written to {quarantine})"
            if quarantine
            else " (give --quarantine FILE to keep them)"
        )
        err.print(
            f"[yellow]{report.reconciliation['quarantined'].sum()} row(s) quarantined{where}[/]"
        )


@app.command(rich_help_panel=PANEL)
def resolve(
    db: DbOption = None,
    out: RecordsOut = None,
    review: Annotated[
        Path | None,
        typer.Option(
            callback=output_file(),
            help="Write the review queue here: pairs to decide, with a blank `decision` "
            "column to fill with accept or reject.",
        ),
    ] = None,
    settings: Annotated[
        Path | None,
        typer.Option(
            callback=existing_files,
            help="Resolution settings YAML [default: graph_schema/resolution.yaml].",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the model's random sampling.")] = 0,
) -> None:
    """Resolve people: group the record-level Person nodes into resolved people.

    Deterministic keys first (national ID, passport, phone + name, plate + name, full name),
    then a probabilistic model estimated from the data (Splink, DuckDB). Re-running gives
    the same result; reviewer decisions in the database are honoured. Examples:

      netintel resolve --db case.db --out resolved.csv --review queue.csv

      netintel review apply queue.csv --db case.db      (after filling in `decision`)
    """
    with netintel.open(db) as ws, progress_bar("resolve") as step:
        step("reading people", 0)
        result = ws.records.resolve(settings=settings, seed=seed)
        if out is not None:
            write_table(result.records(), out)
        if review is not None:
            write_table(result.review, review)
    merged = result.links["decided_by"].value_counts().to_dict() if len(result.links) else {}
    console.print(
        f"{len(result.assignments):,} record-level people -> {result.n_people:,} people; "
        f"merges by rule {merged.get('rule', 0):,}, by model {merged.get('model', 0):,}, "
        f"by reviewers {merged.get('reviewer', 0):,}; {len(result.review):,} pair(s) to review"
        + ("" if result.model.trained else " (model not trained by EM: too little data)")
    )
    if len(result.review):
        shown = result.review.head(10)[
            ["left_name", "right_name", "match_probability", "reason", "agreed"]
        ]
        show(shown, name=None, title="Most likely pairs to review")
    emit("review", result.review)
    for path, what in ((out, "records"), (review, "review queue")):
        if path is not None:
            err.print(f"{what} written to {path}")


@review_app.command("apply")
def review_apply(
    decisions: Annotated[
        Path,
        typer.Argument(
            callback=existing_files,
            help="The review queue with `decision` filled in (accept / reject), or any "
            "table with left_id, right_id, decision (.csv, .xlsx, .parquet, .json).",
        ),
    ],
    db: DbOption = None,
) -> None:
    """Record review decisions in the database and re-resolve.

    Accepted pairs are merged and rejected pairs kept apart on every later run; a later
    decision on a pair replaces an earlier one. Rows with a blank decision are skipped.
    Example:

      netintel review apply queue.csv --db case.db
    """
    with netintel.open(db) as ws:
        counts = ws.records.review_apply(decisions)
        people = ws.records.people()
    console.print(
        f"{counts['accepted']:,} accepted, {counts['rejected']:,} rejected; "
        f"{people['resolved_id'].nunique():,} people after re-resolving"
    )


@review_app.command("split")
def review_split(
    person_id: Annotated[
        str, typer.Argument(help="The Person node (record-level id, e.g. P-…) to take out.")
    ],
    db: DbOption = None,
) -> None:
    """Split a wrong merge: take one record-level Person out of the person it was merged into.

    Records a reviewer rejection between it and each other member, then re-resolves; the
    rest of the group stays together if its own evidence holds. Example:

      netintel review split P-3f2a9c0d1e --db case.db
    """
    with netintel.open(db) as ws:
        decisions = ws.records.review_split(person_id)
    console.print(f"{person_id} kept apart from {len(decisions):,} record-level people")


@app.command(rich_help_panel=PANEL)
def versions(
    record_id: Annotated[
        str, typer.Argument(help="A record id as its file gives it (or as sources hold it).")
    ],
    db: DbOption = None,
) -> None:
    """Every version of one record: the file, row and sha256 it came with, when it was
    loaded, and which version the graph reflects. Example:

      netintel versions SZ-000002 --db case.db
    """
    with netintel.open(db, read_only=True) as ws:
        found = ws.records.versions(record_id)
    if found.empty:
        raise fail(f"no record {record_id!r} in {db or 'the database'}")
    cols = ["version", "current", "source_id", "file", "row", "sha256", "loaded_at", "conflict"]
    shown = found[cols].assign(sha256=found["sha256"].str[:16] + "…")
    emit("versions", found)
    show(shown, name=None, title=f"Versions of {record_id} (sha256 shortened)")


RecordRowsOut = out_option(
    "one row per record version: its provenance and its row as read (raw, as JSON text)"
)


@app.command("records", rich_help_panel=PANEL)
def records_(
    ids: Annotated[
        list[str],
        typer.Argument(
            help="Record ids as their files give them, or as a node's sources hold them."
        ),
    ],
    db: DbOption = None,
    all_versions: Annotated[
        bool, typer.Option("--all-versions", help="Also the versions a later load superseded.")
    ] = False,
    out: RecordRowsOut = None,
) -> None:
    """The records behind any result, back to the rows they were read from: each row as
    read (before mapping and normalisation, under the file's own column names) with its file,
    sheet, row, the file's SHA-256 and when it was loaded, from the database (the files are
    not read again). Examples:

      netintel records ARR-000001 --db case.db

      netintel records SZ-000002 C-1a2b3c --all-versions --out rows.xlsx --db case.db

    Check a file is the one loaded: `sha256sum arrests.csv` prints the file sha256 shown.
    """
    with netintel.open(db, read_only=True) as ws:
        found = ws.records.records(ids, all_versions=all_versions)
    known = set(found["record_id"]) | set(found["source_id"])
    unknown = [i for i in ids if i not in known]
    if found.empty:
        raise fail(f"no record {', '.join(map(repr, unknown))} in {db or 'the database'}")
    table = found.assign(raw=[json.dumps(r, ensure_ascii=False) for r in found["raw"]])
    emit("records", table)
    for r in found.itertuples(index=False):
        say(record_heading(r._asdict()))
        if r.raw is None:
            warn(f"{r.source_id}: loaded before netintel kept rows as read; re-ingest its file")
            continue
        cells = pd.DataFrame({"column": list(r.raw), "as read": list(r.raw.values())})
        show(cells, name=None, rows=len(cells))
    if unknown:
        warn(f"no record {', '.join(map(repr, unknown))}")
    write_out(table, out, "record versions")


def record_heading(r: dict) -> str:
    """The provenance of one record version, in a few lines.

    >>> print(record_heading({"source_id": "ARR-1", "kind": "arrests", "version": 1,
    ...     "current": True, "file": "a.xlsx", "sheet": "Bắt giữ", "row": 2,
    ...     "file_sha256": "ab" * 32, "loaded_at": "2024-05-14T08:00:00Z"}))
    ARR-1 (arrests), version 1, current
      file a.xlsx, sheet Bắt giữ, row 2
      file sha256 abababababababababababababababababababababababababababababababab
      loaded 2024-05-14T08:00:00Z
    """
    state = "current" if r.get("current") else "superseded"
    sheet = r.get("sheet")
    where = f"file {r['file']}" + (f", sheet {sheet}" if isinstance(sheet, str) else "")
    return "\n".join(
        [
            f"{r['source_id']} ({r['kind']}), version {r['version']}, {state}",
            f"  {where}, row {r['row']}",
            f"  file sha256 {r.get('file_sha256') or 'not recorded'}",
            f"  loaded {r['loaded_at']}",
        ]
    )
