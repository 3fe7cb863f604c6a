"""The README's quality table, generated from a results file and never typed by hand.

``netintel evaluate --readme README.md --from docs/evaluation/DATE.json`` (or ``--out
docs/evaluation/DATE.json --readme README.md`` after a fresh run) rewrites the part of the
README between the two markers below and nothing else::

    <!-- evaluation:start -->
    ...generated...
    <!-- evaluation:end -->

The table's rows are :data:`ROWS`: a check, the metrics its value shows, and the aim. A
metric missing from the results is an error, not an empty cell.
"""

from __future__ import annotations

import math
import os
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from netintel.errors import InputError
from netintel.evaluation.results import EvaluationResults, write_atomic

__all__ = ["END", "ROWS", "START", "TableRow", "readme_block", "update_readme"]

START = "<!-- evaluation:start -->"
END = "<!-- evaluation:end -->"


def _num(value: float, places: int) -> str:
    return "n/a" if math.isnan(value) else f"{value:.{places}f}"


def _dated(source: str) -> str:
    """``docs/evaluation/2026-12-04.json`` -> ``docs/evaluation/DATE.json``: where a new run goes.

    >>> _dated("docs/evaluation/2026-12-04.json"), _dated("results.json")
    ('docs/evaluation/DATE.json', 'results.json')
    """
    return re.sub(r"\d{4}-\d{2}-\d{2}(?=\.json$)", "DATE", source)


def _best_single_measure(results: EvaluationResults) -> str:
    """The measure of ``best_single_lcc_fraction`` (its ``detail``: ``top 5 by degree``)."""
    return str(results.row("best_single_lcc_fraction")["detail"]).rsplit(" by ", 1)[-1]


@dataclass(frozen=True)
class TableRow:
    """One row of the table: a check, the metrics ``(name, k)`` its value cell shows (joined
    by `` / ``, ``places`` decimals, ``n/a`` for a missing value), the aim, and optionally a
    note read from the results, shown after the values in parentheses."""

    check: str
    metrics: tuple[tuple[str, int | None], ...]
    places: int
    aim: str = ""
    note: Callable[[EvaluationResults], str] | None = None

    def cell(self, results: EvaluationResults) -> str:
        """The value cell of this row in ``results``.

        >>> import pandas as pd
        >>> m = pd.DataFrame({"metric": ["ring_nmi_louvain", "ring_nmi_leiden"],
        ...     "k": [None, None], "value": [0.9666, float("nan")], "detail": ["", ""]})
        >>> r = EvaluationResults.of(m, seed=0, records=2000, date="2026-12-04", machine={})
        >>> TableRow("ring NMI", (("ring_nmi_louvain", None), ("ring_nmi_leiden", None)), 3).cell(r)
        '0.967 / n/a'
        """
        text = " / ".join(_num(results.value(m, k), self.places) for m, k in self.metrics)
        return f"{text} ({self.note(results)})" if self.note else text


#: The rows of the table, in order.
ROWS: tuple[TableRow, ...] = (
    TableRow("planted leaders in the top 5 targets (precision@5)", (("precision_leaders", 5),), 2),
    TableRow(
        "ring NMI, Louvain / Leiden",
        (("ring_nmi_louvain", None), ("ring_nmi_leiden", None)),
        3,
        ">= 0.9",
    ),
    TableRow(
        "planted brokers among the top-10 brokers (by ring)",
        (("precision_brokers_top10", 10),),
        2,
        ">= 0.8",
    ),
    TableRow(
        "planted gatekeepers among the top-10 brokers by country",
        (("precision_gatekeepers_top10", 10),),
        2,
    ),
    TableRow(
        "share of the planted dominant corridors among the top-3 routes",
        (("corridors_in_top3_routes", 3),),
        2,
        "1.00",
    ),
    TableRow(
        "link prediction ROC AUC, planted hidden ties vs untied pairs",
        (("link_prediction_auc", None),),
        3,
        ">= 0.85",
    ),
    TableRow(
        "LCC left after 5 arrests: key-player plan / best single measure",
        (("keyplayer_lcc_fraction", 5), ("best_single_lcc_fraction", 5)),
        3,
        "plan never worse",
        note=_best_single_measure,
    ),
    TableRow(
        "share of arrested leaders whose planted successor is named first",
        (("successor_found", None),),
        2,
    ),
    TableRow(
        "entity resolution pairwise precision / recall / F1",
        (("resolution_precision", None), ("resolution_recall", None), ("resolution_f1", None)),
        3,
        "F1 >= 0.95, P >= 0.98",
    ),
    TableRow(
        "leader precision@5 with / without resolution",
        (("precision_leaders_resolved", 5), ("precision_leaders_unresolved", 5)),
        2,
    ),
    TableRow(
        "planted parcel rings found / their members named (express delivery)",
        (("parcel_rings_found", None), ("parcel_ring_members_found", None)),
        2,
    ),
    TableRow(
        "planted hotspot re-formations flagged / linking people named",
        (("reformations_flagged", None), ("reformation_people_named", None)),
        2,
    ),
    TableRow(
        "re-formations flagged where none was planted", (("reformation_false_flags", None),), 0, "0"
    ),
    TableRow(
        "planted online sellers resolved with a money path to their Lao supplier",
        (("seller_money_paths_found", None),),
        2,
    ),
)


def readme_block(results: EvaluationResults, *, source: str) -> str:
    """The Markdown between the markers: what was measured, from which file, and the table.

    Parameters
    ----------
    results : EvaluationResults
    source : str
        The results file, as a link relative to the README.

    Raises
    ------
    InputError
        If the results lack a metric of :data:`ROWS`.

    Examples
    --------
    >>> import pandas as pd
    >>> needed = sorted({m for row in ROWS for m in row.metrics}, key=str)
    >>> m = pd.DataFrame({"metric": [n for n, _ in needed], "k": [k for _, k in needed],
    ...                   "value": 0.5, "detail": "top 5 by degree"})
    >>> r = EvaluationResults.of(m, seed=0, records=2000, date="2026-12-04", machine={})
    >>> lines = readme_block(r, source="r.json").splitlines()
    >>> print(*lines[lines.index("| check | value | aim |") :][:3], sep=chr(10))
    | check | value | aim |
    | --- | ---: | ---: |
    | planted leaders in the top 5 targets (precision@5) | 0.50 | |
    """
    intro = (
        f"On the synthetic set of `netintel evaluate` ({results.records:,} records, seed "
        f"{results.seed}), measured {results.date}. This table is generated from the results "
        f"file [`{source}`]({source}), which holds every metric of the run and the machine it "
        f"ran on; `netintel evaluate --out {_dated(source)} --readme README.md` measures again "
        "and regenerates it."
    )
    lines = [
        *textwrap.wrap(intro, width=95, break_long_words=False, break_on_hyphens=False),
        "",
        "| check | value | aim |",
        "| --- | ---: | ---: |",
    ]
    for row in ROWS:
        cells = (row.check, row.cell(results), row.aim)
        lines.append("|" + "|".join(f" {c} " if c else " " for c in cells) + "|")
    return "\n".join(lines)


def _span(text: str, readme: Path) -> tuple[int, int]:
    """Where the generated block starts and ends in ``text`` (after START, before END)."""
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise InputError(
            f"{readme} needs exactly one {START} line followed by one {END} line around the "
            "quality table"
        )
    return text.index(START) + len(START), text.index(END)


def update_readme(readme: str | Path, results: EvaluationResults, *, source: str | Path) -> bool:
    """Rewrite the block between the markers of ``readme`` from ``results``.

    Parameters
    ----------
    readme : str or Path
        The Markdown file; only the text between :data:`START` and :data:`END` changes.
    results : EvaluationResults
    source : str or Path
        The results file ``results`` was read from or written to, linked from the block
        (relative to the README's folder).

    Returns
    -------
    bool
        Whether the file changed (it is rewritten, atomically, only then).

    Raises
    ------
    InputError
        If the README cannot be read, lacks the markers, or the results lack a metric.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> readme = folder / "README.md"
    >>> _ = readme.write_text(f"# x\\n{START}\\nold\\n{END}\\nrest\\n")
    >>> needed = sorted({m for row in ROWS for m in row.metrics}, key=str)
    >>> m = pd.DataFrame({"metric": [n for n, _ in needed], "k": [k for _, k in needed],
    ...                   "value": 1.0, "detail": "top 5 by degree"})
    >>> r = EvaluationResults.of(m, seed=0, records=2000, date="2026-12-04", machine={})
    >>> update_readme(readme, r, source=folder / "r.json"), update_readme(readme, r, source=folder / "r.json")
    (True, False)
    >>> text = readme.read_text()
    >>> text.startswith(f"# x\\n{START}\\nOn the synthetic set"), text.endswith(f"{END}\\nrest\\n")
    (True, True)
    """
    readme = Path(readme)
    try:
        text = readme.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read {readme}: {e}") from e
    begin, end = _span(text, readme)
    link = Path(os.path.relpath(Path(source).resolve(), readme.resolve().parent)).as_posix()
    new = text[:begin] + "\n" + readme_block(results, source=link) + "\n" + text[end:]
    if new == text:
        return False
    write_atomic(readme, new)
    return True
