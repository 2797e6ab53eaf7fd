"""The archive: a tar (gzip-compressed when its name ends in ``.gz`` or ``.tgz``) holding
``manifest.json``, one CSV file per table (``tables/NAME.csv``, PostgreSQL's own CSV) and each
stored file's bytes (``files/KEY``). The manifest names and checksums every other member.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

FORMAT = "tessera-tenant-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_BLOCK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be exported or imported; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class TableEntry:
    name: str
    file: str
    columns: list[str]
    rows: int
    sha256: str


@dataclass(frozen=True, slots=True)
class FileEntry:
    key: str
    file: str
    size: int
    sha256: str


@dataclass(slots=True)
class Manifest:
    tessera_version: str
    tenant: dict[str, str]
    exported_at: str
    alembic_heads: dict[str, str]
    tables: list[TableEntry] = field(default_factory=list)
    files: list[FileEntry] = field(default_factory=list)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ArchiveError("manifest.json is not a Tessera tenant archive's manifest")
            if data.get("format_version") != FORMAT_VERSION:
                raise ArchiveError(
                    f"the archive's format version {data.get('format_version')!r} is not "
                    f"{FORMAT_VERSION}, the one this Tessera reads"
                )
            return cls(
                tessera_version=str(data["tessera_version"]),
                tenant={k: str(v) for k, v in data["tenant"].items()},
                exported_at=str(data["exported_at"]),
                alembic_heads={str(k): str(v) for k, v in data["alembic_heads"].items()},
                tables=[TableEntry(**t) for t in data["tables"]],
                files=[FileEntry(**f) for f in data["files"]],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ArchiveError(f"manifest.json is malformed ({exc})") from None

    @property
    def tenant_id(self) -> str:
        return self.tenant["id"]


def table_member(table: str) -> str:
    return f"tables/{table}.csv"


def file_member(key: str) -> str:
    return f"files/{key}"


class HashingWriter:
    """A file being written, its SHA-256 and size kept as the bytes pass."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.handle.write(chunk)
        self.digest.update(chunk)
        self.size += len(chunk)

    async def awrite(self, chunk: bytes) -> None:
        self.write(chunk)

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()


def write_archive(target: Path, manifest: Manifest, members: dict[str, Path]) -> None:
    """Write the tar: the manifest first, then each member from its temporary file."""
    mode = "w:gz" if target.name.endswith((".gz", ".tgz")) else "w"
    partial = target.with_name(f".{target.name}.partial")
    try:
        with tarfile.open(partial, mode) as tar:  # type: ignore[call-overload]
            raw = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(raw), 0o600
            with tempfile.TemporaryFile() as handle:
                handle.write(raw)
                handle.seek(0)
                tar.addfile(info, handle)
            for name, path in members.items():
                info = tar.gettarinfo(str(path), arcname=name)
                info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class Unpacked:
    """An archive's members copied out to a directory, each with the checksum of its bytes."""

    manifest: Manifest
    paths: dict[str, Path]
    sha256: dict[str, str]
    sizes: dict[str, int]


def unpack(source: Path, into: Path) -> Unpacked:
    """Copy every member out of the tar (by a name of our own: a member's name is never a path
    here) and checksum it. Links, directories and devices are refused."""
    manifest_raw: bytes | None = None
    paths: dict[str, Path] = {}
    sha: dict[str, str] = {}
    sizes: dict[str, int] = {}
    with _open_tar(source) as tar:
        for number, info in enumerate(_members(tar)):
            if info.name == MANIFEST:
                manifest_raw = _read_all(tar, info)
                continue
            if info.name in paths:
                raise ArchiveError(f"the archive holds {info.name!r} twice")
            path = into / f"member-{number}"
            with path.open("xb") as handle:
                writer = HashingWriter(handle)
                _copy(tar, info, writer)
            paths[info.name], sha[info.name], sizes[info.name] = path, writer.sha256, writer.size
    if manifest_raw is None:
        raise ArchiveError("the archive has no manifest.json")
    return Unpacked(Manifest.from_json(manifest_raw), paths, sha, sizes)


def _open_tar(source: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(source, "r:*")
    except (OSError, tarfile.TarError) as exc:
        raise ArchiveError(f"{source} is not a readable tar archive ({exc})") from None


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    try:
        for info in tar:
            if not info.isfile():
                raise ArchiveError(f"the archive member {info.name!r} is not a regular file")
            yield info
    except (OSError, EOFError, tarfile.TarError) as exc:
        raise ArchiveError(f"the archive is damaged ({exc})") from None


def _read_all(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(info)
    assert handle is not None  # a regular file, checked in _members
    return handle.read()


def _copy(tar: tarfile.TarFile, info: tarfile.TarInfo, writer: HashingWriter) -> None:
    handle = tar.extractfile(info)
    assert handle is not None
    try:
        while chunk := handle.read(_BLOCK):
            writer.write(chunk)
    except (OSError, EOFError, tarfile.TarError) as exc:
        raise ArchiveError(f"the archive is damaged at {info.name!r} ({exc})") from None
