"""The tables of tasks and projects: projects with their members, tasks (with subtasks), each
task's checklist and its comments."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, member_fk, tenant_fk, tenant_unique

PROJECT_STATUSES = ("active", "archived")
#: A project's managers change it and its members; members work on its tasks.
PROJECT_ROLES = ("manager", "member")
TASK_STATUSES = ("todo", "in_progress", "done", "cancelled")
#: A task is open while in one of these; done and cancelled tasks are closed.
OPEN_STATUSES = ("todo", "in_progress")
#: The same four a CRM ticket has, so a ticket's priority carries over to its task.
TASK_PRIORITIES = ("low", "normal", "high", "urgent")
#: Deleted projects, tasks and comments are restored by task managers: a member holding
#: oa.task.write for everything would otherwise restore other people's private tasks.
RESTORER = "oa.task.manage"


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    return CheckConstraint(f"{column} IN {values!r}", name=column)


class Project(TenantModel, Timestamps):
    """A piece of work shared by its members; its tasks are theirs to see and work on."""

    __tablename__ = "oa_project"
    __recycle_permission__ = RESTORER
    __table_args__ = (
        member_fk("owner_id", ondelete="SET NULL"),
        _one_of("status", PROJECT_STATUSES),
        Index("ix_oa_project_status", "tenant_id", "status"),
    )

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: Archived projects keep their tasks but take no new ones.
    status: Mapped[str] = mapped_column(String(20), default="active")
    #: Who the project belongs to: one of its managers (cleared if they leave the tenant).
    owner_id: Mapped[uuid.UUID | None]


class ProjectMember(TenantModel):
    """A member of the tenant taking part in a project, as a manager or a member."""

    __tablename__ = "oa_project_member"
    # Part of the project: binned and restored with it, not on its own.
    __recycle__ = False
    __table_args__ = (
        tenant_fk("project_id", "oa_project", ondelete="CASCADE"),
        member_fk("user_id", ondelete="CASCADE"),
        # Also what a task's assignee refers to: only a member of the task's project.
        tenant_unique("project_id", "user_id"),
        # "My projects" and the task list's visibility rule start from the member.
        Index("ix_oa_project_member_user", "tenant_id", "user_id", "project_id"),
        _one_of("role", PROJECT_ROLES),
    )

    project_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID]
    role: Mapped[str] = mapped_column(String(20), default="member")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Task(TenantModel, Timestamps):
    """Something to do: in a project or personal, maybe under a parent task.

    ``source_*`` names the record of another module the task was made for (a CRM ticket):
    at most one task per source record, which keeps a redelivered event from making two.
    """

    __tablename__ = "oa_task"
    __recycle_permission__ = RESTORER
    __table_args__ = (
        # No cascade: a project with tasks is archived, not deleted (the API says 409).
        tenant_fk("project_id", "oa_project"),
        # Subtasks go to the recycle bin with their parent, and come back with it.
        tenant_fk("parent_id", "oa_task", ondelete="CASCADE"),
        member_fk("assignee_id", ondelete="SET NULL"),
        # A project task's assignee is a member of its project; leaving it unassigns them.
        # A personal task (no project) has no such row to match: MATCH SIMPLE skips the check.
        ForeignKeyConstraint(
            ["tenant_id", "project_id", "assignee_id"],
            [
                "oa_project_member.tenant_id",
                "oa_project_member.project_id",
                "oa_project_member.user_id",
            ],
            name="fk_oa_task_project_assignee",
            ondelete="SET NULL (assignee_id)",
        ),
        member_fk("created_by", ondelete="SET NULL"),
        tenant_unique("source_record_type", "source_record_id"),
        CheckConstraint(
            "(source_module IS NULL) = (source_record_type IS NULL) "
            "AND (source_record_type IS NULL) = (source_record_id IS NULL)",
            name="source",
        ),
        _one_of("status", TASK_STATUSES),
        _one_of("priority", TASK_PRIORITIES),
        Index("ix_oa_task_project", "tenant_id", "project_id", "status"),
        Index("ix_oa_task_parent", "tenant_id", "parent_id"),
        Index("ix_oa_task_assignee", "tenant_id", "assignee_id"),
        Index("ix_oa_task_created_by", "tenant_id", "created_by"),
        # The list by due date and the calendar's windows.
        Index("ix_oa_task_due", "tenant_id", "due_date"),
    )

    project_id: Mapped[uuid.UUID | None]
    parent_id: Mapped[uuid.UUID | None]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    assignee_id: Mapped[uuid.UUID | None]
    due_date: Mapped[date | None]
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    status: Mapped[str] = mapped_column(String(20), default="todo")
    #: When it was last marked done (cleared when it is reopened).
    completed_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None]
    source_module: Mapped[str | None] = mapped_column(String(40))
    source_record_type: Mapped[str | None] = mapped_column(String(100))
    source_record_id: Mapped[str | None] = mapped_column(String(100))


class ChecklistItem(TenantModel, Timestamps):
    """One line of a task's checklist; ``position`` orders them from 0."""

    __tablename__ = "oa_task_checklist_item"
    # Part of the task: binned and restored with it.
    __recycle__ = False
    __table_args__ = (
        tenant_fk("task_id", "oa_task", ondelete="CASCADE"),
        Index("ix_oa_task_checklist_item_task", "tenant_id", "task_id", "position"),
        CheckConstraint("position >= 0", name="position"),
    )

    task_id: Mapped[uuid.UUID]
    text: Mapped[str] = mapped_column(String(300))
    done: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(Integer)


class TaskComment(TenantModel, Timestamps):
    """A comment on a task, with the members it mentions (each told of it)."""

    __tablename__ = "oa_task_comment"
    __recycle_permission__ = RESTORER
    __table_args__ = (
        tenant_fk("task_id", "oa_task", ondelete="CASCADE"),
        member_fk("author_id", ondelete="SET NULL"),
        Index("ix_oa_task_comment_task", "tenant_id", "task_id", "id"),
    )

    task_id: Mapped[uuid.UUID]
    author_id: Mapped[uuid.UUID | None]
    body: Mapped[str] = mapped_column(Text)
    #: User ids of the members mentioned, as given (checked against the tenant's members).
    mentions: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
