# PESAN — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= pesan_cms.settings.dev

.PHONY: run test lint format venv install install-dev migrate demo messages bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

## run: the product on the embedded default (SQLite + django-q2 ORM broker) with demo content.
run: demo
	@echo ""
	@echo "  PESAN is starting at http://$(HOST):$(PORT)/"
	@echo "  Admin: http://$(HOST):$(PORT)/admin/  login: admin / pesan-admin (local demo only)"
	@echo "  API:   http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	$(PY) manage.py qcluster & QPID=$$!; \
	trap 'kill $$QPID 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: the whole suite (SQLite unless DATABASE_URL is set), then ruff.
test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=pesan_cms.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## messages: extract every translatable string (apps into <app>/locale, templates/ into pesan_cms/locale) and compile.
messages: install
	$(PY) manage.py makemessages -l id -l en --ignore='.venv/*' --ignore='*/migrations/*' --ignore='tests/*' --ignore='static/*' --ignore='media/*' --ignore='bench/*'
	$(PY) manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf $(VENV) db.sqlite3 media private_media static
