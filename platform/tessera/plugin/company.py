"""The tenant's company profile, as a plugin prints it on its documents."""

from __future__ import annotations

import uuid

from tessera.company import service
from tessera.plugin.pdf import CompanyProfile
from tessera.unit_of_work import UnitOfWork


async def company_profile(uow: UnitOfWork, tenant_id: uuid.UUID) -> CompanyProfile:
    """The letterhead of ``tenant_id`` (the current tenant): legal name, address, tax id,
    phone, email and logo bytes. A tenant that never filled its profile in has its sign-up
    name and nothing else; members change it at ``PATCH /api/v1/company``."""
    profile = await service.read(uow.db, tenant_id)
    logo = None
    if profile.logo_file_id is not None:
        logo = await service.logo_bytes(uow, profile.logo_file_id)
    return CompanyProfile(
        legal_name=profile.legal_name,
        address=profile.address,
        tax_id=profile.tax_id,
        phone=profile.phone,
        email=profile.email,
        logo=logo,
    )
