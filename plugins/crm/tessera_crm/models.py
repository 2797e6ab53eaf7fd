"""Accounts (companies) and contacts (people), each owned by a member."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, tenant_fk


class Account(TenantModel, Timestamps):
    __tablename__ = "crm_account"
    __recycle_permission__ = "crm.account.write"
    __table_args__ = (
        # Record rules compare the owner; duplicate checks look up the keys.
        Index("ix_crm_account_owner", "tenant_id", "owner_id"),
        Index("ix_crm_account_name_key", "tenant_id", "name_key"),
        Index("ix_crm_account_email_key", "tenant_id", "email_key"),
        Index("ix_crm_account_phone_key", "tenant_id", "phone_key"),
    )

    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320))
    email_key: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_key: Mapped[str | None] = mapped_column(String(40))
    industry: Mapped[str | None] = mapped_column(String(100))
    #: street, city, region, postal_code, country
    address: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[uuid.UUID | None]


class Contact(TenantModel, Timestamps):
    __tablename__ = "crm_contact"
    __recycle_permission__ = "crm.contact.write"
    __table_args__ = (
        # Deleting an account takes its contacts to the recycle bin with it (and back).
        tenant_fk("account_id", "crm_account", ondelete="CASCADE"),
        Index("ix_crm_contact_account", "tenant_id", "account_id"),
        Index("ix_crm_contact_owner", "tenant_id", "owner_id"),
        Index("ix_crm_contact_email_key", "tenant_id", "email_key"),
        Index("ix_crm_contact_phone_key", "tenant_id", "phone_key"),
    )

    account_id: Mapped[uuid.UUID | None]
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    email_key: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_key: Mapped[str | None] = mapped_column(String(40))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[uuid.UUID | None]
