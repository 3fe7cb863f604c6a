"""The case report: one self-contained HTML file (and its PDF) a supervisor can read offline.

A :class:`CaseReport` is a title, the scope it covers (a place, a time window) and a list of
:class:`Section` s; each section is an ordered list of parts: paragraphs (:class:`Text`), a
list of facts (:class:`Facts`), tables (:class:`Table`), pictures (:class:`Picture`, inline
SVG drawn by matplotlib) and evidence cards (:class:`Card`). A section that could not be
built says so in plain words (:attr:`Section.missing`), never with a stand-in picture.

:func:`render_html` fills the package's Jinja2 template (``templates/case.html.j2``) with
autoescaping on: every name, place and note is data, shown as text. Everything the page needs
is inside it: styles inline, pictures as inline SVG with their text drawn as paths (no font
to fetch), no script, no link to anything outside the file. :func:`write_html` writes it
(checked before the work, written whole or not at all, :mod:`netintel.outputs`), and
:func:`write_pdf` renders the same HTML to PDF with WeasyPrint (``pip install
'netintel[pdf]'``).

The sections are gathered from a case by :mod:`netintel.workspace.report` (``ws.report``).

Examples
--------
>>> import pandas as pd
>>> table = Table.from_frame(pd.DataFrame({"name": ["<b>Lan</b>"], "score": [0.91234]}),
...                          caption="targets")
>>> table.rows
[['<b>Lan</b>', '0.912']]
>>> report = CaseReport("Case 12", sections=[Section("targets", "Targets", parts=[table])])
>>> html = render_html(report)
>>> "&lt;b&gt;Lan&lt;/b&gt;" in html and "<b>Lan</b>" not in html
True
>>> report._repr_html_().startswith("<iframe sandbox srcdoc=")
True
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netintel.errors import OutputError
from netintel.outputs import atomic_write, check_output

__all__ = [
    "Card",
    "CaseReport",
    "Facts",
    "Picture",
    "Section",
    "Table",
    "Text",
    "figure_svg",
    "render_html",
    "write_html",
    "write_pdf",
]

#: The files :func:`write_html` and :func:`write_pdf` write.
HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)

_ids = itertools.count(1)


# -- the parts of a section ------------------------------------------------------------------
@dataclass
class Text:
    """A paragraph (plain text: escaped when rendered)."""

    text: str
    kind: str = field(default="text", init=False)


@dataclass
class Facts:
    """Label: value pairs, shown as a definition list."""

    items: list[tuple[str, str]]
    caption: str = ""
    kind: str = field(default="facts", init=False)


@dataclass
class Table:
    """A table of text cells (build one from a DataFrame with :meth:`from_frame`)."""

    columns: list[str]
    rows: list[list[str]]
    caption: str = ""
    note: str = ""
    #: Columns whose cells are numbers (right-aligned).
    numeric: list[bool] = field(default_factory=list)
    kind: str = field(default="table", init=False)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        columns: Mapping[str, str] | Sequence[str] | None = None,
        *,
        caption: str = "",
        limit: int | None = None,
        note: str = "",
    ) -> Table:
        """The ``columns`` of ``frame`` (a mapping renames them for the reader), cells as
        text (:func:`cell`), at most ``limit`` rows (the note then says how many there are).

        >>> Table.from_frame(pd.DataFrame({"a": [1, 2, 3]}), {"a": "A"}, limit=2).note
        'First 2 of 3 rows.'
        """
        if columns is None:
            columns = list(frame.columns)
        names = dict(columns) if isinstance(columns, Mapping) else {c: c for c in columns}
        names = {k: v for k, v in names.items() if k in frame.columns}
        shown = frame if limit is None else frame.head(limit)
        rows = [[cell(v) for v in row] for row in shown[list(names)].itertuples(index=False)]
        if limit is not None and len(frame) > limit:
            note = " ".join(filter(None, [f"First {limit} of {len(frame)} rows.", note]))
        numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in names]
        return cls(list(names.values()), rows, caption, note, numeric)


@dataclass
class Picture:
    """An inline SVG picture (from :func:`figure_svg`) with its caption."""

    svg: str
    caption: str = ""
    kind: str = field(default="picture", init=False)


@dataclass
class Card:
    """One item and its evidence: a heading, lines of text, facts and a table of records."""

    heading: str
    lines: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    table: Table | None = None
    kind: str = field(default="card", init=False)


Part = Text | Facts | Table | Picture | Card


@dataclass
class Section:
    """One section of the report.

    Parameters
    ----------
    id : str
        The HTML id (``targets``); the table of contents links to it.
    title : str
    parts : list
        :class:`Text`, :class:`Facts`, :class:`Table`, :class:`Picture`, :class:`Card`.
    missing : str, optional
        Why the section could not be built (shown instead of its parts).
    """

    id: str
    title: str
    parts: list[Part] = field(default_factory=list)
    missing: str | None = None

    @classmethod
    def unavailable(cls, id: str, title: str, why: str) -> Section:
        """A section that says plainly why it is not in this report."""
        return cls(id, title, missing=why)


@dataclass
class CaseReport:
    """A case report: a title, its scope, sections, and what its disclosure withheld.

    Attributes
    ----------
    title, subtitle : str
    sections : list of Section
    created : str
        When it was built (UTC, ISO).
    disclosure : str
        What was withheld or pseudonymised (empty: nothing).
    classification : str
        The banner on every page (handling of the material).
    evidence : DataFrame
        ``record_id`` of every record the report shows (what the audit records).
    """

    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    disclosure: str = ""
    classification: str = ""
    evidence: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"record_id": []}))

    def section(self, id: str) -> Section:
        """The section with this id (``KeyError`` if none)."""
        for s in self.sections:
            if s.id == id:
                return s
        raise KeyError(id)

    def html(self) -> str:
        """The report as one self-contained HTML page (:func:`render_html`)."""
        return render_html(self)

    def _repr_html_(self) -> str:
        """In a notebook: the whole page, in a frame that runs nothing (``sandbox``)."""
        from markupsafe import escape

        page = escape(render_html(self))
        return (
            f'<iframe sandbox srcdoc="{page}" title="{escape(self.title)}" '
            'style="width: 100%; height: 720px; border: 1px solid #d6dbe3"></iframe>'
        )


# -- cells ----------------------------------------------------------------------------------
def cell(value: object) -> str:
    """A value as the text of a table cell: floats to three places, lists joined with
    ``"; "``, dates as ISO dates, missing values empty.

    >>> [cell(v) for v in (0.12345, ["a", "b"], None, float("nan"), pd.Timestamp("2024-03-01"))]
    ['0.123', 'a; b', '', '', '2024-03-01']
    """
    if value is None:
        return ""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple | set):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {cell(v)}" for k, v in value.items())
    if isinstance(value, pd.Timestamp | datetime):
        if pd.isna(value):
            return ""
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        return f"{value:,.3f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}" if abs(int(value)) >= 10000 else str(int(value))
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


# -- pictures -------------------------------------------------------------------------------
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')


def figure_svg(figure: Any, *, close: bool = True) -> str:
    """A matplotlib Figure as inline SVG: text drawn as paths (no font needed to read it),
    no XML prolog or DOCTYPE, and its ids made unique in the page (several pictures in one
    HTML file must not share a clip path or glyph id).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    close : bool
        Close it afterwards (free its memory when it came from ``pyplot``).

    Returns
    -------
    str
        ``<svg ...>...</svg>``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1)); _ = fig.subplots().plot([0, 1], [1, 0])
    >>> svg = figure_svg(fig)
    >>> svg.startswith("<svg") and "<path" in svg and "DOCTYPE" not in svg
    True
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "netintel"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    if close:
        try:
            import matplotlib.pyplot as plt

            plt.close(figure)
        except Exception:  # a Figure not made by pyplot: nothing to close
            pass
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    prefix = f"f{next(_ids)}-"
    ids = set(_ID.findall(text))
    if ids:
        text = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', text)
        text = _REF.sub(
            lambda m: m.group(1) + (prefix if m.group(2) in ids else "") + m.group(2), text
        )
    return text


# -- the page -------------------------------------------------------------------------------
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("netintel.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: CaseReport) -> str:
    """The report as one HTML page: the template ``templates/case.html.j2``, autoescaped.

    Pictures are the only markup passed through unescaped; they come from
    :func:`figure_svg`, whose text matplotlib escapes and draws as paths.
    """
    from markupsafe import Markup

    def picture(part: Picture) -> Markup:
        return Markup(part.svg)

    template = _environment().get_template("case.html.j2")
    return template.render(report=report, picture=picture)


def write_html(report: CaseReport | str, path: str | Path) -> Path:
    """Write the report (or its rendered HTML) to ``path`` (``.html``), whole or not at all.

    Raises
    ------
    OutputError
        If ``path`` has another suffix or cannot be written.
    """
    path = check_output(path, suffixes=HTML_SUFFIXES)
    html = report if isinstance(report, str) else render_html(report)
    with atomic_write(path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return path


def write_pdf(report: CaseReport | str, path: str | Path) -> Path:
    """Render the report's HTML to PDF at ``path`` with WeasyPrint (``netintel[pdf]``).

    The HTML is the same file :func:`write_html` writes; WeasyPrint is given no base URL
    and a fetcher that refuses every URL, so nothing outside the page is read.

    Raises
    ------
    OutputError
        If WeasyPrint (or the Pango library it needs) is missing, or ``path`` cannot be
        written.
    """
    path = check_output(path, suffixes=PDF_SUFFIXES)
    html = report if isinstance(report, str) else render_html(report)
    try:
        import weasyprint
    except (ImportError, OSError) as e:
        raise OutputError(
            f"cannot write {path}: the PDF needs WeasyPrint and the system's Pango library "
            f"(pip install 'netintel[pdf]'; {type(e).__name__}: {e})"
        ) from None

    def refuse(url: str, *args: object, **kwargs: object) -> dict:
        raise ValueError(f"the case report reads nothing outside itself ({url})")

    # WeasyPrint's CSS parser reports every SVG presentation property as unknown, once per
    # element (its SVG renderer applies them all the same): thousands of lines of noise.
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        document = weasyprint.HTML(string=html, url_fetcher=refuse).render()
    finally:
        logger.setLevel(level)
    with atomic_write(path) as tmp:
        document.write_pdf(tmp)
    return path


def page_count(html: str) -> int:
    """How many pages the PDF of ``html`` has (WeasyPrint's layout)."""
    import weasyprint

    return len(weasyprint.HTML(string=html).render().pages)


def as_list(value: object) -> list:
    """A list from a list-like cell (list, tuple, array); anything else gives ``[]``."""
    if isinstance(value, list | tuple | np.ndarray | set):
        return list(value)
    return []


def flatten(values: Iterable[object]) -> list[str]:
    """The sorted distinct strings of list-like cells."""
    return sorted({str(v) for value in values for v in as_list(value)})
