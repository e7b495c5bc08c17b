# Two commands on a fresh machine with Python 3.11:
#   make run   - set up .venv, build the index of corpus/, start the web app
#   make test  - set up .venv (plus test tools and Chromium), run the static checks and the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
CLI    := $(VENV)/bin/inspection-search
INDEX  ?= var/index
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test test-fast lint setup setup-test index eval bench screenshots clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' 2>/dev/null || { echo "needs Python 3.11 (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# the CPU build of torch first, pinned: an unpinned torch pulls a multi-GB CUDA build
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

# Chromium for the browser tests comes from Debian's packages; Playwright never downloads one.
$(VENV)/.browser: $(VENV)/.installed
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: sudo apt-get install chromium (browser tests will be skipped)"; fi; fi
	touch $@

setup-test: $(VENV)/.installed $(VENV)/.browser

index: setup
	$(CLI) index corpus --index $(INDEX)

run: setup index
	$(CLI) ui --index $(INDEX)

# static checks: ruff everywhere, mypy on indexer/ and search/ (settings in pyproject.toml)
lint: setup-test
	$(PY) -m ruff check indexer search eval ui tests
	$(PY) -m mypy indexer search

test: setup-test lint
	$(PY) -m pytest -q

# the quick loop while changing code: unit tests that need no model, no index and no browser (under a minute)
test-fast: setup-test
	$(PY) -m pytest -q -m "not model and not browser and not slow"

# a screenshot of every tab (docs/screenshots/), on the corpus plus an uploaded report and plan, in Chromium
screenshots: setup-test
	$(PY) tests/screenshots.py --out docs/screenshots

eval: setup index
	$(CLI) eval --index $(INDEX)

bench: setup
	$(CLI) bench

clean:
	rm -rf $(VENV) var
