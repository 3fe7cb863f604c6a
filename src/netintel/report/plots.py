"""Charts for people: the disruption curves of simulated arrests.

matplotlib is optional (``pip install 'netintel[notebook]'``): it is imported when a chart is
drawn, so the rest of netintel runs without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from netintel.errors import AnalysisError
from netintel.outputs import atomic_write, check_output

__all__ = ["PLOT_FORMATS", "plot_disruption"]

#: The chart files :func:`plot_disruption` writes.
PLOT_FORMATS = (".png", ".svg", ".pdf")

_LABELS = {
    "lcc_fraction": "largest component (share of intact)",
    "efficiency_fraction": "global efficiency (share of intact)",
    "lcc_size": "largest component (people)",
    "components": "components",
    "efficiency": "global efficiency",
}


def plot_disruption(
    curve: pd.DataFrame,
    path: str | Path | None = None,
    *,
    measures: Iterable[str] = ("lcc_fraction", "efficiency_fraction"),
    title: str | None = None,
) -> Any:
    """Plot disruption curves (one line per strategy, one panel per measure).

    Parameters
    ----------
    curve : pandas.DataFrame
        From :func:`netintel.analysis.dismantle.disrupt.simulate_disruption`.
    path : str or Path, optional
        Save the figure there (``.png``, ``.svg`` or ``.pdf``), through a temporary file
        renamed over it (:func:`~netintel.outputs.atomic_write`).
    measures : iterable of str
        Columns to plot against ``step``.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    AnalysisError
        If matplotlib is not installed, or a column is missing.
    OutputError
        If ``path`` has another suffix or cannot be written (checked before drawing).
    """
    if path is not None:
        path = check_output(path, suffixes=PLOT_FORMATS)
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise AnalysisError("plotting needs matplotlib: pip install 'netintel[notebook]'") from e
    measures = list(measures)
    missing = {"strategy", "step", *measures} - set(curve.columns)
    if missing:
        raise AnalysisError(f"curve lacks column(s) {sorted(missing)}")
    fig, axes = plt.subplots(1, len(measures), figsize=(5.5 * len(measures), 4), squeeze=False)
    for ax, m in zip(axes[0], measures, strict=True):
        for strategy, part in curve.groupby("strategy", sort=False):
            ax.plot(part["step"], part[m], marker="o", markersize=3, label=str(strategy))
        ax.set_xlabel("people removed")
        ax.set_ylabel(_LABELS.get(m, m))
        ax.grid(alpha=0.3)
    axes[0][0].legend(title="strategy")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    if path is not None:
        with atomic_write(path) as tmp:
            fig.savefig(tmp, dpi=120)
    return fig
