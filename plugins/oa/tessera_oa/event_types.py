"""Every event OA emits, with its payload: what other modules and webhooks can rely on.

Where a payload is built as text (expenses, requests) amounts are exact decimal strings and
times ISO 8601; elsewhere ids are UUIDs (JSON strings on the wire either way).
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, TypedDict

from tessera.plugin import EventType

#: How an approval the engine decided ends for the record; withdrawn: by the requester.
OUTCOMES = ("approved", "rejected", "returned", "withdrawn")


class AnnouncementPublished(TypedDict):
    announcement_id: uuid.UUID
    title: str


class RoomBooked(TypedDict):
    booking_id: uuid.UUID
    room_id: uuid.UUID
    starts_at: datetime


class BookingCancelled(TypedDict):
    booking_id: uuid.UUID
    room_id: uuid.UUID


class CalendarEventCreated(TypedDict):
    event_id: uuid.UUID
    title: str


class CalendarEventUpdated(TypedDict):
    event_id: uuid.UUID


class CalendarEventForAttendees(TypedDict):
    event_id: uuid.UUID
    title: str
    #: The attendees told (the organiser left out).
    user_ids: list[uuid.UUID]


class CalendarEventResponded(TypedDict):
    event_id: uuid.UUID
    user_id: uuid.UUID
    #: accepted, tentative or declined
    response: str


class DepartmentChanged(TypedDict):
    department_id: uuid.UUID


class DepartmentMemberPlaced(TypedDict):
    department_id: uuid.UUID
    user_id: uuid.UUID


class DocumentUploaded(TypedDict):
    document_id: uuid.UUID
    folder_id: uuid.UUID
    name: str
    #: The version's number, 1 for a new document.
    version: int
    file_id: uuid.UUID
    size: int


class DocumentRenamed(TypedDict):
    document_id: uuid.UUID
    name: str


class DocumentMoved(TypedDict):
    document_id: uuid.UUID
    from_folder_id: uuid.UUID
    to_folder_id: uuid.UUID


class DocumentDeleted(TypedDict):
    document_id: uuid.UUID
    folder_id: uuid.UUID
    name: str


class FolderCreated(TypedDict):
    folder_id: uuid.UUID
    parent_id: uuid.UUID | None


class FolderDeleted(TypedDict):
    folder_id: uuid.UUID


class FolderRenamed(TypedDict):
    folder_id: uuid.UUID
    name: str


class FolderMoved(TypedDict):
    folder_id: uuid.UUID
    from_parent_id: uuid.UUID | None
    to_parent_id: uuid.UUID | None


class FolderShare(TypedDict):
    folder_id: uuid.UUID
    share_id: uuid.UUID
    #: Exactly one of user_id, role, role_id and department_id names the grantee.
    user_id: uuid.UUID | None
    role: str | None
    role_id: uuid.UUID | None
    department_id: uuid.UUID | None
    #: read, write or manage
    access: str


class AdvanceFacts(TypedDict):
    advance_id: str
    user_id: str
    amount: str
    currency: str
    purpose: str
    status: str
    approval_id: str | None


class AdvanceConcluded(AdvanceFacts):
    #: Who decided (or withdrew), if a person did.
    by_user_id: str | None


class ClaimAdvance(TypedDict):
    advance_id: str
    amount: str
    currency: str


class ClaimTotal(TypedDict):
    currency: str
    total: str
    advance: str
    net_payable: str
    advance_unused: str


class ClaimCategory(TypedDict):
    category_id: str
    category: str
    currency: str
    amount: str
    #: How many lines of the claim fall in it.
    lines: int


class ClaimFacts(TypedDict):
    claim_id: str
    user_id: str
    title: str
    status: str
    approval_id: str | None
    submitted_at: str | None
    decided_at: str | None
    over_limit: bool
    paid_at: str | None
    paid_by: str | None
    payment_reference: str | None
    advance: ClaimAdvance | None
    #: Per currency: what was spent, the advance set against it and what is left to pay.
    totals: list[ClaimTotal]
    lines_by_category: list[ClaimCategory]


class ClaimConcluded(ClaimFacts):
    by_user_id: str | None


class LeaveFacts(TypedDict):
    request_id: uuid.UUID
    user_id: uuid.UUID
    leave_type_id: uuid.UUID
    start_date: str
    end_date: str
    days: Decimal
    approval_id: uuid.UUID | None


class LeaveConcluded(LeaveFacts):
    by_user_id: uuid.UUID | None


class LeaveYearRolled(TypedDict):
    year: int
    #: Allocations opened for the new year.
    allocations: int
    carried_days: Decimal


class HolidaysImported(TypedDict):
    dates: int
    #: ics or csv
    format: str


class ProjectChanged(TypedDict):
    project_id: uuid.UUID


class ProjectMemberAdded(TypedDict):
    project_id: uuid.UUID
    user_id: uuid.UUID
    role: str


class ProjectMemberRemoved(TypedDict):
    project_id: uuid.UUID
    user_id: uuid.UUID


class RequestFacts(TypedDict):
    request_id: str
    form_id: str
    form_name: str
    requester_id: str | None
    title: str
    #: The form's fields as filled in, by field key.
    values: dict[str, Any]
    amount: str | None
    status: str
    approval_id: str | None
    submitted_at: str | None
    decided_at: str | None


class RequestConcluded(RequestFacts):
    by_user_id: str | None


class TaskCreated(TypedDict):
    task_id: uuid.UUID
    project_id: uuid.UUID | None
    parent_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    #: The record the task was made from (``crm.ticket``), if any.
    source_record_type: str | None
    source_record_id: str | None


class TaskAssigned(TypedDict):
    task_id: uuid.UUID
    assignee_id: uuid.UUID | None
    by_user_id: uuid.UUID | None


class TaskCommented(TypedDict):
    task_id: uuid.UUID
    comment_id: uuid.UUID
    mentioned_user_ids: list[uuid.UUID]


class TaskMoved(TypedDict):
    task_id: uuid.UUID
    status: str


class TaskDeleted(TypedDict):
    task_id: uuid.UUID


def _outcomes(record: str, label: str, payload: type) -> tuple[EventType, ...]:
    return tuple(
        EventType(f"oa.{record}.{outcome}", f"{label} was {outcome}", payload)
        for outcome in OUTCOMES
    )


EVENT_TYPES: tuple[EventType, ...] = (
    EventType(
        "oa.announcement.published",
        "An announcement was published to its audience",
        AnnouncementPublished,
    ),
    EventType("oa.room.booked", "A meeting room was booked", RoomBooked),
    EventType("oa.booking.cancelled", "A room booking was cancelled", BookingCancelled),
    EventType("oa.event.created", "A calendar event was created", CalendarEventCreated),
    EventType("oa.event.updated", "A calendar event was changed", CalendarEventUpdated),
    EventType(
        "oa.event.invited", "People were invited to a calendar event", CalendarEventForAttendees
    ),
    EventType("oa.event.cancelled", "A calendar event was cancelled", CalendarEventForAttendees),
    EventType("oa.event.responded", "An attendee answered an invitation", CalendarEventResponded),
    EventType("oa.department.created", "A department was created", DepartmentChanged),
    EventType("oa.department.deleted", "A department was deleted", DepartmentChanged),
    EventType(
        "oa.department.member_placed",
        "A member was placed in a department (or moved to another)",
        DepartmentMemberPlaced,
    ),
    EventType("oa.document.uploaded", "A new document was uploaded", DocumentUploaded),
    EventType(
        "oa.document.version_added", "A new version of a document was uploaded", DocumentUploaded
    ),
    EventType("oa.document.renamed", "A document was renamed", DocumentRenamed),
    EventType("oa.document.moved", "A document was moved to another folder", DocumentMoved),
    EventType("oa.document.deleted", "A document went to the recycle bin", DocumentDeleted),
    EventType("oa.folder.created", "A folder was created", FolderCreated),
    EventType("oa.folder.renamed", "A folder was renamed", FolderRenamed),
    EventType("oa.folder.moved", "A folder was moved under another", FolderMoved),
    EventType("oa.folder.deleted", "A folder went to the recycle bin", FolderDeleted),
    EventType("oa.folder.shared", "A folder was shared with someone", FolderShare),
    EventType("oa.folder.share_changed", "The access a share gives was changed", FolderShare),
    EventType("oa.folder.unshared", "A folder's share was removed", FolderShare),
    EventType("oa.expense.submitted", "An expense claim was submitted", ClaimFacts),
    EventType("oa.expense.paid", "An approved expense claim was paid", ClaimFacts),
    *_outcomes("expense", "An expense claim", ClaimConcluded),
    EventType("oa.expense_advance.submitted", "An expense advance was requested", AdvanceFacts),
    EventType("oa.expense_advance.paid", "An approved expense advance was paid", AdvanceFacts),
    *_outcomes("expense_advance", "An expense advance", AdvanceConcluded),
    EventType("oa.leave.requested", "A leave request was submitted", LeaveFacts),
    *_outcomes("leave", "A leave request", LeaveConcluded),
    EventType(
        "oa.leave.cancelled", "Approved leave was cancelled before it was taken", LeaveConcluded
    ),
    EventType(
        "oa.leave.year_rolled",
        "Leave allocations of a new year were opened, with days carried over",
        LeaveYearRolled,
    ),
    EventType("oa.holiday.imported", "Public holidays were imported from a file", HolidaysImported),
    EventType("oa.project.created", "A project was created", ProjectChanged),
    EventType("oa.project.deleted", "A project went to the recycle bin", ProjectChanged),
    EventType("oa.project.member_added", "A member joined a project", ProjectMemberAdded),
    EventType("oa.project.member_removed", "A member left a project", ProjectMemberRemoved),
    EventType("oa.request.submitted", "A request on a custom form was submitted", RequestFacts),
    *_outcomes("request", "A request", RequestConcluded),
    EventType("oa.task.created", "A task was created (perhaps from a CRM ticket)", TaskCreated),
    EventType("oa.task.assigned", "A task was given to someone", TaskAssigned),
    EventType("oa.task.commented", "Someone commented on a task", TaskCommented),
    EventType("oa.task.completed", "A task was done", TaskMoved),
    EventType("oa.task.cancelled", "A task was cancelled", TaskMoved),
    EventType("oa.task.reopened", "A done or cancelled task was opened again", TaskMoved),
    EventType("oa.task.deleted", "A task went to the recycle bin", TaskDeleted),
)
