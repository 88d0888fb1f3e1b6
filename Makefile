# Two commands on a fresh machine:
#   make run   — set up, migrate the embedded SQLite database, load demo data, serve on :5000
#   make test  — set up with test dependencies, run the whole suite (SQLite + PostgreSQL)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HASH   := $(shell cat pyproject.toml | sha1sum | cut -c1-12)
export FLASK_APP := workflow_app
# Plain-HTTP demo on localhost: cookies cannot be Secure there. Production keeps the default.
RUN_ENV := SESSION_COOKIE_SECURE=false

.PHONY: run test setup setup-test translations browser-deps migrate demo lint serve

# uv (from PyPI, into the venv) installs the packages: about 9 s on a fresh clone where pip
# took 45 s with its cache warm. Same index, same version ranges from pyproject.toml.
$(BIN)/uv:
	test -x $(BIN)/pip || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv

$(VENV)/.runtime-$(HASH): $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e .
	touch $@

# One install for the runtime and the test dependencies (a fresh clone resolved everything
# twice before); it also marks the runtime as installed.
$(VENV)/.test-$(HASH): $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test]'
	touch $(VENV)/.runtime-$(HASH) $@

setup: $(VENV)/.runtime-$(HASH) translations

setup-test: $(VENV)/.test-$(HASH) translations browser-deps

# Compile the vi/en catalogues to .mo (git-ignored). Fuzzy entries are not shipped; a broken
# .po file fails the set-up. Re-extracting strings: workflow_app/translations/README.md.
translations:
	$(BIN)/pybabel -q compile -d workflow_app/translations -D messages

# Playwright cannot download browsers here: the browser tests drive Debian's chromium.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

migrate: setup
	$(RUN_ENV) $(BIN)/flask db upgrade

demo: migrate
	$(RUN_ENV) $(BIN)/flask catalogue load
	$(RUN_ENV) $(BIN)/flask demo load

serve:
	$(RUN_ENV) $(BIN)/gunicorn --workers 2 --bind 127.0.0.1:5000 --access-logfile - 'workflow_app:create_app()'

run: demo serve

lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Both cores (pytest-xdist; each worker has its own databases, ports and chromium), the 25
# slowest tests and the counts of tests run (and run on PostgreSQL) at the end. Override for
# a narrower run, e.g.
# `make test PYTEST_ARGS="tests/decisions/test_numbering.py"`.
PYTEST_ARGS ?= -n auto --durations=25

test: setup-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)
