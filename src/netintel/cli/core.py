"""The core commands: ingest, rank, cypher, stats, generate, evaluate, demo."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

import netintel
from netintel.cli._app import (
    DbOption,
    Engine,
    Files,
    Since,
    Until,
    app,
    console,
    err,
    fail,
    handle_errors,
    parse_param,
    progress_bar,
    rich_table,
)
from netintel.report import write_table


def _print_ingest(report: netintel.IngestReport) -> None:
    console.print(
        rich_table(report.reconciliation, title="Reconciliation (read = loaded + quarantined)")
    )
    created = sum(report.written.created.values())
    updated = sum(report.written.updated.values())
    people = report.counts.get("Person", 0)
    console.print(
        f"graph: {created:,} nodes and ties created, {updated:,} extended with new records; "
        f"{people:,} record-level people in the store"
        + ("" if created or updated else " (every record was already loaded: nothing changed)")
    )
    if report.resolution is not None:
        r = report.resolution
        console.print(
            f"resolution: {len(r.assignments):,} record-level people -> {r.n_people:,} people; "
            f"{len(r.review):,} pair(s) to review (netintel resolve --review FILE)"
        )


@app.command()
def ingest(
    db: DbOption = None,
    arrests: Files = None,
    seizures: Files = None,
    communications: Files = None,
    links: Files = None,
    matrix: Annotated[
        list[Path] | None,
        typer.Option(
            exists=True, dir_okay=False, help="Adjacency-matrix CSV (labels in first row/column)."
        ),
    ] = None,
    kind: Annotated[
        str, typer.Option(help="Record kind of --matrix files: communications or links.")
    ] = "communications",
    mapping: Annotated[
        Path | None, typer.Option(exists=True, help="YAML column mapping for other exports.")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Encoding of CSV files that are not UTF-8.")
    ] = None,
    region: Annotated[str, typer.Option(help="Default country for local phone numbers.")] = "VN",
    quarantine: Annotated[
        Path | None, typer.Option(help="Write rejected rows here (.csv or .jsonl).")
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
    """
    if not any([arrests, seizures, communications, links, matrix]):
        raise fail(
            "nothing to load: give --arrests, --seizures, --communications, --links or --matrix", 2
        )
    with handle_errors(), netintel.open(db) as ws, progress_bar("ingest") as step:
        report = ws.ingest(
            arrests=arrests,
            seizures=seizures,
            communications=communications,
            links=links,
            matrices=matrix,
            matrix_kind=kind,
            mapping=mapping,
            encoding=encoding,
            default_region=region,
            quarantine=quarantine,
            progress=step,
            resolve=not no_resolve,
        )
    _print_ingest(report)
    if len(report.quarantine):
        where = (
            f" (written to {quarantine})"
            if quarantine
            else " (give --quarantine FILE to keep them)"
        )
        err.print(
            f"[yellow]{report.reconciliation['quarantined'].sum()} row(s) quarantined{where}[/]"
        )


TARGET_COLUMNS = ["rank", "name", "score", "ring", "roles", "seizure_kg", "evidence_count"]


def _print_targets(targets: pd.DataFrame, title: str) -> None:
    """The ranked table, then each target's explanation in full."""
    shown = targets[[c for c in TARGET_COLUMNS if c in targets]].rename(
        columns={"seizure_kg": "seized kg", "evidence_count": "records"}
    )
    console.print(rich_table(shown, title=title))
    for row in targets.itertuples(index=False):
        console.print(
            f"[bold]{row.rank}. {row.name}[/] ({row.person_id}): {row.explanation}", highlight=False
        )


@app.command()
def rank(
    db: DbOption = None,
    top: Annotated[int, typer.Option(help="How many targets to keep.")] = 20,
    out: Annotated[
        Path | None, typer.Option(help="Write the list (.csv, .parquet or .json).")
    ] = None,
    profile: Annotated[str, typer.Option(help="Ranking profile name or YAML path.")] = "default",
    seed: Annotated[int, typer.Option(help="Seed for sampled betweenness and Louvain.")] = 0,
    engine: Engine = "auto",
    betweenness_k: Annotated[
        int | None, typer.Option(help="Sample size for betweenness on large graphs.")
    ] = None,
    since: Since = None,
    until: Until = None,
    labels: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Confirmed roles (columns person_id or national_id, and label: 1/0 or a role; "
            "organizer, leader and financier count as 1): rank by a model trained on them.",
        ),
    ] = None,
) -> None:
    """Rank the people who matter, each with an explanation and the evidence behind it.

    Example: netintel rank --db case.db --top 25 --out targets.csv

    With --labels confirmed.csv the score is the probability a model trained on those
    confirmed roles gives (retrained on every run; its cross-validated scores are printed).
    """
    with handle_errors(), netintel.open(db, read_only=True) as ws, progress_bar("rank") as step:
        step("projecting the person graph", 0)
        if labels is not None:
            from netintel.cli.timeline import print_learned

            ranker = ws.learned_ranking(
                labels,
                top=top,
                profile=profile,
                seed=seed,
                engine=engine,
                betweenness_k=betweenness_k,
                since=since,
                until=until,
            )
            print_learned(ranker, labels)
            targets = ranker.ranking_
        else:
            targets = ws.rank_targets(
                top=top,
                profile=profile,
                seed=seed,
                engine=engine,
                betweenness_k=betweenness_k,
                since=since,
                until=until,
            )
    _print_targets(targets, f"Top {len(targets)} targets")
    if out:
        with handle_errors():
            write_table(targets, out)
        console.print(f"wrote {len(targets)} targets to {out}")


@app.command(name="cypher")
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

    Examples:

      netintel cypher --db case.db "MATCH (p:Person)-[:USES]->(f:Phone) WHERE f.region = \\$r RETURN p.name, f.id" --param r=LA

      netintel cypher --db case.db --format csv "MATCH (s:Seizure) RETURN s.id, s.drug, s.quantity_kg"
    """
    if fmt not in {"table", "csv", "json"}:
        raise fail(f"--format {fmt!r}: use table, csv or json", 2)
    params = dict(parse_param(p) for p in param or [])
    with handle_errors(), netintel.open(db, read_only=not write) as ws:
        result = ws.cypher(query, write=write, **params)
    if fmt == "csv":
        sys.stdout.write(result.to_csv(index=False))
    elif fmt == "json":
        sys.stdout.write(
            result.to_json(orient="records", force_ascii=False, date_format="iso") + "\n"
        )
    else:
        console.print(rich_table(result))


@app.command()
def stats(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Count nodes per label and relationships per type."""
    with handle_errors(), netintel.open(db, read_only=True) as ws:
        counts = ws.stats()
    if as_json:
        sys.stdout.write(json.dumps(counts, indent=2) + "\n")
    else:
        console.print(
            rich_table(
                pd.DataFrame({"label or type": list(counts), "count": list(counts.values())})
            )
        )


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Folder to write the records and truth.json to.")],
    records: Annotated[
        int, typer.Option(help="Total rows across the four files (100 to 1,000,000).")
    ] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same files.")] = 0,
) -> None:
    """Generate a synthetic Laos-Vietnam trafficking landscape with planted ground truth.

    Example: netintel generate --records 5000 --seed 1 --out synth/
    """
    from netintel.synthetic import generate as make
    from netintel.synthetic import write

    with handle_errors():
        files = write(make(records, seed=seed), out)
    for kind, path in files.items():
        console.print(f"{kind:15} {path}")


@app.command()
def evaluate(
    records: Annotated[int, typer.Option(help="Size of the synthetic set.")] = 2000,
    seed: Annotated[int, typer.Option(help="Generator and analysis seed.")] = 0,
    data: Annotated[
        Path | None, typer.Option(help="Use records already generated in this folder.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write the metrics: .json a dated results file (date, machine, seed, records, "
            "every row), .csv or .parquet the table."
        ),
    ] = None,
    readme: Annotated[
        Path | None,
        typer.Option(
            help="Regenerate the quality table between the evaluation markers of this README "
            "from the results file (--out FILE.json, or --from FILE.json)."
        ),
    ] = None,
    from_: Annotated[
        Path | None,
        typer.Option("--from", help="With --readme: use this results file instead of a run."),
    ] = None,
) -> None:
    """Measure ranking quality against the synthetic ground truth (precision@k of leaders, brokers).

    Example: netintel evaluate --records 2000 --seed 0
    """
    from netintel.evaluation import EvaluationResults, run_evaluation, update_readme

    saved = out if out and out.suffix.lower() == ".json" else from_
    if from_ and (out or not readme):
        raise fail("--from goes with --readme only (it reads results, --out writes them)")
    if readme and not saved:
        raise fail("--readme needs the results file it is generated from: --out FILE.json")
    with handle_errors():
        if from_:
            results = EvaluationResults.read(from_)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                metrics = run_evaluation(records=records, seed=seed, data=data, workdir=Path(tmp))
            console.print(rich_table(metrics, title="Evaluation against the planted ground truth"))
            results = EvaluationResults.of(metrics)
            if out and out == saved:
                results.write(out)
            elif out:
                write_table(metrics, out)
        if readme:
            changed = update_readme(readme, results, source=saved)
            console.print(f"{readme}: quality table {'regenerated' if changed else 'unchanged'}")


@app.command()
def demo(
    out: Annotated[
        Path, typer.Option(help="Folder for the records, database and target list.")
    ] = Path("demo_output"),
    records: Annotated[int, typer.Option(help="Size of the synthetic set.")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    top: Annotated[int, typer.Option(help="Targets to show.")] = 10,
) -> None:
    """Generate a synthetic network, load it, and print the ranked targets (the quick start)."""
    from netintel.synthetic import generate as make
    from netintel.synthetic import write

    out.mkdir(parents=True, exist_ok=True)
    with handle_errors():
        files = write(make(records, seed=seed), out / "records")
        with netintel.open(out / "netintel.db") as ws, progress_bar("ingest") as step:
            report = ws.ingest(
                arrests=files["arrests"],
                seizures=files["seizures"],
                communications=files["communications"],
                links=files["links"],
                quarantine=out / "quarantine.csv",
                progress=step,
            )
            _print_ingest(report)
            targets = ws.rank_targets(seed=seed)
        path = write_table(targets, out / "targets.csv")
    _print_targets(targets.head(top), f"Top {top} targets")
    console.print(
        f"full list: {path}  |  quarantined rows: {out / 'quarantine.csv'}  |  database: {out / 'netintel.db'}"
    )
