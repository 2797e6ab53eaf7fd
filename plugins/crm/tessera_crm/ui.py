"""What the browser app shows of the CRM: its menu, the screens of its records, its dashboard.

A menu entry is shown only to members holding its permission.
"""

from __future__ import annotations

from tessera.plugin import Action, Dashboard, Field, MenuItem, Metric, Resource
from tessera_crm.models import (
    ACTIVITY_KINDS,
    LEAD_SOURCES,
    LEAD_STATUSES,
    TICKET_PRIORITIES,
    TICKET_STATUSES,
)
from tessera_crm.record_types import RECORD_TYPES

REPORTS = "/api/v1/crm/reports"
REPORT_READ = "crm.report.read"
EXPORT = "crm.data.export"
IMPORT = "crm.data.import"
#: Lists filter by owner with ``owner`` ('me' or a user id), not ``owner_id``.
BY_OWNER = (("owner_id", "owner"),)
OWNER = Field("owner_id", "Owner", type="reference", reference="identity.user")
CREATED = Field("created_at", "Created", type="datetime", read_only=True)
UPDATED = Field("updated_at", "Changed", type="datetime", read_only=True)
EMAIL, PHONE = Field("email", "Email"), Field("phone", "Phone")
NOTES = Field("notes", "Notes", type="longtext")

MENU = (
    MenuItem("Accounts", "/crm/accounts", icon="building", permission="crm.account.read", order=20),
    MenuItem("Contacts", "/crm/contacts", icon="users", permission="crm.contact.read", order=21),
    MenuItem("Leads", "/crm/leads", icon="user-plus", permission="crm.lead.read", order=22),
    MenuItem("Deals", "/crm/deals", icon="handshake", permission="crm.deal.read", order=23),
    MenuItem(
        "Activities", "/crm/activities", icon="calendar", permission="crm.activity.read", order=24
    ),
    MenuItem("Tickets", "/crm/tickets", icon="life-buoy", permission="crm.ticket.read", order=25),
    MenuItem(
        "Reports",
        "/crm/reports",
        icon="bar-chart",
        permission=REPORT_READ,
        order=26,
        dashboard="crm.sales",
    ),
)

ACCOUNT = Resource(
    name="crm.account",
    label="Account",
    endpoint="/api/v1/crm/accounts",
    fields=(
        Field("name", "Name", required=True),
        Field("website", "Website"),
        EMAIL,
        PHONE,
        Field("industry", "Industry"),
        NOTES,
        OWNER,
        CREATED,
        UPDATED,
    ),
    list_columns=("name", "industry", "email", "phone", "owner_id", "updated_at"),
    filters=("owner_id",),
    form=(("name",), ("website", "industry"), ("email", "phone"), ("owner_id",), ("notes",)),
    title_field="name",
    read_permission="crm.account.read",
    write_permission="crm.account.write",
    search=True,
    sort_fields=("name", "created_at", "updated_at"),
    filter_params=BY_OWNER,
    export_endpoint="/api/v1/crm/accounts/export",
    export_permission=EXPORT,
    import_endpoint="/api/v1/crm/imports/accounts",
    import_permission=IMPORT,
    deletable=True,
    timeline_endpoint="/api/v1/crm/accounts/{id}/timeline",
    facts_endpoint="/api/v1/crm/accounts/{id}/facts",
    audit_type="crm_account",
)

CONTACT = Resource(
    name="crm.contact",
    label="Contact",
    endpoint="/api/v1/crm/contacts",
    fields=(
        Field("first_name", "First name"),
        Field("last_name", "Last name", required=True),
        Field("account_id", "Account", type="reference", reference="crm.account"),
        Field("title", "Title"),
        EMAIL,
        PHONE,
        NOTES,
        OWNER,
        CREATED,
        UPDATED,
    ),
    list_columns=("last_name", "first_name", "account_id", "title", "email", "phone", "owner_id"),
    filters=("account_id", "owner_id"),
    form=(
        ("first_name", "last_name"),
        ("account_id", "title"),
        ("email", "phone"),
        ("owner_id",),
        ("notes",),
    ),
    title_field="last_name",
    read_permission="crm.contact.read",
    write_permission="crm.contact.write",
    search=True,
    sort_fields=("last_name", "created_at", "updated_at"),
    filter_params=BY_OWNER,
    export_endpoint="/api/v1/crm/contacts/export",
    export_permission=EXPORT,
    import_endpoint="/api/v1/crm/imports/contacts",
    import_permission=IMPORT,
    deletable=True,
    audit_type="crm_contact",
)

#: Read-only: what deals are on. Pipelines and their stages are made in settings.
PIPELINE = Resource(
    name="crm.pipeline",
    label="Pipeline",
    endpoint="/api/v1/crm/pipelines",
    fields=(
        Field("name", "Name", read_only=True),
        Field("is_default", "Default", type="bool", read_only=True),
    ),
    list_columns=("name", "is_default"),
    title_field="name",
    read_permission="crm.deal.read",
)

#: Read-only: the columns of the deals board. Pipelines and stages are made in settings.
STAGE = Resource(
    name="crm.stage",
    label="Stage",
    endpoint="/api/v1/crm/stages",
    fields=(
        Field("name", "Name", read_only=True),
        Field(
            "pipeline_id", "Pipeline", type="reference", reference="crm.pipeline", read_only=True
        ),
        Field("position", "Position", type="number", read_only=True),
        Field("probability", "Probability (%)", type="number", read_only=True),
    ),
    list_columns=("name", "probability"),
    filters=("pipeline_id",),
    title_field="name",
    read_permission="crm.deal.read",
    sort_fields=("position", "name"),
)

#: What a deal sells (decision 48): the whole list is sent, and the deal's amount is its total.
DEAL_LINES = Field(
    "lines",
    "Lines",
    type="lines",
    line_fields=(
        Field("sku", "SKU", help="The product's SKU in inventory, if the line sells one"),
        Field("description", "Description", required=True),
        Field("quantity", "Quantity", type="number", required=True),
        Field("unit_price", "Unit price", type="money", required=True),
        Field("discount", "Discount %", type="number"),
        Field("amount", "Line amount", type="money", read_only=True),
    ),
    line_amount=("quantity", "unit_price", "discount"),
)

DEAL = Resource(
    name="crm.deal",
    label="Deal",
    endpoint="/api/v1/crm/deals",
    fields=(
        Field("name", "Name", required=True),
        Field("account_id", "Account", type="reference", reference="crm.account", create_only=True),
        Field(
            "pipeline_id", "Pipeline", type="reference", reference="crm.pipeline", create_only=True
        ),
        Field("stage_id", "Stage", type="reference", reference="crm.stage"),
        # Not required here: a deal with lines takes their total (the API asks for it without).
        Field("amount", "Amount", type="money"),
        Field("currency", "Currency", required=True),
        Field("discount", "Discount (%)", type="number"),
        Field("expected_close", "Expected close", type="date"),
        Field("status", "Status", type="enum", read_only=True, options=("open", "won", "lost")),
        Field(
            "approval",
            "Discount approval",
            type="enum",
            read_only=True,
            options=("none", "pending", "approved", "rejected"),
        ),
        Field("lost_reason", "Why lost", read_only=True),
        Field("closed_at", "Closed", type="datetime", read_only=True),
        Field("sales_order_number", "Sales order", read_only=True),
        DEAL_LINES,
        OWNER,
        CREATED,
        UPDATED,
    ),
    list_columns=(
        "name",
        "account_id",
        "stage_id",
        "amount",
        "currency",
        "expected_close",
        "status",
        "owner_id",
    ),
    # The expected close filters as a range of days, expected_close_from and _to (what the
    # calendar shows of a month).
    filters=("pipeline_id", "stage_id", "status", "approval", "owner_id", "expected_close"),
    form=(
        ("name",),
        ("account_id",),
        ("pipeline_id", "stage_id"),
        ("amount", "currency", "discount"),
        ("expected_close", "owner_id"),
        ("lines",),
    ),
    title_field="name",
    read_permission="crm.deal.read",
    write_permission="crm.deal.write",
    kanban_by="stage_id",
    calendar_by="expected_close",
    search=True,
    sort_fields=("name", "amount", "expected_close", "created_at", "updated_at"),
    filter_params=BY_OWNER,
    export_endpoint="/api/v1/crm/deals/export",
    export_permission=EXPORT,
    audit_type="crm_deal",
    # An open deal closes by its own routes; a discount beyond the threshold asks approval
    # through the deal's route (which records the approval on the deal), not the generic one.
    actions=(
        Action(
            "won",
            "Mark won",
            "{id}/won",
            "crm.deal.write",
            when=(("status", ("open",)),),
            confirm="Mark this deal won?",
        ),
        Action(
            "lost",
            "Mark lost",
            "{id}/lost",
            "crm.deal.write",
            when=(("status", ("open",)),),
            danger=True,
            body_fields=(Field("reason", "Why lost", required=True),),
        ),
        Action(
            "ask_approval",
            "Ask approval of the discount",
            "{id}/submit-for-approval",
            "crm.deal.write",
            when=(("status", ("open",)), ("approval", ("none", "rejected"))),
        ),
    ),
)

SALES = Dashboard(
    name="crm.sales",
    label="Sales",
    order=20,
    metrics=(
        Metric(
            "crm.pipeline_value",
            "Pipeline value",
            f"{REPORTS}/pipeline-value",
            REPORT_READ,
            display="bar",
            series=("open",),
        ),
        Metric(
            "crm.win_rate",
            "Win rate",
            f"{REPORTS}/win-rate",
            REPORT_READ,
            display="percent",
            value="rate",
            period="last_90_days",
        ),
        Metric(
            "crm.deals_won_this_month",
            "Deals won this month",
            f"{REPORTS}/deals-won",
            REPORT_READ,
            display="number",
            value="count",
            period="this_month",
            params=(("interval", "month"),),
        ),
        Metric(
            "crm.forecast",
            "Weighted forecast",
            f"{REPORTS}/forecast",
            REPORT_READ,
            display="bar",
            series=("weighted",),
        ),
        Metric(
            "crm.funnel",
            "Conversion funnel",
            f"{REPORTS}/funnel",
            REPORT_READ,
            display="funnel",
            period="last_90_days",
            series=("reached",),
        ),
    ),
)

LEAD = Resource(
    name="crm.lead",
    label="Lead",
    endpoint="/api/v1/crm/leads",
    fields=(
        Field("first_name", "First name"),
        Field("last_name", "Last name", required=True),
        Field("company", "Company"),
        Field("title", "Title"),
        EMAIL,
        PHONE,
        Field("source", "Source", type="enum", options=LEAD_SOURCES),
        Field("status", "Status", type="enum", options=LEAD_STATUSES),
        NOTES,
        Field("last_touched_at", "Last touched", type="datetime", read_only=True),
        OWNER,
        CREATED,
        UPDATED,
    ),
    list_columns=("last_name", "first_name", "company", "source", "status", "owner_id"),
    filters=("status", "source", "owner_id"),
    form=(
        ("first_name", "last_name"),
        ("company", "title"),
        ("email", "phone"),
        ("source", "status"),
        ("notes",),
    ),
    kanban_by="status",
    title_field="last_name",
    read_permission="crm.lead.read",
    write_permission="crm.lead.write",
    search=True,
    sort_fields=("last_name", "company", "last_touched_at", "created_at", "updated_at"),
    filter_params=BY_OWNER,
    deletable=True,
    audit_type="crm_lead",
)

ACTIVITY = Resource(
    name="crm.activity",
    label="Activity",
    endpoint="/api/v1/crm/activities",
    fields=(
        Field("kind", "Kind", type="enum", required=True, options=ACTIVITY_KINDS),
        Field("subject", "Subject", required=True),
        Field("body", "Notes", type="longtext"),
        Field(
            "record_type",
            "About a",
            type="enum",
            required=True,
            options=tuple(RECORD_TYPES),
            create_only=True,
        ),
        Field(
            "record_id",
            "Record",
            type="reference",
            required=True,
            create_only=True,
            reference_from="record_type",
        ),
        Field("account_id", "Account", type="reference", reference="crm.account", read_only=True),
        Field("due_at", "Due", type="datetime"),
        Field("remind_at", "Remind me", type="datetime"),
        Field("done_at", "Done", type="datetime", read_only=True),
        OWNER,
        CREATED,
        UPDATED,
    ),
    list_columns=("subject", "kind", "account_id", "due_at", "done_at", "owner_id"),
    # Not record_type: the list takes it only with a record_id (one record's activities). Due
    # dates filter as a range, due_from and due_to (what the calendar shows of a month).
    filters=("kind", "owner_id", "due_at"),
    form=(
        ("kind", "subject"),
        ("record_type", "record_id"),
        ("due_at", "remind_at"),
        ("owner_id",),
        ("body",),
    ),
    title_field="subject",
    read_permission="crm.activity.read",
    write_permission="crm.activity.write",
    calendar_by="due_at",
    sort_fields=("due_at", "remind_at", "created_at", "updated_at"),
    filter_params=(*BY_OWNER, ("due_at", "due")),
    deletable=True,
    audit_type="crm_activity",
)

TICKET = Resource(
    name="crm.ticket",
    label="Ticket",
    endpoint="/api/v1/crm/tickets",
    fields=(
        Field("subject", "Subject", required=True),
        Field("description", "Description", type="longtext"),
        Field("account_id", "Account", type="reference", reference="crm.account"),
        Field("contact_id", "Contact", type="reference", reference="crm.contact"),
        # Changed on the board (or by PATCH), not in the form: a new ticket is open.
        Field("status", "Status", type="enum", options=TICKET_STATUSES),
        Field("priority", "Priority", type="enum", options=TICKET_PRIORITIES),
        Field("assignee_id", "Assignee", type="reference", reference="identity.user"),
        Field("sla_due_at", "Due by (SLA)", type="datetime", read_only=True),
        Field("breached", "SLA breached", type="bool", read_only=True),
        Field("resolved_at", "Resolved", type="datetime", read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=(
        "subject",
        "account_id",
        "status",
        "priority",
        "assignee_id",
        "sla_due_at",
        "breached",
    ),
    filters=("status", "priority", "account_id", "breached"),
    form=(
        ("subject",),
        ("account_id", "contact_id"),
        ("priority", "assignee_id"),
        ("description",),
    ),
    title_field="subject",
    read_permission="crm.ticket.read",
    write_permission="crm.ticket.write",
    kanban_by="status",
    search=True,
    sort_fields=("subject", "sla_due_at", "created_at", "updated_at"),
    deletable=True,
    # With other modules' entries too (the office module's task made for the ticket).
    timeline_endpoint="/api/v1/crm/tickets/{id}/timeline",
    audit_type="crm_ticket",
)
