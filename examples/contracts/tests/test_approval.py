"""Signing: active at once within the tenant's threshold; above it, through the real workflow
engine, whose decision reaches the contract as an event its handler follows."""

from __future__ import annotations

from contracts_support import CONTRACTS, SETTINGS, account, approve, body, contract, set_threshold

from tessera.plugin.testing import Tenant
from tessera.plugin.testing.pytest_plugin import TenantFactory


async def signed(tenant: Tenant, contract_id: str) -> dict[str, object]:
    answer: dict[str, object] = body(await tenant.owner.post(f"{CONTRACTS}/{contract_id}/sign"))
    return answer


async def test_the_default_threshold_lets_a_small_contract_become_active_at_once(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await tessera_tenant("crm", "contracts")
    settings = body(await tenant.owner.get(SETTINGS))
    assert settings == {
        "approval_threshold": "100000.00",
        "approval_currency": "CNY",
        "reminder_days": 7,
    }
    made = await contract(tenant.owner, await account(tenant.owner))
    active = await signed(tenant, made["id"])
    assert active["status"] == "active"
    assert active["approval_id"] is None
    await tenant.assert_emitted("contracts.contract.signed", contract_id=made["id"])
    await tenant.assert_emitted("contracts.contract.activated", contract_id=made["id"])
    # Signed terms are final.
    url = f"{CONTRACTS}/{made['id']}"
    assert (await tenant.owner.patch(url, json={"amount": "1.00"})).status_code == 409
    assert (await tenant.owner.delete(url)).status_code == 409
    assert (await tenant.owner.post(f"{url}/sign")).status_code == 409
    closed = body(await tenant.owner.post(f"{url}/close"))
    assert closed["status"] == "closed"


async def test_a_contract_without_a_plan_is_not_signed(tessera_tenant: TenantFactory) -> None:
    tenant = await tessera_tenant("crm", "contracts")
    made = await contract(tenant.owner, await account(tenant.owner), plan=())
    answer = await tenant.owner.post(f"{CONTRACTS}/{made['id']}/sign")
    assert answer.status_code == 409, answer.text
    assert body(await tenant.owner.get(f"{CONTRACTS}/{made['id']}"))["status"] == "draft"


async def test_above_the_threshold_the_engine_decides_and_the_handler_activates(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await tessera_tenant("crm", "contracts")
    await set_threshold(tenant, "2999.99")
    approver = await tenant.client_as("admin")
    made = await contract(tenant.owner, await account(tenant.owner))
    waiting = await signed(tenant, made["id"])
    assert waiting["status"] == "pending_approval"
    assert waiting["approval_id"]
    assert waiting["signed_on"] is not None
    url = f"{CONTRACTS}/{made['id']}"
    assert (await tenant.owner.patch(url, json={"amount": "1.00"})).status_code == 409
    # The workflow guards what it is about: the title too, while it waits.
    assert (await tenant.owner.patch(url, json={"title": "Other"})).status_code == 409
    pay = {"instalment": 1, "amount": "1.00", "paid_on": "2030-01-01"}
    assert (await tenant.owner.post(f"{url}/payments", json=pay)).status_code == 409
    await approve(approver, made["id"])
    # The engine's event waits in the outbox until the handlers run.
    assert body(await tenant.owner.get(url))["status"] == "pending_approval"
    await tenant.run_pending()
    assert body(await tenant.owner.get(url))["status"] == "active"
    activated = await tenant.events("contracts.contract.activated")
    assert [e.payload["contract_id"] for e in activated] == [made["id"]]
    # Delivered again, the engine's event changes nothing.
    await tenant.run_pending()
    assert len(await tenant.events("contracts.contract.activated")) == 1


async def test_a_rejected_contract_is_changed_and_signed_again(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await tessera_tenant("crm", "contracts")
    await set_threshold(tenant, "1000")
    approver = await tenant.client_as("admin")
    made = await contract(tenant.owner, await account(tenant.owner))
    await signed(tenant, made["id"])
    await approve(approver, made["id"], "reject")
    await tenant.run_pending()
    url = f"{CONTRACTS}/{made['id']}"
    rejected = body(await tenant.owner.get(url))
    assert rejected["status"] == "rejected"
    assert rejected["signed_on"] is None
    await tenant.assert_emitted("contracts.contract.rejected", contract_id=made["id"])
    smaller = {"amount": "900.00", "instalments": [{"due_date": "2030-01-01", "amount": "900"}]}
    body(await tenant.owner.patch(url, json=smaller))
    assert (await signed(tenant, made["id"]))["status"] == "active"


async def test_a_contract_in_another_currency_always_goes_for_approval(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await tessera_tenant("crm", "contracts")
    await tenant.client_as("admin")  # the workflow's step needs someone to ask
    made = await contract(
        tenant.owner, await account(tenant.owner), amount="10.00", currency="USD",
        plan=((5, "10.00"),),
    )  # fmt: skip
    assert (await signed(tenant, made["id"]))["status"] == "pending_approval"


async def test_settings_are_checked_and_kept_per_tenant(tessera_tenant: TenantFactory) -> None:
    tenant = await tessera_tenant("crm", "contracts")
    for bad, field in (
        ({"approval_threshold": 10.5}, "approval_threshold"),
        ({"approval_threshold": "-1"}, "approval_threshold"),
        ({"approval_currency": "ABC"}, "approval_currency"),
        ({"reminder_days": 91}, "reminder_days"),
    ):
        answer = await tenant.owner.patch(SETTINGS, json=bad)
        assert answer.status_code in (400, 422), answer.text
        assert answer.json()["errors"][0]["field"] == field
    await set_threshold(tenant, "500", "USD")
    assert body(await tenant.owner.get(SETTINGS))["approval_currency"] == "USD"
    other = await tessera_tenant("crm", "contracts")
    assert body(await other.owner.get(SETTINGS))["approval_currency"] == "CNY"


async def test_the_events_are_declared_with_their_payloads(tessera_tenant: TenantFactory) -> None:
    tenant = await tessera_tenant("crm", "contracts")
    declared = {
        t["name"]: t
        for t in body(await tenant.owner.get("/api/v1/events/types"))
        if t["module"] == "contracts"
    }
    assert sorted(declared) == [
        "contracts.contract.activated",
        "contracts.contract.rejected",
        "contracts.contract.signed",
        "contracts.payment.recorded",
    ]
    keys = {key["name"] for key in declared["contracts.payment.recorded"]["payload"]}
    assert {"contract_id", "instalment_id", "amount", "instalment_paid"} <= keys
