"""What changed since the last run, and the watchlist: ``changes``, ``watch add|list|remove``,
``alerts`` (:mod:`netintel.workspace.changes`).

Every ``rank`` run is recorded in the database; ``changes`` compares the last two (or chosen
ones). ``ingest`` checks the watchlist against the records it loaded and prints the alerts it
raised.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import pandas as pd
import typer

import netintel
from netintel.cli._app import DbOption, app, console, emit, show
from netintel.cli.console import warn
from netintel.errors import StoreError
from netintel.values import Window

PANEL = "changes"  # the heading of these commands in netintel --help

watch_app = typer.Typer(
    help="The watchlist: people, phones, plates and IDs; an ingest whose new records mention "
    "one raises an alert (netintel alerts).\n\n"
    "Example: netintel watch add --db case.db '+84 94 990 4255'",
    no_args_is_help=True,
)
app.add_typer(watch_app, name="watch", rich_help_panel=PANEL)

CHANGE_SHOWN = ["change", "now", "before", "name", "why", "person_id"]
ALERT_SHOWN = ["kind", "text", "records", "raised_at", "value", "alert_id"]


class Kind(StrEnum):
    person = "person"
    phone = "phone"
    plate = "plate"
    id = "id"


@app.command(rich_help_panel=PANEL)
def changes(
    db: DbOption = None,
    top: Annotated[int, typer.Option(min=1, help="The size of the list compared.")] = 20,
    run: Annotated[
        str | None, typer.Option(help="The later run (default: the latest recorded).")
    ] = None,
    against: Annotated[
        str | None, typer.Option(help="The earlier run (default: the one before --run).")
    ] = None,
    list_runs: Annotated[
        bool, typer.Option("--list", help="List the recorded runs instead.")
    ] = False,
) -> None:
    """Who entered, left, rose or fell in the top of the target list since the last run, and
    why: the records loaded since then that touch each person's ties.

    Every netintel rank run is recorded in the database (when, window, profile, data version,
    the list); this compares the last two, or --run and --against (ids from --list).

    Example: netintel changes --db case.db --top 20
    """
    with netintel.open(db, read_only=True) as ws:
        if list_runs:
            shown = ["ran_at", "command", "people", "time_window", "profile_name", "run_id"]
            show(ws.changes.runs(), name="runs", columns=shown, title="Recorded runs")
            return
        table = ws.changes.compare(run, against=against, top=top)
    a = table.attrs
    if a["shortest"] < top:
        warn(
            f"a run recorded only its top {a['shortest']}: entering and leaving the top {top} "
            "are counted on those"
        )
    console.print(
        f"run {a['run']} against {a['against']}: {a['new_records']} record versions loaded "
        f"in between; top {top}",
        highlight=False,
    )
    emit("runs", {"run": a["run"], "against": a["against"], "new_records": a["new_records"]})
    if table.empty:
        console.print(f"no change in the top {top}")
    for change in ("entered", "left"):
        names = table.loc[table["change"] == change, "name"].tolist()
        if names:
            console.print(f"{change} the top {top}: {', '.join(map(str, names))}", highlight=False)
    emit("changes", table)
    shown = table.rename(columns={"rank_now": "now", "rank_before": "before"})
    show(shown, name=None, columns=CHANGE_SHOWN, title=f"Changes in the top {top}")


@watch_app.command("add")
def watch_add(
    text: Annotated[str, typer.Argument(help="A person (any spelling), phone, plate or ID.")],
    db: DbOption = None,
    kind: Annotated[
        Kind | None,
        typer.Option(
            help="What TEXT is (default: what the graph knows it as, else a phone "
            "for a number, else a person)."
        ),
    ] = None,
) -> None:
    """Watch a person, phone, plate or ID: a later ingest mentioning it raises an alert.

    Example: netintel watch add --db case.db "+84 94 990 4255"
    """
    with netintel.open(db) as ws:
        added = ws.changes.watch(text, kind=kind.value if kind else None)
    row = added.iloc[0]
    console.print(f"watching {row['kind']} {row['value']} ({row['watch_id']})", highlight=False)
    emit("watch", added)


@watch_app.command("list")
def watch_list(db: DbOption = None) -> None:
    """The watchlist.

    Example: netintel watch list --db case.db
    """
    with netintel.open(db, read_only=True) as ws:
        listed = ws.changes.watchlist()
    shown = ["kind", "text", "value", "added_at", "added_by", "watch_id"]
    show(listed, name="watchlist", columns=shown, title=f"{len(listed)} watched")


@watch_app.command("remove")
def watch_remove(
    text: Annotated[str, typer.Argument(help="A watch id, or what was watched.")],
    db: DbOption = None,
) -> None:
    """Stop watching.

    Example: netintel watch remove --db case.db "+84 94 990 4255"
    """
    with netintel.open(db) as ws:
        removed = ws.changes.unwatch(text)
    for row in removed.itertuples():
        console.print(f"no longer watching {row.kind} {row.value} ({row.watch_id})")
    emit("removed", removed)


@app.command(rich_help_panel=PANEL)
def alerts(db: DbOption = None) -> None:
    """The alerts raised by ingests whose new records mention a watched entity, newest first,
    each with the records behind it.

    Example: netintel alerts --db case.db
    """
    with netintel.open(db, read_only=True) as ws:
        found = ws.changes.alerts()
    print_alerts(found, title=f"{len(found)} alerts")


def print_alerts(found: pd.DataFrame, title: str) -> None:
    """Alerts as a table (``--format json``: every column, under ``alerts``)."""
    show(found, name="alerts", columns=ALERT_SHOWN, title=title)


def record_run(
    db: str | None, targets: pd.DataFrame, *, command: str, window: Window, profile: str
) -> None:
    """Record a ranking run in the database (for ``netintel changes``); a store that cannot
    take it (read-only, busy) is a warning, not a failed ranking."""
    try:
        with netintel.open(db) as ws:
            run = ws.changes.record_run(targets, command=command, window=window, profile=profile)
        emit("run", {"run_id": run, "recorded": True})
    except StoreError as e:
        warn(f"this run was not recorded for netintel changes: {e}")


def check_watchlist(ws: netintel.Workspace, since: str) -> pd.DataFrame | None:
    """After an ingest: the alerts raised for watched entities that the records loaded after
    ``since`` mention (None when nothing is watched)."""
    if not ws.changes.watching():
        return None
    return ws.changes.check_alerts(since=since)
