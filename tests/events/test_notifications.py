"""Notifications: an event tells the right members, in the app and by email as each chose."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.events.conftest import StackFactory
from tests.events.test_delivery import create_note, enable_notes
from tests.events_support import wait_until
from tests.support import join, make_client, sign_up

pytestmark = pytest.mark.timeout(180)


async def test_an_event_notifies_the_right_members_in_the_app_and_by_email(
    stacks: StackFactory,
) -> None:
    stack = stacks.new(None)
    web = stack.web
    assert web is not None
    async with (
        make_client(web) as owner_client,
        make_client(web) as a_client,
        make_client(web) as b_client,
        make_client(web) as outsider_client,
    ):
        owner = await sign_up(owner_client)
        await enable_notes(owner)
        reader = await join(web, owner, a_client)
        bystander = await join(web, owner, b_client)
        outsider = await sign_up(outsider_client)
        for who in (reader, bystander):
            chose = await who.client.put(
                "/api/v1/notifications/preferences/notes.shared",
                json={"in_app": True, "email": True},
                headers=who.headers,
            )
            assert chose.status_code == 200, chose.text
        titles = [f"Shared {i}" for i in range(5)]
        notes = [await create_note(owner, title) for title in titles]
        for note_id in notes:
            shared = await owner.post(
                f"/api/v1/notes/notes/{note_id}/share", json={"user_id": reader.user_id}
            )
            assert shared.status_code == 202, shared.text
        # Someone of another tenant cannot be reached through this one.
        await owner.post(
            f"/api/v1/notes/notes/{notes[0]}/share", json={"user_id": outsider.user_id}
        )

        async def unread(who: Any) -> int:
            response = await who.get("/api/v1/notifications/unread-count")
            assert response.status_code == 200, response.text
            count: int = response.json()["unread"]
            return count

        async def reader_told() -> bool:
            return await unread(reader) == 5

        await wait_until(reader_told, within=60)
        assert await unread(bystander) == 0
        assert await unread(owner) == 0
        assert await unread(outsider) == 0

        inbox = (await reader.get("/api/v1/notifications")).json()["items"]
        assert sorted(item["title"] for item in inbox) == sorted(
            f"A note was shared with you: {t}" for t in titles
        )
        assert {item["link"] for item in inbox} == {f"/notes/{n}" for n in notes}
        read = await reader.post(f"/api/v1/notifications/{inbox[0]['id']}/read")
        assert read.status_code == 200 and read.json()["read_at"] is not None
        assert await unread(reader) == 4
        unread_items = (await reader.get("/api/v1/notifications", params={"unread": True})).json()
        assert len(unread_items["items"]) == 4
        assert (
            await bystander.post(f"/api/v1/notifications/{inbox[1]['id']}/read")
        ).status_code == 404
        marked = await reader.post("/api/v1/notifications/read-all")
        assert marked.json() == {"marked": 4}

        def digests(address: str) -> list[dict[str, Any]]:
            # The same development mailbox also holds the invitation each member accepted.
            return [m for m in stack.mail_to(address) if "shared with you" in m["body"]]

        async def mailed() -> list[dict[str, Any]] | None:
            mails = digests(reader.email)
            listed = sum(m["body"].count("A note was shared with you") for m in mails)
            return mails if listed == 5 else None

        mails = await wait_until(mailed, within=30)
        # A burst of five events is one digest (two at most, if it straddled a digest period).
        assert 1 <= len(mails) <= 2
        await asyncio.sleep(2.5)
        assert len(digests(reader.email)) == len(mails), "nothing is mailed twice"
        assert digests(bystander.email) == []
        assert digests(owner.email) == []


async def test_preferences_are_validated(stacks: StackFactory) -> None:
    stack = stacks.new(None, start=False)
    web = stack.start_web()
    async with make_client(web) as client:
        owner = await sign_up(client)
        bad = await owner.client.put(
            "/api/v1/notifications/preferences/NOT A TYPE",
            json={"in_app": True, "email": False},
            headers=owner.headers,
        )
        assert bad.status_code == 422
        wrong = await owner.client.put(
            "/api/v1/notifications/preferences/notes.shared",
            json={"in_app": "yes"},
            headers=owner.headers,
        )
        assert wrong.status_code == 400
        assert (await owner.get("/api/v1/notifications/preferences")).json() == []
