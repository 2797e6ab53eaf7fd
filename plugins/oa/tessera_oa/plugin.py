"""The OA module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tessera.plugin import (
    BUILTIN_ROLES,
    UI,
    BackgroundJob,
    EventHandler,
    Manifest,
    Permission,
    Schedule,
    hookimpl,
)
from tessera_oa import (
    announcement_notices,
    calendar_notices,
    calendar_translations,
    calendar_ui,
    ui,
)
from tessera_oa.announcement_models import (
    Announcement,
    AnnouncementDepartment,
    AnnouncementRead,
    AnnouncementRole,
)
from tessera_oa.announcement_routes import AnnouncementsController
from tessera_oa.bookings import BookingsController
from tessera_oa.calendar_models import Attendee, Booking, CalendarEvent, Reminder, Room
from tessera_oa.calendar_routes import EventsController
from tessera_oa.departments import DepartmentsController
from tessera_oa.ical import CalendarExportController
from tessera_oa.models import Department, DepartmentMember
from tessera_oa.rooms import RoomsController


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="oa",
        label="Office",
        version="0.1.0",
        api=">=1.0,<2",
        description="Departments, leave, approvals, expenses, announcements, tasks, documents",
    )


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [
        Department,
        DepartmentMember,
        Room,
        CalendarEvent,
        Attendee,
        Reminder,
        Booking,
        Announcement,
        AnnouncementDepartment,
        AnnouncementRole,
        AnnouncementRead,
    ]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [
        DepartmentsController,
        EventsController,
        CalendarExportController,
        RoomsController,
        BookingsController,
        AnnouncementsController,
    ]


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    return [
        Permission(
            "oa.department.read", "See departments and who is in them", default_roles=BUILTIN_ROLES
        ),
        Permission("oa.department.manage", "Create, change and delete departments; place members"),
        # Scoped: a member reaches the events they attend or organise, a team lead (custom role,
        # scope team) their reports' as well, owners and admins every event.
        Permission(
            "oa.event.read", "See calendar events (members: the events they attend or organise)",
            default_roles=BUILTIN_ROLES, scoped=True,
        ),
        Permission(
            "oa.event.write", "Create events; change and cancel the events you organise",
            default_roles=BUILTIN_ROLES, scoped=True,
        ),
        Permission("oa.room.read", "See meeting rooms and their bookings", default_roles=BUILTIN_ROLES),
        Permission("oa.room.manage", "Add, change, retire and delete meeting rooms"),
        Permission(
            "oa.booking.write", "Book meeting rooms; cancel your bookings",
            default_roles=BUILTIN_ROLES, scoped=True,
        ),
        Permission(
            "oa.announcement.read", "Read the announcements addressed to you",
            default_roles=BUILTIN_ROLES,
        ),
        Permission(
            "oa.announcement.manage",
            "Write, publish and delete announcements; see who has read them",
        ),
    ]  # fmt: skip


@hookimpl
def tessera_jobs() -> Sequence[BackgroundJob | Schedule]:
    return [calendar_notices.REMINDERS, announcement_notices.PUBLISHING]


@hookimpl
def tessera_event_handlers() -> Sequence[EventHandler]:
    return [*calendar_notices.HANDLERS, *announcement_notices.HANDLERS]


@hookimpl
def tessera_ui() -> UI:
    return UI(
        menus=(*ui.MENU, *calendar_ui.MENU),
        resources=(ui.DEPARTMENT, *calendar_ui.RESOURCES),
        translations={"zh": {**calendar_translations.ZH}},
    )
