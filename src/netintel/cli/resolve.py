"""Entity resolution: resolve people, and apply review decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import netintel
from netintel.cli._app import DbOption, app, console, err, handle_errors, progress_bar, rich_table
from netintel.report import write_table

review_app = typer.Typer(
    help="The review queue of entity resolution: apply decisions, split wrong merges.",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")


@app.command()
def resolve(
    db: DbOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write one row per input record: record_id, person_id, node_id, "
            "match_probability, rule (.csv, .parquet or .json)."
        ),
    ] = None,
    review: Annotated[
        Path | None,
        typer.Option(
            help="Write the review queue here: pairs to decide, with a blank `decision` "
            "column to fill with accept or reject."
        ),
    ] = None,
    settings: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Resolution settings YAML [default: graph_schema/resolution.yaml].",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the model's random sampling.")] = 0,
) -> None:
    """Resolve people: group the record-level Person nodes into resolved people.

    Deterministic keys first (national ID, passport, phone + name, plate + name, full name),
    then a probabilistic model estimated from the data (Splink, DuckDB). Re-running gives
    the same result; reviewer decisions in the database are honoured. Examples:

      netintel resolve --db case.db --out resolved.csv --review queue.csv

      netintel review apply queue.csv --db case.db      (after filling in `decision`)
    """
    with handle_errors(), netintel.open(db) as ws, progress_bar("resolve") as step:
        step("reading people", 0)
        result = ws.resolve(settings=settings, seed=seed)
        if out is not None:
            write_table(result.records(), out)
        if review is not None:
            write_table(result.review, review)
    merged = result.links["decided_by"].value_counts().to_dict() if len(result.links) else {}
    console.print(
        f"{len(result.assignments):,} record-level people -> {result.n_people:,} people; "
        f"merges by rule {merged.get('rule', 0):,}, by model {merged.get('model', 0):,}, "
        f"by reviewers {merged.get('reviewer', 0):,}; {len(result.review):,} pair(s) to review"
        + ("" if result.model.trained else " (model not trained by EM: too little data)")
    )
    if len(result.review):
        shown = result.review.head(10)[
            ["left_name", "right_name", "match_probability", "reason", "agreed"]
        ]
        console.print(rich_table(shown, title="Most likely pairs to review"))
    for path, what in ((out, "records"), (review, "review queue")):
        if path is not None:
            err.print(f"{what} written to {path}")


@review_app.command("apply")
def review_apply(
    decisions: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help="The review queue with `decision` filled in (accept / reject), or any "
            "table with left_id, right_id, decision (.csv, .parquet, .json).",
        ),
    ],
    db: DbOption = None,
) -> None:
    """Record review decisions in the database and re-resolve.

    Accepted pairs are merged and rejected pairs kept apart on every later run; a later
    decision on a pair replaces an earlier one. Rows with a blank decision are skipped.
    Example:

      netintel review apply queue.csv --db case.db
    """
    with handle_errors(), netintel.open(db) as ws:
        counts = ws.review_apply(decisions)
        people = ws.people()
    console.print(
        f"{counts['accepted']:,} accepted, {counts['rejected']:,} rejected; "
        f"{people['resolved_id'].nunique():,} people after re-resolving"
    )


@review_app.command("split")
def review_split(
    person_id: Annotated[
        str, typer.Argument(help="The Person node (record-level id, e.g. P-…) to take out.")
    ],
    db: DbOption = None,
) -> None:
    """Split a wrong merge: take one record-level Person out of the person it was merged into.

    Records a reviewer rejection between it and each other member, then re-resolves; the
    rest of the group stays together if its own evidence holds. Example:

      netintel review split P-3f2a9c0d1e --db case.db
    """
    with handle_errors(), netintel.open(db) as ws:
        decisions = ws.split_person(person_id)
    console.print(f"{person_id} kept apart from {len(decisions):,} record-level people")
