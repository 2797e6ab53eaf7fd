"""What the browser app shows of the office module: its menu and the screens of its records.

A menu entry is shown only to members holding its permission.
"""

from __future__ import annotations

from tessera.plugin import Field, MenuItem, Resource

USER = "identity.user"
CREATED = Field("created_at", "Created", type="datetime", read_only=True)
UPDATED = Field("updated_at", "Changed", type="datetime", read_only=True)

MENU = (
    MenuItem(
        "Departments",
        "/oa/departments",
        icon="users",
        permission="oa.department.read",
        order=40,
        resource="oa.department",
    ),
)

DEPARTMENT = Resource(
    name="oa.department",
    label="Department",
    endpoint="/api/v1/oa/departments",
    fields=(
        Field("name", "Name", required=True),
        Field("parent_id", "Part of", type="reference", reference="oa.department"),
        Field("head_user_id", "Head", type="reference", reference=USER),
        CREATED,
        UPDATED,
    ),
    list_columns=("name", "parent_id", "head_user_id", "updated_at"),
    filters=("parent_id",),
    form=(("name",), ("parent_id", "head_user_id")),
    title_field="name",
    read_permission="oa.department.read",
    write_permission="oa.department.manage",
    search=True,
    sort_fields=("name", "created_at"),
    deletable=True,
    audit_type="oa_department",
)
