"""What changed since the last run, and what to watch for (``ws.changes``).

A nightly job cannot tell what is new from two target lists alone. Each ``rank`` (and case
report) run is recorded in the database as a ``RankRun`` node (:meth:`ChangesWing.record_run`:
when, window, profile, data version, the list with each person's evidence);
:meth:`ChangesWing.compare` (also ``ws.network.changes()`` and ``netintel changes``) says who
entered, left, rose or fell between two runs and why: the record versions loaded since the
earlier run that touch that person's ties.

The watchlist holds people, phones, plates and IDs (``Watch`` nodes,
:meth:`ChangesWing.watch`); after an ingest, :meth:`ChangesWing.check_alerts` raises an
``Alert`` for each watched entity that the new records mention, with those records.

Every call is on the audit record (:func:`~netintel.workspace._wing.audited`).

Examples
--------
>>> list(ws.changes.watchlist().columns)
['watch_id', 'kind', 'value', 'text', 'added_at', 'added_by']
>>> ws.changes.compare(top=20)[["change", "name", "rank_now", "rank_before", "why"]]  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from netintel.batch import stable_id
from netintel.errors import InputError, InvalidValueError
from netintel.store import history
from netintel.values import Window
from netintel.values.identifier import clean_national_id, clean_plate
from netintel.values.phone import to_e164
from netintel.workspace._wing import Wing, audited

if TYPE_CHECKING:
    from netintel.store.base import GraphStore

#: What a watch can name.
KINDS = ("person", "phone", "plate", "id")
#: The columns of :meth:`ChangesWing.compare`.
CHANGE_COLUMNS = (
    "change", "rank_now", "rank_before", "name", "person_id", "score_now", "score_before",
    "records", "why",
)  # fmt: skip
#: The order changes are listed in.
ORDER = {"entered": 0, "rose": 1, "fell": 2, "left": 3}
_PHONE_LIKE = re.compile(r"\+?[\d\s().-]{7,}")


def now() -> str:
    """The current UTC time, ISO 8601 with microseconds (runs and alerts sort by it)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def data_version(store: GraphStore) -> tuple[str, int]:
    """The store's data version: the latest ``Record.loaded_at`` ("" when none) and the number
    of record versions."""
    found = store.query(history.DATA_VERSION)
    if found.empty:
        return "", 0
    latest = found.iloc[0]["loaded_at"]
    return (latest if isinstance(latest, str) else ""), int(found.iloc[0]["versions"] or 0)


def new_records(store: GraphStore, since: str, until: str | None = None) -> pd.DataFrame:
    """Record versions loaded after ``since`` (and, given ``until``, no later than it):
    ``source_id, record_id, kind, file, row, loaded_at``."""
    found = store.query(history.RECORD_NEW, {"since": since or ""})
    if until is not None:
        found = found[found["loaded_at"] <= until]
    return found.sort_values(["loaded_at", "source_id"], ignore_index=True)


class ChangesWing(Wing):
    """Run history, what changed between runs, the watchlist and its alerts (``ws.changes``)."""

    word = "changes"

    # -- runs -------------------------------------------------------------------------------
    @audited("alteration", records=False)
    def record_run(
        self,
        targets: pd.DataFrame,
        *,
        command: str = "rank",
        window: Window | str | None = None,
        profile: str = "default",
    ) -> str:
        """Record a ranking run (a ``RankRun`` node): the time, the window, the profile, the
        data version and the list (person, name, rank, score, evidence), in rank order.

        Returns
        -------
        str
            The run's id (``RUN-...``).
        """
        at = now()
        latest, versions = data_version(self._ws.store)
        columns = [c for c in ("person_id", "name", "rank", "score", "evidence") if c in targets]
        ranking = json.loads(targets[columns].to_json(orient="records", force_ascii=False))
        text = json.dumps(ranking, ensure_ascii=False, sort_keys=True)
        run_id = "RUN-" + at[:19].replace(":", "").replace("-", "") + "-"
        run_id += stable_id("run", at, text)[-8:]
        self._ws.store.query(
            history.RUN_CREATE,
            {
                "id": run_id, "ran_at": at, "command": command,
                "time_window": str(window if window is not None else Window()),
                "profile_name": str(profile), "data_version": latest,
                "record_versions": versions, "people": len(ranking), "ranking": text,
                "run_by": self._ws.user,
            },
            write=True,
        )  # fmt: skip
        return run_id

    @audited()
    def runs(self) -> pd.DataFrame:
        """Every recorded run, oldest first: ``run_id, ran_at, command, time_window,
        profile_name, data_version, record_versions, people, run_by``."""
        return self._ws.store.query(history.RUNS).sort_values("ran_at", ignore_index=True)

    def _ranking(self, run_id: str) -> pd.DataFrame:
        found = self._ws.store.query(history.RUN_RANKING, {"id": run_id})
        if found.empty:
            raise InputError(f"no recorded run {run_id!r} (netintel changes --list shows them)")
        return pd.DataFrame(json.loads(found.iloc[0]["ranking"]))

    @audited()
    def compare(
        self, run: str | None = None, *, against: str | None = None, top: int = 20
    ) -> pd.DataFrame:
        """Who entered, left, rose or fell in the top ``top`` between two recorded runs, and why.

        Parameters
        ----------
        run : str, optional
            The later run (default: the latest).
        against : str, optional
            The earlier run (default: the run recorded before ``run``).
        top : int
            The size of the list compared (entering and leaving are about it).

        Returns
        -------
        DataFrame
            :data:`CHANGE_COLUMNS`: ``change`` (entered, rose, fell, left), ranks and scores
            now and before (``rank_now`` empty for who left the top), ``records`` (the record
            versions loaded since the earlier run that touch the person's ties) and ``why``
            in words. ``attrs`` name the two runs and count the new records.

        Raises
        ------
        InputError
            Fewer than two runs recorded, or a run id that is not recorded.
        """
        if top < 1:
            raise InvalidValueError(f"top must be at least 1, got {top}")
        runs = self.runs()
        if len(runs) < 2 and (run is None or against is None):
            raise InputError(
                f"changes need two recorded runs, the store holds {len(runs)}: "
                "run netintel rank (or netintel report) once more"
            )
        ids = runs["run_id"].tolist()
        later = run or ids[-1]
        if later not in ids:
            raise InputError(f"no recorded run {later!r}; recorded: {', '.join(ids[-5:])}")
        if against is None:
            position = ids.index(later)
            if position == 0:
                raise InputError(f"run {later} is the first recorded: nothing to compare with")
            against = ids[position - 1]
        if against not in ids:
            raise InputError(f"no recorded run {against!r}; recorded: {', '.join(ids[-5:])}")
        info = runs.set_index("run_id")
        before, after = self._ranking(against), self._ranking(later)
        # a person's resolved id moves when a new record joins them: compare on today's
        ids = sorted(set(before["person_id"]) | set(after["person_id"]))
        now_ids = self._ws.store.query(history.RESOLVED_NOW, {"ids": ids})
        moved = {
            a: b for a, b in zip(now_ids["person_id"], now_ids["resolved_id"], strict=True)
            if isinstance(b, str) and b
        }  # fmt: skip
        before, after = _resolved(before, moved), _resolved(after, moved)
        fresh = new_records(
            self._ws.store, info.loc[against, "data_version"], info.loc[later, "data_version"]
        )
        described = {
            r.source_id: f"{r.source_id} ({r.kind}, {r.file} row {r.row})"
            for r in fresh.itertuples()
        }
        table = _compare(before, after, top, described, str(info.loc[against, "ran_at"]))
        table.attrs.update(
            run=later, against=against, new_records=len(fresh), top=top,
            shortest=int(min(info.loc[later, "people"], info.loc[against, "people"])),
        )  # fmt: skip
        return table

    # -- the watchlist --------------------------------------------------------------------
    @audited("alteration", records=False)
    def watch(self, text: str, *, kind: str | None = None) -> pd.DataFrame:
        """Watch a person (any spelling, alias, or what :meth:`ws.person
        <netintel.workspace.network.NetworkWing.person>` accepts), a phone (any format), a
        plate or an ID: a later ingest whose records mention it raises an alert.

        Parameters
        ----------
        text : str
            What to watch.
        kind : {"person", "phone", "plate", "id"}, optional
            What ``text`` is; by default a phone, plate or ID the graph knows, else a number
            that reads as a phone, else a person.

        Returns
        -------
        DataFrame
            The watch (one row, the columns of :meth:`watchlist`).
        """
        kind, value = self._classify(text, kind)
        row = {
            "id": stable_id("watch", kind, value, prefix="W-"), "kind": kind, "value": value,
            "text": text.strip(), "added_at": now(), "added_by": self._ws.user,
        }  # fmt: skip
        self._ws.store.query(history.WATCH_CREATE, row, write=True)
        listed = self.watchlist()
        return listed[listed["watch_id"] == row["id"]].reset_index(drop=True)

    def watching(self) -> bool:
        """Whether anything is watched (a check an ingest makes; not itself on the record)."""
        return not self._ws.store.query(history.WATCHES).empty

    @audited()
    def watchlist(self) -> pd.DataFrame:
        """The watchlist: ``watch_id, kind, value, text, added_at, added_by``, oldest first."""
        return self._ws.store.query(history.WATCHES).sort_values("added_at", ignore_index=True)

    @audited("alteration", records=False)
    def unwatch(self, text: str) -> pd.DataFrame:
        """Stop watching: ``text`` is a watch id, or what was watched (as :meth:`watch` reads
        it). Returns the watches removed; an :class:`InputError` when none matches."""
        listed = self.watchlist()
        hit = listed[(listed["watch_id"] == text.strip()) | (listed["text"] == text.strip())]
        if hit.empty:
            try:
                kind, value = self._classify(text, None)
            except InputError:
                kind, value = None, None
            hit = listed[(listed["kind"] == kind) & (listed["value"] == value)]
        if hit.empty:
            raise InputError(
                f"{text!r} is not on the watchlist ({len(listed)} watches: netintel watch list)"
            )
        for watch_id in hit["watch_id"]:
            self._ws.store.query(history.WATCH_DELETE, {"id": watch_id}, write=True)
        return hit.reset_index(drop=True)

    def _classify(self, text: str, kind: str | None) -> tuple[str, str]:
        text = text.strip()
        if not text:
            raise InputError("nothing to watch: give a person, phone, plate or ID")
        if kind is not None and kind not in KINDS:
            raise InvalidValueError(f"kind {kind!r}: expected one of {', '.join(KINDS)}")
        cleaners = {"id": clean_national_id, "phone": to_e164, "plate": clean_plate}
        if kind == "person":
            return "person", self._ws.person(text)
        if kind is not None:
            try:
                return kind, cleaners[kind](text)
            except InvalidValueError as e:
                raise InputError(f"watch {text!r} as {kind}: {e}") from None
        for candidate in ("id", "phone", "plate"):  # what the graph already knows
            try:
                value = cleaners[candidate](text)
            except InvalidValueError:
                continue
            if int(self._ws.store.query(history.KNOWN[candidate], {"value": value}).iloc[0, 0]):
                return candidate, value
        if _PHONE_LIKE.fullmatch(text):
            try:
                return "phone", to_e164(text)
            except InvalidValueError:
                pass
        try:
            return "person", self._ws.person(text)
        except InputError as e:
            raise InputError(
                f"{e}; to watch a plate or ID the records do not hold yet, give --kind plate "
                "or --kind id"
            ) from None

    # -- alerts ---------------------------------------------------------------------------
    @audited("alteration")
    def check_alerts(self, *, since: str) -> pd.DataFrame:
        """Raise an alert for each watch that the record versions loaded after ``since`` (an
        ISO time, the data version before an ingest) mention; each alert is stored once.

        Returns
        -------
        DataFrame
            The alerts raised (the columns of :meth:`alerts`).
        """
        fresh = new_records(self._ws.store, since)
        if fresh.empty:
            return _alerts_frame(pd.DataFrame())
        new_ids = set(fresh["source_id"])
        latest = str(fresh["loaded_at"].max())
        raised = []
        for w in self.watchlist().itertuples():
            mentioned: set[str] = set()
            for statement in history.MENTIONS[w.kind]:
                for sources in self._ws.store.query(statement, {"value": w.value})["sources"]:
                    mentioned.update(_items(sources))
            records = sorted(mentioned & new_ids)
            if not records:
                continue
            row = {
                "id": stable_id("alert", w.watch_id, *records, prefix="AL-"),
                "watch_id": w.watch_id, "kind": w.kind, "value": w.value, "text": w.text,
                "raised_at": now(), "data_version": latest, "records": records,
            }  # fmt: skip
            self._ws.store.query(history.ALERT_CREATE, row, write=True)
            raised.append(row["id"])
        found = self.alerts()
        return found[found["alert_id"].isin(raised)].reset_index(drop=True)

    @audited()
    def alerts(self) -> pd.DataFrame:
        """Every alert raised, newest first: ``alert_id, raised_at, kind, value, text,
        watch_id, data_version, records`` (the source ids of the records behind it)."""
        return _alerts_frame(self._ws.store.query(history.ALERTS))


def _alerts_frame(found: pd.DataFrame) -> pd.DataFrame:
    columns = ["alert_id", "raised_at", "kind", "value", "text", "watch_id", "data_version"]
    out = found.reindex(columns=[*columns, "records"])
    out["records"] = [sorted(_items(v)) for v in out["records"]]
    return out.sort_values(["raised_at", "alert_id"], ascending=False, ignore_index=True)


def _items(value: Any) -> list[str]:
    if value is None or isinstance(value, float):
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _resolved(ranking: pd.DataFrame, moved: dict[str, str]) -> pd.DataFrame:
    """A run's ranking under today's resolved ids: a person ranked under two ids that are now
    one keeps their best rank, with the evidence of both."""
    out = ranking.assign(person_id=ranking["person_id"].map(lambda p: moved.get(p, p)))
    if "evidence" not in out:
        out["evidence"] = [[] for _ in range(len(out))]
    evidence = out.groupby("person_id")["evidence"].agg(
        lambda s: sorted({i for v in s for i in _items(v)})
    )
    best = out.sort_values("rank").drop_duplicates("person_id").drop(columns="evidence")
    return best.merge(evidence.rename("evidence"), on="person_id").sort_values(
        "rank", ignore_index=True
    )


def _compare(
    before: pd.DataFrame, after: pd.DataFrame, top: int, fresh: dict[str, str], since: str
) -> pd.DataFrame:
    """The changes between two rankings (rows: person_id, name, rank, score, evidence)."""
    was = before[before["rank"] <= top].set_index("person_id")
    now_ = after.set_index("person_id")
    is_ = now_[now_["rank"] <= top]
    rows = []
    for pid in sorted(set(was.index) | set(is_.index)):
        r_now = int(now_.loc[pid, "rank"]) if pid in now_.index else None
        r_before = int(before.set_index("person_id").loc[pid, "rank"]) if pid in set(
            before["person_id"]
        ) else None  # fmt: skip
        if pid in is_.index and pid not in was.index:
            change = "entered"
        elif pid in was.index and pid not in is_.index:
            change = "left"
        elif r_now is not None and r_before is not None and r_now != r_before:
            change = "rose" if r_now < r_before else "fell"
        else:
            continue
        source = now_ if pid in now_.index else was
        evidence = source.loc[pid, "evidence"] if "evidence" in source else []
        records = sorted(set(_items(evidence)) & set(fresh))  # new and on their ties
        if records:
            shown = ", ".join(records[:3]) + (", ..." if len(records) > 3 else "")
            when = since[:16].replace("T", " ")
            why = f"{len(records)} new records on their ties since {when}: {shown}"
        else:
            why = "no new record on their ties: the ranks around them moved"
        rows.append({
            "change": change, "rank_now": r_now,
            "rank_before": r_before, "name": source.loc[pid, "name"], "person_id": pid,
            "score_now": now_.loc[pid, "score"] if pid in now_.index else None,
            "score_before": (
                before.set_index("person_id").loc[pid, "score"]
                if pid in set(before["person_id"]) else None
            ),
            "records": records, "why": why,
        })  # fmt: skip
    table = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    for column in ("rank_now", "rank_before"):
        table[column] = table[column].astype("Int64")
    table["_order"] = table["change"].map(ORDER)
    table["_rank"] = table["rank_now"].fillna(table["rank_before"]).astype(float)
    return table.sort_values(["_order", "_rank"], ignore_index=True).drop(
        columns=["_order", "_rank"]
    )
