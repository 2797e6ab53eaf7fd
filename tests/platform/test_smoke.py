from __future__ import annotations

from tests.support import LiveServer, make_client, sign_up


async def test_signup_then_me(live_server: LiveServer) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        me = (await client.get("/api/v1/me")).json()
        assert me["tenant"]["slug"] == owner.slug
