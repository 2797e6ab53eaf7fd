"""A resource's actions post to, and its documents get, routes the plugin really has: checked
when it starts, so a button or a link that would answer 404 or 403 to everyone never reaches
the browser app."""

from __future__ import annotations

import re

from litestar import Router
from litestar.routes import HTTPRoute

from tessera.plugin.manifest import UI, ManifestError

#: Where the platform mounts every plugin's routes.
API_PREFIX = "/api/v1"
_PARAMETER = re.compile(r"\{[^}]*\}")


def _shape(path: str) -> str:
    """A path with its parameters unnamed: ``/oa/claims/{claim_id:uuid}`` -> ``/oa/claims/{}``."""
    return _PARAMETER.sub("{}", path.rstrip("/"))


def _routes(routers: list[Router], method: str, requires_key: str) -> dict[str, str | None]:
    """Each ``method`` route's path shape and the permission it requires."""
    found: dict[str, str | None] = {}
    for router in routers:
        for route in router.routes:
            if not isinstance(route, HTTPRoute):
                continue
            for handler in route.route_handlers:
                if method in handler.http_methods:
                    found[_shape(route.path)] = handler.opt.get(requires_key)
    return found


def check_action_routes(ui: UI, routers: list[Router], requires_key: str) -> None:
    """Every action names a POST route of the plugin that requires the action's permission."""
    posts = _routes(routers, "POST", requires_key)
    for resource in ui.resources:
        for action in resource.actions:
            path = f"{resource.endpoint}/{action.path}".removeprefix(API_PREFIX)
            where = f"resource {resource.name!r}: action {action.name!r}"
            if _shape(path) not in posts:
                raise ManifestError(
                    f"{where} posts to {path}, which is no POST route of the plugin"
                )
            if posts[_shape(path)] != action.permission:
                raise ManifestError(
                    f"{where} names {action.permission!r}, but its route requires "
                    f"{posts[_shape(path)]!r}"
                )


def check_document_routes(ui: UI, routers: list[Router], requires_key: str) -> None:
    """Every document names a GET route of the plugin that requires the document's permission."""
    gets = _routes(routers, "GET", requires_key)
    for resource in ui.resources:
        for document in resource.documents:
            path = f"{resource.endpoint}/{document.path}".removeprefix(API_PREFIX)
            where = f"resource {resource.name!r}: document {document.name!r}"
            if _shape(path) not in gets:
                raise ManifestError(f"{where} opens {path}, which is no GET route of the plugin")
            if gets[_shape(path)] != document.permission:
                raise ManifestError(
                    f"{where} names {document.permission!r}, but its route requires "
                    f"{gets[_shape(path)]!r}"
                )
