"""Contracts over real HTTP on a real PostgreSQL: making, changing, refusing bad input,
permissions, other tenants, and the screens' metadata."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from contracts_support import CONTRACTS, account, body, contract, days, problem_field

from tessera.plugin.testing import Tenant
from tessera.plugin.testing.pytest_plugin import TenantFactory


async def contracts_tenant(tessera_tenant: TenantFactory) -> Tenant:
    return await tessera_tenant("crm", "contracts")


async def test_a_contract_is_made_with_its_plan_audited_and_listed(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await contracts_tenant(tessera_tenant)
    acme = await account(tenant.owner)
    made = await contract(tenant.owner, acme, plan=((40, "2000.00"), (10, "1000.00")))
    assert made["status"] == "draft"
    assert made["signed_on"] is None
    assert made["account_name"] == "Acme Ltd"
    assert made["owner_id"] == tenant.owner.user_id
    assert (made["amount"], made["paid"], made["outstanding"]) == ("3000.00", "0.00", "3000.00")
    # The plan comes back in due order, numbered from 1.
    plan = [(i["position"], i["due_date"], i["amount"], i["status"]) for i in made["instalments"]]
    assert plan == [(1, days(10), "1000.00", "open"), (2, days(40), "2000.00", "open")]
    await tenant.assert_audited("contracts_contract", made["id"], action="create")

    await contract(tenant.owner, await account(tenant.owner, "Other"), number="HT-002")
    listed = body(await tenant.owner.get(CONTRACTS, params={"account_id": acme}))["items"]
    assert [c["number"] for c in listed] == ["HT-001"]
    found = body(await tenant.owner.get(CONTRACTS, params={"q": "ht-002"}))["items"]
    assert [c["number"] for c in found] == ["HT-002"]
    by_number = body(await tenant.owner.get(CONTRACTS, params={"sort": "number", "limit": 1}))
    assert [c["number"] for c in by_number["items"]] == ["HT-001"]
    assert by_number["next_cursor"]


async def test_a_draft_is_changed_and_its_plan_replaced_whole(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await contracts_tenant(tessera_tenant)
    made = await contract(tenant.owner, await account(tenant.owner))
    url = f"{CONTRACTS}/{made['id']}"
    # A new amount alone no longer matches the plan: refused, nothing changed.
    assert problem_field(await tenant.owner.patch(url, json={"amount": "5000"})) == "instalments"
    changed = body(
        await tenant.owner.patch(
            url,
            json={
                "amount": "5000",
                "title": "Bigger",
                "instalments": [{"due_date": days(5), "amount": "5000"}],
            },
        )
    )
    assert (changed["amount"], changed["title"]) == ("5000.00", "Bigger")
    assert [(i["amount"], i["position"]) for i in changed["instalments"]] == [("5000.00", 1)]
    body(await tenant.owner.delete(url))
    assert (await tenant.owner.get(url)).status_code == 404
    await tenant.assert_audited("contracts_contract", made["id"], action="delete")


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("a float amount", {"amount": 3000.5}, "amount"),
    ("a negative amount", {"amount": "-5"}, "amount"),
    ("more decimals than the currency", {"amount": "3000.001"}, "amount"),
    ("yen with cents", {"currency": "JPY", "amount": "3000.50"}, "amount"),
    ("an amount beyond what is kept", {"amount": "1000000000000000"}, "amount"),
    ("an amount in exponent form", {"amount": "1e30"}, "amount"),
    ("an integer amount beyond what is kept", {"amount": 10**15}, "amount"),
    ("no such currency", {"currency": "XYZ"}, "currency"),
    (
        "a plan that does not make the amount",
        {"instalments": [{"due_date": "2030-01-01", "amount": "10.00"}]},
        "instalments",
    ),
    (
        "an instalment of zero",
        {"instalments": [{"due_date": "2030-01-01", "amount": "0"}]},
        "instalments[0].amount",
    ),
    ("an account that does not exist", {"account_id": str(uuid.uuid4())}, "account_id"),
    ("an owner who is no member", {"owner_id": str(uuid.uuid4())}, "owner_id"),
    ("an empty number", {"number": "  "}, "number"),
]


@pytest.mark.parametrize(("case", "change", "field"), BAD, ids=[case for case, _, _ in BAD])
async def test_bad_input_is_refused_by_name_and_changes_nothing(
    tessera_tenant: TenantFactory, case: str, change: dict[str, Any], field: str
) -> None:
    tenant = await contracts_tenant(tessera_tenant)
    payload = {
        "number": "HT-9",
        "title": "Bad",
        "account_id": await account(tenant.owner),
        "currency": "CNY",
        "amount": "3000.00",
        "instalments": [{"due_date": "2030-01-01", "amount": "3000.00"}],
        **change,
    }
    answer = await tenant.owner.post(CONTRACTS, json=payload)
    assert answer.status_code in (400, 422), f"{case}: {answer.text}"
    assert problem_field(answer, answer.status_code) == field, case
    assert body(await tenant.owner.get(CONTRACTS))["items"] == [], case


async def test_a_number_is_taken_once_per_tenant_and_unknown_fields_are_refused(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await contracts_tenant(tessera_tenant)
    acme = await account(tenant.owner)
    await contract(tenant.owner, acme)
    again = await tenant.owner.post(
        CONTRACTS,
        json={"number": "HT-001", "title": "Twin", "account_id": acme, "currency": "CNY",
              "amount": "1.00"},
    )  # fmt: skip
    assert again.status_code == 409, again.text
    unknown = await tenant.owner.post(
        CONTRACTS,
        json={"number": "HT-3", "title": "X", "account_id": acme, "currency": "CNY",
              "amount": "1.00", "discount": "5"},
    )  # fmt: skip
    assert problem_field(unknown, unknown.status_code) == "discount"
    # Another tenant may use the same number.
    other = await contracts_tenant(tessera_tenant)
    await contract(other.owner, await account(other.owner))


async def test_members_read_and_only_holders_write_or_record_payments(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await contracts_tenant(tessera_tenant)
    made = await contract(tenant.owner, await account(tenant.owner))
    member = await tenant.client_as("member")
    assert body(await member.get(f"{CONTRACTS}/{made['id']}"))["number"] == "HT-001"
    assert await contract_attempt(member, await account(tenant.owner, "Member's view")) == 403
    assert (await member.post(f"{CONTRACTS}/{made['id']}/sign")).status_code == 403
    assert (await member.patch("/api/v1/contracts/settings", json={})).status_code == 403
    payer = await tenant.client_as(permissions=["contracts.payment.write"])
    body(await tenant.owner.post(f"{CONTRACTS}/{made['id']}/sign"))
    payment = {"instalment": 1, "amount": "100.00", "paid_on": days(0)}
    refused = await member.post(f"{CONTRACTS}/{made['id']}/payments", json=payment)
    assert refused.status_code == 403
    paid = await payer.post(f"{CONTRACTS}/{made['id']}/payments", json=payment)
    assert paid.status_code == 201, paid.text
    # Without the module, the routes are not there at all.
    bare = await tessera_tenant("crm")
    assert (await bare.owner.get(CONTRACTS)).status_code == 404


async def contract_attempt(who: Any, account_id: str) -> int:
    answer = await who.post(
        CONTRACTS,
        json={"number": "M-1", "title": "By a member", "account_id": account_id,
              "currency": "CNY", "amount": "1.00"},
    )  # fmt: skip
    return int(answer.status_code)


async def test_another_tenants_ids_reach_nothing(tessera_tenant: TenantFactory) -> None:
    mine = await contracts_tenant(tessera_tenant)
    theirs = await contracts_tenant(tessera_tenant)
    their_account = await account(theirs.owner, "Theirs")
    their_contract = await contract(theirs.owner, their_account)
    url = f"{CONTRACTS}/{their_contract['id']}"
    assert (await mine.owner.get(url)).status_code == 404
    assert (await mine.owner.patch(url, json={"title": "Mine now"})).status_code == 404
    assert (await mine.owner.post(f"{url}/sign")).status_code == 404
    assert (await mine.owner.delete(url)).status_code == 404
    # Their account cannot be named in a contract of mine.
    answer = await contract_attempt(mine.owner, their_account)
    assert answer == 422
    # Nor their instalment in a payment on my contract.
    my_contract = await contract(mine.owner, await account(mine.owner))
    body(await mine.owner.post(f"{CONTRACTS}/{my_contract['id']}/sign"))
    stolen = await mine.owner.post(
        f"{CONTRACTS}/{my_contract['id']}/payments",
        json={
            "instalment_id": their_contract["instalments"][0]["id"],
            "amount": "1.00",
            "paid_on": days(0),
        },
    )
    assert problem_field(stolen) == "instalment_id"
    untouched = body(await theirs.owner.get(url))
    assert untouched["title"] == "Contract HT-001"
    assert untouched["paid"] == "0.00"


async def test_an_account_with_contracts_is_kept(tessera_tenant: TenantFactory) -> None:
    tenant = await contracts_tenant(tessera_tenant)
    acme = await account(tenant.owner)
    await contract(tenant.owner, acme)
    answer = await tenant.owner.delete(f"/api/v1/crm/accounts/{acme}")
    assert answer.status_code == 409, answer.text


async def test_screens_come_from_metadata_in_english_and_chinese(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await contracts_tenant(tessera_tenant)
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
    resources = body(await tenant.owner.get("/api/v1/ui/resources", headers=chinese))
    [resource] = [r for r in resources if r["name"] == "contracts.contract"]
    assert resource["label"] == "合同"
    fields = {f["name"]: f for f in resource["fields"]}
    assert fields["instalments"]["label"] == "回款计划"
    assert fields["instalments"]["type"] == "lines"
    status = fields["status"]
    assert dict(zip(status["options"], status["option_labels"], strict=True))["active"] == "执行中"
    menus = body(await tenant.owner.get("/api/v1/ui/menus"))
    assert {m["path"] for m in menus if m["module"] == "contracts"} == {
        "/contracts/contracts",
        "/contracts/receivables",
    }
    dashboards = body(await tenant.owner.get("/api/v1/ui/dashboards"))
    assert [d["name"] for d in dashboards if d["module"] == "contracts"] == [
        "contracts.receivables"
    ]


async def test_a_crm_accounts_page_shows_its_active_contracts(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await contracts_tenant(tessera_tenant)
    acme = await account(tenant.owner)
    facts_url = f"/api/v1/crm/accounts/{acme}/facts"
    mine = [f for f in body(await tenant.owner.get(facts_url)) if f["module"] == "contracts"]
    assert mine == [], "no active contract yet"
    made = await contract(tenant.owner, acme)
    body(await tenant.owner.post(f"{CONTRACTS}/{made['id']}/sign"))
    pay = {"instalment": 1, "amount": "500", "paid_on": days(0)}
    body(await tenant.owner.post(f"{CONTRACTS}/{made['id']}/payments", json=pay), 201)
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
    shown = body(await tenant.owner.get(facts_url, headers=chinese))
    facts = {f["label"]: f["value"] for f in shown if f["module"] == "contracts"}
    assert facts == {"执行中的合同": "1", "待回款": "2,500.00 CNY"}
