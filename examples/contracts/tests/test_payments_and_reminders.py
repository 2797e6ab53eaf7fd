"""Payments against instalments, the reminders before each due date (the daily schedule, run
now), and the dashboard's amounts due per month."""

from __future__ import annotations

from datetime import date

from contracts_support import (
    API,
    CONTRACTS,
    SETTINGS,
    account,
    body,
    contract,
    days,
    notifications,
    problem_field,
    today,
)

from tessera.plugin.testing import Tenant
from tessera.plugin.testing.pytest_plugin import TenantFactory

REMINDER = "contracts.instalment_due"


async def active_contract(tenant: Tenant, **kwargs: object) -> dict[str, object]:
    made = await contract(tenant.owner, await account(tenant.owner), **kwargs)  # type: ignore[arg-type]
    answer: dict[str, object] = body(await tenant.owner.post(f"{CONTRACTS}/{made['id']}/sign"))
    assert answer["status"] == "active"
    return answer


async def test_payments_cover_instalments_and_never_more(tessera_tenant: TenantFactory) -> None:
    tenant = await tessera_tenant("crm", "contracts")
    made = await active_contract(tenant)
    url = f"{CONTRACTS}/{made['id']}/payments"
    part = body(
        await tenant.owner.post(url, json={"instalment": 1, "amount": "400", "paid_on": days(0)}),
        201,
    )
    first = part["instalments"][0]
    assert (first["paid"], first["status"], part["outstanding"]) == ("400.00", "open", "2600.00")
    too_much = await tenant.owner.post(
        url, json={"instalment": 1, "amount": "600.01", "paid_on": days(0)}
    )
    assert problem_field(too_much) == "amount"
    for bad, field in (
        ({"instalment": 3, "amount": "1", "paid_on": days(0)}, "instalment"),
        ({"amount": "1", "paid_on": days(0)}, "instalment_id"),
        ({"instalment": 1, "amount": 1.5, "paid_on": days(0)}, "amount"),
        ({"instalment": 1, "amount": "0", "paid_on": days(0)}, "amount"),
    ):
        assert problem_field(await tenant.owner.post(url, json=bad)) == field, bad
    rest = body(
        await tenant.owner.post(
            url,
            json={
                "instalment_id": first["id"],
                "amount": "600.00",
                "paid_on": days(1),
                "note": "Wire",
            },
        ),
        201,
    )
    assert (rest["instalments"][0]["status"], rest["paid"]) == ("paid", "1000.00")
    listed = body(await tenant.owner.get(url))
    assert [(p["amount"], p["note"]) for p in listed] == [("400.00", ""), ("600.00", "Wire")]
    event = await tenant.assert_emitted("contracts.payment.recorded", amount="600.00")
    assert event.payload["instalment_paid"] is True
    assert event.payload["number"] == "HT-001"
    await tenant.assert_audited("contracts_payment", listed[1]["id"], action="create")


async def test_owners_are_reminded_once_before_each_unpaid_due_date(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await tessera_tenant("crm", "contracts")
    body(await tenant.owner.patch(SETTINGS, json={"reminder_days": 5}))
    soon = await active_contract(tenant, plan=((3, "1000.00"), (4, "500.00"), (30, "1500.00")))
    paid = {"instalment": 2, "amount": "500", "paid_on": days(0)}
    body(await tenant.owner.post(f"{CONTRACTS}/{soon['id']}/payments", json=paid), 201)
    await contract(tenant.owner, await account(tenant.owner, "Draft Co"), number="DRAFT-1",
                   plan=((2, "3000.00"),))  # fmt: skip

    await tenant.run_schedule("contracts.remind")
    told = await notifications(tenant.owner, REMINDER)
    # Only the open instalment of the active contract within five days: not the paid one, not
    # the one a month away, not the draft's.
    assert [n["title"] for n in told] == [f"HT-001: 1000.00 CNY due on {days(3)}"]
    assert told[0]["link"] == f"/contracts/contracts/{soon['id']}"
    async with tenant.connect() as conn:
        reminded = await conn.fetch(
            "SELECT position, reminded_on FROM contracts_instalment WHERE reminded_on IS NOT NULL"
        )
    assert [(r["position"], r["reminded_on"]) for r in reminded] == [(1, today())]

    # Running the reminders again (an admin's "now", or the next day's run) tells no one twice.
    again = body(await tenant.owner.post(f"{API}/reminders/run"))
    assert again == {"reminded": 0}
    assert len(await notifications(tenant.owner, REMINDER)) == 1
    # Later instalments are reminded when they come within reach.
    body(await tenant.owner.patch(SETTINGS, json={"reminder_days": 30}))
    assert body(await tenant.owner.post(f"{API}/reminders/run")) == {"reminded": 1}
    assert len(await notifications(tenant.owner, REMINDER)) == 2
    member = await tenant.client_as("member")
    assert (await member.post(f"{API}/reminders/run")).status_code == 403


async def test_the_dashboard_shows_open_amounts_by_due_month_per_currency(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await tessera_tenant("crm", "contracts")
    await tenant.client_as("admin")  # who approves the contract in dollars
    now = today()
    this_month = date(now.year, now.month, 1)
    next_month = date(now.year + now.month // 12, now.month % 12 + 1, 1)
    after = date(next_month.year + next_month.month // 12, next_month.month % 12 + 1, 1)
    first = await contract(
        tenant.owner, await account(tenant.owner), number="A",
        plan=((0, "1000.00"), ((next_month - now).days, "2000.00")),
    )  # fmt: skip
    body(await tenant.owner.post(f"{CONTRACTS}/{first['id']}/sign"))
    await contract(tenant.owner, await account(tenant.owner, "B"), number="B")  # a draft
    usd = await contract(
        tenant.owner, await account(tenant.owner, "C"), number="C", currency="USD",
        amount="70.00", plan=(((after - now).days, "70.00"),),
    )  # fmt: skip
    body(await tenant.owner.post(f"{CONTRACTS}/{usd['id']}/sign"))  # pending: not yet due
    pay = {"instalment": 1, "amount": "250", "paid_on": days(0)}
    body(await tenant.owner.post(f"{CONTRACTS}/{first['id']}/payments", json=pay), 201)

    report = body(await tenant.owner.get(f"{API}/reports/due-by-month"))
    assert report["from"] == this_month.isoformat()
    assert len(report["labels"]) == 12
    assert report["labels"][:2] == [this_month.strftime("%Y-%m"), next_month.strftime("%Y-%m")]
    [cny] = report["series"]
    assert cny["name"] == "CNY"
    assert cny["total"] == "2750.00"
    assert cny["data"][:3] == ["750.00", "2000.00", "0.00"]

    one_month = {"from": next_month.isoformat(), "to": next_month.isoformat()}
    narrowed = body(await tenant.owner.get(f"{API}/reports/due-by-month", params=one_month))
    assert narrowed["labels"] == [next_month.strftime("%Y-%m")]
    assert narrowed["series"][0]["data"] == ["2000.00"]
    backwards = {"from": next_month.isoformat(), "to": this_month.isoformat()}
    answer = await tenant.owner.get(f"{API}/reports/due-by-month", params=backwards)
    assert problem_field(answer) == "from"
    # The metric the dashboard draws reads exactly this endpoint.
    [board] = [
        d for d in body(await tenant.owner.get("/api/v1/ui/dashboards"))
        if d["name"] == "contracts.receivables"
    ]  # fmt: skip
    assert [m["endpoint"] for m in board["metrics"]] == [f"{API}/reports/due-by-month"]
