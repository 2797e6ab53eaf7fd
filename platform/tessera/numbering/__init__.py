"""Gapless document numbers per tenant, series and year (INV/2026/00001)."""
