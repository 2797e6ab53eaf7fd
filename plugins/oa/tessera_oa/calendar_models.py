"""The calendar's tables: meeting rooms, events with attendees and reminders, room bookings."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, member_fk, tenant_fk, tenant_unique

#: What an attendee said: nothing yet (``needs_action``, iCalendar's NEEDS-ACTION), or one of
#: the three answers.
RESPONSES = ("needs_action", "accepted", "declined", "tentative")
#: The span a row occupies, half-open: a meeting ending at 10:00 and one starting then meet.
SPAN = "tstzrange(starts_at, ends_at, '[)')"


class Room(TenantModel, Timestamps):
    """A meeting room. A retired room (``active`` false) keeps its bookings but takes no more."""

    __tablename__ = "oa_room"
    __recycle_permission__ = "oa.room.manage"
    __table_args__ = (
        tenant_unique("name"),
        CheckConstraint("capacity > 0", name="capacity"),
    )

    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class CalendarEvent(TenantModel, Timestamps):
    """A meeting or appointment on the calendars of its attendees.

    An all-day event spans whole days, stored as midnights UTC (iCalendar's floating dates):
    ``starts_at`` the first day, ``ends_at`` the day after the last.
    """

    __tablename__ = "oa_event"
    __recycle_permission__ = "oa.event.write"
    __table_args__ = (
        # Leaving the tenant leaves the organiser's events without one; admins still reach them.
        member_fk("organiser_id", ondelete="SET NULL"),
        CheckConstraint("ends_at > starts_at", name="span"),
        # The calendars ask "what overlaps this month": one GiST search per tenant.
        Index("ix_oa_event_span", "tenant_id", text(SPAN), postgresql_using="gist"),
        Index("ix_oa_event_organiser", "tenant_id", "organiser_id"),
    )

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    all_day: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    location: Mapped[str] = mapped_column(String(200), default="")
    organiser_id: Mapped[uuid.UUID | None]


class Attendee(TenantModel):
    """A member invited to an event, with their answer. The organiser is one, accepted."""

    __tablename__ = "oa_event_attendee"
    # Part of its event: binned and restored with it, never on its own.
    __recycle__ = False
    __table_args__ = (
        tenant_fk("event_id", "oa_event", ondelete="CASCADE"),
        member_fk("user_id", ondelete="CASCADE"),
        tenant_unique("event_id", "user_id"),
        CheckConstraint(
            "response IN ('needs_action', 'accepted', 'declined', 'tentative')", name="response"
        ),
        # "My calendar": the events one member attends.
        Index("ix_oa_event_attendee_user", "tenant_id", "user_id", "event_id"),
    )

    event_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID]
    response: Mapped[str] = mapped_column(String(20), default="needs_action")
    responded_at: Mapped[datetime | None]


class Reminder(TenantModel):
    """A reminder of an event to its attendees, ``minutes_before`` it starts; sent once."""

    __tablename__ = "oa_event_reminder"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("event_id", "oa_event", ondelete="CASCADE"),
        tenant_unique("event_id", "minutes_before"),
        CheckConstraint("minutes_before BETWEEN 0 AND 40320", name="minutes_before"),
        # The schedule's question each minute: which reminders are due and unsent.
        Index(
            "ix_oa_event_reminder_due", "tenant_id", "remind_at", postgresql_where="sent_at IS NULL"
        ),
    )

    event_id: Mapped[uuid.UUID]
    minutes_before: Mapped[int] = mapped_column(Integer)
    remind_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class Booking(TenantModel, Timestamps):
    """A room taken for a span of time, on its own or for an event.

    Two bookings of one room never overlap: the database's exclusion constraint refuses the
    second, however many requests race for the slot.
    """

    __tablename__ = "oa_room_booking"
    __recycle_permission__ = "oa.booking.write"
    __table_args__ = (
        tenant_fk("room_id", "oa_room", ondelete="CASCADE"),
        tenant_fk("event_id", "oa_event", ondelete="CASCADE"),
        member_fk("booked_by", ondelete="SET NULL"),
        tenant_unique("event_id"),
        CheckConstraint("ends_at > starts_at", name="span"),
        ExcludeConstraint(
            ("tenant_id", "="),
            ("room_id", "="),
            (text(SPAN), "&&"),
            using="gist",
            name="ex_oa_room_booking_no_overlap",
        ),
        Index("ix_oa_room_booking_booked_by", "tenant_id", "booked_by"),
    )

    room_id: Mapped[uuid.UUID]
    event_id: Mapped[uuid.UUID | None]
    booked_by: Mapped[uuid.UUID | None]
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
