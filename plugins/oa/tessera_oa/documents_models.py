"""The document store's tables: folders in a tree, who each folder is shared with, documents
and their versions. The bytes are the platform's stored files; a version refers to one."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, file_fk, member_fk, tenant_fk, tenant_unique

#: Who brings a deleted folder or document back: members what they deleted, admins anything.
RESTORE = "oa.document.restore"
ACCESS = ("read", "write")
BUILT_IN_ROLES = ("owner", "admin", "member")
#: How far folders nest: deep enough for any office's drive, and a walk on bad data still ends.
MAX_DEPTH = 32


class Folder(TenantModel, Timestamps):
    """A folder, inside at most one parent. Deleting one takes what is inside along (into the
    recycle bin together, and back together)."""

    __tablename__ = "oa_folder"
    __recycle_permission__ = RESTORE
    __table_args__ = (
        tenant_fk("parent_id", "oa_folder", ondelete="CASCADE"),
        # Its creator manages it; one who leaves the tenant no longer does.
        member_fk("created_by", ondelete="SET NULL"),
        Index("ix_oa_folder_parent", "tenant_id", "parent_id"),
        Index("ix_oa_folder_creator", "tenant_id", "created_by"),
        # Sibling names differ regardless of case, at the top as below a parent.
        Index(
            "uq_oa_folder_sibling_name",
            "tenant_id",
            "parent_id",
            func.lower(text("name")),
            unique=True,
            postgresql_where=text("parent_id IS NOT NULL"),
        ),
        Index(
            "uq_oa_folder_top_name",
            "tenant_id",
            func.lower(text("name")),
            unique=True,
            postgresql_where=text("parent_id IS NULL"),
        ),
    )

    name: Mapped[str] = mapped_column(String(255))
    parent_id: Mapped[uuid.UUID | None]
    created_by: Mapped[uuid.UUID | None]


class FolderShare(TenantModel, Timestamps):
    """A folder shared, for reading or writing, with one member, everyone of a built-in role,
    the holders of a custom role, or a department (and the departments below it). A share
    reaches every folder below its own."""

    __tablename__ = "oa_folder_share"
    # Removing a share is a change of the folder's settings, kept by the audit trail; a share
    # goes to the bin only with its folder.
    __recycle__ = False
    __table_args__ = (
        tenant_fk("folder_id", "oa_folder", ondelete="CASCADE"),
        member_fk("user_id", ondelete="CASCADE"),
        tenant_fk("role_id", "access_role", ondelete="CASCADE"),
        tenant_fk("department_id", "oa_department", ondelete="CASCADE"),
        CheckConstraint("num_nonnulls(user_id, role, role_id, department_id) = 1", name="grantee"),
        CheckConstraint("role IN ('owner', 'admin', 'member')", name="role"),
        CheckConstraint("access IN ('read', 'write')", name="access"),
        # One share per folder and grantee; each also finds a grantee's shares.
        Index(
            "uq_oa_folder_share_user",
            "tenant_id",
            "user_id",
            "folder_id",
            unique=True,
            postgresql_where=text("user_id IS NOT NULL"),
        ),
        Index(
            "uq_oa_folder_share_role",
            "tenant_id",
            "role",
            "folder_id",
            unique=True,
            postgresql_where=text("role IS NOT NULL"),
        ),
        Index(
            "uq_oa_folder_share_custom_role",
            "tenant_id",
            "role_id",
            "folder_id",
            unique=True,
            postgresql_where=text("role_id IS NOT NULL"),
        ),
        Index(
            "uq_oa_folder_share_department",
            "tenant_id",
            "department_id",
            "folder_id",
            unique=True,
            postgresql_where=text("department_id IS NOT NULL"),
        ),
        Index("ix_oa_folder_share_folder", "tenant_id", "folder_id"),
    )

    folder_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID | None]
    role: Mapped[str | None] = mapped_column(String(20))
    role_id: Mapped[uuid.UUID | None]
    department_id: Mapped[uuid.UUID | None]
    access: Mapped[str] = mapped_column(String(10))
    created_by: Mapped[uuid.UUID | None]


class Document(TenantModel, Timestamps):
    """A document in a folder: its name, and what its newest version is (the versions keep
    the files). Names differ within a folder regardless of case: uploading a name the folder
    has adds a version."""

    __tablename__ = "oa_document"
    __recycle_permission__ = RESTORE
    __table_args__ = (
        tenant_fk("folder_id", "oa_folder", ondelete="CASCADE"),
        CheckConstraint("version >= 1", name="version"),
        Index(
            "uq_oa_document_folder_name",
            "tenant_id",
            "folder_id",
            func.lower(text("name")),
            unique=True,
        ),
        Index("ix_oa_document_updated", "tenant_id", "updated_at"),
    )

    folder_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(255))
    #: The newest version's number, size and type, so that lists need no join.
    version: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(127))
    created_by: Mapped[uuid.UUID | None]
    #: Who uploaded the newest version.
    updated_by: Mapped[uuid.UUID | None]


class DocumentVersion(TenantModel):
    """One upload of a document. Its file is held through ``file_id`` for as long as the
    version exists, in the recycle bin included."""

    __tablename__ = "oa_document_version"
    # Versions go to the bin with their document, not on their own.
    __recycle__ = False
    __table_args__ = (
        tenant_fk("document_id", "oa_document", ondelete="CASCADE"),
        file_fk("file_id"),
        tenant_unique("document_id", "number"),
        CheckConstraint("number >= 1", name="number"),
        # The platform asks "does anything still hold this file?" by this column.
        Index("ix_oa_document_version_file", "tenant_id", "file_id"),
    )

    document_id: Mapped[uuid.UUID]
    number: Mapped[int] = mapped_column(Integer)
    file_id: Mapped[uuid.UUID]
    #: The name it was uploaded under (cleaned by the platform), its size, type and SHA-256.
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(127))
    sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
