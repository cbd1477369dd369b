# Two commands do all the set-up on a fresh machine:
#   make run    the app on SQLite with demo data, at http://127.0.0.1:8000 (PORT=8001 …)
#   make test   every test (DATABASE_URL selects PostgreSQL; SQLite otherwise)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Tests run with debug off, as in production, so they need a key; it signs nothing real.
TEST_SECRET_KEY := test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz
# `make run PORT=8001` serves on another port (another checkout may hold 8000).
PORT ?= 8000

.PHONY: run test lint format check lock clean bench fuzz messages loadtest faulttest backup-check two-servers screenshots

$(BIN)/.installed: requirements.lock requirements-pip.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "hr_police needs Python 3.11 or newer (PYTHON=$(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-pip.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

run: $(BIN)/.installed
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=true $(BIN)/python manage.py seed_demo --reset-passwords
	@echo "Serving on http://127.0.0.1:$(PORT)/ — sign in with a demo login above. Ctrl-C stops."
	DJANGO_DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(BIN)/.installed
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$(TEST_SECRET_KEY)}" $(BIN)/pytest $(PYTEST_ARGS)

APPS := privatefiles privacy agreements liaisons mediation score_replies perception consultations peer_reports accounts scoring reports bundles workspace api demo

# ruff, mypy, and the app layers of pyproject.toml's import-linter contracts.
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=true $(BIN)/mypy $(APPS) hr_police
	$(BIN)/lint-imports

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint test

# Refresh the French catalog from the templates and the code (keeping its translations),
# then compile it. Translate the new entries in locale/fr_CA/LC_MESSAGES/django.po
# (msgfmt --statistics lists what is left), run this again, and commit both files.
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=node_modules --ignore=static
messages: $(BIN)/.installed
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages -l fr_CA --add-location=file $(MESSAGES_IGNORE)
	DJANGO_DEBUG=true $(BIN)/python manage.py compilemessages -l fr_CA $(MESSAGES_IGNORE)
	msgfmt --check --statistics -o /dev/null locale/fr_CA/LC_MESSAGES/django.po

# Fuzz the HTTP API from its OpenAPI document (schemathesis) against a throwaway server
# on 127.0.0.1:8765 with its own SQLite database; FUZZ_MAX_EXAMPLES, FUZZ_SEED to vary.
fuzz: $(BIN)/.installed
	tests/api/fuzz.sh

# Benchmarks on databases of their own (dropped and created again each run): PostgreSQL
# at BENCH_DATABASE_URL and SQLite in var/, each with N=5 and N=50 large sites; figures go
# to docs/benchmarks.md and docs/benchmarks.json. Needs createdb/psql and wrk; without
# them it says so and measures what it can.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hr_police_bench
bench: $(BIN)/.installed
	BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python -m demo.bench.suite

# Reliability (docs/operations.md). Loopback only, bounded in time; each exits non-zero on
# failure and writes its summary to var/. The load test recreates LOADTEST_DATABASE_URL
# (its name must contain "load"); the fault test runs a PostgreSQL cluster of its own on
# port 5499 and restarts it mid-run; the backup check dumps and restores a scratch copy.
LOADTEST_SECONDS ?= 60
LOADTEST_WORKERS ?= 6
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hr_police_load
loadtest: $(BIN)/.installed
	$(BIN)/python scripts/loadtest.py --seconds $(LOADTEST_SECONDS) --workers $(LOADTEST_WORKERS) \
		--database-url $(LOADTEST_DATABASE_URL)

faulttest: $(BIN)/.installed
	$(BIN)/python scripts/faulttest.py --seconds $(LOADTEST_SECONDS) --workers $(LOADTEST_WORKERS)

backup-check: $(BIN)/.installed
	scripts/backup_restore_check.sh

# Two gunicorn servers on one PostgreSQL and one Redis behind Debian's nginx, with one
# db_worker: a session, the API rate limit, an uploaded PDF and a network report each
# cross from one server to the other (docs/operations.md). Recreates
# TWO_SERVERS_DATABASE_URL (its name must contain "load"); stops itself after 300 s.
TWO_SERVERS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hr_police_load_two
two-servers: $(BIN)/.installed
	$(BIN)/python scripts/two_servers.py --database-url $(TWO_SERVERS_DATABASE_URL) \
		--seconds-limit 300

# PNGs of the main pages into docs/screenshots/, from a throwaway demo server (Chromium).
screenshots: $(BIN)/.installed
	$(BIN)/python scripts/screenshots.py

# Refresh the lock file after changing dependencies in pyproject.toml (needs uv).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		-o requirements.lock

clean:
	rm -rf $(VENV) var/
