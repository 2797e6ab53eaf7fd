"""The tables of contracts: a contract with a CRM account, its payment plan (回款计划) as
instalments, the payments against them, and the tenant's settings.

A contract belongs to a CRM account: its ``account_id`` is a foreign key to the CRM plugin's
``crm_account`` table, by table name and with ``tenant_id`` in the key (``tenant_fk``), so a
contract can never name another tenant's account. The manifest depends on ``crm``, and the
migration on the CRM revision that made the table. An account that has contracts cannot be
deleted (the database refuses; the platform answers 409).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, member_fk, tenant_fk, tenant_unique

READ = "contracts.contract.read"
WRITE = "contracts.contract.write"
APPROVE = "contracts.contract.approve"
PAY = "contracts.payment.write"
SETTINGS = "contracts.settings.manage"

#: draft -> (signed) active, or pending_approval -> active | rejected; active -> closed.
#: A rejected contract is edited and signed again.
STATES = ("draft", "pending_approval", "active", "closed", "rejected")
#: States whose terms (account, amount, plan) may still change.
EDITABLE = ("draft", "rejected")
INSTALMENT_STATES = ("open", "paid")

Money = Numeric(18, 3)
#: Signing a contract above this amount needs approval, unless the tenant sets its own.
DEFAULT_THRESHOLD = Decimal("100000")
DEFAULT_CURRENCY = "CNY"
#: Owners hear of an unpaid instalment this many days before it is due, unless set otherwise.
DEFAULT_REMINDER_DAYS = 7


def one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ContractSettings(TenantModel, Timestamps):
    """One row per tenant: when signing needs approval, how early reminders go out."""

    __tablename__ = "contracts_settings"
    __recycle__ = False
    __table_args__ = (
        tenant_unique("singleton"),
        CheckConstraint("singleton", name="singleton"),
        CheckConstraint("approval_threshold >= 0", name="threshold"),
        CheckConstraint("reminder_days BETWEEN 0 AND 90", name="reminder_days"),
    )

    singleton: Mapped[bool] = mapped_column(default=True)
    #: Contracts in this currency above this amount need approval; in another currency, always.
    approval_threshold: Mapped[Decimal] = mapped_column(Money)
    approval_currency: Mapped[str] = mapped_column(String(3))
    reminder_days: Mapped[int] = mapped_column(Integer)


class Contract(TenantModel, Timestamps):
    __tablename__ = "contracts_contract"
    __recycle_permission__ = WRITE
    __table_args__ = (
        tenant_unique("number"),
        tenant_fk("account_id", "crm_account"),
        member_fk("owner_id", ondelete="SET NULL"),
        CheckConstraint(one_of("status", STATES), name="status"),
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("status IN ('draft', 'rejected') OR signed_on IS NOT NULL", name="signed"),
        Index("ix_contracts_contract_account", "tenant_id", "account_id"),
        Index("ix_contracts_contract_owner", "tenant_id", "owner_id"),
    )

    number: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[uuid.UUID]
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    signed_on: Mapped[date | None]
    #: Who hears of the contract's due instalments: its maker, unless changed.
    owner_id: Mapped[uuid.UUID | None]
    #: The approval the contract was last sent with (only its decision counts).
    approval_id: Mapped[uuid.UUID | None]


class Instalment(TenantModel, Timestamps):
    """One due amount of a contract's payment plan; ``paid`` grows with its payments."""

    __tablename__ = "contracts_instalment"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("contract_id", "contracts_contract", ondelete="CASCADE"),
        CheckConstraint("amount > 0", name="amount"),
        # No writer can record more than is due, whatever it checked before.
        CheckConstraint("paid >= 0 AND paid <= amount", name="paid"),
        CheckConstraint("(status = 'paid') = (paid = amount)", name="status"),
        Index("ix_contracts_instalment_contract", "tenant_id", "contract_id", "due_date"),
        Index("ix_contracts_instalment_due", "tenant_id", "status", "due_date"),
    )

    contract_id: Mapped[uuid.UUID]
    position: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Money)
    paid: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    status: Mapped[str] = mapped_column(String(10), default="open")
    #: The day its owner was reminded of it: set with the notification, so once only.
    reminded_on: Mapped[date | None]


class Payment(TenantModel, Timestamps):
    """Money received against one instalment."""

    __tablename__ = "contracts_payment"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("contract_id", "contracts_contract", ondelete="CASCADE"),
        tenant_fk("instalment_id", "contracts_instalment", ondelete="CASCADE"),
        CheckConstraint("amount > 0", name="amount"),
        Index("ix_contracts_payment_contract", "tenant_id", "contract_id", "paid_on"),
        Index("ix_contracts_payment_instalment", "tenant_id", "instalment_id"),
    )

    contract_id: Mapped[uuid.UUID]
    instalment_id: Mapped[uuid.UUID]
    amount: Mapped[Decimal] = mapped_column(Money)
    paid_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[uuid.UUID | None]
