"""Graph Data Science inside Neo4j, checked against the in-process engine on a live server.

Without a server: every statement of :mod:`netintel.store.gds` is parameterised, and GDS
on the embedded store says what it needs. With the session's Neo4j 5.26 + GDS 2.13 (the root
conftest's ``neo4j_server``): every statement is accepted (``EXPLAIN``); the projection is the
in-process person graph, pair for pair and weight for weight, for several settings; the
measures, components and rings equal (or are as good as, or differ as documented from) the
NetworkX ones on fixtures/small, on the synthetic set of ``netintel evaluate`` and on every
published network under ../shared/data/real; write-back and engine choice work as a user
needs them.

The database of the session's server is emptied whenever another data set is loaded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy.stats import spearmanr
from sklearn.metrics import normalized_mutual_info_score as nmi
from typer.testing import CliRunner

import netintel
from netintel.analysis.network.centrality import centrality
from netintel.analysis.network.rings import detect_rings
from netintel.analysis.weights import strength_to_distance, strength_to_distance_cypher
from netintel.cli import app
from netintel.errors import AnalysisError, ReadOnlyError
from netintel.ingest.matrix import network_folders
from netintel.project import DEFAULT_KIND_WEIGHTS, ProjectionSettings, project
from netintel.schema import load_schema
from netintel.store import gds
from netintel.store.gds.algorithms import _per_component as per_component
from netintel.store.neo4j import Neo4jSettings, Neo4jStore
from netintel.synthetic import generate, write
from netintel.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small"
SMALL_FILES = {k: SMALL / f"{k}.csv" for k in ("arrests", "seizures", "communications", "links")}
REAL = ROOT.parent / "shared" / "data" / "real"
REAL_NETWORKS = {n.name: n.matrix for n in network_folders(REAL)} if REAL.is_dir() else {}
HOSTILE = "x'}) DETACH DELETE n //"
SCHEMA = load_schema()
SETTINGS = {
    "default": ProjectionSettings(),
    "window": ProjectionSettings(since="2023-03", until="2023-09"),
    "half-life": ProjectionSettings(half_life_days=90),
    "half-life, reference date, since": ProjectionSettings(
        half_life_days=30, reference_date="2024-01-01", since="2022-06"
    ),
    "kind weights, max_group": ProjectionSettings(
        kind_weights={
            **DEFAULT_KIND_WEIGHTS,
            "co_arrest": 2.0,
            "call": 0.0,
            "link:money_transfer": 3.0,
            "link:other": 0.1,
        },
        max_group=3,
    ),
    "no kind weighs anything": ProjectionSettings(
        kind_weights=dict.fromkeys(DEFAULT_KIND_WEIGHTS, 0.0)
    ),
}
REL = 1e-6  # relative tolerance of "equal" measures


# -- statements, without a server ------------------------------------------------------------
_LITERAL = re.compile(r"'((?:[^'\\]|\\.)*)'")
_LABEL = re.compile(r"\(\s*\w*\s*:\s*([A-Za-z_]\w*)")
_TYPE = re.compile(r"\[\s*\w*\s*:\s*([A-Za-z_]\w*)")
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")
#: String literals the statements may hold: fixed words of netintel, never data.
FIXED_WORDS = {*gds.TIE_KINDS, "link:", "other", gds.TIE, gds.SELF, ""}


def test_statements_are_parameterised():
    hostile = ProjectionSettings(
        kind_weights={"co_arrest": 2.0, f"link:{HOSTILE}": 0.9}, half_life_days=30
    )
    for settings in [*SETTINGS.values(), hostile]:
        for what, text, params in gds.statements(settings):
            assert set(_LITERAL.findall(text)) <= FIXED_WORDS, (what, text)
            assert set(_LABEL.findall(text)) <= set(SCHEMA.nodes), (what, text)
            assert set(_TYPE.findall(text)) <= set(SCHEMA.relationships), (what, text)
            assert set(_PARAM.findall(text)) <= set(params), (what, text)
            assert HOSTILE not in text


def test_projection_settings_travel_as_parameters():
    settings = ProjectionSettings(
        kind_weights={"co_arrest": 2.0, f"link:{HOSTILE}": 0.9},
        since="2023",
        until="2023-06",
        half_life_days=30,
        reference_date="2023-07-01",
        max_group=7,
    )
    params = gds.projection_parameters(settings, "g")
    assert params["kind_weights"][f"link:{HOSTILE}"] == 0.9
    assert params["kind_weights"]["co_arrest"] == 2.0
    assert (str(params["since"]), str(params["until"])) == ("2023-01-01", "2023-06-30")
    assert (params["half_life"], str(params["reference"]), params["max_group"]) == (
        30.0,
        "2023-07-01",
        7,
    )
    text = gds.projection_statement(settings)
    assert HOSTILE not in text and "2023" not in text and "$since" in text
    # a window is a filter of the projection, never refused
    assert "$since" not in gds.projection_statement(ProjectionSettings())
    with pytest.raises(AnalysisError, match="since '20x3'"):
        gds.projection_parameters(ProjectionSettings(since="20x3"), "g")


def test_the_projected_distance_is_the_in_process_rule():
    for strength in (0.25, 1.0, 3.0):
        # the Cypher expression is arithmetic Python reads the same way
        got = eval(strength_to_distance_cypher("w"), {}, {"w": strength})
        assert got == pytest.approx(strength_to_distance(strength))


def test_bad_options_are_refused_before_the_server_is_asked():
    with pytest.raises(AnalysisError, match="seed must be an integer or None, got 'x'"):
        gds.centrality(None, seed="x")
    with pytest.raises(AnalysisError, match="betweenness_k must be an integer >= 2"):
        gds.centrality(None, betweenness_k=1)
    with pytest.raises(AnalysisError, match="resolution must be a number > 0, got 'high'"):
        gds.communities(None, algorithm="leiden", resolution="high")
    with pytest.raises(AnalysisError, match="unknown ring algorithm 'walktrap'"):
        gds.communities(None, algorithm="walktrap")
    with pytest.raises(AnalysisError, match="kind weight 'call': 'lots'"):
        gds.projection_statement(ProjectionSettings(kind_weights={"call": "lots"}))
    alone = gds.Projection(None, "g", 1, 0, "2.13", ("P-1",))
    with pytest.raises(AnalysisError, match="no GDS stream 'closeness'"):
        alone.stream("closeness")


def test_gds_on_the_embedded_store_says_what_it_needs(tmp_path):
    from netintel.store.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "g.db") as store:
        with pytest.raises(AnalysisError, match=r"this store is embedded.*--engine networkx"):
            gds.require_gds(store)
        assert gds.wants_gds("auto", store) is False
        with pytest.raises(AnalysisError, match="Neo4j server with Graph Data Science"):
            gds.communities(store)


# -- the live server ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def store(neo4j_server):
    with Neo4jStore(settings=Neo4jSettings.from_env(env=neo4j_server)) as s:
        yield s


class _Loaded:
    """The data set in the session's database: loading another empties it first."""

    name: str | None = None


@dataclass
class Network:
    """A network loaded into the session's database, and its in-process person graph."""

    name: str
    store: Neo4jStore
    G: nx.Graph = None

    def __post_init__(self) -> None:
        self.G = project(self.store)


def _load(store: Neo4jStore, name: str, ingest: Callable[[Workspace], object]) -> Neo4jStore:
    if _Loaded.name != name:
        _Loaded.name = None
        store.query("MATCH (n) DETACH DELETE n", write=True)
        ingest(Workspace(store))  # with entity resolution, as `netintel ingest` does
        _Loaded.name = name
    return store


NETWORKS = ["small", "synthetic", *(sorted(REAL_NETWORKS) or ["real networks absent"])]


@pytest.fixture(scope="module", params=NETWORKS)
def network(request, store, tmp_path_factory):
    """One network by name: "small", "synthetic" (the set of `netintel evaluate`: 2,000
    records, seed 0, planted rings) or a published network, read as `--matrix FILE --kind
    communications`. Module-scoped, so pytest runs every test of one network together."""
    name = request.param
    if name == "small":
        return Network(name, _load(store, name, lambda ws: ws.ingest(**SMALL_FILES)))
    if name == "synthetic":

        def ingest(ws: Workspace) -> None:
            files = write(generate(2000, seed=0), tmp_path_factory.mktemp("synthetic"))
            ws.ingest(**{k: files[k] for k in ("arrests", "seizures", "communications", "links")})

        return Network(name, _load(store, name, ingest))
    if name not in REAL_NETWORKS:
        pytest.skip(f"the real networks folder {REAL} is absent")
    matrix = REAL_NETWORKS[name]
    return Network(
        name,
        _load(store, name, lambda ws: ws.ingest(matrices=matrix, matrix_kind="communications")),
    )


def _ties(store: Neo4jStore, projection: gds.Projection) -> dict[frozenset, dict[str, float]]:
    out = store._run(
        "CALL gds.graph.relationshipProperties.stream($g, ['weight', 'distance'], [$tie]) "
        "YIELD sourceNodeId, targetNodeId, relationshipProperty, propertyValue "
        "RETURN gds.util.asNode(sourceNodeId).id AS u, gds.util.asNode(targetNodeId).id AS v, "
        "relationshipProperty AS p, propertyValue AS x",
        {"g": projection.name, "tie": gds.TIE},
        write=False,
    )
    ties: dict[frozenset, dict[str, float]] = {}
    for u, v, p, x in out.itertuples(index=False):
        ties.setdefault(frozenset((u, v)), {})[p] = x
    return ties


def test_every_statement_is_accepted_by_the_server(store):
    seen = set()
    for settings in SETTINGS.values():
        for what, text, params in gds.statements(settings):
            if text in seen:  # the calls, write-back and drop do not depend on the settings
                continue
            seen.add(text)
            plan = store._run("EXPLAIN " + text, params, write=what == "write back")
            assert plan.empty, what
    assert len(seen) > len(gds.STREAMS) + len(SETTINGS)


@pytest.mark.parametrize("network", ["small"], indirect=True)
@pytest.mark.parametrize("case", list(SETTINGS))
def test_projection_is_the_in_process_person_graph(network, case):
    small, settings = network.store, SETTINGS[case]
    with pytest.warns(UserWarning) if settings.max_group < 50 else nullcontext():
        G = project(small, settings)
    with gds.projected(small, settings) as g:
        ties = _ties(small, g) if g.ties else {}
        people = set(g.values("degree").index)
        assert (g.people, g.ties) == (G.number_of_nodes(), G.number_of_edges())
    assert people == set(G)  # every resolved person, isolates too
    assert set(ties) == {frozenset(e) for e in G.edges}
    for u, v, weight in G.edges(data="weight"):
        got = ties[frozenset((u, v))]
        assert got["weight"] == pytest.approx(weight, rel=1e-9), (u, v)
        assert got["distance"] == pytest.approx(1.0 / weight, rel=1e-9), (u, v)
    if case == "window":  # the window leaves people without ties in it
        assert nx.number_of_isolates(G) > 0
    if case == "no kind weighs anything":  # no ties at all: GDS cannot hold the graph
        assert G.number_of_edges() == 0 and G.number_of_nodes() > 0
        got = gds.centrality(small, settings=settings).set_index("person_id")
        want = centrality(G).set_index("person_id")
        assert_frame_equal(got.reindex(want.index), want, check_exact=False, rtol=REL)
        rings = gds.communities(small, settings=settings)
        assert rings["ring"].nunique() == len(rings) == G.number_of_nodes()


def _close(got: pd.Series, want: pd.Series, rel: float = REL) -> float:
    """The largest relative difference (absolute where ``want`` is 0)."""
    got = got.reindex(want.index).astype(float)
    scale = want.abs().where(want.abs() > 0, 1.0)
    return float(((got - want.astype(float)).abs() / scale).max())


def test_measures_equal_networkx(network):
    store, G = network.store, network.G
    got = gds.centrality(store).set_index("person_id")
    want = centrality(G, engine="networkx").set_index("person_id")
    unweighted = centrality(G, engine="networkx", weight=None).set_index("person_id")
    assert set(got.index) == set(G)
    assert got.attrs["engine"] == "gds" and got.attrs["betweenness_exact"]
    for m in ("degree", "kcore"):
        assert (got[m].reindex(want.index) == want[m]).all(), m
    for m in ("strength", "betweenness", "pagerank"):
        assert _close(got[m], want[m]) < REL, m
    # eigenvector: GDS's is unweighted (documented); equal to the in-process unweighted one
    # to its tolerance, 1e-9 per superstep (measured: 2.1e-6 relative on the synthetic set)
    assert _close(got["eigenvector"], unweighted["eigenvector"]) < 1e-5
    # components
    comps = gds.components(store)
    found = {frozenset(group["person_id"]) for _, group in comps.groupby("component")}
    assert found == {frozenset(c) for c in nx.connected_components(G)}
    assert comps.attrs["components"] == nx.number_connected_components(G)
    assert (comps.groupby("component").size().diff().dropna() <= 0).all()  # largest first


@pytest.mark.parametrize("network", ["oversize"], indirect=True)
def test_eigenvector_differences_are_as_documented(network):
    """A weighted GDS run converges to the strength vector; without the self-loops GDS's
    power iteration does not converge on a bipartite component (oversize has a star)."""
    oversize, G = network.store, network.G
    star = next(c for c in nx.connected_components(G) if len(c) == 4)
    assert nx.is_bipartite(G.subgraph(star))
    unweighted = centrality(G, engine="networkx", weight=None).set_index("person_id")
    with gds.projected(oversize) as g:
        weighted = g.values(
            "eigenvector",
            {"relationshipWeightProperty": "weight", "maxIterations": 1000, "tolerance": 1e-12},
        )
        strength = g.values("degree", gds.CONFIGS["strength"])
        # ties only: no self-loops
        plain = g.values("eigenvector", {"maxIterations": 1000, "tolerance": 1e-12})
        wcc = g.values("wcc")
    giant = max(nx.connected_components(G), key=len)
    s = strength.reindex(list(giant))
    x = weighted.reindex(list(giant))
    assert _close(x / np.linalg.norm(x), s / np.linalg.norm(s)) < REL
    rescaled = per_component(plain, wcc)
    want = unweighted["eigenvector"]
    assert _close(rescaled.reindex(list(giant)), want.reindex(list(giant))) < REL
    assert _close(rescaled.reindex(list(star)), want.reindex(list(star))) > 0.01
    got = gds.centrality(oversize).set_index("person_id")["eigenvector"]
    assert _close(got.reindex(list(star)), want.reindex(list(star))) < REL


def test_rings_are_as_good_as_in_process(network):
    """Rings as good by modularity everywhere (within 5% of the worst of five seeded
    in-process runs); the same rings (NMI >= 0.9) on the synthetic set, whose rings are
    planted. (On fixtures/small and the published networks
    the in-process runs with other seeds differ from each other as much as GDS differs from
    them: see docs/neo4j.md.)"""
    G = network.G

    def modularity(rings: pd.DataFrame) -> float:
        groups = rings.groupby("ring")["person_id"].apply(set).tolist()
        return nx.community.modularity(G, groups, weight="weight")

    for algorithm in ("louvain", "leiden"):
        got = gds.communities(network.store, algorithm=algorithm, seed=0)
        want = detect_rings(G, algorithm=algorithm, seed=0)
        assert got.attrs["engine"] == "gds" and set(got["person_id"]) == set(G)
        assert got["name"].tolist() == [G.nodes[u]["name"] for u in got["person_id"]]
        # An in-process run's modularity moves with its seed (and its input's order) on
        # networks of a hundred people: GDS is held to the worst of five seeded runs.
        reference = min(
            [modularity(want)]
            + [modularity(detect_rings(G, algorithm=algorithm, seed=s)) for s in range(1, 5)]
        )
        # measured: at worst 3.4% lower (GDS Leiden on french_connection)
        assert modularity(got) >= 0.95 * reference, algorithm
        if network.name == "synthetic":
            found = got.set_index("person_id")["ring"].reindex(want["person_id"])
            assert nmi(want["ring"], found) >= 0.9, algorithm


def test_sampled_betweenness_is_rescaled_not_uniform(network):
    """GDS samples sources by degree and in node order, not uniformly: rescaled by n / k, its
    values rank people as exact betweenness does and are on its scale, but are not an
    unbiased estimate (at k = n / 2, measured over 8 seeds on every network here: Spearman
    >= 0.966 with the exact values, totals 0.86-1.07 of the exact total)."""
    G = network.G
    n = G.number_of_nodes()
    exact = centrality(G, engine="networkx").set_index("person_id")["betweenness"]
    sampled = gds.centrality(network.store, betweenness_k=n // 2, seed=0)
    assert sampled.attrs["betweenness_k"] == n // 2 and not sampled.attrs["betweenness_exact"]
    sampled = sampled.set_index("person_id")["betweenness"].reindex(exact.index)
    assert spearmanr(sampled, exact).statistic > 0.95
    assert 0.8 < sampled.sum() / exact.sum() < 1.2
    if network.name == "small":  # k >= n is exact
        whole = gds.centrality(network.store, betweenness_k=n)
        assert whole.attrs["betweenness_exact"]
        assert _close(whole.set_index("person_id")["betweenness"], exact) < REL


@pytest.mark.parametrize("network", ["small"], indirect=True)
def test_write_back_puts_the_measures_on_every_stored_person(network, neo4j_server):
    small = network.store
    measures = gds.centrality(small, write_back=True).set_index("person_id")
    rings = gds.communities(small, algorithm="leiden", write_back=True).set_index("person_id")
    comps = gds.components(small, write_back=True).set_index("person_id")
    stored = small.query(
        "MATCH (p:Person) RETURN p.id AS id, coalesce(p.resolved_id, p.id) AS person_id, "
        "p.netintel_pagerank AS pagerank, p.netintel_betweenness AS betweenness, "
        "p.netintel_degree AS degree, p.netintel_eigenvector AS eigenvector, "
        "p.netintel_ring AS ring, p.netintel_component AS component"
    )
    assert stored["person_id"].nunique() < len(stored)  # merged people: every member written
    for col, frame in (
        ("pagerank", measures),
        ("betweenness", measures),
        ("degree", measures),
        ("eigenvector", measures),
        ("ring", rings),
        ("component", comps),
    ):
        assert stored[col].notna().all(), col
        want = stored["person_id"].map(frame[col])
        assert np.allclose(stored[col].astype(float), want.astype(float), rtol=1e-12), col
    read_only = Neo4jStore(settings=Neo4jSettings.from_env(env=neo4j_server), read_only=True)
    with read_only, pytest.raises(ReadOnlyError):
        gds.communities(read_only, write_back=True)


@pytest.mark.parametrize("network", ["small"], indirect=True)
def test_engine_auto_picks_gds_on_neo4j_and_works_on_a_window(network, neo4j_server):
    ws = Workspace(network.store)
    rings = ws.network.rings(engine="auto")
    assert rings.attrs["engine"] == "gds"
    windowed = ws.network.rings(engine="gds", window="2023-03 to 2023-09")
    assert windowed.attrs["engine"] == "gds"
    G = ws.graph(window="2023-03 to 2023-09")
    assert set(windowed["person_id"]) == set(G)
    # a window changes the rings: people with no evidence in it are rings of their own
    alone = windowed.groupby("ring").size().eq(1).sum()
    assert alone == nx.number_of_isolates(G) > 0
    # what GDS cannot do, auto does in-process; an explicit gds says why
    assert ws.network.rings(engine="auto", resolution=1.5).attrs["engine"] != "gds"
    with pytest.raises(AnalysisError, match="GDS Louvain has none"):
        ws.network.rings(engine="gds", resolution=1.5)
    targets = ws.rank_targets(engine="gds", top=5, window="since 2023")
    assert len(targets) == 5 and targets["score"].is_monotonic_decreasing
    out = CliRunner().invoke(
        app,
        ["gds", "rings", "--neo4j", neo4j_server["NETINTEL_NEO4J_URI"], "--since", "2023"],
        env=neo4j_server,
    )
    assert out.exit_code == 0, out.output
    assert "GDS rings" in out.output


def test_engine_auto_is_in_process_on_the_embedded_store(small_db):
    with netintel.open(small_db, read_only=True) as ws:
        assert ws.network.rings(engine="auto").attrs["engine"] in {"networkx", "igraph"}
        assert math.isfinite(ws.rank_targets(engine="auto", top=1)["score"].iloc[0])
        with pytest.raises(AnalysisError, match=r"this store is embedded.*--engine networkx"):
            ws.network.rings(engine="gds")
        with pytest.raises(AnalysisError, match="this store is embedded"):
            ws.rank_targets(engine="gds")
