"""The Accounting module's hooks."""

from __future__ import annotations

from tessera.plugin import Manifest, hookimpl


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="accounting",
        label="Accounting",
        version="0.1.0",
        api=">=1.0,<2",
        description="Chart of accounts, journals, invoices and bills, payments, taxes, currencies, financial reports",
    )
