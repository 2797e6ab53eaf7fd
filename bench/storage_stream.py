"""Streaming through the one storage interface: upload and download MB/s and peak memory, on
local disk and on S3 (moto's server on loopback, in its own process).

Each upload goes through what an HTTP upload goes through after the socket: 64 KiB chunks,
counted and SHA-256 hashed on the way (``tessera.storage.service._measured``), into the
backend; each download reads the object back in the backend's chunks. Peak memory is what
Python allocated at most while a transfer ran (tracemalloc), so it shows whether a file is held
whole (it never should be). Moto keeps objects in memory and parses every request in Python,
so its figures say little about a real S3; they show the client side stays bounded.

    uv run python bench/storage_stream.py [--size-mib 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import boto3
import httpx

from tessera.settings import Settings
from tessera.storage.backends import FileStorage, LocalStorage
from tessera.storage.names import object_key
from tessera.storage.s3 import S3Storage
from tessera.storage.service import _measured, _Tally

MiB = 1024 * 1024
CHUNK = 64 * 1024
#: moto accepts any credentials; these only have to match between client and server.
KEY = SECRET = "bench"


async def source(size: int) -> AsyncIterator[bytes]:
    block = os.urandom(CHUNK)
    sent = 0
    while sent < size:
        piece = block[: min(CHUNK, size - sent)]
        sent += len(piece)
        yield piece


async def one_round(storage: FileStorage, size: int) -> tuple[float, float, float, float]:
    key = object_key(uuid.uuid4(), uuid.uuid4())
    tracemalloc.start()
    started = time.perf_counter()
    tally = _Tally(limit=size)
    await storage.write(
        key, _measured(source(size), tally), content_type="application/zip", max_size=size
    )
    up = time.perf_counter() - started
    _, up_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    opened = await storage.open(key)
    received = 0
    async for chunk in opened.chunks:
        received += len(chunk)
    down = time.perf_counter() - started
    _, down_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert received == tally.size == size
    await storage.delete(key)
    return size / MiB / up, size / MiB / down, up_peak / MiB, down_peak / MiB


async def measure(name: str, storage: FileStorage, size: int, rounds: int) -> None:
    await one_round(storage, MiB)  # warm-up: clients, connections, service models
    results = [await one_round(storage, size) for _ in range(rounds)]
    best_up = max(r[0] for r in results)
    best_down = max(r[1] for r in results)
    peak_up = max(r[2] for r in results)
    peak_down = max(r[3] for r in results)
    print(
        f"{name:6} {size // MiB:5d} MiB  upload {best_up:7.1f} MB/s (peak {peak_up:5.1f} MiB)"
        f"  download {best_down:7.1f} MB/s (peak {peak_down:5.1f} MiB)"
    )
    await storage.aclose()


def start_moto() -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET}
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(endpoint + "/moto-api/", timeout=1)
            return process, endpoint
        except httpx.TransportError:
            if time.monotonic() > deadline:
                process.terminate()
                raise SystemExit("moto did not start") from None
            time.sleep(0.1)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    size = args.size_mib * MiB

    with tempfile.TemporaryDirectory() as directory:
        await measure("local", LocalStorage(Path(directory)), size, args.rounds)

    process, endpoint = start_moto()
    try:
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
        ).create_bucket(Bucket="bench")
        settings = Settings(
            storage_s3_bucket="bench",
            storage_s3_endpoint=endpoint,
            storage_s3_access_key=KEY,
            storage_s3_secret_key=SECRET,
        )
        await measure("s3", S3Storage.from_settings(settings), size, args.rounds)
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    asyncio.run(main())
