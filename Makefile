# careforms: `make test` installs what the tests need and runs the whole suite.
PYTHON ?= python3

.PHONY: install test lint bench

install:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	cd tests/server && npm install --no-audit --no-fund --silent

lint: install
	$(PYTHON) -m ruff check engine sync tui tests bench

test: install
	$(PYTHON) -m ruff check engine sync tui tests bench
	$(PYTHON) -m pytest

bench: install
	$(PYTHON) bench/engine_bench.py
