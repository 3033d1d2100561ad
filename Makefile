# crn: `make run` sets up everything and serves crn; `make test` sets up everything and runs every test.
# Both are safe to run again: each step is skipped when already done.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
UV_VERSION := 0.13.9

.PHONY: run test install db clean-test-db web chromium lock

# Python packages come from requirements.lock (every version pinned, every file hash-checked), then crn itself
# without dependencies: the lock, not the resolver of the day, decides what runs.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "crn needs Python 3.11+; set PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

# After changing dependencies in pyproject.toml: re-resolve the lock (runtime + dev, any OS, Python 3.11+), then
# check tests/security/test_supply_chain.py (every locked version at or above its advisories' minimum).
lock:
	@test -x .crn/lock-venv/bin/uv || ($(PYTHON) -m venv .crn/lock-venv && .crn/lock-venv/bin/pip install -q uv==$(UV_VERSION))
	.crn/lock-venv/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes \
		--annotation-style line --custom-compile-command 'make lock' -o requirements.lock

db: install
	$(BIN)/crn db start
	$(BIN)/crn db migrate

run: db web
	$(BIN)/crn demo load --size small --if-empty
	$(BIN)/crn users ensure-admin
	$(BIN)/crn worker & WORKER=$$!; trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; $(BIN)/crn serve

AUDIT := tests/schema/http_audit

$(AUDIT)/node_modules/.package-lock.json: $(AUDIT)/package.json $(AUDIT)/package-lock.json
	cd $(AUDIT) && npm ci --no-audit --no-fund --loglevel=error

test: install $(AUDIT)/node_modules/.package-lock.json web chromium
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/pytest

clean-test-db:
	-env -u NEO4J_URI -u NEO4J_PASSWORD CRN_NEO4J_HOME=.crn/test-neo4j $(BIN)/crn db stop
	rm -rf .crn/test-neo4j

# Network UI: npm deps only when package-lock.json changed (stamp), then copy the ES modules into
# crn/web/static/vendor (gitignored). Chromium for the browser tests comes from Debian, never from Playwright.
WEB_STAMP := node_modules/.installed-$(shell cksum package-lock.json 2>/dev/null | cut -d' ' -f1)

$(WEB_STAMP): package.json package-lock.json
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@rm -f node_modules/.installed-*; touch $(WEB_STAMP)

crn/web/static/vendor/.built: $(WEB_STAMP) crn/web/build.mjs
	node crn/web/build.mjs
	@touch $@

web: crn/web/static/vendor/.built

chromium:
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || (SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update && $$SUDO apt-get install -y chromium fonts-noto-cjk)
