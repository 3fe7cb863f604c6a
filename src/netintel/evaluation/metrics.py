"""Quality metrics: plain functions of rankings, partitions and tables, never of a store.

The pure ones take labels and ids (:func:`precision_at_k`, :func:`recall_at_k`, :func:`nmi`,
:func:`pair_scores`) and are shared with ``bench/``; the others score analytic results
against the planted truth, matching graph people to planted people first
(:func:`~netintel.evaluation.truth.map_people`): a ranked target list
(:func:`score_ranking`), rings (:func:`ring_nmi`), corridors (:func:`corridor_recall`),
entity resolution (:func:`resolution_scores`) and the quarantine of ingest
(:func:`quarantine_scores`).

Column contracts
----------------
people
    ``person_id``, ``name``, ``national_id``, ``sources``: see :mod:`netintel.evaluation.truth`.
ranking
    ``rank``, ``person_id`` and anything else; best first after sorting by ``rank``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from netintel.errors import InvalidValueError
from netintel.evaluation.truth import map_people, truth_ids
from netintel.values import fold

__all__ = [
    "corridor_recall",
    "nmi",
    "pair_scores",
    "precision_at_k",
    "quarantine_scores",
    "recall_at_k",
    "resolution_scores",
    "ring_nmi",
    "score_ranking",
]


def _check_k(k: int) -> None:
    if k < 1:
        raise InvalidValueError(f"k must be at least 1, got {k}")


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
    InvalidValueError
        If ``k`` is below 1 (also a ``ValueError``).

    Examples
    --------
    >>> precision_at_k(["a", "b", "c", "d"], {"a", "c"}, 2)
    0.5
    >>> precision_at_k(["a", "b", "c", "d"], {"a", "c"}, 4)
    0.5
    >>> precision_at_k(["a"], {"a"}, 5)
    0.2
    """
    _check_k(k)
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
    _check_k(k)
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
        Graph people (see :func:`~netintel.evaluation.truth.map_people`).
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

    Raises
    ------
    InvalidValueError
        If ``ranking`` lacks ``rank`` or ``person_id``.

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
        raise InvalidValueError("ranking needs columns 'rank' and 'person_id'")
    ranked = ranking.reset_index(drop=True)
    ranked = ranked.iloc[np.argsort(ranked["rank"].to_numpy(), kind="stable")]
    tids = truth_ids(ranked["person_id"], map_people(people, truth))
    groups = {"leaders": set(truth.get("leaders", [])), "brokers": set(truth.get("brokers", []))}
    decoys = set(truth.get("decoys", []))
    rows = []
    for k in ks:
        top = tids[:k]
        for name, relevant in groups.items():
            hits = [t for t in top if t in relevant]
            detail = ",".join(hits) + f" ({len(relevant)} planted)"
            for measure, score in (("precision", precision_at_k), ("recall", recall_at_k)):
                rows.append(
                    {
                        "metric": f"{measure}_{name}",
                        "k": k,
                        "value": score(tids, relevant, k),
                        "detail": detail,
                    }
                )
        d = [t for t in top if t in decoys]
        rows.append({"metric": "decoys_in_top", "k": k, "value": len(d) / k, "detail": ",".join(d)})
        rows.append(
            {"metric": "mapped_in_top", "k": k, "value": sum(1 for t in top if t) / k, "detail": ""}
        )
    return pd.DataFrame(rows, columns=["metric", "k", "value", "detail"])


def nmi(found: Sequence, true: Sequence) -> float:
    """Normalised mutual information of two labellings of the same items.

    Arithmetic-mean normalisation, as scikit-learn's default; labels are compared as text.

    Returns
    -------
    float
        In [0, 1]; 1.0 when both are a single block, 0.0 for no items.

    Examples
    --------
    >>> nmi([0, 0, 1, 1], ["a", "a", "b", "b"])
    1.0
    >>> nmi([0, 1, 0, 1], ["a", "a", "b", "b"])
    0.0
    """
    if len(found) == 0:
        return 0.0
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


def ring_nmi(rings: pd.Series, people: pd.DataFrame, truth: dict) -> float:
    """Normalised mutual information (:func:`nmi`) between the rings found and planted.

    Only graph people matched to a member of exactly one ring count (brokers, decoys and
    unrelated people are left out).

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
    return nmi(found, true)


def _place_key(text: object) -> str:
    tokens = fold(text).split()
    while tokens and tokens[-1] in {"vn", "vietnam", "la", "laos", "lao", "pdr"}:
        tokens.pop()
    return "".join(tokens)


def _first_distinct(rows: Iterable[Iterable[object]], k: int) -> list[tuple[str, ...]]:
    """The first ``k`` distinct place keys of ``rows``."""
    out: list[tuple[str, ...]] = []
    for row in rows:
        key = tuple(_place_key(v) for v in row)
        if key not in out:
            out.append(key)
        if len(out) == k:
            break
    return out


def corridor_recall(
    found: pd.DataFrame, truth: dict, *, k: int = 3, on: Sequence[str] = ("gate", "destination")
) -> float:
    """Share of the planted top-``k`` corridors found among the first ``k`` found rows.

    Corridors are compared on the columns ``on`` (truth fields of the same names: any of
    ``origin_province``, ``gate``, ``gate_province``, ``seizure_province``,
    ``destination``) after folding (case, diacritics, spaces and a trailing country are
    ignored: ``Hà Nội``, ``Ha Noi, VN`` and ``Hanoi`` agree).

    Raises
    ------
    InvalidValueError
        If ``k`` is below 1, or ``found`` lacks a column of ``on``.

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
    _check_k(k)
    planted = truth.get("corridors", [])
    relevant = _first_distinct(([c.get(col) for col in on] for c in planted), k)
    if not relevant:
        return 0.0
    missing = set(on) - set(found.columns)
    if missing:
        raise InvalidValueError(f"found lacks columns {sorted(missing)}")
    seen = _first_distinct(found[list(on)].itertuples(index=False), k)
    return len(set(seen) & set(relevant)) / len(relevant)


def pair_scores(pred: pd.Series, true: pd.Series, *, digits: int = 6) -> dict[str, float]:
    """Pairwise precision, recall and F1 of the labels ``pred`` against ``true``.

    A pair of items is predicted when ``pred`` gives both the same label and true when
    ``true`` does; labels are compared as text, item by item (same length and order).

    Parameters
    ----------
    pred, true : pandas.Series
    digits : int, default 6
        Places the three scores are rounded to.

    Returns
    -------
    dict
        ``precision``, ``recall``, ``f1`` (1.0 for precision or recall with no pairs to
        score), ``true_pairs``, ``predicted_pairs``.

    Examples
    --------
    >>> pair_scores(pd.Series([1, 1, 1, 2]), pd.Series(["a", "a", "b", "b"]), digits=3)
    {'precision': 0.333, 'recall': 0.5, 'f1': 0.4, 'true_pairs': 2, 'predicted_pairs': 3}
    """
    frame = pd.DataFrame({"p": pred.astype(str).to_numpy(), "t": true.astype(str).to_numpy()})

    def pairs(sizes: pd.Series) -> int:
        s = sizes.to_numpy(dtype=np.int64)
        return int((s * (s - 1) // 2).sum())

    tp = pairs(frame.groupby(["p", "t"]).size())
    pp, tt = pairs(frame.groupby("p").size()), pairs(frame.groupby("t").size())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, digits),
        "recall": round(recall, digits),
        "f1": round(f1, digits),
        "true_pairs": tt,
        "predicted_pairs": pp,
    }


def resolution_scores(clusters: pd.Series, people: pd.DataFrame, truth: dict) -> dict[str, float]:
    """Pairwise precision, recall and F1 (:func:`pair_scores`) of entity resolution.

    Two graph people form a true pair when they map to the same planted person
    (:func:`~netintel.evaluation.truth.map_people`), a predicted pair when ``clusters``
    gives them the same label. People that map to nobody are left out.

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
    labels = clusters[~clusters.index.duplicated()]
    cluster = pd.Series([labels.get(pid, f"__singleton__{pid}") for pid in mapping.index])
    return {**pair_scores(cluster, mapping), "people": len(mapping)}


def quarantine_scores(
    quarantine: pd.DataFrame, truth: dict, flags: pd.DataFrame | None = None
) -> dict[str, float]:
    """How well ingestion caught the planted malformed rows.

    A malformed value is caught when its row is quarantined or, for a malformed optional
    value, when the record loads with a quality flag on it (the value dropped).

    Parameters
    ----------
    quarantine : pandas.DataFrame
        Columns ``file`` (a path or name; only the file name counts) and ``record_id``
        (for seizures, the seizure id), one row per rejected field.
    truth : dict
    flags : pandas.DataFrame, optional
        The quality flags, with the same two columns.

    Returns
    -------
    dict
        ``recall`` (planted malformed rows quarantined or flagged), ``precision`` (quarantined
        or flagged rows that were planted as malformed), ``planted``, ``quarantined`` (rows
        quarantined or flagged).

    Examples
    --------
    >>> truth = {"malformed": [{"file": "arrests.csv", "record_id": "ARR-1"},
    ...                        {"file": "links.csv", "record_id": "LNK-7"}]}
    >>> q = pd.DataFrame({"file": ["/x/arrests.csv", "/x/arrests.csv"],
    ...                   "record_id": ["ARR-1", "ARR-2"]})
    >>> quarantine_scores(q, truth)
    {'recall': 0.5, 'precision': 0.5, 'planted': 2, 'quarantined': 2}
    >>> f = pd.DataFrame({"file": ["/x/links.csv"], "record_id": ["LNK-7"]})
    >>> quarantine_scores(q, truth, flags=f)["recall"]
    1.0
    """
    planted = {(m["file"], m["record_id"]) for m in truth.get("malformed", [])}
    found = set()
    for frame in (quarantine, flags):
        if frame is not None and len(frame):
            found |= {
                (Path(str(f)).name, str(r))
                for f, r in zip(frame["file"], frame["record_id"], strict=True)
            }
    hit = len(planted & found)
    return {
        "recall": hit / len(planted) if planted else 1.0,
        "precision": hit / len(found) if found else 1.0,
        "planted": len(planted),
        "quarantined": len(found),
    }
