"""Files attached to an approval's actions: which uploads an action may take, and reading them.

A file is uploaded first (``POST /workflow/attachments``, the storage's rules and limit), then
named by id in the decision or comment that carries it. An action takes only files its actor
uploaded and that nothing holds yet, so nobody attaches (and so reveals to the approval's
readers) a file that is someone else's or already belongs to another record.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.errors import Invalid, NotFound
from tessera.storage import service as storage
from tessera.workflow.models import Action, ActionFile

MAX_ATTACHMENTS = 10


@dataclass(frozen=True, slots=True)
class Attached:
    """A file attached to one action, as the approval shows it."""

    action_id: uuid.UUID
    file_id: uuid.UUID
    filename: str
    content_type: str
    size: int


async def checked(
    db: AsyncSession, actor_user_id: uuid.UUID, file_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """``file_ids`` if the actor may attach every one; :class:`Invalid` naming the first not.

    Checked before anything is written, so a refused attachment leaves the task as it was.
    """
    if len(file_ids) > MAX_ATTACHMENTS:
        raise Invalid("attachments", f"at most {MAX_ATTACHMENTS} files")
    files = await storage.get_many(db, file_ids)
    taken = await storage.held(db, list(files)) if files else set()
    for index, file_id in enumerate(file_ids):
        path = f"attachments[{index}]"
        if file_id in file_ids[:index]:
            raise Invalid(path, "is named twice")
        found = files.get(file_id)
        # Another member's upload reads as unknown: its id says nothing about it.
        if found is None or found.created_by != actor_user_id:
            raise Invalid(path, "is not a file you uploaded")
        if file_id in taken:
            raise Invalid(path, "is already attached")
    return list(file_ids)


def attach(db: AsyncSession, action: Action, file_ids: Sequence[uuid.UUID]) -> None:
    for file_id in file_ids:
        db.add(ActionFile(tenant_id=action.tenant_id, action_id=action.id, file_id=file_id))


async def of_actions(db: AsyncSession, action_ids: Sequence[uuid.UUID]) -> list[Attached]:
    """The files of these actions, in the order they were attached."""
    if not action_ids:
        return []
    query = (
        select(ActionFile.action_id, ActionFile.file_id)
        .where(ActionFile.action_id.in_(list(action_ids)))
        .order_by(ActionFile.id)
    )
    rows = (await db.execute(query)).all()
    files = await storage.get_many(db, [file_id for _, file_id in rows])
    return [
        Attached(action_id, file_id, f.filename, f.content_type, f.size)
        for action_id, file_id in rows
        if (f := files.get(file_id)) is not None
    ]


async def file_of_instance(db: AsyncSession, instance_id: uuid.UUID, file_id: uuid.UUID) -> None:
    """Nothing if ``file_id`` is attached to an action of the instance; 404 otherwise."""
    query = (
        select(ActionFile.id)
        .join(
            Action,
            (Action.tenant_id == ActionFile.tenant_id) & (Action.id == ActionFile.action_id),
        )
        .where(ActionFile.file_id == file_id, Action.instance_id == instance_id)
    )
    if (await db.execute(query.limit(1))).first() is None:
        raise NotFound("No such file on this approval.")
