"""Requests made from a form: a member's draft, submitted to the workflow engine, decided.

Values are checked against the form on every write (:mod:`tessera_oa.request_values`); a draft
may leave required fields empty, a submission may not. Submitting starts the form's own
workflow if it has one, else the tenant's workflow for requests, in the same transaction as
the status change: a refusal anywhere (a missing field, no approver) leaves the draft as it
was. The engine's outcome comes back through its events (:mod:`tessera_oa.request_approval`).

Who reaches which requests: the requester their own; holders of ``oa.request.read`` those its
scope reaches (the admins all); approvers those they are asked to decide on. Others get 404.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    Actor,
    Conflict,
    Forbidden,
    Input,
    Invalid,
    NotFound,
    Uow,
    approver_of,
    delete_file,
    emit,
    member_emails,
    submit_for_approval,
    visible_to,
    withdraw_approval,
)
from tessera_oa.request_models import (
    EDITABLE,
    READ,
    RECORD_TYPE,
    OaRequest,
    RequestFile,
    RequestForm,
)
from tessera_oa.request_outcomes import conclude, request_payload
from tessera_oa.request_values import check_values

#: A request's values: a JSON object keyed by its form's field keys (an unknown key is refused).
Values = dict[str, Any]


class RequestIn(Input):
    form_id: uuid.UUID
    values: Values = msgspec.field(default_factory=dict)


class RequestPatch(Input):
    """The draft's values, all of them, as they should now be."""

    values: Values


class RequestOut(msgspec.Struct):
    id: uuid.UUID
    form_id: uuid.UUID
    form_name: str
    requester_id: uuid.UUID | None
    title: str
    values: dict[str, Any]
    amount: Decimal | None
    #: draft, pending, approved, rejected, returned or withdrawn
    status: str
    approval_id: uuid.UUID | None
    submitted_at: datetime | None
    decided_at: datetime | None
    created_at: datetime
    updated_at: datetime


def request_out(request: OaRequest, form_name: str) -> RequestOut:
    return RequestOut(
        id=request.id,
        form_id=request.form_id,
        form_name=form_name,
        requester_id=request.requester_id,
        title=request.title,
        values=request.values,
        amount=request.amount,
        status=request.status,
        approval_id=request.approval_id,
        submitted_at=request.submitted_at,
        decided_at=request.decided_at,
        created_at=request.created_at,
        updated_at=request.updated_at,
    )


async def one_request_out(db: AsyncSession, request: OaRequest) -> RequestOut:
    await db.refresh(request)
    form = await db.get(RequestForm, (request.tenant_id, request.form_id))
    return request_out(request, form.name if form else "")


async def form_names(db: AsyncSession, form_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not form_ids:
        return {}
    query = select(RequestForm.id, RequestForm.name).where(RequestForm.id.in_(form_ids))
    return {row[0]: row[1] for row in await db.execute(query)}


# --- Who reaches what ---------------------------------------------------------------------


def readable(actor: Actor) -> ColumnElement[bool]:
    """SQL: the requests the actor may read."""
    return or_(
        OaRequest.requester_id == actor.user_id,
        visible_to(actor, READ, OaRequest.requester_id),
        approver_of(actor, RECORD_TYPE, OaRequest.id),
    )


async def get_readable(db: AsyncSession, actor: Actor, request_id: uuid.UUID) -> OaRequest:
    query = select(OaRequest).where(OaRequest.id == request_id, readable(actor))
    request = (await db.scalars(query)).one_or_none()
    if request is None:
        raise NotFound("No such request.")
    return request


async def get_own(db: AsyncSession, actor: Actor, request_id: uuid.UUID, doing: str) -> OaRequest:
    """The actor's own request, locked; 403 if they may only read it."""
    request = await get_readable(db, actor, request_id)
    if request.requester_id != actor.user_id:
        raise Forbidden(f"Only the member who made the request can {doing} it.")
    await db.refresh(request, with_for_update=True)
    return request


def require_editable(request: OaRequest, doing: str) -> None:
    if request.status not in EDITABLE:
        raise Conflict(f"The request is {request.status}: only a draft can be {doing}.")


async def _active_form(db: AsyncSession, form_id: uuid.UUID, field: str) -> RequestForm:
    form = (await db.scalars(select(RequestForm).where(RequestForm.id == form_id))).one_or_none()
    if form is None:
        raise Invalid(field, "no such request form")
    if not form.active:
        raise Invalid(field, f"the form {form.name!r} takes no new requests")
    return form


# --- Writing values -----------------------------------------------------------------------


async def _title(db: AsyncSession, form: RequestForm, request: OaRequest) -> str:
    """The title field's value, else "form name · requester · day"."""
    if form.title_field and request.values.get(form.title_field):
        return str(request.values[form.title_field])[:300]
    emails = await member_emails(db, [request.requester_id] if request.requester_id else [])
    who = emails.get(request.requester_id) if request.requester_id else None
    day = (request.created_at or datetime.now(UTC)).date().isoformat()
    return " · ".join(part for part in (form.name, who, day) if part)[:300]


async def _write_values(
    uow: Uow,
    actor: Actor,
    form: RequestForm,
    request: OaRequest,
    values: dict[str, Any],
    *,
    complete: bool,
) -> None:
    """Check ``values`` against the form and store them, with the files they name."""
    checked = await check_values(uow, actor, form.fields, values, complete=complete)
    request.values, request.amount = checked.values, checked.amount
    request.title = await _title(uow.db, form, request)
    await uow.db.flush()
    rows = await uow.db.execute(
        select(RequestFile.field_key, RequestFile.file_id).where(
            RequestFile.request_id == request.id
        )
    )
    held = {(row[0], row[1]) for row in rows}
    wanted = set(checked.files)
    if held == wanted:
        return
    await uow.db.execute(delete(RequestFile).where(RequestFile.request_id == request.id))
    uow.db.add_all(
        RequestFile(tenant_id=request.tenant_id, request_id=request.id, field_key=key, file_id=f)
        for key, f in wanted
    )
    await uow.db.flush()
    # Let go of the files no field names any more (kept if something else holds them).
    for file_id in {f for _, f in held} - {f for _, f in wanted}:
        await delete_file(uow, file_id)


async def create_request(
    uow: Uow, actor: Actor, form_id: uuid.UUID, values: dict[str, Any]
) -> OaRequest:
    form = await _active_form(uow.db, form_id, "form_id")
    request = OaRequest(
        tenant_id=actor.tenant,
        form_id=form.id,
        requester_id=actor.user_id,
        title=form.name,
        values={},
        status="draft",
    )
    uow.db.add(request)
    await uow.db.flush()
    await uow.db.refresh(request)
    await _write_values(uow, actor, form, request, values, complete=False)
    return request


async def change_request(
    uow: Uow, actor: Actor, request_id: uuid.UUID, values: dict[str, Any]
) -> OaRequest:
    request = await get_own(uow.db, actor, request_id, "change")
    require_editable(request, "changed")
    form = await _active_form(uow.db, request.form_id, "form_id")
    await _write_values(uow, actor, form, request, values, complete=False)
    return request


# --- Its way ------------------------------------------------------------------------------


async def submit_request(uow: Uow, actor: Actor, request_id: uuid.UUID) -> OaRequest:
    """Complete values, then the form's (or the tenant's) workflow, in one transaction."""
    request = await get_own(uow.db, actor, request_id, "submit")
    require_editable(request, "submitted")
    form = await _active_form(uow.db, request.form_id, "form_id")
    # The form may have changed since the draft was written: checked as it now is.
    await _write_values(uow, actor, form, request, dict(request.values), complete=True)
    approval = await submit_for_approval(uow.db, actor, RECORD_TYPE, request.id)
    request.status, request.approval_id = "pending", approval.id
    request.submitted_at, request.decided_at = datetime.now(UTC), None
    await uow.db.flush()
    await emit(uow.db, actor.tenant, "oa.request.submitted", request_payload(request, form.name))
    if approval.status == "approved":  # no step of the workflow applies to this request
        await conclude(uow.db, request, "approved", by=actor.user_id)
    return request


async def withdraw_request(uow: Uow, actor: Actor, request_id: uuid.UUID) -> OaRequest:
    """Taken back through the engine, only before any approver has decided (409 after)."""
    request = await get_own(uow.db, actor, request_id, "withdraw")
    if request.status != "pending":
        raise Conflict(f"The request is {request.status}: only a pending one can be withdrawn.")
    if request.approval_id is not None:
        await withdraw_approval(uow.db, actor, request.approval_id)
    await conclude(uow.db, request, "withdrawn", by=actor.user_id)
    return request
