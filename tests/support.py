"""Helpers for tests: settings, the live server, clients and signing up tenants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

# The harness plugin authors get (tessera.plugin.testing) is the one this suite runs on.
from tessera.plugin.testing.app import (
    PASSWORD,
    LiveServer,
    documentation_ip,
    free_port,
    make_client,
    test_settings,
    unique_email,
    unique_slug,
)

ADMIN_URL_VAR = "TESSERA_TEST_ADMIN_URL"
OWNER_URL_VAR = "TESSERA_TEST_OWNER_URL"

__all__ = [
    "PASSWORD",
    "LiveServer",
    "documentation_ip",
    "free_port",
    "make_client",
    "test_settings",
    "unique_email",
    "unique_slug",
]


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
