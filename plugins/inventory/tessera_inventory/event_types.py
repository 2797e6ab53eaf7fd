"""Every event inventory emits, with its payload. Quantities and costs are decimal strings."""

from typing import TypedDict

from tessera.plugin import EventType


class DeliveredLine(TypedDict):
    product_id: str
    sku: str
    quantity: str
    cost: str


class DeliveryDone(TypedDict):
    picking_id: str
    number: str
    date: str
    #: What the delivery was made for (``sales_purchase.order``), if anything.
    source_type: str | None
    source_id: str | None
    reference: str
    #: The goods' cost at their valuation, in ``currency``.
    cost: str
    currency: str
    lines: list[DeliveredLine]


EVENT_TYPES = (
    EventType(
        "inventory.delivery.done",
        "Goods left the warehouse: a delivery was validated, with its cost",
        DeliveryDone,
    ),
)
