"""Discount approval: a deal discounted beyond the tenant's threshold is won only once approved.

The platform's workflow engine runs the approval (record type ``crm.deal``): while it is
pending, amount, discount and currency are locked; its outcome reaches the deal through the
engine's ``tessera.approval.*`` events, handled here in the background.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from tessera.plugin import (
    Approvable,
    Conflict,
    Event,
    EventHandler,
    HandlerContext,
    Step,
    WorkflowTemplate,
)
from tessera_crm.models import CrmSettings, Deal

RECORD_TYPE = "crm.deal"
#: What the approval of a discount is about: a change to any of these voids it.
PRICED = ("amount", "discount", "currency")

DEAL = Approvable(
    record_type=RECORD_TYPE,
    model=Deal,
    label="Deal",
    fields=("name", *PRICED),
    submit_permission="crm.deal.write",
    owner_field="owner_id",
    # The approval centre's lists show the deal's name; one approval shows its price.
    title_field="name",
    summary_fields=PRICED,
)

DISCOUNT_APPROVAL = WorkflowTemplate(
    key="crm.deal_discount_approval",
    record_type=RECORD_TYPE,
    name="Deal discount approval",
    description="The requester's manager approves a discount; admins too when it exceeds 30%.",
    steps=(
        Step("Sales manager", approvers="manager"),
        Step("Admins", approvers="role", role="admin", condition="discount > 30"),
    ),
    guarded_fields=PRICED,
)

SUBMITTED = "tessera.approval.submitted"
#: The deal's approval state after each of the engine's final events.
OUTCOMES = {
    "tessera.approval.approved": "approved",
    "tessera.approval.rejected": "rejected",
    # Sent back for changes, or withdrawn: the deal needs a new request.
    "tessera.approval.returned": "none",
    "tessera.approval.cancelled": "none",
}


def needs_approval(deal: Deal, settings: CrmSettings) -> bool:
    return Decimal(deal.discount) > Decimal(settings.discount_threshold)


def refuse_unapproved(deal: Deal, settings: CrmSettings) -> None:
    """409 unless the deal's discount is within the threshold or was approved."""
    if not needs_approval(deal, settings) or deal.approval == "approved":
        return
    threshold = Decimal(settings.discount_threshold).quantize(Decimal("0.01"))
    why = {
        "pending": "its approval is still pending",
        "rejected": "its approval was rejected; lower the discount or submit it again",
    }.get(deal.approval, "submit it for approval first (POST .../submit-for-approval)")
    raise Conflict(
        f"The deal's discount of {deal.discount}% is above the approval threshold of "
        f"{threshold}%: it needs approval before it is won; {why}.",
        extensions={"approval": deal.approval, "discount_threshold": threshold},
    )


def void_approval(deal: Deal, before: tuple[object, ...]) -> None:
    """A change of price after a decision voids it; ``before`` holds the PRICED values.

    The deal keeps ``approval_id``, so a late event about the voided approval changes nothing.
    """
    if tuple(getattr(deal, name) for name in PRICED) != before:
        deal.approval = "none"


def priced(deal: Deal) -> tuple[object, ...]:
    return tuple(getattr(deal, name) for name in PRICED)


async def follow_approval(event: Event, ctx: HandlerContext) -> None:
    """Keep a deal's approval state in step with the engine's decisions about it.

    Approval ids are UUIDv7, so a later approval has a greater id: an event about a newer one
    than the deal knows (submitted through ``POST /api/v1/workflow/submissions``) is adopted;
    one about the deal's own approval applies while that is pending; older ones are stale.
    Events may come in any order and more than once; the result is the same.
    """
    if event.payload.get("record_type") != RECORD_TYPE:
        return
    deal = await ctx.db.get(Deal, (ctx.tenant_id, uuid.UUID(str(event.payload["record_id"]))))
    if deal is None:
        return  # deleted since
    approval = uuid.UUID(str(event.payload["instance_id"]))
    state = "pending" if event.type == SUBMITTED else OUTCOMES[event.type]
    if deal.approval_id is None or approval > deal.approval_id:
        deal.approval, deal.approval_id = state, approval
    elif approval == deal.approval_id and deal.approval == "pending":
        deal.approval = state


HANDLERS = [
    EventHandler(event, follow_approval, name=f"deal_approval_{event.rsplit('.', 1)[1]}")
    for event in (SUBMITTED, *OUTCOMES)
]
