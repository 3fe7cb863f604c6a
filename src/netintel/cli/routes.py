"""The routes wing: corridors, border gates and chokepoints from seizures, and a map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

import netintel
from netintel.cli._app import (
    DbOption,
    Out,
    Since,
    Until,
    app,
    console,
    current_recipient,
    fail,
    output_file,
    progress_bar,
    window,
    write_out,
)
from netintel.cli.console import emit, show

PANEL = "routes"  # the heading of these commands in netintel --help

From = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="Origin: a country code or name (LA, Laos) or a province in any spelling.",
        show_default=False,
    ),
]
To = Annotated[
    str | None,
    typer.Option(
        "--to",
        help="Where routes reach (gate province, seizure place or destination): a country or "
        'a province in any spelling ("Nghe An", "nghệ an").',
        show_default=False,
    ),
]
Level = Annotated[str, typer.Option(help="Roll places up to: province, country or district.")]
Merged = Annotated[
    bool,
    typer.Option(
        "--merged", help="Roll pre-2025 Vietnamese provinces up to the 34 after the merger."
    ),
]
Top = Annotated[int, typer.Option(help="How many corridors (and chokepoints of each kind).")]

SHOWN = [
    "rank",
    "corridor",
    "seizures",
    "attributed",
    "kg",
    "kg_by_drug",
    "unweighed",
    "periods",
    "trend",
    "people",
    "rings",
    "channels",
]


def _drugs(value: object) -> str:
    if not isinstance(value, dict):
        return ""
    return "; ".join(f"{drug} {kg:g} kg" for drug, kg in value.items())


def _for_output(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    if "kg_by_drug" in out:
        out["kg_by_drug"] = out["kg_by_drug"].map(_drugs)
    if "path" in out:
        out["path"] = out["path"].map(
            lambda p: " ".join(f"{lon},{lat}" for lon, lat in p) if isinstance(p, list) else ""
        )
    for col in ("first_seen", "last_seen"):
        if col in out:
            out[col] = pd.to_datetime(out[col]).dt.strftime("%Y-%m-%d")
    return out


def _check(level: str, by: str | None = None) -> None:
    from netintel.analysis.routes import LEVELS, RANK_BY

    if level not in LEVELS:
        raise fail(f"--level {level!r}: use one of {', '.join(LEVELS)}", 2)
    if by is not None and by not in RANK_BY:
        raise fail(f"--by {by!r}: use one of {', '.join(RANK_BY)}", 2)


@app.command(rich_help_panel=PANEL)
def routes(
    db: DbOption = None,
    origin: From = None,
    destination: To = None,
    level: Level = "province",
    merged: Merged = False,
    since: Since = None,
    until: Until = None,
    top: Top = 10,
    by: Annotated[
        str, typer.Option(help="Rank corridors by seizures, kg, periods or trend.")
    ] = "seizures",
    people: Annotated[
        int, typer.Option(help="Show the people on this many top corridors (0: none).")
    ] = 1,
    seed: Annotated[int, typer.Option(help="Seed of the ring detection (Louvain).")] = 0,
    out: Out = None,
    geojson: Annotated[
        Path | None,
        typer.Option(
            callback=output_file((".geojson", ".json")),
            help="Write corridors (lines) and gates/provinces (points) as GeoJSON.",
        ),
    ] = None,
    map_path: Annotated[
        Path | None,
        typer.Option(
            "--map",
            callback=output_file((".html",)),
            help="Write an interactive map (HTML, opens offline): the top corridors weighted "
            "by seizures and kg, border gates, seizure places and the people on them; hover a "
            "line for its seizures.",
        ),
    ] = None,
) -> None:
    """Corridors of seizures (origin -> border gate -> seizure place -> destination), ranked,
    with the border gates and provinces they pass through and the people on them.

    A corridor's seizures are counted with the partial records attributed to it (column
    "attributed"); recurrence is the number of quarters with a seizure, trend the slope of
    seizures per quarter. Examples:

      netintel routes --db case.db --from LA --to "Nghe An"

      netintel routes --db case.db --level country --since 2023 --out corridors.csv --geojson routes.geojson

      netintel routes --db case.db --from LA --level district --map routes.html
    """
    _check(level, by)
    places = {"level": level, "merged": merged, "origin": origin, "destination": destination}
    w = window(since, until)
    with netintel.open(db, read_only=True) as ws, progress_bar("routes") as step:
        step("finding rings and ranking corridors", 0)
        table = ws.routes.corridors(**places, window=w, by=by, seed=seed)
        step("chokepoints and the people on the top corridors", 0)
        points = ws.routes.chokepoints(**places, window=w, top=top)
        on_top = (
            ws.routes.corridor_people(**places, window=w, top=people, by=by, seed=seed)
            if people > 0
            else pd.DataFrame(columns=["corridor_rank"])
        )
        ranked = table.head(top)
        if geojson:
            collection = ws.routes.geojson(
                geojson, **places, window=w, top=top, by=by, seed=seed,
                recipient=current_recipient(),
            )  # fmt: skip
        if map_path:
            step("drawing the map", 0)
            ws.routes.map(
                map_path, **places, window=w, top=top, by=by, seed=seed,
                recipient=current_recipient(),
            )  # fmt: skip
    where = " ".join(
        x
        for x in (f"from {origin}" if origin else "", f"to {destination}" if destination else "")
        if x
    )
    if table.empty:
        console.print(f"no corridor matches{' ' + where if where else ''} in these seizures")
    else:
        title = (
            f"Top {len(ranked)} of {len(table)} corridors ({level}{', merged' if merged else ''}"
        )
        title += f"; {where})" if where else ")"
        shown = _for_output(ranked[SHOWN])
        show(shown, name=None, title=title, out=out)
        show(
            points[["kind", "rank", "name", "seizures", "share", "kg_share", "betweenness"]],
            name=None,
            title="Chokepoints: share of route seizures passing through",
        )
        for rank, group in on_top.groupby("corridor_rank", sort=True):
            show(
                group[["name", "roles", "seizures", "ring", "evidence"]],
                name=None,
                title=f"People on corridor {rank}: {group['corridor'].iloc[0]}",
            )
    emit("corridors", _for_output(ranked))
    emit("chokepoints", points)
    emit("people", on_top)
    write_out(_for_output(ranked), out, "corridors")
    if geojson:
        console.print(f"wrote {len(collection['features'])} features to {geojson}")
    if map_path:
        console.print(f"wrote the map of the top {min(top, len(table))} corridors to {map_path}")


@app.command(name="chokepoints", rich_help_panel=PANEL)
def chokepoints_command(
    db: DbOption = None,
    origin: From = None,
    destination: To = None,
    level: Level = "province",
    merged: Merged = False,
    since: Since = None,
    until: Until = None,
    top: Top = 10,
    out: Out = None,
) -> None:
    """Border gates and provinces ranked as chokepoints: the share of route seizures (and kg)
    passing through each, and its betweenness in the place graph.

    Example: netintel chokepoints --db case.db --from LA --out chokepoints.csv
    """
    _check(level)
    w = window(since, until)
    with netintel.open(db, read_only=True) as ws:
        points = ws.routes.chokepoints(
            level=level, merged=merged, origin=origin, destination=destination, window=w, top=top
        )
    emit("chokepoints", points)
    show(points.drop(columns=["id"]), name=None, title="Chokepoints", out=out)
    write_out(points, out, "chokepoints")


def _totals(value: object) -> str:
    if not isinstance(value, dict):
        return ""
    return "; ".join(f"{k} {v:g}" for k, v in value.items())


@app.command(name="money", rich_help_panel=PANEL)
def money_command(db: DbOption = None, out: Out = None) -> None:
    """The money going back along the routes: online payments between the people their
    accounts resolve to, summed by the payer's and the payee's country, cross-border first
    (payments, amounts by currency, methods, payers, payees, dates, records).

    Example: netintel money --db case.db --out money.csv
    """
    with netintel.open(db, read_only=True) as ws:
        table = ws.routes.money()
    if table.empty:
        console.print("no payments between people the accounts resolve to")
        return
    table = table.assign(
        amounts=table["amounts"].map(_totals), methods=table["methods"].map(_totals)
    )
    emit("money", table)
    show(table, name=None, title="Money by country pair (payer -> payee)", out=out)
    write_out(table, out, "money")
