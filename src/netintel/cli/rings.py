"""Rings: community detection over the person graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import netintel
from netintel.cli._app import DbOption, Since, Until, app, console, handle_errors, rich_table
from netintel.report import write_table


@app.command()
def communities(
    db: DbOption = None,
    out: Annotated[
        Path | None, typer.Option(help="Write person -> ring (.csv, .parquet or .json).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Louvain seed.")] = 0,
    resolution: Annotated[
        float, typer.Option(help="Louvain resolution (>1: smaller rings).")
    ] = 1.0,
    since: Since = None,
    until: Until = None,
) -> None:
    """Find rings (Louvain communities) in the person graph.

    Example: netintel communities --db case.db --out rings.csv
    """
    with handle_errors(), netintel.open(db, read_only=True) as ws:
        rings = ws.communities(seed=seed, resolution=resolution, since=since, until=until)
    sizes = rings.groupby("community").size().rename("people").reset_index()
    console.print(rich_table(sizes.head(20), title=f"{len(sizes)} communities (largest 20)"))
    if out:
        with handle_errors():
            write_table(rings, out)
        console.print(f"wrote {len(rings)} rows to {out}")
