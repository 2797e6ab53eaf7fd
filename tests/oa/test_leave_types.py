"""Leave types over real HTTP: seeded when the module is first enabled, changed by admins."""

from __future__ import annotations

from decimal import Decimal

import httpx

from tests.oa.leave_support import TYPES, allocate, company, type_id
from tests.oa.support import oa_tenant, patch
from tests.support import LiveServer


async def test_a_tenant_starts_with_three_types_and_shapes_them(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    types = {t["name"]: t for t in (await owner.get(TYPES)).json()["items"]}
    assert list(types) == ["Annual leave", "Sick leave", "Unpaid leave"]
    assert types["Unpaid leave"]["paid"] is False and types["Unpaid leave"]["allow_negative"]
    assert Decimal(types["Sick leave"]["attachment_over_days"]) == 2
    made = await owner.post(
        TYPES,
        json={"name": "Study leave", "yearly_days": "3", "carry_over_days": "1.5", "paid": False},
    )
    assert made.status_code == 201, made.text
    study = made.json()
    changed = await patch(
        owner, f"{TYPES}/{study['id']}", {"attachment_over_days": "1", "active": False}
    )
    assert changed.status_code == 200
    assert Decimal(changed.json()["attachment_over_days"]) == 1 and not changed.json()["active"]
    cleared = await patch(owner, f"{TYPES}/{study['id']}", {"attachment_over_days": None})
    assert cleared.json()["attachment_over_days"] is None
    active = [
        t["name"] for t in (await owner.get(TYPES, params={"active": "true"})).json()["items"]
    ]
    assert "Study leave" not in active
    assert (await owner.delete(f"{TYPES}/{study['id']}")).status_code == 200
    assert (await owner.get(f"{TYPES}/{study['id']}")).status_code == 404
    # Enabling again later seeds nothing more.
    assert (await owner.post("/api/v1/modules/oa/disable")).status_code == 200
    assert (await owner.post("/api/v1/modules/oa/enable")).status_code == 200
    assert len((await owner.get(TYPES)).json()["items"]) == 3


async def test_a_type_in_use_is_retired_not_deleted(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    await allocate(team.owner, team.employee.user_id, annual, "5")
    refused = await team.owner.delete(f"{TYPES}/{annual}")
    assert refused.status_code == 409 and "retire" in refused.json()["detail"]
    assert (await team.owner.get(f"{TYPES}/{annual}")).status_code == 200
    await team.close()
