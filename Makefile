# rdv-opendata — `make run` and `make test` each set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
#: Validata (validata-table) in an environment of its own: its pins exclude Prefect's (tools/validata)
VALIDATA_VENV := .venv-validata
BIN := $(VENV)/bin
# uv from PATH, else as a module of $(PYTHON) (installed with pip by `setup` when missing)
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
OUTPUT ?= output
PURE_PACKAGES := core extract normalise schemas publish rdv_opendata website

export PREFECT_SERVER_ANALYTICS_ENABLED := false
export UV_PROJECT_ENVIRONMENT := $(VENV)
# write .pyc files at install time: imports then cost a third (this machine sets
# PYTHONDONTWRITEBYTECODE, so Python never caches them by itself)
export UV_COMPILE_BYTECODE := 1
SOURCES := core extract normalise schemas publish flows rdv_opendata website

.DEFAULT_GOAL := help
.PHONY: help setup validata browser office run serve explore test check lint golden docs bench fuzz clean translations

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(VENV)/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 \
		|| $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

setup: $(VENV)/.synced ## install the locked dependencies into .venv/ (uv sync --frozen)
	@$(BIN)/python -m compileall -q $(SOURCES) > /dev/null

$(VALIDATA_VENV)/.synced: tools/validata/pyproject.toml tools/validata/uv.lock | setup
	cd tools/validata && UV_PROJECT_ENVIRONMENT=$(abspath $(VALIDATA_VENV)) $(UV) sync --frozen
	@touch $@

validata: $(VALIDATA_VENV)/.synced ## install Validata (tools/validata, locked) into .venv-validata/ for its tests

run: setup ## publish the bundled snapshot to output/ through the Prefect flow
	$(BIN)/rdv-opendata publish --output $(OUTPUT)

serve: setup ## a Prefect server on 127.0.0.1:4200 (PORT=…) and the deployment on SOURCE=URL (else a demo)
	scripts/serve.sh $(if $(SOURCE),--source "$(SOURCE)",--demo)

browser: ## install Debian's chromium for the browser tests when missing
	scripts/ensure-chromium.sh

office: ## install Debian's LibreOffice Calc (headless) for the spreadsheet test when missing
	scripts/ensure-libreoffice.sh

explore: setup ## every release in Datasette on 127.0.0.1:8001 (PORT=…), history rebuilt when stale
	OUTPUT=$(OUTPUT) scripts/explore.sh

test: setup validata browser office ## run the test suite (real Prefect runs and servers, a browser, LibreOffice)
	$(BIN)/pytest

check: setup ## the fast tier (not slow, server or browser), on two processes: under a minute
	$(BIN)/pytest -q -n 2 --dist worksteal -m "not slow and not server and not browser"

lint: setup ## ruff on everything (complexity <= 10), mypy on the packages, flows and tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(PURE_PACKAGES) flows tests

golden: setup ## regenerate tests/golden/ from the bundled snapshot (review the diff!)
	$(BIN)/python -m tests.golden.regenerate

#: the gettext catalogues: French is the source (the msgids), one folder per other language
LOCALES := core/locales
POT := $(LOCALES)/messages.pot
#: the keywords of the messages: gettext's, N_ for a message said later, say (gettext, where _ is taken)
EXTRACT := -F babel.cfg -k N_ -k say --add-comments=TRANSLATORS: --no-location --sort-output \
	--project=rdv-opendata --msgid-bugs-address=https://github.com/ --copyright-holder=rdv-opendata
translations: setup ## extract the messages (.pot), update every .po (LANGUAGE=xx adds one), check them
	$(BIN)/pybabel extract $(EXTRACT) -o $(POT) .
	$(if $(LANGUAGE),test -f $(LOCALES)/$(LANGUAGE)/LC_MESSAGES/messages.po || \
		$(BIN)/pybabel init -i $(POT) -d $(LOCALES) -l $(LANGUAGE))
	$(BIN)/pybabel update -i $(POT) -d $(LOCALES) --no-fuzzy-matching --ignore-obsolete
	@for po in $(LOCALES)/*/LC_MESSAGES/messages.po; do \
		$(BIN)/pybabel compile --statistics -i $$po -o /dev/null || exit 1; done

FUZZ_SECONDS ?= 60
bench: setup ## measure start-up, parsing, publishing, backfill and orchestration (benchmarks/)
	$(BIN)/python benchmarks/bench.py

docs: setup ## regenerate the data dictionary in README.md from the schemas
	$(BIN)/python -m rdv_opendata.docs

fuzz: setup ## fuzz the parser with atheris for FUZZ_SECONDS (not part of make test)
	$(UV) sync --frozen --group fuzz
	mkdir -p fuzz/corpus fuzz/findings
	cp -n rdv_opendata/data/*.txt tests/fixtures/forms/*.html tests/fixtures/bad/*.txt fuzz/corpus/
	$(BIN)/python fuzz/fuzz_parser.py fuzz/corpus -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=fuzz/findings/ -max_len=20000

clean: ## remove caches (never output/: its releases and snapshots are the history)
	rm -rf .pytest_cache .mypy_cache .ruff_cache
