"""Corridor people: who was arrested for each corridor's seizures, and on which records.

:func:`corridor_people` lists, for each corridor of a corridor table
(:func:`~netintel.analysis.routes.corridors.corridors`), the people whose own arrest record
names one of its seizures (people merely arrested in the same event are not tied to it by
that alone: see :func:`netintel.project.routes.read_route_tables`), with their recorded
roles, the number of the corridor's seizures they are linked to, their ring, and the arrest
records and seizures that put them there.
"""

from __future__ import annotations

import pandas as pd

from netintel.analysis.routes.corridors import check_corridor_table
from netintel.project.routes import RouteTables, optional_text

__all__ = ["PEOPLE_COLUMNS", "corridor_people"]

#: Columns of :func:`corridor_people`, in order.
PEOPLE_COLUMNS = [
    "corridor_rank", "corridor", "person_id", "name", "roles", "seizures", "ring", "evidence",
]  # fmt: skip


def corridor_people(
    table: pd.DataFrame, tables: RouteTables, *, rings: pd.Series | None = None
) -> pd.DataFrame:
    """The people arrested for each corridor's seizures, with the records that say so.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`~netintel.analysis.routes.corridors.corridors` (its ``rank``,
        ``corridor`` and ``evidence``).
    tables : RouteTables
    rings : pandas.Series, optional
        ``person_id -> ring``.

    Returns
    -------
    pandas.DataFrame
        ``corridor_rank, corridor, person_id, name, roles, seizures, ring, evidence``: one
        row per person and corridor, by corridor rank, then seizures (descending), then
        ``person_id``. ``evidence`` holds the person's arrest record ids for those seizures
        and the seizure ids.

    Raises
    ------
    AnalysisError
        If ``table`` lacks those columns or ``tables`` is not the route tables.

    Examples
    --------
    >>> from netintel.analysis.routes import corridors, example_tables
    >>> t = example_tables()
    >>> p = corridor_people(corridors(t, top=1), t)
    >>> p[["name", "roles", "seizures", "evidence"]].to_dict("records")[0]
    {'name': 'Lầu Bá Chò', 'roles': ['organizer'], 'seizures': 2, 'evidence': ['A-1', 'A-2', 'S1', 'S2']}
    """
    check_corridor_table(table, tables, ("rank", "corridor", "evidence"))
    arrests = tables.arrests
    rows = []
    for crow in table.itertuples(index=False):
        seized = set(crow.evidence)
        sub = arrests[arrests["seizure_id"].isin(seized)]
        for pid, g in sub.groupby("person_id", sort=True):
            records = sorted({r for ev in g["evidence"] for r in ev} | set(g["seizure_id"]))
            rows.append(
                {
                    "corridor_rank": crow.rank,
                    "corridor": crow.corridor,
                    "person_id": pid,
                    "name": g["name"].iloc[0],
                    "roles": sorted({r for r in g["role"] if optional_text(r)}),
                    "seizures": int(g["seizure_id"].nunique()),
                    "ring": rings.get(pid) if rings is not None else None,
                    "evidence": records,
                }
            )
    out = pd.DataFrame(rows, columns=PEOPLE_COLUMNS)
    if out.empty:
        return out
    return out.sort_values(
        ["corridor_rank", "seizures", "person_id"], ascending=[True, False, True]
    ).reset_index(drop=True)
