"""OA: leave — types, yearly allocations, requests, the holiday calendar, year-end rolls.

Revision ID: o020
Revises: o001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "o020"
down_revision: str | None = "o001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "oa_leave_type",
    "oa_leave_allocation",
    "oa_leave_request",
    "oa_leave_settings",
    "oa_holiday",
    "oa_leave_year_end",
)


def upgrade() -> None:
    op.create_table(
        "oa_holiday",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("kind IN ('holiday', 'working_day')", name=op.f("ck_oa_holiday_kind")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_oa_holiday_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_holiday")),
        sa.UniqueConstraint("tenant_id", "date", name=op.f("uq_oa_holiday_tenant_id_date")),
    )
    op.create_table(
        "oa_leave_settings",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("working_weekdays", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_oa_leave_settings_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_leave_settings")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_oa_leave_settings_tenant_id")),
    )
    op.create_table(
        "oa_leave_type",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("allow_negative", sa.Boolean(), nullable=False),
        sa.Column("attachment_over_days", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("yearly_days", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("carry_over_days", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "attachment_over_days > 0", name=op.f("ck_oa_leave_type_attachment_over_days")
        ),
        sa.CheckConstraint("carry_over_days >= 0", name=op.f("ck_oa_leave_type_carry_over_days")),
        sa.CheckConstraint("yearly_days >= 0", name=op.f("ck_oa_leave_type_yearly_days")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_oa_leave_type_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_leave_type")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_oa_leave_type_tenant_id_name")),
    )
    op.create_table(
        "oa_leave_year_end",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "rolled_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("rolled_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_oa_leave_year_end_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_leave_year_end")),
        sa.UniqueConstraint("tenant_id", "year", name=op.f("uq_oa_leave_year_end_tenant_id_year")),
    )
    op.create_table(
        "oa_leave_allocation",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("leave_type_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("entitled_days", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("carried_days", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("used_days", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("reserved_days", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("carried_days >= 0", name=op.f("ck_oa_leave_allocation_carried_days")),
        sa.CheckConstraint("entitled_days >= 0", name=op.f("ck_oa_leave_allocation_entitled_days")),
        sa.CheckConstraint("reserved_days >= 0", name=op.f("ck_oa_leave_allocation_reserved_days")),
        sa.CheckConstraint("used_days >= 0", name=op.f("ck_oa_leave_allocation_used_days")),
        sa.CheckConstraint("year BETWEEN 2000 AND 2200", name=op.f("ck_oa_leave_allocation_year")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "leave_type_id"],
            ["oa_leave_type.tenant_id", "oa_leave_type.id"],
            name=op.f("fk_oa_leave_allocation_tenant_id_leave_type_id_oa_leave_type"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "user_id"],
            ["identity_membership.tenant_id", "identity_membership.user_id"],
            name=op.f("fk_oa_leave_allocation_tenant_id_user_id_identity_membership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_oa_leave_allocation_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_leave_allocation")),
        sa.UniqueConstraint(
            "tenant_id",
            "user_id",
            "leave_type_id",
            "year",
            name=op.f("uq_oa_leave_allocation_tenant_id_user_id_leave_type_id_year"),
        ),
    )
    op.create_index(
        "ix_oa_leave_allocation_type_year",
        "oa_leave_allocation",
        ["tenant_id", "leave_type_id", "year"],
        unique=False,
    )
    op.create_table(
        "oa_leave_request",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("leave_type_id", sa.Uuid(), nullable=False),
        sa.Column("allocation_id", sa.Uuid(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("start_half_day", sa.Boolean(), nullable=False),
        sa.Column("end_half_day", sa.Boolean(), nullable=False),
        sa.Column("days", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attachment_ref", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("approval_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "half_days",
            postgresql.INT4RANGE(),
            sa.Computed(
                "int4range((start_date - DATE '2000-01-01') * 2 + start_half_day::int, (end_date - DATE '2000-01-01') * 2 + 2 - end_half_day::int)",
                persisted=True,
            ),
            nullable=False,
        ),
        postgresql.ExcludeConstraint(
            (sa.column("tenant_id"), "="),
            (sa.column("user_id"), "="),
            (sa.column("half_days"), "&&"),
            where=sa.text("status IN ('pending', 'approved')"),
            using="gist",
            name="ex_oa_leave_request_overlap",
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'returned', 'cancelled')",
            name=op.f("ck_oa_leave_request_status"),
        ),
        sa.CheckConstraint("days > 0", name=op.f("ck_oa_leave_request_days")),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_oa_leave_request_dates")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "allocation_id"],
            ["oa_leave_allocation.tenant_id", "oa_leave_allocation.id"],
            name=op.f("fk_oa_leave_request_tenant_id_allocation_id_oa_leave_allocation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "leave_type_id"],
            ["oa_leave_type.tenant_id", "oa_leave_type.id"],
            name=op.f("fk_oa_leave_request_tenant_id_leave_type_id_oa_leave_type"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "user_id"],
            ["identity_membership.tenant_id", "identity_membership.user_id"],
            name=op.f("fk_oa_leave_request_tenant_id_user_id_identity_membership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_oa_leave_request_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_leave_request")),
    )
    op.create_index(
        "ix_oa_leave_request_dates",
        "oa_leave_request",
        ["tenant_id", "start_date", "end_date"],
        unique=False,
    )
    op.create_index(
        "ix_oa_leave_request_user",
        "oa_leave_request",
        ["tenant_id", "user_id", "start_date"],
        unique=False,
    )
    for table in TABLES:
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    op.drop_index("ix_oa_leave_request_user", table_name="oa_leave_request")
    op.drop_index("ix_oa_leave_request_dates", table_name="oa_leave_request")
    op.drop_table("oa_leave_request")
    op.drop_index("ix_oa_leave_allocation_type_year", table_name="oa_leave_allocation")
    op.drop_table("oa_leave_allocation")
    op.drop_table("oa_leave_year_end")
    op.drop_table("oa_leave_type")
    op.drop_table("oa_leave_settings")
    op.drop_table("oa_holiday")
