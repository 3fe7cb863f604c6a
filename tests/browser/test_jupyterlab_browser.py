"""The network view in JupyterLab itself, as an investigator opens it: a JupyterLab server on
this machine, a notebook run in headless Chromium, the widget drawn from the ipysigma
extension installed with the package, and no request to any host but the local server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

PlaywrightTimeout = pytest.importorskip("playwright.sync_api").TimeoutError


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(small_db, tmp_path_factory):
    if shutil.which("jupyter-lab", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("JupyterLab is not installed: pip install -e '.[test]' (or '.[notebook]')")
    folder = tmp_path_factory.mktemp("lab")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import netintel\n"
            f"ws = netintel.open({str(small_db)!r}, read_only=True, purpose='test suite')\n"
            "ws.show(top=20)"
        )
    ]
    nbformat.write(nb, folder / "desk.ipynb")
    port, token = _free_port(), "netintel-test"
    log = (folder / "lab.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "jupyter-lab"), "--no-browser", "--allow-root",
            f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}",
            f"--ServerApp.root_dir={folder}", "--LabApp.news_url=None",
        ],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"JupyterLab exited: {(folder / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
        yield f"{base}/lab/tree/desk.ipynb?token={token}", base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_jupyterlab_draws_the_view_offline(chromium, lab, tmp_path):
    url, base = lab
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda w: requests.append(w.url))
    try:
        page.goto(url)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000
        )
        for _ in range(3):  # the kernel may say idle before its connection takes requests
            page.wait_for_timeout(3000)
            page.click(".jp-Cell .jp-InputArea-editor >> nth=0")
            page.keyboard.press("Control+Enter")
            try:
                page.wait_for_selector(
                    ".ipysigma-widget canvas.sigma-nodes", state="attached", timeout=60_000
                )
                break
            except PlaywrightTimeout:
                continue
        page.wait_for_function(
            "() => (document.querySelector('.ipysigma-graph-description') || {}).innerText"
            " && document.querySelector('.ipysigma-graph-description').innerText"
            ".includes('Top 20 people by score')"
        )
        page.wait_for_timeout(1000)
        page.screenshot(path=tmp_path / "jupyterlab.png")
        labels = page.evaluate(
            "() => { const c = document.querySelector('canvas.sigma-labels');"
            " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"
        )
    finally:
        page.close()
    assert labels > 500, "the people are named on the picture"
    local = (base, base.replace("http", "ws"), "data:", "blob:")
    leaving = sorted({u for u in requests if not u.startswith(local)})
    assert not leaving, f"requests left the machine: {leaving}"
