"""Events and jobs: the outbox, deliveries, dead letters, long jobs, schedules, the job queue.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 18:40:13.717057
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from dramatiq_postgres.schema import generate_init_sql
from sqlalchemy.dialects import postgresql

from tessera.db.rls import enable_tenant_rls, grant_dispatch, grant_runtime
from tessera.db.roles import DISPATCH_GROUP, RUNTIME_GROUP, quote_ident

#: The PostgreSQL broker's queue lives in a schema of its own (dramatiq-postgres' layout).
BROKER_SCHEMA = "dramatiq"

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_schedule",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("last_period", sa.BigInteger(), nullable=False),
        sa.Column(
            "dispatched_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_schedule")),
    )
    op.create_table(
        "event_dead_letter",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=120), nullable=False),
        sa.Column("handler", sa.String(length=200), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column(
            "failed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_event_dead_letter_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_event_dead_letter")),
        sa.UniqueConstraint(
            "tenant_id",
            "event_id",
            "handler",
            name=op.f("uq_event_dead_letter_tenant_id_event_id_handler"),
        ),
    )
    op.create_table(
        "event_delivery",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("handler", sa.String(length=200), nullable=False),
        sa.Column(
            "completed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_event_delivery_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_event_delivery")),
        sa.UniqueConstraint(
            "tenant_id",
            "event_id",
            "handler",
            name=op.f("uq_event_delivery_tenant_id_event_id_handler"),
        ),
    )
    op.create_table(
        "event_outbox",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=120), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("relayed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retry_handler", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_event_outbox_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_event_outbox")),
    )
    op.create_index(
        "ix_event_outbox_occurred", "event_outbox", ["tenant_id", "occurred_at"], unique=False
    )
    op.create_index(
        "ix_event_outbox_pending",
        "event_outbox",
        ["id"],
        unique=False,
        postgresql_where=sa.text("relayed_at IS NULL"),
    )
    op.create_table(
        "job",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("result", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_job_tenant_id_tenant"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_job")),
    )
    op.create_table(
        "job_run",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("schedule", sa.String(length=200), nullable=False),
        sa.Column("period", sa.BigInteger(), nullable=False),
        sa.Column(
            "completed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_job_run_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_job_run")),
        sa.UniqueConstraint(
            "tenant_id", "schedule", "period", name=op.f("uq_job_run_tenant_id_schedule_period")
        ),
    )
    # Infrastructure tables are not audited row by row (they would double every write); the
    # admin's actions on dead letters are.
    enable_tenant_rls("event_outbox", audited=False)
    grant_runtime("event_outbox", "SELECT, INSERT, UPDATE")
    grant_dispatch("event_outbox", "SELECT, UPDATE, DELETE")
    # The relay sleeps on this channel; NOTIFY is delivered when the emitting transaction commits.
    op.execute(
        """
        CREATE FUNCTION tessera_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('tessera_outbox', '');
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER notify_relay AFTER INSERT ON event_outbox "
        "FOR EACH STATEMENT EXECUTE FUNCTION tessera_outbox_notify()"
    )
    enable_tenant_rls("event_delivery", audited=False)
    grant_runtime("event_delivery", "SELECT, INSERT")
    grant_dispatch("event_delivery", "SELECT, DELETE")
    enable_tenant_rls("event_dead_letter")
    grant_runtime("event_dead_letter")
    enable_tenant_rls("job", audited=False)
    grant_runtime("job")
    enable_tenant_rls("job_run", audited=False)
    grant_runtime("job_run", "SELECT, INSERT")
    grant_dispatch("job_run", "SELECT, DELETE")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON job_schedule TO {quote_ident(DISPATCH_GROUP)}")
    # The dispatcher reads which tenants are active and which modules they switched on.
    grant_dispatch("tenant_module", "SELECT")
    op.execute(f"GRANT SELECT ON tenant TO {quote_ident(DISPATCH_GROUP)}")
    _create_broker_schema()


def _create_broker_schema() -> None:
    for statement in generate_init_sql(BROKER_SCHEMA).split(";\n"):
        if statement.strip():
            op.execute(statement)
    schema = quote_ident(BROKER_SCHEMA)
    for group in (quote_ident(RUNTIME_GROUP), quote_ident(DISPATCH_GROUP)):
        op.execute(f"GRANT USAGE ON SCHEMA {schema} TO {group}")
        op.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {group}"
        )
        op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {group}")


def downgrade() -> None:
    op.execute(f"DROP SCHEMA {quote_ident(BROKER_SCHEMA)} CASCADE")
    op.execute(f"REVOKE ALL ON tenant FROM {quote_ident(DISPATCH_GROUP)}")
    op.execute("DROP POLICY dispatch_all ON tenant_module")
    op.execute(f"REVOKE ALL ON tenant_module FROM {quote_ident(DISPATCH_GROUP)}")
    op.drop_table("job_run")
    op.drop_table("job")
    op.drop_index(
        "ix_event_outbox_pending",
        table_name="event_outbox",
        postgresql_where=sa.text("relayed_at IS NULL"),
    )
    op.drop_index("ix_event_outbox_occurred", table_name="event_outbox")
    op.drop_table("event_outbox")
    op.drop_table("event_delivery")
    op.drop_table("event_dead_letter")
    op.drop_table("job_schedule")
    op.execute("DROP FUNCTION tessera_outbox_notify()")
