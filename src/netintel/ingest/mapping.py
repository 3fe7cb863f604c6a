"""Column mappings: load an agency's export unedited by naming its columns in YAML.

A mapping file (documented in ``graph_schema/records.md``)::

    kind: arrests                       # optional: the kind this mapping is for
    columns: {Ho_ten: name, Ngay_bat: arrest_date, SDT: phones}
    multi_value_separator: ","          # optional, default ";"
    values: {role: {"đối tượng cầm đầu": organizer}}   # optional value maps
    constants: {country: VN}            # optional: used where the file has no value
    encoding: cp1258                    # optional: the file's encoding
    sheet: Sheet1                       # optional: the Excel worksheet
    ignore: [Ghi_chu, arest_date]       # optional: columns deliberately not loaded

Several source columns may map to one multi-valued column (``SDT1: phones, SDT2: phones``);
their values are joined. A file column that is already a canonical name passes through
unmapped; other columns are not loaded and are reported (``frame.attrs["unknown_columns"]``,
the reconciliation's ``unknown_columns``), unless listed in ``ignore``. A column whose name is
a near miss of a canonical column the file lacks (``arest_date``: a typo would otherwise
load every arrest without its date) is an :class:`~netintel.errors.InputError` unless it is
mapped or listed in ``ignore``.

Examples
--------
>>> m = Mapping.from_dict({"columns": {"Ho_ten": "name", "SDT": "phones"},
...                        "multi_value_separator": ","})
>>> raw = pd.DataFrame({"Ho_ten": ["Lê Văn A"], "SDT": ["0912345678, 0987654321"],
...                     "record_id": ["r1"], "_row": [2]})
>>> out = to_canonical(raw, KINDS["arrests"], m)
>>> out.loc[0, ["record_id", "name", "phones"]].tolist()
['r1', 'Lê Văn A', '0912345678; 0987654321']
>>> Mapping.from_dict({"columns": {"Ho_ten": "full_name"}}, origin="m.yaml")
Traceback (most recent call last):
...
netintel.errors.InputError: m.yaml: columns.Ho_ten: 'full_name' is not a canonical column; use one of ...
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from netintel.errors import InputError
from netintel.ingest.kinds import ALL_COLUMNS, KINDS, KindSpec, kind_spec
from netintel.values import fold, missing_to_none

log = logging.getLogger(__name__)

_KEYS = (
    "kind",
    "columns",
    "multi_value_separator",
    "values",
    "constants",
    "encoding",
    "sheet",
    "ignore",
)
META = ("_row", "_problem", "_bad")
#: How alike (:class:`difflib.SequenceMatcher` ratio of the folded names) a file column and a
#: canonical column must be for the file column to be taken for a misspelling.
NEAR_MISS = 0.85


@dataclass(frozen=True)
class Mapping:
    """A validated column mapping (see the module docstring)."""

    columns: dict[str, str] = field(default_factory=dict)
    kind: str | None = None
    multi_value_separator: str = ";"
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    sheet: str | None = None
    origin: str = "<mapping>"
    ignore: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        """Read and validate a YAML mapping file."""
        path = Path(path)
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            raise InputError(f"{path}: cannot read the mapping ({e})") from e
        return cls.from_dict(doc or {}, origin=str(path))

    @classmethod
    def from_dict(cls, doc: dict, *, origin: str = "<mapping>") -> Mapping:
        """Validate a parsed mapping document."""
        if not isinstance(doc, dict):
            raise InputError(f"{origin}: a mapping must be a YAML mapping of {', '.join(_KEYS)}")
        for key in doc:
            if key not in _KEYS:
                raise InputError(f"{origin}: unknown key {key!r}; use {', '.join(_KEYS)}")
        kind = doc.get("kind")
        allowed = ALL_COLUMNS
        if kind is not None:
            try:
                kind = kind_spec(str(kind)).name
            except InputError as e:
                raise InputError(f"{origin}: kind: {e}") from None
            allowed = frozenset(KINDS[kind].columns)
        hint = ", ".join(sorted(allowed))

        def table(key: str) -> dict:
            value = doc.get(key) or {}
            if not isinstance(value, dict):
                raise InputError(f"{origin}: {key} must be a mapping")
            return value

        columns = {}
        for src, target in table("columns").items():
            if target not in allowed:
                raise InputError(
                    f"{origin}: columns.{src}: {target!r} is not a canonical column; use one of {hint}"
                )
            columns[str(src).strip()] = str(target)
        values = {}
        for target, vmap in table("values").items():
            if target not in allowed or not isinstance(vmap, dict):
                raise InputError(
                    f"{origin}: values.{target}: expected a canonical column mapped to "
                    f"{{recorded value: canonical value}}; columns: {hint}"
                )
            values[target] = {str(k): str(v) for k, v in vmap.items()}
        constants = {}
        for target, value in table("constants").items():
            if target not in allowed:
                raise InputError(
                    f"{origin}: constants.{target}: not a canonical column; use one of {hint}"
                )
            constants[target] = str(value)
        sep = str(doc.get("multi_value_separator", ";"))
        if not sep:
            raise InputError(f"{origin}: multi_value_separator must not be empty")
        ignore = doc.get("ignore") or []
        if isinstance(ignore, str) or not isinstance(ignore, list):
            raise InputError(f"{origin}: ignore must be a list of column names")
        return cls(
            columns,
            kind,
            sep,
            values,
            constants,
            doc.get("encoding"),
            doc.get("sheet"),
            origin,
            tuple(str(c).strip() for c in ignore),
        )

    def check(self, spec: KindSpec) -> None:
        """Raise :class:`InputError` when the mapping cannot apply to records of ``spec``."""
        if self.kind is not None and self.kind != spec.name:
            raise InputError(
                f"{self.origin}: this mapping is for {self.kind}, not {spec.name}; "
                f"give one mapping per kind, e.g. mapping={{'{spec.name}': ...}}"
            )
        for part, keys in (
            ("columns", self.columns.items()),
            ("values", self.values.items()),
            ("constants", self.constants.items()),
        ):
            for key, target in keys:
                column = target if part == "columns" else key
                if column not in spec.columns:
                    raise InputError(
                        f"{self.origin}: {part}.{key}: {column!r} is not a column of {spec.name}"
                    )


def _value_map(series: pd.Series, vmap: dict[str, str]) -> pd.Series:
    exact = dict(vmap)
    folded = {fold(k): v for k, v in vmap.items()}
    lookup = {}
    for value in pd.unique(series.dropna()):
        hit = exact.get(value, folded.get(fold(value)))
        if hit is not None:
            lookup[value] = hit
    if not lookup:
        return series
    mapped = series.map(lookup)
    return mapped.where(mapped.notna(), series)


def to_canonical(
    frame: pd.DataFrame,
    spec: KindSpec,
    mapping: Mapping | None = None,
    *,
    path: str | Path = "<records>",
) -> pd.DataFrame:
    """Rename, combine, value-map and fill ``frame`` into the canonical columns of ``spec``.

    Returns every canonical column (all-missing where the file has none), plus ``_row`` and
    ``_problem``. Texts in :data:`~netintel.values.MISSING_TOKENS` become missing values.

    Raises
    ------
    InputError
        When the mapping does not fit the kind, or a required column is absent.
    """
    mapping = mapping or Mapping()
    mapping.check(spec)
    sources: dict[str, list[str]] = {}
    for col in frame.columns:
        if col in META:
            continue
        target = mapping.columns.get(col)
        if target is None and col in spec.columns and col not in mapping.columns.values():
            target = col
        if target is None:
            continue
        sources.setdefault(target, []).append(col)
    used = {c for cols in sources.values() for c in cols}
    unknown = [
        c for c in frame.columns if c not in META and c not in used and c not in mapping.ignore
    ]
    _refuse_near_misses(unknown, spec, set(sources) | set(mapping.constants), path)
    if unknown:
        log.warning("%s: columns not loaded (not %s columns): %s", path, spec.name, unknown)
    absent = [c for c in mapping.columns if c not in frame.columns]
    if absent:
        log.warning(
            "%s: mapping %s names columns not in the file: %s", path, mapping.origin, absent
        )

    out = pd.DataFrame(index=frame.index)
    sep = mapping.multi_value_separator
    for column in spec.columns:
        cols = sources.get(column, [])
        if len(cols) > 1 and column not in spec.multi:
            raise InputError(f"{path}: columns {cols} all map to {column!r}, which takes one value")
        if not cols:
            series = pd.Series(None, index=frame.index, dtype="str")
        elif len(cols) == 1:
            series = frame[cols[0]].astype("str")
        else:
            series = frame[cols[0]].astype("str")
            for col in cols[1:]:
                more = frame[col].astype("str")
                series = (series + sep + more).fillna(series).fillna(more)
        series = missing_to_none(series)
        if column in spec.multi and sep != ";":
            series = series.str.replace(sep, ";", regex=False)
        if column in mapping.values:
            series = _value_map(series, mapping.values[column])
        if column in mapping.constants:
            series = series.fillna(mapping.constants[column])
        out[column] = series
    missing = [c for c in spec.required if c not in sources and c not in mapping.constants]
    if missing:
        found = [c for c in frame.columns if c not in META]
        raise InputError(
            f"{path}: {spec.name} need column(s) {missing}; the file has {found}. "
            f"Rename them or give a mapping (see graph_schema/records.md)"
        )
    if spec.name == "communications":
        for side in ("from", "to"):
            if f"{side}_phone" not in sources and f"{side}_person" not in sources:
                raise InputError(
                    f"{path}: communications need a {side}_phone or a {side}_person column"
                )
    out["_row"] = frame["_row"].to_numpy() if "_row" in frame else range(1, len(frame) + 1)
    out["_problem"] = frame.get("_problem", None)
    out["_bad"] = _bad_cells(frame, sources)
    out = out.reset_index(drop=True)
    out.attrs["netintel_canonical"] = True
    out.attrs["unknown_columns"] = unknown
    out.attrs["sheet"] = frame.attrs.get("sheet")
    return out


def _bad_cells(frame: pd.DataFrame, sources: dict[str, list[str]]) -> pd.Series:
    """The reader's per-cell problems (``_bad``: ``{file column: reason}``) of the columns
    used, keyed by canonical column; ``None`` for a row without any."""
    if "_bad" not in frame:
        return pd.Series(None, index=frame.index, dtype=object)
    target = {col: canon for canon, cols in sources.items() for col in cols}

    def used(cells: object) -> dict | None:
        if not isinstance(cells, dict):
            return None
        found = {target[c]: f"{c} {why}" for c, why in cells.items() if c in target}
        return found or None

    return frame["_bad"].map(used).astype(object)


def _key(column: str) -> str:
    return fold(column).replace(" ", "_")


def _refuse_near_misses(
    unknown: list[str], spec: KindSpec, present: set[str], path: str | Path
) -> None:
    """:class:`InputError` for a file column that looks like a misspelt canonical column the
    file lacks (see the module docstring).

    >>> _refuse_near_misses(["arest_date", "notes"], KINDS["arrests"], {"name"}, "a.csv")
    Traceback (most recent call last):
    ...
    netintel.errors.InputError: a.csv: column 'arest_date' looks like a misspelling of 'arrest_date' and would not be loaded; rename it, map it (columns: {arest_date: arrest_date}) or list it in the mapping's ignore
    """
    absent = {_key(c): c for c in spec.columns if c not in present}
    for col in unknown:
        near = difflib.get_close_matches(_key(col), list(absent), n=1, cutoff=NEAR_MISS)
        if near:
            raise InputError(
                f"{path}: column {col!r} looks like a misspelling of {absent[near[0]]!r} and "
                f"would not be loaded; rename it, map it (columns: {{{col}: {absent[near[0]]}}}) "
                "or list it in the mapping's ignore"
            )
