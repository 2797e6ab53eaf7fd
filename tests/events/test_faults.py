"""Faults, each bounded in time: a worker killed mid-handler, the broker gone, the web process
killed right after its commit. Events are delivered all the same, and have their effect once."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.events.conftest import BROKER_URLS, StackFactory
from tests.events.test_delivery import create_note, effects, enable_notes
from tests.events_support import free_port, proxied, wait_until
from tests.support import documentation_ip, make_client, sign_up

pytestmark = pytest.mark.timeout(180)


@pytest.mark.parametrize("broker", list(BROKER_URLS))
async def test_worker_killed_in_the_middle_of_a_handler(stacks: StackFactory, broker: str) -> None:
    stack = stacks.new(BROKER_URLS[broker])
    assert stack.web is not None
    async with make_client(stack.web) as client:
        owner = await sign_up(client)
        await enable_notes(owner)
        # The handler writes its effect, then sleeps inside its transaction.
        await create_note(owner, "slow", body="sleep:4")

        async def handler_sleeping() -> bool:
            return await stack.running_queries("%pg_sleep%") > 0

        await wait_until(handler_sleeping, within=60, interval=0.05)
        stack.kill_worker()
        assert await effects(stack, owner.tenant_id) == [], "the killed attempt left nothing"
        stack.start_worker()

        async def handled() -> list[str]:
            return await effects(stack, owner.tenant_id)

        [event_id] = await wait_until(handled, within=90)
        await asyncio.sleep(2.0)
        assert await effects(stack, owner.tenant_id) == [event_id], "exactly once"
        deliveries = await stack.fetch(owner.tenant_id, "SELECT handler FROM event_delivery")
        assert [d["handler"] for d in deliveries] == ["notes:record_creation"]


@pytest.mark.parametrize("broker", ["rabbitmq", "redis"])
async def test_broker_down_while_requests_are_served(stacks: StackFactory, broker: str) -> None:
    broker_url = BROKER_URLS[broker]
    assert broker_url is not None
    with proxied(broker_url) as (proxy, through_proxy):
        stack = stacks.new(through_proxy, direct_broker_url=broker_url)
        assert stack.web is not None
        async with make_client(stack.web) as client:
            owner = await sign_up(client)
            await enable_notes(owner)
            proxy.cut()
            try:
                # Requests only write to PostgreSQL (the outbox): they do not need the broker.
                for i in range(10):
                    await create_note(owner, f"while down {i}")
                await asyncio.sleep(2.0)
                assert await effects(stack, owner.tenant_id) == []
                pending = await stack.fetch(
                    owner.tenant_id, "SELECT count(*) FROM event_outbox WHERE relayed_at IS NULL"
                )
                assert pending[0][0] >= 10, "the events wait in the outbox"
            finally:
                proxy.restore()

            async def all_delivered() -> list[str] | None:
                found = await effects(stack, owner.tenant_id)
                return found if len(found) >= 10 else None

            delivered = await wait_until(all_delivered, within=120)
            await asyncio.sleep(1.0)
            final = await effects(stack, owner.tenant_id)
            assert len(final) == len(set(final)) == len(delivered) == 10


async def test_web_process_killed_right_after_commit(stacks: StackFactory) -> None:
    stack = stacks.new(None)
    assert stack.web is not None
    async with make_client(stack.web) as client:
        owner = await sign_up(client)
        await enable_notes(owner)
        port = free_port()
        web = stack.spawn_web(port)
        try:
            base = f"http://127.0.0.1:{port}"
            async with httpx.AsyncClient(
                base_url=base,
                cookies=client.cookies,
                headers={"X-Forwarded-For": documentation_ip(), **owner.headers},
                timeout=30,
            ) as doomed:

                async def serving() -> bool:
                    try:
                        return (await doomed.get("/health/live")).status_code == 200
                    except httpx.TransportError:
                        return False

                await wait_until(serving, within=60)
                with pytest.raises(httpx.TransportError):
                    await doomed.post(
                        "/api/v1/notes/notes", json={"title": "crash-after-commit 1", "body": ""}
                    )
        finally:
            web.kill()
            web.wait(timeout=10)
        notes = await stack.fetch(
            owner.tenant_id, "SELECT id FROM notes_note WHERE title = 'crash-after-commit 1'"
        )
        assert len(notes) == 1, "the commit happened before the process died"

        async def delivered() -> list[str]:
            return await effects(stack, owner.tenant_id)

        [event_id] = await wait_until(delivered, within=60)
        assert event_id
