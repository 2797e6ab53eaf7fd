"""Meeting rooms and their bookings over real HTTP: no double booking, ever — the database's
exclusion constraint decides, even for ten requests racing for one slot."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import httpx

from tests.oa.calendar_support import BOOKINGS, ROOMS, at, count, iso, room
from tests.oa.support import colleague, field_of, oa_tenant, patch
from tests.support import LiveServer, SignedUp, make_client


def slot(
    room_id: str, start: int, end: int, title: str = "Stand-up", days: int = 1
) -> dict[str, Any]:
    """A booking body: ``start`` to ``end`` as minutes after 09:00 UTC, ``days`` from today."""
    return {
        "room_id": room_id,
        "title": title,
        "starts_at": iso(at(days, 9, 0) + (at(0, 0, start) - at(0, 0))),
        "ends_at": iso(at(days, 9, 0) + (at(0, 0, end) - at(0, 0))),
    }


async def bookings_of(who: SignedUp, room_id: str) -> list[dict[str, Any]]:
    response = await who.get(BOOKINGS, params={"room_id": room_id, "limit": 200})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_rooms_round_trip(client: httpx.AsyncClient, live_server: LiveServer) -> None:
    owner = await oa_tenant(client)
    everest = await room(owner, "Everest", 8, location="3rd floor")
    await room(owner, "K2", 4)
    assert everest["active"] is True and everest["location"] == "3rd floor"
    taken = await owner.post(ROOMS, json={"name": "everest", "capacity": 2})
    assert taken.status_code == 409, "names are unique whatever the case"
    big = (await owner.get(ROOMS, params={"min_capacity": 5})).json()["items"]
    assert [r["name"] for r in big] == ["Everest"]
    retired = await patch(owner, f"{ROOMS}/{everest['id']}", {"active": False})
    assert retired.status_code == 200 and retired.json()["active"] is False
    refused = await owner.post(BOOKINGS, json=slot(everest["id"], 0, 30))
    assert refused.status_code == 422 and field_of(refused) == ["room_id"]
    member = await colleague(live_server, owner)
    assert (await member.get(ROOMS)).status_code == 200, "everyone sees the rooms"
    assert (await member.post(ROOMS, json={"name": "Mine", "capacity": 2})).status_code == 403
    assert (await owner.delete(f"{ROOMS}/{everest['id']}")).status_code == 200
    assert [r["name"] for r in (await owner.get(ROOMS)).json()["items"]] == ["K2"]


async def test_ten_parallel_bookings_of_one_slot_one_wins(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    everest = await room(owner)
    people = [owner] + [await colleague(live_server, owner) for _ in range(4)]
    # Ten requests over real HTTP at once, from five people's sessions, for the same half hour.
    answers = await asyncio.gather(
        *(
            people[i % len(people)].post(BOOKINGS, json=slot(everest["id"], 0, 30, f"Try {i}"))
            for i in range(10)
        )
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] + [409] * 9, [a.text for a in answers]
    won = next(a.json() for a in answers if a.status_code == 201)
    for lost in (a for a in answers if a.status_code == 409):
        problem = lost.json()
        assert lost.headers["content-type"].startswith("application/problem+json")
        assert "already booked" in problem["detail"]
        assert problem["booking_id"] == won["id"], "the refusal names the booking in the way"
    assert [b["id"] for b in await bookings_of(owner, everest["id"])] == [won["id"]]
    assert await count(owner_db, owner.tenant_id, "oa_room_booking") == 1, "nothing else written"


async def test_overlapping_slots_race_and_one_wins(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    everest = await room(owner)
    # Ten different half hours, each overlapping all the others (they start 2 minutes apart).
    answers = await asyncio.gather(
        *(owner.post(BOOKINGS, json=slot(everest["id"], 2 * i, 2 * i + 30)) for i in range(10))
    )
    assert sorted(a.status_code for a in answers) == [201] + [409] * 9
    assert await count(owner_db, owner.tenant_id, "oa_room_booking") == 1


async def test_adjacent_slots_and_other_rooms_do_not_clash(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    everest, k2 = await room(owner, "Everest"), await room(owner, "K2")
    first = await owner.post(BOOKINGS, json=slot(everest["id"], 0, 30))
    assert first.status_code == 201, first.text
    # Half-open spans: one ending at 09:30 and one starting then share no moment.
    assert (await owner.post(BOOKINGS, json=slot(everest["id"], 30, 60))).status_code == 201
    assert (await owner.post(BOOKINGS, json=slot(k2["id"], 0, 30))).status_code == 201
    assert (await owner.post(BOOKINGS, json=slot(everest["id"], 0, 30, days=2))).status_code == 201
    clash = await owner.post(BOOKINGS, json=slot(everest["id"], 15, 45))
    assert clash.status_code == 409
    window = {"during_from": iso(at(1, 9, 10)), "during_to": iso(at(1, 9, 20))}
    found = (await owner.get(BOOKINGS, params={**window, "room_id": everest["id"]})).json()
    assert [b["id"] for b in found["items"]] == [first.json()["id"]]
    # A cancelled booking frees its slot.
    assert (await owner.delete(f"{BOOKINGS}/{first.json()['id']}")).status_code == 200
    assert (await owner.post(BOOKINGS, json=slot(everest["id"], 15, 29))).status_code == 201


async def test_bad_bookings_are_refused_and_write_nothing(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    everest = await room(owner)
    other = await oa_tenant(make_client(live_server))
    theirs = await room(other, "Theirs")
    good = slot(everest["id"], 0, 30)
    cases: list[tuple[dict[str, Any], str]] = [
        ({**good, "ends_at": good["starts_at"]}, "ends_at"),
        ({**good, "ends_at": iso(at(1, 8))}, "ends_at"),
        ({**good, "starts_at": iso(at(-2, 9)), "ends_at": iso(at(-2, 10))}, "ends_at"),
        ({**good, "ends_at": iso(at(40, 9))}, "ends_at"),
        ({**good, "room_id": theirs["id"]}, "room_id"),
        ({**good, "starts_at": "2027-03-01T09:00:00"}, "starts_at"),
        ({**good, "title": ""}, "title"),
        ({k: v for k, v in good.items() if k != "room_id"}, "room_id"),
    ]
    for body, field in cases:
        response = await owner.post(BOOKINGS, json=body)
        assert response.status_code in (400, 422), (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in field_of(response), (body, response.text)
    assert await count(owner_db, owner.tenant_id, "oa_room_booking") == 0
    assert await count(owner_db, other.tenant_id, "oa_room_booking") == 0
    # Another tenant's booking is no booking here.
    mine = await owner.post(BOOKINGS, json=good)
    assert (await other.get(f"{BOOKINGS}/{mine.json()['id']}")).status_code == 404
    assert (await other.delete(f"{BOOKINGS}/{mine.json()['id']}")).status_code == 404
    await other.client.aclose()


async def test_members_cancel_only_their_own_bookings(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    everest = await room(owner)
    member = await colleague(live_server, owner)
    mine = (await member.post(BOOKINGS, json=slot(everest["id"], 0, 30))).json()
    ours = (await owner.post(BOOKINGS, json=slot(everest["id"], 30, 60))).json()
    assert mine["booked_by"] == member.user_id
    assert (await member.delete(f"{BOOKINGS}/{ours['id']}")).status_code == 404
    assert len((await member.get(BOOKINGS, params={"mine": "true"})).json()["items"]) == 1
    assert (await member.delete(f"{BOOKINGS}/{mine['id']}")).status_code == 200
    assert (await owner.delete(f"{BOOKINGS}/{ours['id']}")).status_code == 200
