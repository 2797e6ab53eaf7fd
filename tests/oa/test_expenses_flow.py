"""Expense claims from draft to paid, over real HTTP, on the platform's workflow engine.

Each test builds its own office: the owner, an admin (finance, in the default workflow), a
member and the member's manager. The engine's outcome reaches the claim through its events;
``settle`` hands them to OA's handlers as a worker would.
"""

from __future__ import annotations

from decimal import Decimal

import asyncpg

from tests.oa.expense_support import (
    CATEGORIES,
    CLAIMS,
    LINES,
    WORKFLOW,
    act,
    category,
    claim,
    counts,
    events,
    fetch,
    inbox_of,
    line,
    office,
    receipt,
    settle,
    submitted,
)
from tests.support import LiveServer


async def test_an_over_limit_claim_goes_to_the_manager_then_finance_then_is_paid(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        travel = await category(
            o.owner, "Travel", currency="CNY", limit_period="line", limit_amount="500.00",
            receipt_threshold="200.00",
        )  # fmt: skip
        meals = await category(o.owner, "Meals", currency="CNY")
        scan = await receipt(o.member)
        made = await claim(
            o.member,
            line(travel["id"], "800.00", receipt_file_id=scan, description="Train"),
            line(travel["id"], "120.50"),
            line(meals["id"], "45.00"),
            line(meals["id"], "12.30", "USD"),
            title="Shanghai visit",
        )
        assert made["status"] == "draft" and len(made["lines"]) == 4
        assert made["totals"] == [
            {"currency": "CNY", "total": "965.50", "advance": "0.00", "net_payable": "965.50",
             "advance_unused": "0.00"},
            {"currency": "USD", "total": "12.30", "advance": "0.00", "net_payable": "12.30",
             "advance_unused": "0.00"},
        ]  # fmt: skip

        sent = await submitted(o.member, made["id"])
        assert sent["status"] == "submitted" and sent["over_limit"] is True
        over = {entry["description"]: entry["over_limit"] for entry in sent["lines"]}
        assert over == {"Train": True, "Taxi": False}
        assert (await o.member.post(f"{CLAIMS}/{made['id']}/submit")).status_code == 409
        # Lines and the claim's guarded fields stay as submitted while the approval runs.
        locked = await o.member.client.patch(
            f"{LINES}/{sent['lines'][1]['id']}", json={"amount": "1.00"}, headers=o.member.headers
        )
        assert locked.status_code == 409, locked.text

        # Nobody is asked twice, and finance waits for the manager.
        assert [t["record_type"] for t in await inbox_of(o.manager)] == ["oa.expense_claim"]
        assert await inbox_of(o.finance) == []
        # The manager may read what they are asked to decide on; another member may not.
        assert (await o.manager.get(f"{CLAIMS}/{made['id']}")).status_code == 200
        await act(o.manager, "approve")
        await settle(live_server, owner_db, o.owner.tenant_id)
        assert (await fetch(o.member, f"{CLAIMS}/{made['id']}"))["status"] == "submitted"
        # The withdrawal comes too late once an approver has decided.
        late = await o.member.post(f"{CLAIMS}/{made['id']}/withdraw")
        assert late.status_code == 409 and "decided" in late.json()["detail"]

        await act(o.finance, "approve")
        assert await events(owner_db, o.owner.tenant_id, "oa.expense.approved") == []
        await settle(live_server, owner_db, o.owner.tenant_id)
        approved = await fetch(o.member, f"{CLAIMS}/{made['id']}")
        assert approved["status"] == "approved" and approved["decided_at"] is not None

        [event] = await events(owner_db, o.owner.tenant_id, "oa.expense.approved")
        assert event["claim_id"] == made["id"] and event["user_id"] == o.member.user_id
        assert event["title"] == "Shanghai visit" and event["over_limit"] is True
        assert event["advance"] is None
        assert event["totals"] == [
            {"currency": "CNY", "total": "965.50", "advance": "0.00", "net_payable": "965.50",
             "advance_unused": "0.00"},
            {"currency": "USD", "total": "12.30", "advance": "0.00", "net_payable": "12.30",
             "advance_unused": "0.00"},
        ]  # fmt: skip
        assert [
            (c["category"], c["currency"], c["amount"], c["lines"])
            for c in event["lines_by_category"]
        ] == [("Meals", "CNY", "45.00", 1), ("Meals", "USD", "12.30", 1),
              ("Travel", "CNY", "920.50", 2)]  # fmt: skip
        assert {c["category_id"] for c in event["lines_by_category"]} == {travel["id"], meals["id"]}

        # Only finance pays; and once.
        assert (await o.member.post(f"{CLAIMS}/{made['id']}/pay")).status_code == 403
        paid = await o.finance.post(f"{CLAIMS}/{made['id']}/pay", json={"reference": "TX-42"})
        assert paid.status_code == 200, paid.text
        body = paid.json()
        assert body["status"] == "paid" and body["paid_by"] == o.finance.user_id
        assert body["payment_reference"] == "TX-42"
        assert (await o.finance.post(f"{CLAIMS}/{made['id']}/pay")).status_code == 409
        [paid_event] = await events(owner_db, o.owner.tenant_id, "oa.expense.paid")
        assert paid_event["claim_id"] == made["id"] and paid_event["status"] == "paid"
        assert paid_event["paid_by"] == o.finance.user_id
        assert paid_event["payment_reference"] == "TX-42"
        told = (await o.member.get("/api/v1/notifications")).json()["items"]
        assert any(n["type"] == "oa.expense_paid" for n in told)
        # Every change is in the audit trail, by who made it.
        trail = await o.owner.get(f"/api/v1/audit/records/oa_expense_claim/{made['id']}")
        actors = {entry["actor_user_id"] for entry in trail.json()["items"]}
        assert {o.member.user_id, o.finance.user_id} <= actors


async def test_a_claim_within_its_limits_needs_only_the_manager(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        travel = await category(
            o.owner, "Travel", currency="CNY", limit_period="line", limit_amount="500.00"
        )
        made = await claim(o.member, line(travel["id"], "500.00"))
        sent = await submitted(o.member, made["id"])
        assert sent["over_limit"] is False and sent["lines"][0]["over_limit"] is False
        await act(o.manager, "approve")
        assert await inbox_of(o.finance) == [], "within the limit, finance is skipped"
        await settle(live_server, owner_db, o.owner.tenant_id)
        assert (await fetch(o.member, f"{CLAIMS}/{made['id']}"))["status"] == "approved"
        assert len(await events(owner_db, o.owner.tenant_id, "oa.expense.approved")) == 1
        # Delivered again, the engine's events change nothing and emit nothing twice.
        async with owner_db.transaction():
            await owner_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", o.owner.tenant_id
            )
            await owner_db.execute("DELETE FROM event_delivery WHERE handler LIKE 'oa:%'")
        await settle(live_server, owner_db, o.owner.tenant_id)
        assert len(await events(owner_db, o.owner.tenant_id, "oa.expense.approved")) == 1


async def test_a_monthly_limit_counts_the_members_other_claims_of_the_month(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        phone = await category(
            o.owner, "Phone", currency="CNY", limit_period="month", limit_amount="300.00"
        )
        day = "2026-01-15"
        first = await claim(o.member, line(phone["id"], "200.00", spent_on=day))
        assert (await submitted(o.member, first["id"]))["over_limit"] is False
        # A draft does not count; a submitted claim does.
        other_month = await claim(o.member, line(phone["id"], "250.00", spent_on="2026-02-01"))
        assert (await submitted(o.member, other_month["id"]))["over_limit"] is False
        second = await claim(o.member, line(phone["id"], "150.00", spent_on="2026-01-31"))
        sent = await submitted(o.member, second["id"])
        assert sent["over_limit"] is True, "200 + 150 in January is above 300"
        # A rejected claim no longer counts.
        await act(o.manager, "reject", record_id=first["id"])
        await settle(live_server, owner_db, o.owner.tenant_id)
        third = await claim(o.member, line(phone["id"], "50.00", spent_on=day))
        sent = await submitted(o.member, third["id"])
        assert sent["over_limit"] is False, "150 + 50: the rejected 200 is out"
        fourth = await claim(o.member, line(phone["id"], "100.01", spent_on=day))
        assert (await submitted(o.member, fourth["id"]))["over_limit"] is True, "300.01"


async def test_a_line_in_another_currency_cannot_be_compared_so_it_counts_as_over(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        hotel = await category(
            o.owner, "Hotel", currency="CNY", limit_period="line", limit_amount="800.00",
            receipt_threshold="300.00",
        )  # fmt: skip
        made = await claim(o.member, line(hotel["id"], "10.00", "EUR"))
        refused = await o.member.post(f"{CLAIMS}/{made['id']}/submit")
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == "lines[0].receipt_file_id"
        assert "EUR" in refused.json()["detail"]
        await o.member.client.patch(
            f"{LINES}/{made['lines'][0]['id']}",
            json={"receipt_file_id": await receipt(o.member)},
            headers=o.member.headers,
        )
        assert (await submitted(o.member, made["id"]))["over_limit"] is True


async def test_a_receipt_is_required_above_the_threshold_and_refusal_leaves_the_draft(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        taxi = await category(o.owner, "Taxi", currency="CNY", receipt_threshold="100.00")
        made = await claim(o.member, line(taxi["id"], "100.00"), line(taxi["id"], "100.01"))
        before = await counts(owner_db, o.owner.tenant_id)
        refused = await o.member.post(f"{CLAIMS}/{made['id']}/submit")
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == "lines[1].receipt_file_id"
        assert await counts(owner_db, o.owner.tenant_id) == before, "nothing written"
        assert (await fetch(o.member, f"{CLAIMS}/{made['id']}"))["status"] == "draft"
        # Uploaded straight onto the line, the receipt is there and the claim goes.
        uploaded = await o.member.client.post(
            f"{LINES}/{made['lines'][1]['id']}/receipt",
            params={"filename": "taxi.png"},
            content=b"\x89PNG fake",
            headers={**o.member.headers, "Content-Type": "image/png"},
        )
        assert uploaded.status_code == 200 and uploaded.json()["has_receipt"] is True
        assert (await submitted(o.member, made["id"]))["status"] == "submitted"
        # The approver reads the receipt; the bytes come back as they went.
        download = await o.manager.get(f"{LINES}/{made['lines'][1]['id']}/receipt")
        assert download.status_code == 200 and download.content == b"\x89PNG fake"


async def test_withdrawn_before_any_decision_the_claim_is_a_draft_again(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        misc = await category(o.owner, "Misc")
        made = await claim(o.member, line(misc["id"], "10.00"))
        sent = await submitted(o.member, made["id"])
        # Only the member withdraws.
        assert (await o.manager.post(f"{CLAIMS}/{made['id']}/withdraw")).status_code == 403
        withdrawn = await o.member.post(f"{CLAIMS}/{made['id']}/withdraw")
        assert withdrawn.status_code == 200, withdrawn.text
        assert withdrawn.json()["status"] == "draft" and withdrawn.json()["submitted_at"] is None
        assert await inbox_of(o.manager) == [], "the engine withdrew the manager's task"
        history = await o.member.get(f"{WORKFLOW}/records/oa.expense_claim/{made['id']}/history")
        assert [h["instance"]["status"] for h in history.json()] == ["cancelled"]
        [event] = await events(owner_db, o.owner.tenant_id, "oa.expense.withdrawn")
        assert event["approval_id"] == sent["approval_id"]
        # A draft again: changed and submitted anew, on a new approval.
        changed = await o.member.client.patch(
            f"{CLAIMS}/{made['id']}", json={"title": "Changed"}, headers=o.member.headers
        )
        assert changed.status_code == 200 and changed.json()["title"] == "Changed"
        again = await submitted(o.member, made["id"])
        assert again["approval_id"] != sent["approval_id"]
        # The old approval's late events change nothing.
        await settle(live_server, owner_db, o.owner.tenant_id)
        assert (await fetch(o.member, f"{CLAIMS}/{made['id']}"))["status"] == "submitted"


async def test_a_claim_sent_back_is_a_draft_and_a_rejected_one_is_final(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        misc = await category(o.owner, "Misc")
        made = await claim(o.member, line(misc["id"], "10.00"))
        await submitted(o.member, made["id"])
        await act(o.manager, "return")
        await settle(live_server, owner_db, o.owner.tenant_id)
        assert (await fetch(o.member, f"{CLAIMS}/{made['id']}"))["status"] == "draft"
        await submitted(o.member, made["id"])
        await act(o.manager, "reject")
        await settle(live_server, owner_db, o.owner.tenant_id)
        rejected = await fetch(o.member, f"{CLAIMS}/{made['id']}")
        assert rejected["status"] == "rejected"
        assert (await o.member.post(f"{CLAIMS}/{made['id']}/submit")).status_code == 409
        assert (await o.finance.post(f"{CLAIMS}/{made['id']}/pay")).status_code == 409
        [event] = await events(owner_db, o.owner.tenant_id, "oa.expense.rejected")
        assert event["by_user_id"] == o.manager.user_id


async def test_who_sees_which_claims_and_how_lists_filter(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        misc = await category(o.owner, "Misc")
        mine = await claim(o.member, line(misc["id"], "10.00"), title="Mine")
        theirs = await claim(o.manager, line(misc["id"], "20.00"), title="Theirs")
        await submitted(o.member, mine["id"])
        seen = [c["id"] for c in (await fetch(o.member, CLAIMS))["items"]]
        assert seen == [mine["id"]], "a member sees their own"
        assert (await o.member.get(f"{CLAIMS}/{theirs['id']}")).status_code == 404
        # The manager sees their own and the one they are asked to approve.
        asked = {c["id"] for c in (await fetch(o.manager, CLAIMS))["items"]}
        assert asked == {mine["id"], theirs["id"]}
        # Finance and admins see all; filters by status, member and day.
        every = await fetch(o.finance, CLAIMS)
        assert {c["id"] for c in every["items"]} == {mine["id"], theirs["id"]}
        assert every["items"][0]["total_summary"] in ("10.00 CNY", "20.00 CNY")
        by_status = await fetch(o.finance, f"{CLAIMS}?status=submitted")
        assert [c["id"] for c in by_status["items"]] == [mine["id"]]
        by_member = await fetch(o.finance, f"{CLAIMS}?user_id={o.manager.user_id}")
        assert [c["id"] for c in by_member["items"]] == [theirs["id"]]
        today = mine["created_at"][:10]
        by_day = await fetch(
            o.finance, f"{CLAIMS}?submitted_at_from={today}&submitted_at_to={today}"
        )
        assert [c["id"] for c in by_day["items"]] == [mine["id"]]
        first = await fetch(o.finance, f"{CLAIMS}?limit=1")
        assert len(first["items"]) == 1 and first["next_cursor"]
        rest = await fetch(o.finance, f"{CLAIMS}?limit=1&cursor={first['next_cursor']}")
        assert len(rest["items"]) == 1 and rest["items"][0]["id"] != first["items"][0]["id"]
        # Lines follow their claims' visibility.
        lines_seen = await fetch(o.member, f"{LINES}?claim_id={theirs['id']}")
        assert lines_seen["items"] == []
        assert (
            Decimal((await fetch(o.member, f"{LINES}?claim_id={mine['id']}"))["items"][0]["amount"])
            == 10
        )
        # Categories are every member's to read, the admins' to change.
        assert (await o.member.get(CATEGORIES)).status_code == 200
        assert (await o.member.post(CATEGORIES, json={"name": "Mine"})).status_code == 403


async def test_a_draft_is_deleted_to_the_recycle_bin_with_its_lines(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        misc = await category(o.owner, "Misc")
        made = await claim(
            o.member, line(misc["id"], "10.00", receipt_file_id=await receipt(o.member))
        )
        gone = await o.member.delete(f"{CLAIMS}/{made['id']}")
        assert gone.status_code == 200, gone.text
        assert (await o.member.get(f"{CLAIMS}/{made['id']}")).status_code == 404
        binned = (await o.member.get("/api/v1/recycle-bin")).json()["items"]
        [item] = [b for b in binned if b["record_id"] == made["id"]]
        assert item["records"] == 2
        restored = await o.member.post(f"/api/v1/recycle-bin/{item['id']}/restore")
        assert restored.status_code == 200, restored.text
        back = await fetch(o.member, f"{CLAIMS}/{made['id']}")
        assert back["lines"][0]["has_receipt"] is True
        # A category in use is archived rather than deleted.
        refused = await o.owner.delete(f"{CATEGORIES}/{misc['id']}")
        assert refused.status_code == 409 and "archive" in refused.json()["detail"]
