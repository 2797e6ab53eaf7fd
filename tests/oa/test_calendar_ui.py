"""What the browser app learns of the calendar, rooms, bookings and announcements: menu entries,
resources whose every list parameter works, a calendar view, and every text in Chinese.

Every endpoint the metadata names is called as the app would call it, so a renamed route or
field fails here rather than in the browser.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from tessera_oa.calendar_translations import ZH
from tessera_oa.calendar_ui import MENU, RESOURCES

from tests.oa.calendar_support import BOOKINGS, at, event, iso, room
from tests.oa.support import colleague, oa_tenant
from tests.support import LiveServer

UI = "/api/v1/ui"
MINE = {r.name for r in RESOURCES}


def sample(field: dict[str, Any], parameter: str) -> dict[str, str]:
    """Query parameters a list's filter of ``field`` takes, as the app sends them."""
    if field["type"] == "enum":
        return {parameter: str(field["options"][0])}
    if field["type"] == "bool":
        return {parameter: "true"}
    if field["type"] == "datetime":
        start = datetime.now(UTC)
        return {
            f"{parameter}_from": start.isoformat(),
            f"{parameter}_to": (start + timedelta(days=35)).isoformat(),
        }
    return {parameter: str(uuid.uuid4())}


async def test_menus_and_resources_work_as_declared(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    everest = await room(owner)
    made = await event(owner, "Planning", room_id=everest["id"])
    booking = (await owner.get(f"{BOOKINGS}/{made['booking_id']}")).json()
    await owner.post("/api/v1/oa/announcements", json={"title": "Hello"})
    menus = [m for m in (await owner.get(f"{UI}/menus")).json() if m["module"] == "oa"]
    assert {m.label for m in MENU} <= {m["label"] for m in menus}
    resources = {r["name"]: r for r in (await owner.get(f"{UI}/resources")).json()}
    assert set(resources) >= MINE
    samples = {"oa.event": made, "oa.room": everest, "oa.booking": booking}
    for name in sorted(MINE):
        resource = resources[name]
        endpoint, fields = resource["endpoint"], {f["name"]: f for f in resource["fields"]}
        listed = await owner.get(endpoint)
        assert listed.status_code == 200 and set(listed.json()) == {"items", "next_cursor"}, name
        assert listed.json()["items"], f"{name}: the record made above is listed"
        for sort in resource["sort_fields"]:
            for order in (sort, f"-{sort}"):
                assert (await owner.get(endpoint, params={"sort": order})).status_code == 200, (
                    name,
                    order,
                )
        if resource["search"]:
            assert (await owner.get(endpoint, params={"q": "ever"})).status_code == 200
        for field in resource["filters"]:
            parameter = resource["filter_params"].get(field, field)
            filtered = await owner.get(endpoint, params=sample(fields[field], parameter))
            assert filtered.status_code == 200, (name, parameter, filtered.text)
        record = samples.get(name, listed.json()["items"][0])
        assert set(fields) <= set(record), f"{name}: every field is in the API's answer"
        assert (await owner.get(f"{endpoint}/{record['id']}")).status_code == 200
        assert resource["can_write"] is True and resource["can_delete"] is True
        assert resource["audit_type"] == {"oa.booking": "oa_room_booking"}.get(
            name, name.replace(".", "_")
        )
    for name in ("oa.event", "oa.booking"):
        assert resources[name]["calendar_by"] == "starts_at"
        # The calendar view's month: the window the app asks for finds the record.
        month = {"during_from": iso(at(-3, 0)), "during_to": iso(at(32, 0))}
        found = (await owner.get(resources[name]["endpoint"], params=month)).json()["items"]
        assert [r["id"] for r in found] == [samples[name]["id"]]
    member = await colleague(live_server, owner)
    theirs = {r["name"]: r for r in (await member.get(f"{UI}/resources")).json()}
    assert theirs["oa.room"]["can_write"] is False and theirs["oa.event"]["can_write"] is True
    assert theirs["oa.announcement"]["can_write"] is False


async def test_every_text_reads_in_chinese(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    chinese = {"Accept-Language": "zh-CN"}
    menus = {
        m["path"]: m["label"]
        for m in (await owner.client.get(f"{UI}/menus", headers=chinese)).json()
    }
    for item in MENU:
        assert menus[item.path] == ZH[item.label]
    resources = {
        r["name"]: r for r in (await owner.client.get(f"{UI}/resources", headers=chinese)).json()
    }
    for declared in RESOURCES:
        shown = resources[declared.name]
        assert shown["label"] == ZH[declared.label]
        for field, answer in zip(declared.fields, shown["fields"], strict=True):
            assert answer["label"] == ZH[field.label], field.name
            humanized = [option.replace("_", " ").capitalize() for option in field.options]
            assert answer["option_labels"] == [ZH[h] for h in humanized]
    permissions = (await owner.client.get("/api/v1/permissions", headers=chinese)).json()
    mine = [
        p
        for p in permissions
        if p["name"].split(".")[1] in ("event", "room", "booking", "announcement")
    ]
    assert len(mine) == 7
    assert all(p["description"] in ZH.values() for p in mine)
