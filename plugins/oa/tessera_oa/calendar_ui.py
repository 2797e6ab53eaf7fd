"""What the browser app shows of the calendar, meeting rooms and announcements: menu entries
and the screens of their records. A menu entry is shown only to members holding its
permission. Date windows filter as ``during_from`` and ``during_to`` (what the calendar
view asks for a month)."""

from __future__ import annotations

from tessera.plugin import Field, MenuItem, Resource
from tessera_oa.calendar_models import RESPONSES

USER = "identity.user"
CREATED = Field("created_at", "Created", type="datetime", read_only=True)
UPDATED = Field("updated_at", "Changed", type="datetime", read_only=True)
BY_WINDOW = (("starts_at", "during"),)
STATES = ("draft", "scheduled", "live", "expired")

MENU = (
    MenuItem(
        "Calendar",
        "/oa/events",
        icon="calendar",
        permission="oa.event.read",
        order=50,
        resource="oa.event",
    ),
    MenuItem(
        "Meeting rooms",
        "/oa/rooms",
        icon="home",
        permission="oa.room.read",
        order=51,
        resource="oa.room",
    ),
    MenuItem(
        "Room bookings",
        "/oa/bookings",
        icon="pin",
        permission="oa.room.read",
        order=52,
        resource="oa.booking",
    ),
    MenuItem(
        "Announcements",
        "/oa/announcements",
        icon="bell",
        permission="oa.announcement.read",
        order=53,
        resource="oa.announcement",
    ),
)

EVENT = Resource(
    name="oa.event",
    label="Event",
    endpoint="/api/v1/oa/events",
    fields=(
        Field("title", "Title", required=True),
        Field("starts_at", "Starts", type="datetime", required=True),
        Field("ends_at", "Ends", type="datetime", required=True),
        Field("all_day", "All day", type="bool"),
        Field("location", "Location"),
        Field("room_id", "Meeting room", type="reference", reference="oa.room"),
        Field("description", "Description", type="longtext"),
        Field("organiser_id", "Organiser", type="reference", reference=USER, read_only=True),
        Field("my_response", "My answer", type="enum", options=RESPONSES, read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("title", "starts_at", "ends_at", "location", "organiser_id", "my_response"),
    filters=("starts_at",),
    filter_params=BY_WINDOW,
    form=(
        ("title",),
        ("starts_at", "ends_at", "all_day"),
        ("location", "room_id"),
        ("description",),
    ),
    title_field="title",
    read_permission="oa.event.read",
    write_permission="oa.event.write",
    calendar_by="starts_at",
    sort_fields=("starts_at", "title", "created_at", "updated_at"),
    deletable=True,
    audit_type="oa_event",
)

ROOM = Resource(
    name="oa.room",
    label="Meeting room",
    endpoint="/api/v1/oa/rooms",
    fields=(
        Field("name", "Name", required=True),
        Field("capacity", "Seats", type="number", required=True),
        Field("location", "Location"),
        Field("active", "Takes bookings", type="bool"),
        CREATED,
        UPDATED,
    ),
    list_columns=("name", "capacity", "location", "active"),
    filters=("active",),
    form=(("name", "capacity"), ("location", "active")),
    title_field="name",
    read_permission="oa.room.read",
    write_permission="oa.room.manage",
    search=True,
    sort_fields=("name", "capacity", "created_at"),
    deletable=True,
    audit_type="oa_room",
)

BOOKING = Resource(
    name="oa.booking",
    label="Room booking",
    endpoint="/api/v1/oa/bookings",
    fields=(
        Field("room_id", "Meeting room", type="reference", reference="oa.room", required=True),
        Field("title", "Purpose", required=True),
        Field("starts_at", "Starts", type="datetime", required=True),
        Field("ends_at", "Ends", type="datetime", required=True),
        Field("event_id", "Event", type="reference", reference="oa.event", read_only=True),
        Field("booked_by", "Booked by", type="reference", reference=USER, read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("room_id", "title", "starts_at", "ends_at", "booked_by"),
    filters=("room_id", "starts_at"),
    filter_params=BY_WINDOW,
    form=(("room_id", "title"), ("starts_at", "ends_at")),
    title_field="title",
    read_permission="oa.room.read",
    write_permission="oa.booking.write",
    calendar_by="starts_at",
    sort_fields=("starts_at", "created_at"),
    deletable=True,
    audit_type="oa_room_booking",
)

ANNOUNCEMENT = Resource(
    name="oa.announcement",
    label="Announcement",
    endpoint="/api/v1/oa/announcements",
    fields=(
        Field("title", "Title", required=True),
        Field("body_html", "Text", type="longtext"),
        Field("audience", "Audience", type="enum", options=("everyone", "departments", "roles")),
        Field("pinned", "Pinned", type="bool"),
        Field("publish_at", "Publish at", type="datetime"),
        Field("expires_at", "Expires at", type="datetime"),
        Field("state", "State", type="enum", options=STATES, read_only=True),
        Field("published_at", "Published", type="datetime", read_only=True),
        Field("read_at", "Read at", type="datetime", read_only=True),
        Field("author_id", "Author", type="reference", reference=USER, read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("title", "pinned", "publish_at", "expires_at", "state", "read_at"),
    filters=("state",),
    form=(("title",), ("audience", "pinned"), ("publish_at", "expires_at"), ("body_html",)),
    title_field="title",
    read_permission="oa.announcement.read",
    write_permission="oa.announcement.manage",
    deletable=True,
    audit_type="oa_announcement",
)

RESOURCES = (EVENT, ROOM, BOOKING, ANNOUNCEMENT)
