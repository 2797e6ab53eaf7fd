"""The permission matrix's cases for OA's generic requests (tests/platform/test_permissions.py
adds them to its own).

Forms are made by the owner (who holds every permission); requests the actor changes are the
actor's own. Submitting needs a workflow that finds an approver other than the actor: each
form the scene makes has its own, "any of the owner and a helper".
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.platform.oa_expense_cases import Build, Request, Scene, fixed
from tests.support import SignedUp

OA = "/api/v1/oa"
FORMS, REQUESTS = f"{OA}/request-forms", f"{OA}/requests"
FIELDS = [
    {"key": "purpose", "label": "Purpose", "type": "text", "required": True},
    {"key": "quote", "label": "Quote", "type": "file"},
]


async def _made(who: SignedUp, path: str, body: dict[str, Any]) -> dict[str, Any]:
    made = await who.post(path, json=body)
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    return found


async def _form(s: Scene) -> str:
    if "request_helper" not in s.workflow:
        s.workflow["request_helper"] = await s.throwaway_member()
    step = {
        "name": "Matrix",
        "approvers": "users",
        "users": [s.owner.user_id, s.workflow["request_helper"]],
    }
    body = {"name": f"Matrix {uuid.uuid4().hex[:8]}", "fields": FIELDS, "steps": [step]}
    return str((await _made(s.owner, FORMS, body))["id"])


async def _request_of(s: Scene, **values: Any) -> str:
    body = {"form_id": await _form(s), "values": {"purpose": "Matrix", **values}}
    return str((await _made(s.actor, REQUESTS, body))["id"])


async def _new_form(s: Scene) -> Request:
    return FORMS, {"name": f"Matrix {uuid.uuid4().hex[:8]}", "fields": FIELDS}


async def _form_get(s: Scene) -> Request:
    return f"{FORMS}/{await _form(s)}", None


async def _form_patch(s: Scene) -> Request:
    return f"{FORMS}/{await _form(s)}", {"description": "Changed"}


async def _new_request(s: Scene) -> Request:
    return REQUESTS, {"form_id": await _form(s), "values": {"purpose": "Matrix"}}


async def _request(s: Scene) -> Request:
    return f"{REQUESTS}/{await _request_of(s)}", None


async def _request_patch(s: Scene) -> Request:
    return f"{REQUESTS}/{await _request_of(s)}", {"values": {"purpose": "Changed"}}


async def _submit(s: Scene) -> Request:
    return f"{REQUESTS}/{await _request_of(s)}/submit", None


async def _withdraw(s: Scene) -> Request:
    request = await _request_of(s)
    sent = await s.actor.post(f"{REQUESTS}/{request}/submit")
    assert sent.status_code == 200, sent.text
    return f"{REQUESTS}/{request}/withdraw", None


async def _file(s: Scene) -> Request:
    stored = await s.actor.client.post(
        f"{REQUESTS}/files", params={"filename": "q.txt"}, content=b"q", headers=s.actor.headers
    )
    assert stored.status_code == 201, stored.text
    file_id = stored.json()["id"]
    return f"{REQUESTS}/{await _request_of(s, quote=file_id)}/files/{file_id}", None


#: (method, route path as the app declares it, how to make a valid request for it)
REQUEST_CASES: list[tuple[str, str, Build]] = [
    ("GET", FORMS, fixed(FORMS)),
    ("POST", FORMS, _new_form),
    ("GET", f"{FORMS}/{{form_id:uuid}}", _form_get),
    ("PATCH", f"{FORMS}/{{form_id:uuid}}", _form_patch),
    ("DELETE", f"{FORMS}/{{form_id:uuid}}", _form_get),
    ("GET", REQUESTS, fixed(REQUESTS)),
    ("POST", REQUESTS, _new_request),
    ("GET", f"{REQUESTS}/{{request_id:uuid}}", _request),
    ("PATCH", f"{REQUESTS}/{{request_id:uuid}}", _request_patch),
    ("POST", f"{REQUESTS}/{{request_id:uuid}}/submit", _submit),
    ("POST", f"{REQUESTS}/{{request_id:uuid}}/withdraw", _withdraw),
    ("GET", f"{REQUESTS}/{{request_id:uuid}}/files/{{file_id:uuid}}", _file),
    ("POST", f"{REQUESTS}/files", fixed(f"{REQUESTS}/files?filename=r.txt")),
]
