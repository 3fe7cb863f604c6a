"""Resolution of a person table: deterministic keys, the model, clustering, the review queue.

:func:`resolve_people` works on a DataFrame and never talks to a store (the store side is
:mod:`netintel.resolve.store`), so the same code resolves the records of a database, a
benchmark set or a Spark-sized extract.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from netintel.errors import InputError
from netintel.resolve.cluster import cluster, order_pairs
from netintel.resolve.model import ModelReport, score_pairs
from netintel.resolve.prepare import prepare
from netintel.resolve.rules import rule_pairs
from netintel.resolve.settings import ResolutionSettings

log = logging.getLogger(__name__)

DECISIONS = {"accept", "reject"}
REVIEW_COLUMNS = [
    "left_id",
    "right_id",
    "match_probability",
    "reason",
    "agreed",
    "left_name",
    "right_name",
    "left_dob",
    "right_dob",
    "left_national_id",
    "right_national_id",
    "left_sources",
    "right_sources",
    "decision",
]


@dataclass
class Resolution:
    """The outcome of :func:`resolve_people`.

    Attributes
    ----------
    assignments : DataFrame
        Per Person node: ``person_id, resolved_id, match_probability, rule, sources``.
    links : DataFrame
        The merges and their evidence: ``left, right, probability, rule, agreed,
        decided_by`` (``decided_by``: ``reviewer``, ``rule`` or ``model``).
    review : DataFrame
        The review queue (columns :data:`REVIEW_COLUMNS`, ``decision`` blank), most likely
        matches first.
    model : ModelReport
    timings : dict
        Seconds per stage.
    """

    assignments: pd.DataFrame
    links: pd.DataFrame
    review: pd.DataFrame
    model: ModelReport
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def n_people(self) -> int:
        """Number of resolved people."""
        return int(self.assignments["resolved_id"].nunique())

    def records(self) -> pd.DataFrame:
        """One row per (record, Person node): ``record_id, person_id, node_id,
        match_probability, rule`` where ``person_id`` is the resolved person; sorted."""
        a = self.assignments
        out = a[["person_id", "resolved_id", "match_probability", "rule", "sources"]].explode(
            "sources"
        )
        out = out.dropna(subset=["sources"]).rename(
            columns={"sources": "record_id", "person_id": "node_id", "resolved_id": "person_id"}
        )
        out = out[["record_id", "person_id", "node_id", "match_probability", "rule"]]
        return out.sort_values(["record_id", "node_id"], ignore_index=True)


def normalise_decisions(decisions: pd.DataFrame | None) -> pd.DataFrame:
    """Decisions as ``left, right, decision`` (``left < right``; the last word on a pair wins).

    Accepts the review queue's columns (``left_id``, ``right_id``, ``decision``) or
    ``left, right, decision``; decisions are ``accept`` or ``reject`` (also ``yes/no``,
    ``same/different``, ``merge/split``); blank decisions are skipped.

    >>> normalise_decisions(pd.DataFrame({"left_id": ["b", "x"], "right_id": ["a", "y"],
    ...                                   "decision": ["Accept", ""]})).to_dict("records")
    [{'left': 'a', 'right': 'b', 'decision': 'accept'}]
    """
    cols = ["left", "right", "decision"]
    if decisions is None or decisions.empty:
        return pd.DataFrame(columns=cols)
    d = decisions.rename(columns={"left_id": "left", "right_id": "right"})
    missing = set(cols) - set(d.columns)
    if missing:
        raise InputError(
            f"decisions lack columns {sorted(missing)}; expected left_id, right_id, decision"
        )
    words = {
        "accept": "accept",
        "yes": "accept",
        "same": "accept",
        "merge": "accept",
        "match": "accept",
        "reject": "reject",
        "no": "reject",
        "different": "reject",
        "split": "reject",
        "non-match": "reject",
    }
    text = d["decision"].astype(object).where(d["decision"].notna(), "").astype(str)
    text = text.str.strip().str.lower()
    d = d.assign(decision=text)[text != ""]
    bad = d.loc[~d["decision"].isin(list(words)), "decision"]
    if len(bad):
        raise InputError(
            f"unknown decision {bad.iloc[0]!r}: use accept or reject (yes/no, same/different)"
        )
    left, right = d["left"].astype(str), d["right"].astype(str)
    if (left == right).any():
        raise InputError(f"a decision pairs {left[left == right].iloc[0]!r} with itself")
    out = pd.DataFrame(
        {
            "left": np.minimum(left, right),
            "right": np.maximum(left, right),
            "decision": d["decision"].map(words),
        }
    )
    return out.drop_duplicates(["left", "right"], keep="last").reset_index(drop=True)


def resolve_people(
    persons: pd.DataFrame,
    *,
    settings: ResolutionSettings | None = None,
    decisions: pd.DataFrame | None = None,
    seed: int = 0,
    spark: Any | None = None,
) -> Resolution:
    """Resolve record-level people into people.

    Parameters
    ----------
    persons : pandas.DataFrame
        One row per record-level person (see :mod:`netintel.resolve.prepare` for columns).
    settings : ResolutionSettings, optional
        Default: the shipped ``graph_schema/resolution.yaml``.
    decisions : pandas.DataFrame, optional
        Reviewer decisions (see :func:`normalise_decisions`): accepted pairs are merged,
        rejected pairs kept apart.
    seed : int
        Seed of the model's random sampling.
    spark : pyspark.sql.SparkSession, optional
        Fit and score the model on Spark.

    Returns
    -------
    Resolution

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["p1", "p2", "p3"],
    ...     "name": ["Nguyễn Văn Hùng", "Nguyen Van Hung", "Nguyễn Văn Hùng"],
    ...     "dob": ["1987-05-14", "1987-05-14", "1962-01-30"],
    ...     "phones": [["+84912345678"], ["+84912345678"], []],
    ...     "sources": [["ARR-1"], ["ARR-2"], ["ARR-3"]]})
    >>> r = resolve_people(people)
    >>> r.assignments[["person_id", "resolved_id", "rule"]].to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'person_id': 'p1', 'resolved_id': 'p1', 'rule': 'phone+name'},
     {'person_id': 'p2', 'resolved_id': 'p1', 'rule': 'phone+name'},
     {'person_id': 'p3', 'resolved_id': 'p3', 'rule': ''}]
    """
    settings = settings or ResolutionSettings.default()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    # Order independence: the model samples rows with the seed, and clustering breaks ties
    # by position; sorted by id, the same people in any order resolve the same way.
    if "person_id" in persons:
        persons = persons.sort_values("person_id", kind="stable", ignore_index=True)
    prepared = prepare(persons, settings)
    timings["prepare"] = time.perf_counter() - t

    t = time.perf_counter()
    rules = rule_pairs(prepared, settings)
    timings["rules"] = time.perf_counter() - t

    t = time.perf_counter()
    scored, report = score_pairs(prepared, settings, seed=seed, spark=spark)
    timings["model"] = time.perf_counter() - t

    t = time.perf_counter()
    decided = normalise_decisions(decisions)
    accepted = decided[decided["decision"] == "accept"][["left", "right"]]
    accepted = accepted.assign(
        probability=1.0, rule="reviewer", agreed=[[] for _ in range(len(accepted))]
    )
    rejected = decided[decided["decision"] == "reject"]
    known = set(zip(decided["left"], decided["right"], strict=True))
    if len(scored):
        keep = [(a, b) not in known for a, b in zip(scored["left"], scored["right"], strict=True)]
        scored = scored[keep]
    if len(rules):
        keep = [(a, b) not in known for a, b in zip(rules["left"], rules["right"], strict=True)]
        rules = rules[keep]
    strong = scored[scored["probability"] >= settings.match_threshold]
    ordered = order_pairs(accepted, rules, strong, [r.name for r in settings.rules])
    nodes = prepared[["person_id", "national_id", "dob"]]
    rejected_pairs = list(zip(rejected["left"], rejected["right"], strict=True))
    result = cluster(nodes, ordered, rejected=rejected_pairs, constraints=settings.constraints)
    ambiguous = _ambiguous(prepared, result)
    if ambiguous:
        # A record with nothing but a name that matches two people who cannot be the same
        # (namesakes): it is merged with neither, and its pairs go to the review queue.
        touches = ordered["left"].isin(ambiguous) | ordered["right"].isin(ambiguous)
        held = ordered[touches & (ordered["decided_by"] != "reviewer")]
        result = cluster(
            nodes,
            ordered[~(touches & (ordered["decided_by"] != "reviewer"))],
            rejected=rejected_pairs,
            constraints=settings.constraints,
        )
        held = held.assign(reason="ambiguous: matches different people")
        result.refused = pd.concat([result.refused, held], ignore_index=True)
    timings["cluster"] = time.perf_counter() - t

    assignments = result.assignments.merge(
        prepared[["person_id", "sources"]], on="person_id", how="left"
    )
    review = _review_queue(prepared, scored, result, settings)
    log.info(
        "resolved %d Person nodes into %d people (%d merges, %d pairs to review)",
        len(prepared),
        assignments["resolved_id"].nunique(),
        len(result.applied),
        len(review),
    )
    return Resolution(assignments, result.applied, review, report, timings)


def _ambiguous(prepared: pd.DataFrame, result) -> set[str]:
    """Person nodes without a national ID or full date of birth that were refused a pair
    for an identity conflict with a group other than their own."""
    refused = result.refused
    if refused.empty:
        return set()
    conflict = refused[refused["reason"].str.startswith("different")]
    weak = set(
        prepared.loc[
            prepared["national_id"].isna() & (prepared["dob"].str.len() != 10).fillna(True),
            "person_id",
        ]
    )
    rid = result.assignments.set_index("person_id")["resolved_id"]
    out = set()
    for a, b in zip(conflict["left"], conflict["right"], strict=True):
        if rid.get(a) != rid.get(b):
            out.update(x for x in (a, b) if x in weak)
    return out


def _review_queue(
    prepared: pd.DataFrame, scored: pd.DataFrame, result, settings: ResolutionSettings
) -> pd.DataFrame:
    """Pairs below the match threshold (or refused by a constraint) whose two ends are apart."""
    weak = scored[scored["probability"] < settings.match_threshold].assign(reason="below threshold")
    refused = result.refused
    refused = refused[refused["reason"] != "rejected by a reviewer"]
    refused = refused[["left", "right", "probability", "agreed", "reason"]]
    queue = pd.concat(
        [f for f in (weak, refused) if len(f)] or [pd.DataFrame(columns=["left", "right"])],
        ignore_index=True,
    )
    if queue.empty:
        return pd.DataFrame(columns=REVIEW_COLUMNS)
    rid = result.assignments.set_index("person_id")["resolved_id"]
    queue = queue[queue["left"].map(rid).to_numpy() != queue["right"].map(rid).to_numpy()]
    info = prepared.set_index("person_id")
    out = pd.DataFrame(
        {
            "left_id": queue["left"].to_numpy(),
            "right_id": queue["right"].to_numpy(),
            "match_probability": queue["probability"].astype(float).round(6).to_numpy(),
            "reason": queue["reason"].to_numpy(),
            "agreed": [";".join(a) if isinstance(a, list) else "" for a in queue["agreed"]],
        }
    )
    for side in ("left", "right"):
        ids = out[f"{side}_id"]
        for col in ("name", "dob", "national_id"):
            out[f"{side}_{col}"] = ids.map(info[col]).to_numpy()
        out[f"{side}_sources"] = [";".join(s) for s in ids.map(info["sources"])]
    out["decision"] = ""
    out = out.sort_values(
        ["match_probability", "left_id", "right_id"], ascending=[False, True, True]
    )
    return out[REVIEW_COLUMNS].reset_index(drop=True)
