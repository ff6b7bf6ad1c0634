# `make test` and `make demo` are the whole set-up on a fresh machine: they create .venv
# and install what is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
N ?= 10000
SEED ?= 0

.PHONY: test test-all demo fuzz bench bench-quick bench-scripts clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# the whole corpus on the python backend and a sample of it on Numba (tests/conftest.py),
# spread over the machine's cores
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

# every test on every backend
test-all: $(STAMP)
	$(BIN)/python -m pytest -q -n auto --all-numba

demo: $(STAMP)
	$(BIN)/python examples/quickstart.py
	$(BIN)/python -m adcompiler show examples/quickstart.py:f --mode forward

fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz.run --n $(N) --seed $(SEED)

# the benchmark suite (benchmarks/suite.py): writes docs/performance.md and its plots;
# installs the optional bench extra (JAX, autograd, matplotlib) first
BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/suite.py

# small sizes, a few minutes; the report goes to build/bench-quick/performance.md
bench-quick: $(BENCH_STAMP)
	$(BIN)/python benchmarks/suite.py --quick

# the older single-purpose scripts: scalar loops, the examples, first call of a loop function
bench-scripts: $(STAMP)
	cd benchmarks && ../$(BIN)/python bench_scalar.py && ../$(BIN)/python bench_examples.py \
		&& ../$(BIN)/python first_call.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache build/bench-quick
