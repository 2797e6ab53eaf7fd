"""``tessera_session_member`` can enter the tenant for the connection, not the transaction.

A hot read (a route marked ``hot_read()``) runs its statements on a plain pooled connection.
Wrapped in a transaction, only for the tenant to be transaction-local, it paid two round trips
(BEGIN, COMMIT) beside its two statements: half the trips of a one-row read. With
``p_for_connection`` the function sets the tenant and the audit context for the connection
instead, and — the part that makes this safe — clears both when the session is not valid, so
whatever an earlier request on the connection entered never outlives the next lookup. Every
hot read starts with this lookup (``UnitOfWork.fetch`` refuses to run before it).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SESSION_MEMBER = """
CREATE FUNCTION tessera_session_member(
    p_token_hash bytea, p_context jsonb, p_for_connection boolean DEFAULT false
)
RETURNS TABLE (
    user_id uuid, email varchar, name varchar, csrf_token varchar, tenant_id uuid,
    membership_id uuid, role varchar, modules varchar[], grants varchar[]
)
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_user_id uuid;
    v_tenant_id uuid;
    v_local boolean := NOT p_for_connection;
BEGIN
    SELECT s.user_id, s.tenant_id, u.email, u.name, s.csrf_token
      INTO v_user_id, v_tenant_id, email, name, csrf_token
      FROM identity_session s JOIN identity_user u ON u.id = s.user_id,
           LATERAL (SELECT set_config('tessera.tenant_id', coalesce(s.tenant_id::text, ''),
                                      v_local),
                           set_config('tessera.context', (p_context || jsonb_build_object(
                               'kind', 'user', 'user', s.user_id))::text, v_local)) AS entered
     WHERE s.token_hash = p_token_hash AND s.expires_at > now() AND u.is_active;
    IF NOT FOUND THEN
        PERFORM set_config('tessera.tenant_id', '', v_local),
                set_config('tessera.context', '', v_local);
        RETURN;
    END IF;
    user_id := v_user_id;
    IF v_tenant_id IS NOT NULL THEN
        SELECT m.tenant_id, m.id, m.role,
               (SELECT coalesce(array_agg(t.module), '{}') FROM tenant_module t
                 WHERE t.tenant_id = m.tenant_id AND t.enabled),
               (SELECT coalesce(array_agg(g.permission || ':' || g.scope), '{}')
                  FROM access_member_role r
                  JOIN access_role_grant g ON g.tenant_id = r.tenant_id AND g.role_id = r.role_id
                 WHERE r.tenant_id = m.tenant_id AND r.membership_id = m.id)
          INTO tenant_id, membership_id, role, modules, grants
          FROM identity_membership m
         WHERE m.tenant_id = v_tenant_id AND m.user_id = v_user_id;
        IF NOT FOUND THEN
            PERFORM set_config('tessera.tenant_id', '', v_local);
        END IF;
    END IF;
    RETURN NEXT;
END
$$
"""


def upgrade() -> None:
    op.execute("DROP FUNCTION tessera_session_member(bytea, jsonb)")
    op.execute(SESSION_MEMBER)


def downgrade() -> None:
    # Back to the two-argument body 0013 created, read from that revision's file.
    spec = importlib.util.spec_from_file_location(
        "revision_0013", Path(__file__).with_name("0013_session_member_in_two_statements.py")
    )
    assert spec is not None
    assert spec.loader is not None
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute("DROP FUNCTION tessera_session_member(bytea, jsonb, boolean)")
    op.execute(previous.SESSION_MEMBER.replace("CREATE OR REPLACE FUNCTION", "CREATE FUNCTION"))
