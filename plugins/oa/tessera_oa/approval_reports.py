"""How long the office's approvals take, for OA's dashboard: the platform's turnaround figures
(``tessera.plugin.approval_turnaround``) for OA's own record types, per record type and step.

``GET /api/v1/oa/reports/approval-turnaround?from&to``: the hours from a task's creation to its
decision (average, median, 90th percentile) and the tasks decided, per step; for holders of
``oa.report.read`` (the owner and admins by default), who see every member's approvals.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import QueryParameter

from tessera.plugin import Language, Member, Uow, approval_turnaround, requires
from tessera_oa.expense_approval import ADVANCE, CLAIM
from tessera_oa.leave_approval import LEAVE_REQUEST

REPORT_READ = "oa.report.read"
AVERAGE, MEDIAN, P90 = "Average hours", "Median hours", "90th percentile hours"
MESSAGES = (AVERAGE, MEDIAN, P90)
#: The English label of each of OA's record types (a type added later shows as its name).
LABELS = {a.record_type: a.label for a in (LEAVE_REQUEST, CLAIM, ADVANCE)}
FromQuery = Annotated[date | None, QueryParameter(name="from", description="First day (UTC)")]
ToQuery = Annotated[date | None, QueryParameter(description="Last day (UTC), included")]


class HoursSeries(msgspec.Struct):
    name: str
    data: list[float]


class StepOut(msgspec.Struct):
    record_type: str
    label: str
    step_index: int
    step_name: str
    decided: int
    average_hours: float
    p50_hours: float
    p90_hours: float


class TurnaroundOut(msgspec.Struct):
    #: "Leave request · Manager", per step.
    labels: list[str]
    series: list[HoursSeries]
    steps: list[StepOut]


class ApprovalReportsController(Controller):
    path = "/reports"
    tags = ["oa"]

    @get(
        "/approval-turnaround",
        summary="How long OA's approvals take, per record type and step",
        opt=requires(REPORT_READ),
    )
    async def approval_turnaround(
        self,
        actor: Member,
        uow: Uow,
        texts: Language,
        from_: FromQuery = None,
        to: ToQuery = None,
    ) -> TurnaroundOut:
        found = await approval_turnaround(uow.db, None, from_, to)
        steps = [
            StepOut(
                s.record_type,
                texts.of("oa", LABELS.get(s.record_type, s.record_type)),
                s.step_index,
                s.step_name,
                s.decided,
                s.average_hours,
                s.p50_hours,
                s.p90_hours,
            )
            for s in found
            if s.record_type.startswith("oa.")
        ]
        series = [
            HoursSeries(texts.of("oa", AVERAGE), [s.average_hours for s in steps]),
            HoursSeries(texts.of("oa", MEDIAN), [s.p50_hours for s in steps]),
            HoursSeries(texts.of("oa", P90), [s.p90_hours for s in steps]),
        ]
        return TurnaroundOut(
            labels=[f"{s.label} · {s.step_name}" for s in steps],
            series=series if steps else [],
            steps=steps,
        )
