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
    Manifest,
    ModuleContext,
    Permission,
    Schedule,
    TimelineCursor,
    TimelineEntry,
    WorkflowTemplate,
    hookimpl,
)
from tessera_oa import leave_approval, task_access, tasks_translations, tasks_ui, ticket_tasks, ui
from tessera_oa.departments import DepartmentsController
from tessera_oa.leave_allocations import YEAR_END, LeaveAllocationsController
from tessera_oa.leave_calendar import LeaveCalendarController
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
        api=">=1.0,<2",
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
        Project,
        ProjectMember,
        Task,
        ChecklistItem,
        TaskComment,
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
        ProjectsController,
        ProjectMembersController,
        TasksController,
        ChecklistController,
        CommentsController,
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
        *task_access.PERMISSIONS,
    ]


@hookimpl
def tessera_jobs() -> Sequence[BackgroundJob | Schedule]:
    return [YEAR_END]


@hookimpl
def tessera_workflows() -> Sequence[Approvable | WorkflowTemplate]:
    return [leave_approval.LEAVE_REQUEST, leave_approval.LEAVE_APPROVAL]


@hookimpl
def tessera_event_handlers() -> Sequence[EventHandler]:
    return [*leave_approval.HANDLERS, *ticket_tasks.HANDLERS]


@hookimpl
def tessera_ui() -> UI:
    return UI(
        menus=(*ui.MENU, *tasks_ui.MENU),
        resources=(ui.DEPARTMENT, ui.LEAVE_TYPE, ui.LEAVE_REQUEST, ui.ABSENCE, *tasks_ui.RESOURCES),
        translations={"zh": {**tasks_translations.ZH}},
    )


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


@hookimpl
async def tessera_on_enable(module: ModuleContext) -> None:
    if module.first_time:
        await seed_leave_types(module.db, module.tenant_id)
