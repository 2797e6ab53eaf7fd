"""Inventory: settings, units, product categories, products, price lists, locations and
warehouses, pickings and moves, on-hand quants, reservations and stock counts.

The database holds the stock rules whoever writes (the API, a service, raw SQL through the
application's role): a quant's ``allow_negative`` is copied from the tenant's settings by a
trigger on every write, and CHECKs refuse on-hand below zero (unless allowed) and reserved
above on hand; pickings, moves and counts are never updated or deleted (a trigger, and the
application's role may only SELECT and INSERT them).

Revision ID: i001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "i001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("inventory",)
# Picking numbers come from the core's document sequences (core revision 0018).
depends_on: str | Sequence[str] | None = "0018"

QTY = sa.Numeric(20, 6)
COST = sa.Numeric(20, 6)
AMOUNT = sa.Numeric(20, 4)
#: Written once and never changed: the runtime role may only read and add rows.
APPEND_ONLY = ("inventory_picking", "inventory_move", "inventory_count", "inventory_count_line")
GRANTS = {
    "inventory_settings": "SELECT, INSERT, UPDATE",
    "inventory_uom_category": None,
    "inventory_uom": None,
    "inventory_product_category": None,
    "inventory_product": None,
    "inventory_price_list": None,
    "inventory_price_rule": None,
    "inventory_location": None,
    "inventory_warehouse": None,
    "inventory_picking": "SELECT, INSERT",
    "inventory_move": "SELECT, INSERT",
    "inventory_quant": "SELECT, INSERT, UPDATE",
    "inventory_reservation": None,
    "inventory_count": "SELECT, INSERT",
    "inventory_count_line": "SELECT, INSERT",
}


def _common(table: str) -> tuple[Any, ...]:
    return (
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f(f"fk_{table}_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
    )


def _timestamps() -> tuple[Any, ...]:
    return tuple(
        sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)
        for name in ("created_at", "updated_at")
    )


def _fk(
    table: str, column: str, target: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
        ondelete=ondelete,
    )


def _unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(
        "tenant_id",
        *columns,
        name=op.f(
            f"uq_{table}_tenant_id_{'_'.join(columns)}" if columns else f"uq_{table}_tenant_id"
        ),
    )


def _check(table: str, name: str, condition: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(condition, name=op.f(f"ck_{table}_{name}"))


def _units() -> None:
    op.create_table(
        "inventory_uom_category",
        *_common("inventory_uom_category"),
        sa.Column("name", sa.String(length=60), nullable=False),
        *_timestamps(),
        _unique("inventory_uom_category", "name"),
    )
    t = "inventory_uom"
    op.create_table(
        t,
        *_common(t),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("factor", sa.Numeric(24, 12), nullable=False),
        sa.Column("rounding", QTY, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        _unique(t, "name"),
        _fk(t, "category_id", "inventory_uom_category"),
        _check(t, "factor", "factor > 0"),
        _check(t, "rounding", "rounding > 0"),
    )


def _products() -> None:
    t = "inventory_product_category"
    op.create_table(
        t,
        *_common(t),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("full_name", sa.String(length=600), nullable=False),
        *_timestamps(),
        _unique(t, "full_name"),
        _fk(t, "parent_id", t),
    )
    t = "inventory_product"
    op.create_table(
        t,
        *_common(t),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=True),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("type", sa.String(length=12), nullable=False),
        sa.Column("uom_id", sa.Uuid(), nullable=False),
        sa.Column("purchase_uom_id", sa.Uuid(), nullable=True),
        sa.Column("sale_uom_id", sa.Uuid(), nullable=True),
        sa.Column("cost", COST, nullable=False),
        sa.Column("sale_price", AMOUNT, nullable=False),
        sa.Column("purchase_price", AMOUNT, nullable=False),
        sa.Column("tax_sale", sa.String(length=32), nullable=True),
        sa.Column("tax_purchase", sa.String(length=32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        _unique(t, "sku"),
        _unique(t, "barcode"),
        _fk(t, "category_id", "inventory_product_category"),
        _fk(t, "uom_id", "inventory_uom"),
        _fk(t, "purchase_uom_id", "inventory_uom"),
        _fk(t, "sale_uom_id", "inventory_uom"),
        _check(t, "type", "type IN ('stockable', 'consumable', 'service')"),
        _check(t, "cost", "cost >= 0"),
        _check(t, "prices", "sale_price >= 0 AND purchase_price >= 0"),
    )
    op.create_index("ix_inventory_product_name", t, ["tenant_id", "name"])


def _prices() -> None:
    t = "inventory_price_list"
    op.create_table(
        t,
        *_common(t),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        _unique(t, "name"),
    )
    t = "inventory_price_rule"
    op.create_table(
        t,
        *_common(t),
        sa.Column("price_list_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("price", AMOUNT, nullable=True),
        sa.Column("discount", sa.Numeric(7, 4), nullable=True),
        sa.Column("min_quantity", QTY, nullable=False),
        sa.Column("date_from", sa.Date(), nullable=True),
        sa.Column("date_to", sa.Date(), nullable=True),
        *_timestamps(),
        _fk(t, "price_list_id", "inventory_price_list", ondelete="CASCADE"),
        _fk(t, "product_id", "inventory_product"),
        _check(t, "kind", "kind IN ('fixed', 'discount')"),
        _check(
            t,
            "value",
            "(kind = 'fixed' AND price IS NOT NULL AND price >= 0 AND discount IS NULL) OR "
            "(kind = 'discount' AND discount IS NOT NULL AND discount > 0 AND discount <= 100 "
            "AND price IS NULL)",
        ),
        _check(t, "min_quantity", "min_quantity >= 0"),
        _check(t, "dates", "date_to IS NULL OR date_from IS NULL OR date_from <= date_to"),
    )
    op.create_index(
        "ix_inventory_price_rule_lookup", t, ["tenant_id", "price_list_id", "product_id"]
    )


def _places() -> None:
    t = "inventory_location"
    op.create_table(
        t,
        *_common(t),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("full_name", sa.String(length=600), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        _unique(t, "full_name"),
        _fk(t, "parent_id", t),
        _check(t, "kind", "kind IN ('view', 'internal', 'customer', 'vendor', 'adjustment')"),
    )
    # One location of each virtual kind per tenant: services find them by kind.
    op.create_index(
        "uq_inventory_location_virtual",
        t,
        ["tenant_id", "kind"],
        unique=True,
        postgresql_where=sa.text("kind IN ('customer', 'vendor', 'adjustment')"),
    )
    t = "inventory_warehouse"
    op.create_table(
        t,
        *_common(t),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("view_location_id", sa.Uuid(), nullable=False),
        sa.Column("stock_location_id", sa.Uuid(), nullable=False),
        *_timestamps(),
        _unique(t, "code"),
        _unique(t, "name"),
        _fk(t, "view_location_id", "inventory_location"),
        _fk(t, "stock_location_id", "inventory_location"),
    )
    t = "inventory_settings"
    op.create_table(
        t,
        *_common(t),
        sa.Column("allow_negative_stock", sa.Boolean(), nullable=False),
        sa.Column("default_warehouse_id", sa.Uuid(), nullable=True),
        *_timestamps(),
        _unique(t),
        _fk(t, "default_warehouse_id", "inventory_warehouse"),
    )


def _pickings() -> None:
    t = "inventory_picking"
    op.create_table(
        t,
        *_common(t),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("source_type", sa.String(length=60), nullable=True),
        sa.Column("source_id", sa.String(length=100), nullable=True),
        sa.Column("from_location_id", sa.Uuid(), nullable=False),
        sa.Column("to_location_id", sa.Uuid(), nullable=False),
        sa.Column("value", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("entry_id", sa.Uuid(), nullable=True),
        sa.Column("entry_number", sa.String(length=40), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        *_timestamps(),
        _unique(t, "number"),
        _fk(t, "from_location_id", "inventory_location"),
        _fk(t, "to_location_id", "inventory_location"),
        _check(t, "kind", "kind IN ('receipt', 'delivery', 'transfer', 'adjustment')"),
    )
    op.create_index("ix_inventory_picking_source", t, ["tenant_id", "source_type", "source_id"])
    op.create_index("ix_inventory_picking_date", t, ["tenant_id", "date"])
    t = "inventory_move"
    op.create_table(
        t,
        *_common(t),
        sa.Column("picking_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("quantity", QTY, nullable=False),
        sa.Column("uom_id", sa.Uuid(), nullable=False),
        sa.Column("uom_quantity", QTY, nullable=False),
        sa.Column("from_location_id", sa.Uuid(), nullable=False),
        sa.Column("to_location_id", sa.Uuid(), nullable=False),
        sa.Column("unit_cost", COST, nullable=False),
        sa.Column("value", AMOUNT, nullable=False),
        *_timestamps(),
        _fk(t, "picking_id", "inventory_picking"),
        _fk(t, "product_id", "inventory_product"),
        _fk(t, "uom_id", "inventory_uom"),
        _fk(t, "from_location_id", "inventory_location"),
        _fk(t, "to_location_id", "inventory_location"),
        _check(t, "quantity", "quantity > 0 AND uom_quantity > 0"),
        _check(t, "locations", "from_location_id <> to_location_id"),
        _check(t, "unit_cost", "unit_cost >= 0"),
    )
    op.create_index("ix_inventory_move_picking", t, ["tenant_id", "picking_id"])
    op.create_index("ix_inventory_move_product", t, ["tenant_id", "product_id", "date"])
    op.create_index("ix_inventory_move_from", t, ["tenant_id", "from_location_id", "date"])
    op.create_index("ix_inventory_move_to", t, ["tenant_id", "to_location_id", "date"])


def _stock() -> None:
    t = "inventory_quant"
    op.create_table(
        t,
        *_common(t),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", QTY, nullable=False),
        sa.Column("reserved", QTY, nullable=False),
        sa.Column("allow_negative", sa.Boolean(), nullable=False),
        *_timestamps(),
        _unique(t, "product_id", "location_id"),
        _fk(t, "product_id", "inventory_product"),
        _fk(t, "location_id", "inventory_location"),
        _check(t, "not_negative", "allow_negative OR quantity >= 0"),
        _check(t, "reserved", "reserved >= 0 AND (allow_negative OR reserved <= quantity)"),
    )
    op.create_index("ix_inventory_quant_location", t, ["tenant_id", "location_id"])
    t = "inventory_reservation"
    op.create_table(
        t,
        *_common(t),
        sa.Column("source_type", sa.String(length=60), nullable=False),
        sa.Column("source_id", sa.String(length=100), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", QTY, nullable=False),
        *_timestamps(),
        _unique(t, "source_type", "source_id", "product_id", "location_id"),
        _fk(t, "product_id", "inventory_product"),
        _fk(t, "location_id", "inventory_location"),
        _check(t, "quantity", "quantity > 0"),
    )
    t = "inventory_count"
    op.create_table(
        t,
        *_common(t),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("counted_by", sa.Uuid(), nullable=True),
        *_timestamps(),
        _fk(t, "location_id", "inventory_location"),
    )
    t = "inventory_count_line"
    op.create_table(
        t,
        *_common(t),
        sa.Column("count_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("expected", QTY, nullable=False),
        sa.Column("counted", QTY, nullable=False),
        *_timestamps(),
        _unique(t, "count_id", "product_id"),
        _fk(t, "count_id", "inventory_count"),
        _fk(t, "product_id", "inventory_product"),
        _check(t, "counted", "counted >= 0"),
    )


#: One statement each: the driver prepares statements and refuses several at once.
TRIGGERS = (
    """
    CREATE FUNCTION inventory_quant_allow_negative() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- The tenant's setting, not the writer, decides whether this row may go below zero.
        NEW.allow_negative := coalesce(
            (SELECT s.allow_negative_stock FROM inventory_settings s
              WHERE s.tenant_id = NEW.tenant_id),
            false);
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER allow_negative BEFORE INSERT OR UPDATE ON inventory_quant
        FOR EACH ROW EXECUTE FUNCTION inventory_quant_allow_negative()
    """,
    """
    CREATE FUNCTION inventory_settings_to_quants() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Each quant's trigger reads the new setting; its CHECK then judges the row again.
        UPDATE inventory_quant SET allow_negative = NEW.allow_negative_stock
         WHERE tenant_id = NEW.tenant_id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER to_quants AFTER UPDATE OF allow_negative_stock ON inventory_settings
        FOR EACH ROW WHEN (OLD.allow_negative_stock IS DISTINCT FROM NEW.allow_negative_stock)
        EXECUTE FUNCTION inventory_settings_to_quants()
    """,
    """
    CREATE FUNCTION inventory_done_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% rows are done and cannot be changed or deleted', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END $$
    """,
)


def upgrade() -> None:
    _units()
    _products()
    _prices()
    _places()
    _pickings()
    _stock()
    for table, privileges in GRANTS.items():
        enable_tenant_rls(table)
        if privileges is None:
            grant_runtime(table)
        else:
            grant_runtime(table, privileges)
    for statement in TRIGGERS:
        op.execute(statement)
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER done_is_final BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION inventory_done_is_final()"
        )


def downgrade() -> None:
    for table in (
        "inventory_count_line",
        "inventory_count",
        "inventory_reservation",
        "inventory_quant",
        "inventory_move",
        "inventory_picking",
        "inventory_settings",
        "inventory_warehouse",
        "inventory_location",
        "inventory_price_rule",
        "inventory_price_list",
        "inventory_product",
        "inventory_product_category",
        "inventory_uom",
        "inventory_uom_category",
    ):
        op.drop_table(table)
    for function in (
        "inventory_quant_allow_negative",
        "inventory_settings_to_quants",
        "inventory_done_is_final",
    ):
        op.execute(f"DROP FUNCTION {function}()")
