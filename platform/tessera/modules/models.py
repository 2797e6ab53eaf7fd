"""Which installed modules (plugins) each tenant has switched on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import TenantModel, Timestamps, tenant_unique


class TenantModule(TenantModel, Timestamps):
    __tablename__ = "tenant_module"
    # A switch, not a record: purging a module removes it for good.
    __recycle__ = False
    __table_args__ = (tenant_unique("module"),)

    module: Mapped[str] = mapped_column(String(40))
    enabled: Mapped[bool]
    first_enabled_at: Mapped[datetime]
    #: When it was last switched on or off.
    switched_at: Mapped[datetime]
