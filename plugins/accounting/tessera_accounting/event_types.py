"""Every event accounting emits, with its payload. Amounts are decimal strings, dates ISO."""

from typing import TypedDict

from tessera.plugin import EventType


class InvoicePosted(TypedDict):
    invoice_id: str
    number: str
    #: out_invoice, in_invoice, out_refund or in_refund
    kind: str
    partner_id: str
    partner_name: str
    #: The CRM account the partner stands for, if any.
    crm_account_id: str | None
    total: str
    currency: str
    date: str
    due_date: str
    #: What the invoice was made from (``sales_purchase.order``), if anything.
    source_type: str | None
    source_id: str | None


class SettledInvoice(TypedDict):
    invoice_id: str
    number: str
    amount: str
    residual: str
    status: str


class PaymentRegistered(TypedDict):
    payment_id: str
    number: str
    #: inbound or outbound
    direction: str
    partner_id: str
    crm_account_id: str | None
    amount: str
    currency: str
    date: str
    exchange_difference: str
    #: The invoices the payment settled, and what each still owes.
    invoices: list[SettledInvoice]


EVENT_TYPES = (
    EventType(
        "accounting.invoice.posted",
        "An invoice or refund was posted to the ledger and got its number",
        InvoicePosted,
    ),
    EventType(
        "accounting.payment.registered",
        "A payment was registered and settled invoices",
        PaymentRegistered,
    ),
)
