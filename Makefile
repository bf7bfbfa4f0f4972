# Two commands for a fresh machine: `make run` serves the seed ecosystem on the embedded
# store; `make test` installs everything and runs lint, type checks and the whole suite
# (including a real Neo4j 5.26 started from Maven Central when SOLGRAPH_NEO4J_URI is unset,
# and Debian's headless Chromium for the browser tests).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install constraints messages run test test-long lint typecheck neo4j browser axe bench clean

# Exactly the versions the tests ran with (constraints.txt), within pyproject.toml's ranges.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# After upgrading packages in .venv and a green `make test`: pin the versions it now holds.
constraints:
	$(BIN)/python scripts/pin_versions.py

# After writing or changing a marked message: extract every message into its domain's template
# (babel.cfg: Python and page templates, domain "messages"; babel-scripts.cfg: the pages' scripts,
# domain "scripts"), update each language's catalogues, then compile the .mo files the code reads.
# Translate what the update left empty, or marked fuzzy, and run it again.
EXTRACT := $(BIN)/pybabel extract --no-location --sort-output --width 100 \
	--project "Solidarity Graph" --copyright-holder "Solidarity Graph"
LANGS := es fr pt
messages: install
	$(EXTRACT) -F babel.cfg -o app/locale/messages.pot .
	$(EXTRACT) -F babel-scripts.cfg -o app/locale/scripts.pot .
	for domain in messages scripts; do \
		for lang in $(LANGS); do \
			po=app/locale/$$lang/LC_MESSAGES/$$domain.po; \
			if [ -f $$po ]; then \
				$(BIN)/pybabel update -i app/locale/$$domain.pot -o $$po -l $$lang --width 100 \
					--no-fuzzy-matching --ignore-obsolete || exit 1; \
			else \
				$(BIN)/pybabel init -i app/locale/$$domain.pot -o $$po -l $$lang --width 100 || exit 1; \
			fi; \
		done; \
		$(BIN)/pybabel compile -d app/locale -D $$domain --statistics || exit 1; \
	done

run: install
	$(BIN)/solgraph serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

neo4j: install
	$(BIN)/python scripts/neo4j_local.py prepare

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser).
browser:
	command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq chromium)

# axe-core (npm, pinned in package-lock.json) for the accessibility tests in Chromium.
axe: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

# The suites that measure time or load run alone first; the rest run on two workers, with every
# Neo4j test on one of them (one server), and the summary counts the Neo4j tests that ran.
test: lint typecheck neo4j browser axe
	$(BIN)/pytest -m serial
	$(BIN)/pytest -m "not serial" -n 2 --dist loadgroup

# The adversarial suites at their long counts; writes tests/RELIABILITY.md.
ADVERSARIAL := tests/api/test_fuzz.py tests/api/test_abuse_limits.py \
	tests/api/test_concurrent_editors.py tests/reliability tests/browser/test_markup_injection.py
test-long: lint typecheck neo4j browser axe
	SOLGRAPH_TEST_PROFILE=long $(BIN)/pytest --timeout 3600 $(ADVERSARIAL)

# Benchmarks (never part of `make test`): figures beside same-run baselines, into bench/RESULTS.md.
ORGS ?= 100000
NEO4J_ORGS ?= 20000
# wrk (Debian) generates the HTTP load: a C client that is not the bottleneck of the server.
bench: install browser neo4j
	command -v wrk >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk)
	$(BIN)/python bench/generate.py --orgs $(ORGS) -o /tmp/solgraph-bench-$(ORGS).json
	$(BIN)/python bench/run.py --orgs $(ORGS) --neo4j-orgs $(NEO4J_ORGS)
	$(BIN)/python bench/http_bench.py --organizations $(ORGS)
	$(BIN)/python bench/maps_bench.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis
