"""Request forms: what a tenant's admins design, and the approval workflow each may have.

A form's own workflow is an ordinary workflow definition of record type ``oa.request`` whose
scope is the form's id (``define_workflow``); a form without one uses the tenant's unscoped
``oa.request`` workflow (by default the requester's manager approves). Saving a form's steps
saves its workflow's next version in the same transaction: a bad step (a user of another
tenant, an unknown role) refuses the whole change.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

import msgspec
from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    Actor,
    Conflict,
    Input,
    Invalid,
    NotFound,
    StepIO,
    Uow,
    define_workflow,
    workflow_of,
)
from tessera_oa.request_fields import (
    MAX_FIELDS,
    FormFieldIn,
    FormFieldOut,
    amount_key,
    check_fields,
    check_title_field,
    field_out,
)
from tessera_oa.request_models import FORM_MANAGE, RECORD_TYPE, OaRequest, RequestForm

FormName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
FormDescription = Annotated[str, msgspec.Meta(max_length=2000)]
Icon = Annotated[str, msgspec.Meta(max_length=40)]
Category = Annotated[str, msgspec.Meta(max_length=80)]
FieldKey = Annotated[str, msgspec.Meta(max_length=40)]
#: Bounded here for the request's size; check_fields says "at most 50" by name.
Fields = Annotated[list[FormFieldIn], msgspec.Meta(max_length=MAX_FIELDS * 4)]
Steps = Annotated[list[StepIO], msgspec.Meta(max_length=20)]


class FormIn(Input):
    name: FormName
    fields: Fields
    description: FormDescription = ""
    #: The key of a text field whose value titles each request.
    title_field: FieldKey | None = None
    icon: Icon | None = None
    category: Category | None = None
    active: bool = True
    #: The form's own approval workflow; without it, the tenant's workflow for requests.
    steps: Steps | None = None


class FormPatch(Input):
    name: FormName | None = None
    fields: Fields | None = None
    description: FormDescription | None = None
    title_field: FieldKey | msgspec.UnsetType | None = msgspec.UNSET
    icon: Icon | msgspec.UnsetType | None = msgspec.UNSET
    category: Category | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | None = None
    #: A new version of the form's own workflow (running approvals keep theirs).
    steps: Steps | None = None


class FormOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    description: str
    fields: list[FormFieldOut]
    #: The key of the form's amount field: workflow conditions read it as ``amount``.
    amount_field: str | None
    title_field: str | None
    icon: str | None
    category: str | None
    active: bool
    #: The form's own workflow's steps; null: the tenant's workflow for requests applies.
    steps: list[StepIO] | None
    created_at: datetime
    updated_at: datetime


async def form_out(db: AsyncSession, form: RequestForm) -> FormOut:
    await db.refresh(form)
    steps = await workflow_of(db, RECORD_TYPE, str(form.id))
    return FormOut(
        id=form.id,
        name=form.name,
        description=form.description,
        fields=[field_out(f) for f in form.fields],
        amount_field=form.amount_field,
        title_field=form.title_field,
        icon=form.icon,
        category=form.category,
        active=form.active,
        steps=None if steps is None else [StepIO.of(s) for s in steps],
        created_at=form.created_at,
        updated_at=form.updated_at,
    )


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("name", "must not be blank")
    return cleaned


def _optional(text: str | None) -> str | None:
    return (text or "").strip() or None


async def _name_free(db: AsyncSession, name: str, except_id: uuid.UUID | None = None) -> None:
    query = select(RequestForm.id).where(
        RequestForm.active, func.lower(RequestForm.name) == name.lower()
    )
    if except_id is not None:
        query = query.where(RequestForm.id != except_id)
    if (await db.execute(query.limit(1))).first() is not None:
        raise Conflict(f"An active form is already called {name!r}.")


async def _attach_steps(
    db: AsyncSession, actor: Actor, form: RequestForm, steps: Sequence[StepIO]
) -> None:
    await define_workflow(
        db,
        actor,
        record_type=RECORD_TYPE,
        scope=str(form.id),
        name=f"Request: {form.name}"[:120],
        steps=[s.to_step() for s in steps],
    )


async def create_form(uow: Uow, actor: Actor, data: FormIn) -> RequestForm:
    name = _clean_name(data.name)
    fields = check_fields(data.fields)
    title_field = check_title_field(data.title_field, fields)
    if data.active:
        await _name_free(uow.db, name)
    form = RequestForm(
        tenant_id=actor.tenant,
        name=name,
        description=data.description.strip(),
        fields=fields,
        amount_field=amount_key(fields),
        title_field=title_field,
        icon=_optional(data.icon),
        category=_optional(data.category),
        active=data.active,
    )
    uow.db.add(form)
    await uow.db.flush()
    if data.steps is not None:
        await _attach_steps(uow.db, actor, form, data.steps)
    return form


async def change_form(uow: Uow, actor: Actor, form_id: uuid.UUID, data: FormPatch) -> RequestForm:
    form = await get_form(uow.db, actor, form_id, lock=True)
    if data.name is not None:
        form.name = _clean_name(data.name)
    if data.description is not None:
        form.description = data.description.strip()
    if data.fields is not None:
        form.fields = check_fields(data.fields)
        form.amount_field = amount_key(form.fields)
    if not isinstance(data.title_field, msgspec.UnsetType):
        form.title_field = data.title_field
    # Checked against the fields as they now are, changed or not.
    form.title_field = check_title_field(form.title_field, form.fields)
    if not isinstance(data.icon, msgspec.UnsetType):
        form.icon = _optional(data.icon)
    if not isinstance(data.category, msgspec.UnsetType):
        form.category = _optional(data.category)
    if data.active is not None:
        form.active = data.active
    if form.active:
        await _name_free(uow.db, form.name, except_id=form.id)
    await uow.db.flush()
    if data.steps is not None:
        await _attach_steps(uow.db, actor, form, data.steps)
    return form


async def in_use(db: AsyncSession, form_id: uuid.UUID) -> bool:
    query = select(OaRequest.id).where(OaRequest.form_id == form_id).limit(1)
    return (await db.execute(query)).first() is not None


async def delete_form(uow: Uow, actor: Actor, form_id: uuid.UUID) -> None:
    """An unused form goes to the recycle bin; one with requests is deactivated instead (409)."""
    form = await get_form(uow.db, actor, form_id, lock=True)
    if await in_use(uow.db, form.id):
        raise Conflict("Requests were made with this form: deactivate it instead.")
    await uow.db.delete(form)
    await uow.db.flush()


def listed_to(actor: Actor) -> ColumnElement[bool]:
    """Managers of forms see every form; members the active ones."""
    return true() if actor.can(FORM_MANAGE) else RequestForm.active.is_(True)


async def get_form(
    db: AsyncSession, actor: Actor, form_id: uuid.UUID, *, lock: bool = False
) -> RequestForm:
    query = select(RequestForm).where(RequestForm.id == form_id, listed_to(actor))
    if lock:
        query = query.with_for_update()
    form = (await db.scalars(query)).one_or_none()
    if form is None:
        raise NotFound("No such request form.")
    return form
