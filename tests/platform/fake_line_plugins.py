"""Plugins whose resources have line items and documents, for the registry's checks of them:
each has a ``GET /orders/{id}/pdf`` route requiring ``<name>.order.read``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from litestar import Controller, get
from litestar.params import FromPath

from tessera.plugin import (
    UI,
    Action,
    Document,
    Field,
    Manifest,
    Member,
    Permission,
    Resource,
    hookimpl,
    requires,
)


def _controller(module: str) -> type[Controller]:
    class Orders(Controller):
        path = "/orders"

        @get("/{order_id:uuid}/pdf", opt=requires(f"{module}.order.read"))
        async def pdf(self, order_id: FromPath[uuid.UUID], actor: Member) -> str:
            return ""

    return Orders


CELLS = (
    Field("product_id", "Product", type="reference", reference="identity.user"),
    Field("description", "Description"),
    Field("quantity", "Quantity", type="number", required=True),
    Field("unit_price", "Unit price", type="money", required=True),
    Field("discount", "Discount %", type="number"),
    Field("unit", "Unit", type="enum", options=("piece", "box")),
)


def lines(**changes: Any) -> Field:
    base: dict[str, Any] = {
        "name": "lines",
        "label": "Lines",
        "type": "lines",
        "line_fields": CELLS,
        "line_amount": ("quantity", "unit_price", "discount"),
    }
    return Field(**(base | changes))


def pdf(module: str, **changes: Any) -> Document:
    base: dict[str, Any] = {
        "name": "pdf",
        "label": "PDF",
        "path": "{id}/pdf",
        "permission": f"{module}.order.read",
        "languages": ("en", "zh"),
    }
    return Document(**(base | changes))


class _WithLines:
    def __init__(
        self,
        name: str,
        *fields: Field,
        documents: tuple[Document, ...] | None = None,
        routes: bool = True,
        **resource: Any,
    ) -> None:
        self.name, self.with_routes = name, routes
        self.fields = fields or (lines(),)
        self.documents = (pdf(name),) if documents is None else documents
        self.resource = resource

    @hookimpl
    def tessera_manifest(self) -> Manifest:
        return Manifest(name=self.name, label=self.name.title(), version="1.0", api=">=1.0")

    @hookimpl
    def tessera_permissions(self) -> Sequence[Permission]:
        return [Permission(f"{self.name}.order.read", "read orders")]

    @hookimpl
    def tessera_routes(self) -> Sequence[Any]:
        return [_controller(self.name)] if self.with_routes else []

    @hookimpl
    def tessera_ui(self) -> UI:
        order = Resource(
            name=f"{self.name}.order",
            label="Order",
            endpoint=f"/api/v1/{self.name}/orders",
            fields=(Field("title", "Title"), *self.fields),
            list_columns=("title",),
            title_field="title",
            read_permission=f"{self.name}.order.read",
            documents=self.documents,
            **self.resource,
        )
        return UI(
            resources=(order,),
            translations={"zh": {"Quantity": "数量", "Box": "箱", "PDF": "PDF 文件"}},
        )


good_lines = _WithLines("good_lines")
lines_without_fields = _WithLines("lines_without_fields", lines(line_fields=()))
lines_twice = _WithLines(
    "lines_twice", lines(line_fields=(Field("a", "A"), Field("a", "A again")), line_amount=())
)
lines_in_lines = _WithLines(
    "lines_in_lines",
    lines(line_fields=(*CELLS, Field("parts", "Parts", type="lines", line_fields=CELLS))),
)
lines_with_file = _WithLines(
    "lines_with_file",
    lines(
        line_fields=(
            *CELLS,
            Field("scan", "Scan", type="file", upload_endpoint="/api/v1/lines_with_file/files"),
        )
    ),
)
lines_with_field_list = _WithLines(
    "lines_with_field_list",
    lines(line_fields=(*CELLS, Field("design", "Design", type="field_list"))),
)
lines_unknown_type = _WithLines(
    "lines_unknown_type", lines(line_fields=(*CELLS, Field("colour", "Colour", type="colour")))
)
lines_reference_nowhere = _WithLines(
    "lines_reference_nowhere",
    lines(line_fields=(*CELLS, Field("owner", "Owner", type="reference"))),
)
lines_create_only = _WithLines(
    "lines_create_only",
    lines(line_fields=(*CELLS, Field("code", "Code", create_only=True))),
)
cells_on_text = _WithLines("cells_on_text", Field("notes", "Notes", line_fields=CELLS))
amount_on_text = _WithLines(
    "amount_on_text", Field("notes", "Notes", line_amount=("quantity", "unit_price"))
)
amount_unknown = _WithLines("amount_unknown", lines(line_amount=("quantity", "price")))
amount_of_text = _WithLines("amount_of_text", lines(line_amount=("description", "unit_price")))
amount_too_long = _WithLines(
    "amount_too_long", lines(line_amount=("quantity", "unit_price", "discount", "unit"))
)
amount_twice = _WithLines("amount_twice", lines(line_amount=("quantity", "quantity")))
amount_without_discount = _WithLines(
    "amount_without_discount", lines(line_amount=("quantity", "unit_price"))
)
lines_as_filter = _WithLines("lines_as_filter", filters=("lines",))
lines_as_title = _WithLines("lines_as_title", sort_fields=("lines",))
lines_in_action = _WithLines(
    "lines_in_action",
    actions=(
        Action(
            "close",
            "Close",
            "{id}/close",
            "lines_in_action.order.read",
            body_fields=(lines(),),
        ),
    ),
)
document_bad_name = _WithLines("document_bad_name", documents=(pdf("document_bad_name", name="P"),))
document_no_label = _WithLines("document_no_label", documents=(pdf("document_no_label", label=""),))
document_without_id = _WithLines(
    "document_without_id", documents=(pdf("document_without_id", path="pdf"),)
)
document_bad_language = _WithLines(
    "document_bad_language", documents=(pdf("document_bad_language", languages=("Chinese",)),)
)
document_language_twice = _WithLines(
    "document_language_twice",
    documents=(pdf("document_language_twice", languages=("zh", "zh")),),
)
document_twice = _WithLines(
    "document_twice",
    documents=(pdf("document_twice"), pdf("document_twice", label="Print")),
)
document_undeclared = _WithLines(
    "document_undeclared",
    documents=(pdf("document_undeclared", permission="document_undeclared.order.print"),),
)
document_no_route = _WithLines(
    "document_no_route", documents=(pdf("document_no_route", path="{id}/print"),)
)
document_without_routes = _WithLines("document_without_routes", routes=False)
