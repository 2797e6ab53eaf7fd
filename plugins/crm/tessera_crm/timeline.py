"""The customer timeline: everything about an account, newest first, at
/api/v1/crm/accounts/{id}/timeline — the CRM's own records, and what the tenant's other modules
contribute through the ``tessera_timeline`` hook (the ERP's invoices, say)."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec
from litestar import Controller, get
from litestar.params import FromPath

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Language,
    LimitQuery,
    Member,
    Page,
    RecordFact,
    SortedCursorQuery,
    TimelineCursor,
    TimelineEntry,
    Uow,
    check_limit,
    newest_first,
    record_facts,
    requires,
    timeline_entries,
)
from tessera_crm import reads
from tessera_crm.accounts import READ as ACCOUNT_READ
from tessera_crm.accounts import get_account

#: The subject other modules are asked about: the platform-wide name of an account.
ACCOUNT = "crm.account"
MODULE = "crm"


class TimelineEntryOut(msgspec.Struct):
    at: datetime
    #: What happened: crm.deal.won, crm.activity.call, erp.invoice.issued …
    kind: str
    title: str
    detail: str | None
    #: The record to open: crm.deal, crm.ticket, notes.note …, and its id.
    record_type: str
    record_id: str
    #: The module the entry comes from.
    module: str


def entry_out(entry: TimelineEntry) -> TimelineEntryOut:
    return TimelineEntryOut(
        at=entry.at,
        kind=entry.kind,
        title=entry.title,
        detail=entry.detail,
        record_type=entry.record_type,
        record_id=entry.record_id,
        module=entry.module,
    )


async def crm_entries(
    uow: Uow, actor: Actor, account_id: uuid.UUID, before: TimelineCursor | None, limit: int
) -> list[TimelineEntry]:
    """The CRM's own entries about the account that the actor may see, newest first."""
    params = reads.Params(actor.tenant, account_id)
    sql = reads.timeline_sql(params, params.rules_of(actor), "$2", before, limit)
    rows = await uow.fetch(sql, *params.values)
    return [
        TimelineEntry(
            at=row["at"],
            kind=row["kind"],
            title=row["title"],
            record_type=row["record_type"],
            record_id=row["record_id"],
            detail=row["detail"],
            module=MODULE,
        )
        for row in rows
    ]


class TimelineController(Controller):
    path = "/accounts"
    tags = ["crm"]

    @get(
        "/{account_id:uuid}/timeline",
        summary="Everything about the account, newest first, from every module",
        opt=requires(ACCOUNT_READ),
    )
    async def timeline(
        self,
        account_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[TimelineEntryOut]:
        account = await get_account(uow, actor, account_id, ACCOUNT_READ)
        before = TimelineCursor.decode(cursor)
        # One more than a page from each source says whether another page follows.
        wanted = check_limit(limit) + 1
        own = await crm_entries(uow, actor, account.id, before, wanted)
        others = await timeline_entries(
            uow.db, actor, ACCOUNT, account.id, before=before, limit=wanted
        )
        merged = newest_first([*own, *others])
        page, more = merged[:limit], len(merged) > limit
        return Page(
            items=[entry_out(entry) for entry in page],
            next_cursor=TimelineCursor.after(page[-1]).encode() if more else None,
        )

    @get(
        "/{account_id:uuid}/facts",
        summary="What the tenant's other modules know of the account (receivables, say)",
        opt=requires(ACCOUNT_READ),
    )
    async def facts(
        self, account_id: FromPath[uuid.UUID], actor: Member, uow: Uow, texts: Language
    ) -> list[RecordFact]:
        account = await get_account(uow, actor, account_id, ACCOUNT_READ)
        return await record_facts(uow.db, actor, ACCOUNT, str(account.id), texts)
