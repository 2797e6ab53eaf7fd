"""A real Tessera for tests: a migrated database of its own and the app served over HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tessera.settings import Settings

#: A superuser URL of the PostgreSQL to make test databases on; unset: an embedded server.
DATABASE_URL_VAR = "TESSERA_TEST_DATABASE_URL"
PASSWORD = "correct horse battery staple"  # noqa: S105  (every test user's password)


def test_settings(owner_url: str, data_dir: Path, **overrides: Any) -> Settings:
    """Settings of a test deployment: plain HTTP, JSON logs, mail kept as files in data_dir."""
    base = Settings(
        env="test",
        database_url=owner_url,
        data_dir=data_dir,
        secret_key="test-secret-key-" + "x" * 32,
        cookie_secure=False,
        trusted_proxies=frozenset({"127.0.0.1"}),
        log_json=True,
        db_pool_size=5,
    )
    return base.with_overrides(**overrides)


# Not a test, though pytest would collect it by its name wherever a test module imports it.
test_settings.__test__ = False  # type: ignore[attr-defined]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def unique_slug(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def documentation_ip() -> str:
    """A client address for X-Forwarded-For, from the IPv6 documentation prefix (never routed)."""
    return f"2001:db8::{secrets.randbelow(0xFFFF):x}:{secrets.randbelow(0xFFFF):x}"


class LiveServer:
    """The app under uvicorn in a background thread, reached over real HTTP."""

    def __init__(self, settings: Settings) -> None:
        import uvicorn

        from tessera.app import create_app

        self.port = free_port()
        self.settings = settings.with_overrides(port=self.port)
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(self.settings)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_config=None,
            access_log=False,
            lifespan="on",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def mail_to(self, email: str) -> list[dict[str, str]]:
        """Messages the development mailer kept for ``email``, newest first."""
        directory = self.settings.data_dir / "mail"
        if not directory.exists():
            return []
        messages = [
            json.loads(p.read_text()) for p in sorted(directory.glob("*.json"), reverse=True)
        ]
        return [m for m in messages if m["to"] == email.lower()]

    def last_link_token(self, email: str) -> str:
        """The token of the link in the newest mail to ``email`` (an invitation, a reset)."""
        messages = self.mail_to(email)
        assert messages, f"no mail for {email}"
        link = messages[0]["link"]
        return link.split("token=", 1)[1]


def make_client(server: LiveServer, **kwargs: Any) -> httpx.AsyncClient:
    # Each client looks like its own visitor, so per-address log-in limits of parallel tests
    # do not add up.
    headers = {"X-Forwarded-For": documentation_ip(), **kwargs.pop("headers", {})}
    kwargs.setdefault("timeout", 30)
    return httpx.AsyncClient(base_url=server.url, headers=headers, **kwargs)


@dataclass
class TestDatabase:
    """A database made for this test run, migrated with every installed plugin's branch."""

    __test__ = False  # a helper, not a test class

    admin_url: str
    name: str
    owner_url: str
    _embedded: Any = field(default=None, repr=False)

    @classmethod
    def create(cls, admin_url: str | None = None) -> TestDatabase:
        """Make and migrate it on ``admin_url`` (a superuser URL), else on an embedded server."""
        from tessera.db.migrations import upgrade
        from tessera.db.roles import ensure_owner_database
        from tessera.modules.registry import installed_plugins

        embedded = None
        admin_url = admin_url or os.environ.get(DATABASE_URL_VAR)
        if not admin_url:
            from tessera.db.embedded import EmbeddedPostgres

            embedded = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="tessera-test-pg-")) / "pg")
            admin_url = embedded.admin_url
        name = f"tessera_test_{uuid.uuid4().hex[:10]}"
        owner_url = asyncio.run(ensure_owner_database(admin_url, "tessera", name))
        settings = test_settings(owner_url, Path(tempfile.mkdtemp()))
        upgrade(
            settings.migrations_dir,
            owner_url,
            app_role=settings.app_db_role,
            plugin_version_dirs=installed_plugins().migration_dirs(),
        )
        return cls(admin_url, name, owner_url, embedded)

    def drop(self) -> None:
        from tessera.db.roles import drop_database

        asyncio.run(drop_database(self.admin_url, self.name))
        if self._embedded is not None:
            self._embedded.stop()


class TesseraApp:
    """The real app for a test session, on a database of its own, served over HTTP."""

    def __init__(self, owner_url: str, data_dir: Path, **settings: Any) -> None:
        #: The database as its table owner (for migrations and looking, never for the app).
        self.owner_url = owner_url
        self.server = LiveServer(test_settings(owner_url, data_dir, **settings))

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def settings(self) -> Settings:
        return self.server.settings

    def start(self) -> TesseraApp:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        """A new visitor's HTTP client (no session yet)."""
        return make_client(self.server, **kwargs)

    def mail_to(self, email: str) -> list[dict[str, str]]:
        """Mail the app sent to ``email`` (kept as files by the development mailer), newest first."""
        return self.server.mail_to(email)
