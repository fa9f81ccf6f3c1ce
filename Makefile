# Everything sets itself up: `make test` and `make demo` work from a fresh clone.
PY_NEW := $(shell .ci/find-python 3.13)
PY_OLD := $(shell .ci/find-python 3.9)
VENV := .venv
VENV_OLD := .venv-3.9
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: test test-oldest lint install clean

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
test: $(VENV)/.installed $(VENV_OLD)/.installed lint
	$(VENV)/bin/python -m pytest
	$(VENV_OLD)/bin/python -m pytest tests/unit -q

test-oldest: $(VENV_OLD)/.installed
	$(VENV_OLD)/bin/python -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) $(VENV_OLD) build *.egg-info .pytest_cache
