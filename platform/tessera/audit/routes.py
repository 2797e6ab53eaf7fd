"""HTTP API of the audit trail: browse, a record's history, and streamed export."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Literal

from litestar import Controller, get
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter
from litestar.response import Stream

from tessera.audit import service
from tessera.audit.models import AuditEntry
from tessera.audit.schemas import AuditEntryOut
from tessera.errors import Invalid, NotFound
from tessera.web.context import Member, Uow, requires, services_of
from tessera.web.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, check_limit
from tessera.web.schemas import Page

ActorFilter = Annotated[
    uuid.UUID | None, QueryParameter(name="actor", description="Entries by this user id")
]
ActionFilter = Annotated[
    str | None, QueryParameter(max_length=40, description="create, update, login …")
]
TypeFilter = Annotated[str | None, QueryParameter(max_length=100, description="A table name")]
IdFilter = Annotated[
    str | None, QueryParameter(max_length=100, description="A record id (with record_type)")
]
Since = Annotated[datetime | None, QueryParameter(description="Entries at or after this time")]
Until = Annotated[datetime | None, QueryParameter(description="Entries before this time")]
Format = Annotated[Literal["csv", "jsonl"], QueryParameter(description="csv or jsonl")]

_CSV_COLUMNS = [
    "seq", "occurred_at", "actor_kind", "actor_user_id", "actor_token_id", "action",
    "record_type", "record_id", "changes", "request_id", "ip", "user_agent", "hash",
]  # fmt: skip


def entry_out(entry: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(
        seq=entry.seq,
        occurred_at=entry.occurred_at,
        actor_kind=entry.actor_kind,
        actor_user_id=entry.actor_user_id,
        actor_token_id=entry.actor_token_id,
        action=entry.action,
        record_type=entry.record_type,
        record_id=entry.record_id,
        changes=entry.changes,
        request_id=entry.request_id,
        ip=entry.ip,
        user_agent=entry.user_agent,
        hash=entry.hash.hex(),
    )


def _before(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isdigit():
        raise Invalid("cursor", "is not a cursor this API gave out")
    return int(cursor)


def _page(rows: list[AuditEntry], limit: int) -> Page[AuditEntryOut]:
    visible = rows[:limit]
    more = len(rows) > limit
    return Page(
        items=[entry_out(r) for r in visible],
        next_cursor=str(visible[-1].seq) if more and visible else None,
    )


def provide_filters(
    actor_user_id: ActorFilter = None,
    action: ActionFilter = None,
    record_type: TypeFilter = None,
    record_id: IdFilter = None,
    since: Since = None,
    until: Until = None,
) -> service.Filters:
    """The filter query parameters of browsing and exporting, read and checked in one place."""
    return service.Filters(actor_user_id, action, record_type, record_id, since, until).check()


EntryFilters = NamedDependency[service.Filters]


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]
    dependencies = {"filters": Provide(provide_filters, sync_to_thread=False)}

    @get("/", summary="The tenant's audit trail, newest first", opt=requires("audit.entry.read"))
    async def list_entries(
        self,
        actor: Member,
        uow: Uow,
        filters: EntryFilters,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[AuditEntryOut]:
        rows = await service.newest_first(
            uow.db, filters, before_seq=_before(cursor), limit=check_limit(limit) + 1
        )
        return _page(rows, limit)

    @get(
        "/records/{record_type:str}/{record_id:str}",
        summary="One record's history",
        opt=requires("audit.entry.read"),
    )
    async def record_history(
        self,
        record_type: FromPath[str],
        record_id: FromPath[str],
        actor: Member,
        uow: Uow,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[AuditEntryOut]:
        filters = service.Filters(record_type=record_type[:100], record_id=record_id[:100])
        rows = await service.newest_first(
            uow.db, filters, before_seq=_before(cursor), limit=check_limit(limit) + 1
        )
        if not rows and cursor is None:
            raise NotFound("This record has no history here.")
        return _page(rows, limit)

    @get(
        "/export",
        summary="Export the audit trail (CSV or JSON Lines), streamed",
        opt=requires("audit.entry.read"),
    )
    async def export(
        self,
        actor: Member,
        state: State,
        filters: EntryFilters,
        format: Format = "jsonl",
    ) -> Stream:
        assert actor.tenant_id is not None
        entries = service.oldest_first(
            services_of(state).database.transaction, actor.tenant_id, filters
        )
        render = _csv_lines(entries) if format == "csv" else _json_lines(entries)
        return Stream(
            render,
            media_type="text/csv" if format == "csv" else "application/x-ndjson",
            headers={"Content-Disposition": f'attachment; filename="audit.{format}"'},
        )


def _plain(entry: AuditEntry) -> dict[str, Any]:
    out = entry_out(entry)
    return {
        "seq": out.seq,
        "occurred_at": out.occurred_at.isoformat(),
        "actor_kind": out.actor_kind,
        "actor_user_id": str(out.actor_user_id) if out.actor_user_id else None,
        "actor_token_id": str(out.actor_token_id) if out.actor_token_id else None,
        "action": out.action,
        "record_type": out.record_type,
        "record_id": out.record_id,
        "changes": out.changes,
        "request_id": out.request_id,
        "ip": out.ip,
        "user_agent": out.user_agent,
        "hash": out.hash,
    }


async def _json_lines(entries: AsyncIterator[AuditEntry]) -> AsyncIterator[bytes]:
    async for entry in entries:
        yield (json.dumps(_plain(entry)) + "\n").encode()


async def _csv_lines(entries: AsyncIterator[AuditEntry]) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_CSV_COLUMNS)
    writer.writeheader()
    async for entry in entries:
        row = _plain(entry)
        row["changes"] = json.dumps(row["changes"], sort_keys=True)
        writer.writerow(row)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
