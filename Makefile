# The two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
PORT ?= 8000
STOREFRONT_PORT ?= 8001
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest-xdist: one worker per core, each with its own database, media and Redis key prefix
# (tests/conftest.py); `make test PYTEST_WORKERS=0` runs the suite in one process.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS)

.PHONY: demo test test-postgres test-dates lint schema

$(STAMP): pyproject.toml
	@echo "==> Creating $(VENV) (first run only; the next ones start at once)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> Upgrading pip"
	$(BIN)/pip install --quiet --upgrade pip
	@echo "==> Installing SatuPintu and its dependencies (a few minutes on the first run)"
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)
	@echo "==> Installed"

demo: $(STAMP)
	$(BIN)/satupintu demo --port $(PORT) --storefront-port $(STOREFRONT_PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/satupintu export-schema --check
	$(PYTEST)

test-postgres: $(STAMP)
	TEST_POSTGRES_URL=$${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(PYTEST)

# The date-sensitive tests again on two awkward days (libfaketime, Debian's `faketime`): the
# first minutes of a Jakarta year (17:30 UTC on 31 December) and the end of a February.
DATE_SENSITIVE := tests/platform/test_time_windows.py tests/cooperatives tests/loans tests/bills \
	tests/shu tests/city
test-dates: $(STAMP)
	@command -v faketime >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null; }
	for moment in "2026-12-31 17:30:00" "2027-02-28 17:45:00"; do \
		TZ=UTC faketime -f "@$$moment" $(PYTEST) $(DATE_SENSITIVE) || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

schema: $(STAMP)
	$(BIN)/satupintu export-schema
