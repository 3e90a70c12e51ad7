# Two entry points: `make run` (set up, then serve the app on the bundled corpus) and
# `make test` (set up, then run the whole test suite, browser tests and evaluation gate included).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install run test lint chromium bench screenshots clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/hoidap serve

chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  { echo "Cài Chromium (apt) cho kiểm thử trình duyệt…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: install
	$(BIN)/ruff check hoidap index rag service quiz ui eval cli prompts tests

test: install chromium lint
	$(BIN)/pytest -q

bench: install
	$(BIN)/hoidap bench

screenshots: install chromium
	HOIDAP_SCREENSHOTS=1 $(BIN)/pytest -q tests/ui/test_browser.py tests/ui/test_everyday.py

clean:
	rm -rf $(VENV) .pytest_cache runs
