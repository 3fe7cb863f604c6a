"""The routes wing scored against the planted truth: are the planted corridors the ones the
route analysis ranks first?

Rows of :func:`corridors` (see :class:`~netintel.evaluation.context.EvalContext`):
``corridors_in_top3_routes``: the share of the planted dominant corridors (``dominant`` in
the truth; three per seed) among the first three corridors of ``Workspace.routes`` at
province level. ``corridor_recall_top<n>``: the share of all planted corridors among the
first ``n`` found corridors that cross a border gate (planted corridors are seizures made in
Vietnam after a gate; routes seized on the Lao side, with no gate, are left out of this
comparison only), ``n`` the number planted. Corridors are compared on all four legs
(origin province, gate, seizure province, destination), names mapped to the gazetteer's
canonical spelling (``Xiengkhouang`` = ``Xiangkhouang``, ``Ho Chi Minh City`` = ``Hồ Chí
Minh``), then folded as :func:`~netintel.evaluation.metrics.corridor_recall` does.
"""

from __future__ import annotations

from netintel.evaluation.context import EvalContext, Row
from netintel.evaluation.metrics import corridor_recall
from netintel.values.places import find_gate, find_province

__all__ = ["corridors"]

_ON = ("origin", "gate", "seizure_place", "destination")
_TRUTH = {
    "origin": "origin_province",
    "gate": "gate",
    "seizure_place": "seizure_province",
    "destination": "destination",
}


def _canonical(col: str, value: object, province: object = None) -> str:
    text = "" if value is None else str(value)
    if col == "gate":
        found = find_gate(text, str(province) if province else None)
        return found.name if found else text
    found = find_province(text)
    return found.name if found else text


def _planted(corridors: list[dict]) -> list[dict]:
    return [
        {col: _canonical(col, c.get(src), c.get("gate_province")) for col, src in _TRUTH.items()}
        for c in corridors
    ]


def _label(c: dict) -> str:
    return " → ".join(str(c[col]) for col in _ON)


def corridors(ctx: EvalContext) -> list[Row]:
    """Rows ``corridors_in_top3_routes`` and ``corridor_recall_top<n>``."""
    planted = ctx.truth.get("corridors", [])
    if not planted:
        return []
    found = ctx.ws.routes.corridors(level="province", rings=False, seed=ctx.seed)
    found = found[list(_ON)].astype(str).reset_index(drop=True)
    dominant = _planted([c for c in planted if c.get("dominant")])
    every = _planted(planted)
    ranks = {_label(r): i + 1 for i, r in enumerate(found.to_dict("records"))}
    rows = []
    if dominant:
        k = 3
        value = corridor_recall(found, {"corridors": dominant}, k=k, on=_ON)
        detail = "; ".join(
            f"{_label(c)} (found rank {ranks.get(_label(c), '-')})" for c in dominant
        )
        rows.append(
            {"metric": "corridors_in_top3_routes", "k": k, "value": value, "detail": detail}
        )
    n = len(every)
    gated = found[found["gate"] != "?"].reset_index(drop=True)
    value = corridor_recall(gated, {"corridors": every}, k=n, on=_ON)
    gated_ranks = {_label(r): i + 1 for i, r in enumerate(gated.to_dict("records"))}
    missed = [c for c in every if gated_ranks.get(_label(c), n + 1) > n]
    rows.append(
        {
            "metric": f"corridor_recall_top{n}",
            "k": n,
            "value": value,
            "detail": f"{n} planted, {len(gated)} found crossing a gate ({len(found)} in all)"
            + (("; missed: " + "; ".join(_label(c) for c in missed)) if missed else ""),
        }
    )
    return rows
