"""Records with line items, end to end through the API as the browser app uses it: the test
plugin's supplier bills (tests/plugins/expenses). The UI metadata tells the app each line's
fields and which of them make a line's amount; the API takes money as decimal text, names a bad
value by its line (``lines[2].quantity``), computes amounts and totals itself, and replaces the
lines as a whole on PATCH. The database keeps the rules too."""

from __future__ import annotations

import io
import uuid
from typing import Any

import asyncpg
import httpx
import pytest
from pypdf import PdfReader

from tests.support import LiveServer, SignedUp, join, make_client, sign_up

BILLS = "/api/v1/expenses/bills"
RESOURCES = "/api/v1/ui/resources"
CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def line(quantity: Any, unit_price: Any, **more: Any) -> dict[str, Any]:
    return {"quantity": quantity, "unit_price": unit_price, **more}


THREE_LINES = [
    line("3", "19.99", description="Train", category="travel", discount="10"),
    line(1.5, "10.00", description="Lunch", category="meals"),
    line(2, "0.10", description="Pens"),
]


async def _owner(client: httpx.AsyncClient) -> SignedUp:
    owner = await sign_up(client)
    enabled = await owner.post("/api/v1/modules/expenses/enable")
    assert enabled.status_code == 200, enabled.text
    return owner


async def _bill(who: SignedUp, lines: list[dict[str, Any]], **more: Any) -> httpx.Response:
    body = {"supplier": "Acme Supplies", "currency": "CNY", "lines": lines, **more}
    return await who.post(BILLS, json=body)


async def _patch(who: SignedUp, bill_id: str, body: dict[str, Any]) -> httpx.Response:
    return await who.client.patch(f"{BILLS}/{bill_id}", json=body, headers=who.headers)


def _errors(response: httpx.Response, status: int = 422) -> dict[str, str]:
    assert response.status_code == status, response.text
    return {e["field"]: e["message"] for e in response.json()["errors"]}


async def _resource(who: SignedUp, name: str, **headers: str) -> dict[str, Any] | None:
    answer = await who.client.get(RESOURCES, headers=headers)
    assert answer.status_code == 200, answer.text
    return next((r for r in answer.json() if r["name"] == name), None)


async def test_the_app_is_told_each_lines_fields_and_what_makes_its_amount(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    owner = await _owner(client)
    bill = await _resource(owner, "expenses.bill")
    assert bill is not None
    lines = next(f for f in bill["fields"] if f["name"] == "lines")
    assert (lines["type"], lines["required"]) == ("lines", True)
    assert [(c["name"], c["type"], c["read_only"]) for c in lines["line_fields"]] == [
        ("description", "text", False),
        ("category", "enum", False),
        ("quantity", "number", False),
        ("unit_price", "money", False),
        ("discount", "number", False),
        ("amount", "money", True),
    ]
    assert lines["line_amount"] == ["quantity", "unit_price", "discount"]
    assert bill["form"] == [["supplier", "currency"], ["billed_on"], ["lines"]]
    assert bill["documents"] == [
        {
            "name": "pdf",
            "label": "PDF",
            "endpoint": "/api/v1/expenses/bills/{id}/pdf",
            "languages": ["en", "zh"],
        }
    ]
    total = next(f for f in bill["fields"] if f["name"] == "total")
    assert (total["line_fields"], total["line_amount"]) == ([], []), "only lines have lines"

    chinese = await _resource(owner, "expenses.bill", **CHINESE)
    assert chinese is not None
    cells = next(f for f in chinese["fields"] if f["name"] == "lines")["line_fields"]
    assert [c["label"] for c in cells[:4]] == ["说明", "类别", "数量", "单价"]
    assert cells[1]["option_labels"] == ["差旅", "餐饮", "办公用品"]

    async with make_client(live_server) as member_client:
        member = await join(live_server, owner, member_client, role="member")
        assert await _resource(member, "expenses.bill") is None, "members hold no bill permission"


async def test_a_bill_keeps_its_lines_in_order_with_amounts_and_a_total_of_its_own(
    client: httpx.AsyncClient,
) -> None:
    owner = await _owner(client)
    made = await _bill(owner, THREE_LINES, billed_on="2026-11-20")
    assert made.status_code == 201, made.text
    bill = made.json()
    # 3 x 19.99 less 10 % = 53.973 -> 53.97; 1.5 x 10.00 = 15.00; 2 x 0.10 = 0.20.
    assert [(x["description"], x["amount"]) for x in bill["lines"]] == [
        ("Train", "53.97"),
        ("Lunch", "15.00"),
        ("Pens", "0.20"),
    ]
    assert bill["total"] == "69.17"
    again = (await owner.get(f"{BILLS}/{bill['id']}")).json()
    assert again == bill
    listed = (await owner.get(BILLS)).json()
    assert [b["id"] for b in listed["items"]] == [bill["id"]]


@pytest.mark.parametrize(
    ("lines", "field", "message"),
    [
        ([], "lines", "a bill needs at least one line"),
        (
            [*THREE_LINES[:2], line(0, "1.00")],
            "lines[2].quantity",
            "must be more than 0",
        ),
        # A wrong JSON type is a malformed request (400), named as precisely.
        ([line(1, 12.5)], "lines[0].unit_price", "Expected `str`, got `float`"),
        ([line(1, "12.505")], "lines[0].unit_price", "has at most 2 decimal places in CNY"),
        ([line(1, "-1")], "lines[0].unit_price", "must not be negative"),
        ([line(1, "1", discount=120)], "lines[0].discount", "from 0 to 100"),
        ([line(1, "1"), line(1, "1", category="fuel")], "lines[1].category", "must be one of"),
        ([line(1, "1", colour="red")], "lines[0]", "unknown field `colour`"),
    ],
)
async def test_a_bad_line_is_named_by_its_place_and_field(
    client: httpx.AsyncClient, lines: list[dict[str, Any]], field: str, message: str
) -> None:
    owner = await _owner(client)
    status = 400 if "Expected" in message or "unknown" in message else 422
    errors = _errors(await _bill(owner, lines), status)
    assert list(errors) == [field]
    assert message in errors[field]
    assert (await owner.get(BILLS)).json()["items"] == [], "nothing half-written"


async def test_editing_replaces_the_lines_as_a_whole(client: httpx.AsyncClient) -> None:
    owner = await _owner(client)
    bill = (await _bill(owner, THREE_LINES)).json()
    reordered = [THREE_LINES[2], line("4", "2.50", description="Ink")]
    changed = await _patch(owner, bill["id"], {"lines": reordered, "supplier": "Acme Ltd"})
    assert changed.status_code == 200, changed.text
    assert [x["description"] for x in changed.json()["lines"]] == ["Pens", "Ink"]
    assert changed.json()["total"] == "10.20"
    renamed = await _patch(owner, bill["id"], {"supplier": "Acme plc"})
    assert [x["description"] for x in renamed.json()["lines"]] == ["Pens", "Ink"], "kept"
    errors = _errors(await _patch(owner, bill["id"], {"currency": "JPY"}))
    assert errors == {"currency": "the bill's prices do not suit JPY"}
    wrong = _errors(await _patch(owner, bill["id"], {"lines": [line(1, "1"), line(-2, "1")]}))
    assert list(wrong) == ["lines[1].quantity"]
    kept = (await owner.get(f"{BILLS}/{bill['id']}")).json()
    assert (kept["total"], kept["currency"]) == ("10.20", "CNY")


async def test_another_tenants_bill_is_not_found(live_server: LiveServer) -> None:
    async with make_client(live_server) as a_client, make_client(live_server) as b_client:
        a, b = await _owner(a_client), await _owner(b_client)
        bill = (await _bill(a, THREE_LINES)).json()
        assert (await b.get(f"{BILLS}/{bill['id']}")).status_code == 404
        assert (await _patch(b, bill["id"], {"supplier": "Mine"})).status_code == 404
        assert (await b.get(f"{BILLS}/{uuid.uuid4()}")).status_code == 404


async def test_the_database_refuses_a_bad_line_and_a_change_in_place(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await _owner(client)
    bill = (await _bill(owner, THREE_LINES)).json()
    insert = (
        "INSERT INTO expenses_bill_line (tenant_id, id, bill_id, position, description, "
        "quantity, unit_price, discount, amount) VALUES ($1, $2, $3, 9, '', $4, 1, $5, 1)"
    )
    tenant, bill_id = uuid.UUID(owner.tenant_id), uuid.UUID(bill["id"])
    for quantity, discount in ((0, 0), (1, 101)):
        with pytest.raises(asyncpg.CheckViolationError):
            async with app_db.transaction():
                await app_db.execute(
                    "SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id
                )
                await app_db.execute(insert, tenant, uuid.uuid4(), bill_id, quantity, discount)
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with app_db.transaction():
            await app_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id
            )
            await app_db.execute("UPDATE expenses_bill_line SET amount = 0")


async def test_the_bills_document_prints_it_in_the_language_asked(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    owner = await _owner(client)
    bill = (await _bill(owner, THREE_LINES)).json()
    resource = await _resource(owner, "expenses.bill")
    assert resource is not None
    url = resource["documents"][0]["endpoint"].replace("{id}", bill["id"])
    for lang, words in (
        ("zh", ("供应商账单", "合计", "CNY 69.17")),
        ("en", ("Supplier bill", "Total")),
    ):
        printed = await owner.get(url, params={"lang": lang})
        assert printed.status_code == 200, printed.text
        assert printed.headers["content-type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(printed.content)).pages)
        assert "Acme Supplies" in text and "Train" in text
        assert all(word in text for word in words), text
    assert (await owner.get(url, params={"lang": "fr"})).status_code == 400
    async with make_client(live_server) as other_client:
        other = await _owner(other_client)
        assert (await other.get(url)).status_code == 404, "another tenant's bill"
