"""Tables that read well in a notebook.

pandas shows a DataFrame cut to 50 characters a cell, lists of record ids as long runs of
text, people by id, and ``NaN`` / ``NaT`` where nothing was recorded. :func:`table` shows the
same frame as an HTML table in which

- text is whole (explanations wrap instead of being cut);
- lists of record ids (``evidence``, ``sources``, ``records``, ``record_ids``) are a count
  that opens, on a click, to the ids themselves (an HTML ``<details>``: no script, offline);
- person ids are names (the id stays in the cell's tooltip), given ``names`` or, when the
  frame has both ``person_id`` and ``name``, from the frame itself;
- missing values are blank, numbers are rounded for reading (the frame keeps full precision);
- every value from the records is HTML-escaped (a hostile name cannot inject markup).

The frame is untouched: ``table(frame).frame`` is it.

Examples
--------
>>> frame = pd.DataFrame({"person_id": ["P-1"], "name": ["Lê <b>Hải</b>"], "score": [0.71234],
...                       "ring": [float("nan")], "evidence": [["ARR-1", "COM-2"]],
...                       "successor_id": ["P-1"]})
>>> shown = table(frame)
>>> html = shown._repr_html_()
>>> "Lê &lt;b&gt;Hải&lt;/b&gt;" in html, "<summary>2 records</summary>" in html, "NaN" in html
(True, True, False)
>>> shown.text.loc[0, "successor_id"]
'Lê <b>Hải</b>'
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netintel.report.disclosure import EVIDENCE, PERSON_IDS

__all__ = ["Table", "names_from", "table"]

#: JupyterLab right-aligns every cell of an HTML output (``:not(.jp-RenderedMarkdown)
#: .jp-RenderedHTMLCommon td``): text reads from the left, hence ``!important``.
_STYLE = """<style>
.netintel-table { border-collapse: collapse; font-size: 12.5px; }
table.netintel-table th { text-align: left !important; background: #f3f3f3; padding: 4px 8px;
  border-bottom: 1px solid #ccc; position: sticky; top: 0; }
table.netintel-table td { text-align: left !important; vertical-align: top; padding: 3px 8px;
  border-bottom: 1px solid #eee; white-space: normal; max-width: 48em; }
table.netintel-table td.num { text-align: right !important; font-variant-numeric: tabular-nums; }
.netintel-table details summary { cursor: pointer; color: #1f5fa8; }
.netintel-table details div { font-family: monospace; font-size: 11.5px; max-width: 40em; }
.netintel-caption { font-weight: bold; margin: 4px 0; }
</style>"""


def names_from(source: Any) -> dict[str, str]:
    """Person id -> name, from a person graph, a table with ``person_id`` and ``name``, or
    a mapping.

    >>> names_from(pd.DataFrame({"person_id": ["P-1"], "name": ["Hải"]}))
    {'P-1': 'Hải'}
    """
    if source is None:
        return {}
    if isinstance(source, nx.Graph):
        return {str(k): str(v) for k, v in nx.get_node_attributes(source, "name").items() if v}
    if isinstance(source, pd.DataFrame):
        if {"person_id", "name"} <= set(source.columns):
            pairs = source[["person_id", "name"]].dropna()
            return dict(zip(pairs["person_id"].astype(str), pairs["name"].astype(str), strict=True))
        return {}
    return {str(k): str(v) for k, v in dict(source).items()}


def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, np.generic):
        try:
            return bool(np.isnan(value))
        except TypeError:
            return False
    return False


def _ids(value: Any) -> list[str] | None:
    """A list of ids as strings, or None when ``value`` is not a list."""
    if isinstance(value, list | tuple | set | np.ndarray | pd.Series):
        return [str(v) for v in (sorted(value) if isinstance(value, set) else list(value))]
    return None


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.1f}"
    return f"{value:.3g}" if abs(value) < 0.001 else f"{value:.3f}".rstrip("0").rstrip(".")


def _text(value: Any, column: str, names: Mapping[str, str], person_cols: set[str]) -> str:
    """The plain-text form of one cell (what :attr:`Table.text` holds)."""
    if _missing(value):
        return ""
    ids = _ids(value)
    if ids is not None:
        if column in EVIDENCE:
            return f"{len(ids)} record{'s' if len(ids) != 1 else ''}"
        if column in person_cols:
            return ", ".join(names.get(i, i) for i in ids)
        return ", ".join(ids)
    if isinstance(value, Mapping):
        return "; ".join(
            f"{k} x{v}" if isinstance(v, int) else f"{k}: {v}" for k, v in value.items()
        )
    if column in person_cols and str(value) in names:
        return names[str(value)]
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}" if abs(int(value)) >= 10000 else str(int(value))
    if isinstance(value, float | np.floating):
        return _number(float(value))
    if isinstance(value, pd.Timestamp | datetime):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cell(value: Any, column: str, names: Mapping[str, str], person_cols: set[str]) -> str:
    """The HTML of one cell: escaped text, a person's name with their id as a tooltip, a
    count of records that opens to their ids."""
    text = _text(value, column, names, person_cols)
    ids = None if _missing(value) else _ids(value)
    if ids is not None and column in EVIDENCE and ids:
        listed = html.escape(", ".join(ids))
        return f"<details><summary>{html.escape(text)}</summary><div>{listed}</div></details>"
    if column in person_cols and not _missing(value) and ids is None and str(value) in names:
        return f'<span title="{html.escape(str(value))}">{html.escape(text)}</span>'
    return html.escape(text)


class Table:
    """A DataFrame shown for reading (see :mod:`netintel.report.display`).

    Attributes
    ----------
    frame : DataFrame
        The table as given.
    text : DataFrame
        What is shown, as plain text (counts for record lists, names for ids, blanks).
    caption : str or None
    """

    def __init__(self, frame: pd.DataFrame, text: pd.DataFrame, cells: pd.DataFrame,
                 numeric: set[str], caption: str | None, more: int) -> None:  # fmt: skip
        self.frame = frame
        self.text = text
        self.caption = caption
        self._cells = cells
        self._numeric = numeric
        self._more = more

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.width", 200):
            body = self.text.to_string(index=False)
        return (f"{self.caption}\n" if self.caption else "") + body + self._more_text()

    def _more_text(self) -> str:
        return (
            f"\n… {self._more} more rows (table(frame, top=None) shows all)" if self._more else ""
        )

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self._cells.columns)
        rows = []
        for values in self._cells.itertuples(index=False):
            tds = "".join(
                f'<td class="num">{v}</td>' if c in self._numeric else f"<td>{v}</td>"
                for c, v in zip(self._cells.columns, values, strict=True)
            )
            rows.append(f"<tr>{tds}</tr>")
        caption = (
            f'<div class="netintel-caption">{html.escape(self.caption)}</div>'
            if self.caption
            else ""
        )
        more = f"<div>{html.escape(self._more_text().strip())}</div>" if self._more else ""
        return (
            f'{_STYLE}{caption}<table class="netintel-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{more}"
        )


def table(
    frame: pd.DataFrame,
    *,
    names: Any = None,
    columns: Iterable[str] | None = None,
    top: int | None = 50,
    caption: str | None = None,
    person_columns: Iterable[str] = PERSON_IDS,
) -> Table:
    """Show ``frame`` for reading in a notebook (HTML; plain text elsewhere).

    Parameters
    ----------
    frame : DataFrame
    names : person graph, table with ``person_id`` and ``name``, or mapping, optional
        Where person ids get their names; default the frame's own ``person_id`` and
        ``name`` columns. A ``person_id`` column beside a ``name`` column stays an id.
    columns : iterable of str, optional
        The columns shown, in this order (default all).
    top : int or None, default 50
        Rows shown; the rest are counted under the table.
    caption : str, optional
    person_columns : iterable of str
        Columns holding person ids (:data:`netintel.report.disclosure.PERSON_IDS`).

    Returns
    -------
    Table
    """
    shown = frame if columns is None else frame[list(columns)]
    mapping = names_from(names if names is not None else frame)
    person_cols = {c for c in person_columns if c in shown.columns}
    if "name" in shown.columns:
        person_cols.discard("person_id")  # the name is beside it: keep the id as an id
    more = max(len(shown) - top, 0) if top is not None else 0
    part = shown.head(top) if top is not None else shown
    numeric = {
        c for c in part.columns
        if pd.api.types.is_numeric_dtype(part[c]) and not pd.api.types.is_bool_dtype(part[c])
    }  # fmt: skip
    text = pd.DataFrame(
        {c: [_text(v, c, mapping, person_cols) for v in part[c]] for c in part.columns},
        index=part.index,
    )
    cells = pd.DataFrame(
        {c: [_cell(v, c, mapping, person_cols) for v in part[c]] for c in part.columns},
        index=part.index,
    )
    return Table(shown, text, cells, numeric, caption, more)
