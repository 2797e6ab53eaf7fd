"""Storage for tests: a real S3 server on loopback (moto's server mode, in its own process),
and a look into either store to see what it holds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import httpx

from tessera.settings import Settings
from tests.support import LiveServer, free_port

BUCKET = "tessera-test"
ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"


class MotoServer:
    """moto's S3 server as a subprocess on a free loopback port: a separate process, so the
    objects it keeps in memory never count towards the memory a test measures."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(self.endpoint + "/moto-api/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    raise RuntimeError("the moto S3 server did not start") from None
                time.sleep(0.1)
        self.client().create_bucket(Bucket=BUCKET)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def settings(self, base: Settings, prefix: str = "") -> Settings:
        return base.with_overrides(
            storage_s3_bucket=BUCKET,
            storage_s3_endpoint=self.endpoint,
            storage_s3_access_key=ACCESS_KEY,
            storage_s3_secret_key=SECRET_KEY,
            storage_s3_prefix=prefix,
        )


@dataclass
class Store:
    """A running app and a view of its store, whichever kind it is."""

    kind: str
    server: LiveServer
    moto: MotoServer | None = None

    @property
    def settings(self) -> Settings:
        return self.server.settings

    def keys(self, tenant_id: str | uuid.UUID) -> set[str]:
        """The keys stored for a tenant."""
        prefix = f"{tenant_id}/"
        if self.moto is not None:
            listed = self.moto.client().list_objects_v2(
                Bucket=BUCKET, Prefix=self.settings.storage_s3_prefix + prefix
            )
            start = len(self.settings.storage_s3_prefix)
            return {item["Key"][start:] for item in listed.get("Contents", [])}
        root = self.settings.files_dir
        return {
            str(path.relative_to(root)) for path in (root / prefix).rglob("*") if path.is_file()
        }

    def unfinished(self) -> int:
        """Uploads started and never completed: partial files, or open multipart uploads."""
        if self.moto is not None:
            listed = self.moto.client().list_multipart_uploads(Bucket=BUCKET)
            return len(listed.get("Uploads", []))
        partial = self.settings.files_dir / ".partial"
        return len(list(partial.glob("*"))) if partial.exists() else 0


def storage_server(base: Settings, moto: MotoServer | None) -> Iterator[Store]:
    settings = base if moto is None else moto.settings(base, prefix="app/")
    server = LiveServer(settings)
    server.start()
    try:
        yield Store("local" if moto is None else "s3", server, moto)
    finally:
        server.stop()


async def pattern(size: int, chunk: int = 64 * 1024) -> AsyncIterator[bytes]:
    """``size`` bytes of a repeating pattern, made as they are sent (never held whole)."""
    block = bytes(range(256)) * (chunk // 256)
    sent = 0
    while sent < size:
        piece = block[: min(chunk, size - sent)]
        sent += len(piece)
        yield piece


def pattern_digest(size: int) -> str:
    import hashlib

    digest = hashlib.sha256()
    block = bytes(range(256)) * 256
    sent = 0
    while sent < size:
        piece = block[: min(len(block), size - sent)]
        digest.update(piece)
        sent += len(piece)
    return digest.hexdigest()
