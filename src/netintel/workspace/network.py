"""The network wing, ``ws.network``: who matters, which rings, who brokers between them.

Rings and measures run in-process on the person graph, or inside Neo4j Graph Data Science:
:mod:`netintel.workspace.engine` is the one place that chooses.

Anyone can be named in any spelling, by an alias, a phone in any format, an ID, a plate or
a person id: :meth:`NetworkWing.find` lists who a text names, :meth:`NetworkWing.person`
gives the one person id every analysis taking a person accepts
(:mod:`netintel.resolve.find`).

Examples
--------
>>> ws.network.rank_targets(top=3, window="2023")["rank"].tolist()
[1, 2, 3]
>>> ws.network.find("nguyen minh cong tuan").loc[0, "person_id"] == ws.person("Nguyễn Minh Công Tuấn")
True
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pandas as pd

from netintel.errors import AnalysisError
from netintel.workspace._wing import Wing, audited
from netintel.workspace.engine import gds_rings, uses_gds
from netintel.workspace.window import WindowLike, as_window

if TYPE_CHECKING:
    from netintel.analysis.network import LearnedRanker
    from netintel.analysis.network.paths import EvidencePaths, Neighbourhood

PathLike = str | Path
Labels = PathLike | pd.Series | Mapping[str, int]


class NetworkWing(Wing):
    """Targets, rings, ring profiles, brokers, centrality, a learned ranking (``ws.network``)."""

    word = "network"
    _people: tuple[dict, pd.DataFrame, pd.Series] | None = None

    def _identities(self) -> tuple[pd.DataFrame, pd.Series]:
        """What identifies each resolved person (:func:`netintel.resolve.find.identities`)
        and the resolved names, read once per read of the projection's tables."""
        tables = self._ws.tables()
        if self._people is None or self._people[0] is not tables:
            from netintel.resolve import read_persons
            from netintel.resolve.find import identities

            persons = tables["persons"]
            resolved = {
                member: rid
                for rid, members in zip(persons["person_id"], persons["members"], strict=True)
                for member in members
            }
            people = identities(read_persons(self._ws.store), resolved)
            self._people = (tables, people, persons.set_index("person_id")["name"])
        return self._people[1], self._people[2]

    @audited()
    def find(self, text: str, *, top: int | None = 10) -> pd.DataFrame:
        """The resolved people ``text`` names, best first: a name in any spelling or word
        order (``"le xuan hai"``, ``"Hải Lê Xuân"``), part of a name (``"Syphet"``), an
        alias, a phone in any format (``"0912 345 678"``, ``"+84 912345678"``, a local
        number without its country code), a national ID, a passport, a plate or a person id.

        Returns
        -------
        DataFrame
            ``person_id, name, score, matched, value, variants, phones, national_ids,
            passports, plates, members, sources`` (:func:`netintel.resolve.find.find`):
            the field that matched and the recorded value, every spelling, phone and ID
            the records give each person, the record-level people and the records.

        Examples
        --------
        >>> found = ws.find("nguyen minh cong tuan")
        >>> found.loc[0, "name"], float(found.loc[0, "score"]), found.loc[0, "matched"]
        ('Nguyễn Minh Công Tuấn', 1.0, 'name')
        >>> phone = found.loc[0, "phones"][0]
        >>> ws.find(phone.replace("+84", "0"))["person_id"].iloc[0] == found.loc[0, "person_id"]
        True
        """
        from netintel.resolve.find import find

        people, names = self._identities()
        return find(people, text, top=top, names=names)

    @audited()
    def person(self, text: str) -> str:
        """The resolved person id ``text`` names (anything :meth:`find` accepts).

        Raises
        ------
        InputError
            Naming the text and the nearest names, when nobody matches well enough or
            several people match equally (``"Syphet"`` when two people are called Syphet).

        Examples
        --------
        >>> ws.person("nguyen minh cong tuan") == ws.person("Tuấn Nguyễn Minh Công")
        True
        >>> ws.person("Nobody Atall")
        Traceback (most recent call last):
        ...
        netintel.errors.InputError: no person matches 'Nobody Atall'; nearest: ...
        """
        from netintel.resolve.find import person

        people, names = self._identities()
        return person(people, text, names=names)

    @audited()
    def path(self, a: str, b: str, *, k: int = 3, window: WindowLike = None) -> EvidencePaths:
        """How ``a`` and ``b`` are tied, as evidence: the shortest path between them by
        evidence distance and ``k - 1`` alternatives, over resolved people, every step a
        sentence naming its records (:func:`netintel.analysis.network.paths.evidence_paths`).

        ``a`` and ``b`` are anything :meth:`find` accepts. A name several people share
        equally (``"Syphet"``) stands for all of them: the shortest path to each comes
        first, and ``notes`` says so.

        Returns
        -------
        EvidencePaths
            ``steps`` (one row per step: ``path, step, from_id, from_name, to_id, to_name,
            kind, sentence, records, first_seen, last_seen, distance, path_distance``),
            ``sentences`` (each path in words), ``graph`` and ``notes``.

        Examples
        --------
        >>> top = ws.rank_targets(top=2)
        >>> found = ws.path(top.loc[0, "name"], top.loc[1, "person_id"])
        >>> int(found.steps["path"].min()), found.sentences[0].startswith(top.loc[0, "name"])
        (1, True)
        """
        from netintel.analysis.network.paths import EvidencePaths, evidence_paths, path_sentences

        ends = [self.people(a), self.people(b)]
        notes = [
            f"{text!r} names {len(ids)} people equally: "
            + ", ".join(f"{self._name(i)} ({i})" for i in ids)
            + "; paths to each are shown"
            for text, ids in zip((a, b), ends, strict=True)
            if len(ids) > 1
        ]
        G = self._ws.graph(window=window)
        steps = evidence_paths(G, ends[0], ends[1], k=k, tables=self._ws.tables())
        if steps.empty:
            notes.append(f"no chain of ties joins {a!r} and {b!r} in this window")
        on_path = set(steps["from_id"]) | set(steps["to_id"])
        sub = G.edge_subgraph(zip(steps["from_id"], steps["to_id"], strict=True)).copy()
        sub.add_nodes_from((n, G.nodes[n]) for n in on_path | set(ends[0]) | set(ends[1]))
        return EvidencePaths(steps, path_sentences(steps), sub, notes)

    @audited()
    def neighbourhood(
        self, person: str, *, hops: int = 1, window: WindowLike = None
    ) -> Neighbourhood:
        """The people within ``hops`` ties of ``person`` (anything :meth:`find` accepts),
        the ties among them with their sentences and records, and the subgraph
        (:func:`netintel.analysis.network.paths.neighbourhood`).

        Examples
        --------
        >>> around = ws.neighbourhood(ws.rank_targets(top=1).loc[0, "name"], hops=1)
        >>> int(around.people.loc[0, "hops"]), bool((around.people["hops"] <= 1).all())
        (0, True)
        >>> around.ties.loc[0, "from_id"] == around.person
        True
        """
        from netintel.analysis.network.paths import Neighbourhood, neighbourhood

        pid = self.person(person)
        G = self._ws.graph(window=window)
        sub, ties = neighbourhood(G, pid, hops=hops, tables=self._ws.tables())
        ids = sorted(sub, key=lambda n: (sub.nodes[n]["hops"], -sub.degree(n), str(n)))
        people = pd.DataFrame(
            {
                "person_id": ids,
                "name": [sub.nodes[n].get("name") or n for n in ids],
                "hops": [sub.nodes[n]["hops"] for n in ids],
                "ties": [sub.degree(n) for n in ids],
                "records": [sorted(sub.nodes[n].get("sources") or []) for n in ids],
            }
        )
        return Neighbourhood(pid, people, ties, sub)

    def _name(self, person_id: str) -> str:
        _, names = self._identities()
        return str(names.get(person_id, person_id))

    def people(self, text: str) -> list[str]:
        """Every person ``text`` names equally well (one id, or several for a partial
        name several people share); :class:`~netintel.errors.InputError` when none does.

        >>> len(ws.network.people(ws.person("NGUYỄN MINH CÔNG TUẤN")))
        1
        """
        from netintel.resolve.find import matches

        people, names = self._identities()
        return matches(people, text, names=names)

    @audited()
    def rank_targets(
        self,
        *,
        top: int | None = None,
        window: WindowLike = None,
        profile: str | PathLike = "default",
        seed: int = 0,
        engine: str = "auto",
        betweenness_k: int | None = None,
        labels: Labels | None = None,
    ) -> pd.DataFrame:
        """The ranked target list, each row with its ``explanation`` and ``evidence``
        (columns: :func:`netintel.analysis.network.rank_targets`), on the window's evidence.

        With ``labels`` (confirmed roles) it is the :meth:`learned_ranking`, same columns. On
        GDS the rings come from Graph Data Science, the measures are computed in-process.

        Examples
        --------
        >>> list(ws.network.rank_targets(top=5).columns[:5])
        ['rank', 'person_id', 'name', 'score', 'ring']
        """
        from netintel.analysis.network import rank_targets

        w = as_window(window)
        if labels is not None:
            learned = self.learned_ranking(
                labels, top=top, window=w, profile=profile, seed=seed,
                engine="auto" if engine == "gds" else engine, betweenness_k=betweenness_k,
            )  # fmt: skip
            return learned.ranking_
        rings = gds_rings(self._ws, w, engine=engine, algorithm="louvain", seed=seed, resolution=1)
        return rank_targets(
            self._ws.graph(window=w), top=top, profile=profile, rings=rings, seed=seed,
            engine="auto" if rings is not None else engine, betweenness_k=betweenness_k,
        )  # fmt: skip

    @audited()
    def rings(
        self,
        *,
        window: WindowLike = None,
        algorithm: str = "louvain",
        seed: int = 0,
        resolution: float = 1.0,
        engine: str = "auto",
    ) -> pd.DataFrame:
        """Rings: ``person_id, name, ring`` (the largest ring is 0), by ``"louvain"`` or
        ``"leiden"`` (:func:`netintel.analysis.network.rings.detect_rings`; on GDS:
        :func:`netintel.store.gds.communities`).

        Examples
        --------
        >>> ws.network.rings(algorithm="leiden", window="2023")["ring"].nunique() > 1
        True
        """
        from netintel.analysis.network import detect_rings

        w = as_window(window)
        options = {"algorithm": algorithm, "seed": seed, "resolution": resolution}
        found = gds_rings(self._ws, w, engine=engine, **options)
        if found is not None:
            return found
        G = self._ws.graph(window=w)
        rings = detect_rings(G, engine=engine, **options)
        rings.insert(1, "name", rings["person_id"].map(nx.get_node_attributes(G, "name")))
        return rings

    @audited()
    def ring_profiles(
        self,
        *,
        window: WindowLike = None,
        algorithm: str = "louvain",
        seed: int = 0,
        resolution: float = 1.0,
        runs: int = 10,
        top: int = 3,
        engine: str = "auto",
    ) -> pd.DataFrame:
        """One row per ring: size, leaders, brokers, places, countries, drugs, seized kg,
        activity, stability over ``runs`` reseeded runs, evidence
        (:func:`netintel.analysis.network.ring_profiles`). The rings are detected once: the
        ranking naming the leaders, the brokers and the stability all read those rings.

        Examples
        --------
        >>> bool(ws.network.ring_profiles(runs=2)["stability"].between(0, 1).all())
        True
        """
        from netintel.analysis.network import brokerage, rank_targets, ring_profiles, ring_stability
        from netintel.project.directed import person_activity

        w = as_window(window)
        G = self._ws.graph(window=w)
        rings = self.rings(
            window=w, algorithm=algorithm, seed=seed, resolution=resolution, engine=engine
        )
        groups = rings.rename(columns={"ring": "group"})[["person_id", "group"]]
        activity = person_activity(self._ws.store, self._ws.tables())
        inside = w.contains(activity["date"]) & w.contains(activity["seizure_date"])
        stability = ring_stability(
            G, runs=runs, seed=seed, resolution=resolution, algorithm=algorithm, rings=rings
        )
        return ring_profiles(
            G, rings, activity=activity[inside], countries=self.person_places(),
            ranking=rank_targets(G, rings=rings, seed=seed), stability=stability, top=top,
            brokers=brokerage(G, groups, directed=self.directed_graph(window=w)),
        )  # fmt: skip

    @audited()
    def brokers(
        self,
        by: str = "ring",
        *,
        top: int | None = None,
        window: WindowLike = None,
        seed: int = 0,
        algorithm: str = "louvain",
        groups: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        """Brokers across rings, provinces or countries (``by``), best first: Gould-Fernandez
        roles, participation and brokerage score (:func:`netintel.analysis.network.brokerage`).
        ``groups`` (``person_id, group``) replaces the grouping ``by`` names.

        Examples
        --------
        >>> list(ws.network.brokers("country", top=3).columns[:3])
        ['person_id', 'name', 'group']
        """
        from netintel.analysis.network import brokerage

        w = as_window(window)
        given = groups is not None
        if groups is None:
            groups = self.person_groups(by, window=w, seed=seed, algorithm=algorithm)
        table = brokerage(
            self._ws.graph(window=w), groups, directed=self.directed_graph(window=w), top=top
        )
        table.attrs["by"] = "given" if given else by
        return table

    @audited()
    def centrality(
        self,
        *,
        window: WindowLike = None,
        betweenness_k: int | None = None,
        seed: int = 0,
        engine: str = "auto",
    ) -> pd.DataFrame:
        """Degree, strength, betweenness, PageRank, eigenvector and k-core of every person
        (:func:`netintel.analysis.network.centrality`; on GDS: :func:`.gds.centrality`).

        Examples
        --------
        >>> list(ws.network.centrality().columns[:3])
        ['person_id', 'degree', 'strength']
        """
        w = as_window(window)
        if uses_gds(self._ws.store, engine):
            from netintel.store import gds

            return gds.centrality(
                self._ws.store, betweenness_k=betweenness_k, seed=seed,
                settings=self._ws.projection_settings(w),
            )  # fmt: skip
        from netintel.analysis.network import centrality

        G = self._ws.graph(window=w)
        return centrality(G, betweenness_k=betweenness_k, seed=seed, engine=engine)

    @audited()
    def learned_ranking(
        self,
        labels: Labels,
        *,
        top: int | None = None,
        window: WindowLike = None,
        folds: int = 5,
        profile: str | PathLike = "default",
        seed: int = 0,
        engine: str = "auto",
        betweenness_k: int | None = None,
    ) -> LearnedRanker:
        """A :class:`~netintel.analysis.network.learned.LearnedRanker` trained on confirmed
        roles: ``labels`` is a labels file (:func:`~netintel.analysis.network.read_labels`) or
        a ``person_id -> 0/1`` mapping. Its ``ranking_`` has the columns of
        :meth:`rank_targets`; ``cv_`` and ``importances_`` say how far to trust it.

        Examples
        --------
        >>> ws.network.learned_ranking("confirmed.csv", top=10).ranking_  # doctest: +SKIP
        """
        from netintel.analysis.network import LearnedRanker, read_labels

        G = self._ws.graph(window=window)
        if isinstance(labels, str | Path):
            people = self._ws.records.people()
            labels = read_labels(labels, people[people["person_id"].isin(list(G))])
        return LearnedRanker(
            folds=folds, profile=profile, seed=seed, engine=engine, betweenness_k=betweenness_k,
            top=top,
        ).fit(G, labels)  # fmt: skip

    def changes(
        self, run: str | None = None, *, against: str | None = None, top: int = 20
    ) -> pd.DataFrame:
        """Who entered, left, rose or fell in the top ``top`` between two recorded ranking
        runs, and the new records behind each change
        (:meth:`ws.changes.compare <netintel.workspace.changes.ChangesWing.compare>`).

        Examples
        --------
        >>> ws.network.changes(top=20)  # doctest: +SKIP
        """
        return self._ws.changes.compare(run, against=against, top=top)

    @audited()
    def directed_graph(self, *, window: WindowLike = None) -> nx.DiGraph:
        """The directed person graph: calls caller -> callee, money transfers as recorded,
        other links both ways (:mod:`netintel.project.directed`).

        >>> ws.network.directed_graph(window="2023").is_directed()
        True
        """
        from netintel.project.directed import build_directed_graph

        return build_directed_graph(self._ws.tables(), self._ws.projection_settings(window))

    @audited()
    def person_groups(
        self,
        by: str = "ring",
        *,
        window: WindowLike = None,
        seed: int = 0,
        algorithm: str = "louvain",
        resolution: float = 1.0,
    ) -> pd.DataFrame:
        """``person_id, group``: the ring (detected), home province or country (``by``) of
        everyone; people the store gives no province or country have ``None``.

        >>> bool(ws.network.person_groups("country")["group"].isin(["VN", "LA"]).any())
        True
        """
        if by == "ring":
            rings = self.rings(window=window, seed=seed, algorithm=algorithm, resolution=resolution)
            return pd.DataFrame({"person_id": rings["person_id"], "group": rings["ring"]})
        if by in ("province", "country"):
            places = self.person_places()
            return pd.DataFrame({"person_id": places["person_id"], "group": places[by]})
        raise AnalysisError(f"unknown grouping {by!r}; use ring, province or country")

    @audited()
    def person_places(self) -> pd.DataFrame:
        """Each person's home province and country, with the rule that gave each:
        ``person_id, province, country, province_source, country_source``
        (:func:`netintel.project.directed.person_places`).

        >>> list(ws.network.person_places().columns[:3])
        ['person_id', 'province', 'country']
        """
        from netintel.project.directed import person_places

        return person_places(self._ws.store, self._ws.tables())

    @audited()
    def view(
        self,
        what: object = None,
        *,
        top: int | None = None,
        ring: int | str | None = None,
        around: str | None = None,
        hops: int = 1,
        between: tuple[str, str] | None = None,
        people: list[str] | None = None,
        window: WindowLike = None,
        color: str = "ring",
        max_people: int | None = None,
        title: str | None = None,
        height: int = 600,
        seed: int = 0,
    ) -> object:
        """The network as a clickable picture (an ipysigma widget, offline): people labelled
        by name, sized by score, coloured by ring (``color="role"``, ``"country"``), ties
        coloured by kind and sized by evidence; a click shows a person's explanation and
        records, a tie's records and dates (:func:`netintel.report.view.network_view`).

        ``what`` is a person (any spelling, phone or ID: the people within ``hops`` of
        them), a list of person ids, a table with ``person_id`` (a ranking, a ring), a
        Cypher result returning Person nodes, or a :meth:`path` or :meth:`neighbourhood`
        result. Otherwise the cut is ``top``, ``ring``,
        ``around``, ``between`` (two people: the shortest path by evidence) or ``people``;
        at most ``max_people`` (150) are drawn, and the cut is said in the title.
        :func:`netintel.report.view.write_html` saves it as one offline HTML file.

        Examples
        --------
        >>> view = ws.network.view(top=10)
        >>> len(view.cut.people), view.cut.caption.split(":")[0]
        (10, 'Top 10 people by score')
        """
        from netintel.workspace.view import show

        return show(
            self._ws, what, top=top, ring=ring, around=around, hops=hops, between=between,
            people=people, window=window, color=color, max_people=max_people, title=title,
            height=height, seed=seed,
        )  # fmt: skip
