"""CRM activities over real HTTP: logging, the calendar, record checks, record rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.crm.test_accounts_contacts import CONTACTS, account, crm_tenant, patch
from tests.crm.test_deals import deal
from tests.support import LiveServer, SignedUp, join, make_client

ACTIVITIES = "/api/v1/crm/activities"
NOBODY = "01a21466-0000-7000-8000-000000000000"


def at(hours: float) -> str:
    """A moment ``hours`` from a fixed day, as the API takes it."""
    return (datetime(2027, 3, 1, 9, tzinfo=UTC) + timedelta(hours=hours)).isoformat()


async def activity(
    who: SignedUp, record_type: str, record_id: str, **fields: Any
) -> dict[str, Any]:
    made = await who.post(
        ACTIVITIES,
        json={
            "kind": "call",
            "subject": "Follow up",
            "record_type": record_type,
            "record_id": record_id,
            **fields,
        },
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def ids(who: SignedUp, **params: Any) -> list[str]:
    listed = await who.get(ACTIVITIES, params=params)
    assert listed.status_code == 200, listed.text
    return [item["id"] for item in listed.json()["items"]]


async def test_activities_round_trip(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    person = await owner.post(CONTACTS, json={"last_name": "Hopper", "account_id": acme["id"]})
    assert person.status_code == 201, person.text
    contact_id = person.json()["id"]
    big = await deal(owner, account_id=acme["id"])
    lone = await deal(owner)

    call = await activity(
        owner, "contact", contact_id, body="Asked for a quote", due_at=at(1), remind_at=at(0)
    )
    assert call["account_id"] == acme["id"], "the contact's account, for the timeline"
    assert call["owner_id"] == owner.user_id and call["done_at"] is None
    meeting = await activity(owner, "deal", big["id"], kind="meeting", subject="Demo")
    assert meeting["account_id"] == acme["id"]
    note = await activity(owner, "deal", lone["id"], kind="note", subject="No account")
    assert note["account_id"] is None
    on_account = await activity(owner, "account", acme["id"], kind="task", subject="Send deck")
    assert on_account["account_id"] == acme["id"]

    fetched = (await owner.get(f"{ACTIVITIES}/{call['id']}")).json()
    assert fetched["subject"] == "Follow up" and fetched["remind_at"] == at(0).replace(
        "+00:00", "Z"
    )
    changed = await patch(
        owner, f"{ACTIVITIES}/{call['id']}", {"subject": "Call back", "due_at": None}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["subject"] == "Call back" and changed.json()["due_at"] is None
    assert changed.json()["remind_at"] is not None, "fields not sent stay as they were"

    done = await owner.post(f"{ACTIVITIES}/{on_account['id']}/complete")
    assert done.status_code == 200 and done.json()["done_at"] is not None
    assert (await owner.post(f"{ACTIVITIES}/{on_account['id']}/complete")).status_code == 409

    assert await ids(owner, record_type="deal", record_id=big["id"]) == [meeting["id"]]
    assert await ids(owner, kind="note") == [note["id"]]
    assert await ids(owner, status="done") == [on_account["id"]]
    assert set(await ids(owner, status="open")) == {call["id"], meeting["id"], note["id"]}
    assert len(await ids(owner, owner="me")) == 4

    assert (await owner.delete(f"{ACTIVITIES}/{note['id']}")).status_code == 200
    assert (await owner.get(f"{ACTIVITIES}/{note['id']}")).status_code == 404
    assert len(await ids(owner)) == 3


async def test_the_calendar_lists_a_range_of_due_dates(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    made = {
        hours: (await activity(owner, "account", acme["id"], due_at=at(hours)))["id"]
        for hours in (-30, -1, 0, 5, 23, 24, 48)
    }
    await activity(owner, "account", acme["id"], subject="Undated")

    day = await ids(owner, due_from=at(0), due_to=at(24), sort="due_at")
    assert day == [made[0], made[5], made[23]], "from inclusive, to exclusive, by due date"
    assert await ids(owner, due_from=at(24), sort="-due_at") == [made[48], made[24]]
    assert await ids(owner, due_to=at(0), sort="due_at") == [made[-30], made[-1]]
    # A calendar pages through a busy week in due order, with nothing repeated or skipped.
    week: dict[str, Any] = {"due_from": at(-48), "due_to": at(72), "sort": "due_at", "limit": 2}
    seen: list[str] = []
    while True:
        page = (await owner.get(ACTIVITIES, params=week)).json()
        seen += [item["id"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        week["cursor"] = page["next_cursor"]
    assert seen == [made[h] for h in sorted(made)]

    bad: list[tuple[dict[str, str], str]] = [
        ({"due_from": at(5), "due_to": at(5)}, "due_to"),
        ({"due_from": at(5), "due_to": at(1)}, "due_to"),
        ({"due_from": "2027-03-01T09:00:00"}, "due_from"),
        ({"due_to": "next week"}, "due_to"),
        ({"record_type": "deal"}, "record_id"),
        ({"record_id": acme["id"]}, "record_type"),
        ({"record_type": "planet", "record_id": acme["id"]}, "record_type"),
        ({"kind": "lunch"}, "kind"),
        ({"status": "sleeping"}, "status"),
        ({"sort": "subject"}, "sort"),
    ]
    for params, field in bad:
        response = await owner.get(ACTIVITIES, params=params)
        assert response.status_code in (400, 422), (params, response.text)
        assert any(e["field"] == field for e in response.json()["errors"]), (params, response.text)


async def test_bad_activities_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    async with make_client(live_server) as other_client:
        other = await crm_tenant(other_client)
        theirs = await account(other, "Theirs")
        their_deal = await deal(other)
        theirs_logged = await activity(other, "account", theirs["id"])
    base = {"kind": "call", "subject": "S", "record_type": "account", "record_id": acme["id"]}
    cases: list[tuple[dict[str, Any], str]] = [
        ({**base, "kind": "lunch"}, "kind"),
        ({**base, "kind": 3}, "kind"),
        ({**base, "subject": ""}, "subject"),
        ({**base, "subject": "x" * 201}, "subject"),
        ({k: v for k, v in base.items() if k != "subject"}, "subject"),
        ({k: v for k, v in base.items() if k != "record_id"}, "record_id"),
        ({**base, "record_type": "planet"}, "record_type"),
        ({**base, "record_type": "lead"}, "record_id"),
        ({**base, "record_id": "not-an-id"}, "record_id"),
        ({**base, "record_id": NOBODY}, "record_id"),
        ({**base, "record_id": theirs["id"]}, "record_id"),
        ({**base, "record_type": "deal", "record_id": their_deal["id"]}, "record_id"),
        ({**base, "record_type": "contact"}, "record_id"),
        ({**base, "due_at": "2027-03-01T09:00:00"}, "due_at"),
        ({**base, "due_at": "tomorrow"}, "due_at"),
        ({**base, "remind_at": "soon"}, "remind_at"),
        ({**base, "remind_at": [2027, 3, 1]}, "remind_at"),
        ({**base, "owner_id": other.user_id}, "owner_id"),
        ({**base, "done_at": at(0)}, "done_at"),
    ]
    for body, field in cases:
        response = await owner.post(ACTIVITIES, json=body)
        assert response.status_code in (400, 422), (body, response.text)
        assert any(e["field"] == field for e in response.json()["errors"]), (body, response.text)
    assert await ids(owner) == []

    made = await activity(owner, "account", acme["id"])
    for body, field in (
        ({"kind": "lunch"}, "kind"),
        ({"subject": ""}, "subject"),
        ({"remind_at": "soon"}, "remind_at"),
        ({"record_id": theirs["id"]}, "record_id"),
    ):
        response = await patch(owner, f"{ACTIVITIES}/{made['id']}", body)
        assert response.status_code in (400, 422), (body, response.text)
        assert any(e["field"] == field for e in response.json()["errors"]), (body, response.text)
    assert (await owner.get(f"{ACTIVITIES}/{made['id']}")).json()["kind"] == "call"
    # Another tenant's activity is not there for this one.
    assert (await owner.get(f"{ACTIVITIES}/{theirs_logged['id']}")).status_code == 404
    assert (await owner.post(f"{ACTIVITIES}/{theirs_logged['id']}/complete")).status_code == 404


async def test_reps_see_only_their_own_activities(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as a, make_client(live_server) as b:
        rep = await join(live_server, owner, a)
        other_rep = await join(live_server, owner, b)
        mine_account = await account(rep, "Mine")
        theirs_account = await account(other_rep, "Theirs")
        mine = await activity(rep, "account", mine_account["id"])
        theirs = await activity(other_rep, "account", theirs_account["id"])

        assert await ids(rep) == [mine["id"]]
        for method, path in (
            ("GET", f"{ACTIVITIES}/{theirs['id']}"),
            ("PATCH", f"{ACTIVITIES}/{theirs['id']}"),
            ("POST", f"{ACTIVITIES}/{theirs['id']}/complete"),
            ("DELETE", f"{ACTIVITIES}/{theirs['id']}"),
        ):
            body = {"subject": "Mine now"} if method == "PATCH" else None
            response = await rep.client.request(method, path, json=body, headers=rep.headers)
            assert response.status_code == 404, (method, path, response.text)
        # Nor can a rep log an activity on a record they cannot see.
        refused = await rep.post(
            ACTIVITIES,
            json={
                "kind": "call",
                "subject": "Sneak",
                "record_type": "account",
                "record_id": theirs_account["id"],
            },
        )
        assert refused.status_code == 422, refused.text
        # Handing an activity to a colleague hands it over: it leaves the rep's list.
        handed = await patch(rep, f"{ACTIVITIES}/{mine['id']}", {"owner_id": other_rep.user_id})
        assert handed.status_code == 200, handed.text
        assert await ids(rep) == []
        assert set(await ids(other_rep)) == {mine["id"], theirs["id"]}
        assert set(await ids(owner)) == {mine["id"], theirs["id"]}


async def test_work_logged_on_a_lead_keeps_it_out_of_the_pool(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    made = await owner.post(
        "/api/v1/crm/leads", json={"last_name": "Lovelace", "company": "Engines"}
    )
    assert made.status_code == 201, made.text
    lead = made.json()

    async def touched() -> datetime:
        found = (await owner.get(f"/api/v1/crm/leads/{lead['id']}")).json()["last_touched_at"]
        return datetime.fromisoformat(found.replace("Z", "+00:00"))

    before = await touched()
    call = await activity(owner, "lead", lead["id"], subject="Intro call")
    assert call["account_id"] is None, "not converted: no account yet"
    logged = await touched()
    assert logged > before, "logging work touches the lead"
    assert (await owner.post(f"{ACTIVITIES}/{call['id']}/complete")).status_code == 200
    assert await touched() > logged, "and so does completing it"
    assert await ids(owner, record_type="lead", record_id=lead["id"]) == [call["id"]]


async def test_the_screens_of_activities_and_tickets_name_what_the_api_gives(
    client: httpx.AsyncClient,
) -> None:
    owner = await crm_tenant(client)
    resources = {r["name"]: r for r in (await owner.get("/api/v1/ui/resources")).json()}
    activities, tickets = resources["crm.activity"], resources["crm.ticket"]
    assert activities["calendar_by"] == "due_at" and tickets["kanban_by"] == "status"
    kinds = {f["name"]: f for f in activities["fields"]}["record_type"]["options"]
    assert kinds == ["account", "contact", "deal", "ticket", "lead"]
    acme = await account(owner, "Acme")
    logged = await activity(owner, "account", acme["id"], due_at=at(1))
    opened = (await owner.post("/api/v1/crm/tickets", json={"subject": "Help"})).json()
    for resource, made in ((activities, logged), (tickets, opened)):
        assert {f["name"] for f in resource["fields"]} <= set(made), resource["name"]
    # The calendar's cards: the month of the due date.
    month = await ids(owner, due_from=at(-24 * 10), due_to=at(24 * 20))
    assert month == [logged["id"]]
