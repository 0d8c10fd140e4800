# Byline: `make run` to try it, `make test` to check it. `make help` lists the rest.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# The one public address: every absolute URL (feeds, sitemaps, API, e-mails) follows it.
export BYLINE_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: help run setup serve web worker clock test test-only audit format seed bench screenshots clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.requirements: requirements.txt constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.requirements-test: $(VENV)/.requirements requirements-test.txt $(wildcard plugins/*/pyproject.toml)
	$(PIP) install --quiet -r requirements-test.txt
	@touch $@

setup: $(VENV)/.requirements ## Virtualenv, requirements, database, demo content, admin account
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo_content
	$(PY) manage.py demo_admin

run: setup serve ## Set everything up, then serve http://$(HOST):$(PORT)/ with a worker and the clock

serve: ## Run web server, task worker and clock together (Ctrl-C stops all three), no set-up
	$(PY) manage.py run_all $(HOST):$(PORT)

web: ## Only the web server
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: ## Only a task worker
	$(PY) manage.py run_worker

clock: ## Only the clock (queues periodic jobs)
	$(PY) manage.py run_clock

test: $(VENV)/.requirements-test ## Lint, check migrations and run the whole suite
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) -m pytest $(PYTEST_ARGS)

test-only: $(VENV)/.requirements-test ## Run the suite only (PYTEST_ARGS=... to pass options)
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) -m pytest $(PYTEST_ARGS)

audit: $(VENV)/.requirements-test ## Hardening checks, bounded (AUDIT_EXAMPLES=20 fuzz cases per operation), with figures
	$(PY) tests/audit.py $(PYTEST_ARGS)

format: $(VENV)/.requirements-test ## Format and fix what ruff can
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

seed: $(VENV)/.requirements ## Add N synthetic articles for scale work (N=10000)
	$(PY) manage.py load_demo_content --articles $(or $(N),10000)

bench: $(VENV)/.requirements-test ## Load-test the production set-up on N articles (10000): table, docs/benchmark/ JSON and chart
	@command -v wrk >/dev/null || echo "wrk is not installed (apt-get install wrk): using the slower Python load generator."
	$(PY) manage.py benchmark --articles $(or $(N),10000)

screenshots: $(VENV)/.requirements-test ## README pictures of the demo (docs/screenshots/); UPDATE=1 also renews the visual baselines
	$(PY) manage.py screenshots
	@if [ "$(UPDATE)" = "1" ]; then \
		BYLINE_UPDATE_BASELINES=1 DJANGO_SETTINGS_MODULE=cms.settings.test \
		$(PY) -m pytest tests/test_visual_regression.py -q -p no:randomly; fi

clean: ## Remove the virtualenv, database, media and collected static files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media static
