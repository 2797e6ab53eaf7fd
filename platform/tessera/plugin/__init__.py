"""The public plugin API: everything a Tessera plugin may import, and nothing else.

First-party modules (CRM, OA, ERP) use exactly this package, as third parties do. Names here
are stable within an API version (:data:`API_VERSION`); what lies behind them may change.

A minimal plugin::

    from tessera.plugin import Manifest, hookimpl

    @hookimpl
    def tessera_manifest() -> Manifest:
        return Manifest(name="notes", label="Notes", version="1.0", api=">=1.0,<2")

See docs/plugins/ for the guide and every hook in :mod:`tessera.plugin.hookspecs`.
"""

from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tessera.audit.capture import audit_event
from tessera.db.base import TenantModel, Timestamps, tenant_fk, tenant_unique
from tessera.db.ids import uuid7
from tessera.db.rls import FULL_ACCESS, enable_tenant_rls, grant_runtime
from tessera.errors import Conflict, DomainError, Forbidden, Gone, Invalid, NotFound
from tessera.events.service import emit
from tessera.events.types import Event, EventHandler, EventNotDeclared, EventType, HandlerContext
from tessera.jobs.types import BackgroundJob, JobContext, Schedule
from tessera.plugin.actions import Action
from tessera.plugin.context import ModuleContext
from tessera.plugin.documents import Document
from tessera.plugin.dynamic_fields import VALUE_TYPES
from tessera.plugin.facts import RecordFact, record_facts
from tessera.plugin.hookspecs import hookimpl
from tessera.plugin.manifest import (
    API_VERSION,
    BUILTIN_ROLES,
    UI,
    Dashboard,
    Field,
    Manifest,
    ManifestError,
    MenuItem,
    Metric,
    Permission,
    Resource,
)
from tessera.plugin.money import (
    MINOR_UNITS,
    checked_currency,
    checked_money,
    currency_step,
    round_money,
)
from tessera.plugin.people import member_fk
from tessera.plugin.services import Service, ServiceMissing, service
from tessera.plugin.timeline import (
    TimelineCursor,
    TimelineEntry,
    newest_first,
    timeline_contributors,
    timeline_entries,
)
from tessera.workflow.types import Approvable, Approval, Step, WorkflowTemplate

if TYPE_CHECKING:
    from tessera.identity.directory import (
        is_member,
        manager_user_id,
        managers_of,
        member_emails,
        member_ids_by_email,
        member_user_ids,
    )
    from tessera.identity.record_rules import visible_sql, visible_to
    from tessera.identity.service import Actor
    from tessera.jobs.service import start_job
    from tessera.notifications.service import notify
    from tessera.numbering.service import next_document_number
    from tessera.plugin.audiences import custom_roles_of, known_custom_roles, members_holding
    from tessera.plugin.company import company_profile
    from tessera.plugin.files import (
        FileInfo,
        Upload,
        clean_filename,
        delete_file,
        file_fk,
        get_file,
        open_download,
        store_file,
        store_upload,
    )
    from tessera.plugin.pdf import (
        Block,
        Column,
        CompanyProfile,
        PdfDocument,
        PdfFontMissing,
    )
    from tessera.unit_of_work import UnitOfWork
    from tessera.web.context import (
        Language,
        Member,
        SignedIn,
        Uow,
        file_upload,
        hot_read,
        requires,
    )
    from tessera.web.pagination import (
        DEFAULT_LIMIT,
        CursorQuery,
        LimitQuery,
        SortedCursorQuery,
        SortedPage,
        Sorting,
        SortOrder,
        SortQuery,
        check_limit,
        decode_cursor,
        page_of,
    )
    from tessera.web.schemas import Input, Page
    from tessera.workflow.attached import define_workflow, workflow_of
    from tessera.workflow.reports import TurnaroundStep, approval_turnaround
    from tessera.workflow.schemas import StepIO
    from tessera.workflow.service import (
        approver_of,
        cancel_approval,
        submit_for_approval,
        withdraw_approval,
    )

# Names that live in the web and identity layers are imported on first use: the platform's own
# modules import parts of this package while those layers are still loading.
_LAZY = {
    "Actor": "tessera.identity.service",
    "start_job": "tessera.jobs.service",
    "is_member": "tessera.identity.directory",
    "manager_user_id": "tessera.identity.directory",
    "managers_of": "tessera.identity.directory",
    "member_user_ids": "tessera.identity.directory",
    "member_emails": "tessera.identity.directory",
    "member_ids_by_email": "tessera.identity.directory",
    "notify": "tessera.notifications.service",
    "next_document_number": "tessera.numbering.service",
    "members_holding": "tessera.plugin.audiences",
    "known_custom_roles": "tessera.plugin.audiences",
    "custom_roles_of": "tessera.plugin.audiences",
    "UnitOfWork": "tessera.unit_of_work",
    "submit_for_approval": "tessera.workflow.service",
    "withdraw_approval": "tessera.workflow.service",
    "approver_of": "tessera.workflow.service",
    "approval_turnaround": "tessera.workflow.reports",
    "TurnaroundStep": "tessera.workflow.reports",
    "cancel_approval": "tessera.workflow.service",
    "StepIO": "tessera.workflow.schemas",
    "define_workflow": "tessera.workflow.attached",
    "workflow_of": "tessera.workflow.attached",
    "Member": "tessera.web.context",
    "Language": "tessera.web.context",
    "SignedIn": "tessera.web.context",
    "Uow": "tessera.web.context",
    "requires": "tessera.web.context",
    "hot_read": "tessera.web.context",
    "file_upload": "tessera.web.context",
    "FileInfo": "tessera.plugin.files",
    "Upload": "tessera.plugin.files",
    "clean_filename": "tessera.plugin.files",
    "delete_file": "tessera.plugin.files",
    "file_fk": "tessera.plugin.files",
    "get_file": "tessera.plugin.files",
    "open_download": "tessera.plugin.files",
    "store_file": "tessera.plugin.files",
    "store_upload": "tessera.plugin.files",
    "visible_to": "tessera.identity.record_rules",
    "visible_sql": "tessera.identity.record_rules",
    "DEFAULT_LIMIT": "tessera.web.pagination",
    "CursorQuery": "tessera.web.pagination",
    "LimitQuery": "tessera.web.pagination",
    "SortQuery": "tessera.web.pagination",
    "SortedCursorQuery": "tessera.web.pagination",
    "SortedPage": "tessera.web.pagination",
    "SortOrder": "tessera.web.pagination",
    "Sorting": "tessera.web.pagination",
    "check_limit": "tessera.web.pagination",
    "decode_cursor": "tessera.web.pagination",
    "page_of": "tessera.web.pagination",
    "Input": "tessera.web.schemas",
    # Printable documents: fpdf2 is loaded only by the modules that print.
    "PdfDocument": "tessera.plugin.pdf",
    "PdfFontMissing": "tessera.plugin.pdf",
    "Column": "tessera.plugin.pdf",
    "Block": "tessera.plugin.pdf",
    "CompanyProfile": "tessera.plugin.pdf",
    "company_profile": "tessera.plugin.company",
    "Page": "tessera.web.schemas",
}


@dataclass(frozen=True, slots=True)
class Deprecated:
    """An old name of the public API: it keeps working, with a warning, until it may go.

    Deprecated in plugin API 1.N, it works all through 1.N+1 (see tessera.plugin.surface).
    """

    replacement: str
    since: str


#: Old name -> what to use instead. Empty while nothing is deprecated.
DEPRECATED: dict[str, Deprecated] = {}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in DEPRECATED:
        deprecation = DEPRECATED[name]
        warnings.warn(
            f"tessera.plugin.{name} is deprecated since plugin API {deprecation.since}; "
            f"use tessera.plugin.{deprecation.replacement}",
            DeprecationWarning,
            stacklevel=2,
        )
        return globals().get(deprecation.replacement) or __getattr__(deprecation.replacement)
    raise AttributeError(f"module 'tessera.plugin' has no attribute {name!r}")


__all__ = [
    "API_VERSION",
    "BUILTIN_ROLES",
    "DEFAULT_LIMIT",
    "FULL_ACCESS",
    "MINOR_UNITS",
    "UI",
    "VALUE_TYPES",
    "Action",
    "Actor",
    "Approvable",
    "Approval",
    "BackgroundJob",
    "Block",
    "Column",
    "CompanyProfile",
    "Conflict",
    "CursorQuery",
    "Dashboard",
    "Document",
    "DomainError",
    "Event",
    "EventHandler",
    "EventNotDeclared",
    "EventType",
    "Field",
    "FileInfo",
    "Forbidden",
    "Gone",
    "HandlerContext",
    "Input",
    "Invalid",
    "JobContext",
    "Language",
    "LimitQuery",
    "Manifest",
    "ManifestError",
    "Member",
    "MenuItem",
    "Metric",
    "ModuleContext",
    "NotFound",
    "Page",
    "PdfDocument",
    "PdfFontMissing",
    "Permission",
    "RecordFact",
    "Resource",
    "Schedule",
    "Service",
    "ServiceMissing",
    "SignedIn",
    "SortOrder",
    "SortQuery",
    "SortedCursorQuery",
    "SortedPage",
    "Sorting",
    "Step",
    "StepIO",
    "TenantModel",
    "TimelineCursor",
    "TimelineEntry",
    "Timestamps",
    "TurnaroundStep",
    "UnitOfWork",
    "Uow",
    "Upload",
    "WorkflowTemplate",
    "approval_turnaround",
    "approver_of",
    "audit_event",
    "cancel_approval",
    "check_limit",
    "checked_currency",
    "checked_money",
    "clean_filename",
    "company_profile",
    "currency_step",
    "custom_roles_of",
    "decode_cursor",
    "define_workflow",
    "delete_file",
    "emit",
    "enable_tenant_rls",
    "file_fk",
    "file_upload",
    "get_file",
    "grant_runtime",
    "hookimpl",
    "hot_read",
    "is_member",
    "known_custom_roles",
    "manager_user_id",
    "managers_of",
    "member_emails",
    "member_fk",
    "member_ids_by_email",
    "member_user_ids",
    "members_holding",
    "newest_first",
    "next_document_number",
    "notify",
    "open_download",
    "page_of",
    "record_facts",
    "requires",
    "round_money",
    "service",
    "start_job",
    "store_file",
    "store_upload",
    "submit_for_approval",
    "tenant_fk",
    "tenant_unique",
    "timeline_contributors",
    "timeline_entries",
    "uuid7",
    "visible_sql",
    "visible_to",
    "withdraw_approval",
    "workflow_of",
]
