"""What a command prints, for people at a terminal and for cron.

Three global options set how every command speaks (``netintel --quiet ...``,
``netintel --format json ...``, before the command's name):

- ``--format table`` (the default): tables fit the terminal's width: a command names its
  essential columns first, and columns that do not fit at the width of their header's words
  are left out (the line under the table names them); at most a screenful of rows, then a line
  saying how many more there are and where they are (the ``--out`` file, or use ``--out``).
- ``--format json``: the whole result, every row and column, as one JSON object on stdout
  (``{"targets": [...]}``; a command with several results gives each its key) and nothing else
  on stdout; messages and warnings go to stderr.
- ``--quiet``: nothing but errors (exit codes are unchanged).

Long steps show a progress display on stderr with a total and a count (:func:`progress`),
fed by the analyses through :mod:`netintel.progress`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from netintel.progress import reporting

console = Console()
err = Console(stderr=True)
#: Errors only: still printed under --quiet.
errors = Console(stderr=True)

FORMATS = ("table", "json")


@dataclass
class Settings:
    """How the running command prints (set by the global options, per invocation)."""

    quiet: bool = False
    format: str = "table"
    results: dict[str, Any] = field(default_factory=dict)
    #: Applied to every table put in the JSON result: what leaves on stdout follows the
    #: disclosure rules of a written file (set by the command group, :mod:`netintel.cli._app`).
    guard: Callable[[pd.DataFrame], pd.DataFrame] | None = None


_settings = Settings()


def configure(*, quiet: bool = False, format: str = "table") -> None:
    """Set how this invocation prints: called by the ``netintel`` callback before any command.

    >>> configure(format="json"); settings().format
    'json'
    >>> configure(); settings().format
    'table'
    """
    global _settings
    if format not in FORMATS:
        from netintel.errors import InvalidValueError

        raise InvalidValueError(f"--format {format!r}: expected one of {', '.join(FORMATS)}")
    _settings = Settings(quiet=quiet, format=format, guard=_settings.guard)
    console.quiet = quiet or format == "json"
    err.quiet = quiet
    # The width and height of this invocation (a test runner sets COLUMNS per run).
    for c in (console, err, errors):
        c.size = (_env_int("COLUMNS"), _env_int("LINES"))  # type: ignore[assignment]


def _env_int(name: str) -> int | None:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def settings() -> Settings:
    """The running command's :class:`Settings`."""
    return _settings


def json_mode() -> bool:
    """``--format json``: results are collected and printed once, as JSON."""
    return _settings.format == "json"


def say(text: str) -> None:
    """A line for the user on stdout (not under ``--quiet`` or ``--format json``)."""
    console.print(text, highlight=False, soft_wrap=True)


def warn(text: str) -> None:
    """A warning on stderr (not under ``--quiet``)."""
    err.print(f"[yellow]{escape(text)}[/]", highlight=False, soft_wrap=True)


def emit(name: str, value: Any) -> None:
    """Under ``--format json``, put ``value`` (a DataFrame, a dict, a list, a number) in the
    printed result under ``name``; a list under a name already used is extended."""
    if not json_mode():
        return
    if isinstance(value, pd.DataFrame) and _settings.guard is not None:
        value = _settings.guard(value)
    value = _jsonable(value)
    held = _settings.results.get(name)
    if isinstance(held, list) and isinstance(value, list):
        held.extend(value)
    else:
        _settings.results[name] = value


def flush() -> None:
    """Print what :func:`emit` collected as one JSON object (``--format json``), once, when
    the command has succeeded."""
    if json_mode():
        text = json.dumps(_settings.results, ensure_ascii=False, default=str, indent=None)
        console.file.write(text + "\n")
        console.file.flush()
        _settings.results = {}


def _jsonable(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return json.loads(
            value.to_json(
                orient="records", date_format="iso", force_ascii=False, default_handler=str
            )
        )
    if isinstance(value, pd.Series):
        return _jsonable(value.to_frame())
    if isinstance(value, Path):
        return str(value)
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


# -- tables -----------------------------------------------------------------------------------
def screen_rows() -> int:
    """Rows of a table that fit a screen (the terminal's height less room for its frame)."""
    return max(5, console.height - 8)


def show(
    frame: pd.DataFrame,
    *,
    name: str | None,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    rows: int | None = None,
    out: Path | str | None = None,
    lines: int | None = None,
) -> pd.DataFrame:
    """Show a result: a table at the terminal's width, or (``--format json``) all of it.

    Parameters
    ----------
    frame : DataFrame
        The whole result. Under ``--format json`` every row and column of it is printed
        (under ``name``).
    name : str or None
        Its key in the JSON output (``targets``, ``rings``); None: not in it (the caller
        emits the result itself).
    title : str, optional
        The table's title.
    columns : sequence of str, optional
        The columns to show, essential ones first: at a narrow terminal the last are left out
        (named under the table). Default: every column, in order.
    rows : int, optional
        At most this many rows (default :func:`screen_rows`); the rest are counted under the
        table, with where to find them.
    out : path, optional
        The file the whole result is written to (named in that line).
    lines : int, optional
        Terminal lines the table may take (default: the screen's height less three); fewer
        rows are shown when wrapped cells take more.

    Returns
    -------
    DataFrame
        The rows shown (for a command that prints more about each).
    """
    if name is not None:
        emit(name, frame)
    limit = screen_rows() if rows is None else rows
    shown = frame.head(limit)
    if json_mode() or _settings.quiet:
        return shown
    wanted = [c for c in (columns or frame.columns) if c in frame.columns]
    budget = max(8, console.height - 3) if lines is None else lines
    while True:  # as many rows as fit the screen's lines, wrapped cells included
        table, dropped = fit_table(shown[wanted], title=title, width=console.width)
        height = len(console.render_lines(table, console.options, pad=False))
        if height <= budget or len(shown) <= 3:
            break
        shown = shown.head(max(3, min(len(shown) - 1, len(shown) * budget // height)))
    console.print(table)
    notes = []
    if len(frame) > len(shown):
        where = f"in {out}" if out else "(all of them: --out FILE, or --format json)"
        notes.append(f"{len(frame) - len(shown)} more rows {where}")
    if dropped:
        notes.append(f"not shown at this width: {', '.join(map(str, dropped))}")
    for note in notes:
        console.print(escape(note), style="dim", highlight=False)
    return shown


def fit_table(
    frame: pd.DataFrame, *, title: str | None = None, width: int = 80
) -> tuple[Table, list[str]]:
    """A Rich table of ``frame`` that fits ``width``: columns in order while each keeps at
    least the width of its header's longest word (and of short values); the rest are dropped
    and returned.

    >>> frame = pd.DataFrame({"rank": [1], "name": ["Nguyễn Văn Hùng"], "explanation": ["x" * 90]})
    >>> table, dropped = fit_table(frame, width=30)
    >>> [c.header for c in table.columns], dropped
    (['rank', 'name'], ['explanation'])
    """
    cells = {c: [_cell(v) for v in frame[c]] for c in frame.columns}
    kept: list[tuple[Any, int, int]] = []  # column, least width, natural width
    dropped: list[str] = []
    used = 1  # the table's left edge
    for col in frame.columns:
        header = str(col)
        longest = max((len(v) for v in cells[col]), default=0)
        least = max(max(len(w) for w in header.split() or [""]), min(longest, 10))
        if kept and used + least + 3 > width:
            dropped.append(header)
            continue
        kept.append((col, least, min(max(len(header), longest), 60)))
        used += least + 3  # padding either side and a rule
    # What is left of the width goes to the columns that want more, a share at a time.
    widths = [least for _, least, _ in kept]
    spare = width - used
    while spare > 0:
        needy = [i for i, (_, _, natural) in enumerate(kept) if widths[i] < natural]
        if not needy:
            break
        share = max(1, spare // len(needy))
        for i in needy:
            give = min(share, kept[i][2] - widths[i], spare)
            widths[i] += give
            spare -= give
    table = Table(title=title, header_style="bold", title_justify="left")
    for (col, _, _), w in zip(kept, widths, strict=True):
        table.add_column(str(col), overflow="fold", width=w)
    for i in range(len(frame)):
        table.add_row(*(Text(cells[col][i]) for col, _, _ in kept))
    return table, dropped


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.3f}"
    if isinstance(value, list | tuple | set):
        return "; ".join(map(str, value))
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy arrays
        items = value.tolist()
        return "; ".join(map(str, items)) if isinstance(items, list) else str(items)
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    return str(value)


# -- progress ---------------------------------------------------------------------------------
class CountColumn(ProgressColumn):
    """``3/12`` for a step with a total, ``1,204 rows`` for one counting rows, else nothing."""

    def render(self, task: Any) -> Text:
        if task.total is not None:
            return Text(f"{int(task.completed):,}/{int(task.total):,}")
        if task.completed:
            return Text(f"{int(task.completed):,} {task.fields.get('unit', 'rows')}")
        return Text("")


@contextmanager
def progress(label: str) -> Iterator[Any]:
    """A progress display on stderr for the work inside the block (nothing under ``--quiet``
    or when stderr is not a terminal).

    Yields the ``step(description, n)`` callback the ingest and the stores call (``n`` rows
    more); the analyses' steps (:func:`netintel.progress.task`) appear as bars with a total
    and a count.
    """
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=20),
        CountColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=_settings.quiet or not err.is_terminal,
    ) as bar:
        main = bar.add_task(label, total=None)
        bars: dict[str, Any] = {}

        def step(description: str, n: int = 0) -> None:
            bar.update(main, description=f"{label}: {description}", advance=n)

        def report(name: str, done: int, total: int | None) -> None:
            if name not in bars:
                bars[name] = bar.add_task(name, total=total)
            bar.update(bars[name], completed=done, total=total)
            if total is not None and done >= total:
                bar.remove_task(bars.pop(name))

        with reporting(report):
            yield step
