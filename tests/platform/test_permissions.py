"""The permission matrix: for each built-in role and a custom role, every route of the core and
of the test plugin answers 2xx or 403 exactly as its declared permission says; and no id of
another tenant is reachable from any route."""

from __future__ import annotations

import inspect
import io
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from litestar.routes import HTTPRoute
from PIL import Image

from tessera.db.engine import plain_url
from tests.platform.erp_accounting_cases import ACCOUNTING_CASES
from tests.platform.erp_accounting_docs_cases import DOCS_CASES
from tests.platform.erp_inventory_cases import INVENTORY_CASES
from tests.platform.erp_sales_purchase_cases import SALES_PURCHASE_CASES
from tests.platform.expense_bill_cases import BILL_CASES
from tests.platform.oa_calendar_cases import CALENDAR_CASES
from tests.platform.oa_document_cases import DOCUMENT_CASES
from tests.platform.oa_expense_cases import EXPENSE_CASES
from tests.platform.oa_request_cases import REQUEST_CASES
from tests.platform.oa_tasks_cases import TASK_CASES
from tests.support import LiveServer, SignedUp, join, make_client, sign_up, unique_email

ACTOR_PARAMETERS = {"actor", "user_actor"}
ROLES = ("owner", "admin", "member", "custom")
CUSTOM_GRANTS = [
    {"permission": "audit.entry.read"},
    {"permission": "identity.member.invite"},
    {"permission": "notes.note.read", "scope": "all"},
]


@dataclass
class Scene:
    """One tenant, its owner, and the signed-in person whose role is under test."""

    server: LiveServer
    owner: SignedUp
    actor: SignedUp
    grants: dict[str, str]
    #: The workflow cases' fixtures, made once per scene (see _workflow).
    workflow: dict[str, str] = field(default_factory=dict)

    async def throwaway_member(self) -> str:
        async with make_client(self.server) as client:
            joined = await join(self.server, self.owner, client, role="member")
        members = (await self.owner.get("/api/v1/members", params={"limit": 200})).json()
        return str(next(m["id"] for m in members["items"] if m["user_id"] == joined.user_id))

    async def membership_id(self, who: SignedUp) -> str:
        members = (await self.owner.get("/api/v1/members", params={"limit": 200})).json()
        return str(next(m["id"] for m in members["items"] if m["user_id"] == who.user_id))


#: A request's URL and body: JSON, or bytes sent as they are (an upload).
Request = tuple[str, dict[str, Any] | bytes | None]
Build = Callable[[Scene], Awaitable[Request]]


def sent(body: dict[str, Any] | bytes | None) -> dict[str, Any]:
    """httpx's keyword for ``body``."""
    return {"content": body} if isinstance(body, bytes) else {"json": body}


def fixed(path: str, body: dict[str, Any] | None = None) -> Build:
    async def build(scene: Scene) -> Request:
        return path, body

    return build


COMPANY = "/api/v1/company"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 0)).save(buffer, "PNG")
    return buffer.getvalue()


async def _logo_upload(s: Scene) -> Request:
    return f"{COMPANY}/logo?filename=logo.png", _png()


async def _logo(s: Scene) -> Request:
    uploaded = await s.owner.client.put(
        f"{COMPANY}/logo", params={"filename": "logo.png"}, content=_png(), headers=s.owner.headers
    )
    assert uploaded.status_code == 200, uploaded.text
    return f"{COMPANY}/logo", None


async def _member_patch(s: Scene) -> Request:
    return f"/api/v1/members/{await s.throwaway_member()}", {"manager_id": None}


async def _member_delete(s: Scene) -> Request:
    return f"/api/v1/members/{await s.throwaway_member()}", None


async def _member_roles_read(s: Scene) -> Request:
    return f"/api/v1/members/{await s.throwaway_member()}/roles", None


async def _member_roles(s: Scene) -> Request:
    return f"/api/v1/members/{await s.throwaway_member()}/roles", {"role_ids": []}


async def _invite(s: Scene) -> Request:
    return "/api/v1/invitations", {"email": unique_email("matrix"), "role": "member"}


async def _invitation_delete(s: Scene) -> Request:
    made = await s.owner.post(
        "/api/v1/invitations", json={"email": unique_email(), "role": "member"}
    )
    return f"/api/v1/invitations/{made.json()['id']}", None


async def _token_delete(s: Scene) -> Request:
    made = await s.actor.post("/api/v1/tokens", json={"name": "to revoke"})
    return f"/api/v1/tokens/{made.json()['token']['id']}", None


async def _history(s: Scene) -> Request:
    return f"/api/v1/audit/records/identity_membership/{await s.membership_id(s.owner)}", None


async def _enable_pins(s: Scene) -> Request:
    await s.owner.post("/api/v1/modules/pins/disable")
    return "/api/v1/modules/pins/enable", None


async def _disable_pins(s: Scene) -> Request:
    await s.owner.post("/api/v1/modules/pins/enable")
    return "/api/v1/modules/pins/disable", None


async def _purge_pins(s: Scene) -> Request:
    await s.owner.post("/api/v1/modules/pins/disable")
    return "/api/v1/modules/pins/purge", {"confirm": s.owner.slug}


async def _role_id(s: Scene) -> str:
    made = await s.owner.post("/api/v1/roles", json={"name": f"Role {uuid.uuid4().hex[:8]}"})
    return str(made.json()["id"])


async def _role(s: Scene) -> Request:
    return f"/api/v1/roles/{await _role_id(s)}", None


async def _role_patch(s: Scene) -> Request:
    return f"/api/v1/roles/{await _role_id(s)}", {"description": "changed"}


async def _new_role(s: Scene) -> Request:
    return "/api/v1/roles", {"name": f"Role {uuid.uuid4().hex[:8]}"}


async def _note(s: Scene) -> str:
    made = await s.actor.post("/api/v1/notes/notes", json={"title": f"N {uuid.uuid4().hex[:8]}"})
    return str(made.json()["id"])


async def _note_get(s: Scene) -> Request:
    return f"/api/v1/notes/notes/{await _note(s)}", None


async def _note_patch(s: Scene) -> Request:
    return f"/api/v1/notes/notes/{await _note(s)}", {"body": "edited"}


async def _note_share(s: Scene) -> Request:
    return f"/api/v1/notes/notes/{await _note(s)}/share", {"user_id": s.owner.user_id}


async def _new_note(s: Scene) -> Request:
    return "/api/v1/notes/notes", {"title": f"N {uuid.uuid4().hex[:8]}"}


async def _pins(s: Scene) -> Request:
    await s.owner.post("/api/v1/modules/pins/enable")
    return "/api/v1/pins", None


async def _binned_by(who: SignedUp) -> str:
    made = await who.post("/api/v1/notes/notes", json={"title": f"B {uuid.uuid4().hex[:8]}"})
    await who.delete(f"/api/v1/notes/notes/{made.json()['id']}")
    items = (await who.get("/api/v1/recycle-bin", params={"limit": 1})).json()["items"]
    return str(items[0]["id"])


async def _restore(s: Scene) -> Request:
    return f"/api/v1/recycle-bin/{await _binned_by(s.actor)}/restore", None


async def _purge_item(s: Scene) -> Request:
    return f"/api/v1/recycle-bin/{await _binned_by(s.owner)}", None


async def _dead_letter(s: Scene) -> str:
    """A failed delivery, as a worker records it (no worker runs against this database)."""
    assert s.server.settings.database_url
    conn = await asyncpg.connect(plain_url(s.server.settings.database_url))
    try:
        await conn.execute("SELECT set_config('tessera.tenant_id', $1, false)", s.owner.tenant_id)
        letter_id = uuid.uuid4()
        await conn.execute(
            "INSERT INTO event_dead_letter (tenant_id, id, event_id, event_type, handler, payload,"
            " occurred_at, attempts, error) VALUES ($1, $2, $3, 'notes.note.created',"
            " 'notes:record_creation', '{}', now(), 1, 'RuntimeError: boom')",
            uuid.UUID(s.owner.tenant_id),
            letter_id,
            uuid.uuid4(),
        )
    finally:
        await conn.close()
    return str(letter_id)


async def _letter(s: Scene) -> Request:
    return f"/api/v1/events/dead-letters/{await _dead_letter(s)}", None


async def _letter_retry(s: Scene) -> Request:
    return f"/api/v1/events/dead-letters/{await _dead_letter(s)}/retry", None


async def _job(s: Scene) -> Request:
    started = await s.actor.post("/api/v1/notes/notes/recount")
    return f"/api/v1/jobs/{started.json()['job_id']}", None


#: A public address (no DNS in tests); nothing is sent to it while registering.
HOOK_URL = "https://93.184.215.14/hook"


async def _endpoint(s: Scene) -> str:
    made = await s.owner.post("/api/v1/webhooks", json={"url": HOOK_URL, "event_types": ["*"]})
    assert made.status_code == 201, made.text
    return str(made.json()["endpoint"]["id"])


async def _webhook(s: Scene) -> Request:
    return f"/api/v1/webhooks/{await _endpoint(s)}", None


async def _webhook_patch(s: Scene) -> Request:
    return f"/api/v1/webhooks/{await _endpoint(s)}", {"description": "changed"}


async def _webhook_rotate(s: Scene) -> Request:
    return f"/api/v1/webhooks/{await _endpoint(s)}/rotate-secret", None


async def _webhook_deliveries(s: Scene) -> Request:
    return f"/api/v1/webhooks/{await _endpoint(s)}/deliveries", None


async def _notification(s: Scene) -> Request:
    """A notification for the actor, as a handler writes it (no worker runs here)."""
    assert s.server.settings.database_url
    conn = await asyncpg.connect(plain_url(s.server.settings.database_url))
    try:
        await conn.execute("SELECT set_config('tessera.tenant_id', $1, false)", s.owner.tenant_id)
        notification_id = uuid.uuid4()
        await conn.execute(
            "INSERT INTO notification (tenant_id, id, user_id, type, title, body, in_app,"
            " email_wanted) VALUES ($1, $2, $3, 'notes.shared', 'Hello', '', true, false)",
            uuid.UUID(s.owner.tenant_id),
            notification_id,
            uuid.UUID(s.actor.user_id),
        )
    finally:
        await conn.close()
    return f"/api/v1/notifications/{notification_id}/read", None


# --- Expenses and workflow ------------------------------------------------------------------

WORKFLOW = "/api/v1/workflow"
CLAIM_WRITE = "expenses.claim.write"


async def _claim_by(who: SignedUp) -> str:
    made = await who.post(
        "/api/v1/expenses/claims",
        json={"title": f"C {uuid.uuid4().hex[:8]}", "amount": "10", "department": "x"},
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _claim_get(s: Scene) -> Request:
    return f"/api/v1/expenses/claims/{await _claim_by(s.owner)}", None


async def _claim_patch(s: Scene) -> Request:
    return f"/api/v1/expenses/claims/{await _claim_by(s.owner)}", {"title": "edited"}


RECEIPTS = "/api/v1/expenses"


async def _file_by(who: SignedUp) -> str:
    made = await who.post(f"{RECEIPTS}/files", params={"filename": "r.txt"}, content=b"receipt")
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _receipt_by(who: SignedUp) -> str:
    claim = await _claim_by(who)
    made = await who.post(
        f"{RECEIPTS}/claims/{claim}/receipts", params={"filename": "r.txt"}, content=b"receipt"
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _receipt_upload(s: Scene) -> Request:
    # An empty body is an empty file: the name in the query is all an upload needs.
    return f"{RECEIPTS}/claims/{await _claim_by(s.owner)}/receipts?filename=r.txt", None


async def _receipt_attach(s: Scene) -> Request:
    claim, file_id = await _claim_by(s.owner), await _file_by(s.owner)
    return f"{RECEIPTS}/claims/{claim}/receipts/attach", {"file_id": file_id}


async def _receipts(s: Scene) -> Request:
    return f"{RECEIPTS}/claims/{await _claim_by(s.owner)}/receipts", None


async def _receipt(s: Scene) -> Request:
    return f"{RECEIPTS}/receipts/{await _receipt_by(s.owner)}", None


async def _receipt_content(s: Scene) -> Request:
    return f"{RECEIPTS}/receipts/{await _receipt_by(s.owner)}/content", None


async def _receipt_replace(s: Scene) -> Request:
    return f"{RECEIPTS}/receipts/{await _receipt_by(s.owner)}/replace?filename=r2.txt", None


async def _file_get(s: Scene) -> Request:
    return f"{RECEIPTS}/files/{await _file_by(s.owner)}", None


async def _deactivate_all(s: Scene) -> None:
    listed = (await s.owner.get(f"{WORKFLOW}/definitions", params={"limit": 200})).json()
    for item in listed["items"]:
        if item["active"]:
            await s.owner.post(f"{WORKFLOW}/definitions/{item['id']}/deactivate")


async def _workflow(s: Scene) -> str:
    """The scene's workflow, active: any one of the actor, the owner or a helper approves."""
    await _deactivate_all(s)
    if "definition" not in s.workflow:
        s.workflow["helper"] = await s.throwaway_member()
        made = await s.owner.post(
            f"{WORKFLOW}/definitions",
            json={
                "key": "matrix",
                "record_type": "expenses.claim",
                "name": "Matrix",
                "steps": [_matrix_step(s)],
            },
        )
        assert made.status_code == 201, made.text
        s.workflow["definition"] = made.json()["id"]
    else:
        await s.owner.post(f"{WORKFLOW}/definitions/{s.workflow['definition']}/activate")
    return s.workflow["definition"]


def _matrix_step(s: Scene) -> dict[str, Any]:
    users = [s.actor.user_id, s.owner.user_id, s.workflow["helper"]]
    return {"name": "Anyone", "approvers": "users", "users": users}


async def _submitted_by(who: SignedUp) -> dict[str, Any]:
    claim = await _claim_by(who)
    made = await who.post(
        f"{WORKFLOW}/submissions", json={"record_type": "expenses.claim", "record_id": claim}
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def _awaiting_actor(s: Scene) -> dict[str, Any]:
    """An approval waiting for the actor: the owner submits (an admin, when the actor is the
    owner)."""
    await _workflow(s)
    if s.actor is not s.owner:
        return await _submitted_by(s.owner)
    async with make_client(s.server) as client:
        requester = await join(s.server, s.owner, client, role="admin")
        return await _submitted_by(requester)


def _actors_task_in(instance: dict[str, Any], s: Scene) -> str:
    return str(next(t["id"] for t in instance["tasks"] if t["assignee_user_id"] == s.actor.user_id))


async def _actors_task(s: Scene) -> str:
    """A pending task of the actor's."""
    return _actors_task_in(await _awaiting_actor(s), s)


async def _approval(s: Scene) -> Request:
    """One approval in full, as an approver of it reads it."""
    return f"{WORKFLOW}/instances/{(await _awaiting_actor(s))['id']}", None


async def _approval_file(s: Scene) -> Request:
    """A file the actor attached to a comment on an approval they decide."""
    instance = await _awaiting_actor(s)
    uploaded = await s.actor.client.post(
        f"{WORKFLOW}/attachments",
        params={"filename": "note.txt"},
        content=b"note",
        headers=s.actor.headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    file_id = uploaded.json()["id"]
    commented = await s.actor.post(
        f"{WORKFLOW}/tasks/{_actors_task_in(instance, s)}/comment",
        json={"comment": "see the note", "attachments": [file_id]},
    )
    assert commented.status_code == 200, commented.text
    return f"{WORKFLOW}/instances/{instance['id']}/attachments/{file_id}", None


def _task_action(action: str, body: dict[str, Any] | None = None) -> Build:
    async def build(s: Scene) -> Request:
        return f"{WORKFLOW}/tasks/{await _actors_task(s)}/{action}", body

    return build


async def _delegate(s: Scene) -> Request:
    task = await _actors_task(s)
    return f"{WORKFLOW}/tasks/{task}/delegate", {"user_id": await s.throwaway_member()}


async def _submission(s: Scene) -> Request:
    await _workflow(s)
    return f"{WORKFLOW}/submissions", {
        "record_type": "expenses.claim",
        "record_id": await _claim_by(s.owner),
    }


async def _cancel(s: Scene) -> Request:
    """The actor's own request when they may submit; otherwise the owner's."""
    await _workflow(s)
    requester = s.actor if CLAIM_WRITE in s.grants else s.owner
    return f"{WORKFLOW}/instances/{(await _submitted_by(requester))['id']}/cancel", None


async def _approval_history(s: Scene) -> Request:
    await _workflow(s)
    claim = (await _submitted_by(s.owner))["record_id"]
    return f"{WORKFLOW}/records/expenses.claim/{claim}/history", None


async def _definition(s: Scene) -> Request:
    return f"{WORKFLOW}/definitions/{await _workflow(s)}", None


async def _definition_put(s: Scene) -> Request:
    path = f"{WORKFLOW}/definitions/{await _workflow(s)}"
    return path, {"name": "Matrix", "steps": [_matrix_step(s)]}


async def _new_definition(s: Scene) -> Request:
    await _workflow(s)
    await _deactivate_all(s)
    key = f"k-{uuid.uuid4().hex[:8]}"
    step = {"name": "Owner", "approvers": "users", "users": [s.owner.user_id]}
    return f"{WORKFLOW}/definitions", {
        "key": key, "record_type": "expenses.claim", "name": key, "steps": [step],
    }  # fmt: skip


async def _versions(s: Scene) -> Request:
    return f"{WORKFLOW}/definitions/{await _workflow(s)}/versions", None


async def _deactivate(s: Scene) -> Request:
    return f"{WORKFLOW}/definitions/{await _workflow(s)}/deactivate", None


async def _activate(s: Scene) -> Request:
    definition = await _workflow(s)
    await _deactivate_all(s)
    return f"{WORKFLOW}/definitions/{definition}/activate", None


#: Routes whose permission depends on the record type in the request (the approvable's submit
#: permission, checked by the service): for the expenses plugin's claims, this one.
RECORD_TYPE_PERMISSIONS = {
    ("POST", "/api/v1/workflow/submissions"): CLAIM_WRITE,
    # Only the requester cancels, and only holders of the submit permission request.
    ("POST", "/api/v1/workflow/instances/{instance_id:uuid}/cancel"): CLAIM_WRITE,
}


async def _crm(s: Scene, kind: str, body: dict[str, Any]) -> str:
    made = await s.actor.post(f"/api/v1/crm/{kind}", json={**body, "allow_duplicate": True})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _account(s: Scene) -> Request:
    return f"/api/v1/crm/accounts/{await _crm(s, 'accounts', {'name': 'Acme'})}", None


async def _account_detail(s: Scene) -> Request:
    return f"/api/v1/crm/accounts/{await _crm(s, 'accounts', {'name': 'Acme'})}/detail", None


async def _account_patch(s: Scene) -> Request:
    path, _ = await _account(s)
    return path, {"notes": "changed"}


async def _contact(s: Scene) -> Request:
    return f"/api/v1/crm/contacts/{await _crm(s, 'contacts', {'last_name': 'Lovelace'})}", None


async def _contact_patch(s: Scene) -> Request:
    path, _ = await _contact(s)
    return path, {"title": "Countess"}


async def _deal(s: Scene) -> str:
    made = await s.actor.post(
        "/api/v1/crm/deals", json={"name": "Deal", "amount": "10", "currency": "EUR"}
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _deal_get(s: Scene) -> Request:
    return f"/api/v1/crm/deals/{await _deal(s)}", None


async def _deal_patch(s: Scene) -> Request:
    return f"/api/v1/crm/deals/{await _deal(s)}", {"amount": "20"}


async def _deal_won(s: Scene) -> Request:
    return f"/api/v1/crm/deals/{await _deal(s)}/won", None


async def _deal_lost(s: Scene) -> Request:
    return f"/api/v1/crm/deals/{await _deal(s)}/lost", {"reason": "Price"}


async def _deal_submit(s: Scene) -> Request:
    """A deal of the actor's discounted beyond the threshold; the actor has a manager to ask."""
    managed = await s.owner.client.patch(
        f"/api/v1/members/{await s.membership_id(s.actor)}",
        json={"manager_id": await s.throwaway_member()},
        headers=s.owner.headers,
    )
    assert managed.status_code == 200, managed.text
    made = await s.actor.post(
        "/api/v1/crm/deals",
        json={"name": "Deal", "amount": "10", "currency": "EUR", "discount": "20"},
    )
    assert made.status_code == 201, made.text
    return f"/api/v1/crm/deals/{made.json()['id']}/submit-for-approval", None


async def _stage(s: Scene) -> Request:
    pipelines = (await s.owner.get("/api/v1/crm/pipelines")).json()
    default = next(p for p in pipelines if p["is_default"])
    return f"/api/v1/crm/stages/{default['stages'][0]['id']}", None


async def _account_merge(s: Scene) -> Request:
    survivor = await _crm(s, "accounts", {"name": "Acme"})
    return f"/api/v1/crm/accounts/{survivor}/merge", {
        "duplicate_id": await _crm(s, "accounts", {"name": "Acme"})
    }


async def _contact_merge(s: Scene) -> Request:
    survivor = await _crm(s, "contacts", {"last_name": "Lovelace"})
    return f"/api/v1/crm/contacts/{survivor}/merge", {
        "duplicate_id": await _crm(s, "contacts", {"last_name": "Lovelace"})
    }


async def _pipeline(s: Scene) -> Request:
    pipelines = (await s.owner.get("/api/v1/crm/pipelines")).json()
    default = next(p for p in pipelines if p["is_default"])
    return f"/api/v1/crm/pipelines/{default['id']}", None


async def _lead(s: Scene, who: SignedUp | None = None, **fields: Any) -> str:
    made = await (who or s.actor).post(
        "/api/v1/crm/leads", json={"last_name": "Matrix", "allow_duplicate": True, **fields}
    )
    assert made.status_code == 201, made.text
    return f"/api/v1/crm/leads/{made.json()['id']}"


async def _lead_get(s: Scene) -> Request:
    return await _lead(s), None


async def _lead_patch(s: Scene) -> Request:
    return await _lead(s), {"status": "contacted"}


async def _lead_claim(s: Scene) -> Request:
    return f"{await _lead(s, s.owner, pool=True)}/claim", None


async def _lead_release(s: Scene) -> Request:
    return f"{await _lead(s)}/release", None


async def _lead_assign(s: Scene) -> Request:
    return f"{await _lead(s, s.owner, pool=True)}/assign", {"owner_id": s.actor.user_id}


async def _lead_convert(s: Scene) -> Request:
    path = await _lead(s, company="Matrix Co")
    return f"{path}/convert", {"account": {"allow_duplicate": True}}


CRM_RULES = {"lead_pool_days": 30, "discount_threshold": "15", "default_currency": "USD"}


async def _activity(s: Scene) -> str:
    account_id = await _crm(s, "accounts", {"name": "Acme"})
    made = await s.actor.post(
        "/api/v1/crm/activities",
        json={"kind": "call", "subject": "Call", "record_type": "account", "record_id": account_id},
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _activity_get(s: Scene) -> Request:
    return f"/api/v1/crm/activities/{await _activity(s)}", None


async def _activity_patch(s: Scene) -> Request:
    return f"/api/v1/crm/activities/{await _activity(s)}", {"subject": "Changed"}


async def _activity_complete(s: Scene) -> Request:
    return f"/api/v1/crm/activities/{await _activity(s)}/complete", None


async def _new_activity(s: Scene) -> Request:
    account_id = await _crm(s, "accounts", {"name": "Acme"})
    body = {"kind": "task", "subject": "Do", "record_type": "account", "record_id": account_id}
    return "/api/v1/crm/activities", body


async def _ticket(s: Scene) -> str:
    made = await s.actor.post("/api/v1/crm/tickets", json={"subject": "Help"})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _ticket_get(s: Scene) -> Request:
    return f"/api/v1/crm/tickets/{await _ticket(s)}", None


async def _ticket_patch(s: Scene) -> Request:
    return f"/api/v1/crm/tickets/{await _ticket(s)}", {"status": "resolved"}


async def _ticket_timeline(s: Scene) -> Request:
    return f"/api/v1/crm/tickets/{await _ticket(s)}/timeline", None


async def _timeline(s: Scene) -> Request:
    return f"/api/v1/crm/accounts/{await _crm(s, 'accounts', {'name': 'Acme'})}/timeline", None


async def _account_facts(s: Scene) -> Request:
    return f"/api/v1/crm/accounts/{await _crm(s, 'accounts', {'name': 'Acme'})}/facts", None


async def _switch(s: Scene) -> Request:
    return "/api/v1/me/tenant", {"tenant": s.owner.slug}


#: (method, route path as the app declares it, how to make a valid request for it)

OA = "/api/v1/oa"
LEAVE = f"{OA}/leave"


def _unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


async def _department_id(s: Scene) -> str:
    made = await s.owner.post(f"{OA}/departments", json={"name": _unique("Dept")})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _department(s: Scene) -> Request:
    return f"{OA}/departments/{await _department_id(s)}", None


async def _department_patch(s: Scene) -> Request:
    path, _ = await _department(s)
    return path, {"name": _unique("Renamed")}


async def _department_members(s: Scene) -> Request:
    path, _ = await _department(s)
    return f"{path}/members", None


async def _place(s: Scene) -> Request:
    path, _ = await _department(s)
    return f"{path}/members/{s.actor.user_id}", None


async def _unplace(s: Scene) -> Request:
    path, _ = await _department(s)
    placed = await s.owner.client.put(f"{path}/members/{s.actor.user_id}", headers=s.owner.headers)
    assert placed.status_code == 200, placed.text
    return f"{path}/members/{s.actor.user_id}", None


async def _leave_type_id(s: Scene, name: str | None = None) -> str:
    if name is not None:
        listed = (await s.owner.get(f"{LEAVE}/types")).json()["items"]
        return str(next(t["id"] for t in listed if t["name"] == name))
    made = await s.owner.post(f"{LEAVE}/types", json={"name": _unique("Type")})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _leave_type(s: Scene) -> Request:
    return f"{LEAVE}/types/{await _leave_type_id(s)}", None


async def _leave_type_patch(s: Scene) -> Request:
    return f"{LEAVE}/types/{await _leave_type_id(s)}", {"yearly_days": "3"}


def _some_date(year: int) -> str:
    """A weekday of ``year`` no other case of the scene takes (most likely)."""
    offset = uuid.uuid4().int % 250
    day = date(year, 1, 1) + timedelta(days=offset)
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return day.isoformat()


async def _holiday(s: Scene) -> Request:
    day = date(2100, 1, 1) + timedelta(days=uuid.uuid4().int % 30000)
    made = await s.owner.post(f"{LEAVE}/holidays", json={"date": str(day), "name": "Holiday"})
    assert made.status_code == 201, made.text
    return f"{LEAVE}/holidays/{made.json()['id']}", None


async def _allocation(s: Scene) -> Request:
    body = {
        "user_id": s.actor.user_id,
        "leave_type_id": await _leave_type_id(s, "Annual leave"),
        "year": 2150,
        "entitled_days": "5",
    }
    return f"{LEAVE}/allocations", body


async def _bulk_allocation(s: Scene) -> Request:
    body = {
        "leave_type_id": await _leave_type_id(s, "Sick leave"),
        "year": 2150,
        "entitled_days": "5",
    }
    return f"{LEAVE}/allocations/bulk", body


async def _year_end(s: Scene) -> Request:
    return f"{LEAVE}/year-end", {"year": 2100 + uuid.uuid4().int % 99}


async def _leave_body(s: Scene) -> dict[str, Any]:
    """Unpaid leave (no allocation needed) on a free day; the actor has a manager to ask."""
    managed = await s.owner.client.patch(
        f"/api/v1/members/{await s.membership_id(s.actor)}",
        json={"manager_id": await s.throwaway_member()},
        headers=s.owner.headers,
    )
    assert managed.status_code == 200, managed.text
    # The workflow cases before may have switched every definition off: the leave one back on.
    listed = (await s.owner.get(f"{WORKFLOW}/definitions", params={"limit": 200})).json()
    for item in listed["items"]:
        if item["record_type"] == "oa.leave_request" and not item["active"]:
            await s.owner.post(f"{WORKFLOW}/definitions/{item['id']}/activate")
    day = _some_date(2160 + uuid.uuid4().int % 30)
    unpaid = await _leave_type_id(s, "Unpaid leave")
    return {"leave_type_id": unpaid, "start_date": day, "end_date": day}


async def _new_leave(s: Scene) -> Request:
    return f"{LEAVE}/requests", await _leave_body(s)


async def _leave_request_id(s: Scene) -> str:
    made = await s.actor.post(f"{LEAVE}/requests", json=await _leave_body(s))
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _leave_request(s: Scene) -> Request:
    return f"{LEAVE}/requests/{await _leave_request_id(s)}", None


async def _leave_withdraw(s: Scene) -> Request:
    return f"{LEAVE}/requests/{await _leave_request_id(s)}/withdraw", None


async def _leave_cancel(s: Scene) -> Request:
    return f"{LEAVE}/requests/{await _leave_request_id(s)}/cancel", None


async def _absence(s: Scene) -> Request:
    return f"{LEAVE}/absences/{await _leave_request_id(s)}", None


CASES: list[tuple[str, str, Build]] = [
    ("GET", "/api/v1/me", fixed("/api/v1/me")),
    ("GET", "/api/v1/me/tenants", fixed("/api/v1/me/tenants")),
    ("POST", "/api/v1/me/tenant", _switch),
    ("POST", "/api/v1/auth/verify-email/resend", fixed("/api/v1/auth/verify-email/resend")),
    ("GET", "/api/v1/members", fixed("/api/v1/members")),
    ("PATCH", "/api/v1/members/{membership_id:uuid}", _member_patch),
    ("DELETE", "/api/v1/members/{membership_id:uuid}", _member_delete),
    ("GET", "/api/v1/members/{membership_id:uuid}/roles", _member_roles_read),
    ("PUT", "/api/v1/members/{membership_id:uuid}/roles", _member_roles),
    ("POST", "/api/v1/invitations", _invite),
    ("GET", "/api/v1/invitations", fixed("/api/v1/invitations")),
    ("DELETE", "/api/v1/invitations/{invitation_id:uuid}", _invitation_delete),
    ("POST", "/api/v1/tokens", fixed("/api/v1/tokens", {"name": "matrix"})),
    ("GET", "/api/v1/tokens", fixed("/api/v1/tokens")),
    ("DELETE", "/api/v1/tokens/{token_id:uuid}", _token_delete),
    ("GET", "/api/v1/audit", fixed("/api/v1/audit")),
    ("GET", "/api/v1/audit/records/{record_type:str}/{record_id:str}", _history),
    ("GET", "/api/v1/audit/export", fixed("/api/v1/audit/export")),
    ("GET", "/api/v1/plugins", fixed("/api/v1/plugins")),
    ("GET", "/api/v1/modules", fixed("/api/v1/modules")),
    ("POST", "/api/v1/modules/{name:str}/enable", _enable_pins),
    ("POST", "/api/v1/modules/{name:str}/disable", _disable_pins),
    ("POST", "/api/v1/modules/{name:str}/purge", _purge_pins),
    ("GET", "/api/v1/ui/menus", fixed("/api/v1/ui/menus")),
    ("GET", "/api/v1/ui/resources", fixed("/api/v1/ui/resources")),
    ("GET", "/api/v1/ui/dashboards", fixed("/api/v1/ui/dashboards")),
    ("GET", "/api/v1/permissions", fixed("/api/v1/permissions")),
    ("GET", "/api/v1/roles", fixed("/api/v1/roles")),
    ("POST", "/api/v1/roles", _new_role),
    ("GET", "/api/v1/roles/{role_id:uuid}", _role),
    ("PATCH", "/api/v1/roles/{role_id:uuid}", _role_patch),
    ("DELETE", "/api/v1/roles/{role_id:uuid}", _role),
    ("GET", "/api/v1/notes/notes", fixed("/api/v1/notes/notes")),
    ("POST", "/api/v1/notes/notes", _new_note),
    ("GET", "/api/v1/notes/notes/{note_id:uuid}", _note_get),
    ("PATCH", "/api/v1/notes/notes/{note_id:uuid}", _note_patch),
    ("DELETE", "/api/v1/notes/notes/{note_id:uuid}", _note_get),
    ("POST", "/api/v1/notes/notes/recount", fixed("/api/v1/notes/notes/recount")),
    ("POST", "/api/v1/notes/notes/{note_id:uuid}/share", _note_share),
    ("GET", "/api/v1/pins", _pins),
    ("GET", "/api/v1/crm/accounts", fixed("/api/v1/crm/accounts")),
    (
        "POST",
        "/api/v1/crm/accounts",
        fixed("/api/v1/crm/accounts", {"name": "Matrix", "allow_duplicate": True}),
    ),
    ("GET", "/api/v1/crm/accounts/{account_id:uuid}", _account),
    ("GET", "/api/v1/crm/accounts/{account_id:uuid}/detail", _account_detail),
    ("GET", "/api/v1/crm/search", fixed("/api/v1/crm/search?q=acme")),
    ("PATCH", "/api/v1/crm/accounts/{account_id:uuid}", _account_patch),
    ("DELETE", "/api/v1/crm/accounts/{account_id:uuid}", _account),
    ("POST", "/api/v1/crm/accounts/{account_id:uuid}/merge", _account_merge),
    ("GET", "/api/v1/crm/accounts/export", fixed("/api/v1/crm/accounts/export")),
    (
        "POST",
        "/api/v1/crm/imports/{kind:str}",
        fixed(
            "/api/v1/crm/imports/accounts",
            {"format": "csv", "content": "Name\nMatrix\n", "on_duplicate": "create"},
        ),
    ),
    ("GET", "/api/v1/crm/pipelines", fixed("/api/v1/crm/pipelines")),
    (
        "POST",
        "/api/v1/crm/pipelines",
        fixed(
            "/api/v1/crm/pipelines", {"name": "Matrix", "stages": [{"name": "A", "probability": 5}]}
        ),
    ),
    ("GET", "/api/v1/crm/pipelines/{pipeline_id:uuid}", _pipeline),
    ("GET", "/api/v1/crm/deals", fixed("/api/v1/crm/deals")),
    (
        "POST",
        "/api/v1/crm/deals",
        fixed("/api/v1/crm/deals", {"name": "Matrix", "amount": "1", "currency": "USD"}),
    ),
    ("GET", "/api/v1/crm/deals/{deal_id:uuid}", _deal_get),
    ("PATCH", "/api/v1/crm/deals/{deal_id:uuid}", _deal_patch),
    ("POST", "/api/v1/crm/deals/{deal_id:uuid}/won", _deal_won),
    ("POST", "/api/v1/crm/deals/{deal_id:uuid}/lost", _deal_lost),
    ("POST", "/api/v1/crm/deals/{deal_id:uuid}/submit-for-approval", _deal_submit),
    ("GET", "/api/v1/crm/stages", fixed("/api/v1/crm/stages")),
    ("GET", "/api/v1/crm/stages/{stage_id:uuid}", _stage),
    ("GET", "/api/v1/crm/reports/forecast", fixed("/api/v1/crm/reports/forecast")),
    ("GET", "/api/v1/crm/reports/funnel", fixed("/api/v1/crm/reports/funnel")),
    ("GET", "/api/v1/crm/reports/win-rate", fixed("/api/v1/crm/reports/win-rate")),
    ("GET", "/api/v1/crm/reports/pipeline-value", fixed("/api/v1/crm/reports/pipeline-value")),
    ("GET", "/api/v1/crm/reports/deals-won", fixed("/api/v1/crm/reports/deals-won")),
    ("GET", "/api/v1/crm/reports/activities", fixed("/api/v1/crm/reports/activities")),
    ("GET", "/api/v1/crm/deals/export", fixed("/api/v1/crm/deals/export")),
    ("GET", "/api/v1/crm/contacts", fixed("/api/v1/crm/contacts")),
    (
        "POST",
        "/api/v1/crm/contacts",
        fixed("/api/v1/crm/contacts", {"last_name": "Matrix", "allow_duplicate": True}),
    ),
    ("GET", "/api/v1/crm/contacts/{contact_id:uuid}", _contact),
    ("PATCH", "/api/v1/crm/contacts/{contact_id:uuid}", _contact_patch),
    ("DELETE", "/api/v1/crm/contacts/{contact_id:uuid}", _contact),
    ("GET", "/api/v1/crm/leads", fixed("/api/v1/crm/leads")),
    (
        "POST",
        "/api/v1/crm/leads",
        fixed("/api/v1/crm/leads", {"last_name": "Matrix", "allow_duplicate": True}),
    ),
    ("GET", "/api/v1/crm/leads/{lead_id:uuid}", _lead_get),
    ("PATCH", "/api/v1/crm/leads/{lead_id:uuid}", _lead_patch),
    ("DELETE", "/api/v1/crm/leads/{lead_id:uuid}", _lead_get),
    ("POST", "/api/v1/crm/leads/{lead_id:uuid}/claim", _lead_claim),
    ("POST", "/api/v1/crm/leads/{lead_id:uuid}/release", _lead_release),
    ("POST", "/api/v1/crm/leads/{lead_id:uuid}/assign", _lead_assign),
    ("POST", "/api/v1/crm/leads/{lead_id:uuid}/convert", _lead_convert),
    ("GET", "/api/v1/crm/settings", fixed("/api/v1/crm/settings")),
    ("PUT", "/api/v1/crm/settings", fixed("/api/v1/crm/settings", CRM_RULES)),
    ("GET", "/api/v1/crm/accounts/{account_id:uuid}/timeline", _timeline),
    ("GET", "/api/v1/crm/accounts/{account_id:uuid}/facts", _account_facts),
    ("GET", "/api/v1/crm/activities", fixed("/api/v1/crm/activities")),
    ("POST", "/api/v1/crm/activities", _new_activity),
    ("GET", "/api/v1/crm/activities/{activity_id:uuid}", _activity_get),
    ("PATCH", "/api/v1/crm/activities/{activity_id:uuid}", _activity_patch),
    ("POST", "/api/v1/crm/activities/{activity_id:uuid}/complete", _activity_complete),
    ("DELETE", "/api/v1/crm/activities/{activity_id:uuid}", _activity_get),
    ("GET", "/api/v1/crm/tickets", fixed("/api/v1/crm/tickets")),
    ("POST", "/api/v1/crm/tickets", fixed("/api/v1/crm/tickets", {"subject": "Matrix"})),
    ("GET", "/api/v1/crm/tickets/{ticket_id:uuid}", _ticket_get),
    ("PATCH", "/api/v1/crm/tickets/{ticket_id:uuid}", _ticket_patch),
    ("DELETE", "/api/v1/crm/tickets/{ticket_id:uuid}", _ticket_get),
    ("GET", "/api/v1/crm/tickets/{ticket_id:uuid}/timeline", _ticket_timeline),
    ("POST", "/api/v1/crm/contacts/{contact_id:uuid}/merge", _contact_merge),
    ("GET", "/api/v1/crm/contacts/export", fixed("/api/v1/crm/contacts/export")),
    ("GET", "/api/v1/events/types", fixed("/api/v1/events/types")),
    ("GET", "/api/v1/events/dead-letters", fixed("/api/v1/events/dead-letters")),
    ("GET", "/api/v1/events/dead-letters/{letter_id:uuid}", _letter),
    ("POST", "/api/v1/events/dead-letters/{letter_id:uuid}/retry", _letter_retry),
    ("DELETE", "/api/v1/events/dead-letters/{letter_id:uuid}", _letter),
    ("GET", "/api/v1/jobs", fixed("/api/v1/jobs")),
    (
        "POST",
        "/api/v1/webhooks",
        fixed("/api/v1/webhooks", {"url": HOOK_URL, "event_types": ["*"]}),
    ),
    ("GET", "/api/v1/webhooks", fixed("/api/v1/webhooks")),
    ("GET", "/api/v1/webhooks/{endpoint_id:uuid}", _webhook),
    ("PATCH", "/api/v1/webhooks/{endpoint_id:uuid}", _webhook_patch),
    ("DELETE", "/api/v1/webhooks/{endpoint_id:uuid}", _webhook),
    ("POST", "/api/v1/webhooks/{endpoint_id:uuid}/rotate-secret", _webhook_rotate),
    ("GET", "/api/v1/webhooks/{endpoint_id:uuid}/deliveries", _webhook_deliveries),
    ("GET", "/api/v1/notifications", fixed("/api/v1/notifications")),
    ("GET", "/api/v1/notifications/unread-count", fixed("/api/v1/notifications/unread-count")),
    ("POST", "/api/v1/notifications/{notification_id:uuid}/read", _notification),
    ("POST", "/api/v1/notifications/read-all", fixed("/api/v1/notifications/read-all")),
    ("GET", "/api/v1/notifications/preferences", fixed("/api/v1/notifications/preferences")),
    (
        "PUT",
        "/api/v1/notifications/preferences/{kind:str}",
        fixed("/api/v1/notifications/preferences/notes.shared", {"in_app": True, "email": True}),
    ),
    ("GET", "/api/v1/jobs/{job_id:uuid}", _job),
    (
        "POST",
        "/api/v1/expenses/claims",
        fixed("/api/v1/expenses/claims", {"title": "New", "amount": "5", "department": "x"}),
    ),
    ("GET", "/api/v1/expenses/claims/{claim_id:uuid}", _claim_get),
    ("PATCH", "/api/v1/expenses/claims/{claim_id:uuid}", _claim_patch),
    ("DELETE", "/api/v1/expenses/claims/{claim_id:uuid}", _claim_get),
    ("POST", "/api/v1/expenses/claims/{claim_id:uuid}/receipts", _receipt_upload),
    ("GET", "/api/v1/expenses/claims/{claim_id:uuid}/receipts", _receipts),
    ("POST", "/api/v1/expenses/claims/{claim_id:uuid}/receipts/attach", _receipt_attach),
    ("GET", "/api/v1/expenses/receipts/{receipt_id:uuid}/content", _receipt_content),
    ("POST", "/api/v1/expenses/receipts/{receipt_id:uuid}/replace", _receipt_replace),
    ("DELETE", "/api/v1/expenses/receipts/{receipt_id:uuid}", _receipt),
    ("POST", "/api/v1/expenses/files", fixed(f"{RECEIPTS}/files?filename=f.txt")),
    ("GET", "/api/v1/expenses/files/{file_id:uuid}", _file_get),
    ("GET", "/api/v1/storage/settings", fixed("/api/v1/storage/settings")),
    (
        "PUT",
        "/api/v1/storage/settings",
        fixed("/api/v1/storage/settings", {"max_file_bytes": 1 << 20}),
    ),
    ("GET", "/api/v1/company", fixed(COMPANY)),
    ("PATCH", "/api/v1/company", fixed(COMPANY, {"tax_id": "91310000MA1K4XYZ"})),
    ("PUT", "/api/v1/company/logo", _logo_upload),
    ("GET", "/api/v1/company/logo", _logo),
    ("DELETE", "/api/v1/company/logo", fixed(f"{COMPANY}/logo")),
    ("GET", "/api/v1/workflow/record-types", fixed(f"{WORKFLOW}/record-types")),
    ("GET", "/api/v1/workflow/reports/turnaround", fixed(f"{WORKFLOW}/reports/turnaround")),
    ("GET", "/api/v1/workflow/definitions", fixed(f"{WORKFLOW}/definitions")),
    ("POST", "/api/v1/workflow/definitions", _new_definition),
    ("GET", "/api/v1/workflow/definitions/{definition_id:uuid}", _definition),
    ("PUT", "/api/v1/workflow/definitions/{definition_id:uuid}", _definition_put),
    ("GET", "/api/v1/workflow/definitions/{definition_id:uuid}/versions", _versions),
    ("POST", "/api/v1/workflow/definitions/{definition_id:uuid}/deactivate", _deactivate),
    ("POST", "/api/v1/workflow/definitions/{definition_id:uuid}/activate", _activate),
    ("POST", "/api/v1/workflow/submissions", _submission),
    ("GET", "/api/v1/workflow/inbox", fixed(f"{WORKFLOW}/inbox")),
    ("GET", "/api/v1/workflow/done", fixed(f"{WORKFLOW}/done")),
    ("GET", "/api/v1/workflow/submissions", fixed(f"{WORKFLOW}/submissions")),
    ("GET", "/api/v1/workflow/copied", fixed(f"{WORKFLOW}/copied")),
    ("GET", "/api/v1/workflow/instances/{instance_id:uuid}", _approval),
    (
        "GET",
        "/api/v1/workflow/instances/{instance_id:uuid}/attachments/{file_id:uuid}",
        _approval_file,
    ),
    ("POST", "/api/v1/workflow/attachments", fixed(f"{WORKFLOW}/attachments?filename=a.txt")),
    ("POST", "/api/v1/workflow/tasks/{task_id:uuid}/approve", _task_action("approve")),
    ("POST", "/api/v1/workflow/tasks/{task_id:uuid}/reject", _task_action("reject")),
    ("POST", "/api/v1/workflow/tasks/{task_id:uuid}/return", _task_action("return")),
    ("POST", "/api/v1/workflow/tasks/{task_id:uuid}/delegate", _delegate),
    (
        "POST",
        "/api/v1/workflow/tasks/{task_id:uuid}/comment",
        _task_action("comment", {"comment": "noted"}),
    ),
    ("POST", "/api/v1/workflow/instances/{instance_id:uuid}/cancel", _cancel),
    (
        "GET",
        "/api/v1/workflow/records/{record_type:str}/{record_id:str}/history",
        _approval_history,
    ),
    ("POST", "/api/v1/workflow/escalations/run", fixed(f"{WORKFLOW}/escalations/run")),
    ("GET", f"{OA}/departments", fixed(f"{OA}/departments")),
    ("POST", f"{OA}/departments", fixed(f"{OA}/departments", {"name": "Matrix"})),
    ("GET", f"{OA}/departments/{{department_id:uuid}}", _department),
    ("PATCH", f"{OA}/departments/{{department_id:uuid}}", _department_patch),
    ("DELETE", f"{OA}/departments/{{department_id:uuid}}", _department),
    ("GET", f"{OA}/departments/{{department_id:uuid}}/members", _department_members),
    ("PUT", f"{OA}/departments/{{department_id:uuid}}/members/{{user_id:uuid}}", _place),
    ("DELETE", f"{OA}/departments/{{department_id:uuid}}/members/{{user_id:uuid}}", _unplace),
    ("GET", f"{LEAVE}/types", fixed(f"{LEAVE}/types")),
    ("POST", f"{LEAVE}/types", fixed(f"{LEAVE}/types", {"name": "Matrix leave"})),
    ("GET", f"{LEAVE}/types/{{type_id:uuid}}", _leave_type),
    ("PATCH", f"{LEAVE}/types/{{type_id:uuid}}", _leave_type_patch),
    ("DELETE", f"{LEAVE}/types/{{type_id:uuid}}", _leave_type),
    ("GET", f"{LEAVE}/settings", fixed(f"{LEAVE}/settings")),
    ("PUT", f"{LEAVE}/settings", fixed(f"{LEAVE}/settings", {"working_weekdays": [1, 2, 3, 4, 5]})),
    ("GET", f"{LEAVE}/holidays", fixed(f"{LEAVE}/holidays")),
    (
        "POST",
        f"{LEAVE}/holidays",
        fixed(f"{LEAVE}/holidays", {"date": "2099-12-25", "name": "Matrix Day"}),
    ),
    ("GET", f"{LEAVE}/holidays/{{holiday_id:uuid}}", _holiday),
    ("DELETE", f"{LEAVE}/holidays/{{holiday_id:uuid}}", _holiday),
    (
        "POST",
        f"{LEAVE}/holidays/import",
        fixed(
            f"{LEAVE}/holidays/import",
            {"format": "csv", "content": "date,name\n2098-12-26,Boxing Day\n"},
        ),
    ),
    ("GET", f"{LEAVE}/allocations", fixed(f"{LEAVE}/allocations")),
    ("PUT", f"{LEAVE}/allocations", _allocation),
    ("POST", f"{LEAVE}/allocations/bulk", _bulk_allocation),
    ("GET", f"{LEAVE}/balances", fixed(f"{LEAVE}/balances")),
    ("GET", f"{LEAVE}/reports/taken", fixed(f"{LEAVE}/reports/taken")),
    ("GET", f"{OA}/reports/approval-turnaround", fixed(f"{OA}/reports/approval-turnaround")),
    ("POST", f"{LEAVE}/year-end", _year_end),
    ("GET", f"{LEAVE}/requests", fixed(f"{LEAVE}/requests")),
    ("POST", f"{LEAVE}/requests", _new_leave),
    (
        "GET",
        f"{LEAVE}/requests/days",
        fixed(f"{LEAVE}/requests/days?start_date=2031-03-03&end_date=2031-03-07"),
    ),
    ("GET", f"{LEAVE}/requests/{{request_id:uuid}}", _leave_request),
    ("POST", f"{LEAVE}/requests/{{request_id:uuid}}/withdraw", _leave_withdraw),
    ("POST", f"{LEAVE}/requests/{{request_id:uuid}}/cancel", _leave_cancel),
    ("GET", f"{LEAVE}/team-calendar", fixed(f"{LEAVE}/team-calendar")),
    ("GET", f"{LEAVE}/absences", fixed(f"{LEAVE}/absences")),
    ("GET", f"{LEAVE}/absences/{{request_id:uuid}}", _absence),
    ("GET", "/api/v1/recycle-bin", fixed("/api/v1/recycle-bin")),
    ("POST", "/api/v1/recycle-bin/{item_id:uuid}/restore", _restore),
    ("DELETE", "/api/v1/recycle-bin/{item_id:uuid}", _purge_item),
    # Last: it ends the session the other cases use.
    ("POST", "/api/v1/auth/logout", fixed("/api/v1/auth/logout")),
]
# Before the logout, which ends the session.
OFFICE_CASES: list[tuple[str, str, Build]] = [
    *EXPENSE_CASES,
    *BILL_CASES,
    *CALENDAR_CASES,
    *DOCUMENT_CASES,
    *TASK_CASES,
    *REQUEST_CASES,
]
ERP_CASES: list[tuple[str, str, Build]] = [
    *ACCOUNTING_CASES,
    *DOCS_CASES,
    *INVENTORY_CASES,
    *SALES_PURCHASE_CASES,
]
#: The matrix runs in three parts, each in a scene of its own, so that workers share it out.
#: The platform's part ends with the logout, which ends the session the other cases use.
CASE_GROUPS: dict[str, list[tuple[str, str, Build]]] = {
    "platform": CASES,
    "office": OFFICE_CASES,
    "erp": ERP_CASES,
}
CASES = [*CASES[:-1], *OFFICE_CASES, *ERP_CASES, CASES[-1]]


#: In dependency order: each is enabled after what it needs.
ERP_MODULES = ("accounting", "inventory", "sales_purchase")


def signed_in_routes(server: LiveServer) -> dict[tuple[str, str], str | None]:
    """(method, path) -> declared permission, for every route that needs a signed-in caller."""
    routes: dict[tuple[str, str], str | None] = {}
    for route in server.app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not set(inspect.signature(handler.fn).parameters) & ACTOR_PARAMETERS:
                continue
            for method in handler.http_methods - {"OPTIONS", "HEAD"}:
                routes[(method, route.path.rstrip("/") or "/")] = handler.opt.get("requires")
    return routes


def test_every_signed_in_route_is_in_the_matrix(live_server: LiveServer) -> None:
    declared = set(signed_in_routes(live_server))
    covered = {(method, path) for method, path, _ in CASES}
    assert declared - covered == set(), "routes missing from the permission matrix"
    assert covered - declared == set(), "matrix cases for routes that do not exist"


async def _scene(
    server: LiveServer, role: str, owner_client: httpx.AsyncClient, client: httpx.AsyncClient
) -> Scene:
    owner = await sign_up(owner_client)
    await owner.post("/api/v1/modules/notes/enable")
    await owner.post("/api/v1/modules/expenses/enable")
    await owner.post("/api/v1/modules/oa/enable")
    crm = await owner.post("/api/v1/modules/crm/enable")
    assert crm.status_code == 200, crm.text
    oa = await owner.post("/api/v1/modules/oa/enable")
    assert oa.status_code == 200, oa.text
    for erp in ERP_MODULES:
        enabled = await owner.post(f"/api/v1/modules/{erp}/enable")
        assert enabled.status_code == 200, enabled.text
    if role == "owner":
        actor = owner
    else:
        actor = await join(server, owner, client, role="member" if role == "custom" else role)
    if role == "custom":
        made = await owner.post("/api/v1/roles", json={"name": "Auditor", "grants": CUSTOM_GRANTS})
        assert made.status_code == 201, made.text
        members = (await owner.get("/api/v1/members")).json()["items"]
        membership = next(m["id"] for m in members if m["user_id"] == actor.user_id)
        assigned = await owner.client.put(
            f"/api/v1/members/{membership}/roles",
            json={"role_ids": [made.json()["id"]]},
            headers=owner.headers,
        )
        assert assigned.status_code == 200, assigned.text
    grants = (await actor.get("/api/v1/me")).json()["permissions"]
    return Scene(server, owner, actor, grants)


@pytest.mark.parametrize("group", CASE_GROUPS)
@pytest.mark.parametrize("role", ROLES)
async def test_each_route_answers_as_its_permission_declares(
    live_server: LiveServer, role: str, group: str
) -> None:
    declared = signed_in_routes(live_server)
    async with make_client(live_server) as owner_client, make_client(live_server) as client:
        scene = await _scene(live_server, role, owner_client, client)
        if role == "custom":
            assert scene.grants["audit.entry.read"] == "all"
            assert scene.grants["notes.note.read"] == "all"
        failures, refused = [], 0
        for method, path, build in CASE_GROUPS[group]:
            url, body = await build(scene)
            response = await scene.actor.client.request(
                method, url, headers=scene.actor.headers, **sent(body)
            )
            permission = declared[(method, path)] or RECORD_TYPE_PERMISSIONS.get((method, path))
            allowed = permission is None or permission in scene.grants
            ok = response.is_success if allowed else response.status_code == 403
            refused += not allowed
            if not ok:
                failures.append(
                    f"{method} {path} needs {permission or 'no permission'}: "
                    f"{role} got {response.status_code} {response.text[:200]}"
                )
        assert failures == []
    # The matrix is not vacuous: the owner is refused nowhere, the narrower roles somewhere
    # among the platform's routes (an admin may well do everything a module offers).
    if role == "owner" or group == "platform":
        assert (refused == 0) == (role == "owner")


#: Routes that take an id. Module names, notification types and import kinds are not ids
#: (every tenant may switch every module; every member chooses how to hear of every type; every
#: tenant imports into the same kinds).
ID_ROUTES = [
    (m, p)
    for m, p, _ in CASES
    if "{" in p and not any(part in p for part in ("/modules/", "/preferences/", "/imports/"))
]


@pytest.mark.parametrize(("method", "path"), ID_ROUTES)
async def test_another_tenants_ids_are_not_found(
    live_server: LiveServer, method: str, path: str
) -> None:
    async with (
        make_client(live_server) as client_a,
        make_client(live_server) as client_b,
        make_client(live_server) as client_b2,
    ):
        owner_a = await sign_up(client_a)
        await owner_a.post("/api/v1/modules/notes/enable")
        await owner_a.post("/api/v1/modules/expenses/enable")
        await owner_a.post("/api/v1/modules/crm/enable")
        await owner_a.post("/api/v1/modules/oa/enable")
        for erp in ERP_MODULES:
            await owner_a.post(f"/api/v1/modules/{erp}/enable")
        scene_b = await _scene(live_server, "owner", client_b, client_b2)
        build = next(b for m, p, b in CASES if (m, p) == (method, path))
        url, body = await build(scene_b)
        response = await client_a.request(method, url, headers=owner_a.headers, **sent(body))
        assert response.status_code == 404, response.text
