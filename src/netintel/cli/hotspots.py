"""``netintel hotspots``: places where arrests and seizures keep coming back, and destroyed
hotspots that re-form (the time wing: ``ws.time.hotspots``, ``ws.time.reformations``)."""

from __future__ import annotations

from typing import Annotated

import typer

import netintel
from netintel.cli._app import DbOption, app, fail, handle_errors, out_option, write_out
from netintel.cli.console import say, show

PANEL = "time"

HotspotsOut = out_option(
    "the destroyed hotspots and their re-formation (or, with --list, the ranking)"
)


def _destroyed(values: list[str] | None) -> dict[str, str]:
    out = {}
    for value in values or []:
        place, sep, date = value.rpartition("=")
        if not sep or not place.strip() or not date.strip():
            raise fail(f'--destroyed {value!r}: write PLACE=DATE, e.g. "xã Mường Xén=2024-03-01"')
        out[place.strip()] = date.strip()
    return out


@app.command(name="hotspots", rich_help_panel=PANEL)
def hotspots_command(
    db: DbOption = None,
    destroyed: Annotated[
        list[str] | None,
        typer.Option(
            help="PLACE=DATE: a hotspot the analyst knows was destroyed that day (a place id "
            "or a place name in any spelling; repeat for several)."
        ),
    ] = None,
    raid_size: Annotated[
        int,
        typer.Option(
            help="An arrest of at least this many people at a place records its destruction "
            "(0: only --destroyed)."
        ),
    ] = 4,
    within: Annotated[
        str, typer.Option(help="Where new activity counts: place (the same place) or province.")
    ] = "place",
    days: Annotated[int, typer.Option(help="How long after the destruction to watch.")] = 180,
    period: Annotated[str, typer.Option(help="With --list: month, quarter or year.")] = "quarter",
    list_: Annotated[
        bool, typer.Option("--list", help="Rank the places by repeated activity instead.")
    ] = False,
    top: Annotated[int, typer.Option(help="Rows to show.")] = 20,
    out: HotspotsOut = None,
) -> None:
    """Hotspots that re-form: a hotspot destroyed at a date (a raid in the records, or
    --destroyed) is watched, and arrests or seizures there within --days after it are
    flagged as re-formation, with who was there before, who returns and who is new, each
    with their records. Examples:

      netintel hotspots --db case.db

      netintel hotspots --db case.db --destroyed "xã Mường Xén=2024-03-01" --days 90 --out reformed.xlsx

      netintel hotspots --db case.db --list --period year
    """
    marked = _destroyed(destroyed)
    with handle_errors(), netintel.open(db, read_only=True) as ws:
        if list_:
            table = ws.time.hotspots(period=period)
        else:
            table = ws.time.reformations(
                marked, raid_size=raid_size or None, within=within, days=days
            )
    if table.empty:
        say("no hotspots" if list_ else "no destroyed hotspot: give --destroyed PLACE=DATE")
        write_out(table, out, "hotspots")
        return
    if list_:
        shown = table.assign(records=table["records"].map(len))
        columns = [
            "place_name",
            "periods",
            "events",
            "arrests",
            "seizures",
            "people",
            "first_seen",
            "last_seen",
        ]
        title = f"Hotspots: {len(table):,} places with repeated activity (by {period})"
    else:
        shown = table.assign(
            returning=table["returning_names"].map(", ".join),
            new=table["new_names"].map(", ".join),
            records=table["records_after"].map(", ".join),
        )
        columns = [
            "place_name",
            "destroyed_on",
            "reformed",
            "returning",
            "new",
            "first_after",
            "events_after",
            "how",
            "records",
        ]
        n = int(table["reformed"].sum())
        title = f"Destroyed hotspots: {n} of {len(table)} re-formed within {days} days ({within})"
    show(shown, name="hotspots", title=title, columns=columns, rows=top, out=out)
    write_out(table, out, "hotspots")
