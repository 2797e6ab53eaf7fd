"""Everything checked before an import writes anything: the archive is whole (every member
listed, every checksum right, nothing extra), it was made by this code at these migrations, its
tables are this database's tables, and every row belongs to the archive's tenant."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from tessera import __version__
from tessera.tenants.portability.archive import ArchiveError, Manifest, Unpacked
from tessera.tenants.portability.catalogue import TENANT_TABLE, USER_TABLE, Catalogue


def check_members(unpacked: Unpacked) -> None:
    """Every member the manifest lists is there with its checksum; no member is unlisted."""
    manifest = unpacked.manifest
    listed: dict[str, tuple[str, int | None]] = {t.file: (t.sha256, None) for t in manifest.tables}
    listed |= {f.file: (f.sha256, f.size) for f in manifest.files}
    for member, (sha256, size) in listed.items():
        if member not in unpacked.paths:
            raise ArchiveError(f"the archive has no {member}, which its manifest lists")
        if unpacked.sha256[member] != sha256:
            raise ArchiveError(f"{member} does not match its checksum: the archive is damaged")
        if size is not None and unpacked.sizes[member] != size:
            raise ArchiveError(f"{member} is not the size its manifest gives")
    extra = sorted(set(unpacked.paths) - set(listed))
    if extra:
        raise ArchiveError(f"the archive holds {extra[0]}, which its manifest does not list")
    prefix = f"{manifest.tenant_id}/"
    for entry in manifest.files:
        if not entry.key.startswith(prefix):
            raise ArchiveError(f"file key {entry.key!r} is not under the tenant's own prefix")


def check_compatible(manifest: Manifest, heads: Mapping[str, str]) -> None:
    """The archive was made by this version of Tessera at this database's migrations."""
    if manifest.tessera_version != __version__:
        raise ArchiveError(
            f"the archive was exported by Tessera {manifest.tessera_version} and this is "
            f"Tessera {__version__}: import it with the version that exported it"
        )
    if dict(manifest.alembic_heads) != dict(heads):
        raise ArchiveError(
            f"the archive's migration heads ({_heads(manifest.alembic_heads)}) are not this "
            f"database's ({_heads(heads)}): bring both to the same migrations first"
        )


def _heads(heads: Mapping[str, str]) -> str:
    return ", ".join(f"{branch} {revision}" for branch, revision in sorted(heads.items())) or "none"


def check_tables(manifest: Manifest, catalogue: Catalogue) -> None:
    """The archive has a file for exactly the tables this database carries, column for column."""
    ours = {t.name: list(t.columns) for t in catalogue.carried()}
    theirs = {t.name: t.columns for t in manifest.tables}
    for name in sorted(set(ours) | set(theirs)):
        if name not in theirs:
            raise ArchiveError(f"the archive has no rows file for table {name}")
        if name not in ours:
            raise ArchiveError(f"the archive holds table {name}, which this database lacks")
        if theirs[name] != ours[name]:
            raise ArchiveError(f"the archive's columns of {name} are not this database's")


def check_rows(unpacked: Unpacked) -> None:
    """Every row is the archive's tenant's, and each file holds the rows its manifest counts."""
    manifest = unpacked.manifest
    for entry in manifest.tables:
        if entry.name == USER_TABLE:
            owner_column = None
        elif entry.name == TENANT_TABLE:
            owner_column = entry.columns.index("id")
        else:
            owner_column = entry.columns.index("tenant_id")
        rows = _check_owner(
            unpacked.paths[entry.file], entry.name, owner_column, manifest.tenant_id
        )
        if rows != entry.rows:
            raise ArchiveError(f"{entry.file} holds {rows} rows and its manifest says {entry.rows}")
        if entry.name == TENANT_TABLE and rows != 1:
            raise ArchiveError("the archive must hold exactly one tenant row")


def account_ids(unpacked: Unpacked) -> list[str]:
    """The ids of the accounts in the archive."""
    entry = next(t for t in unpacked.manifest.tables if t.name == USER_TABLE)
    column = entry.columns.index("id")
    with unpacked.paths[entry.file].open(newline="", encoding="utf-8") as handle:
        return [row[column] for row in csv.reader(handle, strict=True)]


def _check_owner(path: Path, table: str, column: int | None, tenant_id: str) -> int:
    count = 0
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            for count, row in enumerate(csv.reader(handle, strict=True), start=1):
                if column is not None and row[column] != tenant_id:
                    raise ArchiveError(
                        f"row {count} of {table} belongs to tenant {row[column]!r}, not to the "
                        f"archive's tenant {tenant_id}: nothing was imported"
                    )
    except (csv.Error, UnicodeDecodeError, IndexError) as exc:
        raise ArchiveError(f"the rows file of {table} is not valid CSV ({exc})") from None
    return count
