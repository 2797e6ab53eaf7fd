"""The one storage interface (:class:`FileStorage`) and its local-disk implementation.

The platform owns keys (``names.object_key``); a backend only stores bytes under them. Writing
is streamed: a backend consumes the chunks as they come and keeps at most a bounded buffer. If
anything goes wrong while writing — the source raises (a size limit, a client gone), the disk
or the network fails, the task is cancelled — the backend leaves nothing behind under the key
and re-raises.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Protocol

import anyio
import anyio.to_thread

from tessera.settings import Settings

#: How much a backend reads or writes at a time.
CHUNK = 256 * 1024
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*")


class StorageError(Exception):
    """The store failed (disk, network, credentials): a fault of the platform, not the client."""


class MissingObject(StorageError):
    """No bytes under a key that the database says has them."""


@dataclass(frozen=True, slots=True)
class Opened:
    """An object being read: its size, and its bytes once, in chunks."""

    size: int
    chunks: AsyncIterator[bytes]

    async def close(self) -> None:
        await self.chunks.aclose()  # type: ignore[attr-defined]


class FileStorage(Protocol):
    """Where files' bytes live. Keys are made by the platform; implementations trust them."""

    #: ``local`` or ``s3``: shown to operators, never to tenants.
    kind: str

    async def write(
        self, key: str, chunks: AsyncIterable[bytes], *, content_type: str, max_size: int
    ) -> None:
        """Store the chunks under ``key``; on any failure, leave nothing and re-raise.

        ``max_size`` is a bound the caller enforces on ``chunks`` (a backend may size its
        buffers by it); ``content_type`` is kept with the object where the store can.
        """

    async def open(self, key: str) -> Opened:
        """Start reading ``key``; :class:`MissingObject` if there is nothing under it."""

    async def delete(self, key: str) -> None:
        """Remove ``key``'s object; nothing there is fine (deleting is retried after crashes)."""

    async def exists(self, key: str) -> bool:
        """Whether an object is stored under ``key``."""

    async def aclose(self) -> None:
        """Release connections held by this event loop."""


def check_key(key: str) -> str:
    if not _KEY.fullmatch(key) or ".." in key.split("/"):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class LocalStorage:
    """Files under one directory. Each write goes to a temporary file that is renamed into
    place only when complete, so a reader never sees half a file and a failure leaves none."""

    kind = "local"

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._partial = self.root / ".partial"

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root) or path.is_relative_to(self._partial):
            raise ValueError(f"not a storage key: {key!r}")
        return path

    async def write(
        self, key: str, chunks: AsyncIterable[bytes], *, content_type: str, max_size: int
    ) -> None:
        target = self._path(key)
        await anyio.to_thread.run_sync(self._partial.mkdir, 0o700, True, True)
        temporary = self._partial / f"{uuid.uuid4().hex}.part"
        handle = await anyio.to_thread.run_sync(_create, temporary)
        try:
            buffer = bytearray()
            async for chunk in chunks:
                buffer += chunk
                if len(buffer) >= CHUNK:
                    await anyio.to_thread.run_sync(handle.write, bytes(buffer))
                    buffer.clear()
            await anyio.to_thread.run_sync(_finish, handle, bytes(buffer), temporary, target)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(_discard, handle, temporary)
            raise

    async def open(self, key: str) -> Opened:
        path = self._path(key)
        try:
            handle = await anyio.to_thread.run_sync(_open_for_reading, path)
        except FileNotFoundError:
            raise MissingObject(key) from None
        # The open handle keeps the bytes readable even if the file is deleted meanwhile.
        size = os.fstat(handle.fileno()).st_size
        return Opened(size=size, chunks=_read(handle))

    async def delete(self, key: str) -> None:
        path = self._path(key)
        await anyio.to_thread.run_sync(lambda: path.unlink(missing_ok=True))

    async def exists(self, key: str) -> bool:
        return await anyio.to_thread.run_sync(self._path(key).is_file)

    async def aclose(self) -> None:
        return None

    def partial_files(self) -> list[Path]:
        """Writes in progress or abandoned by a crash (for tests and operators)."""
        return sorted(self._partial.glob("*.part")) if self._partial.exists() else []


def _create(path: Path) -> IO[bytes]:
    return open(path, "xb")


def _open_for_reading(path: Path) -> IO[bytes]:
    return open(path, "rb")


def _finish(handle: IO[bytes], rest: bytes, temporary: Path, target: Path) -> None:
    handle.write(rest)
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.replace(temporary, target)


def _discard(handle: IO[bytes], temporary: Path) -> None:
    handle.close()
    temporary.unlink(missing_ok=True)


async def _read(handle: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while chunk := await anyio.to_thread.run_sync(handle.read, CHUNK):
            yield chunk
    finally:
        handle.close()


@lru_cache(maxsize=8)
def storage_for(settings: Settings) -> FileStorage:
    """The process's store for these settings: S3 when a bucket is named, else local disk."""
    if settings.storage_s3_bucket:
        from tessera.storage.s3 import S3Storage

        return S3Storage.from_settings(settings)
    return LocalStorage(settings.files_dir)
