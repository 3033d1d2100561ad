# crn: `make run` sets up everything and serves crn; `make test` sets up everything and runs every test.
# Both are safe to run again: each step is skipped when already done.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
UV_VERSION := 0.13.9

.PHONY: run test install db clean-test-db web chromium lock stop

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

# ops: the worker's and the serving shell's pids go to .crn/run/ so `make stop` can end them from another terminal.
RUN_DIR := .crn/run

run: db web
	$(BIN)/crn demo load --size small --if-empty
	$(BIN)/crn users ensure-admin
	@mkdir -p $(RUN_DIR)
	$(BIN)/crn worker & WORKER=$$!; echo $$WORKER > $(RUN_DIR)/worker.pid; echo $$$$ > $(RUN_DIR)/serve-parent.pid; \
		trap 'kill $$WORKER 2>/dev/null; rm -f $(RUN_DIR)/worker.pid $(RUN_DIR)/serve-parent.pid' EXIT INT TERM; \
		$(BIN)/crn serve

# ops: stop everything `make run` and `make test` started: the server and worker of `make run` (by the pids it
# wrote), crn's local Neo4j (.crn/neo4j, or CRN_NEO4J_HOME) and the tests' Neo4j (.crn/test-neo4j). Data is kept.
stop:
	@if [ -f $(RUN_DIR)/serve-parent.pid ]; then P=$$(cat $(RUN_DIR)/serve-parent.pid); \
		ps -o args= -p $$P | grep -q "crn serve" && pkill -TERM -P $$P && echo "crn serve (started by make run) stopped."; \
		rm -f $(RUN_DIR)/serve-parent.pid; fi
	@if [ -f $(RUN_DIR)/worker.pid ]; then kill "$$(cat $(RUN_DIR)/worker.pid)" 2>/dev/null \
		&& echo "crn worker (pid $$(cat $(RUN_DIR)/worker.pid)) stopped." || true; rm -f $(RUN_DIR)/worker.pid; fi
	@if [ -x $(BIN)/crn ]; then env -u NEO4J_URI $(BIN)/crn db stop; \
		env -u NEO4J_URI -u NEO4J_PASSWORD CRN_NEO4J_HOME=.crn/test-neo4j $(BIN)/crn db stop | sed 's/^/test /'; fi

AUDIT := tests/schema/http_audit

$(AUDIT)/node_modules/.package-lock.json: $(AUDIT)/package.json $(AUDIT)/package-lock.json
	cd $(AUDIT) && npm ci --no-audit --no-fund --loglevel=error

# ops: the tests' Neo4j keeps running afterwards (the next `make test` starts in seconds, not a minute); the last
# lines say so, and `make stop` stops it.
test: install $(AUDIT)/node_modules/.package-lock.json web chromium
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/pytest; STATUS=$$?; \
		echo "Still running after the tests: $$(env -u NEO4J_URI -u NEO4J_PASSWORD CRN_NEO4J_HOME=.crn/test-neo4j \
		$(BIN)/crn db status 2>&1 || true) -- kept so the next run starts fast; \`make stop\` stops it."; exit $$STATUS

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
