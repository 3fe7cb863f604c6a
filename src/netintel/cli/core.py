"""The core commands: demo (the quick start), generate (synthetic records), evaluate."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

import netintel
from netintel.cli._app import (
    app,
    console,
    fail,
    handle_errors,
    output_file,
    progress_bar,
)
from netintel.cli.console import show
from netintel.cli.network import print_targets
from netintel.cli.records import print_ingest
from netintel.report import write_table

PANEL = "start here"  # the heading of these commands in netintel --help


@app.command(rich_help_panel=PANEL)
def generate(
    out: Annotated[
        Path,
        typer.Option(
            callback=output_file((), folder=True),
            help="Folder to write the records and truth.json to.",
        ),
    ],
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

    files = write(make(records, seed=seed), out)
    for kind, path in files.items():
        console.print(f"{kind:15} {path}")


@app.command(rich_help_panel=PANEL)
def evaluate(
    records: Annotated[int, typer.Option(help="Size of the synthetic set.")] = 2000,
    seed: Annotated[int, typer.Option(help="Generator and analysis seed.")] = 0,
    data: Annotated[
        Path | None, typer.Option(help="Use records already generated in this folder.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            callback=output_file(),
            help="Write the metrics: .json a dated results file (date, machine, seed, records, "
            "every row), .csv, .xlsx or .parquet the table.",
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
    real: Annotated[
        Path | None,
        typer.Option(
            help="Check the analytics on a folder of real networks instead (one sub-folder "
            "each: a matrix or edge-list CSV, optionally roles.csv with id,role): ranking "
            "against verified roles, hidden ties, key players for k = 1..10.",
        ),
    ] = None,
) -> None:
    """Measure ranking quality against the synthetic ground truth (precision@k of leaders, brokers).

    Example: netintel evaluate --records 2000 --seed 0

    Example: netintel evaluate --real ../shared/data/real --out docs/evaluation/real/DATE.json
    --readme README.md
    """
    from netintel.evaluation import EvaluationResults, run_evaluation, update_readme

    saved = out if out and out.suffix.lower() == ".json" else from_
    if from_ and (out or not readme):
        raise fail("--from goes with --readme only (it reads results, --out writes them)")
    if readme and not saved:
        raise fail("--readme needs the results file it is generated from: --out FILE.json")
    if real or (from_ and _is_real_results(from_)):
        return _evaluate_real(real, seed=seed, out=out, readme=readme, saved=saved)
    with handle_errors():
        if from_:
            results = EvaluationResults.read(from_)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                metrics = run_evaluation(records=records, seed=seed, data=data, workdir=Path(tmp))
            show(  # every row: the table is the evaluation's result, read whole
                metrics,
                name="metrics",
                title="Evaluation against the planted ground truth",
                rows=len(metrics),
                lines=4 * len(metrics) + 8,
            )
            results = EvaluationResults.of(metrics)
            if out and out == saved:
                results.write(out)
            elif out:
                write_table(metrics, out)
        if readme:
            changed = update_readme(readme, results, source=saved)
            console.print(f"{readme}: quality table {'regenerated' if changed else 'unchanged'}")


def _is_real_results(path: Path) -> bool:
    """Whether a results file was written by ``evaluate --real`` (it has ``rows``)."""
    try:
        return '"rows"' in path.read_text(encoding="utf-8")[:4000]
    except (OSError, UnicodeDecodeError):
        return False


def _evaluate_real(
    real: Path | None, *, seed: int, out: Path | None, readme: Path | None, saved: Path | None
) -> None:
    """``evaluate --real``: run (or read with --from) the real-network checks, print, write."""
    from netintel.evaluation.real import evaluate_real, real_summary, write_real_results
    from netintel.evaluation.real_readme import read_real_results, update_real_readme

    with handle_errors():
        if real is None:
            _, rows = read_real_results(saved)
        else:
            rows = evaluate_real(real, seed=seed)
            if out and out == saved:
                write_real_results(rows, out, root=real)
            elif out:
                write_table(rows, out)
        if real is not None:
            for task, table in real_summary(rows).items():
                show(
                    table,
                    name=task,
                    title=f"Real networks: {task}",
                    rows=len(table),
                    lines=4 * len(table) + 8,
                )
        if readme:
            changed = update_real_readme(readme, saved)
            console.print(
                f"{readme}: real-network tables {'regenerated' if changed else 'unchanged'}"
            )


@app.command(rich_help_panel=PANEL)
def demo(
    out: Annotated[
        Path,
        typer.Option(
            callback=output_file((), folder=True),
            help="Folder for the records, database and target list.",
        ),
    ] = Path("demo_output"),
    records: Annotated[int, typer.Option(help="Size of the synthetic set.")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    top: Annotated[int, typer.Option(help="Targets to show.")] = 10,
) -> None:
    """Generate a synthetic network, load it, and print the ranked targets (the quick start).

    Example: netintel demo --out demo_output --records 2000
    """
    from netintel.synthetic import generate as make
    from netintel.synthetic import write

    out.mkdir(parents=True, exist_ok=True)
    files = write(make(records, seed=seed), out / "records")
    with netintel.open(out / "netintel.db") as ws, progress_bar("ingest") as step:
        report = ws.ingest(
            # the planted hotspots are arrest records of a file of their own
            arrests=[files["arrests"], *([files["hotspots"]] if "hotspots" in files else [])],
            seizures=files["seizures"],
            communications=files["communications"],
            links=files["links"],
            shipments=files.get("shipments"),
            accounts=files.get("accounts"),
            interactions=files.get("interactions"),
            quarantine=out / "quarantine.csv",
            progress=step,
        )
        print_ingest(report)
        targets = ws.rank_targets(seed=seed)
        ws.changes.record_run(targets)  # the first run netintel changes compares with
    path = write_table(targets, out / "targets.csv")
    print_targets(targets.head(top), f"Top {top} targets", path)
    console.print(
        f"full list: {path}  |  quarantined rows: {out / 'quarantine.csv'}  |  database: {out / 'netintel.db'}"
    )
