"""What the OA tests share: a tenant with the module on, its people and their reporting line."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support import LiveServer, SignedUp, join, make_client, sign_up

DEPARTMENTS = "/api/v1/oa/departments"


async def oa_tenant(client: httpx.AsyncClient) -> SignedUp:
    owner = await sign_up(client)
    enabled = await owner.post("/api/v1/modules/oa/enable")
    assert enabled.status_code == 200, enabled.text
    return owner


async def colleague(server: LiveServer, owner: SignedUp, *, role: str = "member") -> SignedUp:
    """Someone new in ``owner``'s tenant, signed in on a client of their own."""
    return await join(server, owner, make_client(server), role=role)


async def patch(who: SignedUp, path: str, body: dict[str, Any]) -> httpx.Response:
    return await who.client.patch(path, json=body, headers=who.headers)


async def put(who: SignedUp, path: str, body: Any = None) -> httpx.Response:
    return await who.client.put(path, json=body, headers=who.headers)


async def membership_id(owner: SignedUp, user_id: str) -> str:
    members = (await owner.get("/api/v1/members", params={"limit": 200})).json()["items"]
    return str(next(m["id"] for m in members if m["user_id"] == user_id))


async def set_manager(owner: SignedUp, user_id: str, manager_user_id: str | None) -> None:
    manager = None if manager_user_id is None else await membership_id(owner, manager_user_id)
    changed = await patch(
        owner, f"/api/v1/members/{await membership_id(owner, user_id)}", {"manager_id": manager}
    )
    assert changed.status_code == 200, changed.text


async def department(owner: SignedUp, name: str, **fields: Any) -> dict[str, Any]:
    made = await owner.post(DEPARTMENTS, json={"name": name, **fields})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


def field_of(response: httpx.Response) -> list[str]:
    """The fields a problem+json answer names."""
    return [error["field"] for error in response.json().get("errors", [])]
