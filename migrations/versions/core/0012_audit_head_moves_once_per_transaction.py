"""Audit chain head: locked at a transaction's first entry, moved once, when it commits.

``tessera_audit_write`` used to read the tenant's head in ``audit_chain`` and update it for
every entry. A transaction that changes many rows (an import of 20,000 accounts) then updated
that one row 20,000 times; each update leaves a row version only the transaction's end can
clear, and each next read walks past all of them, so the time grew with the square of the
rows (5,000 entries: 3.5 s; 20,000: 47 s).

Now the first entry of a transaction locks the head row as before (``FOR UPDATE``: a tenant's
writers still queue, so the chain stays one line), and the transaction keeps its running head
in a transaction-local setting, ``tessera.audit_head_<tenant id without dashes>``. The head
row is written once, at commit, by a deferred constraint trigger on ``audit_entry`` that acts
only for the entry the setting names as the last. A savepoint rolled back takes its entries
and its setting changes with it, so the two agree. ``tessera audit verify`` is unchanged.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WRITE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION tessera_audit_write(
    p_tenant uuid, p_action text, p_record_type text, p_record_id text,
    p_changes jsonb, p_context jsonb
) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_tenant_before text := current_setting('tessera.tenant_id', true);
    v_head_key text := 'tessera.audit_head_' || replace(p_tenant::text, '-', '');
    v_head text := current_setting(v_head_key, true);
    v_seq bigint;
    v_hash bytea;
    e audit_entry;
BEGIN
    -- The entry is the tenant's: write it under that tenant's row-level security.
    PERFORM set_config('tessera.tenant_id', p_tenant::text, true);
    IF coalesce(v_head, '') = '' THEN
        -- The transaction's first entry for the tenant: lock the head until it ends.
        SELECT seq, hash INTO v_seq, v_hash FROM audit_chain WHERE tenant_id = p_tenant FOR UPDATE;
        IF NOT FOUND THEN
            INSERT INTO audit_chain (tenant_id, seq, hash)
            VALUES (p_tenant, 0, '\x0000000000000000000000000000000000000000000000000000000000000000')
            ON CONFLICT (tenant_id) DO NOTHING;
            SELECT seq, hash INTO v_seq, v_hash FROM audit_chain WHERE tenant_id = p_tenant FOR UPDATE;
        END IF;
    ELSE
        v_seq := split_part(v_head, ':', 1)::bigint;
        v_hash := decode(split_part(v_head, ':', 2), 'hex');
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
    PERFORM set_config(v_head_key, e.seq || ':' || encode(e.hash, 'hex'), true);
    PERFORM set_config('tessera.tenant_id', coalesce(v_tenant_before, ''), true);
END
$$
"""

HEAD_FUNCTION = r"""
CREATE FUNCTION tessera_audit_head() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_tenant_before text := current_setting('tessera.tenant_id', true);
BEGIN
    IF current_setting('tessera.audit_head_' || replace(NEW.tenant_id::text, '-', ''), true)
       = NEW.seq || ':' || encode(NEW.hash, 'hex') THEN
        PERFORM set_config('tessera.tenant_id', NEW.tenant_id::text, true);
        UPDATE audit_chain SET seq = NEW.seq, hash = NEW.hash WHERE tenant_id = NEW.tenant_id;
        PERFORM set_config('tessera.tenant_id', coalesce(v_tenant_before, ''), true);
    END IF;
    RETURN NULL;
END
$$
"""

# As in 0002: the head moves with every entry.
OLD_WRITE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION tessera_audit_write(
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


def upgrade() -> None:
    op.execute(HEAD_FUNCTION)
    op.execute(
        "CREATE CONSTRAINT TRIGGER audit_head AFTER INSERT ON audit_entry "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tessera_audit_head()"
    )
    op.execute(WRITE_FUNCTION)


def downgrade() -> None:
    op.execute(OLD_WRITE_FUNCTION)
    op.execute("DROP TRIGGER audit_head ON audit_entry")
    op.execute("DROP FUNCTION tessera_audit_head()")
