"""The OA module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    BUILTIN_ROLES,
    UI,
    Actor,
    Approvable,
    BackgroundJob,
    EventHandler,
    EventType,
    Manifest,
    ModuleContext,
    Permission,
    Schedule,
    TimelineCursor,
    TimelineEntry,
    WorkflowTemplate,
    hookimpl,
)
from tessera_oa import (
    announcement_notices,
    approval_reports,
    calendar_notices,
    calendar_translations,
    calendar_ui,
    documents_translations,
    documents_ui,
    event_types,
    expense_approval,
    expense_permissions,
    expense_translations,
    expense_ui,
    leave_approval,
    leave_reports,
    reports_ui,
    request_approval,
    request_permissions,
    request_translations,
    request_ui,
    task_access,
    tasks_translations,
    tasks_ui,
    ticket_tasks,
    translations,
    ui,
)
from tessera_oa.announcement_models import (
    Announcement,
    AnnouncementDepartment,
    AnnouncementRead,
    AnnouncementRole,
)
from tessera_oa.announcement_routes import AnnouncementsController
from tessera_oa.approval_reports import ApprovalReportsController
from tessera_oa.bookings import BookingsController
from tessera_oa.calendar_models import Attendee, Booking, CalendarEvent, Reminder, Room
from tessera_oa.calendar_routes import EventsController
from tessera_oa.departments import DepartmentsController
from tessera_oa.document_versions import DocumentVersionsController
from tessera_oa.documents import DocumentsController
from tessera_oa.documents_models import Document, DocumentVersion, Folder, FolderShare
from tessera_oa.expense_advances import AdvancesController
from tessera_oa.expense_categories import CategoriesController
from tessera_oa.expense_claim_routes import ClaimsController
from tessera_oa.expense_line_routes import LinesController, ReceiptsController
from tessera_oa.expense_models import ExpenseAdvance, ExpenseCategory, ExpenseClaim, ExpenseLine
from tessera_oa.expense_reports import ExpenseReportsController
from tessera_oa.folder_shares import FolderSharesController
from tessera_oa.folders import FoldersController
from tessera_oa.ical import CalendarExportController
from tessera_oa.leave_allocations import YEAR_END, LeaveAllocationsController
from tessera_oa.leave_calendar import LeaveCalendarController
from tessera_oa.leave_reports import LeaveReportsController
from tessera_oa.leave_requests import LeaveRequestsController
from tessera_oa.leave_types import LeaveTypesController, seed_leave_types
from tessera_oa.models import (
    Department,
    DepartmentMember,
    Holiday,
    LeaveAllocation,
    LeaveRequest,
    LeaveSettings,
    LeaveType,
    LeaveYearEnd,
)
from tessera_oa.project_members import ProjectMembersController
from tessera_oa.projects import ProjectsController
from tessera_oa.request_form_routes import RequestFormsController
from tessera_oa.request_models import OaRequest, RequestFile, RequestForm
from tessera_oa.request_routes import RequestFilesController, RequestsController
from tessera_oa.rooms import RoomsController
from tessera_oa.task_checklist import ChecklistController
from tessera_oa.task_comments import CommentsController
from tessera_oa.task_models import ChecklistItem, Project, ProjectMember, Task, TaskComment
from tessera_oa.task_routes import TasksController
from tessera_oa.team_calendar import TeamCalendarController


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="oa",
        label="Office",
        version="0.1.0",
        api=">=1.1,<2",
        description="Departments, leave, approvals, expenses, announcements, tasks, documents",
    )


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [
        Department,
        DepartmentMember,
        LeaveType,
        LeaveAllocation,
        LeaveRequest,
        LeaveSettings,
        Holiday,
        LeaveYearEnd,
        Room,
        CalendarEvent,
        Attendee,
        Reminder,
        Booking,
        Announcement,
        AnnouncementDepartment,
        AnnouncementRole,
        AnnouncementRead,
        ExpenseCategory,
        ExpenseAdvance,
        ExpenseClaim,
        ExpenseLine,
        Folder,
        FolderShare,
        Document,
        DocumentVersion,
        Project,
        ProjectMember,
        Task,
        ChecklistItem,
        TaskComment,
        RequestForm,
        OaRequest,
        RequestFile,
    ]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [
        DepartmentsController,
        LeaveTypesController,
        LeaveCalendarController,
        LeaveAllocationsController,
        LeaveRequestsController,
        TeamCalendarController,
        EventsController,
        CalendarExportController,
        RoomsController,
        BookingsController,
        AnnouncementsController,
        CategoriesController,
        ClaimsController,
        LinesController,
        ReceiptsController,
        AdvancesController,
        ExpenseReportsController,
        LeaveReportsController,
        ApprovalReportsController,
        FoldersController,
        FolderSharesController,
        DocumentsController,
        DocumentVersionsController,
        ProjectsController,
        ProjectMembersController,
        TasksController,
        ChecklistController,
        CommentsController,
        RequestFormsController,
        RequestFilesController,
        RequestsController,
    ]


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    return [
        Permission(
            "oa.department.read", "See departments and who is in them", default_roles=BUILTIN_ROLES
        ),
        Permission("oa.department.manage", "Create, change and delete departments; place members"),
        Permission(
            "oa.leave.request",
            "Ask for leave, withdraw or cancel your own; see who is away",
            default_roles=BUILTIN_ROLES,
        ),
        # Scoped: members see their own requests and balances, admins everyone's; a custom
        # role can give a manager their team's.
        Permission(
            "oa.leave.read",
            "See leave requests and balances",
            default_roles=BUILTIN_ROLES,
            scoped=True,
        ),
        Permission(
            "oa.leave.manage",
            "Set leave types, allocations and the holiday calendar; roll the year; cancel anyone's leave",
        ),
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
        *expense_permissions.PERMISSIONS,
        reports_ui.PERMISSION,
        # What a member may do in a folder is its shares' business (tessera_oa.document_access);
        # this only lets them into the document store at all.
        Permission(
            "oa.document.read",
            "See the folders shared with you; upload, rename, move and delete documents where a "
            "share lets you write",
            default_roles=BUILTIN_ROLES,
        ),
        Permission(
            "oa.document.manage",
            "Manage every folder and document: lay out top-level folders, share, move and delete "
            "anything",
        ),
        Permission(
            "oa.document.restore",
            "Bring back deleted folders and documents (members: those they deleted)",
            default_roles=BUILTIN_ROLES,
            scoped=True,
        ),
        *task_access.PERMISSIONS,
        *request_permissions.PERMISSIONS,
    ]  # fmt: skip


@hookimpl
def tessera_jobs() -> Sequence[BackgroundJob | Schedule]:
    return [YEAR_END, calendar_notices.REMINDERS, announcement_notices.PUBLISHING]


@hookimpl
def tessera_workflows() -> Sequence[Approvable | WorkflowTemplate]:
    return [
        leave_approval.LEAVE_REQUEST,
        leave_approval.LEAVE_APPROVAL,
        expense_approval.CLAIM,
        expense_approval.ADVANCE,
        expense_approval.CLAIM_APPROVAL,
        expense_approval.ADVANCE_APPROVAL,
        request_approval.REQUEST,
        request_approval.REQUEST_APPROVAL,
    ]


@hookimpl
def tessera_event_types() -> Sequence[EventType]:
    return event_types.EVENT_TYPES


@hookimpl
def tessera_event_handlers() -> Sequence[EventHandler]:
    return [
        *leave_approval.HANDLERS,
        *calendar_notices.HANDLERS,
        *announcement_notices.HANDLERS,
        *expense_approval.HANDLERS,
        *ticket_tasks.HANDLERS,
        *request_approval.HANDLERS,
    ]


@hookimpl
def tessera_ui() -> UI:
    return UI(
        menus=(
            *ui.MENU,
            *reports_ui.MENU,
            *calendar_ui.MENU,
            *expense_ui.MENU,
            *request_ui.MENU,
            *documents_ui.MENU,
            *tasks_ui.MENU,
        ),
        resources=(
            ui.DEPARTMENT,
            ui.LEAVE_TYPE,
            ui.LEAVE_REQUEST,
            ui.ABSENCE,
            *calendar_ui.RESOURCES,
            *expense_ui.RESOURCES,
            *documents_ui.RESOURCES,
            *tasks_ui.RESOURCES,
            *request_ui.RESOURCES,
        ),
        dashboards=(reports_ui.DASHBOARD, expense_ui.DASHBOARD),
        # What the report routes answer with, translated there through ``texts``.
        messages=(*leave_reports.MESSAGES, *approval_reports.MESSAGES),
        translations={
            "zh": {
                **translations.ZH,
                **calendar_translations.ZH,
                **expense_translations.ZH,
                **documents_translations.ZH,
                **tasks_translations.ZH,
                **request_translations.ZH,
            }
        },
    )


@hookimpl
async def tessera_on_enable(module: ModuleContext) -> None:
    if module.first_time:
        await seed_leave_types(module.db, module.tenant_id)


@hookimpl
async def tessera_timeline(
    db: AsyncSession,
    actor: Actor,
    record_type: str,
    record_id: str,
    before: TimelineCursor | None,
    limit: int,
) -> Sequence[TimelineEntry]:
    return await ticket_tasks.timeline(db, actor, record_type, record_id, before, limit)
