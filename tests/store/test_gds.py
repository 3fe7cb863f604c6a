"""Graph Data Science inside Neo4j: the statements netintel sends, and what they compute."""

from __future__ import annotations

import pytest
from test_neo4j_static import HOSTILE, check_statement

from netintel.errors import AnalysisError


def test_gds_statements_are_parameterised():
    from netintel.analysis import gds

    params = gds.projection_parameters(None, "netintel-test")
    check_statement(gds.PROJECTION, params)
    check_statement(gds.DROP, {"graph_name": "g"})
    check_statement(gds.VERSION, {})
    for statement in gds.STREAMS.values():
        check_statement(statement, {"graph_name": "g", "config": {}})
    for statement in gds.WRITES.values():
        check_statement(statement, {"graph_name": "g", "config": {}, "property": "p"})


def test_gds_projection_settings_travel_as_parameters():
    from netintel.analysis import gds
    from netintel.project import ProjectionSettings

    settings = ProjectionSettings(kind_weights={"co_arrest": 2.0, f"link:{HOSTILE}": 0.9})
    params = gds.projection_parameters(settings, "g")
    assert params["link_weights"][HOSTILE] == 0.9 and params["weights"]["co_arrest"] == 2.0
    assert HOSTILE not in gds.PROJECTION
    with pytest.raises(AnalysisError, match="no time window"):
        gds.projection_parameters(ProjectionSettings(since="2023"), "g")


def test_gds_needs_neo4j_and_says_how(tmp_path):
    from netintel.analysis import gds
    from netintel.store.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "g.db") as store:
        with pytest.raises(AnalysisError, match=r"this store is embedded.*--engine networkx"):
            gds.require_gds(store)
        assert gds.wants_gds("auto", store) is False
        with pytest.raises(AnalysisError, match="this store is embedded"):
            gds.communities(store)
    try:
        import graphdatascience  # noqa: F401
    except ImportError:
        with pytest.raises(AnalysisError, match=r"pip install 'netintel\[gds\]'"):
            gds.client()
