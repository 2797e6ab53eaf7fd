"""Settings come from TESSERA_* variables; a bad one stops start-up with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tessera.settings import Settings, SettingsError

TESSERA = Path(sys.executable).parent / "tessera"


def test_defaults(tmp_path: Path) -> None:
    settings = Settings.from_env({"TESSERA_DATA_DIR": str(tmp_path)})
    assert settings.env == "dev"
    assert settings.database_url is None
    assert (settings.host, settings.port, settings.workers) == ("127.0.0.1", 8000, 1)
    assert settings.cookie_secure is False
    assert settings.app_db_role == "tessera_app"
    # Outside production a secret key is made once and kept.
    assert len(settings.secret_key) >= 32
    assert Settings.from_env({"TESSERA_DATA_DIR": str(tmp_path)}).secret_key == settings.secret_key


def test_values_are_read_and_typed(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "TESSERA_DATA_DIR": str(tmp_path),
            "TESSERA_PORT": "9001",
            "TESSERA_WORKERS": "4",
            "TESSERA_COOKIE_SECURE": "yes",
            "TESSERA_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2",
            "TESSERA_DATABASE_URL": "postgresql://tessera@db/tessera",
        }
    )
    assert settings.port == 9001
    assert settings.workers == 4
    assert settings.cookie_secure is True
    assert settings.trusted_proxies == frozenset({"10.0.0.1", "10.0.0.2"})
    assert settings.database_url == "postgresql://tessera@db/tessera"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"TESSERA_PORT": "abc"}, "TESSERA_PORT is malformed: expected a whole number"),
        ({"TESSERA_PORT": "70000"}, "TESSERA_PORT is malformed: expected a number from 1 to 65535"),
        (
            {"TESSERA_ENV": "staging"},
            "TESSERA_ENV is malformed: expected one of dev, test, production",
        ),
        ({"TESSERA_DATABASE_URL": "mysql://x"}, "TESSERA_DATABASE_URL is malformed"),
        ({"TESSERA_COOKIE_SECURE": "maybe"}, "TESSERA_COOKIE_SECURE is malformed"),
        ({"TESSERA_SECRET_KEY": "short"}, "TESSERA_SECRET_KEY is malformed: expected at least 32"),
        ({"TESSERA_APP_DB_ROLE": "x; drop"}, "TESSERA_APP_DB_ROLE is malformed"),
        ({"TESSERA_BROKER_URL": "kafka://x"}, "TESSERA_BROKER_URL is malformed: expected a"),
        ({"TESSERA_QUEUE_PREFIX": "a b"}, "TESSERA_QUEUE_PREFIX is malformed"),
        ({"TESSERA_EVENT_MAX_RETRIES": "-1"}, "TESSERA_EVENT_MAX_RETRIES is malformed"),
        ({"TESSERA_WEBHOOKS_ALLOW_HTTP": "sure"}, "TESSERA_WEBHOOKS_ALLOW_HTTP is malformed"),
        ({"TESSERA_RELAY_LINGER_MS": "9999"}, "TESSERA_RELAY_LINGER_MS is malformed"),
        (
            {"TESSERA_ENV": "production", "TESSERA_DATABASE_URL": "postgresql://a@b/c"},
            "TESSERA_SECRET_KEY is required when TESSERA_ENV=production",
        ),
        (
            {"TESSERA_ENV": "production", "TESSERA_SECRET_KEY": "k" * 40},
            "TESSERA_DATABASE_URL is required when TESSERA_ENV=production",
        ),
    ],
)
def test_malformed_settings_are_refused_by_name(
    tmp_path: Path, variables: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"TESSERA_DATA_DIR": str(tmp_path), **variables})
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)


def test_the_cli_reports_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    env |= {"TESSERA_DATA_DIR": str(tmp_path), "TESSERA_PORT": "eighty"}
    result = subprocess.run(
        [str(TESSERA), "migrate"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: TESSERA_PORT is malformed: expected a whole number, got 'eighty'"
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_help_lists_the_commands() -> None:
    result = subprocess.run(
        [str(TESSERA), "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    for command in ("dev", "serve", "migrate", "tenants", "users"):
        assert f"  {command} " in result.stdout
