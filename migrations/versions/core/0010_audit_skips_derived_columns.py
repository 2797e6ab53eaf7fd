"""Audit entries leave out derived columns: full-text search vectors say nothing a person did.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOOKKEEPING = "'tenant_id', 'id', 'created_at', 'updated_at'"
#: A column with this name is derived by PostgreSQL from others (a tsvector), by convention.
DERIVED = "'search_vector'"

# As in 0002, with the skipped keys as a parameter.
ROW_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION tessera_audit_row() RETURNS trigger
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
     WHERE k NOT IN ({skipped})
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


def upgrade() -> None:
    op.execute(ROW_TRIGGER_FUNCTION.replace("{skipped}", f"{BOOKKEEPING}, {DERIVED}"))


def downgrade() -> None:
    op.execute(ROW_TRIGGER_FUNCTION.replace("{skipped}", BOOKKEEPING))
