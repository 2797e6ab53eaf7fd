"""Domain errors. Services raise these; one handler (tessera.web.problems) maps them to HTTP.

Each carries a stable ``code`` (part of the problem ``type``), a human ``detail``, and for
:class:`Invalid` the path of every offending field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    status: int = 400
    code: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}
        #: Extra members of the problem document (RFC 9457 §3.2), e.g. the records in conflict.
        self.extensions = extensions or {}


class Invalid(DomainError):
    status, code, title = 422, "invalid", "Invalid input"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.errors = (FieldError(field, message),)


class Unauthenticated(DomainError):
    status, code, title = 401, "unauthenticated", "Authentication required"


class Forbidden(DomainError):
    status, code, title = 403, "forbidden", "Forbidden"


class NotFound(DomainError):
    status, code, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    status, code, title = 409, "conflict", "Conflict"


class Gone(DomainError):
    status, code, title = 410, "gone", "No longer valid"


class PluginFailed(DomainError):
    """A plugin's own code failed during a request; the request changed nothing."""

    status, code, title = 500, "plugin-failed", "A module failed"


class TooManyRequests(DomainError):
    status, code, title = 429, "too-many-requests", "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class TooLarge(DomainError):
    """A body or file over its limit; the answer carries the limit as ``max_bytes``."""

    status, code, title = 413, "body-too-large", "Request body too large"

    def __init__(self, detail: str, *, max_bytes: int) -> None:
        super().__init__(detail, extensions={"max_bytes": max_bytes})
        self.max_bytes = max_bytes
