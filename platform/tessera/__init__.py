"""Tessera: the multi-tenant business platform core."""

__version__ = "0.1.0"
