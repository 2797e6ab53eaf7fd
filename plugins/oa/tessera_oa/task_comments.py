"""Comments on tasks, with @mentions. Under /api/v1/oa/task-comments.

A mention is structured, not parsed out of the text: the comment carries ``mentions``, the
user ids of the members it names. Each must be a member of the tenant who can see the task
(a member of its project; for a personal task, whoever created it or is assigned to it), so
nobody is sent to a task they cannot open. Each mentioned member, the author aside, is told
with a notification (``oa.task_mentioned``) in the comment's own transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Forbidden,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    Uow,
    emit,
    notify,
    requires,
)
from tessera_oa.task_access import (
    MANAGE,
    READ,
    WRITE,
    checked_task,
    members_among,
    visible_tasks,
    who_may_see,
)
from tessera_oa.task_models import Task, TaskComment
from tessera_oa.task_schemas import CommentIn, CommentOut, CommentPatch
from tessera_oa.tasks import task_link

SORTING = Sorting({}, TaskComment.id)
MENTIONED = "oa.task_mentioned"
TaskFilter = Annotated[uuid.UUID | None, QueryParameter(description="The comments on this task")]
#: A notice shows this much of the comment.
EXCERPT = 300


def comment_out(comment: TaskComment) -> CommentOut:
    return CommentOut(
        id=comment.id,
        task_id=comment.task_id,
        author_id=comment.author_id,
        body=comment.body,
        mentions=list(comment.mentions),
        created_at=comment.created_at,
        updated_at=comment.updated_at,
    )


async def checked_mentions(
    db: AsyncSession, task: Task, mentions: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """The mentioned user ids, each once, in the order given; 422 naming ``mentions`` for
    anyone who is not a member of the tenant or cannot see the task."""
    wanted = list(dict.fromkeys(mentions))
    if not wanted:
        return []
    members = await members_among(db, wanted)
    if strangers := [u for u in wanted if u not in members]:
        raise Invalid("mentions", f"{strangers[0]} is not a member of this tenant")
    seeing = await who_may_see(db, task, wanted)
    if blind := [u for u in wanted if u not in seeing]:
        where = "a member of its project" if task.project_id else "its creator or assignee"
        raise Invalid("mentions", f"{blind[0]} cannot see this task (only {where} can)")
    return wanted


async def tell_mentioned(
    db: AsyncSession, task: Task, comment: TaskComment, user_ids: Sequence[uuid.UUID]
) -> int:
    told = [u for u in user_ids if u != comment.author_id]
    if not told:
        return 0
    return await notify(
        db,
        task.tenant_id,
        told,
        MENTIONED,
        f"You were mentioned on the task: {task.title}",
        body=comment.body[:EXCERPT],
        link=task_link(task.id),
    )


async def _comment(
    db: AsyncSession, actor: Actor, comment_id: uuid.UUID
) -> tuple[TaskComment, Task]:
    """A comment on a task the actor sees, with the task; 404 otherwise."""
    query = (
        select(TaskComment, Task)
        .join(Task, Task.id == TaskComment.task_id)
        .where(TaskComment.id == comment_id, visible_tasks(actor))
    )
    found = (await db.execute(query)).first()
    if found is None:
        raise NotFound("No such comment.")
    return found[0], found[1]


async def add_comment(uow: Uow, actor: Actor, data: CommentIn) -> TaskComment:
    db = uow.db
    task = await checked_task(db, actor, data.task_id, "task_id")
    if not data.body.strip():
        raise Invalid("body", "must not be blank")
    mentions = await checked_mentions(db, task, data.mentions)
    comment = TaskComment(
        tenant_id=actor.tenant,
        task_id=task.id,
        author_id=actor.user_id,
        body=data.body,
        mentions=mentions,
    )
    db.add(comment)
    await db.flush()
    await db.refresh(comment)
    await emit(
        db,
        actor.tenant,
        "oa.task.commented",
        {"task_id": task.id, "comment_id": comment.id, "mentioned_user_ids": mentions},
    )
    await tell_mentioned(db, task, comment, mentions)
    return comment


async def change_comment(
    uow: Uow, actor: Actor, comment_id: uuid.UUID, data: CommentPatch
) -> TaskComment:
    db = uow.db
    comment, task = await _comment(db, actor, comment_id)
    if comment.author_id != actor.user_id:
        raise Forbidden("Only its author changes a comment.")
    if data.body is not None:
        if not data.body.strip():
            raise Invalid("body", "must not be blank")
        comment.body = data.body
    newly: list[uuid.UUID] = []
    if data.mentions is not None:
        mentions = await checked_mentions(db, task, data.mentions)
        newly = [u for u in mentions if u not in comment.mentions]
        comment.mentions = mentions
    await db.flush()
    await db.refresh(comment)
    await tell_mentioned(db, task, comment, newly)
    return comment


async def delete_comment(uow: Uow, actor: Actor, comment_id: uuid.UUID) -> None:
    comment, _ = await _comment(uow.db, actor, comment_id)
    if comment.author_id != actor.user_id and not actor.can(MANAGE):
        raise Forbidden("Only its author (and task managers) delete a comment.")
    await uow.db.delete(comment)
    await uow.db.flush()


class CommentsController(Controller):
    path = "/task-comments"
    tags = ["oa"]

    @get("/", summary="Comments on the tasks you see, oldest first", opt=requires(READ))
    async def list_comments(
        self,
        actor: Member,
        uow: Uow,
        task_id: TaskFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[CommentOut]:
        query = select(TaskComment).join(Task, Task.id == TaskComment.task_id)
        query = query.where(visible_tasks(actor))
        if task_id is not None:
            query = query.where(TaskComment.task_id == task_id)
        page = SORTING.page(query, None, cursor, limit)
        return page.of(list((await uow.db.scalars(page.query)).all()), comment_out)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Comment on a task, mentioning members (each is told)",
        opt=requires(WRITE),
    )
    async def add(self, data: JSONBody[CommentIn], actor: Member, uow: Uow) -> CommentOut:
        return comment_out(await add_comment(uow, actor, data))

    @get("/{comment_id:uuid}", summary="One comment", opt=requires(READ))
    async def get_one(self, comment_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> CommentOut:
        return comment_out((await _comment(uow.db, actor, comment_id))[0])

    @patch(
        "/{comment_id:uuid}",
        summary="Change your comment; members newly mentioned are told",
        opt=requires(WRITE),
    )
    async def change(
        self, comment_id: FromPath[uuid.UUID], data: JSONBody[CommentPatch], actor: Member, uow: Uow
    ) -> CommentOut:
        return comment_out(await change_comment(uow, actor, comment_id, data))

    @delete(
        "/{comment_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete your comment (task managers: any)",
        opt=requires(WRITE),
    )
    async def remove(self, comment_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_comment(uow, actor, comment_id)
