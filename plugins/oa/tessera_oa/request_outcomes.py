"""How a pending request ends, whoever ends it, with the event that says so.

The engine's decisions (through its events), an approval no step applies to, and the
requester's withdrawal all end here, so the status, the event and its payload are the same on
every path; the event is written through the same session as the status change.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import emit, notify
from tessera_oa.request_models import OaRequest, RequestForm

#: Decisions made by someone else, which the requester is told of.
TOLD = {
    "approved": "was approved",
    "rejected": "was rejected",
    "returned": "was sent back to you for changes",
}


def request_payload(request: OaRequest, form_name: str) -> dict[str, Any]:
    return {
        "request_id": str(request.id),
        "form_id": str(request.form_id),
        "form_name": form_name,
        "requester_id": str(request.requester_id) if request.requester_id else None,
        "title": request.title,
        "values": request.values,
        "amount": None if request.amount is None else f"{request.amount:.2f}",
        "status": request.status,
        "approval_id": str(request.approval_id) if request.approval_id else None,
        "submitted_at": request.submitted_at.isoformat() if request.submitted_at else None,
        "decided_at": request.decided_at.isoformat() if request.decided_at else None,
    }


async def conclude(
    db: AsyncSession, request: OaRequest, outcome: str, *, by: uuid.UUID | None
) -> None:
    """End a pending request: approved, rejected, returned (to be changed) or withdrawn."""
    assert request.status == "pending", request.status
    request.status = outcome
    if outcome in ("approved", "rejected"):
        request.decided_at = datetime.now(UTC)
    await db.flush()
    form = await db.get(RequestForm, (request.tenant_id, request.form_id))
    payload = {
        **request_payload(request, form.name if form else ""),
        "by_user_id": str(by) if by else None,
    }
    await emit(db, request.tenant_id, f"oa.request.{outcome}", payload)
    if outcome in TOLD and request.requester_id is not None:
        await notify(
            db,
            request.tenant_id,
            [request.requester_id],
            f"oa.request_{outcome}",
            f"Your request {request.title!r} {TOLD[outcome]}",
            link=f"/oa/requests/{request.id}",
        )
