# Two commands on a fresh machine: `make demo` and `make test`. Each creates .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# mcgen's bytecode, as `pip install` writes it (an editable install does not, and
# PYTHONDONTWRITEBYTECODE=1 stops Python from writing it): each command imports faster.
BYTECODE := $(BIN)/python -m compileall -q -j 0 mcgen

.PHONY: demo test lint typecheck bench fuzz mutate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BYTECODE)
	touch $(STAMP)

demo: $(STAMP)  ## render the example fleet, lint it, show who can do what
	$(BYTECODE)
	$(BIN)/mcgen render
	$(BIN)/mcgen lint
	$(BIN)/mcgen access
	$(BIN)/mcgen secrets config --check      # .sops.yaml matches the fleet's recipients
	$(BIN)/mcgen secrets updatekeys --check  # every encrypted file has its clusters' keys
	$(BIN)/mcgen lint --select secret-recipients --select residency-secret  # EU keys only

test: $(STAMP)  ## ruff, mypy --strict, then the test suite
	$(BYTECODE)
	$(BIN)/ruff check mcgen tests $(wildcard bench) $(wildcard tools)
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

fuzz: $(STAMP)  ## many more property-based examples than CI runs
	MCGEN_FUZZ_EXAMPLES=20000 $(BIN)/pytest tests/fuzz -q

mutate: $(STAMP)  ## mutation testing of rules, suppressions, values, path safety, sandbox
	$(BIN)/python tools/mutate.py $(MODULES)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
