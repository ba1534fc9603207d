# Two entry points: `make demo` and `make test`. Everything installs into .venv from the registries.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= legation.duckdb

.PHONY: demo test test-fast eval bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/legation demo --db $(DB)

test: $(VENV)/.installed-test
	$(PY) -m pytest -q

test-fast: $(VENV)/.installed-test
	$(PY) -m pytest -q -m "not slow"

# Figures reported in issues: needs ../shared (gold data) beside the checkout.
eval: $(VENV)/.installed
	$(VENV)/bin/legation eval timeml ../shared/eval/te3-platinum
	$(VENV)/bin/legation eval seed ../shared/seed/myanmar-north-korea-2023.gold.json
	$(VENV)/bin/legation eval plover ../shared/eval/plover-gsr/dev.json --actors-only
	$(VENV)/bin/legation eval plover ../shared/eval/plover-gsr/dev.json
	$(VENV)/bin/legation eval plover tests/fixtures/events/own_plover.json
	$(VENV)/bin/legation eval plover tests/fixtures/events/tune_plover.json
	$(VENV)/bin/legation eval plover tests/fixtures/events/tune2_plover.json
	$(VENV)/bin/legation eval plover tests/fixtures/events/tune3_plover.json
	$(VENV)/bin/legation eval no-events tests/fixtures/events/no_event.json
	$(VENV)/bin/legation eval quotes tests/fixtures/quotes_independent

bench: $(VENV)/.installed-test
	$(PY) benchmarks/bench_pipeline.py
	$(PY) benchmarks/bench_merge.py
	$(PY) benchmarks/bench_api.py

clean:
	rm -rf $(VENV) *.egg-info $(DB) $(DB).wal
