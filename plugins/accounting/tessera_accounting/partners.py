"""Partners: the customers and vendors invoices, bills and payments are with.

A partner linked to a CRM account keeps its id (``crm_account_id``, unique per tenant when set)
so ``ensure_partner`` finds it again and events carry it back to CRM. Partners are archived
(``active``), never deleted: journal lines refer to them.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, cast

import msgspec
from sqlalchemy import CheckConstraint, String, Table, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import (
    Conflict,
    Input,
    Invalid,
    NotFound,
    TenantModel,
    Timestamps,
    checked_currency,
    tenant_fk,
    tenant_unique,
)
from tessera_accounting.models import JournalLine

PARTNER_READ, PARTNER_WRITE = "accounting.partner.read", "accounting.partner.write"
#: ``both`` buys from and sells to the company.
PARTNER_KINDS = ("customer", "vendor", "both")
MAX_TERMS_DAYS = 3650


class Partner(TenantModel, Timestamps):
    __tablename__ = "accounting_partner"
    __recycle_permission__ = PARTNER_WRITE
    __table_args__ = (
        tenant_unique("crm_account_id"),
        CheckConstraint("kind IN ('customer', 'vendor', 'both')", name="kind"),
        CheckConstraint(f"payment_terms_days BETWEEN 0 AND {MAX_TERMS_DAYS}", name="terms"),
        CheckConstraint("currency IS NULL OR currency ~ '^[A-Z]{3}$'", name="currency"),
        CheckConstraint("length(btrim(name)) > 0", name="name"),
    )

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    tax_id: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    #: The currency its documents default to; None: the company's.
    currency: Mapped[str | None] = mapped_column(String(3))
    payment_terms_days: Mapped[int] = mapped_column(default=0)
    crm_account_id: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)


# Journal lines (the ledger's table, revision a001) name partners by a plain column; revision
# a002, which creates partners, adds the foreign key, and so does the model here.
cast(Table, JournalLine.__table__).append_constraint(tenant_fk("partner_id", "accounting_partner"))


Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Email = Annotated[str, msgspec.Meta(max_length=254)]
Short = Annotated[str, msgspec.Meta(max_length=50)]
Address = Annotated[str, msgspec.Meta(max_length=2000)]
Kind = Annotated[str, msgspec.Meta(pattern="^(customer|vendor|both)$")]
Terms = Annotated[int, msgspec.Meta(ge=0, le=MAX_TERMS_DAYS)]
CrmId = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class PartnerIn(Input):
    name: Name
    kind: Kind
    email: Email = ""
    phone: Short = ""
    tax_id: Short = ""
    address: Address = ""
    #: ISO 4217; null: the company's currency.
    currency: str | None = None
    payment_terms_days: Terms = 0
    crm_account_id: CrmId | None = None


class PartnerPatch(Input):
    name: Name | None = None
    kind: Kind | None = None
    email: Email | None = None
    phone: Short | None = None
    tax_id: Short | None = None
    address: Address | None = None
    currency: str | msgspec.UnsetType | None = msgspec.UNSET
    payment_terms_days: Terms | None = None
    crm_account_id: CrmId | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | None = None


class PartnerOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    kind: str
    email: str
    phone: str
    tax_id: str
    address: str
    currency: str | None
    payment_terms_days: int
    crm_account_id: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


def partner_out(partner: Partner) -> PartnerOut:
    return PartnerOut(
        id=partner.id,
        name=partner.name,
        kind=partner.kind,
        email=partner.email,
        phone=partner.phone,
        tax_id=partner.tax_id,
        address=partner.address,
        currency=partner.currency,
        payment_terms_days=partner.payment_terms_days,
        crm_account_id=partner.crm_account_id,
        active=partner.active,
        created_at=partner.created_at,
        updated_at=partner.updated_at,
    )


def _name(value: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise Invalid("name", "must not be empty")
    return cleaned


def _currency(value: str | None) -> str | None:
    return None if value is None else checked_currency(value, "currency")


async def _crm_free(db: AsyncSession, crm_account_id: str | None, but: uuid.UUID | None) -> None:
    if crm_account_id is None:
        return
    taken = await db.scalar(
        select(Partner.id).where(Partner.crm_account_id == crm_account_id, Partner.id != but)
        if but is not None
        else select(Partner.id).where(Partner.crm_account_id == crm_account_id)
    )
    if taken is not None:
        raise Conflict(f"Another partner is linked to the CRM account {crm_account_id!r}.")


async def create_partner(db: AsyncSession, tenant_id: uuid.UUID, data: PartnerIn) -> Partner:
    await _crm_free(db, data.crm_account_id, None)
    partner = Partner(
        tenant_id=tenant_id,
        name=_name(data.name),
        kind=data.kind,
        email=data.email.strip(),
        phone=data.phone.strip(),
        tax_id=data.tax_id.strip(),
        address=data.address.strip(),
        currency=_currency(data.currency),
        payment_terms_days=data.payment_terms_days,
        crm_account_id=data.crm_account_id,
    )
    db.add(partner)
    await db.flush()
    return partner


async def change_partner(db: AsyncSession, partner_id: uuid.UUID, data: PartnerPatch) -> Partner:
    partner = await get_partner(db, partner_id, lock=True)
    if not isinstance(data.crm_account_id, msgspec.UnsetType):
        await _crm_free(db, data.crm_account_id, partner.id)
        partner.crm_account_id = data.crm_account_id
    if not isinstance(data.currency, msgspec.UnsetType):
        partner.currency = _currency(data.currency)
    if data.name is not None:
        partner.name = _name(data.name)
    texts: dict[str, Any] = {
        "email": data.email,
        "phone": data.phone,
        "tax_id": data.tax_id,
        "address": data.address,
    }
    for field, value in texts.items():
        if value is not None:
            setattr(partner, field, value.strip())
    for field, given in (
        ("kind", data.kind),
        ("payment_terms_days", data.payment_terms_days),
        ("active", data.active),
    ):
        if given is not None:
            setattr(partner, field, given)
    await db.flush()
    # The change moved updated_at in the database: read it back before showing the partner.
    await db.refresh(partner)
    return partner


async def get_partner(db: AsyncSession, partner_id: uuid.UUID, *, lock: bool = False) -> Partner:
    """The current tenant's partner; 404 for another tenant's, as for none."""
    query = select(Partner).where(Partner.id == partner_id)
    partner = await db.scalar(query.with_for_update() if lock else query)
    if partner is None:
        raise NotFound("No partner has this id.")
    return partner


async def partner_for(
    db: AsyncSession, partner_id: uuid.UUID, kind: str, field: str = "partner_id"
) -> Partner:
    """A partner a document may be made out to: of this tenant (else 422, as an unknown id in a
    body is), active, and a customer for a customer invoice or a vendor for a bill."""
    partner = await db.scalar(select(Partner).where(Partner.id == partner_id))
    if partner is None:
        raise Invalid(field, "no partner of this company has this id")
    if not partner.active:
        raise Invalid(field, f"the partner {partner.name!r} is archived")
    wanted = "customer" if kind == "customer" else "vendor"
    if partner.kind not in (wanted, "both"):
        raise Invalid(field, f"the partner {partner.name!r} is not a {wanted}")
    return partner


async def ensure_partner(db: AsyncSession, tenant_id: uuid.UUID, given: Any) -> uuid.UUID:
    """``accounting.invoicing``'s ensure_partner: by id, then by CRM account, else a new one."""
    if not isinstance(given, dict) and not hasattr(given, "get"):
        raise Invalid("partner", "must be an object")
    partner_id = given.get("id")
    if partner_id is not None:
        return (await get_partner(db, _uuid(partner_id, "partner.id"))).id
    crm_account_id = given.get("crm_account_id")
    if crm_account_id is not None:
        if not isinstance(crm_account_id, str) or not crm_account_id.strip():
            raise Invalid("partner.crm_account_id", "must be text")
        found = await db.scalar(
            select(Partner.id).where(Partner.crm_account_id == crm_account_id.strip())
        )
        if found is not None:
            return found
    name, kind = given.get("name"), given.get("kind", "customer")
    if not isinstance(name, str):
        raise Invalid("partner.name", "is required to create a partner")
    if kind not in PARTNER_KINDS:
        raise Invalid("partner.kind", "must be customer, vendor or both")
    data = PartnerIn(
        name=name[:200],
        kind=kind,
        crm_account_id=crm_account_id.strip() if isinstance(crm_account_id, str) else None,
    )
    return (await create_partner(db, tenant_id, data)).id


def _uuid(value: object, field: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Invalid(field, "must be an id (a UUID)") from None
