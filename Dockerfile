# crn in a container: `docker compose up` (docker-compose.yml) runs it with Neo4j, the worker, migrations and
# the admin bootstrap. Checked by tests/test_docker.py (structure; the test machine has no Docker engine).

# -- the network UI's vendor files (what `make web` does) --------------------------------------------------
FROM node:20-slim AS web
WORKDIR /src
COPY package.json package-lock.json ./
RUN PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts
COPY crn/web/build.mjs crn/web/build.mjs
RUN node crn/web/build.mjs

# -- crn -----------------------------------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    CRN_HOST=0.0.0.0 \
    CRN_PORT=8000
WORKDIR /app
# Every package pinned and hash-checked, as `make install` does: the lock, not the resolver of the day.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY crn ./crn
COPY --from=web /src/crn/web/static/vendor ./crn/web/static/vendor
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 --user-group crn
# Not root: crn needs no privilege (it listens on 8000 and talks to Neo4j over the network).
USER crn
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('CRN_PORT', '8000')}/healthz\", timeout=4)"]
CMD ["crn", "serve"]
