"""What the browser app shows of the document store: its menu entries and the screens of
folders, documents, their versions and folders' shares.

The generic screens have no file widget yet: uploads go through the API
(``POST /api/v1/oa/documents?folder_id=…``), and the app lists, renames, moves and deletes.
A folder's page lists its documents, sub-folders and shares (related lists by ``folder_id``
and ``parent_id``); a document's page lists its versions.
"""

from __future__ import annotations

from tessera.plugin import Field, MenuItem, Resource

USER = "identity.user"
READ = "oa.document.read"
LEVELS = ("read", "write", "manage")
CREATED = Field("created_at", "Created", type="datetime", read_only=True)
UPDATED = Field("updated_at", "Changed", type="datetime", read_only=True)
ACCESS = Field("access", "Your access", type="enum", options=LEVELS, read_only=True)

MENU = (
    MenuItem(
        "Folders", "/oa/folders", icon="folder", permission=READ, order=46, resource="oa.folder"
    ),
    MenuItem(
        "Documents", "/oa/documents", icon="file", permission=READ, order=47, resource="oa.document"
    ),
)

FOLDER = Resource(
    name="oa.folder",
    label="Folder",
    endpoint="/api/v1/oa/folders",
    fields=(
        Field("name", "Name", required=True),
        Field("parent_id", "Inside", type="reference", reference="oa.folder"),
        ACCESS,
        Field("created_by", "Created by", type="reference", reference=USER, read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("name", "access", "created_by", "updated_at"),
    filters=("parent_id",),
    form=(("name",), ("parent_id",)),
    title_field="name",
    read_permission=READ,
    # Every member may make folders where a share lets them write; the API decides per folder.
    write_permission=READ,
    search=True,
    sort_fields=("name", "created_at", "updated_at"),
    deletable=True,
    audit_type="oa_folder",
)

DOCUMENT = Resource(
    name="oa.document",
    label="Document",
    endpoint="/api/v1/oa/documents",
    fields=(
        Field("name", "Name", required=True),
        Field("folder_id", "Folder", type="reference", reference="oa.folder", required=True),
        Field("version", "Version", type="number", read_only=True),
        Field("size", "Size (bytes)", type="number", read_only=True),
        Field("content_type", "Type", read_only=True),
        ACCESS,
        Field("created_by", "Created by", type="reference", reference=USER, read_only=True),
        Field("updated_by", "Last uploaded by", type="reference", reference=USER, read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("name", "version", "size", "updated_by", "updated_at"),
    filters=("folder_id",),
    form=(("name",), ("folder_id",)),
    title_field="name",
    read_permission=READ,
    write_permission=READ,
    search=True,
    sort_fields=("name", "size", "created_at", "updated_at"),
    deletable=True,
    audit_type="oa_document",
)

VERSION = Resource(
    name="oa.document_version",
    label="Document version",
    endpoint="/api/v1/oa/document-versions",
    fields=(
        Field("document_id", "Document", type="reference", reference="oa.document"),
        Field("number", "Version", type="number"),
        Field("filename", "Uploaded as"),
        Field("size", "Size (bytes)", type="number"),
        Field("content_type", "Type"),
        Field("sha256", "SHA-256"),
        Field("created_by", "Uploaded by", type="reference", reference=USER),
        Field("created_at", "Uploaded", type="datetime"),
    ),
    list_columns=("number", "filename", "size", "created_by", "created_at"),
    filters=("document_id",),
    title_field="filename",
    read_permission=READ,
)

SHARE = Resource(
    name="oa.folder_share",
    label="Share",
    endpoint="/api/v1/oa/folder-shares",
    fields=(
        Field(
            "folder_id",
            "Folder",
            type="reference",
            reference="oa.folder",
            required=True,
            create_only=True,
        ),
        Field("user_id", "Member", type="reference", reference=USER, create_only=True),
        Field(
            "role",
            "Built-in role",
            type="enum",
            options=("owner", "admin", "member"),
            create_only=True,
        ),
        # The core's custom roles (GET /api/v1/roles); the app has no picker for them yet.
        Field(
            "role_id", "Custom role", type="reference", reference="access.role", create_only=True
        ),
        Field(
            "department_id",
            "Department",
            type="reference",
            reference="oa.department",
            create_only=True,
        ),
        Field("access", "Access", type="enum", options=("read", "write"), required=True),
        Field("created_by", "Shared by", type="reference", reference=USER, read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("user_id", "role", "role_id", "department_id", "access", "created_by"),
    filters=("folder_id",),
    form=(("folder_id",), ("user_id", "role"), ("role_id", "department_id"), ("access",)),
    title_field="access",
    read_permission=READ,
    write_permission=READ,
    deletable=True,
    audit_type="oa_folder_share",
)

RESOURCES = (FOLDER, DOCUMENT, VERSION, SHARE)
