"""Exchange: export for neo4j-admin, GraphML, GEXF and FollowTheMoney, import, and analyses
run inside GDS."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

import netintel
from netintel.audit import current_actor
from netintel.cli._app import (
    DbOption,
    Pseudonymise,
    Recipient,
    ResultOut,
    Since,
    Until,
    app,
    console,
    err,
    fail,
    progress_bar,
    window,
    write_out,
)
from netintel.cli.console import show
from netintel.errors import InputError
from netintel.report.disclosure import Disclosure
from netintel.report.outputs import check_output

PANEL = "exchange"  # the heading of these commands in netintel --help
FTM_FORMATS = (".json", ".jsonl")  # FollowTheMoney entities, one a line (case.ftm.json)

EXPORT_FORMATS = ("neo4j-admin", "graphml", "gexf", "ftm")


@app.command(rich_help_panel=PANEL)
def export(
    target: Annotated[
        Path,
        typer.Argument(
            help="Folder (neo4j-admin) or file to write: .graphml, .gexf, or .json/.jsonl "
            "(ftm, e.g. case.ftm.json)."
        ),
    ],
    fmt: Annotated[
        str, typer.Option("--format", help="neo4j-admin, graphml, gexf or ftm (FollowTheMoney).")
    ] = "neo4j-admin",
    db: DbOption = None,
    graph: Annotated[
        str,
        typer.Option(help="graphml/gexf: 'person' (the person-to-person graph) or 'stored'."),
    ] = "person",
    array_delimiter: Annotated[
        str, typer.Option(help="neo4j-admin: character joining list elements.")
    ] = ";",
    database: Annotated[
        str, typer.Option(help="neo4j-admin: database name in the printed import command.")
    ] = "neo4j",
    recipient: Recipient = None,
    pseudonymise: Pseudonymise = False,
    seed: Annotated[int, typer.Option(help="graphml/gexf: seed of the ranking and rings.")] = 0,
) -> None:
    """Export the graph: CSVs for neo4j-admin bulk import, GraphML/GEXF for Gephi, or FollowTheMoney entities for Aleph.

    GraphML and GEXF (version 1.3) carry the analysis: people labelled by name, with rank, score, ring, roles, country and the measures (degree, betweenness, PageRank, ...) as node attributes, relationship kinds in `relationship`/`kinds`, the record ids behind every node and tie in `sources`, and first/last seen dates as time spells (in Gephi: Window > Timeline). --graph stored writes every stored node (attribute `category`: Person, Phone, Seizure, ...) and relationship (`relationship`: CALLED, USES, ...).

    --format ftm writes FollowTheMoney entities, one JSON object a line (load into Aleph with `alephclient write-entities`): Person, Call, Family/Associate/Payment for links, UnknownLink/Ownership for vehicles and accounts, and arrests, seizures and shipments as Event with the people involved; each carries its record ids (recordId, or a `records:` note). Needs the ftm extra.

    An export is a disclosure: it needs --purpose, and what restricted records (handling code C) alone produced is withheld unless --recipient is named too; --pseudonymise replaces names and identifiers with keyed hashes (key in $NETINTEL_PSEUDONYM_KEY; docs/disclosure.md). Examples:

      netintel export --db case.db --purpose "case 12 analysis" --format neo4j-admin export/

      netintel export --db case.db --purpose "case 12 briefing" --format gexf people.gexf

      netintel export --db case.db --purpose "joint op. Mekong" --recipient "Lao police, DSD" --format graphml shared.graphml

      netintel export --db case.db --purpose "partner matching" --pseudonymise --format gexf pseudonymised.gexf

      netintel export --db case.db --purpose "Aleph upload, case 12" --format ftm case.ftm.json
    """
    if fmt not in EXPORT_FORMATS:
        raise fail(f"--format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}", 2)
    if graph not in {"person", "stored"}:
        raise fail(f"--graph {graph!r}: use person or stored", 2)
    from netintel.exchange import (
        annotate_people,
        export_neo4j_admin,
        person_rows,
        stored_graph,
        write_ftm,
        write_graph,
    )

    suffixes = {"neo4j-admin": (), "ftm": FTM_FORMATS}.get(fmt, (f".{fmt}", ".xml"))
    check_output(target, suffixes=suffixes, inputs=[db], folder=fmt == "neo4j-admin")
    with netintel.open(db, read_only=True) as ws:
        actor = current_actor()
        disclosure = Disclosure.for_store(
            ws.store,
            purpose=actor.purpose if actor else None,
            recipient=recipient,
            pseudonymise=pseudonymise,
        )
        if fmt == "neo4j-admin":
            with progress_bar("export") as step:
                result = export_neo4j_admin(
                    ws.store,
                    target,
                    array_delimiter=array_delimiter,
                    database=database,
                    progress=step,
                    disclosure=disclosure,
                )
            nodes = sum(result.counts[label] for label in result.node_files)
            rels = sum(result.counts.values()) - nodes
            console.print(
                f"wrote {nodes:,} nodes and {rels:,} relationships to {target}/ "
                f"({len(result.node_files)} node files, {len(result.relationship_files)} "
                "relationship files); import with:"
            )
            sys.stdout.write(result.command + "\n")
            console.print(f"(also in {target / 'README.md'}; constraints in schema.cypher)")
            _say(disclosure)
            return
        if fmt == "ftm":
            written = write_ftm(ws.store, target, disclosure=disclosure)
            total = sum(written.counts.values())
            console.print(
                f"wrote {total:,} FollowTheMoney entities to {target} ("
                + ", ".join(f"{n:,} {schema}" for schema, n in written.counts.items())
                + ")"
            )
            _say(disclosure)
            return
        if graph == "person":  # the people with what the analysis found on them
            targets = ws.network.rank_targets(seed=seed)
            G = annotate_people(ws.graph(), targets=targets, people=person_rows(ws.store))
        else:
            G = stored_graph(ws.store)
        G = disclosure.graph(G)
        path = write_graph(G, target, fmt)
    console.print(
        f"wrote {G.number_of_nodes():,} nodes and {G.number_of_edges():,} edges to {path}"
    )
    _say(disclosure)


def _say(disclosure: Disclosure) -> None:
    if disclosure.describe():
        err.print(f"[yellow]{disclosure.describe()}[/]", highlight=False)


@app.command(name="import", rich_help_panel=PANEL)
def import_command(
    source: Annotated[Path, typer.Argument(help="Folder of neo4j-admin CSVs.")],
    fmt: Annotated[str, typer.Option("--format", help="neo4j-admin.")] = "neo4j-admin",
    db: DbOption = None,
    array_delimiter: Annotated[
        str | None,
        typer.Option(help="Character joining list elements [default: from manifest.json, else ;]."),
    ] = None,
) -> None:
    """Load a neo4j-admin CSV folder (from netintel export) into a store; idempotent.

    Example: netintel import --format neo4j-admin export/ --db copy.db
    """
    if fmt != "neo4j-admin":
        raise fail(f"--format {fmt!r}: only neo4j-admin folders can be imported", 2)
    if not source.is_dir():
        raise InputError(f"{source}: no such folder (give the folder netintel export wrote)")
    with netintel.open(db) as ws, progress_bar("import") as step:
        summary = ws.records.combine(source, array_delimiter=array_delimiter, progress=step)
        counts = ws.query.stats()
    created, updated = sum(summary.created.values()), sum(summary.updated.values())
    console.print(
        f"imported {source}: {created:,} nodes and relationships created, {updated:,} extended; "
        f"{counts.get('Person', 0):,} people in the store"
    )


@app.command(rich_help_panel=PANEL)
def gds(
    what: Annotated[str, typer.Argument(help="centrality, rings or components.")] = "centrality",
    db: DbOption = None,
    algorithm: Annotated[str, typer.Option(help="rings: louvain or leiden.")] = "louvain",
    seed: Annotated[int, typer.Option(help="Sampling / Leiden seed.")] = 0,
    resolution: Annotated[float, typer.Option(help="rings: Leiden's resolution (gamma).")] = 1.0,
    betweenness_k: Annotated[
        int | None, typer.Option(help="Sampled sources for betweenness (default: exact).")
    ] = None,
    since: Since = None,
    until: Until = None,
    write_back: Annotated[
        bool,
        typer.Option(
            "--write-back",
            help="Also write the results to the Person nodes (netintel_pagerank, ...).",
        ),
    ] = False,
    out: ResultOut = None,
) -> None:
    """Run centrality, rings or components inside Neo4j with Graph Data Science.

    Needs a Neo4j store whose server has the GDS plugin. Examples:

      netintel gds centrality --neo4j bolt://localhost:7687 --write-back

      netintel gds rings --neo4j bolt://localhost:7687 --algorithm leiden --since 2024
    """
    from netintel.store import gds as engine

    if what == "communities":
        err.print("[yellow]netintel gds communities is deprecated: use netintel gds rings[/]")
        what = "rings"
    if what not in {"centrality", "rings", "components"}:
        raise fail(f"{what!r}: use centrality, rings or components", 2)
    w = window(since, until)
    with netintel.open(db, read_only=not write_back) as ws:
        run = {"settings": ws.projection_settings(w), "write_back": write_back}
        if what == "centrality":
            result = engine.centrality(ws.store, betweenness_k=betweenness_k, seed=seed, **run)
        elif what == "rings":
            result = engine.communities(
                ws.store, algorithm=algorithm, seed=seed, resolution=resolution, **run
            )
        else:
            result = engine.components(ws.store, **run)
    show(result, name=what, title=f"GDS {what} ({len(result)} people)", out=out)
    write_out(result, out)
