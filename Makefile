# careforms: `make test` installs what the tests need and runs the whole suite.
PYTHON ?= python3

.PHONY: system install test lint bench

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the report tests use: pdftoppm to look at a page, a TrueType CJK font.
system:
	@if ! command -v pdftoppm >/dev/null || [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq poppler-utils fonts-wqy-microhei; \
	fi

install: system
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	cd tests/server && npm install --no-audit --no-fund --silent

lint: install
	$(PYTHON) -m ruff check engine sync tui tests bench

test: install
	$(PYTHON) -m ruff check engine sync tui tests bench
	$(PYTHON) -m pytest

bench: install
	$(PYTHON) bench/engine_bench.py
