"""HTTP API of the approval centre: a member's lists, one approval in full, and its files.

``/workflow/inbox`` (to approve) lives with the task actions in :mod:`tessera.workflow.routes`.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_201_CREATED

from tessera.errors import Invalid, TooLarge
from tessera.modules.registry import PluginRegistry
from tessera.modules.texts import Texts
from tessera.storage import service as storage
from tessera.storage import transfer
from tessera.web.context import Language, Member, Uow, file_upload, hot_read, services_of
from tessera.web.pagination import (
    DEFAULT_LIMIT,
    CursorQuery,
    LimitQuery,
    SortedCursorQuery,
    check_limit,
    decode_cursor,
    page_of,
)
from tessera.web.schemas import Page
from tessera.workflow import centre
from tessera.workflow.routes import instance_out, record_label, short_title, task_of
from tessera.workflow.schemas import (
    ApprovalItemOut,
    AttachmentOut,
    CopiedItemOut,
    DetailActionOut,
    DoneItemOut,
    InstanceDetailOut,
    SummaryFieldOut,
)

InstanceStatus = Literal["pending", "approved", "rejected", "returned", "cancelled"]
StatusQuery = Annotated[
    InstanceStatus | None, QueryParameter(description="Only approvals in this status")
]


class _Render:
    """Turns a page's rows into list items: titles loaded once for the whole page, one
    statement per record type, and each record type's label translated once."""

    def __init__(
        self, registry: PluginRegistry, texts: Texts, titles: dict[tuple[str, str], str]
    ) -> None:
        self.registry, self.texts, self.titles = registry, texts, titles
        self.labels: dict[str, str] = {}

    @classmethod
    async def of(cls, uow: Uow, state: State, texts: Texts, rows: Sequence[Any]) -> _Render:
        registry = services_of(state).registry
        pairs = [(row["record_type"], row["record_id"]) for row in rows]
        return cls(registry, texts, await centre.hot_titles(uow, registry, pairs))

    def item(self, row: Any) -> ApprovalItemOut:
        record_type, record_id = row["record_type"], row["record_id"]
        if record_type not in self.labels:
            self.labels[record_type] = record_label(self.registry, self.texts, record_type)
        label = self.labels[record_type]
        return ApprovalItemOut(
            id=row["approval_id"],
            record_type=record_type,
            record_id=record_id,
            record_label=label,
            title=self.titles.get((record_type, record_id)) or short_title(label, record_id),
            status=row["approval_status"],
            current_step=row["current_step"],
            requester_user_id=row["requester_user_id"],
            created_at=row["approval_created_at"],
            finished_at=row["finished_at"],
        )


# --- Cursors of the "done" list: the last row's decision time and id ----------------------


def _moment_cursor(row: Any) -> str:
    acted_at = row["acted_at"]
    data = json.dumps([acted_at.isoformat() if acted_at else None, str(row["id"])])
    return base64.urlsafe_b64encode(data.encode()).rstrip(b"=").decode()


def _after_moment(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if cursor is None:
        return None
    try:
        at, last = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return datetime.fromisoformat(at), uuid.UUID(last)
    except (binascii.Error, ValueError, TypeError):
        raise Invalid("cursor", "is not a cursor this API gave out") from None


def _file_out(file_id: uuid.UUID, filename: str, content_type: str, size: int) -> AttachmentOut:
    return AttachmentOut(id=file_id, filename=filename, content_type=content_type, size=size)


class ApprovalCentreController(Controller):
    path = "/workflow"
    tags = ["workflow"]

    @get("/done", summary="Tasks I decided or handed on, latest first", opt=hot_read())
    async def done(
        self,
        actor: Member,
        uow: Uow,
        state: State,
        texts: Language,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[DoneItemOut]:
        rows = await centre.done(
            uow,
            services_of(state).registry,
            actor,
            after=_after_moment(cursor),
            limit=check_limit(limit) + 1,
        )
        visible = rows[:limit]
        render = await _Render.of(uow, state, texts, visible)
        more = len(rows) > limit and visible
        return Page(
            items=[DoneItemOut(task=task_of(r), approval=render.item(r)) for r in visible],
            next_cursor=_moment_cursor(visible[-1]) if more else None,
        )

    @get("/submissions", summary="Approvals I requested, newest first", opt=hot_read())
    async def submissions(
        self,
        actor: Member,
        uow: Uow,
        state: State,
        texts: Language,
        status: StatusQuery = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[ApprovalItemOut]:
        rows = await centre.submissions(
            uow,
            services_of(state).registry,
            actor,
            status=status,
            after=decode_cursor(cursor),
            limit=check_limit(limit) + 1,
        )
        render = await _Render.of(uow, state, texts, rows[:limit])
        return page_of(rows, limit, key=lambda r: r["approval_id"], render=render.item)

    @get("/copied", summary="Approvals I was copied on, latest first", opt=hot_read())
    async def copied(
        self,
        actor: Member,
        uow: Uow,
        state: State,
        texts: Language,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[CopiedItemOut]:
        rows = await centre.copied(
            uow,
            services_of(state).registry,
            actor,
            after=decode_cursor(cursor),
            limit=check_limit(limit) + 1,
        )
        render = await _Render.of(uow, state, texts, rows[:limit])
        return page_of(
            rows,
            limit,
            key=lambda r: r["id"],
            render=lambda r: CopiedItemOut(
                approval=render.item(r), step_index=r["step_index"], copied_at=r["copied_at"]
            ),
        )

    @get(
        "/instances/{instance_id:uuid}",
        summary="One approval: its record's title and summary, tasks, actions and files",
    )
    async def instance(
        self, instance_id: FromPath[uuid.UUID], actor: Member, uow: Uow, state: State,
        texts: Language,
    ) -> InstanceDetailOut:  # fmt: skip
        registry = services_of(state).registry
        found = await centre.detail(uow.db, registry, actor, instance_id)
        instance = found.instance
        label = record_label(registry, texts, instance.record_type)
        files: dict[uuid.UUID, list[AttachmentOut]] = {}
        for f in found.files:
            files.setdefault(f.action_id, []).append(
                _file_out(f.file_id, f.filename, f.content_type, f.size)
            )
        return InstanceDetailOut(
            instance=instance_out(instance, found.version, found.tasks),
            title=found.title or short_title(label, instance.record_id),
            record_label=label,
            summary=[
                SummaryFieldOut(name, None if value is None else str(value))
                for name, value in found.summary
            ],
            actions=[
                DetailActionOut(
                    id=a.id,
                    action=a.action,
                    actor_user_id=a.actor_user_id,
                    task_id=a.task_id,
                    step_index=a.step_index,
                    comment=a.comment,
                    created_at=a.created_at,
                    attachments=files.get(a.id, []),
                )
                for a in found.actions
            ],
        )

    @post(
        "/attachments",
        status_code=HTTP_201_CREATED,
        summary="Upload a file to attach to my next decision or comment",
        opt=file_upload(),
    )
    async def upload(
        self, request: Request[Any, Any, Any], actor: Member, uow: Uow
    ) -> AttachmentOut:
        # The storage's rules: the tenant's size limit (413 past it), the name cleaned.
        limit = await storage.file_limit(uow.db, uow.settings)
        incoming = await transfer.receive(request, part="file", limit=limit)
        try:
            stored = await storage.store(
                uow,
                tenant_id=actor.tenant,
                user_id=actor.user_id,
                chunks=incoming.chunks,
                filename=incoming.filename,
                content_type=incoming.content_type,
                limit=limit,
            )
        except TooLarge:
            await incoming.body.drain()
            raise
        return _file_out(stored.id, stored.filename, stored.content_type, stored.size)

    @get(
        "/instances/{instance_id:uuid}/attachments/{file_id:uuid}",
        summary="A file attached to an approval I may read",
    )
    async def attachment(
        self,
        instance_id: FromPath[uuid.UUID],
        file_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        state: State,
    ) -> Stream:
        await centre.attachment(uow.db, services_of(state).registry, actor, instance_id, file_id)
        stored = await storage.get(uow.db, file_id)
        opened = await storage.open_bytes(uow.settings, stored)
        return transfer.download(stored, opened, inline=False)


ROUTE_HANDLERS: list[Any] = [ApprovalCentreController]
