"""Score analytic results against the planted truth of :mod:`netintel.synthetic`.

Pure functions: they take DataFrames and the truth dictionary, never a store. The one
exception is :func:`run_evaluation`, the end-to-end driver behind ``netintel evaluate``,
which goes through the public workspace facade.

Graph people are matched to planted people by the records behind them
(:func:`map_people`); rankings are then scored by precision and recall at k of the planted
leaders and brokers (:func:`score_ranking`). Communities, corridors and entity resolution
have their own scores (:func:`ring_nmi`, :func:`corridor_recall`, :func:`resolution_scores`).

Column contracts
----------------
people
    ``person_id``, ``name``, ``national_id``, ``sources`` (list of record ids), as stored on
    graph Person nodes.
ranking
    ``rank``, ``person_id`` and anything else; best first after sorting by ``rank``.
"""

from __future__ import annotations

import importlib
import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from netintel.values import fold

if TYPE_CHECKING:
    from netintel.workspace import IngestReport, Workspace

logger = logging.getLogger(__name__)

__all__ = [
    "corridor_recall",
    "load_truth",
    "map_people",
    "precision_at_k",
    "quarantine_scores",
    "recall_at_k",
    "resolution_scores",
    "ring_nmi",
    "run_evaluation",
    "score_ranking",
    "truth_frame",
]


def load_truth(path: str | Path) -> dict:
    """Read a ``truth.json`` written by :func:`netintel.synthetic.write`.

    Parameters
    ----------
    path : str or Path
        The file, or the folder that holds ``truth.json``.

    Returns
    -------
    dict

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        If the file is not a netintel truth file.
    """
    p = Path(path)
    if p.is_dir():
        p = p / "truth.json"
    with p.open(encoding="utf-8") as fh:
        truth = json.load(fh)
    if not isinstance(truth, dict) or "persons" not in truth or "leaders" not in truth:
        raise ValueError(f"{p} is not a netintel truth file (no 'persons' / 'leaders')")
    return truth


def _nid(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


def truth_frame(truth: dict) -> pd.DataFrame:
    """One row per planted person: ``truth_id``, ``name``, ``national_id``, ``role``,
    ``rings`` (list), ``side``.

    Examples
    --------
    >>> t = {"persons": {"T1": {"name": "Lê Văn Hùng", "national_id": "040", "role": "leader",
    ...                         "rings": ["R01"], "side": "VN"}}, "leaders": ["T1"]}
    >>> truth_frame(t)[["truth_id", "role"]].to_dict("records")
    [{'truth_id': 'T1', 'role': 'leader'}]
    """
    rows = [
        {
            "truth_id": tid,
            "name": p.get("name"),
            "national_id": p.get("national_id"),
            "role": p.get("role"),
            "rings": list(p.get("rings", [])),
            "side": p.get("side"),
        }
        for tid, p in truth["persons"].items()
    ]
    return pd.DataFrame(rows, columns=["truth_id", "name", "national_id", "role", "rings", "side"])


def _as_list(value: object) -> list:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def map_people(people: pd.DataFrame, truth: dict) -> pd.Series:
    """Match graph people to planted people.

    Each record id in a person's ``sources`` votes for the planted people that record
    names (an arrest row names one, a link row two); the majority wins, ties going to the
    candidate with the same national id, then the same folded name (canonical or a recorded
    variant), then the smaller truth id. People without votes are matched by national id.

    Parameters
    ----------
    people : pandas.DataFrame
        Columns ``person_id``, ``name``, ``national_id``, ``sources``.
    truth : dict
        From :func:`load_truth` or ``SyntheticDataset.truth``.

    Returns
    -------
    pandas.Series
        Indexed by ``person_id`` (in the order of ``people``), named ``truth_id``: the
        planted person's id, or NaN where none matches.

    Raises
    ------
    ValueError
        If a required column is missing.

    Examples
    --------
    >>> truth = {"leaders": ["T1"], "persons": {
    ...     "T1": {"name": "Nguyễn Văn Hùng", "national_id": "040087000001",
    ...            "record_ids": ["ARR-1", "LNK-1"]},
    ...     "T2": {"name": "Souksavanh Vongsa", "national_id": "05-0000001",
    ...            "record_ids": ["ARR-2", "LNK-1"]}}}
    >>> people = pd.DataFrame({"person_id": ["p1", "p2", "p3", "p4"],
    ...     "name": ["Nguyen Van Hung", "Souksavan Vongsa", "X", "Y"],
    ...     "national_id": [None, None, "05-0000001", None],
    ...     "sources": [["ARR-1", "LNK-1"], ["LNK-1"], [], ["SZ-9"]]})
    >>> map_people(people, truth).tolist()
    ['T1', 'T2', 'T2', nan]
    """
    missing = {"person_id", "sources"} - set(people.columns)
    if missing:
        raise ValueError(f"people lacks columns {sorted(missing)}")
    persons = truth["persons"]
    index = pd.Index(people["person_id"], name="person_id")
    out = pd.Series(np.nan, index=index, name="truth_id", dtype=object)
    if people.empty:
        return out

    rec = pd.DataFrame(
        [(rid, tid) for tid, p in persons.items() for rid in p.get("record_ids", [])],
        columns=["record_id", "truth_id"],
    )
    src = pd.DataFrame(
        {
            "person_id": people["person_id"].to_numpy(),
            "record_id": [_as_list(s) for s in people["sources"]],
        }
    )
    src = src.explode("record_id").dropna(subset=["record_id"]).drop_duplicates()
    votes = src.merge(rec, on="record_id").groupby(["person_id", "truth_id"]).size()
    votes = votes.rename("votes").reset_index()

    p_name = dict(
        zip(people["person_id"], people.get("name", pd.Series(dtype=object)), strict=False)
    )
    p_nid = dict(
        zip(people["person_id"], people.get("national_id", pd.Series(dtype=object)), strict=False)
    )
    if not votes.empty:
        top = votes.groupby("person_id")["votes"].transform("max")
        votes = votes[votes["votes"] == top].copy()
        tied = votes["person_id"].duplicated(keep=False).to_numpy()
        votes["nid"] = False
        votes["similar"] = 0.0
        if tied.any():
            t_nid = {tid: _nid(p.get("national_id")) for tid, p in persons.items()}
            names: dict[str, set[str]] = {tid: {fold(p.get("name"))} for tid, p in persons.items()}
            for tid, entries in truth.get("duplicates", {}).items():
                names.setdefault(tid, set()).update(fold(e.get("name")) for e in entries)
            sub = votes[tied]
            votes.loc[tied, "nid"] = [
                bool(_nid(p_nid.get(pid))) and _nid(p_nid.get(pid)) == t_nid.get(tid, "")
                for pid, tid in zip(sub["person_id"], sub["truth_id"], strict=True)
            ]
            votes.loc[tied, "similar"] = [
                max(
                    SequenceMatcher(None, fold(p_name.get(pid)), n).ratio()
                    for n in names.get(tid, {""})
                )
                for pid, tid in zip(sub["person_id"], sub["truth_id"], strict=True)
            ]
        best = votes.sort_values(
            ["person_id", "nid", "similar", "truth_id"], ascending=[True, False, False, True]
        )
        best = best.drop_duplicates("person_id").set_index("person_id")["truth_id"]
        out.loc[best.index] = best
    by_nid = {_nid(p.get("national_id")): tid for tid, p in persons.items() if p.get("national_id")}
    todo = out.isna().to_numpy()
    if todo.any() and "national_id" in people:
        nids = [_nid(x) for x in people["national_id"].to_numpy()[todo]]
        out.iloc[np.flatnonzero(todo)] = [by_nid.get(x, np.nan) if x else np.nan for x in nids]
    return out


def precision_at_k(ranked_ids: Sequence[str], relevant: set[str], k: int) -> float:
    """Fraction of the first ``k`` ranked ids that are relevant.

    A ranking shorter than ``k`` is scored as if padded with misses; a repeated relevant id
    counts each time (two graph nodes of one planted leader are two hits).

    Parameters
    ----------
    ranked_ids : sequence of str
        Best first.
    relevant : set of str
    k : int
        At least 1.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``k`` is below 1.

    Examples
    --------
    >>> precision_at_k(["a", "b", "c", "d"], {"a", "c"}, 2)
    0.5
    >>> precision_at_k(["a", "b", "c", "d"], {"a", "c"}, 4)
    0.5
    >>> precision_at_k(["a"], {"a"}, 5)
    0.2
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    return sum(1 for x in list(ranked_ids)[:k] if x in relevant) / k


def recall_at_k(ranked_ids: Sequence[str], relevant: set[str], k: int) -> float:
    """Distinct relevant ids among the first ``k``, over ``min(k, len(relevant))``.

    Examples
    --------
    >>> recall_at_k(["a", "a", "b"], {"a", "c"}, 2)
    0.5
    >>> recall_at_k(["a", "c", "b"], {"a", "c", "d", "e"}, 2)
    1.0
    >>> recall_at_k(["x"], set(), 3)
    0.0
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    denom = min(k, len(relevant))
    if denom == 0:
        return 0.0
    return len(set(list(ranked_ids)[:k]) & set(relevant)) / denom


def score_ranking(
    ranking: pd.DataFrame, people: pd.DataFrame, truth: dict, ks: Iterable[int] = (5, 10)
) -> pd.DataFrame:
    """Precision and recall at k of planted leaders and brokers in a ranked target list.

    Parameters
    ----------
    ranking : pandas.DataFrame
        Columns ``rank`` and ``person_id``; sorted by ``rank`` here (ties by position).
    people : pandas.DataFrame
        Graph people (see :func:`map_people`).
    truth : dict
    ks : iterable of int, default (5, 10)

    Returns
    -------
    pandas.DataFrame
        Columns ``metric``, ``k``, ``value``, ``detail``; metrics ``precision_leaders``,
        ``recall_leaders``, ``precision_brokers``, ``recall_brokers``, ``decoys_in_top``
        (fraction of the top k that are planted decoys, lower is better) and
        ``mapped_in_top`` (fraction of the top k matched to any planted person).
        ``detail`` lists the planted ids hit, in rank order.

    Examples
    --------
    >>> truth = {"leaders": ["T1", "T2"], "brokers": ["T3"], "decoys": ["T4"], "persons": {
    ...     f"T{i}": {"name": f"P{i}", "national_id": f"N{i}", "record_ids": [f"A{i}"]}
    ...     for i in range(1, 6)}}
    >>> people = pd.DataFrame({"person_id": list("abcde"), "name": None,
    ...     "national_id": None, "sources": [["A1"], ["A4"], ["A3"], ["A2"], ["A5"]]})
    >>> ranking = pd.DataFrame({"rank": [1, 2, 3, 4, 5], "person_id": list("abcde")})
    >>> s = score_ranking(ranking, people, truth, ks=(2,)).set_index("metric")
    >>> s.loc[["precision_leaders", "recall_leaders"], "value"].tolist()
    [0.5, 0.5]
    >>> s.loc["decoys_in_top", "detail"]
    'T4'
    """
    if not {"rank", "person_id"} <= set(ranking.columns):
        raise ValueError("ranking needs columns 'rank' and 'person_id'")
    ranked = ranking.reset_index(drop=True)
    ranked = ranked.iloc[np.argsort(ranked["rank"].to_numpy(), kind="stable")]
    mapping = map_people(people, truth)
    mapping = mapping[~mapping.index.duplicated()]
    tids = [mapping.get(pid, np.nan) for pid in ranked["person_id"]]
    tids = [t if isinstance(t, str) else "" for t in tids]
    groups = {"leaders": set(truth.get("leaders", [])), "brokers": set(truth.get("brokers", []))}
    decoys = set(truth.get("decoys", []))
    rows = []
    for k in ks:
        top = tids[:k]
        for name, relevant in groups.items():
            hits = [t for t in top if t in relevant]
            detail = ",".join(hits) + f" ({len(relevant)} planted)"
            rows.append(
                {
                    "metric": f"precision_{name}",
                    "k": k,
                    "value": precision_at_k(tids, relevant, k),
                    "detail": detail,
                }
            )
            rows.append(
                {
                    "metric": f"recall_{name}",
                    "k": k,
                    "value": recall_at_k(tids, relevant, k),
                    "detail": detail,
                }
            )
        d = [t for t in top if t in decoys]
        rows.append({"metric": "decoys_in_top", "k": k, "value": len(d) / k, "detail": ",".join(d)})
        rows.append(
            {"metric": "mapped_in_top", "k": k, "value": sum(1 for t in top if t) / k, "detail": ""}
        )
    return pd.DataFrame(rows, columns=["metric", "k", "value", "detail"])


def ring_nmi(rings: pd.Series, people: pd.DataFrame, truth: dict) -> float:
    """Normalised mutual information between the rings found and the rings planted.

    Only graph people matched to a member of exactly one ring count (brokers, decoys and
    unrelated people are left out). Arithmetic-mean normalisation, as scikit-learn's
    default.

    Parameters
    ----------
    rings : pandas.Series
        ``person_id`` -> ring found.
    people : pandas.DataFrame
    truth : dict

    Returns
    -------
    float
        In [0, 1]; 1.0 when both partitions are a single block.

    Examples
    --------
    >>> truth = {"leaders": [], "persons": {f"T{i}": {"name": "", "national_id": "",
    ...     "rings": ["R1" if i < 3 else "R2"], "record_ids": [f"A{i}"]} for i in range(1, 5)}}
    >>> people = pd.DataFrame({"person_id": list("abcd"), "sources": [["A1"], ["A2"], ["A3"], ["A4"]]})
    >>> ring_nmi(pd.Series({"a": 0, "b": 0, "c": 1, "d": 1}), people, truth)
    1.0
    >>> ring_nmi(pd.Series({"a": 0, "b": 1, "c": 0, "d": 1}), people, truth)
    0.0
    """
    mapping = map_people(people, truth)
    ring_of = {
        tid: p["rings"][0] for tid, p in truth["persons"].items() if len(p.get("rings", [])) == 1
    }
    pairs = [
        (rings[pid], ring_of[tid])
        for pid, tid in mapping.items()
        if isinstance(tid, str) and tid in ring_of and pid in rings.index
    ]
    if not pairs:
        return 0.0
    found, true = zip(*pairs, strict=True)
    table = pd.crosstab(pd.Series(found, dtype=str), pd.Series(true, dtype=str)).to_numpy(float)
    n = table.sum()
    pij = table / n
    pi, pj = pij.sum(axis=1), pij.sum(axis=0)
    nz = pij > 0
    mi = float((pij[nz] * np.log(pij[nz] / np.outer(pi, pj)[nz])).sum())
    hi = float(-(pi[pi > 0] * np.log(pi[pi > 0])).sum())
    hj = float(-(pj[pj > 0] * np.log(pj[pj > 0])).sum())
    if hi == 0.0 and hj == 0.0:
        return 1.0
    denom = (hi + hj) / 2
    return round(max(0.0, mi / denom), 12) if denom > 0 else 0.0


def _place_key(text: object) -> str:
    tokens = fold(text).split()
    while tokens and tokens[-1] in {"vn", "vietnam", "la", "laos", "lao", "pdr"}:
        tokens.pop()
    return "".join(tokens)


def corridor_recall(
    found: pd.DataFrame, truth: dict, *, k: int = 3, on: Sequence[str] = ("gate", "destination")
) -> float:
    """Share of the planted top-``k`` corridors found among the first ``k`` found rows.

    Corridors are compared on the columns ``on`` (truth fields of the same names: any of
    ``origin_province``, ``gate``, ``gate_province``, ``seizure_province``,
    ``destination``) after folding (case, diacritics, spaces and a trailing country are
    ignored: ``Hà Nội``, ``Ha Noi, VN`` and ``Hanoi`` agree).

    Examples
    --------
    >>> truth = {"corridors": [
    ...     {"gate": "Nam Can", "destination": "Hanoi"},
    ...     {"gate": "Tay Trang", "destination": "Hanoi"},
    ...     {"gate": "Lao Bao", "destination": "Ho Chi Minh City"}]}
    >>> found = pd.DataFrame({"gate": ["Nậm Cắn", "Lao Bao", "Cau Treo"],
    ...                       "destination": ["Ha Noi, VN", "Ho Chi Minh City", "Hanoi"]})
    >>> corridor_recall(found, truth, k=2)
    0.5
    >>> round(corridor_recall(found, truth, k=3), 3)
    0.667
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    planted = truth.get("corridors", [])
    relevant: list[tuple[str, ...]] = []
    for c in planted:
        key = tuple(_place_key(c.get(col)) for col in on)
        if key not in relevant:
            relevant.append(key)
        if len(relevant) == k:
            break
    if not relevant:
        return 0.0
    missing = set(on) - set(found.columns)
    if missing:
        raise ValueError(f"found lacks columns {sorted(missing)}")
    seen: list[tuple[str, ...]] = []
    for row in found[list(on)].itertuples(index=False):
        key = tuple(_place_key(v) for v in row)
        if key not in seen:
            seen.append(key)
        if len(seen) == k:
            break
    return len(set(seen) & set(relevant)) / len(relevant)


def resolution_scores(clusters: pd.Series, people: pd.DataFrame, truth: dict) -> dict[str, float]:
    """Pairwise precision, recall and F1 of entity resolution.

    Two graph people form a true pair when they map to the same planted person
    (:func:`map_people`), a predicted pair when ``clusters`` gives them the same label.
    People that map to nobody are left out.

    Parameters
    ----------
    clusters : pandas.Series
        ``person_id`` -> resolved entity label (people missing from it are singletons).
    people : pandas.DataFrame
    truth : dict

    Returns
    -------
    dict
        ``precision``, ``recall``, ``f1``, ``true_pairs``, ``predicted_pairs``, ``people``.

    Examples
    --------
    >>> truth = {"leaders": [], "persons": {"T1": {"name": "", "national_id": "",
    ...     "record_ids": ["A1", "A2", "A3"]}, "T2": {"name": "", "national_id": "",
    ...     "record_ids": ["A4"]}}}
    >>> people = pd.DataFrame({"person_id": list("abcd"),
    ...     "sources": [["A1"], ["A2"], ["A3"], ["A4"]]})
    >>> r = resolution_scores(pd.Series({"a": 1, "b": 1, "c": 2, "d": 1}), people, truth)
    >>> round(r["precision"], 3), round(r["recall"], 3)
    (0.333, 0.333)
    """
    mapping = map_people(people, truth).dropna()
    mapping = mapping[~mapping.index.duplicated()]
    if mapping.empty:
        return {
            "precision": 0.0,
            "recall": 0.0,
            "f1": 0.0,
            "true_pairs": 0,
            "predicted_pairs": 0,
            "people": 0,
        }
    frame = pd.DataFrame({"truth": mapping.to_numpy()}, index=mapping.index)
    labels = clusters[~clusters.index.duplicated()]
    frame["cluster"] = [labels.get(pid, f"__singleton__{pid}") for pid in frame.index]
    frame["cluster"] = frame["cluster"].astype(str)

    def pairs(sizes: pd.Series) -> int:
        s = sizes.to_numpy(dtype=np.int64)
        return int((s * (s - 1) // 2).sum())

    true_pairs = pairs(frame.groupby("truth").size())
    pred_pairs = pairs(frame.groupby("cluster").size())
    tp = pairs(frame.groupby(["cluster", "truth"]).size())
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 6),
        "recall": round(recall, 6),
        "f1": round(f1, 6),
        "true_pairs": true_pairs,
        "predicted_pairs": pred_pairs,
        "people": len(frame),
    }


def quarantine_scores(quarantine: pd.DataFrame, truth: dict) -> dict[str, float]:
    """How well ingestion caught the planted malformed rows.

    Parameters
    ----------
    quarantine : pandas.DataFrame
        Columns ``file`` (a path or name; only the file name counts) and ``record_id``
        (for seizures, the seizure id), one row per rejected field.
    truth : dict

    Returns
    -------
    dict
        ``recall`` (planted malformed rows quarantined), ``precision`` (quarantined rows that
        were planted as malformed), ``planted``, ``quarantined``.

    Examples
    --------
    >>> truth = {"malformed": [{"file": "arrests.csv", "record_id": "ARR-1"},
    ...                        {"file": "links.csv", "record_id": "LNK-7"}]}
    >>> q = pd.DataFrame({"file": ["/x/arrests.csv", "/x/arrests.csv"],
    ...                   "record_id": ["ARR-1", "ARR-2"]})
    >>> quarantine_scores(q, truth)
    {'recall': 0.5, 'precision': 0.5, 'planted': 2, 'quarantined': 2}
    """
    planted = {(m["file"], m["record_id"]) for m in truth.get("malformed", [])}
    found = {
        (Path(str(f)).name, str(r))
        for f, r in zip(quarantine["file"], quarantine["record_id"], strict=True)
    }
    hit = len(planted & found)
    return {
        "recall": hit / len(planted) if planted else 1.0,
        "precision": hit / len(found) if found else 1.0,
        "planted": len(planted),
        "quarantined": len(found),
    }


@dataclass
class EvalContext:
    """What a scorer gets: the loaded evaluation workspace and the planted truth.

    A scorer is a function ``score(ctx) -> list[dict]`` returning rows of
    ``metric, k, value, detail`` (``k`` missing where it does not apply); the scorers
    :func:`run_evaluation` calls are listed in :data:`SCORERS`.
    """

    ws: Workspace
    truth: dict
    seed: int
    people: pd.DataFrame
    mapping: pd.Series  # graph person_id -> planted person id (missing when unmatched)
    paths: dict[str, Path]  # the record files, by kind
    workdir: Path  # scratch space for scorers that need a database of their own
    report: IngestReport


# "module:function" of each scorer run after the ranking scores, in order.
SCORERS: tuple[str, ...] = (
    "netintel.evaluation.rings:score",
    "netintel.evaluation.dismantling:score",
    "netintel.evaluation.routes:score",
    "netintel.evaluation.hidden:score",
    "netintel.evaluation.resolution:score",
)


def _scorer(spec: str) -> Callable[[EvalContext], list[dict]]:
    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)


def run_evaluation(
    *,
    records: int = 2000,
    seed: int = 0,
    data: str | Path | None = None,
    workdir: str | Path,
    ks: Iterable[int] = (5, 10),
) -> pd.DataFrame:
    """Generate (or read) a synthetic set, load it into a fresh embedded store, rank, score.

    The driver behind ``netintel evaluate``: :func:`netintel.synthetic.generate` ->
    ``Workspace.ingest`` -> ``rank_targets`` and ``communities`` -> the scores of this module.

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

    Returns
    -------
    pandas.DataFrame
        ``metric, k, value, detail``: the rows of :func:`score_ranking`, then
        ``ring_nmi``, ``quarantine_recall``, ``quarantine_precision`` and ``people_mapped``
        (share of graph people matched to a planted person) with ``k`` missing.

    Raises
    ------
    FileExistsError
        If ``workdir`` already holds an evaluation database.
    """
    import netintel
    from netintel.synthetic import FILES, generate, write

    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    db = work / "evaluation.db"
    if db.exists():
        raise FileExistsError(f"{db} exists: evaluate into a fresh folder")
    if data is None:
        dataset = generate(records, seed=seed)
        paths = write(dataset, work / "records")
        truth = dataset.truth
    else:
        truth = load_truth(data)
        paths = {name: Path(data) / f"{name}.csv" for name in FILES}
    with netintel.open(db) as ws:
        report = ws.ingest(**{name: paths[name] for name in FILES})
        people = ws.people()
        ranking = ws.rank_targets(seed=seed)
        rings = ws.communities(seed=seed)
        ctx = EvalContext(
            ws, truth, seed, people, map_people(people, truth), paths, work / "scratch", report
        )
        ctx.workdir.mkdir(exist_ok=True)
        scored = [row for spec in SCORERS for row in _scorer(spec)(ctx)]
    scores = score_ranking(ranking, people, truth, ks=ks)
    in_targets = {
        "precision_brokers": "precision_brokers_in_targets",
        "recall_brokers": "recall_brokers_in_targets",
    }
    scores["metric"] = scores["metric"].replace(in_targets)
    # Brokers are not meant to top a target list of leaders; they are also scored on the
    # list a broker search starts from: everyone by betweenness.
    by_betweenness = ranking.sort_values(["betweenness", "person_id"], ascending=[False, True])
    mapping = ctx.mapping
    planted = set(truth["brokers"])
    broker_ids = list(by_betweenness["person_id"].map(mapping))
    broker_rows = [
        {
            "metric": f"{name}_brokers_by_betweenness",
            "k": k,
            "value": score(broker_ids, planted, k),
            "detail": f"{len(planted)} planted",
        }
        for k in ks
        for name, score in (("precision", precision_at_k), ("recall", recall_at_k))
    ]
    scores = pd.concat([scores, pd.DataFrame(broker_rows)], ignore_index=True)
    nmi = ring_nmi(rings.set_index("person_id")["ring"], people, truth)
    q = quarantine_scores(report.quarantine, truth)
    mapped = float(mapping.notna().mean()) if len(people) else 0.0
    extra = pd.DataFrame(
        [
            {
                "metric": "ring_nmi",
                "k": pd.NA,
                "value": nmi,
                "detail": f"{rings['ring'].nunique()} rings found, {len(truth['rings'])} planted",
            },
            {
                "metric": "quarantine_recall",
                "k": pd.NA,
                "value": q["recall"],
                "detail": f"{q['planted']} malformed rows planted",
            },
            {
                "metric": "quarantine_precision",
                "k": pd.NA,
                "value": q["precision"],
                "detail": f"{q['quarantined']} rows quarantined",
            },
            {
                "metric": "people_mapped",
                "k": pd.NA,
                "value": mapped,
                "detail": f"{len(people)} graph people, {len(truth['persons'])} planted",
            },
        ]
    )
    out = pd.concat(
        [scores.astype({"k": "object"}), extra, pd.DataFrame(scored, columns=list(extra.columns))],
        ignore_index=True,
    )
    logger.info("evaluated %d records (seed %d)", truth.get("records", records), seed)
    return out
