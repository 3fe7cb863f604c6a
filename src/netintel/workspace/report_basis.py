"""The case report's sections about its basis: what was loaded and reconciled (records,
quarantine, resolution, the review queue) and how the results were computed (measures,
weights, seeds, windows, data versions, software versions). Gathered by
:func:`netintel.workspace.report.case_report`, with what every section shares: the report's
options (:class:`ReportOptions`) and the case they are computed on."""

from __future__ import annotations

import json
import platform
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from netintel.report.case import Facts, Section, Table, Text, as_list, flatten

if TYPE_CHECKING:
    import networkx as nx

    from netintel.report.disclosure import Disclosure
    from netintel.values import Window
    from netintel.values.places import Province
    from netintel.workspace import Workspace
    from netintel.workspace.window import WindowLike

#: The packages whose versions the methods section names.
PACKAGES = (
    "netintel", "networkx", "igraph", "pandas", "numpy", "scikit-learn", "splink", "duckdb",
    "ladybug", "neo4j", "matplotlib", "jinja2", "weasyprint", "leidenalg",
)  # fmt: skip


#: Strategies whose disruption curves the report draws beside the key-player plan.
STRATEGIES = ("degree", "betweenness", "ranked", "random")


@dataclass
class ReportOptions:
    """What a case report covers and how it is computed (see :func:`case_report`)."""

    place: str | None = None
    window: WindowLike = None
    title: str | None = None
    top: int = 20
    evidence_top: int = 10
    k: int = 5
    steps: int = 20
    seed: int = 0
    profile: str = "default"
    algorithm: str = "louvain"
    runs: int = 10
    leads: int = 15
    recipient: str | None = None
    pseudonymise: bool = False
    #: Records the report's ranking as a run for ``netintel changes`` and reads what changed:
    #: a function of the ranking giving :func:`~netintel.workspace.report.run_history`'s
    #: tuple (or None when it could not); default (None): in the workspace when its store is
    #: writable; False: not recorded.
    record: Callable[[pd.DataFrame], tuple | None] | bool | None = None


@dataclass
class _Case:
    """What the section functions share: the workspace, the options, the disclosure, and
    what one section computed that another reads (the graph, the ranking, the rings)."""

    ws: Workspace
    options: ReportOptions
    window: Window
    province: Province | None
    disclosure: Disclosure
    graph: nx.Graph
    people: set[str] | None = None  # the place's people (None: everyone)
    focus: nx.Graph | None = None  # the graph the dismantling works on
    targets: pd.DataFrame | None = None  # the ranked targets in scope, as released
    ranking: pd.DataFrame | None = None  # the whole ranking, as computed
    shown: set[str] = field(default_factory=set)  # record ids the report shows

    def release(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` as it may leave (:meth:`Disclosure.table`), names in other columns
        (``leader_names``, ``name_a``...) pseudonymised too."""
        out = self.disclosure.table(frame)
        if self.disclosure.key is not None:
            for col in out.columns:
                if re.fullmatch(r"(.+_)?names?(_.+)?", str(col)) and col != "name":
                    out[col] = out[col].map(lambda v: self.disclosure.pseudonym("name", v))
        for col in ("evidence", "sources", "records"):
            if col in out.columns:
                self.shown.update(flatten(out[col]))
        return out

    def name(self, person_id: object) -> str:
        """A person's name as the report may show it."""
        text = self.graph.nodes[person_id].get("name", "") if person_id in self.graph else ""
        return str(self.disclosure.pseudonym("name", text) if self.disclosure.key else text)


# -- records --------------------------------------------------------------------------------
def records_section(case: _Case, id_: str, title: str) -> Section:
    ws = case.ws
    records = ws.records.records(all_versions=True)  # counted, restricted ones too
    current = records[records["current"].fillna(False).astype(bool)]
    quarantined, covered, ingests = _quarantine(ws)
    rows = []
    for (kind, file), now in current.groupby(["kind", "file"], sort=True, dropna=False):
        every = records[(records["kind"] == kind) & (records["file"] == file)]
        known = str(file) in covered
        q = quarantined.get(str(file), 0) if known else None
        flagged = int(now["flags"].map(lambda v: bool(as_list(v))).sum()) if "flags" in now else 0
        rows.append({
            "kind": kind, "file": Path(str(file)).name,
            "read": len(now) + q if known else None, "loaded": len(now),
            "quarantined": q,
            "versions retired": len(every) - len(now),
            "conflicts": int(now["conflict"].fillna(False).astype(bool).sum()),
            "flagged": flagged,
            "file sha256": str(now["file_sha256"].iloc[0])[:16] if "file_sha256" in now else "",
        })  # fmt: skip
    table = pd.DataFrame(rows)
    for col in ("read", "quarantined"):
        if col in table:
            table[col] = table[col].astype("Int64")
    people = ws.records.people()
    parts: list[Any] = [
        Text(
            "Every record read is either loaded into the graph or quarantined with a reason: "
            "read = loaded + quarantined. Loaded counts are the current record versions in "
            "the store; quarantined counts come from the quarantine file each ingest wrote, "
            "when that file is still where the audit log says, unchanged (else empty)."
        ),
        Table.from_frame(table, caption="Per file"),
    ]
    if len(table):
        totals = table[["loaded", "versions retired", "conflicts", "flagged"]].sum()
        q_total = pd.to_numeric(table["quarantined"], errors="coerce").dropna()
        read = table["read"]
        facts = [
            ("Records read", f"{int(read.sum()):,}" if read.notna().all() else "not known"),
            ("Records loaded (current)", f"{int(totals['loaded']):,}"),
            ("Quarantined (known)", f"{int(q_total.sum()):,}" if len(q_total) else "unknown"),
            ("Older versions retired", f"{int(totals['versions retired']):,}"),
            ("Conflicts (same id, other content)", f"{int(totals['conflicts']):,}"),
            ("Record-level people", f"{len(people):,}"),
            ("Resolved people", f"{people['resolved_id'].nunique():,}"),
            ("Merged into another", f"{int((people['resolved_id'] != people['person_id']).sum()):,}"),
        ]  # fmt: skip
        review = _review_queue(ws)
        facts.append(("Pairs under review", f"{len(review):,}"))
        parts.append(Facts(facts, caption="Reconciliation and resolution"))
        if len(review):
            review = case.release(review)
            parts.append(
                Table.from_frame(
                    review,
                    {
                        "left_name": "left",
                        "right_name": "right",
                        "match_probability": "probability",
                        "left_id": "left id",
                        "right_id": "right id",
                    },
                    caption="Pairs the model is unsure about: those a fresh resolution of the "
                    "stored people (the same settings, seed 0, reviewer decisions kept) leaves "
                    "between the review and match thresholds; decide them with netintel resolve "
                    "--review FILE, then netintel review apply",
                    limit=20,
                )
            )
    if len(ingests):
        parts.append(Table.from_frame(ingests, caption="Ingests on record (audit log)", limit=20))
    return Section(id_, title, parts)


def _quarantine(ws: Workspace) -> tuple[dict[str, int], set[str], pd.DataFrame]:
    """Rows quarantined per input file, from the quarantine files the audit log names
    (those still present with the recorded SHA-256); the input files whose ingest wrote such
    a file (their quarantine is known, 0 when absent from it); the ingests on record."""
    from netintel.audit import file_sha256

    counts: dict[str, int] = {}
    covered: set[str] = set()
    rows = []
    for entry in ws.audit.entries():
        if entry.get("operation") != "records.ingest" or entry.get("outcome") != "ok":
            continue
        params = entry.get("parameters") or {}
        files = [f for k in ("arrests", "seizures", "communications", "links")
                 for f in as_list(params.get(k)) or ([params[k]] if params.get(k) else [])]  # fmt: skip
        out, digest = entry.get("output"), entry.get("output_sha256")
        status = "none written"
        if out:
            path = Path(out)
            if path.is_file() and file_sha256(path) == digest:
                status = f"{path.name} (verified)"
                covered.update(str(f) for f in files)
                q = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
                if {"file", "row"} <= set(q.columns):
                    for file, n in (
                        q.drop_duplicates(["file", "row"]).groupby("file").size().items()
                    ):
                        counts[str(file)] = counts.get(str(file), 0) + int(n)
            else:
                status = f"{path.name} (not found or changed)"
        rows.append({
            "time": str(entry.get("time", ""))[:19], "user": entry.get("user"),
            "files": ", ".join(Path(str(f)).name for f in files), "quarantine file": status,
        })  # fmt: skip
    return counts, covered, pd.DataFrame(rows)


def _review_queue(ws: Workspace) -> pd.DataFrame:
    """The pairs a fresh resolution would put under review (read-only: nothing written)."""
    from netintel.resolve import read_decisions, read_persons, resolve_people

    persons = read_persons(ws.store)
    if persons.empty:
        return pd.DataFrame()
    return resolve_people(persons, decisions=read_decisions(ws.store)).review


# -- methods --------------------------------------------------------------------------------
def methods_section(case: _Case, id_: str, title: str) -> Section:
    from netintel.analysis.network.profile import RankingProfile

    ws, o = case.ws, case.options
    profile = RankingProfile.load(o.profile)
    settings = ws.projection_settings(case.window)
    weights = pd.DataFrame(
        [{"component": c, "weight": w} for c, w in profile.normalized_weights().items() if w]
    )
    kinds = pd.DataFrame(
        [{"evidence": k, "strength": v} for k, v in sorted(settings.kind_weights.items())]
    )
    records = ws.records.records()
    data = (
        records.groupby(["kind", "dataset"], dropna=False)
        .agg(records=("record_id", "size"), loaded=("loaded_at", "max"),
             file_sha256=("file_sha256", "first") if "file_sha256" in records else ("kind", "first"))
        .reset_index()
    )  # fmt: skip
    versions = [(p, _version(p)) for p in PACKAGES]
    verification = ws.audit.verify()
    params = {k: v for k, v in vars(o).items() if k not in ("recipient", "record")}
    return Section(id_, title, [
        Facts([
            ("Evidence window", str(case.window)),
            ("Place", f"{case.province.name} ({case.province.country}): people whose home, "
             "arrests or seized drugs are there, with their direct contacts"
             if case.province is not None else "none: the whole case"),
            ("Ranking profile", f"{profile.name}: {profile.description}".strip()),
            ("Normalisation", profile.normalization),
            ("Ties", f"evidence strengths below; recency half-life "
             f"{settings.half_life_days or 'none'} days; events shared by more than "
             f"{settings.max_group} people skipped"),
            ("Rings", f"{o.algorithm}, seed {o.seed}, resolution 1.0, stability over {o.runs} runs"),
            ("Key players", f"KPP-Neg (Borgatti 2006), k = {o.k}, seed {o.seed}, ties weighted"),
            ("Disruption", f"strategies {', '.join(STRATEGIES)} and the plan, {o.steps} steps, "
             "sequential recomputation (Cavallaro et al. 2020)"),
            ("Hidden ties", f"link prediction (after Berlusconi et al. 2016), seed {o.seed}"),
            ("Report options", json.dumps(params, default=str, ensure_ascii=False)),
            ("Audit log", str(verification)),
        ], caption="Measures, settings and seeds"),
        Table.from_frame(weights, caption="Weights of the score (share of the total)"),
        Table.from_frame(kinds, caption="Strength each piece of evidence adds to a tie"),
        Table.from_frame(
            data,
            {"kind": "kind", "dataset": "file", "records": "current records",
             "loaded": "last loaded", "file_sha256": "file sha256"},
            caption="Data versions",
        ),
        Facts([("Python", platform.python_version()), *versions], caption="Software versions"),
    ])  # fmt: skip


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"
