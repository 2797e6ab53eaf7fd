"""Cash advances over real HTTP: requested, approved on the engine, paid, and deducted from one
claim at most — also when several claims try at the same moment."""

from __future__ import annotations

import asyncio

import asyncpg

from tests.oa.expense_support import (
    ADVANCES,
    CLAIMS,
    act,
    category,
    claim,
    counts,
    events,
    fetch,
    line,
    office,
    paid_advance,
    settle,
    submitted,
)
from tests.oa.support import patch
from tests.support import LiveServer, make_client, sign_up


async def test_an_advance_is_approved_paid_and_deducted_never_below_zero(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        advance = await paid_advance(o, live_server, owner_db, "500.00")
        assert advance["payment_reference"] == "C-1" and advance["applied_claim_id"] is None
        [event] = await events(owner_db, o.owner.tenant_id, "oa.expense_advance.approved")
        assert event["advance_id"] == advance["id"] and event["amount"] == "500.00"
        [paid] = await events(owner_db, o.owner.tenant_id, "oa.expense_advance.paid")
        assert paid["status"] == "paid"
        travel = await category(o.owner, "Travel")
        made = await claim(
            o.member,
            line(travel["id"], "300.00"),
            line(travel["id"], "20.00", "USD"),
            advance_id=advance["id"],
        )
        assert made["totals"] == [
            {"currency": "CNY", "total": "300.00", "advance": "500.00", "net_payable": "0.00",
             "advance_unused": "200.00"},
            {"currency": "USD", "total": "20.00", "advance": "0.00", "net_payable": "20.00",
             "advance_unused": "0.00"},
        ]  # fmt: skip
        shown = await fetch(o.member, f"{ADVANCES}/{advance['id']}")
        assert shown["applied_claim_id"] == made["id"]
        await submitted(o.member, made["id"])
        await act(o.manager, "approve")
        await settle(live_server, owner_db, o.owner.tenant_id)
        [approved] = await events(owner_db, o.owner.tenant_id, "oa.expense.approved")
        assert approved["advance"] == {
            "advance_id": advance["id"], "amount": "500.00", "currency": "CNY"
        }  # fmt: skip
        assert approved["totals"][0]["net_payable"] == "0.00"


async def test_an_advance_is_deducted_once_even_when_claims_race_for_it(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        advance = await paid_advance(o, live_server, owner_db)
        travel = await category(o.owner, "Travel")
        drafts = [await claim(o.member, line(travel["id"], "900.00")) for _ in range(6)]

        # At once: the client's pool sends them on separate connections, the server runs them
        # in parallel transactions.
        answers = await asyncio.gather(
            *(patch(o.member, f"{CLAIMS}/{d['id']}", {"advance_id": advance["id"]}) for d in drafts)
        )
        codes = sorted(a.status_code for a in answers)
        assert codes == [200, 409, 409, 409, 409, 409], [a.text for a in answers]
        for refused in (a for a in answers if a.status_code == 409):
            assert "already deducted" in refused.json()["detail"]
        holders = [
            d["id"]
            for d in drafts
            if (await fetch(o.member, f"{CLAIMS}/{d['id']}"))["advance_id"] == advance["id"]
        ]
        assert len(holders) == 1
        # New claims naming it at the same moment: refused too.
        racing = await asyncio.gather(
            *(
                o.member.post(CLAIMS, json={"title": "Race", "advance_id": advance["id"]})
                for _ in range(3)
            )
        )
        assert [r.status_code for r in racing] == [409, 409, 409]
        # Let go (the claim rejected), the advance may be deducted once more.
        await submitted(o.member, holders[0])
        await act(o.manager, "reject", record_id=holders[0])
        await settle(live_server, owner_db, o.owner.tenant_id)
        rejected = await fetch(o.member, f"{CLAIMS}/{holders[0]}")
        assert rejected["status"] == "rejected" and rejected["advance_id"] is None
        other = next(d["id"] for d in drafts if d["id"] != holders[0])
        again = await patch(o.member, f"{CLAIMS}/{other}", {"advance_id": advance["id"]})
        assert again.status_code == 200, again.text


async def test_only_a_paid_advance_of_the_claimant_in_the_claims_currency_is_deducted(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        travel = await category(o.owner, "Travel")
        draft_advance = (
            await o.member.post(ADVANCES, json={"amount": "100.00", "currency": "CNY"})
        ).json()
        made = await claim(o.member, line(travel["id"], "50.00"))
        before = await counts(owner_db, o.owner.tenant_id)
        unpaid = await patch(
            o.member, f"{CLAIMS}/{made['id']}", {"advance_id": draft_advance["id"]}
        )
        assert unpaid.status_code == 422 and unpaid.json()["errors"][0]["field"] == "advance_id"
        assert "draft" in unpaid.json()["detail"]
        # The manager's paid advance is not the member's to deduct.
        theirs = await o.manager.post(ADVANCES, json={"amount": "10.00", "currency": "CNY"})
        refused = await patch(
            o.member, f"{CLAIMS}/{made['id']}", {"advance_id": theirs.json()["id"]}
        )
        assert refused.status_code == 422
        assert await counts(owner_db, o.owner.tenant_id) == {
            **before, "oa_expense_advance": before["oa_expense_advance"] + 1,
            "audit_entry": before["audit_entry"] + 1,
        }  # fmt: skip
        # A USD advance on a claim with no USD expenses deducts nothing: refused on submission.
        usd = await paid_advance(o, live_server, owner_db, "30.00", "USD")
        taken = await patch(o.member, f"{CLAIMS}/{made['id']}", {"advance_id": usd["id"]})
        assert taken.status_code == 200, taken.text
        late = await o.member.post(f"{CLAIMS}/{made['id']}/submit")
        assert late.status_code == 422 and late.json()["errors"][0]["field"] == "advance_id"
        assert (await fetch(o.member, f"{CLAIMS}/{made['id']}"))["status"] == "draft"


async def test_an_advance_recorded_for_a_member_is_theirs_to_submit(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        recorded = await o.owner.post(
            ADVANCES, json={"amount": "80.00", "currency": "CNY", "user_id": o.member.user_id}
        )
        assert recorded.status_code == 201, recorded.text
        advance = recorded.json()
        assert advance["user_id"] == o.member.user_id and advance["created_by"] == o.owner.user_id
        # The recorder may still change the draft; only the member submits it.
        changed = await patch(o.owner, f"{ADVANCES}/{advance['id']}", {"purpose": "Trip"})
        assert changed.status_code == 200 and changed.json()["purpose"] == "Trip"
        assert (await o.owner.post(f"{ADVANCES}/{advance['id']}/submit")).status_code == 403
        assert (await o.member.post(f"{ADVANCES}/{advance['id']}/submit")).status_code == 200
        # Members record only their own.
        other = await o.member.post(
            ADVANCES, json={"amount": "1.00", "currency": "CNY", "user_id": o.manager.user_id}
        )
        assert other.status_code == 403
        # Withdrawn before the manager decides, it is a draft again.
        withdrawn = await o.member.post(f"{ADVANCES}/{advance['id']}/withdraw")
        assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "draft"
        assert (await o.member.delete(f"{ADVANCES}/{advance['id']}")).status_code == 200
        async with make_client(live_server) as elsewhere:
            stranger = await sign_up(elsewhere)
            before = await counts(owner_db, o.owner.tenant_id)
            foreign = await o.owner.post(
                ADVANCES, json={"amount": "1.00", "currency": "CNY", "user_id": stranger.user_id}
            )
            assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "user_id"
            assert await counts(owner_db, o.owner.tenant_id) == before
        listed = await fetch(o.finance, f"{ADVANCES}?user_id={o.member.user_id}")
        assert listed["items"] == []
