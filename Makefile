# Meldpunt: `make run` to try it, `make test` to test it. Needs Python 3.11+; no root, no Docker.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test browser lint format install messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) -m devstack run

test: install browser
	$(PY) -m pytest $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium through Playwright (Playwright's own browser download
# is not used). As root, a missing Chromium is installed; otherwise we say how.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install chromium' (or set CHROMIUM=/path)."; \
	    if [ "$$CI" = true ]; then exit 1; fi; \
	  fi; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract and compile the translation catalogs (needs GNU gettext).
messages: install
	DJANGO_SETTINGS_MODULE=meldpunt.settings.development $(PY) manage.py makemessages --all --no-obsolete --ignore='.venv/*' --ignore='.data/*' --ignore='tests/*' --ignore='bench/*'
	DJANGO_SETTINGS_MODULE=meldpunt.settings.development $(PY) manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf $(VENV) .data .pytest_cache
