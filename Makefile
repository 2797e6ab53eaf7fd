# The two commands: `make dev` runs Tessera, `make test` runs every test.
# Both install what they need from this repository's own files (uv.lock).

PYTHON ?= python3
# uv from the PATH if there is one; otherwise a private copy in .tools/, installed from PyPI
# into its own virtual environment (works even where the system Python refuses pip installs).
UV_SYSTEM := $(shell command -v uv 2>/dev/null)
UV := $(if $(UV_SYSTEM),$(UV_SYSTEM),$(CURDIR)/.tools/bin/uv)

.PHONY: dev test sync sync-test uv lint typecheck imports pytest clean

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
dev: sync
	.venv/bin/tessera dev

lint: sync-test
	$(UV) run ruff check .
	$(UV) run ruff format --check .

typecheck: sync-test
	$(UV) run mypy

imports: sync-test
	$(UV) run lint-imports

pytest: sync-test
	$(UV) run pytest -n auto --dist loadgroup

test: lint typecheck imports pytest

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache .pytest_cache
