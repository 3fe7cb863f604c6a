"""Does the learned ranking earn its place? The model against every single measure, fold by fold.

A model trained on a few confirmed roles can look good on its own cross-validated scores and
still rank held-out leaders worse than plain degree. :func:`fold_comparison` settles it on the
same folds: repeated stratified k-fold over the labelled people; in each fold the model is
trained on the training labels alone (the features from labelled neighbours,
:mod:`netintel.analysis.network.label_features`, come from the training positives only), and
the held-out people are ranked by the model, by the model without the labelled-neighbour
features, by the default profile and by every single measure. Each ranking gets precision at
``k`` and R-precision on the held-out labels (people tied on a score share the places at the
cut-off, :func:`~netintel.evaluation.real_scores.expected_hits`'s rule).

:func:`verdict` then says it in words, and claims only what the folds show: the model "beats"
the best other ranking when its mean R-precision is higher by more than twice the standard
error of the paired differences (per repeat, so that folds sharing training people are not
counted as independent evidence); otherwise it "does not beat" it, and the default is the
ranking to use.

Examples
--------
>>> scores = pd.DataFrame({"a": [3, 2, 1, 0], "b": [0, 1, 2, 3]}, index=list("wxyz"))
>>> y = pd.Series([1, 0, 0, 0], index=list("wxyz"))
>>> ranking_quality(scores, y, ks=(1,))[["method", "precision@1", "r_precision"]].values.tolist()
[['a', 1.0, 1.0], ['b', 0.0, 0.0]]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.model_selection import RepeatedStratifiedKFold

from netintel.progress import track

__all__ = ["expected_hits", "fold_comparison", "ranking_quality", "verdict"]


def expected_hits(scores: Sequence[float], relevant: Sequence[bool], k: int) -> float:
    """Expected relevant people in the top ``k`` when ties are ordered at random.

    >>> expected_hits([3, 2, 2, 1], [True, False, True, False], 2)
    1.5
    """
    s = np.asarray(scores, dtype=float)
    rel = np.asarray(relevant, dtype=bool)
    k = min(int(k), len(s))
    if k <= 0:
        return 0.0
    cut = np.sort(s)[::-1][k - 1]
    above, at = s > cut, s == cut
    return float(rel[above].sum() + (k - int(above.sum())) * rel[at].sum() / max(int(at.sum()), 1))


def ranking_quality(
    scores: pd.DataFrame, y: pd.Series, *, ks: Sequence[int] = (5, 10)
) -> pd.DataFrame:
    """Precision at each ``k`` and R-precision of every column of ``scores`` against ``y``.

    ``scores``: one column per method, indexed like ``y`` (1 = relevant). ``k`` above the
    number of people counts every person.
    """
    rel = y.reindex(scores.index).to_numpy() == 1
    r = int(rel.sum())
    rows = []
    for method in scores.columns:
        s = scores[method].to_numpy(dtype=float)
        row: dict[str, object] = {"method": method}
        for k in ks:
            kk = min(k, len(s))
            row[f"precision@{k}"] = expected_hits(s, rel, kk) / kk if kk else math.nan
        row["r_precision"] = expected_hits(s, rel, r) / r if r else math.nan
        rows.append(row)
    return pd.DataFrame(rows)


def fold_comparison(
    y: pd.Series,
    baselines: pd.DataFrame,
    models: Callable[[pd.Index, pd.Index], pd.DataFrame],
    *,
    folds: int,
    repeats: int = 5,
    seed: int | None = 0,
    ks: Sequence[int] = (5, 10),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every ranking scored on the held-out labels of the same repeated stratified folds.

    Parameters
    ----------
    y : pandas.Series
        ``person_id`` -> 0/1, the labelled people.
    baselines : pandas.DataFrame
        Scores that need no training (the default profile, each measure), indexed by
        ``person_id`` (covering ``y``), one column per method.
    models : callable
        ``models(train_ids, test_ids)`` -> scores of the test people (index ``test_ids``),
        one column per trained method, from the training labels alone.
    folds, repeats, seed
        Of :class:`sklearn.model_selection.RepeatedStratifiedKFold`.
    ks : sequence of int
        Cut-offs of precision at k.

    Returns
    -------
    (summary, per_fold) : tuple of DataFrame
        ``per_fold``: ``repeat, fold, method``, ``precision@k``..., ``r_precision``, ``test``,
        ``positives``. ``summary``: per method, the mean and standard deviation over folds
        of each metric, methods in the order given (trained first).
    """
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    ids = y.index
    labels = y.to_numpy()
    rows = []
    split = track(
        enumerate(splitter.split(np.zeros(len(y)), labels)),
        label="learned ranking against the measures, per fold",
        total=folds * repeats,
    )
    for n, (train, test) in split:
        test_ids = ids[test]
        trained = models(ids[train], test_ids)
        scores = pd.concat([trained, baselines.loc[test_ids]], axis=1)
        q = ranking_quality(scores, y.loc[test_ids], ks=ks)
        q.insert(0, "fold", n % folds + 1)
        q.insert(0, "repeat", n // folds + 1)
        q["test"] = len(test)
        q["positives"] = int(labels[test].sum())
        rows.append(q)
    per_fold = pd.concat(rows, ignore_index=True)
    metrics = [f"precision@{k}" for k in ks] + ["r_precision"]
    order = list(dict.fromkeys(per_fold["method"]))
    summary = per_fold.groupby("method", sort=False)[metrics].agg(["mean", "std"]).reindex(order)
    summary.columns = [f"{m}" if s == "mean" else f"{m}_sd" for m, s in summary.columns]
    summary = summary.reset_index()
    summary.attrs.update(folds=folds, repeats=repeats, positives=int(labels.sum()), labels=len(y))
    return summary, per_fold


def verdict(
    per_fold: pd.DataFrame,
    *,
    model: str = "model",
    others: Sequence[str],
    metric: str = "r_precision",
    positives: int | None = None,
) -> str:
    """Plain words: does ``model`` beat the best of ``others`` on held-out labels?

    The paired difference of ``metric`` is averaged per repeat; "beats" needs the mean
    difference above twice its standard error over the repeats (one repeat: never).

    Examples
    --------
    >>> f = pd.DataFrame({"repeat": [1, 1, 2, 2, 3, 3], "method": ["model", "degree"] * 3,
    ...                   "r_precision": [0.9, 0.5, 0.8, 0.5, 0.85, 0.45]})
    >>> verdict(f, others=["degree"])
    'The model beats degree by 0.37 R-precision on held-out labels (3 repeats; 0.30 to 0.43): use the model.'
    >>> verdict(f.assign(r_precision=[0.5, 0.6] * 3), others=["degree"])
    'The model does not beat degree on held-out labels (R-precision 0.50 against 0.60 over 3 repeats): use the default ranking.'
    """
    means = per_fold.groupby(["repeat", "method"])[metric].mean().unstack("method")
    overall = means.mean()
    best = max(others, key=lambda m: (overall[m], -list(others).index(m)))
    diff = means[model] - means[best]
    r = len(diff)
    se = float(diff.std(ddof=1) / math.sqrt(r)) if r > 1 else math.inf
    gain = float(diff.mean())
    name = metric.replace("_", "-").replace("r-precision", "R-precision")
    few = (
        f" Only {positives} positive labels: read it as a hint, not a measurement."
        if positives is not None and positives < 10
        else ""
    )
    if r > 1 and gain - 2 * se > 0:
        return (
            f"The model beats {best} by {gain:.2f} {name} on held-out labels ({r} repeats; "
            f"{gain - 2 * se:.2f} to {gain + 2 * se:.2f}): use the model.{few}"
        )
    return (
        f"The model does not beat {best} on held-out labels ({name} {overall[model]:.2f} "
        f"against {overall[best]:.2f} over {r} repeat{'' if r == 1 else 's'}): use the default "
        f"ranking.{few}"
    )
