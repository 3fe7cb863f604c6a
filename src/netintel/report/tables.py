"""Write result tables to CSV, Excel (.xlsx), Parquet or JSON, chosen by the file's extension.

Every table the engine writes for people goes through :func:`write_table` (the CLI's
``--out`` of every command, the demo's targets, the resolution and review queue), and the
quarantine through the same rules (:func:`netintel.outputs.write_spreadsheet`):

- List-valued columns (``evidence``, ``sources``, ``aliases``) stay lists in Parquet and
  JSON; in CSV and .xlsx they are joined with ``;`` (the separator the record formats read).
- CSV is UTF-8 with a byte-order mark, so that Excel shows Vietnamese, Lao and Thai names as
  written; ``encoding="utf-8"`` (CLI: ``--csv-encoding utf-8`` or
  ``$NETINTEL_CSV_ENCODING=utf-8``) writes plain UTF-8.
- In CSV, text a spreadsheet would run as a formula (leading ``=``, ``@``, tab or carriage
  return, or ``+``/``-`` not followed by a number or phone number) gets a leading ``'``
  (:func:`~netintel.outputs.spreadsheet_safe`). In .xlsx such text is a text cell, never a
  formula, and keeps its value.
- Identifiers with leading zeros (``00123``) are text cells in .xlsx. A CSV cannot say so:
  Excel opening a CSV by double-click drops the zeros, so ask for .xlsx or import the CSV with
  Data > From Text/CSV and the column typed as text.
- .xlsx has typed columns (numbers, dates, booleans), a frozen bold header row with a
  filter, and columns as wide as their text (up to 60 characters).

The file is written to a temporary name and renamed (:func:`~netintel.outputs.atomic_write`),
readable by its owner only; a wrong extension is refused before anything is written.

Examples
--------
>>> import tempfile, pandas as pd
>>> df = pd.DataFrame({"rank": [1], "person_id": ["P-1"], "evidence": [["r1", "r2"]]})
>>> path = write_table(df, tempfile.mkdtemp() + "/targets.csv")
>>> path.read_text(encoding="utf-8-sig").splitlines()[1]
'1,P-1,r1;r2'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netintel.outputs import atomic_write, check_output, csv_encoding, write_spreadsheet

FORMATS = (".csv", ".xlsx", ".parquet", ".json")


def write_table(frame: pd.DataFrame, path: str | Path, *, encoding: str | None = None) -> Path:
    """Write ``frame`` to ``path`` (.csv, .xlsx, .parquet or .json) and return the path.

    Parameters
    ----------
    frame : DataFrame
        The table.
    path : str or Path
        The file; its extension chooses the format.
    encoding : str, optional
        CSV only: ``"utf-8-sig"`` (UTF-8 with a byte-order mark, the default) or ``"utf-8"``;
        default :func:`~netintel.outputs.csv_encoding` (``--csv-encoding``,
        ``$NETINTEL_CSV_ENCODING``).

    Raises
    ------
    OutputError
        If the extension is not one of .csv, .xlsx, .parquet, .json, the encoding is not
        UTF-8, or the file cannot be written (an old file at ``path`` is then left as it was).

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> folder = tempfile.mkdtemp()
    >>> frame = pd.DataFrame({"name": ["@SUM(1)"], "national_id": ["001234"], "score": [0.9]})
    >>> write_table(frame, folder + "/t.csv", encoding="utf-8").read_text().splitlines()
    ['name,national_id,score', "'@SUM(1),001234,0.9"]
    >>> sheet = openpyxl.load_workbook(write_table(frame, folder + "/t.xlsx")).active
    >>> [(c.value, c.data_type) for c in sheet[2]], sheet.freeze_panes
    ([('@SUM(1)', 's'), ('001234', 's'), (0.9, 'n')], 'A2')
    """
    path = check_output(path, suffixes=FORMATS)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        encoding = csv_encoding(encoding)  # an unknown encoding is refused before writing
    with atomic_write(path) as tmp:
        if suffix in (".csv", ".xlsx"):
            write_spreadsheet(frame, tmp, encoding=encoding, sheet=path.stem)
        elif suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_json(tmp, orient="records", indent=2, force_ascii=False, date_format="iso")
    return path
