"""The chart of accounts, journals, roles and settings over HTTP: names in the member's
language, accounts in use archived not deleted, templates swapped only before the first entry."""

from __future__ import annotations

import httpx

from tests.accounting.support import API, account_id, accounting_tenant, posted
from tests.support import LiveServer, make_client

ACCOUNTS = f"{API}/accounts"


async def test_accounts_are_made_changed_and_shown_in_the_members_language(
    client: httpx.AsyncClient,
) -> None:
    owner = await accounting_tenant(client)
    parent = await account_id(owner, "6200")
    made = await owner.post(
        ACCOUNTS,
        json={
            "code": "6210",
            "name_en": "Taxis",
            "name_zh": "出租车费",
            "type": "expense",
            "parent_id": parent,
        },
    )
    assert made.status_code == 201, made.text
    account = made.json()
    assert (account["name"], account["reconcilable"]) == ("Taxis", False)
    chinese = await owner.get(
        f"{ACCOUNTS}/{account['id']}", headers={"Accept-Language": "zh-CN,zh;q=0.9"}
    )
    assert chinese.json()["name"] == "出租车费"
    changed = await owner.client.patch(
        f"{ACCOUNTS}/{account['id']}",
        json={"subtype": "payable", "type": "liability"},
        headers=owner.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["reconcilable"] is True
    taken = await owner.post(ACCOUNTS, json={"code": "6210", "name_en": "Again", "type": "expense"})
    assert taken.status_code == 409
    bad_type = await owner.post(ACCOUNTS, json={"code": "6211", "name_en": "X", "type": "cost"})
    assert (bad_type.status_code, bad_type.json()["errors"][0]["field"]) == (422, "type")
    # A parent may not be the account itself or below it.
    child = (await owner.post(ACCOUNTS, json={"code": "6212", "name_en": "C", "type": "expense",
                                              "parent_id": account["id"]})).json()  # fmt: skip
    cycle = await owner.client.patch(
        f"{ACCOUNTS}/{account['id']}", json={"parent_id": child["id"]}, headers=owner.headers
    )
    assert (cycle.status_code, cycle.json()["errors"][0]["field"]) == (422, "parent_id")
    found = (await owner.get(ACCOUNTS, params={"q": "Taxi"})).json()["items"]
    assert [a["code"] for a in found] == ["6210"]
    expenses = (await owner.get(ACCOUNTS, params={"type": "expense", "limit": 200})).json()["items"]
    assert all(a["type"] == "expense" for a in expenses) and "6212" in [a["code"] for a in expenses]


async def test_an_account_in_use_is_archived_not_deleted(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    unused = (
        await owner.post(ACCOUNTS, json={"code": "7000", "name_en": "Spare", "type": "expense"})
    ).json()
    assert (await owner.delete(f"{ACCOUNTS}/{unused['id']}")).status_code == 200
    assert (await owner.get(f"{ACCOUNTS}/{unused['id']}")).status_code == 404
    await posted(owner, ("6300", "5", "0"), ("cash", "0", "5"))
    office = await account_id(owner, "6300")
    used = await owner.delete(f"{ACCOUNTS}/{office}")
    assert used.status_code == 409 and "journal entries" in used.json()["detail"]
    retype = await owner.client.patch(
        f"{ACCOUNTS}/{office}", json={"type": "asset"}, headers=owner.headers
    )
    assert retype.status_code == 409
    by_role = await owner.delete(f"{ACCOUNTS}/{await account_id(owner, '1200')}")
    assert by_role.status_code == 409 and "role" in by_role.json()["detail"]
    archived = await owner.client.patch(
        f"{ACCOUNTS}/{office}", json={"active": False}, headers=owner.headers
    )
    assert archived.status_code == 200
    refused = await owner.post(
        f"{API}/entries",
        json={"journal": "MISC", "date": "2026-11-26", "post": True,
              "lines": [{"account": "6300", "debit": "1"}, {"account": "cash", "credit": "1"}]},
    )  # fmt: skip
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "lines[0].account")


async def test_roles_point_at_this_companys_accounts(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await accounting_tenant(client)
    roles = {
        r["role"]: r["account_code"] for r in (await owner.get(f"{API}/settings/roles")).json()
    }
    assert (roles["receivable"], roles["expense"], len(roles)) == ("1100", "6200", 17)
    travel = (
        await owner.post(ACCOUNTS, json={"code": "6210", "name_en": "Travel", "type": "expense"})
    ).json()
    moved = await owner.client.put(
        f"{API}/settings/roles", json={"roles": {"expense": travel["id"]}}, headers=owner.headers
    )
    assert moved.status_code == 200, moved.text
    entry = await posted(owner, ("expense", "9", "0"), ("cash", "0", "9"))
    assert entry["lines"][0]["account_code"] == "6210"
    async with make_client(live_server) as other_client:
        other = await accounting_tenant(other_client)
        theirs = await account_id(other, "6200")
    foreign = await owner.client.put(
        f"{API}/settings/roles", json={"roles": {"expense": theirs}}, headers=owner.headers
    )
    assert (foreign.status_code, foreign.json()["errors"][0]["field"]) == (422, "roles.expense")
    unknown = await owner.client.put(
        f"{API}/settings/roles", json={"roles": {"boss": travel["id"]}}, headers=owner.headers
    )
    assert unknown.status_code == 422
    assert (await owner.get(f"{ACCOUNTS}/{theirs}")).status_code == 404


async def test_the_chart_is_swapped_for_the_small_business_standard_only_before_entries(
    client: httpx.AsyncClient,
) -> None:
    owner = await accounting_tenant(client)
    swapped = await owner.post(f"{API}/settings/chart", json={"template": "cn_small_business"})
    assert swapped.status_code == 200, swapped.text
    assert swapped.json()["chart_template"] == "cn_small_business"
    chinese = {"Accept-Language": "zh"}
    accounts = (await owner.get(ACCOUNTS, params={"limit": 200}, headers=chinese)).json()["items"]
    names = {a["code"]: a["name"] for a in accounts}
    expected = {
        "1001": "库存现金", "1002": "银行存款", "1122": "应收账款", "1405": "库存商品",
        "2202": "应付账款", "2221": "应交税费", "222101": "应交增值税", "3001": "实收资本",
        "5001": "主营业务收入", "5401": "主营业务成本", "5602": "管理费用",
    }  # fmt: skip
    assert {code: names[code] for code in expected} == expected
    assert "6200" not in names
    by_code = {a["code"]: a for a in accounts}
    assert by_code["22210103"]["parent_id"] == by_code["222101"]["id"]
    roles = {
        r["role"]: r["account_code"] for r in (await owner.get(f"{API}/settings/roles")).json()
    }
    assert (roles["tax_output"], roles["receivable"], roles["cash"]) == ("22210103", "1122", "1001")
    taxes = {t["code"]: t["rate"] for t in (await owner.get(f"{API}/taxes")).json()["items"]}
    assert taxes["VAT13-S"] == "13.0000" and taxes["VAT3-S"] == "3.0000"
    await posted(
        owner, ("receivable", "113", "0"), ("sales", "0", "100"), ("tax_output", "0", "13")
    )
    again = await owner.post(f"{API}/settings/chart", json={"template": "generic"})
    assert again.status_code == 409
    unknown = await owner.post(f"{API}/settings/chart", json={"template": "martian"})
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "chart_template")


async def test_settings_company_currency_only_before_the_first_entry(
    client: httpx.AsyncClient,
) -> None:
    owner = await accounting_tenant(client)
    settings = f"{API}/settings"
    changed = await owner.client.patch(
        settings, json={"company_currency": "usd"}, headers=owner.headers
    )
    assert changed.status_code == 200 and changed.json()["company_currency"] == "USD"
    bad = await owner.client.patch(
        settings, json={"company_currency": "XXX"}, headers=owner.headers
    )
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "company_currency")
    await posted(owner, ("expense", "1", "0"), ("cash", "0", "1"))
    late = await owner.client.patch(
        settings, json={"company_currency": "CNY"}, headers=owner.headers
    )
    assert late.status_code == 409
    ahead = await owner.client.patch(
        settings, json={"allow_future_dates": False}, headers=owner.headers
    )
    assert ahead.json()["allow_future_dates"] is False
    future = await owner.post(
        f"{API}/entries",
        json={"journal": "MISC", "date": "2999-01-01", "post": True,
              "lines": [{"account": "expense", "debit": "1"}, {"account": "cash", "credit": "1"}]},
    )  # fmt: skip
    assert (future.status_code, future.json()["errors"][0]["field"]) == (422, "date")


async def test_journals_are_added_renamed_and_archived(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    made = await owner.post(
        f"{API}/journals", json={"code": "OPEN", "name": "Opening", "kind": "general"}
    )
    assert made.status_code == 201, made.text
    assert (
        await owner.post(f"{API}/journals", json={"code": "OPEN", "name": "Again"})
    ).status_code == 409
    assert (
        await owner.post(f"{API}/journals", json={"code": "X1", "name": "X", "kind": "odd"})
    ).status_code == 422
    entry = await posted(owner, ("expense", "1", "0"), ("cash", "0", "1"), journal="OPEN")
    assert entry["number"].startswith("OPEN/")
    journal = made.json()["id"]
    archived = await owner.client.patch(
        f"{API}/journals/{journal}", json={"active": False}, headers=owner.headers
    )
    assert archived.status_code == 200
    codes = [j["code"] for j in (await owner.get(f"{API}/journals")).json()["items"]]
    assert codes == sorted(["BNK", "CSH", "EXP", "MISC", "OPEN", "PUJ", "SAJ", "STJ"])
    refused = await owner.post(
        f"{API}/entries",
        json={"journal": "OPEN", "date": "2026-11-26",
              "lines": [{"account": "expense", "debit": "1"}, {"account": "cash", "credit": "1"}]},
    )  # fmt: skip
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "journal")
