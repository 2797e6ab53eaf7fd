"""What the contracts tests share: the routes, a CRM account, a contract with its plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from tessera.plugin.testing import Client, Tenant

API = "/api/v1/contracts"
CONTRACTS = f"{API}/contracts"
SETTINGS = f"{API}/settings"
WORKFLOW = "/api/v1/workflow"


def body(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


def problem_field(response: httpx.Response, status: int = 422) -> str:
    """The field a problem+json answer names (the first, if several)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = response.json().get("errors") or [{}]
    return str(errors[0].get("field") or errors[0].get("key") or "")


def today() -> date:
    """Today as the server counts days (UTC)."""
    return datetime.now(UTC).date()


def days(n: int) -> str:
    return (today() + timedelta(days=n)).isoformat()


async def account(who: Client, name: str = "Acme Ltd") -> str:
    made = body(await who.post("/api/v1/crm/accounts", json={"name": name}), 201)
    return str(made["id"])


async def contract(
    who: Client,
    account_id: str,
    *,
    number: str = "HT-001",
    amount: str = "3000.00",
    currency: str = "CNY",
    plan: tuple[tuple[int, str], ...] = ((10, "1000.00"), (40, "2000.00")),
) -> dict[str, Any]:
    """A draft contract whose instalments are due ``plan[i][0]`` days from today."""
    payload = {
        "number": number,
        "title": f"Contract {number}",
        "account_id": account_id,
        "currency": currency,
        "amount": amount,
        "instalments": [{"due_date": days(n), "amount": part} for n, part in plan],
    }
    made: dict[str, Any] = body(await who.post(CONTRACTS, json=payload), 201)
    return made


async def set_threshold(tenant: Tenant, threshold: str, currency: str = "CNY") -> None:
    values = {"approval_threshold": threshold, "approval_currency": currency}
    body(await tenant.owner.patch(SETTINGS, json=values))


async def approve(approver: Client, contract_id: str, decision: str = "approve") -> None:
    """The approver decides on the contract's task in their workflow inbox."""
    inbox = body(await approver.get(f"{WORKFLOW}/inbox"))["items"]
    [task] = [i for i in inbox if i["record_id"] == contract_id]
    answer = {"comment": "No"} if decision == "reject" else None
    url = f"{WORKFLOW}/tasks/{task['task']['id']}/{decision}"
    body(await approver.post(url, json=answer) if answer else await approver.post(url))


async def notifications(who: Client, kind: str) -> list[dict[str, Any]]:
    found = body(await who.get("/api/v1/notifications", params={"limit": 100}))["items"]
    return [n for n in found if n["type"] == kind]
