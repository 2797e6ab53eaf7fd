"""The record actions the browser app is told of: which buttons a claim's and a leave request's
pages have, for whom, in which language — and that posting one as the app does moves the record."""

from __future__ import annotations

from typing import Any

from tests.oa.expense_support import CLAIMS, category, claim, fetch, line, office
from tests.support import LiveServer, SignedUp

RESOURCES = "/api/v1/ui/resources"
CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


async def actions_of(who: SignedUp, resource: str, **headers: str) -> dict[str, dict[str, Any]]:
    answer = await who.client.get(RESOURCES, headers={**who.headers, **headers})
    assert answer.status_code == 200, answer.text
    [found] = [r for r in answer.json() if r["name"] == resource]
    return {action["name"]: action for action in found["actions"]}


async def test_a_claims_actions_are_served_by_permission_with_their_conditions(
    live_server: LiveServer,
) -> None:
    async with office(live_server) as o:
        mine = await actions_of(o.member, "oa.expense_claim")
        assert list(mine) == ["submit", "withdraw"], "paying is finance's"
        assert mine["submit"] == {
            "name": "submit",
            "label": "Submit",
            "endpoint": f"{CLAIMS}/{{id}}/submit",
            "when": [{"field": "status", "values": ["draft"]}],
            "confirm": None,
            "danger": False,
            "body_fields": [],
        }
        assert mine["withdraw"]["confirm"] == "Withdraw it back to draft?"
        finance = await actions_of(o.finance, "oa.expense_claim")
        pay = finance["pay"]
        assert pay["when"] == [{"field": "status", "values": ["approved"]}]
        assert [(f["name"], f["label"], f["type"]) for f in pay["body_fields"]] == [
            ("reference", "Payment reference", "text")
        ]
        zh = await actions_of(o.finance, "oa.expense_claim", **CHINESE)
        assert [zh[name]["label"] for name in ("submit", "withdraw", "pay")] == [
            "提交",
            "撤回",
            "标记为已付款",
        ]
        assert zh["withdraw"]["confirm"] == "撤回为草稿？"
        assert zh["pay"]["body_fields"][0]["label"] == "付款凭证号"

        leave = await actions_of(o.member, "oa.leave_request", **CHINESE)
        assert {name: a["label"] for name, a in leave.items()} == {
            "withdraw": "撤回",
            "cancel": "取消休假",
        }
        assert leave["cancel"]["danger"] is True
        assert leave["cancel"]["when"] == [{"field": "status", "values": ["approved"]}]


async def test_posting_an_action_as_the_app_does_moves_the_record(live_server: LiveServer) -> None:
    async with office(live_server) as o:
        travel = await category(o.owner, "Travel")
        draft = await claim(o.member, line(travel["id"], "12.00"))
        submit = (await actions_of(o.member, "oa.expense_claim"))["submit"]
        posted = await o.member.post(submit["endpoint"].replace("{id}", draft["id"]))
        assert posted.status_code == 200, posted.text
        assert (await fetch(o.member, f"{CLAIMS}/{draft['id']}"))["status"] == "submitted"
        again = await o.member.post(submit["endpoint"].replace("{id}", draft["id"]))
        assert again.status_code == 409, "the server, not the button, has the last word"
