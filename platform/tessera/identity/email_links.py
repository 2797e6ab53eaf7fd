"""Links sent by email: verifying an address, and resetting a forgotten password.

Both are signed, expiring tokens (tessera.security.signed) spent on first use: the token's
id goes into ``identity_used_token``, so a second click finds it there and is refused.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.errors import Gone, Invalid
from tessera.identity import throttle
from tessera.identity.models import UsedToken, User
from tessera.identity.service import end_all_sessions, get_user_by_email
from tessera.mail.service import Message
from tessera.security.passwords import check_password_rules, hash_password
from tessera.unit_of_work import UnitOfWork

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"  # noqa: S105 - a purpose name, not a password


def queue_verification(uow: UnitOfWork, user: User) -> None:
    token = uow.signer.issue(
        VERIFY_EMAIL,
        str(user.id),
        timedelta(hours=uow.settings.email_token_ttl_hours),
        email=user.email,
    )
    link = f"{uow.settings.public_url}/verify-email?token={token}"
    uow.mail.add(
        Message(
            to=user.email,
            subject="Confirm your email address for Tessera",
            body=f"Hello {user.name},\n\nconfirm your email address by opening this link:\n{link}\n",
            link=link,
        )
    )


async def verify_email(uow: UnitOfWork, token: str) -> User:
    claims = uow.signer.read(token, VERIFY_EMAIL)
    user = await uow.db.get(User, uuid.UUID(claims["sub"]))
    if user is None or user.email != claims.get("email"):
        raise Invalid("token", "does not match an account")
    await _spend(uow.db, claims, VERIFY_EMAIL)
    if user.email_verified_at is None:
        user.email_verified_at = datetime.now(UTC)
    return user


async def limit_mail(uow: UnitOfWork, email: str) -> None:
    """Links by mail are limited per address and per client, so nobody can flood an inbox."""
    limits = {throttle.mail_key(email): uow.settings.login_max_failures_per_email}
    if uow.origin.ip:
        limits[throttle.mail_ip_key(uow.origin.ip)] = uow.settings.login_max_failures_per_ip
    await throttle.take(uow.db, limits, timedelta(seconds=uow.settings.login_window_seconds))


async def request_password_reset(uow: UnitOfWork, email: str) -> None:
    """Queue a reset link if the account exists; say nothing either way (no account probing)."""
    await limit_mail(uow, email)
    user = await get_user_by_email(uow.db, email)
    if user is None or not user.is_active:
        return
    token = uow.signer.issue(
        RESET_PASSWORD,
        str(user.id),
        timedelta(minutes=uow.settings.password_reset_ttl_minutes),
    )
    link = f"{uow.settings.public_url}/reset-password?token={token}"
    uow.mail.add(
        Message(
            to=user.email,
            subject="Reset your Tessera password",
            body=(
                f"Hello {user.name},\n\nsomeone asked to reset your password. If it was you, "
                f"open this link within {uow.settings.password_reset_ttl_minutes} minutes:\n"
                f"{link}\n\nIf not, ignore this message.\n"
            ),
            link=link,
        )
    )


async def reset_password(uow: UnitOfWork, token: str, password: str) -> User:
    """Set a new password and end every session of the account."""
    claims = uow.signer.read(token, RESET_PASSWORD)
    user = await uow.db.get(User, uuid.UUID(claims["sub"]))
    if user is None or not user.is_active:
        raise Invalid("token", "does not match an account")
    check_password_rules(password, email=user.email)
    await _spend(uow.db, claims, RESET_PASSWORD)
    user.password_hash = hash_password(password)
    # Opening the link proves control of the mailbox.
    user.email_verified_at = user.email_verified_at or datetime.now(UTC)
    await end_all_sessions(uow.db, user.id)
    return user


async def _spend(db: AsyncSession, claims: dict[str, object], purpose: str) -> None:
    spent = await db.execute(
        insert(UsedToken)
        .values(
            jti=uuid.UUID(str(claims["jti"])),
            purpose=purpose,
            used_at=datetime.now(UTC),
            expires_at=datetime.fromtimestamp(int(str(claims["exp"])), UTC),
        )
        .on_conflict_do_nothing(index_elements=[UsedToken.jti])
        .returning(UsedToken.jti)
    )
    if spent.scalar_one_or_none() is None:
        raise Gone("This link has already been used.")
