"""The event suite, run on each broker: PostgreSQL, RabbitMQ and Redis (the machine's servers)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from tests.events.conftest import BROKER_URLS, StackFactory
from tests.events_support import Stack, wait_until
from tests.support import SignedUp, join, make_client, sign_up

pytestmark = [pytest.mark.timeout(180), pytest.mark.xdist_group("event-suite")]
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


async def test_handlers_run_only_for_tenants_that_enabled_the_module(stack: Stack) -> None:
    assert stack.web is not None
    async with make_client(stack.web) as a_client, make_client(stack.web) as b_client:
        switched_off, switched_on = await sign_up(a_client), await sign_up(b_client)
        await enable_notes(switched_off)
        await enable_notes(switched_on)
        # Events wait in the outbox while the module is switched off for one tenant.
        stack.stop_dispatcher()
        try:
            for i in range(3):
                await create_note(switched_off, f"off {i}")
                await create_note(switched_on, f"on {i}")
            disabled = await switched_off.post("/api/v1/modules/notes/disable")
            assert disabled.status_code == 200, disabled.text
        finally:
            stack.start_dispatcher()

        async def on_handled() -> bool:
            return len(await effects(stack, switched_on.tenant_id)) == 3

        await wait_until(on_handled, within=60)
        await asyncio.sleep(1.0)  # the other tenant's events went out in the same batch
        assert await effects(stack, switched_off.tenant_id) == []
        enabled_again = await switched_off.post("/api/v1/modules/notes/enable")
        assert enabled_again.status_code == 200
        await asyncio.sleep(1.0)
        assert await effects(stack, switched_off.tenant_id) == [], "no late delivery either"


async def test_a_relayed_event_sent_again_has_no_second_effect(stack: Stack) -> None:
    assert stack.web is not None
    async with make_client(stack.web) as client:
        owner = await sign_up(client)
        await enable_notes(owner)
        await create_note(owner, "once")

        async def handled() -> list[str]:
            return await effects(stack, owner.tenant_id)

        [source] = await wait_until(handled, within=60)
        conn = await stack.connect(owner.tenant_id)
        try:
            # As if the relay died after sending and before its claim committed.
            await conn.execute(
                "UPDATE event_outbox SET relayed_at = NULL WHERE id = $1", uuid.UUID(source)
            )

            async def relayed_again() -> bool:
                return bool(
                    await conn.fetchval(
                        "SELECT relayed_at IS NOT NULL FROM event_outbox WHERE id = $1",
                        uuid.UUID(source),
                    )
                )

            await wait_until(relayed_again, within=30)
        finally:
            await conn.close()
        await asyncio.sleep(1.5)
        assert await effects(stack, owner.tenant_id) == [source]


async def test_failing_handler_lands_in_dead_letters_for_admins_to_retry_or_discard(
    stack: Stack,
) -> None:
    assert stack.web is not None
    async with make_client(stack.web) as client, make_client(stack.web) as member_client:
        owner = await sign_up(client)
        await enable_notes(owner)
        member = await join(stack.web, owner, member_client)
        retried_id = await create_note(owner, "retry me", body="fail")
        await create_note(owner, "discard me", body="fail")

        async def two_letters() -> list[dict[str, Any]] | None:
            response = await owner.get("/api/v1/events/dead-letters")
            assert response.status_code == 200, response.text
            items: list[dict[str, Any]] = response.json()["items"]
            return items if len(items) == 2 else None

        letters = await wait_until(two_letters, within=60)
        assert {item["handler"] for item in letters} == {"notes:record_creation"}
        assert all("the note says fail" in item["error"] for item in letters)
        assert all(item["event_type"] == "notes.note.created" for item in letters)
        assert await effects(stack, owner.tenant_id) == [], "failed attempts left nothing behind"
        assert (await member.get("/api/v1/events/dead-letters")).status_code == 403

        by_note = {item["payload"]["note_id"]: item for item in letters}
        fixed = await owner.client.patch(
            f"/api/v1/notes/notes/{retried_id}", json={"body": "fixed"}, headers=owner.headers
        )
        assert fixed.status_code == 200, fixed.text
        retried = by_note[retried_id]
        assert (
            await member.post(f"/api/v1/events/dead-letters/{retried['id']}/retry")
        ).status_code == 403
        response = await owner.post(f"/api/v1/events/dead-letters/{retried['id']}/retry")
        assert response.status_code == 200, response.text
        [discarded] = [item for item in letters if item["id"] != retried["id"]]
        response = await owner.delete(f"/api/v1/events/dead-letters/{discarded['id']}")
        assert response.status_code == 200, response.text

        async def retried_once() -> list[str]:
            return await effects(stack, owner.tenant_id)

        assert await wait_until(retried_once, within=60) == [retried["event_id"]]
        remaining = await owner.get("/api/v1/events/dead-letters")
        assert remaining.json()["items"] == []
        missing = await owner.post(f"/api/v1/events/dead-letters/{discarded['id']}/retry")
        assert missing.status_code == 404


async def test_a_long_job_reports_progress_then_its_result(stack: Stack) -> None:
    assert stack.web is not None
    async with make_client(stack.web) as client, make_client(stack.web) as other_client:
        owner = await sign_up(client)
        await enable_notes(owner)  # seeds one note
        for i in range(4):
            await create_note(owner, f"count {i}")
        started = await owner.post("/api/v1/notes/notes/recount", params={"step_seconds": 0.4})
        assert started.status_code == 202, started.text
        job_id = started.json()["job_id"]
        seen: list[tuple[str, int, int | None]] = []

        async def finished() -> dict[str, Any] | None:
            response = await owner.get(f"/api/v1/jobs/{job_id}")
            assert response.status_code == 200, response.text
            job: dict[str, Any] = response.json()
            seen.append((job["status"], job["done"], job["total"]))
            return job if job["status"] in ("succeeded", "failed") else None

        job = await wait_until(finished, within=60, interval=0.1)
        assert job["status"] == "succeeded", job
        assert job["result"] == {"notes": 5}
        assert job["percent"] == 100.0
        assert any(status == "running" and 0 < done < 5 for status, done, _ in seen), seen
        listed = await owner.get("/api/v1/jobs")
        assert [j["id"] for j in listed.json()["items"]] == [job_id]
        stranger = await sign_up(other_client)
        assert (await stranger.get(f"/api/v1/jobs/{job_id}")).status_code == 404
        bad = await owner.post("/api/v1/notes/notes/recount", params={"step_seconds": 99})
        assert bad.status_code == 400
