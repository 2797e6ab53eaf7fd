"""Tessera Accounting: Chart of accounts, journals, invoices and bills, payments, taxes, currencies, financial reports."""
