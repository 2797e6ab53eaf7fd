"""The tables of generic requests: the forms a tenant's admins design, the requests members
fill in from them, and the files those requests hold.

A form's fields are data (JSONB), not columns: admins add forms without a migration. A
request's ``values`` are checked against its form's fields whenever they are written
(:mod:`tessera_oa.request_values`), so what is stored always fits the form it was written for.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Index, Numeric, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, file_fk, member_fk, tenant_fk

FORM_MANAGE = "oa.request_form.manage"
WRITE, READ = "oa.request.write", "oa.request.read"
RECORD_TYPE = "oa.request"
#: A request's way: draft -> pending -> approved or rejected; sent back (returned) or taken
#: back (withdrawn), it may be changed and submitted again.
STATUSES = ("draft", "pending", "approved", "rejected", "returned", "withdrawn")
#: Statuses in which the requester may change the values and submit.
EDITABLE = ("draft", "returned", "withdrawn")


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    return CheckConstraint(f"{column} IN {values!r}", name=column)


class RequestForm(TenantModel, Timestamps):
    """A kind of request a tenant's members may make: its fields and, through the workflow
    engine (scope = the form's id), perhaps an approval workflow of its own."""

    __tablename__ = "oa_request_form"
    __recycle_permission__ = FORM_MANAGE
    __table_args__ = (Index("ix_oa_request_form_active", "tenant_id", "active"),)

    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(2000), default="")
    #: [{key, label, type, required, options, max_length}] (tessera_oa.request_fields).
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    #: The key of the form's one ``amount`` field, copied to each request's ``amount``.
    amount_field: Mapped[str | None] = mapped_column(String(40))
    #: The key of a text field whose value titles the request (else name, requester, date).
    title_field: Mapped[str | None] = mapped_column(String(40))
    icon: Mapped[str | None] = mapped_column(String(40))
    category: Mapped[str | None] = mapped_column(String(80))
    #: Inactive forms take no new requests; their requests stay.
    active: Mapped[bool] = mapped_column(default=True)


# Active forms' names are unique in a tenant whatever their case, also when made at once.
Index(
    "uq_oa_request_form_active_name",
    RequestForm.tenant_id,
    func.lower(RequestForm.name),
    unique=True,
    postgresql_where=text("active"),
)


class OaRequest(TenantModel, Timestamps):
    """One member's request from a form, with the values they filled in."""

    __tablename__ = "oa_request"
    __recycle_permission__ = WRITE
    __table_args__ = (
        # A form in use is deactivated, not deleted.
        tenant_fk("form_id", "oa_request_form"),
        # Kept when the requester leaves (a decided request is a record of the tenant's).
        member_fk("requester_id", ondelete="SET NULL"),
        _one_of("status", STATUSES),
        Index("ix_oa_request_requester", "tenant_id", "requester_id", "id"),
        Index("ix_oa_request_form", "tenant_id", "form_id", "status"),
    )

    form_id: Mapped[uuid.UUID]
    requester_id: Mapped[uuid.UUID | None]
    title: Mapped[str] = mapped_column(String(300))
    values: Mapped[dict[str, Any]] = mapped_column(JSONB)
    #: The form's amount field's value, for workflow conditions (``amount > 5000``).
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    #: The workflow engine's approval it was last submitted with.
    approval_id: Mapped[uuid.UUID | None]
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]


class RequestFile(TenantModel):
    """A file a request's file field names: the row that holds the stored file (values in JSONB
    hold nothing, and the platform sweeps files nothing holds)."""

    __tablename__ = "oa_request_file"
    # Part of its request: rewritten with its values.
    __recycle__ = False
    __table_args__ = (
        tenant_fk("request_id", "oa_request", ondelete="CASCADE"),
        file_fk("file_id"),
        Index("ix_oa_request_file_request", "tenant_id", "request_id"),
        # The platform asks "does anything still hold this file?" by this column.
        Index("ix_oa_request_file_file", "tenant_id", "file_id"),
    )

    request_id: Mapped[uuid.UUID]
    field_key: Mapped[str] = mapped_column(String(40))
    file_id: Mapped[uuid.UUID]
