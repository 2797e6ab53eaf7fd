"""Helpers for tests: settings, the live server, clients and signing up tenants."""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tessera.settings import Settings

ADMIN_URL_VAR = "TESSERA_TEST_ADMIN_URL"
OWNER_URL_VAR = "TESSERA_TEST_OWNER_URL"
PASSWORD = "correct horse battery staple"


def test_settings(owner_url: str, data_dir: Path, **overrides: Any) -> Settings:
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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
        """Messages the dev mailer kept for ``email``, newest first."""
        directory = self.settings.data_dir / "mail"
        if not directory.exists():
            return []
        messages = [
            json.loads(p.read_text()) for p in sorted(directory.glob("*.json"), reverse=True)
        ]
        return [m for m in messages if m["to"] == email.lower()]

    def last_link_token(self, email: str) -> str:
        messages = self.mail_to(email)
        assert messages, f"no mail for {email}"
        link = messages[0]["link"]
        return link.split("token=", 1)[1]


def documentation_ip() -> str:
    """A client address for X-Forwarded-For, from the IPv6 documentation prefix (never routed)."""
    return f"2001:db8::{secrets.randbelow(0xFFFF):x}:{secrets.randbelow(0xFFFF):x}"


def make_client(server: LiveServer, **kwargs: Any) -> httpx.AsyncClient:
    # Each client looks like its own visitor, so per-address log-in limits of parallel tests
    # do not add up.
    headers = {"X-Forwarded-For": documentation_ip(), **kwargs.pop("headers", {})}
    kwargs.setdefault("timeout", 30)
    return httpx.AsyncClient(base_url=server.url, headers=headers, **kwargs)


def unique_slug(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


@dataclass
class SignedUp:
    """A tenant made by sign-up, and the client signed in to it as its owner."""

    client: httpx.AsyncClient
    tenant_id: str
    slug: str
    user_id: str
    email: str
    password: str
    csrf: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf}

    async def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.client.post(path, headers=self.headers, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.client.delete(path, headers=self.headers, **kwargs)

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.client.get(path, **kwargs)


async def sign_up(
    client: httpx.AsyncClient,
    *,
    email: str | None = None,
    password: str = PASSWORD,
    slug: str | None = None,
) -> SignedUp:
    email = email or unique_email()
    slug = slug or unique_slug()
    response = await client.post(
        "/api/v1/signup",
        json={
            "company_name": f"Company {slug}",
            "slug": slug,
            "name": "Test Owner",
            "email": email,
            "password": password,
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return SignedUp(
        client=client,
        tenant_id=body["tenant"]["id"],
        slug=slug,
        user_id=body["user"]["id"],
        email=email,
        password=password,
        csrf=body["csrf_token"],
    )


@dataclass(frozen=True)
class Invited:
    """An invitation made over the API, and the token from the link emailed to the invitee."""

    id: str
    email: str
    token: str


async def invite(
    server: LiveServer, inviter: SignedUp, *, email: str | None = None, role: str = "member"
) -> Invited:
    email = email or unique_email("invitee")
    response = await inviter.post("/api/v1/invitations", json={"email": email, "role": role})
    assert response.status_code == 201, response.text
    return Invited(id=response.json()["id"], email=email, token=server.last_link_token(email))


async def join(
    server: LiveServer, inviter: SignedUp, client: httpx.AsyncClient, *, role: str = "member"
) -> SignedUp:
    """A new person invited by ``inviter`` with ``role``, signed in on ``client``."""
    invited = await invite(server, inviter, role=role)
    response = await client.post(
        "/api/v1/invitations/accept",
        json={"token": invited.token, "name": "New Member", "password": PASSWORD},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return SignedUp(
        client=client,
        tenant_id=body["tenant"]["id"],
        slug=body["tenant"]["slug"],
        user_id=body["user"]["id"],
        email=invited.email,
        password=PASSWORD,
        csrf=body["csrf_token"],
    )
