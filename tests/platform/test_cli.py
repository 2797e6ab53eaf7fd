"""The `tessera` command against the test database: users, tenants, and the production server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.support import PASSWORD, free_port, unique_email, unique_slug

TESSERA = Path(sys.executable).parent / "tessera"


def _env(owner_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    return env | {
        "TESSERA_ENV": "test",
        "TESSERA_DATABASE_URL": owner_url,
        "TESSERA_DATA_DIR": str(data_dir),
        "TESSERA_LOG_LEVEL": "WARNING",
    }


def _run(owner_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TESSERA), *args],
        env=_env(owner_url, tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_users_and_tenants_commands(
    owner_url: str, owner_db: asyncpg.Connection, tmp_path: Path
) -> None:
    email, slug = unique_email("cli"), unique_slug("cli")
    created = _run(
        owner_url,
        tmp_path,
        "users",
        "create",
        "--email",
        email,
        "--name",
        "Cli User",
        "--password",
        PASSWORD,
    )
    assert created.returncode == 0, created.stderr
    assert (
        await owner_db.fetchval("SELECT name FROM identity_user WHERE email = $1", email)
        == "Cli User"
    )

    again = _run(
        owner_url,
        tmp_path,
        "users",
        "create",
        "--email",
        email,
        "--name",
        "X",
        "--password",
        PASSWORD,
    )
    assert again.returncode == 1
    assert again.stderr.strip() == "Error: An account with this email already exists."

    tenant = _run(
        owner_url, tmp_path, "tenants", "create", "--name", "Cli Co", "--slug", slug,
        "--owner-email", email, "--owner-password", PASSWORD,
    )  # fmt: skip
    assert tenant.returncode == 0, tenant.stderr
    listed = _run(owner_url, tmp_path, "tenants", "list")
    assert listed.returncode == 0
    assert any(line.startswith(slug) and "Cli Co" in line for line in listed.stdout.splitlines())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "Bad Slug"], "Error: slug must be 3 to 40 lowercase letters"),
        (["--slug", "admin"], "Error: slug 'admin' is reserved"),
    ],
)
def test_tenants_create_refuses_bad_input_in_one_line(
    owner_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    result = _run(
        owner_url, tmp_path, "tenants", "create", "--name", "X",
        "--owner-email", unique_email(), "--owner-password", PASSWORD, *args,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().startswith(message)
    assert "Traceback" not in result.stderr


@pytest.mark.timeout(120)
def test_serve_runs_granian_workers(owner_url: str, tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [str(TESSERA), "serve", "--port", str(port), "--workers", "2"],
        env=_env(owner_url, tmp_path) | {"TESSERA_SECRET_KEY": "s" * 40},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, (
                    process.stderr.read().decode() if process.stderr else ""
                )
                assert time.monotonic() < deadline, "tessera serve did not start"
                time.sleep(0.2)
        assert ready.status_code == 200
        assert ready.headers["server"] == "granian"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_openapi_describes_the_core_and_the_plugins_asked_for(tmp_path: Path) -> None:
    """What the browser app's typed client is generated from; it needs no database."""
    import json

    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    env |= {"TESSERA_DATA_DIR": str(tmp_path), "TESSERA_LOG_LEVEL": "ERROR"}
    out = tmp_path / "openapi.json"
    result = subprocess.run(
        [str(TESSERA), "openapi", "--plugin", "crm", "-o", str(out)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    paths = json.loads(out.read_text())["paths"]
    assert "/api/v1/me" in paths
    assert "/api/v1/crm/contacts" in paths
    assert not [path for path in paths if path.startswith("/api/v1/notes")]
    assert not [path for path in paths if not path.startswith(("/api/", "/health/"))]
