"""What the document tests share: folders, uploads, shares, and a look at what was written."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.oa.support import patch
from tests.storage_support import Store
from tests.support import LiveServer, SignedUp

FOLDERS = "/api/v1/oa/folders"
SHARES = "/api/v1/oa/folder-shares"
DOCUMENTS = "/api/v1/oa/documents"
VERSIONS = "/api/v1/oa/document-versions"
BIN = "/api/v1/recycle-bin"
TABLES = ("oa_folder", "oa_folder_share", "oa_document", "oa_document_version", "stored_file")


async def folder(who: SignedUp, name: str, parent_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name}
    if parent_id is not None:
        body["parent_id"] = parent_id
    made = await who.post(FOLDERS, json=body)
    assert made.status_code == 201, made.text
    result: dict[str, Any] = made.json()
    return result


async def send(
    who: SignedUp,
    folder_id: str,
    content: bytes,
    filename: str = "notes.txt",
    content_type: str = "text/plain",
) -> httpx.Response:
    """Upload ``content`` as the raw body, its name in the query."""
    return await who.client.post(
        DOCUMENTS,
        params={"folder_id": folder_id, "filename": filename},
        content=content,
        headers={**who.headers, "Content-Type": content_type},
    )


async def upload(
    who: SignedUp, folder_id: str, content: bytes, filename: str = "notes.txt"
) -> dict[str, Any]:
    sent = await send(who, folder_id, content, filename)
    assert sent.status_code == 201, sent.text
    result: dict[str, Any] = sent.json()
    return result


async def share(who: SignedUp, folder_id: str, access: str, **grantee: str) -> httpx.Response:
    return await who.post(SHARES, json={"folder_id": folder_id, "access": access, **grantee})


async def shared(who: SignedUp, folder_id: str, access: str, **grantee: str) -> dict[str, Any]:
    made = await share(who, folder_id, access, **grantee)
    assert made.status_code == 201, made.text
    result: dict[str, Any] = made.json()
    return result


async def items(who: SignedUp, path: str, **params: Any) -> list[dict[str, Any]]:
    listed = await who.get(path, params=params)
    assert listed.status_code == 200, listed.text
    found: list[dict[str, Any]] = listed.json()["items"]
    return found


async def names(who: SignedUp, path: str, **params: Any) -> list[str]:
    return [item["name"] for item in await items(who, path, **params)]


async def rename(who: SignedUp, path: str, **body: Any) -> httpx.Response:
    return await patch(who, path, body)


async def rows(owner_db: asyncpg.Connection, tenant_id: str) -> dict[str, int]:
    """How many rows of each document table (and stored files) the tenant has."""
    counts = {}
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        for table in TABLES:
            counts[table] = await owner_db.fetchval(f"SELECT count(*) FROM {table}")
    return counts


def stored_keys(server: LiveServer, tenant_id: str) -> set[str]:
    """The keys the tenant has in the app's store (local disk in these tests)."""
    return Store("local", server).keys(tenant_id)


def disposition(response: httpx.Response) -> str:
    return response.headers["content-disposition"]


async def event_types(owner_db: asyncpg.Connection, tenant_id: str) -> list[str]:
    """The types of the tenant's events, in the order they were emitted."""
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        found = await owner_db.fetch(
            "SELECT type FROM event_outbox WHERE type LIKE 'oa.%' ORDER BY occurred_at, id"
        )
    return [row["type"] for row in found]
