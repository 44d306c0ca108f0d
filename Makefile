# Two commands on a fresh machine: `make site` builds the bundled papers into output/,
# `make test` runs the whole test suite.  Everything else is in tasks.py (invoke --list).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: site test serve update publish clean install ci-fetch check bench

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# The pinned requirements, then the project itself (pyproject.toml: the paper library and
# the plugins), editable: the code is used where it is, from any working directory.
$(VENV)/.requirements: requirements.txt pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e .
	touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e .
	touch $@ $(VENV)/.requirements

site: $(VENV)/.requirements  ## build the site from content/ into output/ (no network)
	$(BIN)/invoke build

test: $(VENV)/.requirements-dev  ## run the whole test suite (offline; the browser tests need Chromium)
	$(BIN)/invoke test --args "$(PYTEST_ARGS)"

serve: $(VENV)/.requirements  ## build, then preview on http://127.0.0.1:8000 with rebuilds
	$(BIN)/invoke serve

update: $(VENV)/.requirements  ## fetch today's papers, then build
	$(BIN)/invoke update

publish: $(VENV)/.requirements  ## build with publishconf.py (SITEURL from the environment)
	$(BIN)/invoke publish

install: $(VENV)/.requirements  ## the virtualenv with the pinned requirements (CI's first step)

ci-fetch: $(VENV)/.requirements  ## fetch the last 3 days again, as the daily CI run does
	$(BIN)/invoke ci-fetch

check: $(VENV)/.requirements  ## check output/: links, freshness (FRESHNESS_MAX_WEEKDAYS)
	$(BIN)/invoke check

bench: $(VENV)/.requirements  ## our builds vs stock Pelican at 1x/2x/4x the archive (minutes)
	$(BIN)/invoke bench

clean:
	rm -rf output cache
