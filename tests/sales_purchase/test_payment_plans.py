"""Payment plans (回款计划): instalments that make the order's total, and their status from the
payments accounting registers against the order's invoices."""

from __future__ import annotations

import httpx

from tests.sales_purchase.support import (
    SALES,
    erp_tenant,
    fields_of,
    line,
    needs_invoicing,
    ok,
    product,
    quotation,
    stock_up,
)

pytestmark = needs_invoicing


async def test_a_plan_must_make_the_total_and_percentages_round_to_it(
    client: httpx.AsyncClient,
) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, sale_price="100.00")
    order = await quotation(owner, line(tea["id"], "1"))
    plan = f"{SALES}/{order['id']}/payment-plan"
    thirds = [{"due_date": f"2099-0{m}-01", "percent": "33.3333"} for m in (1, 2)] + [
        {"due_date": "2099-03-01", "percent": "33.3334"}
    ]
    made = await ok(
        await owner.client.put(plan, json={"instalments": thirds}, headers=owner.headers)
    )
    assert [i["amount"] for i in made["instalments"]] == ["33.33", "33.33", "33.34"]
    assert [i["status"] for i in made["instalments"]] == ["due", "due", "due"]
    for body, field in (
        ({"instalments": [{"due_date": "2099-01-01", "amount": "99.00"}]}, "instalments"),
        (
            {"instalments": [{"due_date": "2099-01-01", "amount": "100.001"}]},
            "instalments[0].amount",
        ),
        (
            {"instalments": [{"due_date": "2099-01-01", "amount": "50", "percent": "50"}]},
            "instalments[0].amount",
        ),
        ({"instalments": [{"due_date": "2099-01-01", "percent": "101"}]}, "instalments[0].percent"),
        ({"instalments": []}, "instalments"),
    ):
        refused = await owner.client.put(plan, json=body, headers=owner.headers)
        assert refused.status_code == 422, (body, refused.text)
        assert fields_of(refused) == [field], (body, refused.text)
    floats = await owner.client.put(
        plan,
        json={"instalments": [{"due_date": "2099-01-01", "amount": 100.0}]},
        headers=owner.headers,
    )
    assert floats.status_code in (400, 422)
    kept = await ok(await owner.get(plan))
    assert [i["amount"] for i in kept["instalments"]] == ["33.33", "33.33", "33.34"]


async def test_payments_against_the_orders_invoices_settle_instalments_in_due_order(
    client: httpx.AsyncClient,
) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, sale_price="100.00")
    await stock_up(owner, tea["id"], "5")
    order = await quotation(owner, line(tea["id"], "2"))
    plan = f"{SALES}/{order['id']}/payment-plan"
    await ok(
        await owner.client.put(
            plan,
            json={
                "instalments": [
                    {"due_date": "2000-01-01", "amount": "50.00", "note": "Deposit"},
                    {"due_date": "2099-01-01", "amount": "150.00"},
                ]
            },
            headers=owner.headers,
        )
    )
    assert [i["status"] for i in (await ok(await owner.get(plan)))["instalments"]] == [
        "overdue",
        "due",
    ]
    await ok(await owner.post(f"{SALES}/{order['id']}/confirm"))
    await ok(await owner.post(f"{SALES}/{order['id']}/deliveries", json={}), 201)
    invoiced = await ok(await owner.post(f"{SALES}/{order['id']}/invoices", json={}), 201)
    invoice = next(d for d in invoiced["documents"] if d["kind"] == "invoice")
    paid = await owner.post(
        "/api/v1/accounting/payments",
        json={
            "direction": "incoming",
            "partner_id": order["partner_id"],
            "amount": "80.00",
            "allocations": [{"invoice_id": invoice["document_id"], "amount": "80.00"}],
        },
    )
    assert paid.status_code == 201, paid.text
    shown = await ok(await owner.get(plan))
    assert (shown["invoiced"], shown["received"], shown["outstanding"]) == (
        "200.00",
        "80.00",
        "120.00",
    )
    assert [(i["paid"], i["status"]) for i in shown["instalments"]] == [
        ("50.00", "paid"),
        ("30.00", "partial"),
    ]
