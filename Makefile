# The two commands: `make dev` runs Tessera, `make test` runs every test.
# Both install what they need from this repository's own files (uv.lock).

PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")

.PHONY: dev test sync uv lint typecheck imports pytest clean

uv:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 \
		|| $(PYTHON) -m pip install --quiet --disable-pip-version-check uv

sync: uv
	$(UV) sync --all-packages --frozen --quiet

dev: sync
	$(UV) run tessera dev

lint: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .

typecheck: sync
	$(UV) run mypy

imports: sync
	$(UV) run lint-imports

pytest: sync
	$(UV) run pytest -n auto

test: lint typecheck imports pytest

clean:
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache
