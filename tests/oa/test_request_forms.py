"""Request forms: their fields checked by name, who may design them, their own workflows, and
that another tenant's forms cannot be reached."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from tests.oa.request_support import (
    FORMS,
    REQUESTS,
    WORKFLOW,
    counts,
    draft,
    fetch,
    fields_named,
    form,
    office,
)
from tests.oa.support import oa_tenant
from tests.support import LiveServer, make_client

TEXT = {"key": "note", "label": "Note", "type": "text"}


def field(key: str = "note", **more: Any) -> dict[str, Any]:
    return {**TEXT, "key": key, **more}


#: (what is wrong, the form's body apart from its name, the field the 422 names)
BAD_FORMS: list[tuple[str, dict[str, Any], str]] = [
    ("no fields", {"fields": []}, "fields"),
    ("too many fields", {"fields": [field(f"f{i}") for i in range(51)]}, "fields"),
    ("a key with capitals", {"fields": [field("Note")]}, "fields[0].key"),
    ("a key starting with a digit", {"fields": [field("1st")]}, "fields[0].key"),
    ("a key too long", {"fields": [field("k" * 41)]}, "fields[0].key"),
    ("a key twice", {"fields": [field("a"), field("b"), field("a")]}, "fields[2].key"),
    ("a blank label", {"fields": [field(label="  ")]}, "fields[0].label"),
    ("an unknown type", {"fields": [field(type="colour")]}, "fields[0].type"),
    ("options on a text field", {"fields": [field(options=["x"])]}, "fields[0].options"),
    ("a select without options", {"fields": [field(type="select")]}, "fields[0].options"),
    (
        "a select with 51 options",
        {"fields": [field(type="select", options=[f"o{i}" for i in range(51)])]},
        "fields[0].options",
    ),
    (
        "an option twice",
        {"fields": [field(), field("pick", type="multi_select", options=["x", "y", "x"])]},
        "fields[1].options[2]",
    ),
    ("a NUL in an option", {"fields": [field(type="select", options=["x", "a\x00b"])]},
     "fields[0].options[1]"),
    ("a blank option", {"fields": [field(type="select", options=["x", " "])]}, "fields[0].options[1]"),
    (
        "two amount fields",
        {"fields": [field("a", type="amount"), field("b", type="amount")]},
        "fields[1].type",
    ),
    ("a length on a number", {"fields": [field(type="number", max_length=3)]}, "fields[0].max_length"),
    ("a text longer than texts go", {"fields": [field(max_length=501)]}, "fields[0].max_length"),
    ("a title field that is no text", {"fields": [field(type="date")], "title_field": "note"},
     "title_field"),
    ("a title field not there", {"fields": [field()], "title_field": "other"}, "title_field"),
    ("a step of nobody", {"fields": [field()], "steps": [{"name": "S", "approvers": "users"}]},
     "steps[0].users"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "body", "named"), BAD_FORMS, ids=[c[0] for c in BAD_FORMS])
async def test_a_bad_form_is_refused_naming_the_field_and_nothing_is_written(
    live_server: LiveServer,
    owner_db: asyncpg.Connection,
    case: str,
    body: dict[str, Any],
    named: str,
) -> None:
    async with make_client(live_server) as client:
        owner = await oa_tenant(client)
        before = await counts(owner_db, owner.tenant_id)
        refused = await owner.post(FORMS, json={"name": "Bad", **body})
        assert refused.status_code == 422, refused.text
        assert fields_named(refused) == [named], case
        assert await counts(owner_db, owner.tenant_id) == before


async def test_a_form_is_designed_changed_listed_and_retired(live_server: LiveServer) -> None:
    async with office(live_server) as o:
        made = await form(o.admin, "Purchase", category="Buying", icon="cart")
        assert made["amount_field"] == "cost" and made["active"] is True
        assert made["steps"] is None, "no workflow of its own: the tenant's applies"
        assert [f["key"] for f in made["fields"]][:2] == ["purpose", "details"]
        kind = next(f for f in made["fields"] if f["key"] == "kind")
        assert kind["options"] == ["Hardware", "Software"] and kind["required"] is False

        # Active names are unique whatever their case; a retired form's name is free again.
        twin = await o.admin.post(FORMS, json={"name": "purchase", "fields": [TEXT]})
        assert twin.status_code == 409, twin.text
        changed = await o.admin.client.patch(
            f"{FORMS}/{made['id']}",
            json={
                "name": "Purchase (old)",
                "active": False,
                "fields": [TEXT],
                "title_field": "note",
            },
            headers=o.admin.headers,
        )
        assert changed.status_code == 200, changed.text
        body = changed.json()
        assert body["amount_field"] is None and body["title_field"] == "note"
        assert body["active"] is False
        await form(o.admin, "Purchase (old)")

        # Members see the active forms only; managers every one.
        names = [f["name"] for f in (await fetch(o.requester, FORMS))["items"]]
        assert names == ["Purchase (old)"]
        assert len((await fetch(o.admin, FORMS))["items"]) == 2
        assert len((await fetch(o.admin, FORMS, active="false"))["items"]) == 1
        assert (await o.requester.get(f"{FORMS}/{made['id']}")).status_code == 404
        assert (await o.admin.get(f"{FORMS}/{made['id']}")).status_code == 200
        # A retired form takes no new requests.
        refused = await o.requester.post(REQUESTS, json={"form_id": made["id"], "values": {}})
        assert refused.status_code == 422 and fields_named(refused) == ["form_id"]


async def test_only_managers_of_forms_design_them(live_server: LiveServer) -> None:
    async with office(live_server) as o:
        made = await form(o.admin)
        attempts = [
            await o.requester.post(FORMS, json={"name": "Mine", "fields": [TEXT]}),
            await o.requester.client.patch(
                f"{FORMS}/{made['id']}", json={"name": "Taken"}, headers=o.requester.headers
            ),
            await o.requester.delete(f"{FORMS}/{made['id']}"),
        ]
        assert [a.status_code for a in attempts] == [403, 403, 403]
        assert (await fetch(o.requester, f"{FORMS}/{made['id']}"))["name"] == "Purchase"
        # The owner holds every permission.
        await form(o.owner, "Owner's")


async def test_an_unused_form_is_deleted_a_used_one_only_retired(live_server: LiveServer) -> None:
    async with office(live_server) as o:
        unused = await form(o.admin, "Unused", fields=[TEXT])
        assert (await o.admin.delete(f"{FORMS}/{unused['id']}")).status_code == 200
        assert (await o.admin.get(f"{FORMS}/{unused['id']}")).status_code == 404

        used = await form(o.admin, "Used", fields=[TEXT])
        await draft(o.requester, used["id"], note="hello")
        refused = await o.admin.delete(f"{FORMS}/{used['id']}")
        assert refused.status_code == 409 and "deactivate" in refused.json()["detail"]
        retired = await o.admin.client.patch(
            f"{FORMS}/{used['id']}", json={"active": False}, headers=o.admin.headers
        )
        assert retired.status_code == 200 and retired.json()["active"] is False


async def test_a_forms_own_workflow_is_saved_with_it_in_versions(live_server: LiveServer) -> None:
    async with office(live_server) as o:
        steps = [{"name": "Buyer", "approvers": "users", "users": [o.first.user_id]}]
        made = await form(o.admin, steps=steps)
        assert [(s["name"], s["users"]) for s in made["steps"]] == [("Buyer", [o.first.user_id])]
        again = await o.admin.client.patch(
            f"{FORMS}/{made['id']}",
            json={"steps": [{"name": "Head", "approvers": "role", "role": "admin"}]},
            headers=o.admin.headers,
        )
        assert again.status_code == 200, again.text
        assert [(s["name"], s["role"]) for s in again.json()["steps"]] == [("Head", "admin")]

        # It is an ordinary workflow definition, scoped to the form, in its second version.
        listed = (await fetch(o.owner, f"{WORKFLOW}/definitions", limit=200))["items"]
        [own] = [d for d in listed if d["scope"] == made["id"]]
        assert own["record_type"] == "oa.request" and own["version"] == 2 and own["active"]
        unscoped = [d for d in listed if d["record_type"] == "oa.request" and d["scope"] is None]
        assert [d["key"] for d in unscoped] == ["oa.request_approval"]


async def test_a_forms_workflow_keeps_every_kind_of_step(live_server: LiveServer) -> None:
    """Manager chains, copies and modes survive the form's round trip through the engine."""
    async with office(live_server) as o:
        steps = [
            {"name": "Line", "approvers": "manager_chain", "levels": 2, "mode": "all"},
            {"name": "Head", "approvers": "role", "role": "admin", "cc": [o.first.user_id]},
        ]
        made = await form(o.admin, steps=steps)
        kept = [(s["approvers"], s["levels"], s["mode"], s["cc"]) for s in made["steps"]]
        assert kept == [
            ("manager_chain", 2, "all", []),
            ("role", None, "any", [o.first.user_id]),
        ]


async def test_a_bad_step_refuses_the_whole_form(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o, make_client(live_server) as other_client:
        stranger = await oa_tenant(other_client)
        before = await counts(owner_db, o.owner.tenant_id)
        steps = [{"name": "Outsider", "approvers": "users", "users": [stranger.user_id]}]
        refused = await o.admin.post(FORMS, json={"name": "Odd", "fields": [TEXT], "steps": steps})
        assert refused.status_code == 422, refused.text
        assert fields_named(refused) == ["steps[0].users[0]"]
        assert await counts(owner_db, o.owner.tenant_id) == before

        made = await form(o.admin, "Fine", fields=[TEXT])
        changed = await o.admin.client.patch(
            f"{FORMS}/{made['id']}",
            json={"name": "Renamed", "steps": steps},
            headers=o.admin.headers,
        )
        assert changed.status_code == 422, changed.text
        assert (await fetch(o.admin, f"{FORMS}/{made['id']}"))["name"] == "Fine"


async def test_another_tenants_form_is_not_found(live_server: LiveServer) -> None:
    async with office(live_server) as o, make_client(live_server) as other_client:
        theirs = await form(await oa_tenant(other_client), "Theirs", fields=[TEXT])
        path = f"{FORMS}/{theirs['id']}"
        assert (await o.admin.get(path)).status_code == 404
        patched = await o.admin.client.patch(path, json={"name": "Mine"}, headers=o.admin.headers)
        assert patched.status_code == 404
        assert (await o.admin.delete(path)).status_code == 404
        refused = await o.requester.post(REQUESTS, json={"form_id": theirs["id"], "values": {}})
        assert refused.status_code == 422 and fields_named(refused) == ["form_id"]
