# Two commands matter: `make run` (install, index knowledge/ when needed, start the bot or a
# terminal chat) and `make test` (install, then lint and run every test).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp

.PHONY: install run test fast lint postgres ocr eval bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP)

run: install ocr
	$(VENV)/bin/replikasi run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The shared-state tests start a throwaway PostgreSQL server from Debian's binaries: install
# them when missing (CI runs as root on a fresh clone). Without root or apt-get, say so and let
# those tests skip (with CI=true they fail instead, so CI cannot pass by testing nothing).
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing PostgreSQL for the tests (apt-get install postgresql)..."; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends postgresql; } >/dev/null \
		|| echo "Note: installing PostgreSQL failed; its tests will be skipped."; \
	else \
		echo "Note: PostgreSQL is not installed (installing it needs root and apt-get), so its"; \
		echo "tests will be skipped. On Debian/Ubuntu: sudo apt-get install postgresql"; \
	fi

# Scanned PDFs are read with Tesseract and its Indonesian model (Debian packages). Install them
# when missing, like PostgreSQL above; without root or apt-get, say so: scanned PDFs are then
# refused with a clear message and the OCR tests skip (with CI=true they fail instead).
ocr:
	@if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx ind; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Tesseract OCR for scanned PDFs (apt-get install tesseract-ocr-ind)..."; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends tesseract-ocr tesseract-ocr-ind; } >/dev/null \
		|| echo "Note: installing Tesseract failed; scanned PDFs cannot be read."; \
	else \
		echo "Note: Tesseract OCR is not installed (installing it needs root and apt-get), so"; \
		echo "scanned PDFs cannot be read and the OCR tests will be skipped. On Debian/Ubuntu:"; \
		echo "sudo apt-get install tesseract-ocr tesseract-ocr-ind"; \
	fi

test: install $(NODE_STAMP) lint postgres ocr
	$(VENV)/bin/pytest

# The developer's loop: no real model, no servers, two workers (see tests/conftest.py).
fast: install
	$(VENV)/bin/pytest -m "not slow and not e2e" -n 2 -q

eval: install
	$(VENV)/bin/replikasi eval ../shared/eval/questions.jsonl

clean:
	rm -rf $(VENV) node_modules data
