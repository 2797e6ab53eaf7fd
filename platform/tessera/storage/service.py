"""Stored files: taking one in as a stream, finding and opening it, letting it go, sweeping.

**Keys.** A file's bytes live under a key the platform makes from the tenant and the file's
id (``names.object_key``); the uploader's filename is only metadata.

**Nothing half-written.** Before an upload's first byte is stored, a ``storage_cleanup`` row
naming its key is committed on the side. The request's transaction then swaps that row for the
``stored_file`` row, so a request that rolls back (or a process that dies) leaves the cleanup
row behind, and the bytes are removed after the request or by the sweep. Deleting a file works
the other way round: the request deletes the ``stored_file`` row and adds a cleanup row for its
bytes, which go once that has committed.

**When a file goes.** A file is *held* while a row of any table refers to it through a foreign
key to ``stored_file``, or a record in the recycle bin whose snapshot has such a row does. A
file nothing holds is removed when the plugin says it is done with it (:func:`delete`), or by
the sweep once ``TESSERA_STORAGE_UNHELD_HOURS`` have passed since its upload — the fate of an
upload never attached, or of a file whose last holder was purged from the bin.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete as delete_rows
from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.db.ids import uuid7
from tessera.db.roles import quote_ident
from tessera.errors import Invalid, NotFound, TooLarge
from tessera.recycle import service as recycle
from tessera.settings import Settings
from tessera.storage.backends import FileStorage, Opened, storage_for
from tessera.storage.models import StorageCleanup, StorageSetting, StoredFile
from tessera.storage.names import clean_content_type, clean_filename, object_key
from tessera.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)

#: Files the sweep looks at per tenant and run; the rest wait for the next run.
SWEEP_BATCH = 500
#: An upload still under way this long after it started is taken for abandoned.
UPLOAD_GRACE = timedelta(hours=24)


# --- the tenant's limit ---------------------------------------------------------------------


async def file_limit(db: AsyncSession, settings: Settings) -> int:
    """The current tenant's largest file, in bytes: its own choice or the default, never above
    the operator's ceiling (which may have come down since the tenant chose)."""
    chosen = (await db.execute(select(StorageSetting.max_file_bytes))).scalar_one_or_none()
    limit = settings.storage_file_limit_bytes if chosen is None else chosen
    return min(limit, settings.storage_file_limit_ceiling_bytes)


async def set_file_limit(uow: UnitOfWork, tenant_id: uuid.UUID, max_file_bytes: int) -> int:
    """Change the tenant's limit (audited as a change of its ``storage_setting`` row)."""
    ceiling = uow.settings.storage_file_limit_ceiling_bytes
    if not 1 <= max_file_bytes <= ceiling:
        raise Invalid("max_file_bytes", f"must be from 1 to {ceiling} (the platform's ceiling)")
    statement = insert(StorageSetting).values(tenant_id=tenant_id, max_file_bytes=max_file_bytes)
    await uow.db.execute(
        statement.on_conflict_do_update(
            index_elements=[StorageSetting.tenant_id],
            set_={"max_file_bytes": max_file_bytes, "updated_at": text("now()")},
        )
    )
    return max_file_bytes


# --- taking a file in -----------------------------------------------------------------------


@dataclass(slots=True)
class _Tally:
    limit: int
    size: int = 0
    digest: Any = field(default_factory=hashlib.sha256)


async def _measured(chunks: AsyncIterable[bytes], tally: _Tally) -> AsyncIterator[bytes]:
    """The chunks, counted and hashed on the way; :class:`TooLarge` at the first byte over."""
    async for chunk in chunks:
        tally.size += len(chunk)
        if tally.size > tally.limit:
            raise TooLarge(
                f"The file is larger than this tenant's limit of {tally.limit} bytes.",
                max_bytes=tally.limit,
            )
        tally.digest.update(chunk)
        yield chunk


async def store(
    uow: UnitOfWork,
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID | None,
    chunks: AsyncIterable[bytes],
    filename: str,
    content_type: str | None,
    limit: int,
) -> StoredFile:
    """Stream ``chunks`` into the store as a new file of the tenant, at most ``limit`` bytes.

    The ``stored_file`` row is written in ``uow``'s transaction; if that rolls back, the bytes
    are removed (see the module's docstring). ``filename`` is cleaned or refused (422) first,
    so a refused name costs no upload.
    """
    name = clean_filename(filename)
    media_type = clean_content_type(content_type)
    storage = storage_for(uow.settings)
    file_id = uuid7()
    key = object_key(tenant_id, file_id)
    await _expect_leftover(uow, tenant_id, file_id, key, datetime.now(UTC) + UPLOAD_GRACE)
    tally = _Tally(limit=limit)
    try:
        await storage.write(key, _measured(chunks, tally), content_type=media_type, max_size=limit)
    except BaseException:
        # The backend left nothing; neither should the bookkeeping.
        await _forget_leftover(uow, tenant_id, file_id)
        raise
    # Whatever happens to the request now, its end looks at what it left (see module doc).
    uow.after_end.append(lambda: remove_leftovers(uow, storage, tenant_id, [file_id]))
    claimed = await uow.db.execute(
        delete_rows(StorageCleanup).where(StorageCleanup.id == file_id).returning(StorageCleanup.id)
    )
    if claimed.scalar_one_or_none() is None:
        raise NotFound("The upload took so long that it was taken for abandoned; send it again.")
    stored = StoredFile(
        tenant_id=tenant_id,
        id=file_id,
        key=key,
        filename=name,
        content_type=media_type,
        size=tally.size,
        sha256=tally.digest.hexdigest(),
        created_by=user_id,
    )
    uow.db.add(stored)
    await uow.db.flush()
    return stored


async def _expect_leftover(
    uow: UnitOfWork, tenant_id: uuid.UUID, file_id: uuid.UUID, key: str, not_before: datetime
) -> None:
    async with uow.tenant_transaction(tenant_id) as side:
        side.add(StorageCleanup(tenant_id=tenant_id, id=file_id, key=key, not_before=not_before))


async def _forget_leftover(uow: UnitOfWork, tenant_id: uuid.UUID, file_id: uuid.UUID) -> None:
    async with uow.tenant_transaction(tenant_id) as side:
        await side.execute(delete_rows(StorageCleanup).where(StorageCleanup.id == file_id))


async def remove_leftovers(
    uow: UnitOfWork, storage: FileStorage, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> None:
    """After a request: remove the bytes its cleanup rows still name, then the rows.

    A committed upload has no row left, a committed deletion has one; a rolled-back upload
    has one, a rolled-back deletion none. Rows another process is removing are skipped.
    """
    async with uow.tenant_transaction(tenant_id) as side:
        await _remove_bytes(side, storage, StorageCleanup.id.in_(ids))


async def _remove_bytes(db: AsyncSession, storage: FileStorage, condition: Any) -> int:
    query = (
        select(StorageCleanup)
        .where(condition)
        .order_by(StorageCleanup.not_before)
        .limit(SWEEP_BATCH)
        .with_for_update(skip_locked=True)
    )
    rows = list((await db.execute(query)).scalars())
    for row in rows:
        # Bytes first, row second: a crash between them leaves a row, and deleting again is
        # harmless; the other order could forget bytes for good.
        await storage.delete(row.key)
    if rows:
        await db.execute(
            delete_rows(StorageCleanup).where(StorageCleanup.id.in_([r.id for r in rows]))
        )
    return len(rows)


# --- finding and reading --------------------------------------------------------------------


async def get(db: AsyncSession, file_id: uuid.UUID) -> StoredFile:
    """The current tenant's file; 404 for another tenant's, as for one that never existed."""
    found = (
        await db.execute(select(StoredFile).where(StoredFile.id == file_id))
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("No file has this id.")
    return found


async def get_many(db: AsyncSession, file_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, StoredFile]:
    """The current tenant's files among ``file_ids``, by id (another tenant's are absent)."""
    if not file_ids:
        return {}
    query = select(StoredFile).where(StoredFile.id.in_(list(file_ids)))
    return {found.id: found for found in (await db.execute(query)).scalars()}


async def open_bytes(settings: Settings, stored: StoredFile) -> Opened:
    return await storage_for(settings).open(stored.key)


# --- letting go -----------------------------------------------------------------------------


async def delete(uow: UnitOfWork, file_id: uuid.UUID) -> bool:
    """The caller no longer needs the file: remove it now if nothing else holds it.

    True if it was removed (its bytes go once the transaction commits); False if something
    still holds it, in which case the sweep removes it once nothing does. 404 if there is no
    such file in the tenant.
    """
    # No lock is taken: a reference added meanwhile makes the delete fail on the foreign key,
    # and the file stays (see _remove_rows).
    stored = await get(uow.db, file_id)
    if await held(uow.db, [file_id]):
        return False
    if not await _remove_rows(uow.db, [stored]):
        return False
    storage = storage_for(uow.settings)
    tenant_id = stored.tenant_id
    uow.after_end.append(lambda: remove_leftovers(uow, storage, tenant_id, [file_id]))
    return True


async def _remove_rows(db: AsyncSession, files: Sequence[StoredFile]) -> list[uuid.UUID]:
    """Delete file rows and note their bytes for removal; those that something came to hold
    meanwhile (the foreign key refuses the delete) are kept."""
    removed: list[uuid.UUID] = []
    now = datetime.now(UTC)
    for stored in files:
        try:
            async with db.begin_nested():
                await db.execute(delete_rows(StoredFile).where(StoredFile.id == stored.id))
        except IntegrityError:
            continue
        db.add(
            StorageCleanup(tenant_id=stored.tenant_id, id=stored.id, key=stored.key, not_before=now)
        )
        removed.append(stored.id)
    await db.flush()
    return removed


# --- what holds a file ----------------------------------------------------------------------

_REFERENCES = text(
    """
    SELECT n.nspname, t.relname, a.attname
    FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN LATERAL unnest(c.conkey, c.confkey) AS k(referencing, referenced) ON true
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.referencing
    JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = k.referenced
    WHERE c.contype = 'f' AND c.confrelid = 'stored_file'::regclass AND r.attname = 'id'
    ORDER BY 1, 2, 3
    """
)


@dataclass(frozen=True, slots=True)
class _Reference:
    schema: str
    table: str
    column: str

    def exists_sql(self) -> str:
        # Identifiers from the catalog, quoted; no value is spliced in.
        table = f"{quote_ident(self.schema)}.{quote_ident(self.table)}"
        return (
            f"EXISTS (SELECT 1 FROM {table} r "  # noqa: S608
            f"WHERE r.tenant_id = f.tenant_id AND r.{quote_ident(self.column)} = f.id)"
        )


async def _references(db: AsyncSession) -> list[_Reference]:
    """Every column that refers to stored files, read from the database's own foreign keys,
    so that it includes plugins not loaded in this process and holds after any migration."""
    rows = (await db.execute(_REFERENCES)).all()
    return [_Reference(schema, table, column) for schema, table, column in rows]


async def _binned(db: AsyncSession, references: Sequence[_Reference]) -> set[uuid.UUID]:
    values = await recycle.values_in_bin(db, [(r.table, r.column) for r in references])
    found: set[uuid.UUID] = set()
    for value in values:
        try:
            found.add(uuid.UUID(value))
        except ValueError:
            continue
    return found


async def held(db: AsyncSession, file_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these files something holds: a row referring to it, or a binned record's."""
    references = await _references(db)
    holders = set(file_ids) & await _binned(db, references)
    if references:
        live = " OR ".join(r.exists_sql() for r in references)
        query = text(f"SELECT f.id FROM stored_file f WHERE f.id = ANY(:ids) AND ({live})")  # noqa: S608 -- identifiers quoted, values bound
        holders |= set((await db.execute(query, {"ids": list(file_ids)})).scalars())
    return holders


# --- the sweep ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Swept:
    files: int
    byte_sets: int


async def sweep(db: AsyncSession, settings: Settings, now: datetime | None = None) -> Swept:
    """One tenant's periodic clean-up, in the caller's transaction (the schedule's).

    Removes the bytes of cleanup rows that are due (deleted files, abandoned uploads), then
    the files nothing has held for ``storage_unheld_hours`` since their upload. Bytes of the
    files removed now go on the next run, once this transaction has committed.
    """
    now = now or datetime.now(UTC)
    storage = storage_for(settings)
    byte_sets = await _remove_bytes(db, storage, StorageCleanup.not_before <= now)
    cutoff = now - timedelta(hours=settings.storage_unheld_hours)
    references = await _references(db)
    unheld = " ".join(f"AND NOT {r.exists_sql()}" for r in references)
    query = text(
        f"SELECT f.id FROM stored_file f WHERE f.created_at < :cutoff {unheld} "  # noqa: S608 -- identifiers quoted, values bound
        "ORDER BY f.created_at LIMIT :batch"
    )
    ids = set((await db.execute(query, {"cutoff": cutoff, "batch": SWEEP_BATCH})).scalars())
    ids -= await _binned(db, references)
    files = list((await db.execute(select(StoredFile).where(StoredFile.id.in_(ids)))).scalars())
    removed = await _remove_rows(db, files)
    if removed or byte_sets:
        logger.info("storage sweep", extra={"files": len(removed), "byte_sets": byte_sets})
    return Swept(files=len(removed), byte_sets=byte_sets)
