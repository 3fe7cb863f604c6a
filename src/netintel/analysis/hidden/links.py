"""Hidden ties: which people are probably tied, though no record shows it yet.

Records miss ties: a phone nobody tapped, a meeting nobody saw. :class:`LinkPredictor`
learns, from the ties the records *do* show, what a tie looks like, and scores the pairs of
people who are not (yet) tied. It follows the protocol of Berlusconi et al. (2016) for
criminal networks: hide a share of the observed ties, compute similarity features of pairs
on what is left, and see whether the hidden ties score above pairs with no tie. Here the
features (:mod:`netintel.analysis.hidden.features`: common neighbours, Adamic-Adar, resource
allocation, Katz, rings, co-occurrence in the records) feed a scikit-learn classifier,
trained on exactly that task, instead of being used one at a time.

Training (:meth:`LinkPredictor.fit`)
------------------------------------
A seeded ``holdout`` share of the ties is hidden; the hidden ties are the positives and
``negatives`` times as many pairs with no tie, drawn uniformly, the negatives (the protocol of
Berlusconi et al.: missing ties against non-existent ones). ``near_negatives`` draws a share
of them two steps apart instead, the hard cases of a suggestion list; on the synthetic
benchmark and on the five real networks this lowered both the cross-validated AUC and the
rank of the planted hidden ties, so it is off by default. Features are computed on the graph
without the hidden ties (rings included), so nothing of a hidden tie leaks into its own
features. The model is a
:class:`sklearn.pipeline.Pipeline`: ``log1p`` of the (heavy-tailed, non-negative) features,
standard scaling, then a logistic regression (``model="logistic"``, coefficients readable as
importances) or a random forest (``model="forest"``). Stratified ``cv``-fold cross-validation
on the training pairs reports ROC AUC and average precision per fold (:attr:`cv_`).

Suggestions are then scored on the whole graph: candidates are the untied pairs within
``max_hops`` ties of each other plus every co-occurrence pair, never all ``n^2`` pairs.
Probabilities
-------------
The classifier learns on pairs drawn one tie to ``negatives`` non-ties, so its raw output is
the chance for a pair drawn like that, far above the chance for an untied pair of a real
case (a list of "0.99"s). ``probability`` is calibrated in two steps (:attr:`calibration_`):
Platt scaling (Platt 1999) of the classifier's out-of-fold predictions on its training pairs,
then the prior-shift correction of Saerens et al. (2002) from the training pairs' share of
ties to the share of the suggestion candidates that are missing ties if the records miss a
share ``missing`` of all ties (by default ``holdout``, the share the model learned to find):
``missing / (1 - missing)`` ties per observed one, of which the candidates hold the share of
hidden ties that were still near in training. The shift is fixed so that the candidates'
probabilities add up to that number. Both steps
are monotone, so the order of the suggestions is the classifier's own; the probability reads
"of a hundred suggestions like this one, about this many are real ties the records miss",
under that assumption about how much the records miss.

References
----------
.. [1] G. Berlusconi, F. Calderoni, N. Parolini, M. Verani, C. Piccardi, "Link prediction in
   criminal networks: a tool for criminal intelligence analysis", PLoS ONE 11(4):
   e0154244, 2016.
.. [2] J. Platt, "Probabilistic outputs for support vector machines and comparisons to
   regularized likelihood methods", Advances in Large Margin Classifiers, 1999.
.. [3] M. Saerens, P. Latinne, C. Decaestecker, "Adjusting the outputs of a classifier to new
   a priori probabilities: a simple procedure", Neural Computation 14(1), 21-41, 2002.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from netintel.analysis.hidden.calibration import (
    calibrate,
    fix_prior_shift,
    near_share,
    platt_and_prior,
)
from netintel.analysis.hidden.features import (
    FEATURES,
    Topology,
    cooccurrence_counts,
    cooccurrence_pairs,
    feature_frame,
    pair_codes,
    pair_index,
    record_ids,
)
from netintel.errors import AnalysisError

__all__ = ["SUGGESTION_COLUMNS", "LinkPredictor", "suggest_links"]

#: Columns of the suggestion table, in order.
SUGGESTION_COLUMNS = (
    "rank", "person_id_a", "name_a", "person_id_b", "name_b", "probability", *FEATURES,
    "common", "explanation", "evidence", "evidence_count",
)  # fmt: skip


# -- the estimator --------------------------------------------------------------------------------
@dataclass
class _Scored:
    """Candidate pairs of the whole graph, as node indices, with features and probability."""

    i: NDArray[np.int64]
    j: NDArray[np.int64]
    features: pd.DataFrame
    probability: NDArray[np.float64]
    raw: NDArray[np.float64]


class LinkPredictor:
    """Learn what a tie looks like from the observed ties; score untied pairs.

    Parameters
    ----------
    holdout : float, default 0.2
        Share of the ties hidden to make the positive training pairs (0 < holdout < 1).
    negatives : float, default 3.0
        Untied training pairs per hidden tie (see the module).
    near_negatives : float, default 0.0
        Share of them drawn two steps apart rather than uniformly (0..1).
    missing : float or None, default None
        Share of all ties the records are assumed to miss, for the calibrated probabilities
        (0 < missing < 1; ``None``: ``holdout``). See the module.
    model : {"logistic", "forest"}, default "logistic"
    max_hops : {2, 3}, default 2
        Suggestion candidates: untied pairs at most this many ties apart, plus every
        co-occurrence pair.
    max_candidates : int, default 2,000,000
        Above this many near pairs, the ones with the most common neighbours are kept (with
        a warning).
    cv : int, default 5
        Folds of the stratified cross-validation of :attr:`cv_`.
    window_days, max_group
        As for :func:`cooccurrence_pairs`.
    katz_beta, katz_max_length
        As ``beta`` and ``max_length`` of :func:`katz_index`.
    seed : int or None, default 0
        Seeds the hidden ties, the negative pairs, Louvain, the folds and the forest.

    Attributes
    ----------
    model_ : sklearn.pipeline.Pipeline
        Fitted on all training pairs.
    calibration_ : dict
        ``slope`` and ``intercept`` of the Platt scaling of the classifier's log-odds,
        ``training_rate`` (share of ties among the training pairs), ``population_rate``
        (share of the candidate pairs that are missing ties, under ``missing``),
        ``prior_shift`` (the log-odds added), ``missing_ties`` (ties the records are
        assumed to miss), ``brier_training`` (Brier score of the Platt-scaled out-of-fold
        predictions on the training pairs).
    cv_ : pandas.DataFrame
        ``fold, train_pairs, test_pairs, roc_auc, average_precision`` per fold.
    importances_ : pandas.DataFrame
        ``feature, importance``: standardised coefficients (logistic) or impurity
        importances (forest), largest magnitude first.
    training_ : pandas.DataFrame
        The training pairs: ``u, v, label`` and their features.

    Examples
    --------
    >>> G = nx.connected_caveman_graph(6, 6)
    >>> lp = LinkPredictor(seed=0).fit(G)
    >>> bool(lp.cv_["roc_auc"].mean() > 0.8)
    True
    >>> out = lp.suggest(top=3)
    >>> list(out.columns[:6])
    ['rank', 'person_id_a', 'name_a', 'person_id_b', 'name_b', 'probability']
    """

    def __init__(
        self,
        *,
        holdout: float = 0.2,
        negatives: float = 3.0,
        near_negatives: float = 0.0,
        missing: float | None = None,
        model: str = "logistic",
        max_hops: int = 2,
        max_candidates: int = 2_000_000,
        cv: int = 5,
        window_days: int = 30,
        max_group: int = 50,
        katz_beta: float | None = None,
        katz_max_length: int | None = None,
        seed: int | None = 0,
    ) -> None:
        self.holdout = holdout
        self.negatives = negatives
        self.near_negatives = near_negatives
        self.missing = missing
        self.model = model
        self.max_hops = max_hops
        self.max_candidates = max_candidates
        self.cv = cv
        self.window_days = window_days
        self.max_group = max_group
        self.katz_beta = katz_beta
        self.katz_max_length = katz_max_length
        self.seed = seed

    # fitting ---------------------------------------------------------------------------------
    def fit(
        self, G: nx.Graph, cooccurrence: Mapping[str, pd.DataFrame] | None = None
    ) -> LinkPredictor:
        """Hide ties, learn to find them again; keep the graph for :meth:`suggest`.

        Parameters
        ----------
        G : networkx.Graph
            The person graph (edge ``weight`` read as strength, ``sources`` as the records).
        cooccurrence : mapping of str to DataFrame, optional
            Record tables for the co-occurrence features (see :func:`cooccurrence_pairs`).

        Raises
        ------
        AnalysisError
            If the graph is not an undirected simple graph, has fewer than 10 ties, or an
            option is out of range.
        """
        self._check(G)
        rng = np.random.default_rng(self.seed)
        nodes = sorted(G, key=str)
        index = {u: k for k, u in enumerate(nodes)}
        n = len(nodes)
        edges = np.array(
            [(index[u], index[v]) for u, v in G.edges() if u != v], dtype=np.int64
        ).reshape(-1, 2)
        edges.sort(axis=1)
        edges = edges[np.lexsort((edges[:, 1], edges[:, 0]))]
        m = len(edges)
        if m < 10:
            raise AnalysisError(
                f"link prediction learns from the observed ties: the graph has {m}, need 10+"
            )
        self._pairs_table = cooccurrence_pairs(
            cooccurrence, window_days=self.window_days, max_group=self.max_group
        )
        cooc = cooccurrence_counts(self._pairs_table, index, n)
        tied = set(pair_codes(edges[:, 0], edges[:, 1], n).tolist())

        n_hidden = max(2, round(self.holdout * m))
        hidden = edges[np.sort(rng.choice(m, size=n_hidden, replace=False))]
        G_train = G.copy()
        G_train.remove_edges_from((nodes[a], nodes[b]) for a, b in hidden)
        train = self._topology(G_train, nodes, index)
        neg = _sample_negatives(
            train.A, tied, round(self.negatives * n_hidden), self.near_negatives, rng
        )
        i = np.concatenate([hidden[:, 0], neg[:, 0]])
        j = np.concatenate([hidden[:, 1], neg[:, 1]])
        y = np.concatenate([np.ones(len(hidden), int), np.zeros(len(neg), int)])
        X = feature_frame(train, i, j, cooc)

        folds = min(self.cv, int(y.sum()), int((1 - y).sum()))
        if folds >= 2:
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.seed)
            res = cross_validate(
                self._pipeline(),
                X,
                y,
                cv=splitter,
                scoring=("roc_auc", "average_precision"),
            )
            sizes = [(len(tr), len(te)) for tr, te in splitter.split(X, y)]
            oof = cross_val_predict(self._pipeline(), X, y, cv=splitter, method="predict_proba")[
                :, 1
            ]
            self.cv_ = pd.DataFrame(
                {
                    "fold": np.arange(1, folds + 1),
                    "train_pairs": [a for a, _ in sizes],
                    "test_pairs": [b for _, b in sizes],
                    "roc_auc": res["test_roc_auc"],
                    "average_precision": res["test_average_precision"],
                }
            )
        else:
            oof = None
            self.cv_ = pd.DataFrame(
                columns=["fold", "train_pairs", "test_pairs", "roc_auc", "average_precision"]
            )
        self.model_ = self._pipeline().fit(X, y)
        share = self.holdout if self.missing is None else self.missing
        self.calibration_ = platt_and_prior(oof, y, n=n, m=m, share=share)
        self._near_share = near_share(train.A, hidden, self.max_hops, cooc, n)
        self.importances_ = self._importances()
        self.training_ = pd.concat(
            [
                pd.DataFrame({"u": [nodes[k] for k in i], "v": [nodes[k] for k in j], "label": y}),
                X,
            ],
            axis=1,
        )
        self.training_.attrs.update(hidden=len(hidden), negatives=len(neg), ties=m)

        self.graph_ = G
        self._nodes, self._index, self._cooc, self._tied = nodes, index, cooc, tied
        self._full = self._topology(G, nodes, index)
        self._score_candidates()  # fixes the prior shift on this graph's own pairs
        return self

    def _check(self, G: nx.Graph) -> None:
        if not isinstance(G, nx.Graph) or G.is_directed() or G.is_multigraph():
            raise AnalysisError(
                f"expected an undirected simple networkx.Graph, got {type(G).__name__}"
            )
        if not 0 < self.holdout < 1:
            raise AnalysisError(f"holdout must be in (0, 1), got {self.holdout!r}")
        if not self.negatives > 0:
            raise AnalysisError(f"negatives must be > 0, got {self.negatives!r}")
        if self.missing is not None and not 0 < self.missing < 1:
            raise AnalysisError(f"missing must be in (0, 1) or None, got {self.missing!r}")
        if not 0 <= self.near_negatives <= 1:
            raise AnalysisError(f"near_negatives must be in 0..1, got {self.near_negatives!r}")
        if self.model not in {"logistic", "forest"}:
            raise AnalysisError(f"unknown model {self.model!r}; use logistic or forest")
        if self.max_hops not in {2, 3}:
            raise AnalysisError(f"max_hops must be 2 or 3, got {self.max_hops!r}")
        if isinstance(self.cv, bool) or not isinstance(self.cv, int) or self.cv < 2:
            raise AnalysisError(f"cv must be an integer >= 2, got {self.cv!r}")

    def _topology(
        self, G: nx.Graph, nodes: Sequence[Hashable], index: Mapping[Hashable, int]
    ) -> Topology:
        return Topology(
            G,
            nodes,
            index,
            katz_beta=self.katz_beta,
            katz_max_length=self.katz_max_length,
            seed=self.seed,
        )

    def _pipeline(self) -> Pipeline:
        if self.model == "forest":
            clf = RandomForestClassifier(
                n_estimators=300, min_samples_leaf=3, random_state=self.seed, n_jobs=1
            )
        else:
            clf = LogisticRegression(C=1.0, max_iter=2000)
        return Pipeline(
            [
                ("log1p", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
                ("scale", StandardScaler()),
                ("model", clf),
            ]
        )

    def _importances(self) -> pd.DataFrame:
        clf = self.model_.named_steps["model"]
        values = clf.coef_[0] if self.model == "logistic" else clf.feature_importances_
        out = pd.DataFrame({"feature": list(FEATURES), "importance": values})
        order = np.lexsort((out["feature"].to_numpy(), -np.abs(out["importance"].to_numpy())))
        return out.iloc[order].reset_index(drop=True)

    # scoring -----------------------------------------------------------------------------------
    def predict_proba(self, pairs: Sequence[tuple[Hashable, Hashable]]) -> NDArray[np.float64]:
        """Probability of a tie for each pair of people, on the whole graph given to fit."""
        self._fitted()
        i, j = pair_index(pairs, self._index)
        if len(i) == 0:
            return np.zeros(0)
        X = feature_frame(self._full, i, j, self._cooc)
        return calibrate(self.calibration_, self.model_.predict_proba(X)[:, 1])

    def suggest(self, *, top: int | None = 20) -> pd.DataFrame:
        """The untied pairs most likely tied, with evidence (columns :data:`SUGGESTION_COLUMNS`).

        Rows are sorted by ``probability`` descending, then by the two person ids (as text).
        ``common`` lists the common neighbours; ``evidence`` the records of their ties to
        both people and of the co-occurrences behind the pair's features.
        """
        self._fitted()
        if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
            raise AnalysisError(f"top must be an integer >= 1 or None, got {top!r}")
        scored = self._score_candidates()
        nodes = self._nodes
        order = np.lexsort((scored.j, scored.i, -scored.probability))
        keep = order if top is None else order[:top]
        G = self.graph_
        names = nx.get_node_attributes(G, "name")
        by_pair = {
            (u, v): g for (u, v), g in self._pairs_table.groupby(["u", "v"], sort=False)
        } if not self._pairs_table.empty else {}  # fmt: skip
        rows = []
        for rank, k in enumerate(keep, start=1):
            u, v = nodes[scored.i[k]], nodes[scored.j[k]]
            feats = scored.features.iloc[k]
            common = sorted(set(G[u]) & set(G[v]), key=str)
            records: set = set()
            for w in common:
                records.update(record_ids(G[u][w].get("sources")))
                records.update(record_ids(G[v][w].get("sources")))
            cooc = by_pair.get((u, v))
            if cooc is None:
                cooc = by_pair.get((v, u))
            if cooc is not None:
                for s in cooc["sources"]:
                    records.update(s)
            rows.append(
                {
                    "rank": rank,
                    "person_id_a": u,
                    "name_a": str(names.get(u, "") or ""),
                    "person_id_b": v,
                    "name_b": str(names.get(v, "") or ""),
                    "probability": float(scored.probability[k]),
                    **{f: feats[f] for f in FEATURES},
                    "common": common,
                    "explanation": _explain(float(scored.probability[k]), feats, common,
                                            names, cooc),
                    "evidence": sorted(records, key=str),
                }
            )  # fmt: skip
        out = pd.DataFrame(rows, columns=[c for c in SUGGESTION_COLUMNS if c != "evidence_count"])
        out["evidence_count"] = out["evidence"].map(len).astype(np.int64)
        for f in ("common_neighbours", "same_place_time", "shared_contacts", "shared_vehicles"):
            out[f] = out[f].astype(np.int64)
        out["same_ring"] = out["same_ring"].astype(bool)
        out.attrs.update(
            candidates=len(scored.i),
            model=self.model,
            seed=self.seed,
            cv_roc_auc=float(self.cv_["roc_auc"].mean()) if len(self.cv_) else float("nan"),
            katz="exact" if self._full.katz_exact else f"truncated at {self._full.katz_length}",
        )
        return out

    def _fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise AnalysisError("this LinkPredictor is not fitted yet: call fit(G) first")

    def _score_candidates(self) -> _Scored:
        if hasattr(self, "_scored"):
            return self._scored
        topo, n = self._full, len(self._nodes)
        near = _near_pairs(topo.A, self.max_hops, self.max_candidates)
        codes = set(near.tolist())
        if not self._pairs_table.empty:
            p = self._pairs_table
            known = p["u"].isin(self._index.keys()) & p["v"].isin(self._index.keys())
            codes.update(
                pair_codes(
                    p.loc[known, "u"].map(self._index).to_numpy(),
                    p.loc[known, "v"].map(self._index).to_numpy(),
                    n,
                ).tolist()
            )
        codes -= self._tied
        arr = np.array(sorted(codes), dtype=np.int64)
        i, j = arr // n, arr % n
        if len(arr):
            X = feature_frame(topo, i, j, self._cooc)
            raw = self.model_.predict_proba(X)[:, 1]
        else:
            X = pd.DataFrame(columns=list(FEATURES), dtype=float)
            raw = np.zeros(0)
        fix_prior_shift(self.calibration_, raw, self._near_share)
        self._scored = _Scored(i, j, X, calibrate(self.calibration_, raw), raw)
        return self._scored


def _near_pairs(A: sp.csr_matrix, max_hops: int, max_candidates: int) -> NDArray[np.int64]:
    """Codes ``i * n + j`` (``i < j``) of the pairs 2..``max_hops`` ties apart (ties included,
    removed by the caller)."""
    n = A.shape[0]
    A2 = (A @ A).tocsr()
    reach = A2
    if max_hops == 3:
        if int(A2.nnz) * max(1.0, float(A.nnz) / max(n, 1)) > 20 * max_candidates:
            warnings.warn(
                "three-hop candidates would be too many on this graph; using two hops",
                stacklevel=4,
            )
        else:
            reach = (A2 + A2 @ A).tocsr()
    upper = sp.triu(reach, k=1).tocoo()
    codes = upper.row.astype(np.int64) * n + upper.col
    if len(codes) > max_candidates:
        cn = sp.triu(A2, k=1).tocsr()[upper.row, upper.col].A1
        warnings.warn(
            f"{len(codes):,} candidate pairs; keeping the {max_candidates:,} with the most "
            "common neighbours",
            stacklevel=4,
        )
        keep = np.lexsort((codes, -cn))[:max_candidates]
        codes = codes[keep]
    return codes


def _sample_negatives(
    A: sp.csr_matrix, tied: set[int], count: int, near: float, rng: np.random.Generator
) -> NDArray[np.int64]:
    """``count`` distinct untied pairs: a share ``near`` two steps apart in ``A`` (a random
    walk of two steps), the rest uniform over all pairs; fewer if the graph has too few."""
    n = A.shape[0]
    chosen: set[int] = set()
    out: list[tuple[int, int]] = []
    indptr, indices = A.indptr, A.indices
    deg = np.diff(indptr)
    hubs = np.flatnonzero(deg >= 2)
    want_near = int(count * near) if len(hubs) else 0

    def take(a: int, b: int) -> None:
        if a == b:
            return
        lo, hi = min(a, b), max(a, b)
        code = lo * n + hi
        if code in tied or code in chosen:
            return
        chosen.add(code)
        out.append((lo, hi))

    tries = 0
    while len(out) < want_near and tries < 50 * count:
        tries += 1
        w = int(hubs[rng.integers(len(hubs))])
        nb = indices[indptr[w] : indptr[w + 1]]
        a, b = rng.choice(nb, size=2, replace=False)
        take(int(a), int(b))
    tries = 0
    while len(out) < count and tries < 50 * count:
        tries += 1
        take(int(rng.integers(n)), int(rng.integers(n)))
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def _explain(
    probability: float,
    feats: pd.Series,
    common: Sequence[Hashable],
    names: Mapping[Hashable, str],
    cooc: pd.DataFrame | None,
) -> str:
    parts = []
    if common:
        shown = [str(names.get(w) or w) for w in common[:3]]
        more = f" and {len(common) - 3} more" if len(common) > 3 else ""
        parts.append(
            f"{len(common)} common contact{'' if len(common) == 1 else 's'} "
            f"({', '.join(shown)}{more})"
        )
    elif feats["katz"] > 0:
        parts.append("linked through longer chains of ties (Katz)")
    if feats["same_ring"]:
        parts.append("same ring")
    if cooc is not None:
        for kind, label in (
            ("shared_contacts", "both in contact with"),
            ("shared_vehicles", "same vehicle"),
            ("same_place_time", "in the same province within days"),
        ):
            rows = cooc[cooc["kind"] == kind]
            if len(rows):
                details = list(dict.fromkeys(rows["detail"]))
                more = f" and {len(details) - 2} more" if len(details) > 2 else ""
                parts.append(f"{label} {', '.join(details[:2])}{more}")
    if not parts:
        parts.append("no shared contact or co-occurrence: a weak suggestion")
    return f"Probability {probability:.2f}: " + "; ".join(parts) + "."


def suggest_links(
    G: nx.Graph,
    *,
    top: int | None = 20,
    cooccurrence: Mapping[str, pd.DataFrame] | None = None,
    seed: int | None = 0,
    **options: object,
) -> pd.DataFrame:
    """The ``top`` most likely hidden ties of ``G`` (see :class:`LinkPredictor`).

    ``options`` go to :class:`LinkPredictor`. ``df.attrs`` records the number of candidate
    pairs, the model, the seed, the mean cross-validated ROC AUC and how Katz was computed.

    Examples
    --------
    Five 5-cliques in a circle, each missing the one tie rewired to join the next: the
    five missing ties come first.

    >>> G = nx.connected_caveman_graph(5, 5)
    >>> out = suggest_links(G, top=5)
    >>> sorted(zip(out["person_id_a"], out["person_id_b"]))
    [(0, 1), (5, 6), (10, 11), (15, 16), (20, 21)]
    """
    predictor = LinkPredictor(seed=seed, **options)  # type: ignore[arg-type]
    return predictor.fit(G, cooccurrence).suggest(top=top)
