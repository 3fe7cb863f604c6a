"""The dismantle wing: key players, simulated arrest sequences and likely successors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

import netintel
from netintel.cli._app import (
    DbOption,
    Out,
    Seed,
    Since,
    Until,
    app,
    console,
    fail,
    output_file,
    print_explained,
    progress_bar,
    ranked_person,
    show,
    window,
    write_out,
)
from netintel.cli.console import emit, warn

PANEL = "dismantle"  # the heading of these commands in netintel --help

Unweighted = Annotated[
    bool,
    typer.Option(
        "--unweighted", help="Ignore tie strength: every tie counts 1, every path step 1."
    ),
]
DEFAULT_STRATEGIES = ["degree", "betweenness", "pagerank", "ranked", "random"]


def _halved(part: pd.DataFrame) -> str:
    hit = part.loc[part["lcc_fraction"] <= 0.5, "step"]
    return str(int(hit.iloc[0])) if len(hit) else "-"


@app.command(rich_help_panel=PANEL)
def disrupt(
    db: DbOption = None,
    strategy: Annotated[
        list[str] | None,
        typer.Option(
            help="degree, betweenness, pagerank, ranked, random or keyplayer; repeat to "
            "compare [default: degree, betweenness, pagerank, ranked, random]."
        ),
    ] = None,
    recompute: Annotated[
        str, typer.Option(help="sequential (after every arrest) or block (once per block).")
    ] = "sequential",
    block_size: Annotated[int, typer.Option(help="Arrests per block with --recompute block.")] = 1,
    steps: Annotated[int, typer.Option(help="Arrests to simulate per strategy.")] = 20,
    unweighted: Unweighted = False,
    out: Annotated[
        Path | None,
        typer.Option(
            callback=output_file(),
            help="Write every step (.csv, .xlsx, .parquet or .json): strategy, step, removed, "
            "lcc_size, lcc_fraction, components, efficiency, then name, score, evidence.",
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            callback=output_file((".png", ".svg", ".pdf")),
            help="Save the curves as an image (.png, .svg or .pdf).",
        ),
    ] = None,
    seed: Seed = 0,
    since: Since = None,
    until: Until = None,
) -> None:
    """Simulate arrests by strategy and watch the network come apart, step by step.

    After each arrest: the largest connected component (people, and share of the intact
    one), the number of components and global efficiency. Step 0 is the intact network.

    Example: netintel disrupt --db case.db --strategy betweenness --strategy random --steps 10 --out curve.csv --plot curve.png
    """
    strategies = strategy or DEFAULT_STRATEGIES
    w = window(since, until)
    with netintel.open(db, read_only=True) as ws, progress_bar("disrupt") as step:
        step("projecting the person graph and simulating", 0)
        curve = ws.dismantle.disrupt(
            strategies,
            window=w,
            recompute=recompute,
            block_size=block_size,
            steps=steps,
            weighted=not unweighted,
            seed=seed,
        )
    wide = curve.pivot(index="step", columns="strategy", values="lcc_fraction")[
        list(dict.fromkeys(curve["strategy"]))
    ].reset_index()
    emit("curve", curve)
    show(wide, name=None, title="Largest component, as a share of the intact network's", out=out)
    summary = pd.DataFrame(
        [
            {
                "strategy": s,
                "arrests": int(part["step"].max()),
                "lcc left": f"{part['lcc_size'].iloc[-1]} ({part['lcc_fraction'].iloc[-1]:.0%})",
                "components": int(part["components"].iloc[-1]),
                "efficiency left": f"{part['efficiency_fraction'].iloc[-1]:.0%}",
                "arrests to halve lcc": _halved(part),
            }
            for s, part in curve.groupby("strategy", sort=False)
        ]
    )
    show(summary, name="summary", title="After the simulated arrests")
    for s, part in curve.groupby("strategy", sort=False):
        first = ", ".join(
            f"{n} ({p})" for n, p in zip(part["name"][1:4], part["removed"][1:4], strict=True)
        )
        console.print(f"{s}: first arrests {first}", highlight=False)
    a = curve.attrs
    console.print(
        f"{a['people']:,} people, {a['ties']:,} ties, initial largest component {a['initial_lcc']:,};"
        f" {'weighted' if a['weighted'] else 'unweighted'}, recompute {a['recompute']}"
        + (f" (blocks of {a['block_size']})" if a["recompute"] == "block" else "")
        + f", efficiency {a['efficiency']}, seed {a['seed']}",
        highlight=False,
    )
    write_out(curve, out, "steps")
    if plot:
        _save_plot(curve, plot)
        console.print(f"saved the curves to {plot}")


def _save_plot(curve: pd.DataFrame, path: Path) -> None:
    from netintel.errors import AnalysisError
    from netintel.report.plots import plot_disruption

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise AnalysisError("plotting needs matplotlib: pip install 'netintel[notebook]'") from e
    fig = plot_disruption(curve, path, title="Simulated arrests")
    plt.close(fig)


@app.command(rich_help_panel=PANEL)
def keyplayers(
    db: DbOption = None,
    k: Annotated[int, typer.Option("--k", help="How many people to remove together.")] = 5,
    objective: Annotated[
        str,
        typer.Option(
            help="auto, F or fragmentation, DF or distance (distance-weighted fragmentation), "
            "LCC or lcc (largest component left)."
        ),
    ] = "auto",
    unweighted: Unweighted = False,
    out: Out = None,
    seed: Seed = 0,
    since: Since = None,
    until: Until = None,
    bound_time: Annotated[
        float,
        typer.Option(
            help="Seconds for the proven bound on the largest component (critical-node "
            "MILP, HiGHS); 0: none."
        ),
    ] = 5.0,
) -> None:
    """The k people whose arrest fragments the network most (Borgatti's key players).

    Compared with the top k of each single measure (degree, betweenness, PageRank, the
    ranked list) and the first k arrests of sequential degree, betweenness and PageRank
    (recomputed after each arrest); the plan never leaves a larger component than any.

    Then says how far the plan can be from the best possible: "largest component 41; no
    plan of 5 arrests can leave fewer than 35 (proven bound, gap 6)" (gap 0: optimal).

    Example: netintel keyplayers --db case.db --k 5 --out keyplayers.csv
    Example: netintel keyplayers --db case.db --k 5 --objective lcc --bound-time 30
    """
    w = window(since, until)
    with netintel.open(db, read_only=True) as ws, progress_bar("keyplayers") as step:
        step("projecting the person graph and searching", 0)
        plan = ws.dismantle.key_players(
            k, window=w, objective=objective, weighted=not unweighted, seed=seed,
            bound_time=bound_time,
        )  # fmt: skip
    shown = plan.players[
        ["order", "name", "person_id", "degree", "lcc_after", "fragmentation_after",
         "evidence_count"]
    ].rename(columns={"evidence_count": "records"})  # fmt: skip
    emit("key_players", plan.players)
    emit("plan", plan.summary())
    show(shown, name=None, title=f"Key players (k={plan.k})", out=out)
    for row in plan.players.itertuples(index=False):
        console.print(f"{row.order}. {row.name} ({row.person_id}): records {', '.join(map(str, row.evidence[:8]))}"
                      + (" ..." if len(row.evidence) > 8 else ""), highlight=False)  # fmt: skip
    sizes = plan.component_sizes
    console.print(
        f"fragmentation F {plan.fragmentation:.3f}, distance-weighted DF "
        f"{plan.distance_fragmentation:.3f}"
        + (" (sampled)" if plan.distance_fragmentation_sampled else "")
        + f"; largest component left {plan.lcc_size} ({plan.lcc_fraction:.0%} of intact); "
        f"{len(sizes)} components, largest {sizes[:8]}; objective {plan.objective}, "
        f"{plan.method}, seed {plan.seed}; started from {plan.started_from}, "
        f"{plan.improvement} fewer people in the largest component"
        + ("" if plan.method == "exact" or plan.bound is not None else " (heuristic search)"),
        highlight=False,
    )
    if plan.bound is not None:
        console.print(
            f"largest component {plan.lcc_size}; no plan of {plan.k} arrests can leave fewer "
            f"than {plan.bound} (proven bound, gap {plan.gap}"
            + (": optimal)" if plan.gap == 0 else ")"),
            highlight=False,
        )
    comparison = plan.comparison.drop(columns=["people"]).assign(
        names=lambda d: d["names"].map(lambda v: ", ".join(map(str, v)))
    )
    show(comparison, name="comparison", title="Against each single measure and sequential strategy")
    for note in plan.notes:
        warn(note)
    write_out(plan.players, out, "key players")


@app.command(rich_help_panel=PANEL)
def successors(
    remove: Annotated[
        list[str],
        typer.Option(
            help="Someone arrested: a name in any spelling, an alias, a phone, an ID, a "
            "plate or a person id (as netintel find takes them); repeat for several."
        ),
    ],
    db: DbOption = None,
    top: Annotated[int, typer.Option(help="How many likely successors to show.")] = 10,
    unweighted: Unweighted = False,
    out: Out = None,
    seed: Seed = 0,
    since: Since = None,
    until: Until = None,
) -> None:
    """Who is best placed to take over after the given arrests (likely successors).

    Scores rises in betweenness and brokerage once they are gone, and ties to their contacts.

    Examples:

      netintel successors --db case.db --remove P-2252dbd8966e3256d8ab --top 5

      netintel successors --db case.db --remove "le xuan hai" --remove "0912 345 678"
    """
    if not remove:
        raise fail("give at least one --remove ID", 2)
    w = window(since, until)
    with netintel.open(db, read_only=True) as ws:
        heirs = ws.dismantle.successors(
            remove, window=w, top=top, weighted=not unweighted, seed=seed
        )
    shown = heirs[
        ["rank", "name", "person_id", "score", "betweenness_gain", "contacts_inherited",
         "brokerage_gain"]
    ]  # fmt: skip
    print_explained(heirs, shown, "Likely successors", ranked_person, name="successors", out=out)
    write_out(heirs, out, "successors")
