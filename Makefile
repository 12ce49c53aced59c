# The two set-up commands of the README. Both create .venv and install into it.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test system-deps lint

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python system-deps
	$(BIN)/pip install --quiet -e '.[test]'

# From Debian: Chromium (static chart images, PDF, browser tests), poppler (PDF checks),
# CJK fonts (Korean edition) and, for the Spark engine's tests, a Java runtime.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null || ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils fonts-noto-cjk $$(command -v java >/dev/null || echo default-jre-headless) >/dev/null; \
	fi

# Main job on the embedded demo universe (synthetic, calibrated): HTML + PDF report in out/.
demo: install system-deps
	$(BIN)/vcflows report --focus KOR --out out/report.html --pdf

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Tests: lint, types, then the whole suite.
test: install-test lint
	$(BIN)/pytest -q
