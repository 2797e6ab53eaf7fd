"""The activities report: activities logged per owner and kind, by month, under record rules."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from tests.crm.test_accounts_contacts import account, crm_tenant
from tests.crm.test_activities import activity
from tests.support import LiveServer, join, make_client

REPORT = "/api/v1/crm/reports/activities"


async def test_activities_per_owner_and_kind(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as other:
        rep = await join(live_server, owner, other)
        acme = await account(owner, "Acme")
        mine = await account(rep, "Rep's")
        for kind in ("call", "call", "email"):
            await activity(owner, "account", acme["id"], kind=kind, subject=kind)
        await activity(rep, "account", mine["id"], kind="meeting", subject="Kick-off")
        month = datetime.now(UTC).date().replace(day=1).isoformat()

        everyone = (await owner.get(REPORT, params={"interval": "month"})).json()
        assert everyone["count"] == 4
        assert everyone["kinds"] == {"call": 2, "email": 1, "meeting": 1}
        assert everyone["labels"][-1] == month
        got = {(s["owner_id"], s["name"]): s["data"][-1] for s in everyone["series"]}
        assert got == {
            (owner.user_id, "call"): "2",
            (owner.user_id, "email"): "1",
            (rep.user_id, "meeting"): "1",
        }

        own = (await rep.get(REPORT)).json()
        assert own["kinds"] == {"meeting": 1}, "a rep's report covers the rep's activities"
        calls = (await owner.get(REPORT, params={"kind": "call"})).json()
        assert calls["count"] == 2

        for params in ({"kind": "visit"}, {"interval": "day"}, {"from": "2026-13-01"}):
            assert (await owner.get(REPORT, params=params)).status_code == 400, params
        backwards = await owner.get(REPORT, params={"from": "2026-02-01", "to": "2026-01-01"})
        assert backwards.status_code == 422
