"""Calendar events over real HTTP: attendees and their answers, a person's and a team's
calendar in a window, rooms booked with events, reminders and invitations as notifications,
and the bad inputs — each refused with nothing written."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from tessera_oa.calendar_notices import send_reminders, tell_cancelled, tell_invited

from tessera.plugin import Event, HandlerContext
from tests.crm.test_tickets import tenant_db
from tests.oa.calendar_support import BOOKINGS, EVENTS, at, counts, event, iso, moment, room
from tests.oa.support import DEPARTMENTS, colleague, department, field_of, oa_tenant, patch, put
from tests.support import LiveServer, SignedUp, make_client

TABLES = ("oa_event", "oa_event_attendee", "oa_event_reminder", "oa_room_booking")


async def calendar(who: SignedUp, **params: Any) -> list[dict[str, Any]]:
    response = await who.get(EVENTS, params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def titles(events: list[dict[str, Any]]) -> list[str]:
    return [e["title"] for e in events]


async def notices(who: SignedUp, kind: str) -> list[dict[str, Any]]:
    response = await who.get("/api/v1/notifications")
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["type"] == kind]


def delivered(kind: str, tenant_id: str, payload: dict[str, Any]) -> Event:
    """The event as a worker would hand it to a handler (payload as stored: JSON)."""
    plain = {
        k: [str(v) for v in value] if isinstance(value, list) else str(value)
        for k, value in payload.items()
    }
    return Event(uuid.uuid4(), kind, uuid.UUID(tenant_id), plain, datetime.now(UTC), None, "k")


async def test_an_event_with_attendees_answers_and_a_room(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ada, bob = await colleague(live_server, owner), await colleague(live_server, owner)
    everest = await room(owner, "Everest", 3)
    made = await event(
        owner,
        "Design review",
        description="Bring sketches",
        location="HQ",
        attendee_ids=[ada.user_id, bob.user_id, ada.user_id],
        room_id=everest["id"],
        reminders=[15, 60, 15],
    )
    assert made["organiser_id"] == owner.user_id and made["my_response"] == "accepted"
    assert [a["user_id"] for a in made["attendees"]] == [owner.user_id, ada.user_id, bob.user_id]
    assert [a["response"] for a in made["attendees"]] == [
        "accepted",
        "needs_action",
        "needs_action",
    ]
    assert made["reminders"] == [15, 60] and made["room_id"] == everest["id"]
    booking = (await owner.get(f"{BOOKINGS}/{made['booking_id']}")).json()
    assert booking["event_id"] == made["id"] and booking["starts_at"] == made["starts_at"]

    answered = await put(ada, f"{EVENTS}/{made['id']}/response", {"response": "declined"})
    assert answered.status_code == 200 and answered.json()["response"] == "declined"
    seen_by_ada = (await ada.get(f"{EVENTS}/{made['id']}")).json()
    assert seen_by_ada["my_response"] == "declined"
    bad = await put(ada, f"{EVENTS}/{made['id']}/response", {"response": "maybe"})
    assert bad.status_code in (400, 422)
    outsider = await colleague(live_server, owner)
    assert (await outsider.get(f"{EVENTS}/{made['id']}")).status_code == 404, "not invited"
    assert (
        await put(outsider, f"{EVENTS}/{made['id']}/response", {"response": "accepted"})
    ).status_code == 404

    # The organiser moves it an hour later: the room booking follows.
    moved = await patch(
        owner,
        f"{EVENTS}/{made['id']}",
        {"starts_at": iso(at(1, 10)), "ends_at": iso(at(1, 11)), "title": "Design review 2"},
    )
    assert moved.status_code == 200, moved.text
    booking = (await owner.get(f"{BOOKINGS}/{made['booking_id']}")).json()
    assert moment(booking["starts_at"]) == at(1, 10) and booking["title"] == "Design review 2"
    # Attendees cannot change it; the organiser can, and a fourth person overfills the room.
    assert (await patch(ada, f"{EVENTS}/{made['id']}", {"title": "Mine"})).status_code == 404
    overfull = await patch(
        owner,
        f"{EVENTS}/{made['id']}",
        {"attendee_ids": [ada.user_id, bob.user_id, outsider.user_id]},
    )
    assert overfull.status_code == 422 and field_of(overfull) == ["attendee_ids"]
    freed = await patch(owner, f"{EVENTS}/{made['id']}", {"room_id": None})
    assert freed.json()["room_id"] is None
    assert (await owner.get(f"{BOOKINGS}/{made['booking_id']}")).status_code == 404
    assert (await owner.delete(f"{EVENTS}/{made['id']}")).status_code == 200
    assert (await ada.get(f"{EVENTS}/{made['id']}")).status_code == 404


async def test_a_persons_and_a_teams_calendar_in_a_window(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ada, bob, cyd = [await colleague(live_server, owner) for _ in range(3)]
    sales = await department(owner, "Sales")
    emea = await department(owner, "EMEA", parent_id=sales["id"])
    for who, place in ((ada, sales), (bob, emea)):
        placed = await put(owner, f"{DEPARTMENTS}/{place['id']}/members/{who.user_id}")
        assert placed.status_code == 200, placed.text
    await event(
        owner, "Monday", starts_at=iso(at(1, 9)), ends_at=iso(at(1, 10)), attendee_ids=[ada.user_id]
    )
    await event(
        owner,
        "Tuesday",
        starts_at=iso(at(2, 9)),
        ends_at=iso(at(2, 10)),
        attendee_ids=[bob.user_id],
    )
    await event(owner, "Offsite", starts_at=iso(at(1, 0)), ends_at=iso(at(4, 0)), all_day=True)
    await event(cyd, "Cyd alone", starts_at=iso(at(1, 12)), ends_at=iso(at(1, 13)))
    await event(
        owner,
        "Next month",
        starts_at=iso(at(40, 9)),
        ends_at=iso(at(40, 10)),
        attendee_ids=[ada.user_id],
    )

    window = {"during_from": iso(at(1, 0)), "during_to": iso(at(3, 0))}
    assert titles(await calendar(ada, **window)) == ["Monday"], "a member sees their own"
    assert titles(await calendar(ada)) == ["Monday", "Next month"], "no window: what is ahead"
    everyone = await calendar(owner, **window)
    assert titles(everyone) == ["Offsite", "Monday", "Cyd alone", "Tuesday"], "admins see all"
    assert titles(await calendar(owner, user_id=bob.user_id, **window)) == ["Tuesday"]
    # A team: the department and the ones inside it.
    assert titles(await calendar(owner, department_id=sales["id"], **window)) == [
        "Monday",
        "Tuesday",
    ]
    assert titles(await calendar(owner, department_id=emea["id"], **window)) == ["Tuesday"]
    # A member asking for someone else's calendar sees only what they share with them.
    assert titles(await calendar(ada, user_id=bob.user_id, **window)) == []
    # The window overlaps: an event running into it counts.
    late = {"during_from": iso(at(3, 12)), "during_to": iso(at(3, 13))}
    assert titles(await calendar(owner, **late)) == ["Offsite"]
    offsite = next(e for e in everyone if e["title"] == "Offsite")
    assert offsite["all_day"] is True
    assert moment(offsite["starts_at"]) == at(1, 0) and moment(offsite["ends_at"]) == at(4, 0)
    # Pages: bounded by limit, keyset cursors.
    first = (await owner.get(EVENTS, params={**window, "limit": 2})).json()
    rest = (
        await owner.get(EVENTS, params={**window, "limit": 2, "cursor": first["next_cursor"]})
    ).json()
    assert (
        titles(first["items"] + rest["items"]) == titles(everyone) and rest["next_cursor"] is None
    )
    for params, field in (
        ({"during_from": iso(at(1, 0))}, "during_to"),
        ({"during_from": iso(at(3, 0)), "during_to": iso(at(1, 0))}, "during_to"),
        ({"during_from": iso(at(0, 0)), "during_to": iso(at(400, 0))}, "during_to"),
        ({"department_id": str(uuid.uuid4())}, "department_id"),
    ):
        refused = await owner.get(EVENTS, params=params)
        assert refused.status_code == 422 and field in field_of(refused), (params, refused.text)


async def test_bad_events_are_refused_and_write_nothing(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    everest = await room(owner, "Everest", 2)
    member = await colleague(live_server, owner)
    other = await oa_tenant(make_client(live_server))
    theirs = await room(other, "Theirs")
    good = {"title": "Sync", "starts_at": iso(at(1, 9)), "ends_at": iso(at(1, 10))}
    cases: list[tuple[dict[str, Any], str]] = [
        ({**good, "ends_at": iso(at(1, 8))}, "ends_at"),
        ({**good, "ends_at": good["starts_at"]}, "ends_at"),
        (
            {**good, "all_day": True, "starts_at": iso(at(3, 0)), "ends_at": iso(at(1, 0))},
            "ends_at",
        ),
        ({**good, "ends_at": iso(at(60, 9))}, "ends_at"),
        ({**good, "attendee_ids": [member.user_id, other.user_id]}, "attendee_ids[1]"),
        ({**good, "attendee_ids": [str(uuid.uuid4())]}, "attendee_ids[0]"),
        ({**good, "room_id": theirs["id"]}, "room_id"),
        (
            {**good, "room_id": everest["id"], "attendee_ids": [member.user_id, other.user_id]},
            "attendee_ids[1]",
        ),
        ({**good, "reminders": [-5]}, "reminders[0]"),
        ({**good, "reminders": [1, 2, 3, 4, 5, 6]}, "reminders"),
        ({**good, "title": ""}, "title"),
        ({**good, "starts_at": "2027-03-01T09:00:00"}, "starts_at"),
    ]
    for body, field in cases:
        response = await owner.post(EVENTS, json=body)
        assert response.status_code in (400, 422), (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in field_of(response), (body, response.text)
    assert await counts(owner_db, owner.tenant_id, *TABLES) == dict.fromkeys(TABLES, 0)
    assert await counts(owner_db, other.tenant_id, "oa_event") == {"oa_event": 0}

    # A room taken at that time: 409, and the event is not written either.
    taken = await owner.post(BOOKINGS, json={**good, "room_id": everest["id"], "title": "Held"})
    assert taken.status_code == 201
    clash = await owner.post(
        EVENTS,
        json={
            **good,
            "room_id": everest["id"],
            "attendee_ids": [member.user_id],
            "reminders": [10],
        },
    )
    assert clash.status_code == 409 and clash.json()["booking_id"] == taken.json()["id"]
    assert await counts(owner_db, owner.tenant_id, *TABLES) == {
        "oa_event": 0, "oa_event_attendee": 0, "oa_event_reminder": 0, "oa_room_booking": 1,
    }  # fmt: skip
    # Nor can another tenant reach this tenant's events.
    mine = await event(owner, "Mine")
    for method in ("GET", "DELETE"):
        reached = await other.client.request(
            method, f"{EVENTS}/{mine['id']}", headers=other.headers
        )
        assert reached.status_code == 404
    moved = await patch(other, f"{EVENTS}/{mine['id']}", {"title": "Theirs now"})
    assert moved.status_code == 404
    changed = await patch(owner, f"{EVENTS}/{mine['id']}", {"attendee_ids": [other.user_id]})
    assert changed.status_code == 422 and field_of(changed) == ["attendee_ids[0]"]
    assert await counts(owner_db, owner.tenant_id, "oa_event_attendee") == {"oa_event_attendee": 1}
    await other.client.aclose()


async def test_reminders_reach_attendees_once(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ada, bob = await colleague(live_server, owner), await colleague(live_server, owner)
    soon = datetime.now(UTC) + timedelta(minutes=10)
    made = await event(
        owner,
        "Soon",
        starts_at=iso(soon),
        ends_at=iso(soon + timedelta(hours=1)),
        attendee_ids=[ada.user_id, bob.user_id],
        reminders=[15, 5],
    )
    assert (
        await put(bob, f"{EVENTS}/{made['id']}/response", {"response": "declined"})
    ).status_code == 200
    tenant = uuid.UUID(owner.tenant_id)
    async with tenant_db(live_server, owner.tenant_id) as db:
        assert await send_reminders(db, tenant, datetime.now(UTC)) == 1, "the 15-minute one"
    async with tenant_db(live_server, owner.tenant_id) as db:
        assert await send_reminders(db, tenant, datetime.now(UTC)) == 0, "once"
    [told] = await notices(ada, "oa.event_reminder")
    assert told["title"] == "Reminder: Soon" and told["link"] == f"/oa/events/{made['id']}"
    assert len(await notices(owner, "oa.event_reminder")) == 1
    assert await notices(bob, "oa.event_reminder") == [], "declined: no reminder"
    # Moving the event moves its reminders, which remind again at the new time.
    later = soon + timedelta(days=1)
    await patch(
        owner,
        f"{EVENTS}/{made['id']}",
        {"starts_at": iso(later), "ends_at": iso(later + timedelta(hours=1))},
    )
    async with tenant_db(live_server, owner.tenant_id) as db:
        assert await send_reminders(db, tenant, datetime.now(UTC)) == 0
        assert await send_reminders(db, tenant, later - timedelta(minutes=4)) == 2
    assert len(await notices(ada, "oa.event_reminder")) == 3
    # A reminder whose event began already is dropped, not sent late.
    await patch(owner, f"{EVENTS}/{made['id']}", {"reminders": [30]})
    async with tenant_db(live_server, owner.tenant_id) as db:
        assert await send_reminders(db, tenant, later + timedelta(minutes=1)) == 1
    assert len(await notices(ada, "oa.event_reminder")) == 3


async def test_invitations_and_cancellations_are_notified(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ada = await colleague(live_server, owner)
    made = await event(owner, "Kick-off", attendee_ids=[ada.user_id])
    invited = delivered(
        "oa.event.invited", owner.tenant_id, {"event_id": made["id"], "user_ids": [ada.user_id]}
    )
    async with tenant_db(live_server, owner.tenant_id) as db:
        await tell_invited(invited, HandlerContext(db, uuid.UUID(owner.tenant_id)))
    [told] = await notices(ada, "oa.event_invitation")
    assert told["title"] == "You are invited: Kick-off"
    assert await notices(owner, "oa.event_invitation") == [], "the organiser invites nobody"
    cancelled = delivered(
        "oa.event.cancelled", owner.tenant_id, {"title": "Kick-off", "user_ids": [ada.user_id]}
    )
    async with tenant_db(live_server, owner.tenant_id) as db:
        await tell_cancelled(cancelled, HandlerContext(db, uuid.UUID(owner.tenant_id)))
    assert [n["title"] for n in await notices(ada, "oa.event_cancelled")] == ["Cancelled: Kick-off"]


async def test_the_events_payloads_carry_who_to_tell(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    ada = await colleague(live_server, owner)
    made = await event(owner, "Kick-off", attendee_ids=[ada.user_id])
    assert (await owner.delete(f"{EVENTS}/{made['id']}")).status_code == 200
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id)
        rows = await owner_db.fetch(
            "SELECT type, payload FROM event_outbox WHERE type LIKE 'oa.event.%' ORDER BY id"
        )
    kinds = [r["type"] for r in rows]
    assert kinds == ["oa.event.created", "oa.event.invited", "oa.event.cancelled"]
    assert '"user_ids": ["' + ada.user_id + '"]' in rows[1]["payload"]
    assert ada.user_id in rows[2]["payload"]
