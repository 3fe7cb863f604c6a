"""Finding people and following their ties: ``find``, ``path`` and ``neighbourhood``.

Every command that takes a person (these, ``successors --remove``) accepts what ``find``
accepts: a name in any spelling or word order, part of a name, an alias, a phone in any
format, a national ID, a passport, a plate or a person id (:mod:`netintel.resolve.find`).
"""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer
from rich.markup import escape

import netintel
from netintel.cli._app import (
    DbOption,
    Out,
    Since,
    Until,
    app,
    console,
    emit,
    err,
    show,
    window,
    write_out,
)

PANEL = "network"  # the heading of these commands in netintel --help

Person = Annotated[
    str,
    typer.Argument(
        help="A name in any spelling or word order, part of a name, an alias, a phone in any "
        "format, a national ID, passport, plate or person id."
    ),
]


def _joined(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` with list columns as comma-separated text, for the terminal."""
    out = frame.copy()
    for col in columns:
        out[col] = [", ".join(map(str, v)) for v in out[col]]
    return out


@app.command(rich_help_panel=PANEL)
def find(
    text: Annotated[
        str,
        typer.Argument(
            help="A name (any spelling, any word order, or part of it), an alias, a phone in "
            "any format, a national ID, passport, plate or person id."
        ),
    ],
    db: DbOption = None,
    top: Annotated[int, typer.Option(help="How many people to list.")] = 10,
    out: Out = None,
) -> None:
    """Find people by name in any spelling, alias, phone, ID, passport, plate or person id.

    Lists the resolved people best first, with the score, the field that matched, and every
    spelling, phone and ID their records give.

    Examples:

      netintel find "le xuan hai" --db case.db

      netintel find "0912 345 678" --db case.db

      netintel find Syphet --db case.db --top 5
    """
    with netintel.open(db, read_only=True) as ws:
        found = ws.find(text, top=top)
    if found.empty:
        err.print(f"nobody matches {escape(repr(text))}", highlight=False)
    shown = _joined(found, ["variants", "phones", "national_ids", "passports", "plates"])
    show(
        shown[["name", "person_id", "score", "matched", "value", "variants", "phones",
               "national_ids", "passports", "plates"]],
        name=None, title=f"People matching {text!r}", out=out,
    )  # fmt: skip
    emit("people", found)
    write_out(found, out, "people")


@app.command(rich_help_panel=PANEL)
def path(
    a: Person,
    b: Person,
    db: DbOption = None,
    k: Annotated[int, typer.Option("--k", help="How many paths: the shortest and k-1 more.")] = 3,
    out: Out = None,
    since: Since = None,
    until: Until = None,
) -> None:
    """How two people are tied, as evidence: the shortest chain of ties by evidence
    distance, and the alternatives, every step a sentence naming its records.

    A name several people share stands for each of them (the shortest path to each is shown).

    Examples:

      netintel path "Le Xuan Hai" "Syphet" --db case.db

      netintel path P-6e2537892b99ae1f8ad5 "+856 20 2894 2294" --db case.db --k 1 --out path.csv
    """
    w = window(since, until)
    with netintel.open(db, read_only=True) as ws:
        found = ws.path(a, b, k=k, window=w)
    for note in found.notes:
        err.print(f"[yellow]{escape(note)}[/]", highlight=False)
    emit("steps", found.steps)
    emit("sentences", found.sentences)
    for number, steps in found.steps.groupby("path", sort=True):
        who = " -> ".join([steps["from_name"].iloc[0], *steps["to_name"]])
        distance = steps["path_distance"].iloc[0]
        console.print(
            f"[bold]{number}. {escape(who)}[/] [dim](evidence distance {distance:.3f})[/]",
            highlight=False,
        )
        for i, sentence in enumerate(steps["sentence"]):
            console.print(f"   {'  ' if i == 0 else '->'} {escape(sentence)}", highlight=False)
    write_out(found.steps, out, "steps")


@app.command(rich_help_panel=PANEL)
def neighbourhood(
    person: Person,
    db: DbOption = None,
    hops: Annotated[int, typer.Option(help="How many ties away (1: direct contacts).")] = 1,
    out: Out = None,
    since: Since = None,
    until: Until = None,
) -> None:
    """The people within some ties of a person, each tie in words with its records.

    Examples:

      netintel neighbourhood "le xuan hai" --db case.db

      netintel neighbourhood "0912 345 678" --db case.db --hops 2 --out around.csv
    """
    w = window(since, until)
    with netintel.open(db, read_only=True) as ws:
        around = ws.neighbourhood(person, hops=hops, window=w)
    emit("people", around.people)
    emit("ties", around.ties)
    name = around.people.loc[0, "name"]
    show(
        around.ties[["from_name", "to_name", "hops", "kind", "sentence"]],
        name=None, title=f"{len(around.people) - 1} people within {hops} of {name}", out=out,
    )  # fmt: skip
    write_out(around.ties, out, "ties")
