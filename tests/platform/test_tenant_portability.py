"""`tessera tenants export` and `import`: a tenant with real data across modules moves whole to
a fresh database (rows, accounts, files, audit chain) and works there; a damaged, forged,
incomplete, duplicate or foreign-version archive is refused and the target is left unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from tessera.tenants.portability import ArchiveError, Deployment, export_tenant, import_tenant
from tests import support
from tests.events_support import TEMPLATE_DB_VAR
from tests.platform.portability_support import (
    LEFT_BEHIND,
    allow_restoring,
    database_state,
    fresh_database,
    manifest_of,
    read_members,
    rewrite,
    stored_files,
    tenant_tables,
)
from tests.support import LiveServer, SignedUp, join, make_client, sign_up

pytestmark = [pytest.mark.timeout(300), pytest.mark.xdist_group("tenant-portability")]
TESSERA = Path(sys.executable).parent / "tessera"
ACCOUNTS = "/api/v1/crm/accounts"
ACCOUNTING = "/api/v1/accounting"


@dataclass
class Target:
    """A fresh deployment to import into: its own database and its own file store."""

    admin_url: str
    owner_url: str
    data_dir: Path

    @property
    def database(self) -> str:
        name = make_url(self.owner_url).database
        assert name
        return name

    @property
    def files(self) -> Path:
        return self.data_dir / "files"

    def deployment(self) -> Deployment:
        return Deployment.from_settings(support.test_settings(self.owner_url, self.data_dir))

    async def state(self) -> tuple[dict[str, int], dict[str, bytes]]:
        return await database_state(self.admin_url, self.database), stored_files(self.files)


@pytest.fixture
async def target(admin_url: str, owner_url: str, tmp_path: Path) -> AsyncIterator[Target]:
    await allow_restoring(admin_url)
    async with fresh_database(admin_url, owner_url, os.environ[TEMPLATE_DB_VAR]) as url:
        yield Target(admin_url, url, tmp_path / "target")


def tessera(owner_url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    env |= {
        "TESSERA_ENV": "test",
        "TESSERA_DATABASE_URL": owner_url,
        "TESSERA_DATA_DIR": str(data_dir),
        "TESSERA_LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [str(TESSERA), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


async def made(who: SignedUp, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await who.post(path, json=body)
    assert response.status_code == 201, f"{path}: {response.text}"
    created: dict[str, Any] = response.json()
    return created


async def upload(who: SignedUp, content: bytes, filename: str) -> dict[str, Any]:
    response = await who.client.post(
        "/api/v1/expenses/files",
        params={"filename": filename},
        content=content,
        headers={**who.headers, "Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 201, response.text
    uploaded: dict[str, Any] = response.json()
    return uploaded


async def busy_tenant(server: LiveServer, client: httpx.AsyncClient) -> SignedUp:
    """A tenant with a member, CRM accounts, an OA announcement, a posted invoice (the ledger's
    triggers have rows), and two uploaded files."""
    owner = await sign_up(client)
    for module in ("crm", "oa", "accounting", "expenses"):
        enabled = await owner.post(f"/api/v1/modules/{module}/enable")
        assert enabled.status_code == 200, enabled.text
    async with make_client(server) as member_client:
        await join(server, owner, member_client)
    await made(owner, ACCOUNTS, {"name": "Acme 株式会社", "website": "https://acme.example"})
    await made(owner, ACCOUNTS, {"name": 'Quote "and" comma, Ltd\nsecond line'})
    await made(owner, "/api/v1/oa/announcements", {"title": "Moving house"})
    customer = await made(owner, f"{ACCOUNTING}/partners", {"name": "Buyer", "kind": "customer"})
    lines = [{"description": "Consulting", "unit_price": "120.00", "quantity": "3"}]
    body = {"kind": "customer", "partner_id": customer["id"], "lines": lines, "post": True}
    assert (await made(owner, f"{ACCOUNTING}/invoices", body))["status"] == "posted"
    await upload(owner, bytes(range(256)) * 64, "binary.bin")
    await upload(owner, "发票 receipt\n".encode(), "收据.txt")
    return owner


async def rows_of(url: str, table: str, tenant_id: str) -> list[tuple[Any, ...]]:
    """A table's rows of one tenant, every column, in a stable order (as a superuser)."""
    conn = await asyncpg.connect(url)
    try:
        column = "id" if table == "tenant" else "tenant_id"
        if table == "identity_user":
            query = (
                "SELECT * FROM identity_user WHERE id IN "
                "(SELECT user_id FROM identity_membership WHERE tenant_id = $1::uuid)"
            )
        else:
            query = f'SELECT * FROM "{table}" WHERE {column} = $1::uuid'
        rows = await conn.fetch(query, tenant_id)
        return sorted((tuple(r.values()) for r in rows), key=repr)
    finally:
        await conn.close()


def as_admin(admin_url: str, owner_url: str) -> str:
    database = make_url(owner_url).database
    return make_url(admin_url).set(database=database).render_as_string(hide_password=False)


async def test_a_tenant_moves_whole_to_a_fresh_database(
    live_server: LiveServer,
    client: httpx.AsyncClient,
    owner_url: str,
    admin_url: str,
    target: Target,
    tmp_path: Path,
) -> None:
    owner = await busy_tenant(live_server, client)
    archive = tmp_path / "tenant.tar.gz"
    exported = tessera(
        owner_url, live_server.settings.data_dir, "tenants", "export", owner.slug, str(archive)
    )
    assert exported.returncode == 0, exported.stderr
    assert "crm_account: 2 rows" in exported.stderr, "progress goes to stderr, table by table"

    source = as_admin(admin_url, owner_url)
    manifest = manifest_of(read_members(archive))
    conn = await asyncpg.connect(source)
    try:
        owned = await tenant_tables(conn)
    finally:
        await conn.close()
    assert {t["name"] for t in manifest["tables"]} == owned - LEFT_BEHIND | {
        "tenant",
        "identity_user",
    }
    assert manifest["tenant"] == {
        "id": owner.tenant_id,
        "slug": owner.slug,
        "name": f"Company {owner.slug}",
    }

    imported = tessera(target.owner_url, target.data_dir, "tenants", "import", str(archive))
    assert imported.returncode == 0, imported.stderr
    moved = as_admin(admin_url, target.owner_url)
    for table in sorted(owned - LEFT_BEHIND | {"tenant", "identity_user"}):
        assert await rows_of(moved, table, owner.tenant_id) == await rows_of(
            source, table, owner.tenant_id
        ), table
    assert len(await rows_of(moved, "audit_entry", owner.tenant_id)) > 10
    assert len(await rows_of(moved, "accounting_balance", owner.tenant_id)) > 0

    source_files = stored_files(live_server.settings.files_dir)
    moved_files = stored_files(target.files)
    assert len(moved_files) == 2
    assert all(moved_files[key] == source_files[key] for key in moved_files)

    verified = tessera(target.owner_url, target.data_dir, "audit", "verify", "--tenant", owner.slug)
    assert verified.returncode == 0, verified.stderr
    assert "chain intact" in verified.stdout

    await works_on(target, owner)


async def works_on(target: Target, owner: SignedUp) -> None:
    """The tenant's owner signs in on a server of the new database and carries on."""
    server = LiveServer(support.test_settings(target.owner_url, target.data_dir))
    server.start()
    try:
        async with make_client(server) as client:
            signed_in = await client.post(
                "/api/v1/auth/login", json={"email": owner.email, "password": owner.password}
            )
            assert signed_in.status_code == 200, signed_in.text
            moved = SignedUp(
                client, owner.tenant_id, owner.slug, owner.user_id, owner.email,
                owner.password, signed_in.json()["csrf_token"],
            )  # fmt: skip
            await made(moved, ACCOUNTS, {"name": "After the move"})
            names = {a["name"] for a in (await client.get(ACCOUNTS)).json()["items"]}
            assert {"Acme 株式会社", "After the move"} <= names
            invoices = (await client.get(f"{ACCOUNTING}/invoices")).json()["items"]
            assert [i["status"] for i in invoices] == ["posted"]
    finally:
        server.stop()


# --- refusals ------------------------------------------------------------------------------


def one_byte_changed(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    content = bytearray(members["tables/crm_account.csv"])
    content[len(content) // 2] ^= 0x01
    members["tables/crm_account.csv"] = bytes(content)


def foreign_row(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    rows = members["tables/crm_account.csv"]
    first = rows.split(b"\n", 1)[0] + b"\n"
    stranger = first.replace(manifest["tenant"]["id"].encode(), str(uuid.uuid4()).encode())
    members["tables/crm_account.csv"] = rows + stranger.replace(b"Acme", b"Other")


def table_missing(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    del members["tables/crm_account.csv"]


def accounts_left_out(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    members["tables/identity_user.csv"] = b""


def stranger_account(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    rows = members["tables/identity_user.csv"]
    first = rows.split(b"\n", 1)[0]
    member_id, email = first.split(b",")[:2]
    stranger = first.replace(member_id, str(uuid.uuid4()).encode()).replace(
        email, b"stranger-" + uuid.uuid4().hex.encode() + b"@example.com"
    )
    members["tables/identity_user.csv"] = rows + stranger + b"\n"


def other_version(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    manifest["tessera_version"] = "0.0.1"


def other_heads(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    manifest["alembic_heads"]["crm"] = "c001"


REFUSALS: list[tuple[str, Callable[[dict[str, bytes], dict[str, Any]], None], bool, str]] = [
    ("one byte changed", one_byte_changed, False, "does not match its checksum"),
    ("another tenant's row, resealed", foreign_row, True, "belongs to tenant"),
    ("a table's file missing", table_missing, False, "has no tables/crm_account.csv"),
    # Foreign-key triggers do not fire on restored rows: the import checks every key itself.
    (
        "the members' accounts left out, resealed",
        accounts_left_out,
        True,
        "missing row of identity_user",
    ),
    ("another version", other_version, False, "exported by Tessera 0.0.1"),
    ("an account no row of the tenant points at, resealed", stranger_account, True, "no row of"),
    ("other migration heads", other_heads, False, "crm c001"),
]


@pytest.mark.parametrize(
    ("change", "reseal", "message"),
    [pytest.param(c, r, m, id=name) for name, c, r, m in REFUSALS],
)
async def test_a_bad_archive_is_refused_and_changes_nothing(
    live_server: LiveServer,
    client: httpx.AsyncClient,
    target: Target,
    tmp_path: Path,
    change: Callable[[dict[str, bytes], dict[str, Any]], None],
    reseal: bool,
    message: str,
) -> None:
    owner = await sign_up(client)
    assert (await owner.post("/api/v1/modules/crm/enable")).status_code == 200
    assert (await owner.post("/api/v1/modules/expenses/enable")).status_code == 200
    await made(owner, ACCOUNTS, {"name": "Acme"})
    await upload(owner, b"receipt", "r.txt")
    good, bad = tmp_path / "good.tar", tmp_path / "bad.tar"
    await export_tenant(Deployment.from_settings(live_server.settings), owner.slug, good)
    rewrite(good, bad, change, reseal=reseal)

    before = await target.state()
    with pytest.raises(ArchiveError, match=message):
        await import_tenant(target.deployment(), bad)
    assert await target.state() == before


async def test_a_tenant_that_exists_or_a_clashing_account_is_refused(
    live_server: LiveServer, client: httpx.AsyncClient, target: Target, tmp_path: Path
) -> None:
    owner = await sign_up(client)
    archive = tmp_path / "tenant.tar"
    source = Deployment.from_settings(live_server.settings)
    with pytest.raises(ArchiveError, match="no tenant has the slug"):
        await export_tenant(source, f"{owner.slug}-not", archive)
    assert not archive.exists()
    await export_tenant(source, owner.slug, archive)

    conn = await asyncpg.connect(as_admin(target.admin_url, target.owner_url))
    try:
        # Someone else already has the owner's email in the target deployment.
        await conn.execute(
            "INSERT INTO identity_user (id, email, name, password_hash) VALUES ($1, $2, 'X', 'x')",
            uuid.uuid4(), owner.email,
        )  # fmt: skip
        before = await target.state()
        with pytest.raises(ArchiveError, match=f"account {owner.email}"):
            await import_tenant(target.deployment(), archive)
        assert await target.state() == before
        await conn.execute("DELETE FROM identity_user WHERE email = $1", owner.email)
    finally:
        await conn.close()

    await import_tenant(target.deployment(), archive)
    before = await target.state()
    with pytest.raises(ArchiveError, match="already exists"):
        await import_tenant(target.deployment(), archive)
    assert await target.state() == before


async def test_files_written_before_a_refusal_are_removed(
    live_server: LiveServer, client: httpx.AsyncClient, target: Target, tmp_path: Path
) -> None:
    owner = await sign_up(client)
    assert (await owner.post("/api/v1/modules/expenses/enable")).status_code == 200
    await upload(owner, b"first", "1.txt")
    second = await upload(owner, b"second", "2.txt")
    archive = tmp_path / "tenant.tar"
    manifest = await export_tenant(
        Deployment.from_settings(live_server.settings), owner.slug, archive
    )
    last = manifest.files[-1].key
    assert last.endswith(second["id"])
    # Bytes already under the last key: the import writes the first file, then must stop.
    (target.files / last).parent.mkdir(parents=True)
    (target.files / last).write_bytes(b"already here")

    before = await target.state()
    with pytest.raises(ArchiveError, match="already has bytes"):
        await import_tenant(target.deployment(), archive)
    assert await target.state() == before


PROBE = (
    "CREATE TABLE probe_counter (tenant_id uuid NOT NULL REFERENCES tenant (id), "
    "id bigint GENERATED BY DEFAULT AS IDENTITY, note text NOT NULL, PRIMARY KEY (tenant_id, id))"
)


async def test_a_sequence_moves_past_the_restored_ids(
    admin_url: str, owner_url: str, target: Target, tmp_path: Path
) -> None:
    """A plugin's table with an identity column (none of ours has one yet): after an import,
    the target's sequence hands out ids after the restored ones."""
    tenant_id, slug = uuid.uuid4(), f"seq-{uuid.uuid4().hex[:8]}"
    template = os.environ[TEMPLATE_DB_VAR]
    async with fresh_database(admin_url, owner_url, template) as source_url:
        for url in (source_url, target.owner_url):
            conn = await asyncpg.connect(url)
            try:
                await conn.execute(PROBE)
            finally:
                await conn.close()
        conn = await asyncpg.connect(source_url)
        try:
            await conn.execute(
                "INSERT INTO tenant (id, slug, name) VALUES ($1, $2, 'Seq')", tenant_id, slug
            )
            for note in ("one", "two", "three"):
                await conn.execute(
                    "INSERT INTO probe_counter (tenant_id, note) VALUES ($1, $2)", tenant_id, note
                )
        finally:
            await conn.close()
        archive = tmp_path / "seq.tar"
        source = Deployment.from_settings(support.test_settings(source_url, tmp_path / "source"))
        await export_tenant(source, slug, archive)

    await import_tenant(target.deployment(), archive)
    conn = await asyncpg.connect(target.owner_url)
    try:
        next_id = await conn.fetchval(
            "INSERT INTO probe_counter (tenant_id, note) VALUES ($1, 'four') RETURNING id",
            tenant_id,
        )
    finally:
        await conn.close()
    assert next_id == 4
