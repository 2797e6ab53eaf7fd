"""Workflow definitions (versioned), running instances, their tasks, and what happened.

A definition names an approvable record type; each change to it adds an immutable version.
An instance is one submission of one record and keeps the version it started with. Each
approver of the current step has a task. Actions are the instance's history, comments included.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import TenantModel, Timestamps, tenant_fk, tenant_unique

INSTANCE_STATUSES = ("pending", "approved", "rejected", "returned", "cancelled")
#: Task statuses that end the assignee's part by their own hand: the approval centre's "done".
ACTED = ("approved", "rejected", "returned", "delegated")
TASK_STATUSES = (
    "pending",
    "approved",
    "rejected",
    "returned",
    "delegated",
    "escalated",
    "withdrawn",
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Definition(TenantModel, Timestamps):
    __tablename__ = "workflow_definition"
    __table_args__ = (tenant_unique("key"),)
    # Definitions are switched off, never deleted: instances keep pointing at their versions.
    __recycle__ = False

    key: Mapped[str] = mapped_column(String(80))
    record_type: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    #: Which records of the type it is for (``Approvable.scope_field``'s value, e.g. a form's
    #: id); None: every record without an active workflow of its own scope.
    scope: Mapped[str | None] = mapped_column(String(100))


# At most one active workflow per record type and scope: submitting must know which applies.
# NULL is no scope, and two unscoped ones must collide too: hence coalesce.
Index(
    "uq_workflow_definition_active",
    Definition.tenant_id,
    Definition.record_type,
    func.coalesce(Definition.scope, ""),
    unique=True,
    postgresql_where=text("active"),
)


class DefinitionVersion(TenantModel):
    """One immutable version of a definition's steps and guarded fields."""

    __tablename__ = "workflow_definition_version"
    __table_args__ = (
        tenant_fk("definition_id", "workflow_definition"),
        tenant_unique("definition_id", "version"),
    )
    __recycle__ = False

    definition_id: Mapped[uuid.UUID]
    version: Mapped[int] = mapped_column(Integer)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    guarded_fields: Mapped[list[str]] = mapped_column(JSONB)
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"))


class Instance(TenantModel, Timestamps):
    __tablename__ = "workflow_instance"
    __table_args__ = (
        tenant_fk("definition_id", "workflow_definition"),
        tenant_fk("version_id", "workflow_definition_version"),
        CheckConstraint(_one_of("status", INSTANCE_STATUSES), name="status"),
        Index("ix_workflow_instance_record", "tenant_id", "record_type", "record_id"),
        # "My requests", newest first (ids are time-ordered).
        Index("ix_workflow_instance_requester", "tenant_id", "requester_user_id", "id"),
        # One pending approval per record: the lock and the inbox rely on it.
        Index(
            "uq_workflow_instance_pending",
            "tenant_id",
            "record_type",
            "record_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
    )
    __recycle__ = False

    definition_id: Mapped[uuid.UUID]
    version_id: Mapped[uuid.UUID]
    record_type: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[str] = mapped_column(String(100))
    requester_user_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(20), default="pending")
    #: Index of the step whose tasks are open (meaningful while pending).
    current_step: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None]


class Task(TenantModel, Timestamps):
    """One approver's part in one step."""

    __tablename__ = "workflow_task"
    __table_args__ = (
        tenant_fk("instance_id", "workflow_instance", ondelete="CASCADE"),
        tenant_fk("replaces_id", "workflow_task"),
        CheckConstraint(_one_of("status", TASK_STATUSES), name="status"),
        Index("ix_workflow_task_inbox", "tenant_id", "assignee_user_id", "status"),
        Index("ix_workflow_task_due", "tenant_id", "status", "due_at"),
        # The inbox: one member's open tasks in id (= time) order, read straight off the index.
        Index(
            "ix_workflow_task_pending",
            "tenant_id",
            "assignee_user_id",
            "id",
            postgresql_where=text("status = 'pending'"),
        ),
        # "Done": what one member decided or handed on, newest decision first.
        Index(
            "ix_workflow_task_acted",
            "tenant_id",
            "assignee_user_id",
            "acted_at",
            "id",
            postgresql_where=text(_one_of("status", ACTED)),
        ),
    )
    __recycle__ = False

    instance_id: Mapped[uuid.UUID]
    step_index: Mapped[int] = mapped_column(Integer)
    step_name: Mapped[str] = mapped_column(String(120))
    assignee_user_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(20), default="pending")
    due_at: Mapped[datetime | None]
    acted_at: Mapped[datetime | None]
    comment: Mapped[str | None] = mapped_column(Text)
    #: The task this one took over from (by delegation or escalation).
    replaces_id: Mapped[uuid.UUID | None]


class Action(TenantModel):
    """One thing that happened to an instance, in order: the history shown with the record."""

    __tablename__ = "workflow_action"
    __table_args__ = (
        tenant_fk("instance_id", "workflow_instance", ondelete="CASCADE"),
        tenant_fk("task_id", "workflow_task"),
        Index("ix_workflow_action_instance", "tenant_id", "instance_id"),
    )
    __recycle__ = False

    instance_id: Mapped[uuid.UUID]
    task_id: Mapped[uuid.UUID | None]
    #: None when the platform acted (an escalation).
    actor_user_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(30))
    step_index: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"))


class Cc(TenantModel):
    """A member copied on an instance (a step's ``cc``): told, and allowed to read it."""

    __tablename__ = "workflow_cc"
    __table_args__ = (
        tenant_fk("instance_id", "workflow_instance", ondelete="CASCADE"),
        tenant_unique("instance_id", "user_id"),
        # "Copied to me", newest first.
        Index("ix_workflow_cc_user", "tenant_id", "user_id", "id"),
    )
    __recycle__ = False

    instance_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID]
    step_index: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"))


class ActionFile(TenantModel):
    """A stored file attached to an action (a decision or a comment); it holds the file."""

    __tablename__ = "workflow_action_file"
    __table_args__ = (
        tenant_fk("action_id", "workflow_action", ondelete="CASCADE"),
        tenant_fk("file_id", "stored_file", ondelete="RESTRICT"),
        # A file is attached once: the uploader's next action cannot take it again.
        tenant_unique("file_id"),
        Index("ix_workflow_action_file_action", "tenant_id", "action_id"),
    )
    __recycle__ = False

    action_id: Mapped[uuid.UUID]
    file_id: Mapped[uuid.UUID]
