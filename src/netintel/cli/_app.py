"""What every ``netintel`` command shares: the Typer app, consoles, options and error handling."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from netintel.errors import NetIntelError

app = typer.Typer(
    name="netintel",
    help="Link analysis for drug-trafficking investigations: load seizure, arrest, "
    "communication and link records into a graph, and rank the people who hold the network "
    "together, with the evidence behind each.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        "--neo4j",
        help="Embedded database path, or a Neo4j URI (bolt://host:7687, neo4j+s://…) "
        "(default: $NETINTEL_NEO4J_URI, else $NETINTEL_DB, else ./netintel.db).",
    ),
]
Since = Annotated[
    str | None,
    typer.Option(
        help="Only evidence on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).",
        show_default=False,
    ),
]
Until = Annotated[
    str | None,
    typer.Option(
        help="Only evidence on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).",
        show_default=False,
    ),
]
Engine = Annotated[
    str,
    typer.Option(
        help="auto, networkx, igraph, or gds (inside Neo4j Graph Data Science); auto uses GDS "
        "on a Neo4j server that has it, else the fastest in-process engine."
    ),
]
Files = Annotated[list[Path] | None, typer.Option(exists=True, dir_okay=False)]


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


@contextmanager
def handle_errors() -> Iterator[None]:
    """Turn netintel errors into a message and a non-zero exit code."""
    try:
        yield
    except NetIntelError as e:
        raise fail(str(e)) from None


@contextmanager
def progress_bar(label: str) -> Iterator:
    """A Rich progress display; yields a ``progress(step, n)`` callback."""
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(label, total=None)

        def step(description: str, n: int) -> None:
            bar.update(task, description=f"{label}: {description}", advance=n)

        yield step


def rich_table(frame: pd.DataFrame, title: str | None = None, max_width: int = 60) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    for col in frame.columns:
        table.add_column(str(col), overflow="fold", max_width=max_width)
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    return table


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list | tuple):
        return "; ".join(map(str, value))
    return "" if value is None else str(value)


def parse_param(text: str) -> tuple[str, object]:
    if "=" not in text:
        raise fail(f"--param {text!r}: expected NAME=VALUE", 2)
    name, raw = text.split("=", 1)
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    return name.strip(), value
