"""The FileStorage contract, held by both implementations (local disk, and S3 through a real S3
server on loopback), and the rules for what clients say about a file."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tessera.errors import Invalid
from tessera.settings import Settings, SettingsError
from tessera.storage.backends import FileStorage, LocalStorage, MissingObject, check_key
from tessera.storage.names import (
    clean_content_type,
    clean_filename,
    content_disposition,
    object_key,
)
from tessera.storage.s3 import PART, S3Storage, part_size
from tests.storage_support import MotoServer, pattern

MiB = 1024 * 1024


class Refused(Exception):
    """What a source raises halfway, as the size check or a vanished client would."""


@pytest.fixture(params=["local", "s3"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[FileStorage]:
    if request.param == "local":
        yield LocalStorage(tmp_path / "files")
        return
    moto: MotoServer = request.getfixturevalue("moto_server")
    # A prefix of its own, so that what a test finds in the bucket is its own doing.
    storage = S3Storage.from_settings(moto.settings(Settings(), prefix=f"{uuid.uuid4().hex}/"))
    try:
        yield storage
    finally:
        await storage.aclose()


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


async def _read_all(storage: FileStorage, key: str) -> bytes:
    opened = await storage.open(key)
    data = b"".join([chunk async for chunk in opened.chunks])
    assert len(data) == opened.size
    return data


async def _stored_anything(storage: FileStorage) -> bool:
    if isinstance(storage, LocalStorage):
        return bool(storage.partial_files()) or any(p.is_file() for p in storage.root.rglob("*"))
    assert isinstance(storage, S3Storage)
    return bool(await storage.keys()) or await storage.unfinished_uploads() > 0


@pytest.mark.parametrize("size", [0, 1000, PART, PART + 1, 2 * PART + 12345])
async def test_what_is_written_is_read_back(backend: FileStorage, size: int) -> None:
    storage = backend
    key = object_key(uuid.uuid4(), uuid.uuid4())
    await storage.write(key, pattern(size), content_type="application/zip", max_size=64 * MiB)
    assert await storage.exists(key)
    data = await _read_all(storage, key)
    assert len(data) == size
    assert data == b"".join([c async for c in pattern(size)])
    await storage.delete(key)
    assert not await storage.exists(key)
    await storage.delete(key)  # deleting again is fine: removal is retried after crashes


@pytest.mark.parametrize("fail_after", [0, 3 * 64 * 1024, PART + 64 * 1024])
async def test_a_failed_write_leaves_nothing(backend: FileStorage, fail_after: int) -> None:
    storage = backend

    async def failing() -> AsyncIterator[bytes]:
        async for chunk in pattern(fail_after):
            yield chunk
        raise Refused

    key = object_key(uuid.uuid4(), uuid.uuid4())
    with pytest.raises(Refused):
        await storage.write(key, failing(), content_type="text/plain", max_size=64 * MiB)
    assert not await storage.exists(key)
    assert not await _stored_anything(storage)


async def test_reading_what_is_not_there(backend: FileStorage) -> None:
    storage = backend
    with pytest.raises(MissingObject):
        await storage.open(object_key(uuid.uuid4(), uuid.uuid4()))
    assert not await storage.exists(object_key(uuid.uuid4(), uuid.uuid4()))


@pytest.mark.parametrize(
    "key", ["../etc/passwd", "a/../../b", "/abs", "a//b", ".hidden", "a/.partial/x", "a b", ""]
)
async def test_keys_that_are_not_the_platforms_are_refused(tmp_path: Path, key: str) -> None:
    storage = LocalStorage(tmp_path)
    with pytest.raises(ValueError, match="not a storage key"):
        await storage.write(key, pattern(1), content_type="text/plain", max_size=1)
    assert _files(tmp_path) == []


def test_check_key_accepts_the_platforms_keys() -> None:
    key = object_key(uuid.uuid4(), uuid.uuid4())
    assert check_key(key) == key
    _tenant, shard, file_id = key.split("/")
    assert shard == file_id.replace("-", "")[-2:]


def test_parts_grow_only_for_files_s3_could_not_take_in_8_mib_parts() -> None:
    assert part_size(5 * 1024**3) == PART
    assert part_size(1024**4) * 9_999 >= 1024**4
    assert part_size(1024**4) >= 5 * MiB


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\receipt.jpg", "receipt.jpg"),
        ("  spaced name.txt  ", "spaced name.txt"),
        ("trailing. . .", "trailing"),
        ("Cafe\u0301.txt", "Caf\u00e9.txt"),
        ("报销单.xlsx", "报销单.xlsx"),
        ("x" * 255, "x" * 255),
    ],
)
def test_filenames_are_cleaned_to_a_name(given: str, kept: str) -> None:
    assert clean_filename(given) == kept


@pytest.mark.parametrize(
    "given",
    ["", "   ", ".", "..", "a/..", "dir/", "a\x00b", "tab\there", "rtl\u202etxt", "y" * 256],
)
def test_unusable_filenames_are_refused(given: str) -> None:
    with pytest.raises(Invalid) as refused:
        clean_filename(given)
    assert refused.value.errors[0].field == "filename"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        (None, "application/octet-stream"),
        ("", "application/octet-stream"),
        ("TEXT/Plain; charset=utf-8", "text/plain"),
        ("image/svg+xml", "image/svg+xml"),
        ("nonsense", "application/octet-stream"),
        ("text/plain\r\nX-Injected: 1", "application/octet-stream"),
    ],
)
def test_content_types_are_kept_only_when_well_formed(given: str | None, kept: str) -> None:
    assert clean_content_type(given) == kept


def test_content_disposition_names_the_file_for_every_client() -> None:
    assert content_disposition('a "quoted" 100%.txt', inline=False) == (
        'attachment; filename="a _quoted_ 100_.txt"; '
        "filename*=UTF-8''a%20%22quoted%22%20100%25.txt"
    )
    assert content_disposition("фото.png", inline=True).startswith('inline; filename="____.png"')


BASE_ENV = {"TESSERA_SECRET_KEY": "s" * 40}


def test_storage_settings_are_read_and_checked() -> None:
    env = {
        **BASE_ENV,
        "TESSERA_STORAGE_S3_BUCKET": "files.example",
        "TESSERA_STORAGE_S3_ENDPOINT": "http://127.0.0.1:9000",
        "TESSERA_STORAGE_S3_ACCESS_KEY": "key",
        "TESSERA_STORAGE_S3_SECRET_KEY": "secret",
        "TESSERA_STORAGE_S3_PREFIX": "/prod/tessera/",
        "TESSERA_STORAGE_FILE_LIMIT_BYTES": "1000",
        "TESSERA_STORAGE_FILE_LIMIT_CEILING_BYTES": "2000",
        "TESSERA_DATA_DIR": "/srv/tessera",
    }
    settings = Settings.from_env(env)
    assert settings.storage_s3_bucket == "files.example"
    assert settings.storage_s3_prefix == "prod/tessera/"
    assert (settings.storage_file_limit_bytes, settings.storage_file_limit_ceiling_bytes) == (
        1000,
        2000,
    )
    assert settings.files_dir == Path("/srv/tessera/files")
    plain = Settings.from_env({**BASE_ENV, "TESSERA_STORAGE_DIR": "/mnt/f"})
    assert plain.files_dir == Path("/mnt/f")
    assert plain.storage_s3_bucket is None


@pytest.mark.parametrize(
    ("env", "named"),
    [
        (
            {
                "TESSERA_STORAGE_FILE_LIMIT_BYTES": "3000",
                "TESSERA_STORAGE_FILE_LIMIT_CEILING_BYTES": "2000",
            },
            "TESSERA_STORAGE_FILE_LIMIT_BYTES",
        ),
        ({"TESSERA_STORAGE_FILE_LIMIT_BYTES": "0"}, "TESSERA_STORAGE_FILE_LIMIT_BYTES"),
        ({"TESSERA_STORAGE_S3_BUCKET": "Not_A_Bucket"}, "TESSERA_STORAGE_S3_BUCKET"),
        ({"TESSERA_STORAGE_S3_ENDPOINT": "minio:9000"}, "TESSERA_STORAGE_S3_ENDPOINT"),
        ({"TESSERA_STORAGE_S3_ACCESS_KEY": "only-half"}, "TESSERA_STORAGE_S3_ACCESS_KEY"),
        ({"TESSERA_STORAGE_S3_PREFIX": "../up"}, "TESSERA_STORAGE_S3_PREFIX"),
        ({"TESSERA_STORAGE_SWEEP_SECONDS": "1"}, "TESSERA_STORAGE_SWEEP_SECONDS"),
    ],
)
def test_malformed_storage_settings_are_named(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings.from_env({**BASE_ENV, **env})
