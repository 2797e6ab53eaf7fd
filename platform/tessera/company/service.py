"""The company profile's rules: reading it (with the tenant's name until someone fills it in),
changing it, and the logo (a small PNG or JPEG, checked before a byte of it is stored)."""

from __future__ import annotations

import io
import uuid
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from litestar import Request
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.company.models import CompanyProfile
from tessera.errors import Invalid, NotFound, TooLarge
from tessera.identity.service import Actor, normalize_email
from tessera.storage import service as storage
from tessera.storage import transfer
from tessera.tenants import service as tenants
from tessera.unit_of_work import UnitOfWork

#: A logo is printed a few centimetres wide: anything bigger only slows every PDF down.
LOGO_MAX_BYTES = 1 << 20
#: Pixels, guarding against decompression bombs (a tiny file that decodes to gigabytes).
LOGO_MAX_PIXELS = 4096 * 4096
#: Pillow's format name -> the content type the logo is stored and served with.
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}

#: Field -> the longest text it takes (the columns' lengths).
TEXT_LIMITS = {"legal_name": 200, "address": 2000, "tax_id": 50, "phone": 50, "email": 254}


@dataclass(frozen=True, slots=True)
class Profile:
    legal_name: str
    address: str
    tax_id: str
    phone: str
    email: str
    logo_file_id: uuid.UUID | None


async def _row(db: AsyncSession) -> CompanyProfile | None:
    found = await db.execute(select(CompanyProfile))
    return found.scalar_one_or_none()


async def read(db: AsyncSession, tenant_id: uuid.UUID) -> Profile:
    """The profile; a tenant that never filled it in has its sign-up name and nothing else."""
    row = await _row(db)
    if row is not None:
        return _profile(row)
    tenant = await tenants.get(db, tenant_id)
    if tenant is None:
        raise NotFound("No such tenant.")
    return Profile(tenant.name, "", "", "", "", None)


def _profile(row: CompanyProfile) -> Profile:
    return Profile(row.legal_name, row.address, row.tax_id, row.phone, row.email, row.logo_file_id)


def _checked(field: str, value: str) -> str:
    cleaned = value.strip()
    if field == "legal_name":
        cleaned = " ".join(cleaned.split())
        if not cleaned:
            raise Invalid(field, "must not be empty")
    if field == "email" and cleaned:
        cleaned = normalize_email(cleaned, field=field)
    if len(cleaned) > TEXT_LIMITS[field]:
        raise Invalid(field, f"must be at most {TEXT_LIMITS[field]} characters")
    return cleaned


async def _row_for_change(uow: UnitOfWork, tenant_id: uuid.UUID) -> CompanyProfile:
    # FOR UPDATE: two admins saving at once change the profile one after the other.
    row = (await uow.db.execute(select(CompanyProfile).with_for_update())).scalar_one_or_none()
    if row is not None:
        return row
    current = await read(uow.db, tenant_id)
    row = CompanyProfile(tenant_id=tenant_id, legal_name=current.legal_name)
    uow.db.add(row)
    return row


async def change(uow: UnitOfWork, tenant_id: uuid.UUID, changes: dict[str, str]) -> Profile:
    """Change the given texts (audited as a change of the ``company_profile`` row)."""
    checked = {field: _checked(field, value) for field, value in changes.items()}
    row = await _row_for_change(uow, tenant_id)
    for field, value in checked.items():
        setattr(row, field, value)
    await uow.db.flush()
    return _profile(row)


# --- the logo -------------------------------------------------------------------------------


async def _received(incoming: transfer.Incoming, limit: int) -> bytes:
    data = bytearray()
    async for chunk in incoming.chunks:
        data += chunk
        if len(data) > limit:
            await incoming.body.drain()
            raise TooLarge(f"A logo must be at most {limit} bytes.", max_bytes=limit)
    return bytes(data)


def logo_type(data: bytes) -> str:
    """The logo's content type, from its bytes (never from what the client says); 422 for
    anything but a whole PNG or JPEG of sensible size."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                width, height = image.size
                if kind in LOGO_FORMATS and width * height <= LOGO_MAX_PIXELS:
                    image.load()  # a truncated or corrupt body fails here, not in a PDF later
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        raise Invalid("file", "must be a PNG or JPEG image") from None
    if kind not in LOGO_FORMATS:
        raise Invalid("file", "must be a PNG or JPEG image")
    if width * height > LOGO_MAX_PIXELS:
        raise Invalid("file", "must be at most 4096 by 4096 pixels")
    return LOGO_FORMATS[kind]


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def set_logo(uow: UnitOfWork, actor: Actor, request: Request[Any, Any, Any]) -> Profile:
    """Take the request's file as the new logo; the old one is let go."""
    tenant_id = actor.tenant
    limit = min(await storage.file_limit(uow.db, uow.settings), LOGO_MAX_BYTES)
    incoming = await transfer.receive(request, part="file", limit=limit)
    data = await _received(incoming, limit)
    content_type = logo_type(data)
    stored = await storage.store(
        uow,
        tenant_id=tenant_id,
        user_id=actor.user_id,
        chunks=_once(data),
        filename=incoming.filename,
        content_type=content_type,
        limit=limit,
    )
    row = await _row_for_change(uow, tenant_id)
    previous, row.logo_file_id = row.logo_file_id, stored.id
    await uow.db.flush()
    if previous is not None:
        await storage.delete(uow, previous)
    return _profile(row)


async def remove_logo(uow: UnitOfWork, tenant_id: uuid.UUID) -> Profile:
    row = await _row_for_change(uow, tenant_id)
    previous, row.logo_file_id = row.logo_file_id, None
    await uow.db.flush()
    if previous is not None:
        await storage.delete(uow, previous)
    return _profile(row)


async def logo_bytes(uow: UnitOfWork, file_id: uuid.UUID) -> bytes:
    """The logo's bytes, for printing (small by construction: see LOGO_MAX_BYTES)."""
    stored = await storage.get(uow.db, file_id)
    opened = await storage.open_bytes(uow.settings, stored)
    try:
        return b"".join([chunk async for chunk in opened.chunks])
    finally:
        await opened.close()
