# crn: `make run` sets up everything and serves crn; `make test` sets up everything and runs every test.
# Both are safe to run again: each step is skipped when already done.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test install db clean-test-db

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "crn needs Python 3.11+; set PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

db: install
	$(BIN)/crn db start
	$(BIN)/crn db migrate

run: db
	$(BIN)/crn demo load --size small --if-empty
	$(BIN)/crn users ensure-admin
	$(BIN)/crn serve

AUDIT := tests/schema/http_audit

$(AUDIT)/node_modules/.package-lock.json: $(AUDIT)/package.json $(AUDIT)/package-lock.json
	cd $(AUDIT) && npm ci --no-audit --no-fund --loglevel=error

test: install $(AUDIT)/node_modules/.package-lock.json
	$(BIN)/pytest

clean-test-db:
	-CRN_NEO4J_HOME=.crn/test-neo4j $(BIN)/crn db stop
	rm -rf .crn/test-neo4j
