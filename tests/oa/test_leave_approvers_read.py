"""An approver reads the leave request they are asked to decide on (as "My approvals" shows it),
though their own permission reaches only their own requests; acting on it stays the
requester's."""

from __future__ import annotations

import httpx

from tests.oa.leave_support import REQUESTS, allocate, asked, company, day, decide, type_id
from tests.oa.support import colleague
from tests.support import LiveServer


async def test_the_approver_reads_the_request_and_no_one_else_does(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    stranger = await colleague(live_server, team.owner)
    annual = await type_id(team.owner, "Annual leave")
    await allocate(team.owner, team.employee.user_id, annual, "10")
    made = await asked(team.employee, annual, day("03-03"), day("03-04"))
    one = f"{REQUESTS}/{made['id']}"

    seen = await team.manager.get(one)
    assert seen.status_code == 200, seen.text
    assert seen.json()["user_id"] == team.employee.user_id
    assert (await stranger.get(one)).status_code == 404, "no task, no permission: not found"
    assert (await team.manager.post(f"{one}/withdraw")).status_code == 404, "reading only"
    await decide(team.manager, made["id"], "approve")
    assert (await team.manager.get(one)).status_code == 200, "a decided task still reads"
    await stranger.client.aclose()
    await team.close()
