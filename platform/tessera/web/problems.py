"""Every error answer is ``application/problem+json`` (RFC 9457). Mapped here, once."""

from __future__ import annotations

import keyword
import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from tessera.errors import DomainError, Invalid
from tessera.logs import request_id_var

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
_TYPE_BASE = "https://tessera.dev/problems/"

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}
_CODES = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "body-too-large",
    415: "unsupported-media-type",
    422: "invalid",
    429: "too-many-requests",
    500: "internal",
    503: "unavailable",
}


def problem(
    status: int,
    detail: str,
    *,
    code: str | None = None,
    title: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    instance: str | None = None,
    extensions: dict[str, Any] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        **(extensions or {}),
        "type": _TYPE_BASE + (code or _CODES.get(status, "error")),
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    if request_id := request_id_var.get():
        body["request_id"] = request_id
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers or {})


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    errors = None
    if isinstance(exc, Invalid):
        errors = [{"field": e.field, "message": e.message} for e in exc.errors]
    return problem(
        exc.status,
        exc.detail,
        code=exc.code,
        title=exc.title,
        errors=errors,
        headers=exc.headers,
        instance=request.url.path,
        extensions=exc.extensions,
    )


# Litestar's words for a required parameter that is not there.
_MISSING_PARAMETER = re.compile(r"^Missing required \w+ parameter '(?P<name>[^']+)'")
# "Expected `str`, got `int` - at `$.email`" -> ("Expected `str`, got `int`", "email")
_MSGSPEC_PATH = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$")


def validation_handler(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = [_field_error(item) for item in (exc.extra or []) if isinstance(item, dict)]
    if not errors and (missing := _MISSING_PARAMETER.match(exc.detail)):
        # A required query (or header, cookie) parameter left out: name it, not the body.
        errors = [{"field": missing.group("name"), "message": "is required"}]
    if not errors:
        errors = [_field_error({"message": exc.detail, "source": "body"})]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    status = 422 if _is_semantic(errors) else 400
    return problem(status, detail, errors=errors, instance=request.url.path)


def _field_error(item: dict[str, Any]) -> dict[str, str]:
    source = str(item.get("source") or "body")
    raw_message = str(item.get("message") or "is not valid")
    match = _MSGSPEC_PATH.match(raw_message)
    message, path = raw_message, ""
    if match:
        message = match.group("message") or raw_message
        path = (match.group("path") or "").lstrip(".")
    key = str(item.get("key") or path or "")
    if source == "body" and key == "data":
        # Litestar names the whole body after the handler's ``data`` parameter, a name clients
        # never see: name the field the message mentions, or else the body itself.
        key = ""
        if message == "'data'":
            # No body at all: Litestar reports the missing parameter as a bare KeyError.
            message = "is required: send a JSON object"
    # msgspec reports unknown and missing fields by name inside the message.
    named = re.search(
        r"(?:Object contains unknown field|missing required field) `([^`]+)`", message
    )
    if named and not key:
        key = named.group(1)
    # tessera.web.schemas.Input refuses a field as "Field `name` <reason>".
    refused = re.fullmatch(r"Field `([^`]+)` (.+)", message)
    if refused and not key:
        key, message = refused.group(1), refused.group(2)
    # A parameter named after a Python keyword is declared with a trailing underscore
    # (``from_``) and sent without it (``?from=``).
    if key.endswith("_") and keyword.iskeyword(key[:-1]):
        key = key[:-1]
    # Fields are named as the client sent them ("slug", "limit"), as services name them.
    field = key or source
    return {"field": field, "message": message}


def _is_semantic(errors: list[dict[str, str]]) -> bool:
    """Well-formed JSON that breaks a rule is 422; a body that is not the right shape is 400."""
    return all(
        e["message"].startswith(
            ("Expected `str` of length", "Expected `int` >=", "Expected `int` <=")
        )
        for e in errors
    )


# SQLSTATE classes of integrity violations: the database's last word when two requests race
# past the service's own checks (say, two sign-ups for one slug at the same moment).
_INTEGRITY_ANSWERS = {
    "23505": (409, "This conflicts with an existing record (it must be unique)."),
    "23503": (409, "This refers to a record that does not exist or is still referred to."),
    "23514": (422, "A value breaks a rule of this record."),
    "23502": (422, "A required value is missing."),
}


def integrity_error_handler(request: Request[Any, Any, Any], exc: IntegrityError) -> Response[Any]:
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    status, detail = _INTEGRITY_ANSWERS.get(sqlstate, (409, "This conflicts with existing data."))
    return problem(status, detail, instance=request.url.path)


def database_unavailable_handler(request: Request[Any, Any, Any], exc: DBAPIError) -> Response[Any]:
    if isinstance(exc, IntegrityError):
        return integrity_error_handler(request, exc)
    if (getattr(exc.orig, "sqlstate", None) or "").startswith("22"):
        # Class 22, data exception: a value the database cannot take (bad encoding, out of
        # range). A check that should have caught it is missing; the value is still the
        # client's, so 400 — and a log line, so the missing check gets written.
        logger.warning("value refused by the database", extra={"path": request.url.path})
        return problem(
            400, "A value in the request cannot be stored or compared.", instance=request.url.path
        )
    if not exc.connection_invalidated and not isinstance(exc, OperationalError):
        return internal_error_handler(request, exc)
    logger.warning("database unavailable", extra={"error": type(exc.orig).__name__})
    return problem(
        503,
        "The database is unavailable; try again shortly.",
        headers={"Retry-After": "5"},
        instance=request.url.path,
    )


def http_exception_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    detail = exc.detail if exc.detail and status < 500 else _TITLES.get(status, "Error")
    if status == 404 and detail == "Not Found":
        detail = f"Nothing is at {request.url.path}."
    return problem(status, detail, headers=dict(exc.headers or {}), instance=request.url.path)


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    logger.exception("unhandled error", extra={"path": request.url.path})
    return problem(
        500,
        "Something went wrong on our side; the request id identifies it in our logs.",
        instance=request.url.path,
    )


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: domain_error_handler,
    ValidationException: validation_handler,
    HTTPException: http_exception_handler,
    DBAPIError: database_unavailable_handler,
    Exception: internal_error_handler,
}
