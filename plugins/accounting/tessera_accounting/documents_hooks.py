"""What partners, invoices and payments add to the module's hooks (plugin.py): models, routes,
permissions, the ``accounting.invoicing`` service, screens and texts."""

from __future__ import annotations

from typing import Any

from tessera.plugin import Service
from tessera_accounting.aging_routes import AgingController
from tessera_accounting.documents_permissions import DOCUMENT_PERMISSIONS
from tessera_accounting.documents_translations import DOCUMENTS_ZH
from tessera_accounting.documents_ui import DASHBOARD, MENUS, PRINTED, RESOURCES
from tessera_accounting.invoice_models import Invoice, InvoiceLine
from tessera_accounting.invoice_routes import InvoicesController
from tessera_accounting.invoice_service import INVOICING
from tessera_accounting.partners import Partner
from tessera_accounting.partners_routes import PartnersController
from tessera_accounting.payment_models import Payment, PaymentAllocation
from tessera_accounting.payment_routes import PaymentsController

DOCUMENT_MODELS: tuple[type[Any], ...] = (
    Partner,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentAllocation,
)
DOCUMENT_ROUTES: tuple[type[Any], ...] = (
    PartnersController,
    InvoicesController,
    PaymentsController,
    AgingController,
)
DOCUMENT_SERVICES = (Service("accounting.invoicing", INVOICING),)
DOCUMENT_MENUS = MENUS
DOCUMENT_RESOURCES = RESOURCES
DOCUMENT_DASHBOARDS = (DASHBOARD,)
DOCUMENT_MESSAGES = PRINTED
__all__ = [
    "DOCUMENTS_ZH",
    "DOCUMENT_DASHBOARDS",
    "DOCUMENT_MENUS",
    "DOCUMENT_MESSAGES",
    "DOCUMENT_MODELS",
    "DOCUMENT_PERMISSIONS",
    "DOCUMENT_RESOURCES",
    "DOCUMENT_ROUTES",
    "DOCUMENT_SERVICES",
]
