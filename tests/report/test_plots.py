"""Disruption curves drawn as a chart (matplotlib is optional)."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from netintel.analysis.dismantle import simulate_disruption
from netintel.errors import AnalysisError
from netintel.report.plots import plot_disruption


def test_plot_writes_an_image(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    G = nx.barbell_graph(5, 2)
    curve = simulate_disruption(G, strategies=["degree", "random"], steps=3, weight=None)
    fig = plot_disruption(curve, tmp_path / "c.png", title="Simulated arrests")
    assert (tmp_path / "c.png").stat().st_size > 1000
    assert len(fig.axes) == 2


def test_a_curve_without_its_columns_is_refused():
    pytest.importorskip("matplotlib")
    with pytest.raises(AnalysisError, match="lacks column"):
        plot_disruption(pd.DataFrame({"step": [0]}))


def test_without_matplotlib_the_message_says_how_to_install_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(AnalysisError, match="pip install"):
        plot_disruption(pd.DataFrame({"strategy": [], "step": []}))
