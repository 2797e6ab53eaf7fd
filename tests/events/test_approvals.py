"""Approvals with the background running: approvers and requesters are notified, and the
scheduler escalates a step that waits past its time limit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.events.conftest import StackFactory
from tests.events_support import wait_until
from tests.platform.test_workflow import (
    act,
    company,
    inbox,
    new_claim,
    only_task,
    replace_default,
    submit,
)
from tests.support import SignedUp

pytestmark = pytest.mark.timeout(180)


async def titles(who: SignedUp) -> list[str]:
    response = await who.get("/api/v1/notifications")
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


async def test_approvers_and_requesters_are_told(stacks: StackFactory) -> None:
    stack = stacks.new(None)
    assert stack.web is not None
    async with company(stack.web) as co:
        claim = await new_claim(co.requester, "120")
        await submit(co.requester, claim)

        async def manager_told() -> list[str]:
            return [t for t in await titles(co.manager) if t.startswith("Approval requested")]

        [told] = await wait_until(manager_told, within=60)
        assert "Expense claim" in told
        assert await titles(co.admin) == [], "only the step's approver is asked"
        approved = await act(co.manager, await only_task(co.manager), "approve")
        assert approved.status_code == 200, approved.text

        async def requester_told() -> list[str]:
            return [t for t in await titles(co.requester) if "was approved" in t]

        await wait_until(requester_told, within=60)


async def test_the_scheduler_escalates_an_overdue_step(stacks: StackFactory) -> None:
    stack = stacks.new(None)
    assert stack.web is not None
    async with company(stack.web) as co:
        step: dict[str, Any] = {
            "name": "Manager",
            "approvers": "manager",
            "time_limit_minutes": 1,
            "escalate_to": co.admin.user_id,
        }
        await replace_default(co.owner, [step])
        claim = await new_claim(co.requester, "90")
        await submit(co.requester, claim)
        task = await only_task(co.manager)
        conn = await stack.connect(co.owner.tenant_id)
        try:
            # The minute is over (moved back rather than waited for).
            await conn.execute(
                "UPDATE workflow_task SET due_at = now() - interval '1 second' WHERE id = $1::uuid",
                task,
            )
        finally:
            await conn.close()

        async def escalated() -> list[dict[str, Any]]:
            return await inbox(co.admin)

        [item] = await wait_until(escalated, within=60)
        assert await inbox(co.manager) == []
        assert item["task"]["id"] != task


async def test_members_copied_on_a_step_are_told(stacks: StackFactory) -> None:
    stack = stacks.new(None)
    assert stack.web is not None
    async with company(stack.web) as co:
        step = {"name": "Manager", "approvers": "manager", "cc": [co.admin.user_id]}
        await replace_default(co.owner, [step])
        await submit(co.requester, await new_claim(co.requester, "45"))

        async def admin_told() -> list[str]:
            return [t for t in await titles(co.admin) if t.startswith("Copied on an approval")]

        [told] = await wait_until(admin_told, within=60)
        assert "Expense claim" in told and "Manager" in told
        assert [t for t in await titles(co.requester) if t.startswith("Copied")] == []
        copied = await co.admin.get("/api/v1/workflow/copied")
        assert [c["approval"]["title"] for c in copied.json()["items"]] == ["Trip"]
