"""Long jobs a tenant can watch, scheduled runs already done, and the scheduler's lease."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import PlatformModel, TenantModel, tenant_unique


class Job(TenantModel):
    """One run of a long job, with the progress it reports while it works."""

    __tablename__ = "job"
    __audit__ = False
    __recycle__ = False
    # What /metrics counts (jobs by status, failed ones included), cheap however many succeeded.
    __table_args__ = (
        Index("ix_job_unfinished", "status", postgresql_where=text("status <> 'succeeded'")),
    )

    kind: Mapped[str] = mapped_column(String(120))
    #: queued → running → succeeded | failed
    status: Mapped[str] = mapped_column(String(20), default="queued")
    params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(String(500), default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class JobRun(TenantModel):
    """A scheduled job ran for this tenant in this period: a second message for it is a no-op."""

    __tablename__ = "job_run"
    __audit__ = False
    __recycle__ = False
    __table_args__ = (tenant_unique("schedule", "period"),)

    schedule: Mapped[str] = mapped_column(String(200))
    #: The period's number: seconds since the epoch divided by the schedule's interval.
    period: Mapped[int] = mapped_column(BigInteger)
    completed_at: Mapped[datetime] = mapped_column(server_default=func.now())


class ScheduleState(PlatformModel):
    """The last period each schedule was dispatched for, claimed under a row lock."""

    __tablename__ = "job_schedule"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_period: Mapped[int] = mapped_column(BigInteger)
    dispatched_at: Mapped[datetime] = mapped_column(server_default=func.now())
