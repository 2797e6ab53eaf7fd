"""Leads: people who may become customers, owned by a rep or waiting in the pool.

Mounted under /api/v1/crm/leads. Taking leads from the pool and giving them back is in
:mod:`tessera_crm.lead_pool`, converting them in :mod:`tessera_crm.lead_conversion`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    Forbidden,
    Input,
    Invalid,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    emit,
    requires,
    visible_to,
)
from tessera_crm.accounts import OwnerFilter, TagFilter
from tessera_crm.contacts import contact_duplicates
from tessera_crm.models import LEAD_SOURCES, LEAD_STATUSES, Lead, LeadSource
from tessera_crm.normalize import email_key, phone_key
from tessera_crm.records import (
    checked_owner,
    clean_tags,
    get_visible,
    page_query,
    refuse_duplicates,
)
from tessera_crm.schemas import Duplicate, Email, Name, Notes, PersonName, Phone, Short, Tags

READ, WRITE, ASSIGN = "crm.lead.read", "crm.lead.write", "crm.lead.assign"
SORTING = Sorting(
    {
        "last_name": Lead.last_name,
        "company": Lead.company,
        "last_touched_at": Lead.last_touched_at,
        "created_at": Lead.created_at,
        "updated_at": Lead.updated_at,
    },
    Lead.id,
)
LastName = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
#: What a lead's status may be set to: ``converted`` is reached only by converting it.
OpenStatus = Literal["new", "contacted", "qualified", "unqualified"]
Search = Annotated[
    str | None,
    QueryParameter(max_length=200, description="Part of the name, company, email or phone"),
]
StatusFilter = Annotated[str | None, QueryParameter(pattern=f"^({'|'.join(LEAD_STATUSES)})$")]
SourceFilter = Annotated[str | None, QueryParameter(pattern=f"^({'|'.join(LEAD_SOURCES)})$")]
PoolFilter = Annotated[
    bool | None,
    QueryParameter(description="true: only leads in the pool; false: only leads with an owner"),
]


class LeadIn(Input):
    last_name: LastName
    first_name: PersonName = ""
    company: Name | None = None
    title: Short | None = None
    email: Email | None = None
    phone: Phone | None = None
    source: LeadSource = "other"
    status: OpenStatus = "new"
    tags: Tags = msgspec.field(default_factory=list)
    notes: Notes = ""
    #: Default: whoever creates it. Anyone else needs crm.lead.assign.
    owner_id: uuid.UUID | None = None
    #: Put it in the pool, without an owner, for any rep to claim.
    pool: bool = False
    allow_duplicate: bool = False


class LeadPatch(Input):
    last_name: LastName | None = None
    first_name: PersonName | None = None
    company: Name | None = None
    title: Short | None = None
    email: Email | None = None
    phone: Phone | None = None
    source: LeadSource | None = None
    status: OpenStatus | None = None
    tags: Tags | None = None
    notes: Notes | None = None


class LeadOut(msgspec.Struct):
    id: uuid.UUID
    first_name: str
    last_name: str
    company: str | None
    title: str | None
    email: str | None
    phone: str | None
    source: str
    status: str
    tags: list[str]
    notes: str
    #: None: the lead is in the pool.
    owner_id: uuid.UUID | None
    last_touched_at: datetime
    returned_to_pool_at: datetime | None
    converted_at: datetime | None
    converted_account_id: uuid.UUID | None
    converted_contact_id: uuid.UUID | None
    converted_deal_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


def lead_out(lead: Lead) -> LeadOut:
    return msgspec.convert(lead, LeadOut, from_attributes=True)


def lead_label(lead: Lead) -> str:
    return f"{lead.first_name} {lead.last_name}".strip()


def readable(actor: Actor) -> ColumnElement[bool]:
    """Leads in the pool are there for every rep to find; owned ones follow the record rule."""
    return or_(Lead.owner_id.is_(None), visible_to(actor, READ, Lead.owner_id))


async def get_lead(uow: Uow, actor: Actor, lead_id: uuid.UUID) -> Lead:
    """The lead, if the actor may see it; else 404."""
    return await get_visible(uow, actor, Lead, lead_id, READ, visible=readable(actor))


async def may_change(uow: Uow, actor: Actor, lead: Lead) -> bool:
    """Whether the record rule of crm.lead.write reaches the lead: its owner's, their
    manager's (team scope), an admin's (all). A lead in the pool is nobody's to change
    but an admin's: reps claim it first."""
    query = select(Lead.id).where(Lead.id == lead.id, visible_to(actor, WRITE, Lead.owner_id))
    return (await uow.db.execute(query)).first() is not None


async def lead_to_change(uow: Uow, actor: Actor, lead_id: uuid.UUID) -> Lead:
    """The lead, if the actor may change it: 404 if they cannot see it, 403 if they only see it,
    409 if it is converted (read-only from then on)."""
    lead = await get_lead(uow, actor, lead_id)
    if not await may_change(uow, actor, lead):
        if lead.owner_id is None:
            raise Forbidden("The lead is in the pool: claim it first.")
        raise Forbidden("Only the lead's owner, their manager or an admin may change it.")
    still_open(lead)
    return lead


def still_open(lead: Lead) -> None:
    if lead.status == "converted":
        raise Conflict("The lead is converted: it is read-only now.")


async def touch_lead(db: AsyncSession, lead_id: uuid.UUID) -> None:
    """Count the lead as worked on now, so the return-to-pool rule starts counting again.

    For other parts of the CRM that record work on a lead (a call, a meeting), in their
    transaction.
    """
    await db.execute(
        update(Lead)
        .where(Lead.id == lead_id)
        .values(last_touched_at=func.now())
        .execution_options(synchronize_session="fetch")
    )


async def lead_duplicates(uow: Uow, email: str | None, phone: str | None) -> list[Duplicate]:
    """Open leads and contacts (of the whole tenant) with the same email or phone."""
    keys = {"email": email_key(email), "phone": phone_key(phone)}
    matches = [getattr(Lead, f"{field}_key") == key for field, key in keys.items() if key]
    if not matches:
        return []
    # A converted lead's person is a contact now: that one is found below.
    query = (
        select(Lead).where(or_(*matches), Lead.status != "converted").order_by(Lead.id).limit(20)
    )
    found = []
    for lead in (await uow.db.execute(query)).scalars():
        own = {"email": lead.email_key, "phone": lead.phone_key}
        matched = [field for field, key in keys.items() if key and key == own[field]]
        found.append(Duplicate(lead.id, lead_label(lead), matched, kind="lead"))
    contacts = await contact_duplicates(uow, email, phone)
    return found + [msgspec.structs.replace(c, kind="contact") for c in contacts]


async def _first_owner(uow: Uow, actor: Actor, data: LeadIn) -> uuid.UUID | None:
    if data.pool:
        if data.owner_id is not None:
            raise Invalid("owner_id", "a lead put in the pool has no owner")
        return None
    if data.owner_id not in (None, actor.user_id) and not actor.can(ASSIGN):
        raise Forbidden(f"Giving a lead to someone else needs the {ASSIGN!r} permission.")
    return await checked_owner(uow, actor, data.owner_id)


def _set_keys(lead: Lead) -> None:
    lead.email_key = email_key(lead.email)
    lead.phone_key = phone_key(lead.phone)


class LeadsController(Controller):
    path = "/leads"
    tags = ["crm"]

    @get("/", summary="Leads you may see, and the pool's", opt=requires(READ))
    async def list_leads(
        self,
        actor: Member,
        uow: Uow,
        q: Search = None,
        status: StatusFilter = None,
        source: SourceFilter = None,
        tag: TagFilter = None,
        owner: OwnerFilter = None,
        pool: PoolFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[LeadOut]:
        if pool and owner is not None:
            raise Invalid("pool", "leads in the pool have no owner: leave out owner")
        page = page_query(
            Lead,
            actor,
            READ,
            sorting=SORTING,
            owner=owner,
            q=q,
            sort=sort,
            limit=limit,
            cursor=cursor,
            visible=readable(actor),
        )
        query = page.query
        if status:
            query = query.where(Lead.status == status)
        if source:
            query = query.where(Lead.source == source)
        if tag:
            query = query.where(Lead.tags.contains([tag]))
        if pool:
            query = query.where(Lead.owner_id.is_(None), Lead.status != "converted")
        elif pool is False:
            query = query.where(Lead.owner_id.is_not(None))
        rows = list((await uow.db.execute(query)).scalars())
        return page.of(rows, lead_out)

    @post("/", status_code=HTTP_201_CREATED, summary="Create a lead", opt=requires(WRITE))
    async def create(self, data: JSONBody[LeadIn], actor: Member, uow: Uow) -> LeadOut:
        if not data.allow_duplicate:
            refuse_duplicates(await lead_duplicates(uow, data.email, data.phone), "lead")
        lead = Lead(
            tenant_id=actor.tenant,
            first_name=data.first_name.strip(),
            last_name=data.last_name.strip(),
            company=data.company.strip() if data.company else None,
            title=data.title,
            email=data.email,
            phone=data.phone,
            source=data.source,
            status=data.status,
            tags=clean_tags(data.tags),
            notes=data.notes,
            owner_id=await _first_owner(uow, actor, data),
        )
        _set_keys(lead)
        uow.db.add(lead)
        await uow.db.flush()
        await uow.db.refresh(lead)
        await emit(
            uow.db,
            actor.tenant,
            "crm.lead.created",
            {"lead_id": lead.id, "owner_id": lead.owner_id, "source": lead.source},
        )
        return lead_out(lead)

    @get("/{lead_id:uuid}", summary="One lead", opt=requires(READ))
    async def get_one(self, lead_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> LeadOut:
        return lead_out(await get_lead(uow, actor, lead_id))

    @patch("/{lead_id:uuid}", summary="Change a lead (not once converted)", opt=requires(WRITE))
    async def change(
        self, lead_id: FromPath[uuid.UUID], data: JSONBody[LeadPatch], actor: Member, uow: Uow
    ) -> LeadOut:
        lead = await lead_to_change(uow, actor, lead_id)
        for field in ("first_name", "last_name", "company", "title", "email", "phone", "notes"):
            value = getattr(data, field)
            if value is not None:
                stripped = field in ("first_name", "last_name", "company")
                setattr(lead, field, value.strip() if stripped else value)
        if data.source is not None:
            lead.source = data.source
        if data.status is not None:
            lead.status = data.status
        if data.tags is not None:
            lead.tags = clean_tags(data.tags)
        _set_keys(lead)
        if lead.owner_id == actor.user_id:
            # The owner at work on it; a manager's or admin's edit does not keep it theirs.
            lead.last_touched_at = datetime.now(UTC)
        await uow.db.flush()
        await uow.db.refresh(lead)
        return lead_out(lead)

    @delete(
        "/{lead_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a lead (to the recycle bin)",
        opt=requires(WRITE),
    )
    async def remove(self, lead_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        lead = await get_lead(uow, actor, lead_id)
        if not await may_change(uow, actor, lead):
            raise Forbidden("Only the lead's owner, their manager or an admin may delete it.")
        await uow.db.delete(lead)
        await uow.db.flush()
