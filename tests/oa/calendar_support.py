"""What the calendar, room and announcement tests share: rooms, events, moments, and row counts
read straight from the database (as the owner, inside the tenant)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from tests.support import SignedUp

EVENTS, ROOMS, BOOKINGS = "/api/v1/oa/events", "/api/v1/oa/rooms", "/api/v1/oa/bookings"
ANNOUNCEMENTS = "/api/v1/oa/announcements"


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """A moment ``days`` from today at ``hour``:``minute`` UTC."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=days, hours=hour, minutes=minute)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def room(
    who: SignedUp, name: str = "Everest", capacity: int = 8, **fields: Any
) -> dict[str, Any]:
    made = await who.post(ROOMS, json={"name": name, "capacity": capacity, **fields})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def event(who: SignedUp, title: str = "Planning", **fields: Any) -> dict[str, Any]:
    body = {"title": title, "starts_at": iso(at(1, 9)), "ends_at": iso(at(1, 10)), **fields}
    made = await who.post(EVENTS, json=body)
    assert made.status_code == 201, made.text
    created: dict[str, Any] = made.json()
    return created


async def count(owner_db: asyncpg.Connection, tenant_id: str, table: str) -> int:
    """Rows of ``table`` in the tenant, read past the API (row-level security still applies:
    the tenant is set for this one transaction)."""
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        total = await owner_db.fetchval(f"SELECT count(*) FROM {table}")
    return int(total)


async def counts(owner_db: asyncpg.Connection, tenant_id: str, *tables: str) -> dict[str, int]:
    return {table: await count(owner_db, tenant_id, table) for table in tables}
