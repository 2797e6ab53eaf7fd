"""How a leave request ends, whoever ends it: its balance moved, its event and its notice.

The workflow engine's decisions (through its events), the requester's withdrawal and an
admin's cancellation all end here, so the balance moves the same way whatever the path.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import emit, notify
from tessera_oa.leave_balances import consume, give_back, release
from tessera_oa.models import LeaveRequest

#: The event each new status emits.
EVENTS = {
    "approved": "oa.leave.approved",
    "rejected": "oa.leave.rejected",
    "returned": "oa.leave.returned",
    "withdrawn": "oa.leave.withdrawn",
    "cancelled": "oa.leave.cancelled",
}
#: Decisions made by someone else, which the requester is told of.
TOLD = {
    "approved": "was approved",
    "rejected": "was rejected",
    "returned": "was sent back: make a new request if you still need it",
}


def payload(request: LeaveRequest) -> dict[str, object]:
    return {
        "request_id": request.id,
        "user_id": request.user_id,
        "leave_type_id": request.leave_type_id,
        "start_date": request.start_date.isoformat(),
        "end_date": request.end_date.isoformat(),
        "days": request.days,
        "approval_id": request.approval_id,
    }


async def conclude(
    db: AsyncSession, request: LeaveRequest, outcome: str, *, by: uuid.UUID | None = None
) -> None:
    """End a pending request: ``approved`` takes its held days, anything else frees them.

    ``outcome`` is approved, rejected, returned (sent back), withdrawn (by the requester; the
    request's status reads cancelled) or cancelled.
    """
    assert request.status == "pending", request.status
    if outcome == "approved":
        await consume(db, request.tenant_id, request.allocation_id, request.days)
    else:
        await release(db, request.tenant_id, request.allocation_id, request.days)
    request.status = "cancelled" if outcome == "withdrawn" else outcome
    request.decided_at = datetime.now(UTC)
    await db.flush()
    await emit(db, request.tenant_id, EVENTS[outcome], {**payload(request), "by_user_id": by})
    if outcome in TOLD:
        await notify(
            db,
            request.tenant_id,
            [request.user_id],
            f"oa.leave_{outcome}",
            f"Your leave from {request.start_date} to {request.end_date} {TOLD[outcome]}",
            link=f"/oa/leave/{request.id}",
        )


async def cancel_approved(db: AsyncSession, request: LeaveRequest, by: uuid.UUID) -> None:
    """Approved leave called off: its days go back to the balance."""
    assert request.status == "approved", request.status
    await give_back(db, request.tenant_id, request.allocation_id, request.days)
    request.status, request.decided_at = "cancelled", datetime.now(UTC)
    await db.flush()
    await emit(db, request.tenant_id, EVENTS["cancelled"], {**payload(request), "by_user_id": by})
