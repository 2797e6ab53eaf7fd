"""Request and response shapes of the tenant's storage settings."""

from __future__ import annotations

from typing import Annotated

import msgspec

from tessera.web.schemas import Input

Bytes = Annotated[int, msgspec.Meta(ge=1, description="A size in bytes")]


class StorageSettingsIn(Input):
    #: The largest file a member of the tenant may store, up to the platform's ceiling.
    max_file_bytes: Bytes


class StorageSettingsOut(msgspec.Struct):
    max_file_bytes: int
    #: The largest value ``max_file_bytes`` may take (set by the operator).
    ceiling_max_file_bytes: int
    #: What ``max_file_bytes`` is for a tenant that has not chosen.
    default_max_file_bytes: int
