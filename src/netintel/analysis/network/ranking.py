"""The ranked target list: who matters, by how much, why, and on which records.

:class:`TargetRanker` combines the network measures of
:func:`~netintel.analysis.network.centrality.centrality`, the roles recorded in arrest records and
the linked seizure volume into one score in 0..1, as a :class:`RankingProfile` says
(``profiles/default.yaml``). Each row keeps the parts of its score
(:attr:`TargetRanker.contributions_`), a plain-words explanation naming the largest parts,
and the ids of the records behind the person's ties, so that every place on the list can be
defended record by record. :func:`rank_targets` is the function twin.

Output columns (the contract the CLI, reports and notebooks rely on):

``rank``            1.. in list order
``person_id``       node id of the person graph
``name``            the person's name
``score``           0..1, the sum of the profile's weighted components
``ring``            ring (Louvain, 0 = largest), -1 if a given frame missed them
``degree`` … ``kcore``  the six measures of :data:`~netintel.analysis.network.centrality.MEASURES`
``roles``           recorded roles, e.g. ``"organizer x2; courier x1"`` ("" if none)
``seizure_kg``      kg of seizures linked to the person's arrests
``explanation``     which components drove the score, with their share of it
``evidence``        sorted record ids that name the person (node ``sources``: the arrests
                    behind recorded roles and seized volume) and that are behind their ties
``evidence_count``  their number
``channels``        the channels the evidence behind their ties came through (land, sea, air,
                    express delivery, online; ``"; "``-joined, "" when none says), also named
                    with their records at the end of ``explanation``

Rows are sorted by ``score`` descending, then ``person_id``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from netintel.analysis.engine import prepare
from netintel.analysis.evidence import person_evidence
from netintel.analysis.network.centrality import MEASURES, compute_centrality
from netintel.analysis.network.channels import channels_sentence, channels_text, person_channels
from netintel.analysis.network.profile import COMPONENTS, RankingProfile
from netintel.analysis.network.rings import compute_louvain
from netintel.errors import AnalysisError

__all__ = ["RANKING_COLUMNS", "RankingProfile", "TargetRanker", "rank_targets"]

#: Columns of the ranked target list, in order.
RANKING_COLUMNS = (
    "rank", "person_id", "name", "score", "ring", *MEASURES,
    "roles", "seizure_kg", "explanation", "evidence", "evidence_count", "channels",
)  # fmt: skip

_WHY = {
    "betweenness": "{top_by} betweenness: bridges otherwise separate parts of the network",
    "pagerank": "{top_by} PageRank: tied to people who are themselves well tied",
    "eigenvector": "{top_by} eigenvector centrality: at the core of the most interconnected group",
    "degree": "{degree} direct contacts, {top_by} degree",
    "strength": "{top_by} tie strength: repeated or heavily evidenced ties",
    "kcore": "in a {kcore}-core, a group where everyone has {kcore}+ contacts inside it ({top_by} k-core)",
}


class TargetRanker:
    """Rank the people of a person graph as targets, with explanations and evidence.

    Parameters
    ----------
    profile : str, Path or RankingProfile, default "default"
        Shipped profile name, YAML path, or profile (see :class:`RankingProfile`).
    betweenness_k, engine, backend
        As for :func:`~netintel.analysis.network.centrality.centrality`.
    seed : int or None, default 0
        Seed of sampled betweenness and, when no rings are given, of Louvain.
    top : int or None, default None
        Keep only the first ``top`` rows in :attr:`ranking_` (explanations and evidence are
        then built for those rows only); :attr:`contributions_` keeps everyone.

    Attributes
    ----------
    ranking_ : pandas.DataFrame
        The target list (columns :data:`RANKING_COLUMNS`); ``attrs`` records ``engine``,
        ``betweenness_k``, ``seed`` and ``profile``.
    measures_ : pandas.DataFrame
        The full centrality table.
    rings_ : pandas.DataFrame
        ``person_id, ring`` used for the ``ring`` column.
    contributions_ : pandas.DataFrame
        ``person_id`` and one column per score component (:data:`COMPONENTS`): the profile
        weight times the component's 0..1 value. Each row sums to the person's score. Same
        order as the full ranking.
    profile_ : RankingProfile
        The loaded profile.

    Examples
    --------
    >>> G = nx.star_graph(["hub", "a", "b", "c", "d"])
    >>> nx.set_node_attributes(G, {"a": {"organizer": 1}}, "roles")
    >>> nx.set_edge_attributes(G, {("hub", "a"): ["r1", "r2"], ("hub", "b"): ["r3"]}, "sources")
    >>> ranker = TargetRanker(seed=0).fit(G)
    >>> ranker.ranking_[["rank", "person_id", "roles", "evidence"]].head(2).values.tolist()
    [[1, 'hub', '', ['r1', 'r2', 'r3']], [2, 'a', 'organizer x1', ['r1', 'r2']]]
    >>> ranker.ranking_.loc[0, "explanation"]
    '4 direct contacts, highest degree (+0.16); highest tie strength: repeated or heavily evidenced ties (+0.16); highest betweenness: bridges otherwise separate parts of the network (+0.16).'
    """

    def __init__(
        self,
        profile: str | Path | RankingProfile = "default",
        *,
        betweenness_k: int | None = None,
        seed: int | None = 0,
        engine: str = "auto",
        backend: str | None = None,
        top: int | None = None,
    ) -> None:
        self.profile = profile
        self.betweenness_k = betweenness_k
        self.seed = seed
        self.engine = engine
        self.backend = backend
        self.top = top

    def fit(self, G: nx.Graph, rings: pd.DataFrame | None = None) -> TargetRanker:
        """Rank the people of ``G``; set the attributes ending in ``_`` and return ``self``.

        Parameters
        ----------
        G : networkx.Graph
            The person graph (node attributes ``name``, ``roles``, ``seizure_kg``; edge
            attributes ``weight`` and ``sources``; see :mod:`netintel.project`).
        rings : pandas.DataFrame, optional
            ``person_id, ring``; by default Louvain with this ranker's seed.

        Raises
        ------
        AnalysisError
            If the graph is empty or invalid (e.g. a weight <= 0), a node's ``roles`` is not
            a mapping of role to count, a ``seizure_kg`` is negative, ``top < 1``, or
            ``rings`` lacks its columns.
        """
        if self.top is not None and (
            isinstance(self.top, bool) or not isinstance(self.top, int) or self.top < 1
        ):
            raise AnalysisError(f"top must be an integer >= 1 or None, got {self.top!r}")
        profile = RankingProfile.load(self.profile)
        prep = prepare(G, weight="weight", engine=self.engine, backend=self.backend)
        if prep.m == 0:
            warnings.warn(
                "the graph has no ties: scores rest on recorded roles and seizures alone",
                stacklevel=2,
            )
        measures = compute_centrality(prep, betweenness_k=self.betweenness_k, seed=self.seed)
        if rings is None:
            rings = compute_louvain(prep, resolution=1.0, seed=self.seed)
        ring = _ring_column(rings, prep.nodes)

        table = measures.set_index("person_id").reindex(prep.nodes)
        names, roles, kg = _person_attributes(prep.G)
        n = prep.n
        parts, at_or_above = _score_parts(table, roles, kg, profile)
        score = np.clip(parts.sum(axis=1), 0.0, 1.0)

        ids = pd.Series(prep.nodes)
        order = (
            pd.DataFrame({"score": -score, "person_id": ids})
            .sort_values(["score", "person_id"], kind="mergesort")
            .index.to_numpy()
        )
        keep = order if self.top is None else order[: self.top]

        ranking = pd.DataFrame({
            "rank": np.arange(1, len(keep) + 1),
            "person_id": ids.to_numpy()[keep],
            "name": [names[i] for i in keep],
            "score": score[keep],
            "ring": ring[keep],
            **{m: table[m].to_numpy()[keep] for m in MEASURES},
            "roles": [_roles_text(roles[i]) for i in keep],
            "seizure_kg": kg[keep],
        })  # fmt: skip
        degree, kcore = table["degree"].to_numpy(), table["kcore"].to_numpy()
        ranking["explanation"] = [
            _explain(
                parts[i],
                {m: int(count[i]) for m, count in at_or_above.items()},
                int(degree[i]),
                int(kcore[i]),
                roles[i],
                float(kg[i]),
                profile,
                n,
            )
            for i in keep
        ]
        ranking["evidence"] = [person_evidence(prep.G, prep.nodes[i]) for i in keep]
        ranking["evidence_count"] = ranking["evidence"].map(len).astype(np.int64)
        channels = [person_channels(prep.G, prep.nodes[i]) for i in keep]
        ranking["channels"] = [channels_text(c) for c in channels]
        ranking["explanation"] = [
            f"{text} {channels_sentence(c)}" if c else text
            for text, c in zip(ranking["explanation"], channels, strict=True)
        ]
        ranking.attrs.update(
            engine=prep.engine,
            backend=prep.backend,
            betweenness_k=measures.attrs["betweenness_k"],
            seed=self.seed,
            profile=profile.name,
            people=n,
            ties=prep.m,
        )

        self.profile_ = profile
        self.measures_ = measures
        self.rings_ = rings
        self.contributions_ = pd.DataFrame(parts[order], columns=list(COMPONENTS))
        self.contributions_.insert(0, "person_id", ids.to_numpy()[order])
        self.ranking_ = ranking
        return self


def rank_targets(
    G: nx.Graph,
    *,
    top: int | None = None,
    profile: str | Path | RankingProfile = "default",
    rings: pd.DataFrame | None = None,
    seed: int | None = 0,
    engine: str = "auto",
    betweenness_k: int | None = None,
    backend: str | None = None,
) -> pd.DataFrame:
    """The ranked target list of ``G`` (see :class:`TargetRanker` and the module's columns).

    Examples
    --------
    >>> G = nx.barbell_graph(3, 1)  # two triangles joined through person 3
    >>> targets = rank_targets(G, top=3)
    >>> print(targets[["rank", "person_id", "score", "ring", "betweenness"]].to_string(index=False))
     rank  person_id    score  ring  betweenness
        1          2 0.631944     0     0.533333
        2          4 0.631944     1     0.533333
        3          3 0.162500     0     0.600000
    >>> targets.loc[2, "explanation"]
    'Highest betweenness: bridges otherwise separate parts of the network (+0.16); 2 direct contacts.'
    """
    ranker = TargetRanker(
        profile, betweenness_k=betweenness_k, seed=seed, engine=engine, backend=backend, top=top
    )
    return ranker.fit(G, rings=rings).ranking_


def _ring_column(rings: pd.DataFrame, nodes: Sequence[Hashable]) -> NDArray[np.int64]:
    if not isinstance(rings, pd.DataFrame):
        raise AnalysisError(
            f"rings must be a DataFrame (person_id, ring), got {type(rings).__name__}"
        )
    missing = {"person_id", "ring"} - set(rings.columns)
    if missing:
        raise AnalysisError(f"rings frame lacks column(s) {sorted(missing)}")
    lookup = dict(zip(rings["person_id"], rings["ring"], strict=True))
    ring = np.array([lookup.get(u, -1) for u in nodes], dtype=np.int64)
    uncovered = int((ring == -1).sum())
    if uncovered:
        warnings.warn(
            f"{uncovered} person(s) are in no given ring; their ring is -1",
            stacklevel=3,
        )
    return ring


def _person_attributes(
    G: nx.Graph,
) -> tuple[list[str], list[Mapping[str, float]], NDArray[np.float64]]:
    """``name``, ``roles`` and ``seizure_kg`` of every node, in node order (checked)."""
    names, roles, kg = [], [], []
    for u, d in G.nodes(data=True):
        r = d.get("roles") or {}
        if not isinstance(r, Mapping) or not all(
            isinstance(c, int | float) and not isinstance(c, bool) and c >= 0 for c in r.values()
        ):
            raise AnalysisError(
                f"person {u!r}: roles must map role -> record count >= 0, got {r!r}"
            )
        names.append("" if d.get("name") is None else str(d["name"]))
        roles.append(r)
        kg.append(d.get("seizure_kg"))
    seizure = (
        pd.to_numeric(pd.Series(kg, dtype=object), errors="coerce").fillna(0.0).to_numpy(float)
    )
    if (seizure < 0).any():
        bad = list(G)[int(np.flatnonzero(seizure < 0)[0])]
        raise AnalysisError(f"person {bad!r}: seizure_kg must be >= 0")
    return names, roles, seizure


def _score_parts(
    table: pd.DataFrame,
    roles: Sequence[Mapping[str, float]],
    kg: NDArray[np.float64],
    profile: RankingProfile,
) -> tuple[NDArray[np.float64], dict[str, NDArray[np.int64]]]:
    """Each person's weighted components (columns in :data:`COMPONENTS` order), and for each
    measure the number of people at or above them (for the explanations)."""
    values: dict[str, NDArray[np.float64]] = {}
    at_or_above: dict[str, NDArray[np.int64]] = {}
    for m in MEASURES:
        values[m], at_or_above[m] = _normalise(
            table[m].to_numpy(dtype=float), profile.normalization
        )
    values["roles"] = np.array([_role_value(r, profile) for r in roles], dtype=float)
    values["seizures"] = np.clip(np.log1p(kg) / np.log1p(profile.saturation_kg), 0.0, 1.0)
    weights = profile.normalized_weights()
    return np.column_stack([weights[c] * values[c] for c in COMPONENTS]), at_or_above


def _normalise(x: NDArray[np.float64], how: str) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """(value in 0..1 by ``how``, number of people with a value >= x) for one measure."""
    n = len(x)
    below = pd.Series(x).rank(method="min").to_numpy() - 1.0  # people strictly below
    at_or_above = (n - below).astype(np.int64)
    if how == "percentile":
        value = below / (n - 1) if n > 1 else np.zeros(n)
    else:
        span = x.max() - x.min()
        value = (x - x.min()) / span if span > 0 else np.zeros(n)
    return value, at_or_above


def _role_value(roles: Mapping[str, float], profile: RankingProfile) -> float:
    total = sum(
        profile.role_values.get(r, 0.0) * (1.0 - profile.role_decay**c) for r, c in roles.items()
    )
    return min(1.0, total)


def _count(c: float) -> str:
    return str(int(c)) if float(c).is_integer() else f"{c:g}"


def _roles_text(roles: Mapping[str, float]) -> str:
    ordered = sorted((r for r in roles.items() if r[1] > 0), key=lambda rc: (-rc[1], rc[0]))
    return "; ".join(f"{r} x{_count(c)}" for r, c in ordered)


def _top_by(at_or_above: int, n: int) -> str:
    """``highest`` for a unique maximum, else ``top p% by`` (p rounded up: never flattering)."""
    if at_or_above == 1 and n > 1:
        return "highest"
    p = 100.0 * at_or_above / n
    return f"top {math.ceil(p - 1e-9)}% by" if p >= 1 else f"top {p:.1g}% by"


def _explain(
    parts: NDArray[np.float64],
    at_or_above: Mapping[str, int],
    degree: int,
    kcore: int,
    roles: Mapping[str, float],
    kg: float,
    profile: RankingProfile,
    n: int,
) -> str:
    """Plain words: the (up to) three largest ``parts`` of a person's score, with their size.

    ``parts`` is the person's row of contributions (:data:`COMPONENTS` order), ``at_or_above``
    the number of the ``n`` people at or above them by each measure.
    """
    ranked = sorted((c for c in range(len(COMPONENTS)) if parts[c] > 0), key=lambda c: -parts[c])[
        :3
    ]
    phrases = []
    for c in ranked:
        comp = COMPONENTS[c]
        if comp == "roles":
            held = sorted(
                (r for r in roles.items() if profile.role_values.get(r[0], 0) > 0 and r[1] > 0),
                key=lambda rc: (
                    -profile.role_values[rc[0]] * (1 - profile.role_decay ** rc[1]),
                    rc[0],
                ),
            )
            text = "recorded as " + " and ".join(
                f"{r} in {_count(n)} arrest{'' if n == 1 else 's'}" for r, n in held
            )
        elif comp == "seizures":
            text = f"linked to {kg:,.1f} kg of seizures"
        else:
            text = _WHY[comp].format(
                top_by=_top_by(at_or_above[comp], n),
                degree=degree,
                kcore=kcore,
            )
        phrases.append(f"{text} (+{parts[c]:.2f})")
    if "degree" not in {COMPONENTS[c] for c in ranked}:
        phrases.append(f"{degree} direct contact{'' if degree == 1 else 's'}")
    if not ranked:
        phrases.insert(0, "no measure, recorded role or seizure lifts this person above others")
    text = "; ".join(phrases)
    return text[0].upper() + text[1:] + "."
