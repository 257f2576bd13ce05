# Two commands matter: `make run` (install, index knowledge/ when needed, start the bot or a
# terminal chat) and `make test` (install, then lint and run every test).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp

.PHONY: install run test lint eval bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/replikasi run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install $(NODE_STAMP) lint
	$(VENV)/bin/pytest

eval: install
	$(VENV)/bin/replikasi eval ../shared/eval/questions.jsonl

clean:
	rm -rf $(VENV) node_modules data
