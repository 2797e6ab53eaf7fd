"""Every event type there is: the platform's own, and those each installed plugin declares.

``emit`` checks against it, webhook subscriptions name types from it, and the docs' event
catalogue and ``GET /api/v1/events/types`` are made from it: the catalogue is the code.
"""

import uuid
from collections.abc import Collection, Mapping
from functools import cache
from typing import TYPE_CHECKING, TypedDict

from tessera.events.types import EventType

if TYPE_CHECKING:
    from tessera.modules.registry import PluginRegistry


class ModuleSwitched(TypedDict):
    #: The plugin's name (``crm``).
    module: str


class MemberInvited(TypedDict):
    invitation_id: uuid.UUID
    email: str
    role: str


class MemberJoined(TypedDict):
    membership_id: uuid.UUID
    user_id: uuid.UUID
    role: str


class JobRequested(TypedDict):
    job_id: uuid.UUID
    kind: str


class JobFinished(TypedDict):
    job_id: uuid.UUID
    kind: str
    requested_by: uuid.UUID | None


class DeadLettered(TypedDict):
    event_id: uuid.UUID
    event_type: str
    #: ``<module>:<handler name>``
    handler: str


class WebhookPaused(TypedDict):
    endpoint_id: uuid.UUID
    url: str
    reason: str | None


class ApprovalEvent(TypedDict):
    """What every approval event carries: the instance and the record it is about."""

    instance_id: uuid.UUID
    record_type: str
    record_id: str
    requester_user_id: uuid.UUID


class ApprovalSubmitted(ApprovalEvent):
    version: int


class ApprovalTaskRequested(ApprovalEvent):
    task_id: uuid.UUID
    assignee_user_id: uuid.UUID
    step_index: int
    step_name: str


class ApprovalCopied(ApprovalEvent):
    user_ids: list[uuid.UUID]
    step_index: int
    step_name: str


class ApprovalStepCompleted(ApprovalEvent):
    step_index: int
    step_name: str


class ApprovalTaskEnded(ApprovalEvent):
    task_id: uuid.UUID
    comment: str | None


class ApprovalHandedOn(ApprovalEvent):
    task_id: uuid.UUID
    new_task_id: uuid.UUID
    to_user_id: uuid.UUID


class ApprovalCommented(ApprovalEvent):
    task_id: uuid.UUID


def _approval(what: str, description: str, payload: type) -> EventType:
    return EventType(f"tessera.approval.{what}", description, payload)


CORE_EVENT_TYPES: tuple[EventType, ...] = (
    EventType("tessera.module.enabled", "A tenant's admin switched a module on", ModuleSwitched),
    EventType("tessera.module.disabled", "A tenant's admin switched a module off", ModuleSwitched),
    EventType("tessera.member.invited", "Someone was invited to join the tenant", MemberInvited),
    EventType("tessera.member.joined", "An invited person accepted and is a member", MemberJoined),
    EventType("tessera.job.requested", "A background job was started", JobRequested),
    EventType("tessera.job.succeeded", "A background job finished without error", JobFinished),
    EventType("tessera.job.failed", "A background job ended with an error", JobFinished),
    EventType(
        "tessera.event.dead_lettered",
        "An event handler failed on every retry; the delivery waits in the dead-letter list",
        DeadLettered,
    ),
    EventType(
        "tessera.webhook.paused",
        "A webhook endpoint kept failing and was paused until an admin resumes it",
        WebhookPaused,
    ),
    _approval("submitted", "A record was submitted for approval", ApprovalSubmitted),
    _approval("requested", "An approval step asks a person to decide", ApprovalTaskRequested),
    _approval("copied", "People were copied on an approval step", ApprovalCopied),
    _approval("step_completed", "An approval step was completed", ApprovalStepCompleted),
    _approval("approved", "The last step approved: the record is approved", ApprovalEvent),
    _approval("rejected", "An approver rejected the record", ApprovalTaskEnded),
    _approval("returned", "An approver returned the record for changes", ApprovalTaskEnded),
    _approval("delegated", "An approver handed the task to someone else", ApprovalHandedOn),
    _approval("escalated", "An overdue task was escalated to someone else", ApprovalHandedOn),
    _approval("commented", "Someone commented on an approval", ApprovalCommented),
    _approval("cancelled", "The approval was withdrawn or cancelled", ApprovalEvent),
)


def declared_event_types(registry: "PluginRegistry") -> Mapping[str, EventType]:
    """The platform's event types and every loaded plugin's, by name."""
    found = {event_type.name: event_type for event_type in CORE_EVENT_TYPES}
    found.update({event_type.name: event_type for _, event_type in registry.event_types()})
    return found


@cache
def known_event_types() -> Mapping[str, EventType]:
    """The event types of this process: the core's and its installed plugins' (found once)."""
    # Imported here: the registry loads plugins, which import this package.
    from tessera.modules.registry import installed_plugins

    return declared_event_types(installed_plugins())


def visible_event_types(modules: Collection[str]) -> dict[str, EventType]:
    """What a tenant with these modules switched on can hear of: the core's and theirs."""
    from tessera.modules.registry import installed_plugins

    found = {event_type.name: event_type for event_type in CORE_EVENT_TYPES}
    found.update(
        {
            event_type.name: event_type
            for module, event_type in installed_plugins().event_types()
            if module in modules
        }
    )
    return found
