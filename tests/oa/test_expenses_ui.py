"""What the browser app learns of expenses — menus, resources, the dashboard — in English and
Chinese, and the report "expenses per category and month" called as the dashboard calls it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import asyncpg
from tessera_oa import expense_approval, expense_permissions, expense_translations, expense_ui
from tessera_oa.plugin import tessera_ui

from tessera.plugin import UI
from tests.oa.expense_support import (
    CLAIMS,
    EXPENSES,
    act,
    category,
    claim,
    fetch,
    line,
    office,
    settle,
    submitted,
)
from tests.oa.support import set_manager
from tests.support import LiveServer

MENUS, RESOURCES, DASHBOARDS = "/api/v1/ui/menus", "/api/v1/ui/resources", "/api/v1/ui/dashboards"
REPORT = f"{EXPENSES}/reports/by-category"
CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_every_text_of_expenses_has_its_chinese() -> None:
    shown = UI(
        menus=expense_ui.MENU, resources=expense_ui.RESOURCES, dashboards=(expense_ui.DASHBOARD,)
    ).texts()
    shown |= {p.description for p in expense_permissions.PERMISSIONS}
    shown |= {expense_approval.CLAIM.label, expense_approval.ADVANCE.label}
    missing = sorted(text for text in shown if text not in expense_translations.ZH)
    assert missing == []
    # And the module's catalogue carries them (the registry refuses texts nobody shows).
    assert expense_translations.ZH.items() <= tessera_ui().translations["zh"].items()


async def test_the_app_is_told_of_expenses_by_permission_and_in_chinese(
    live_server: LiveServer,
) -> None:
    async with office(live_server) as o:
        mine = [m["label"] for m in (await o.member.get(MENUS)).json() if m["module"] == "oa"]
        assert {"Expense claims", "Cash advances", "Expense reports"} <= set(mine)
        assert "Expense categories" not in mine, "categories are the admins' to manage"
        admin = [m for m in (await o.owner.get(MENUS)).json() if m["module"] == "oa"]
        categories = next(m for m in admin if m["label"] == "Expense categories")
        assert categories["resource"] == "oa.expense_category"

        resources = {r["name"]: r for r in (await o.member.get(RESOURCES)).json()}
        claim_screen = resources["oa.expense_claim"]
        assert claim_screen["approvable"] is True and claim_screen["can_write"] is True
        assert claim_screen["form"] == [["title"], ["description"], ["advance_id"]]
        assert resources["oa.expense_advance"]["approvable"] is True
        assert resources["oa.expense_category"]["can_write"] is False
        line_fields = {f["name"]: f for f in resources["oa.expense_line"]["fields"]}
        assert line_fields["claim_id"]["reference"] == "oa.expense_claim"
        # The receipt is chosen in the line's form: uploaded first, then named by its id.
        receipt = line_fields["receipt_file_id"]
        assert receipt["type"] == "file"
        assert receipt["upload_endpoint"] == f"{EXPENSES}/receipts"
        assert receipt["download_endpoint"] == f"{EXPENSES}/lines/{{id}}/receipt"

        zh = {r["name"]: r for r in (await o.member.get(RESOURCES, headers=CHINESE)).json()}
        assert zh["oa.expense_claim"]["label"] == "报销单"
        status = next(f for f in zh["oa.expense_claim"]["fields"] if f["name"] == "status")
        assert dict(zip(status["options"], status["option_labels"], strict=True)) == {
            "draft": "草稿",
            "submitted": "已提交",
            "approved": "已批准",
            "rejected": "已驳回",
            "paid": "已付款",
        }
        zh_menus = {
            m["path"]: m["label"] for m in (await o.member.get(MENUS, headers=CHINESE)).json()
        }
        assert zh_menus["/oa/expenses/claims"] == "费用报销"
        permissions = {
            p["name"]: p["description"]
            for p in (await o.owner.get("/api/v1/permissions", headers=CHINESE)).json()
        }
        assert permissions["oa.expense.pay"] == "将已批准的报销单和借款标记为已付款"
        types = (await o.owner.get("/api/v1/workflow/record-types", headers=CHINESE)).json()
        labels = {t["record_type"]: t["label"] for t in types}
        assert labels["oa.expense_claim"] == "报销单"
        assert labels["oa.expense_advance"] == "备用金借款"


def dates_of(period: str, today: date) -> tuple[date, date]:
    assert period.startswith("last_"), period
    return today - timedelta(days=int(period.split("_")[1]) - 1), today


async def test_the_dashboard_charts_approved_expenses_per_category_and_month(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        travel = await category(o.owner, "Travel")
        meals = await category(o.owner, "Meals")
        today = datetime.now(UTC).date()
        last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=10).isoformat()
        approved = await claim(
            o.member,
            line(travel["id"], "100.00", spent_on=last_month),
            line(travel["id"], "50.00"),
            line(meals["id"], "20.00"),
            line(meals["id"], "7.00", "USD"),
        )
        pending = await claim(o.member, line(travel["id"], "999.00"))
        theirs = await claim(o.manager, line(travel["id"], "40.00"))
        await submitted(o.member, approved["id"])
        await submitted(o.member, pending["id"])
        await act(o.manager, "approve", record_id=approved["id"])
        await set_manager(o.owner, o.manager.user_id, o.owner.user_id)
        await submitted(o.manager, theirs["id"])
        await act(o.owner, "approve", record_id=theirs["id"])
        await settle(live_server, owner_db, o.owner.tenant_id)
        assert (await fetch(o.member, f"{CLAIMS}/{approved['id']}"))["status"] == "approved"

        [dashboard] = [
            d for d in (await o.member.get(DASHBOARDS)).json() if d["name"] == "oa.expenses"
        ]
        [metric] = dashboard["metrics"]
        assert metric["display"] == "bar" and metric["period"] == "last_365_days"
        start, end = dates_of(metric["period"], today)
        answer = await o.member.get(
            metric["endpoint"], params={"from": start.isoformat(), "to": end.isoformat()}
        )
        assert answer.status_code == 200, answer.text
        chart = answer.json()
        assert chart["labels"][-1] == today.strftime("%Y-%m") and len(chart["labels"]) in (12, 13)
        series = {s["name"]: s for s in chart["series"]}
        assert set(series) == {"Meals (CNY)", "Meals (USD)", "Travel (CNY)"}, "pending left out"
        travel_data = series["Travel (CNY)"]["data"]
        assert travel_data[-1] == "50.00" and travel_data[-2] == "100.00"
        assert series["Travel (CNY)"]["total"] == "150.00"
        assert chart["totals"] == [
            {"currency": "CNY", "amount": "170.00"},
            {"currency": "USD", "amount": "7.00"},
        ]
        # Finance sees everyone's approved claims; a currency narrows it.
        every = (await o.finance.get(REPORT, params={"currency": "cny"})).json()
        assert {s["name"] for s in every["series"]} == {"Meals (CNY)", "Travel (CNY)"}
        assert every["totals"] == [{"currency": "CNY", "amount": "210.00"}]
        refused = await o.member.get(REPORT, params={"from": "2026-05-01", "to": "2026-04-01"})
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "from"
        unknown = await o.member.get(REPORT, params={"currency": "XYZ"})
        assert unknown.status_code == 422
