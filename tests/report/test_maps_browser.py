"""The route map of fixtures/small from the workspace and the CLI, drawn in headless Chromium
with no network request; and what its lines and points carry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"


def test_ws_routes_map_draws_the_small_case(ws):
    fig = ws.routes.map(level="district", top=5)
    lines = [tr for tr in fig.data if (tr.meta or {}).get("layer") == "corridor"]
    table = ws.routes.corridors(level="district", top=5, rings=False)
    assert sorted(tr.meta["rank"] for tr in lines) == sorted(
        r for r, p in zip(table["rank"], table["path"], strict=True) if len(p) >= 2
    )
    for tr in lines:
        row = table[table["rank"] == tr.meta["rank"]].iloc[0]
        assert tr.meta["seizures"] == list(row["evidence"])
    # seizures of fixtures/small are recorded in districts the gazetteer lists: drawn there
    places = next(tr for tr in fig.data if tr.name == "seizure places")
    assert len(places.text) > 0
    # people arrested for those seizures, at the places of their arrests
    people = [tr for tr in fig.data if tr.name in ("people", "approximate places")]
    assert sum(len(tr.text) for tr in people) > 0
    static = ws.routes.map(level="district", top=5, static=True)
    assert static.axes[0].get_title() == "Corridors of seizures"


def test_routes_writes_the_map(db, cli, tmp_path):
    target = tmp_path / "maps" / "routes.html"
    out = cli("routes", "--db", db, "--level", "district", "--top", "4", "--map", target)
    assert out.exit_code == 0, out.output
    assert target.is_file() and "routes.html" in out.output
    bad = cli("routes", "--db", db, "--map", tmp_path / "routes.png")
    assert bad.exit_code != 0


@pytest.fixture(scope="module")
def browser(request):
    """The root conftest's ``chromium`` (a browser) when there is one, else Debian's here."""
    try:
        shared = request.getfixturevalue("chromium")
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None and hasattr(shared, "new_page"):
        yield shared
        return
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        pytest.skip("needs Chromium (Debian package chromium; `make test` installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


def test_the_written_map_draws_offline_and_a_click_lists_the_seizures(ws, browser, tmp_path):
    path = tmp_path / "routes.html"
    ws.routes.map(path, level="district", top=5)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
    drawn = page.evaluate(
        """() => {
        const gd = document.querySelector('.js-plotly-plot');
        const lines = gd.data.filter(t => t.meta && t.meta.layer === 'corridor');
        return {traces: lines.length, paths: gd.querySelectorAll('path.js-line').length,
                gates: gd.querySelectorAll('.scatterlayer .textpoint').length,
                first: lines[lines.length - 1].meta};
    }"""
    )
    assert drawn["traces"] > 0 and drawn["paths"] > drawn["traces"] and drawn["gates"] > 0
    # click the middle of corridor 1: the panel under the map lists its seizures
    xy = page.evaluate(
        """() => {
        const gd = document.querySelector('.js-plotly-plot');
        const t = gd.data.find(t => t.meta && t.meta.layer === 'corridor' && t.meta.rank === 1);
        const i = Math.floor(t.x.length / 2), L = gd._fullLayout;
        const box = gd.getBoundingClientRect();
        return [box.left + L.xaxis._offset + L.xaxis.l2p(t.x[i]),
                box.top + L.yaxis._offset + L.yaxis.l2p(t.y[i])];
    }"""
    )
    page.mouse.move(xy[0], xy[1])
    page.mouse.click(xy[0], xy[1])
    page.wait_for_function(
        "document.getElementById('netintel-seizures').textContent.startsWith('#1 ')",
        timeout=5_000,
    )
    panel = page.inner_text("#netintel-seizures")
    first = ws.routes.corridors(level="district", top=1, rings=False)["evidence"][0]
    assert all(sid in panel for sid in first)
    shot = tmp_path / "map.png"  # kept with the test run, out of the repository
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    page.close()
    # the page fetched nothing but itself: no CDN script, no tiles, no topojson
    assert [u for u in requests if not u.startswith(("file://", "data:", "blob:"))] == []
