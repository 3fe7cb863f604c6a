"""Time: who mattered in each period, who is rising, and who took over after an arrest.

A network's leaders change: one is arrested, a lieutenant takes the calls. :class:`Timeline`
ranks the people of each period's graph (snapshots: the person graph projected on the
evidence of one month, quarter or year; see :mod:`netintel.project.periods`) and reads
three tables from the ranks:

``timeline_``      rank and score of each person in each period
``rising_``        the largest score rises between consecutive periods, with the new ties
                   behind them
``replacements_``  for each arrest of a person who ranked near the top and did not stay
                   there, the people of their ring or neighbourhood whose score rose most
                   afterwards: the successor first

The score is the composite target score of :func:`~netintel.analysis.network.ranking.rank_targets`
(``measure="score"``) or one of its measures (``"betweenness"``, ``"pagerank"``, ...). Each
period is ranked on its *active* people only (anyone with a tie or a recorded role in the
period), so a quiet period does not push everyone down the list.

Successor detection follows the idea that a network replaces a removed leader from within:
the candidate whose position improves most right after the arrest, among the people close to
the arrested leader before it (within two ties, or in the same Louvain ring, in the period of
the arrest or the one before), is the likely successor.

Columns
-------
timeline: ``period, rank, person_id, name, score, ring, evidence`` (``evidence``: the
records behind the person's ties in that period, and their arrests in it).

rising: ``period, previous_period, person_id, name, rank, previous_rank, rank_change,
score, previous_score, score_rise, new_ties, explanation, evidence`` (``new_ties``: the
people newly tied to them; ``evidence``: the records of those new ties; ``previous_rank`` is
missing for people not active before, whose ``rank_change`` counts from one below the last).

replacements: ``arrested_id, arrested_name, arrest_date, arrest_period, arrested_rank,
active_after, candidate, person_id, name, ring, rank_before, rank_after, score_before,
score_after, score_rise, explanation, evidence`` (one row per candidate, ``candidate`` 1 =
the successor; ``evidence``: the leader's arrest records and the records of the
candidate's new ties after it).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netintel.analysis.network.centrality import MEASURES
from netintel.analysis.network.profile import RankingProfile
from netintel.analysis.network.ranking import TargetRanker
from netintel.errors import AnalysisError

__all__ = ["Timeline", "TimelineResult", "timeline"]


@dataclass
class TimelineResult:
    """The three tables of :class:`Timeline` (see the module for their columns)."""

    timeline: pd.DataFrame
    rising: pd.DataFrame
    replacements: pd.DataFrame


class Timeline:
    """Rank each period's people; find rising actors and the successors of arrested leaders.

    Parameters
    ----------
    measure : str, default "score"
        ``"score"`` (the composite target score) or one of
        :data:`~netintel.analysis.network.centrality.MEASURES`.
    top : int or None, default None
        Rows per period kept in :attr:`timeline_` and in :attr:`rising_` (all by default).
    leader_top : int, default 5
        An arrested person counts as a leader when ranked this high (or higher) in the period
        of the arrest or the one before; the arrest is a *replacement* only if they are
        ranked lower (or absent) in every one of the ``lookahead`` periods after it.
    lookahead : int, default 2
        Periods after the arrest in which a successor's rise is looked for (plus the
        arrest's own period when the arrest falls in its first half).
    successors : int, default 3
        Candidates listed per arrest in :attr:`replacements_`.
    successor_top : int, default 10
        A candidate must reach this rank (or higher) after the arrest: whoever replaces a
        leader rises near the top.
    profile, seed, engine, betweenness_k
        As for :class:`~netintel.analysis.network.ranking.TargetRanker` (``seed`` also seeds
        Louvain).

    Attributes
    ----------
    ranks_ : pandas.DataFrame
        Every active person of every period (the timeline without ``top``).
    timeline_, rising_, replacements_ : pandas.DataFrame

    Notes
    -----
    Ties are broken deterministically: within a period by ``person_id`` (as the ranking
    does); rises by ``person_id``; candidates by a better rank after the arrest, then
    ``person_id``.

    Examples
    --------
    A hub ``L`` is arrested in February; in March ``S``, one of his contacts, takes his place.

    >>> def period(edges, first):
    ...     G = nx.Graph()
    ...     G.add_edges_from(edges, first_seen=first, last_seen=first, sources=["R-" + first])
    ...     return G
    >>> jan = period([("L", x) for x in "SABC"] + [("S", "A")], "2023-01-10")
    >>> feb = period([("L", x) for x in "SAB"], "2023-02-10")
    >>> mar = period([("S", x) for x in "ABCD"], "2023-03-10")
    >>> arrests = pd.DataFrame({"person_id": ["L"], "arrest_id": ["A1"],
    ...     "date": ["2023-02-20"], "sources": [["ARR-1"]]})
    >>> from netintel.project.periods import period_windows
    >>> windows = period_windows("2023-01-01", "2023-03-31", "month")
    >>> t = Timeline(leader_top=1, successors=1).fit(
    ...     {"2023-01": jan, "2023-02": feb, "2023-03": mar}, windows=windows, arrests=arrests)
    >>> t.replacements_[["arrested_id", "arrest_period", "person_id", "rank_after"]].values.tolist()
    [['L', '2023-02', 'S', 1]]
    >>> t.rising_.loc[0, ["period", "person_id", "new_ties"]].tolist()
    ['2023-03', 'S', ['A', 'B', 'C', 'D']]
    """

    def __init__(
        self,
        *,
        measure: str = "score",
        top: int | None = None,
        leader_top: int = 5,
        lookahead: int = 2,
        successors: int = 3,
        successor_top: int = 10,
        profile: str | RankingProfile = "default",
        seed: int | None = 0,
        engine: str = "auto",
        betweenness_k: int | None = None,
    ) -> None:
        self.measure = measure
        self.top = top
        self.leader_top = leader_top
        self.lookahead = lookahead
        self.successors = successors
        self.successor_top = successor_top
        self.profile = profile
        self.seed = seed
        self.engine = engine
        self.betweenness_k = betweenness_k

    def fit(
        self,
        snapshots: Mapping[str, nx.Graph],
        *,
        windows: pd.DataFrame | None = None,
        arrests: pd.DataFrame | None = None,
    ) -> Timeline:
        """Rank every snapshot and derive the rising and replacement tables.

        Parameters
        ----------
        snapshots : mapping of period label to networkx.Graph
            The person graph of each period, in time order.
        windows : pandas.DataFrame, optional
            ``period, since, until`` of each label
            (:func:`~netintel.project.periods.period_windows`); needed to place
            arrests in periods.
        arrests : pandas.DataFrame, optional
            ``person_id, arrest_id, date, sources``: one row per person per arrest. Without
            it (or ``windows``) :attr:`replacements_` is empty.

        Raises
        ------
        AnalysisError
            If there are no snapshots, an option is out of range, or ``windows`` does not
            cover the snapshots.
        """
        self._check(snapshots, windows)
        labels = list(snapshots)
        arrests = _arrest_table(arrests)
        ranks = [self._rank(p, snapshots[p], windows, arrests) for p in labels]
        self.ranks_ = pd.concat(ranks, ignore_index=True) if ranks else _empty_timeline()
        keep = self.ranks_ if self.top is None else self.ranks_[self.ranks_["rank"] <= self.top]
        self.timeline_ = keep.reset_index(drop=True)
        self.rising_ = self._rising(labels, snapshots)
        self.replacements_ = self._replacements(labels, snapshots, windows, arrests)
        return self

    def _check(self, snapshots: Mapping[str, nx.Graph], windows: pd.DataFrame | None) -> None:
        if not snapshots:
            raise AnalysisError("no periods to rank: give at least one snapshot")
        if self.measure != "score" and self.measure not in MEASURES:
            raise AnalysisError(
                f"unknown measure {self.measure!r}; use score or one of {', '.join(MEASURES)}"
            )
        for name in ("leader_top", "lookahead", "successors", "successor_top"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise AnalysisError(f"{name} must be an integer >= 1, got {value!r}")
        if self.top is not None and (
            isinstance(self.top, bool) or not isinstance(self.top, int) or self.top < 1
        ):
            raise AnalysisError(f"top must be an integer >= 1 or None, got {self.top!r}")
        if windows is not None:
            if not isinstance(windows, pd.DataFrame) or not {"period", "since", "until"} <= set(
                windows.columns
            ):
                raise AnalysisError("windows must be a frame with columns period, since, until")
            missing = set(snapshots) - set(windows["period"])
            if missing:
                raise AnalysisError(f"windows lack the period(s) {sorted(missing)}")

    # -- per period ----------------------------------------------------------------------------
    def _rank(
        self,
        label: str,
        G: nx.Graph,
        windows: pd.DataFrame | None,
        arrests: pd.DataFrame,
    ) -> pd.DataFrame:
        active = [u for u in G if G.degree(u) > 0 or G.nodes[u].get("roles")]
        if not active:
            return _empty_timeline()
        H = G.subgraph(active).copy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ranking = (
                TargetRanker(
                    self.profile,
                    seed=self.seed,
                    engine=self.engine,
                    betweenness_k=self.betweenness_k,
                )
                .fit(H)
                .ranking_
            )
        if self.measure != "score":
            ranking = ranking.assign(score=ranking[self.measure].astype(float))
            ranking = ranking.sort_values(
                ["score", "person_id"], ascending=[False, True], kind="mergesort"
            )
        in_period = _in_window(arrests, windows, label)
        records = in_period.groupby("person_id")["sources"].sum().to_dict()
        out = pd.DataFrame(
            {
                "period": label,
                "rank": np.arange(1, len(ranking) + 1),
                "person_id": ranking["person_id"].to_numpy(),
                "name": ranking["name"].to_numpy(),
                "score": ranking["score"].to_numpy(dtype=float),
                "ring": ranking["ring"].to_numpy(),
            }
        )
        out["evidence"] = [_tie_records(H, u, records.get(u, [])) for u in out["person_id"]]
        return out

    # -- rising actors ---------------------------------------------------------------------------
    def _rising(self, labels: Sequence[str], snapshots: Mapping[str, nx.Graph]) -> pd.DataFrame:
        cols = [
            "period", "previous_period", "person_id", "name", "rank", "previous_rank",
            "rank_change", "score", "previous_score", "score_rise", "new_ties", "explanation",
            "evidence",
        ]  # fmt: skip
        rows = []
        by_period = {p: g.set_index("person_id") for p, g in self.ranks_.groupby("period")}
        for prev, cur in itertools.pairwise(labels):
            now = by_period.get(cur)
            if now is None:
                continue
            before = by_period.get(prev, pd.DataFrame(columns=["rank", "score"]))
            G0, G1 = snapshots[prev], snapshots[cur]
            n_before = len(before)
            rise = now["score"] - before["score"].reindex(now.index).fillna(0.0)
            order = sorted(
                (pid for pid in now.index if rise[pid] > 1e-12),
                key=lambda pid: (-round(float(rise[pid]), 12), str(pid)),
            )
            if self.top is not None:
                order = order[: self.top]
            for pid in order:
                r = now.loc[pid]
                prev_rank = before["rank"].get(pid)
                prev_score = float(before["score"].get(pid, 0.0))
                had = set(G0[pid]) if pid in G0 else set()
                new = sorted(set(G1[pid]) - had, key=str)
                records = sorted(
                    {s for w in new for s in _list(G1[pid][w].get("sources"))}, key=str
                )
                base = n_before + 1 if prev_rank is None or pd.isna(prev_rank) else int(prev_rank)
                rows.append(
                    {
                        "period": cur,
                        "previous_period": prev,
                        "person_id": pid,
                        "name": r["name"],
                        "rank": int(r["rank"]),
                        "previous_rank": None if prev_rank is None or pd.isna(prev_rank) else int(prev_rank),
                        "rank_change": base - int(r["rank"]),
                        "score": float(r["score"]),
                        "previous_score": prev_score,
                        "score_rise": float(rise[pid]),
                        "new_ties": new,
                        "explanation": _rise_text(prev_score, float(r["score"]), prev_rank,
                                                  int(r["rank"]), new, G1),
                        "evidence": records,
                    }
                )  # fmt: skip
        out = pd.DataFrame(rows, columns=cols)
        out["previous_rank"] = out["previous_rank"].astype("Int64")
        return out

    # -- successors ---------------------------------------------------------------------------
    def _replacements(
        self,
        labels: Sequence[str],
        snapshots: Mapping[str, nx.Graph],
        windows: pd.DataFrame | None,
        arrests: pd.DataFrame,
    ) -> pd.DataFrame:
        cols = [
            "arrested_id", "arrested_name", "arrest_date", "arrest_period", "arrested_rank",
            "active_after", "candidate", "person_id", "name", "ring", "rank_before",
            "rank_after", "score_before", "score_after", "score_rise", "explanation", "evidence",
        ]  # fmt: skip
        if windows is None or arrests.empty:
            return pd.DataFrame(columns=cols)
        w = windows.set_index("period").loc[labels]
        starts = pd.to_datetime(w["since"]).to_numpy()
        ranks = self.ranks_
        table = {(p, pid): r for p, pid, r in zip(ranks["period"], ranks["person_id"],
                                                   ranks.itertuples(index=False), strict=True)}  # fmt: skip
        members: dict[tuple[str, object], set] = {}
        for p, c, pid in zip(ranks["period"], ranks["ring"], ranks["person_id"], strict=True):
            members.setdefault((p, c), set()).add(pid)
        dated = arrests.dropna(subset=["date"]).sort_values(["date", "person_id"], kind="mergesort")
        seen: set = set()
        rows = []
        for arrest in dated.itertuples(index=False):
            k = int(np.searchsorted(starts, np.datetime64(arrest.date), side="right")) - 1
            if k < 0 or pd.Timestamp(arrest.date) > pd.Timestamp(w["until"].iloc[k]):
                continue
            u = arrest.person_id
            if (u, k) in seen:
                continue
            seen.add((u, k))
            before = [
                table[(labels[b], u)] for b in (k - 1, k) if b >= 0 and (labels[b], u) in table
            ]
            since_k, until_k = pd.Timestamp(w["since"].iloc[k]), pd.Timestamp(w["until"].iloc[k])
            early = pd.Timestamp(arrest.date) <= since_k + (until_k - since_k) / 2
            # An arrest in the first half of its period leaves most of it to the successor.
            after_periods = labels[k if early else k + 1 : k + 1 + self.lookahead]
            if not before or not after_periods:
                continue
            best = min(before, key=lambda r: (r.rank, r.period))
            if best.rank > self.leader_top:
                continue
            later = [table[(p, u)].rank for p in after_periods[early:] if (p, u) in table]
            active_after = bool(later)
            if later and min(later) <= self.leader_top:
                continue  # still at the top after the arrest: nobody replaced them
            G_before = snapshots[best.period]
            # A candidate's rise counts from the period before the arrest's (the successor may
            # already be rising in the arrest's own period).
            base = labels[k - 1] if k >= 1 else labels[k]
            together = set(arrests.loc[arrests["arrest_id"] == arrest.arrest_id, "person_id"])
            ring = best.ring
            # Close to the leader in the arrest's period or the one before: within two ties,
            # or in the same ring.
            close: set = set()
            for r in before:
                close |= set(nx.single_source_shortest_path_length(snapshots[r.period], u, 2))
                close |= members[(r.period, r.ring)]
            candidates = close - together - {u}
            scored = []
            for c in candidates:
                b = table.get((base, c))
                after = [table[(p, c)] for p in after_periods if (p, c) in table]
                if not after:
                    continue
                top_after = max(after, key=lambda r: (r.score, -r.rank))
                rise = top_after.score - (b.score if b else 0.0)
                if rise <= 1e-12 or top_after.rank > self.successor_top:
                    continue
                scored.append((c, b, top_after, rise))
            scored.sort(key=lambda s: (-round(s[3], 12), s[2].rank, str(s[0])))
            leader_records = sorted(_list(arrest.sources), key=str)
            for place, (c, b, a, rise) in enumerate(scored[: self.successors], start=1):
                new = _new_ties(c, G_before, [snapshots[p] for p in after_periods])
                records = set(leader_records)
                for _, recs in new:
                    records.update(recs)
                rows.append(
                    {
                        "arrested_id": u,
                        "arrested_name": best.name,
                        "arrest_date": pd.Timestamp(arrest.date).date().isoformat(),
                        "arrest_period": labels[k],
                        "arrested_rank": int(best.rank),
                        "active_after": active_after,
                        "candidate": place,
                        "person_id": c,
                        "name": a.name,
                        "ring": ring,
                        "rank_before": None if b is None else int(b.rank),
                        "rank_after": int(a.rank),
                        "score_before": 0.0 if b is None else float(b.score),
                        "score_after": float(a.score),
                        "score_rise": float(rise),
                        "explanation": _successor_text(best, b, a, labels[k], active_after,
                                                       [w for w, _ in new], snapshots),
                        "evidence": sorted(records, key=str),
                    }
                )  # fmt: skip
        out = pd.DataFrame(rows, columns=cols)
        out["rank_before"] = out["rank_before"].astype("Int64")
        return out


def timeline(
    snapshots: Mapping[str, nx.Graph],
    *,
    windows: pd.DataFrame | None = None,
    arrests: pd.DataFrame | None = None,
    **options: object,
) -> TimelineResult:
    """The three tables of :class:`Timeline` (``options`` go to its constructor)."""
    t = Timeline(**options).fit(snapshots, windows=windows, arrests=arrests)  # type: ignore[arg-type]
    return TimelineResult(t.timeline_, t.rising_, t.replacements_)


# -- helpers (inputs already checked) ----------------------------------------------------------
def _empty_timeline() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["period", "rank", "person_id", "name", "score", "ring", "evidence"]
    )


def _list(value: object) -> list:
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, list | tuple | np.ndarray) else []


def _arrest_table(arrests: pd.DataFrame | None) -> pd.DataFrame:
    cols = ["person_id", "arrest_id", "date", "sources"]
    if arrests is None:
        return pd.DataFrame(columns=cols)
    missing = {"person_id", "date"} - set(arrests.columns)
    if missing:
        raise AnalysisError(f"arrests frame lacks column(s) {sorted(missing)}")
    out = arrests.copy()
    if "arrest_id" not in out:
        out["arrest_id"] = [f"{p}@{d}" for p, d in zip(out["person_id"], out["date"], strict=True)]
    if "sources" not in out:
        out["sources"] = [[] for _ in range(len(out))]
    out["sources"] = out["sources"].map(_list)
    out["date"] = pd.to_datetime(out["date"], errors="coerce")
    return out[cols]


def _in_window(arrests: pd.DataFrame, windows: pd.DataFrame | None, label: str) -> pd.DataFrame:
    if windows is None or arrests.empty:
        return arrests.iloc[0:0]
    w = windows.set_index("period").loc[label]
    since, until = pd.Timestamp(w["since"]), pd.Timestamp(w["until"])
    return arrests[(arrests["date"] >= since) & (arrests["date"] <= until)]


def _tie_records(G: nx.Graph, u: Hashable, own: Sequence) -> list:
    records = set(own)
    for d in G.adj[u].values():
        records.update(_list(d.get("sources")))
    return sorted(records, key=str)


def _new_ties(
    c: Hashable, before: nx.Graph, after: Sequence[nx.Graph]
) -> list[tuple[Hashable, list]]:
    had = set(before[c]) if c in before else set()
    new: dict[Hashable, set] = {}
    for G in after:
        if c not in G:
            continue
        for w in G[c]:
            if w not in had:
                new.setdefault(w, set()).update(_list(G[c][w].get("sources")))
    return [(w, sorted(new[w], key=str)) for w in sorted(new, key=str)]


def _names(people: Sequence[Hashable], G: nx.Graph, limit: int = 3) -> str:
    shown = [str(G.nodes[w].get("name") or w) if w in G else str(w) for w in people[:limit]]
    more = f" and {len(people) - limit} more" if len(people) > limit else ""
    return ", ".join(shown) + more


def _rise_text(
    prev_score: float, score: float, prev_rank: object, rank: int, new: Sequence, G: nx.Graph
) -> str:
    was = "not active" if prev_rank is None or pd.isna(prev_rank) else f"rank {int(prev_rank)}"
    text = f"Score {prev_score:.2f} -> {score:.2f} ({was} -> rank {rank})"
    if new:
        text += f"; {len(new)} new contact{'' if len(new) == 1 else 's'}: {_names(new, G)}"
    return text + "."


def _successor_text(
    leader: Any,
    before: Any,
    after: Any,
    period: str,
    active_after: bool,
    new: Sequence[Hashable],
    snapshots: Mapping[str, nx.Graph],
) -> str:
    was = "not active" if before is None else f"rank {before.rank} ({before.score:.2f})"
    text = (
        f"{leader.name or leader.person_id} (rank {leader.rank} in {leader.period}) was "
        f"arrested in {period}"
        + ("" if active_after else " and is in no later record")
        + f"; this person went from {was} to rank {after.rank} ({after.score:.2f}) in "
        f"{after.period}"
    )
    if new:
        G = snapshots[after.period]
        text += f", with {len(new)} new contact{'' if len(new) == 1 else 's'}: {_names(new, G)}"
    return text + "."
