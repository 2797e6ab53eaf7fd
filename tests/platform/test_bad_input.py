"""Bad input anywhere in the API gets a 4xx problem answer and writes nothing.

One table of malformed requests: wrong types, missing and unknown fields, bodies too big or
not JSON, broken slugs, emails and passwords, other tenants' ids, expired and reused tokens,
missing CSRF, bad bearer tokens, unknown enum values, bad pagination and path parameters.

Every case must answer with its 4xx status (never a 500) as ``application/problem+json``
with ``type``, ``title``, ``status`` and ``detail``, name the offending field in ``errors``
when the problem is a field, and leave the database as it found it: the rows of the case's
own tenants, users, slugs, emails and link tokens are read (as the table owner) before and
after the request, and must be the same, down to each row's content.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from tessera.identity.email_links import RESET_PASSWORD, VERIFY_EMAIL
from tessera.identity.invitations import INVITATION
from tessera.security.signed import SignedTokens
from tests.support import (
    PASSWORD,
    LiveServer,
    SignedUp,
    invite,
    make_client,
    sign_up,
    unique_email,
    unique_slug,
)

PROBLEM_KEYS = {"type", "title", "status", "detail"}
TWO_MIB = 2 * 1024 * 1024
UNKNOWN_ID = "01900000-0000-7000-8000-000000000000"


# --- The world one case runs in ---------------------------------------------------------------


@dataclass
class Scope:
    """Which rows a case could touch: only these are compared, so parallel tests never count."""

    tenant_ids: set[str] = field(default_factory=set)
    user_ids: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    slugs: set[str] = field(default_factory=set)
    jtis: set[str] = field(default_factory=set)

    def add(self, signed_up: SignedUp) -> None:
        self.tenant_ids.add(signed_up.tenant_id)
        self.user_ids.add(signed_up.user_id)
        self.emails.add(signed_up.email.lower())
        self.slugs.add(signed_up.slug)

    def note(self, body: Any) -> None:
        """Add what a request body names: the slug, email or link token it is about."""
        if not isinstance(body, dict):
            return
        for key, value in body.items():
            if not isinstance(value, str) or "\x00" in value:
                continue  # (PostgreSQL text cannot hold NUL, so no row can match one)
            if key in {"slug", "tenant"}:
                self.slugs.add(value)
            elif key == "email":
                self.emails.add(value.strip().lower())
            elif key == "token" and (jti := jti_of(value)):
                self.jtis.add(jti)


def jti_of(token: str) -> str | None:
    """The ``jti`` claim of a link token, read without checking it (None if unreadable)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return str(uuid.UUID(str(claims["jti"])))
    except (IndexError, ValueError, KeyError, TypeError, binascii.Error):
        return None


@dataclass
class World:
    """Tenant A, signed in as its owner, and whatever the case's setup added to it."""

    server: LiveServer
    db: asyncpg.Connection
    clients: AsyncExitStack
    owner: SignedUp
    anonymous: httpx.AsyncClient
    scope: Scope
    #: A slug and an email nobody uses, for sign-up attempts.
    slug: str = field(default_factory=unique_slug)
    email: str = field(default_factory=unique_email)
    #: Ids, secrets and tokens made by setup, for paths, headers and bodies to use.
    refs: dict[str, str] = field(default_factory=dict)

    @property
    def signer(self) -> SignedTokens:
        """Signs link tokens exactly as the running app does."""
        return SignedTokens(self.server.settings.secret_key)

    async def client(self) -> httpx.AsyncClient:
        return await self.clients.enter_async_context(make_client(self.server))

    async def other_tenant(self) -> SignedUp:
        """Tenant B, with its own owner on its own client."""
        other = await sign_up(await self.client())
        self.scope.add(other)
        self.refs["b_slug"] = other.slug
        return other


Setup = Callable[[World], Awaitable[None]]
OMIT = object()


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str | Callable[[World], str]
    status: int
    #: The field ``errors`` must name, if the problem is a field.
    field: str | None = None
    #: A JSON body, or a function of the world making one.
    json: Any = None
    #: A raw body instead of JSON, sent with ``content_type`` (in chunks if ``chunked``).
    content: bytes | None = None
    content_type: str = "application/json"
    chunked: bool = False
    #: Headers; by default the owner's CSRF token (or none when anonymous).
    headers: Callable[[World], dict[str, str]] | None = None
    #: Send without the owner's session cookie.
    anonymous: bool = False
    setup: Setup | None = None


# --- Body builders and setups ------------------------------------------------------------------


def signup(**changes: Any) -> Callable[[World], dict[str, Any]]:
    """A valid sign-up body for a fresh slug and email, with ``changes`` (OMIT drops a key)."""

    def build(w: World) -> dict[str, Any]:
        body: dict[str, Any] = {
            "company_name": "Acme Ltd",
            "slug": w.slug,
            "name": "Ann Example",
            "email": w.email,
            "password": PASSWORD,
        }
        for key, value in changes.items():
            if value is OMIT:
                del body[key]
            else:
                body[key] = value(w) if callable(value) else value
        return body

    return build


def bearer(ref: str) -> Callable[[World], dict[str, str]]:
    return lambda w: {"Authorization": f"Bearer {w.refs[ref]}"}


def no_csrf(w: World) -> dict[str, str]:
    return {}


def wrong_csrf(w: World) -> dict[str, str]:
    return {"X-CSRF-Token": secrets.token_urlsafe(32)}


async def in_tenant(w: World, tenant_id: str, sql: str, *args: Any) -> None:
    """Run ``sql`` as the table owner inside ``tenant_id`` (RLS is forced for the owner too)."""
    async with w.db.transaction():
        await w.db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        await w.db.execute(sql, *args)


async def own_token(w: World) -> None:
    response = await w.owner.post("/api/v1/tokens", json={"name": "ci"})
    assert response.status_code == 201, response.text
    w.refs["token_id"] = response.json()["token"]["id"]
    w.refs["secret"] = response.json()["secret"]


async def expired_token(w: World) -> None:
    await own_token(w)
    await in_tenant(
        w,
        w.owner.tenant_id,
        "UPDATE identity_api_token SET expires_at = now() - interval '1 minute' WHERE id = $1",
        uuid.UUID(w.refs["token_id"]),
    )


async def revoked_token(w: World) -> None:
    await own_token(w)
    response = await w.owner.delete(f"/api/v1/tokens/{w.refs['token_id']}")
    assert response.status_code == 200, response.text


async def tampered_token(w: World) -> None:
    """The owner's real token with one bit of its secret flipped."""
    await own_token(w)
    body = w.refs["secret"].removeprefix("tsk_")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[-1] ^= 1
    w.refs["secret"] = "tsk_" + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


async def token_of_no_tenant(w: World) -> None:
    """Well formed, but naming a tenant and token that do not exist."""
    raw = uuid.uuid4().bytes + uuid.uuid4().bytes + secrets.token_bytes(32)
    w.refs["secret"] = "tsk_" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def other_tenant_token(w: World) -> None:
    other = await w.other_tenant()
    response = await other.post("/api/v1/tokens", json={"name": "b's token"})
    assert response.status_code == 201, response.text
    w.refs["b_token"] = response.json()["token"]["id"]


async def other_tenant_invitation(w: World) -> None:
    other = await w.other_tenant()
    invited = await invite(w.server, other)
    w.scope.emails.add(invited.email)
    w.refs["b_invitation"] = invited.id


async def other_session(w: World) -> None:
    w.refs["b_csrf"] = (await w.other_tenant()).csrf


async def pending_invitation(w: World) -> None:
    invited = await invite(w.server, w.owner)
    w.scope.emails.add(invited.email)
    w.refs["invitation"] = invited.id
    w.refs["link"] = invited.token


async def accepted_invitation(w: World) -> None:
    await pending_invitation(w)
    newcomer = await w.client()
    response = await newcomer.post(
        "/api/v1/invitations/accept",
        json={"token": w.refs["link"], "name": "New Person", "password": PASSWORD},
    )
    assert response.status_code == 200, response.text


async def expired_invitation_link(w: World) -> None:
    await pending_invitation(w)
    w.refs["link"] = w.signer.issue(
        INVITATION, w.refs["invitation"], timedelta(minutes=-5), tid=w.owner.tenant_id
    )


async def used_verification_link(w: World) -> None:
    w.refs["link"] = w.server.last_link_token(w.owner.email)
    response = await w.anonymous.post("/api/v1/auth/verify-email", json={"token": w.refs["link"]})
    assert response.status_code == 200, response.text


async def reset_link(w: World) -> None:
    response = await w.anonymous.post(
        "/api/v1/auth/password-reset/request", json={"email": w.owner.email}
    )
    assert response.status_code == 202, response.text
    w.refs["link"] = w.server.last_link_token(w.owner.email)


async def used_reset_link(w: World) -> None:
    await reset_link(w)
    response = await w.anonymous.post(
        "/api/v1/auth/password-reset",
        json={"token": w.refs["link"], "password": "a brand new passphrase"},
    )
    assert response.status_code == 200, response.text


async def expired_session(w: World) -> None:
    await w.db.execute(
        "UPDATE identity_session SET expires_at = now() - interval '1 minute' WHERE user_id = $1",
        uuid.UUID(w.owner.user_id),
    )


def link(ref: str = "link", **extra: Any) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"token": w.refs[ref], **extra}


def verify_token(ttl: timedelta, purpose: str = VERIFY_EMAIL) -> Callable[[World], dict[str, Any]]:
    """A verification link token for the owner, signed by the app's own key."""
    return lambda w: {
        "token": w.signer.issue(purpose, w.owner.user_id, ttl, email=w.owner.email.lower())
    }


def forged_verify_token(w: World) -> dict[str, Any]:
    forger = SignedTokens("not the app's key, but long enough to be a key")
    return {"token": forger.issue(VERIFY_EMAIL, w.owner.user_id, timedelta(hours=1))}


def visitor(case_id: str, path: str, status: int, *args: Any, **kwargs: Any) -> Case:
    """A POST without the owner's session cookie: sign-up, log-in, emailed links, bearer calls."""
    return Case(case_id, "POST", path, status, *args, **{**kwargs, "anonymous": True})


# --- The cases ---------------------------------------------------------------------------------

SIGNUP = "/api/v1/signup"
SLUG_CHECK = "/api/v1/signup/slug-availability"
LOGIN = "/api/v1/auth/login"
TOKENS = "/api/v1/tokens"
INVITATIONS = "/api/v1/invitations"
ACCEPT = "/api/v1/invitations/accept"
VERIFY = "/api/v1/auth/verify-email"
RESET = "/api/v1/auth/password-reset"
RESET_REQUEST = "/api/v1/auth/password-reset/request"

CASES = [
    # Sign-up: shape of the body.
    visitor("signup-slug-is-a-number", SIGNUP, 400, "slug", signup(slug=5)),
    visitor("signup-name-is-null", SIGNUP, 400, "name", signup(name=None)),
    visitor("signup-email-is-a-list", SIGNUP, 400, "email", signup(email=lambda w: [w.email])),
    visitor("signup-missing-password", SIGNUP, 400, "password", signup(password=OMIT)),
    visitor("signup-unknown-field", SIGNUP, 400, "is_admin", signup(is_admin=True)),
    visitor("signup-body-is-a-list", SIGNUP, 400, "body", [1, 2]),
    visitor("signup-body-is-null", SIGNUP, 400, "body", content=b"null"),
    visitor("signup-no-body", SIGNUP, 400, "body"),
    visitor("signup-invalid-json", SIGNUP, 400, content=b'{"slug": "acme",'),
    visitor(
        "signup-form-encoded",
        SIGNUP,
        415,
        content=b"slug=acme&email=a%40example.com",
        content_type="application/x-www-form-urlencoded",
    ),
    visitor(
        "signup-json-sent-as-text",
        SIGNUP,
        415,
        content=b'{"slug": "acme"}',
        content_type="text/plain",
    ),
    visitor(
        "signup-body-of-2-mib", SIGNUP, 413, content=b'{"company_name": "' + b"x" * TWO_MIB + b'"}'
    ),
    visitor(
        "signup-body-of-2-mib-chunked",
        SIGNUP,
        413,
        content=b'{"company_name": "' + b"x" * TWO_MIB + b'"}',
        chunked=True,
    ),
    # Sign-up: the rules for each field.
    visitor("signup-email-without-at", SIGNUP, 422, "email", signup(email="ann.example.com")),
    visitor(
        "signup-email-too-long", SIGNUP, 422, "email", signup(email="a" * 250 + "@example.com")
    ),
    visitor("signup-slug-too-short", SIGNUP, 422, "slug", signup(slug="ab")),
    visitor("signup-slug-too-long", SIGNUP, 422, "slug", signup(slug="a" * 41)),
    visitor("signup-slug-uppercase", SIGNUP, 422, "slug", signup(slug=lambda w: w.slug.upper())),
    visitor("signup-slug-reserved", SIGNUP, 422, "slug", signup(slug="admin")),
    visitor("signup-slug-double-hyphen", SIGNUP, 422, "slug", signup(slug="acme--corp")),
    visitor("signup-slug-leading-hyphen", SIGNUP, 422, "slug", signup(slug="-acme")),
    visitor("signup-password-too-short", SIGNUP, 422, "password", signup(password="short")),
    visitor(
        "signup-password-is-the-email", SIGNUP, 422, "password", signup(password=lambda w: w.email)
    ),
    visitor("signup-company-name-blank", SIGNUP, 422, "company_name", signup(company_name="   ")),
    visitor(
        "signup-company-name-too-long", SIGNUP, 422, "company_name", signup(company_name="x" * 201)
    ),
    visitor("signup-name-with-nul", SIGNUP, 400, "name", signup(name="Ann\x00Example")),
    visitor("signup-taken-slug", SIGNUP, 409, json=signup(slug=lambda w: w.owner.slug)),
    visitor(
        "signup-existing-email-wrong-password",
        SIGNUP,
        401,
        json=signup(email=lambda w: w.owner.email, password="somebody's guess"),
    ),
    # Sign-up's slug check: anything no slug could be is bad input, not a verdict.
    Case("slug-check-missing", "GET", SLUG_CHECK, 400, "slug", anonymous=True),
    Case("slug-check-empty", "GET", f"{SLUG_CHECK}?slug=", 422, "slug", anonymous=True),
    Case(
        "slug-check-too-long", "GET", f"{SLUG_CHECK}?slug={'a' * 41}", 422, "slug", anonymous=True
    ),
    Case("slug-check-uppercase", "GET", f"{SLUG_CHECK}?slug=Acme", 422, "slug", anonymous=True),
    Case("slug-check-underscore", "GET", f"{SLUG_CHECK}?slug=acme_co", 422, "slug", anonymous=True),
    Case(
        "slug-check-non-ascii", "GET", f"{SLUG_CHECK}?slug=caf%C3%A9", 422, "slug", anonymous=True
    ),
    Case("slug-check-nul", "GET", f"{SLUG_CHECK}?slug=acme%00co", 400, anonymous=True),
    Case("slug-check-space", "GET", f"{SLUG_CHECK}?slug=acme%20co", 422, "slug", anonymous=True),
    # Log-in.
    visitor(
        "login-password-is-a-number",
        LOGIN,
        400,
        "password",
        lambda w: {"email": w.owner.email, "password": 12345678901},
    ),
    visitor("login-missing-email", LOGIN, 400, "email", {"password": PASSWORD}),
    visitor(
        "login-tenant-slug-too-short",
        LOGIN,
        422,
        "tenant",
        lambda w: {"email": w.owner.email, "password": PASSWORD, "tenant": "ab"},
    ),
    visitor(
        "login-email-with-nul",
        LOGIN,
        400,
        "email",
        lambda w: {"email": w.owner.email + "\x00", "password": PASSWORD},
    ),
    # API tokens: the body.
    Case("token-name-empty", "POST", TOKENS, 422, "name", {"name": ""}),
    Case("token-name-blank", "POST", TOKENS, 422, "name", {"name": "   "}),
    Case("token-name-too-long", "POST", TOKENS, 422, "name", {"name": "n" * 101}),
    Case("token-name-is-a-number", "POST", TOKENS, 400, "name", {"name": 7}),
    Case(
        "token-expiry-zero-days",
        "POST",
        TOKENS,
        422,
        "expires_in_days",
        {"name": "ci", "expires_in_days": 0},
    ),
    Case(
        "token-expiry-over-ten-years",
        "POST",
        TOKENS,
        422,
        "expires_in_days",
        {"name": "ci", "expires_in_days": 3651},
    ),
    Case(
        "token-expiry-is-a-word",
        "POST",
        TOKENS,
        400,
        "expires_in_days",
        {"name": "ci", "expires_in_days": "soon"},
    ),
    Case(
        "token-expiry-is-a-fraction",
        "POST",
        TOKENS,
        400,
        "expires_in_days",
        {"name": "ci", "expires_in_days": 1.5},
    ),
    Case("token-invalid-json", "POST", TOKENS, 400, content=b"{name: ci}"),
    # CSRF on cookie-authenticated unsafe methods.
    Case("csrf-missing-on-create-token", "POST", TOKENS, 403, json={"name": "ci"}, headers=no_csrf),
    Case(
        "csrf-wrong-on-create-token", "POST", TOKENS, 403, json={"name": "ci"}, headers=wrong_csrf
    ),
    Case(
        "csrf-of-another-session",
        "POST",
        TOKENS,
        403,
        json={"name": "ci"},
        headers=lambda w: {"X-CSRF-Token": w.refs["b_csrf"]},
        setup=other_session,
    ),
    Case(
        "csrf-missing-on-revoke-token",
        "DELETE",
        lambda w: f"{TOKENS}/{w.refs['token_id']}",
        403,
        headers=no_csrf,
        setup=own_token,
    ),
    Case(
        "csrf-wrong-on-revoke-invitation",
        "DELETE",
        lambda w: f"{INVITATIONS}/{w.refs['invitation']}",
        403,
        headers=wrong_csrf,
        setup=pending_invitation,
    ),
    Case(
        "csrf-missing-on-invite",
        "POST",
        INVITATIONS,
        403,
        json={"email": "someone@example.com"},
        headers=no_csrf,
    ),
    Case("csrf-missing-on-log-out", "POST", "/api/v1/auth/logout", 403, headers=no_csrf),
    # Bearer tokens.
    Case(
        "bearer-garbage",
        "GET",
        "/api/v1/me",
        401,
        headers=lambda w: {"Authorization": "Bearer tsk_garbage"},
        anonymous=True,
    ),
    Case(
        "bearer-wrong-scheme",
        "GET",
        "/api/v1/me",
        401,
        headers=lambda w: {"Authorization": "Basic YW5uOnNlY3JldA=="},
        anonymous=True,
    ),
    Case(
        "bearer-without-a-token",
        "GET",
        "/api/v1/me",
        401,
        headers=lambda w: {"Authorization": "Bearer"},
        anonymous=True,
    ),
    Case(
        "bearer-expired-token",
        "GET",
        "/api/v1/me",
        401,
        headers=bearer("secret"),
        anonymous=True,
        setup=expired_token,
    ),
    Case(
        "bearer-revoked-token",
        "GET",
        "/api/v1/me",
        401,
        headers=bearer("secret"),
        anonymous=True,
        setup=revoked_token,
    ),
    Case(
        "bearer-tampered-secret",
        "GET",
        TOKENS,
        401,
        headers=bearer("secret"),
        anonymous=True,
        setup=tampered_token,
    ),
    Case(
        "bearer-of-no-tenant",
        "GET",
        "/api/v1/me",
        401,
        headers=bearer("secret"),
        anonymous=True,
        setup=token_of_no_tenant,
    ),
    visitor(
        "bearer-token-creates-a-token",
        TOKENS,
        403,
        json={"name": "child"},
        headers=bearer("secret"),
        setup=own_token,
    ),
    Case("session-expired", "GET", "/api/v1/me", 401, setup=expired_session),
    # Other tenants' records, unknown ids and malformed path ids.
    Case(
        "revoke-other-tenants-token",
        "DELETE",
        lambda w: f"{TOKENS}/{w.refs['b_token']}",
        404,
        setup=other_tenant_token,
    ),
    Case(
        "revoke-other-tenants-invitation",
        "DELETE",
        lambda w: f"{INVITATIONS}/{w.refs['b_invitation']}",
        404,
        setup=other_tenant_invitation,
    ),
    Case("revoke-unknown-token", "DELETE", f"{TOKENS}/{UNKNOWN_ID}", 404),
    Case("revoke-token-bad-uuid", "DELETE", f"{TOKENS}/not-a-uuid", 404),
    Case("revoke-invitation-bad-uuid", "DELETE", f"{INVITATIONS}/12345", 404),
    Case(
        "switch-to-another-tenant",
        "POST",
        "/api/v1/me/tenant",
        404,
        json=lambda w: {"tenant": w.refs["b_slug"]},
        setup=other_session,
    ),
    # Invitations.
    Case(
        "invite-unknown-role",
        "POST",
        INVITATIONS,
        400,
        "role",
        {"email": "someone@example.com", "role": "superuser"},
    ),
    Case(
        "invite-role-is-a-number",
        "POST",
        INVITATIONS,
        400,
        "role",
        {"email": "someone@example.com", "role": 1},
    ),
    Case("invite-invalid-email", "POST", INVITATIONS, 422, "email", {"email": "someone@"}),
    Case(
        "invite-existing-member",
        "POST",
        INVITATIONS,
        409,
        json=lambda w: {"email": w.owner.email},
    ),
    visitor(
        "accept-garbage-token",
        ACCEPT,
        422,
        "token",
        {"token": "not-a-link-token", "password": PASSWORD, "name": "N"},
    ),
    visitor(
        "accept-expired-link",
        ACCEPT,
        410,
        json=link(password=PASSWORD, name="Late Comer"),
        setup=expired_invitation_link,
    ),
    visitor(
        "accept-twice",
        ACCEPT,
        410,
        json=link(password=PASSWORD, name="Second Try"),
        setup=accepted_invitation,
    ),
    visitor(
        "accept-new-account-without-name",
        ACCEPT,
        422,
        "name",
        link(password=PASSWORD),
        setup=pending_invitation,
    ),
    visitor(
        "accept-new-account-short-password",
        ACCEPT,
        422,
        "password",
        link(password="short", name="New Person"),
        setup=pending_invitation,
    ),
    # Email links.
    visitor("verify-link-used-twice", VERIFY, 410, json=link(), setup=used_verification_link),
    visitor("verify-link-expired", VERIFY, 410, json=verify_token(timedelta(minutes=-5))),
    visitor(
        "verify-with-a-reset-link",
        VERIFY,
        422,
        "token",
        verify_token(timedelta(hours=1), purpose=RESET_PASSWORD),
    ),
    visitor("verify-link-forged", VERIFY, 422, "token", forged_verify_token),
    visitor("verify-token-too-short", VERIFY, 422, "token", {"token": "x"}),
    visitor(
        "reset-password-too-short", RESET, 422, "password", link(password="short"), setup=reset_link
    ),
    visitor(
        "reset-link-used-twice",
        RESET,
        410,
        json=link(password="yet another passphrase"),
        setup=used_reset_link,
    ),
    visitor(
        "reset-link-expired",
        RESET,
        410,
        json=lambda w: {
            "token": w.signer.issue(RESET_PASSWORD, w.owner.user_id, timedelta(minutes=-5)),
            "password": "a brand new passphrase",
        },
    ),
    visitor(
        "reset-request-invalid-email",
        RESET_REQUEST,
        422,
        "email",
        {"email": "nobody at example.com"},
    ),
    # Pagination.
    Case("tokens-limit-zero", "GET", f"{TOKENS}?limit=0", 422, "limit"),
    Case("tokens-limit-1000", "GET", f"{TOKENS}?limit=1000", 422, "limit"),
    Case("tokens-limit-not-a-number", "GET", f"{TOKENS}?limit=ten", 400, "limit"),
    Case("tokens-cursor-garbage", "GET", f"{TOKENS}?cursor=garbage!!", 422, "cursor"),
    Case("tokens-cursor-too-long", "GET", f"{TOKENS}?cursor={'a' * 65}", 422, "cursor"),
    Case("members-limit-negative", "GET", "/api/v1/members?limit=-1", 422, "limit"),
    Case("invitations-cursor-garbage", "GET", f"{INVITATIONS}?cursor=Zm9v", 422, "cursor"),
    # Routes and methods.
    Case("unknown-route", "GET", "/api/v1/no-such-thing", 404),
    Case("wrong-method", "PUT", SIGNUP, 405, json={}, anonymous=True),
]


# --- The snapshot ------------------------------------------------------------------------------

TABLES = (
    "tenant",
    "identity_user",
    "identity_membership",
    "identity_session",
    "identity_api_token",
    "identity_invitation",
    "identity_used_token",
)
TENANT_OWNED = ("identity_membership", "identity_api_token", "identity_invitation")

Snapshot = dict[str, frozenset[str]]


def uuids(values: set[str]) -> list[uuid.UUID]:
    return [uuid.UUID(v) for v in values]


async def snapshot(db: asyncpg.Connection, scope: Scope) -> Snapshot:
    """Every row in scope, as text, per table (so a changed column shows, not only a count)."""
    tenant_ids = [
        r["id"]
        for r in await db.fetch(
            "SELECT id FROM tenant WHERE id = ANY($1::uuid[]) OR slug = ANY($2::text[])",
            uuids(scope.tenant_ids),
            sorted(scope.slugs),
        )
    ]
    user_ids = [
        r["id"]
        for r in await db.fetch(
            "SELECT id FROM identity_user WHERE id = ANY($1::uuid[]) OR email = ANY($2::text[])",
            uuids(scope.user_ids),
            sorted(scope.emails),
        )
    ]

    async def rows(sql: str, *args: Any) -> set[str]:
        return {r[0] for r in await db.fetch(sql, *args)}

    found: dict[str, set[str]] = {
        "tenant": await rows("SELECT t::text FROM tenant t WHERE id = ANY($1)", tenant_ids),
        "identity_user": await rows(
            "SELECT t::text FROM identity_user t WHERE id = ANY($1)", user_ids
        ),
        "identity_session": await rows(
            "SELECT t::text FROM identity_session t WHERE user_id = ANY($1) OR tenant_id = ANY($2)",
            user_ids,
            tenant_ids,
        ),
        "identity_used_token": await rows(
            "SELECT t::text FROM identity_used_token t WHERE jti = ANY($1::uuid[])",
            uuids(scope.jtis),
        ),
    }
    # Tenant-owned tables show rows only inside a tenant (RLS is forced on the owner too).
    for table in TENANT_OWNED:
        found[table] = set()
        for tenant_id in tenant_ids:
            async with db.transaction():
                await db.execute("SELECT set_config('tessera.tenant_id', $1, true)", str(tenant_id))
                found[table] |= await rows(f"SELECT t::text FROM {table} t")
    # A user's memberships in any tenant, in case one appeared in a tenant out of scope.
    for user_id in user_ids:
        async with db.transaction():
            await db.execute("SELECT set_config('tessera.user_id', $1, true)", str(user_id))
            found["identity_membership"] |= await rows(
                "SELECT t::text FROM identity_membership t WHERE user_id = $1", user_id
            )
    return {table: frozenset(found[table]) for table in TABLES}


def counts(snap: Snapshot) -> dict[str, int]:
    return {table: len(rows) for table, rows in snap.items()}


# --- The test ----------------------------------------------------------------------------------


async def in_chunks(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def build_request(case: Case, w: World) -> httpx.Request:
    client = w.anonymous if case.anonymous else w.owner.client
    if case.headers is not None:
        headers = case.headers(w)
    else:
        headers = {} if case.anonymous else dict(w.owner.headers)
    path = case.path(w) if callable(case.path) else case.path
    if case.content is not None:
        headers["Content-Type"] = case.content_type
        content: bytes | AsyncIterator[bytes] = case.content
        if case.chunked:
            content = in_chunks(case.content)
        return client.build_request(case.method, path, headers=headers, content=content)
    body = case.json(w) if callable(case.json) else case.json
    w.scope.note(body)
    if body is None:
        return client.build_request(case.method, path, headers=headers)
    return client.build_request(case.method, path, headers=headers, json=body)


def assert_problem(response: httpx.Response, case: Case) -> None:
    assert response.status_code < 500, f"{case.id}: a server error: {response.text}"
    assert response.status_code == case.status, f"{case.id}: {response.text}"
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS, body
    assert body["status"] == case.status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert str(body["type"]).startswith("https://")
    if case.field is not None:
        named = [error["field"] for error in body.get("errors", [])]
        assert case.field in named, f"{case.id}: errors name {named}, not {case.field!r}"


def test_the_cases_have_distinct_ids_and_are_plenty() -> None:
    assert len({case.id for case in CASES}) == len(CASES)
    assert len(CASES) >= 35


@asynccontextmanager
async def new_world(server: LiveServer, db: asyncpg.Connection) -> AsyncIterator[World]:
    """A fresh tenant A signed in as its owner, an anonymous visitor, and an empty scope."""
    async with AsyncExitStack() as clients:
        owner_client = await clients.enter_async_context(make_client(server))
        anonymous = await clients.enter_async_context(make_client(server))
        owner = await sign_up(owner_client)
        world = World(server, db, clients, owner, anonymous, Scope())
        world.scope.add(owner)
        world.scope.slugs.add(world.slug)
        world.scope.emails.add(world.email)
        yield world


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
async def test_bad_input_is_refused_with_a_problem_and_nothing_is_written(
    case: Case, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with new_world(live_server, owner_db) as world:
        if case.setup is not None:
            await case.setup(world)
        request = build_request(case, world)
        before = await snapshot(owner_db, world.scope)

        client = world.anonymous if case.anonymous else world.owner.client
        response = await client.send(request)

        assert_problem(response, case)
        after = await snapshot(owner_db, world.scope)
        assert counts(after) == counts(before), f"{case.id} wrote rows"
        assert after == before, f"{case.id} changed rows"


async def test_the_snapshot_sees_what_good_requests_write(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    """The control: were the snapshot blind, every case above would pass for nothing."""
    async with new_world(live_server, owner_db) as world:
        await own_token(world)
        await reset_link(world)
        world.scope.note({"token": world.refs["link"]})
        before = await snapshot(owner_db, world.scope)

        revoked = await world.owner.delete(f"{TOKENS}/{world.refs['token_id']}")
        assert revoked.status_code == 200, revoked.text
        changed = await snapshot(owner_db, world.scope)
        assert counts(changed) == counts(before)
        assert changed["identity_api_token"] != before["identity_api_token"]

        created = await world.anonymous.post(SIGNUP, json=signup()(world))
        assert created.status_code == 201, created.text
        signed_up = counts(await snapshot(owner_db, world.scope))
        assert diff(counts(changed), signed_up) == {
            "tenant": 1,
            "identity_user": 1,
            "identity_membership": 1,
            "identity_session": 1,
        }

        reset = await world.anonymous.post(
            RESET, json={"token": world.refs["link"], "password": "a brand new passphrase"}
        )
        assert reset.status_code == 200, reset.text
        # The link is spent, and the owner's session ended.
        spent = counts(await snapshot(owner_db, world.scope))
        assert diff(signed_up, spent) == {"identity_used_token": 1, "identity_session": -1}


def diff(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {table: after[table] - n for table, n in before.items() if after[table] != n}
