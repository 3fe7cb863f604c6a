"""Write result tables to CSV, Parquet or JSON, chosen by the file's extension.

List-valued columns (``evidence``, ``sources``) stay lists in Parquet and JSON; in CSV they
are joined with ``;``, the same separator the record formats use for multi-valued cells, and
text a spreadsheet would run as a formula gets a leading ``'``
(:func:`~netintel.outputs.spreadsheet_safe`). The file is written to a temporary name and
renamed (:func:`~netintel.outputs.atomic_write`), readable by its owner only.

Examples
--------
>>> import tempfile, pandas as pd
>>> df = pd.DataFrame({"rank": [1], "person_id": ["P-1"], "evidence": [["r1", "r2"]]})
>>> path = write_table(df, tempfile.mkdtemp() + "/targets.csv")
>>> path.read_text().splitlines()[1]
'1,P-1,r1;r2'
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from netintel.outputs import atomic_write, check_output, spreadsheet_safe_frame

FORMATS = (".csv", ".parquet", ".json")


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple | np.ndarray)


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` to ``path`` (.csv, .parquet or .json) and return the path.

    Raises
    ------
    OutputError
        If the extension is not one of .csv, .parquet, .json, or the file cannot be written
        (an old file at ``path`` is then left as it was).
    """
    path = check_output(path, suffixes=FORMATS)
    with atomic_write(path) as tmp:
        _write(frame, tmp, path.suffix.lower())
    return path


def _write(frame: pd.DataFrame, path: Path, suffix: str) -> None:
    if suffix == ".csv":
        out = frame.copy()
        for col in out.columns:
            if out[col].map(_is_list).any():
                out[col] = out[col].map(lambda v: ";".join(map(str, v)) if _is_list(v) else v)
            elif out[col].map(lambda v: isinstance(v, dict)).any():
                out[col] = out[col].map(
                    lambda v: (
                        "; ".join(f"{k} x{n}" for k, n in v.items()) if isinstance(v, dict) else v
                    )
                )
        spreadsheet_safe_frame(out).to_csv(path, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_json(path, orient="records", indent=2, force_ascii=False, date_format="iso")
