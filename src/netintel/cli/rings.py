"""Rings and brokers: community detection and brokerage roles over the person graph."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

import netintel
from netintel.cli._app import (
    DbOption,
    Engine,
    Since,
    Until,
    app,
    console,
    handle_errors,
    rich_table,
)
from netintel.report import write_table


class Algorithm(StrEnum):
    louvain = "louvain"
    leiden = "leiden"


class Grouping(StrEnum):
    ring = "ring"
    province = "province"
    country = "country"


AlgorithmOption = Annotated[
    Algorithm,
    typer.Option(
        "--algorithm",
        help="Ring detection: louvain, or leiden (needs the optional package leidenalg: "
        "pip install leidenalg).",
    ),
]
SeedOption = Annotated[int, typer.Option(help="Seed of the ring detection.")]


@app.command()
def communities(
    db: DbOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write person -> ring, or with --profiles one row per ring "
            "(.csv, .parquet or .json)."
        ),
    ] = None,
    algorithm: AlgorithmOption = Algorithm.louvain,
    seed: SeedOption = 0,
    resolution: Annotated[
        float, typer.Option(help="Modularity resolution (>1: smaller rings).")
    ] = 1.0,
    profiles: Annotated[
        bool,
        typer.Option(
            "--profiles",
            help="Profile each ring: size, leaders, brokers, places, countries, drugs, "
            "seized kg, first and last activity, stability across reseeded runs.",
        ),
    ] = False,
    runs: Annotated[
        int, typer.Option(help="Reseeded runs behind each ring's stability (--profiles).")
    ] = 10,
    engine: Engine = "auto",
    since: Since = None,
    until: Until = None,
) -> None:
    """Find rings (Louvain or Leiden communities) in the person graph.

    Example: netintel communities --db case.db --algorithm leiden --profiles --out rings.csv
    """
    with handle_errors(), netintel.open(db, read_only=True) as ws:
        if profiles:
            table = ws.ring_profiles(
                seed=seed,
                algorithm=algorithm.value,
                resolution=resolution,
                runs=runs,
                engine=engine,
                since=since,
                until=until,
            )
        else:
            table = ws.communities(
                seed=seed,
                algorithm=algorithm.value,
                resolution=resolution,
                engine=engine,
                since=since,
                until=until,
            )
    if profiles:
        shown = table[
            [
                "ring",
                "size",
                "stability",
                "leader_names",
                "broker_names",
                "places",
                "drugs",
                "seized_kg",
                "first_activity",
                "last_activity",
            ]
        ]
        console.print(
            rich_table(shown.head(20), title=f"{len(table)} rings of 2 or more (largest 20)")
        )
    else:
        sizes = table.groupby("ring").size().rename("people").reset_index()
        console.print(rich_table(sizes.head(20), title=f"{len(sizes)} rings (largest 20)"))
    if out:
        with handle_errors():
            write_table(table, out)
        console.print(f"wrote {len(table)} rows to {out}")


@app.command()
def brokers(
    db: DbOption = None,
    by: Annotated[
        Grouping,
        typer.Option(
            help="Groups to broker between: ring (detected communities), province (home "
            "province) or country (nationality, else the home province's or phones' country)."
        ),
    ] = Grouping.ring,
    top: Annotated[int, typer.Option(min=1, help="Rows to show (and write with --out).")] = 20,
    out: Annotated[
        Path | None, typer.Option(help="Write the brokers table (.csv, .parquet or .json).")
    ] = None,
    algorithm: AlgorithmOption = Algorithm.louvain,
    seed: SeedOption = 0,
    since: Since = None,
    until: Until = None,
) -> None:
    """Rank brokers: Gould-Fernandez roles (coordinator, itinerant, gatekeeper,
    representative, liaison) on the directed ties, participation across groups, and a
    brokerage score; each row explains itself and lists its records.

    Calls run caller -> callee, money transfers payer -> payee, other links both ways.
    --by country surfaces the people who bring Lao-side contacts to Vietnamese ones
    (gatekeepers on the Vietnamese side, representatives on the Lao side).

    Example: netintel brokers --db case.db --by country --top 10 --out gatekeepers.csv
    """
    with handle_errors(), netintel.open(db, read_only=True) as ws:
        table = ws.brokers(
            by.value, top=top, seed=seed, algorithm=algorithm.value, since=since, until=until
        )
    shown = table[
        [
            "person_id",
            "name",
            "group",
            "gatekeeper",
            "representative",
            "liaison",
            "itinerant",
            "coordinator",
            "participation",
            "score",
        ]
    ]
    console.print(rich_table(shown, title=f"Top {len(table)} brokers by {by.value}"))
    if out:
        with handle_errors():
            write_table(table, out)
        console.print(f"wrote {len(table)} rows to {out}")
