"""The approval and the reminders as production runs them: the real ``tessera scheduler`` and
``tessera worker`` processes on the test app's database, nothing run by the test itself."""

from __future__ import annotations

import pytest
from contracts_support import (
    CONTRACTS,
    account,
    approve,
    body,
    contract,
    notifications,
    set_threshold,
)

from tessera.plugin.testing import BackgroundProcesses, TesseraApp
from tessera.plugin.testing.pytest_plugin import TenantFactory


@pytest.mark.timeout(240)
async def test_the_worker_activates_an_approved_contract_and_the_scheduler_reminds(
    tessera_app: TesseraApp, tessera_tenant: TenantFactory
) -> None:
    tenant = await tessera_tenant("crm", "contracts")
    await set_threshold(tenant, "5000")
    approver = await tenant.client_as("admin")
    # Within the threshold, active at once, its first instalment due in two days.
    small = await contract(tenant.owner, await account(tenant.owner), number="S-1",
                           plan=((2, "1000.00"), (60, "2000.00")))  # fmt: skip
    body(await tenant.owner.post(f"{CONTRACTS}/{small['id']}/sign"))
    big = await contract(tenant.owner, await account(tenant.owner, "Big Co"), number="B-1",
                         amount="9000.00", plan=((90, "9000.00"),))  # fmt: skip
    assert body(await tenant.owner.post(f"{CONTRACTS}/{big['id']}/sign"))["status"] == (
        "pending_approval"
    )
    await approve(approver, big["id"])

    # Started now, so the scheduler's first daily period finds this tenant's module on.
    background = BackgroundProcesses(tessera_app).start()
    try:

        async def activated() -> bool:
            found = body(await tenant.owner.get(f"{CONTRACTS}/{big['id']}"))
            return bool(found["status"] == "active")

        await background.wait_until(activated, within=90)

        async def reminded() -> list[dict[str, object]]:
            return await notifications(tenant.owner, "contracts.instalment_due")

        told = await background.wait_until(reminded, within=90)
        assert [n["title"] for n in told] == [
            f"S-1: 1000.00 CNY due on {small['instalments'][0]['due_date']}"
        ]
    finally:
        background.stop()
