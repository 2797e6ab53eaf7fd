"""The calendar's and the announcements' background work through the real processes: the
scheduler (``tessera scheduler``) runs the reminder and publishing schedules, the worker
(``tessera worker``) the handlers that notify — each notice once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.events.conftest import StackFactory, stacks  # noqa: F401  (the fixture)
from tests.events_support import wait_until
from tests.oa.calendar_support import ANNOUNCEMENTS, EVENTS, iso
from tests.support import SignedUp, join, make_client, sign_up


async def told(who: SignedUp, kind: str) -> list[dict[str, Any]]:
    response = await who.get("/api/v1/notifications")
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["type"] == kind]


@pytest.mark.timeout(240)
async def test_reminders_invitations_and_announcements_reach_people_once(
    stacks: StackFactory,  # noqa: F811
) -> None:
    stack = stacks.new(None, start=False)
    web = stack.start_web()
    async with make_client(web) as client, make_client(web) as ada_client:
        owner = await sign_up(client)
        assert (await owner.post("/api/v1/modules/oa/enable")).status_code == 200
        ada = await join(web, owner, ada_client)
        soon = datetime.now(UTC) + timedelta(minutes=5)
        made = await owner.post(
            EVENTS,
            json={
                "title": "Stand-up",
                "starts_at": iso(soon),
                "ends_at": iso(soon + timedelta(minutes=15)),
                "attendee_ids": [ada.user_id],
                "reminders": [10],
            },
        )
        assert made.status_code == 201, made.text
        later = datetime.now(UTC) + timedelta(seconds=2)
        notice = await owner.post(
            ANNOUNCEMENTS, json={"title": "Fire drill", "publish_at": iso(later)}
        )
        assert notice.status_code == 201 and notice.json()["state"] == "scheduled"
        stack.start_dispatcher()
        stack.start_worker()

        async def everything() -> bool:
            kinds = ("oa.event_reminder", "oa.event_invitation", "oa.announcement")
            return all([await told(ada, kind) for kind in kinds])

        await wait_until(everything, within=150, interval=1)
        [reminder] = await told(ada, "oa.event_reminder")
        assert reminder["title"] == "Reminder: Stand-up"
        [invitation] = await told(ada, "oa.event_invitation")
        assert invitation["link"] == f"/oa/events/{made.json()['id']}"
        [announced] = await told(ada, "oa.announcement")
        assert announced["title"] == "Announcement: Fire drill"
        assert (await ada.get(f"{ANNOUNCEMENTS}/{notice.json()['id']}")).json()["state"] == "live"
        assert len(await told(owner, "oa.event_reminder")) == 1, "the organiser too, once"
        assert await told(owner, "oa.announcement") == [], "not the author"
