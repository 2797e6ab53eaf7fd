"""Files in any S3-compatible store (AWS S3, MinIO, Ceph, Cloudflare R2 …), through aiobotocore.

Large files go up as a multipart upload, one part at a time, so memory holds at most one part;
a failed or refused upload is aborted, which discards the parts already sent. Files smaller than
a part go up in one request. Why aiobotocore: docs/decisions.md, decision 31.
"""

from __future__ import annotations

import asyncio
import io
import logging
import weakref
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any

import anyio
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError

from tessera.settings import Settings
from tessera.storage.backends import CHUNK, MissingObject, Opened, StorageError, check_key

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client
    from types_aiobotocore_s3.type_defs import CompletedPartTypeDef

logger = logging.getLogger(__name__)

#: S3 wants parts of at least 5 MiB (all but the last) and at most 10,000 of them.
PART = 8 * 1024 * 1024
MAX_PARTS = 10_000


def part_size(max_size: int) -> int:
    """8 MiB, or more when a file of ``max_size`` would need more parts than S3 allows."""
    return max(PART, -(-max_size // (MAX_PARTS - 1)))


_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}


class S3Storage:
    """One bucket, keys under an optional prefix. A client per event loop, made on first use."""

    kind = "s3"

    def __init__(self, bucket: str, prefix: str, client_options: dict[str, Any]) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self._options = client_options
        self._session = get_session()
        self._clients: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[S3Client, AsyncExitStack]
        ] = weakref.WeakKeyDictionary()
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Storage:
        assert settings.storage_s3_bucket
        options: dict[str, Any] = {
            "region_name": settings.storage_s3_region,
            "config": AioConfig(
                signature_version="s3v4",
                # Virtual-host addressing needs DNS for every bucket; a self-hosted store
                # named by URL is reached by path.
                s3={"addressing_style": "path" if settings.storage_s3_endpoint else "auto"},
                retries={"max_attempts": 4, "mode": "standard"},
                connect_timeout=10,
                read_timeout=60,
                # botocore's newer default adds CRC trailers that several S3-compatible stores
                # refuse; the platform checks its own SHA-256 of every file.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        }
        if settings.storage_s3_endpoint:
            options["endpoint_url"] = settings.storage_s3_endpoint
        if settings.storage_s3_access_key:
            options["aws_access_key_id"] = settings.storage_s3_access_key
            options["aws_secret_access_key"] = settings.storage_s3_secret_key
        return cls(settings.storage_s3_bucket, settings.storage_s3_prefix, options)

    async def _client(self) -> S3Client:
        loop = asyncio.get_running_loop()
        if (entry := self._clients.get(loop)) is not None:
            return entry[0]
        lock = self._locks.setdefault(loop, asyncio.Lock())
        async with lock:
            if (entry := self._clients.get(loop)) is None:
                stack = AsyncExitStack()
                client = await stack.enter_async_context(
                    self._session.create_client("s3", **self._options)
                )
                entry = self._clients[loop] = (client, stack)
        return entry[0]

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    async def write(
        self, key: str, chunks: AsyncIterable[bytes], *, content_type: str, max_size: int
    ) -> None:
        client = await self._client()
        upload = _Multipart(client, self.bucket, self._key(key), content_type)
        # One buffer, filled and sent again and again: a part is never copied.
        buffer = bytearray(part_size(max_size))
        filled = 0
        try:
            async for chunk in chunks:
                view = memoryview(chunk)
                while view:
                    taken = min(len(view), len(buffer) - filled)
                    buffer[filled : filled + taken] = view[:taken]
                    filled += taken
                    view = view[taken:]
                    if filled == len(buffer):
                        await upload.send_part(memoryview(buffer))
                        filled = 0
            await upload.finish(memoryview(buffer)[:filled])
        except BaseException:
            with anyio.CancelScope(shield=True):
                await upload.abort()
            raise

    async def open(self, key: str) -> Opened:
        client = await self._client()
        try:
            response = await client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                raise MissingObject(key) from None
            raise StorageError(f"S3 refused to read {key}: {_code(exc)}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"S3 could not be reached to read {key}") from exc
        return Opened(size=response["ContentLength"], chunks=_body(response["Body"]))

    async def delete(self, key: str) -> None:
        client = await self._client()
        try:
            await client.delete_object(Bucket=self.bucket, Key=self._key(key))
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"S3 could not delete {key}") from exc

    async def exists(self, key: str) -> bool:
        client = await self._client()
        try:
            await client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                return False
            raise StorageError(f"S3 refused to look up {key}: {_code(exc)}") from exc
        return True

    async def keys(self) -> list[str]:
        """Every key stored under the prefix (for tests and operators; lists the bucket)."""
        client = await self._client()
        found: list[str] = []
        paginator = client.get_paginator("list_objects_v2")
        async for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            found += [item["Key"][len(self.prefix) :] for item in page.get("Contents", [])]
        return found

    async def unfinished_uploads(self) -> int:
        """Multipart uploads started and neither completed nor aborted."""
        client = await self._client()
        response = await client.list_multipart_uploads(Bucket=self.bucket, Prefix=self.prefix)
        return len(response.get("Uploads", []))

    async def aclose(self) -> None:
        entry = self._clients.pop(asyncio.get_running_loop(), None)
        if entry is not None:
            await entry[1].aclose()


class _Multipart:
    """A multipart upload started only once a first full part is there to send."""

    def __init__(self, client: S3Client, bucket: str, key: str, content_type: str) -> None:
        self.client = client
        self.bucket = bucket
        self.key = key
        self.content_type = content_type
        self.upload_id: str | None = None
        self.parts: list[CompletedPartTypeDef] = []

    async def send_part(self, data: memoryview) -> None:
        if self.upload_id is None:
            started = await self.client.create_multipart_upload(
                Bucket=self.bucket, Key=self.key, ContentType=self.content_type
            )
            self.upload_id = started["UploadId"]
        number = len(self.parts) + 1
        sent = await self.client.upload_part(
            Bucket=self.bucket,
            Key=self.key,
            UploadId=self.upload_id,
            PartNumber=number,
            Body=io.BufferedReader(_Readable(data), CHUNK),
        )
        self.parts.append({"ETag": sent["ETag"], "PartNumber": number})

    async def finish(self, rest: memoryview) -> None:
        if self.upload_id is None:
            await self.client.put_object(
                Bucket=self.bucket, Key=self.key, Body=bytes(rest), ContentType=self.content_type
            )
            return
        if rest:
            await self.send_part(rest)
        await self.client.complete_multipart_upload(
            Bucket=self.bucket,
            Key=self.key,
            UploadId=self.upload_id,
            MultipartUpload={"Parts": self.parts},
        )
        self.upload_id = None

    async def abort(self) -> None:
        if self.upload_id is None:
            return
        try:
            await self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=self.key, UploadId=self.upload_id
            )
        except (ClientError, BotoCoreError):
            # The store drops it by its own lifecycle rule if it has one; say so, carry on.
            logger.warning("could not abort multipart upload", extra={"key": self.key})


class _Readable(io.RawIOBase):
    """A part as a file, read from the buffer in place. Given bytes, the HTTP client would
    hand the whole part to the socket at once, and the event loop would copy what the
    socket cannot take yet; given a file, it sends it piece by piece as the socket drains."""

    def __init__(self, data: memoryview) -> None:
        super().__init__()
        self._data = data
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        taken = min(len(target), len(self._data) - self._position)
        target[:taken] = self._data[self._position : self._position + taken]
        self._position += taken
        return taken

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        start = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: len(self._data)}
        self._position = max(0, start[whence] + offset)
        return self._position

    def tell(self) -> int:
        return self._position


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


async def _body(body: Any) -> AsyncIterator[bytes]:
    try:
        async for chunk in body.iter_chunks(CHUNK):
            yield chunk
    finally:
        body.close()
