"""Leave approval runs on the platform's workflow engine (record type ``oa.leave_request``).

Enabling the module installs the default workflow: the requester's manager approves, and the
tenant's admins too for more than ten days; tenants change it like any workflow. The engine's
decision reaches the request through its ``tessera.approval.*`` events, handled here.
"""

from __future__ import annotations

import uuid

from tessera.plugin import (
    Approvable,
    Event,
    EventHandler,
    HandlerContext,
    Step,
    WorkflowTemplate,
)
from tessera_oa.leave_outcomes import conclude
from tessera_oa.models import LeaveRequest

RECORD_TYPE = "oa.leave_request"
#: What the approval is about: the engine refuses changes to these while it is pending.
DECIDED_ON = ("leave_type_id", "start_date", "end_date", "start_half_day", "end_half_day", "days")

LEAVE_REQUEST = Approvable(
    record_type=RECORD_TYPE,
    model=LeaveRequest,
    label="Leave request",
    fields=(*DECIDED_ON, "reason"),
    submit_permission="oa.leave.request",
    owner_field="user_id",
    # A reason left empty reads as the label and a short id.
    title_field="reason",
    summary_fields=("start_date", "end_date", "days", "reason"),
)

LEAVE_APPROVAL = WorkflowTemplate(
    key="oa.leave_approval",
    record_type=RECORD_TYPE,
    name="Leave approval",
    description="The requester's manager approves; admins too for more than ten days.",
    steps=(
        Step("Manager", approvers="manager"),
        Step("Admins", approvers="role", role="admin", condition="days > 10"),
    ),
    guarded_fields=DECIDED_ON,
)

#: The request's outcome after each of the engine's final events.
OUTCOMES = {
    "tessera.approval.approved": "approved",
    "tessera.approval.rejected": "rejected",
    "tessera.approval.returned": "returned",
    "tessera.approval.cancelled": "withdrawn",
}


async def follow_approval(event: Event, ctx: HandlerContext) -> None:
    """Settle a pending request when the engine decides its approval.

    Only the approval the request was submitted with counts: an event about another one (a
    submission of the same record through the generic workflow API) changes nothing. Events
    may come more than once and after the request was withdrawn: a request that is no longer
    pending stays as it is.
    """
    if event.payload.get("record_type") != RECORD_TYPE:
        return
    request_id = uuid.UUID(str(event.payload["record_id"]))
    request = await ctx.db.get(LeaveRequest, (ctx.tenant_id, request_id), with_for_update=True)
    if request is None or request.status != "pending":
        return
    if request.approval_id != uuid.UUID(str(event.payload["instance_id"])):
        return
    await conclude(ctx.db, request, OUTCOMES[event.type], by=event.actor_user_id)


HANDLERS = [
    EventHandler(event, follow_approval, name=f"leave_approval_{event.rsplit('.', 1)[1]}")
    for event in OUTCOMES
]
