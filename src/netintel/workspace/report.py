"""The case report gathered from a workspace: ``ws.report("case.html")``.

Each section of the report comes from one function of this module (``_records``,
``_targets``, ``_rings``, ``_network``, ``_dismantle``, ``_routes``, ``_chronology``,
``_hidden``, ``_changes``, ``_methods``), each calling the wings as a user would and turning
their tables into the parts of :mod:`netintel.report.case`. A picture whose drawing function
is not part of this netintel, or an analysis the data cannot support (routes without
places), leaves its section saying so in plain words.

**Scope.** ``window`` keeps the evidence of one time window (as every analysis does);
``place`` (a province, in any spelling the gazetteer knows) narrows the report to the people
of that province -- whose home, arrests or seized drugs are there -- with the ties among them
and their direct contacts: targets and rings are ranked on the whole network and those of
the province kept (their rank says where they stand in the whole network), key players and
disruption are computed on the province's network, corridors are those through it.

**Disclosure.** The report is a disclosure (:mod:`netintel.report.disclosure`): what
restricted records (handling code ``C``) alone produced is withheld unless the workspace's
purpose and a ``recipient`` are given; ``pseudonymise`` replaces names and identifiers by
keyed hashes (free text, such as explanations, is then left out).
"""

from __future__ import annotations

from importlib import util
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from netintel.errors import AnalysisError, InputError
from netintel.progress import task
from netintel.report.case import (
    Card,
    CaseReport,
    Facts,
    Picture,
    Section,
    Table,
    Text,
    as_list,
    cell,
    figure_svg,
    flatten,
)
from netintel.report.disclosure import Disclosure
from netintel.values import Window
from netintel.workspace.report_basis import (
    STRATEGIES,
    ReportOptions,
    _Case,
    methods_section,
    records_section,
)
from netintel.workspace.window import as_window

if TYPE_CHECKING:
    from netintel.workspace import Workspace

__all__ = ["HTML", "SECTIONS", "ReportOptions", "case_report", "run_history", "write_report"]

#: The suffixes of the report's HTML file.
HTML = (".html", ".htm")

#: The sections of a case report, in order: (id, title).
SECTIONS = (
    ("summary", "Scope and summary"),
    ("records", "Records loaded and reconciled"),
    ("targets", "Ranked targets and their evidence"),
    ("rings", "Rings"),
    ("network", "The top of the network"),
    ("dismantle", "Key players and disruption"),
    ("routes", "Corridors and chokepoints"),
    ("chronology", "Chronology"),
    ("hidden", "Hidden-tie leads"),
    ("changes", "What changed since the last run"),
    ("methods", "Methods, data and software versions"),
)


def case_report(ws: Workspace, options: ReportOptions | None = None, **given: Any) -> CaseReport:
    """Gather a :class:`~netintel.report.case.CaseReport` from ``ws`` (``ws.report`` writes it).

    Parameters
    ----------
    ws : Workspace
    options : ReportOptions, optional
        Or its fields as keywords: ``place``, ``window``, ``title``, ``top`` (targets
        listed), ``evidence_top`` (targets shown with their records), ``k`` (key players),
        ``steps`` (disruption), ``seed``, ``profile``, ``algorithm``, ``runs`` (reseeded
        ring runs), ``leads`` (hidden ties), ``recipient``, ``pseudonymise``.

    Raises
    ------
    InputError
        If ``place`` names no province of the gazetteer.

    Examples
    --------
    >>> report = case_report(ws, place="Điện Biên", top=3, evidence_top=1, runs=2, steps=3)
    >>> report.title, report.section("targets").parts[1].columns[:2]
    ('Case report: Điện Biên', ['rank', 'name'])
    >>> report.section("targets").parts[2].heading.startswith(
    ...     report.section("targets").parts[1].rows[0][0] + ". ")
    True
    """
    from netintel.values.places import find_province

    opts = options or ReportOptions(**given)
    window = as_window(opts.window)
    province = None
    if opts.place:
        province = find_province(opts.place)
        if province is None:
            raise InputError(
                f"place {opts.place!r}: no province of that name in the gazetteer "
                "(graph_schema/gazetteer.yaml; Vietnamese and Lao provinces, any spelling)"
            )
    disclosure = Disclosure.for_store(
        ws.store, purpose=ws.purpose, recipient=opts.recipient, pseudonymise=opts.pseudonymise
    )
    case = _Case(ws, opts, window, province, disclosure, ws.graph(window=window))
    if province is not None:
        case.people = _people_of(ws, province.name, window)
        near = set(case.people)
        for p in case.people:
            if p in case.graph:
                near.update(case.graph.neighbors(p))
        case.focus = case.graph.subgraph(near).copy()
    else:
        case.focus = case.graph
    builders = {
        "summary": None, "records": records_section, "targets": _targets, "rings": _rings,
        "network": _network, "dismantle": _dismantle, "routes": _routes,
        "chronology": _chronology, "hidden": _hidden, "changes": _changes, "methods": methods_section,
    }  # fmt: skip
    sections = {}
    with task("report sections", total=len(SECTIONS) - 1) as step:
        for id_, title in SECTIONS:
            builder = builders[id_]
            if builder is None:
                continue
            try:
                sections[id_] = builder(case, id_, title)
            except AnalysisError as e:  # what the data cannot support, said plainly
                sections[id_] = Section.unavailable(id_, title, str(e))
            step.advance()
    sections["summary"] = _summary(case, sections)
    scope = province.name if province is not None else "the whole case"
    report = CaseReport(
        opts.title or f"Case report: {scope}",
        subtitle=f"{scope}; evidence {window}; for {ws.purpose or '(no purpose given)'}",
        sections=[sections[i] for i, _ in SECTIONS],
        disclosure=disclosure.describe(),
        classification=_classification(case),
        evidence=pd.DataFrame({"record_id": sorted(case.shown)}),
    )
    return report


# -- scope ----------------------------------------------------------------------------------
def _people_of(ws: Workspace, province: str, window: Window) -> set[str]:
    """Resolved people whose home province, arrests or linked seizures are in ``province``."""
    from netintel.project.directed import person_activity

    places = ws.network.person_places()
    people = set(places.loc[places["province"] == province, "person_id"].astype(str))
    activity = person_activity(ws.store, ws.tables())
    inside = window.contains(activity["date"]) & window.contains(activity["seizure_date"])
    there = (activity["province"] == province) | (activity["seizure_province"] == province)
    people.update(activity.loc[inside & there, "person_id"].astype(str))
    return people


def _in_place(case: _Case, frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The rows of ``frame`` naming one of the place's people in any of ``columns``."""
    if case.people is None:
        return frame
    keep = pd.Series(False, index=frame.index)
    for col in columns:
        keep |= frame[col].map(
            lambda v: bool(set(map(str, as_list(v) or [v])) & case.people)  # type: ignore[operator]
        )
    return frame[keep]


def _classification(case: _Case) -> str:
    d = case.disclosure
    parts = ["RESTRICTED: law-enforcement sensitive"]
    if d.restricted and d.released:
        parts.append(f"contains handling-code C material released to {case.options.recipient}")
    elif d.restricted:
        parts.append("handling-code C material withheld")
    if d.key is not None:
        parts.append("names and identifiers pseudonymised")
    return "; ".join(parts)


def _summary(case: _Case, sections: dict[str, Section]) -> Section:
    ws, o = case.ws, case.options
    G = case.focus if case.focus is not None else case.graph
    facts = [
        ("Scope", case.province.name if case.province is not None else "the whole case"),
        ("Evidence window", str(case.window)),
        ("People in the network", f"{G.number_of_nodes():,} ({G.number_of_edges():,} ties)"),
        ("Built by", ws.user),
        ("Purpose", ws.purpose or ""),
        ("Recipient", o.recipient or "(none named)"),
        ("Store", repr(ws.store)),
    ]
    t = case.targets
    if t is not None and len(t):
        facts.append(("Top target", f"{t.iloc[0]['name']} ({t.iloc[0]['person_id']})"))
    lines = [
        Text(
            "This report gathers what netintel found in the case's records, each finding "
            "with the records behind it (record id, file and row), and the methods, settings "
            "and versions that produced it, so that every result can be checked and defended."
        ),
        Facts(facts),
    ]
    missing = [s.title for s in sections.values() if s.missing]
    if missing:
        lines.append(Text("Not available in this report: " + "; ".join(missing) + "."))
    return Section("summary", "Scope and summary", lines)


# -- targets --------------------------------------------------------------------------------
def _targets(case: _Case, id_: str, title: str) -> Section:
    ws, o = case.ws, case.options
    ranked = ws.network.rank_targets(window=case.window, profile=o.profile, seed=o.seed)
    case.ranking = ranked
    ranked = _in_place(case, ranked, "person_id")
    ranked = case.disclosure.annotate(ranked)
    case.targets = case.release(ranked)
    shown = case.targets.head(o.top)
    parts: list[Any] = [
        Text(
            f"{len(ranked):,} people ranked by the profile {o.profile!r} (see Methods); the "
            f"first {len(shown)} are listed, the first {min(o.evidence_top, len(shown))} with "
            "their explanation and every record behind them."
            + (" Rank is the place in the whole network." if case.people is not None else "")
        ),
        Table.from_frame(
            shown,
            {
                "rank": "rank",
                "name": "name",
                "person_id": "person id",
                "score": "score",
                "ring": "ring",
                "roles": "roles recorded",
                "seizure_kg": "seized kg",
                "evidence_count": "records",
                "channels": "channels",
                "handling": "handling",
            },
            caption="Ranked targets",
        ),
    ]
    top = shown.head(o.evidence_top)
    ids = flatten(top["evidence"]) if len(top) else []
    found = ws.records.records(ids) if ids else pd.DataFrame()
    by_source = {str(r["source_id"]): r for r in found.to_dict("records")} if len(found) else {}
    columns = ("record_id", "kind", "dataset", "row", "grading", "version", "loaded_at")
    for row in top.to_dict("records"):
        evidence = [by_source.get(str(s), {"record_id": s}) for s in as_list(row["evidence"])]
        frame = pd.DataFrame(evidence).reindex(columns=list(columns))
        card = Card(
            f"{row['rank']}. {row['name']} ({row['person_id']})",
            [row["explanation"]] if "explanation" in row else [],
            [("score", cell(row["score"])), ("ring", cell(row.get("ring"))),
             ("roles recorded", cell(row.get("roles"))),
             ("seized kg", cell(row.get("seizure_kg"))),
             ("evidence graded", cell(row.get("gradings")) or "ungraded")],
            Table.from_frame(
                frame,
                {"record_id": "record id", "kind": "kind", "dataset": "file", "row": "row",
                 "grading": "grading", "version": "version", "loaded_at": "loaded"},
                caption=f"The {len(frame)} records behind this target",
            ),
        )  # fmt: skip
        parts.append(card)
    return Section(id_, title, parts)


# -- rings ----------------------------------------------------------------------------------
def _rings(case: _Case, id_: str, title: str) -> Section:
    o = case.options
    profiles = case.ws.network.ring_profiles(
        window=case.window, algorithm=o.algorithm, seed=o.seed, runs=o.runs
    )
    profiles = _in_place(case, profiles, "leaders", "brokers") if case.people else profiles
    shown = case.release(profiles)
    return Section(id_, title, [
        Text(
            f"{len(shown)} rings of two or more people ({o.algorithm}, seed {o.seed}); "
            f"stability is the agreement of {o.runs} reseeded runs with these rings (1: every "
            "run found the same ring). Leaders are the ring's highest ranked people, brokers "
            "those who tie it to other rings."
        ),
        Table.from_frame(
            shown,
            {"ring": "ring", "size": "size", "stability": "stability",
             "leader_names": "leaders", "broker_names": "brokers", "places": "places",
             "countries": "countries", "drugs": "drugs", "seizures": "seizures",
             "seized_kg": "seized kg", "first_activity": "first", "last_activity": "last",
             "channels": "channels"},
            caption="Ring profiles",
        ),
    ])  # fmt: skip


# -- the network picture --------------------------------------------------------------------
def _function(module: str, name: str) -> Any | None:
    """``module.name`` when this netintel has it, else None."""
    if util.find_spec(module) is None:
        return None
    return getattr(__import__(module, fromlist=[name]), name, None)


def _network(case: _Case, id_: str, title: str) -> Section:
    draw = _function("netintel.report.view", "network_figure")
    if draw is None:
        return Section.unavailable(
            id_, title, "this netintel has no network picture "
            "(netintel.report.view.network_figure is not installed)."
        )  # fmt: skip
    G = case.disclosure.graph(case.focus if case.focus is not None else case.graph)
    nodes = case.targets if case.targets is not None else pd.DataFrame()
    people = max(2 * case.options.top, 30)
    figure = draw(G, nodes, top=people, seed=case.options.seed)
    return Section(id_, title, [
        Picture(figure_svg(figure),
                f"The {people} highest ranked people and the ties among them; "
                "size by score, colour by ring."),
    ])  # fmt: skip


# -- dismantling ----------------------------------------------------------------------------
def _dismantle(case: _Case, id_: str, title: str) -> Section:
    from netintel.analysis.dismantle import key_players, simulate_disruption
    from netintel.report.plots import plot_disruption

    o = case.options
    G = case.focus if case.focus is not None else case.graph
    if G.number_of_nodes() < 3:
        raise AnalysisError(f"the network in scope has {G.number_of_nodes()} people: too few")
    k = min(o.k, G.number_of_nodes() - 1)
    plan = key_players(G, k, seed=o.seed)
    curve = simulate_disruption(
        G, strategies=list(STRATEGIES), steps=min(o.steps, G.number_of_nodes() - 1),
        seed=o.seed, plans={"key-player plan": list(plan.players["person_id"])},
    )  # fmt: skip
    players = case.release(plan.players)
    comparison = case.release(plan.comparison)
    parts: list[Any] = [
        Text(
            f"The {k} people whose arrest together fragments the network most (Borgatti's "
            f"KPP-Neg, objective {plan.objective}; {plan.method}). Started from "
            f"{plan.started_from}, improved by {plan.improvement} people. After these "
            f"arrests the largest component holds {plan.lcc_size} people "
            f"({plan.lcc_fraction:.0%} of the network in scope); fragmentation "
            f"{plan.fragmentation:.3f}. Best single measure: {plan.best_single}."
        ),
        Table.from_frame(
            players,
            {"order": "order", "name": "name", "person_id": "person id", "degree": "degree",
             "lcc_after": "largest component after", "evidence_count": "records"},
            caption="The key-player plan",
        ),
        Table.from_frame(
            comparison,
            {"strategy": "strategy", "names": "people", "lcc_size": "largest component",
             "lcc_fraction": "share left", "components": "components",
             "fragmentation": "fragmentation"},
            caption=f"The plan against the first {k} of each strategy",
        ),
        Picture(
            figure_svg(plot_disruption(curve, title="Network left after each arrest")),
            "Disruption curves (Cavallaro et al. 2020): the largest component and the global "
            "efficiency left after each arrest, measures recomputed after every one.",
        ),
    ]  # fmt: skip
    for note in plan.notes:
        parts.append(Text(str(note)))
    return Section(id_, title, parts)


# -- routes ---------------------------------------------------------------------------------
def _routes(case: _Case, id_: str, title: str) -> Section:
    from netintel.analysis.routes import chokepoints

    ws = case.ws
    table = ws.routes.corridors(window=case.window, seed=case.options.seed)
    if case.province is not None:
        name = case.province.name
        through = table[["origin", "seizure_place", "destination"]].eq(name).any(axis=1)
        table = table[through]
        if table.empty:
            raise AnalysisError(f"no corridor in the records passes through {name}")
    table = case.release(table)
    points = chokepoints(table, ws.routes.tables(), top=10)
    parts: list[Any] = []
    draw = _function("netintel.report.maps", "route_map_figure")
    if draw is not None:
        parts.append(
            Picture(figure_svg(draw(table, points, top=10)),
                    "The ten busiest corridors and the chokepoints on them.")
        )  # fmt: skip
    else:
        parts.append(
            Text("The map is not available in this netintel "
                 "(netintel.report.maps.route_map_figure is not installed); the tables follow.")
        )  # fmt: skip
    parts += [
        Table.from_frame(
            table,
            {"rank": "rank", "corridor": "corridor", "seizures": "seizures", "kg": "kg",
             "kg_by_drug": "kg by drug", "periods": "periods", "trend": "trend",
             "first_seen": "first", "last_seen": "last", "people": "people", "rings": "rings",
             "channels": "channels"},
            caption="Corridors (origin → border gate → seizure place → destination)", limit=15,
        ),
        Table.from_frame(
            points,
            {"kind": "kind", "rank": "rank", "name": "name", "country": "country",
             "seizures": "seizures", "share": "share of seizures", "kg": "kg",
             "counterpart": "across the border"},
            caption="Chokepoints: border gates and provinces most seizures pass through",
        ),
    ]  # fmt: skip
    return Section(id_, title, parts)


# -- chronology -----------------------------------------------------------------------------
def _chronology(case: _Case, id_: str, title: str) -> Section:
    chronology = getattr(case.ws.time, "chronology", None)
    if chronology is None:
        return Section.unavailable(
            id_, title, "this netintel has no chronology (ws.time.chronology is not installed)."
        )
    o = case.options
    leading = [] if case.targets is None else list(case.targets["person_id"].head(o.evidence_top))
    if not leading:
        raise AnalysisError("no ranked target in scope: no chronology to show")
    table = chronology(leading, window=case.window)
    if case.disclosure.key is not None:  # free text and the other party's identifiers
        table = table.drop(columns=[c for c in ("detail", "other") if c in table.columns])
    table = case.release(table)
    parts: list[Any] = [
        Text(
            f"What the {len(leading)} leading targets did, event by event (arrests, seizures, "
            "calls, links, parcels), each with the records behind it."
        )
    ]
    draw = _function("netintel.report.plots", "chronology_figure")
    dated = int(pd.to_datetime(table["date"], errors="coerce").notna().sum()) if len(table) else 0
    if draw is None:
        parts.append(Text("The picture is not available in this netintel "
                          "(netintel.report.plots.chronology_figure is not installed)."))  # fmt: skip
    elif dated:
        parts.append(Picture(figure_svg(draw(table)), "Events over time, one lane per person."))
    elif len(table):
        parts.append(Text("None of these events is dated in the records: no time line to draw."))
    parts.append(
        Table.from_frame(
            table,
            {
                "date": "date",
                "kind": "event",
                "name": "person",
                "other": "with",
                "place": "place",
                "detail": "detail",
                "records": "records",
            },
            caption="Events in date order",
            limit=80,
        )
    )
    return Section(id_, title, parts)


# -- hidden ties ----------------------------------------------------------------------------
def _hidden(case: _Case, id_: str, title: str) -> Section:
    o = case.options
    every = case.people is not None  # a place: the leads touching its people, among all
    leads = case.ws.hidden.suggest_links(
        top=None if every else o.leads, window=case.window, seed=o.seed
    )
    leads = _in_place(case, leads, "person_id_a", "person_id_b").head(o.leads)
    leads = case.release(leads)
    return Section(id_, title, [
        Text(
            "Pairs of people the records do not tie yet, ranked by the probability a model "
            "trained on the observed ties gives (common contacts, same ring, same place and "
            "time, shared phones and vehicles). Leads to check, not findings."
        ),
        Table.from_frame(
            leads,
            {"rank": "rank", "name_a": "person", "name_b": "and", "probability": "probability",
             "common_neighbours": "common contacts", "same_ring": "same ring",
             "explanation": "why", "evidence_count": "records"},
            caption="Suggested ties",
        ),
    ])  # fmt: skip


# -- changes --------------------------------------------------------------------------------
def _changes(case: _Case, id_: str, title: str) -> Section:
    changes = getattr(case.ws, "changes", None)
    if changes is None:
        return Section.unavailable(
            id_, title, "this netintel keeps no history of runs to compare with "
            "(ws.changes is not installed)."
        )  # fmt: skip
    o = case.options
    ranking = case.ranking.head(o.top) if case.ranking is not None else None
    found = None
    if callable(o.record) and ranking is not None:
        found = o.record(ranking)
    elif o.record is None and ranking is not None:
        writable = not getattr(case.ws.store, "read_only", False)
        found = run_history(case.ws, ranking, window=case.window, profile=o.profile,
                            top=o.top, record=writable)  # fmt: skip
    if found is None:
        found = run_history(case.ws, None, window=case.window, profile=o.profile, top=o.top)
    recorded, runs, table = found
    parts: list[Any] = []
    if recorded is None:
        parts.append(
            Text("This report's ranking was not recorded (a read-only store, or recording "
                 "turned off): the two latest recorded runs are compared.")
        )  # fmt: skip
    if table is None:
        parts.append(
            Text(f"{len(runs)} ranking run(s) recorded: changes are shown from the second run "
                 "on (netintel rank or netintel report, with the same database).")
        )  # fmt: skip
        return Section(id_, title, parts)
    later, earlier = runs.iloc[-1], runs.iloc[-2]
    parts.append(
        Text(
            f"The top {o.top} of the run of {str(later['ran_at'])[:19]} ({later['command']}, "
            f"window {later['time_window']}) against the run of "
            f"{str(earlier['ran_at'])[:19]} ({earlier['command']}, window "
            f"{earlier['time_window']}): who entered, rose, fell or left, and the records "
            "loaded in between that explain it."
        )
    )
    table = _in_place(case, table, "person_id") if case.people is not None else table
    table = case.release(table)
    if table.empty:
        parts.append(Text(f"No one entered, rose, fell or left the top {o.top}."))
    parts.append(
        Table.from_frame(
            table,
            {
                "change": "change",
                "name": "name",
                "rank_now": "rank now",
                "rank_before": "rank before",
                "score_now": "score now",
                "score_before": "score before",
                "why": "why",
            },
            caption="Changes since the last run",
        )
    )
    return Section(id_, title, parts)


def run_history(
    ws: Workspace,
    ranking: pd.DataFrame | None,
    *,
    window: Window,
    profile: str,
    top: int,
    record: bool = True,
) -> tuple[str | None, pd.DataFrame, pd.DataFrame | None]:
    """Record ``ranking`` as a report run in ``ws`` (with ``record`` and a ranking), then read
    the runs and the changes between the last two (:meth:`ws.changes.compare
    <netintel.workspace.changes.ChangesWing.compare>`; None with fewer than two runs).

    Returns
    -------
    tuple
        ``(run id or None, runs, changes or None)``.
    """
    recorded = None
    if record and ranking is not None:
        recorded = ws.changes.record_run(
            ranking, command="report", window=window, profile=str(profile)
        )
    runs = ws.changes.runs()
    table = ws.changes.compare(top=top) if len(runs) >= 2 else None
    return recorded, runs, table


def write_report(report: CaseReport, out: Path | None, pdf: Path | None) -> list[Path]:
    """Write the HTML (and the PDF of the same page); the files written."""
    from netintel.report.case import render_html, write_html, write_pdf

    html = render_html(report)
    written = [write_html(html, out)] if out is not None else []
    if pdf is not None:
        written.append(write_pdf(html, pdf))
    return written
