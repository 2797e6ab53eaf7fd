"""Request and response shapes of accounts and contacts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

import msgspec

from tessera.plugin import Input

T = TypeVar("T")

#: What the API takes as an email, a phone number and a website (imports check the same).
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE_PATTERN = r"^[0-9+()./ \-x]*[0-9][0-9+()./ \-x]*$"
WEBSITE_PATTERN = r"^https?://\S+$"

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
PersonName = Annotated[str, msgspec.Meta(max_length=100)]
Email = Annotated[str, msgspec.Meta(max_length=320, pattern=EMAIL_PATTERN)]
Phone = Annotated[str, msgspec.Meta(max_length=40, pattern=PHONE_PATTERN)]
Website = Annotated[str, msgspec.Meta(max_length=300, pattern=WEBSITE_PATTERN)]
Short = Annotated[str, msgspec.Meta(max_length=100)]
Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"^\S(.*\S)?$")]
Tags = Annotated[list[Tag], msgspec.Meta(max_length=20)]
Notes = Annotated[str, msgspec.Meta(max_length=10_000)]


class Address(Input):
    street: Annotated[str, msgspec.Meta(max_length=200)] = ""
    city: Short = ""
    region: Short = ""
    postal_code: Annotated[str, msgspec.Meta(max_length=20)] = ""
    country: Short = ""


class AccountIn(Input):
    name: Name
    website: Website | None = None
    email: Email | None = None
    phone: Phone | None = None
    industry: Short | None = None
    address: Address | None = None
    tags: Tags = msgspec.field(default_factory=list)
    notes: Notes = ""
    #: A member of the tenant; default: whoever creates it.
    owner_id: uuid.UUID | None = None
    #: Create it although it looks like an existing account (after a duplicate warning).
    allow_duplicate: bool = False


class AccountPatch(Input):
    name: Name | None = None
    website: Website | None = None
    email: Email | None = None
    phone: Phone | None = None
    industry: Short | None = None
    address: Address | None = None
    tags: Tags | None = None
    notes: Notes | None = None
    owner_id: uuid.UUID | None = None


class AccountOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    website: str | None
    email: str | None
    phone: str | None
    industry: str | None
    address: dict[str, Any]
    tags: list[str]
    notes: str
    owner_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class ContactIn(Input):
    last_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    first_name: PersonName = ""
    account_id: uuid.UUID | None = None
    title: Short | None = None
    email: Email | None = None
    phone: Phone | None = None
    tags: Tags = msgspec.field(default_factory=list)
    notes: Notes = ""
    owner_id: uuid.UUID | None = None
    allow_duplicate: bool = False


class ContactPatch(Input):
    last_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    first_name: PersonName | None = None
    account_id: uuid.UUID | None = None
    title: Short | None = None
    email: Email | None = None
    phone: Phone | None = None
    tags: Tags | None = None
    notes: Notes | None = None
    owner_id: uuid.UUID | None = None


class ContactOut(msgspec.Struct):
    id: uuid.UUID
    first_name: str
    last_name: str
    account_id: uuid.UUID | None
    title: str | None
    email: str | None
    phone: str | None
    tags: list[str]
    notes: str
    owner_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class ContactPage(msgspec.Struct):
    """A page of contacts; ``total`` only when asked for."""

    items: list[ContactOut]
    next_cursor: str | None
    total: int | None = None
    #: The total is the planner's estimate (lists of more than 10,000 matches).
    total_is_estimate: bool = False


class Duplicate(msgspec.Struct, omit_defaults=True):
    id: uuid.UUID
    label: str
    #: What matched: name, email or phone
    matched: list[str]
    #: What the record is, where a check looks at more than one kind (lead or contact)
    kind: str | None = None


class MergeIn(Input):
    #: The record merged into this one, and then deleted (to the recycle bin).
    duplicate_id: uuid.UUID


class Merged(msgspec.Struct, Generic[T]):
    #: The survivor, as it is after the merge.
    record: T
    merged_id: uuid.UUID
    #: Links moved from the duplicate to the survivor, by table.column: {"crm_deal.account_id": 2}.
    moved: dict[str, int]
