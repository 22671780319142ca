# Two commands on a fresh machine: `make demo` and `make test`. Each creates .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## render the example fleet, lint it, show who can do what
	$(BIN)/mcgen render
	$(BIN)/mcgen lint
	$(BIN)/mcgen access
	$(BIN)/mcgen secrets config --check      # .sops.yaml matches the fleet's recipients
	$(BIN)/mcgen secrets updatekeys --check  # every encrypted file has its clusters' keys
	$(BIN)/mcgen lint --select secret-recipients --select residency-secret  # EU keys only

test: $(STAMP)  ## ruff, mypy --strict, then the test suite
	$(BIN)/ruff check mcgen tests $(wildcard bench)
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

fuzz: $(STAMP)  ## many more property-based examples than CI runs
	MCGEN_FUZZ_EXAMPLES=20000 $(BIN)/pytest tests/fuzz -q

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
