"""What the browser app shows of the ledger: menu entries and the screens of accounts, journals,
entries, taxes and exchange rates. Posting and reversing are routes of their own, drawn as an
entry's action buttons; the reports are answered by the report routes."""

from __future__ import annotations

from tessera.plugin import Action, Field, MenuItem, Resource
from tessera_accounting.models import (
    ACCOUNT_TYPES,
    ENTRY_STATUSES,
    JOURNAL_KINDS,
    MANAGE,
    POST,
    READ,
    SUBTYPES,
    TAX_KINDS,
)

API = "/api/v1/accounting"

MENU = (
    MenuItem("Journal entries", "/accounting/entries", icon="book", permission=READ, order=70, resource="accounting.entry"),
    MenuItem("Chart of accounts", "/accounting/accounts", icon="list", permission=READ, order=71, resource="accounting.account"),
    MenuItem("Journals", "/accounting/journals", icon="book-open", permission=READ, order=72, resource="accounting.journal"),
    MenuItem("Taxes", "/accounting/taxes", icon="percent", permission=READ, order=73, resource="accounting.tax"),
    MenuItem("Exchange rates", "/accounting/rates", icon="repeat", permission=READ, order=74, resource="accounting.rate"),
)  # fmt: skip

ACCOUNT = Resource(
    name="accounting.account",
    label="Account",
    endpoint=f"{API}/accounts",
    fields=(
        Field("code", "Code", required=True),
        Field("name", "Name", read_only=True),
        Field("name_en", "Name (English)", required=True),
        Field("name_zh", "Name (Chinese)"),
        Field("type", "Type", type="enum", options=ACCOUNT_TYPES, required=True),
        Field("subtype", "Subtype", type="enum", options=SUBTYPES),
        Field("parent_id", "Parent account", type="reference", reference="accounting.account"),
        Field("reconcilable", "Reconcilable", type="bool", read_only=True),
        Field("active", "Active", type="bool"),
    ),
    list_columns=("code", "name", "type", "subtype", "active"),
    filters=("type", "active"),
    form=(("code", "type", "subtype"), ("name_en", "name_zh"), ("parent_id", "active")),
    title_field="name",
    read_permission=READ,
    write_permission=MANAGE,
    search=True,
    deletable=True,
    audit_type="accounting_account",
)

JOURNAL = Resource(
    name="accounting.journal",
    label="Journal",
    endpoint=f"{API}/journals",
    fields=(
        Field("code", "Code", required=True, create_only=True),
        Field("name", "Name", required=True),
        Field("name_zh", "Name (Chinese)"),
        Field("kind", "Kind", type="enum", options=JOURNAL_KINDS, create_only=True),
        Field("active", "Active", type="bool"),
    ),
    list_columns=("code", "name", "kind", "active"),
    form=(("code", "kind"), ("name", "name_zh"), ("active",)),
    title_field="name",
    read_permission=READ,
    write_permission=MANAGE,
    audit_type="accounting_journal",
)

ENTRY = Resource(
    name="accounting.entry",
    label="Journal entry",
    endpoint=f"{API}/entries",
    fields=(
        Field("number", "Number", read_only=True),
        Field("journal", "Journal", required=True),
        Field("date", "Date", type="date", required=True),
        Field("memo", "Memo"),
        Field("currency", "Currency", read_only=True),
        Field("status", "Status", type="enum", options=ENTRY_STATUSES, read_only=True),
        Field("total", "Total", type="money", read_only=True),
        Field(
            "reversal_of",
            "Reverses",
            type="reference",
            reference="accounting.entry",
            read_only=True,
        ),
        Field("source_type", "Source", read_only=True),
        Field("posted_at", "Posted on", type="datetime", read_only=True),
    ),
    list_columns=("date", "number", "journal", "memo", "total", "status"),
    filters=("status", "date"),
    form=(("journal", "date"), ("memo",)),
    title_field="number",
    read_permission=READ,
    write_permission=POST,
    editable=False,
    audit_type="accounting_entry",
    actions=(
        Action("post", "Post", "{id}/post", POST, when=(("status", ("draft",)),)),
        Action(
            "reverse",
            "Reverse",
            "{id}/reverse",
            POST,
            when=(("status", ("posted",)),),
            confirm="Post the reversing entry?",
            body_fields=(Field("date", "Date", type="date", required=True), Field("memo", "Memo")),
        ),
    ),
)

TAX = Resource(
    name="accounting.tax",
    label="Tax",
    endpoint=f"{API}/taxes",
    fields=(
        Field("code", "Code", required=True, create_only=True),
        Field("name", "Name", read_only=True),
        Field("name_en", "Name (English)", required=True),
        Field("name_zh", "Name (Chinese)"),
        Field("kind", "Kind", type="enum", options=TAX_KINDS, required=True, create_only=True),
        Field("rate", "Rate (%)", type="number", required=True),
        Field("inclusive", "Included in prices", type="bool"),
        Field(
            "account_id", "Account", type="reference", reference="accounting.account", required=True
        ),
        Field("active", "Active", type="bool"),
    ),
    list_columns=("code", "name", "kind", "rate", "inclusive", "active"),
    filters=("kind",),
    form=(
        ("code", "kind"),
        ("name_en", "name_zh"),
        ("rate", "inclusive"),
        ("account_id", "active"),
    ),
    title_field="name",
    read_permission=READ,
    write_permission=MANAGE,
    audit_type="accounting_tax",
)

RATE = Resource(
    name="accounting.rate",
    label="Exchange rate",
    endpoint=f"{API}/rates",
    fields=(
        Field("currency", "Currency", required=True),
        Field("date", "Date", type="date", required=True),
        Field("rate", "Rate", type="number", required=True),
    ),
    list_columns=("currency", "date", "rate"),
    filters=("currency",),
    form=(("currency", "date", "rate"),),
    title_field="currency",
    read_permission=READ,
    write_permission=MANAGE,
    deletable=True,
    editable=False,
    audit_type="accounting_currency_rate",
)

RESOURCES = (ACCOUNT, JOURNAL, ENTRY, TAX, RATE)
