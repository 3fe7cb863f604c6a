"""The notebook-friendly facade: one object over a store, from records to ranked targets.

A :class:`Workspace` holds the store, the projection's tables and the person graph (read
and projected once, kept until the next write), and one wing per question an investigation
asks, each a small object holding a back-reference to the workspace:

==================  =========================================================================
wing                what it answers
==================  =========================================================================
``ws.records``      :class:`~.records.RecordsWing`: ingest, entity resolution, review
``ws.network``      :class:`~.network.NetworkWing`: targets, rings, ring profiles, brokers,
                    centrality, a learned ranking, the directed graph, home places
``ws.dismantle``    :class:`~.dismantle.DismantleWing`: key players, disruption, successors
``ws.routes``       :class:`~.routes.RoutesWing`: corridors, chokepoints, people, GeoJSON
``ws.time``         :class:`~.time.TimeWing`: timelines per period
``ws.hidden``       :class:`~.hidden.HiddenWing`: link prediction, suggested ties
``ws.query``        :class:`~.query.QueryWing`: Cypher, saved queries (``ws.query(name)``)
==================  =========================================================================

A notebook starts with :func:`open`, ``ws.ingest(...)`` and ``ws.rank_targets(...)``, the
headline shortcuts of ``ws.records.ingest`` and ``ws.network.rank_targets``, and drills down
with ``ws.cypher(...)`` (``ws.query.cypher``). Every analysis that looks at one window of
evidence takes ``window=`` (see :mod:`netintel.workspace.window`).

Examples
--------
>>> import tempfile
>>> import netintel
>>> from netintel.synthetic import generate, write
>>> folder = tempfile.mkdtemp()
>>> files = write(generate(300, seed=1), folder)
>>> with netintel.open(folder + "/case.db") as ws:
...     report = ws.ingest(arrests=files["arrests"], seizures=files["seizures"],
...                        communications=files["communications"], links=files["links"])
...     bool((report.reconciliation["read"] == report.reconciliation["loaded"]
...           + report.reconciliation["quarantined"]).all())
...     targets = ws.rank_targets(top=5, window="2023")
...     list(targets.columns[:4])
True
['rank', 'person_id', 'name', 'score']
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from netintel.audit import AuditLog, audit_log, current_actor, default_user
from netintel.errors import OutputError
from netintel.project import ProjectionSettings, build_person_graph, read_tables
from netintel.store.base import GraphStore
from netintel.workspace._wing import audited
from netintel.workspace.changes import ChangesWing
from netintel.workspace.deprecated import CallableRoutes, FlatNames
from netintel.workspace.dismantle import DismantleWing
from netintel.workspace.hidden import HiddenWing
from netintel.workspace.network import NetworkWing
from netintel.workspace.query import QueryWing
from netintel.workspace.records import IngestReport, RecordsWing
from netintel.workspace.routes import RoutesWing
from netintel.workspace.time import TimeWing
from netintel.workspace.window import WindowLike, as_window

if TYPE_CHECKING:
    from netintel.analysis.network.paths import EvidencePaths, Neighbourhood
    from netintel.report.case import CaseReport

__all__ = ["IngestReport", "WindowLike", "Workspace", "as_window", "open"]

PathLike = str | Path


class Workspace(FlatNames):
    """A store plus the analyses over it, by wing. Build one with :func:`netintel.open`.

    Attributes
    ----------
    store : GraphStore
    records, network, dismantle, routes, time, hidden, query
        The wings (see :mod:`netintel.workspace`).
    user, purpose : str
        Who acts and why: every call of a wing is on the record (:attr:`audit`) under them.
    audit : AuditLog
        The store's audit log (:mod:`netintel.audit`); ``ws.audit.verify()`` checks it.
    """

    records: RecordsWing
    network: NetworkWing
    dismantle: DismantleWing
    routes: RoutesWing
    time: TimeWing
    hidden: HiddenWing
    query: QueryWing
    changes: ChangesWing

    def __init__(
        self, store: GraphStore, *, user: str | None = None, purpose: str | None = None
    ) -> None:
        actor = current_actor()
        self.store = store
        self.user = user or (actor.user if actor else None) or default_user()
        self.purpose = purpose or (actor.purpose if actor else None)
        self._command = actor.command if actor else None
        self.audit: AuditLog = audit_log(store)
        self.audit.check()
        self._audit_depth = 0
        self._graph: nx.Graph | None = None
        self._graph_key: str | None = None
        self._tables: dict[str, pd.DataFrame] | None = None
        self.records = RecordsWing(self)
        self.network = NetworkWing(self)
        self.dismantle = DismantleWing(self)
        self.routes = CallableRoutes(self)  # ws.routes(...) still works, deprecated
        self.time = TimeWing(self)
        self.hidden = HiddenWing(self)
        self.query = QueryWing(self)
        self.changes = ChangesWing(self)  # run history, watchlist, alerts
        from netintel.workspace.magic import remember

        remember(self)  # the workspace the %%cypher magic runs on, unless -w names another

    def __repr__(self) -> str:
        return f"Workspace({self.store!r})"

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    # -- the headline shortcuts ----------------------------------------------------------
    @property
    def ingest(self) -> Callable[..., IngestReport]:
        """:meth:`ws.records.ingest <netintel.workspace.records.RecordsWing.ingest>`: load
        record files (``ws.ingest(arrests="arrests.csv", seizures="seizures.csv")``)."""
        return self.records.ingest

    @property
    def rank_targets(self) -> Callable[..., pd.DataFrame]:
        """:meth:`ws.network.rank_targets <netintel.workspace.network.NetworkWing.rank_targets>`:
        the ranked target list (``ws.rank_targets(top=10, window="2024")``)."""
        return self.network.rank_targets

    @property
    def find(self) -> Callable[..., pd.DataFrame]:
        """:meth:`ws.network.find <netintel.workspace.network.NetworkWing.find>`: the people
        a name in any spelling, an alias, a phone, an ID or a plate names
        (``ws.find("le xuan hai")``)."""
        return self.network.find

    @property
    def person(self) -> Callable[[str], str]:
        """:meth:`ws.network.person <netintel.workspace.network.NetworkWing.person>`: the one
        person id a text names (``ws.person("Le Xuan Hai")``), for any call taking a person."""
        return self.network.person

    @property
    def path(self) -> Callable[..., EvidencePaths]:
        """:meth:`ws.network.path <netintel.workspace.network.NetworkWing.path>`: how two
        people are tied, as evidence sentences (``ws.path("Le Xuan Hai", "Syphet")``)."""
        return self.network.path

    @property
    def neighbourhood(self) -> Callable[..., Neighbourhood]:
        """:meth:`ws.network.neighbourhood <netintel.workspace.network.NetworkWing.neighbourhood>`:
        the people within ``hops`` ties of a person, with the ties and their records."""
        return self.network.neighbourhood

    @property
    def cypher(self) -> Callable[..., pd.DataFrame]:
        """:meth:`ws.query.cypher <netintel.workspace.query.QueryWing.cypher>`: Cypher with
        ``$parameters``, read-only unless ``write=True``."""
        return self.query.cypher

    @property
    def show(self) -> Callable[..., object]:
        """:meth:`ws.network.view <netintel.workspace.network.NetworkWing.view>`: the network as
        a clickable picture, people labelled by name, sized by score, coloured by ring
        (``ws.show(top=25)``, ``ws.show(around="Le Xuan Hai", hops=2)``, ``ws.show(ring=3)``,
        ``ws.show(between=(a, b))``, ``ws.show(ws.cypher(...))``)."""
        return self.network.view

    @audited()
    def schema(self) -> pd.DataFrame:
        """What a hand-written query can ask for: one row per node label and relationship
        type of ``graph_schema/schema.yaml`` with its ``endpoints``, ``properties`` (with the
        schema's note on each) and ``count`` in this store
        (:func:`netintel.workspace.schema.schema_table`, which also says how people are
        stored: record-level ``Person`` nodes carrying their resolved person's ``resolved_id``).

        Examples
        --------
        >>> schema = ws.schema().set_index("name")
        >>> schema.loc["CALLED", "endpoints"].splitlines()[0]
        '(Phone)-[:CALLED]->(Phone)'
        >>> int(schema.loc["Person", "count"]) > 0
        True
        """
        from netintel.workspace.schema import schema_table

        return schema_table(self.store.counts())

    # -- the record ----------------------------------------------------------------------
    def _record(
        self,
        action: str,
        operation: str,
        parameters: dict,
        *,
        records: list[str] = (),  # type: ignore[assignment]
        output: PathLike | None = None,
        outcome: str = "ok",
    ) -> dict:
        """Append one entry for ``ws.<operation>`` (see :func:`~._wing.audited`)."""
        return self.audit.append(
            action, user=self.user, purpose=self.purpose, command=self._command or f"ws.{operation}",
            operation=operation, parameters=parameters, records=records, output=output,
            outcome=outcome,
        )  # fmt: skip

    # -- the analysis graph --------------------------------------------------------------
    def projection_settings(
        self, window: WindowLike = None, settings: ProjectionSettings | None = None
    ) -> ProjectionSettings:
        """``settings`` (default: the shipped ones) with the time window ``window``.

        >>> str(ws.projection_settings("2023").window)
        '2023 to 2023'
        """
        return (settings or ProjectionSettings()).within(as_window(window))

    @audited()
    def graph(
        self,
        *,
        window: WindowLike = None,
        settings: ProjectionSettings | None = None,
        refresh: bool = False,
    ) -> nx.Graph:
        """The person-to-person graph (see :mod:`netintel.project`), cached until a write.

        Parameters
        ----------
        window : Window, text or (since, until), optional
            Keep only the evidence in this window (:func:`as_window`); it replaces the
            window of ``settings``.
        settings : ProjectionSettings, optional
            Kind weights, recency, ``max_group`` (and a window, when ``window`` is not given).
        refresh : bool
            Read the store again.

        Returns
        -------
        networkx.Graph

        Examples
        --------
        >>> ws.graph(window="2023").number_of_nodes() == ws.graph().number_of_nodes()
        True
        """
        settings = settings or ProjectionSettings()
        if window is not None:
            settings = settings.within(as_window(window))
        key = repr(settings)
        if refresh:
            self._changed()
        if self._graph is None or key != self._graph_key:
            self._graph = build_person_graph(self.tables(), settings)
            self._graph_key = key
        return self._graph

    @audited()
    def tables(self) -> dict[str, pd.DataFrame]:
        """The projection's tables (:func:`netintel.project.read_tables`: people, arrests,
        phones, calls, links, vehicles, addresses, people folded onto resolved people), read
        from the store once and kept until the next write."""
        if self._tables is None:
            self._tables = read_tables(self.store)
        return self._tables

    @audited(output="out")
    def report(
        self,
        out: PathLike | None = None,
        *,
        pdf: PathLike | bool | None = None,
        place: str | None = None,
        window: WindowLike = None,
        recipient: str | None = None,
        pseudonymise: bool = False,
        **options: Any,
    ) -> CaseReport:
        """The case report: one self-contained HTML file (and its PDF) for the case or one
        province (:mod:`netintel.workspace.report`, :mod:`netintel.report.case`).

        Sections: scope and summary; records loaded and reconciled; ranked targets with
        their explanations and the records behind them; rings; the network picture; key
        players and disruption curves; corridors and chokepoints; chronology; hidden-tie
        leads; changes since the last run; methods, data and software versions.

        Parameters
        ----------
        out : str or Path, optional
            Write the HTML there (``.html``): a disclosure, recorded with the file's SHA-256
            (and refused without the workspace's purpose).
        pdf : str, Path or True, optional
            Also render the same page to PDF with WeasyPrint (``True``: beside ``out``, with
            the suffix ``.pdf``); recorded as a disclosure too.
        place : str, optional
            A province (any spelling): the report covers the people of that province.
        window : Window, text or (since, until), optional
        recipient : str, optional
            Who receives it; with the purpose, restricted material (handling code ``C``) is
            released to them, else withheld.
        pseudonymise : bool
            Names and identifiers as keyed hashes (``$NETINTEL_PSEUDONYM_KEY``).
        **options
            ``title``, ``top``, ``evidence_top``, ``k``, ``steps``, ``seed``, ``profile``,
            ``algorithm``, ``runs``, ``leads`` (:class:`~netintel.workspace.report.ReportOptions`).

        Returns
        -------
        CaseReport
            Its sections (``report.section("targets")``), ``report.html()``.

        Raises
        ------
        OutputError
            If ``out`` or ``pdf`` cannot be written (checked before the work), or WeasyPrint
            is missing for ``pdf``.
        InputError
            If ``place`` names no known province.

        Examples
        --------
        >>> report = ws.report(top=5, evidence_top=1, runs=2, steps=5)
        >>> [s.id for s in report.sections][:3]
        ['summary', 'records', 'targets']
        >>> report.section("targets").parts[1].rows[0][1] == ws.rank_targets(top=1).loc[0, "name"]
        True
        """
        from netintel.outputs import check_output
        from netintel.workspace.report import HTML, ReportOptions, case_report, write_report

        target = check_output(out, suffixes=HTML) if out is not None else None
        pdf_path = None
        if pdf:
            if pdf is True:
                if target is None:
                    raise OutputError("pdf=True writes beside out: give out, or a pdf path")
                pdf_path = target.with_suffix(".pdf")
            else:
                pdf_path = Path(pdf)
            pdf_path = check_output(pdf_path, suffixes=(".pdf",))
        opts = ReportOptions(
            place=place, window=window, recipient=recipient, pseudonymise=pseudonymise,
            **options,
        )  # fmt: skip
        report = case_report(self, opts)
        if target is not None:
            write_report(report, target, pdf_path)
            if pdf_path is not None:
                self._record(
                    "disclosure", "report", {"out": str(target), "pdf": str(pdf_path),
                                             "recipient": recipient},
                    records=list(report.evidence["record_id"]), output=pdf_path,
                )  # fmt: skip
        elif pdf_path is not None:
            write_report(report, None, pdf_path)
        return report

    def _changed(self) -> None:
        """Forget what was read from the store: it has been written to."""
        self._graph = self._tables = None


def open(
    location: PathLike | None = None,
    *,
    read_only: bool = False,
    user: str | None = None,
    purpose: str | None = None,
) -> Workspace:
    """Open a workspace on an embedded database path or a Neo4j server.

    Parameters
    ----------
    location : str or Path, optional
        A LadybugDB path, or a Neo4j URI (``bolt://host:7687``, ``neo4j+s://host``); the
        store is chosen by :func:`netintel.store.open`. Default: ``$NETINTEL_NEO4J_URI`` if
        set, else ``$NETINTEL_DB``, else ``./netintel.db``.
    read_only : bool
        Open so that nothing can be written (to the graph: every call is still recorded in
        the audit log, :mod:`netintel.audit`).
    user : str, optional
        Who acts, for the audit log: default the command line's ``--user``, else
        ``$NETINTEL_USER``, else the operating system's user.
    purpose : str, optional
        Why (default: the command line's ``--purpose``); needed by calls that write files.

    Raises
    ------
    StoreError
        If the database cannot be opened or the server cannot be reached.
    AuditError
        If the audit log cannot be written: no access goes unrecorded.

    Examples
    --------
    >>> import tempfile
    >>> with open(tempfile.mkdtemp() + "/case.db", user="ana", purpose="briefing") as ws:
    ...     ws.query.stats()["Person"]
    ...     ws.audit.entries()[-1]["operation"], ws.audit.entries()[-1]["user"]
    0
    ('query.stats', 'ana')
    """
    from netintel import store

    opened = store.open(location, read_only=read_only)
    try:
        return Workspace(opened, user=user, purpose=purpose)
    except BaseException:
        opened.close()
        raise
