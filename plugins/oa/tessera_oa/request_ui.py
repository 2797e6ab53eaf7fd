"""What the browser app shows of generic requests: the forms (for those who design them) and
the requests (a list and each one's page; changed only as a draft, through its own routes).

A request's values follow its form's fields, which the generic screens cannot know: the list
and the page show the title, the form, the amount and the status; the values are in the API's
answer (docs/modules/oa.md, "Requests").
"""

from __future__ import annotations

from tessera.plugin import Field, MenuItem, Resource
from tessera_oa.request_models import FORM_MANAGE, STATUSES, WRITE

API = "/api/v1/oa"
CREATED = Field("created_at", "Created", type="datetime", read_only=True)
UPDATED = Field("updated_at", "Changed", type="datetime", read_only=True)

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
        Field("amount_field", "Amount field", read_only=True),
        Field("title_field", "Title field"),
        Field("active", "Active", type="bool"),
        CREATED,
        UPDATED,
    ),
    list_columns=("name", "category", "amount_field", "active"),
    filters=("active", "category"),
    form=(("name",), ("description",), ("category", "icon"), ("title_field",), ("active",)),
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
    form=(("form_id",),),
    title_field="title",
    read_permission=WRITE,
    write_permission=WRITE,
    search=True,
    sort_fields=("title", "amount", "created_at", "submitted_at", "updated_at"),
    # Values follow each form's fields, which generic screens cannot edit: a draft's values
    # change through PATCH endpoint/{id} with all of them (a 409 once submitted).
    editable=False,
    audit_type="oa_request",
)

RESOURCES = (FORM, REQUEST)
