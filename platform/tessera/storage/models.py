"""Stored files, the bytes waiting to be removed, and each tenant's size limit."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import TenantModel, Timestamps, tenant_unique


class StoredFile(TenantModel):
    """A file's metadata; its bytes are in the store under ``key``.

    Plugins refer to a file by a foreign key to this table (``tessera.plugin.file_fk``), which
    is also what keeps it: see ``tessera.storage.service`` for when a file is removed.
    """

    __tablename__ = "stored_file"
    __table_args__ = (
        CheckConstraint("size >= 0", name="size"),
        CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256"),
        Index("ix_stored_file_created", "tenant_id", "created_at"),
    )
    # A file is not a record a person deletes and restores: the records that hold it are.
    __recycle__ = False

    key: Mapped[str] = mapped_column(String(300))
    #: The name the uploader gave, cleaned: shown and sent back, never used as a path.
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column(BigInteger)
    #: Lowercase hex SHA-256 of the bytes, computed while they streamed in.
    sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class StorageCleanup(TenantModel):
    """Bytes in the store that no file row needs (or may soon not), to remove from
    ``not_before`` on: an upload under way or abandoned, or a deleted file's bytes."""

    __tablename__ = "storage_cleanup"
    __table_args__ = (Index("ix_storage_cleanup_due", "tenant_id", "not_before"),)
    # Bookkeeping of the store, not a record: neither binned nor audited (uploading and
    # deleting a file are audited on stored_file).
    __recycle__ = False
    __audit__ = False

    key: Mapped[str] = mapped_column(String(300))
    not_before: Mapped[datetime]


class StorageSetting(TenantModel, Timestamps):
    """A tenant's own storage settings; no row means the platform's defaults."""

    __tablename__ = "storage_setting"
    __table_args__ = (
        tenant_unique(),
        CheckConstraint("max_file_bytes > 0", name="max_file_bytes"),
    )
    __recycle__ = False

    max_file_bytes: Mapped[int] = mapped_column(BigInteger)
