"""The tables of inventory: settings, units, product categories, products, price lists,
locations and warehouses, pickings and their moves, on-hand quantities (quants), reservations
and stock counts.

Quantities are NUMERIC(20, 6) in the product's stock unit; costs NUMERIC(20, 6) (a moving
average needs more digits than money); prices and values NUMERIC(20, 4), rounded to their
currency by the code that writes them. Nothing is ever a float.

What the database enforces (migrations i001): a quant never goes below zero unless its
``allow_negative`` (copied from the tenant's settings by a trigger, whoever writes) says so;
reserved never exceeds on hand; done pickings and moves are never updated or deleted.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, tenant_fk, tenant_unique

PRODUCT_READ, PRODUCT_WRITE = "inventory.product.read", "inventory.product.write"
STOCK_READ, STOCK_MOVE = "inventory.stock.read", "inventory.stock.move"
SETTINGS = "inventory.settings.manage"

PRODUCT_TYPES = ("stockable", "consumable", "service")
#: internal: stock is held there. view: a folder of locations. The others are virtual: where
#: stock comes from or goes to outside the company's walls.
LOCATION_KINDS = ("view", "internal", "customer", "vendor", "adjustment")
VIRTUAL_KINDS = ("customer", "vendor", "adjustment")
PICKING_KINDS = ("receipt", "delivery", "transfer", "adjustment")
RULE_KINDS = ("fixed", "discount")

Quantity = Numeric(20, 6)
Cost = Numeric(20, 6)
Amount = Numeric(20, 4)
Factor = Numeric(24, 12)


def one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class InventorySettings(TenantModel, Timestamps):
    """The tenant's inventory rules: one row, made when the module is first switched on."""

    __tablename__ = "inventory_settings"
    __table_args__ = (
        tenant_unique(),
        tenant_fk("default_warehouse_id", "inventory_warehouse"),
    )

    allow_negative_stock: Mapped[bool] = mapped_column(default=False)
    default_warehouse_id: Mapped[uuid.UUID | None]


class UomCategory(TenantModel, Timestamps):
    """Units that convert into one another (Units and Dozens; grams and kilograms)."""

    __tablename__ = "inventory_uom_category"
    __recycle_permission__ = PRODUCT_WRITE
    __table_args__ = (tenant_unique("name"),)

    name: Mapped[str] = mapped_column(String(60))


class Uom(TenantModel, Timestamps):
    """A unit of measure: ``factor`` reference units of its category make one of it (a Dozen
    is 12 Units; a kg 1000 g), and quantities in it are multiples of ``rounding``."""

    __tablename__ = "inventory_uom"
    __recycle_permission__ = PRODUCT_WRITE
    __table_args__ = (
        tenant_unique("name"),
        tenant_fk("category_id", "inventory_uom_category"),
        CheckConstraint("factor > 0", name="factor"),
        CheckConstraint("rounding > 0", name="rounding"),
    )

    category_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(30))
    factor: Mapped[Decimal] = mapped_column(Factor)
    rounding: Mapped[Decimal] = mapped_column(Quantity)
    active: Mapped[bool] = mapped_column(default=True)


class ProductCategory(TenantModel, Timestamps):
    """A node of the product category tree; ``full_name`` is the path ("All / Food / Tea")."""

    __tablename__ = "inventory_product_category"
    __recycle_permission__ = PRODUCT_WRITE
    __table_args__ = (
        tenant_unique("full_name"),
        tenant_fk("parent_id", "inventory_product_category"),
    )

    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[uuid.UUID | None]
    full_name: Mapped[str] = mapped_column(String(600))


class Product(TenantModel, Timestamps):
    """Something bought, stocked or sold. ``cost`` is the moving average of what is on hand,
    kept by receipts (the service, never the API)."""

    __tablename__ = "inventory_product"
    __recycle_permission__ = PRODUCT_WRITE
    __table_args__ = (
        tenant_unique("sku"),
        tenant_unique("barcode"),
        tenant_fk("category_id", "inventory_product_category"),
        tenant_fk("uom_id", "inventory_uom"),
        tenant_fk("purchase_uom_id", "inventory_uom"),
        tenant_fk("sale_uom_id", "inventory_uom"),
        CheckConstraint(one_of("type", PRODUCT_TYPES), name="type"),
        CheckConstraint("cost >= 0", name="cost"),
        CheckConstraint("sale_price >= 0 AND purchase_price >= 0", name="prices"),
        Index("ix_inventory_product_name", "tenant_id", "name"),
    )

    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    barcode: Mapped[str | None] = mapped_column(String(64))
    category_id: Mapped[uuid.UUID | None]
    type: Mapped[str] = mapped_column(String(12), default="stockable")
    #: The stock unit: every quantity stored is in it.
    uom_id: Mapped[uuid.UUID]
    purchase_uom_id: Mapped[uuid.UUID | None]
    sale_uom_id: Mapped[uuid.UUID | None]
    cost: Mapped[Decimal] = mapped_column(Cost, default=Decimal(0))
    sale_price: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    purchase_price: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    #: Tax codes of the accounting module, as text: inventory does not compute taxes.
    tax_sale: Mapped[str | None] = mapped_column(String(32))
    tax_purchase: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)


class PriceList(TenantModel, Timestamps):
    __tablename__ = "inventory_price_list"
    __recycle_permission__ = PRODUCT_WRITE
    __table_args__ = (tenant_unique("name"),)

    name: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(default=True)


class PriceRule(TenantModel, Timestamps):
    """A product's price on a list from ``min_quantity`` on, between two dates (both included,
    either open): a fixed price, or a percentage off the product's sale price."""

    __tablename__ = "inventory_price_rule"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("price_list_id", "inventory_price_list", ondelete="CASCADE"),
        tenant_fk("product_id", "inventory_product"),
        CheckConstraint(one_of("kind", RULE_KINDS), name="kind"),
        CheckConstraint(
            "(kind = 'fixed' AND price IS NOT NULL AND price >= 0 AND discount IS NULL) OR "
            "(kind = 'discount' AND discount IS NOT NULL AND discount > 0 AND discount <= 100 "
            "AND price IS NULL)",
            name="value",
        ),
        CheckConstraint("min_quantity >= 0", name="min_quantity"),
        CheckConstraint(
            "date_to IS NULL OR date_from IS NULL OR date_from <= date_to", name="dates"
        ),
        Index("ix_inventory_price_rule_lookup", "tenant_id", "price_list_id", "product_id"),
    )

    price_list_id: Mapped[uuid.UUID]
    product_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(10))
    price: Mapped[Decimal | None] = mapped_column(Amount)
    discount: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    min_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    date_from: Mapped[date | None] = mapped_column(Date)
    date_to: Mapped[date | None] = mapped_column(Date)


class Location(TenantModel, Timestamps):
    """A place stock is in (internal), a folder of places (view), or a virtual place goods
    come from or go to (customer, vendor, adjustment: one each per tenant)."""

    __tablename__ = "inventory_location"
    __recycle_permission__ = SETTINGS
    __table_args__ = (
        tenant_unique("full_name"),
        tenant_fk("parent_id", "inventory_location"),
        CheckConstraint(one_of("kind", LOCATION_KINDS), name="kind"),
        Index(
            "uq_inventory_location_virtual",
            "tenant_id",
            "kind",
            unique=True,
            postgresql_where=text(f"{one_of('kind', VIRTUAL_KINDS)}"),
        ),
    )

    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[uuid.UUID | None]
    full_name: Mapped[str] = mapped_column(String(600))
    kind: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(default=True)


class Warehouse(TenantModel, Timestamps):
    """A building: a view location holding its stock location (and whatever is made below)."""

    __tablename__ = "inventory_warehouse"
    __recycle_permission__ = SETTINGS
    __table_args__ = (
        tenant_unique("code"),
        tenant_unique("name"),
        tenant_fk("view_location_id", "inventory_location"),
        tenant_fk("stock_location_id", "inventory_location"),
    )

    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120))
    view_location_id: Mapped[uuid.UUID]
    stock_location_id: Mapped[uuid.UUID]


class Picking(TenantModel, Timestamps):
    """A document of moves done together: IN/…, OUT/…, INT/…, ADJ/…. Written once, done."""

    __tablename__ = "inventory_picking"
    __recycle__ = False
    __table_args__ = (
        tenant_unique("number"),
        tenant_fk("from_location_id", "inventory_location"),
        tenant_fk("to_location_id", "inventory_location"),
        CheckConstraint(one_of("kind", PICKING_KINDS), name="kind"),
        Index("ix_inventory_picking_source", "tenant_id", "source_type", "source_id"),
        Index("ix_inventory_picking_date", "tenant_id", "date"),
    )

    number: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(12))
    date: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(200), default="")
    source_type: Mapped[str | None] = mapped_column(String(60))
    source_id: Mapped[str | None] = mapped_column(String(100))
    from_location_id: Mapped[uuid.UUID]
    to_location_id: Mapped[uuid.UUID]
    #: The value of its valued moves in the company's currency (0 for transfers).
    value: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    currency: Mapped[str | None] = mapped_column(String(3))
    #: The journal entry the accounting module posted for it, if any.
    entry_id: Mapped[uuid.UUID | None]
    entry_number: Mapped[str | None] = mapped_column(String(40))
    created_by: Mapped[uuid.UUID | None]


class Move(TenantModel, Timestamps):
    """A quantity of one product from one location to another: the only way on-hand changes.

    ``quantity`` is in the product's stock unit; ``uom_quantity`` in ``uom_id``, as entered.
    """

    __tablename__ = "inventory_move"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("picking_id", "inventory_picking"),
        tenant_fk("product_id", "inventory_product"),
        tenant_fk("uom_id", "inventory_uom"),
        tenant_fk("from_location_id", "inventory_location"),
        tenant_fk("to_location_id", "inventory_location"),
        CheckConstraint("quantity > 0 AND uom_quantity > 0", name="quantity"),
        CheckConstraint("from_location_id <> to_location_id", name="locations"),
        CheckConstraint("unit_cost >= 0", name="unit_cost"),
        Index("ix_inventory_move_picking", "tenant_id", "picking_id"),
        Index("ix_inventory_move_product", "tenant_id", "product_id", "date"),
        Index("ix_inventory_move_from", "tenant_id", "from_location_id", "date"),
        Index("ix_inventory_move_to", "tenant_id", "to_location_id", "date"),
    )

    picking_id: Mapped[uuid.UUID]
    product_id: Mapped[uuid.UUID]
    date: Mapped[date] = mapped_column(Date)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    uom_id: Mapped[uuid.UUID]
    uom_quantity: Mapped[Decimal] = mapped_column(Quantity)
    from_location_id: Mapped[uuid.UUID]
    to_location_id: Mapped[uuid.UUID]
    #: Cost per stock unit the move was valued at (company currency), 0 if not valued.
    unit_cost: Mapped[Decimal] = mapped_column(Cost, default=Decimal(0))
    value: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))


class Quant(TenantModel, Timestamps):
    """On hand and reserved of a product at a location: the sum of its done moves, changed
    only with them, under this row's lock."""

    __tablename__ = "inventory_quant"
    __recycle__ = False
    __table_args__ = (
        tenant_unique("product_id", "location_id"),
        tenant_fk("product_id", "inventory_product"),
        tenant_fk("location_id", "inventory_location"),
        CheckConstraint("allow_negative OR quantity >= 0", name="not_negative"),
        CheckConstraint(
            "reserved >= 0 AND (allow_negative OR reserved <= quantity)", name="reserved"
        ),
        Index("ix_inventory_quant_location", "tenant_id", "location_id"),
    )

    product_id: Mapped[uuid.UUID]
    location_id: Mapped[uuid.UUID]
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    reserved: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    #: Set by the trigger from the tenant's settings on every write: not the writer's choice.
    allow_negative: Mapped[bool] = mapped_column(default=False)


class Reservation(TenantModel, Timestamps):
    """Stock held for a document of another module (a confirmed sales order) at a location."""

    __tablename__ = "inventory_reservation"
    __recycle__ = False
    __table_args__ = (
        tenant_unique("source_type", "source_id", "product_id", "location_id"),
        tenant_fk("product_id", "inventory_product"),
        tenant_fk("location_id", "inventory_location"),
        CheckConstraint("quantity > 0", name="quantity"),
    )

    source_type: Mapped[str] = mapped_column(String(60))
    source_id: Mapped[str] = mapped_column(String(100))
    product_id: Mapped[uuid.UUID]
    location_id: Mapped[uuid.UUID]
    quantity: Mapped[Decimal] = mapped_column(Quantity)


class StockCount(TenantModel, Timestamps):
    """A count of a location: what was expected and what was found. The ADJ pickings that
    brought on-hand to it name it as their source (``inventory.count``, its id)."""

    __tablename__ = "inventory_count"
    __recycle__ = False
    __table_args__ = (tenant_fk("location_id", "inventory_location"),)

    location_id: Mapped[uuid.UUID]
    date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    counted_by: Mapped[uuid.UUID | None]


class StockCountLine(TenantModel, Timestamps):
    __tablename__ = "inventory_count_line"
    __recycle__ = False
    __table_args__ = (
        tenant_unique("count_id", "product_id"),
        tenant_fk("count_id", "inventory_count"),
        tenant_fk("product_id", "inventory_product"),
        CheckConstraint("counted >= 0", name="counted"),
    )

    count_id: Mapped[uuid.UUID]
    product_id: Mapped[uuid.UUID]
    expected: Mapped[Decimal] = mapped_column(Quantity)
    counted: Mapped[Decimal] = mapped_column(Quantity)


MODELS: tuple[type[TenantModel], ...] = (
    InventorySettings,
    UomCategory,
    Uom,
    ProductCategory,
    Product,
    PriceList,
    PriceRule,
    Location,
    Warehouse,
    Picking,
    Move,
    Quant,
    Reservation,
    StockCount,
    StockCountLine,
)
