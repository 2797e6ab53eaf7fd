"""OA: calendar events with attendees and reminders, meeting rooms and their bookings.

Revision ID: o003
Revises: o020
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "o003"
down_revision: str | None = "o020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEMBER = ["identity_membership.tenant_id", "identity_membership.user_id"]
SPAN = "tstzrange(starts_at, ends_at, '[)')"
TABLES = ("oa_room", "oa_event", "oa_event_attendee", "oa_event_reminder", "oa_room_booking")


def _keys() -> list[sa.Column[Any]]:
    return [
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
    ]


def _stamps() -> list[sa.Column[Any]]:
    return [
        sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)
        for name in ("created_at", "updated_at")
    ]


def _tenant(table: str) -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f(f"fk_{table}_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
    ]


def _to(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
        ondelete=ondelete,
    )


def _member(table: str, column: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        MEMBER,
        name=op.f(f"fk_{table}_tenant_id_{column}_identity_membership"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "oa_room",
        *_keys(),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        *_stamps(),
        *_tenant("oa_room"),
        sa.CheckConstraint("capacity > 0", name=op.f("ck_oa_room_capacity")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_oa_room_tenant_id_name")),
    )
    op.create_table(
        "oa_event",
        *_keys(),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("all_day", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("organiser_id", sa.Uuid(), nullable=True),
        *_stamps(),
        *_tenant("oa_event"),
        _member("oa_event", "organiser_id", "SET NULL (organiser_id)"),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_oa_event_span")),
    )
    op.create_index(
        "ix_oa_event_span", "oa_event", ["tenant_id", sa.text(SPAN)], postgresql_using="gist"
    )
    op.create_index("ix_oa_event_organiser", "oa_event", ["tenant_id", "organiser_id"])
    op.create_table(
        "oa_event_attendee",
        *_keys(),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("response", sa.String(length=20), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        *_tenant("oa_event_attendee"),
        _to("oa_event_attendee", "event_id", "oa_event", "CASCADE"),
        _member("oa_event_attendee", "user_id", "CASCADE"),
        sa.CheckConstraint(
            "response IN ('needs_action', 'accepted', 'declined', 'tentative')",
            name=op.f("ck_oa_event_attendee_response"),
        ),
        sa.UniqueConstraint(
            "tenant_id",
            "event_id",
            "user_id",
            name=op.f("uq_oa_event_attendee_tenant_id_event_id_user_id"),
        ),
    )
    op.create_index(
        "ix_oa_event_attendee_user", "oa_event_attendee", ["tenant_id", "user_id", "event_id"]
    )
    op.create_table(
        "oa_event_reminder",
        *_keys(),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("minutes_before", sa.Integer(), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        *_tenant("oa_event_reminder"),
        _to("oa_event_reminder", "event_id", "oa_event", "CASCADE"),
        sa.CheckConstraint(
            "minutes_before BETWEEN 0 AND 40320", name=op.f("ck_oa_event_reminder_minutes_before")
        ),
        sa.UniqueConstraint(
            "tenant_id",
            "event_id",
            "minutes_before",
            name=op.f("uq_oa_event_reminder_tenant_id_event_id_minutes_before"),
        ),
    )
    op.create_index(
        "ix_oa_event_reminder_due",
        "oa_event_reminder",
        ["tenant_id", "remind_at"],
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "oa_room_booking",
        *_keys(),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("booked_by", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        *_stamps(),
        *_tenant("oa_room_booking"),
        _to("oa_room_booking", "room_id", "oa_room", "CASCADE"),
        _to("oa_room_booking", "event_id", "oa_event", "CASCADE"),
        _member("oa_room_booking", "booked_by", "SET NULL (booked_by)"),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_oa_room_booking_span")),
        sa.UniqueConstraint(
            "tenant_id", "event_id", name=op.f("uq_oa_room_booking_tenant_id_event_id")
        ),
    )
    # The rule no request can get around: one room, one booking at any moment. btree_gist
    # (created by o001) lets the GiST index compare tenant_id and room_id with '='.
    op.execute(
        "ALTER TABLE oa_room_booking ADD CONSTRAINT ex_oa_room_booking_no_overlap "
        f"EXCLUDE USING gist (tenant_id WITH =, room_id WITH =, ({SPAN}) WITH &&)"
    )
    op.create_index("ix_oa_room_booking_booked_by", "oa_room_booking", ["tenant_id", "booked_by"])
    for table in TABLES:
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
