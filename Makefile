# Everything sets itself up: `make test` and `make demo` work from a fresh clone.
PY_NEW := $(shell .ci/find-python 3.13)
PY_OLD := $(shell .ci/find-python 3.9)
VENV := .venv
VENV_OLD := .venv-3.9
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: test test-oldest lint install clean bench demo demo-target tools system-deps

$(VENV)/.installed: setup.py
	test -x $(VENV)/bin/python || $(PY_NEW) -m venv $(VENV)
	$(VENV)/bin/pip install $(PIP_FLAGS) --upgrade pip
	$(VENV)/bin/pip install $(PIP_FLAGS) -e '.[test]'
	touch $@

$(VENV_OLD)/.installed: setup.py
	test -x $(VENV_OLD)/bin/python || $(PY_OLD) -m venv $(VENV_OLD)
	$(VENV_OLD)/bin/pip install $(PIP_FLAGS) --upgrade pip
	$(VENV_OLD)/bin/pip install $(PIP_FLAGS) -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The whole suite on the newest supported Python, the fast unit tests on the oldest.
test: $(VENV)/.installed $(VENV_OLD)/.installed lint system-deps
	$(VENV)/bin/python -m pytest
	$(VENV_OLD)/bin/python -m pytest tests/unit -q

test-oldest: $(VENV_OLD)/.installed
	$(VENV_OLD)/bin/python -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

# Benchmarks against the sandbox (not part of `test`): prints a table, writes benchmarks/results.json.
bench: $(VENV)/.installed
	$(VENV)/bin/python -m benchmarks

clean:
	rm -rf $(VENV) $(VENV_OLD) build *.egg-info .pytest_cache

# Singer targets and tools (target-jsonl, target-csv, target-postgres, singer-tools, meltano, mage-ai),
# each in its own venv under .venv-targets/; the tests install what they need the same way.
tools: $(VENV)/.installed
	$(VENV)/bin/python -m demo.toolenv

demo-target: $(VENV)/.installed
	$(VENV)/bin/python -m demo.toolenv target-jsonl

# Both taps against the local sandbox APIs into target-jsonl, then again from the saved state.
# DEMO_ARGS="--scale small" for more data (Mode's rate limit makes that about 5 minutes).
demo: $(VENV)/.installed demo-target
	$(VENV)/bin/python -m demo $(DEMO_ARGS)

# PostgreSQL's server programs, for the target-postgres tests: apt-get installs them where
# they are missing (CI runs as root); elsewhere those tests say they are skipped and why.
system-deps:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "installing PostgreSQL with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else echo "PostgreSQL server not found, apt-get not usable: target-postgres tests will skip" >&2; fi
