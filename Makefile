# Two commands for a new machine: `make run` and `make test` (README, quick start).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check setup browser bench evaluate clean train

# A CJK system font (Debian fonts-wqy-microhei, 5 MB) lets pdfium draw Chinese text whose font the PDF
# does not embed, so OCR can read it (README, "OCR"); installed when missing and we may (root + apt).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	@test -e $(CJK_FONT) || ! command -v apt-get >/dev/null || [ "$$(id -u)" != 0 ] \
	  || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null) \
	  || echo "warning: could not install fonts-wqy-microhei (Chinese in PDFs without embedded fonts will not be OCR'd)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/litmine rebuild corpus
	$(BIN)/litmine query "产业同质化" --limit 5

# Static checks first (seconds), then the suite: CI (.ci/run) runs exactly `make test`.
check: $(STAMP)
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

test: check browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The browser tests (tests/test_browser.py) drive Debian's chromium: installed here when missing
# (CI is a bare machine and runs as root; elsewhere install it yourself, the tests then skip).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed (apt-get install chromium): the browser tests will skip"; fi; }

evaluate: $(STAMP)
	$(BIN)/litmine evaluate --gold ../shared/gold/dev

train: $(STAMP)
	$(BIN)/litmine train --gold ../shared/gold/dev --save-to models/claims

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf outputs/litmine.sqlite outputs/export outputs/report
