"""The session and CSRF cookies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Response
from litestar.datastructures import Cookie

from tessera.settings import Settings
from tessera.web.context import CSRF_COOKIE, SESSION_COOKIE


def with_session(
    response: Response[Any],
    settings: Settings,
    *,
    cookie: str,
    csrf_token: str,
    expires_at: datetime,
) -> Response[Any]:
    max_age = max(0, int((expires_at - datetime.now(UTC)).total_seconds()))
    response.set_cookie(
        Cookie(
            key=SESSION_COOKIE,
            value=cookie,
            max_age=max_age,
            path="/",
            httponly=True,
            secure=settings.cookie_secure,
            samesite="lax",
        )
    )
    # Readable by the browser app, which echoes it in X-CSRF-Token; the server compares it
    # with the copy stored in the session, so a cookie planted by another site is useless.
    response.set_cookie(
        Cookie(
            key=CSRF_COOKIE,
            value=csrf_token,
            max_age=max_age,
            path="/",
            httponly=False,
            secure=settings.cookie_secure,
            samesite="lax",
        )
    )
    return response


def without_session(response: Response[Any], settings: Settings) -> Response[Any]:
    for key in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(key, path="/")
    return response
