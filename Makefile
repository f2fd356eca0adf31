# casebase: `make run` serves the site, `make test` runs every test. See README.md.

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
ARGS   ?=

.PHONY: venv run seed test lint bench soak scaleout backup restore clean

venv: $(STAMP)

$(PY):
	@py="$$(bash scripts/find-python)" && echo "Creating $(VENV) with $$py" && "$$py" -m venv $(VENV)

# Reinstall only when the dependencies change.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[dev]'
	@touch $@

# The development server and the commands around it run with debug on unless told otherwise.
run seed lint: export DJANGO_DEBUG ?= 1

run: venv
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed
	$(PY) manage.py seed_editorial_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

seed: venv
	$(PY) manage.py seed
	$(PY) manage.py seed_editorial_demo

test: venv
	bash scripts/test $(ARGS)

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# The site under gunicorn, loaded with wrk, beside a bare view and Datasette (bench/__main__.py). QUICK=1: a minute.
bench: venv
	$(PY) -m bench $(if $(QUICK),--quick) $(ARGS)

# Mixed traffic at 32 connections under gunicorn on a throwaway PostgreSQL, restarted midway (bench/soak.py).
# SOAK_SECONDS (default 300); QUICK=1: one minute.
soak: venv
	$(PY) -m bench.soak $(if $(QUICK),--quick) $(ARGS)

# Two gunicorn servers on one PostgreSQL and one Redis: an edit on one is seen, uncached, on the other (bench/scaleout.py).
scaleout: venv
	$(PY) -m bench.scaleout

# A consistent backup of the configured database into backups/, and putting one back (FILE=...).
backup: venv
	$(PY) manage.py backup

restore: venv
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/casebase-....dump"; exit 2; }
	$(PY) manage.py restore --yes "$(FILE)"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
