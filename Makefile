# PESAN — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= pesan_cms.settings.dev

.PHONY: run test test-fast lint format venv install install-dev migrate demo messages bench clean guides

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

# The typed-client test (tests/test_ts_client.py) runs openapi-typescript and tsc from tools/ts-client; npm ci needs
# the network, so it runs here (once per package-lock.json), never in a test. Without npm it is left out (the test
# then skips, outside CI).
TS_CLIENT := tools/ts-client
$(TS_CLIENT)/node_modules/.package-lock.json: $(TS_CLIENT)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(TS_CLIENT) --no-audit --no-fund --loglevel=error >/dev/null; \
	else echo "npm not found: the typed-client test will be skipped (install Node.js 18+)"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(TS_CLIENT)/node_modules/.package-lock.json

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

## run: the product on the embedded default (SQLite + django-q2 ORM broker) with demo content. Links in notices
## and receipts use http://HOST:PORT unless WAGTAILADMIN_BASE_URL is set.
run: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
run: demo
	@echo ""
	@echo "  PESAN is starting at http://$(HOST):$(PORT)/"
	@echo "  Admin: http://$(HOST):$(PORT)/admin/  login: admin / pesan-admin (local demo only)"
	@echo "  API:   http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	$(PY) manage.py qcluster & QPID=$$!; \
	trap 'kill $$QPID 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: ruff, then the whole suite (SQLite unless DATABASE_URL is set) in parallel test processes (pytest-xdist).
## PYTEST_WORKERS: how many (default: cores + 1, as the suite also waits on the database, Chromium and
## subprocesses; 0 = one process, no xdist). PYTEST_ARGS: more pytest options, e.g. a file or -k.
## --dist load, not worksteal: a worker must run its tests in pytest-django's order (transactional tests, whose
## flush empties the database, last); a stolen test can run after a flush in its new worker.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
PYTEST = DJANGO_SETTINGS_MODULE=pesan_cms.settings.test $(VENV)/bin/pytest -n $(PYTEST_WORKERS) \
	$(if $(filter 0,$(PYTEST_WORKERS)),,--dist load)
test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PYTEST) $(PYTEST_ARGS)

## test-fast: the edit-and-test loop: no ruff, no browser tests, and the migrated test database is kept between
## runs (--reuse-db; rebuilt by itself when a migration changes; PYTEST_ARGS=--create-db forces it).
test-fast: install-dev
	$(PYTEST) --reuse-db -m "not browser" $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## guides: retake the pictures of the admin's guides (docs/guides/screenshots/, Indonesian, and its en/, English;
## issue 21) with the browser test that walks every role's tasks (Chromium, 1280x800, training data, the admin in each
## language) and then checks every guide shows them; commit the PNGs it writes. SQLite unless DATABASE_URL is set.
guides: install-dev
	PESAN_WRITE_GUIDES=1 DJANGO_SETTINGS_MODULE=pesan_cms.settings.test $(VENV)/bin/pytest -p no:cacheprovider -q \
		tests/browser/test_guide_screens.py $(PYTEST_ARGS)

## messages: extract every translatable string (apps into <app>/locale, templates/ into pesan_cms/locale) and compile.
messages: install
	$(PY) manage.py makemessages -l id -l en --ignore='.venv/*' --ignore='*/migrations/*' --ignore='tests/*' --ignore='static/*' --ignore='media/*' --ignore='bench/*'
	$(PY) manage.py compilemessages --ignore='.venv/*'

## bench: seed PostgreSQL (once; BENCH_RESEED=1 redoes it) and load gunicorn with wrk on loopback -> bench/results/.
## Needs PostgreSQL and Redis on 127.0.0.1 and wrk (installed with apt-get when missing). BENCH_QUICK=1: 5,000
## tickets in a separate database and 5-second runs (for development). BENCH_ARGS: extra bench/run.py options.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/$(if $(BENCH_QUICK),pesan_bench_quick,pesan_bench)
BENCH_SEED_ARGS := $(if $(BENCH_QUICK),--tickets 5000 --news 100 --regulations 50 --dip 30,) $(if $(BENCH_RESEED),--reset,--if-empty)
## BENCH_GROWTH: the ticket volumes of the growth table (each its own database, seeded once; the bench database
## serves the volume it holds). Empty with BENCH_QUICK.
BENCH_GROWTH ?= $(if $(BENCH_QUICK),,5000,50000,200000)
bench: install
	@command -v wrk >/dev/null 2>&1 || { echo "installing wrk"; if [ "$$(id -u)" = 0 ]; then apt-get install -y wrk; else sudo apt-get install -y wrk; fi; }
	DATABASE_URL=$(BENCH_DB) $(PY) bench/seed.py $(BENCH_SEED_ARGS)
	DATABASE_URL=$(BENCH_DB) $(PY) bench/run.py $(if $(BENCH_QUICK),--quick,) $(if $(BENCH_GROWTH),--growth $(BENCH_GROWTH),) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media private_media static
