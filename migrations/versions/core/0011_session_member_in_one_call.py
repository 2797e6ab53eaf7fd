"""A session, its user and their membership in the session's tenant, read in one call.

Every signed-in request starts by finding out who is asking: the session and its user, then
(with the tenant context set) the membership, the tenant's enabled modules and the member's
custom-role grants. As separate statements that is three round trips before any work; this
function does it in one, and leaves the tenant context set for the rest of the transaction.

It runs with the caller's rights (the app role), so the membership reads go through the same
row-level security as any other query: it can only see the tenant it has just entered.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Rows: none for an unknown, expired or deactivated session; one otherwise, the membership
# columns NULL when the session has no tenant or the user is not (or no longer) a member.
# p_context is the audit context to send with the tenant (kind and user are filled in here,
# since only the session knows the user).
SESSION_MEMBER = """
CREATE FUNCTION tessera_session_member(p_token_hash bytea, p_context jsonb)
RETURNS TABLE (
    user_id uuid, email varchar, name varchar, csrf_token varchar, tenant_id uuid,
    membership_id uuid, role varchar, modules varchar[], grants varchar[]
)
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_user_id uuid;
    v_tenant_id uuid;
    v_membership_id uuid;
BEGIN
    SELECT s.user_id, s.tenant_id, u.email, u.name, s.csrf_token
      INTO v_user_id, v_tenant_id, email, name, csrf_token
      FROM identity_session s JOIN identity_user u ON u.id = s.user_id
     WHERE s.token_hash = p_token_hash AND s.expires_at > now() AND u.is_active;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    user_id := v_user_id;
    IF v_tenant_id IS NOT NULL THEN
        PERFORM set_config('tessera.tenant_id', v_tenant_id::text, true),
                set_config('tessera.context', (p_context || jsonb_build_object(
                    'kind', 'user', 'user', v_user_id))::text, true);
        SELECT m.tenant_id, m.id, m.role INTO tenant_id, v_membership_id, role
          FROM identity_membership m
         WHERE m.tenant_id = v_tenant_id AND m.user_id = v_user_id;
        IF FOUND THEN
            membership_id := v_membership_id;
            SELECT coalesce(array_agg(t.module), '{}') INTO modules
              FROM tenant_module t WHERE t.tenant_id = v_tenant_id AND t.enabled;
            SELECT coalesce(array_agg(g.permission || ':' || g.scope), '{}') INTO grants
              FROM access_member_role r
              JOIN access_role_grant g ON g.tenant_id = r.tenant_id AND g.role_id = r.role_id
             WHERE r.tenant_id = v_tenant_id AND r.membership_id = v_membership_id;
        ELSE
            -- Not a member (any more): the transaction must not stay in that tenant.
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
    op.execute("DROP FUNCTION tessera_session_member(bytea, jsonb)")
