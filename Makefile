# pmot: the two set-up commands are `make run` and `make test` (README).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py

# make run: the embedded default, whatever the caller's environment says.
EMBEDDED := env -u DATABASE_URL -u REDIS_URL DEBUG=1
# make test: PostgreSQL and Redis on this machine; the live server of browser tests speaks HTTP.
TEST_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/pmot \
	REDIS_URL=redis://127.0.0.1:6379/1 \
	SECRET_KEY=only-for-the-test-suite STATIC_MANIFEST=0 DEBUG=0 SECURE_SSL_REDIRECT=0

SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext docker-compose chromium \
	faketime

.PHONY: run test clock-ahead fuzz lint messages check-messages system-deps services clean backup restore

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

messages: $(STAMP)
	$(VENV)/bin/pybabel compile -d locale -D django >/dev/null

run: $(STAMP) messages
	$(EMBEDDED) $(MANAGE) migrate --noinput
	$(EMBEDDED) $(MANAGE) load_demo
	$(EMBEDDED) $(MANAGE) runserver 127.0.0.1:8000

# Debian packages WeasyPrint, the translation tools, the compose check and browser tests need.
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq $$missing >/dev/null; \
	fi

# Start PostgreSQL and Redis when installed but stopped; create the database.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { command -v pg_ctlcluster >/dev/null && \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; }
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { command -v redis-server >/dev/null && \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; }
	@for i in $$(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='pmot'" | grep -q 1 || \
		createdb -h 127.0.0.1 -U postgres pmot

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/djlint templates --lint
	@if command -v docker-compose >/dev/null; then \
		SECRET_KEY=x POSTGRES_PASSWORD=x docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml: valid"; \
	else echo "docker-compose not installed: compose file not checked"; fi
	$(MAKE) --no-print-directory check-messages

# Every string marked for translation has its Spanish text.
check-messages: $(STAMP)
	@command -v xgettext >/dev/null || { echo "gettext missing: run make system-deps"; exit 1; }
	@tmp=$$(mktemp -d) && cp -r locale "$$tmp/" && \
	DEBUG=1 $(MANAGE) makemessages -l es_MX --no-obsolete --add-location=file -i staticfiles -i build -i media -v0 && \
	$(PY) -m pmot.core.check_messages locale/es_MX/LC_MESSAGES/django.po; status=$$?; \
	rm -rf locale && cp -r "$$tmp/locale" . && rm -rf "$$tmp"; exit $$status

# make test runs as CI does (CI=true, tests/conftest.py): it refuses to start without PostgreSQL
# and Redis, and a skipped test fails it. `make test CI=false` runs on what it finds.
# --dist loadfile: a file runs in one worker (its module fixtures once). Not loadgroup: with
# pytest 9.2 and pytest-xdist 3.8 it ignores xdist_group marks (pytest-xdist issue 1386) and
# hands out tests one by one. When `services` cannot start PostgreSQL or Redis (not installed),
# the suite still starts, to say what is missing and how to start it.
CI ?= true
test: system-deps $(STAMP) messages lint
	@$(MAKE) --no-print-directory services || echo "make services: PostgreSQL or Redis did not start"
	CI=$(CI) $(TEST_ENV) $(VENV)/bin/pytest -n 2 --dist loadfile

# make clock-ahead: the whole suite on a later day (CLOCK_AHEAD, faketime's syntax: +400d, or
# "@2027-01-02 10:00:00"). Debian's libfaketime moves the clock of pytest and what it starts
# (gunicorn, chromium, workers); PostgreSQL's server keeps its own, which pmot never reads.
CLOCK_AHEAD ?= +400d
clock-ahead: system-deps $(STAMP) services messages
	CI=$(CI) $(TEST_ENV) faketime -f '$(CLOCK_AHEAD)' $(VENV)/bin/pytest -n 2 --dist loadfile

# make fuzz: the property-based tests of `make test` with random seeds and many more examples
# (PMOT_FUZZ_SCALE times each test's count). Not part of `make test`: a failure it finds is
# kept as an `@example` in the test, so the suite replays it on every run.
PMOT_FUZZ_SCALE ?= 20
fuzz: system-deps $(STAMP) services messages
	$(TEST_ENV) PMOT_HYPOTHESIS_PROFILE=explore PMOT_FUZZ_SCALE=$(PMOT_FUZZ_SCALE) \
		$(VENV)/bin/pytest -n 2 --dist loadfile tests/fuzz

# make backup / make restore ARCHIVE=…: the deployed database (DATABASE_URL) and the uploaded
# files, from the caller's environment like the server (README, "Seguridad y operación").
backup: $(STAMP)
	$(MANAGE) backup $(if $(OUTPUT),--output $(OUTPUT))

restore: $(STAMP)
	@test -n "$(ARCHIVE)" || { echo "Uso: make restore ARCHIVE=backups/pmot-backup-….tar.gz"; exit 2; }
	$(MANAGE) restore "$(ARCHIVE)" --yes

clean:
	rm -rf $(VENV) staticfiles pmot.sqlite3

# make bench: the POA, evaluation and the public portal at the scale of a large municipality
# and the load test (tests/bench/RESULTS.md, RESULTS-evaluation.md, RESULTS-portal.md,
# RESULTS-load.md). Not a test: a database
# of its own, created and dropped by each script; `make test` never runs it.
BENCH_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/pmot_bench \
	REDIS_URL=redis://127.0.0.1:6379/9 \
	SECRET_KEY=only-for-the-benchmark STATIC_MANIFEST=0 DEBUG=0 SECURE_SSL_REDIRECT=0
.PHONY: bench bench-deps
# wrk (Debian package) drives the load of the public portal's benchmark.
bench-deps:
	@command -v wrk >/dev/null || { \
		echo "Installing Debian package: wrk"; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq wrk >/dev/null; }

bench: system-deps bench-deps $(STAMP) services messages
	$(BENCH_ENV) $(PY) tests/bench/bench_poa.py
	$(BENCH_ENV) $(PY) tests/bench/bench_evaluation.py
	$(BENCH_ENV) $(PY) tests/bench/bench_portal.py
	$(BENCH_ENV) $(PY) tests/bench/bench_load.py
