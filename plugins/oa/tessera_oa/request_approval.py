"""Requests are approved on the platform's workflow engine (record type ``oa.request``).

Each form may have a workflow of its own (scope = the form's id, set from the form's screen);
the others use the tenant's unscoped workflow, installed when the module is enabled: the
requester's manager approves. Conditions read the request's ``amount`` (its form's amount
field), ``form_id`` and ``title``.

The engine's decision reaches the request through its ``tessera.approval.*`` events, handled
here in the background. Only the approval the request was submitted with counts.
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
from tessera_oa.request_models import RECORD_TYPE, WRITE, OaRequest
from tessera_oa.request_outcomes import conclude

#: What a request's approval is about: the engine refuses changes to these while it is pending.
#: (Its values change only while it is a draft, which the plugin enforces.)
DECIDED_ON = ("amount", "form_id", "title")

REQUEST = Approvable(
    record_type=RECORD_TYPE,
    model=OaRequest,
    label="Request",
    fields=DECIDED_ON,
    submit_permission=WRITE,
    owner_field="requester_id",
    scope_field="form_id",
    title_field="title",
    summary_fields=("title", "amount"),
)

REQUEST_APPROVAL = WorkflowTemplate(
    key="oa.request_approval",
    record_type=RECORD_TYPE,
    name="Request approval",
    description="The requester's manager approves requests whose form has no workflow of its own.",
    steps=(Step("Manager", approvers="manager"),),
    guarded_fields=DECIDED_ON,
)

#: The request's status after each of the engine's final events.
OUTCOMES = {
    "tessera.approval.approved": "approved",
    "tessera.approval.rejected": "rejected",
    "tessera.approval.returned": "returned",
    # Withdrawn through the generic workflow API rather than our own route.
    "tessera.approval.cancelled": "withdrawn",
}


async def follow_approval(event: Event, ctx: HandlerContext) -> None:
    """Settle a pending request when the engine decides its approval.

    Events may come more than once, in any order, and after the member withdrew: a request
    that is no longer pending, or was submitted with another approval, stays as it is.
    """
    if event.payload.get("record_type") != RECORD_TYPE:
        return
    request_id = uuid.UUID(str(event.payload["record_id"]))
    request = await ctx.db.get(OaRequest, (ctx.tenant_id, request_id), with_for_update=True)
    if request is None or request.status != "pending":
        return
    if request.approval_id != uuid.UUID(str(event.payload["instance_id"])):
        return
    await conclude(ctx.db, request, OUTCOMES[event.type], by=event.actor_user_id)


HANDLERS = [
    EventHandler(event, follow_approval, name=f"request_approval_{event.rsplit('.', 1)[1]}")
    for event in OUTCOMES
]
