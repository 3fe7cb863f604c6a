"""The README's real-network tables, generated from a results file of ``evaluate --real``.

``netintel evaluate --real DIR --out docs/evaluation/real/DATE.json --readme README.md``
(or ``--from docs/evaluation/real/DATE.json --readme README.md``) rewrites the text between
the two markers below and nothing else::

    <!-- evaluation-real:start -->
    ...generated...
    <!-- evaluation-real:end -->
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pandas as pd

from netintel.errors import InputError
from netintel.evaluation.real import REAL_COLUMNS, real_summary
from netintel.evaluation.results import write_atomic

__all__ = ["REAL_END", "REAL_START", "read_real_results", "real_readme_block", "update_real_readme"]

REAL_START = "<!-- evaluation-real:start -->"
REAL_END = "<!-- evaluation-real:end -->"


def read_real_results(path: str | Path) -> tuple[dict, pd.DataFrame]:
    """The header and the rows of a results file written by ``evaluate --real --out``.

    Raises
    ------
    InputError
        If the file cannot be read or is not such a file.
    """
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(f"cannot read {path}: {e}") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
        raise InputError(f"{path}: not a results file of evaluate --real (no 'rows' list)")
    rows = pd.DataFrame(doc["rows"])
    missing = set(REAL_COLUMNS) - set(rows.columns)
    if missing:
        raise InputError(f"{path}: rows lack {', '.join(sorted(missing))}")
    return doc, rows[REAL_COLUMNS]


def _markdown(frame: pd.DataFrame) -> list[str]:
    def cell(v: object) -> str:
        if isinstance(v, float):
            return f"{v:.2f}" if v == 0 or abs(v) >= 0.1 else f"{v:.2g}"
        return str(v)

    cols = [str(c) for c in frame.columns]
    lines = [
        "| " + " | ".join(cols) + " |",
        "| " + " | ".join(["---"] + ["---:"] * (len(cols) - 1)) + " |",
    ]
    lines += [
        "| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return lines


def real_readme_block(doc: dict, rows: pd.DataFrame, *, source: str) -> str:
    """The generated Markdown: a sentence on the run, then the three tables.

    Examples
    --------
    >>> rows = pd.DataFrame([{"network": "n", "people": 9, "ties": 8, "task": "key players",
    ...     "method": m, "metric": "lcc_size", "k": 1, "value": 4.0, "detail": ""}
    ...     for m in ("keyplayer", "best sequential")])
    >>> print(real_readme_block({"date": "2026-12-05", "seed": 0, "repeats": 5,
    ...     "share_hidden": 0.1}, rows, source="r.json").splitlines()[-3:])
    ['| network | k=1 |', '| --- | ---: |', '| n | 4 / 4 |']
    """
    nets = rows.drop_duplicates("network")
    names = ", ".join(f"{n} ({p} people, {t} ties)" for n, p, t in nets[["network", "people",
                                                                          "ties"]].values)  # fmt: skip
    intro = (
        f"On the real networks of `netintel evaluate --real` ({names}), measured {doc.get('date')} "
        f"with seed {doc.get('seed')}. Generated from [`{source}`]({source}); "
        f"`netintel evaluate --real DIR --out docs/evaluation/real/DATE.json --readme README.md` "
        "measures again."
    )
    lines = textwrap.wrap(intro, width=95, break_long_words=False, break_on_hyphens=False)
    tables = real_summary(rows)
    if "ranking" in tables:
        lines += ["", "Ranking, where a roles file names the people the sources verify "
                  "(precision at 5 and 10, R-precision; ties on a measure counted in "
                  "expectation):", ""]  # fmt: skip
        lines += _markdown(tables["ranking"])
    if "learned ranking" in tables:
        lines += ["", "Learned ranking (`rank --labels`, the roles file as labels) against the "
                  "default and every single measure on the same held-out folds, and its "
                  "verdict:", ""]  # fmt: skip
        lines += _markdown(tables["learned ranking"])
        verdicts = rows[(rows["task"] == "learned ranking") & (rows["metric"] == "verdict")]
        lines += [""] + [f"{n}: {d}" for n, d in verdicts[["network", "detail"]].values]
    if "hidden ties" in tables:
        lines += ["", f"Hidden ties: {doc.get('share_hidden', 0.1):.0%} of the ties hidden at "
                  f"random, {doc.get('repeats')} seeded repeats, every untied pair scored (ROC "
                  "AUC, precision at k = ties hidden; for the model's probabilities the Brier "
                  "score, their sum over the scored pairs per tie hidden, 1 when calibrated in "
                  "the large, and their maximum):",
                  ""]  # fmt: skip
        lines += _markdown(
            tables["hidden ties"].astype(object).where(tables["hidden ties"].notna(), "")
        )
    if "key players" in tables:
        lines += ["", "Largest component left after k arrests: key-player plan / best sequential "
                  "strategy (degree, betweenness or PageRank recomputed after every arrest):",
                  ""]  # fmt: skip
        lines += _markdown(tables["key players"])
    out: list[str] = []
    for line in lines:
        wrap = line and not line.startswith("|")
        out += textwrap.wrap(line, width=95, break_long_words=False) if wrap else [line]
    return "\n".join(out)


def update_real_readme(readme: str | Path, results: str | Path) -> bool:
    """Rewrite the block between :data:`REAL_START` and :data:`REAL_END` from ``results``.

    Returns whether the file changed.

    Raises
    ------
    InputError
        If either file cannot be read or the README lacks the markers.
    """
    readme = Path(readme)
    doc, rows = read_real_results(results)
    try:
        text = readme.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read {readme}: {e}") from e
    if (
        text.count(REAL_START) != 1
        or text.count(REAL_END) != 1
        or text.index(REAL_START) > text.index(REAL_END)
    ):
        raise InputError(
            f"{readme} needs exactly one {REAL_START} line followed by one {REAL_END} line "
            "around the real-network tables"
        )
    begin, end = text.index(REAL_START) + len(REAL_START), text.index(REAL_END)
    link = Path(os.path.relpath(Path(results).resolve(), readme.resolve().parent)).as_posix()
    new = text[:begin] + "\n" + real_readme_block(doc, rows, source=link) + "\n" + text[end:]
    if new == text:
        return False
    write_atomic(readme, new)
    return True
