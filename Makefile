# The two commands the README opens with: `make run` and `make test`.
# Everything installs itself into .venv/ on first use (Python 3.8-3.10 found automatically;
# override with PYTHON=/path/to/python3.10).
VENV_PYTHON := .venv/bin/python

# `make run PROFILE=production`: PostgreSQL and Redis instead of SQLite files (README, docs/operations.md).
ifdef PROFILE
export CLAIR_PROFILE := $(PROFILE)
endif

.PHONY: run test check setup train evaluate evaluate-dev bench lock kb-load kb-check

setup:
	@scripts/setup.sh
	@scripts/setup-web.sh

run: setup
	@$(VENV_PYTHON) -m bot run

test: check
	@scripts/setup-web.sh --browser
	@$(VENV_PYTHON) -m pytest

# Lint and type checks (settings in pyproject.toml), run by `make test` before the tests.
check: setup
	@$(VENV_PYTHON) -m ruff check --quiet .
	@$(VENV_PYTHON) -m mypy

train: setup
	@$(VENV_PYTHON) -m bot train

evaluate: setup
	@$(VENV_PYTHON) -m bot evaluate

evaluate-dev: setup
	@$(VENV_PYTHON) -m bot evaluate --dev

bench: setup
	@$(VENV_PYTHON) -m bot bench

kb-load: setup
	@$(VENV_PYTHON) -m bot kb load

kb-check: setup
	@$(VENV_PYTHON) -m bot kb check

lock:
	@scripts/lock.sh
