"""The records wing, ``ws.records``: record files in, people resolved, review decisions kept.

Examples
--------
>>> ws.records.people()["person_id"].is_unique
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from netintel.store import cypher as portable
from netintel.store.base import Progress, WriteSummary
from netintel.workspace._wing import Wing, audited

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from netintel.resolve import Resolution, ResolutionSettings
    from netintel.versions import VersionSummary

PathLike = str | Path
Paths = PathLike | Iterable[PathLike] | None


@dataclass
class IngestReport:
    """The outcome of :meth:`RecordsWing.ingest`.

    Attributes
    ----------
    reconciliation : DataFrame
        One row per input file: ``file, kind, read, loaded, quarantined``; always
        ``read == loaded + quarantined``.
    quarantine : DataFrame
        One row per rejected field: ``file, kind, row, record_id, field, value, reason``.
    written : WriteSummary
        Nodes and relationships created and updated, per label and type.
    counts : dict
        Node and relationship counts in the store after the load.
    resolution : Resolution or None
        The entity resolution run after the load (None with ``resolve=False``).
    versions : VersionSummary or None
        Records new, changed (a new version: the old one retired), unchanged, and in
        conflict (the same id with other content from another dataset, loaded apart).
    flags : DataFrame or None
        Quality flags of the loaded records (``FLAG_COLUMNS``): values dropped, records kept.
    """

    reconciliation: pd.DataFrame
    quarantine: pd.DataFrame
    written: WriteSummary
    counts: dict[str, int]
    resolution: Resolution | None = None
    versions: VersionSummary | None = None
    flags: pd.DataFrame | None = None


class RecordsWing(Wing):
    """Records in: ingest, entity resolution and the reviewer's decisions (``ws.records``)."""

    word = "records"

    @audited("collection", output="quarantine", records=False)
    def ingest(
        self,
        *,
        arrests: Paths = None,
        seizures: Paths = None,
        communications: Paths = None,
        links: Paths = None,
        shipments: Paths = None,
        accounts: Paths = None,
        interactions: Paths = None,
        matrices: Paths = None,
        matrix_kind: str = "communications",
        mapping: PathLike | None = None,
        encoding: str | None = None,
        default_region: str = "VN",
        quarantine: PathLike | None = None,
        progress: Progress | None = None,
        resolve: bool = True,
    ) -> IngestReport:
        """Read, validate and normalise record files, and load them into the store.

        Loading the same files again changes nothing; new records extend existing nodes. A
        record id loaded before with other content from the same dataset (file name) is a new
        version: what the old version alone produced leaves the graph, and the graph reflects
        the new one completely (``report.versions`` counts them; :meth:`versions` lists them).
        The same id with other content from another dataset is a conflict: loaded apart under
        ``record_id@<hash>``, flagged on both ``Record`` nodes, listed by :meth:`conflicts`.
        Rows that fail validation go to ``quarantine`` (a .csv or .jsonl path) with reasons.
        People are resolved (:meth:`resolve`) after the load unless ``resolve=False``.

        Parameters
        ----------
        arrests, seizures, communications, links, shipments, accounts, interactions : path or list
            Record files (CSV, JSON Lines, Parquet, Excel) in the formats of
            ``graph_schema/records.md``, or any export with a ``mapping``.
        matrices : path or list of paths
            Adjacency-matrix CSVs (labels in the first row and column), read as
            ``matrix_kind`` records.
        mapping : path, optional
            YAML column mapping for exports that use other column names.
        encoding : str, optional
            Encoding of CSV files when not UTF-8.
        default_region : str
            Country whose numbering plan local phone numbers follow (ISO code, default VN).
        quarantine : path, optional
            Where to write rejected rows.
        progress : callable, optional
            ``progress(step, n)`` called as steps complete.
        resolve : bool, default True
            Resolve people after loading (with the shipped settings, seed 0).

        Returns
        -------
        IngestReport

        Raises
        ------
        InputError
            A file that cannot be read at all (missing, wrong encoding, bad mapping).

        Examples
        --------
        >>> ws.records.ingest(arrests="arrests.csv", quarantine="bad.csv")  # doctest: +SKIP
        """
        from netintel.ingest import ingest_files
        from netintel.versions import prepare_load

        result = ingest_files(
            arrests=arrests,
            seizures=seizures,
            communications=communications,
            links=links,
            shipments=shipments,
            accounts=accounts,
            interactions=interactions,
            matrices=matrices,
            matrix_kind=matrix_kind,
            mapping=mapping,
            encoding=encoding,
            default_region=default_region,
            quarantine=quarantine,
            progress=progress,
        )
        # One write session: readers see the records with their resolution, or neither.
        with self._ws.store.transaction("ingest", bulk=True):
            batch, versions = prepare_load(self._ws.store, result)
            written = self._ws.store.write(batch, progress=progress)
            self._ws._changed()
            resolution = None
            if resolve:
                resolution = self.resolve()
                if progress:
                    progress("resolve people", len(resolution.assignments))
        return IngestReport(
            result.reconciliation,
            result.quarantine,
            written,
            self._ws.store.counts(),
            resolution,
            versions,
            result.flags,
        )

    @audited("combination", records=False)
    def combine(
        self,
        folder: PathLike,
        *,
        array_delimiter: str | None = None,
        progress: Progress | None = None,
    ) -> WriteSummary:
        """Bring another case's graph into this one: a neo4j-admin CSV folder written by
        ``netintel export`` (:func:`~netintel.exchange.import_neo4j_admin`), as one unit of
        work (readers see all of it or none of it) and on the audit record as a combination.
        Loading the same folder twice changes nothing.

        Parameters
        ----------
        folder : path
            The folder of ``nodes_*.csv`` / ``rels_*.csv`` files.
        array_delimiter : str, optional
            The character joining list elements (default: from its ``manifest.json``).
        progress : callable, optional
            ``progress(step, n)`` as parts are written.

        Returns
        -------
        WriteSummary

        Examples
        --------
        >>> ws.records.combine("partner-export/")  # doctest: +SKIP
        """
        from netintel.exchange import import_neo4j_admin

        with self._ws.store.transaction("import", bulk=True):
            summary = import_neo4j_admin(
                folder, self._ws.store, array_delimiter=array_delimiter, progress=progress
            )
        self._ws._changed()
        return summary

    @audited()
    def people(self) -> pd.DataFrame:
        """Every Person node: ``person_id, name, name_key, national_id, dob, nationality,
        sources, resolved_id`` (``resolved_id``: the resolved person it belongs to).

        Examples
        --------
        >>> ws.records.people()["resolved_id"].nunique() < len(ws.records.people())
        True
        """
        people = self._ws.store.query(portable.PERSONS)
        return people.sort_values("person_id", ignore_index=True)

    @audited("alteration")
    def resolve(
        self,
        *,
        settings: ResolutionSettings | PathLike | None = None,
        seed: int = 0,
        spark: SparkSession | None = None,
    ) -> Resolution:
        """Resolve the people of the store and write the result back (idempotent).

        Each Person node gains ``resolved_id``, ``match_probability`` and ``match_rule``;
        merged nodes are joined by ``SAME_AS`` with the evidence; reviewer decisions in the
        store are honoured. The person graph then has one node per resolved person.

        Parameters
        ----------
        settings : ResolutionSettings or path, optional
            Default: ``graph_schema/resolution.yaml``.
        seed : int
            Seed of the model's random sampling.
        spark : pyspark.sql.SparkSession, optional
            Fit and score the model on Spark (same settings).

        Returns
        -------
        netintel.resolve.Resolution
            ``records()``: ``record_id, person_id, node_id, match_probability, rule``;
            ``review``: the queue of pairs to decide.

        Examples
        --------
        >>> ws.records.resolve().review.head()  # doctest: +SKIP
        """
        from netintel.resolve import ResolutionSettings, resolve_store

        if settings is not None and not isinstance(settings, ResolutionSettings):
            settings = ResolutionSettings.from_yaml(settings)
        with self._ws.store.transaction("resolve"):
            result = resolve_store(self._ws.store, settings=settings, seed=seed, spark=spark)
        self._ws._changed()
        return result

    @audited("alteration")
    def review_apply(
        self, decisions: PathLike | pd.DataFrame, *, resolve: bool = True
    ) -> dict[str, int]:
        """Record reviewer decisions (``left_id, right_id, decision`` = accept / reject) in
        the store, then re-resolve (unless ``resolve=False``).

        Returns
        -------
        dict
            The counts ``accepted`` and ``rejected``.

        Examples
        --------
        >>> ws.records.review_apply("queue.csv")  # doctest: +SKIP
        {'accepted': 1, 'rejected': 1}
        """
        from netintel.resolve import apply_decisions

        # The decisions are stored in a step of their own, before anything is re-resolved.
        with self._ws.store.transaction("review apply"):
            counts = apply_decisions(self._ws.store, decisions)
        self._ws._changed()
        if resolve:
            self.resolve()
        return counts

    @audited("alteration")
    def review_split(self, person_id: str, *, max_rounds: int = 5) -> pd.DataFrame:
        """Take Person node ``person_id`` out of the resolved person it was merged into.

        Records a reviewer rejection against each other member and re-resolves, repeating
        while the evidence joins it to someone else (at most ``max_rounds`` times).

        Returns
        -------
        DataFrame
            The decisions recorded: ``left_id, right_id, decision``.

        Raises
        ------
        InputError
            If there is no Person node ``person_id``.

        Examples
        --------
        >>> ws.records.review_split("P-3f2a9c0d1e")  # doctest: +SKIP
        """
        from netintel.resolve import apply_decisions, split_decisions

        recorded = []
        for _ in range(max_rounds):
            decisions = split_decisions(self._ws.store, person_id)
            if decisions.empty:
                break
            with self._ws.store.transaction("review split"):
                apply_decisions(self._ws.store, decisions)
            recorded.append(decisions)
            self.resolve()
        self._ws._changed()
        columns = ["left_id", "right_id", "decision"]
        return pd.concat(recorded, ignore_index=True) if recorded else pd.DataFrame(columns=columns)

    # -- provenance ---------------------------------------------------------------------
    @audited()
    def records(
        self, ids: Iterable[str] | str | None = None, *, all_versions: bool = False
    ) -> pd.DataFrame:
        """The records behind any result, back to their source rows: one row per record
        version, ``record_id, source_id, kind, file, sheet, row, dataset, sha256,
        file_sha256, loaded_at, version, current, conflict, grading, flags, raw`` (and ``id``,
        the ``Record`` node's key), sorted by ``source_id`` and version. Read from the store,
        never from the files (which may have moved or changed since).

        ``raw`` is the row as it was read, before mapping and normalisation: a dict of the
        file's own column names (an agency export's, not the canonical ones) to the cell
        texts (``None`` for an empty cell); ``file_sha256`` is the SHA-256 of the whole input
        file (check it with ``sha256sum``); ``file``, ``sheet``, ``row`` and ``loaded_at``
        say where and when. They are those of the load that first brought this content: a
        re-ingest of the same rows changes nothing. Records loaded before netintel kept
        rows as read have ``raw`` and ``file_sha256`` missing.

        Parameters
        ----------
        ids : str or iterable of str, optional
            Record ids as the files give them, or as a node's or tie's ``sources`` hold them
            (pass ``targets.loc[0, "evidence"]`` or a node's ``sources``). Default: every record.
        all_versions : bool
            Include superseded versions (default: the current ones only).

        Examples
        --------
        >>> found = ws.records.records(["SZ-000002"])
        >>> found[["record_id", "dataset", "row", "version", "current"]].values.tolist()
        [['SZ-000002', 'seizures.csv', 3, 1, True]]
        >>> found.loc[0, "raw"]["seizure_id"], len(found.loc[0, "file_sha256"])
        ('SZ-000002', 64)
        """
        return self._found(ids, all_versions=all_versions, raw=True)

    def _found(
        self, ids: Iterable[str] | str | None, *, all_versions: bool, raw: bool
    ) -> pd.DataFrame:
        """:meth:`records`, with the rows as read (``raw``) or without (cheaper)."""
        store = self._ws.store
        if ids is None:
            found = store.query(portable.RECORDS_RAW if raw else portable.RECORDS)
        else:
            wanted = [ids] if isinstance(ids, str) else sorted({str(i) for i in ids})
            found = store.query(portable.RECORD_VERSIONS, {"ids": wanted}) if wanted else None
            if found is None:
                found = pd.DataFrame(columns=[*portable.RECORD_COLUMNS, "raw"])
            if not raw:
                found = found.drop(columns=["raw"])
        found = found.drop_duplicates("id")
        if not all_versions and len(found):
            found = found[found["current"].fillna(False).astype(bool)]
        if raw:
            found = found.assign(raw=[_row_as_read(t) for t in found["raw"]])
        return found.sort_values(["source_id", "version"], ignore_index=True)

    @audited()
    def versions(self, record_id: str) -> pd.DataFrame:
        """Every version of one record, oldest first (see :meth:`records` for the columns):
        what was loaded when, from which file and row, with which content hash.

        Examples
        --------
        >>> ws.records.versions("ARR-000001")[["version", "current"]].values.tolist()
        [[1, True]]
        """
        return self.records([record_id], all_versions=True)

    def conflicts(self) -> pd.DataFrame:
        """Record versions flagged as conflicting: one id given other content by another
        dataset (or twice in one ingest); each is loaded apart under its ``source_id``.

        Examples
        --------
        >>> ws.records.conflicts().empty
        True
        """
        found = self._found(None, all_versions=True, raw=False)
        return found[found["conflict"].fillna(False).astype(bool)].reset_index(drop=True)

    def flags(self) -> pd.DataFrame:
        """Quality flags kept in the store: ``source_id, record_id, kind, file, row, flag``
        (``"field: reason"``), one row per flag of a current record version.

        Examples
        --------
        >>> ws.records.flags().columns.tolist()
        ['source_id', 'record_id', 'kind', 'file', 'row', 'flag']
        """
        found = self._found(None, all_versions=False, raw=False)
        cols = ["source_id", "record_id", "kind", "file", "row"]
        found = found[[*cols, "flags"]].explode("flags").dropna(subset=["flags"])
        return found.rename(columns={"flags": "flag"}).reset_index(drop=True)


def _row_as_read(text: object) -> dict[str, str | None] | None:
    """A stored ``Record.raw`` (JSON text) as a dict; ``None`` when the record has none."""
    return json.loads(text) if isinstance(text, str) and text else None
