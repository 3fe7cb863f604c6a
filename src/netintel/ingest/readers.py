"""Read record files (CSV, JSON Lines, Parquet, Excel) as text, keeping source row numbers.

Every reader returns a :class:`pandas.DataFrame` whose columns are the file's own headers
(stripped, NFC-normalised), every value a string or missing (no type guessing: ``"0912..."``
keeps its leading zero), plus ``_row``, the 1-based source row number:

- CSV/TSV: the row's position counting the header as row 1, so the first data row is 2 (the
  line number, unless a quoted value spans lines);
- JSON Lines: the line number;
- Parquet: the 1-based data row index;
- Excel: the worksheet row number as Excel shows it (header row 1, first data row 2).

Rows that are entirely empty are skipped and not counted. A row the reader cannot take apart
(a CSV row with more or fewer fields than the header or a quote left open, a JSON line that is
not an object or is nested too deeply) is kept with the reason in ``_problem``, so that it is
quarantined, not lost. A single value the reader cannot turn into text (Parquet binary that
is not UTF-8, an Excel formula without its computed value) is missing in its column and its
reason is in ``_bad`` (``{column: reason}``), so that it is quarantined or flagged if the
column is loaded, never silently empty.

Text files are UTF-8 by default; a UTF-8 (or UTF-16) byte order mark is honoured; any other
encoding is used only when named (``encoding="cp1258"``). Invalid bytes raise
:class:`~netintel.errors.InputError` naming the file, the byte offset and line.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
>>> _ = p.write_bytes("\\ufeffname,phones\\nNguyễn Văn Hùng,0912345678\\n\\n".encode())
>>> read_table(p).to_dict("records")
[{'name': 'Nguyễn Văn Hùng', 'phones': '0912345678', '_row': 2}]
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import hashlib
import io
import itertools
import json
import logging
import unicodedata
import zlib
from pathlib import Path

import pandas as pd

from netintel.errors import InputError

log = logging.getLogger(__name__)

CSV_SUFFIXES = {".csv": None, ".tsv": "\t", ".tab": "\t", ".txt": None}
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
PARQUET_SUFFIXES = (".parquet", ".pq")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
#: The values Excel shows for a formula that failed.
EXCEL_ERRORS = frozenset(
    "#NULL! #DIV/0! #VALUE! #REF! #NAME? #NUM! #N/A #GETTING_DATA #SPILL! #CALC!".split()
)


def read_bytes(path: Path) -> bytes:
    """The bytes of a file, gunzipped when its name ends in ``.gz``.

    Raises :class:`~netintel.errors.InputError` naming the file when it cannot be read or
    is not the gzip file its name says.
    """
    try:
        data = path.read_bytes()
        return gzip.decompress(data) if path.suffix == ".gz" else data
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise InputError(f"{path}: not a readable gzip file ({e})") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read the file ({e.strerror or e})") from None


def decode(data: bytes, path: str | Path, encoding: str | None = None) -> str:
    """Decode file bytes: UTF-8 (BOM honoured) unless ``encoding`` names another.

    >>> decode(b"\\xef\\xbb\\xbfa,b", "x.csv")
    'a,b'
    >>> decode("Nguy\\xean".encode("cp1258"), "x.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netintel.errors.InputError: x.csv: byte 4 (line 1) is not valid UTF-8 ...; if the file uses another encoding, name it, e.g. --encoding cp1258 (encoding='cp1258' in Python)
    """
    name = encoding
    if name is None:
        if data.startswith(codecs.BOM_UTF8):
            data, name = data[3:], "utf-8"
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            name = "utf-16"
        else:
            name = "utf-8"
    try:
        text = data.decode(name)
    except LookupError:
        raise InputError(f"{path}: unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        label = "UTF-8" if name.lower().replace("_", "-") in ("utf-8", "utf8") else name
        raise InputError(
            f"{path}: byte {e.start} (line {line}) is not valid {label} "
            f"({data[e.start : e.start + 4]!r}); if the file uses another encoding, name it, "
            f"e.g. --encoding cp1258 (encoding='cp1258' in Python)"
        ) from None
    return text.removeprefix("\ufeff")


def _header(cells: list[object], path: Path) -> list[str]:
    names = []
    for i, cell in enumerate(cells):
        text = unicodedata.normalize("NFC", "" if cell is None else str(cell)).strip()
        names.append(text or f"_col{i + 1}")
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(f"{path}: repeated column names {dup}")
    return names


def _finish(frame: pd.DataFrame, rows: list[int] | pd.Series | range) -> pd.DataFrame:
    """Attach ``_row``, turn blanks into missing values, drop entirely empty rows."""
    meta = [c for c in ("_problem", "_bad") if c in frame]
    data = [c for c in frame.columns if c not in meta]
    frame = frame.copy()
    for col in data:
        frame[col] = frame[col].astype("str").str.strip().replace("", None)
    frame["_row"] = list(rows)
    keep = frame[data].notna().any(axis=1)
    for col in meta:
        keep |= frame[col].notna()
    return frame[keep].reset_index(drop=True)


def _sniff(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


#: The longest CSV field read (the ``csv`` module's default, 128 KiB, is too small for the
#: free text some exports carry).
MAX_FIELD = 1 << 30


def split_csv(text: str, sep: str) -> list[list[str] | str]:
    """The records of CSV ``text``: each a list of fields, or for a line that cannot be split
    the reason (a string).

    Quotes are read strictly: a quote left open, or text after a closing quote, makes the
    record's first line a problem and reading resumes on the next line, so one stray quote
    costs one row, never the rows after it. An empty line is an empty list.

    >>> split_csv('a,b\\n1,"x\\n\\n2,y\\n', ",")  # doctest: +NORMALIZE_WHITESPACE
    [['a', 'b'], 'cannot be split (unexpected end of data; a quote left open?): 1,"x', [],
     ['2', 'y']]
    """
    if csv.field_size_limit() < MAX_FIELD:
        csv.field_size_limit(MAX_FIELD)
    lines = list(io.StringIO(text, newline=""))
    out: list[list[str] | str] = []
    start = 0
    while start < len(lines):
        reader = csv.reader(itertools.islice(lines, start, None), delimiter=sep, strict=True)
        done = 0
        try:
            for fields in reader:
                out.append(fields)
                done = reader.line_num
            break
        except csv.Error as e:
            first = start + done
            line = lines[first].rstrip("\r\n")
            out.append(f"cannot be split ({e}; a quote left open?): {line[:200]}")
            start = first + 1
    return out


def read_csv(
    path: str | Path, *, encoding: str | None = None, sep: str | None = None
) -> pd.DataFrame:
    """Read a CSV/TSV file as text (see the module docstring).

    The separator is ``,`` unless given, the file is ``.tsv``, or the header line uses
    ``;``, tab or ``|`` more often than commas. A row that cannot be split (a quote left
    open, text after a closing quote; :func:`split_csv`), or with fewer or more fields than
    the header (extra empty fields at the end are tolerated), is kept with the reason in
    ``_problem``.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_text('record_id,name,address,phones\\nA-1,Xuan\\nA-2,Yen,,\\n')
    >>> read_csv(p)[["record_id", "_problem", "_row"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'record_id': nan, '_problem': 'row has 2 fields, the header has 4: A-1,Xuan', '_row': 2},
     {'record_id': 'A-2', '_problem': None, '_row': 3}]
    """
    path = Path(path)
    text = decode(read_bytes(path), path, encoding)
    if sep is None:
        sep = CSV_SUFFIXES.get(Path(path.stem).suffix if path.suffix == ".gz" else path.suffix)
        sep = sep or _sniff(text.split("\n", 1)[0])
    records = split_csv(text, sep)
    first = next(
        (i for i, r in enumerate(records) if isinstance(r, str) or any(f.strip() for f in r)),
        None,
    )
    if first is None:
        raise InputError(f"{path}: the file is empty (no header row)")
    if isinstance(records[first], str):
        raise InputError(f"{path}: the header row {records[first]}")
    header = _header(records[first], path)
    width = len(header)
    blank = [None] * width
    rows: list[list[str] | list[None]] = []
    problems: dict[int, str] = {}
    for fields in itertools.islice(records, first + 1, None):
        if type(fields) is list and len(fields) == width:
            rows.append(fields)  # the common case, kept fast
            continue
        problem = fields if isinstance(fields, str) else None
        if problem is None:
            if not any(f.strip() for f in fields):
                rows.append(blank)  # an empty line: numbered, then dropped by _finish
                continue
            if len(fields) < width or any(f.strip() for f in fields[width:]):
                problem = (
                    f"row has {len(fields)} fields, the header has {width}: "
                    f"{sep.join(fields)[:200]}"
                )
        if problem is None:
            rows.append(fields[:width])
        else:
            problems[len(rows)] = problem
            rows.append(blank)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    if problems:
        frame["_problem"] = pd.Series([problems.get(i) for i in range(len(rows))], dtype=object)
        log.warning(
            "%s: %d rows cannot be split into the header's %d fields", path, len(problems), width
        )
    return _finish(frame, range(2, len(frame) + 2))


def _text(value: object) -> str | None:
    """A JSON/Excel value as text: numbers without a spurious ``.0``, lists ``;``-joined."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(t for t in map(_text, value) if t)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8")  # UnicodeDecodeError: the caller says why
    return str(value)


def _value_text(value: object) -> tuple[str | None, str | None]:
    """A JSON or Parquet value as text, or ``(None, why)`` when it is not one value: a
    structure (an object, a list of lists), bytes that are not UTF-8, nesting too deep.

    >>> _value_text([1, "a"]), _value_text({"a": 1})
    (('1;a', None), (None, 'is a structure (a JSON object), not a value'))
    """
    try:
        if isinstance(value, dict):
            return None, "is a structure (a JSON object), not a value"
        if isinstance(value, list | tuple) and any(isinstance(v, dict | list) for v in value):
            return None, "is a nested structure, not a list of values"
        return _text(value), None
    except UnicodeDecodeError as e:
        return None, f"is not valid UTF-8 text (byte {e.start}: {value[e.start : e.start + 4]!r})"
    except RecursionError:
        return None, "is nested too deeply to read"


def read_jsonl(path: str | Path, *, encoding: str | None = None) -> pd.DataFrame:
    """Read JSON Lines (one object per line); ``_row`` is the line number.

    A line that is not a JSON object, or is nested too deeply to read, is kept with the
    reason in ``_problem``; a value that is itself a structure (an object, a list of lists)
    is missing and its reason is in ``_bad`` (:func:`_value_text`).
    """
    path = Path(path)
    data = read_bytes(path)
    records: list[dict] = []
    rows: list[int] = []
    for number, line in enumerate(decode(data, path, encoding).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError(f"a JSON {type(obj).__name__}, not an object")
            record, bad = {}, {}
            for key, value in obj.items():
                name = unicodedata.normalize("NFC", str(key)).strip()
                record[str(key)], why = _value_text(value)
                if why is not None:
                    bad[name] = why
            if bad:
                record["_bad"] = bad
        except ValueError as e:
            record = {"_problem": f"not a JSON object ({e}): {line.strip()[:200]}"}
        except RecursionError:
            record = {"_problem": f"nested too deeply to read: {line.strip()[:200]}"}
        records.append(record)
        rows.append(number)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    data_cols = [c for c in frame.columns if c not in ("_problem", "_bad")]
    names = dict(zip(data_cols, _header(data_cols, path), strict=True))
    frame.columns = [names.get(c, c) for c in frame.columns]
    return _finish(frame, rows)


def _arrow_texts(col: object) -> tuple[list[str | None], dict[int, str]]:
    """A Parquet column as texts, and the reason for each value that has none
    (:func:`_value_text`: a struct or map, binary that is not UTF-8); lists are ``;``-joined."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
            col = pc.binary_join(pc.cast(col, pa.list_(pa.string())), ";")
        elif not pa.types.is_string(col.type):
            col = pc.cast(col, pa.string())
        return col.to_pylist(), {}
    except (pa.ArrowException, ValueError):
        pass
    texts: list[str | None] = []
    bad: dict[int, str] = {}
    for pos, value in enumerate(col.to_pylist()):
        if isinstance(value, list) and value and all(isinstance(v, tuple) for v in value):
            value = dict(value)  # a map column: a list of (key, value) pairs
        text, why = _value_text(value)
        texts.append(text)
        if why is not None:
            bad[pos] = why
    return texts, bad


def read_parquet(path: str | Path) -> pd.DataFrame:
    """Read Parquet, every column as text (lists ``;``-joined); ``_row`` is 1-based.

    A value that cannot be text (a struct or map, binary that is not UTF-8) is missing in its
    column and its reason is in ``_bad`` (``{column: reason}``), quarantined or flagged only if the
    column is used (see :func:`netintel.ingest.mapping.to_canonical`).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as e:
        raise InputError(f"{path}: not a readable Parquet file ({e})") from e
    names = _header(list(table.column_names), path)
    columns = {}
    bad: dict[int, dict[str, str]] = {}
    for name, col in zip(names, table.columns, strict=True):
        texts, problems = _arrow_texts(col)
        columns[name] = pd.Series(texts, dtype=object)
        for pos, reason in problems.items():
            bad.setdefault(pos, {})[name] = reason
    frame = pd.DataFrame(columns, index=range(table.num_rows))
    if bad:
        frame["_bad"] = pd.Series(bad, dtype=object).reindex(frame.index)
    return _finish(frame, range(1, len(frame) + 1))


def read_excel(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read the first (or the named) worksheet of an ``.xlsx``; ``_row`` is the sheet row.

    A formula cell whose value was never computed (a workbook written by a program, not
    saved by Excel) has no value to read: it is missing in its column and the reason is in
    ``_bad`` (``{column: reason}``), so it is quarantined or flagged, never silently empty.
    The worksheet's name is in ``frame.attrs["sheet"]``.
    """
    import openpyxl

    path = Path(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as e:  # openpyxl raises many types for a damaged file
        raise InputError(f"{path}: not a readable Excel workbook ({e})") from e
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(f"{path}: no worksheet {sheet!r}; sheets: {book.sheetnames}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        it = ws.iter_rows(values_only=True)
        raw_it = formulas[ws.title].iter_rows(values_only=True)
        first = next(it, None)
        next(raw_it, None)
        if first is None:
            raise InputError(f"{path}: the worksheet is empty (no header row)")
        width = max((i + 1 for i, c in enumerate(first) if c is not None), default=0)
        header = _header(list(first[:width]), path)
        records, bad = [], {}
        for pos, (row, raw) in enumerate(
            zip(it, itertools.chain(raw_it, itertools.repeat(())), strict=False)
        ):
            cells = row[:width] + (None,) * (width - len(row))
            records.append([_text(c) for c in cells])
            for i, (value, formula) in enumerate(zip(cells, raw[:width], strict=False)):
                formula = getattr(formula, "text", formula)  # an array formula's text
                if not (isinstance(formula, str) and formula.startswith("=")):
                    continue
                if value is None:
                    reason = (
                        f"formula {formula[:100]} has no computed value (open and save in Excel)"
                    )
                elif isinstance(value, str) and value in EXCEL_ERRORS:
                    reason = f"formula {formula[:100]} computed to the error {value}"
                else:
                    continue
                bad.setdefault(pos, {})[header[i]] = reason
        title = ws.title
    except InputError:
        raise
    except Exception as e:  # a damaged sheet fails while it is read, in many ways
        raise InputError(f"{path}: the worksheet cannot be read ({e})") from e
    finally:
        book.close()
        formulas.close()
    frame = pd.DataFrame(records, columns=header, dtype=object)
    if bad:
        frame["_bad"] = pd.Series(bad, dtype=object).reindex(frame.index)
    frame = _finish(frame, range(2, len(frame) + 2))
    frame.attrs["sheet"] = title
    return frame


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes as they are on disk (of the compressed bytes of a
    ``.gz``), in hex: what ``sha256sum`` prints, so anyone can check a file is the one loaded.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes(b"abc")
    >>> file_sha256(p)
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    """
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as e:
        raise InputError(f"{path}: cannot read the file ({e.strerror or e})") from None


#: Columns a reader adds to the file's own: not part of the row as read.
READER_COLUMNS = ("_row", "_problem", "_bad")


def row_texts(frame: pd.DataFrame) -> pd.Series:
    """Each row of a reader's frame as read: a JSON object of the file's own column names
    (in file order) to the cell texts (trimmed; an empty cell is ``null``), indexed like
    ``frame``. The reader's own columns (``_row``, ``_problem``, ``_bad``) are left out.

    >>> frame = pd.DataFrame({"Ho_ten": ["Lê Văn A"], "SDT": [None], "_row": [2]})
    >>> row_texts(frame).tolist()
    ['{"Ho_ten":"Lê Văn A","SDT":null}']
    """
    columns = [c for c in frame.columns if c not in READER_COLUMNS]
    values = frame[columns].astype(object).where(frame[columns].notna(), None)
    texts = [
        json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, separators=(",", ":"))
        for row in values.itertuples(index=False, name=None)
    ]
    return pd.Series(texts, index=frame.index, dtype=object)


def read_table(
    path: str | Path, *, encoding: str | None = None, sheet: str | None = None
) -> pd.DataFrame:
    """Read any supported file by its suffix (``.gz`` allowed on CSV and JSON Lines)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = (Path(path.stem).suffix if path.suffix == ".gz" else path.suffix).lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path, encoding=encoding)
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(path, encoding=encoding)
    if suffix in PARQUET_SUFFIXES:
        return read_parquet(path)
    if suffix in EXCEL_SUFFIXES:
        return read_excel(path, sheet=sheet)
    raise InputError(
        f"{path}: unsupported file type {suffix!r}; use .csv, .tsv, .jsonl, .parquet or .xlsx"
    )
