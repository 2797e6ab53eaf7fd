"""Claims and advances are approved on the platform's workflow engine, and on nothing else.

Enabling the module installs two workflows, which tenants change like any other:

- claims (``oa.expense_claim``): the claimant's manager, then finance — the admins — only when
  the claim is over a category's limit (``over_limit``, set on submission);
- advances (``oa.expense_advance``): the member's manager.

A template cannot name a tenant's custom roles, so the default finance step asks the admins;
a tenant with a finance role points the step at it under /api/v1/workflow/definitions.

The engine's decision reaches the claim or advance through its ``tessera.approval.*`` events,
handled here in the background. Only the approval the record was submitted with counts: one
started elsewhere (``POST /api/v1/workflow/submissions`` on a draft) changes nothing.
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
from tessera_oa.expense_access import ADVANCE_TYPE, CLAIM_TYPE
from tessera_oa.expense_models import SUBMIT, ExpenseAdvance, ExpenseClaim
from tessera_oa.expense_outcomes import conclude_advance, conclude_claim

#: What a claim's approval is about: the engine refuses changes to these while it is pending.
#: (Its lines change only while it is a draft, which the plugin enforces.)
CLAIM_GUARDED = ("title", "over_limit", "line_count")
ADVANCE_GUARDED = ("amount", "currency", "purpose")

CLAIM = Approvable(
    record_type=CLAIM_TYPE,
    model=ExpenseClaim,
    label="Expense claim",
    fields=CLAIM_GUARDED,
    submit_permission=SUBMIT,
    owner_field="user_id",
    title_field="title",
    summary_fields=("title", "line_count", "over_limit"),
)

ADVANCE = Approvable(
    record_type=ADVANCE_TYPE,
    model=ExpenseAdvance,
    label="Cash advance",
    fields=ADVANCE_GUARDED,
    submit_permission=SUBMIT,
    owner_field="user_id",
    title_field="purpose",
    summary_fields=ADVANCE_GUARDED,
)

CLAIM_APPROVAL = WorkflowTemplate(
    key="oa.expense_claim_approval",
    record_type=CLAIM_TYPE,
    name="Expense claim approval",
    description="The claimant's manager approves; finance (the admins) too when a line is over "
    "its category's limit.",
    steps=(
        Step("Manager", approvers="manager"),
        Step("Finance", approvers="role", role="admin", condition="over_limit = true"),
    ),
    guarded_fields=CLAIM_GUARDED,
)

ADVANCE_APPROVAL = WorkflowTemplate(
    key="oa.expense_advance_approval",
    record_type=ADVANCE_TYPE,
    name="Cash advance approval",
    description="The member's manager approves a cash advance.",
    steps=(Step("Manager", approvers="manager"),),
    guarded_fields=ADVANCE_GUARDED,
)

#: The outcome each of the engine's final events means for a submitted record.
OUTCOMES = {
    "tessera.approval.approved": "approved",
    "tessera.approval.rejected": "rejected",
    "tessera.approval.returned": "returned",
    # Withdrawn through the generic workflow API rather than our own route.
    "tessera.approval.cancelled": "withdrawn",
}


async def follow_approval(event: Event, ctx: HandlerContext) -> None:
    """Settle a submitted claim or advance when the engine decides its approval.

    Events may come more than once, in any order, and after the member withdrew: a record that
    is no longer submitted, or was submitted with another approval, stays as it is.
    """
    record_type = event.payload.get("record_type")
    if record_type not in (CLAIM_TYPE, ADVANCE_TYPE):
        return
    key = (ctx.tenant_id, uuid.UUID(str(event.payload["record_id"])))
    record: ExpenseClaim | ExpenseAdvance | None
    if record_type == CLAIM_TYPE:
        record = await ctx.db.get(ExpenseClaim, key, with_for_update=True)
    else:
        record = await ctx.db.get(ExpenseAdvance, key, with_for_update=True)
    if record is None or record.status != "submitted":
        return
    if record.approval_id != uuid.UUID(str(event.payload["instance_id"])):
        return
    outcome, by = OUTCOMES[event.type], event.actor_user_id
    if isinstance(record, ExpenseClaim):
        await conclude_claim(ctx.db, record, outcome, by=by)
    else:
        await conclude_advance(ctx.db, record, outcome, by=by)


HANDLERS = [
    EventHandler(event, follow_approval, name=f"expense_approval_{event.rsplit('.', 1)[1]}")
    for event in OUTCOMES
]
