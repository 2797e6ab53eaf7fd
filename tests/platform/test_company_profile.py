"""The company profile over real HTTP: reading, changing (audited, admins only), the logo and
the uploads it refuses, and another tenant's profile staying out of sight."""

from __future__ import annotations

import io

import asyncpg
import httpx
import pytest
from PIL import Image

from tests.support import LiveServer, SignedUp, join, make_client, sign_up

COMPANY = "/api/v1/company"
LOGO = f"{COMPANY}/logo"


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (64, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(buffer, kind)
    return buffer.getvalue()


async def patch(who: SignedUp, body: object) -> httpx.Response:
    return await who.client.patch(COMPANY, json=body, headers=who.headers)


async def put_logo(
    who: SignedUp, content: bytes, filename: str = "logo.png", content_type: str = "image/png"
) -> httpx.Response:
    return await who.client.put(
        LOGO,
        params={"filename": filename},
        content=content,
        headers={**who.headers, "Content-Type": content_type},
    )


async def count(owner_db: asyncpg.Connection, tenant_id: str, table: str) -> int:
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        found: int = await owner_db.fetchval(f"SELECT count(*) FROM {table}")
    return found


async def test_a_new_tenant_has_its_sign_up_name_and_nothing_else(
    client: httpx.AsyncClient,
) -> None:
    owner = await sign_up(client)
    got = await owner.get(COMPANY)
    assert got.status_code == 200, got.text
    assert got.json() == {
        "legal_name": f"Company {owner.slug}",
        "address": "",
        "tax_id": "",
        "phone": "",
        "email": "",
        "logo_file_id": None,
    }
    assert (await owner.get(LOGO)).status_code == 404


async def test_the_owner_changes_the_profile_and_the_change_is_audited(
    client: httpx.AsyncClient,
) -> None:
    owner = await sign_up(client)
    changed = await patch(
        owner,
        {
            "legal_name": "  上海示例   贸易有限公司 ",
            "address": "上海市浦东新区世纪大道100号\n200120",
            "tax_id": "91310000MA1K4XYZ",
            "email": "AR@Example.CN",
        },
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["legal_name"] == "上海示例 贸易有限公司"
    assert changed.json()["email"] == "ar@example.cn"

    again = await patch(owner, {"phone": "+86 21 5555 0000", "tax_id": ""})
    assert again.status_code == 200, again.text
    got = (await owner.get(COMPANY)).json()
    assert got["phone"] == "+86 21 5555 0000"
    assert got["tax_id"] == ""
    assert got["address"] == "上海市浦东新区世纪大道100号\n200120"

    audit = await owner.get("/api/v1/audit", params={"record_type": "company_profile"})
    entries = audit.json()["items"]
    assert [e["action"] for e in entries] == ["update", "create"]
    assert entries[0]["changes"]["tax_id"] == ["91310000MA1K4XYZ", ""]


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"legal_name": "   "}, "legal_name", 422),
        ({"legal_name": "x" * 201}, "legal_name", 422),
        ({"email": "not an email"}, "email", 422),
        ({"tax_id": "1" * 51}, "tax_id", 422),
        # A body that does not fit the schema at all is the platform's 400.
        ({"phone": 12345}, "phone", 400),
        ({"website": "https://example.com"}, "website", 400),
    ],
)
async def test_bad_input_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, body: dict[str, object], field: str, status: int
) -> None:
    owner = await sign_up(client)
    refused = await patch(owner, {"tax_id": "KEEP", **body} if field != "tax_id" else body)
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert field in refused.text
    assert (await owner.get(COMPANY)).json()["tax_id"] == ""


async def test_members_read_the_profile_but_only_admins_change_it(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    owner = await sign_up(client)
    assert (await patch(owner, {"tax_id": "T-1"})).status_code == 200
    async with make_client(live_server) as other, make_client(live_server) as third:
        member = await join(live_server, owner, other, role="member")
        admin = await join(live_server, owner, third, role="admin")

        assert (await member.get(COMPANY)).json()["tax_id"] == "T-1"
        assert (await patch(member, {"tax_id": "T-2"})).status_code == 403
        assert (await put_logo(member, image_bytes())).status_code == 403
        assert (await member.delete(LOGO)).status_code == 403

        assert (await patch(admin, {"tax_id": "T-3"})).status_code == 200
        assert (await put_logo(admin, image_bytes())).status_code == 200
        assert (await member.get(LOGO)).status_code == 200
    assert (await owner.get(COMPANY)).json()["tax_id"] == "T-3"


async def test_the_logo_is_stored_served_replaced_and_removed(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await sign_up(client)
    first = image_bytes("PNG")
    # The stored type comes from the bytes, not from what the client says.
    uploaded = await put_logo(owner, first, content_type="application/octet-stream")
    assert uploaded.status_code == 200, uploaded.text
    first_id = uploaded.json()["logo_file_id"]
    assert first_id is not None

    served = await owner.get(LOGO)
    assert served.status_code == 200
    assert served.content == first
    assert served.headers["content-type"] == "image/png"

    second = image_bytes("JPEG")
    replaced = await put_logo(owner, second, filename="logo.jpg", content_type="image/jpeg")
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["logo_file_id"] != first_id
    served = await owner.get(LOGO)
    assert served.content == second
    assert served.headers["content-type"] == "image/jpeg"
    # The old logo is let go with the change.
    assert await count(owner_db, owner.tenant_id, "stored_file") == 1

    removed = await owner.delete(LOGO)
    assert removed.status_code == 200, removed.text
    assert removed.json()["logo_file_id"] is None
    assert (await owner.get(LOGO)).status_code == 404
    assert await count(owner_db, owner.tenant_id, "stored_file") == 0


def _bomb() -> bytes:
    # Tiny on the wire, 25 million pixels once decoded.
    return image_bytes("PNG", size=(5000, 5000))


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b"this is not an image at all", 422),
        (image_bytes("PNG")[:60], 422),
        (image_bytes("GIF"), 422),
        (b"", 422),
        (_bomb(), 422),
        (b"\x89PNG" + b"\x00" * (1 << 20), 413),
    ],
    ids=["text", "truncated-png", "gif", "empty", "too-many-pixels", "over-1MiB"],
)
async def test_bad_logos_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection, content: bytes, status: int
) -> None:
    owner = await sign_up(client)
    refused = await put_logo(owner, content)
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (await owner.get(COMPANY)).json()["logo_file_id"] is None
    assert await count(owner_db, owner.tenant_id, "stored_file") == 0
    assert await count(owner_db, owner.tenant_id, "company_profile") == 0


async def test_another_tenants_profile_stays_out_of_sight(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    first = await sign_up(client)
    assert (await patch(first, {"tax_id": "FIRST-ONLY"})).status_code == 200
    assert (await put_logo(first, image_bytes())).status_code == 200
    async with make_client(live_server) as other_client:
        second = await sign_up(other_client)
        assert (await second.get(COMPANY)).json()["tax_id"] == ""
        assert (await second.get(LOGO)).status_code == 404


async def test_the_database_keeps_one_profile_per_tenant(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await sign_up(client)
    assert (await patch(owner, {"tax_id": "T"})).status_code == 200
    with pytest.raises(asyncpg.UniqueViolationError):
        async with app_db.transaction():
            await app_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id
            )
            await app_db.execute(
                "INSERT INTO company_profile (tenant_id, id, legal_name) "
                "VALUES ($1, gen_random_uuid(), 'Second')",
                owner.tenant_id,
            )
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with app_db.transaction():
            await app_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id
            )
            await app_db.execute("DELETE FROM company_profile")
