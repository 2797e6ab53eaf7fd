"""Accounts: companies the sales team works with. Mounted under /api/v1/crm/accounts."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, patch, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import or_, select

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    LimitQuery,
    Member,
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    emit,
    hot_read,
    requires,
    timeline_contributors,
    timeline_entries,
)
from tessera_crm import reads
from tessera_crm.exports import ACCOUNTS_EXPORT, EXPORT, ExportFormat, export_response
from tessera_crm.merging import Mergeable, merge
from tessera_crm.models import Account
from tessera_crm.normalize import company_key, email_key, phone_key
from tessera_crm.records import (
    Listed,
    Listing,
    checked_owner,
    clean_tags,
    get_visible,
    listing,
    refuse_duplicates,
)
from tessera_crm.schemas import AccountIn, AccountOut, AccountPatch, Duplicate, Merged, MergeIn

READ, WRITE = "crm.account.read", "crm.account.write"
SORTING = Sorting(
    {
        "name": Account.name,
        "created_at": Account.created_at,
        "updated_at": Account.updated_at,
    },
    Account.id,
)
Search = Annotated[
    str | None, QueryParameter(max_length=200, description="Part of the name, email or website")
]
TagFilter = Annotated[str | None, QueryParameter(max_length=50)]
OwnerFilter = Annotated[str | None, QueryParameter(max_length=40, description="'me' or a user id")]


def account_listing(
    actor: Member,
    q: Search = None,
    tag: TagFilter = None,
    owner: OwnerFilter = None,
    sort: SortQuery = None,
) -> Listing:
    """The list's filters, search and sort, read in one place: the list and the export."""
    where = [Account.tags.contains([tag])] if tag else []
    return listing(Account, actor, READ, SORTING, q=q, owner=owner, sort=sort, where=where)


def account_out(account: Account) -> AccountOut:
    return msgspec.convert(account, AccountOut, from_attributes=True)


async def get_account(uow: Uow, actor: Actor, account_id: uuid.UUID, permission: str) -> Account:
    return await get_visible(uow, actor, Account, account_id, permission)


async def account_duplicates(
    uow: Uow, name: str, email: str | None, phone: str | None, *, excluding: uuid.UUID | None = None
) -> list[Duplicate]:
    """Accounts (of the whole tenant, whoever owns them) with the same name, email or phone."""
    keys = {"name": company_key(name), "email": email_key(email), "phone": phone_key(phone)}
    matches = [Account.name_key == keys["name"]]
    if keys["email"]:
        matches.append(Account.email_key == keys["email"])
    if keys["phone"]:
        matches.append(Account.phone_key == keys["phone"])
    query = select(Account).where(or_(*matches)).order_by(Account.id).limit(20)
    if excluding is not None:
        query = query.where(Account.id != excluding)
    found = []
    for account in (await uow.db.execute(query)).scalars():
        matched = [
            field
            for field, key in keys.items()
            if key
            and key
            == {"name": account.name_key, "email": account.email_key, "phone": account.phone_key}[
                field
            ]
        ]
        found.append(Duplicate(account.id, account.name, matched))
    return found


def _set_keys(account: Account) -> None:
    account.name_key = company_key(account.name)
    account.email_key = email_key(account.email)
    account.phone_key = phone_key(account.phone)


async def create_account(uow: Uow, actor: Actor, data: AccountIn) -> Account:
    """A new account, after the duplicate check (unless ``data.allow_duplicate``)."""
    if not data.allow_duplicate:
        refuse_duplicates(
            await account_duplicates(uow, data.name, data.email, data.phone), "account"
        )
    account = Account(
        tenant_id=actor.tenant,
        name=data.name.strip(),
        website=data.website,
        email=data.email,
        phone=data.phone,
        industry=data.industry,
        address=msgspec.to_builtins(data.address) if data.address else {},
        tags=clean_tags(data.tags),
        notes=data.notes,
        owner_id=await checked_owner(uow, actor, data.owner_id),
    )
    _set_keys(account)
    uow.db.add(account)
    await uow.db.flush()
    await emit(uow.db, actor.tenant, "crm.account.created", {"account_id": account.id})
    return account


MERGE = Mergeable(
    model=Account,
    write_permission=WRITE,
    fill=("website", "email", "phone", "industry"),
    set_keys=_set_keys,
    label=lambda account: account.name,
    event="crm.account.merged",
    id_key="account_id",
)


class AccountsController(Controller):
    path = "/accounts"
    tags = ["crm"]
    dependencies = {"listing": Provide(account_listing, sync_to_thread=False)}

    @get("/", summary="Accounts you may see", opt=requires(READ))
    async def list_accounts(
        self,
        actor: Member,
        uow: Uow,
        listing: Listed,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[AccountOut]:
        page = listing.page(limit, cursor)
        rows = list((await uow.db.execute(page.query)).scalars())
        return page.of(rows, account_out)

    @get(
        "/{account_id:uuid}/detail",
        summary="An account with its owner, contacts, open deals, open tickets and latest timeline, for its screen",
        opt=requires(READ) | hot_read(),
    )
    async def detail(
        self, account_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> Response[bytes]:
        found = await reads.account_detail_json(uow, actor, account_id)
        if found is None:
            raise NotFound("No such account.")
        if not timeline_contributors(actor):
            return reads.json_response(found)
        # Other modules add to the timeline too (the ERP's invoices): merge in their newest.
        detail = json.loads(found)
        async with uow.read_session(actor.tenant) as db:
            others = await timeline_entries(
                db, actor, "crm.account", account_id, limit=reads.DETAIL_TIMELINE_ENTRIES
            )
        detail["timeline"] = reads.merged_timeline(detail["timeline"], others)
        return reads.json_response(json.dumps(detail))

    @get(
        "/export",
        summary="Export the accounts you may see, filtered and sorted as the list",
        opt=requires(EXPORT),
    )
    async def export(
        self, actor: Member, uow: Uow, listing: Listed, format: ExportFormat = "csv"
    ) -> Stream:
        actor.require(READ)
        return await export_response(uow, actor, listing, ACCOUNTS_EXPORT, format)

    @post("/", status_code=HTTP_201_CREATED, summary="Create an account", opt=requires(WRITE))
    async def create(self, data: JSONBody[AccountIn], actor: Member, uow: Uow) -> AccountOut:
        return account_out(await create_account(uow, actor, data))

    @get("/{account_id:uuid}", summary="One account", opt=requires(READ))
    async def get_one(self, account_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> AccountOut:
        return account_out(await get_account(uow, actor, account_id, READ))

    @patch("/{account_id:uuid}", summary="Change an account", opt=requires(WRITE))
    async def change(
        self, account_id: FromPath[uuid.UUID], data: JSONBody[AccountPatch], actor: Member, uow: Uow
    ) -> AccountOut:
        account = await get_account(uow, actor, account_id, WRITE)
        for field in ("name", "website", "email", "phone", "industry", "notes"):
            value = getattr(data, field)
            if value is not None:
                setattr(account, field, value.strip() if field == "name" else value)
        if data.address is not None:
            account.address = msgspec.to_builtins(data.address)
        if data.tags is not None:
            account.tags = clean_tags(data.tags)
        if data.owner_id is not None:
            account.owner_id = await checked_owner(uow, actor, data.owner_id)
        _set_keys(account)
        await uow.db.flush()
        await uow.db.refresh(account)
        return account_out(account)

    @delete(
        "/{account_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete an account and its contacts (to the recycle bin)",
        opt=requires(WRITE),
    )
    async def remove(self, account_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await uow.db.delete(await get_account(uow, actor, account_id, WRITE))
        await uow.db.flush()

    @post(
        "/{account_id:uuid}/merge",
        status_code=HTTP_200_OK,
        summary="Merge a duplicate into this account (its contacts, deals and links move here)",
        opt=requires(WRITE),
    )
    async def merge(
        self, account_id: FromPath[uuid.UUID], data: JSONBody[MergeIn], actor: Member, uow: Uow
    ) -> Merged[AccountOut]:
        account, moved = await merge(uow, actor, MERGE, account_id, data.duplicate_id)
        return Merged(account_out(account), data.duplicate_id, moved)
