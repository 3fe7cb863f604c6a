"""Who and why, on every command; ``netintel audit show|verify|export``.

Every command takes ``--user`` (else ``$NETINTEL_USER``, else the OS user) and ``--purpose``,
before or after its name (``netintel --purpose "case 12 briefing" rank ...`` or
``netintel rank --purpose "case 12 briefing" ...``), and ``--csv-encoding`` after it (the
CSVs it writes: ``utf-8-sig``, the default, or ``utf-8``; ``$NETINTEL_CSV_ENCODING`` for
every command). The workspace the command opens records
its consultations, collections and alterations as that user (:mod:`netintel.audit`), and every
file the command writes from the case (:data:`OUTPUTS`) is recorded as a disclosure, with its
SHA-256 and the ``--recipient`` where the command has one. A command that would write such a
file refuses to start without ``--purpose``.
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
import time
import typing
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from netintel.audit import (
    ACTIONS,
    Actor,
    AuditError,
    AuditLog,
    acting,
    audit_log,
    default_user,
    verify_file,
)
from netintel.audit.files import FileLog
from netintel.cli._app import DbOption, app, console, err
from netintel.cli.console import FORMATS, configure, emit
from netintel.cli.console import show as show_table
from netintel.outputs import using_csv_encoding

PANEL = "audit"  # the heading of these commands in netintel --help

#: The options of each command that name files it writes from the case: each is a disclosure.
#: (``routes --geojson`` is recorded by the workspace call that writes it, ws.routes.geojson.)
OUTPUTS: dict[str, tuple[str, ...]] = {
    "rank": ("out",), "rings": ("out",), "communities": ("out",), "brokers": ("out",),
    "keyplayers": ("out",), "disrupt": ("out", "plot"), "successors": ("out",),
    "routes": ("out",), "chokepoints": ("out",), "timeline": ("out",),
    "suggest-links": ("out",), "query": ("out",), "cypher": ("out",), "export": ("target",),
    "gds": ("out",), "resolve": ("out", "review"), "demo": ("out",),
}  # fmt: skip
#: Commands that work on no case (synthetic records, the evaluation): nothing to record.
UNRECORDED = {"generate", "evaluate", "audit"}
#: The purpose of the quick start's disclosure when none is given (its records are synthetic).
DEMO_PURPOSE = "demo on synthetic records"
CsvEncodingOption = Annotated[
    str | None,
    typer.Option(
        "--csv-encoding",
        help="CSV files the command writes: utf-8-sig (UTF-8 with a byte-order mark, so Excel "
        "shows accents) or utf-8 (plain); default: $NETINTEL_CSV_ENCODING, else utf-8-sig.",
        show_default=False,
    ),
]

UserOption = Annotated[
    str | None,
    typer.Option(
        "--user",
        help="Who is acting, for the audit log (default: $NETINTEL_USER, else the OS user).",
    ),
]
PurposeOption = Annotated[
    str | None,
    typer.Option(
        "--purpose",
        help="Why, for the audit log; required by every command that writes a file from the "
        "case (a disclosure).",
    ),
]


RecipientOption = Annotated[
    str | None,
    typer.Option(
        "--recipient",
        help="Who receives the files the command writes (an agency, a unit, a court); with "
        "--purpose, restricted material (handling code C) is disclosed to them, and the audit "
        "log records both.",
    ),
]


QuietOption = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="Print nothing but errors (for cron; exit codes unchanged)."
    ),
]
Format = StrEnum("Format", {f: f for f in FORMATS})  # table, json
FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        help="table: readable at the terminal's width, a screenful of rows; json: the whole "
        "result as one JSON object on stdout, nothing else there "
        "(netintel --format json rank --db case.db | jq '.targets[0].name').",
    ),
]


@app.callback()
def who(
    ctx: typer.Context,
    user: UserOption = None,
    purpose: PurposeOption = None,
    recipient: RecipientOption = None,
    quiet: QuietOption = False,
    format: FormatOption = Format.table,
) -> None:
    configure(quiet=quiet, format=format.value)
    ctx.obj = {"user": user, "purpose": purpose, "recipient": recipient}


# -- recording every command ------------------------------------------------------------------
def record(name: str, callback: Any) -> Any:
    """``callback`` taking ``--user`` and ``--purpose`` too, and recording the files it writes."""
    signature = inspect.signature(callback)
    extra = [
        inspect.Parameter("netintel_ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context),
        inspect.Parameter("netintel_user", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=UserOption),
        inspect.Parameter("netintel_purpose", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=PurposeOption),
        inspect.Parameter("netintel_csv_encoding", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=CsvEncodingOption),
    ]  # fmt: skip
    if "recipient" not in signature.parameters:  # export declares its own
        extra.append(inspect.Parameter("netintel_recipient", inspect.Parameter.KEYWORD_ONLY,
                                       default=None, annotation=RecipientOption))  # fmt: skip
    hints = typing.get_type_hints(callback, include_extras=True)
    params = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints.get(p.name, p.annotation))
        for p in signature.parameters.values()
    ]

    @functools.wraps(callback)
    def run(
        *, netintel_ctx: typer.Context, netintel_user: str | None, netintel_purpose: str | None,
        netintel_recipient: str | None = None, netintel_csv_encoding: str | None = None,
        **options: Any,
    ) -> Any:  # fmt: skip
        given = (netintel_ctx.find_root().obj or {}) if netintel_ctx.parent else {}
        recipient = options.get("recipient") or netintel_recipient or given.get("recipient")
        user = netintel_user or given.get("user") or default_user()
        purpose = netintel_purpose or given.get("purpose")
        if name == "demo":
            purpose = purpose or DEMO_PURPOSE
        outputs = [(k, options[k]) for k in OUTPUTS.get(name, ()) if options.get(k) is not None]
        if outputs and not (purpose and purpose.strip()):
            option, path = outputs[0]
            raise AuditError(
                f"netintel {name} --{option.replace('_', '-')} {path}: writing a file from the "
                "case is a disclosure and needs --purpose TEXT (why, for the audit log)"
            )
        started = time.time()
        actor = Actor(user, purpose, f"netintel {name}")
        with acting(actor), using_csv_encoding(netintel_csv_encoding):
            result = callback(**options)
            if outputs:
                _disclose(actor, name, {**options, "recipient": recipient}, outputs, started)
        return result

    run.__signature__ = signature.replace(parameters=params + extra)  # type: ignore[attr-defined]
    run.__annotations__ = {**hints, **{p.name: p.annotation for p in extra}}
    return run


def _disclose(
    actor: Actor, name: str, options: dict[str, Any], outputs: list, started: float
) -> None:
    """One disclosure entry per file written (and per sibling it wrote beside it)."""
    location = options.get("db")
    if name == "demo":
        location = Path(options["out"]) / "netintel.db"
    log, close = open_log(location)
    try:
        recipient = options.get("recipient")
        parameters = {k: v for k, v in options.items() if k != "recipient"}
        for option, path in outputs:
            path = Path(path)
            if name == "demo":
                path = path / "targets.csv"
            for written in [path, *_siblings(path, started)]:
                if written.exists():
                    log.append(
                        "disclosure", user=actor.user, command=actor.command or name,
                        parameters={**parameters, "option": option}, purpose=actor.purpose,
                        recipient=recipient, output=written,
                    )  # fmt: skip
    finally:
        close()


def _siblings(path: Path, started: float) -> list[Path]:
    """Files written beside ``path`` by the same command (``t-rising.csv`` beside ``t.csv``)."""
    if path.is_dir() or not path.parent.is_dir():
        return []
    found = path.parent.glob(f"{path.stem}-*{path.suffix}")
    return sorted(p for p in found if p.is_file() and p.stat().st_mtime >= started - 1)


def open_log(location: str | Path | None) -> tuple[AuditLog, Any]:
    """The audit log of the store at ``location`` and what closes it: an embedded database's
    log is opened without opening the database; a Neo4j store is connected to."""
    from netintel.store import default_location
    from netintel.store.neo4j import is_neo4j_uri

    location = str(location or default_location())
    if is_neo4j_uri(location):
        from netintel.store.neo4j import Neo4jStore

        store = Neo4jStore(location, read_only=True)
        return audit_log(store), store.close
    return AuditLog(FileLog(location)), lambda: None


def record_all(typer_app: typer.Typer, prefix: str = "") -> None:
    """Make every command of ``typer_app`` (and its groups) take ``--user``/``--purpose`` and
    record its disclosures (:func:`record`); called once, when every command is registered."""
    for info in typer_app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        if (prefix + name).split()[0] in UNRECORDED or getattr(info.callback, "recorded", False):
            continue
        info.callback = record(prefix + name, info.callback)
        info.callback.recorded = True  # type: ignore[attr-defined]
    for group in typer_app.registered_groups:
        if group.name and group.name not in UNRECORDED:
            record_all(group.typer_instance, f"{prefix}{group.name} ")


# -- netintel audit ---------------------------------------------------------------------------
audit_app = typer.Typer(
    help="The audit log: every access to the case, who, when, what and why. "
    "Example: netintel audit verify --db case.db"
)
app.add_typer(audit_app, name="audit", rich_help_panel=PANEL)

Action = Annotated[
    str | None, typer.Option(help=f"Only this action: {', '.join(ACTIONS)}.", show_default=False)
]


@audit_app.command("show")
def show(
    db: DbOption = None,
    user: Annotated[str | None, typer.Option("--by", help="Only this user's entries.")] = None,
    action: Action = None,
    since: Annotated[
        str | None, typer.Option(help="Only entries on or after this date or time (UTC, ISO).")
    ] = None,
    last: Annotated[int, typer.Option(min=1, help="Show the last N entries.")] = 50,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the entries as JSON lines, in full.")
    ] = False,
) -> None:
    """Show the audit log, newest last.

    Examples:

      netintel audit show --db case.db --action disclosure

      netintel audit show --db case.db --by ana --since 2026-12-01
    """
    log, close = open_log(db)
    try:
        table = log.table(user=user, action=action, since=since)
    finally:
        close()
    if as_json:
        for row in table.tail(last).to_dict("records"):
            row["parameters"] = json.loads(row["parameters"])
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    shown = table[["seq", "time", "user", "action", "command", "record_count", "output",
                   "purpose", "recipient", "outcome"]].tail(last)  # fmt: skip
    shown = shown.assign(time=shown["time"].str.slice(0, 19)).rename(
        columns={"record_count": "records"}
    )
    emit("entries", table.tail(last))
    shown = shown.astype(object).where(shown.notna(), None)
    show_table(shown, name=None, title=f"{len(table)} audit entries", rows=len(shown))


@audit_app.command("verify")
def verify(
    db: DbOption = None,
    expect: Annotated[
        str | None,
        typer.Option(help="A hash noted earlier (from this command): it must still be in the log."),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Verify an exported copy (netintel audit export) instead."),
    ] = None,
) -> None:
    """Recompute the hash chain; exit 1 naming the first bad entry if any was edited,
    inserted, removed or reordered, or the log ends before its head record.

    Prints the last seq and hash: note them elsewhere and check later with --expect.

    Examples:

      netintel audit verify --db case.db

      netintel audit verify --db case.db --expect 3f1c...e9
    """
    if file is not None:
        result = verify_file(file, expect)
    else:
        log, close = open_log(db)
        try:
            result = log.verify(expect)
        finally:
            close()
    if not result.ok:
        raise AuditError(str(result))
    console.print(str(result), highlight=False, soft_wrap=True)


@audit_app.command("export")
def export_log(
    out: Annotated[Path, typer.Option(help="JSON-lines file to write the log to.")],
    db: DbOption = None,
) -> None:
    """Copy the audit log, as stored, to a JSON-lines file anyone can verify
    (netintel audit verify --file FILE).

    Example: netintel audit export --db case.db --out audit-2026-12.jsonl
    """
    log, close = open_log(db)
    try:
        n = log.export(out)
    finally:
        close()
    err.print(f"wrote {n} audit entries to {out}")
