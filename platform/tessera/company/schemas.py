"""Request and response shapes of the company profile."""

from __future__ import annotations

import uuid

import msgspec

from tessera.web.schemas import Input


class CompanyIn(Input):
    """The texts to change; a field left out keeps its value, an empty string clears it
    (all but ``legal_name``, which a printed document cannot do without)."""

    legal_name: str | msgspec.UnsetType = msgspec.UNSET
    #: Printed as it is written, line breaks included.
    address: str | msgspec.UnsetType = msgspec.UNSET
    tax_id: str | msgspec.UnsetType = msgspec.UNSET
    phone: str | msgspec.UnsetType = msgspec.UNSET
    email: str | msgspec.UnsetType = msgspec.UNSET

    def changes(self) -> dict[str, str]:
        return {
            name: value
            for name in self.__struct_fields__
            if isinstance(value := getattr(self, name), str)
        }


class CompanyOut(msgspec.Struct):
    legal_name: str
    address: str
    tax_id: str
    phone: str
    email: str
    #: The stored logo (served at ``GET /api/v1/company/logo``), or null.
    logo_file_id: uuid.UUID | None
