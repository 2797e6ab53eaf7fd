"""Who reaches which folder: shares to members, built-in roles, custom roles and departments,
read or write, inherited down the tree; creators and admins manage; the rest is not found."""

from __future__ import annotations

import httpx

from tests.oa.documents_support import (
    DOCUMENTS,
    FOLDERS,
    SHARES,
    VERSIONS,
    folder,
    items,
    names,
    rename,
    send,
    share,
    shared,
    upload,
)
from tests.oa.support import DEPARTMENTS, colleague, department, oa_tenant, put
from tests.support import LiveServer, SignedUp


async def access_of(who: SignedUp, folder_id: str) -> str | None:
    got = await who.get(f"{FOLDERS}/{folder_id}")
    if got.status_code == 404:
        return None
    assert got.status_code == 200, got.text
    level: str = got.json()["access"]
    return level


async def test_without_a_share_a_member_finds_nothing(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    eve = await colleague(live_server, owner)
    hr = await folder(owner, "HR")
    salaries = await folder(owner, "Salaries", hr["id"])
    doc = await upload(owner, salaries["id"], b"secret", "2027.xlsx")
    version = (await items(owner, VERSIONS, document_id=doc["id"]))[0]

    # 404, not 403: a folder she cannot read is one that does not exist, for her.
    for path in (
        f"{FOLDERS}/{hr['id']}",
        f"{FOLDERS}/{salaries['id']}",
        f"{DOCUMENTS}/{doc['id']}",
        f"{DOCUMENTS}/{doc['id']}/content",
        f"{VERSIONS}/{version['id']}",
        f"{VERSIONS}/{version['id']}/content",
    ):
        got = await eve.get(path)
        assert got.status_code == 404, (path, got.text)
        assert got.json()["type"].endswith("not-found")
    for path, params in (
        (FOLDERS, {"parent_id": hr["id"]}),
        (DOCUMENTS, {"folder_id": salaries["id"]}),
        (VERSIONS, {"document_id": doc["id"]}),
        (SHARES, {"folder_id": hr["id"]}),
    ):
        assert (await eve.get(path, params=params)).status_code == 404, path
    assert await names(eve, FOLDERS) == []
    assert await names(eve, FOLDERS, q="sal") == []
    assert await names(eve, DOCUMENTS) == []
    assert await names(eve, DOCUMENTS, q="2027") == []
    assert (await send(eve, salaries["id"], b"mine", "mine.txt")).status_code == 404
    assert (await rename(eve, f"{DOCUMENTS}/{doc['id']}", name="x.xlsx")).status_code == 404
    assert (await eve.delete(f"{DOCUMENTS}/{doc['id']}")).status_code == 404
    assert (await eve.delete(f"{FOLDERS}/{hr['id']}")).status_code == 404
    # The owner still has it all.
    assert (await owner.get(f"{DOCUMENTS}/{doc['id']}/content")).content == b"secret"


async def test_a_read_share_reads_and_downloads_but_does_not_write(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    bob = await colleague(live_server, owner)
    handbook = await folder(owner, "Handbook")
    chapter = await folder(owner, "Chapters", handbook["id"])
    doc = await upload(owner, chapter["id"], b"Welcome", "welcome.md")
    await shared(owner, handbook["id"], "read", user_id=bob.user_id)

    assert await access_of(bob, handbook["id"]) == "read"
    assert await access_of(bob, chapter["id"]) == "read", "shares reach down the tree"
    assert await names(bob, FOLDERS) == ["Handbook"]
    assert await names(bob, FOLDERS, parent_id=handbook["id"]) == ["Chapters"]
    assert await names(bob, DOCUMENTS, folder_id=chapter["id"]) == ["welcome.md"]
    assert await names(bob, DOCUMENTS, q="welc") == ["welcome.md"]
    got = await bob.get(f"{DOCUMENTS}/{doc['id']}/content")
    assert got.status_code == 200 and got.content == b"Welcome"
    assert [v["number"] for v in await items(bob, VERSIONS, document_id=doc["id"])] == [1]

    # He sees the folder, so refusing to let him change it is a 403.
    refusals = [
        await send(bob, chapter["id"], b"mine", "mine.md"),
        await send(bob, chapter["id"], b"edit", "welcome.md"),
        await bob.client.post(
            VERSIONS,
            params={"document_id": doc["id"], "filename": "w.md"},
            content=b"v2",
            headers=bob.headers,
        ),
        await rename(bob, f"{DOCUMENTS}/{doc['id']}", name="hello.md"),
        await bob.delete(f"{DOCUMENTS}/{doc['id']}"),
        await bob.post(FOLDERS, json={"name": "Mine", "parent_id": chapter["id"]}),
        await rename(bob, f"{FOLDERS}/{chapter['id']}", name="Parts"),
        await bob.delete(f"{FOLDERS}/{chapter['id']}"),
        await share(bob, chapter["id"], "write", user_id=bob.user_id),
    ]
    assert [r.status_code for r in refusals] == [403] * len(refusals), [r.text for r in refusals]
    assert (await owner.get(f"{DOCUMENTS}/{doc['id']}")).json()["version"] == 1
    assert await names(owner, DOCUMENTS, folder_id=chapter["id"]) == ["welcome.md"]
    assert await names(owner, FOLDERS, parent_id=chapter["id"]) == []


async def test_a_write_share_uploads_and_organises_and_a_creator_manages_what_they_made(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    bob = await colleague(live_server, owner)
    eve = await colleague(live_server, owner)
    team = await folder(owner, "Team")
    await shared(owner, team["id"], "write", user_id=bob.user_id)

    doc = await upload(bob, team["id"], b"draft", "draft.txt")
    assert doc["access"] == "write"
    theirs = await upload(owner, team["id"], b"owner", "budget.txt")
    assert (await rename(bob, f"{DOCUMENTS}/{theirs['id']}", name="Budget.txt")).status_code == 200
    mine = await bob.post(FOLDERS, json={"name": "Bob's corner", "parent_id": team["id"]})
    assert mine.status_code == 201 and mine.json()["access"] == "manage"
    corner = mine.json()
    moved = await rename(bob, f"{DOCUMENTS}/{doc['id']}", folder_id=corner["id"])
    assert moved.status_code == 200 and moved.json()["access"] == "manage"
    # He manages the folder he made: he shares it, renames it.
    assert (await share(bob, corner["id"], "read", user_id=eve.user_id)).status_code == 201
    assert (await rename(bob, f"{FOLDERS}/{corner['id']}", name="Corner")).status_code == 200
    assert await access_of(eve, corner["id"]) == "read"
    assert await access_of(eve, team["id"]) is None
    assert await names(eve, FOLDERS) == ["Corner"], "where her folders start"
    # Not the folder he was only given write access to, nor the top of the tree.
    assert (await rename(bob, f"{FOLDERS}/{team['id']}", name="Crew")).status_code == 403
    assert (await share(bob, team["id"], "read", user_id=eve.user_id)).status_code == 403
    top = await bob.post(FOLDERS, json={"name": "My own top"})
    assert top.status_code == 403, "top-level folders are laid out by admins"
    assert (await bob.delete(f"{FOLDERS}/{corner['id']}")).status_code == 200


async def test_roles_custom_roles_and_departments_are_shared_with(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    bob = await colleague(live_server, owner)
    eve = await colleague(live_server, owner)
    ann = await colleague(live_server, owner, role="admin")

    everyone = await folder(owner, "Everyone")
    await shared(owner, everyone["id"], "read", role="member")
    assert await access_of(bob, everyone["id"]) == "read"
    assert await access_of(eve, everyone["id"]) == "read"

    finance = await folder(owner, "Finance")
    role = await owner.post(
        "/api/v1/roles",
        json={"name": "Accountant", "grants": [{"permission": "oa.document.read"}]},
    )
    assert role.status_code == 201, role.text
    members = (await owner.get("/api/v1/members", params={"limit": 200})).json()["items"]
    membership = next(m["id"] for m in members if m["user_id"] == bob.user_id)
    held = await put(
        owner, f"/api/v1/members/{membership}/roles", {"role_ids": [role.json()["id"]]}
    )
    assert held.status_code == 200, held.text
    await shared(owner, finance["id"], "write", role_id=role.json()["id"])
    assert await access_of(bob, finance["id"]) == "write"
    assert await access_of(eve, finance["id"]) is None

    sales = await department(owner, "Sales")
    emea = await department(owner, "Sales EMEA", parent_id=sales["id"])
    support = await department(owner, "Support")
    assert (
        await put(owner, f"{DEPARTMENTS}/{emea['id']}/members/{eve.user_id}")
    ).status_code == 200
    assert (
        await put(owner, f"{DEPARTMENTS}/{support['id']}/members/{bob.user_id}")
    ).status_code == 200
    deals = await folder(owner, "Deals")
    await shared(owner, deals["id"], "write", department_id=sales["id"])
    assert await access_of(eve, deals["id"]) == "write", "a department's share reaches below it"
    assert await access_of(bob, deals["id"]) is None

    # The highest of what reaches a folder counts.
    await shared(owner, everyone["id"], "write", user_id=eve.user_id)
    assert await access_of(eve, everyone["id"]) == "write"
    assert await access_of(bob, everyone["id"]) == "read"
    # Admins manage everything without a share.
    for folder_id in (everyone["id"], finance["id"], deals["id"]):
        assert await access_of(ann, folder_id) == "manage"
    assert sorted(await names(ann, FOLDERS)) == ["Deals", "Everyone", "Finance"]
    assert sorted(await names(eve, FOLDERS)) == ["Deals", "Everyone"]

    listed = await items(bob, SHARES, folder_id=everyone["id"])
    assert {(s["role"], s["user_id"], s["access"]) for s in listed} == {
        ("member", None, "read"),
        (None, eve.user_id, "write"),
    }
    # Taking the role away takes the access with it.
    assert (
        await put(owner, f"/api/v1/members/{membership}/roles", {"role_ids": []})
    ).status_code == 200
    assert await access_of(bob, finance["id"]) is None


async def test_shares_are_inherited_listed_changed_and_removed(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    bob = await colleague(live_server, owner)
    top = await folder(owner, "Top")
    middle = await folder(owner, "Middle", top["id"])
    bottom = await folder(owner, "Bottom", middle["id"])
    elsewhere = await folder(owner, "Elsewhere")
    from_top = await shared(owner, top["id"], "read", user_id=bob.user_id)
    await shared(owner, middle["id"], "write", role="member")

    assert await access_of(bob, bottom["id"]) == "write"
    own = await items(owner, SHARES, folder_id=bottom["id"])
    assert own == []
    inherited = await items(owner, SHARES, folder_id=bottom["id"], inherited=True)
    assert {s["folder_id"] for s in inherited} == {top["id"], middle["id"]}

    changed = await owner.client.patch(
        f"{SHARES}/{from_top['id']}", json={"access": "write"}, headers=owner.headers
    )
    assert changed.status_code == 200 and changed.json()["access"] == "write"
    one = await bob.get(f"{SHARES}/{from_top['id']}")
    assert one.status_code == 200 and one.json()["access"] == "write"
    taken = await bob.client.patch(
        f"{SHARES}/{from_top['id']}", json={"access": "read"}, headers=bob.headers
    )
    assert taken.status_code == 403, "readers see shares; managers change them"
    twice = await share(owner, top["id"], "read", user_id=bob.user_id)
    assert twice.status_code == 409, twice.text

    # Moving a folder elsewhere leaves the shares above it behind.
    moved = await rename(owner, f"{FOLDERS}/{bottom['id']}", parent_id=elsewhere["id"])
    assert moved.status_code == 200, moved.text
    assert await access_of(bob, bottom["id"]) is None
    assert (await owner.delete(f"{SHARES}/{from_top['id']}")).status_code == 200
    assert await access_of(bob, top["id"]) is None
    assert await access_of(bob, middle["id"]) == "write", "the role's share stays"
    assert await names(bob, FOLDERS) == ["Middle"]
    assert (await bob.get(f"{SHARES}/{from_top['id']}")).status_code == 404
