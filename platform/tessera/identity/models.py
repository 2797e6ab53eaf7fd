"""Users, memberships, sessions, API tokens and invitations.

A user is one global identity (platform table); a membership ties a user to a tenant and
carries the member's role (tenant-owned). Sessions are per user and point at the tenant the
user is working in. API tokens and invitations belong to a tenant.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import PlatformModel, TenantModel, Timestamps, tenant_fk, tenant_unique
from tessera.db.ids import uuid7

ROLES = ("owner", "admin", "member")
_ROLE_CHECK = "role IN ('owner', 'admin', 'member')"


class User(PlatformModel, Timestamps):
    __tablename__ = "identity_user"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    #: Stored lower-cased, so uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    email_verified_at: Mapped[datetime | None]
    is_active: Mapped[bool] = mapped_column(server_default="true")


class Membership(TenantModel, Timestamps):
    __tablename__ = "identity_membership"
    __table_args__ = (
        tenant_unique("user_id"),
        CheckConstraint(_ROLE_CHECK, name="role"),
        tenant_fk("manager_id", "identity_membership"),
        Index("ix_identity_membership_manager", "tenant_id", "manager_id"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identity_user.id", ondelete="CASCADE"))
    #: The built-in role; custom roles are added through tessera.access.
    role: Mapped[str] = mapped_column(String(20))
    #: The member's manager (a membership): the reporting line that makes teams.
    manager_id: Mapped[uuid.UUID | None]


class Session(PlatformModel):
    """A browser session. Only the SHA-256 of the cookie value is stored."""

    __tablename__ = "identity_session"

    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("identity_user.id", ondelete="CASCADE"), index=True
    )
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tenant.id", ondelete="SET NULL")
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    #: Indexed for the dispatcher's hourly purge of expired sessions.
    expires_at: Mapped[datetime] = mapped_column(index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(400))


class ApiToken(TenantModel, Timestamps):
    """A personal API token of one member in one tenant; only a hash of its secret is kept."""

    __tablename__ = "identity_api_token"
    __table_args__ = (tenant_fk("membership_id", "identity_membership", ondelete="CASCADE"),)

    membership_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(100))
    secret_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    #: The last characters of the token, shown in lists so a user can tell tokens apart.
    hint: Mapped[str] = mapped_column(String(8))
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class Invitation(TenantModel, Timestamps):
    __tablename__ = "identity_invitation"
    __table_args__ = (
        tenant_fk("invited_by_id", "identity_membership"),
        CheckConstraint(_ROLE_CHECK, name="role"),
    )

    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    invited_by_id: Mapped[uuid.UUID | None]
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class UsedToken(PlatformModel):
    """Signed single-use tokens (email verification, password reset) once they are spent."""

    __tablename__ = "identity_used_token"

    jti: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    purpose: Mapped[str] = mapped_column(String(40))
    used_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class LoginThrottle(PlatformModel):
    """Failed log-in attempts per key (an email or an address) in the current window."""

    __tablename__ = "identity_login_throttle"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    window_started_at: Mapped[datetime]
    failures: Mapped[int]
