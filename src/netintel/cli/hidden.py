"""The hidden wing: ties the records do not show yet, suggested by a learned model."""

from __future__ import annotations

from typing import Annotated

import typer

import netintel
from netintel.cli._app import (
    DbOption,
    Since,
    Until,
    app,
    console,
    out_option,
    print_explained,
    progress_bar,
    window,
    write_out,
)
from netintel.cli.console import emit, show

PANEL = "hidden"  # the heading of these commands in netintel --help
SuggestionsOut = out_option("the suggestions")


@app.command(name="suggest-links", rich_help_panel=PANEL)
def suggest_links_command(
    db: DbOption = None,
    top: Annotated[int, typer.Option(help="How many suggested ties to show.")] = 20,
    model: Annotated[str, typer.Option(help="logistic or forest.")] = "logistic",
    max_hops: Annotated[
        int, typer.Option(help="Candidates: untied people at most this many ties apart (2 or 3).")
    ] = 2,
    window_days: Annotated[
        int, typer.Option(help="Events in one province this many days apart count as together.")
    ] = 30,
    seed: Annotated[int, typer.Option(help="Seed for hidden ties, negatives, folds.")] = 0,
    out: SuggestionsOut = None,
    since: Since = None,
    until: Until = None,
) -> None:
    """Suggest hidden ties: pairs of people probably tied though no record shows it.

    A model learns from the observed ties (some hidden and found again: its cross-validated
    ROC AUC is printed) over common contacts, Adamic-Adar, resource allocation, Katz, rings,
    shared phone contacts, vehicles, and events in the same place and time. Example:

      netintel suggest-links --db case.db --top 20 --out hidden.csv
    """
    from netintel.analysis.hidden import LinkPredictor

    w = window(since, until)
    predictor = LinkPredictor(model=model, max_hops=max_hops, window_days=window_days, seed=seed)
    with netintel.open(db, read_only=True) as ws, progress_bar("suggest-links") as step:
        step("learning from the observed ties", 0)
        predictor = ws.hidden.link_predictor(window=w, predictor=predictor)
        step("scoring candidate pairs", 0)
        table = predictor.suggest(top=top)
    cv = predictor.cv_
    if len(cv):
        console.print(
            f"hidden-tie test ({predictor.training_.attrs['hidden']} ties hidden, "
            f"{len(cv)} folds): ROC AUC {cv['roc_auc'].mean():.3f} "
            f"(folds {', '.join(f'{x:.2f}' for x in cv['roc_auc'])}), average precision "
            f"{cv['average_precision'].mean():.3f}; {table.attrs['candidates']:,} candidate pairs "
            f"scored; Katz {table.attrs['katz']}"
        )
    emit("cross_validation", cv)
    show(predictor.importances_, name="importances", title=f"What the model reads ({model})")
    shown = table[
        ["rank", "name_a", "name_b", "probability", "common_neighbours", "evidence_count"]
    ].rename(columns={"common_neighbours": "common", "evidence_count": "records"})
    print_explained(
        table,
        shown,
        f"Top {len(table)} suggested ties",
        lambda row: (
            f"[bold]{row.rank}. {row.name_a} - {row.name_b}[/] "
            f"({row.person_id_a}, {row.person_id_b})"
        ),
        name="suggestions",
        out=out,
    )
    write_out(table, out, "suggestions")
