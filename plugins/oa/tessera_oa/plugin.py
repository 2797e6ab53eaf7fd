"""The OA module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tessera.plugin import BUILTIN_ROLES, UI, Manifest, Permission, hookimpl
from tessera_oa import documents_translations, documents_ui, ui
from tessera_oa.departments import DepartmentsController
from tessera_oa.document_versions import DocumentVersionsController
from tessera_oa.documents import DocumentsController
from tessera_oa.documents_models import Document, DocumentVersion, Folder, FolderShare
from tessera_oa.folder_shares import FolderSharesController
from tessera_oa.folders import FoldersController
from tessera_oa.models import Department, DepartmentMember


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="oa",
        label="Office",
        version="0.1.0",
        api=">=1.0,<2",
        description="Departments, leave, approvals, expenses, announcements, tasks, documents",
    )


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [Department, DepartmentMember, Folder, FolderShare, Document, DocumentVersion]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [
        DepartmentsController,
        FoldersController,
        FolderSharesController,
        DocumentsController,
        DocumentVersionsController,
    ]


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    return [
        Permission(
            "oa.department.read", "See departments and who is in them", default_roles=BUILTIN_ROLES
        ),
        Permission("oa.department.manage", "Create, change and delete departments; place members"),
        # What a member may do in a folder is its shares' business (tessera_oa.document_access);
        # this only lets them into the document store at all.
        Permission(
            "oa.document.read",
            "See the folders shared with you; upload, rename, move and delete documents where a "
            "share lets you write",
            default_roles=BUILTIN_ROLES,
        ),
        Permission(
            "oa.document.manage",
            "Manage every folder and document: lay out top-level folders, share, move and delete "
            "anything",
        ),
        # Scoped: the recycle bin lets a member restore what they deleted themselves, owners
        # and admins anything.
        Permission(
            "oa.document.restore",
            "Bring back deleted folders and documents (members: those they deleted)",
            default_roles=BUILTIN_ROLES,
            scoped=True,
        ),
    ]


@hookimpl
def tessera_ui() -> UI:
    return UI(
        menus=(*ui.MENU, *documents_ui.MENU),
        resources=(ui.DEPARTMENT, *documents_ui.RESOURCES),
        translations={"zh": {**documents_translations.ZH}},
    )
