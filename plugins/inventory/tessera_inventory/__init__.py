"""Tessera Inventory: Products, warehouses and locations, stock moves, reservations, valuation."""
