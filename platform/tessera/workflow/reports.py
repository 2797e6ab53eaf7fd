"""How long approvals take: per record type and step, the tasks decided in a period and the
hours from a task's creation to its decision (average, median, 90th percentile).

``GET /api/v1/workflow/reports/turnaround?record_type&from&to`` answers it shaped for the
dashboard's charts (``labels`` and ``series``) with the figures per step beside them. It reads
the tasks' own columns only (``created_at``, ``acted_at``, ``step_index``, ``step_name``,
``status``) and each task's instance for its record type: a task is decided when approved,
rejected or returned; one delegated, escalated or withdrawn was not decided by its assignee and
is left out (the task that replaced it counts, from its own creation). A period covers the
tasks decided on its days (UTC), both ends included, at most three years.

:func:`approval_turnaround` is the same figures for code (plugins reach it through
``tessera.plugin``, for a report of their own record types).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.datastructures import State
from litestar.params import QueryParameter
from sqlalchemy import Float, cast, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.errors import Invalid
from tessera.modules.texts import Texts
from tessera.web.context import Language, Member, Uow, requires, services_of
from tessera.workflow import definitions
from tessera.workflow.models import Instance, Task

MANAGE = "workflow.definition.manage"
#: A task's own decision; the other ending states hand the task on or drop it.
DECIDED = ("approved", "rejected", "returned")
MAX_YEARS = 3
AVERAGE, MEDIAN, P90 = "Average hours", "Median hours", "90th percentile hours"
#: This report's own texts (the series' names) in the languages the app offers.
TRANSLATIONS: Mapping[str, Mapping[str, str]] = {
    "zh": {AVERAGE: "平均小时数", MEDIAN: "中位小时数", P90: "90 分位小时数"},
}
RecordTypeQuery = Annotated[
    str | None, QueryParameter(max_length=100, description="Only this record type's approvals")
]
FromQuery = Annotated[date | None, QueryParameter(name="from", description="First day (UTC)")]
ToQuery = Annotated[date | None, QueryParameter(description="Last day (UTC), included")]


@dataclass(frozen=True, slots=True)
class TurnaroundStep:
    """One step of one record type's approvals: tasks decided, and hours to decide them."""

    record_type: str
    step_index: int
    step_name: str
    decided: int
    average_hours: float
    p50_hours: float
    p90_hours: float


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year + years, day=28)


def turnaround_period(start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked for (the last 90 days by default): ``to`` not before ``from``, at
    most three years long."""
    end = end or datetime.now(UTC).date()
    start = start or end - timedelta(days=89)
    if end < start:
        raise Invalid("to", "must not be before 'from'")
    if end >= years_later(start, MAX_YEARS):
        raise Invalid("to", f"the period is at most {MAX_YEARS} years long")
    return start, end


async def approval_turnaround(
    db: AsyncSession,
    record_types: Sequence[str] | None,
    start: date | None,
    end: date | None,
) -> list[TurnaroundStep]:
    """Per record type (of ``record_types``, or all) and step, the session's tenant's tasks
    decided from ``start`` to ``end`` (UTC days, included; the last 90 days by default), by
    record type and step order. A bad period is ``Invalid`` (``to`` before ``from``, or
    longer than three years)."""
    start, end = turnaround_period(start, end)
    hours = cast(extract("epoch", Task.acted_at - Task.created_at), Float) / 3600.0
    query = (
        select(
            Instance.record_type,
            Task.step_index,
            Task.step_name,
            func.count(),
            func.avg(hours),
            func.percentile_cont(0.5).within_group(hours),
            func.percentile_cont(0.9).within_group(hours),
        )
        .join(Instance, (Instance.tenant_id == Task.tenant_id) & (Instance.id == Task.instance_id))
        .where(
            Task.status.in_(DECIDED),
            Task.acted_at >= datetime.combine(start, time(), UTC),
            Task.acted_at < datetime.combine(end + timedelta(days=1), time(), UTC),
        )
        .group_by(Instance.record_type, Task.step_index, Task.step_name)
        .order_by(Instance.record_type, Task.step_index, Task.step_name)
    )
    if record_types is not None:
        query = query.where(Instance.record_type.in_(list(record_types)))
    return [
        TurnaroundStep(record_type, index, name, count, round(avg, 2), round(p50, 2), round(p90, 2))
        for record_type, index, name, count, avg, p50, p90 in await db.execute(query)
    ]


def said(texts: Texts, text: str) -> str:
    return TRANSLATIONS.get(texts.locale, {}).get(text, text)


class HoursSeries(msgspec.Struct):
    name: str
    data: list[float]


class StepTurnaroundOut(msgspec.Struct):
    record_type: str
    #: The record type as the reader's language names it.
    label: str
    step_index: int
    step_name: str
    decided: int
    average_hours: float
    p50_hours: float
    p90_hours: float


class TurnaroundOut(msgspec.Struct, kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    #: "Expense claim · Manager": a record type's label and a step's name, per step.
    labels: list[str]
    #: Average, median and 90th-percentile hours per label (none when nothing was decided).
    series: list[HoursSeries]
    steps: list[StepTurnaroundOut]


def turnaround_chart(
    steps: Sequence[TurnaroundStep],
    labels: Mapping[str, str],
    texts: Texts,
    span: tuple[date, date],
) -> TurnaroundOut:
    """The figures as a chart: ``labels`` names each record type in the reader's language."""
    shown = [
        StepTurnaroundOut(
            s.record_type,
            labels.get(s.record_type, s.record_type),
            s.step_index,
            s.step_name,
            s.decided,
            s.average_hours,
            s.p50_hours,
            s.p90_hours,
        )
        for s in steps
    ]
    series = [
        HoursSeries(said(texts, AVERAGE), [s.average_hours for s in steps]),
        HoursSeries(said(texts, MEDIAN), [s.p50_hours for s in steps]),
        HoursSeries(said(texts, P90), [s.p90_hours for s in steps]),
    ]
    return TurnaroundOut(
        from_=span[0],
        to=span[1],
        labels=[f"{s.label} · {s.step_name}" for s in shown],
        series=series if steps else [],
        steps=shown,
    )


class WorkflowReportsController(Controller):
    path = "/workflow/reports"
    tags = ["workflow"]

    @get(
        "/turnaround",
        summary="Approval turnaround per record type and step: tasks decided, hours to decide",
        opt=requires(MANAGE),
    )
    async def turnaround(
        self,
        actor: Member,
        uow: Uow,
        state: State,
        texts: Language,
        record_type: RecordTypeQuery = None,
        from_: FromQuery = None,
        to: ToQuery = None,
    ) -> TurnaroundOut:
        registry = services_of(state).registry
        enabled = {
            name: approvable
            for name in registry.approvables()
            if (approvable := definitions.enabled_approvable(registry, actor.modules, name))
        }
        if record_type is not None and record_type not in enabled:
            raise Invalid("record_type", "is no approvable record type of an enabled module")
        span = turnaround_period(from_, to)
        wanted = [record_type] if record_type is not None else sorted(enabled)
        steps = await approval_turnaround(uow.db, wanted, *span)
        labels = {name: texts.of(a.module, a.label) for name, a in enabled.items()}
        return turnaround_chart(steps, labels, texts, span)
