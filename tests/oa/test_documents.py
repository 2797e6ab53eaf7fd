"""Documents over real HTTP: uploads and downloads streamed through the core's storage, versions,
names that look like paths, the tenant's size limit, rename and move, and the recycle bin."""

from __future__ import annotations

import asyncio
import hashlib
import tracemalloc

import asyncpg
import httpx

from tests.oa.documents_support import (
    BIN,
    DOCUMENTS,
    FOLDERS,
    VERSIONS,
    disposition,
    event_types,
    folder,
    items,
    names,
    rename,
    rows,
    send,
    shared,
    stored_keys,
    upload,
)
from tests.oa.support import colleague, oa_tenant
from tests.storage_support import pattern, pattern_digest
from tests.support import LiveServer, make_client


async def test_a_document_goes_up_comes_back_and_keeps_its_versions(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    ann = await colleague(live_server, owner, role="admin")
    policies = await folder(owner, "Policies")
    first = b"Travel policy, draft 1\n" * 500

    made = await upload(owner, policies["id"], first, "travel.txt")
    assert made["name"] == "travel.txt" and made["folder_id"] == policies["id"]
    assert (made["version"], made["size"], made["content_type"]) == (1, len(first), "text/plain")
    assert made["created_by"] == made["updated_by"] == owner.user_id
    assert made["access"] == "manage"

    got = await owner.get(f"{DOCUMENTS}/{made['id']}/content")
    assert got.status_code == 200 and got.content == first
    assert got.headers["content-type"].startswith("text/plain")
    assert got.headers["etag"] == f'"{hashlib.sha256(first).hexdigest()}"'
    assert disposition(got).startswith('attachment; filename="travel.txt"')

    # The same name again, by someone else and in another case: the document's next version.
    second = b"Travel policy, final\n"
    again = await upload(ann, policies["id"], second, "TRAVEL.txt")
    assert again["id"] == made["id"] and again["version"] == 2
    assert again["size"] == len(second) and again["updated_by"] == ann.user_id
    third = await ann.client.post(
        VERSIONS,
        params={"document_id": made["id"]},
        files={"file": ("travel-v3.txt", b"v3", "text/plain")},
        headers=ann.headers,
    )
    assert third.status_code == 201, third.text
    assert third.json()["number"] == 3 and third.json()["filename"] == "travel-v3.txt"
    assert await names(owner, DOCUMENTS, folder_id=policies["id"]) == ["travel.txt"]

    versions = await items(owner, VERSIONS, document_id=made["id"])
    assert [v["number"] for v in versions] == [3, 2, 1], "newest first"
    assert [v["created_by"] for v in versions] == [ann.user_id, ann.user_id, owner.user_id]
    assert [v["filename"] for v in versions] == ["travel-v3.txt", "TRAVEL.txt", "travel.txt"]
    assert versions[2]["sha256"] == hashlib.sha256(first).hexdigest()
    assert versions[0]["created_at"] >= versions[1]["created_at"] >= versions[2]["created_at"]
    for version, content in zip(versions, (b"v3", second, first), strict=True):
        old = await owner.get(f"{VERSIONS}/{version['id']}/content")
        assert old.status_code == 200 and old.content == content
        # Every version downloads under the document's name.
        assert 'filename="travel.txt"' in disposition(old)
    current = await owner.get(f"{DOCUMENTS}/{made['id']}/content")
    assert current.content == b"v3"
    one = await owner.get(f"{VERSIONS}/{versions[1]['id']}")
    assert one.status_code == 200 and one.json()["number"] == 2
    paged = (await owner.get(VERSIONS, params={"document_id": made["id"], "limit": 2})).json()
    assert len(paged["items"]) == 2 and paged["next_cursor"]
    rest = await owner.get(
        VERSIONS, params={"document_id": made["id"], "cursor": paged["next_cursor"]}
    )
    assert [v["number"] for v in rest.json()["items"]] == [1]
    assert await event_types(owner_db, owner.tenant_id) == [
        "oa.folder.created",
        "oa.document.uploaded",
        "oa.document.version_added",
        "oa.document.version_added",
    ]


async def test_a_receipt_sized_upload_passes_and_one_over_the_limit_leaves_nothing(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    limit = 300_000
    changed = await owner.client.put(
        "/api/v1/storage/settings", json={"max_file_bytes": limit}, headers=owner.headers
    )
    assert changed.status_code == 200, changed.text
    receipts = await folder(owner, "Receipts")
    scan = bytes(range(256)) * 800  # a 200 kB scan
    made = await upload(owner, receipts["id"], scan, "taxi.jpg")
    assert made["size"] == len(scan)
    before = await rows(owner_db, owner.tenant_id)
    keys = stored_keys(live_server, owner.tenant_id)
    assert len(keys) == 1

    too_big = await send(owner, receipts["id"], b"x" * (limit + 1), "video.mp4", "video/mp4")
    assert too_big.status_code == 413, too_big.text
    assert too_big.json()["type"].endswith("body-too-large")
    assert too_big.json()["max_bytes"] == limit
    # A new version over the limit is refused the same way, and the document stays at 1.
    bigger = await send(owner, receipts["id"], b"y" * (limit + 1), "taxi.jpg", "image/jpeg")
    assert bigger.status_code == 413
    assert await rows(owner_db, owner.tenant_id) == before, "no document, version or file row"
    assert stored_keys(live_server, owner.tenant_id) == keys, "no stored bytes"
    assert await names(owner, DOCUMENTS, folder_id=receipts["id"]) == ["taxi.jpg"]
    assert (await owner.get(f"{DOCUMENTS}/{made['id']}")).json()["version"] == 1
    exactly = await send(owner, receipts["id"], b"z" * limit, "limit.bin")
    assert exactly.status_code == 201, "the limit itself is allowed"


async def test_a_path_like_filename_is_kept_as_a_name_and_served_safely(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    box = await folder(owner, "Inbox")
    made = await upload(owner, box["id"], b"root:x:0:0", "../../etc/passwd")
    assert made["name"] == "passwd"
    windows = await upload(owner, box["id"], b"boot", "C:\\Windows\\..\\boot.ini")
    assert windows["name"] == "boot.ini"
    unicode = await upload(owner, box["id"], b"report", '季度 "报告".pdf')
    got = await owner.get(f"{DOCUMENTS}/{unicode['id']}/content")
    # An ASCII fallback with nothing that could close the quoted string, the exact name in
    # filename* (RFC 6266), and no sniffing.
    assert disposition(got) == (
        'attachment; filename="__ ____.pdf"; '
        "filename*=UTF-8''%E5%AD%A3%E5%BA%A6%20%22%E6%8A%A5%E5%91%8A%22.pdf"
    )
    assert got.headers["x-content-type-options"] == "nosniff"
    passwd = await owner.get(f"{DOCUMENTS}/{made['id']}/content")
    assert passwd.content == b"root:x:0:0"
    assert disposition(passwd).startswith('attachment; filename="passwd"')
    # The bytes live under the platform's key, never under the name.
    for key in stored_keys(live_server, owner.tenant_id):
        assert key.startswith(f"{owner.tenant_id}/") and "passwd" not in key and ".." not in key

    before = await rows(owner_db, owner.tenant_id)
    for bad in ("", "..", "a\x1fb.txt", "x" * 256 + ".txt"):
        refused = await send(owner, box["id"], b"data", bad)
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.json()["errors"][0]["field"] == "filename"
    # A NUL cannot travel in a URL; in a multipart part's header it can.
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a\x00b.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\ndata\r\n--XyZ--\r\n"
    )
    nul = await owner.client.post(
        DOCUMENTS,
        params={"folder_id": box["id"]},
        content=body,
        headers={**owner.headers, "Content-Type": "multipart/form-data; boundary=XyZ"},
    )
    assert nul.status_code == 422, nul.text
    assert await rows(owner_db, owner.tenant_id) == before
    # HTML is served as an attachment even when asked inline.
    page = await send(owner, box["id"], b"<script>alert(1)</script>", "page.html", "text/html")
    shown = await owner.get(f"{DOCUMENTS}/{page.json()['id']}/content", params={"inline": True})
    assert disposition(shown).startswith("attachment")
    text = await owner.get(f"{DOCUMENTS}/{made['id']}/content", params={"inline": True})
    assert disposition(text).startswith("inline") and text.headers["content-security-policy"]


async def test_rename_move_delete_and_restore_with_versions_and_files(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    work = await folder(owner, "Work")
    archive = await folder(owner, "Archive")
    doc = await upload(owner, work["id"], b"one", "plan.txt")
    await upload(owner, work["id"], b"two", "plan.txt")

    renamed = await rename(owner, f"{DOCUMENTS}/{doc['id']}", name="Plan 2027.txt")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Plan 2027.txt"
    got = await owner.get(f"{DOCUMENTS}/{doc['id']}/content")
    assert 'filename="Plan 2027.txt"' in disposition(got) and got.content == b"two"
    moved = await rename(owner, f"{DOCUMENTS}/{doc['id']}", folder_id=archive["id"])
    assert moved.status_code == 200 and moved.json()["folder_id"] == archive["id"]
    assert await names(owner, DOCUMENTS, folder_id=work["id"]) == []
    assert await names(owner, DOCUMENTS, folder_id=archive["id"]) == ["Plan 2027.txt"]
    # A name the folder already has (in any case) is refused, and so are slashes.
    await upload(owner, archive["id"], b"other", "notes.txt")
    clash = await rename(owner, f"{DOCUMENTS}/{doc['id']}", name="NOTES.txt")
    assert clash.status_code == 409, clash.text
    slash = await rename(owner, f"{DOCUMENTS}/{doc['id']}", name="a/b.txt")
    assert slash.status_code == 422 and slash.json()["errors"][0]["field"] == "name"

    keys = stored_keys(live_server, owner.tenant_id)
    deleted = await owner.delete(f"{DOCUMENTS}/{doc['id']}")
    assert deleted.status_code == 200, deleted.text
    assert (await owner.get(f"{DOCUMENTS}/{doc['id']}")).status_code == 404
    assert (await owner.get(f"{DOCUMENTS}/{doc['id']}/content")).status_code == 404
    assert await rows(owner_db, owner.tenant_id) | {"oa_document": 0} == {
        "oa_folder": 2,
        "oa_folder_share": 0,
        "oa_document": 0,
        "oa_document_version": 1,
        "stored_file": 3,
    }, "the versions went with the document; their files stay, held by the bin"
    assert stored_keys(live_server, owner.tenant_id) == keys

    binned = await items(owner, BIN, record_type="oa_document")
    assert [(i["label"], i["records"]) for i in binned] == [("Plan 2027.txt", 3)]
    restored = await owner.post(f"{BIN}/{binned[0]['id']}/restore")
    assert restored.status_code == 200, restored.text
    back = await owner.get(f"{DOCUMENTS}/{doc['id']}")
    assert back.status_code == 200 and back.json()["version"] == 2
    assert (await owner.get(f"{DOCUMENTS}/{doc['id']}/content")).content == b"two"
    versions = await items(owner, VERSIONS, document_id=doc["id"])
    old = await owner.get(f"{VERSIONS}/{versions[-1]['id']}/content")
    assert old.content == b"one"
    # The core's audit trail kept every change of the document's row.
    history = await items(owner, f"/api/v1/audit/records/oa_document/{doc['id']}", limit=50)
    assert [entry["action"] for entry in reversed(history)] == [
        "create",
        "update",
        "update",
        "update",
        "delete",
        "restore",
    ]
    assert "oa.document.moved" in await event_types(owner_db, owner.tenant_id)


async def test_a_deleted_folder_takes_its_tree_into_the_bin_and_brings_it_back(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    top = await folder(owner, "Projects")
    inner = await folder(owner, "Apollo", top["id"])
    deepest = await folder(owner, "Specs", inner["id"])
    doc = await upload(owner, deepest["id"], b"spec", "spec.txt")
    await upload(owner, deepest["id"], b"spec 2", "spec.txt")
    bob = await colleague(live_server, owner)
    await shared(owner, inner["id"], "read", user_id=bob.user_id)

    assert (await owner.delete(f"{FOLDERS}/{top['id']}")).status_code == 200
    for gone in (f"{FOLDERS}/{inner['id']}", f"{DOCUMENTS}/{doc['id']}"):
        assert (await owner.get(gone)).status_code == 404
    assert (await bob.get(f"{DOCUMENTS}/{doc['id']}")).status_code == 404
    binned = await items(owner, BIN, record_type="oa_folder")
    # The folder, two below it, the document, its two versions and the share.
    assert [(i["label"], i["records"]) for i in binned] == [("Projects", 7)]
    assert (await owner.post(f"{BIN}/{binned[0]['id']}/restore")).status_code == 200
    again = await bob.get(f"{DOCUMENTS}/{doc['id']}/content")
    assert again.status_code == 200 and again.content == b"spec 2", "the share came back too"
    assert await names(owner, FOLDERS, parent_id=inner["id"]) == ["Specs"]


async def test_a_member_restores_what_they_deleted_but_not_what_others_did(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    bob = await colleague(live_server, owner)
    eve = await colleague(live_server, owner)
    team = await folder(owner, "Team")
    for person in (bob, eve):
        await shared(owner, team["id"], "write", user_id=person.user_id)
    mine = await upload(bob, team["id"], b"bob's", "bob.txt")
    theirs = await upload(owner, team["id"], b"owner's", "owner.txt")
    assert (await bob.delete(f"{DOCUMENTS}/{mine['id']}")).status_code == 200
    assert (await bob.delete(f"{DOCUMENTS}/{theirs['id']}")).status_code == 200
    owner_deleted = await upload(owner, team["id"], b"x", "gone.txt")
    assert (await owner.delete(f"{DOCUMENTS}/{owner_deleted['id']}")).status_code == 200

    seen_by_bob = await items(bob, BIN, record_type="oa_document")
    assert sorted(i["label"] for i in seen_by_bob) == ["bob.txt", "owner.txt"]
    assert await items(eve, BIN, record_type="oa_document") == [], "eve deleted nothing"
    for item in seen_by_bob:
        assert (await bob.post(f"{BIN}/{item['id']}/restore")).status_code == 200
    admin_only = next(
        i for i in await items(owner, BIN, record_type="oa_document") if i["label"] == "gone.txt"
    )
    refused = await bob.post(f"{BIN}/{admin_only['id']}/restore")
    assert refused.status_code == 403
    assert sorted(await names(bob, DOCUMENTS, folder_id=team["id"])) == ["bob.txt", "owner.txt"]


async def test_folder_lists_page_and_search_by_name(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    top = await folder(owner, "Company")
    for name in ("Delta", "alpha", "Charlie", "bravo"):
        await folder(owner, name, top["id"])
    for name in ("b.txt", "A.txt", "c.txt"):
        await upload(owner, top["id"], name.encode(), name)
    first = (await owner.get(FOLDERS, params={"parent_id": top["id"], "limit": 2})).json()
    rest = await owner.get(
        FOLDERS, params={"parent_id": top["id"], "cursor": first["next_cursor"], "limit": 2}
    )
    assert [f["name"] for f in first["items"] + rest.json()["items"]] == [
        "Charlie",
        "Delta",
        "alpha",
        "bravo",
    ]
    assert rest.json()["next_cursor"] is None
    assert await names(owner, FOLDERS) == ["Company"], "the top of the tree"
    assert await names(owner, FOLDERS, q="RAV") == ["bravo"], "search reaches into folders"
    assert await names(owner, DOCUMENTS, folder_id=top["id"], sort="-name") == [
        "c.txt",
        "b.txt",
        "A.txt",
    ]
    assert await names(owner, DOCUMENTS, q="b.") == ["b.txt"]
    by_size = await names(owner, DOCUMENTS, sort="size", limit=1)
    assert len(by_size) == 1
    bad = await owner.get(DOCUMENTS, params={"sort": "owner"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "sort"


async def test_parallel_uploads_of_one_name_become_its_versions(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    box = await folder(owner, "Box")
    people = [owner, *[await colleague(live_server, owner, role="admin") for _ in range(3)]]
    sent = await asyncio.gather(
        *(send(who, box["id"], f"from {i}".encode(), "minutes.txt") for i, who in enumerate(people))
    )
    assert [r.status_code for r in sent] == [201] * 4, [r.text for r in sent]
    assert len({r.json()["id"] for r in sent}) == 1, "one document"
    versions = await items(owner, VERSIONS, document_id=sent[0].json()["id"])
    assert sorted(v["number"] for v in versions) == [1, 2, 3, 4]
    more = await asyncio.gather(
        *(
            who.client.post(
                VERSIONS,
                params={"document_id": sent[0].json()["id"], "filename": "m.txt"},
                content=b"more",
                headers=who.headers,
            )
            for who in people
        )
    )
    assert sorted(r.json()["number"] for r in more) == [5, 6, 7, 8]
    assert (await owner.get(f"{DOCUMENTS}/{sent[0].json()['id']}")).json()["version"] == 8


async def test_a_large_document_streams_up_and_down_in_bounded_memory(
    live_server: LiveServer,
) -> None:
    size = 50 * 1024 * 1024
    async with make_client(live_server, timeout=120) as http:
        owner = await oa_tenant(http)
        box = await folder(owner, "Video")
        await upload(owner, box["id"], b"warm", "warm.txt")  # first-use allocations aside
        tracemalloc.start()
        try:
            sent = await owner.client.post(
                DOCUMENTS,
                params={"folder_id": box["id"], "filename": "all-hands.mp4"},
                content=pattern(size),
                headers={**owner.headers, "Content-Type": "video/mp4"},
            )
            assert sent.status_code == 201, sent.text
            digest, received = hashlib.sha256(), 0
            path = f"{DOCUMENTS}/{sent.json()['id']}/content"
            async with owner.client.stream("GET", path) as response:
                assert response.status_code == 200
                async for chunk in response.aiter_bytes():
                    digest.update(chunk)
                    received += len(chunk)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert sent.json()["size"] == size
    assert (received, digest.hexdigest()) == (size, pattern_digest(size))
    # Client and server share this process: together they held well under half the file.
    assert peak < 24 * 1024 * 1024, f"peak traced memory {peak / 1024 / 1024:.1f} MiB"


async def test_a_streamed_upload_over_the_limit_stops_at_the_limit_and_leaves_nothing(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    limit = 1024 * 1024
    changed = await owner.client.put(
        "/api/v1/storage/settings", json={"max_file_bytes": limit}, headers=owner.headers
    )
    assert changed.status_code == 200
    box = await folder(owner, "Box")
    before = await rows(owner_db, owner.tenant_id)
    # No Content-Length: the server learns the size only by counting.
    refused = await owner.client.post(
        DOCUMENTS,
        params={"folder_id": box["id"], "filename": "big.bin"},
        content=pattern(3 * limit),
        headers={**owner.headers, "Content-Type": "application/octet-stream"},
    )
    assert refused.status_code == 413, refused.text
    assert await rows(owner_db, owner.tenant_id) == before
    assert stored_keys(live_server, owner.tenant_id) == set()
