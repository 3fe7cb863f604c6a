"""A notebook that shows the network view, run and exported to HTML (nbconvert, then
netintel.report.offline.export_notebook), drawn by headless Chromium with no request leaving
the machine: the exported notebook an investigator mails or archives still draws offline."""

from __future__ import annotations

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from PIL import Image

from netintel.report.offline import export_notebook
from netintel.report.view import RING_COLOURS

LOCAL = ("file:", "blob:", "data:")


@pytest.fixture(scope="module")
def exported(small_db, tmp_path_factory):
    pytest.importorskip("nbconvert", reason="exporting a notebook needs nbconvert (test extra)")
    folder = tmp_path_factory.mktemp("notebook")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import netintel\n"
            "from netintel.report.display import table\n"
            f"ws = netintel.open({str(small_db)!r}, read_only=True, purpose='test suite')\n"
            "targets = ws.rank_targets()"
        ),
        nbformat.v4.new_code_cell("ws.show(top=15)"),
        nbformat.v4.new_code_cell("table(targets, columns=['rank', 'name', 'evidence'], top=5)"),
    ]
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    assert "widgets" in nb.metadata, "the run saved the widget state"
    return export_notebook(nb, folder / "notebook.html")


def test_exported_notebook_draws_the_view_offline(chromium, exported, tmp_path):
    page = chromium.new_page(viewport={"width": 1280, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda w: requests.append(w.url))
    try:
        page.goto(exported.as_uri())
        page.wait_for_selector(".ipysigma-widget canvas.sigma-nodes", state="attached")
        page.wait_for_function(
            "() => (document.querySelector('.ipysigma-graph-description') || {}).innerText"
            " && document.querySelector('.ipysigma-graph-description').innerText"
            ".includes('Top 15 people by score')"
        )
        page.wait_for_timeout(800)
        widget = page.locator(".ipysigma-container").first
        widget.scroll_into_view_if_needed()
        shot = tmp_path / "notebook-view.png"
        widget.screenshot(path=shot)
        assert page.locator("table.netintel-table details summary").count() == 5
        page.screenshot(path=tmp_path / "notebook.png", full_page=True)
    finally:
        page.close()
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=int).reshape(-1, 3)
    near = np.zeros(len(pixels), dtype=bool)
    for c in RING_COLOURS[:6]:
        rgb = np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)])
        near |= np.abs(pixels - rgb).sum(axis=1) < 30
    assert near.sum() > 1000, "the people are drawn"
    leaving = [u for u in requests if not u.startswith(LOCAL)]
    assert not leaving, f"requests left the machine: {leaving}"
