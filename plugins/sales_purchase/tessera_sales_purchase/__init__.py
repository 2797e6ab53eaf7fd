"""Tessera Sales & Purchasing: Quotations, sales orders, deliveries, purchase orders, receipts, bills and payment plans."""
