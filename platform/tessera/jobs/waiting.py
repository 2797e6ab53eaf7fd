"""Sleeping in the dispatcher's loops without missing a stop (or a wake-up)."""

from __future__ import annotations

import asyncio


async def pause(stop: asyncio.Event, seconds: float, wake: asyncio.Event | None = None) -> None:
    """Return after ``seconds``, or as soon as ``stop`` (or ``wake``) is set."""
    waiters = [asyncio.ensure_future(stop.wait())]
    if wake is not None:
        waiters.append(asyncio.ensure_future(wake.wait()))
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
