# Matchmaker: the two commands of the quick start, and a few more.
#   make run    install into .venv, create/upgrade the database, load the demo, serve on :5000
#   make test   install what the tests need, then run every test

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
# The CPU build of PyTorch, installed before sentence-transformers so pip does not pick a CUDA build.
TORCH  ?= torch==2.13.0

.DEFAULT_GOAL := help
.PHONY: help run setup serve test test-postgres browser demo-data clean translations translations-extract bench-relevance

# Interface translations: the .po files are the source, the .mo files are built (never committed).
PO_FILES := $(wildcard matchmaker/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Matchmaker needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

# Stamps re-run pip only when the package metadata changes.
$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(PIP) install '$(TORCH)'
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -e '.[dev]'
	@touch $@

run: setup serve ## install, create the database, load the demo catalog and serve it

translations: $(MO_FILES) ## compile the interface translations (.po to .mo)

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ --statistics

translations-extract: $(VENV)/.installed ## collect interface text into messages.pot and update every .po
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --no-location --sort-output \
		-o matchmaker/translations/messages.pot .
	$(BIN)/pybabel update -i matchmaker/translations/messages.pot -d matchmaker/translations --no-fuzzy-matching

setup: $(VENV)/.installed $(MO_FILES) ## create or upgrade the database, load the demo and build the index (keeps data)
	$(BIN)/matchmaker db upgrade
	$(BIN)/matchmaker demo load
	$(BIN)/matchmaker reindex --if-missing
	@$(BIN)/matchmaker demo logins || true

serve: $(VENV)/.installed $(MO_FILES) ## serve on $(HOST):$(PORT): gunicorn and the search worker (deploy/Procfile)
	@echo "Matchmaker is starting on http://$(HOST):$(PORT) (Ctrl+C stops it; /health says when search is ready)"
	PATH="$(CURDIR)/$(BIN):$$PATH" MATCHMAKER_BIND=$(HOST):$(PORT) $(BIN)/honcho --app-root . -f deploy/Procfile start

test: $(VENV)/.installed-dev browser $(MO_FILES) ## install test needs and run every test
	$(BIN)/python -m pytest

test-postgres: $(VENV)/.installed-dev browser $(MO_FILES) ## run every test on SQLite and a throwaway PostgreSQL too
	scripts/with-postgres $(BIN)/python -m pytest

browser: ## make sure Debian's chromium is there for the browser tests
	@command -v chromium >/dev/null 2>&1 || scripts/install-chromium

bench-relevance: $(VENV)/.installed-dev ## measure the served ranking on every benchmark through `matchmaker eval` (bench/results/served.*)
	$(BIN)/python bench/served.py

demo-data: $(VENV)/.installed ## regenerate data/demo/ (deterministic)
	$(BIN)/matchmaker demo generate

clean: ## remove the virtualenv and caches (the instance/ folder with your data is kept)
	rm -rf $(VENV) .pytest_cache build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
