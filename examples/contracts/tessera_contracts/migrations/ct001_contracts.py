"""Contracts: settings, contracts, their instalments and payments.

Revision ID: ct001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "ct001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("contracts",)
# c001 is the CRM revision that makes crm_account, which a contract refers to (it depends on
# the core's revisions through which identity_membership exists).
depends_on: str | Sequence[str] | None = "c001"

MEMBER = ["identity_membership.tenant_id", "identity_membership.user_id"]
MONEY = sa.Numeric(precision=18, scale=3)

#: Table -> what the application may do with its rows. A payment is never changed.
GRANTS = {
    "contracts_settings": "SELECT, INSERT, UPDATE",
    "contracts_contract": "SELECT, INSERT, UPDATE, DELETE",
    "contracts_instalment": "SELECT, INSERT, UPDATE, DELETE",
    "contracts_payment": "SELECT, INSERT, DELETE",
}


def _table(name: str, *parts: Any) -> None:
    """A tenant-owned table: (tenant_id, id) first, the timestamps and the tenant's key last."""
    op.create_table(
        name,
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        *parts,
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{name}_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{name}")),
    )  # fmt: skip


def upgrade() -> None:
    _table(
        "contracts_settings",
        sa.Column("singleton", sa.Boolean(), nullable=False),
        sa.Column("approval_threshold", MONEY, nullable=False),
        sa.Column("approval_currency", sa.String(length=3), nullable=False),
        sa.Column("reminder_days", sa.Integer(), nullable=False),
        sa.CheckConstraint("singleton", name=op.f("ck_contracts_settings_singleton")),
        sa.CheckConstraint("approval_threshold >= 0", name=op.f("ck_contracts_settings_threshold")),
        sa.CheckConstraint(
            "reminder_days BETWEEN 0 AND 90", name=op.f("ck_contracts_settings_reminder_days")
        ),
        sa.UniqueConstraint(
            "tenant_id", "singleton", name=op.f("uq_contracts_settings_tenant_id_singleton")
        ),
    )
    _table(
        "contracts_contract",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("approval_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'pending_approval', 'active', 'closed', 'rejected')",
            name=op.f("ck_contracts_contract_status"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_contracts_contract_amount")),
        sa.CheckConstraint(
            "status IN ('draft', 'rejected') OR signed_on IS NOT NULL",
            name=op.f("ck_contracts_contract_signed"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "account_id"],
            ["crm_account.tenant_id", "crm_account.id"],
            name=op.f("fk_contracts_contract_tenant_id_account_id_crm_account"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "owner_id"],
            MEMBER,
            name=op.f("fk_contracts_contract_tenant_id_owner_id_identity_membership"),
            ondelete="SET NULL (owner_id)",
        ),
        sa.UniqueConstraint(
            "tenant_id", "number", name=op.f("uq_contracts_contract_tenant_id_number")
        ),
    )
    op.create_index(
        "ix_contracts_contract_account", "contracts_contract", ["tenant_id", "account_id"]
    )
    op.create_index("ix_contracts_contract_owner", "contracts_contract", ["tenant_id", "owner_id"])
    _table(
        "contracts_instalment",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("paid", MONEY, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_contracts_instalment_amount")),
        sa.CheckConstraint("paid >= 0 AND paid <= amount", name=op.f("ck_contracts_instalment_paid")),
        sa.CheckConstraint(
            "(status = 'paid') = (paid = amount)", name=op.f("ck_contracts_instalment_status")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "contract_id"],
            ["contracts_contract.tenant_id", "contracts_contract.id"],
            name=op.f("fk_contracts_instalment_tenant_id_contract_id_contracts_contract"),
            ondelete="CASCADE",
        ),
    )  # fmt: skip
    op.create_index(
        "ix_contracts_instalment_contract",
        "contracts_instalment",
        ["tenant_id", "contract_id", "due_date"],
    )
    op.create_index(
        "ix_contracts_instalment_due", "contracts_instalment", ["tenant_id", "status", "due_date"]
    )
    _table(
        "contracts_payment",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("instalment_id", sa.Uuid(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_contracts_payment_amount")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "contract_id"],
            ["contracts_contract.tenant_id", "contracts_contract.id"],
            name=op.f("fk_contracts_payment_tenant_id_contract_id_contracts_contract"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "instalment_id"],
            ["contracts_instalment.tenant_id", "contracts_instalment.id"],
            name=op.f("fk_contracts_payment_tenant_id_instalment_id_contracts_instalment"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_contracts_payment_contract",
        "contracts_payment",
        ["tenant_id", "contract_id", "paid_on"],
    )
    op.create_index(
        "ix_contracts_payment_instalment", "contracts_payment", ["tenant_id", "instalment_id"]
    )
    for table, privileges in GRANTS.items():
        enable_tenant_rls(table)
        grant_runtime(table, privileges)


def downgrade() -> None:
    for table in (
        "contracts_payment",
        "contracts_instalment",
        "contracts_contract",
        "contracts_settings",
    ):
        op.drop_table(table)
