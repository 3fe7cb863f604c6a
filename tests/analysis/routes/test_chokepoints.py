"""Chokepoints: the share of route seizures through gates and provinces, the place graph."""

from __future__ import annotations

import pytest

from netintel.analysis.routes import chokepoints, corridors, place_graph


def test_chokepoints_shares_and_betweenness(known):
    c = corridors(known)
    ch = chokepoints(c, known)
    gates = ch[ch["kind"] == "gate"].set_index("name")
    assert gates.loc["Nậm Cắn", "share"] == pytest.approx(4 / 6, abs=1e-4)
    assert gates.loc["Cầu Treo", "kg_share"] == pytest.approx(50 / 55, abs=1e-4)
    assert gates.loc["Nậm Cắn", "rank"] == 1 and gates.loc["Nậm Cắn", "betweenness"] > 0
    assert gates.loc["Nậm Cắn", "counterpart"].startswith("Nam Kan")
    provinces = ch[ch["kind"] == "province"]["name"].tolist()
    assert provinces == ["Nghệ An", "Hà Tĩnh"]  # Hà Nội is a destination, not a passage
    G = place_graph(c, known)
    assert G["gate:vn/nam can"]["vn/nghe an"]["seizures"] == 4
