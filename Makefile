# Setu: `make run` starts the platform with demo data; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck pytest bench messages clean help

help:
	@echo "make run    start Setu with demo data on http://127.0.0.1:8000 (Ctrl-C stops it)"
	@echo "make test   ruff, mypy and the test suite on SQLite (and PostgreSQL when it answers)"
	@echo "make bench  benchmarks: one table of figures against their targets, fails on a miss; BENCH_ARGS=--quick for the small sizes"

$(STAMP): pyproject.toml requirements/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Setu needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --queue-name '*' --no-reload & \
	  $(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

typecheck: $(STAMP)
	$(VENV)/bin/mypy setu config bench

pytest: $(STAMP)
	$(PY) scripts/run_tests.py

test: lint typecheck pytest

bench: $(STAMP)
	$(PY) bench/run_all.py $(BENCH_ARGS)

messages: $(STAMP)
	$(PY) manage.py makemessages -l ja -l hi --no-obsolete --ignore='.venv/*' --ignore='var/*' --ignore='bench/*' --ignore='tests' --add-location=file
	$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) var/test-results
