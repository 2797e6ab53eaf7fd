"""Exports of any list (accounts, contacts, deals) as CSV or XLSX, filtered and sorted as the list.

An export reads the list's own query (the :class:`~tessera_crm.records.Listing` its filters
built, record rules included) in keyset pages. CSV is streamed: each page is read in a short
transaction of its own and written out before the next is read, so memory stays flat and no
transaction waits on a slow download. An XLSX workbook is only complete at its end: it is built
on disk in the request's transaction, then sent. The columns carry the import's field names, so
an exported file imports again (owners by email, accounts by name).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from typing import IO, Annotated, Any, Literal

import anyio
from litestar.params import QueryParameter
from litestar.response import Stream
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, Uow, member_emails, visible_to
from tessera_crm.models import Account, Pipeline, Stage
from tessera_crm.records import Listing
from tessera_crm.tabular import CsvWriter, XlsxWriter

EXPORT = "crm.data.export"
#: Rows read at a time: the largest page a list gives.
PAGE = 200
ExportFormat = Annotated[Literal["csv", "xlsx"], QueryParameter(description="csv or xlsx")]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Names of the records a page refers to, by lookup: {"owner": {user id: email}, …}.
Names = Mapping[str, Mapping[uuid.UUID, str]]


@dataclass(frozen=True, slots=True)
class NameLookup:
    """Ids in a column (``owner_id``) written as names (the owner's email), a page at a time."""

    name: str
    attribute: str
    find: Callable[[AsyncSession, Actor, set[uuid.UUID]], Awaitable[Mapping[uuid.UUID, str]]]


@dataclass(frozen=True, slots=True)
class ExportColumn:
    name: str
    value: Callable[[Any, Names], Any]


@dataclass(frozen=True, slots=True)
class ExportKind:
    #: The file's and the sheet's name.
    name: str
    columns: tuple[ExportColumn, ...]
    lookups: tuple[NameLookup, ...]


def attribute(name: str, source: str | None = None) -> ExportColumn:
    return ExportColumn(name, lambda record, names: getattr(record, source or name))


def named(name: str, lookup: str, source: str) -> ExportColumn:
    return ExportColumn(name, lambda record, names: names[lookup].get(getattr(record, source)))


def address(part: str) -> ExportColumn:
    return ExportColumn(part, lambda record, names: (record.address or {}).get(part))


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


async def _owners(db: AsyncSession, actor: Actor, ids: set[uuid.UUID]) -> Mapping[uuid.UUID, str]:
    return await member_emails(db, ids)


async def _accounts(db: AsyncSession, actor: Actor, ids: set[uuid.UUID]) -> Mapping[uuid.UUID, str]:
    """Names of the accounts the actor may see: another rep's account stays unnamed."""
    query = select(Account.id, Account.name).where(
        Account.id.in_(ids), visible_to(actor, "crm.account.read", Account.owner_id)
    )
    return {account_id: name for account_id, name in await db.execute(query)}


async def _pipelines(
    db: AsyncSession, actor: Actor, ids: set[uuid.UUID]
) -> Mapping[uuid.UUID, str]:
    query = select(Pipeline.id, Pipeline.name).where(Pipeline.id.in_(ids))
    return {pipeline_id: name for pipeline_id, name in await db.execute(query)}


async def _stages(db: AsyncSession, actor: Actor, ids: set[uuid.UUID]) -> Mapping[uuid.UUID, str]:
    query = select(Stage.id, Stage.name).where(Stage.id.in_(ids))
    return {stage_id: name for stage_id, name in await db.execute(query)}


OWNERS = NameLookup("owner", "owner_id", _owners)
ACCOUNTS = NameLookup("account", "account_id", _accounts)
TIMESTAMPS = (attribute("created_at"), attribute("updated_at"))

ACCOUNTS_EXPORT = ExportKind(
    "accounts",
    (
        attribute("id"),
        *(attribute(name) for name in ("name", "website", "email", "phone", "industry")),
        *(address(part) for part in ("street", "city", "region", "postal_code", "country")),
        attribute("tags"),
        attribute("notes"),
        named("owner", "owner", "owner_id"),
        *TIMESTAMPS,
    ),
    (OWNERS,),
)
CONTACTS_EXPORT = ExportKind(
    "contacts",
    (
        attribute("id"),
        attribute("first_name"),
        attribute("last_name"),
        named("account", "account", "account_id"),
        *(attribute(name) for name in ("title", "email", "phone", "tags", "notes")),
        named("owner", "owner", "owner_id"),
        *TIMESTAMPS,
    ),
    (OWNERS, ACCOUNTS),
)
DEALS_EXPORT = ExportKind(
    "deals",
    (
        attribute("id"),
        attribute("name"),
        named("account", "account", "account_id"),
        named("pipeline", "pipeline", "pipeline_id"),
        named("stage", "stage", "stage_id"),
        *(attribute(name) for name in ("amount", "currency", "expected_close", "status")),
        attribute("lost_reason"),
        attribute("closed_at"),
        named("owner", "owner", "owner_id"),
        *TIMESTAMPS,
    ),
    (
        OWNERS,
        ACCOUNTS,
        NameLookup("pipeline", "pipeline_id", _pipelines),
        NameLookup("stage", "stage_id", _stages),
    ),
)


def _cells(kind: ExportKind, names: Names, record: Any) -> list[str]:
    return [cell(column.value(record, names)) for column in kind.columns]


Opener = Callable[[], AbstractAsyncContextManager[AsyncSession]]


async def _pages(
    open_db: Opener, actor: Actor, listing: Listing, kind: ExportKind
) -> AsyncIterator[list[list[str]]]:
    """The listing's rows as cells, a keyset page at a time (the list's own paging)."""
    cursor: str | None = None
    while True:
        page = listing.page(PAGE, cursor)
        async with open_db() as db:
            records = list((await db.execute(page.query)).scalars())
            names: dict[str, Mapping[uuid.UUID, str]] = {}
            for lookup in kind.lookups:
                ids = {getattr(r, lookup.attribute) for r in records} - {None}
                names[lookup.name] = await lookup.find(db, actor, ids) if ids else {}
            rendered = page.of(records, partial(_cells, kind, names))
        yield rendered.items
        if rendered.next_cursor is None:
            return
        cursor = rendered.next_cursor


async def _csv(uow: Uow, actor: Actor, listing: Listing, kind: ExportKind) -> AsyncIterator[bytes]:
    writer = CsvWriter([c.name for c in kind.columns])
    yield writer.take()
    # The request's transaction has committed by the time a stream is written.
    async for rows in _pages(partial(uow.tenant_transaction, actor.tenant), actor, listing, kind):
        writer.write(rows)
        yield writer.take()


async def _file_chunks(file: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while chunk := file.read(65_536):
            yield chunk
    finally:
        file.close()


async def export_response(
    uow: Uow, actor: Actor, listing: Listing, kind: ExportKind, format: str
) -> Stream:
    """The listing as a file to download; a CSV is read and written while it is sent."""
    filename = f"{kind.name}-{datetime.now(UTC).date().isoformat()}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if format == "csv":
        return Stream(
            _csv(uow, actor, listing, kind), media_type="text/csv; charset=utf-8", headers=headers
        )
    book = XlsxWriter(kind.name, [c.name for c in kind.columns])
    async for rows in _pages(lambda: nullcontext(uow.db), actor, listing, kind):
        book.write(rows)
    file = await anyio.to_thread.run_sync(book.save)
    return Stream(_file_chunks(file), media_type=XLSX_TYPE, headers=headers)
