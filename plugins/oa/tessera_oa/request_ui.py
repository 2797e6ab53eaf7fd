"""What the browser app shows of generic requests: the forms (for those who design them) and
the requests (a list and each one's page; changed only as a draft, through its own routes).

A form's fields are a ``field_list`` the admin edits row by row; a request's values are a
``values`` field whose inputs the chosen form's fields define (schema_from ``form_id``). A
form's own approval steps are set through its API (``steps``); the screens leave them out, and
say that the tenant's workflow for requests applies otherwise (the Workflows admin page).
"""

from __future__ import annotations

from tessera.plugin import Action, Field, MenuItem, Resource
from tessera_oa.request_fields import FIELD_TYPES
from tessera_oa.request_models import EDITABLE, FORM_MANAGE, STATUSES, WRITE

API = "/api/v1/oa"
CREATED = Field("created_at", "Created", type="datetime", read_only=True)
UPDATED = Field("updated_at", "Changed", type="datetime", read_only=True)
FIELDS_HELP = (
    "What a request made with this form asks for. Who approves it: the workflow for requests "
    "on the Workflows admin page (by default the requester's manager)."
)

MENU = (
    MenuItem(
        "Requests",
        "/oa/requests",
        icon="file-check",
        permission=WRITE,
        order=65,
        resource="oa.request",
    ),
    MenuItem(
        "Request forms",
        "/oa/request-forms",
        icon="clipboard-list",
        permission=FORM_MANAGE,
        order=66,
        resource="oa.request_form",
    ),
)

FORM = Resource(
    name="oa.request_form",
    label="Request form",
    endpoint=f"{API}/request-forms",
    fields=(
        Field("name", "Name", required=True),
        Field("description", "Description", type="longtext"),
        Field("category", "Category"),
        Field("icon", "Icon"),
        Field(
            "fields",
            "Fields",
            type="field_list",
            required=True,
            options=FIELD_TYPES,
            help=FIELDS_HELP,
        ),
        Field("amount_field", "Amount field", read_only=True),
        Field("title_field", "Title field"),
        Field("active", "Active", type="bool"),
        CREATED,
        UPDATED,
    ),
    list_columns=("name", "category", "amount_field", "active"),
    filters=("active", "category"),
    form=(
        ("name",),
        ("description",),
        ("category", "icon"),
        ("fields",),
        ("title_field",),
        ("active",),
    ),
    title_field="name",
    read_permission=WRITE,
    write_permission=FORM_MANAGE,
    search=True,
    sort_fields=("name", "category", "created_at", "updated_at"),
    deletable=True,
    audit_type="oa_request_form",
)

REQUEST = Resource(
    name="oa.request",
    label="Request",
    endpoint=f"{API}/requests",
    fields=(
        Field("title", "Title", read_only=True),
        Field(
            "form_id",
            "Form",
            type="reference",
            reference="oa.request_form",
            required=True,
            create_only=True,
        ),
        Field(
            "values",
            "Details",
            type="values",
            schema_from="form_id",
            schema_field="fields",
            upload_endpoint=f"{API}/requests/files",
            download_endpoint=f"{API}/requests/{{id}}/files/{{file}}",
        ),
        Field("form_name", "Form name", read_only=True),
        Field(
            "requester_id", "Requester", type="reference", reference="identity.user", read_only=True
        ),
        Field("amount", "Amount", type="money", read_only=True),
        Field("status", "Status", type="enum", options=STATUSES, read_only=True),
        Field("submitted_at", "Submitted on", type="datetime", read_only=True),
        Field("decided_at", "Decided on", type="datetime", read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("title", "form_id", "requester_id", "amount", "status", "submitted_at"),
    filters=("form_id", "status", "requester_id"),
    form=(("form_id",), ("values",)),
    title_field="title",
    read_permission=WRITE,
    write_permission=WRITE,
    search=True,
    sort_fields=("title", "amount", "created_at", "submitted_at", "updated_at"),
    # The form edits a draft's values (PATCH endpoint/{id} with all of them); once submitted
    # the API answers 409, which the form shows.
    audit_type="oa_request",
    actions=(
        Action("submit", "Submit for approval", "{id}/submit", WRITE, when=(("status", EDITABLE),)),
        Action(
            "withdraw",
            "Take it back",
            "{id}/withdraw",
            WRITE,
            when=(("status", ("pending",)),),
            confirm="Take this request back before anyone decides?",
        ),
    ),
)

RESOURCES = (FORM, REQUEST)
