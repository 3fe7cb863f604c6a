"""Test-wide settings and shared fixtures: temporary files of tests and doctests go under
pytest's tmp_path; ``small_db`` is fixtures/small loaded once for the whole run (and the
``ws`` of the workspace's docstring examples); ``neo4j_server`` is a live Neo4j 5 server
with Graph Data Science for the whole run; ``chromium`` is a headless Chromium (Playwright) for
the tests of what is drawn in a browser."""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SMALL = ROOT / "fixtures" / "small"
#: How to run the Neo4j tests, said by every one of them that skips.
NEO4J_HOWTO = (
    "needs Java 17+ and Maven (the suite then starts Neo4j 5.26 with GDS from Maven Central "
    "itself: `make test`), or a throwaway server named by NETINTEL_TEST_NEO4J_URI "
    "(+ _USER, _PASSWORD, _DATABASE; its database is emptied)"
)
# The conftest files under tests/ hold no doctests, and collecting them as doctest modules
# imports each as "conftest": with several of them, which one is imported first depends on
# the order of a fresh checkout's directory listing.
collect_ignore_glob = ["tests/**/conftest.py", "tests/conftest.py"]


@pytest.fixture(autouse=True)
def _temporary_files_in_tmp_path(tmp_path, monkeypatch):
    """Docstring examples use :func:`tempfile.mkdtemp`; keep what they write with the test run."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


@pytest.fixture(scope="session")
def small_db(tmp_path_factory) -> Path:
    """fixtures/small (300 records, seed 7) ingested, with entity resolution, into one
    database for the whole run. Tests only read it: one that writes makes its own."""
    import netintel

    path = tmp_path_factory.mktemp("small") / "case.db"
    with netintel.open(path) as ws:
        ws.ingest(
            **{k: SMALL / f"{k}.csv" for k in ("arrests", "seizures", "communications", "links")}
        )
    return path


@pytest.fixture(scope="session")
def _small_workspace(small_db):
    import netintel

    with netintel.open(small_db, read_only=True, purpose="test suite") as ws:
        yield ws


@pytest.fixture(autouse=True)
def _workspace_in_doctests(request, doctest_namespace):
    """The examples of netintel.workspace run on ``ws``: fixtures/small, read-only."""
    if isinstance(request.node, pytest.DoctestItem) and ".workspace" in request.node.name:
        doctest_namespace["ws"] = request.getfixturevalue("_small_workspace")


def _local_server_module():
    """``neo4j-server/server.py``, the script that starts a local Neo4j from Maven Central."""
    spec = importlib.util.spec_from_file_location(
        "netintel_neo4j_server", ROOT / "neo4j-server" / "server.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _neo4j_unavailable(why: str):
    """Skip, or fail where a live server is required (``NETINTEL_REQUIRE_NEO4J=1``, as CI)."""
    if os.environ.get("NETINTEL_REQUIRE_NEO4J") == "1":
        pytest.fail(f"NETINTEL_REQUIRE_NEO4J=1 but no Neo4j server: {why}", pytrace=False)
    pytest.skip(f"no Neo4j server: {why}; {NEO4J_HOWTO}")


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A live Neo4j server with GDS: ``NETINTEL_TEST_NEO4J_URI`` if set, else one started here
    with authentication on and a password generated for this run. Yields a mapping of the
    ``NETINTEL_NEO4J_*`` variables that reach it."""
    uri = os.environ.get("NETINTEL_TEST_NEO4J_URI")
    if uri:
        env = {"NETINTEL_NEO4J_URI": uri}
        for name in ("USER", "PASSWORD", "DATABASE"):
            value = os.environ.get(f"NETINTEL_TEST_NEO4J_{name}")
            if value:
                env[f"NETINTEL_NEO4J_{name}"] = value
        yield env
        return
    server = _local_server_module()
    why = server.unavailable()
    if why:
        _neo4j_unavailable(why)
    home = tmp_path_factory.mktemp("neo4j")
    try:
        started = server.start(home, heap="1500m", pagecache="512m")
    except server.ServerError as e:
        _neo4j_unavailable(str(e))
    try:
        yield started.env()
    finally:
        server.stop(home)


@pytest.fixture(scope="session")
def neo4j_local():
    """``neo4j-server/server.py`` as a module, for tests that run Neo4j's own tools (a second
    server, ``neo4j-admin``) from the local jars; skips (or fails) like ``neo4j_server``."""
    server = _local_server_module()
    why = server.unavailable()
    if why:
        _neo4j_unavailable(f"Neo4j's own tools run from the local jars: {why}")
    return server


#: Debian's Chromium, the browser the browser tests drive (never a downloaded build).
CHROMIUM = Path(os.environ.get("NETINTEL_CHROMIUM", "/usr/bin/chromium"))
#: Flags for a headless run as root in a container, with no traffic of the browser's own.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def chromium():
    """A launched headless Chromium (a Playwright ``Browser``) for one test module, or a skip
    saying how to install it. ``make test`` installs Debian's ``chromium`` when it is missing
    and it runs as root. Open pages with ``chromium.new_page()`` and close them."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` (Debian; `make test` "
            "does it as root), or point NETINTEL_CHROMIUM at a Chromium binary"
        )
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("the browser tests need playwright: pip install -e '.[test]'")
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Error as e:
            pytest.skip(f"Chromium at {CHROMIUM} does not start headless: {e}")
        try:
            yield browser
        finally:
            browser.close()
