"""Files over HTTP: reading an upload from a request as a stream, and sending one back.

An upload is either the raw request body (its ``Content-Type`` the file's, the name in the
``filename`` query parameter) or ``multipart/form-data`` with the file in one part (``file`` by
default) and, around it, small text fields. Either way the body is read from the ASGI stream
chunk by chunk, never whole. The app's general body limit (``TESSERA_MAX_BODY_BYTES``) does not
apply: the tenant's file limit does.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from litestar import Request
from litestar.response import Stream
from multipart import (  # type: ignore[import-untyped]
    MultipartError,
    MultipartSegment,
    PushMultipartParser,
    parse_options_header,
)

from tessera.errors import DomainError, Invalid, TooLarge
from tessera.storage.backends import Opened
from tessera.storage.models import StoredFile
from tessera.storage.names import INLINE_SAFE, content_disposition

#: Past a file's limit, this much more of the body is read and dropped, so that ordinary
#: clients (which send the whole body before reading the answer) get to see the 413.
DRAIN = 32 * 1024 * 1024
MAX_TEXT_FIELD = 64 * 1024
MAX_TEXT_FIELDS = 20
#: What the multipart framing of one file and a few fields may add to the file's own size.
MULTIPART_OVERHEAD = MAX_TEXT_FIELDS * (MAX_TEXT_FIELD + 1024)


class UploadCut(DomainError):
    """The client went away, or the body ended, before the file was complete."""

    status, code, title = 400, "bad-request", "Incomplete upload"


class _Body:
    """The request body as it arrives, one ASGI message at a time."""

    def __init__(self, request: Request[Any, Any, Any]) -> None:
        self._receive = request.receive
        self.finished = False

    async def read(self) -> bytes:
        """The next chunk; ``b""`` once the body is over."""
        while not self.finished:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                self.finished = True
                raise UploadCut("The connection closed before the upload was complete.")
            self.finished = not message.get("more_body", False)
            body: bytes = message.get("body", b"")  # type: ignore[assignment]
            if body:
                return body
        return b""

    async def chunks(self) -> AsyncIterator[bytes]:
        while chunk := await self.read():
            yield chunk

    async def drain(self, budget: int = DRAIN) -> None:
        """Read and drop the rest of the body, up to ``budget`` bytes."""
        try:
            while budget > 0 and (chunk := await self.read()):
                budget -= len(chunk)
        except UploadCut:
            return


@dataclass(slots=True)
class Incoming:
    """An upload being received: what the client says of the file, and its bytes to come."""

    filename: str
    content_type: str | None
    chunks: AsyncIterator[bytes]
    body: _Body
    #: Text fields of a multipart upload, complete once ``chunks`` is exhausted.
    fields: dict[str, str] = field(default_factory=dict)


async def receive(request: Request[Any, Any, Any], *, part: str, limit: int) -> Incoming:
    """Start reading an upload. 413 at once when the declared length already says too much."""
    body = _Body(request)
    declared = _declared_length(request)
    media_type, options = parse_options_header(request.headers.get("content-type", ""))
    if media_type == "multipart/form-data":
        if declared is not None and declared > limit + MULTIPART_OVERHEAD:
            await _refuse(body, limit)
        boundary = options.get("boundary")
        if not boundary:
            raise Invalid("content-type", "multipart/form-data needs a boundary")
        return await _Multipart(body, boundary, part).start()
    if declared is not None and declared > limit:
        await _refuse(body, limit)
    filename = request.query_params.get("filename")
    if filename is None:
        raise Invalid("filename", "is required: name the file in the query parameter filename")
    return Incoming(
        filename=filename,
        content_type=request.headers.get("content-type"),
        chunks=body.chunks(),
        body=body,
    )


def _declared_length(request: Request[Any, Any, Any]) -> int | None:
    raw = request.headers.get("content-length")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise Invalid("content-length", "must be a whole number") from None


async def _refuse(body: _Body, limit: int) -> None:
    await body.drain()
    raise TooLarge(
        f"The file is larger than this tenant's limit of {limit} bytes.", max_bytes=limit
    )


_END = object()


class _Multipart:
    """``multipart/form-data`` read as it arrives: text fields kept (small), one file streamed."""

    def __init__(self, body: _Body, boundary: str, part: str) -> None:
        self.body = body
        self.part = part
        self.parser = PushMultipartParser(
            boundary, max_header_size=8192, max_segment_count=MAX_TEXT_FIELDS + 1, strict=True
        )
        self.events: deque[Any] = deque()
        self.fields: dict[str, str] = {}

    async def start(self) -> Incoming:
        """Read up to the file's part (keeping the text fields before it)."""
        while (event := await self._next()) is not _END:
            if isinstance(event, MultipartSegment) and event.filename is not None:
                if event.name != self.part:
                    raise Invalid(event.name, f"only the part {self.part!r} may be a file")
                return Incoming(
                    filename=event.filename,
                    content_type=event.content_type,
                    chunks=self._file_then_rest(),
                    body=self.body,
                    fields=self.fields,
                )
            if isinstance(event, MultipartSegment):
                await self._keep_text(event)
        raise Invalid(self.part, "is required: send the file in this multipart part")

    async def _file_then_rest(self) -> AsyncIterator[bytes]:
        while (event := await self._next()) is not None:
            if event is _END:
                raise UploadCut("The multipart body ended inside the file.")
            yield bytes(event)
        while (event := await self._next()) is not _END:
            if isinstance(event, MultipartSegment):
                if event.filename is not None:
                    raise Invalid(event.name, "only one file may be sent")
                await self._keep_text(event)

    async def _keep_text(self, segment: MultipartSegment) -> None:
        if segment.name in self.fields:
            raise Invalid(segment.name, "is sent twice")
        value = bytearray()
        while (event := await self._next()) is not None:
            if event is _END:
                raise UploadCut("The multipart body ended inside a field.")
            value += event
            if len(value) > MAX_TEXT_FIELD:
                raise Invalid(segment.name, f"must be at most {MAX_TEXT_FIELD} bytes")
        try:
            self.fields[segment.name] = value.decode()
        except UnicodeDecodeError:
            raise Invalid(segment.name, "must be UTF-8 text") from None

    async def _next(self) -> Any:
        while not self.events:
            if self.parser.closed:
                return _END
            chunk = await self.body.read()
            try:
                self.events.extend(self.parser.parse(chunk))
            except MultipartError as exc:
                raise Invalid("body", f"is not valid multipart/form-data: {exc}") from None
        return self.events.popleft()


def download(
    stored: StoredFile, opened: Opened, *, inline: bool, filename: str | None = None
) -> Stream:
    """The file as a streamed response, named ``filename`` (a clean name) or its own name.
    Only types a browser shows without running anything may be inline; everything else is an
    attachment, and no type is sniffed."""
    inline = inline and stored.content_type in INLINE_SAFE
    headers = {
        "Content-Disposition": content_disposition(filename or stored.filename, inline=inline),
        "Content-Length": str(opened.size),
        "X-Content-Type-Options": "nosniff",
        "ETag": f'"{stored.sha256}"',
        # Who may read a file is decided per request: no shared cache may keep one.
        "Cache-Control": "private, no-cache",
    }
    if inline and stored.content_type != "application/pdf":
        # Browsers' PDF viewers do not run in a sandbox; images and plain text do.
        headers["Content-Security-Policy"] = "sandbox"
    return Stream(content=opened.chunks, media_type=stored.content_type, headers=headers)
