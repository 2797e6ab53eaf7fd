"""Bad input to expenses, over real HTTP: each a clear 4xx naming the field, and nothing
written — no row, no stored file, no event, no audit entry."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from tests.oa.expense_support import (
    ADVANCES,
    CATEGORIES,
    CLAIMS,
    LINES,
    RECEIPTS,
    category,
    claim,
    counts,
    line,
    receipt,
)
from tests.oa.support import colleague, field_of, oa_tenant, patch, put
from tests.support import LiveServer, SignedUp, make_client

FOREIGN = "foreign"  # stands for an id of another tenant, made by the test


def in_days(days: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


#: (what is wrong, the line's fields that make it so, the field the answer names)
LINE_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("a zero amount", {"amount": "0"}, "amount"),
    ("a zero amount with cents", {"amount": "0.00"}, "amount"),
    ("a negative amount", {"amount": "-12.50"}, "amount"),
    ("three decimals", {"amount": "12.345"}, "amount"),
    ("not a number", {"amount": "NaN"}, "amount"),
    ("an endless amount", {"amount": "Infinity"}, "amount"),
    ("ten billion", {"amount": "10000000000.00"}, "amount"),
    ("yen with sen", {"amount": "100.50", "currency": "JPY"}, "amount"),
    ("an unknown currency", {"currency": "XYZ"}, "currency"),
    ("a currency that is not a code", {"currency": "€"}, "currency"),
    ("an unknown category", {"category_id": str(uuid.uuid4())}, "category_id"),
    ("another tenant's category", {"category_id": FOREIGN}, "category_id"),
    ("an archived category", {"category_id": "archived"}, "category_id"),
    ("another currency where only one is allowed", {"category_id": "cny_only", "currency": "USD"},
     "currency"),
    ("a day in the future", {"spent_on": in_days(10)}, "spent_on"),
    ("a day long ago", {"spent_on": "1999-12-31"}, "spent_on"),
    ("an unknown file", {"receipt_file_id": str(uuid.uuid4())}, "receipt_file_id"),
    ("another tenant's file", {"receipt_file_id": FOREIGN}, "receipt_file_id"),
    ("another member's file", {"receipt_file_id": "colleague"}, "receipt_file_id"),
]  # fmt: skip


class Scene:
    """A tenant with categories and files to point at, and a second tenant's."""

    def __init__(self, owner: SignedUp, other: SignedUp, member: SignedUp) -> None:
        self.owner, self.other, self.member = owner, other, member
        self.ids: dict[str, str] = {}

    async def build(self) -> Scene:
        self.ids["category"] = (await category(self.owner, "Travel"))["id"]
        archived = await category(self.owner, "Old", active=False)
        self.ids["archived"] = archived["id"]
        self.ids["cny_only"] = (
            await category(self.owner, "Taxi", currency="CNY", only_in_currency=True)
        )["id"]
        self.ids["colleague"] = await receipt(self.member)
        return self

    async def foreign(self, field: str) -> str:
        if field == "category_id":
            return str((await category(self.other, "Theirs"))["id"])
        return await receipt(self.other)

    async def line(self, wrong: dict[str, Any]) -> dict[str, Any]:
        fields = {**line(self.ids["category"], "10.00"), **wrong}
        for name, value in wrong.items():
            if value == FOREIGN:
                fields[name] = await self.foreign(name)
            elif value in self.ids:
                fields[name] = self.ids[value]
        return fields


@pytest.fixture
async def scene(live_server: LiveServer) -> Any:
    async with make_client(live_server) as a, make_client(live_server) as b:
        owner, other = await oa_tenant(a), await oa_tenant(b)
        member = await colleague(live_server, owner)
        try:
            yield await Scene(owner, other, member).build()
        finally:
            await member.client.aclose()


@pytest.mark.parametrize(("wrong", "fields", "field"), LINE_CASES, ids=[c[0] for c in LINE_CASES])
async def test_a_bad_line_is_refused_with_nothing_written(
    scene: Scene, owner_db: asyncpg.Connection, wrong: str, fields: dict[str, Any], field: str
) -> None:
    owner = scene.owner
    good = line(scene.ids["category"], "5.00")
    bad = await scene.line(fields)
    before = await counts(owner_db, owner.tenant_id)
    # A new claim with the bad line as its second: neither the claim nor its first line stays.
    made = await owner.post(CLAIMS, json={"title": "Trip", "lines": [good, bad]})
    assert made.status_code == 422, made.text
    assert field_of(made) == [f"lines[1].{field}"], made.text
    assert await counts(owner_db, owner.tenant_id) == before
    # The same line added to a draft, or a draft's line changed to it.
    draft = await claim(owner, good)
    before = await counts(owner_db, owner.tenant_id)
    added = await owner.post(LINES, json={**bad, "claim_id": draft["id"]})
    assert added.status_code == 422 and field_of(added) == [field], added.text
    change = {name: bad[name] for name in fields}
    changed = await patch(owner, f"{LINES}/{draft['lines'][0]['id']}", change)
    assert changed.status_code == 422 and field_of(changed) == [field], changed.text
    assert await counts(owner_db, owner.tenant_id) == before


#: (what is wrong, the category's fields, the status, the field named)
CATEGORY_CASES: list[tuple[str, dict[str, Any], int, str | None]] = [
    ("a blank name", {"name": "   "}, 422, "name"),
    ("a name taken, in another case", {"name": "TRAVEL"}, 409, None),
    ("an unknown limit period", {"limit_period": "week", "limit_amount": "1", "currency": "CNY"},
     422, "limit_period"),
    ("a limit without its amount", {"limit_period": "line", "currency": "CNY"}, 422,
     "limit_amount"),
    ("an amount without a limit period", {"limit_amount": "10", "currency": "CNY"}, 422,
     "limit_amount"),
    ("a limit without a currency", {"limit_period": "month", "limit_amount": "10"}, 422,
     "currency"),
    ("a zero limit", {"limit_period": "line", "limit_amount": "0", "currency": "CNY"}, 422,
     "limit_amount"),
    ("a limit with three decimals", {"limit_period": "line", "limit_amount": "1.001",
     "currency": "CNY"}, 422, "limit_amount"),
    ("a negative receipt threshold", {"receipt_threshold": "-1", "currency": "CNY"}, 422,
     "receipt_threshold"),
    ("a threshold without a currency", {"receipt_threshold": "100"}, 422, "currency"),
    ("an unknown currency", {"currency": "ABC"}, 422, "currency"),
    ("one currency only, but none named", {"only_in_currency": True}, 422, "currency"),
    ("an unknown field", {"colour": "red"}, 400, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("wrong", "fields", "status", "field"), CATEGORY_CASES, ids=[c[0] for c in CATEGORY_CASES]
)
async def test_a_bad_category_is_refused_with_nothing_written(
    scene: Scene,
    owner_db: asyncpg.Connection,
    wrong: str,
    fields: dict[str, Any],
    status: int,
    field: str | None,
) -> None:
    owner = scene.owner
    before = await counts(owner_db, owner.tenant_id)
    made = await owner.post(CATEGORIES, json={"name": "Other", **fields})
    assert made.status_code == status, made.text
    if field is not None:
        assert field_of(made) == [field]
    changed = await patch(owner, f"{CATEGORIES}/{scene.ids['category']}", fields)
    assert changed.status_code == (status if wrong != "a name taken, in another case" else 200)
    if wrong == "a name taken, in another case":
        return  # renaming a category to its own name in another case is fine
    assert await counts(owner_db, owner.tenant_id) == before


async def test_claims_and_advances_refuse_other_tenants_and_bad_values(
    scene: Scene, owner_db: asyncpg.Connection
) -> None:
    owner, other = scene.owner, scene.other
    theirs = await other.post(ADVANCES, json={"amount": "10.00", "currency": "CNY"})
    their_claim = await claim(other, line((await category(other, "Theirs"))["id"], "1.00"))
    draft = await claim(owner, line(scene.ids["category"], "5.00"))
    before = await counts(owner_db, owner.tenant_id)
    refusals: list[tuple[httpx.Response, int, str | None]] = [
        (await owner.post(CLAIMS, json={"title": "T", "advance_id": theirs.json()["id"]}), 422,
         "advance_id"),
        (await patch(owner, f"{CLAIMS}/{draft['id']}", {"advance_id": theirs.json()["id"]}), 422,
         "advance_id"),
        (await owner.post(CLAIMS, json={"title": "   "}), 422, "title"),
        (await owner.post(CLAIMS, json={"title": "T", "owner": owner.user_id}), 400, None),
        (await owner.post(ADVANCES, json={"amount": "0", "currency": "CNY"}), 422, "amount"),
        (await owner.post(ADVANCES, json={"amount": "-1", "currency": "CNY"}), 422, "amount"),
        (await owner.post(ADVANCES, json={"amount": "1.001", "currency": "CNY"}), 422, "amount"),
        (await owner.post(ADVANCES, json={"amount": "1", "currency": "QQQ"}), 422, "currency"),
        (await owner.post(ADVANCES, json={"amount": "1", "currency": "CNY",
                                          "user_id": other.user_id}), 422, "user_id"),
        (await owner.get(f"{CLAIMS}/{their_claim['id']}"), 404, None),
        (await owner.post(f"{CLAIMS}/{their_claim['id']}/submit"), 404, None),
        (await owner.get(f"{LINES}/{their_claim['lines'][0]['id']}"), 404, None),
        (await owner.post(LINES, json={**line(scene.ids["category"], "1.00"),
                                       "claim_id": their_claim["id"]}), 422, "claim_id"),
        (await owner.get(f"{CLAIMS}?user_id={other.user_id}"), 422, "user_id"),
        (await owner.get(f"{CLAIMS}?status=lost"), 400, None),
        (await owner.get(f"{CLAIMS}?submitted_at_from=2026-02-01&submitted_at_to=2026-01-01"),
         422, "submitted_at_to"),
        (await owner.post(f"{CLAIMS}/{draft['id']}/submit"), 422, "record_id"),
    ]  # fmt: skip
    for response, status, field in refusals:
        assert response.status_code == status, (response.request.url, response.text)
        if field is not None:
            assert field_of(response) == [field], response.text
    assert await counts(owner_db, owner.tenant_id) == before
    # (The owner has no manager: the workflow's first step has nobody to ask.)


async def test_a_receipt_over_the_size_limit_is_refused_and_leaves_nothing(
    scene: Scene, owner_db: asyncpg.Connection
) -> None:
    owner = scene.owner
    limited = await put(owner, "/api/v1/storage/settings", {"max_file_bytes": 1024})
    assert limited.status_code == 200, limited.text
    draft = await claim(owner, line(scene.ids["category"], "5.00"))
    before = await counts(owner_db, owner.tenant_id)
    headers = {**owner.headers, "Content-Type": "application/pdf"}
    big = b"%PDF" + b"x" * 4096
    alone = await owner.client.post(RECEIPTS, params={"filename": "big.pdf"}, content=big,
                                    headers=headers)  # fmt: skip
    assert alone.status_code == 413, alone.text
    assert alone.json()["type"].endswith("body-too-large")
    onto = await owner.client.post(
        f"{LINES}/{draft['lines'][0]['id']}/receipt", params={"filename": "big.pdf"},
        content=big, headers=headers,
    )  # fmt: skip
    assert onto.status_code == 413, onto.text
    multipart = await owner.client.post(
        RECEIPTS, files={"file": ("big.pdf", big, "application/pdf")}, headers=owner.headers
    )
    assert multipart.status_code == 413, multipart.text
    assert await counts(owner_db, owner.tenant_id) == before
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id)
        waiting = await owner_db.fetchval(
            "SELECT count(*) FROM storage_cleanup WHERE tenant_id = $1::uuid AND not_before > now()",
            owner.tenant_id,
        )
    assert waiting == 0, "no upload is left half-written"
    # Within the limit, it is stored.
    small = await owner.client.post(RECEIPTS, params={"filename": "ok.pdf"}, content=b"%PDF ok",
                                    headers=headers)  # fmt: skip
    assert small.status_code == 201, small.text


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("/var/lib/tessera/receipt.pdf", "receipt.pdf"),
        ("..\\..\\windows\\system32\\taxi.pdf", "taxi.pdf"),
    ],
)
async def test_a_path_like_receipt_name_is_kept_as_a_name_only(
    scene: Scene, owner_db: asyncpg.Connection, sent: str, kept: str
) -> None:
    owner = scene.owner
    stored = await owner.client.post(
        RECEIPTS, params={"filename": sent}, content=b"receipt",
        headers={**owner.headers, "Content-Type": "application/pdf"},
    )  # fmt: skip
    assert stored.status_code == 201, stored.text
    assert stored.json()["filename"] == kept
    made = await claim(owner, line(scene.ids["category"], "5.00",
                                   receipt_file_id=stored.json()["id"]))  # fmt: skip
    download = await owner.get(f"{LINES}/{made['lines'][0]['id']}/receipt")
    assert download.status_code == 200 and download.content == b"receipt"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment") and kept in disposition
    assert "/" not in disposition and "\\" not in disposition and ".." not in disposition
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id)
        row = await owner_db.fetchrow(
            "SELECT filename, key FROM stored_file WHERE id = $1::uuid", stored.json()["id"]
        )
    assert (
        row is not None
        and row["filename"] == kept
        and ".." not in row["key"]
        and sent not in row["key"]
    )


async def test_a_receipt_name_with_control_characters_is_refused(
    scene: Scene, owner_db: asyncpg.Connection
) -> None:
    owner = scene.owner
    before = await counts(owner_db, owner.tenant_id)
    refused = await owner.client.post(
        RECEIPTS, params={"filename": "taxi\x1b.pdf"}, content=b"receipt",
        headers={**owner.headers, "Content-Type": "application/pdf"},
    )  # fmt: skip
    assert refused.status_code == 422 and field_of(refused) == ["filename"], refused.text
    assert await counts(owner_db, owner.tenant_id) == before
