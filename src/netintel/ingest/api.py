"""The ingestion entry points: :func:`read_records` and :func:`ingest_files`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from collections.abc import Mapping as AbcMapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from netintel.batch import GraphBatch
from netintel.errors import InputError
from netintel.ingest.build import build_batch
from netintel.ingest.kinds import KINDS, kind_spec
from netintel.ingest.mapping import Mapping, to_canonical
from netintel.ingest.matrix import isolate_people, read_matrix
from netintel.ingest.normalise import (
    FLAG_COLUMNS,
    QUARANTINE_COLUMNS,
    normalise,
    phone_region_option,
)
from netintel.ingest.readers import file_sha256, read_table, row_texts
from netintel.outputs import atomic_write, check_output, write_spreadsheet

log = logging.getLogger(__name__)

PathLike = str | Path
Paths = PathLike | Iterable[PathLike]
MappingArg = PathLike | Mapping | AbcMapping[str, PathLike | Mapping] | None
#: The quarantine's file types: CSV and .xlsx as every table (formulas neutralised, CSV with a
#: byte-order mark), or JSON lines.
QUARANTINE_FORMATS = (".csv", ".xlsx", ".jsonl")
RECONCILIATION_COLUMNS = (
    "file",
    "kind",
    "read",
    "loaded",
    "quarantined",
    "flagged",
    "unknown_columns",
)
#: The rows of the loaded records as read (:attr:`IngestResult.originals`).
ORIGINAL_COLUMNS = ("file", "sheet", "row", "record_id", "file_sha256", "raw")


@dataclass
class IngestResult:
    """What :func:`ingest_files` produced.

    Attributes
    ----------
    batch : GraphBatch
        Consolidated and validated against the schema.
    reconciliation : DataFrame
        One row per file: ``file, kind, read, loaded, quarantined, flagged,
        unknown_columns`` (``read == loaded + quarantined``; a quarantined row counts once
        however many of its fields are bad; ``flagged``: loaded records with a quality flag;
        ``unknown_columns``: the file's columns that were not loaded, ``", "``-joined).
    quarantine : DataFrame
        ``file, kind, row, record_id, field, value, reason``: one line per bad field.
    clean : dict of str to DataFrame
        The clean records by kind (the input of entity resolution).
    flags : DataFrame
        Quality flags, :data:`~netintel.ingest.normalise.FLAG_COLUMNS` (``file, sheet,
        kind, row, record_id, field, value, reason``): one line per malformed optional value
        dropped from a record that loaded.
    originals : DataFrame
        :data:`ORIGINAL_COLUMNS` (``file, sheet, row, record_id, file_sha256, raw``): one line
        per loaded record, its row as read before mapping and normalisation (``raw``: a JSON
        object of the file's own column names to the cell texts,
        :func:`~netintel.ingest.readers.row_texts`; for a matrix, the cell: ``{"row": label,
        "column": label, "value": text}``) and the SHA-256 of the whole input file
        (:func:`~netintel.ingest.readers.file_sha256`). Quarantined rows are not here (they
        are in ``quarantine``). The versions ledger stores both on each record's version.
    """

    batch: GraphBatch
    reconciliation: pd.DataFrame
    quarantine: pd.DataFrame
    clean: dict[str, pd.DataFrame] = field(default_factory=dict)
    flags: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({c: pd.Series(dtype=object) for c in FLAG_COLUMNS})
    )
    originals: pd.DataFrame = field(default_factory=lambda: _empty(ORIGINAL_COLUMNS))

    def summary(self) -> str:
        """A few lines for a person: counts per file, graph size, the commonest problems."""
        rec = self.reconciliation
        lines = [
            f"{len(rec)} file(s): {int(rec['read'].sum()):,} rows read, "
            f"{int(rec['loaded'].sum()):,} loaded, {int(rec['quarantined'].sum()):,} quarantined"
        ]
        for r in rec.itertuples(index=False):
            lines.append(
                f"  {r.kind:<15} {Path(r.file).name}: {r.read:,} read, {r.loaded:,} loaded, "
                f"{r.quarantined:,} quarantined"
                + (f", {r.flagged:,} with quality flags" if r.flagged else "")
                + (f" (columns not loaded: {r.unknown_columns})" if r.unknown_columns else "")
            )
        counts = self.batch.counts()
        nodes = ", ".join(f"{k} {counts[k]:,}" for k in sorted(self.batch.nodes))
        rels = ", ".join(
            f"{k} {v:,}" for k, v in sorted(counts.items()) if k not in self.batch.nodes
        )
        lines.append(f"graph: {nodes or 'no nodes'}")
        if rels:
            lines.append(f"       {rels}")
        if len(self.quarantine):
            top = self.quarantine.groupby(["kind", "field"]).size().sort_values(ascending=False)
            lines.append(
                "quarantined fields: "
                + ", ".join(f"{kind}.{fld} {n:,}" for (kind, fld), n in top.head(8).items())
            )
        if len(self.flags):
            top = self.flags.groupby(["kind", "field"]).size().sort_values(ascending=False)
            lines.append(
                f"{len(self.flags):,} quality flags (values dropped, records loaded): "
                + ", ".join(f"{kind}.{fld} {n:,}" for (kind, fld), n in top.head(8).items())
            )
        return "\n".join(lines)


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _paths(value: Paths | None) -> list[Path]:
    if value is None:
        return []
    if isinstance(value, str | Path):
        return [Path(value)]
    return [Path(p) for p in value]


def _load_mapping(value: PathLike | Mapping | None) -> Mapping | None:
    if value is None or isinstance(value, Mapping):
        return value
    return Mapping.load(value)


def _mapping_for(mapping: MappingArg, kind: str, cache: dict) -> Mapping | None:
    if isinstance(mapping, AbcMapping):
        for key in mapping:
            kind_spec(str(key))
        chosen = next((v for k, v in mapping.items() if kind_spec(str(k)).name == kind), None)
    else:
        chosen = mapping
    key = id(chosen) if isinstance(chosen, Mapping) else chosen
    if key not in cache:
        cache[key] = _load_mapping(chosen)
    return cache[key]


def read_records(
    path: PathLike,
    kind: str,
    *,
    mapping: PathLike | Mapping | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read one file of ``kind`` into canonical columns (as text), with ``_row``.

    Parameters
    ----------
    path : str or Path
        A ``.csv``/``.tsv`` (optionally ``.gz``), ``.jsonl``, ``.parquet`` or ``.xlsx`` file.
    kind : str
        ``arrests``, ``seizures``, ``communications``, ``links``, ``shipments``,
        ``accounts`` or ``interactions``.
    mapping : str, Path or Mapping, optional
        A YAML column mapping (see ``graph_schema/records.md``).
    encoding : str, optional
        The text encoding when not UTF-8 (else the mapping's ``encoding``).

    Returns
    -------
    DataFrame
        Every canonical column of the kind (missing values as missing), ``_row`` (the source
        row number, see :mod:`netintel.ingest.readers`) and ``_problem`` (why the reader could
        not split a row, else missing).

    Raises
    ------
    InputError
        The file cannot be read (missing, wrong encoding, unsupported type) or lacks a
        required column, or the mapping is invalid.
    """
    return _read(path, kind, mapping=mapping, encoding=encoding)[1]


def _read(
    path: PathLike,
    kind: str,
    *,
    mapping: PathLike | Mapping | None = None,
    encoding: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The file as read (its own columns) and in canonical columns (:func:`read_records`)."""
    spec = kind_spec(kind)
    mapping = _load_mapping(mapping)
    enc = encoding or (mapping.encoding if mapping else None)
    table = read_table(path, encoding=enc, sheet=mapping.sheet if mapping else None)
    return table, to_canonical(table, spec, mapping, path=path)


def _originals(
    path: Path, kind: str, ok: pd.DataFrame, texts: pd.Series, key: str, sheet: str | None
) -> pd.DataFrame:
    """:data:`ORIGINAL_COLUMNS` of the loaded records ``ok`` of one file; ``texts``: the rows
    as read (:func:`~netintel.ingest.readers.row_texts`), indexed by ``ok[key]``."""
    if not len(ok):
        return _empty(ORIGINAL_COLUMNS)
    return pd.DataFrame(
        {
            "file": str(path),
            "sheet": sheet,
            "row": ok["row"].to_numpy(),
            "record_id": ok[kind_spec(kind).id_column].astype(str).to_numpy(),
            "file_sha256": file_sha256(path),
            "raw": texts.reindex(ok[key].to_numpy()).to_numpy(),
        }
    )


def _matrix_texts(raw: pd.DataFrame, kind: str) -> pd.Series:
    """Matrix records as read, by record id: each its cell, ``{"row": label, "column":
    label, "value": text}`` (the value as the record reads it: see :func:`read_matrix`)."""
    ends = ("from_person", "to_person", "count") if kind == "communications" else None
    a, b, value = ends or ("source", "target", "weight")
    frame = pd.DataFrame({"row": raw[a], "column": raw[b], "value": raw[value]})
    return pd.Series(row_texts(frame).to_numpy(), index=raw["record_id"].to_numpy())


def _write_quarantine(frame: pd.DataFrame, path: Path) -> None:
    """Write the quarantine whole or not at all (:func:`netintel.outputs.atomic_write`); CSV
    and .xlsx by the rules of every table (:func:`netintel.outputs.write_spreadsheet`: cells
    a spreadsheet would run as formulas neutralised, CSV with a byte-order mark)."""
    with atomic_write(path) as tmp:
        if path.suffix.lower() in (".csv", ".xlsx"):
            write_spreadsheet(frame, tmp, sheet="quarantine")
        elif len(frame):
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
        else:
            tmp.write_text("", encoding="utf-8")


def ingest_files(
    *,
    arrests: Paths = (),
    seizures: Paths = (),
    communications: Paths = (),
    links: Paths = (),
    shipments: Paths = (),
    accounts: Paths = (),
    interactions: Paths = (),
    matrices: Paths = (),
    matrix_kind: str = "communications",
    mapping: MappingArg = None,
    encoding: str | None = None,
    default_region: str = "VN",
    quarantine: PathLike | None = None,
    progress: Callable[[str, int], object] | None = None,
) -> IngestResult:
    """Read, validate and normalise record files and build the graph batch.

    Parameters
    ----------
    arrests, seizures, communications, links, shipments, accounts, interactions : path or iterable of paths
        Record files of each kind (see ``graph_schema/records.md``).
    matrices : path or iterable of paths
        Adjacency-matrix CSVs (:func:`~netintel.ingest.matrix.read_matrix`), read as
        ``matrix_kind`` (``"communications"`` or ``"links"``).
    mapping : path, Mapping, or dict of kind to path/Mapping, optional
        One mapping applies to every record file (it must then fit every kind given; one
        that declares ``kind`` fails on files of another kind). A dict gives each kind its
        own; kinds without an entry are read unmapped. Matrices are never mapped.
    encoding : str, optional
        Text encoding of every text file (default UTF-8, or each mapping's ``encoding``).
    default_region : str
        ISO region national phone numbers are read in (default ``"VN"``).
    quarantine : path, optional
        Where to write the quarantine (``.csv``, ``.xlsx`` or ``.jsonl``); written whenever
        given, even when empty, so a scheduled job always finds it.
    progress : callable, optional
        Called as ``progress(description, 1)`` after each file and once after the graph is
        built (so the total is the number of files plus one).

    Returns
    -------
    IngestResult

    Raises
    ------
    InputError
        A file or mapping that cannot be read at all, or an unknown ``default_region`` or
        ``matrix_kind``; nothing is built then.
    """
    default_region = phone_region_option(default_region)
    qpath = Path(quarantine) if quarantine is not None else None
    if qpath is not None and qpath.suffix.lower() not in QUARANTINE_FORMATS:
        raise InputError(f"{qpath}: the quarantine file must end in .csv, .xlsx or .jsonl")
    if matrix_kind not in ("communications", "links"):
        raise InputError(f"matrix_kind must be 'communications' or 'links', not {matrix_kind!r}")
    cache: dict = {}
    jobs = [
        (kind, p)
        for kind, paths in (
            ("arrests", arrests),
            ("seizures", seizures),
            ("communications", communications),
            ("links", links),
            ("shipments", shipments),
            ("accounts", accounts),
            ("interactions", interactions),
        )
        for p in _paths(paths)
    ]
    if qpath is not None:  # before anything is read: never one of the inputs
        inputs = [p for _, p in jobs] + list(_paths(matrices))
        check_output(qpath, suffixes=QUARANTINE_FORMATS, inputs=inputs)
    clean: dict[str, list[pd.DataFrame]] = {k: [] for k in KINDS}
    quarantined: list[pd.DataFrame] = []
    flagged: list[pd.DataFrame] = []
    originals: list[pd.DataFrame] = []
    recon = []
    for kind, path in jobs:
        table, raw = _read(
            path, kind, mapping=_mapping_for(mapping, kind, cache), encoding=encoding
        )
        ok, bad, flags = normalise(raw, kind, file=path, default_region=default_region)
        _account(recon, clean, quarantined, path, kind, len(raw), ok, bad, flags=flags)
        texts = pd.Series(row_texts(table).to_numpy(), index=table["_row"].to_numpy())
        originals.append(_originals(path, kind, ok, texts, "row", table.attrs.get("sheet")))
        del table, texts
        flagged.append(flags)
        if progress:
            progress(f"{kind}: {path.name}", 1)
    isolates = []
    for path in _paths(matrices):
        raw = read_matrix(path, kind=matrix_kind, encoding=encoding)
        ok, bad, flags = normalise(raw, matrix_kind, file=path, default_region=default_region)
        flagged.append(flags)
        alone = raw.attrs.get("isolates", [])
        isolates.append(isolate_people(path, alone, raw.attrs.get("source_ref", path.stem)))
        key = kind_spec(matrix_kind).id_column
        originals.append(
            _originals(path, matrix_kind, ok, _matrix_texts(raw, matrix_kind), key, None)
        )
        _account(recon, clean, quarantined, path, matrix_kind, len(raw), ok, bad, len(alone), flags)
        if progress:
            progress(f"matrix: {path.name}", 1)

    frames = {k: pd.concat(v, ignore_index=True) for k, v in clean.items() if v}
    batch = build_batch(frames)
    for people in isolates:
        batch.add_nodes("Person", people)
    if progress:
        progress("graph", 1)
    qframe = (
        pd.concat(quarantined, ignore_index=True)
        if quarantined
        else pd.DataFrame({c: pd.Series(dtype=object) for c in QUARANTINE_COLUMNS})
    )
    if qpath is not None:
        _write_quarantine(qframe, qpath)
    reconciliation = pd.DataFrame(recon, columns=list(RECONCILIATION_COLUMNS))
    flags = [f for f in flagged if len(f)]
    fframe = (
        pd.concat(flags, ignore_index=True)
        if flags
        else pd.DataFrame({c: pd.Series(dtype=object) for c in FLAG_COLUMNS})
    )
    found = [f for f in originals if len(f)]
    oframe = pd.concat(found, ignore_index=True) if found else _empty(ORIGINAL_COLUMNS)
    result = IngestResult(batch, reconciliation, qframe, frames, fframe, oframe)
    log.info("ingest: %s", result.summary().replace("\n", " | "))
    return result


def _account(
    recon: list,
    clean: dict,
    quarantined: list,
    path: Path,
    kind: str,
    read: int,
    ok: pd.DataFrame,
    bad: pd.DataFrame,
    extra: int = 0,
    flags: pd.DataFrame | None = None,
) -> None:
    """Record one file's reconciliation; ``extra`` counts records loaded outside ``ok``
    (the tie-less people of a matrix)."""
    n_bad = int(bad["row"].nunique()) if len(bad) else 0
    if read != len(ok) + n_bad:
        raise AssertionError(f"{path}: {read} rows read but {len(ok)} loaded + {n_bad} quarantined")
    n_flagged = int(flags["row"].nunique()) if flags is not None and len(flags) else 0
    unknown = ", ".join(map(str, ok.attrs.get("unknown_columns", [])))
    recon.append((str(path), kind, read + extra, len(ok) + extra, n_bad, n_flagged, unknown))
    clean[kind].append(ok)
    if len(bad):
        quarantined.append(bad)
