"""What the browser app learns of the CRM: menu, resources (a board of deals by stage), dashboard.

Every endpoint the metadata names is called as the app would call it, so a renamed route or
report field fails here rather than in the browser.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from tessera_crm.ui import MENU

from tests.crm.test_accounts_contacts import crm_tenant
from tests.crm.test_deals import DEALS, PIPELINES, deal
from tests.support import LiveServer, join, make_client, sign_up

UI = "/api/v1/ui"


def dates_of(period: str, today: date) -> tuple[date, date]:
    """The period as the browser app turns it into ``from`` and ``to``."""
    if period == "today":
        return today, today
    if period == "this_month":
        return today.replace(day=1), today
    if period.startswith("last_"):
        days = int(period.split("_")[1])
        return today - timedelta(days=days - 1), today
    raise AssertionError(f"no test for period {period!r}")


def value_at(body: Any, path: str) -> Any:
    for part in path.split("."):
        body = body[int(part)] if isinstance(body, list) else body[part]
    return body


async def test_the_menu_shows_what_exists_and_the_caller_may_see(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await sign_up(client)
    assert (await owner.get(f"{UI}/menus")).json() == []
    assert (await owner.post("/api/v1/modules/crm/enable")).is_success
    crm = [m for m in (await owner.get(f"{UI}/menus")).json() if m["module"] == "crm"]
    # Leads, activities and tickets appear with their read permissions, declared by the models
    # that come with them; the others are there now.
    declared = {p["name"] for p in (await owner.get("/api/v1/permissions")).json()}
    expected = [m.label for m in MENU if m.permission in declared]
    assert {"Accounts", "Contacts", "Deals", "Reports"} <= set(expected)
    assert [m["label"] for m in crm] == expected
    assert [m["path"] for m in crm][:2] == ["/crm/accounts", "/crm/contacts"]
    async with make_client(live_server) as other:
        rep = await join(live_server, owner, other)
        labels = [m["label"] for m in (await rep.get(f"{UI}/menus")).json() if m["module"] == "crm"]
        assert labels == expected, "reps see the same menu"


async def test_resources_describe_accounts_contacts_and_a_board_of_deals(
    client: httpx.AsyncClient,
) -> None:
    owner = await crm_tenant(client)
    resources = {r["name"]: r for r in (await owner.get(f"{UI}/resources")).json()}
    assert {"crm.account", "crm.contact", "crm.deal", "crm.stage"} <= set(resources)
    for resource in resources.values():
        if resource["module"] != "crm":
            continue
        listed = await owner.get(resource["endpoint"])
        assert listed.status_code == 200, (resource["name"], listed.text)
        if isinstance(listed.json(), dict):
            assert set(listed.json()) == {"items", "next_cursor"}, "a page the list screen reads"
        else:
            assert resource["name"] == "crm.pipeline", "only pipelines come as one short list"
        fields = {f["name"] for f in resource["fields"]}
        assert set(resource["list_columns"]) <= fields and resource["title_field"] in fields
    account = resources["crm.account"]
    assert account["can_write"] is True
    assert account["form"][0] == ["name"]
    deals = resources["crm.deal"]
    assert deals["kanban_by"] == "stage_id" and deals["calendar_by"] == "expected_close"
    by_name = {f["name"]: f for f in deals["fields"]}
    assert by_name["stage_id"] == {
        "name": "stage_id",
        "label": "Stage",
        "type": "reference",
        "required": False,
        "read_only": False,
        "options": [],
        "reference": "crm.stage",
        "create_only": False,
        "option_labels": [],
        "reference_from": None,
        "reference_resources": {},
        "upload_endpoint": None,
        "download_endpoint": None,
        "schema_from": None,
        "schema_field": None,
        "help": None,
        "line_fields": [],
        "line_amount": [],
    }
    lines = by_name["lines"]
    assert lines["type"] == "lines" and ["lines"] in deals["form"]
    assert [cell["name"] for cell in lines["line_fields"]] == [
        "sku",
        "description",
        "quantity",
        "unit_price",
        "discount",
        "amount",
    ]
    assert lines["line_amount"] == ["quantity", "unit_price", "discount"]
    assert by_name["approval"]["options"] == ["none", "pending", "approved", "rejected"]
    about = {f["name"]: f for f in resources["crm.activity"]["fields"]}["record_id"]
    assert (about["type"], about["reference_from"]) == ("reference", "record_type")
    assert about["reference_resources"]["ticket"] == "crm.ticket"
    assert by_name["amount"]["type"] == "money"
    assert set(deals["filters"]) == {
        "pipeline_id",
        "stage_id",
        "status",
        "approval",
        "owner_id",
        "expected_close",
    }
    assert resources["crm.stage"]["can_write"] is False, "stages are made with their pipeline"
    # Every field a deal's screens name is in the API's answer for a deal.
    made = await deal(owner, discount="5")
    assert set(by_name) <= set(made)
    # The board: its columns are the pipeline's stages, in order; its cards the deals in each.
    [sales] = (await owner.get(PIPELINES)).json()
    columns = await owner.get(
        resources["crm.stage"]["endpoint"], params={"pipeline_id": sales["id"]}
    )
    assert [c["name"] for c in columns.json()["items"]] == [s["name"] for s in sales["stages"]]
    first = columns.json()["items"][0]
    assert first["pipeline_id"] == sales["id"] and first["probability"] == 10
    cards = await owner.get(DEALS, params={"stage_id": first["id"], "pipeline_id": sales["id"]})
    assert [d["id"] for d in cards.json()["items"]] == [made["id"]]
    one = await owner.get(f"{resources['crm.stage']['endpoint']}/{first['id']}")
    assert one.status_code == 200 and one.json() == first


def sample(field: dict[str, Any], parameter: str) -> dict[str, str]:
    """Query parameters the list's filter of ``field`` takes (matching nothing, most likely);
    a date filters as a range, ``<parameter>_from`` and ``<parameter>_to``."""
    if field["type"] == "enum":
        return {parameter: str(field["options"][0])}
    if field["type"] == "bool":
        return {parameter: "true"}
    if field["type"] in ("date", "datetime"):
        start = datetime(2027, 3, 1, tzinfo=UTC)
        if field["type"] == "date":
            return {f"{parameter}_from": "2027-03-01", f"{parameter}_to": "2027-03-31"}
        end = start + timedelta(days=31)
        return {f"{parameter}_from": start.isoformat(), f"{parameter}_to": end.isoformat()}
    return {parameter: str(uuid.uuid4())}


async def test_lists_take_what_the_metadata_says(client: httpx.AsyncClient) -> None:
    """Every search, sort, filter parameter, export and timeline the app is told of works."""
    owner = await crm_tenant(client)
    account = (await owner.post("/api/v1/crm/accounts", json={"name": "Acme"})).json()
    ticket = (await owner.post("/api/v1/crm/tickets", json={"subject": "Help"})).json()
    resources = {r["name"]: r for r in (await owner.get(f"{UI}/resources")).json()}
    for name, resource in resources.items():
        endpoint, fields = resource["endpoint"], {f["name"]: f for f in resource["fields"]}
        for sort in resource["sort_fields"]:
            for order in (sort, f"-{sort}"):
                sorted_ = await owner.get(endpoint, params={"sort": order})
                assert sorted_.status_code == 200, (name, order, sorted_.text)
        if resource["search"]:
            assert (await owner.get(endpoint, params={"q": "acm"})).status_code == 200, name
        for field in resource["filters"]:
            parameter = resource["filter_params"].get(field, field)
            filtered = await owner.get(endpoint, params=sample(fields[field], parameter))
            assert filtered.status_code == 200, (name, parameter, filtered.text)
        if resource["export_endpoint"]:
            exported = await owner.get(resource["export_endpoint"], params={"format": "csv"})
            assert exported.status_code == 200, (name, exported.text)
        if resource["import_endpoint"]:
            csv = "name,last_name,first_name\nGlobex,Jones,Ann\n"
            checked = await owner.post(
                resource["import_endpoint"], json={"format": "csv", "content": csv, "dry_run": True}
            )
            assert checked.status_code == 200, (name, checked.text)
            # What the app's import dialog reads of the report (the guide's "Imports").
            assert {"rows", "columns", "errors", "warnings", "created", "skipped"} <= set(
                checked.json()
            )
        if resource["timeline_endpoint"]:
            record = {"crm.account": account, "crm.ticket": ticket}[name]
            timeline = await owner.get(resource["timeline_endpoint"].format(id=record["id"]))
            assert set(timeline.json()) == {"items", "next_cursor"}, (name, timeline.text)
        if resource["audit_type"]:
            assert resource["audit_type"] == name.replace(".", "_")
    history = await owner.get(f"/api/v1/audit/records/crm_account/{account['id']}")
    assert history.status_code == 200 and history.json()["items"][0]["action"] == "create"
    assert {n for n, r in resources.items() if r["import_endpoint"]} == {
        "crm.account",
        "crm.contact",
    }
    assert resources["crm.deal"]["approvable"] and not resources["crm.account"]["approvable"]
    assert resources["crm.account"]["can_delete"] and not resources["crm.deal"]["can_delete"]
    create_only = {f["name"] for f in resources["crm.deal"]["fields"] if f["create_only"]}
    assert create_only == {"account_id", "pipeline_id"}, "a deal's PATCH does not take them"
    [reports] = [m for m in (await owner.get(f"{UI}/menus")).json() if m["label"] == "Reports"]
    assert reports["dashboard"] == "crm.sales"


async def test_stages_of_another_tenant_are_not_found(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as other_client:
        other = await crm_tenant(other_client)
        [theirs] = (await other.get(PIPELINES)).json()
    stage = theirs["stages"][0]["id"]
    assert (await owner.get(f"/api/v1/crm/stages/{stage}")).status_code == 404
    listed = await owner.get("/api/v1/crm/stages", params={"pipeline_id": theirs["id"]})
    assert listed.json()["items"] == []
    assert (await owner.get("/api/v1/crm/stages", params={"sort": "colour"})).status_code == 422


async def test_the_dashboard_metrics_read_real_reports(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    won = await deal(owner)
    assert (await owner.post(f"{DEALS}/{won['id']}/won")).is_success
    today = datetime.now(UTC).date()
    await deal(owner, amount="300.00", currency="USD", expected_close=today.isoformat())
    [dashboard] = [d for d in (await owner.get(f"{UI}/dashboards")).json() if d["module"] == "crm"]
    assert dashboard["name"] == "crm.sales" and dashboard["label"] == "Sales"
    metrics = {m["name"]: m for m in dashboard["metrics"]}
    assert list(metrics) == [
        "crm.pipeline_value",
        "crm.win_rate",
        "crm.deals_won_this_month",
        "crm.forecast",
        "crm.funnel",
    ]
    answers: dict[str, Any] = {}
    for name, metric in metrics.items():
        params = dict(metric["params"])
        if metric["period"]:
            start, end = dates_of(metric["period"], today)
            params |= {"from": start.isoformat(), "to": end.isoformat()}
        response = await owner.get(metric["endpoint"], params=params)
        assert response.status_code == 200, (name, response.text)
        answers[name] = body = response.json()
        if metric["display"] in ("number", "percent"):
            value_at(body, metric["value"])
        else:
            names = {s["name"] for s in body["series"]}
            assert set(metric["series"]) <= names, (name, names)
            assert all(len(s["data"]) == len(body["labels"]) for s in body["series"])
    assert value_at(answers["crm.deals_won_this_month"], "count") == 1
    assert value_at(answers["crm.win_rate"], "rate") == "100.00"
    open_usd = [
        s["data"] for s in answers["crm.pipeline_value"]["series"]
        if s["name"] == "open" and s["currency"] == "USD"
    ]  # fmt: skip
    assert open_usd == [["300.00", "0.00", "0.00", "0.00"]]
    weighted = [s for s in answers["crm.forecast"]["series"] if s["name"] == "weighted"]
    assert [(s["currency"], s["data"][0]) for s in weighted] == [("USD", "30.00")]


async def test_the_dashboard_is_there_while_the_module_is_on(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    assert (await owner.get(f"{UI}/dashboards")).json() != []
    async with make_client(live_server) as other:
        rep = await join(live_server, owner, other)
        # Every built-in role reads reports (a rep's cover their own deals).
        assert [d["name"] for d in (await rep.get(f"{UI}/dashboards")).json()] == ["crm.sales"]
        # Switched off, the module's dashboard is gone for everyone.
        assert (await owner.post("/api/v1/modules/crm/disable")).is_success
        assert (await rep.get(f"{UI}/dashboards")).json() == []
        assert (await owner.get(f"{UI}/dashboards")).json() == []


async def test_the_app_reads_the_crm_in_the_language_it_asks_for(
    client: httpx.AsyncClient,
) -> None:
    """Accept-Language picks the CRM's catalogue (and the core's); English otherwise."""
    owner = await crm_tenant(client)
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
    menus = (await owner.get(f"{UI}/menus", headers=chinese)).json()
    assert {m["path"]: m["label"] for m in menus}["/crm/deals"] == "商机"
    resources = {r["name"]: r for r in (await owner.get(f"{UI}/resources", headers=chinese)).json()}
    deal_fields = {f["name"]: f for f in resources["crm.deal"]["fields"]}
    assert resources["crm.deal"]["label"] == "商机"
    assert deal_fields["amount"]["label"] == "金额"
    status = deal_fields["status"]
    assert dict(zip(status["options"], status["option_labels"], strict=True)) == {
        "open": "进行中",
        "won": "赢单",
        "lost": "输单",
    }
    dashboards = (await owner.get(f"{UI}/dashboards", headers=chinese)).json()
    assert "赢单率" in {m["label"] for d in dashboards for m in d["metrics"]}
    modules = {m["name"]: m for m in (await owner.get("/api/v1/modules", headers=chinese)).json()}
    assert modules["crm"]["label"] == "客户关系管理"
    permissions = {
        p["name"]: p["description"]
        for p in (await owner.get("/api/v1/permissions", headers=chinese)).json()
    }
    assert permissions["crm.deal.read"] == "查看商机和销售管道"
    assert permissions["audit.entry.read"] == "查看和导出审计日志"

    english = {r["name"]: r for r in (await owner.get(f"{UI}/resources")).json()}
    assert english["crm.deal"]["label"] == "Deal"
    english_status = next(f for f in english["crm.deal"]["fields"] if f["name"] == "status")
    assert english_status["option_labels"] == ["Open", "Won", "Lost"]


async def test_only_members_who_may_import_are_offered_the_import(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    """A rep may write accounts but not import (crm.data.import is the admins' by default)."""
    owner = await crm_tenant(client)
    async with make_client(live_server) as other:
        rep = await join(live_server, owner, other)
        seen = {r["name"]: r for r in (await rep.get(f"{UI}/resources")).json()}
        assert seen["crm.account"]["can_write"] and seen["crm.account"]["import_endpoint"] is None
        refused = await rep.post(
            "/api/v1/crm/imports/accounts",
            json={"format": "csv", "content": "name\nGlobex\n", "dry_run": True},
        )
        assert refused.status_code == 403
