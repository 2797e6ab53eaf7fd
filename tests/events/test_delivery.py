"""The event suite, run on each broker: PostgreSQL, RabbitMQ and Redis (the machine's servers)."""

from __future__ import annotations

import asyncio

import pytest

from tests.events.conftest import BROKER_URLS, StackFactory
from tests.events_support import Stack, wait_until
from tests.support import SignedUp, make_client, sign_up

pytestmark = pytest.mark.timeout(180)
BROKERS = list(BROKER_URLS)


async def enable_notes(owner: SignedUp) -> None:
    response = await owner.post("/api/v1/modules/notes/enable")
    assert response.status_code == 200, response.text


async def create_note(owner: SignedUp, title: str, body: str = "") -> str:
    response = await owner.post("/api/v1/notes/notes", json={"title": title, "body": body})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def effects(stack: Stack, tenant_id: str, kind: str = "created") -> list[str]:
    rows = await stack.fetch(tenant_id, "SELECT source FROM notes_effect WHERE kind = $1", kind)
    return [r["source"] for r in rows]


@pytest.fixture(scope="module", params=BROKERS)
def stack(request: pytest.FixtureRequest, module_stacks: StackFactory) -> Stack:
    return module_stacks.new(BROKER_URLS[request.param])


async def test_each_event_reaches_its_handler_exactly_once(stack: Stack) -> None:
    assert stack.web is not None
    async with make_client(stack.web) as client:
        owner = await sign_up(client)
        await enable_notes(owner)
        created = await asyncio.gather(*(create_note(owner, f"note {i}") for i in range(20)))
        assert len(created) == 20

        async def all_handled() -> list[str] | None:
            found = await effects(stack, owner.tenant_id)
            return found if len(found) >= 20 else None

        handled = await wait_until(all_handled, within=60)
        assert len(handled) == 20
        assert len(set(handled)) == 20, "each event handled once"
