"""Requests that race past the service's checks are settled by the database: 409, never 500."""

from __future__ import annotations

import asyncio

import httpx

from tests.support import PASSWORD, LiveServer, make_client, unique_email, unique_slug


async def _signups_at_once(
    live_server: LiveServer, count: int, *, slug: str | None = None, email: str | None = None
) -> list[httpx.Response]:
    """``count`` sign-ups sent together, each from its own client; fresh values where not fixed."""
    clients = [make_client(live_server) for _ in range(count)]
    try:
        return list(
            await asyncio.gather(
                *(
                    client.post(
                        "/api/v1/signup",
                        json={
                            "company_name": "Race Co",
                            "slug": slug or unique_slug("race"),
                            "name": "Racer",
                            "email": email or unique_email("race"),
                            "password": PASSWORD,
                        },
                    )
                    for client in clients
                )
            )
        )
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


async def test_concurrent_signups_for_one_slug_create_one_tenant(live_server: LiveServer) -> None:
    responses = await _signups_at_once(live_server, 6, slug=unique_slug("race"))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 5, [r.text for r in responses]
    for response in responses:
        if response.status_code == 409:
            assert response.headers["content-type"] == "application/problem+json"


async def test_concurrent_signups_for_one_email_create_one_account(live_server: LiveServer) -> None:
    responses = await _signups_at_once(live_server, 4, email=unique_email("race"))
    statuses = [r.status_code for r in responses]
    assert 500 not in statuses
    # One creates the account; the others either add a tenant to it (its password is right)
    # or lose the race for the new account's row and get 409.
    new_accounts = [r for r in responses if r.status_code == 201 and r.json()["new_account"]]
    assert len(new_accounts) == 1
    assert set(statuses) <= {201, 409}
