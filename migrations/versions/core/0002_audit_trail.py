"""Audit trail: entries hash-chained per tenant, appended by one function call.

The runtime role may only SELECT and INSERT entries: UPDATE, DELETE and TRUNCATE are refused
by the database. It appends through ``tessera_audit_append``, which runs with the caller's
rights (row-level security applies) and numbers and links a batch under the tenant's chain
head lock.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tessera.db.rls import enable_tenant_rls, grant_runtime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_chain",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_audit_chain_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_audit_chain")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(length=20), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("actor_token_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("record_type", sa.String(length=100), nullable=True),
        sa.Column("record_id", sa.String(length=100), nullable=True),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_audit_entry_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("tenant_id", "seq", name=op.f("uq_audit_entry_tenant_id_seq")),
    )
    op.create_index(
        "ix_audit_entry_actor", "audit_entry", ["tenant_id", "actor_user_id", "seq"], unique=False
    )
    op.create_index(
        "ix_audit_entry_occurred_at", "audit_entry", ["tenant_id", "occurred_at"], unique=False
    )
    op.create_index(
        "ix_audit_entry_record",
        "audit_entry",
        ["tenant_id", "record_type", "record_id", "seq"],
        unique=False,
    )
    enable_tenant_rls("audit_entry")
    enable_tenant_rls("audit_chain")
    grant_runtime("audit_entry", "SELECT, INSERT")
    grant_runtime("audit_chain", "SELECT, INSERT, UPDATE")
    op.execute(APPEND_FUNCTION)
    op.execute("GRANT EXECUTE ON FUNCTION tessera_audit_append(uuid, jsonb) TO tessera_runtime")


# Each entry's hash is sha256(previous hash || digest), the digest being SHA-256 of the
# entry's canonical JSON computed by tessera.audit.chain; the first entry links to 32 zero bytes.
APPEND_FUNCTION = r"""
CREATE FUNCTION tessera_audit_append(p_tenant uuid, p_entries jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_seq bigint;
    v_hash bytea;
    v_next bytea;
    e jsonb;
BEGIN
    INSERT INTO audit_chain (tenant_id, seq, hash)
    VALUES (p_tenant, 0, '\x0000000000000000000000000000000000000000000000000000000000000000')
    ON CONFLICT (tenant_id) DO NOTHING;
    SELECT seq, hash INTO v_seq, v_hash FROM audit_chain WHERE tenant_id = p_tenant FOR UPDATE;
    FOR e IN SELECT value FROM jsonb_array_elements(p_entries) LOOP
        v_seq := v_seq + 1;
        v_next := sha256(v_hash || decode(e->>'digest', 'hex'));
        INSERT INTO audit_entry (
            tenant_id, id, seq, occurred_at, actor_kind, actor_user_id, actor_token_id, action,
            record_type, record_id, changes, request_id, ip, user_agent, prev_hash, hash
        ) VALUES (
            p_tenant, (e->>'id')::uuid, v_seq, (e->>'occurred_at')::timestamptz,
            e->>'actor_kind', (e->>'actor_user_id')::uuid, (e->>'actor_token_id')::uuid,
            e->>'action', e->>'record_type', e->>'record_id', e->'changes',
            e->>'request_id', e->>'ip', e->>'user_agent', v_hash, v_next
        );
        v_hash := v_next;
    END LOOP;
    UPDATE audit_chain SET seq = v_seq, hash = v_hash WHERE tenant_id = p_tenant;
END
$$
"""


def downgrade() -> None:
    op.execute("DROP FUNCTION tessera_audit_append(uuid, jsonb)")
    op.drop_index("ix_audit_entry_record", table_name="audit_entry")
    op.drop_index("ix_audit_entry_occurred_at", table_name="audit_entry")
    op.drop_index("ix_audit_entry_actor", table_name="audit_entry")
    op.drop_table("audit_entry")
    op.drop_table("audit_chain")
