"""Writing output files safely: checked before the work, written whole or not at all.

Every command and function that writes a file for people (tables, reports, exports, the
quarantine) goes through this module, which sits in the foundation so that ingest can use it
too; :mod:`netintel.report.outputs` is its public home.

- :func:`check_output` is called *before* any work starts: the path must not be a folder,
  must end in an allowed suffix, must not be one of the command's inputs, and its folder
  (or the nearest existing folder above it) must accept a new file. A refusal is an
  :class:`~netintel.errors.OutputError` naming the path, so nothing is computed, and no
  database changed, for an output that could never be written.
- :func:`atomic_write` gives a temporary path in the same folder; on success the file is
  flushed to disk, made readable by its owner only (0600) and renamed over the target in
  one step (``os.replace``); on any failure the temporary file is removed and the old file,
  if there was one, is left as it was. A full disk can no longer leave a truncated but
  valid-looking ``targets.csv``.
- :func:`spreadsheet_safe` neutralises cells a spreadsheet would run as a formula (CSV
  injection): text starting with ``=``, ``@``, a tab or a carriage return, or with ``+`` /
  ``-`` followed by anything but a number or phone number, gets a leading ``'``. Numbers and
  phone numbers (``+84 91 234 5678``, ``-3.5``) are left as they are.
- :func:`write_spreadsheet` writes a table as CSV or ``.xlsx`` by these rules, the same for
  every table the engine writes (results, the quarantine, query rows): lists joined with
  ``;`` (:data:`LIST_SEPARATOR`), CSV in UTF-8 with a byte-order mark by default so that
  Excel reads accents (``encoding="utf-8"`` or ``--csv-encoding utf-8`` for plain UTF-8,
  :func:`csv_encoding`), and in ``.xlsx`` typed columns, a frozen bold header, column widths
  fitted to the text, and text (identifiers such as ``00123``, formula-looking names) stored
  as text cells, never as numbers or formulas. A CSV cannot tell Excel that ``00123`` is
  text: open such a CSV through Data > From Text/CSV with the column as text, or ask for
  ``.xlsx``.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> target = check_output(folder / "targets.csv", suffixes=(".csv", ".json"))
>>> with atomic_write(target) as tmp:
...     _ = tmp.write_text("rank,person_id\\n1,P-1\\n")
>>> target.read_text().splitlines()[1], oct(target.stat().st_mode & 0o777)
('1,P-1', '0o600')
>>> [p.name for p in folder.iterdir()]
['targets.csv']
>>> spreadsheet_safe("=HYPERLINK(\\"http://x\\")"), spreadsheet_safe("+84 91 234 5678")
('\\'=HYPERLINK("http://x")', '+84 91 234 5678')
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
import math
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from netintel.errors import OutputError

__all__ = [
    "CSV_ENCODINGS",
    "LIST_SEPARATOR",
    "SPREADSHEET_FORMATS",
    "atomic_write",
    "check_output",
    "csv_encoding",
    "csv_text",
    "flat_frame",
    "spreadsheet_safe",
    "spreadsheet_safe_frame",
    "using_csv_encoding",
    "write_spreadsheet",
]

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def _nearest_folder(path: Path) -> Path:
    """The nearest existing ancestor of ``path`` (``path.parent`` when it exists)."""
    parent = path.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent


def check_output(
    path: PathLike,
    *,
    suffixes: Iterable[str] = (),
    inputs: Iterable[PathLike | None] = (),
    folder: bool = False,
) -> Path:
    """Check, before any work, that ``path`` can receive an output; return it as a Path.

    Parameters
    ----------
    path : str or Path
        The file (or, with ``folder=True``, the folder) to be written.
    suffixes : iterable of str
        Allowed endings, compared case-insensitively (``(".csv", ".json")``); empty: any.
    inputs : iterable of paths
        The command's inputs (record files, the database): the output may be none of them.
    folder : bool
        The output is a folder of files (an export): it may exist as a folder, not as a file.

    Raises
    ------
    OutputError
        Naming the path: a folder where a file is expected (or the reverse), a suffix not
        allowed, one of the inputs, a read-only existing file, or a folder that refuses a
        new file (no permission, read-only file system, a file on the way).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "arrests.csv").write_text("record_id\\n")
    10
    >>> check_output(d / "arrests.csv", suffixes=(".csv",), inputs=[d / "arrests.csv"])
    Traceback (most recent call last):
    ...
    netintel.errors.OutputError: ... is one of the inputs; choose another output file
    >>> check_output(d / "out.txt", suffixes=(".csv", ".json"))
    Traceback (most recent call last):
    ...
    netintel.errors.OutputError: ...out.txt: use one of .csv, .json
    """
    path = Path(path)
    allowed = tuple(s.lower() for s in suffixes)
    if allowed and not path.name.lower().endswith(allowed):
        raise OutputError(f"cannot write {path}: use one of {', '.join(allowed)}")
    for given in inputs:
        if given is not None and _same(path, Path(given)):
            raise OutputError(
                f"cannot write {path}: it is one of the inputs; choose another output file"
            )
    if folder:
        if path.exists() and not path.is_dir():
            raise OutputError(f"cannot write {path}: a file is there, not a folder")
    elif path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder; give a file name")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"cannot write {path}: it is read-only")
    parent = path if folder and path.is_dir() else _nearest_folder(path)
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: {parent} is a file, not a folder")
    try:  # the real test: can a new file be made there (permissions, read-only mounts)
        fd, probe = tempfile.mkstemp(dir=parent, prefix=".netintel-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {parent}: {e.strerror or e}") from None
    return path


@contextlib.contextmanager
def atomic_write(path: PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` when the block succeeds.

    The temporary name keeps the target's suffix (``.targets.csv.<random>.tmp.csv``), so
    writers that choose a format by extension (pandas, matplotlib) behave as for the target.
    Missing folders are created (0700). On success the file is fsynced, set to 0600 and
    renamed in one step; on failure it is removed and the exception propagates (an
    ``OSError`` as an :class:`OutputError` naming ``path``), leaving any old file intact.

    Raises
    ------
    OutputError
        If the folder cannot be created or the file cannot be written or renamed.
    """
    path = Path(path)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    suffix = "".join(path.suffixes[-2:]) if path.suffixes else ""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp{suffix}")
    try:
        yield tmp
        if not tmp.exists():
            raise OutputError(f"cannot write {path}: nothing was written")
        os.chmod(tmp, 0o600)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        with contextlib.suppress(OSError):  # make the rename durable where the OS allows it
            dfd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        with contextlib.suppress(OSError):
            if tmp.is_dir():
                shutil.rmtree(tmp)
            else:
                tmp.unlink(missing_ok=True)


# A value a spreadsheet would evaluate. "+"/"-" only when what follows is not a plain number
# or phone number: "-3.5" and "+84 91 234 5678" stay; "-2+3+cmd|' /C calc'!A0" does not.
_FORMULA_START = ("=", "@", "\t", "\r")
_NUMBERLIKE = re.compile(r"[+-][\d\s.,()/-]*")


def spreadsheet_safe(value: object) -> object:
    """``value`` with a leading ``'`` if a spreadsheet would read it as a formula.

    Anything that is not text is returned unchanged.

    >>> [spreadsheet_safe(v) for v in ["=1+1", "@SUM(A1)", "-2+3+cmd|x", "-3.5", "Lò Văn A", 7]]
    ["'=1+1", "'@SUM(A1)", "'-2+3+cmd|x", '-3.5', 'Lò Văn A', 7]
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(_FORMULA_START):
        return "'" + value
    if value[0] in "+-" and not _NUMBERLIKE.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are :func:`spreadsheet_safe`.

    Every column that is not numeric, boolean or a date is checked cell by cell (text,
    categories, mixed columns), so no column can carry a formula through.

    >>> spreadsheet_safe_frame(pd.DataFrame({"value": ["@SUM(1)", 3], "n": [1, 2]})).to_dict("list")
    {'value': ["'@SUM(1)", 3], 'n': [1, 2]}
    """
    out = frame.copy()
    for col in out.columns:
        if not _typed(out[col]):
            out[col] = out[col].astype(object).map(spreadsheet_safe)
    out.columns = [spreadsheet_safe(c) if isinstance(c, str) else c for c in out.columns]
    return out


def _typed(column: pd.Series) -> bool:
    """A numeric, boolean or date column: no cell of it can be text."""
    dtype = column.dtype
    return (
        pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)
    ) and not isinstance(dtype, pd.CategoricalDtype)


# -- the table writers: CSV and .xlsx by the same rules ---------------------------------------
#: How list values (record ids, phones, aliases) are joined in a CSV or spreadsheet cell, in
#: every table the engine writes; the record formats read multi-valued cells the same way.
LIST_SEPARATOR = ";"
#: The encodings a CSV may be written in: UTF-8 with a byte-order mark (the default: Excel
#: then reads Vietnamese, Lao and Thai names), or plain UTF-8 for programs that do not expect
#: one.
CSV_ENCODINGS = ("utf-8-sig", "utf-8")
SPREADSHEET_FORMATS = (".csv", ".xlsx")
_ENCODING: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "netintel_csv_encoding", default=None
)
_ENCODING_NAMES = {"utf-8-sig": "utf-8-sig", "utf8-sig": "utf-8-sig", "bom": "utf-8-sig",
                   "utf-8": "utf-8", "utf8": "utf-8", "plain": "utf-8"}  # fmt: skip


def csv_encoding(encoding: str | None = None) -> str:
    """The encoding a CSV is written in: ``encoding`` if given, else the one set by
    :func:`using_csv_encoding` (the CLI's ``--csv-encoding``), else ``$NETINTEL_CSV_ENCODING``,
    else ``"utf-8-sig"`` (UTF-8 with a byte-order mark).

    Raises
    ------
    OutputError
        If the encoding is not UTF-8 with or without a byte-order mark.

    Examples
    --------
    >>> csv_encoding(), csv_encoding("utf-8"), csv_encoding("UTF8")
    ('utf-8-sig', 'utf-8', 'utf-8')
    """
    given = encoding or _ENCODING.get() or os.environ.get("NETINTEL_CSV_ENCODING") or "utf-8-sig"
    name = _ENCODING_NAMES.get(given.strip().lower().replace("_", "-"))
    if name is None:
        raise OutputError(
            f"CSV encoding {given!r}: use utf-8-sig (UTF-8 with a byte-order mark, the default) "
            "or utf-8"
        )
    return name


@contextlib.contextmanager
def using_csv_encoding(encoding: str | None) -> Iterator[str]:
    """Within the block, CSVs are written in ``encoding`` unless a writer is given its own.

    >>> with using_csv_encoding("utf-8"):
    ...     csv_encoding()
    'utf-8'
    """
    name = csv_encoding(encoding) if encoding else None
    token = _ENCODING.set(name)
    try:
        yield name or csv_encoding()
    finally:
        _ENCODING.reset(token)


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple | set | frozenset) or (
        hasattr(value, "ndim") and getattr(value, "ndim", 0) == 1
    )


def _list_text(value: object) -> str:
    items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
    return LIST_SEPARATOR.join("" if v is None else str(v) for v in items)  # type: ignore[union-attr]


def _dict_text(value: dict) -> str:
    return LIST_SEPARATOR.join(f"{k} x{n}" for k, n in value.items())


def flat_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with list cells joined by ``;`` and count dicts as ``kind xN``.

    >>> flat_frame(pd.DataFrame({"sources": [["c1", "c2"]], "kinds": [{"call": 2, "meeting": 1}]}))
      sources               kinds
    0   c1;c2  call x2;meeting x1
    """
    out = frame.copy()
    for col in out.columns:
        if _typed(out[col]):
            continue
        values = out[col]
        if values.map(_is_list).any():
            out[col] = values.map(lambda v: _list_text(v) if _is_list(v) else v)
        elif values.map(lambda v: isinstance(v, dict)).any():
            out[col] = values.map(lambda v: _dict_text(v) if isinstance(v, dict) else v)
    return out


def csv_text(frame: pd.DataFrame, *, encoding: str | None = None) -> str:
    """``frame`` as CSV text by the rules of :func:`write_spreadsheet` (for standard output);
    it starts with a byte-order mark unless the encoding is plain ``utf-8``.

    >>> csv_text(pd.DataFrame({"name": ["=1+1"], "ids": [["01", "02"]]}), encoding="utf-8")
    "name,ids\\n'=1+1,01;02\\n"
    """
    text = spreadsheet_safe_frame(flat_frame(frame)).to_csv(index=False, lineterminator="\n")
    return ("\ufeff" + text) if csv_encoding(encoding) == "utf-8-sig" else text


def write_spreadsheet(
    frame: pd.DataFrame,
    path: PathLike,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
) -> Path:
    """Write ``frame`` to ``path`` as CSV or ``.xlsx`` (by its suffix), as it is: no check, no
    temporary name (callers wrap it in :func:`check_output` and :func:`atomic_write`).

    Parameters
    ----------
    frame : DataFrame
        The table; list cells are joined with ``;``, count dicts written ``kind xN``.
    path : str or Path
        A ``.csv`` or ``.xlsx`` file (a temporary name keeps the target's suffix).
    encoding : str, optional
        CSV only: ``"utf-8-sig"`` (with a byte-order mark) or ``"utf-8"``; default
        :func:`csv_encoding`.
    sheet : str, optional
        ``.xlsx`` only: the sheet's name (default ``"netintel"``; cut to Excel's 31
        characters).

    Notes
    -----
    In CSV, text a spreadsheet would run as a formula gets a leading ``'``
    (:func:`spreadsheet_safe`). In ``.xlsx`` text is stored as text cells (never formulas),
    with Excel's quote prefix on formula-looking text, so the value is kept as it was; numbers,
    booleans and dates are typed cells; the header row is bold, frozen and filtered.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> folder = tempfile.mkdtemp()
    >>> frame = pd.DataFrame({"name": ['=HYPERLINK("http://x")'], "id": ["00123"], "score": [0.5]})
    >>> path = write_spreadsheet(frame, folder + "/t.csv")
    >>> path.read_bytes()[:3] == b"\\xef\\xbb\\xbf"
    True
    >>> cells = openpyxl.load_workbook(write_spreadsheet(frame, folder + "/t.xlsx")).active[2]
    >>> [(c.value, c.data_type) for c in cells]
    [('=HYPERLINK("http://x")', 's'), ('00123', 's'), (0.5, 'n')]
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        spreadsheet_safe_frame(flat_frame(frame)).to_csv(
            path, index=False, encoding=csv_encoding(encoding), lineterminator="\n"
        )
    elif suffix == ".xlsx":
        _write_xlsx(flat_frame(frame), path, sheet or "netintel")
    else:
        raise OutputError(f"cannot write {path}: use one of {', '.join(SPREADSHEET_FORMATS)}")
    return path


#: Excel's limit on the characters of one cell.
XLSX_CELL_LIMIT = 32_767


def _xlsx_value(value: object) -> tuple[object, str | None]:
    """A cell value and its kind: 'n' number, 'b' boolean, 'd' date, 's' text, None empty."""
    if value is None or (
        not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)
    ):
        return None, None
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value), "b"
    if isinstance(value, int | float) or (hasattr(value, "dtype") and hasattr(value, "item")):
        number = value.item() if hasattr(value, "item") else value
        if isinstance(number, float) and math.isnan(number):
            return None, None
        if isinstance(number, float) and math.isinf(number):
            return str(number), "s"
        if isinstance(number, int | float):
            return number, "n"
        value = number
    if isinstance(value, pd.Timestamp):
        value = value.tz_convert("UTC").tz_localize(None) if value.tzinfo else value
        return value.to_pydatetime(), "d"
    if isinstance(value, dt.datetime):
        return (value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value), "d"
    if isinstance(value, dt.date):
        return value, "d"
    return str(value), "s"


def _write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """Write ``frame`` as one sheet, streamed (openpyxl's write-only mode: memory stays flat
    for large tables); widths are fitted to the header and the first 200 rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    ws = book.create_sheet(re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "netintel")
    cut = 0

    def text_of(value: str) -> str:
        nonlocal cut
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        if len(text) > XLSX_CELL_LIMIT:
            cut += 1
            note = f" ... [cut: {len(text):,} characters in all; CSV and JSON keep them]"
            text = text[: XLSX_CELL_LIMIT - len(note)] + note
        return text

    def cell(value: object) -> object:
        value, kind = _xlsx_value(value)
        if kind == "s":
            text = text_of(value)  # type: ignore[arg-type]
            if spreadsheet_safe(text) == text and not text.startswith("="):
                return text  # plain text: openpyxl writes it as a text cell
            out = WriteOnlyCell(ws, value=text)
            out.data_type = "s"  # never a formula, whatever the text starts with
            out.quotePrefix = True  # and Excel keeps it text when the cell is edited
            return out
        if kind == "d":
            out = WriteOnlyCell(ws, value=value)
            out.number_format = (
                "yyyy-mm-dd hh:mm:ss"
                if isinstance(value, dt.datetime) and value.time() != dt.time()
                else "yyyy-mm-dd"
            )
            return out
        return value

    widths = [len(str(c)) for c in frame.columns]
    for row in frame.head(200).itertuples(index=False, name=None):
        for j, value in enumerate(row):
            value, kind = _xlsx_value(value)
            shown = {"s": lambda v: str(v), "d": lambda v: "yyyy-mm-dd", "b": lambda v: "FALSE"}
            n = len(shown.get(kind, lambda v: f"{v:.4g}")(value)) if kind else 0  # type: ignore[operator]
            widths[j] = max(widths[j], n)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"
    if len(frame.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    bold = Font(bold=True)
    header = []
    for name in frame.columns:
        head = WriteOnlyCell(ws, value=text_of(str(name)))
        head.data_type, head.font = "s", bold
        header.append(head)
    ws.append(header)
    for row in frame.itertuples(index=False, name=None):
        ws.append([cell(v) for v in row])
    if cut:
        logger.warning(
            "%s: %d cells longer than Excel's %d characters were cut (marked in the cell); "
            "the CSV, Parquet and JSON outputs keep them whole",
            path.name, cut, XLSX_CELL_LIMIT,
        )  # fmt: skip
    book.save(path)
