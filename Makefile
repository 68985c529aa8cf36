# careforms. `make app` installs the app into a virtual environment in this folder (.venv) and
# opens it; `make test` installs what the tests need there and runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --quiet --disable-pip-version-check

.PHONY: app install-app system install test lint bench

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The virtual environment. Debian and Ubuntu ship Python's venv module apart (python3-venv).
$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "careforms needs Python 3.11 or newer"'
	@if ! $(PYTHON) -m venv $(VENV) >/dev/null 2>&1; then \
		rm -rf $(VENV); \
		echo "Installing python3-venv (Debian/Ubuntu) ..."; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv; \
		$(PYTHON) -m venv $(VENV); \
	fi
	@$(PIP) install --upgrade pip

install-app: $(PY)
	$(PIP) install -e .

app: install-app
	$(VENV)/bin/careforms

# Debian packages the report tests use: pdftoppm to look at a page, a TrueType CJK font.
system:
	@if ! command -v pdftoppm >/dev/null || [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq poppler-utils fonts-wqy-microhei; \
	fi

install: system $(PY)
	$(PIP) install -e '.[test]'
	cd tests/server && npm install --no-audit --no-fund --silent

lint: install
	$(PY) -m ruff check engine sync tui tests bench
	$(PY) -m ruff format --check engine sync tui tests bench
	$(PY) -m mypy --strict engine sync
	$(PY) -m mypy tui

# The tests on every core (pytest-xdist); each worker starts its own throwaway servers.
test: lint
	$(PY) -m pytest -n auto

bench: install
	$(PY) bench/engine_bench.py
