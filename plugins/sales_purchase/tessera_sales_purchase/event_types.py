"""Every event sales & purchase emits, with its payload. Totals are decimal strings."""

from typing import TypedDict

from tessera.plugin import EventType


class OrderCreated(TypedDict):
    #: The CRM deal the quotation was made from.
    deal_id: str
    order_id: str
    #: The quotation's number.
    number: str
    crm_account_id: str | None
    total: str
    currency: str


class OrderFacts(TypedDict):
    order_id: str
    #: The order's number, once confirmed.
    number: str | None
    quotation_number: str
    deal_id: str | None
    crm_account_id: str | None
    partner_id: str
    total: str
    currency: str


class PurchaseFacts(TypedDict):
    order_id: str
    number: str | None
    rfq_number: str
    partner_id: str
    total: str
    currency: str


EVENT_TYPES = (
    EventType(
        "sales_purchase.order.created",
        "A quotation was made from a won CRM deal",
        OrderCreated,
    ),
    EventType("sales_purchase.order.confirmed", "A quotation became a sales order", OrderFacts),
    EventType("sales_purchase.order.cancelled", "A sales order was cancelled", OrderFacts),
    EventType(
        "sales_purchase.purchase.confirmed",
        "A request for quotation became a purchase order",
        PurchaseFacts,
    ),
)
