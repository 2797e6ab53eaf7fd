"""What the contracts API takes and answers.

Money is decimal text (``"1200.50"``) or an integer, in the currency's minor units; a JSON
float is refused by name (``tessera.plugin.checked_money``).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from tessera.plugin import Input

#: Up to the 15 whole digits the tables keep (NUMERIC(18, 3)); the decimals allowed depend on
#: the currency and are checked with it, so that "1.005" in CNY is refused by name.
DECIMAL_TEXT = r"^-?[0-9]{1,15}(\.[0-9]{1,6})?$"
LIMIT = 10**15
#: Money as decimal text or an integer. Floats are admitted by the type only to be refused by
#: name (``checked_money``): 0.1 is not a tenth.
Number = (
    Annotated[str, msgspec.Meta(pattern=DECIMAL_TEXT)]
    | Annotated[int, msgspec.Meta(gt=-LIMIT, lt=LIMIT)]
    | float
)
ContractNumber = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"\S")]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Currency = Annotated[str, msgspec.Meta(min_length=3, max_length=3)]


class InstalmentIn(Input):
    due_date: date
    amount: Number


class ContractIn(Input):
    number: ContractNumber
    title: Title
    account_id: uuid.UUID
    currency: Currency
    amount: Number
    #: Who hears of due instalments; the maker when not given.
    owner_id: uuid.UUID | None = None
    #: The payment plan: together the instalments make exactly the amount.
    instalments: Annotated[list[InstalmentIn], msgspec.Meta(max_length=60)] = msgspec.field(
        default_factory=list
    )


class ContractPatch(Input):
    """What is given changes; the plan is replaced whole when given."""

    number: ContractNumber | None = None
    title: Title | None = None
    account_id: uuid.UUID | None = None
    currency: Currency | None = None
    amount: Number | None = None
    owner_id: uuid.UUID | None = None
    instalments: Annotated[list[InstalmentIn], msgspec.Meta(max_length=60)] | None = None


class SignIn(Input):
    #: The day it was signed; today when not given.
    signed_on: date | None = None


class PaymentIn(Input):
    amount: Number
    paid_on: date
    #: The instalment paid: by id, or by its number in the plan (1 for the first due).
    instalment_id: uuid.UUID | None = None
    instalment: Annotated[int, msgspec.Meta(ge=1, le=60)] | None = None
    note: Annotated[str, msgspec.Meta(max_length=200)] = ""


class SettingsPatch(Input):
    approval_threshold: Number | None = None
    approval_currency: Currency | None = None
    reminder_days: Annotated[int, msgspec.Meta(ge=0, le=90)] | None = None


class InstalmentOut(msgspec.Struct):
    id: uuid.UUID
    position: int
    due_date: date
    amount: Decimal
    paid: Decimal
    #: open or paid
    status: str


class ContractOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    number: str
    title: str
    account_id: uuid.UUID
    account_name: str
    currency: str
    amount: Decimal
    status: str
    signed_on: date | None
    owner_id: uuid.UUID | None
    approval_id: uuid.UUID | None
    paid: Decimal
    outstanding: Decimal
    instalments: list[InstalmentOut]
    created_at: datetime
    updated_at: datetime


class PaymentOut(msgspec.Struct):
    id: uuid.UUID
    contract_id: uuid.UUID
    instalment_id: uuid.UUID
    amount: Decimal
    paid_on: date
    note: str
    recorded_by: uuid.UUID | None


class SettingsOut(msgspec.Struct):
    #: Contracts in approval_currency above this amount need approval; in another, always.
    approval_threshold: Decimal
    approval_currency: str
    #: Owners hear of an unpaid instalment this many days before it is due.
    reminder_days: int


class Series(msgspec.Struct):
    #: The currency the amounts are in.
    name: str
    data: list[Decimal]
    total: Decimal


class DueByMonthOut(msgspec.Struct, kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    #: The months, as YYYY-MM.
    labels: list[str]
    series: list[Series]
