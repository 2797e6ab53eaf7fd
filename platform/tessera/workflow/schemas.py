"""Request and response shapes of the workflow API.

Enumerations (approvers, mode) are plain strings here and checked by the service, so an
unknown value is a 422 naming its field, the same whether it came over HTTP or from a template.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from tessera.web.schemas import Input
from tessera.workflow.types import Step

Key = Annotated[str, msgspec.Meta(min_length=3, max_length=80)]
RecordType = Annotated[str, msgspec.Meta(min_length=3, max_length=100)]
RecordId = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
StepName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
DefinitionName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Condition = Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
ShortText = Annotated[str, msgspec.Meta(max_length=80)]
FieldName = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Comment = Annotated[str, msgspec.Meta(max_length=4000)]
Scope = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class StepIO(Input):
    name: StepName
    approvers: ShortText
    users: Annotated[list[uuid.UUID], msgspec.Meta(max_length=50)] = msgspec.field(
        default_factory=list
    )
    role: ShortText | None = None
    mode: ShortText = "any"
    condition: Condition | None = None
    time_limit_hours: int | None = None
    time_limit_minutes: int | None = None
    escalate_to: ShortText | None = None
    #: ``manager_chain`` steps: how many managers up the requester's line (1 to 5).
    levels: int | None = None
    #: ``field`` steps: the record's user field that holds the approver.
    field: FieldName | None = None
    #: Members copied when the step opens (told, and allowed to read the approval).
    cc: Annotated[list[uuid.UUID], msgspec.Meta(max_length=50)] = msgspec.field(
        default_factory=list
    )

    def to_step(self) -> Step:
        """The engine's step (checked when a definition is saved)."""
        return Step(
            name=self.name,
            approvers=self.approvers,
            users=tuple(self.users),
            role=self.role,
            mode=self.mode,
            condition=self.condition,
            time_limit_hours=self.time_limit_hours,
            time_limit_minutes=self.time_limit_minutes,
            escalate_to=self.escalate_to,
            levels=self.levels,
            field=self.field,
            cc=tuple(self.cc),
        )

    @classmethod
    def of(cls, step: Step) -> StepIO:
        return cls(
            name=step.name,
            approvers=step.approvers,
            users=list(step.users),
            role=step.role,
            mode=step.mode,
            condition=step.condition,
            time_limit_hours=step.time_limit_hours,
            time_limit_minutes=step.time_limit_minutes,
            escalate_to=step.escalate_to,
            levels=step.levels,
            field=step.field,
            cc=list(step.cc),
        )


class DefinitionIn(Input):
    key: Key
    record_type: RecordType
    name: DefinitionName
    steps: Annotated[list[StepIO], msgspec.Meta(max_length=20)]
    guarded_fields: Annotated[list[FieldName], msgspec.Meta(max_length=100)] = msgspec.field(
        default_factory=list
    )
    #: Only for record types with per-record workflows (their ``scope_field``'s value, e.g. an
    #: OA request form's id): the workflow applies to those records only.
    scope: Scope | None = None


class DefinitionUpdate(Input):
    """A new version: the whole definition as it should now be."""

    name: DefinitionName
    steps: Annotated[list[StepIO], msgspec.Meta(max_length=20)]
    guarded_fields: Annotated[list[FieldName], msgspec.Meta(max_length=100)] = msgspec.field(
        default_factory=list
    )


class FieldTypeOut(msgspec.Struct):
    name: str
    #: number, string, boolean or other: what a condition may compare the field with.
    type: str


class RecordTypeOut(msgspec.Struct):
    """A record type of an enabled module that workflows can be defined for."""

    record_type: str
    module: str
    label: str
    #: The fields conditions may read and definitions may guard.
    fields: list[FieldTypeOut]


class VersionOut(msgspec.Struct):
    id: uuid.UUID
    version: int
    steps: list[StepIO]
    guarded_fields: list[str]
    created_by: uuid.UUID | None
    created_at: datetime


class DefinitionOut(msgspec.Struct):
    id: uuid.UUID
    key: str
    record_type: str
    name: str
    active: bool
    version: int
    steps: list[StepIO]
    guarded_fields: list[str]
    #: Which records of the type it applies to; null: every record without its own.
    scope: str | None = None


class SubmissionIn(Input):
    record_type: RecordType
    record_id: RecordId


class ActionIn(Input):
    comment: Comment | None = None
    #: Ids of files the actor uploaded (``POST /workflow/attachments``) and has not attached.
    attachments: Annotated[list[uuid.UUID], msgspec.Meta(max_length=10)] = msgspec.field(
        default_factory=list
    )


class DelegateIn(Input):
    user_id: uuid.UUID
    comment: Comment | None = None


class TaskOut(msgspec.Struct):
    id: uuid.UUID
    instance_id: uuid.UUID
    step_index: int
    step_name: str
    assignee_user_id: uuid.UUID
    status: str
    due_at: datetime | None
    acted_at: datetime | None
    comment: str | None
    replaces_id: uuid.UUID | None
    created_at: datetime


class InboxItemOut(msgspec.Struct):
    task: TaskOut
    record_type: str
    record_id: str
    requester_user_id: uuid.UUID
    instance_id: uuid.UUID
    #: The record's title (its type's label and a short id where it has none).
    title: str
    #: The record type's label, in the reader's language.
    record_label: str
    step_name: str
    submitted_at: datetime


class ApprovalItemOut(msgspec.Struct):
    """One approval in a list of the approval centre."""

    id: uuid.UUID
    record_type: str
    record_id: str
    record_label: str
    title: str
    status: str
    current_step: int
    requester_user_id: uuid.UUID
    created_at: datetime
    finished_at: datetime | None


class DoneItemOut(msgspec.Struct):
    """A task the member decided or handed on, and the approval it belongs to."""

    task: TaskOut
    approval: ApprovalItemOut


class CopiedItemOut(msgspec.Struct):
    approval: ApprovalItemOut
    #: The step that copied the member, and when.
    step_index: int
    copied_at: datetime


class AttachmentOut(msgspec.Struct):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int


class DetailActionOut(msgspec.Struct):
    id: uuid.UUID
    action: str
    actor_user_id: uuid.UUID | None
    task_id: uuid.UUID | None
    step_index: int | None
    comment: str | None
    created_at: datetime
    attachments: list[AttachmentOut]


class SummaryFieldOut(msgspec.Struct):
    name: str
    #: The record's value as text (None: empty).
    value: str | None


class InstanceOut(msgspec.Struct):
    id: uuid.UUID
    definition_id: uuid.UUID
    version: int
    record_type: str
    record_id: str
    requester_user_id: uuid.UUID
    status: str
    current_step: int
    created_at: datetime
    finished_at: datetime | None
    tasks: list[TaskOut]


class ActionOut(msgspec.Struct):
    id: uuid.UUID
    action: str
    actor_user_id: uuid.UUID | None
    task_id: uuid.UUID | None
    step_index: int | None
    comment: str | None
    created_at: datetime


class HistoryOut(msgspec.Struct):
    instance: InstanceOut
    actions: list[ActionOut]


class EscalationsOut(msgspec.Struct):
    escalated: int


class InstanceDetailOut(msgspec.Struct):
    """One approval in full, for those who may read it."""

    instance: InstanceOut
    title: str
    record_label: str
    summary: list[SummaryFieldOut]
    actions: list[DetailActionOut]
