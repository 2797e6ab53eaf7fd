"""Webhooks to a real HTTP receiver on loopback: signed, retried after 500s, logged, paused."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tessera.webhooks.signing import verify
from tests.events.conftest import StackFactory
from tests.events.test_delivery import create_note, enable_notes
from tests.events_support import Receiver, Stack, wait_until
from tests.support import LiveServer, SignedUp, join, make_client, sign_up

pytestmark = pytest.mark.timeout(180)
#: Loopback receivers are private addresses: allowed here as an operator may allow them.
LOOPBACK_ALLOWED: dict[str, object] = {
    "webhooks_allow_private_addresses": True,
    "webhooks_allow_http": True,
    "webhook_pause_after": 4,
}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver(answers=[500, 500])
    yield made
    made.close()


async def register(owner: SignedUp, url: str, types: list[str]) -> dict[str, Any]:
    response = await owner.post("/api/v1/webhooks", json={"url": url, "event_types": types})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def deliveries(owner: SignedUp, endpoint_id: str) -> list[dict[str, Any]]:
    response = await owner.get(f"/api/v1/webhooks/{endpoint_id}/deliveries")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_signed_deliveries_retried_after_500_and_logged(
    stacks: StackFactory, receiver: Receiver
) -> None:
    stack = stacks.new(None, settings=LOOPBACK_ALLOWED)
    assert stack.web is not None
    async with make_client(stack.web) as client:
        owner = await sign_up(client)
        await enable_notes(owner)
        created = await register(owner, receiver.url, ["notes.note.*"])
        secret, endpoint_id = created["secret"], created["endpoint"]["id"]
        assert secret.startswith("whsec_")
        note_id = await create_note(owner, "hooked")

        async def third_attempt() -> bool:
            return len(receiver.received) >= 3

        await wait_until(third_attempt, within=60)
        now = int(time.time())
        bodies = {r.body for r in receiver.received}
        assert len(bodies) == 1, "every attempt sends the same event"
        for request in receiver.received:
            assert verify(secret, request.headers["Tessera-Signature"], request.body, now=now)
            assert not verify(
                "whsec_wrong", request.headers["Tessera-Signature"], request.body, now=now
            )
        payload = json.loads(receiver.received[0].body)
        assert payload["type"] == "notes.note.created"
        assert payload["data"]["note_id"] == note_id
        assert payload["tenant_id"] == owner.tenant_id
        assert receiver.received[0].headers["Tessera-Event-Id"] == payload["id"]

        async def logged() -> list[dict[str, Any]] | None:
            items = await deliveries(owner, endpoint_id)
            return items if len(items) == 3 else None

        log = sorted(await wait_until(logged, within=30), key=lambda d: d["attempt"])
        assert [(d["attempt"], d["status"], d["response_code"]) for d in log] == [
            (1, "failed", 500),
            (2, "failed", 500),
            (3, "succeeded", 200),
        ]
        assert all(d["latency_ms"] is not None for d in log)
        endpoint = (await owner.get(f"/api/v1/webhooks/{endpoint_id}")).json()
        assert endpoint["consecutive_failures"] == 0
        assert "secret" not in endpoint


async def test_an_endpoint_that_keeps_failing_is_paused_and_admins_told(
    stacks: StackFactory,
) -> None:
    failing = Receiver(then=500)
    try:
        stack = stacks.new(None, settings=LOOPBACK_ALLOWED)
        await _pausing(stack, failing)
    finally:
        failing.close()


async def _pausing(stack: Stack, failing: Receiver) -> None:
    assert stack.web is not None
    async with make_client(stack.web) as client, make_client(stack.web) as member_client:
        owner = await sign_up(client)
        await enable_notes(owner)
        member = await join(stack.web, owner, member_client)
        created = await register(owner, failing.url, ["*"])
        endpoint_id = created["endpoint"]["id"]
        await create_note(owner, "first")
        await create_note(owner, "second")

        async def paused() -> dict[str, Any] | None:
            endpoint: dict[str, Any] = (await owner.get(f"/api/v1/webhooks/{endpoint_id}")).json()
            return endpoint if endpoint["paused_at"] else None

        endpoint = await wait_until(paused, within=60)
        assert endpoint["consecutive_failures"] >= 4
        assert "failed attempts in a row" in endpoint["pause_reason"]

        async def owner_told() -> list[dict[str, Any]] | None:
            items: list[dict[str, Any]] = (await owner.get("/api/v1/notifications")).json()["items"]
            told = [i for i in items if i["title"].startswith("Webhook paused")]
            return told or None

        [notice] = await wait_until(owner_told, within=30)
        assert notice["link"] == f"/admin/webhooks/{endpoint_id}"
        member_items = (await member.get("/api/v1/notifications")).json()["items"]
        assert member_items == [], "members who cannot fix it are not told"

        seen = len(failing.received)
        await create_note(owner, "while paused")
        await wait_until(_outbox_drained(stack, owner.tenant_id), within=30)
        assert len(failing.received) == seen, "nothing is sent to a paused endpoint"
        resumed = await owner.client.patch(
            f"/api/v1/webhooks/{endpoint_id}", json={"active": True}, headers=owner.headers
        )
        assert resumed.status_code == 200, resumed.text
        assert resumed.json()["paused_at"] is None
        assert resumed.json()["consecutive_failures"] == 0


def _outbox_drained(stack: Stack, tenant_id: str) -> Any:
    async def drained() -> bool:
        rows = await stack.fetch(
            tenant_id, "SELECT count(*) FROM event_outbox WHERE relayed_at IS NULL"
        )
        return bool(rows[0][0] == 0)

    return drained


@pytest.mark.parametrize(
    ("url", "field_message"),
    [
        ("http://example.com/hook", "https://"),
        ("https://127.0.0.1/hook", "private"),
        ("https://10.1.2.3/hook", "private"),
        ("https://169.254.169.254/latest/meta-data", "private"),
        ("https://[::1]/hook", "private"),
        ("https://localhost/hook", "private"),
        ("https://user:pw@example.com/hook", "password"),
        ("ftp://example.com/hook", "https://"),
        ("https://no-such-host.invalid/hook", "does not resolve"),
    ],
)
async def test_endpoints_into_the_hosting_network_are_refused(
    client: Any, live_server: LiveServer, url: str, field_message: str
) -> None:
    owner = await sign_up(client)
    response = await owner.post("/api/v1/webhooks", json={"url": url, "event_types": ["*"]})
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "url"
    assert field_message in error["message"]
    assert (await owner.get("/api/v1/webhooks")).json() == []


async def test_webhook_input_and_permissions(client: Any, live_server: LiveServer) -> None:
    owner = await sign_up(client)
    bad_types = await owner.post(
        "/api/v1/webhooks", json={"url": "https://example.com/h", "event_types": ["Not Valid"]}
    )
    assert bad_types.status_code == 422
    assert bad_types.json()["errors"][0]["field"] == "event_types"
    empty = await owner.post(
        "/api/v1/webhooks", json={"url": "https://example.com/h", "event_types": []}
    )
    assert empty.status_code == 400
    async with make_client(live_server) as member_client:
        member = await join(live_server, owner, member_client)
        refused = await member.post(
            "/api/v1/webhooks", json={"url": "https://example.com/h", "event_types": ["*"]}
        )
        assert refused.status_code == 403
