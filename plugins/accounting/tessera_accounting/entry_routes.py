"""Journal entries under /api/v1/accounting/entries: written as drafts or posted at once,
listed with filters, read with their lines, posted, reversed. A draft can be replaced or
deleted; a posted entry cannot (409) — it is corrected by its reversing entry.

Amounts are exact decimal text (``"12.50"``): a JSON float is refused (422), since ``0.1`` is not
a tenth.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import Select, select, tuple_
from sqlalchemy import delete as sql_delete
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    CursorQuery,
    Input,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    Uow,
    decode_cursor,
    page_of,
    requires,
)
from tessera_accounting import posting
from tessera_accounting.books import settings_of
from tessera_accounting.models import (
    ENTRY_STATUSES,
    POST,
    READ,
    Account,
    Journal,
    JournalEntry,
    JournalLine,
)

#: Exact decimal text; numbers are taken too so that a float can be refused by name (422).
Amount = str | int | float
Memo = Annotated[str, msgspec.Meta(max_length=posting.MEMO_MAX)]
Label = Annotated[str, msgspec.Meta(max_length=posting.LABEL_MAX)]
DateFrom = Annotated[date | None, QueryParameter(description="Entries dated on or after")]
DateTo = Annotated[date | None, QueryParameter(description="Entries dated on or before")]
JournalFilter = Annotated[str | None, QueryParameter(max_length=10, description="Journal code")]
AccountFilter = Annotated[uuid.UUID | None, QueryParameter(description="Entries touching it")]
StatusFilter = Annotated[str | None, QueryParameter(description="draft, posted or reversed")]
SourceFilter = Annotated[str | None, QueryParameter(max_length=60, description="source_type")]


class LineIn(Input):
    #: The account by id, or by code or role in ``account``.
    account_id: uuid.UUID | None = None
    account: str | None = None
    debit: Amount = "0"
    credit: Amount = "0"
    label: Label = ""
    partner_id: uuid.UUID | None = None


class EntryIn(Input):
    journal: Annotated[str, msgspec.Meta(min_length=1, max_length=10)]
    date: date
    memo: Memo = ""
    #: The currency the amounts are given in (the company's if left out); converted at the
    #: rate table's rate of the entry's date, or at ``rate``.
    currency: str | None = None
    rate: str | None = None
    lines: list[LineIn] = msgspec.field(default_factory=list)
    #: Post at once (numbered, final) instead of keeping a draft.
    post: bool = False


class ReverseIn(Input):
    date: date
    memo: Memo = ""


class LineOut(msgspec.Struct):
    id: uuid.UUID
    account_id: uuid.UUID
    account_code: str
    label: str
    debit: Decimal
    credit: Decimal
    partner_id: uuid.UUID | None
    amount_currency: Decimal | None
    currency: str | None


class EntryOut(msgspec.Struct):
    id: uuid.UUID
    number: str | None
    journal: str
    date: date
    memo: str
    currency: str
    status: str
    total: Decimal
    reversal_of: uuid.UUID | None
    source_type: str | None
    source_id: str | None
    posted_at: datetime | None
    created_at: datetime
    lines: list[LineOut] | None = None


def _given(data: EntryIn) -> dict[str, Any]:
    return {
        "journal": data.journal,
        "date": data.date,
        "memo": data.memo,
        "currency": data.currency,
        "rate": data.rate,
        "lines": [
            {
                "account_id": line.account_id,
                "account": line.account,
                "debit": line.debit,
                "credit": line.credit,
                "label": line.label,
                "partner_id": line.partner_id,
            }
            for line in data.lines
        ],
    }


async def get_entry(db: AsyncSession, tenant_id: uuid.UUID, entry_id: uuid.UUID) -> JournalEntry:
    entry = await db.get(JournalEntry, (tenant_id, entry_id))
    if entry is None:
        raise NotFound("No such journal entry.")
    return entry


async def entry_out(db: AsyncSession, entry: JournalEntry, *, with_lines: bool = True) -> EntryOut:
    journal = await db.get(Journal, (entry.tenant_id, entry.journal_id))
    rows = (
        await db.execute(
            select(JournalLine, Account.code)
            .join(
                Account,
                (Account.tenant_id == JournalLine.tenant_id)
                & (Account.id == JournalLine.account_id),
            )
            .where(JournalLine.entry_id == entry.id)
            .order_by(JournalLine.sequence, JournalLine.id)
        )
    ).all()
    lines = [
        LineOut(
            id=line.id,
            account_id=line.account_id,
            account_code=code,
            label=line.label,
            debit=line.debit,
            credit=line.credit,
            partner_id=line.partner_id,
            amount_currency=line.amount_currency,
            currency=line.currency,
        )
        for line, code in rows
    ]
    return EntryOut(
        id=entry.id,
        number=entry.number,
        journal=journal.code if journal else "",
        date=entry.date,
        memo=entry.memo,
        currency=entry.currency,
        status=entry.status,
        total=sum((line.debit for line in lines), Decimal("0.00")),
        reversal_of=entry.reversal_of,
        source_type=entry.source_type,
        source_id=entry.source_id,
        posted_at=entry.posted_at,
        created_at=entry.created_at,
        lines=lines if with_lines else None,
    )


async def create_entry(uow: Uow, actor: Actor, data: EntryIn) -> JournalEntry:
    draft = await posting.draft_from(uow.db, actor.tenant, _given(data))
    if data.post:
        return await posting.post_new(uow.db, actor.tenant, draft, by=actor.user_id)
    posting.check_date_open(await settings_of(uow.db, actor.tenant), draft.date)
    return await posting.write_draft(uow.db, actor.tenant, draft, by=actor.user_id)


async def draft_to_change(
    db: AsyncSession, tenant_id: uuid.UUID, entry_id: uuid.UUID
) -> JournalEntry:
    entry = await posting.locked_entry(db, tenant_id, entry_id)
    if entry.status != "draft":
        raise Conflict(
            f"Journal entry {entry.number} is {entry.status}: it cannot be changed; reverse it."
        )
    return entry


async def replace_draft(uow: Uow, actor: Actor, entry_id: uuid.UUID, data: EntryIn) -> JournalEntry:
    entry = await draft_to_change(uow.db, actor.tenant, entry_id)
    draft = await posting.draft_from(uow.db, actor.tenant, _given(data))
    posting.check_date_open(await settings_of(uow.db, actor.tenant), draft.date)
    await uow.db.execute(
        sql_delete(JournalLine).where(
            JournalLine.tenant_id == actor.tenant, JournalLine.entry_id == entry.id
        )
    )
    entry.journal_id = draft.journal.id
    entry.date = draft.date
    entry.memo = draft.memo
    entry.currency = draft.currency
    await uow.db.flush()
    await posting.add_lines(uow.db, entry, draft.lines)
    if data.post:
        await posting.post_draft(uow.db, entry)
    return entry


def _filtered(
    query: Select[Any],
    date_from: date | None,
    date_to: date | None,
    journal: str | None,
    account_id: uuid.UUID | None,
    status: str | None,
    source_type: str | None,
) -> Select[Any]:
    if date_from is not None:
        query = query.where(JournalEntry.date >= date_from)
    if date_to is not None:
        query = query.where(JournalEntry.date <= date_to)
    if journal is not None:
        code = select(Journal.id).where(Journal.code == journal.upper()).scalar_subquery()
        query = query.where(JournalEntry.journal_id == code)
    if account_id is not None:
        touching = select(JournalLine.entry_id).where(JournalLine.account_id == account_id)
        query = query.where(JournalEntry.id.in_(touching))
    if status is not None:
        if status not in ENTRY_STATUSES:
            raise Invalid("status", f"is one of {', '.join(ENTRY_STATUSES)}")
        query = query.where(JournalEntry.status == status)
    if source_type is not None:
        query = query.where(JournalEntry.source_type == source_type)
    return query


class EntriesController(Controller):
    path = "/entries"
    tags = ["accounting"]

    @get("/", summary="Journal entries, newest date first", opt=requires(READ))
    async def list_entries(
        self,
        actor: Member,
        uow: Uow,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        journal: JournalFilter = None,
        account_id: AccountFilter = None,
        status: StatusFilter = None,
        source_type: SourceFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[EntryOut]:
        query = select(JournalEntry).order_by(JournalEntry.date.desc(), JournalEntry.id.desc())
        after = decode_cursor(cursor)
        if after is not None:
            last = select(JournalEntry.date, JournalEntry.id).where(JournalEntry.id == after)
            last_row = (await uow.db.execute(last)).first()
            if last_row is not None:
                query = query.where(
                    tuple_(JournalEntry.date, JournalEntry.id) < tuple_(last_row[0], last_row[1])
                )
        query = _filtered(query, date_from, date_to, journal, account_id, status, source_type)
        rows = list((await uow.db.scalars(query.limit(limit + 1))).all())
        outs = {e.id: await entry_out(uow.db, e, with_lines=False) for e in rows[:limit]}
        return page_of(rows, limit, lambda e: e.id, lambda e: outs[e.id])

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Write a draft entry, or post one at once (post: true)",
        opt=requires(POST),
    )
    async def create(self, data: JSONBody[EntryIn], actor: Member, uow: Uow) -> EntryOut:
        return await entry_out(uow.db, await create_entry(uow, actor, data))

    @get("/{entry_id:uuid}", summary="One journal entry with its lines", opt=requires(READ))
    async def get_one(self, entry_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> EntryOut:
        return await entry_out(uow.db, await get_entry(uow.db, actor.tenant, entry_id))

    @put(
        "/{entry_id:uuid}",
        summary="Replace a draft entry (a posted one cannot change: 409)",
        opt=requires(POST),
    )
    async def replace(
        self, entry_id: FromPath[uuid.UUID], data: JSONBody[EntryIn], actor: Member, uow: Uow
    ) -> EntryOut:
        return await entry_out(uow.db, await replace_draft(uow, actor, entry_id, data))

    @delete(
        "/{entry_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a draft entry (a posted one is reversed instead)",
        opt=requires(POST),
    )
    async def remove(self, entry_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        entry = await draft_to_change(uow.db, actor.tenant, entry_id)
        await uow.db.delete(entry)
        await uow.db.flush()

    @post(
        "/{entry_id:uuid}/post",
        status_code=HTTP_200_OK,
        summary="Post a draft: numbered, balanced, final",
        opt=requires(POST),
    )
    async def post_one(self, entry_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> EntryOut:
        entry = await draft_to_change(uow.db, actor.tenant, entry_id)
        return await entry_out(uow.db, await posting.post_draft(uow.db, entry))

    @post(
        "/{entry_id:uuid}/reverse",
        status_code=HTTP_201_CREATED,
        summary="Reverse a posted entry: its mirror image is posted, dated as given",
        opt=requires(POST),
    )
    async def reverse(
        self, entry_id: FromPath[uuid.UUID], data: JSONBody[ReverseIn], actor: Member, uow: Uow
    ) -> EntryOut:
        reversal = await posting.reverse(
            uow.db, actor.tenant, entry_id, day=data.date, memo=data.memo, by=actor.user_id
        )
        return await entry_out(uow.db, reversal)
