"""Contacts: people, usually at an account. Mounted under /api/v1/crm/contacts."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, patch, post
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import or_, select

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    hot_read,
    requires,
    visible_to,
)
from tessera_crm import reads
from tessera_crm.accounts import READ as ACCOUNT_READ
from tessera_crm.accounts import OwnerFilter, Search, TagFilter
from tessera_crm.exports import CONTACTS_EXPORT, EXPORT, ExportFormat, export_response
from tessera_crm.merging import Mergeable, merge
from tessera_crm.models import Account, Contact
from tessera_crm.normalize import email_key, phone_key
from tessera_crm.records import (
    Listed,
    Listing,
    checked_owner,
    clean_tags,
    get_visible,
    listing,
    owner_filter,
    prefix_query,
    refuse_duplicates,
)
from tessera_crm.schemas import (
    ContactIn,
    ContactOut,
    ContactPage,
    ContactPatch,
    Duplicate,
    Merged,
    MergeIn,
)

READ, WRITE = "crm.contact.read", "crm.contact.write"
SORTING = Sorting(
    {
        "last_name": Contact.last_name,
        "created_at": Contact.created_at,
        "updated_at": Contact.updated_at,
    },
    Contact.id,
)
TotalQuery = Annotated[
    bool,
    QueryParameter(
        description="Also count the matches (exactly up to 10,000; beyond, an estimate marked "
        "total_is_estimate)"
    ),
]
AccountFilter = Annotated[uuid.UUID | None, QueryParameter(description="Contacts of this account")]


def contact_listing(
    actor: Member,
    q: Search = None,
    tag: TagFilter = None,
    owner: OwnerFilter = None,
    account_id: AccountFilter = None,
    sort: SortQuery = None,
) -> Listing:
    """The list's filters, search and sort, read in one place: the list and the export."""
    where = []
    if tag:
        where.append(Contact.tags.contains([tag]))
    if account_id is not None:
        where.append(Contact.account_id == account_id)
    return listing(Contact, actor, READ, SORTING, q=q, owner=owner, sort=sort, where=where)


def contact_out(contact: Contact) -> ContactOut:
    return msgspec.convert(contact, ContactOut, from_attributes=True)


async def get_contact(uow: Uow, actor: Actor, contact_id: uuid.UUID, permission: str) -> Contact:
    return await get_visible(uow, actor, Contact, contact_id, permission)


async def checked_account(uow: Uow, actor: Actor, account_id: uuid.UUID | None) -> uuid.UUID | None:
    """An account the actor can see (another tenant's, or another rep's, is not there)."""
    if account_id is None:
        return None
    query = select(Account.id).where(
        Account.id == account_id, visible_to(actor, ACCOUNT_READ, Account.owner_id)
    )
    if (await uow.db.execute(query)).first() is None:
        raise Invalid("account_id", "no such account")
    return account_id


async def contact_duplicates(
    uow: Uow, email: str | None, phone: str | None, *, excluding: uuid.UUID | None = None
) -> list[Duplicate]:
    keys = {"email": email_key(email), "phone": phone_key(phone)}
    matches = [getattr(Contact, f"{field}_key") == key for field, key in keys.items() if key]
    if not matches:
        return []
    query = select(Contact).where(or_(*matches)).order_by(Contact.id).limit(20)
    if excluding is not None:
        query = query.where(Contact.id != excluding)
    found = []
    for contact in (await uow.db.execute(query)).scalars():
        own = {"email": contact.email_key, "phone": contact.phone_key}
        matched = [field for field, key in keys.items() if key and key == own[field]]
        label = f"{contact.first_name} {contact.last_name}".strip()
        found.append(Duplicate(contact.id, label, matched))
    return found


def _set_keys(contact: Contact) -> None:
    contact.email_key = email_key(contact.email)
    contact.phone_key = phone_key(contact.phone)


async def create_contact(uow: Uow, actor: Actor, data: ContactIn) -> Contact:
    """A new contact, after the duplicate check (unless ``data.allow_duplicate``)."""
    if not data.allow_duplicate:
        refuse_duplicates(await contact_duplicates(uow, data.email, data.phone), "contact")
    contact = Contact(
        tenant_id=actor.tenant,
        account_id=await checked_account(uow, actor, data.account_id),
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        title=data.title,
        email=data.email,
        phone=data.phone,
        tags=clean_tags(data.tags),
        notes=data.notes,
        owner_id=await checked_owner(uow, actor, data.owner_id),
    )
    _set_keys(contact)
    uow.db.add(contact)
    # The INSERT returns the database's defaults (times): no reload needed.
    await uow.db.flush()
    return contact


MERGE = Mergeable(
    model=Contact,
    write_permission=WRITE,
    fill=("first_name", "title", "email", "phone", "account_id"),
    set_keys=_set_keys,
    label=lambda contact: f"{contact.first_name} {contact.last_name}".strip(),
    event="crm.contact.merged",
    id_key="contact_id",
)


class ContactsController(Controller):
    path = "/contacts"
    tags = ["crm"]
    dependencies = {"listing": Provide(contact_listing, sync_to_thread=False)}

    @get(
        "/",
        summary="Contacts you may see",
        opt=requires(READ) | hot_read(),
        responses={200: ResponseSpec(ContactPage, description="One page of contacts")},
    )
    async def list_contacts(
        self,
        actor: Member,
        uow: Uow,
        q: Search = None,
        tag: TagFilter = None,
        owner: OwnerFilter = None,
        account_id: AccountFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
        total: TotalQuery = False,
    ) -> Response[bytes]:
        # The same filters as contact_listing (the export's), as one prepared statement.
        order = SORTING.order(sort)
        after = order.after(cursor)
        params = reads.Params(actor.tenant)
        filters = reads.ContactFilters(
            q=prefix_query(q) if q else None,
            tag=tag,
            owner=owner_filter(actor, owner),
            account_id=account_id,
        )
        where = reads.contact_conditions(
            params, params.visibility(actor, READ, "c.owner_id"), filters
        )
        # The page's own parameters (the cursor's) come after those the count shares.
        page_params = reads.Params(*params.values)
        rows = await uow.fetch(
            reads.contact_page_sql(page_params, where, order, after, limit), *page_params.values
        )
        counted = await reads.count_contacts(uow, params, where) if total else None
        return reads.json_response(reads.page_json(rows, limit, order, counted))

    @get(
        "/export",
        summary="Export the contacts you may see, filtered and sorted as the list",
        opt=requires(EXPORT),
    )
    async def export(
        self, actor: Member, uow: Uow, listing: Listed, format: ExportFormat = "csv"
    ) -> Stream:
        actor.require(READ)
        return await export_response(uow, actor, listing, CONTACTS_EXPORT, format)

    @post("/", status_code=HTTP_201_CREATED, summary="Create a contact", opt=requires(WRITE))
    async def create(self, data: JSONBody[ContactIn], actor: Member, uow: Uow) -> ContactOut:
        return contact_out(await create_contact(uow, actor, data))

    @get(
        "/{contact_id:uuid}",
        summary="One contact",
        opt=requires(READ) | hot_read(),
        responses={200: ResponseSpec(ContactOut, description="The contact")},
    )
    async def get_one(
        self, contact_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> Response[bytes]:
        found = await reads.contact_json(uow, actor, contact_id, READ)
        if found is None:
            raise NotFound("No such contact.")
        return reads.json_response(found)

    @patch("/{contact_id:uuid}", summary="Change a contact", opt=requires(WRITE))
    async def change(
        self, contact_id: FromPath[uuid.UUID], data: JSONBody[ContactPatch], actor: Member, uow: Uow
    ) -> ContactOut:
        contact = await get_contact(uow, actor, contact_id, WRITE)
        for field in ("first_name", "last_name", "title", "email", "phone", "notes"):
            value = getattr(data, field)
            if value is not None:
                setattr(contact, field, value)
        if data.account_id is not None:
            contact.account_id = await checked_account(uow, actor, data.account_id)
        if data.tags is not None:
            contact.tags = clean_tags(data.tags)
        if data.owner_id is not None:
            contact.owner_id = await checked_owner(uow, actor, data.owner_id)
        _set_keys(contact)
        await uow.db.flush()
        await uow.db.refresh(contact)
        return contact_out(contact)

    @delete(
        "/{contact_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a contact (to the recycle bin)",
        opt=requires(WRITE),
    )
    async def remove(self, contact_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await uow.db.delete(await get_contact(uow, actor, contact_id, WRITE))
        await uow.db.flush()

    @post(
        "/{contact_id:uuid}/merge",
        status_code=HTTP_200_OK,
        summary="Merge a duplicate into this contact (its links move here)",
        opt=requires(WRITE),
    )
    async def merge(
        self, contact_id: FromPath[uuid.UUID], data: JSONBody[MergeIn], actor: Member, uow: Uow
    ) -> Merged[ContactOut]:
        contact, moved = await merge(uow, actor, MERGE, contact_id, data.duplicate_id)
        return Merged(contact_out(contact), data.duplicate_id, moved)
