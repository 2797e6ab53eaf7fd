"""CRM: full-text indexes lead with the tenant, so a search reads one tenant's entries.

A GIN index on the search vector alone holds every tenant's words: a prefix such as "smi"
matched tens of thousands of rows across a thousand tenants, each checked against the heap
before the tenant filter dropped them, so a search grew slower as tenants were added. With
``tenant_id`` as the index's first column (``btree_gin`` lets a GIN index hold a plain
value), the index intersects the tenant's entries with the word's, and a search costs what
the tenant's own data costs.

Revision ID: c008
Revises: c005
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "c008"
down_revision: str | None = "c005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCHED = ("crm_account", "crm_contact", "crm_deal", "crm_lead", "crm_ticket")


def upgrade() -> None:
    # A trusted extension: the database's owner may create it, no superuser needed.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    for table in SEARCHED:
        op.drop_index(f"ix_{table}_search", table_name=table, postgresql_using="gin")
        op.create_index(
            f"ix_{table}_search", table, ["tenant_id", "search_vector"], postgresql_using="gin"
        )


def downgrade() -> None:
    for table in SEARCHED:
        op.drop_index(f"ix_{table}_search", table_name=table, postgresql_using="gin")
        op.create_index(f"ix_{table}_search", table, ["search_vector"], postgresql_using="gin")
    # The extension stays: other objects may have come to use it.
