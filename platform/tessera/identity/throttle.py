"""Log-in throttling per email and per client address, shared by every web process.

A fixed window per key: after N failures within it, attempts are refused with 429 and a
Retry-After until the window ends. Counts live in PostgreSQL so replicas agree; each update
is its own small transaction, so a failed log-in (whose request rolls back) still counts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.errors import TooManyRequests
from tessera.identity.models import LoginThrottle


def email_key(email: str) -> str:
    return f"email:{email.lower()}"


def ip_key(ip: str) -> str:
    return f"ip:{ip}"


async def check(db: AsyncSession, limits: dict[str, int], window: timedelta) -> None:
    """Raise 429 if any key has used up its failures in the current window."""
    now = datetime.now(UTC)
    rows = (
        await db.execute(select(LoginThrottle).where(LoginThrottle.key.in_(list(limits))))
    ).scalars()
    for row in rows:
        window_ends = row.window_started_at + window
        if window_ends > now and row.failures >= limits[row.key]:
            retry_after = max(1, int((window_ends - now).total_seconds()) + 1)
            raise TooManyRequests(
                "Too many failed sign-in attempts; try again later.", retry_after=retry_after
            )


async def record_failure(db: AsyncSession, keys: list[str], window: timedelta) -> None:
    now = datetime.now(UTC)
    for key in keys:
        stmt = insert(LoginThrottle).values(key=key, window_started_at=now, failures=1)
        expired = LoginThrottle.window_started_at < now - window
        await db.execute(
            stmt.on_conflict_do_update(
                index_elements=[LoginThrottle.key],
                set_={
                    "failures": case((expired, 1), else_=LoginThrottle.failures + 1),
                    "window_started_at": case(
                        (expired, now), else_=LoginThrottle.window_started_at
                    ),
                },
            )
        )


def mail_key(email: str) -> str:
    return f"mail:{email.lower()}"


def mail_ip_key(ip: str) -> str:
    return f"mail-ip:{ip}"


async def take(db: AsyncSession, limits: dict[str, int], window: timedelta) -> None:
    """Count one attempt against each key, refusing with 429 once a key's limit is used up.

    For actions that are not failures but must not be repeated without bound, such as sending
    a password-reset mail to someone's address.
    """
    await check(db, limits, window)
    await record_failure(db, list(limits), window)


async def clear(db: AsyncSession, key: str) -> None:
    await db.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
