# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PY_BOOT ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/govservice
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
TEST_BROKER_URL ?= redis://127.0.0.1:6379/2
# The whole suite runs in this many processes (pytest-xdist, one file per worker at a time);
# each has its own test database, Redis databases and media folders (govservice/settings/test.py).
TEST_WORKERS ?= 2

.PHONY: run test test-api smoke lint mypy bench load fuzz install system-deps services-check clean demo messages

$(PY):
	$(PY_BOOT) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load demo data, serve web + Celery worker + beat (Ctrl-C stops all)
run: install
	@bin/run

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

## make test: the whole suite on real Postgres and Redis, then the smoke set on the embedded
## defaults of `make run` (SQLite, filesystem broker); PYTEST_ARGS runs a part of the suite only,
## in one process
test: install system-deps services-check
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		$(PY) -m pytest $(if $(PYTEST_ARGS),$(PYTEST_ARGS),-n $(TEST_WORKERS) --dist loadfile --ignore=tests/api)
	$(if $(PYTEST_ARGS),,$(MAKE) --no-print-directory test-api)
	$(if $(PYTEST_ARGS),,$(MAKE) --no-print-directory smoke)

## make test-api: the OpenAPI contract runs, in one process: schemathesis' generated cases are
## not distributed by pytest-xdist (its workers drop them without a report)
test-api: install
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		$(PY) -m pytest tests/api

## make smoke: apply → accept → approve → download and a supervision pass on SQLite + filesystem broker
smoke: install
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=govservice.settings.smoke \
		$(PY) -m pytest tests/smoke $(SMOKE_ARGS)

system-deps:
	@bin/system-deps

services-check: install
	@DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) bin/services_check.py

# mypy checks the modules that hold the rules; imports they follow are read, not reported.
MYPY_TARGETS = $(wildcard apps/*/services.py apps/*/services apps/*/*selectors.py apps/*/selectors apps/*/workflow.py)

mypy: install
	DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/mypy $(MYPY_TARGETS)

## make messages: extract the msgids into the English catalogues and compile them (.mo)
MESSAGES_IGNORE = --ignore=tests --ignore=benchmarks --ignore=var
messages: install system-deps
	$(PY) manage.py makemessages -l en --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages -l en --ignore=.venv

lint: install system-deps
	$(PY) bin/check_translations.py
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(MAKE) --no-print-directory mypy
	DJANGO_SETTINGS_MODULE=govservice.settings.test DATABASE_URL=$(TEST_DATABASE_URL) \
		$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SECRET_KEY=ci-$$(date +%s)-a-long-random-secret-for-the-deploy-check-only-xyz \
	PII_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet;print(Fernet.generate_key().decode())') \
	PII_HASH_KEY=ci-hash-key DJANGO_ALLOWED_HOSTS=zwfw.example.gov.cn \
	DJANGO_SETTINGS_MODULE=govservice.settings.production \
		$(PY) manage.py check --deploy --fail-level WARNING

## make bench: each benchmark prints its figure against a baseline measured in the same run
bench: install services-check
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		$(PY) benchmarks/run.py $(BENCH_ARGS)

## make load: Locust against gunicorn on a scale database (LOAD_DATABASE_URL), 1/16/64 users, p50/p95 per page
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/govservice_scale
load: install services-check
	DATABASE_URL=$(LOAD_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		$(PY) benchmarks/load.py

## make fuzz: schemathesis over the whole API for every persona (tests/api/test_fuzz.py), long,
## outside CI: FUZZ_BUDGET_SECONDS of wall time per persona, FUZZ_MAX_EXAMPLES per operation
FUZZ_BUDGET_SECONDS ?= 600
FUZZ_MAX_EXAMPLES ?= 200
fuzz: install services-check
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
	FUZZ_BUDGET_SECONDS=$(FUZZ_BUDGET_SECONDS) FUZZ_MAX_EXAMPLES=$(FUZZ_MAX_EXAMPLES) \
		$(PY) -m pytest tests/api/test_fuzz.py -q $(FUZZ_ARGS)

clean:
	rm -rf var/*.sqlite3 var/broker var/media var/private var/test-media var/test-private var/smoke
