"""Requests that race past the service's checks are settled by the database: 409, never 500."""

from __future__ import annotations

import asyncio

from tests.support import PASSWORD, LiveServer, make_client, unique_email, unique_slug


async def test_concurrent_signups_for_one_slug_create_one_tenant(live_server: LiveServer) -> None:
    slug = unique_slug("race")
    clients = [make_client(live_server) for _ in range(6)]
    try:
        responses = await asyncio.gather(
            *(
                client.post(
                    "/api/v1/signup",
                    json={
                        "company_name": "Race Co",
                        "slug": slug,
                        "name": "Racer",
                        "email": unique_email("race"),
                        "password": PASSWORD,
                    },
                )
                for client in clients
            )
        )
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 5, [r.text for r in responses]
    for response in responses:
        if response.status_code == 409:
            assert response.headers["content-type"] == "application/problem+json"


async def test_concurrent_signups_for_one_email_create_one_account(live_server: LiveServer) -> None:
    email = unique_email("race")
    clients = [make_client(live_server) for _ in range(4)]
    try:
        responses = await asyncio.gather(
            *(
                client.post(
                    "/api/v1/signup",
                    json={
                        "company_name": "Race Co",
                        "slug": unique_slug("race"),
                        "name": "Racer",
                        "email": email,
                        "password": PASSWORD,
                    },
                )
                for client in clients
            )
        )
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    statuses = [r.status_code for r in responses]
    assert 500 not in statuses
    # One creates the account; the others either add a tenant to it (its password is right)
    # or lose the race for the new account's row and get 409.
    new_accounts = [r for r in responses if r.status_code == 201 and r.json()["new_account"]]
    assert len(new_accounts) == 1
    assert set(statuses) <= {201, 409}
