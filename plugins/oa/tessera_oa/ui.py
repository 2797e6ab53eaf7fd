"""What the browser app shows of the office module: its menu and the screens of its records.

A menu entry is shown only to members holding its permission.
"""

from __future__ import annotations

from tessera.plugin import Action, Field, MenuItem, Resource
from tessera_oa.models import LEAVE_STATUSES

USER = "identity.user"
CREATED = Field("created_at", "Created", type="datetime", read_only=True)
UPDATED = Field("updated_at", "Changed", type="datetime", read_only=True)
LEAVE_REQUEST_PERMISSION, LEAVE_READ = "oa.leave.request", "oa.leave.read"
LEAVE_MANAGE = "oa.leave.manage"

MENU = (
    MenuItem(
        "Departments",
        "/oa/departments",
        icon="users",
        permission="oa.department.read",
        order=40,
        resource="oa.department",
    ),
    MenuItem(
        "Leave",
        "/oa/leave",
        icon="calendar",
        permission=LEAVE_READ,
        order=41,
        resource="oa.leave_request",
    ),
    MenuItem(
        "Who is away",
        "/oa/away",
        icon="calendar",
        permission=LEAVE_REQUEST_PERMISSION,
        order=42,
        resource="oa.absence",
    ),
    MenuItem(
        "Leave types",
        "/oa/leave-types",
        icon="settings",
        permission=LEAVE_MANAGE,
        order=43,
        resource="oa.leave_type",
    ),
)

DEPARTMENT = Resource(
    name="oa.department",
    label="Department",
    endpoint="/api/v1/oa/departments",
    fields=(
        Field("name", "Name", required=True),
        Field("parent_id", "Part of", type="reference", reference="oa.department"),
        Field("head_user_id", "Head", type="reference", reference=USER),
        CREATED,
        UPDATED,
    ),
    list_columns=("name", "parent_id", "head_user_id", "updated_at"),
    filters=("parent_id",),
    form=(("name",), ("parent_id", "head_user_id")),
    title_field="name",
    read_permission="oa.department.read",
    write_permission="oa.department.manage",
    search=True,
    sort_fields=("name", "created_at"),
    deletable=True,
    audit_type="oa_department",
)

LEAVE_TYPE = Resource(
    name="oa.leave_type",
    label="Leave type",
    endpoint="/api/v1/oa/leave/types",
    fields=(
        Field("name", "Name", required=True),
        Field("paid", "Paid leave", type="bool"),
        Field("allow_negative", "May go below zero", type="bool"),
        Field("attachment_over_days", "Attachment needed above (days)", type="number"),
        Field("yearly_days", "Days a year", type="number"),
        Field("carry_over_days", "Days carried into next year (at most)", type="number"),
        Field("active", "Active", type="bool"),
        CREATED,
        UPDATED,
    ),
    list_columns=(
        "name",
        "paid",
        "yearly_days",
        "carry_over_days",
        "attachment_over_days",
        "active",
    ),
    filters=("active",),
    form=(
        ("name",),
        ("paid", "allow_negative", "active"),
        ("yearly_days", "carry_over_days"),
        ("attachment_over_days",),
    ),
    title_field="name",
    read_permission=LEAVE_REQUEST_PERMISSION,
    write_permission=LEAVE_MANAGE,
    sort_fields=("name",),
    deletable=True,
    audit_type="oa_leave_type",
)

LEAVE_REQUEST = Resource(
    name="oa.leave_request",
    label="Leave request",
    endpoint="/api/v1/oa/leave/requests",
    fields=(
        Field(
            "leave_type_id",
            "Type",
            type="reference",
            reference="oa.leave_type",
            required=True,
            create_only=True,
        ),
        Field("start_date", "From", type="date", required=True, create_only=True),
        Field("start_half_day", "From noon", type="bool", create_only=True),
        Field("end_date", "To", type="date", required=True, create_only=True),
        Field("end_half_day", "Until noon", type="bool", create_only=True),
        Field("days", "Working days", type="number", read_only=True),
        Field("reason", "Reason", type="longtext", create_only=True),
        Field("attachment_ref", "Attachment (file id or name)", create_only=True),
        Field("status", "Status", type="enum", options=LEAVE_STATUSES, read_only=True),
        Field("user_id", "Who", type="reference", reference=USER, read_only=True),
        CREATED,
    ),
    list_columns=("user_id", "leave_type_id", "start_date", "end_date", "days", "status"),
    filters=("status", "leave_type_id", "user_id", "start_date"),
    form=(
        ("leave_type_id",),
        ("start_date", "start_half_day"),
        ("end_date", "end_half_day"),
        ("reason",),
        ("attachment_ref",),
    ),
    title_field="start_date",
    read_permission=LEAVE_READ,
    write_permission=LEAVE_REQUEST_PERMISSION,
    # A request moves by its own actions (withdraw, cancel) and its approval, never by PATCH.
    editable=False,
    calendar_by="start_date",
    sort_fields=("start_date", "created_at"),
    audit_type="oa_leave_request",
    actions=(
        Action(
            "withdraw",
            "Withdraw",
            "{id}/withdraw",
            LEAVE_REQUEST_PERMISSION,
            when=(("status", ("pending",)),),
            confirm="Withdraw this request?",
        ),
        Action(
            "cancel",
            "Cancel leave",
            "{id}/cancel",
            LEAVE_REQUEST_PERMISSION,
            when=(("status", ("approved",)),),
            confirm="Cancel this approved leave? The days go back to the balance.",
            danger=True,
        ),
    ),
)

ABSENCE = Resource(
    name="oa.absence",
    label="Absence",
    endpoint="/api/v1/oa/leave/absences",
    fields=(
        Field("date", "Day", type="date", read_only=True),
        Field("title", "Who", read_only=True),
        Field("user_id", "Member", type="reference", reference=USER, read_only=True),
        Field("email", "Email", read_only=True),
        Field("leave_type", "Kind", read_only=True),
        Field("half", "Half day", type="enum", options=("am", "pm"), read_only=True),
        Field("status", "Status", type="enum", options=("approved", "pending"), read_only=True),
        Field(
            "department_id",
            "Department",
            type="reference",
            reference="oa.department",
            read_only=True,
        ),
    ),
    list_columns=("date", "user_id", "leave_type", "half", "status"),
    filters=("date", "department_id"),
    title_field="title",
    read_permission=LEAVE_REQUEST_PERMISSION,
    calendar_by="date",
)
