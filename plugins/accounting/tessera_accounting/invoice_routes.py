"""Invoices and bills over HTTP: /api/v1/accounting/invoices. The rules are in invoices and
invoice_posting; these routes translate."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import ColumnElement, select

from tessera.plugin import (
    DEFAULT_LIMIT,
    Forbidden,
    Language,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    company_profile,
    requires,
)
from tessera_accounting.documents_translations import printed_texts
from tessera_accounting.invoice_models import (
    INVOICE_POST,
    INVOICE_READ,
    INVOICE_WRITE,
    STATUSES,
    Invoice,
)
from tessera_accounting.invoice_pdf import invoice_pdf
from tessera_accounting.invoice_posting import cancel_invoice, post_invoice
from tessera_accounting.invoices import (
    InvoiceIn,
    InvoiceOut,
    InvoicePatch,
    change_draft,
    create_draft,
    get_invoice,
    invoice_out,
    lines_of,
    one_invoice_out,
    partner_names,
)
from tessera_accounting.models import Tax
from tessera_accounting.partners import Partner

SORTING = Sorting(
    {
        "date": Invoice.date,
        "due_date": Invoice.due_date,
        "number": Invoice.number,
        "created_at": Invoice.created_at,
    },
    Invoice.id,
    default="-created_at",
)
KindFilter = Annotated[str | None, QueryParameter(pattern="^(customer|vendor)$")]
StatusFilter = Annotated[str | None, QueryParameter(pattern=f"^({'|'.join(STATUSES)})$")]
PartnerFilter = Annotated[uuid.UUID | None, QueryParameter(description="One partner's")]
Search = Annotated[str | None, QueryParameter(max_length=100, description="Part of the number")]
Lang = Annotated[
    str | None,
    QueryParameter(pattern="^(en|zh)$", description="en or zh; default: the request's language"),
]


def _given(data: InvoiceIn) -> dict[str, Any]:
    given = msgspec.structs.asdict(data)
    given["lines"] = [msgspec.structs.asdict(line) for line in data.lines]
    return given


class InvoicesController(Controller):
    path = "/invoices"
    tags = ["accounting"]

    @get("/", summary="Invoices and bills", opt=requires(INVOICE_READ))
    async def list_invoices(
        self,
        actor: Member,
        uow: Uow,
        kind: KindFilter = None,
        status: StatusFilter = None,
        partner_id: PartnerFilter = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[InvoiceOut]:
        where: list[ColumnElement[bool]] = []
        if kind is not None:
            where.append(Invoice.kind == kind)
        if status is not None:
            where.append(Invoice.status == status)
        if partner_id is not None:
            where.append(Invoice.partner_id == partner_id)
        if q:
            where.append(Invoice.number.icontains(q, autoescape=True))
        page = SORTING.page(select(Invoice).where(*where), sort, cursor, limit)
        rows = list((await uow.db.scalars(page.query)).all())
        names = await partner_names(uow.db, {row.partner_id for row in rows})
        return page.of(rows, lambda row: invoice_out(row, names.get(row.partner_id, "")))

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Write a draft invoice or bill with its lines (posted at once with post: true)",
        opt=requires(INVOICE_WRITE),
    )
    async def create(self, data: JSONBody[InvoiceIn], actor: Member, uow: Uow) -> InvoiceOut:
        if data.post and INVOICE_POST not in actor.grants:
            raise Forbidden(f"Posting needs the permission {INVOICE_POST}.")
        invoice = await create_draft(uow.db, actor.tenant, _given(data), by=actor.user_id)
        if data.post:
            invoice = await post_invoice(uow.db, actor.tenant, invoice.id, by=actor.user_id)
        return await one_invoice_out(uow.db, invoice)

    @get("/{invoice_id:uuid}", summary="One invoice with its lines", opt=requires(INVOICE_READ))
    async def get_one(self, invoice_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> InvoiceOut:
        return await one_invoice_out(uow.db, await get_invoice(uow.db, invoice_id))

    @patch(
        "/{invoice_id:uuid}",
        summary="Change a draft (lines, when given, replace them all)",
        opt=requires(INVOICE_WRITE),
    )
    async def change(
        self, invoice_id: FromPath[uuid.UUID], data: JSONBody[InvoicePatch], actor: Member, uow: Uow
    ) -> InvoiceOut:
        invoice = await change_draft(uow.db, actor.tenant, invoice_id, data)
        return await one_invoice_out(uow.db, invoice)

    @post(
        "/{invoice_id:uuid}/post",
        status_code=HTTP_200_OK,
        summary="Post a draft: numbered, booked, announced",
        opt=requires(INVOICE_POST),
    )
    async def post_one(
        self, invoice_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> InvoiceOut:
        invoice = await post_invoice(uow.db, actor.tenant, invoice_id, by=actor.user_id)
        return await one_invoice_out(uow.db, invoice)

    @post(
        "/{invoice_id:uuid}/cancel",
        status_code=HTTP_200_OK,
        summary="Cancel a draft, or an unpaid posted invoice with a reversing entry",
        opt=requires(INVOICE_POST),
    )
    async def cancel(self, invoice_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> InvoiceOut:
        invoice = await cancel_invoice(uow.db, actor.tenant, invoice_id, by=actor.user_id)
        return await one_invoice_out(uow.db, invoice)

    @get(
        "/{invoice_id:uuid}/pdf",
        summary="The invoice as a PDF, in English or Chinese",
        opt=requires(INVOICE_READ),
        media_type="application/pdf",
    )
    async def pdf(
        self,
        invoice_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        texts: Language,
        lang: Lang = None,
    ) -> Response[bytes]:
        invoice = await get_invoice(uow.db, invoice_id)
        partner = await uow.db.scalar(select(Partner).where(Partner.id == invoice.partner_id))
        assert partner is not None  # a foreign key holds it
        lines = await lines_of(uow.db, invoice.id)
        tax_ids = {line.tax_id for line in lines if line.tax_id is not None}
        taxes = dict(
            (await uow.db.execute(select(Tax.id, Tax.name).where(Tax.id.in_(tax_ids))))
            .tuples()
            .all()
        )
        language = lang or ("zh" if texts.locale.lower().startswith("zh") else "en")
        doc = invoice_pdf(
            invoice,
            lines,
            partner,
            await company_profile(uow, actor.tenant),
            {str(tax_id): name for tax_id, name in taxes.items()},
            language,
            printed_texts(language),
        )
        name = (invoice.number or f"draft-{invoice.id}").replace("/", "-")
        return Response(
            await doc.render(),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
        )
