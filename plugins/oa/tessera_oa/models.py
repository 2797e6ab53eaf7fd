"""The office's tables: the org structure (departments and who is in them)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, member_fk, tenant_fk, tenant_unique


class Department(TenantModel, Timestamps):
    """A unit of the organisation, inside at most one parent; its head is a member.

    Who reports to whom stays the core's reporting line (each membership's manager): a
    department groups people, it is not a second chain of command.
    """

    __tablename__ = "oa_department"
    __recycle_permission__ = "oa.department.manage"
    __table_args__ = (
        # No cascade: a department with sub-departments is not deleted (the API says 409).
        tenant_fk("parent_id", "oa_department"),
        member_fk("head_user_id", ondelete="SET NULL"),
        tenant_unique("name"),
        Index("ix_oa_department_parent", "tenant_id", "parent_id"),
    )

    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[uuid.UUID | None]
    head_user_id: Mapped[uuid.UUID | None]


class DepartmentMember(TenantModel):
    """A member's place in a department: at most one department per member."""

    __tablename__ = "oa_department_member"
    __recycle_permission__ = "oa.department.manage"
    __table_args__ = (
        tenant_fk("department_id", "oa_department", ondelete="CASCADE"),
        # Removing someone from the tenant removes their place (restored with them).
        member_fk("user_id", ondelete="CASCADE"),
        tenant_unique("user_id"),
        Index("ix_oa_department_member_department", "tenant_id", "department_id", "user_id"),
    )

    department_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
