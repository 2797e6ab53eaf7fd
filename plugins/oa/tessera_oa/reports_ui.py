"""The office's reports dashboard: leave taken per type and per department, and how long
approvals take per record type and step."""

from __future__ import annotations

from tessera.plugin import Dashboard, MenuItem, Metric, Permission
from tessera_oa.approval_reports import REPORT_READ
from tessera_oa.leave_balances import READ as LEAVE_READ

TAKEN = "/api/v1/oa/leave/reports/taken"

PERMISSION = Permission(
    REPORT_READ, "See the office's reports across everyone: how long approvals take"
)

MENU = (
    MenuItem(
        "Office reports",
        "/oa/reports",
        icon="bar-chart",
        permission=LEAVE_READ,
        order=44,
        dashboard="oa.office",
    ),
)

DASHBOARD = Dashboard(
    name="oa.office",
    label="Office reports",
    order=40,
    metrics=(
        Metric(
            "oa.leave_by_type",
            "Leave taken per type",
            TAKEN,
            LEAVE_READ,
            display="bar",
            period="this_year",
            params=(("by", "type"),),
        ),
        Metric(
            "oa.leave_by_department",
            "Leave taken per department",
            TAKEN,
            LEAVE_READ,
            display="bar",
            period="this_year",
            params=(("by", "department"),),
        ),
        Metric(
            "oa.approval_turnaround",
            "Approval turnaround (hours)",
            "/api/v1/oa/reports/approval-turnaround",
            REPORT_READ,
            display="bar",
            period="last_90_days",
        ),
    ),
)
