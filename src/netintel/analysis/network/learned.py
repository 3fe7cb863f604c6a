"""Learned ranking: a model of who turned out to be an organizer, applied to everyone.

Where past cases confirmed some people's roles, those confirmations are labels, and
:class:`LearnedRanker` learns from them how much each piece of evidence the composite ranking
uses (:mod:`netintel.analysis.network.ranking`) actually says. The features are the six
network measures of :func:`~netintel.analysis.network.centrality.centrality` (degree, strength,
betweenness, PageRank, eigenvector, k-core), the number of arrest records of each recorded
role, the seized kilograms, and what the labelled neighbours say
(:mod:`netintel.analysis.network.label_features`: the share of a person's ties to confirmed
leaders, personalised PageRank and label spreading from them), computed in every
cross-validation fold from that fold's training labels only. The model is a scikit-learn
:class:`~sklearn.pipeline.Pipeline`: ``log1p`` (all features are counts or non-negative and
heavy-tailed), standard scaling, and a class-balanced, L2-regularised logistic regression,
whose coefficients are readable as importances.

Does it earn its place? :attr:`LearnedRanker.comparison_` scores, on the same repeated
stratified folds, the model, the model without the labelled-neighbour features, the default
profile and every single measure on the held-out labels (precision at 5 and 10,
R-precision), and :attr:`LearnedRanker.verdict_` says in words whether the model beats the
best of them by more than the folds' spread (:mod:`netintel.analysis.network.label_check`).

It is retrained from the labels on every call (it takes well under a second on thousands of
people); no fitted model is ever read from a file, so nothing but labels comes in from users.
The unsupervised composite ranking stays the default; this one needs labels.

Labels files (:func:`read_labels`)
----------------------------------
A CSV, TSV, JSON Lines, Parquet or Excel file with a column ``person_id`` (graph ids, as
``netintel rank`` prints them) or ``national_id``, and a column ``label``:

- ``1`` / ``0`` (also ``true``/``false``, ``yes``/``no``), or
- a role: ``organizer`` and ``financier`` count as positive, with every synonym the records
  accept (``leader``, ``ringleader``, ``mastermind``, ``cầm đầu``: see
  :func:`netintel.values.clean_role`); any other role (``courier``, ``buyer``, ``seller``,
  ``lookout``, ``unknown``) as negative.

Output
------
:attr:`LearnedRanker.ranking_` has the columns of the composite ranking
(:data:`~netintel.analysis.network.ranking.RANKING_COLUMNS`) with ``score`` the predicted
probability of being an organizer or financier, and an explanation naming the features that
raised it most (each feature's standardised value times its coefficient).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from netintel.analysis.network.centrality import MEASURES
from netintel.analysis.network.label_check import fold_comparison, verdict
from netintel.analysis.network.label_features import LABEL_FEATURES, label_features
from netintel.analysis.network.profile import RankingProfile
from netintel.analysis.network.ranking import RANKING_COLUMNS, TargetRanker
from netintel.errors import AnalysisError, InputError, NetIntelError
from netintel.progress import track
from netintel.values import ROLES, clean_role

__all__ = [
    "LEARNED_FEATURES",
    "POSITIVE_ROLES",
    "LearnedRanker",
    "learned_ranking",
    "parse_label",
    "read_labels",
]

#: Roles that make a positive label (synonyms such as "leader" map onto them).
POSITIVE_ROLES = ("organizer", "financier")

_ROLE_FEATURES = tuple(r for r in ROLES if r != "unknown")
_RECORD_FEATURES = (*MEASURES, *(f"role_{r}" for r in _ROLE_FEATURES), "seizure_kg")
#: Feature columns, in model order: the person's own, then the labelled neighbours'.
LEARNED_FEATURES = (*_RECORD_FEATURES, *LABEL_FEATURES)
#: Rankings the model is compared with on the same folds (besides itself without the
#: labelled-neighbour features): the default profile and every single measure.
BASELINES = ("default", *MEASURES)

_TRUE = {"1", "1.0", "true", "yes", "y", "t"}
_FALSE = {"0", "0.0", "false", "no", "n", "f"}
_LABEL_TEXT = {
    "strength": "tie strength {v:.2f}",
    "betweenness": "betweenness {v:.3f}",
    "pagerank": "PageRank {v:.4f}",
    "eigenvector": "eigenvector centrality {v:.3f}",
    "kcore": "in a {v:g}-core",
    "seizure_kg": "linked to {v:,.1f} kg of seizures",
    "leader_tie_share": "{v:.0%} of tie strength to confirmed leaders",
    "leader_pagerank": "personalised PageRank from confirmed leaders {v:.2f}x the average",
    "leader_spread": "labels spread from confirmed leaders {v:.3f}",
}


def parse_label(value: object) -> int:
    """1 or 0 from a label cell: a number, a yes/no word, or a role (see the module).

    Raises
    ------
    InputError
        If the value is none of these (the message quotes it).

    Examples
    --------
    >>> parse_label("1"), parse_label("no"), parse_label("Leader"), parse_label("courier")
    (1, 0, 1, 0)
    """
    text = str(value).strip().lower()
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    try:
        role = clean_role(text)
    except (ValueError, NetIntelError):
        raise InputError(
            f"{str(value).strip()!r} is not a label: use 1/0, yes/no, or a role "
            f"({', '.join(ROLES)}; organizer and financier count as 1)"
        ) from None
    return int(role in POSITIVE_ROLES)


def read_labels(path: str | Path, people: pd.DataFrame) -> pd.Series:
    """Read a labels file and match its rows to the people of the graph.

    Parameters
    ----------
    path : str or Path
        The labels file (see the module for its columns).
    people : pandas.DataFrame
        ``person_id`` and, to match by national ID, ``national_id``
        (:meth:`ws.records.people() <netintel.workspace.records.RecordsWing.people>`).

    Returns
    -------
    pandas.Series
        ``person_id`` -> 0/1, named ``label``, in file order.

    Raises
    ------
    InputError
        Naming the file, the row (the header is row 1) and the field: a missing column, an
        empty or unknown person id or national ID, a value that is not a label, or a person
        labelled both 1 and 0.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "confirmed.csv"
    >>> _ = p.write_text("person_id,label\\nP-1,organizer\\nP-2,0\\n")
    >>> people = pd.DataFrame({"person_id": ["P-1", "P-2", "P-3"]})
    >>> read_labels(p, people).to_dict()
    {'P-1': 1, 'P-2': 0}
    >>> _ = p.write_text("person_id,label\\nP-9,1\\n")
    >>> read_labels(p, people)
    Traceback (most recent call last):
    ...
    netintel.errors.InputError: ...confirmed.csv, row 2, field person_id: no person 'P-9' in the graph
    """
    from netintel.ingest.readers import read_table

    path = Path(path)
    frame = read_table(path)
    if "label" not in frame.columns:
        raise InputError(
            f"{path}: no 'label' column (found {', '.join(c for c in frame.columns if c != '_row')})"
        )
    key = next((c for c in ("person_id", "national_id") if c in frame.columns), None)
    if key is None:
        raise InputError(f"{path}: needs a 'person_id' or 'national_id' column")
    if key == "national_id":
        if "national_id" not in people.columns:
            raise InputError(f"{path}: the graph has no national IDs to match labels by")
        known = people.dropna(subset=["national_id"]).drop_duplicates("national_id")
        lookup = dict(zip(known["national_id"].astype(str), known["person_id"], strict=True))
    else:
        lookup = {str(p): p for p in people["person_id"]}
    labels: dict[object, int] = {}
    for row, ident, raw in zip(frame["_row"], frame[key], frame["label"], strict=True):
        where = f"{path}, row {row}"
        if ident is None or pd.isna(ident):
            raise InputError(f"{where}, field {key}: empty")
        pid = lookup.get(str(ident).strip())
        if pid is None:
            what = "person" if key == "person_id" else "person with national ID"
            raise InputError(f"{where}, field {key}: no {what} {ident!r} in the graph")
        if raw is None or pd.isna(raw):
            raise InputError(f"{where}, field label: empty")
        try:
            value = parse_label(raw)
        except InputError as e:
            raise InputError(f"{where}, field label: {e}") from None
        if labels.get(pid, value) != value:
            raise InputError(f"{where}, field label: {ident!r} is labelled both 1 and 0")
        labels[pid] = value
    if not labels:
        raise InputError(f"{path}: no labels")
    return pd.Series(labels, name="label", dtype=np.int64).rename_axis("person_id")


class LearnedRanker:
    """Rank people by a model trained on confirmed roles (see the module).

    Parameters
    ----------
    folds : int, default 5
        Folds of the stratified cross-validation; each class needs at least this many labels.
    repeats : int, default 5
        Repeats of the folds in :attr:`comparison_` (0 to skip the comparison).
    C : float, default 1.0
        Inverse regularisation strength of the logistic regression.
    permutation_repeats : int, default 10
        Repeats of the permutation importance (0 to skip it).
    profile, betweenness_k, engine, seed, top
        As for :class:`~netintel.analysis.network.ranking.TargetRanker` (the measures and rings come
        from it); ``seed`` also seeds the folds and the permutations.

    Attributes
    ----------
    ranking_ : pandas.DataFrame
        Columns :data:`RANKING_COLUMNS`, ``score`` = predicted probability; ``attrs`` records
        the labels, folds and mean cross-validated scores.
    cv_ : pandas.DataFrame
        ``fold, train, test, positives, roc_auc, average_precision`` per fold.
    oof_ : pandas.Series
        Out-of-fold probability of each labelled person (from the model that did not see
        their label).
    comparison_ : pandas.DataFrame
        Per ranking (``model``, ``model without neighbour labels``, ``default``, each
        measure), the mean and standard deviation over ``folds`` x ``repeats`` held-out
        folds of ``precision@5``, ``precision@10`` and ``r_precision``.
    comparison_folds_ : pandas.DataFrame
        The same per fold.
    verdict_ : str
        Whether the model beats the best other ranking on held-out labels, in words.
    importances_ : pandas.DataFrame
        ``feature, coefficient, permutation_importance, permutation_std``: standardised
        coefficients and the drop in average precision when the feature is shuffled, largest
        coefficient magnitude first.
    features_ : pandas.DataFrame
        The feature matrix (index ``person_id``, columns :data:`LEARNED_FEATURES`).
    model_ : sklearn.pipeline.Pipeline
        Fitted on every label.

    Examples
    --------
    Two 6-cliques, each led by the person who also bridges to a ring of couriers:

    >>> G = nx.Graph()
    >>> for ring in "AB":
    ...     people = [f"{ring}{i}" for i in range(6)]
    ...     G.add_edges_from((u, v) for i, u in enumerate(people) for v in people[i + 1:])
    ...     G.add_edges_from((f"{ring}0", f"{ring}c{i}") for i in range(8))
    >>> labels = {"A0": 1, "B0": 1, **{f"A{i}": 0 for i in range(1, 6)}}
    >>> r = LearnedRanker(folds=2, permutation_repeats=0).fit(G, labels)
    >>> r.ranking_["person_id"].head(2).tolist()
    ['A0', 'B0']
    """

    def __init__(
        self,
        *,
        folds: int = 5,
        repeats: int = 5,
        C: float = 1.0,
        permutation_repeats: int = 10,
        profile: str | Path | RankingProfile = "default",
        betweenness_k: int | None = None,
        engine: str = "auto",
        seed: int | None = 0,
        top: int | None = None,
    ) -> None:
        self.folds = folds
        self.repeats = repeats
        self.C = C
        self.permutation_repeats = permutation_repeats
        self.profile = profile
        self.betweenness_k = betweenness_k
        self.engine = engine
        self.seed = seed
        self.top = top

    def _pipeline(self) -> Pipeline:
        return Pipeline(
            [
                ("log1p", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
                ("scale", StandardScaler()),
                ("model", LogisticRegression(C=self.C, class_weight="balanced", max_iter=5000)),
            ]
        )

    def fit(
        self,
        G: nx.Graph,
        labels: Mapping[object, int] | pd.Series,
        rings: pd.DataFrame | None = None,
    ) -> LearnedRanker:
        """Cross-validate, train on every label, and rank everyone.

        Parameters
        ----------
        G : networkx.Graph
            The person graph.
        labels : mapping or Series
            ``person_id`` -> 1 (organizer or financier) or 0.
        rings : pandas.DataFrame, optional
            As for :class:`~netintel.analysis.network.ranking.TargetRanker`.

        Raises
        ------
        AnalysisError
            If a labelled person is not in the graph, a label is not 0/1, the labels hold a
            single class, or a class has fewer labels than ``folds``.
        """
        y = self._check(G, labels)
        base = TargetRanker(
            self.profile,
            betweenness_k=self.betweenness_k,
            seed=self.seed,
            engine=self.engine,
        ).fit(G, rings=rings)
        full = base.ranking_.set_index("person_id", drop=False)
        own = _features(G, full)

        def features(positives: pd.Index) -> pd.DataFrame:
            return own.join(label_features(G, positives, nodes=own.index))

        y_lab = y.to_numpy()
        self._compare(G, y, full, own, features)

        splitter = StratifiedKFold(n_splits=self.folds, shuffle=True, random_state=self.seed)
        oof = np.zeros(len(y_lab))
        folds = []
        split = track(
            splitter.split(np.zeros(len(y_lab)), y_lab),
            label="cross-validation folds",
            total=self.folds,
        )
        for k, (tr, te) in enumerate(split, start=1):
            X_fold = features(y.index[tr][y_lab[tr] == 1]).loc[y.index]
            model = self._pipeline().fit(X_fold.iloc[tr], y_lab[tr])
            p = model.predict_proba(X_fold.iloc[te])[:, 1]
            oof[te] = p
            both = len(set(y_lab[te])) == 2
            folds.append(
                {
                    "fold": k,
                    "train": len(tr),
                    "test": len(te),
                    "positives": int(y_lab[te].sum()),
                    "roc_auc": roc_auc_score(y_lab[te], p) if both else np.nan,
                    "average_precision": average_precision_score(y_lab[te], p),
                }
            )
        self.cv_ = pd.DataFrame(folds)
        self.oof_ = pd.Series(oof, index=y.index, name="probability")
        X = features(y.index[y_lab == 1])
        X_lab = X.loc[y.index]
        self.model_ = self._pipeline().fit(X_lab, y_lab)
        self.features_ = X
        self.importances_ = self._importances(X_lab, y_lab)

        proba = self.model_.predict_proba(X)[:, 1]
        order = (
            pd.DataFrame({"s": -np.round(proba, 12), "p": X.index.astype(str)}, index=X.index)
            .sort_values(["s", "p"], kind="mergesort")
            .index
        )
        keep = order if self.top is None else order[: self.top]
        score = pd.Series(proba, index=X.index)
        ranking = full.loc[keep].reset_index(drop=True)
        ranking["rank"] = np.arange(1, len(ranking) + 1)
        ranking["score"] = score.loc[keep].to_numpy()
        contributions = self._contributions(X.loc[keep])
        auc = float(self.cv_["roc_auc"].mean())
        coef = pd.Series(self.model_.named_steps["model"].coef_[0], index=list(LEARNED_FEATURES))
        ranking["explanation"] = [
            _explain(
                float(score[pid]), contributions.loc[pid], X.loc[pid], coef, y.get(pid), auc, len(y)
            )
            for pid in keep
        ]
        self.ranking_ = ranking[list(RANKING_COLUMNS)]
        self.ranking_.attrs.update(
            base.ranking_.attrs,
            model="logistic",
            labels=len(y),
            positives=int(y.sum()),
            folds=self.folds,
            cv_roc_auc=auc,
            cv_average_precision=float(self.cv_["average_precision"].mean()),
            verdict=self.verdict_,
        )
        return self

    def _compare(
        self,
        G: nx.Graph,
        y: pd.Series,
        full: pd.DataFrame,
        own: pd.DataFrame,
        features: Callable[[pd.Index], pd.DataFrame],
    ) -> None:
        """Set :attr:`comparison_`, :attr:`comparison_folds_` and :attr:`verdict_`."""
        if self.repeats == 0:
            self.comparison_ = pd.DataFrame()
            self.comparison_folds_ = pd.DataFrame()
            self.verdict_ = "not compared with the single measures (repeats=0)"
            return
        baselines = pd.DataFrame({"default": full["score"].astype(float)})
        for m in MEASURES:
            baselines[m] = full[m].astype(float)

        def models(train: pd.Index, test: pd.Index) -> pd.DataFrame:
            y_train = y.loc[train].to_numpy()
            X = features(train[y_train == 1])
            out = pd.DataFrame(index=test)
            fitted = self._pipeline().fit(X.loc[train], y_train)
            out["model"] = fitted.predict_proba(X.loc[test])[:, 1]
            plain = self._pipeline().fit(own.loc[train], y_train)
            out["model without neighbour labels"] = plain.predict_proba(own.loc[test])[:, 1]
            return out

        self.comparison_, self.comparison_folds_ = fold_comparison(
            y, baselines, models, folds=self.folds, repeats=self.repeats, seed=self.seed
        )
        self.verdict_ = verdict(self.comparison_folds_, others=BASELINES, positives=int(y.sum()))

    def _check(self, G: nx.Graph, labels: Mapping[object, int] | pd.Series) -> pd.Series:
        if isinstance(self.folds, bool) or not isinstance(self.folds, int) or self.folds < 2:
            raise AnalysisError(f"folds must be an integer >= 2, got {self.folds!r}")
        y = pd.Series(labels, dtype=object)
        unknown = [p for p in y.index if p not in G]
        if unknown:
            raise AnalysisError(
                f"{len(unknown)} labelled person(s) not in the graph, e.g. {unknown[:3]!r}"
            )
        bad = [p for p, v in y.items() if v not in (0, 1)]
        if bad:
            raise AnalysisError(f"labels must be 0 or 1; {bad[0]!r} has {y[bad[0]]!r}")
        y = y.astype(np.int64)
        counts = y.value_counts()
        if len(counts) < 2:
            only = "positive" if 1 in counts.index else "negative"
            raise AnalysisError(
                f"all {len(y)} labels are {only}: a model needs both people who were and who "
                "were not organizers or financiers"
            )
        if counts.min() < self.folds:
            raise AnalysisError(
                f"too few labels for {self.folds}-fold cross-validation: "
                f"{int(counts.get(1, 0))} positive and {int(counts.get(0, 0))} negative; each "
                f"class needs at least {self.folds} (give more labels or fewer folds)"
            )
        return y

    def _importances(self, X: pd.DataFrame, y: np.ndarray) -> pd.DataFrame:
        coef = self.model_.named_steps["model"].coef_[0]
        out = pd.DataFrame({"feature": list(LEARNED_FEATURES), "coefficient": coef})
        if self.permutation_repeats > 0:
            perm = permutation_importance(
                self.model_,
                X,
                y,
                scoring="average_precision",
                n_repeats=self.permutation_repeats,
                random_state=self.seed,
            )
            out["permutation_importance"] = perm.importances_mean
            out["permutation_std"] = perm.importances_std
        else:
            out["permutation_importance"] = np.nan
            out["permutation_std"] = np.nan
        order = np.lexsort((out["feature"].to_numpy(), -np.abs(out["coefficient"].to_numpy())))
        return out.iloc[order].reset_index(drop=True)

    def _contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """Standardised value times coefficient, per person and feature."""
        pre = self.model_[:-1].transform(X)
        coef = self.model_.named_steps["model"].coef_[0]
        return pd.DataFrame(pre * coef, index=X.index, columns=list(LEARNED_FEATURES))


def _features(G: nx.Graph, ranking: pd.DataFrame) -> pd.DataFrame:
    """The person's own features (measures, roles, seizures) of everyone (``ranking``: the
    full composite ranking, indexed by ``person_id``)."""
    ids = ranking.index
    X = pd.DataFrame(index=ids)
    for m in MEASURES:
        X[m] = ranking[m].astype(float)
    for r in _ROLE_FEATURES:
        X[f"role_{r}"] = [float((G.nodes[p].get("roles") or {}).get(r, 0)) for p in ids]
    X["seizure_kg"] = ranking["seizure_kg"].astype(float)
    return X[list(_RECORD_FEATURES)]


def _feature_text(feature: str, value: float, coefficient: float) -> str:
    """Plain words for a feature value that raised a score; ``coefficient < 0`` means it
    raised it by being low."""
    if feature.startswith("role_"):
        n, role = int(value), feature[5:]
        if coefficient < 0:
            return f"never recorded as {role}" if n == 0 else f"recorded as {role} only {n}x"
        return f"recorded as {role} in {n} arrest{'' if n == 1 else 's'}"
    if feature == "degree":
        text = f"{value:g} direct contact{'' if value == 1 else 's'}"
    else:
        text = _LABEL_TEXT[feature].format(v=value)
    return f"only {text}" if coefficient < 0 else text


def _explain(
    probability: float,
    contributions: pd.Series,
    values: pd.Series,
    coefficients: pd.Series,
    label: object,
    cv_auc: float,
    n_labels: int,
) -> str:
    up = contributions[contributions > 0.05].sort_values(ascending=False)
    parts = [
        f"{_feature_text(f, float(values[f]), float(coefficients[f]))} (+{c:.2f})"
        for f, c in up.head(3).items()
    ]
    if not parts:
        parts = ["no feature lifts this person above the typical labelled negative"]
    text = (
        f"Predicted {probability:.2f} by a model trained on {n_labels} confirmed roles "
        f"(cross-validated ROC AUC {cv_auc:.2f}): " + "; ".join(parts)
    )
    if label is not None and not pd.isna(label):
        text += f"; labelled {int(label)} in the training labels"
    return text + "."


def learned_ranking(
    G: nx.Graph,
    labels: Mapping[object, int] | pd.Series,
    *,
    top: int | None = None,
    folds: int = 5,
    seed: int | None = 0,
    **options: object,
) -> pd.DataFrame:
    """The learned target list of ``G`` (see :class:`LearnedRanker`; ``options`` go to it)."""
    ranker = LearnedRanker(top=top, folds=folds, seed=seed, **options)  # type: ignore[arg-type]
    return ranker.fit(G, labels).ranking_
