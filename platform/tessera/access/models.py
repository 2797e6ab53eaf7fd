"""Custom roles and who holds them. Built-in roles (owner, admin, member) live on the membership.

A custom role is a named set of permission grants, composed by a tenant's admins from the
permissions of the modules they enabled. A grant of a scoped permission says for which records:
the holder's own, their team's (their reports, through the reporting line), or all.
"""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import TenantModel, Timestamps, tenant_fk, tenant_unique

SCOPES = ("own", "team", "all")


class Role(TenantModel, Timestamps):
    __tablename__ = "access_role"
    __table_args__ = (tenant_unique("name"),)

    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(400), default="")


class RoleGrant(TenantModel):
    __tablename__ = "access_role_grant"
    # Part of its role: binned (and restored) with the role, not on its own.
    __recycle__ = False
    __table_args__ = (
        tenant_fk("role_id", "access_role", ondelete="CASCADE"),
        tenant_unique("role_id", "permission"),
        CheckConstraint("scope IN ('own', 'team', 'all')", name="scope"),
    )

    role_id: Mapped[uuid.UUID]
    permission: Mapped[str] = mapped_column(String(120))
    scope: Mapped[str] = mapped_column(String(10), default="all")


class MemberRole(TenantModel):
    __tablename__ = "access_member_role"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("role_id", "access_role", ondelete="CASCADE"),
        tenant_fk("membership_id", "identity_membership", ondelete="CASCADE"),
        tenant_unique("membership_id", "role_id"),
    )

    membership_id: Mapped[uuid.UUID]
    role_id: Mapped[uuid.UUID]
