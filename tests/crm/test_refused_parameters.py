"""A list parameter refused while the request's dependencies are resolved (the unit of work
already open) must not leave its transaction behind: Litestar drops such a dependency
unclosed, and the request middleware rolls it back."""

from __future__ import annotations

import asyncio

import httpx

from tests.crm.test_accounts_contacts import crm_tenant
from tests.support import LiveServer, make_client


async def test_a_refused_search_leaves_no_transaction_open(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    secret = (await owner.post("/api/v1/tokens", json={"name": "lists"})).json()["secret"]
    bearer = {"Authorization": f"Bearer {secret}"}
    async with make_client(live_server) as api:
        for _ in range(3):
            refused = await api.get(
                "/api/v1/crm/accounts", params={"q": "a" * 5000}, headers=bearer
            )
            assert refused.status_code == 422
            assert refused.json()["errors"][0]["field"] == "q"
        # Each of those requests touched the token's row: had its transaction stayed open, the
        # row lock would hold this one until the garbage collector came by.
        listed = await asyncio.wait_for(api.get("/api/v1/crm/accounts", headers=bearer), 10)
        assert listed.status_code == 200
        idle = await asyncio.wait_for(
            api.get("/api/v1/crm/accounts", params={"q": "acme"}, headers=bearer), 10
        )
        assert idle.status_code == 200
