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
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from netintel.errors import OutputError

__all__ = ["atomic_write", "check_output", "spreadsheet_safe", "spreadsheet_safe_frame"]

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
    """A copy of ``frame`` whose text cells (and column names) are :func:`spreadsheet_safe`."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(spreadsheet_safe)
    out.columns = [spreadsheet_safe(c) for c in out.columns]
    return out
