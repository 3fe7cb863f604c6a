"""The end-to-end evaluation behind ``netintel evaluate``.

:func:`run_evaluation` generates (or reads) a synthetic set, loads it into a fresh embedded
store through the public workspace facade, computes once what several scorers share (the
people, their planted matches, the target list, the default rings) and runs every scorer of
:data:`~netintel.evaluation.scorers.SCORERS`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

import netintel
from netintel.errors import OutputError
from netintel.evaluation.context import EvalContext
from netintel.evaluation.scorers import SCORERS
from netintel.evaluation.truth import load_truth, map_people
from netintel.synthetic import CHANNEL_FILES, FILES, generate, write

__all__ = ["COLUMNS", "EvalContext", "run_evaluation"]

logger = logging.getLogger(__name__)

#: The columns of the metrics table.
COLUMNS = ["metric", "k", "value", "detail"]


def run_evaluation(
    *,
    records: int = 2000,
    seed: int = 0,
    data: str | Path | None = None,
    workdir: str | Path,
    ks: Iterable[int] = (5, 10),
) -> pd.DataFrame:
    """Generate (or read) a synthetic set, load it into a fresh embedded store, rank, score.

    :func:`netintel.synthetic.generate` -> ``Workspace.ingest`` -> ``rank_targets`` and
    ``communities`` -> the scorers of :mod:`netintel.evaluation.scorers`.

    Parameters
    ----------
    records, seed : int
        Size and seed of the generated set (``seed`` also seeds the analyses).
    data : str or Path, optional
        A folder already written by :func:`netintel.synthetic.write` (its four CSV files and
        ``truth.json``) to use instead of generating.
    workdir : str or Path
        Where the generated records and the database go; the database must not exist yet.
    ks : iterable of int, default (5, 10)
        Cut-offs of the target list scores.

    Returns
    -------
    pandas.DataFrame
        ``metric, k, value, detail``, one row per score, in the order of
        :data:`~netintel.evaluation.scorers.SCORERS` (``k`` missing where it does not
        apply). ``attrs`` holds ``records`` (rows in the set) and ``seed``.

    Raises
    ------
    OutputError
        If ``workdir`` already holds an evaluation database.
    InputError
        If ``data`` has no truth file or its records cannot be read.
    """
    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    db = work / "evaluation.db"
    if db.exists():
        raise OutputError(f"{db} exists: evaluate into a fresh folder")
    if data is None:
        dataset = generate(records, seed=seed)
        paths = write(dataset, work / "records")
        truth = dataset.truth
    else:
        truth = load_truth(data)
        paths = {name: Path(data) / f"{name}.csv" for name in FILES}
        for name in CHANNEL_FILES:  # a set generated before the channels has none
            if (Path(data) / f"{name}.csv").exists():
                paths[name] = Path(data) / f"{name}.csv"
    with netintel.open(db) as ws:
        report = ws.ingest(**{name: paths[name] for name in FILES})
        people = ws.records.people()
        ctx = EvalContext(
            ws,
            truth,
            seed,
            people,
            map_people(people, truth),
            paths,
            work / "scratch",
            report,
            ks=tuple(ks),
            ranking=ws.rank_targets(seed=seed),
            rings=ws.network.rings(seed=seed),
        )
        ctx.workdir.mkdir(exist_ok=True)
        rows = [row for scorer in SCORERS for row in scorer(ctx)]
    out = pd.DataFrame(rows, columns=COLUMNS).astype({"k": "object"})
    out.attrs.update(records=int(truth.get("records", records)), seed=seed)
    logger.info("evaluated %d records (seed %d)", out.attrs["records"], seed)
    return out
