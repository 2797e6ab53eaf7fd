"""The permission matrix's cases for the OA calendar, meeting rooms, bookings and announcements
(tests/platform/test_permissions.py adds them to its own).

Each builds a valid request for the person under test; what only managers may make (rooms,
announcements) the tenant's owner makes first. Records the actor changes are the actor's own,
so a member's scope ("own") reaches them.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from tests.support import SignedUp

OA = "/api/v1/oa"
Request = tuple[str, dict[str, Any] | None]


class Scene(Protocol):
    owner: SignedUp
    actor: SignedUp


Build = Callable[[Any], Awaitable[Request]]


def _slot() -> dict[str, str]:
    """A future half hour no other case takes (most likely)."""
    start = datetime.now(UTC) + timedelta(days=2, minutes=30 * (uuid.uuid4().int % 100_000))
    return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(minutes=30)).isoformat()}


async def _made(who: SignedUp, path: str, body: dict[str, Any]) -> str:
    made = await who.post(path, json=body)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _room_id(s: Scene) -> str:
    return await _made(
        s.owner, f"{OA}/rooms", {"name": f"Room {uuid.uuid4().hex[:8]}", "capacity": 6}
    )


async def _event_id(s: Scene) -> str:
    return await _made(s.actor, f"{OA}/events", {"title": "Matrix", **_slot()})


async def _announcement_id(s: Scene, **fields: Any) -> str:
    return await _made(s.owner, f"{OA}/announcements", {"title": "Matrix", **fields})


def fixed(path: str, body: dict[str, Any] | None = None) -> Build:
    async def build(scene: Scene) -> Request:
        return path, body

    return build


async def _new_event(s: Scene) -> Request:
    return f"{OA}/events", {"title": "Matrix", **_slot()}


async def _event(s: Scene) -> Request:
    return f"{OA}/events/{await _event_id(s)}", None


async def _event_patch(s: Scene) -> Request:
    return f"{OA}/events/{await _event_id(s)}", {"title": "Changed"}


async def _event_response(s: Scene) -> Request:
    return f"{OA}/events/{await _event_id(s)}/response", {"response": "tentative"}


async def _room(s: Scene) -> Request:
    return f"{OA}/rooms/{await _room_id(s)}", None


async def _room_patch(s: Scene) -> Request:
    return f"{OA}/rooms/{await _room_id(s)}", {"capacity": 12}


async def _new_room(s: Scene) -> Request:
    return f"{OA}/rooms", {"name": f"Room {uuid.uuid4().hex[:8]}", "capacity": 4}


async def _new_booking(s: Scene) -> Request:
    return f"{OA}/bookings", {"room_id": await _room_id(s), "title": "Matrix", **_slot()}


async def _booking(s: Scene) -> Request:
    body = {"room_id": await _room_id(s), "title": "Matrix", **_slot()}
    return f"{OA}/bookings/{await _made(s.actor, f'{OA}/bookings', body)}", None


async def _announcement(s: Scene) -> Request:
    return f"{OA}/announcements/{await _announcement_id(s)}", None


async def _announcement_patch(s: Scene) -> Request:
    return f"{OA}/announcements/{await _announcement_id(s)}", {"pinned": True}


async def _announcement_publish(s: Scene) -> Request:
    return f"{OA}/announcements/{await _announcement_id(s, publish_at=None)}/publish", None


def _announcement_part(part: str) -> Build:
    async def build(s: Scene) -> Request:
        return f"{OA}/announcements/{await _announcement_id(s)}/{part}", None

    return build


EVENT, ROOM, BOOKING = (
    f"{OA}/events/{{event_id:uuid}}",
    f"{OA}/rooms/{{room_id:uuid}}",
    f"{OA}/bookings/{{booking_id:uuid}}",
)
ANNOUNCEMENT = f"{OA}/announcements/{{announcement_id:uuid}}"

#: (method, route path as the app declares it, how to make a valid request for it)
CALENDAR_CASES: list[tuple[str, str, Build]] = [
    ("GET", f"{OA}/events", fixed(f"{OA}/events")),
    ("POST", f"{OA}/events", _new_event),
    ("GET", EVENT, _event),
    ("PATCH", EVENT, _event_patch),
    ("DELETE", EVENT, _event),
    ("PUT", f"{EVENT}/response", _event_response),
    ("GET", f"{OA}/calendar.ics", fixed(f"{OA}/calendar.ics")),
    ("GET", f"{OA}/rooms", fixed(f"{OA}/rooms")),
    ("POST", f"{OA}/rooms", _new_room),
    ("GET", ROOM, _room),
    ("PATCH", ROOM, _room_patch),
    ("DELETE", ROOM, _room),
    ("GET", f"{OA}/bookings", fixed(f"{OA}/bookings")),
    ("POST", f"{OA}/bookings", _new_booking),
    ("GET", BOOKING, _booking),
    ("DELETE", BOOKING, _booking),
    ("GET", f"{OA}/announcements", fixed(f"{OA}/announcements")),
    ("POST", f"{OA}/announcements", fixed(f"{OA}/announcements", {"title": "Matrix"})),
    ("GET", ANNOUNCEMENT, _announcement),
    ("PATCH", ANNOUNCEMENT, _announcement_patch),
    ("DELETE", ANNOUNCEMENT, _announcement),
    ("POST", f"{ANNOUNCEMENT}/publish", _announcement_publish),
    ("POST", f"{ANNOUNCEMENT}/read", _announcement_part("read")),
    ("GET", f"{ANNOUNCEMENT}/readers", _announcement_part("readers")),
    ("GET", f"{ANNOUNCEMENT}/unread", _announcement_part("unread")),
    ("GET", f"{ANNOUNCEMENT}/receipts", _announcement_part("receipts")),
]
