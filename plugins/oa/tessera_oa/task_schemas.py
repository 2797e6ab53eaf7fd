"""What the task and project endpoints take and answer."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Annotated

import msgspec

from tessera.plugin import Input
from tessera_oa.task_models import PROJECT_ROLES, PROJECT_STATUSES, TASK_PRIORITIES, TASK_STATUSES


def choice(values: tuple[str, ...]) -> str:
    """A pattern that admits exactly one of ``values``."""
    return "^(" + "|".join(re.escape(value) for value in values) + ")$"


Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Description = Annotated[str, msgspec.Meta(max_length=20_000)]
ProjectStatus = Annotated[str, msgspec.Meta(pattern=choice(PROJECT_STATUSES))]
Role = Annotated[str, msgspec.Meta(pattern=choice(PROJECT_ROLES))]
Status = Annotated[str, msgspec.Meta(pattern=choice(TASK_STATUSES))]
Priority = Annotated[str, msgspec.Meta(pattern=choice(TASK_PRIORITIES))]
ItemText = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
#: A checklist this long is a project of its own.
MAX_CHECKLIST = 200
Position = Annotated[int, msgspec.Meta(ge=0, le=MAX_CHECKLIST)]
CommentBody = Annotated[str, msgspec.Meta(min_length=1, max_length=10_000)]
Mentions = Annotated[list[uuid.UUID], msgspec.Meta(max_length=50)]
People = Annotated[list[uuid.UUID], msgspec.Meta(max_length=200)]
Checklist = Annotated[list[ItemText], msgspec.Meta(max_length=MAX_CHECKLIST)]


# --- Projects ----------------------------------------------------------------------------


class ProjectIn(Input):
    name: Name
    description: Description = ""
    status: ProjectStatus = "active"
    #: A member of the tenant; default: whoever creates it. The owner is a manager.
    owner_id: uuid.UUID | None = None
    #: More people to take part, as members; the creator and the owner are managers.
    member_ids: People = msgspec.field(default_factory=list)


class ProjectPatch(Input):
    name: Name | None = None
    description: Description | None = None
    status: ProjectStatus | None = None
    #: One of the project's members, who becomes a manager if they were not.
    owner_id: uuid.UUID | None = None


class ProjectOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    description: str
    status: str
    owner_id: uuid.UUID | None
    #: The caller's part in it: manager, member, or null (they see it as a task manager).
    my_role: str | None
    created_at: datetime
    updated_at: datetime


class ProjectMemberIn(Input):
    project_id: uuid.UUID
    user_id: uuid.UUID
    role: Role = "member"


class ProjectMemberPatch(Input):
    role: Role


class ProjectMemberOut(msgspec.Struct):
    id: uuid.UUID
    project_id: uuid.UUID
    user_id: uuid.UUID
    email: str
    role: str
    created_at: datetime


# --- Tasks -------------------------------------------------------------------------------


class TaskIn(Input):
    title: Name
    description: Description = ""
    #: A project the caller takes part in; none: a personal task. Default: the parent's.
    project_id: uuid.UUID | None = None
    #: A task of the same project (or another personal task): this one is its subtask.
    parent_id: uuid.UUID | None = None
    #: A member of the project (of the tenant, for a personal task).
    assignee_id: uuid.UUID | None = None
    due_date: date | None = None
    priority: Priority = "normal"
    status: Status = "todo"
    checklist: Checklist = msgspec.field(default_factory=list)


class TaskPatch(Input):
    title: Name | None = None
    description: Description | None = None
    #: null makes it a top-level task; absent leaves it where it is.
    parent_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET
    #: null leaves it unassigned.
    assignee_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET
    due_date: date | msgspec.UnsetType | None = msgspec.UNSET
    priority: Priority | None = None
    #: See TRANSITIONS: done and cancelled tasks are reopened to todo first.
    status: Status | None = None


class OfficeTaskOut(msgspec.Struct):
    id: uuid.UUID
    project_id: uuid.UUID | None
    parent_id: uuid.UUID | None
    title: str
    description: str
    assignee_id: uuid.UUID | None
    due_date: date | None
    priority: str
    status: str
    completed_at: datetime | None
    created_by: uuid.UUID | None
    #: The record of another module the task was made for (crm, crm.ticket, its id), if any.
    source_module: str | None
    source_record_type: str | None
    source_record_id: str | None
    subtasks: int
    checklist_done: int
    checklist_total: int
    created_at: datetime
    updated_at: datetime


class ChecklistItemIn(Input):
    task_id: uuid.UUID
    text: ItemText
    done: bool = False
    #: Where it goes (0 first); default: last.
    position: Position | None = None


class ChecklistItemPatch(Input):
    text: ItemText | None = None
    done: bool | None = None
    #: Moves it there; the others close up around it.
    position: Position | None = None


class ChecklistItemOut(msgspec.Struct):
    id: uuid.UUID
    task_id: uuid.UUID
    text: str
    done: bool
    position: int
    created_at: datetime
    updated_at: datetime


class CommentIn(Input):
    task_id: uuid.UUID
    body: CommentBody
    #: User ids of the members to tell; each must be able to see the task.
    mentions: Mentions = msgspec.field(default_factory=list)


class CommentPatch(Input):
    body: CommentBody | None = None
    #: The whole new list; members newly in it are told, the others not again.
    mentions: Mentions | None = None


class CommentOut(msgspec.Struct):
    id: uuid.UUID
    task_id: uuid.UUID
    author_id: uuid.UUID | None
    body: str
    mentions: list[uuid.UUID]
    created_at: datetime
    updated_at: datetime
