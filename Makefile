# Meldpunt: `make run` to try it, `make test` to test it. Needs Python 3.11+; no root, no Docker.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint format install messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) -m devstack run

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract and compile the translation catalogs (needs GNU gettext).
messages: install
	DJANGO_SETTINGS_MODULE=meldpunt.settings.development $(PY) manage.py makemessages --all --no-obsolete --ignore='.venv/*' --ignore='.data/*'
	DJANGO_SETTINGS_MODULE=meldpunt.settings.development $(PY) manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf $(VENV) .data .pytest_cache
