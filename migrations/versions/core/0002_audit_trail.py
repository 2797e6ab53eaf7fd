"""Audit trail: the database records every change of a tenant-owned row, hash-chained per tenant.

Every tenant-owned table gets the ``audit`` trigger (``tessera.db.rls.enable_tenant_rls``
installs it; here it is added to the tables of 0001, made before the trigger existed). The
trigger writes an entry through ``tessera_audit_write``, which numbers and links it under the
tenant's chain-head lock, in the changing statement's own transaction. Who acts and from where
comes from the transaction setting ``tessera.context``.

The runtime role may only SELECT and INSERT entries: UPDATE, DELETE and TRUNCATE are refused.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tessera.db.rls import enable_audit, enable_tenant_rls, grant_runtime

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
        sa.PrimaryKeyConstraint("tenant_id", "seq", name=op.f("pk_audit_entry")),
    )
    op.create_index("ix_audit_entry_actor", "audit_entry", ["tenant_id", "actor_user_id", "seq"])
    op.create_index("ix_audit_entry_occurred_at", "audit_entry", ["tenant_id", "occurred_at"])
    op.create_index(
        "ix_audit_entry_record", "audit_entry", ["tenant_id", "record_type", "record_id", "seq"]
    )
    enable_tenant_rls("audit_entry", audited=False)
    enable_tenant_rls("audit_chain", audited=False)
    grant_runtime("audit_entry", "SELECT, INSERT")
    grant_runtime("audit_chain", "SELECT, INSERT, UPDATE")
    op.execute(DIGEST_FUNCTION)
    op.execute(WRITE_FUNCTION)
    op.execute(ROW_TRIGGER_FUNCTION)
    enable_audit("identity_membership")
    enable_audit("identity_api_token", secrets=("secret_hash",))
    enable_audit("identity_invitation")


# The canonical form an entry's digest covers: its content as jsonb text (jsonb orders keys
# itself), the time as microseconds since the epoch (independent of the session time zone).
DIGEST_FUNCTION = """
CREATE FUNCTION tessera_audit_digest(e audit_entry) RETURNS bytea
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
    SELECT sha256(convert_to(jsonb_build_object(
        'tenant_id', e.tenant_id,
        'seq', e.seq,
        'occurred_at', (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
        'actor_kind', e.actor_kind,
        'actor_user_id', e.actor_user_id,
        'actor_token_id', e.actor_token_id,
        'action', e.action,
        'record_type', e.record_type,
        'record_id', e.record_id,
        'changes', e.changes,
        'request_id', e.request_id,
        'ip', e.ip,
        'user_agent', e.user_agent
    )::text, 'UTF8'))
$$
"""

# hash = sha256(previous hash || digest); a tenant's first entry links to 32 zero bytes.
WRITE_FUNCTION = r"""
CREATE FUNCTION tessera_audit_write(
    p_tenant uuid, p_action text, p_record_type text, p_record_id text,
    p_changes jsonb, p_context jsonb
) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_tenant_before text := current_setting('tessera.tenant_id', true);
    v_seq bigint;
    v_hash bytea;
    e audit_entry;
BEGIN
    -- The entry is the tenant's: write it under that tenant's row-level security.
    PERFORM set_config('tessera.tenant_id', p_tenant::text, true);
    SELECT seq, hash INTO v_seq, v_hash FROM audit_chain WHERE tenant_id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO audit_chain (tenant_id, seq, hash)
        VALUES (p_tenant, 0, '\x0000000000000000000000000000000000000000000000000000000000000000')
        ON CONFLICT (tenant_id) DO NOTHING;
        SELECT seq, hash INTO v_seq, v_hash FROM audit_chain WHERE tenant_id = p_tenant FOR UPDATE;
    END IF;
    e.tenant_id := p_tenant;
    e.seq := v_seq + 1;
    e.occurred_at := clock_timestamp();
    e.actor_kind := coalesce(p_context->>'kind', 'system');
    e.actor_user_id := (p_context->>'user')::uuid;
    e.actor_token_id := (p_context->>'token')::uuid;
    e.action := p_action;
    e.record_type := p_record_type;
    e.record_id := p_record_id;
    e.changes := coalesce(p_changes, '{}');
    e.request_id := p_context->>'request';
    e.ip := p_context->>'ip';
    e.user_agent := p_context->>'ua';
    e.prev_hash := v_hash;
    e.hash := sha256(v_hash || tessera_audit_digest(e));
    INSERT INTO audit_entry SELECT e.*;
    UPDATE audit_chain SET seq = e.seq, hash = e.hash WHERE tenant_id = p_tenant;
    PERFORM set_config('tessera.tenant_id', coalesce(v_tenant_before, ''), true);
END
$$
"""

# Changed fields as {field: [before, after]}: bookkeeping columns left out, the columns named
# in the trigger's argument (comma-separated) masked, an update that changes nothing skipped.
ROW_TRIGGER_FUNCTION = """
CREATE FUNCTION tessera_audit_row() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_old jsonb := '{}';
    v_new jsonb := '{}';
    v_row jsonb;
    v_secrets text[] := string_to_array(coalesce(TG_ARGV[0], ''), ',');
    v_changes jsonb;
    v_context jsonb := coalesce(nullif(current_setting('tessera.context', true), '')::jsonb, '{}');
    v_action text;
BEGIN
    IF TG_OP <> 'INSERT' THEN v_old := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN v_new := to_jsonb(NEW); END IF;
    SELECT coalesce(jsonb_object_agg(k, jsonb_build_array(
               CASE WHEN k = ANY(v_secrets) AND v_old->k <> 'null' THEN to_jsonb('***'::text)
                    ELSE v_old->k END,
               CASE WHEN k = ANY(v_secrets) AND v_new->k <> 'null' THEN to_jsonb('***'::text)
                    ELSE v_new->k END)), '{}')
      INTO v_changes
      FROM jsonb_object_keys(v_old || v_new) AS k
     WHERE k NOT IN ('tenant_id', 'id', 'created_at', 'updated_at')
       AND (v_old->k) IS DISTINCT FROM (v_new->k)
       AND NOT (TG_OP = 'INSERT' AND v_new->k = 'null')
       AND NOT (TG_OP = 'DELETE' AND v_old->k = 'null');
    IF TG_OP = 'UPDATE' AND v_changes = '{}' THEN
        RETURN NULL;
    END IF;
    v_action := CASE TG_OP
        WHEN 'INSERT' THEN CASE WHEN v_context->>'restoring' = 'true' THEN 'restore' ELSE 'create' END
        WHEN 'UPDATE' THEN 'update'
        ELSE 'delete' END;
    v_row := CASE WHEN TG_OP = 'DELETE' THEN v_old ELSE v_new END;
    PERFORM tessera_audit_write(
        (v_row->>'tenant_id')::uuid, v_action, TG_TABLE_NAME, v_row->>'id', v_changes, v_context
    );
    RETURN NULL;
END
$$
"""


def downgrade() -> None:
    for table in ("identity_membership", "identity_api_token", "identity_invitation"):
        op.execute(f'DROP TRIGGER audit ON "{table}"')
    op.execute("DROP FUNCTION tessera_audit_row()")
    op.execute("DROP FUNCTION tessera_audit_write(uuid, text, text, text, jsonb, jsonb)")
    op.execute("DROP FUNCTION tessera_audit_digest(audit_entry)")
    op.drop_index("ix_audit_entry_record", table_name="audit_entry")
    op.drop_index("ix_audit_entry_occurred_at", table_name="audit_entry")
    op.drop_index("ix_audit_entry_actor", table_name="audit_entry")
    op.drop_table("audit_entry")
    op.drop_table("audit_chain")
