"""Contracts signed above the tenant's threshold are approved on the workflow engine.

Enabling the module installs a workflow for ``contracts.contract`` in which the admins approve
(a tenant points the step at a role of its own, or adds steps with conditions on ``amount``,
under /api/v1/workflow/definitions). The engine's decision reaches the contract through its
``tessera.approval.*`` events, handled here; only the approval the contract was sent with
counts.
"""

from __future__ import annotations

import uuid

from tessera.plugin import Approvable, Event, EventHandler, HandlerContext, Step, WorkflowTemplate
from tessera_contracts.models import WRITE, Contract
from tessera_contracts.service import RECORD_TYPE, conclude_approval

#: What the approval is about: refused changes while it is pending.
GUARDED = ("amount", "currency", "account_id", "title")

CONTRACT = Approvable(
    record_type=RECORD_TYPE,
    model=Contract,
    label="Contract",
    fields=GUARDED,
    submit_permission=WRITE,
    title_field="number",
    summary_fields=("title", "amount", "currency"),
)

CONTRACT_APPROVAL = WorkflowTemplate(
    key="contracts.contract_approval",
    record_type=RECORD_TYPE,
    name="Contract approval",
    description="The admins approve contracts signed above the approval threshold.",
    steps=(Step("Contract approval", approvers="role", role="admin"),),
    guarded_fields=GUARDED,
)

OUTCOMES = {
    "tessera.approval.approved": "approved",
    "tessera.approval.rejected": "rejected",
    "tessera.approval.returned": "returned",
    "tessera.approval.cancelled": "withdrawn",
}


async def follow_approval(event: Event, ctx: HandlerContext) -> None:
    if event.payload.get("record_type") != RECORD_TYPE:
        return
    await conclude_approval(
        ctx.db,
        ctx.tenant_id,
        uuid.UUID(str(event.payload["record_id"])),
        uuid.UUID(str(event.payload["instance_id"])),
        OUTCOMES[event.type],
    )


HANDLERS = [
    EventHandler(event, follow_approval, name=f"contract_approval_{event.rsplit('.', 1)[1]}")
    for event in OUTCOMES
]
