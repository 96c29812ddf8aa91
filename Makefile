# Two commands on a fresh Debian/Ubuntu machine with python3 and make: `make demo`, `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test run migrate lint format clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3 -m venv failed: on Debian/Ubuntu run 'sudo apt-get install -y python3-venv'"; exit 1; }
	@$(BIN)/python -m pip install --quiet --upgrade pip > $(VENV)/install.log 2>&1 || { \
	  cat $(VENV)/install.log; exit 1; }

# The packages' build chatter goes to a log a newcomer can read if something fails.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing anabot and its packages into $(VENV) (a minute or two the first time;" \
	  "log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install -e '.[dev]' >> $(VENV)/install.log 2>&1 || { \
	  tail -n 40 $(VENV)/install.log; echo "make: installing failed (log above)"; exit 1; }
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/anabot demo $(ARGS)

test: $(STAMP)
	$(BIN)/ruff check bot storage tests bench
	$(BIN)/ruff format --check bot storage tests bench
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@echo "--- the flow tests again, on PostgreSQL + Redis (skipped, with the reason, if not running)"
	$(BIN)/python -m pytest -q --backend postgres-redis tests/flows

run: $(STAMP)
	$(BIN)/anabot run

migrate: $(STAMP)
	$(BIN)/anabot migrate

lint: $(STAMP)
	$(BIN)/ruff check bot storage tests bench

format: $(STAMP)
	$(BIN)/ruff check --fix bot storage tests bench
	$(BIN)/ruff format bot storage tests bench

clean:
	rm -rf $(VENV) .pytest_cache
