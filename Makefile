# One entry point for the project. `make` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.NOTPARALLEL:

VENV        := .venv
PY          := $(VENV)/bin/python
STAMP       := $(VENV)/.installed.stamp
MODEL_NAME  := zibo-skills-assistant
MODEL       := models/$(MODEL_NAME).tar.gz
FINGERPRINT := var/model.fingerprint

# Less noise from TensorFlow and Rasa.
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false

.PHONY: help venv train run run-prod pg-redis-stop test test-fast lint browser-deps bench load-test purge purge-prod clean distclean

help: ## Show this help
	@echo "Usage: make <target>"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-14s %s\n", $$1, $$2}'

venv: $(STAMP) ## Create .venv with Python 3.10 and install requirements.lock (only when it changed)

$(STAMP): requirements.lock pyproject.toml
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then \
		echo "error: $(VENV) is not Python 3.10; remove it (rm -rf $(VENV)) and run make again" >&2; exit 1; fi
	@if [ ! -x $(PY) ]; then \
		python=$$(scripts/find-python310.sh) || exit 1; \
		echo "Creating $(VENV) with $$python"; \
		"$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.lock
	$(PY) -m pip install --disable-pip-version-check -q --no-deps -e .
	@touch $@

train: venv ## Train the Rasa model into models/ when config, domain or data changed
	@mkdir -p var models
	@# One training at a time (several sessions or test runs may ask at once); the check
	@# runs again once the lock is ours, so a model trained meanwhile is reused.
	@flock var/train.lock bash -c ' \
	fingerprint=$$(scripts/model-fingerprint.sh); \
	if [ -f $(MODEL) ] && [ "$$fingerprint" = "$$(cat $(FINGERPRINT) 2>/dev/null)" ]; then \
		echo "Model $(MODEL) is up to date."; \
	else \
		echo "Training $(MODEL)..."; \
		$(PY) -m bot.nlu.userdict && \
		$(PY) -m rasa train --fixed-model-name $(MODEL_NAME) --out models && \
		echo "$$fingerprint" > $(FINGERPRINT); \
	fi'

run: venv train ## Start Rasa, the action server and the web app (Ctrl-C stops them)
	$(PY) -m bot.run

run-prod: venv train ## Production profile: PostgreSQL, Redis, 2 Rasa + 2 action servers, the web app
	$(PY) -m bot.run --profile prod

pg-redis-stop: ## Stop the production profile's PostgreSQL and Redis if left running (data kept)
	scripts/pg-redis.sh stop

bench: venv train ## Measure latency, memory, start-up, training; rewrite docs/benchmarks.md
	$(PY) scripts/bench.py

load-test: venv train ## Locust: 100 users doing full interviews on the production profile
	$(PY) scripts/load_test.py --users 100

# Conversations older than this many days are deleted by `make purge` (see SECURITY.md: retention).
DAYS ?= 180

purge: venv ## Delete conversations with no activity in the last DAYS days (default 180) from the tracker store
	$(PY) -m bot.purge --days $(DAYS) --endpoints $(or $(RASA_ENDPOINTS),endpoints.yml)

purge-prod: venv ## The same for the production profile's PostgreSQL (make purge-prod DAYS=180)
	$(PY) -m bot.purge --days $(DAYS) --prod

test: venv train lint browser-deps ## Everything CI runs: train if needed, lint, all tests
	$(PY) -m pytest

test-fast: venv ## Fast tests only: no model, no servers, no browser
	$(PY) -m pytest -m "not slow and not browser"

# The browser tests drive Debian's Chromium (Playwright's own browser download does not
# work here) and need a Chinese font to draw the pages they screenshot.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

browser-deps: ## Install Chromium and a Chinese font with apt, only when missing
	@if [ -x /usr/bin/chromium ] && fc-list :lang=zh 2>/dev/null | grep -q .; then \
		echo "Chromium and a Chinese font are installed."; \
	else \
		echo "Installing chromium and fonts-wqy-microhei with apt-get..."; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium fonts-wqy-microhei; \
	fi

lint: venv ## ruff and mypy
	$(PY) -m ruff check .
	$(PY) -m mypy

clean: ## Remove the model, logs, tracker database and caches (keeps .venv)
	rm -rf models var .rasa .pytest_cache .mypy_cache .ruff_cache .hypothesis results

distclean: clean ## clean, and remove .venv too
	rm -rf $(VENV)
