"""Model base classes.

Two kinds of table exist. *Tenant-owned* tables (the vast majority) derive from
:class:`TenantModel`: ``tenant_id`` leads the primary key, every unique constraint and every
foreign key to another tenant-owned table, and their migration enables and forces row-level
security. *Platform* tables (tenants, users, sessions …) derive from :class:`PlatformModel`;
they are few, and each is named in :data:`PLATFORM_TABLES` so a test can tell a deliberate
platform table from a tenant-owned table that forgot its ``tenant_id``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, ForeignKey, ForeignKeyConstraint, MetaData, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from tessera.db.ids import uuid7

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Names of the tables that are not tenant-owned. Kept short on purpose.
PLATFORM_TABLES: set[str] = set()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), sort_order=90)
    updated_at: Mapped[datetime] = mapped_column(
        server_default=func.now(), onupdate=func.now(), sort_order=91
    )


class PlatformModel(Base):
    """A table shared by all tenants. Declaring one is a design decision: name it in docs."""

    __abstract__ = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("__tablename__")
        if isinstance(name, str):
            PLATFORM_TABLES.add(name)


class TenantModel(Base):
    """A tenant-owned table: primary key ``(tenant_id, id)``, RLS forced by its migration."""

    __abstract__ = True

    @declared_attr
    @classmethod
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(
            ForeignKey("tenant.id", ondelete="RESTRICT"), primary_key=True, sort_order=-20
        )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7, sort_order=-10)


def tenant_fk(
    column: str, target_table: str, *, target_column: str = "id", ondelete: str | None = None
) -> ForeignKeyConstraint:
    """A foreign key to a tenant-owned table that cannot point into another tenant.

    ``tenant_fk("owner_id", "identity_membership")`` references
    ``identity_membership(tenant_id, id)`` from ``(tenant_id, owner_id)``. With
    ``ondelete="SET NULL"`` only ``column`` is cleared: ``tenant_id`` is part of the key and
    never NULL, so a plain ``SET NULL`` on the pair would make every such delete fail.
    """
    if ondelete is not None and ondelete.strip().upper() == "SET NULL":
        ondelete = f"SET NULL ({column})"
    return ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target_table}.tenant_id", f"{target_table}.{target_column}"],
        ondelete=ondelete,
    )


def tenant_unique(*columns: str, name: str | None = None) -> UniqueConstraint:
    """A uniqueness rule inside one tenant: ``tenant_id`` is always part of it."""
    return UniqueConstraint("tenant_id", *columns, name=name)
