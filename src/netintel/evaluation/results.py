"""The results file of ``netintel evaluate --out FILE.json``: one dated run, every metric row.

Format (UTF-8 JSON, written atomically: a temporary file in the same folder, then renamed
over the target, so a reader never sees half a file)::

    {
      "date": "2026-12-04",            # the day of the run
      "seed": 0,                       # generator and analysis seed
      "records": 2000,                 # rows in the synthetic set
      "machine": {"netintel": "0.1.0", "python": "3.11.7", "platform": "Linux-...",
                  "cpus": 2, "processor": "x86_64"},
      "metrics": [                     # every row of the table, in its order
        {"metric": "precision_leaders", "k": 5, "value": 1.0, "detail": "T00022,... (6 planted)"},
        {"metric": "ring_nmi", "k": null, "value": 0.967, "detail": "7 rings found, 6 planted"},
        ...
      ]
    }

``k`` is ``null`` where it does not apply and ``value`` is ``null`` for a metric that could
not be computed (its ``detail`` says why). ``docs/evaluation/`` keeps the dated results the
README's quality table is generated from (:mod:`netintel.evaluation.readme`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from netintel.errors import InputError, InvalidValueError, OutputError

__all__ = ["EvaluationResults", "machine_info", "write_atomic"]

_COLUMNS = ["metric", "k", "value", "detail"]


def machine_info() -> dict:
    """The machine a measurement ran on: netintel and Python versions, platform, CPUs.

    >>> sorted(machine_info())
    ['cpus', 'netintel', 'platform', 'processor', 'python']
    """
    from netintel import __version__

    return {
        "netintel": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }


def write_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder
    renamed over it: the file is either the old one or the new one, never half written.

    Raises
    ------
    OutputError
        If the folder or the file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_atomic(pathlib.Path(tempfile.mkdtemp()) / "out" / "a.json", "{}\\n")
    >>> p.read_text(), [f.name for f in p.parent.iterdir()]
    ('{}\\n', ['a.json'])
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e}") from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {e}") from e
    return path


def _k(value: object) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)


def _value(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if math.isnan(value) else value


@dataclass(frozen=True)
class EvaluationResults:
    """One run of the evaluation: when, on what, and every metric row.

    Attributes
    ----------
    date : str
        ISO day of the run.
    seed, records : int
        Seed and size of the synthetic set.
    machine : dict
        See :func:`machine_info`.
    metrics : pandas.DataFrame
        ``metric, k, value, detail`` as :func:`~netintel.evaluation.run_evaluation` returns
        them (``k`` and ``value`` missing where the file has ``null``).

    Examples
    --------
    >>> rows = pd.DataFrame({"metric": ["ring_nmi"], "k": [None], "value": [0.967],
    ...                      "detail": ["7 rings found"]})
    >>> r = EvaluationResults.of(rows, seed=0, records=2000, date="2026-12-04", machine={})
    >>> EvaluationResults.from_json(r.to_json()).value("ring_nmi")
    0.967
    """

    date: str
    seed: int
    records: int
    machine: dict = field(repr=False)
    metrics: pd.DataFrame = field(repr=False)

    @classmethod
    def of(
        cls,
        metrics: pd.DataFrame,
        *,
        seed: int | None = None,
        records: int | None = None,
        date: str | None = None,
        machine: dict | None = None,
    ) -> EvaluationResults:
        """The results of a run: ``seed`` and ``records`` default to ``metrics.attrs`` (set
        by :func:`~netintel.evaluation.run_evaluation`), ``date`` to today and ``machine``
        to this one.

        Raises
        ------
        InvalidValueError
            If ``seed`` or ``records`` is neither given nor in ``metrics.attrs``.
        """
        seed = metrics.attrs.get("seed") if seed is None else seed
        records = metrics.attrs.get("records") if records is None else records
        if seed is None or records is None:
            raise InvalidValueError(
                "metrics without run_evaluation's attrs need seed= and records="
            )
        return cls(
            date=date or dt.date.today().isoformat(),
            seed=int(seed),
            records=int(records),
            machine=machine_info() if machine is None else dict(machine),
            metrics=metrics[_COLUMNS].reset_index(drop=True),
        )

    def to_json(self) -> str:
        """The results file's text (see the module)."""
        rows = [
            {"metric": str(m), "k": _k(k), "value": _value(v), "detail": str(d)}
            for m, k, v, d in self.metrics[_COLUMNS].itertuples(index=False)
        ]
        doc = {
            "date": self.date,
            "seed": self.seed,
            "records": self.records,
            "machine": self.machine,
            "metrics": rows,
        }
        return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"

    @classmethod
    def from_json(cls, text: str, *, source: str = "results") -> EvaluationResults:
        """Parse a results file's text; ``source`` names it in errors.

        Raises
        ------
        InputError
            If the text is not a results file.
        """
        try:
            doc = json.loads(text)
            rows = doc["metrics"]
            metrics = pd.DataFrame(rows, columns=_COLUMNS).astype({"k": "object"})
            metrics["value"] = metrics["value"].astype(float)
            return cls(
                date=str(doc["date"]),
                seed=int(doc["seed"]),
                records=int(doc["records"]),
                machine=dict(doc.get("machine", {})),
                metrics=metrics,
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
            raise InputError(
                f"{source} is not a netintel evaluation results file ({type(e).__name__}: {e})"
            ) from e

    def write(self, path: str | Path) -> Path:
        """Write the results file to ``path``, atomically (see :func:`write_atomic`)."""
        return write_atomic(path, self.to_json())

    @classmethod
    def read(cls, path: str | Path) -> EvaluationResults:
        """Read a results file written by :meth:`write`.

        Raises
        ------
        InputError
            If the file is missing, unreadable or not a results file.
        """
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"cannot read the results file {path}: {e}") from e
        return cls.from_json(text, source=str(path))

    def row(self, metric: str, k: int | None = None) -> dict:
        """The first row of ``metric`` (at ``k``, when given).

        Raises
        ------
        InputError
            If the results have no such row.
        """
        rows = self.metrics[self.metrics["metric"] == metric]
        if k is not None:
            rows = rows[[_k(x) == k for x in rows["k"]]]
        if rows.empty:
            at = "" if k is None else f" at k={k}"
            raise InputError(f"the results of {self.date} have no metric {metric!r}{at}")
        return rows.iloc[0].to_dict()

    def value(self, metric: str, k: int | None = None) -> float:
        """The value of :meth:`row` (NaN where it could not be computed)."""
        return float(self.row(metric, k)["value"])
