"""The network view drawn by a real browser (headless Chromium): the standalone HTML page
draws the people, a search selects a person and shows their explanation and records, and no
request leaves the machine. Screenshots go to pytest's tmp_path."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image

import netintel
from netintel.report.view import RING_COLOURS, network_view, write_html

#: What a page may load: itself and what its scripts make in memory.
LOCAL = ("file:", "blob:", "data:")


@pytest.fixture(scope="module")
def page_file(small_db, tmp_path_factory):
    with netintel.open(small_db, read_only=True, purpose="test suite") as ws:
        targets = ws.rank_targets()
        view = network_view(ws.graph(), targets)
    path = write_html(view, tmp_path_factory.mktemp("view") / "network.html", title="Case 7")
    return path, targets, view


def _open(chromium, path):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda w: requests.append(w.url))
    page.goto(path.as_uri())
    page.wait_for_selector(".ipysigma-widget canvas.sigma-nodes", state="attached")
    page.wait_for_function(
        "() => document.querySelector('.ipysigma-graph-description')"
        " && document.querySelector('.ipysigma-graph-description').innerText.length > 0"
    )
    page.wait_for_timeout(800)  # let sigma draw its first frame
    return page, requests


def _coloured_pixels(png, colours) -> int:
    """Pixels within a small distance of any of ``colours`` (hex)."""
    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=int).reshape(-1, 3)
    near = np.zeros(len(pixels), dtype=bool)
    for c in colours:
        rgb = np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)])
        near |= np.abs(pixels - rgb).sum(axis=1) < 30
    return int(near.sum())


def test_standalone_view_draws_offline(chromium, page_file, tmp_path):
    path, _, view = page_file
    page, requests = _open(chromium, path)
    try:
        canvases = page.evaluate(
            "() => Array.from(document.querySelectorAll('.ipysigma-widget canvas'))"
            ".map(c => [c.className, c.width, c.height])"
        )
        assert {"sigma-nodes", "sigma-edges", "sigma-labels"} <= {c[0] for c in canvases}
        assert all(w > 300 and h > 300 for _, w, h in canvases)
        description = page.inner_text(".ipysigma-graph-description")
        assert view.cut.caption in description
        assert f"{len(view.data['nodes'])} nodes" in description
        assert f"{len(view.data['edges'])} edges" in description
        assert page.inner_text("h1") == "Case 7"
        legend = page.inner_text(".ipysigma-widget")
        assert "ring 0" in legend and "co-arrest" in legend
        shot = tmp_path / "network.png"
        page.locator(".ipysigma-container").screenshot(path=shot)
        # the people are drawn in their rings' colours (WebGL), not only the page around them
        assert _coloured_pixels(shot, RING_COLOURS[:5]) > 2000
        # the top people are named on the picture's label layer
        labels = page.evaluate(
            "() => { const c = document.querySelector('canvas.sigma-labels');"
            " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"
        )
        assert labels > 500
    finally:
        page.close()
    leaving = [u for u in requests if not u.startswith(LOCAL)]
    assert not leaving, f"requests left the machine: {leaving}"
    assert requests[0] == path.as_uri()


def test_selecting_a_person_shows_explanation_and_records(chromium, page_file, tmp_path):
    path, targets, _ = page_file
    top = targets.iloc[0]
    page, requests = _open(chromium, path)
    try:
        page.click(".ipysigma-widget .choices")
        page.keyboard.type(top["name"][:12])
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('.ipysigma-information-contents')"
            " && document.querySelector('.ipysigma-information-contents').innerText"
            ".includes('explanation')"
        )
        panel = page.inner_text(".ipysigma-information-contents")
        page.screenshot(path=tmp_path / "selected.png")
    finally:
        page.close()
    flat = re.sub(r"\s+", " ", panel)
    assert top["person_id"] in flat
    assert re.sub(r"\s+", " ", top["explanation"]) in flat  # whole
    for record in sorted(top["evidence"])[:5]:
        assert record in flat
    assert not [u for u in requests if not u.startswith(LOCAL)]


def test_a_selected_tie_shows_its_people_records_and_dates(chromium, small_db, tmp_path):
    """A tie selected (what a click on it sets: the widget's ``selected_edge``) is drawn
    with its panel: the two names, the kinds of evidence, the record ids and dates."""
    with netintel.open(small_db, read_only=True, purpose="test suite") as ws:
        targets = ws.rank_targets()
        G = ws.graph()
    view = network_view(G, targets, top=12)
    u, v, d = max(
        G.subgraph(view.cut.people).edges(data=True), key=lambda e: (len(e[2]["sources"]), e[:2])
    )
    view.selected_edge = (u, v)
    path = write_html(view, tmp_path / "tie.html")
    page, requests = _open(chromium, path)
    try:
        page.wait_for_function(
            "() => (document.querySelector('.ipysigma-information-contents') || {}).innerText"
            " && document.querySelector('.ipysigma-information-contents').innerText"
            ".includes('record_ids')"
        )
        panel = re.sub(r"\s+", " ", page.inner_text(".ipysigma-information-contents"))
        page.screenshot(path=tmp_path / "tie.png")
    finally:
        page.close()
    assert G.nodes[u]["name"] in panel and G.nodes[v]["name"] in panel
    assert all(record in panel for record in d["sources"])
    assert d["first_seen"] in panel and d["last_seen"] in panel
    assert not [r for r in requests if not r.startswith(LOCAL)]
