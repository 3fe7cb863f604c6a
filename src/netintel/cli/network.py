"""The network wing: the ranked target list, rings and brokers over the person graph."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

import netintel
from netintel.cli._app import (
    DbOption,
    Engine,
    Since,
    Until,
    app,
    console,
    emit,
    err,
    existing_files,
    out_option,
    output_file,
    print_explained,
    progress_bar,
    ranked_person,
    show,
    window,
    write_out,
)
from netintel.cli.changes import record_run
from netintel.report.disclosure import Disclosure

if TYPE_CHECKING:
    from netintel.analysis.network import LearnedRanker

PANEL = "network"  # the heading of these commands in netintel --help


class Algorithm(StrEnum):
    louvain = "louvain"
    leiden = "leiden"


class Grouping(StrEnum):
    ring = "ring"
    province = "province"
    country = "country"


AlgorithmOption = Annotated[
    Algorithm,
    typer.Option(
        "--algorithm",
        help="Ring detection: louvain, or leiden (needs the optional package leidenalg: "
        "pip install leidenalg).",
    ),
]
SeedOption = Annotated[int, typer.Option(help="Seed of the ring detection.")]
ListOut = out_option("the list")
RingsOut = out_option("person -> ring, or with --profiles one row per ring")
BrokersOut = out_option("the brokers table")


TARGET_COLUMNS = ["rank", "name", "score", "ring", "roles", "seizure_kg", "evidence_count"]


def print_targets(targets: pd.DataFrame, title: str, out: Path | None = None) -> None:
    """The ranked table (a screenful), then the first targets' explanations in full; under
    ``--format json`` every target with every column (``{"targets": [...]}``)."""
    shown = targets[[c for c in TARGET_COLUMNS if c in targets]].rename(
        columns={"seizure_kg": "seized kg", "evidence_count": "records"}
    )
    print_explained(targets, shown, title, ranked_person, name="targets", out=out)


@app.command(rich_help_panel=PANEL)
def rank(
    db: DbOption = None,
    top: Annotated[int, typer.Option(help="How many targets to keep.")] = 20,
    out: ListOut = None,
    profile: Annotated[str, typer.Option(help="Ranking profile name or YAML path.")] = "default",
    seed: Annotated[int, typer.Option(help="Seed for sampled betweenness and Louvain.")] = 0,
    engine: Engine = "auto",
    betweenness_k: Annotated[
        int | None, typer.Option(help="Sample size for betweenness on large graphs.")
    ] = None,
    since: Since = None,
    until: Until = None,
    labels: Annotated[
        Path | None,
        typer.Option(
            callback=existing_files,
            help="Confirmed roles (columns person_id or national_id, and label: 1/0 or a role; "
            "organizer, leader and financier count as 1): rank by a model trained on them.",
        ),
    ] = None,
    folds: Annotated[
        int,
        typer.Option(
            help="With --labels: folds of the stratified cross-validation (each class needs "
            "at least this many labels; 4 positives allow 4 folds)."
        ),
    ] = 5,
) -> None:
    """Rank the people who matter, each with an explanation and the evidence behind it.

    Example: netintel rank --db case.db --top 25 --out targets.csv

    With --labels confirmed.csv the score is the probability a model trained on those
    confirmed roles gives (retrained on every run; its cross-validated scores are printed,
    with the model, the default and every single measure scored on the same held-out folds,
    and a verdict: whether the model beats them, or to use the default).
    """
    w = window(since, until)
    options = {
        "top": top,
        "window": w,
        "profile": profile,
        "seed": seed,
        "engine": engine,
        "betweenness_k": betweenness_k,
    }
    with netintel.open(db, read_only=True) as ws, progress_bar("rank") as step:
        step("projecting the person graph", 0)
        if labels is not None:
            ranker = ws.network.learned_ranking(labels, folds=folds, **options)
            print_learned(ranker, labels)
            targets = ranker.ranking_
        else:
            targets = ws.network.rank_targets(**options)
        targets = Disclosure.for_store(ws.store).annotate(targets)  # evidence gradings
    print_targets(targets, f"Top {len(targets)} targets", out)
    write_out(targets, out, "targets")
    record_run(db, targets, command="rank", window=w, profile=str(labels or profile))


@app.command(rich_help_panel=PANEL)
def rings(
    db: DbOption = None,
    out: RingsOut = None,
    algorithm: AlgorithmOption = Algorithm.louvain,
    seed: SeedOption = 0,
    resolution: Annotated[
        float, typer.Option(help="Modularity resolution (>1: smaller rings).")
    ] = 1.0,
    profiles: Annotated[
        bool,
        typer.Option(
            "--profiles",
            help="Profile each ring: size, leaders, brokers, places, countries, drugs, "
            "seized kg, first and last activity, stability across reseeded runs.",
        ),
    ] = False,
    runs: Annotated[
        int, typer.Option(help="Reseeded runs behind each ring's stability (--profiles).")
    ] = 10,
    engine: Engine = "auto",
    since: Since = None,
    until: Until = None,
) -> None:
    """Find rings (Louvain or Leiden communities) in the person graph.

    Example: netintel rings --db case.db --algorithm leiden --profiles --out rings.csv
    """
    w = window(since, until)
    options = {"algorithm": algorithm.value, "seed": seed, "resolution": resolution}
    with netintel.open(db, read_only=True) as ws:
        if profiles:
            table = ws.network.ring_profiles(window=w, runs=runs, engine=engine, **options)
        else:
            table = ws.network.rings(window=w, engine=engine, **options)
    if profiles:
        shown = table[
            [
                "ring",
                "size",
                "stability",
                "leader_names",
                "broker_names",
                "places",
                "drugs",
                "seized_kg",
                "first_activity",
                "last_activity",
            ]
        ]
        show(shown, name=None, title=f"{len(table)} rings of 2 or more", out=out)
    else:
        sizes = table.groupby("ring").size().rename("people").reset_index()
        show(sizes, name=None, title=f"{len(sizes)} rings", out=out)
    emit("rings", table)
    write_out(table, out)


@app.command(hidden=True, rich_help_panel=PANEL)
def communities(
    db: DbOption = None,
    out: Annotated[Path | None, typer.Option(callback=output_file())] = None,
    algorithm: AlgorithmOption = Algorithm.louvain,
    seed: SeedOption = 0,
    resolution: Annotated[float, typer.Option()] = 1.0,
    profiles: Annotated[bool, typer.Option("--profiles")] = False,
    runs: Annotated[int, typer.Option()] = 10,
    engine: Engine = "auto",
    since: Since = None,
    until: Until = None,
) -> None:
    """Deprecated: netintel rings (same options); goes in the next release."""
    err.print("[yellow]netintel communities is deprecated: use netintel rings[/]")
    rings(db, out, algorithm, seed, resolution, profiles, runs, engine, since, until)


@app.command(rich_help_panel=PANEL)
def brokers(
    db: DbOption = None,
    by: Annotated[
        Grouping,
        typer.Option(
            help="Groups to broker between: ring (detected communities), province (home "
            "province) or country (nationality, else the home province's or phones' country)."
        ),
    ] = Grouping.ring,
    top: Annotated[int, typer.Option(min=1, help="Rows to show (and write with --out).")] = 20,
    out: BrokersOut = None,
    algorithm: AlgorithmOption = Algorithm.louvain,
    seed: SeedOption = 0,
    since: Since = None,
    until: Until = None,
) -> None:
    """Rank brokers: Gould-Fernandez roles (coordinator, itinerant, gatekeeper,
    representative, liaison) on the directed ties, participation across groups, and a
    brokerage score; each row explains itself and lists its records.

    Calls run caller -> callee, money transfers payer -> payee, other links both ways.
    --by country surfaces the people who bring Lao-side contacts to Vietnamese ones
    (gatekeepers on the Vietnamese side, representatives on the Lao side).

    Example: netintel brokers --db case.db --by country --top 10 --out gatekeepers.csv
    """
    w = window(since, until)
    with netintel.open(db, read_only=True) as ws:
        table = ws.network.brokers(
            by.value, top=top, window=w, seed=seed, algorithm=algorithm.value
        )
    shown = table[
        [
            "name",
            "score",
            "group",
            "gatekeeper",
            "representative",
            "liaison",
            "itinerant",
            "coordinator",
            "participation",
            "person_id",
        ]
    ]
    show(shown, name=None, title=f"Top {len(table)} brokers by {by.value}", out=out)
    emit("brokers", table)
    write_out(table, out)


def print_learned(ranker: LearnedRanker, labels: Path) -> None:
    """The cross-validation and importances of a learned ranking (``rank --labels``)."""
    cv = ranker.cv_
    a = ranker.ranking_.attrs
    console.print(
        f"learned ranking from {labels}: {a['labels']} labels ({a['positives']} positive), "
        f"{len(cv)}-fold stratified cross-validation: ROC AUC {cv['roc_auc'].mean():.3f}, "
        f"average precision {cv['average_precision'].mean():.3f}"
    )
    show(cv, name="cross_validation", title="Cross-validation per fold")
    if len(ranker.comparison_):
        c = ranker.comparison_.attrs
        show(
            ranker.comparison_,
            name="comparison",
            rows=len(ranker.comparison_),  # every contender, a short table
            title=f"Held-out labels, {c['folds']} folds x {c['repeats']} repeats: the model "
            "against the default and every single measure (mean and sd over folds)",
        )
    console.print(ranker.verdict_)
    show(
        ranker.importances_,
        name="importances",
        title="Feature importances (standardised coefficients; drop in average "
        "precision when shuffled)",
    )
