# syntax=docker/dockerfile:1.7
# One image for every Tessera process: `tessera serve` (the default), `tessera worker`,
# `tessera scheduler` and `tessera migrate`. Build it with `make image`.
#
# Stages: uv installs the platform and the first-party plugins into /opt/venv (non-editable,
# dependencies from uv.lock only) and writes the API's OpenAPI document; node builds the browser
# app from it; the runtime stage gets the venv, the migrations and the built app, and nothing
# that compiles or fetches code.

# The runtime's Python must be the builder's: the venv's interpreter is a symlink to it.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim
# The uv the repository's Makefile uses, so the lock file is read the same way.
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9

FROM ${UV_IMAGE} AS uv

FROM ${PYTHON_IMAGE} AS python-builder
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
WORKDIR /src
COPY pyproject.toml uv.lock ./
COPY platform/ platform/
COPY plugins/ plugins/
# --no-editable copies each workspace member into the venv, so /src is not needed at run time.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --all-packages --frozen --no-dev --no-editable

# The browser app's typed client is generated from the routes of exactly these plugins
# (the Makefile's FIRST_PARTY_PLUGINS; `make image` passes them).
ARG OPENAPI_PLUGINS="crm oa accounting inventory sales_purchase"
# The document is read off the routes; no database is involved. The throwaway data directory
# only receives the development secret key the settings make outside production.
RUN set --; \
    for plugin in ${OPENAPI_PLUGINS}; do set -- "$@" --plugin "$plugin"; done; \
    TESSERA_DATA_DIR=/tmp/openapi /opt/venv/bin/tessera openapi "$@" -o /src/openapi.json

FROM ${NODE_IMAGE} AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY frontend/ ./
COPY --from=python-builder /src/openapi.json ./openapi.json
RUN npm run --silent api && npm run --silent build

FROM ${PYTHON_IMAGE} AS runtime
# fonts-wqy-microhei: the PDF font (decision 46). Everything else the venv's wheels bring.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
# A numeric, unprivileged user that owns nothing in the image: code and assets stay read-only
# to the process. Kubernetes' runAsUser in the chart uses the same numbers.
RUN groupadd --gid 10001 tessera \
    && useradd --no-log-init --uid 10001 --gid 10001 --no-create-home \
        --home-dir /tmp --shell /usr/sbin/nologin tessera
COPY --from=python-builder /opt/venv /opt/venv
COPY migrations/ /app/migrations/
COPY --from=frontend /src/frontend/dist/ /app/frontend/
# Local state (the dev mailer's messages, files when no bucket or volume is configured) goes
# under /tmp, the one writable place when the root filesystem is read-only; production
# configures SMTP and S3 or a volume (docs/operations/deployment.md).
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/tmp \
    TESSERA_ENV=production \
    TESSERA_HOST=0.0.0.0 \
    TESSERA_PORT=8000 \
    TESSERA_DATA_DIR=/tmp/tessera \
    TESSERA_MIGRATIONS_DIR=/app/migrations \
    TESSERA_FRONTEND_DIR=/app/frontend
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# The web server's liveness endpoint, with the Python that is already there (no curl).
# Worker and scheduler containers serve no HTTP: run them with --no-healthcheck.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('TESSERA_PORT', '8000') + '/health/live', timeout=4)"]
ENTRYPOINT ["tessera"]
CMD ["serve", "--host", "0.0.0.0"]
