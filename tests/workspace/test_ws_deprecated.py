"""The flat names of the 0.1 workspace stay one release: each warns, naming its new home, and
answers as that new home does; ``since=`` / ``until=`` are accepted by them alone."""

from __future__ import annotations

import re

import networkx as nx
import pandas as pd
import pytest

from netintel.analysis.hidden import LinkPredictor
from netintel.errors import InvalidValueError, ReadOnlyError

MOVED = {
    "communities": (lambda ws: ws.communities(seed=1, since="2023"),
                    lambda ws: ws.network.rings(seed=1, window="since 2023"), "ws.network.rings"),
    "ring_profiles": (lambda ws: ws.ring_profiles(runs=2, until="2024"),
                      lambda ws: ws.network.ring_profiles(runs=2, window="until 2024"),
                      "ws.network.ring_profiles"),
    "brokers": (lambda ws: ws.brokers("country", top=5, since="2023", until="2023-06"),
                lambda ws: ws.network.brokers("country", top=5, window="2023 to 2023-06"),
                "ws.network.brokers"),
    "learned_ranking": (lambda ws: ws.learned_ranking(_labels(ws), folds=2),
                        lambda ws: ws.network.learned_ranking(_labels(ws), folds=2),
                        "ws.network.learned_ranking"),
    "directed_graph": (lambda ws: ws.directed_graph(since="2023"),
                       lambda ws: ws.network.directed_graph(window="since 2023"),
                       "ws.network.directed_graph"),
    "person_groups": (lambda ws: ws.person_groups("ring", until="2023"),
                      lambda ws: ws.network.person_groups("ring", window="until 2023"),
                      "ws.network.person_groups"),
    "person_places": (lambda ws: ws.person_places(), lambda ws: ws.network.person_places(),
                      "ws.network.person_places"),
    "key_players": (lambda ws: ws.key_players(3, since="2023"),
                    lambda ws: ws.dismantle.key_players(3, window="since 2023"),
                    "ws.dismantle.key_players"),
    "disrupt": (lambda ws: ws.disrupt(["degree"], steps=3, until="2023"),
                lambda ws: ws.dismantle.disrupt(["degree"], steps=3, window="until 2023"),
                "ws.dismantle.disrupt"),
    "successors": (lambda ws: ws.successors(_top(ws), top=3),
                   lambda ws: ws.dismantle.successors(_top(ws), top=3),
                   "ws.dismantle.successors"),
    "routes": (lambda ws: ws.routes(top=3, since="2022"),
               lambda ws: ws.routes.corridors(top=3, window="since 2022"),
               "ws.routes.corridors"),
    "chokepoints": (lambda ws: ws.chokepoints(top=2), lambda ws: ws.routes.chokepoints(top=2),
                    "ws.routes.chokepoints"),
    "corridor_people": (lambda ws: ws.corridor_people(top=1),
                        lambda ws: ws.routes.corridor_people(top=1),
                        "ws.routes.corridor_people"),
    "routes_geojson": (lambda ws: ws.routes_geojson(top=2),
                       lambda ws: ws.routes.geojson(top=2, rings=False), "ws.routes.geojson"),
    "route_tables": (lambda ws: ws.route_tables(), lambda ws: ws.routes.tables(),
                     "ws.routes.tables"),
    "timeline": (lambda ws: ws.timeline(period="year", engine="igraph", since="2023"),
                 lambda ws: ws.time.timeline(period="year", engine="igraph", window="since 2023"),
                 "ws.time.timeline"),
    "link_predictor": (lambda ws: ws.link_predictor(seed=2, cv=2),
                       lambda ws: ws.hidden.link_predictor(predictor=LinkPredictor(seed=2, cv=2)),
                       "ws.hidden.link_predictor"),
    "suggest_links": (lambda ws: ws.suggest_links(top=3, until="2024"),
                      lambda ws: ws.hidden.suggest_links(top=3, window="until 2024"),
                      "ws.hidden.suggest_links"),
    "people": (lambda ws: ws.people(), lambda ws: ws.records.people(), "ws.records.people"),
    "stats": (lambda ws: ws.stats(), lambda ws: ws.query.stats(), "ws.query.stats"),
    # the writers: on a read-only store they warn, then the store refuses
    "resolve": (lambda ws: ws.resolve(), None, "ws.records.resolve"),
    "review_apply": (lambda ws: ws.review_apply(_decisions(ws)), None, "ws.records.review_apply"),
    "split_person": (lambda ws: ws.split_person(_merged(ws)), None, "ws.records.review_split"),
}  # fmt: skip


def _top(ws) -> str:
    return ws.rank_targets(top=1)["person_id"][0]


def _labels(ws) -> dict[str, int]:
    ranked = ws.rank_targets(top=30)["person_id"]
    return {pid: int(i < 6) for i, pid in enumerate(ranked)}


def _merged(ws) -> str:
    people = ws.records.people().dropna(subset=["resolved_id"])
    return people[people["person_id"] != people["resolved_id"]]["person_id"].iloc[0]


def _decisions(ws) -> pd.DataFrame:
    people = ws.records.people()["person_id"]
    return pd.DataFrame({"left_id": [people[0]], "right_id": [people[1]], "decision": ["reject"]})


def _same(a: object, b: object) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, nx.Graph):
        assert nx.utils.graphs_equal(a, b)
    elif isinstance(a, LinkPredictor):
        _same(a.suggest(top=5), b.suggest(top=5))
    elif hasattr(a, "players"):  # a key-player plan
        _same(a.players, b.players)
    elif hasattr(a, "replacements"):  # a timeline
        _same(a.timeline, b.timeline)
    elif hasattr(a, "ranking_"):  # a learned ranking
        _same(a.ranking_, b.ranking_)
    elif hasattr(a, "seizures"):  # route tables
        _same(a.seizures, b.seizures)
    else:
        assert a == b


@pytest.mark.parametrize("name", list(MOVED))
def test_a_01_name_warns_and_answers_as_its_new_home(ws, name):
    old, new, home = MOVED[name]
    warning = rf"Workspace\.{name}(\(\.\.\.\))? is deprecated .*use {re.escape(home)}"
    if new is None:
        with pytest.warns(DeprecationWarning, match=warning), pytest.raises(ReadOnlyError):
            old(ws)
        return
    with pytest.warns(DeprecationWarning, match=warning) as caught:
        got = old(ws)
    assert caught[0].filename == __file__  # stacklevel 2: the warning points at the caller
    _same(got, new(ws))


def test_only_the_01_names_take_since_and_until(ws):
    with pytest.raises(TypeError):
        ws.network.rings(since="2023")
    with pytest.raises(TypeError):
        ws.graph(until="2024")
    with pytest.warns(DeprecationWarning), pytest.raises(InvalidValueError, match="not both"):
        ws.communities(since="2023", window="2023")
