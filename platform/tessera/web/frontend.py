"""The browser app: the built files of ``frontend/`` served under ``/``.

Vite names every built asset by its content hash, so ``/assets/*`` can be cached for a year;
``index.html`` never is, so a deploy shows at the next page load. The build writes a brotli
and a gzip copy beside each text file; a browser that accepts one gets it, so nothing is
compressed per request. Any other path that is not
the API's is one of the app's own routes (``/crm/deals/…``): the app's ``index.html`` answers
and the browser-side router draws the page.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.handlers import HTTPRouteHandler

from tessera.errors import NotFound
from tessera.web.context import services_of

#: Paths that belong to the server, where a miss is a 404, never the app.
SERVER_PREFIXES = ("api/", "health/")
IMMUTABLE = "public, max-age=31536000, immutable"


def _file_in(root: Path, relative: str) -> Path | None:
    """``relative`` inside ``root``, if it is a file there (no way out through ``..``)."""
    candidate = (root / relative).resolve()
    if candidate.is_file() and candidate.is_relative_to(root.resolve()):
        return candidate
    return None


#: Precompressed copies the build leaves beside a file, best first.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def _send(path: Path, cache: str, accepted: str) -> Response[bytes]:
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    headers = {"Cache-Control": cache, "Vary": "Accept-Encoding"}
    for encoding, suffix in ENCODINGS:
        compressed = path.with_name(path.name + suffix)
        if encoding in accepted and compressed.is_file():
            headers["Content-Encoding"] = encoding
            return Response(compressed.read_bytes(), media_type=media_type, headers=headers)
    return Response(path.read_bytes(), media_type=media_type, headers=headers)


@get(["/", "/{path:path}"], include_in_schema=False, sync_to_thread=False)
def browser_app(request: Request[object, object, State], state: State) -> Response[bytes]:
    root = services_of(state).settings.frontend_dir
    relative = request.path_params.get("path", "/").lstrip("/")
    if relative.startswith(SERVER_PREFIXES) or relative in ("api", "health"):
        raise NotFound(f"Nothing is at {request.url.path}.")
    index = _file_in(root, "index.html")
    if index is None:
        raise NotFound(
            "The browser app is not built: run `make frontend` (or `make dev`, which builds it)."
        )
    accepted = request.headers.get("accept-encoding", "").lower()
    found = _file_in(root, relative) if relative else None
    if found is not None:
        return _send(found, IMMUTABLE if relative.startswith("assets/") else "no-cache", accepted)
    if relative.startswith("assets/"):
        raise NotFound(f"Nothing is at {request.url.path}.")
    return _send(index, "no-cache", accepted)


FRONTEND_ROUTES: list[HTTPRouteHandler] = [browser_app]
