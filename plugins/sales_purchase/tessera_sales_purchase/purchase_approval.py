"""Purchase orders above the tenant's threshold are approved on the workflow engine.

Enabling the module installs a workflow for ``sales_purchase.purchase_order``: the admins
approve (a template cannot name a tenant's custom roles; a tenant with a purchasing manager
role points the step at it under /api/v1/workflow/definitions, or adds steps with conditions
on ``total_company``). Orders within the threshold are never submitted: they are placed at once.

The engine's decision reaches the order through its ``tessera.approval.*`` events, handled
here; only the approval the order was sent with counts.
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
from tessera_sales_purchase.models import PURCHASE_WRITE, PurchaseOrder
from tessera_sales_purchase.purchases import RECORD_TYPE, conclude_approval

#: What the approval is about: refused changes while it is pending.
GUARDED = ("total_company", "total", "currency", "partner_name")

PURCHASE_ORDER = Approvable(
    record_type=RECORD_TYPE,
    model=PurchaseOrder,
    label="Purchase order",
    fields=GUARDED,
    submit_permission=PURCHASE_WRITE,
    title_field="rfq_number",
    summary_fields=("partner_name", "total", "currency", "total_company"),
)

PURCHASE_APPROVAL = WorkflowTemplate(
    key="sales_purchase.purchase_order_approval",
    record_type=RECORD_TYPE,
    name="Purchase order approval",
    description="The admins approve purchase orders above the approval threshold.",
    steps=(Step("Purchasing approval", approvers="role", role="admin"),),
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
    EventHandler(event, follow_approval, name=f"purchase_approval_{event.rsplit('.', 1)[1]}")
    for event in OUTCOMES
]
