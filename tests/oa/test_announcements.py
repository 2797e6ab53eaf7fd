"""Announcements over real HTTP: sanitised rich text, audiences by department and role,
scheduled and expiring visibility, read receipts with the list of who has not read, the
audience told on publication, and bad inputs refused with nothing written."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from tessera_oa.announcement_notices import publish_due, tell_audience

from tessera.plugin import Event, HandlerContext
from tests.crm.test_tickets import tenant_db
from tests.oa.calendar_support import ANNOUNCEMENTS, counts, iso
from tests.oa.support import (
    DEPARTMENTS,
    colleague,
    department,
    field_of,
    membership_id,
    oa_tenant,
    patch,
    put,
)
from tests.support import LiveServer, SignedUp, make_client

TABLES = (
    "oa_announcement",
    "oa_announcement_department",
    "oa_announcement_role",
    "oa_announcement_read",
)


def now() -> datetime:
    return datetime.now(UTC)


async def announce(who: SignedUp, title: str = "Notice", **fields: Any) -> dict[str, Any]:
    made = await who.post(ANNOUNCEMENTS, json={"title": title, **fields})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def feed(who: SignedUp, **params: Any) -> list[str]:
    response = await who.get(ANNOUNCEMENTS, params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return [a["title"] for a in response.json()["items"]]


async def everyone_of(who: SignedUp, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paged list, one item per page (so the cursors are walked)."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await who.get(
            path, params={"limit": 1, **params, **({"cursor": cursor} if cursor else {})}
        )
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


async def place(owner: SignedUp, who: SignedUp, department_id: str) -> None:
    placed = await put(owner, f"{DEPARTMENTS}/{department_id}/members/{who.user_id}")
    assert placed.status_code == 200, placed.text


async def outbox(owner_db: asyncpg.Connection, tenant_id: str) -> list[str]:
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        rows = await owner_db.fetch(
            "SELECT payload FROM event_outbox WHERE type = 'oa.announcement.published' ORDER BY id"
        )
    return [r["payload"] for r in rows]


async def test_rich_text_is_sanitised_on_the_server(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    made = await announce(
        owner,
        body_html=(
            "<h2>Office <em>move</em></h2><script>steal(document.cookie)</script>"
            '<p onclick="evil()">See <a href="https://example.com/plan" onmouseover="x()">the plan</a>'
            ' and <a href="javascript:alert(1)">this</a> or <a href=" JaVaScRiPt:alert(2)">that</a>.</p>'
            '<img src="https://example.com/map.png" onerror="alert(3)" alt="map">'
            '<img src="data:image/svg+xml;base64,PHN2Zz4=">'
            '<iframe src="https://example.com"></iframe><p style="position:fixed">styled</p>'
            "<ul><li>one</li></ul>"
        ),
    )
    body = made["body_html"]
    for gone in (
        "<script",
        "steal",
        "onclick",
        "onmouseover",
        "onerror",
        "javascript:",
        "JaVaScRiPt",
        "data:",
        "<iframe",
        "style=",
    ):
        assert gone not in body, (gone, body)  # fmt: skip
    for kept in (
        "<h2>Office <em>move</em></h2>",
        'href="https://example.com/plan"',
        'src="https://example.com/map.png"',
        'alt="map"',
        "<ul><li>one</li></ul>",
        "styled",
    ):
        assert kept in body, (kept, body)  # fmt: skip
    assert 'rel="noopener noreferrer nofollow"' in body
    stored = (await owner.get(f"{ANNOUNCEMENTS}/{made['id']}")).json()["body_html"]
    assert stored == body, "what is stored is the sanitised text"
    changed = await patch(
        owner,
        f"{ANNOUNCEMENTS}/{made['id']}",
        {"body_html": '<b>ok</b><svg onload="x()"><script>1</script></svg>'},
    )
    assert changed.json()["body_html"] == "<b>ok</b>"
    # The audit trail has both, as stored.
    history = await owner.get(f"/api/v1/audit/records/oa_announcement/{made['id']}")
    actions = [entry["action"] for entry in history.json()["items"]]
    assert sorted(actions) == ["create", "update"], history.text


async def test_departments_and_roles_choose_who_reads(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ada, bob, cyd = [await colleague(live_server, owner) for _ in range(3)]
    boss = await colleague(live_server, owner, role="admin")
    sales = await department(owner, "Sales")
    emea = await department(owner, "EMEA", parent_id=sales["id"])
    await place(owner, ada, sales["id"])
    await place(owner, bob, emea["id"])
    finance = await owner.post("/api/v1/roles", json={"name": "Finance"})
    assert finance.status_code == 201, finance.text
    assigned = await put(
        owner, f"/api/v1/members/{await membership_id(owner, cyd.user_id)}/roles",
        {"role_ids": [finance.json()["id"]]},
    )  # fmt: skip
    assert assigned.status_code == 200, assigned.text

    to_sales = await announce(
        owner, "To sales", audience="departments", department_ids=[sales["id"]]
    )
    to_emea = await announce(owner, "To EMEA", audience="departments", department_ids=[emea["id"]])
    to_admins = await announce(owner, "To admins", audience="roles", roles=["admin"])
    to_finance = await announce(
        owner, "To finance", audience="roles", role_ids=[finance.json()["id"]]
    )
    await announce(owner, "To all", pinned=True)
    assert to_sales["department_ids"] == [sales["id"]] and to_finance["role_ids"] == [
        finance.json()["id"]
    ]

    assert await feed(ada) == ["To all", "To sales"], "pinned first, then newest first"
    assert await feed(bob) == ["To all", "To EMEA", "To sales"], (
        "a sub-department hears its parent's"
    )
    assert await feed(cyd) == ["To all", "To finance"]
    assert await feed(boss) == ["To all", "To admins"]
    for outsider, notice in ((cyd, to_sales), (ada, to_emea), (ada, to_admins), (bob, to_finance)):
        assert (await outsider.get(f"{ANNOUNCEMENTS}/{notice['id']}")).status_code == 404
        assert (await outsider.post(f"{ANNOUNCEMENTS}/{notice['id']}/read")).status_code == 404
    assert (await bob.get(f"{ANNOUNCEMENTS}/{to_sales['id']}")).status_code == 200
    # Members read; only managers write, and only they list other states.
    assert (await ada.post(ANNOUNCEMENTS, json={"title": "Mine"})).status_code == 403
    assert (await ada.get(ANNOUNCEMENTS, params={"state": "all"})).status_code == 403
    # Moving Ada to EMEA changes what she reads: audiences are resolved when read.
    await place(owner, ada, emea["id"])
    assert await feed(ada) == ["To all", "To EMEA", "To sales"]
    # Paging the feed walks its order.
    walked = await everyone_of(bob, ANNOUNCEMENTS)
    assert [a["title"] for a in walked] == ["To all", "To EMEA", "To sales"]


async def test_scheduled_drafts_and_expired_announcements(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    ada = await colleague(live_server, owner)
    later = await announce(owner, "Later", publish_at=iso(now() + timedelta(hours=2)))
    draft = await announce(owner, "Draft", publish_at=None)
    old = await announce(owner, "Old", publish_at=iso(now() - timedelta(hours=2)))
    current = await announce(owner, "Current", expires_at=iso(now() + timedelta(days=1)))
    assert [later["state"], draft["state"], old["state"], current["state"]] == [
        "scheduled", "draft", "live", "live",
    ]  # fmt: skip
    assert later["published_at"] is None and old["published_at"] is not None
    expired = await patch(
        owner, f"{ANNOUNCEMENTS}/{old['id']}", {"expires_at": iso(now() - timedelta(hours=1))}
    )
    assert expired.status_code == 200 and expired.json()["state"] == "expired"
    assert await feed(ada) == ["Current"]
    for hidden in (later, draft, old):
        assert (await ada.get(f"{ANNOUNCEMENTS}/{hidden['id']}")).status_code == 404
    assert await feed(owner, state="scheduled") == ["Later"]
    assert await feed(owner, state="draft") == ["Draft"]
    assert await feed(owner, state="expired") == ["Old"]
    assert await feed(owner, state="all") == ["Current", "Old", "Draft", "Later"]
    assert len(await outbox(owner_db, owner.tenant_id)) == 2, "published now: Old and Current"

    # The schedule publishes what is due, once; a scheduled one cannot be moved once out.
    async with tenant_db(live_server, owner.tenant_id) as db:
        assert await publish_due(db, now()) == 0
        assert await publish_due(db, now() + timedelta(hours=3)) == 1
    async with tenant_db(live_server, owner.tenant_id) as db:
        assert await publish_due(db, now() + timedelta(hours=3)) == 0
    assert len(await outbox(owner_db, owner.tenant_id)) == 3
    assert later["id"] in (await outbox(owner_db, owner.tenant_id))[-1]
    moved = await patch(owner, f"{ANNOUNCEMENTS}/{old['id']}", {"publish_at": iso(now())})
    assert moved.status_code == 422 and field_of(moved) == ["publish_at"]
    # A draft is published by hand.
    published = await owner.post(f"{ANNOUNCEMENTS}/{draft['id']}/publish")
    assert published.status_code == 200 and published.json()["state"] == "live"
    assert (await owner.post(f"{ANNOUNCEMENTS}/{draft['id']}/publish")).status_code == 409
    assert await feed(ada) == ["Draft", "Current"]


async def test_read_receipts_and_who_has_not_read(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ada, bob, cyd = [await colleague(live_server, owner) for _ in range(3)]
    sales = await department(owner, "Sales")
    emea = await department(owner, "EMEA", parent_id=sales["id"])
    await place(owner, ada, sales["id"])
    await place(owner, bob, emea["id"])
    await place(owner, cyd, emea["id"])
    notice = await announce(owner, "Targets", audience="departments", department_ids=[sales["id"]])
    path = f"{ANNOUNCEMENTS}/{notice['id']}"

    unread = await everyone_of(owner, f"{path}/unread")
    assert sorted(p["user_id"] for p in unread) == sorted([ada.user_id, bob.user_id, cyd.user_id])
    assert {p["email"] for p in unread} == {ada.email, bob.email, cyd.email}
    first = await ada.post(f"{path}/read")
    assert first.status_code == 200, first.text
    again = await ada.post(f"{path}/read")
    assert again.json()["read_at"] == first.json()["read_at"], "the first reading counts"
    await bob.post(f"{path}/read")
    assert [p["user_id"] for p in await everyone_of(owner, f"{path}/unread")] == [cyd.user_id]
    readers = await everyone_of(owner, f"{path}/readers")
    assert [r["user_id"] for r in readers] == [ada.user_id, bob.user_id]
    assert (await owner.get(f"{path}/receipts")).json() == {"audience": 3, "read": 2, "unread": 1}
    assert await feed(ada, unread="true") == [] and await feed(cyd, unread="true") == ["Targets"]
    assert (await ada.get(path)).json()["read_at"] == first.json()["read_at"]
    # Only managers see receipts.
    for part in ("unread", "readers", "receipts"):
        assert (await ada.get(f"{path}/{part}")).status_code == 403

    everyone = await announce(owner, "Everyone")
    await cyd.post(f"{ANNOUNCEMENTS}/{everyone['id']}/read")
    left = await everyone_of(owner, f"{ANNOUNCEMENTS}/{everyone['id']}/unread")
    assert sorted(p["user_id"] for p in left) == sorted([owner.user_id, ada.user_id, bob.user_id])
    admins = await announce(owner, "Admins", audience="roles", roles=["owner", "admin"])
    left = await everyone_of(owner, f"{ANNOUNCEMENTS}/{admins['id']}/unread")
    assert [p["user_id"] for p in left] == [owner.user_id]


async def test_the_audience_is_told_on_publication(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ada, bob = await colleague(live_server, owner), await colleague(live_server, owner)
    sales = await department(owner, "Sales")
    await place(owner, ada, sales["id"])
    notice = await announce(owner, "Targets", audience="departments", department_ids=[sales["id"]])
    published = Event(
        uuid.uuid4(),
        "oa.announcement.published",
        uuid.UUID(owner.tenant_id),
        {"announcement_id": notice["id"], "title": "Targets"},
        now(),
        None,
        "key",
    )
    async with tenant_db(live_server, owner.tenant_id) as db:
        await tell_audience(published, HandlerContext(db, uuid.UUID(owner.tenant_id)))

    async def told(who: SignedUp) -> list[dict[str, Any]]:
        items = (await who.get("/api/v1/notifications")).json()["items"]
        return [n for n in items if n["type"] == "oa.announcement"]

    [notified] = await told(ada)
    assert notified["title"] == "Announcement: Targets"
    assert notified["link"] == f"/oa/announcements/{notice['id']}"
    assert await told(bob) == [] and await told(owner) == []


async def test_bad_announcements_are_refused_and_write_nothing(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    sales = await department(owner, "Sales")
    other = await oa_tenant(make_client(live_server))
    theirs = await department(other, "Theirs")
    their_role = (await other.post("/api/v1/roles", json={"name": "Theirs"})).json()
    soon, later = now() + timedelta(hours=1), now() + timedelta(hours=2)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"audience": "departments", "department_ids": [str(uuid.uuid4())]}, "department_ids[0]"),
        (
            {"audience": "departments", "department_ids": [sales["id"], theirs["id"]]},
            "department_ids[1]",
        ),
        ({"audience": "departments", "department_ids": []}, "department_ids"),
        ({"audience": "everyone", "department_ids": [sales["id"]]}, "department_ids"),
        ({"audience": "roles", "role_ids": [their_role["id"]]}, "role_ids[0]"),
        ({"audience": "roles", "roles": ["emperor"]}, "roles[0]"),
        ({"audience": "roles"}, "roles"),
        ({"audience": "departments", "department_ids": [sales["id"]], "roles": ["admin"]}, "roles"),
        ({"audience": "nobody"}, "audience"),
        ({"publish_at": iso(later), "expires_at": iso(soon)}, "expires_at"),
        ({"publish_at": iso(soon), "expires_at": iso(soon)}, "expires_at"),
        ({"expires_at": iso(now() - timedelta(minutes=1))}, "expires_at"),
        ({"title": ""}, "title"),
        ({"publish_at": "2027-03-01T09:00:00"}, "publish_at"),
    ]
    for fields, field in cases:
        response = await owner.post(ANNOUNCEMENTS, json={"title": "Bad", **fields})
        assert response.status_code in (400, 422), (fields, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in field_of(response), (fields, response.text)
    assert await counts(owner_db, owner.tenant_id, *TABLES) == dict.fromkeys(TABLES, 0)
    assert await outbox(owner_db, owner.tenant_id) == []

    made = await announce(owner, "Good", audience="departments", department_ids=[sales["id"]])
    path = f"{ANNOUNCEMENTS}/{made['id']}"
    for body, field in (
        ({"department_ids": [theirs["id"]]}, "department_ids[0]"),
        ({"audience": "roles", "role_ids": [their_role["id"]]}, "role_ids[0]"),
        ({"expires_at": made["publish_at"]}, "expires_at"),
    ):
        refused = await patch(owner, path, body)
        assert refused.status_code == 422 and field_of(refused) == [field], refused.text
    kept = (await owner.get(path)).json()
    assert kept["department_ids"] == [sales["id"]] and kept["expires_at"] is None
    # Another tenant reaches none of it.
    for method, suffix in (
        ("GET", ""),
        ("PATCH", ""),
        ("DELETE", ""),
        ("POST", "/read"),
        ("POST", "/publish"),
        ("GET", "/unread"),
        ("GET", "/readers"),
    ):
        reached = await other.client.request(
            method, f"{path}{suffix}", json={} if method == "PATCH" else None, headers=other.headers
        )
        assert reached.status_code == 404, (method, suffix, reached.text)  # fmt: skip
    assert await counts(owner_db, other.tenant_id, *TABLES) == dict.fromkeys(TABLES, 0)
    await other.client.aclose()
