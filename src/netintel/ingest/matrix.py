"""Adjacency matrices (the form of published criminal-network data) as canonical records.

A matrix CSV has node labels in its first row and first column (in the same order) and tie
strengths in the cells (0 or empty: no tie). Each tie becomes one record with
``from_person`` = the row's label and ``to_person`` = the column's label (communications,
``count`` = the cell) or ``source``/``target`` (links of type ``co_offending``, ``weight`` = the
cell). Labels may be names or numbers. The diagonal is ignored. A label with no tie at all
still names a person of the network: :func:`isolate_people` gives them a Person node each.

A symmetric matrix is an undirected network stored twice; by default (``undirected=None``) it
is detected and each tie is read once, from the upper triangle (row before column), so a
network of 361 undirected ties gives 361 records, not 722. ``undirected=False`` reads every
nonzero cell; ``undirected=True`` reads the upper triangle of ``max(M, M.T)``.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "ring.csv"
>>> _ = p.write_text(',A,B,C\\nA,0,2,0\\nB,0,0,1\\nC,0,0,0\\n')
>>> read_matrix(p)[["from_person", "to_person", "count", "source_ref", "_row"]].to_dict("records")
[{'from_person': 'A', 'to_person': 'B', 'count': '2', 'source_ref': 'ring', '_row': 2}, {'from_person': 'B', 'to_person': 'C', 'count': '1', 'source_ref': 'ring', '_row': 3}]
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from netintel.batch import stable_id
from netintel.errors import InputError, InvalidValueError
from netintel.ingest.readers import read_csv
from netintel.values import clean_name, name_key

log = logging.getLogger(__name__)


def _number_text(value: float) -> str:
    """A cell as the plain decimal text records use (never an exponent).

    >>> _number_text(3.0), _number_text(0.00001)
    ('3', '0.00001')
    """
    return str(int(value)) if float(value).is_integer() else np.format_float_positional(value)


def read_matrix(
    path: str | Path,
    *,
    kind: str = "communications",
    source_ref: str | None = None,
    encoding: str | None = None,
    undirected: bool | None = None,
) -> pd.DataFrame:
    """Read an adjacency-matrix CSV as canonical communications (or links) records.

    Parameters
    ----------
    path : str or Path
        The matrix CSV.
    kind : {"communications", "links"}
        What a tie is: a communication (``count``) or a ``co_offending`` link (``weight``).
    source_ref : str, optional
        The records' ``source_ref`` (default: the file's stem). People are keyed by name
        within it (see ``graph_schema/records.md``).
    encoding : str, optional
        Text encoding (UTF-8 by default).
    undirected : bool, optional
        See the module docstring (default: detect a symmetric matrix).

    Returns
    -------
    DataFrame
        Canonical columns of ``kind`` that a matrix fills, and ``_row`` (the line of the
        tie's row). ``record_id`` is ``stable_id(file name, row label, column label,
        prefix="M-")``.

    Raises
    ------
    InputError
        A matrix that is not square, whose row and column labels differ, or with a cell that
        is not a non-negative number (the message names the row and the column).
    """
    path = Path(path)
    if kind not in ("communications", "links"):
        raise InputError(f"{path}: a matrix reads as communications or links, not {kind!r}")
    frame = read_csv(path, encoding=encoding)
    if "_problem" in frame and frame["_problem"].notna().any():
        bad = frame.loc[frame["_problem"].notna()].iloc[0]
        raise InputError(f"{path}: row {bad['_row']} {bad['_problem']}")
    rows = frame.pop("_row").to_numpy()
    frame = frame.drop(columns=["_problem"], errors="ignore")
    if frame.shape[1] < 2:
        raise InputError(f"{path}: a matrix needs a label column and at least one node column")
    labels = [str(c) for c in frame.columns[1:]]
    row_labels = frame.iloc[:, 0].astype(object).tolist()
    if len(row_labels) != len(labels):
        raise InputError(f"{path}: not square: {len(row_labels)} rows and {len(labels)} columns")
    for i, (r, c) in enumerate(zip(row_labels, labels, strict=True)):
        if r is None or r != r or str(r) != c:
            raise InputError(
                f"{path}: row {rows[i]} is labelled {r!r} but column {i + 2} is {c!r}; "
                "rows and columns must list the same nodes in the same order"
            )
    cells = frame.iloc[:, 1:]
    values = np.array(
        cells.apply(lambda s: pd.to_numeric(s.fillna("0"), errors="coerce")), dtype=float
    )
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        raise InputError(
            f"{path}: row {rows[i]} ({labels[i]!r}), column {j + 2} ({labels[j]!r}): "
            f"{cells.iat[i, j]!r} is not a non-negative number"
        )
    np.fill_diagonal(values, 0)
    symmetric = bool(np.array_equal(values, values.T))
    if undirected is None:
        undirected = symmetric
        if symmetric:
            log.info("%s: symmetric matrix read as undirected (upper triangle)", path)
    if undirected:
        values = np.triu(np.maximum(values, values.T))
    ii, jj = np.nonzero(values)
    ref = source_ref or path.stem
    src = [labels[i] for i in ii]
    dst = [labels[j] for j in jj]
    strength = [_number_text(v) for v in values[ii, jj]]
    out = pd.DataFrame(
        {
            "record_id": [
                stable_id(path.name, a, b, prefix="M-") for a, b in zip(src, dst, strict=True)
            ],
            "from_person" if kind == "communications" else "source": src,
            "to_person" if kind == "communications" else "target": dst,
            "count" if kind == "communications" else "weight": strength,
            "source_ref": ref,
        }
    )
    if kind == "links":
        out["link_type"] = "co_offending"
    out["_row"] = rows[ii] if len(ii) else np.zeros(0, dtype=np.int64)
    tied = set(ii.tolist()) | set(jj.tolist())
    out.attrs["isolates"] = [(labels[i], int(rows[i])) for i in range(len(labels)) if i not in tied]
    out.attrs["source_ref"] = ref
    return out


def isolate_people(
    path: str | Path, isolates: list[tuple[str, int]], source_ref: str
) -> pd.DataFrame:
    """Person node rows for the labels of a matrix that have no tie at all.

    A published network lists people the investigation named but never saw in contact with
    anyone; they are part of the network (its components, its size), so each such label is
    a record of its own: ``record_id`` = ``stable_id(file name, label, prefix="M-")``, keyed
    like the people of the matrix's ties (folded name within ``source_ref``).

    >>> isolate_people("ring.csv", [("Lò Văn Páo", 5)], "ring")[["name", "name_key", "sources"]].values.tolist()
    [['Lò Văn Páo', 'lo van pao', ['M-...']]]
    """
    names = []
    for label, row in isolates:
        try:
            names.append(clean_name(label))
        except InvalidValueError as e:
            raise InputError(f"{path}: row {row}: the label {e}") from None
    keys = [name_key(n) for n in names]
    return pd.DataFrame(
        {
            "id": [stable_id(f"ns:{k}|{source_ref}", prefix="P-") for k in keys],
            "name": names,
            "name_key": keys,
            "sources": [[stable_id(Path(path).name, label, prefix="M-")] for label, _ in isolates],
        }
    )


#: Files of a network folder that describe its people rather than its ties.
LABEL_FILES = ("roles.csv", "segments.csv")


@dataclass(frozen=True)
class NetworkFolder:
    """One published network laid out as a folder (see :func:`network_folders`)."""

    name: str
    matrix: Path
    roles: Path | None = None
    segments: Path | None = None


def network_folders(root: str | Path) -> list[NetworkFolder]:
    """The networks under ``root``, one per sub-folder, sorted by name.

    A network folder holds one adjacency-matrix CSV (the only ``.csv`` that is not a label
    file) and, optionally, ``roles.csv`` (``id,role,...``: verified roles of some
    participants, ids as in the matrix) and ``segments.csv`` (``id,segment``). Folders
    without exactly one matrix are skipped with a log message.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "ring").mkdir()
    >>> _ = (root / "ring" / "ring.csv").write_text(",A,B\\nA,0,1\\nB,0,0\\n")
    >>> _ = (root / "ring" / "roles.csv").write_text("id,role\\nA,organizer\\n")
    >>> [(n.name, n.matrix.name, n.roles.name) for n in network_folders(root)]
    [('ring', 'ring.csv', 'roles.csv')]
    """
    out = []
    for folder in sorted(p for p in Path(root).iterdir() if p.is_dir()):
        matrices = sorted(p for p in folder.glob("*.csv") if p.name not in LABEL_FILES)
        if len(matrices) != 1:
            log.info("%s: %d matrix files, expected one; skipped", folder, len(matrices))
            continue
        extra = {n.split(".")[0]: folder / n for n in LABEL_FILES if (folder / n).is_file()}
        out.append(NetworkFolder(folder.name, matrices[0], **extra))
    return out
