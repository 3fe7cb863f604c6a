"""The time wing: ranks per period, rising actors, who replaced arrested leaders."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import netintel
from netintel.cli._app import (
    DbOption,
    Since,
    Until,
    app,
    console,
    output_file,
    print_explained,
    progress_bar,
    rich_table,
    window,
)
from netintel.report import write_table

PANEL = "time"  # the heading of these commands in netintel --help

Out = Annotated[
    Path | None,
    typer.Option(
        callback=output_file(),
        help="Write the tables (.csv, .xlsx, .parquet or .json); timeline writes three files, "
        "FILE, FILE-rising and FILE-replacements.",
    ),
]


def _with_suffix(path: Path, part: str) -> Path:
    return path.with_name(f"{path.stem}-{part}{path.suffix}")


@app.command(name="timeline", rich_help_panel=PANEL)
def timeline_command(
    db: DbOption = None,
    period: Annotated[str, typer.Option(help="month, quarter or year.")] = "quarter",
    top: Annotated[int, typer.Option(help="People per period (and rises per period).")] = 10,
    measure: Annotated[
        str,
        typer.Option(
            help="score (the composite target score) or a measure: degree, strength, "
            "betweenness, pagerank, eigenvector, kcore."
        ),
    ] = "score",
    leader_top: Annotated[
        int, typer.Option(help="An arrested person ranked this high counts as a leader.")
    ] = 5,
    seed: Annotated[int, typer.Option(help="Seed for Louvain and sampled betweenness.")] = 0,
    engine: Annotated[str, typer.Option(help="auto, networkx or igraph.")] = "auto",
    out: Out = None,
    since: Since = None,
    until: Until = None,
) -> None:
    """Rank people per period; show who is rising and who replaced arrested leaders.

    Each period is ranked on its own evidence. Needs dated records (networks loaded from
    adjacency matrices have none). Example:

      netintel timeline --db case.db --period quarter --top 10 --since 2023 --out timeline.csv
    """
    w = window(since, until)
    with netintel.open(db, read_only=True) as ws, progress_bar("timeline") as step:
        step(f"ranking each {period}", 0)
        result = ws.time.timeline(
            period=period,
            window=w,
            measure=measure,
            top=top,
            leader_top=leader_top,
            seed=seed,
            engine=engine,
        )
    table = result.timeline
    if table.empty:
        console.print("no activity in the chosen window")
    else:
        leaders = table[table["rank"] <= min(top, 3)]
        wide = leaders.pivot(index="period", columns="rank", values="name")
        wide.columns = [f"#{c}" for c in wide.columns]
        console.print(rich_table(wide.reset_index(), title=f"Top people per {period} ({measure})"))
    if not result.rising.empty:
        rising = result.rising.sort_values(
            ["score_rise", "period", "person_id"], ascending=[False, True, True]
        ).head(top)
        print_explained(
            rising,
            rising[["period", "name", "previous_rank", "rank", "score_rise"]],
            "Rising actors (largest score rises)",
            lambda row: f"[bold]{row.name}[/] ({row.period})",
        )
    first = result.replacements[result.replacements["candidate"] == 1]
    if first.empty:
        console.print("no arrested leader was replaced in this window")
    else:
        print_explained(
            first,
            first[["arrest_period", "arrested_name", "arrested_rank", "name", "rank_after"]],
            "Who replaced arrested leaders (successor = largest rise in their ring)",
            lambda row: f"[bold]{row.name}[/]",
        )
    if out:
        write_table(result.timeline, out)
        write_table(result.rising, _with_suffix(out, "rising"))
        write_table(result.replacements, _with_suffix(out, "replacements"))
        console.print(
            f"wrote {out}, {_with_suffix(out, 'rising')} and {_with_suffix(out, 'replacements')}"
        )
