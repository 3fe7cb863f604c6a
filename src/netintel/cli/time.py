"""The time wing: ranks per period, rising actors, who replaced arrested leaders, and the
chronology of a person or a ring."""

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
    current_disclosure,
    out_option,
    output_file,
    print_explained,
    progress_bar,
    window,
    write_out,
)
from netintel.cli.console import emit, say, show
from netintel.report import write_table
from netintel.report.plots import PLOT_FORMATS, chronology_figure

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
        show(wide.reset_index(), name=None, title=f"Top people per {period} ({measure})", out=out)
    emit("timeline", result.timeline)
    if not result.rising.empty:
        rising = result.rising.sort_values(
            ["score_rise", "period", "person_id"], ascending=[False, True, True]
        ).head(top)
        print_explained(
            rising,
            rising[["period", "name", "previous_rank", "rank", "score_rise"]],
            "Rising actors (largest score rises)",
            lambda row: f"[bold]{row.name}[/] ({row.period})",
            name="rising",
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
            name="replacements",
        )
    if out:
        write_table(result.timeline, out)
        write_table(result.rising, _with_suffix(out, "rising"))
        write_table(result.replacements, _with_suffix(out, "replacements"))
        console.print(
            f"wrote {out}, {_with_suffix(out, 'rising')} and {_with_suffix(out, 'replacements')}"
        )


ChronologyOut = out_option("the chronology: one row per event and person, with its records")


@app.command(name="chronology", rich_help_panel=PANEL)
def chronology_command(
    db: DbOption = None,
    person: Annotated[
        list[str] | None,
        typer.Option(
            help="A person: a name in any spelling, an alias, a phone, an ID or plate, or a "
            "person id (repeat for several)."
        ),
    ] = None,
    ring: Annotated[
        int | None, typer.Option(help="A ring's number, as `netintel rings` lists them.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the ring detection (with --ring).")] = 0,
    out: ChronologyOut = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            callback=output_file(PLOT_FORMATS),
            help="Draw the swimlane picture there (.png, .svg or .pdf).",
        ),
    ] = None,
    since: Since = None,
    until: Until = None,
) -> None:
    """What a person or a ring did, event by event: arrests, seizures, calls, links and
    parcels in date order, with who else took part, where, and the records behind each.
    Without --person or --ring: everyone. Examples:

      netintel chronology --db case.db --person "Le Xuan Hai"

      netintel chronology --db case.db --ring 0 --since 2023 --out ring0.xlsx --plot ring0.png

    `netintel records ID` shows the rows the records were read from.
    """
    w = window(since, until)
    with netintel.open(db, read_only=True) as ws:
        events = ws.time.chronology(person, ring=ring, window=w, seed=seed)
    if plot is not None:
        disclosure = current_disclosure()  # the picture discloses what the table would
        drawn = disclosure.table(events) if disclosure is not None else events
        who = ", ".join(drawn["name"].drop_duplicates().head(3)) if person else None
        title = f"Ring {ring}" if ring is not None else who or "Chronology"
        chronology_figure(drawn, title=title, path=plot)
    if events.empty:
        say("no events in the chosen window")
    else:
        shown = events.assign(
            date=events["date"].dt.strftime("%Y-%m-%d").fillna("undated"),
            records=events["records"].map(", ".join),
        )
        show(
            shown,
            name="chronology",
            title=f"Chronology: {len(events):,} events of {events['person_id'].nunique():,} people",
            columns=["date", "kind", "name", "detail", "other", "place", "records"],
            out=out,
        )
    write_out(events, out, "events")
    if plot is not None:
        say(f"wrote the picture to {plot}")
