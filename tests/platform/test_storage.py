"""Stored files over real HTTP, on local disk and on S3 (moto on loopback) alike.

The expenses test plugin attaches receipts to claims through ``tessera.plugin`` only; every
test signs up tenants of its own and runs once per store.
"""

from __future__ import annotations

import hashlib
import tracemalloc
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from tessera.db.engine import Database
from tessera.db.tenant_context import set_tenant
from tessera.recycle.capture import PlatformSession
from tessera.runtime import runtime_database_url
from tessera.storage import service
from tessera.storage.backends import storage_for
from tests.storage_support import Store, pattern, pattern_digest
from tests.support import SignedUp, join, make_client, sign_up

API = "/api/v1/expenses"
SETTINGS = "/api/v1/storage/settings"
MiB = 1024 * 1024


@pytest.fixture
async def http(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(store.server, timeout=120) as client:
        yield client


async def expenses_tenant(client: httpx.AsyncClient) -> SignedUp:
    owner = await sign_up(client)
    assert (await owner.post("/api/v1/modules/expenses/enable")).status_code == 200
    return owner


async def new_claim(owner: SignedUp) -> str:
    made = await owner.post(
        f"{API}/claims", json={"title": "Trip", "amount": "120.00", "department": "Sales"}
    )
    assert made.status_code == 201, made.text
    claim_id: str = made.json()["id"]
    return claim_id


async def upload(
    owner: SignedUp,
    path: str,
    content: bytes | AsyncIterator[bytes],
    filename: str | None = "receipt.txt",
    content_type: str = "text/plain",
) -> httpx.Response:
    params = {} if filename is None else {"filename": filename}
    headers = {**owner.headers, "Content-Type": content_type}
    return await owner.client.post(path, params=params, content=content, headers=headers)


async def set_limit(owner: SignedUp, max_file_bytes: int) -> None:
    changed = await owner.client.put(
        SETTINGS, json={"max_file_bytes": max_file_bytes}, headers=owner.headers
    )
    assert changed.status_code == 200, changed.text


async def count(owner_db: asyncpg.Connection, tenant_id: str, table: str) -> int:
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        found: int = await owner_db.fetchval(f"SELECT count(*) FROM {table}")
    return found


async def nothing_stored(store: Store, owner_db: asyncpg.Connection, owner: SignedUp) -> None:
    assert store.keys(owner.tenant_id) == set()
    assert store.unfinished() == 0
    for table in ("stored_file", "storage_cleanup", "expenses_receipt"):
        assert await count(owner_db, owner.tenant_id, table) == 0, table


async def sweep(store: Store, tenant_id: str, *, hours_later: float) -> service.Swept:
    """One run of the tenant's storage sweep, as the schedule runs it, at a moment to come."""
    database = Database(
        runtime_database_url(store.settings), pool_size=1, session_class=PlatformSession
    )
    try:
        async with database.transaction() as db:
            await set_tenant(db, uuid.UUID(tenant_id))
            moment = datetime.now(UTC) + timedelta(hours=hours_later)
            return await service.sweep(db, store.settings, now=moment)
    finally:
        await storage_for(store.settings).aclose()
        await database.dispose()


async def test_a_file_goes_up_and_comes_back_the_same(
    store: Store, http: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await expenses_tenant(http)
    claim = await new_claim(owner)
    content = b"Taxi 42.00 EUR\n" * 1000

    sent = await upload(owner, f"{API}/claims/{claim}/receipts", content, "taxi.txt")
    assert sent.status_code == 201, sent.text
    receipt = sent.json()
    assert receipt["file"]["filename"] == "taxi.txt"
    assert receipt["file"]["content_type"] == "text/plain"
    assert receipt["file"]["size"] == len(content)
    assert receipt["file"]["sha256"] == hashlib.sha256(content).hexdigest()

    got = await owner.get(f"{API}/receipts/{receipt['id']}/content")
    assert got.status_code == 200
    assert got.content == content
    assert got.headers["content-type"].startswith("text/plain")
    assert got.headers["content-length"] == str(len(content))
    assert got.headers["content-disposition"] == (
        "attachment; filename=\"taxi.txt\"; filename*=UTF-8''taxi.txt"
    )
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["etag"] == f'"{receipt["file"]["sha256"]}"'

    file_id = receipt["file"]["id"]
    assert store.keys(owner.tenant_id) == {f"{owner.tenant_id}/{file_id[-2:]}/{file_id}"}
    assert await count(owner_db, owner.tenant_id, "storage_cleanup") == 0
    audit = await owner.get("/api/v1/audit", params={"record_type": "stored_file"})
    [created] = audit.json()["items"]
    assert created["action"] == "create"
    assert created["changes"]["filename"] == [None, "taxi.txt"]


async def test_multipart_upload_with_fields(store: Store, http: httpx.AsyncClient) -> None:
    owner = await expenses_tenant(http)
    claim = await new_claim(owner)
    content = b"%PDF-1.7 pretend\n" * 100
    sent = await owner.client.post(
        f"{API}/claims/{claim}/receipts",
        files={"file": ("报销单 2026.pdf", content, "application/pdf")},
        data={"note": "hotel, two nights"},
        headers=owner.headers,
    )
    assert sent.status_code == 201, sent.text
    receipt = sent.json()
    assert receipt["note"] == "hotel, two nights"
    assert receipt["file"]["filename"] == "报销单 2026.pdf"
    assert receipt["file"]["content_type"] == "application/pdf"

    shown = await owner.get(f"{API}/receipts/{receipt['id']}/content", params={"inline": True})
    assert shown.content == content
    assert shown.headers["content-disposition"] == (
        "inline; filename=\"___ 2026.pdf\"; filename*=UTF-8''%E6%8A%A5%E9%94%80%E5%8D%95%202026.pdf"
    )
    listed = await owner.get(f"{API}/claims/{claim}/receipts")
    assert [r["id"] for r in listed.json()] == [receipt["id"]]


async def test_only_harmless_types_are_shown_inline(store: Store, http: httpx.AsyncClient) -> None:
    owner = await expenses_tenant(http)
    claim = await new_claim(owner)
    html = await upload(
        owner, f"{API}/claims/{claim}/receipts", b"<script>alert(1)</script>", "x.html", "text/html"
    )
    png = await upload(
        owner, f"{API}/claims/{claim}/receipts", b"\x89PNG\r\n\x1a\n", "x.png", "image/png"
    )
    for made, disposition, sandboxed in ((html, "attachment", False), (png, "inline", True)):
        shown = await owner.get(
            f"{API}/receipts/{made.json()['id']}/content", params={"inline": True}
        )
        assert shown.headers["content-disposition"].startswith(disposition)
        assert ("content-security-policy" in shown.headers) is sandboxed


async def test_a_big_file_streams_through_in_bounded_memory(
    store: Store, http: httpx.AsyncClient
) -> None:
    size = 50 * MiB
    owner = await expenses_tenant(http)
    await set_limit(owner, 64 * MiB)
    claim = await new_claim(owner)
    # A first file loads what lives as long as the process (the S3 client's service model).
    warm = await upload(owner, f"{API}/claims/{claim}/receipts", b"warm", "warm.txt")
    assert (await owner.get(f"{API}/receipts/{warm.json()['id']}/content")).content == b"warm"

    tracemalloc.start()
    try:
        sent = await upload(
            owner, f"{API}/claims/{claim}/receipts", pattern(size), "big.bin", "application/zip"
        )
        assert sent.status_code == 201, sent.text
        digest = hashlib.sha256()
        received = 0
        path = f"{API}/receipts/{sent.json()['id']}/content"
        async with owner.client.stream("GET", path) as response:
            assert response.status_code == 200
            async for chunk in response.aiter_bytes():
                digest.update(chunk)
                received += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert sent.json()["file"]["size"] == size
    assert sent.json()["file"]["sha256"] == pattern_digest(size)
    assert (received, digest.hexdigest()) == (size, pattern_digest(size))
    # Client and server share this process: together they held well under half the file.
    assert peak < 24 * MiB, f"peak traced memory {peak / MiB:.1f} MiB"


@pytest.mark.parametrize("declared", [False, True], ids=["streamed", "content-length"])
async def test_a_file_over_the_limit_is_413_and_leaves_nothing(
    store: Store, http: httpx.AsyncClient, owner_db: asyncpg.Connection, declared: bool
) -> None:
    owner = await expenses_tenant(http)
    # Over 8 MiB, so that on S3 a multipart upload is under way when the limit is passed.
    limit = 12 * MiB
    await set_limit(owner, limit)
    claim = await new_claim(owner)
    body: bytes | AsyncIterator[bytes] = b"x" * (limit + 1) if declared else pattern(20 * MiB)

    refused = await upload(owner, f"{API}/claims/{claim}/receipts", body, "big.bin")
    assert refused.status_code == 413, refused.text
    problem = refused.json()
    assert problem["type"].endswith("/body-too-large")
    assert problem["max_bytes"] == limit
    await nothing_stored(store, owner_db, owner)

    exactly = await upload(owner, f"{API}/claims/{claim}/receipts", pattern(limit), "ok.bin")
    assert exactly.status_code == 201, exactly.text


async def test_a_path_like_filename_is_only_a_name(
    store: Store, http: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await expenses_tenant(http)
    claim = await new_claim(owner)
    names = {
        "../../etc/passwd": "passwd",
        "..\\..\\boot.ini": "boot.ini",
        "/absolute/report.txt ": "report.txt",
        "notes...": "notes",
    }
    for given, kept in names.items():
        sent = await upload(owner, f"{API}/claims/{claim}/receipts", b"data", given)
        assert sent.status_code == 201, (given, sent.text)
        file = sent.json()["file"]
        assert file["filename"] == kept
        got = await owner.get(f"{API}/receipts/{sent.json()['id']}/content")
        assert got.headers["content-disposition"].startswith(f'attachment; filename="{kept}"')

    assert await count(owner_db, owner.tenant_id, "stored_file") == len(names)
    for key in store.keys(owner.tenant_id):
        tenant, shard, file_id = key.split("/")
        assert (tenant, shard) == (owner.tenant_id, file_id[-2:])
        uuid.UUID(file_id)
    if store.kind == "local":
        root = store.settings.files_dir
        assert not (root.parent / "etc").exists()
        assert not (root.parent.parent / "etc" / "passwd").exists()


async def test_another_tenants_file_is_not_there(
    store: Store, http: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    first = await expenses_tenant(http)
    claim = await new_claim(first)
    sent = await upload(first, f"{API}/claims/{claim}/receipts", b"secret", "secret.txt")
    receipt_id, file_id = sent.json()["id"], sent.json()["file"]["id"]

    async with make_client(store.server) as other_client:
        second = await expenses_tenant(other_client)
        second_claim = await new_claim(second)
        assert (await second.get(f"{API}/files/{file_id}")).status_code == 404
        assert (await second.get(f"{API}/receipts/{receipt_id}/content")).status_code == 404
        attach = await second.post(
            f"{API}/claims/{second_claim}/receipts/attach", json={"file_id": file_id}
        )
        assert attach.status_code == 404, attach.text
        assert await count(owner_db, second.tenant_id, "expenses_receipt") == 0
    assert (await first.get(f"{API}/files/{file_id}")).status_code == 200


@pytest.mark.parametrize(
    ("params", "content_type", "body", "status", "field"),
    [
        ({}, "text/plain", b"x", 422, "filename"),
        ({"filename": ""}, "text/plain", b"x", 422, "filename"),
        ({"filename": "../"}, "text/plain", b"x", 422, "filename"),
        ({"filename": "a\x01b.txt"}, "text/plain", b"x", 422, "filename"),
        ({"filename": "n" * 256}, "text/plain", b"x", 422, "filename"),
        ({}, "multipart/form-data", b"x", 422, "content-type"),
        ({}, "multipart/form-data; boundary=XX", b"--XX\r\nnonsense", 422, "body"),
        (
            {},
            "multipart/form-data; boundary=XX",
            b'--XX\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--XX--\r\n',
            422,
            "file",
        ),
        (
            {},
            "multipart/form-data; boundary=XX",
            b'--XX\r\nContent-Disposition: form-data; name="file"; filename="a\x00.txt"\r\n\r\n'
            b"hi\r\n--XX--\r\n",
            422,
            "filename",
        ),
        (
            {},
            "multipart/form-data; boundary=XX",
            b'--XX\r\nContent-Disposition: form-data; name="other"; filename="a.txt"\r\n\r\n'
            b"hi\r\n--XX--\r\n",
            422,
            "other",
        ),
    ],
)
async def test_bad_uploads_are_refused_and_store_nothing(
    store: Store,
    http: httpx.AsyncClient,
    owner_db: asyncpg.Connection,
    params: dict[str, str],
    content_type: str,
    body: bytes,
    status: int,
    field: str,
) -> None:
    owner = await expenses_tenant(http)
    claim = await new_claim(owner)
    refused = await owner.client.post(
        f"{API}/claims/{claim}/receipts",
        params=params,
        content=body,
        headers={**owner.headers, "Content-Type": content_type},
    )
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in refused.json()["errors"]] == [field]
    await nothing_stored(store, owner_db, owner)


async def test_who_may_upload(
    store: Store, http: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await expenses_tenant(http)
    claim = await new_claim(owner)
    path = f"{API}/claims/{claim}/receipts"
    no_csrf = await http.post(path, params={"filename": "a.txt"}, content=b"x")
    assert no_csrf.status_code == 403
    unknown = await upload(owner, f"{API}/claims/{uuid.uuid4()}/receipts", b"x")
    assert unknown.status_code == 404
    async with make_client(store.server) as stranger:
        anonymous = await stranger.post(path, params={"filename": "a.txt"}, content=b"x")
        assert anonymous.status_code == 401
    late_field = await owner.client.post(
        path,
        files={"file": ("a.txt", b"data", "text/plain")},
        data={"note": "n" * 201},
        headers=owner.headers,
    )
    # The field came with the upload: refusing it rolls the stored file back too.
    assert late_field.status_code == 422, late_field.text
    await nothing_stored(store, owner_db, owner)


async def test_the_tenant_admin_sets_the_limit(store: Store, http: httpx.AsyncClient) -> None:
    owner = await expenses_tenant(http)
    initial = (await owner.get(SETTINGS)).json()
    assert initial == {
        "max_file_bytes": store.settings.storage_file_limit_bytes,
        "ceiling_max_file_bytes": store.settings.storage_file_limit_ceiling_bytes,
        "default_max_file_bytes": store.settings.storage_file_limit_bytes,
    }
    ceiling = store.settings.storage_file_limit_ceiling_bytes
    for bad in (0, -1, ceiling + 1, "many"):
        refused = await owner.client.put(
            SETTINGS, json={"max_file_bytes": bad}, headers=owner.headers
        )
        assert refused.status_code in (400, 422), refused.text
    await set_limit(owner, 2 * MiB)
    await set_limit(owner, 3 * MiB)
    assert (await owner.get(SETTINGS)).json()["max_file_bytes"] == 3 * MiB

    async with make_client(store.server) as member_client:
        member = await join(store.server, owner, member_client)
        assert (await member.get(SETTINGS)).json()["max_file_bytes"] == 3 * MiB
        forbidden = await member.client.put(
            SETTINGS, json={"max_file_bytes": MiB}, headers=member.headers
        )
        assert forbidden.status_code == 403

    audit = await owner.get("/api/v1/audit", params={"record_type": "storage_setting"})
    changes = [(e["action"], e["changes"]["max_file_bytes"]) for e in audit.json()["items"]]
    assert changes == [("update", [2 * MiB, 3 * MiB]), ("create", [None, 2 * MiB])]


async def test_a_binned_receipt_keeps_its_file_until_purged(
    store: Store, http: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await expenses_tenant(http)
    claim = await new_claim(owner)
    sent = await upload(owner, f"{API}/claims/{claim}/receipts", b"kept", "kept.txt")
    receipt_id = sent.json()["id"]
    assert (await owner.delete(f"{API}/receipts/{receipt_id}")).status_code == 200

    # Long after the upload, the bin still holds the file: the sweep leaves it.
    assert await sweep(store, owner.tenant_id, hours_later=48) == service.Swept(0, 0)
    assert len(store.keys(owner.tenant_id)) == 1
    [item] = (await owner.get("/api/v1/recycle-bin")).json()["items"]
    assert (await owner.post(f"/api/v1/recycle-bin/{item['id']}/restore")).status_code == 200
    assert (await owner.get(f"{API}/receipts/{receipt_id}/content")).content == b"kept"

    assert (await owner.delete(f"{API}/receipts/{receipt_id}")).status_code == 200
    [item] = (await owner.get("/api/v1/recycle-bin")).json()["items"]
    assert (await owner.delete(f"/api/v1/recycle-bin/{item['id']}")).status_code == 200
    assert await sweep(store, owner.tenant_id, hours_later=48) == service.Swept(1, 0)
    # The row went in that run; its bytes go in the next, once the deletion has committed.
    assert len(store.keys(owner.tenant_id)) == 1
    assert await sweep(store, owner.tenant_id, hours_later=48) == service.Swept(0, 1)
    await nothing_stored(store, owner_db, owner)


async def test_a_file_nothing_holds_goes_after_the_grace_period(
    store: Store, http: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await expenses_tenant(http)
    claim = await new_claim(owner)
    alone = (await upload(owner, f"{API}/files", b"never attached", "alone.txt")).json()
    attached = (await upload(owner, f"{API}/files", b"attached later", "later.txt")).json()
    made = await owner.post(
        f"{API}/claims/{claim}/receipts/attach", json={"file_id": attached["id"]}
    )
    assert made.status_code == 201, made.text

    assert await sweep(store, owner.tenant_id, hours_later=1) == service.Swept(0, 0)
    assert await sweep(store, owner.tenant_id, hours_later=25) == service.Swept(1, 0)
    assert (await owner.get(f"{API}/files/{alone['id']}")).status_code == 404
    assert (await owner.get(f"{API}/files/{attached['id']}")).status_code == 200
    await sweep(store, owner.tenant_id, hours_later=25)
    file_id = attached["id"]
    assert store.keys(owner.tenant_id) == {f"{owner.tenant_id}/{file_id[-2:]}/{file_id}"}
    assert await count(owner_db, owner.tenant_id, "storage_cleanup") == 0


async def test_replacing_a_receipt_removes_the_old_file_at_once(
    store: Store, http: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await expenses_tenant(http)
    claim = await new_claim(owner)
    first = (await upload(owner, f"{API}/claims/{claim}/receipts", b"first", "a.txt")).json()
    replaced = await upload(owner, f"{API}/receipts/{first['id']}/replace", b"second", "b.txt")
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["old_file_removed"] is True
    new_id = replaced.json()["receipt"]["file"]["id"]
    assert store.keys(owner.tenant_id) == {f"{owner.tenant_id}/{new_id[-2:]}/{new_id}"}
    assert await count(owner_db, owner.tenant_id, "stored_file") == 1
    assert await count(owner_db, owner.tenant_id, "storage_cleanup") == 0
    got = await owner.get(f"{API}/receipts/{first['id']}/content")
    assert got.content == b"second"
    audit = await owner.get("/api/v1/audit", params={"record_type": "stored_file"})
    assert [e["action"] for e in audit.json()["items"]] == ["delete", "create", "create"]


async def test_a_file_two_rows_hold_stays_when_one_lets_go(
    store: Store, http: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await expenses_tenant(http)
    claim = await new_claim(owner)
    first = (await upload(owner, f"{API}/claims/{claim}/receipts", b"shared", "s.txt")).json()
    shared: dict[str, Any] = first["file"]
    second = await owner.post(
        f"{API}/claims/{claim}/receipts/attach", json={"file_id": shared["id"]}
    )
    assert second.status_code == 201
    replaced = await upload(owner, f"{API}/receipts/{first['id']}/replace", b"new", "n.txt")
    assert replaced.json()["old_file_removed"] is False
    got = await owner.get(f"{API}/receipts/{second.json()['id']}/content")
    assert got.content == b"shared"
    assert len(store.keys(owner.tenant_id)) == 2
