"""The tables of expenses: categories, cash advances, claims and their lines.

Claims and advances name their member by user id without a foreign key to the membership, on
purpose: they are financial records, kept (and paid, and posted) after the member leaves.
Amounts are NUMERIC(14, 2) with their ISO 4217 currency beside them; nothing is ever added
across currencies.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, file_fk, tenant_fk, tenant_unique

SUBMIT, MANAGE, PAY = "oa.expense.submit", "oa.expense.manage", "oa.expense.pay"
#: A claim's or an advance's way: draft -> submitted -> approved or rejected -> paid (approved
#: only). Withdrawn or sent back by an approver, a submitted one is a draft again.
STATUSES = ("draft", "submitted", "approved", "rejected", "paid")
#: What a category's limit counts: nothing, each line, or a member's lines in a month.
LIMIT_PERIODS = ("none", "line", "month")
Money = Numeric(14, 2)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ExpenseCategory(TenantModel, Timestamps):
    """What an expense is for, with its limit and when it needs a receipt.

    The limit and the receipt threshold are stated in ``currency``. Lines in another currency
    (allowed unless ``only_in_currency``) cannot be compared without exchange rates, so they
    count as over the limit and need a receipt whenever the category has a limit or threshold.
    """

    __tablename__ = "oa_expense_category"
    __recycle_permission__ = MANAGE
    __table_args__ = (
        CheckConstraint(_one_of("limit_period", LIMIT_PERIODS), name="limit_period"),
        CheckConstraint("(limit_period = 'none') = (limit_amount IS NULL)", name="limit_amount"),
        CheckConstraint("limit_amount > 0", name="limit_positive"),
        CheckConstraint("receipt_threshold >= 0", name="receipt_threshold"),
        CheckConstraint(
            "currency IS NOT NULL OR (limit_amount IS NULL AND receipt_threshold IS NULL "
            "AND NOT only_in_currency)",
            name="currency",
        ),
    )

    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    currency: Mapped[str | None] = mapped_column(String(3))
    limit_period: Mapped[str] = mapped_column(String(10), default="none")
    limit_amount: Mapped[Decimal | None] = mapped_column(Money)
    #: A line above this amount needs a receipt (None: never required).
    receipt_threshold: Mapped[Decimal | None] = mapped_column(Money)
    only_in_currency: Mapped[bool] = mapped_column(default=False)
    #: Archived categories stay on old lines; new lines cannot use them.
    active: Mapped[bool] = mapped_column(default=True)


# Names are unique in a tenant whatever their case, also when two are created at once.
Index(
    "uq_oa_expense_category_name",
    ExpenseCategory.tenant_id,
    func.lower(ExpenseCategory.name),
    unique=True,
)


class ExpenseAdvance(TenantModel, Timestamps):
    """Cash handed to a member ahead of spending, deducted later from one claim of theirs."""

    __tablename__ = "oa_expense_advance"
    __recycle_permission__ = SUBMIT
    __table_args__ = (
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint("amount > 0", name="amount"),
        Index("ix_oa_expense_advance_user", "tenant_id", "user_id"),
    )

    user_id: Mapped[uuid.UUID]
    #: Who recorded it: the member, or a manager of expenses on their behalf.
    created_by: Mapped[uuid.UUID | None]
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    purpose: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    #: The workflow engine's approval it was submitted with (the latest).
    approval_id: Mapped[uuid.UUID | None]
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    paid_by: Mapped[uuid.UUID | None]
    payment_reference: Mapped[str | None] = mapped_column(String(120))


class ExpenseClaim(TenantModel, Timestamps):
    """A member's claim for what they spent: lines, perhaps less an advance."""

    __tablename__ = "oa_expense_claim"
    __recycle_permission__ = SUBMIT
    __table_args__ = (
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        tenant_fk("advance_id", "oa_expense_advance"),
        # An advance is deducted from one claim at most, whoever tries at the same moment.
        tenant_unique("advance_id"),
        Index("ix_oa_expense_claim_user", "tenant_id", "user_id"),
        Index("ix_oa_expense_claim_status", "tenant_id", "status", "submitted_at"),
    )

    user_id: Mapped[uuid.UUID]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    #: Set on submission: a line exceeds its category's limit. Workflow conditions read it.
    over_limit: Mapped[bool] = mapped_column(default=False)
    #: How many lines the claim had when submitted. Workflow conditions may read it too.
    line_count: Mapped[int] = mapped_column(default=0)
    advance_id: Mapped[uuid.UUID | None]
    approval_id: Mapped[uuid.UUID | None]
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    paid_by: Mapped[uuid.UUID | None]
    payment_reference: Mapped[str | None] = mapped_column(String(120))


class ExpenseLine(TenantModel, Timestamps):
    """One expense of a claim: when, what for, how much in which currency, and its receipt."""

    __tablename__ = "oa_expense_line"
    # Part of its claim: deleted alone it is gone (audited), binned only with the claim.
    __recycle__ = False
    __table_args__ = (
        tenant_fk("claim_id", "oa_expense_claim", ondelete="CASCADE"),
        # A category in use is archived, not deleted.
        tenant_fk("category_id", "oa_expense_category"),
        file_fk("receipt_file_id"),
        CheckConstraint("amount > 0", name="amount"),
        Index("ix_oa_expense_line_claim", "tenant_id", "claim_id"),
        Index("ix_oa_expense_line_category", "tenant_id", "category_id", "spent_on"),
        # The platform asks "does anything still hold this file?" by this column.
        Index("ix_oa_expense_line_receipt", "tenant_id", "receipt_file_id"),
    )

    claim_id: Mapped[uuid.UUID]
    category_id: Mapped[uuid.UUID]
    spent_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(String(500), default="")
    receipt_file_id: Mapped[uuid.UUID | None]
    #: Set on submission: this line is (part of) what exceeds its category's limit.
    over_limit: Mapped[bool] = mapped_column(default=False)
