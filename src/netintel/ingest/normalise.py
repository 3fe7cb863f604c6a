"""Validate and normalise canonical records into a clean frame, a quarantine and flags.

:func:`normalise` takes the canonical frame of one file (see
:func:`netintel.ingest.read_records`) and returns ``(clean, quarantine, flags)``. A row whose
required (or checked: the amounts, see :class:`~netintel.ingest.kinds.KindSpec`) value is
missing or malformed, or that fails a rule joining several values, goes to quarantine, one
line per bad field, with the field named and a reason in plain words; every other row is in
``clean``. A malformed optional value (a date of birth ``1997-21-08``) is dropped from its
record with a quality flag, one line in ``flags``, and the record loads. Missing optional
values are fine.

Every cleaner runs once per *distinct* value of a column (:func:`netintel.values.clean_series`)
and multi-valued cells are split and exploded once, so a million rows take seconds.

Clean frame columns: ``file``, ``row``, the kind's canonical columns (normalised: names NFC,
phones E.164 -- ``phones`` and ``aliases`` as lists --, dates ISO partial, countries ISO-2,
provinces by their gazetteer name, roles/link types/drugs canonical), plus ``first_seen`` and
``last_seen`` (:class:`datetime.date` bounds of the record's date), and per kind: ``name_key``
(arrests), ``quantity_kg`` (seizures), ``from_key``/``to_key`` (communications) and
``source_key``/``target_key`` (links), the folded names.

Examples
--------
>>> raw = pd.DataFrame({"record_id": ["a1", "a2"], "name": ["Lò Văn Páo", "Vàng A Sử"],
...                     "arrest_date": ["14/05/2024", "31/02/2024"], "phones": ["0912345678", None]})
>>> raw.loc[1, "name"] = None
>>> clean, quarantine, flags = normalise(raw, "arrests", file="arrests.csv")
>>> clean[["record_id", "name_key", "arrest_date", "phones"]].to_dict("records")
[{'record_id': 'a1', 'name_key': 'lo van pao', 'arrest_date': '2024-05-14', 'phones': ['+84912345678']}]
>>> quarantine[["row", "field", "reason"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'row': 2, 'field': 'arrest_date', 'reason': "arrest_date: '31/02/2024' is not a valid date (day is out of range for month)"},
 {'row': 2, 'field': 'name', 'reason': 'name: required value is missing'}]
>>> raw.loc[1, "name"] = "Vàng A Sử"
>>> clean, quarantine, flags = normalise(raw, "arrests", file="arrests.csv")
>>> clean["arrest_date"].tolist(), len(quarantine)
(['2024-05-14', None], 0)
>>> flags[["row", "record_id", "field", "value"]].to_dict("records")
[{'row': 2, 'record_id': 'a2', 'field': 'arrest_date', 'value': '31/02/2024'}]
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from netintel.errors import InputError, InvalidValueError
from netintel.ingest.checks import (
    EXTRA_COLUMNS,
    KIND_CHECKS,
    PAIR_CHECKS,
    Checks,
    bad_rows,
    check_duplicates,
)
from netintel.ingest.kinds import KindSpec, kind_spec
from netintel.values import check_region, missing_to_none

log = logging.getLogger(__name__)

QUARANTINE_COLUMNS = ("file", "kind", "row", "record_id", "field", "value", "reason")
#: The quality flags: one line per malformed optional value, dropped from a record that loads.
FLAG_COLUMNS = ("file", "sheet", "kind", "row", "record_id", "field", "value", "reason")
ID_PREFIX = {"communications": "C-", "links": "L-", "accounts": "ACC-", "interactions": "I-"}


def record_ids(frame: pd.DataFrame, spec: KindSpec) -> pd.Series:
    """Given ids, or for a row without one ``stable_id(kind, *canonical values, prefix=...)``.

    The hash covers the kind and the row's canonical columns in :mod:`~netintel.ingest.kinds`
    order (id column excluded), as read (stripped, before normalisation); it equals
    ``netintel.batch.stable_id(kind, *values, prefix="C-")`` (``"L-"`` for links).

    >>> from netintel.batch import stable_id
    >>> from netintel.ingest.kinds import KINDS
    >>> spec = KINDS["links"]
    >>> row = {c: None for c in spec.columns} | {"source": "A", "target": "B", "link_type": "family"}
    >>> ids = record_ids(pd.DataFrame([row]), spec)
    >>> ids[0] == stable_id("links", *[row[c] for c in spec.columns[1:]], prefix="L-")
    True
    """
    ids = frame[spec.id_column].astype(object)
    missing = ids.isna()
    if not missing.any():
        return ids
    cols = [c for c in spec.columns if c != spec.id_column]
    text = pd.Series(spec.name, index=frame.index[missing], dtype=object)
    for col in cols:
        text = text + "\x1f" + frame.loc[missing, col].astype(object).fillna("").astype(str)
    prefix = ID_PREFIX.get(spec.name, "R-")
    hashed = [prefix + hashlib.blake2b(t.encode("utf-8"), digest_size=10).hexdigest() for t in text]
    ids = ids.copy()
    ids[missing] = hashed
    return ids


def phone_region_option(default_region: str) -> str:
    """The ``default_region`` option checked (:func:`netintel.values.check_region`), or
    :class:`~netintel.errors.InputError` naming it.

    >>> phone_region_option("la")
    'LA'
    """
    try:
        return check_region(default_region)
    except InvalidValueError as e:
        raise InputError(f"default_region: {e}") from None


def prepare(raw: pd.DataFrame, spec: KindSpec) -> pd.DataFrame:
    """Every canonical column as stripped text (missing tokens -> missing), ``_row``, ``_problem``."""
    frame = pd.DataFrame(index=range(len(raw)))
    canonical = raw.attrs.get("netintel_canonical", False)
    for col in spec.columns:
        if col not in raw:
            frame[col] = pd.Series(None, index=frame.index, dtype="str")
            continue
        series = pd.Series(raw[col].to_numpy(), index=frame.index).astype("str")
        if not canonical:
            series = missing_to_none(series.str.strip())
        frame[col] = series
    frame["_row"] = raw["_row"].to_numpy() if "_row" in raw else range(1, len(raw) + 1)
    frame["_problem"] = raw["_problem"].to_numpy() if "_problem" in raw else None
    frame["_bad"] = raw["_bad"].to_numpy() if "_bad" in raw else None
    for pos, cells in frame["_bad"].dropna().items():
        for col in cells:
            frame.loc[pos, col] = None  # the reader could not read it: see _report_cells
    return frame


def _report_cells(run: Checks, frame: pd.DataFrame) -> None:
    """The cells the reader could not read (``_bad``: undecodable bytes, an Excel formula
    without a value), reported like a malformed value of their column."""
    cells = frame["_bad"].dropna()
    by_col: dict[str, dict[int, str]] = {}
    for pos, found in cells.items():
        for col, reason in found.items():
            by_col.setdefault(col, {})[pos] = reason
    for col, reasons in by_col.items():
        # the reader's reason replaces "required value is missing"
        run.issues = [
            part[~((part["field"] == col) & part["pos"].isin(list(reasons)))] for part in run.issues
        ]
        why = pd.Series(reasons, dtype=object).reindex(frame.index)
        run.report(col, pd.Series(None, index=frame.index, dtype=object), why)


def _frame(
    parts: list[pd.DataFrame],
    columns: tuple[str, ...],
    frame: pd.DataFrame,
    ids: pd.Series,
    **const,
) -> pd.DataFrame:
    """Issue or flag lines (``pos``, ``field``, ``value``, ``reason``) as report rows."""
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    lines = pd.concat(parts, ignore_index=True)
    pos = lines["pos"].to_numpy()
    out = pd.DataFrame(
        {
            **{c: const[c] for c in columns if c in const},
            "row": frame["_row"].to_numpy()[pos],
            "record_id": ids.to_numpy()[pos],
            "field": lines["field"],
            "value": lines["value"],
            "reason": lines["reason"],
        }
    )[list(columns)].sort_values(["row", "field"], kind="stable", ignore_index=True)
    out["value"] = out["value"].astype(object).where(out["value"].notna(), None)
    return out


def normalise(
    raw: pd.DataFrame, kind: str, *, file: str | Path, default_region: str = "VN"
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Validate and normalise one file's canonical records.

    Parameters
    ----------
    raw : DataFrame
        Canonical columns as text (from :func:`netintel.ingest.read_records`, or built by
        hand: absent optional columns are fine; without ``_row`` rows count from 1).
    kind : str
        ``arrests``, ``seizures``, ``communications`` or ``links``.
    file : str or Path
        The source file, reported in both frames and used as the person-key scope when a
        record has no ``source_ref``.
    default_region : str
        ISO region national phone numbers are read in when the row gives no better hint (an
        arrest's ``nationality``, else its ``country``).

    Returns
    -------
    clean, quarantine, flags : DataFrame
        See the module docstring; ``quarantine`` has the columns of
        :data:`QUARANTINE_COLUMNS`, one line per bad field. Every row of ``raw`` is in exactly
        one of ``clean`` and ``quarantine``. ``flags`` has the columns of
        :data:`FLAG_COLUMNS`: one line per malformed optional value dropped from a record in
        ``clean`` (a quarantined row's flags are in ``quarantine``, with its other faults).

    Raises
    ------
    InputError
        An unknown ``kind`` or ``default_region``.
    """
    spec = kind_spec(kind)
    default_region = phone_region_option(default_region)
    frame = prepare(raw, spec)
    if spec.hashed_id:
        frame[spec.id_column] = record_ids(frame, spec).astype("str")
    run = Checks(frame, spec, str(file), default_region)
    problem = frame["_problem"].astype(object)
    run.issue("record", problem, problem)
    KIND_CHECKS[spec.name](run)
    _report_cells(run, frame)
    if problem.notna().any():  # a row that could not be split has no meaningful fields
        unsplit = set(np.flatnonzero(problem.notna().to_numpy()).tolist())
        run.issues = [
            part[(part["field"] == "record") | ~part["pos"].isin(unsplit)] for part in run.issues
        ]
        run.flags = [part[~part["pos"].isin(unsplit)] for part in run.flags]
    check_duplicates(run)
    if spec.name in PAIR_CHECKS:
        PAIR_CHECKS[spec.name](run, bad_rows(run))
    bad = bad_rows(run)

    ids = frame[spec.id_column].astype(object)
    at_bad = bad.to_numpy()
    flagged_bad = [part[at_bad[part["pos"].to_numpy()]] for part in run.flags]
    flags_ok = [part[~at_bad[part["pos"].to_numpy()]] for part in run.flags]
    names = {"file": str(file), "kind": spec.name, "sheet": raw.attrs.get("sheet")}
    quarantine = _frame(run.issues + flagged_bad, QUARANTINE_COLUMNS, frame, ids, **names)
    flags = _frame(flags_ok, FLAG_COLUMNS, frame, ids, **names)
    columns = {
        "file": pd.Series(str(file), index=frame.index, dtype=object),
        "row": frame["_row"].astype("int64"),
    }
    for col in (*spec.columns, *EXTRA_COLUMNS[spec.name], "first_seen", "last_seen"):
        columns[col] = run.out.get(col, pd.Series(None, index=frame.index, dtype=object))
    clean = pd.DataFrame(columns)[~bad].reset_index(drop=True)
    clean.attrs["unknown_columns"] = list(raw.attrs.get("unknown_columns", []))
    log.info(
        "%s: %d %s rows, %d loaded, %d quarantined",
        file,
        len(frame),
        spec.name,
        len(clean),
        int(bad.sum()),
    )
    if len(flags):
        log.warning("%s: %d optional values dropped with a quality flag", file, len(flags))
    return clean, quarantine, flags
