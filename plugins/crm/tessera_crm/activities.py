"""Activities: calls, emails, meetings, notes and tasks about a CRM record, with due dates (the
calendar) and reminders. Mounted under /api/v1/crm/activities."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    Input,
    Invalid,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    requires,
)
from tessera_crm.accounts import OwnerFilter
from tessera_crm.models import ACTIVITY_KINDS, Activity
from tessera_crm.record_types import RECORD_TYPES, checked_record, worked_on
from tessera_crm.records import checked_owner, choice, get_visible, page_query

READ, WRITE = "crm.activity.read", "crm.activity.write"
SORTING = Sorting(
    {
        "due_at": Activity.due_at,
        "remind_at": Activity.remind_at,
        "created_at": Activity.created_at,
        "updated_at": Activity.updated_at,
    },
    Activity.id,
)

Kind = Annotated[str, msgspec.Meta(pattern=choice(ACTIVITY_KINDS))]
Subject = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Body = Annotated[str, msgspec.Meta(max_length=10_000)]
#: A moment with its offset: "2027-03-01T09:00:00Z". A time without one would be a guess.
Moment = Annotated[datetime, msgspec.Meta(tz=True)]
KindFilter = Annotated[str | None, QueryParameter(pattern=choice(ACTIVITY_KINDS))]
RecordTypeFilter = Annotated[
    str | None, QueryParameter(max_length=20, description="With record_id: one record's")
]
RecordFilter = Annotated[uuid.UUID | None, QueryParameter(description="With record_type")]
StatusFilter = Annotated[
    str | None, QueryParameter(pattern=r"^(open|done)$", description="Not done yet, or done")
]
DueFrom = Annotated[
    datetime | None, QueryParameter(description="Due at or after this moment (calendar)")
]
DueTo = Annotated[datetime | None, QueryParameter(description="Due before this moment (calendar)")]


class ActivityIn(Input):
    kind: Kind
    subject: Subject
    #: One of account, contact, deal, ticket, lead; with the record's id. Logging work on a lead
    #: counts as touching it (the lead pool's clock restarts).
    record_type: Annotated[str, msgspec.Meta(max_length=20)]
    record_id: uuid.UUID
    body: Body = ""
    due_at: Moment | None = None
    #: When to remind the owner (once; a changed time reminds again).
    remind_at: Moment | None = None
    #: A member of the tenant; default: whoever logs it.
    owner_id: uuid.UUID | None = None


class ActivityPatch(Input):
    kind: Kind | None = None
    subject: Subject | None = None
    body: Body | None = None
    #: null clears it.
    due_at: Moment | msgspec.UnsetType | None = msgspec.UNSET
    remind_at: Moment | msgspec.UnsetType | None = msgspec.UNSET
    owner_id: uuid.UUID | None = None


class ActivityOut(msgspec.Struct):
    id: uuid.UUID
    kind: str
    subject: str
    body: str
    record_type: str
    record_id: uuid.UUID
    account_id: uuid.UUID | None
    due_at: datetime | None
    done_at: datetime | None
    remind_at: datetime | None
    reminded_at: datetime | None
    owner_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


def activity_out(activity: Activity) -> ActivityOut:
    return msgspec.convert(activity, ActivityOut, from_attributes=True)


async def get_activity(uow: Uow, actor: Actor, activity_id: uuid.UUID, permission: str) -> Activity:
    return await get_visible(uow, actor, Activity, activity_id, permission)


def _aware(field: str, moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        raise Invalid(field, "needs a UTC offset, e.g. 2027-03-01T09:00:00Z")
    return moment


class ActivitiesController(Controller):
    path = "/activities"
    tags = ["crm"]

    @get(
        "/", summary="Activities you may see; the calendar asks for a due range", opt=requires(READ)
    )
    async def list_activities(
        self,
        actor: Member,
        uow: Uow,
        record_type: RecordTypeFilter = None,
        record_id: RecordFilter = None,
        kind: KindFilter = None,
        owner: OwnerFilter = None,
        status: StatusFilter = None,
        due_from: DueFrom = None,
        due_to: DueTo = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[ActivityOut]:
        page = page_query(
            Activity,
            actor,
            READ,
            sorting=SORTING,
            owner=owner,
            q=None,
            sort=sort,
            limit=limit,
            cursor=cursor,
        )
        query = page.query
        if (record_type is None) != (record_id is None):
            raise Invalid(
                "record_id" if record_id is None else "record_type", "goes with the other"
            )
        if record_type is not None:
            if record_type not in RECORD_TYPES:
                raise Invalid("record_type", f"is one of {', '.join(RECORD_TYPES)}")
            query = query.where(
                Activity.record_type == record_type, Activity.record_id == record_id
            )
        if kind:
            query = query.where(Activity.kind == kind)
        if status == "open":
            query = query.where(Activity.done_at.is_(None))
        elif status == "done":
            query = query.where(Activity.done_at.is_not(None))
        start, end = _aware("due_from", due_from), _aware("due_to", due_to)
        if start is not None and end is not None and end <= start:
            raise Invalid("due_to", "must be later than due_from")
        if start is not None:
            query = query.where(Activity.due_at >= start)
        if end is not None:
            query = query.where(Activity.due_at < end)
        rows = list((await uow.db.execute(query)).scalars())
        return page.of(rows, activity_out)

    @post("/", status_code=HTTP_201_CREATED, summary="Log an activity", opt=requires(WRITE))
    async def create(self, data: JSONBody[ActivityIn], actor: Member, uow: Uow) -> ActivityOut:
        activity = Activity(
            tenant_id=actor.tenant,
            kind=data.kind,
            subject=data.subject.strip(),
            body=data.body,
            record_type=data.record_type,
            record_id=data.record_id,
            account_id=await checked_record(uow, actor, data.record_type, data.record_id),
            due_at=data.due_at,
            remind_at=data.remind_at,
            owner_id=await checked_owner(uow, actor, data.owner_id),
        )
        uow.db.add(activity)
        await uow.db.flush()
        await worked_on(uow, activity.record_type, activity.record_id)
        await uow.db.refresh(activity)
        return activity_out(activity)

    @get("/{activity_id:uuid}", summary="One activity", opt=requires(READ))
    async def get_one(
        self, activity_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> ActivityOut:
        return activity_out(await get_activity(uow, actor, activity_id, READ))

    @patch("/{activity_id:uuid}", summary="Change an activity", opt=requires(WRITE))
    async def change(
        self,
        activity_id: FromPath[uuid.UUID],
        data: JSONBody[ActivityPatch],
        actor: Member,
        uow: Uow,
    ) -> ActivityOut:
        activity = await get_activity(uow, actor, activity_id, WRITE)
        if data.kind is not None:
            activity.kind = data.kind
        if data.subject is not None:
            activity.subject = data.subject.strip()
        if data.body is not None:
            activity.body = data.body
        if data.due_at is not msgspec.UNSET:
            activity.due_at = data.due_at
        if data.remind_at is not msgspec.UNSET and data.remind_at != activity.remind_at:
            # A new time is a new reminder, even if the old one went out.
            activity.remind_at, activity.reminded_at = data.remind_at, None
        if data.owner_id is not None:
            activity.owner_id = await checked_owner(uow, actor, data.owner_id)
        await uow.db.flush()
        await uow.db.refresh(activity)
        return activity_out(activity)

    @post(
        "/{activity_id:uuid}/complete",
        status_code=HTTP_200_OK,
        summary="Mark the activity done",
        opt=requires(WRITE),
    )
    async def complete(
        self, activity_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> ActivityOut:
        activity = await get_activity(uow, actor, activity_id, WRITE)
        if activity.done_at is not None:
            raise Conflict("The activity is done already.")
        activity.done_at = datetime.now(UTC)
        await uow.db.flush()
        await worked_on(uow, activity.record_type, activity.record_id)
        await uow.db.refresh(activity)
        return activity_out(activity)

    @delete(
        "/{activity_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete an activity (to the recycle bin)",
        opt=requires(WRITE),
    )
    async def remove(self, activity_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await uow.db.delete(await get_activity(uow, actor, activity_id, WRITE))
        await uow.db.flush()
