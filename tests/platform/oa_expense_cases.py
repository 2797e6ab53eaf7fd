"""The permission matrix's cases for OA expenses (tests/platform/test_permissions.py adds them to
its own).

Each builds a valid request for the person under test. Claims and advances the actor changes
are the actor's own; what only a manager of expenses makes (categories) the owner makes first.
Submitting needs an active workflow that finds an approver: the scene's own, "any of the owner
and a helper", made active for the case; paying needs an approved record, which the scene gets
at once from a workflow whose only step never applies.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from tests.support import SignedUp

EXPENSES = "/api/v1/oa/expenses"
WORKFLOW = "/api/v1/workflow"
CLAIM, ADVANCE = "oa.expense_claim", "oa.expense_advance"
Request = tuple[str, dict[str, Any] | None]


class Scene(Protocol):
    owner: SignedUp
    actor: SignedUp
    workflow: dict[str, str]

    async def throwaway_member(self) -> str: ...


Build = Callable[[Any], Awaitable[Request]]


def fixed(path: str, body: dict[str, Any] | None = None) -> Build:
    async def build(scene: Scene) -> Request:
        return path, body

    return build


async def _made(who: SignedUp, path: str, body: dict[str, Any]) -> dict[str, Any]:
    made = await who.post(path, json=body)
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    return found


async def _category(s: Scene) -> str:
    name = f"Matrix {uuid.uuid4().hex[:8]}"
    return str((await _made(s.owner, f"{EXPENSES}/categories", {"name": name}))["id"])


def _line_body(category_id: str) -> dict[str, Any]:
    day = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    return {"category_id": category_id, "spent_on": day, "amount": "10.00", "currency": "CNY"}


async def _claim_of(who: SignedUp, s: Scene) -> dict[str, Any]:
    body = {"title": "Matrix", "lines": [_line_body(await _category(s))]}
    return await _made(who, f"{EXPENSES}/claims", body)


async def _use(s: Scene, record_type: str, kind: str) -> None:
    """Make the scene's ``kind`` workflow the active one for ``record_type``: ``pending`` (any
    of the owner and a helper approves) or ``instant`` (its one step never applies)."""
    listed = (await s.owner.get(f"{WORKFLOW}/definitions", params={"limit": 200})).json()
    for item in listed["items"]:
        if item["active"] and item["record_type"] == record_type:
            await s.owner.post(f"{WORKFLOW}/definitions/{item['id']}/deactivate")
    key = f"{record_type}:{kind}"
    if key in s.workflow:
        await s.owner.post(f"{WORKFLOW}/definitions/{s.workflow[key]}/activate")
        return
    if "expense_helper" not in s.workflow:
        s.workflow["expense_helper"] = await s.throwaway_member()
    step: dict[str, Any] = {
        "name": "Matrix",
        "approvers": "users",
        "users": [s.owner.user_id, s.workflow["expense_helper"]],
    }
    if kind == "instant":
        step["condition"] = "line_count < 0" if record_type == CLAIM else "amount < 0"
    made = await _made(
        s.owner,
        f"{WORKFLOW}/definitions",
        {
            "key": f"matrix-{uuid.uuid4().hex[:8]}",
            "record_type": record_type,
            "name": "Matrix",
            "steps": [step],
        },
    )
    s.workflow[key] = made["id"]


async def _submitted_claim(s: Scene, kind: str, who: SignedUp) -> str:
    await _use(s, CLAIM, kind)
    claim = await _claim_of(who, s)
    sent = await who.post(f"{EXPENSES}/claims/{claim['id']}/submit")
    assert sent.status_code == 200, sent.text
    return str(claim["id"])


async def _new_claim(s: Scene) -> Request:
    return f"{EXPENSES}/claims", {"title": "Matrix", "lines": [_line_body(await _category(s))]}


async def _claim(s: Scene) -> Request:
    return f"{EXPENSES}/claims/{(await _claim_of(s.actor, s))['id']}", None


async def _claim_patch(s: Scene) -> Request:
    return f"{EXPENSES}/claims/{(await _claim_of(s.actor, s))['id']}", {"title": "Changed"}


async def _claim_submit(s: Scene) -> Request:
    await _use(s, CLAIM, "pending")
    return f"{EXPENSES}/claims/{(await _claim_of(s.actor, s))['id']}/submit", None


async def _claim_withdraw(s: Scene) -> Request:
    return f"{EXPENSES}/claims/{await _submitted_claim(s, 'pending', s.actor)}/withdraw", None


async def _claim_pay(s: Scene) -> Request:
    claim = await _submitted_claim(s, "instant", s.owner)
    return f"{EXPENSES}/claims/{claim}/pay", {"reference": "M-1"}


async def _line_of_actor(s: Scene, **more: Any) -> str:
    claim = await _claim_of(s.actor, s)
    if not more:
        return str(claim["lines"][0]["id"])
    body = {**_line_body(await _category(s)), "claim_id": claim["id"], **more}
    return str((await _made(s.actor, f"{EXPENSES}/lines", body))["id"])


async def _new_line(s: Scene) -> Request:
    claim = await _claim_of(s.actor, s)
    return f"{EXPENSES}/lines", {**_line_body(await _category(s)), "claim_id": claim["id"]}


async def _line(s: Scene) -> Request:
    return f"{EXPENSES}/lines/{await _line_of_actor(s)}", None


async def _line_patch(s: Scene) -> Request:
    return f"{EXPENSES}/lines/{await _line_of_actor(s)}", {"description": "Changed"}


async def _receipt_upload(s: Scene) -> Request:
    # An empty body is an empty file: the name in the query is all an upload needs.
    return f"{EXPENSES}/lines/{await _line_of_actor(s)}/receipt?filename=r.txt", None


async def _receipt_download(s: Scene) -> Request:
    stored = await s.actor.client.post(
        f"{EXPENSES}/receipts", params={"filename": "r.txt"}, content=b"r", headers=s.actor.headers
    )
    assert stored.status_code == 201, stored.text
    line = await _line_of_actor(s, receipt_file_id=stored.json()["id"])
    return f"{EXPENSES}/lines/{line}/receipt", None


async def _category_get(s: Scene) -> Request:
    return f"{EXPENSES}/categories/{await _category(s)}", None


async def _category_patch(s: Scene) -> Request:
    return f"{EXPENSES}/categories/{await _category(s)}", {"description": "Changed"}


async def _new_category(s: Scene) -> Request:
    return f"{EXPENSES}/categories", {"name": f"Matrix {uuid.uuid4().hex[:8]}"}


async def _advance_of(who: SignedUp) -> str:
    body = {"amount": "10.00", "currency": "CNY"}
    return str((await _made(who, f"{EXPENSES}/advances", body))["id"])


async def _advance(s: Scene) -> Request:
    return f"{EXPENSES}/advances/{await _advance_of(s.actor)}", None


async def _advance_patch(s: Scene) -> Request:
    return f"{EXPENSES}/advances/{await _advance_of(s.actor)}", {"purpose": "Changed"}


async def _advance_submit(s: Scene) -> Request:
    await _use(s, ADVANCE, "pending")
    return f"{EXPENSES}/advances/{await _advance_of(s.actor)}/submit", None


async def _advance_withdraw(s: Scene) -> Request:
    await _use(s, ADVANCE, "pending")
    advance = await _advance_of(s.actor)
    sent = await s.actor.post(f"{EXPENSES}/advances/{advance}/submit")
    assert sent.status_code == 200, sent.text
    return f"{EXPENSES}/advances/{advance}/withdraw", None


async def _advance_pay(s: Scene) -> Request:
    await _use(s, ADVANCE, "instant")
    advance = await _advance_of(s.owner)
    sent = await s.owner.post(f"{EXPENSES}/advances/{advance}/submit")
    assert sent.status_code == 200 and sent.json()["status"] == "approved", sent.text
    return f"{EXPENSES}/advances/{advance}/pay", None


#: (method, route path as the app declares it, how to make a valid request for it)
EXPENSE_CASES: list[tuple[str, str, Build]] = [
    ("GET", f"{EXPENSES}/categories", fixed(f"{EXPENSES}/categories")),
    ("POST", f"{EXPENSES}/categories", _new_category),
    ("GET", f"{EXPENSES}/categories/{{category_id:uuid}}", _category_get),
    ("PATCH", f"{EXPENSES}/categories/{{category_id:uuid}}", _category_patch),
    ("DELETE", f"{EXPENSES}/categories/{{category_id:uuid}}", _category_get),
    ("GET", f"{EXPENSES}/claims", fixed(f"{EXPENSES}/claims")),
    ("POST", f"{EXPENSES}/claims", _new_claim),
    ("GET", f"{EXPENSES}/claims/{{claim_id:uuid}}", _claim),
    ("PATCH", f"{EXPENSES}/claims/{{claim_id:uuid}}", _claim_patch),
    ("DELETE", f"{EXPENSES}/claims/{{claim_id:uuid}}", _claim),
    ("POST", f"{EXPENSES}/claims/{{claim_id:uuid}}/submit", _claim_submit),
    ("POST", f"{EXPENSES}/claims/{{claim_id:uuid}}/withdraw", _claim_withdraw),
    ("POST", f"{EXPENSES}/claims/{{claim_id:uuid}}/pay", _claim_pay),
    ("GET", f"{EXPENSES}/lines", fixed(f"{EXPENSES}/lines")),
    ("POST", f"{EXPENSES}/lines", _new_line),
    ("GET", f"{EXPENSES}/lines/{{line_id:uuid}}", _line),
    ("PATCH", f"{EXPENSES}/lines/{{line_id:uuid}}", _line_patch),
    ("DELETE", f"{EXPENSES}/lines/{{line_id:uuid}}", _line),
    ("POST", f"{EXPENSES}/lines/{{line_id:uuid}}/receipt", _receipt_upload),
    ("GET", f"{EXPENSES}/lines/{{line_id:uuid}}/receipt", _receipt_download),
    ("POST", f"{EXPENSES}/receipts", fixed(f"{EXPENSES}/receipts?filename=r.txt")),
    ("GET", f"{EXPENSES}/advances", fixed(f"{EXPENSES}/advances")),
    (
        "POST",
        f"{EXPENSES}/advances",
        fixed(f"{EXPENSES}/advances", {"amount": "5", "currency": "CNY"}),
    ),
    ("GET", f"{EXPENSES}/advances/{{advance_id:uuid}}", _advance),
    ("PATCH", f"{EXPENSES}/advances/{{advance_id:uuid}}", _advance_patch),
    ("DELETE", f"{EXPENSES}/advances/{{advance_id:uuid}}", _advance),
    ("POST", f"{EXPENSES}/advances/{{advance_id:uuid}}/submit", _advance_submit),
    ("POST", f"{EXPENSES}/advances/{{advance_id:uuid}}/withdraw", _advance_withdraw),
    ("POST", f"{EXPENSES}/advances/{{advance_id:uuid}}/pay", _advance_pay),
    ("GET", f"{EXPENSES}/reports/by-category", fixed(f"{EXPENSES}/reports/by-category")),
]
