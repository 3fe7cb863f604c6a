"""Time and hidden ties: timelines per period, rising actors, suggested links."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

import netintel
from netintel.cli._app import (
    DbOption,
    Since,
    Until,
    app,
    console,
    handle_errors,
    progress_bar,
    rich_table,
)
from netintel.report import write_table

Out = Annotated[
    Path | None,
    typer.Option(
        help="Write the tables (.csv, .parquet or .json); timeline writes three files, "
        "FILE, FILE-rising and FILE-replacements."
    ),
]


def _with_suffix(path: Path, part: str) -> Path:
    return path.with_name(f"{path.stem}-{part}{path.suffix}")


@app.command(name="timeline")
def timeline_command(
    db: DbOption = None,
    period: Annotated[str, typer.Option(help="month, quarter or year.")] = "quarter",
    top: Annotated[int, typer.Option(help="People per period (and rises per period).")] = 10,
    measure: Annotated[
        str,
        typer.Option(
            help="score (the composite target score) or a measure: degree, strength, "
            "betweenness, pagerank, eigenvector, kcore."
        ),
    ] = "score",
    leader_top: Annotated[
        int, typer.Option(help="An arrested person ranked this high counts as a leader.")
    ] = 5,
    seed: Annotated[int, typer.Option(help="Seed for Louvain and sampled betweenness.")] = 0,
    engine: Annotated[str, typer.Option(help="auto, networkx or igraph.")] = "auto",
    out: Out = None,
    since: Since = None,
    until: Until = None,
) -> None:
    """Rank people per period; show who is rising and who replaced arrested leaders.

    Each period is ranked on its own evidence. Needs dated records (networks loaded from
    adjacency matrices have none). Example:

      netintel timeline --db case.db --period quarter --top 10 --since 2023 --out timeline.csv
    """
    with (
        handle_errors(),
        netintel.open(db, read_only=True) as ws,
        progress_bar("timeline") as step,
    ):
        step(f"ranking each {period}", 0)
        result = ws.timeline(
            period=period,
            measure=measure,
            top=top,
            leader_top=leader_top,
            seed=seed,
            engine=engine,
            since=since,
            until=until,
        )
    table = result.timeline
    if table.empty:
        console.print("no activity in the chosen window")
    else:
        leaders = table[table["rank"] <= min(top, 3)]
        wide = leaders.pivot(index="period", columns="rank", values="name")
        wide.columns = [f"#{c}" for c in wide.columns]
        console.print(rich_table(wide.reset_index(), title=f"Top people per {period} ({measure})"))
    if not result.rising.empty:
        rising = result.rising.sort_values(
            ["score_rise", "period", "person_id"], ascending=[False, True, True]
        ).head(top)
        console.print(
            rich_table(
                rising[["period", "name", "previous_rank", "rank", "score_rise"]],
                title="Rising actors (largest score rises)",
            )
        )
        for row in rising.itertuples(index=False):
            console.print(f"[bold]{row.name}[/] ({row.period}): {row.explanation}", highlight=False)
    first = result.replacements[result.replacements["candidate"] == 1]
    if first.empty:
        console.print("no arrested leader was replaced in this window")
    else:
        console.print(
            rich_table(
                first[["arrest_period", "arrested_name", "arrested_rank", "name", "rank_after"]],
                title="Who replaced arrested leaders (successor = largest rise in their ring)",
            )
        )
        for row in first.itertuples(index=False):
            console.print(f"[bold]{row.name}[/]: {row.explanation}", highlight=False)
    if out:
        with handle_errors():
            write_table(result.timeline, out)
            write_table(result.rising, _with_suffix(out, "rising"))
            write_table(result.replacements, _with_suffix(out, "replacements"))
        console.print(
            f"wrote {out}, {_with_suffix(out, 'rising')} and {_with_suffix(out, 'replacements')}"
        )


@app.command(name="suggest-links")
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
    out: Annotated[
        Path | None, typer.Option(help="Write the suggestions (.csv, .parquet or .json).")
    ] = None,
    since: Since = None,
    until: Until = None,
) -> None:
    """Suggest hidden ties: pairs of people probably tied though no record shows it.

    A model learns from the observed ties (some hidden and found again: its cross-validated
    ROC AUC is printed) over common contacts, Adamic-Adar, resource allocation, Katz, rings,
    shared phone contacts, vehicles, and events in the same place and time. Example:

      netintel suggest-links --db case.db --top 20 --out hidden.csv
    """
    with (
        handle_errors(),
        netintel.open(db, read_only=True) as ws,
        progress_bar("suggest-links") as step,
    ):
        step("learning from the observed ties", 0)
        predictor = ws.link_predictor(
            seed=seed,
            since=since,
            until=until,
            model=model,
            max_hops=max_hops,
            window_days=window_days,
        )
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
    console.print(
        rich_table(
            predictor.importances_,
            title=f"What the model reads ({model})",
        )
    )
    shown = table[
        ["rank", "name_a", "name_b", "probability", "common_neighbours", "evidence_count"]
    ].rename(columns={"common_neighbours": "common", "evidence_count": "records"})
    console.print(rich_table(shown, title=f"Top {len(table)} suggested ties"))
    for row in table.itertuples(index=False):
        console.print(
            f"[bold]{row.rank}. {row.name_a} - {row.name_b}[/] "
            f"({row.person_id_a}, {row.person_id_b}): {row.explanation}",
            highlight=False,
        )
    if out:
        with handle_errors():
            write_table(table, out)
        console.print(f"wrote {len(table)} suggestions to {out}")


def print_learned(ranker: Any, labels: Path) -> None:
    """The cross-validation and importances of a learned ranking (``rank --labels``)."""
    cv = ranker.cv_
    a = ranker.ranking_.attrs
    console.print(
        f"learned ranking from {labels}: {a['labels']} labels ({a['positives']} positive), "
        f"{len(cv)}-fold stratified cross-validation: ROC AUC {cv['roc_auc'].mean():.3f}, "
        f"average precision {cv['average_precision'].mean():.3f}"
    )
    console.print(rich_table(cv, title="Cross-validation per fold"))
    console.print(
        rich_table(
            ranker.importances_,
            title="Feature importances (standardised coefficients; drop in average "
            "precision when shuffled)",
        )
    )
