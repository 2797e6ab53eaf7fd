"""``tessera_session_member`` in two statements instead of five.

The function of 0011 runs on every signed-in request. It looked up the session, set the
tenant, then read the membership, the modules and the grants one statement each: five trips
through PostgreSQL's executor, a cost every request pays on the same two cores as the app.
Now the session lookup sets the tenant in the same statement, and the membership comes with
its modules and grants as subqueries of one more. What it returns is unchanged.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tenant is set in the first statement's select list, so the second — a new statement —
# reads the membership under row-level security in that tenant. A user who is not (or no
# longer) a member leaves the transaction in no tenant.
SESSION_MEMBER = """
CREATE OR REPLACE FUNCTION tessera_session_member(p_token_hash bytea, p_context jsonb)
RETURNS TABLE (
    user_id uuid, email varchar, name varchar, csrf_token varchar, tenant_id uuid,
    membership_id uuid, role varchar, modules varchar[], grants varchar[]
)
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_user_id uuid;
    v_tenant_id uuid;
BEGIN
    SELECT s.user_id, s.tenant_id, u.email, u.name, s.csrf_token
      INTO v_user_id, v_tenant_id, email, name, csrf_token
      FROM identity_session s JOIN identity_user u ON u.id = s.user_id,
           LATERAL (SELECT set_config('tessera.tenant_id', coalesce(s.tenant_id::text, ''), true),
                           set_config('tessera.context', (p_context || jsonb_build_object(
                               'kind', 'user', 'user', s.user_id))::text, true)) AS entered
     WHERE s.token_hash = p_token_hash AND s.expires_at > now() AND u.is_active;
    IF NOT FOUND THEN
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
            PERFORM set_config('tessera.tenant_id', '', true);
        END IF;
    END IF;
    RETURN NEXT;
END
$$
"""


def upgrade() -> None:
    op.execute(SESSION_MEMBER)


def downgrade() -> None:
    # Back to the body 0011 created, read from that revision's file.
    spec = importlib.util.spec_from_file_location(
        "revision_0011", Path(__file__).with_name("0011_session_member_in_one_call.py")
    )
    assert spec is not None
    assert spec.loader is not None
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute(previous.SESSION_MEMBER.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))
