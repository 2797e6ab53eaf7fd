"""What the browser app shows of inventory: menu entries, the screens of products, units,
warehouses, locations, pickings and price lists, and the stock dashboard.

Pickings are made by the routes that move stock (receipts, deliveries, transfers, counts):
their screens only read them.
"""

from __future__ import annotations

from tessera.plugin import Dashboard, Field, MenuItem, Metric, Resource
from tessera_inventory.models import (
    LOCATION_KINDS,
    PICKING_KINDS,
    PRODUCT_READ,
    PRODUCT_TYPES,
    PRODUCT_WRITE,
    SETTINGS,
    STOCK_READ,
)

API = "/api/v1/inventory"
CREATED = Field("created_at", "Created", type="datetime", read_only=True)
UPDATED = Field("updated_at", "Changed", type="datetime", read_only=True)

MENU = (
    MenuItem("Products", "/inventory/products", icon="package", permission=PRODUCT_READ, order=70, resource="inventory.product"),
    MenuItem("Pickings", "/inventory/pickings", icon="truck", permission=STOCK_READ, order=71, resource="inventory.picking"),
    MenuItem("Warehouses", "/inventory/warehouses", icon="home", permission=STOCK_READ, order=72, resource="inventory.warehouse"),
    MenuItem("Locations", "/inventory/locations", icon="map-pin", permission=STOCK_READ, order=73, resource="inventory.location"),
    MenuItem("Price lists", "/inventory/price-lists", icon="tags", permission=PRODUCT_READ, order=74, resource="inventory.price_list"),
    MenuItem("Units of measure", "/inventory/uoms", icon="ruler", permission=PRODUCT_READ, order=75, resource="inventory.uom"),
    MenuItem("Stock", "/inventory/reports", icon="bar-chart", permission=STOCK_READ, order=76, dashboard="inventory.stock"),
)  # fmt: skip

PRODUCT = Resource(
    name="inventory.product",
    label="Product",
    endpoint=f"{API}/products",
    fields=(
        Field("sku", "SKU", required=True),
        Field("name", "Name", required=True),
        Field("barcode", "Barcode"),
        Field("type", "Product type", type="enum", options=PRODUCT_TYPES, required=True),
        Field("category_id", "Category", type="reference", reference="inventory.product_category"),
        Field("uom_id", "Stock unit", type="reference", reference="inventory.uom", required=True),
        Field("purchase_uom_id", "Purchase unit", type="reference", reference="inventory.uom"),
        Field("sale_uom_id", "Sale unit", type="reference", reference="inventory.uom"),
        Field("sale_price", "Sale price", type="money"),
        Field("purchase_price", "Purchase price", type="money"),
        Field("cost", "Average cost", type="money", read_only=True),
        Field("tax_sale", "Sales tax"),
        Field("tax_purchase", "Purchase tax"),
        Field("on_hand", "On hand", type="number", read_only=True),
        Field("reserved", "Reserved", type="number", read_only=True),
        Field("active", "Active", type="bool"),
        CREATED,
        UPDATED,
    ),
    list_columns=("sku", "name", "type", "sale_price", "cost", "active"),
    filters=("type", "category_id", "active"),
    form=(
        ("sku", "name"),
        ("barcode", "type"),
        ("category_id",),
        ("uom_id", "purchase_uom_id", "sale_uom_id"),
        ("sale_price", "purchase_price"),
        ("tax_sale", "tax_purchase"),
        ("active",),
    ),
    title_field="name",
    read_permission=PRODUCT_READ,
    write_permission=PRODUCT_WRITE,
    search=True,
    sort_fields=("sku", "name", "created_at"),
    audit_type="inventory_product",
)

PRODUCT_CATEGORY = Resource(
    name="inventory.product_category",
    label="Product category",
    endpoint=f"{API}/product-categories",
    fields=(
        Field("name", "Name", required=True),
        Field(
            "parent_id", "Parent category", type="reference", reference="inventory.product_category"
        ),
        Field("full_name", "Path", read_only=True),
    ),
    list_columns=("full_name",),
    form=(("name",), ("parent_id",)),
    title_field="full_name",
    read_permission=PRODUCT_READ,
    write_permission=PRODUCT_WRITE,
)

UOM = Resource(
    name="inventory.uom",
    label="Unit of measure",
    endpoint=f"{API}/uoms",
    fields=(
        Field("name", "Name", required=True),
        Field(
            "category_id",
            "Unit category",
            type="reference",
            reference="inventory.uom_category",
            required=True,
        ),
        Field("factor", "Reference units in one", type="number", required=True),
        Field("rounding", "Rounding step", type="number"),
        Field("active", "Active", type="bool", read_only=True),
    ),
    list_columns=("name", "category_id", "factor", "rounding"),
    form=(("name", "category_id"), ("factor", "rounding")),
    title_field="name",
    read_permission=PRODUCT_READ,
    write_permission=PRODUCT_WRITE,
    editable=False,
)

UOM_CATEGORY = Resource(
    name="inventory.uom_category",
    label="Unit category",
    endpoint=f"{API}/uom-categories",
    fields=(Field("name", "Name", required=True),),
    list_columns=("name",),
    form=(("name",),),
    title_field="name",
    read_permission=PRODUCT_READ,
    write_permission=PRODUCT_WRITE,
    editable=False,
)

WAREHOUSE = Resource(
    name="inventory.warehouse",
    label="Warehouse",
    endpoint=f"{API}/warehouses",
    fields=(
        Field("code", "Code", required=True, create_only=True),
        Field("name", "Name", required=True),
        Field(
            "stock_location_id",
            "Stock location",
            type="reference",
            reference="inventory.location",
            read_only=True,
        ),
        Field("is_default", "Default", type="bool", read_only=True),
    ),
    list_columns=("code", "name", "stock_location_id", "is_default"),
    form=(("code", "name"),),
    title_field="name",
    read_permission=STOCK_READ,
    write_permission=SETTINGS,
    editable=False,
)

LOCATION = Resource(
    name="inventory.location",
    label="Location",
    endpoint=f"{API}/locations",
    fields=(
        Field("name", "Name", required=True),
        Field(
            "parent_id",
            "Parent location",
            type="reference",
            reference="inventory.location",
            required=True,
        ),
        Field("kind", "Location kind", type="enum", options=LOCATION_KINDS),
        Field("full_name", "Path", read_only=True),
    ),
    list_columns=("full_name", "kind"),
    filters=("kind",),
    form=(("name",), ("parent_id", "kind")),
    title_field="full_name",
    read_permission=STOCK_READ,
    write_permission=SETTINGS,
    editable=False,
)

PICKING = Resource(
    name="inventory.picking",
    label="Picking",
    endpoint=f"{API}/pickings",
    fields=(
        Field("number", "Number", read_only=True),
        Field("kind", "Picking kind", type="enum", options=PICKING_KINDS, read_only=True),
        Field("date", "Date", type="date", read_only=True),
        Field("reference", "Reference", read_only=True),
        Field(
            "from_location_id",
            "From",
            type="reference",
            reference="inventory.location",
            read_only=True,
        ),
        Field(
            "to_location_id", "To", type="reference", reference="inventory.location", read_only=True
        ),
        Field("value", "Value", type="money", read_only=True),
        Field("currency", "Currency", read_only=True),
        Field("entry_number", "Journal entry", read_only=True),
        Field("source_type", "Source", read_only=True),
        CREATED,
    ),
    list_columns=("number", "kind", "date", "reference", "value", "entry_number"),
    filters=("kind",),
    title_field="number",
    read_permission=STOCK_READ,
    sort_fields=("date", "number", "created_at"),
    editable=False,
    audit_type="inventory_picking",
)

PRICE_LIST = Resource(
    name="inventory.price_list",
    label="Price list",
    endpoint=f"{API}/price-lists",
    fields=(
        Field("name", "Name", required=True),
        Field("currency", "Currency", required=True),
        Field("active", "Active", type="bool"),
    ),
    list_columns=("name", "currency", "active"),
    form=(("name", "currency"), ("active",)),
    title_field="name",
    read_permission=PRODUCT_READ,
    write_permission=PRODUCT_WRITE,
    editable=False,
)

RESOURCES = (PRODUCT, PRODUCT_CATEGORY, UOM, UOM_CATEGORY, WAREHOUSE, LOCATION, PICKING, PRICE_LIST)

DASHBOARD = Dashboard(
    name="inventory.stock",
    label="Stock",
    order=70,
    metrics=(
        Metric(
            "inventory.stock_value",
            "Stock value",
            f"{API}/reports/stock-value",
            STOCK_READ,
            display="number",
            value="value",
        ),
        Metric(
            "inventory.products_in_stock",
            "Products in stock",
            f"{API}/reports/stock-value",
            STOCK_READ,
            display="number",
            value="products",
        ),
    ),
)
