"""Permissions of partners, invoices and payments. Owners and admins hold them all; a custom
role gives a clerk invoicing without payments, or a reader the documents alone."""

from __future__ import annotations

from tessera.plugin import Permission
from tessera_accounting.invoice_models import INVOICE_POST, INVOICE_READ, INVOICE_WRITE
from tessera_accounting.partners import PARTNER_READ, PARTNER_WRITE
from tessera_accounting.payment_models import PAYMENT_WRITE

DOCUMENT_PERMISSIONS = (
    Permission(PARTNER_READ, "See customers and vendors"),
    Permission(PARTNER_WRITE, "Add and change customers and vendors"),
    Permission(INVOICE_READ, "See invoices, bills and payments, and print them"),
    Permission(INVOICE_WRITE, "Write and change draft invoices and bills"),
    Permission(INVOICE_POST, "Post and cancel invoices and bills"),
    Permission(PAYMENT_WRITE, "Register payments against invoices and bills"),
)
