"""The company profile: one row per tenant, or none while the tenant has not filled it in."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import TenantModel, Timestamps, tenant_fk, tenant_unique


class CompanyProfile(TenantModel, Timestamps):
    __tablename__ = "company_profile"
    __table_args__ = (
        tenant_unique(),
        # RESTRICT: the logo is held by this row (see tessera.storage.service, "When a file goes").
        tenant_fk("logo_file_id", "stored_file", ondelete="RESTRICT"),
        CheckConstraint("length(btrim(legal_name)) > 0", name="legal_name"),
    )
    # A profile is edited, never deleted: there is nothing to restore.
    __recycle__ = False

    legal_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, server_default="")
    tax_id: Mapped[str] = mapped_column(String(50), server_default="")
    phone: Mapped[str] = mapped_column(String(50), server_default="")
    email: Mapped[str] = mapped_column(String(254), server_default="")
    logo_file_id: Mapped[uuid.UUID | None]
