"""What every ``netintel`` command shares: the Typer app, consoles, options and error handling.

Every error a user can cause is a :class:`~netintel.errors.NetIntelError`; the command group
(:class:`Commands`) turns any that a command raises into one line on stderr (``error: ...``)
and exit code 1, never a traceback. ``--since`` / ``--until`` become one
:class:`~netintel.values.Window` at the edge (:func:`window`), before any store is opened.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from netintel.cli import console as _console
from netintel.cli.console import console, emit, err, errors, show
from netintel.errors import InputError, InvalidValueError, NetIntelError
from netintel.report import write_table
from netintel.report.disclosure import EVIDENCE, PERSON_IDS, Disclosure
from netintel.report.outputs import check_output
from netintel.report.tables import FORMATS
from netintel.values import Window
from netintel.workspace import as_window


class Commands(TyperGroup):
    """The ``netintel`` command group: a :class:`NetIntelError` from any command (its options,
    its work, its output) is printed as one line, with exit code 1."""

    def invoke(self, ctx: typer.Context) -> object:
        with handle_errors():
            _COMMAND.set(None)  # set again by the command's --db or output option
            _console.settings().guard = _disclosed
            result = super().invoke(ctx)
            _console.flush()  # --format json: the whole result, once the command succeeded
            return result


app = typer.Typer(
    cls=Commands,
    name="netintel",
    help="Link analysis for drug-trafficking investigations: load seizure, arrest, "
    "communication and link records into a graph, and rank the people who hold the network "
    "together, with the evidence behind each.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _command_store(ctx: typer.Context, value: str | None) -> str | None:
    """Option callback of ``--db``: remember the command, whose parameters name the store
    that :func:`current_disclosure` reads."""
    _COMMAND.set(ctx)
    return value


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        "--neo4j",
        callback=_command_store,
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
Seed = Annotated[int, typer.Option(help="Seed for random orders and sampled measures.")]


#: The command whose output option was last checked (its parameters name the store).
_COMMAND: contextvars.ContextVar[typer.Context | None] = contextvars.ContextVar(
    "netintel_command", default=None
)


def given_paths(ctx: typer.Context) -> list[Path]:
    """The files a command was given so far (``--db`` and every path option): an output may
    be none of them."""
    found: list[Path] = []
    for name, value in ctx.params.items():
        for v in value if isinstance(value, list | tuple) else [value]:
            if isinstance(v, Path) or (name == "db" and isinstance(v, str) and "://" not in v):
                found.append(Path(v))
    return found


def output_file(
    suffixes: tuple[str, ...] = FORMATS, *, folder: bool = False
) -> Callable[..., Path | None]:
    """Option callback: the output path is checked before the command runs
    (:func:`~netintel.report.outputs.check_output`): an :class:`OutputError` naming it, before
    anything is computed or any database changed."""

    def check(ctx: typer.Context, value: Path | None) -> Path | None:
        if value is not None:
            _COMMAND.set(ctx)  # what current_disclosure reads when the file is written
            check_output(value, suffixes=suffixes, inputs=given_paths(ctx), folder=folder)
        return value

    return check


def out_option(what: str, suffixes: tuple[str, ...] = FORMATS) -> Any:
    """The ``--out`` option of a command that writes ``what`` as a table (:func:`write_out`);
    the path is checked before the command runs (:func:`output_file`)."""
    return Annotated[
        Path | None,
        typer.Option(
            callback=output_file(suffixes),
            help=f"Write {what} ({', '.join(suffixes)}).",
        ),
    ]


Out = out_option("the table")
ResultOut = out_option("the result")
Engine = Annotated[
    str,
    typer.Option(
        help="auto, networkx, igraph, or gds (inside Neo4j Graph Data Science); auto uses GDS "
        "on a Neo4j server that has it, else the fastest in-process engine."
    ),
]


def existing_files(value: Path | list[Path] | None) -> Path | list[Path] | None:
    """Option callback: every path given must be a file (an :class:`InputError` naming it)."""
    for path in value if isinstance(value, list) else [value]:
        if path is not None and not path.is_file():
            why = "a folder, not a file" if path.is_dir() else "no such file"
            raise InputError(f"{path}: {why}")
    return value


Files = Annotated[list[Path] | None, typer.Option(callback=existing_files)]
InputFile = Annotated[Path | None, typer.Option(callback=existing_files)]


def window(since: str | None, until: str | None) -> Window:
    """``--since`` and ``--until`` as one :class:`~netintel.values.Window`.

    Raises
    ------
    InvalidValueError
        Naming the option: a bound that is not a date, ``--since`` after ``--until``, or a
        ``--since`` after today.

    >>> str(window("2023", None)), str(window(None, None))
    ('since 2023', 'all dates')
    """
    try:
        return as_window((since, until))
    except InvalidValueError as e:
        raise InvalidValueError(f"--since/--until: {e}") from None


def fail(message: str, code: int = 1) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def handle_errors() -> Iterator[None]:
    """Turn netintel errors into one line on stderr and exit code 1 (see :class:`Commands`,
    which wraps every command in it)."""
    try:
        yield
    except NetIntelError as e:
        raise fail(str(e)) from None


@contextmanager
def progress_bar(label: str) -> Iterator:
    """A progress display on stderr (:func:`netintel.cli.console.progress`); yields a
    ``progress(step, n)`` callback, and shows the analyses' steps with a total and a count."""
    with _console.progress(label) as step:
        yield step


def write_out(table: pd.DataFrame, out: Path | None, what: str = "rows") -> None:
    """With ``--out``: write ``table`` there (:func:`~netintel.report.write_table`) and say so.

    What restricted records (handling ``C``) alone produced is withheld from the file unless
    the command named ``--purpose`` and ``--recipient``
    (:class:`~netintel.report.disclosure.Disclosure`); the line printed says how much."""
    if out:
        table = disclose(table)
        write_table(table, out)
        console.print(f"wrote {len(table)} {what} to {out}")
        emit("files", [{"path": str(out), "rows": len(table), "what": what}])


def disclose(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` as it may leave the running command (a file, or stdout under ``--format
    json``: a cron job's redirected output is a file all the same), by its
    :func:`current_disclosure`; says on stderr what was withheld."""
    disclosure = current_disclosure()
    if disclosure is None:
        return table
    shown = disclosure.table(table)
    if disclosure.describe():
        err.print(f"[yellow]{escape(disclosure.describe())}[/]", highlight=False)
    return shown


def _disclosed(table: pd.DataFrame) -> pd.DataFrame:
    """The ``--format json`` guard: :func:`disclose` for a table naming records or people in
    a command that names its store."""
    if not set(table.columns) & {*EVIDENCE, *PERSON_IDS} or _COMMAND.get() is None:
        return table
    return disclose(table)


def current_disclosure() -> Disclosure | None:
    """The disclosure of the running command: restricted records of its ``--db``, released
    with ``--purpose`` and ``--recipient``; None when its store holds no restricted record."""
    from netintel.audit import current_actor
    from netintel.store import open as open_store

    ctx = _COMMAND.get()
    params = ctx.params if ctx is not None else {}
    actor = current_actor()
    with open_store(params.get("db"), read_only=True) as store:
        disclosure = Disclosure.for_store(
            store,
            purpose=actor.purpose if actor else None,
            recipient=current_recipient(),
            pseudonymise=bool(params.get("pseudonymise")),
        )
    return disclosure if disclosure.restricted or disclosure.key is not None else None


def current_recipient() -> str | None:
    """The ``--recipient`` of the running command (its own option, else the global one)."""
    ctx = _COMMAND.get()
    if ctx is None:
        return None
    return (
        ctx.params.get("recipient")
        or ctx.params.get("netintel_recipient")
        or (ctx.find_root().obj or {}).get("recipient")
    )


Recipient = Annotated[
    str | None,
    typer.Option(
        "--recipient",
        help="Who receives the file (an agency, a unit, a court); with --purpose, restricted "
        "material (handling code C) is disclosed to them, and the audit log records both.",
    ),
]
Pseudonymise = Annotated[
    bool,
    typer.Option(
        "--pseudonymise",
        help="Replace names and identifiers with keyed hashes (key in $NETINTEL_PSEUDONYM_KEY; "
        "the same key gives the same pseudonyms in every export).",
    ),
]


#: Explanations printed under a ranked table (the rest are in --out and --format json).
EXPLAINED = 3


def print_explained(
    table: pd.DataFrame,
    shown: pd.DataFrame,
    title: str,
    heading: Callable[[Any], str],
    *,
    name: str = "rows",
    out: Path | None = None,
) -> None:
    """``shown`` (the columns to show, essential first) as a table under ``title``, then the
    ``explanation`` of its first rows after their ``heading(row)``; under ``--format json``
    the whole ``table`` (explanations and evidence included) under ``name``."""
    emit(name, table)
    first = table.head(EXPLAINED)
    texts = [f"{heading(row)}: {escape(str(row.explanation))}" for row in first.itertuples()]
    heights = [len(console.render_lines(t, pad=False)) for t in texts]
    room = 0  # explanations take at most a third of the screen, the table the rest
    while heights and room + heights[0] <= max(6, (console.height - 4) // 3):
        room += heights.pop(0)
    texts = texts[: len(texts) - len(heights)]
    rows = show(shown, name=None, title=title, out=out, lines=max(8, console.height - 4 - room))
    first = first.head(min(len(rows), len(texts)))
    for text in texts[: len(first)]:
        console.print(text, highlight=False)
    if len(table) > len(first):
        where = f"in {out}" if out else "with --out FILE or --format json"
        console.print(
            f"explanations of all {len(table)} {escape(where)}", style="dim", highlight=False
        )


def ranked_person(row: Any) -> str:
    """The heading of a ranked person's explanation: ``rank. name (person_id)``."""
    return f"[bold]{row.rank}. {row.name}[/] ({row.person_id})"


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
