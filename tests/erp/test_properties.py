"""The ERP's books agree with themselves whatever happens to them, in whatever order.

Hypothesis draws a sequence of business operations — purchase orders, receipts and vendor
bills; sales orders, deliveries and customer invoices; invoices made directly in accounting;
partial and full payments both ways; cancelling invoices; manual journal entries and their
reversal; stock counts — and plays it over real HTTP in a new tenant with accounting,
inventory and sales_purchase on. After **each** operation the reports must say:

- the trial balance balances (debits = credits, closing balances sum to zero);
- the balance sheet balances (assets = liabilities + equity, the year's result in equity);
- each product's on-hand (stock balance) is what its done moves (move history) add up to;
- the receivable accounts hold exactly the open customer invoices' residuals, and the payable
  accounts the open bills'.

An operation the modules refuse with 409 (a delivery beyond what is on hand, cancelling a paid
invoice, reversing twice …) is a valid outcome; then nothing at all may have changed. The
operations pick their targets by index among what exists (modulo its number), so a shrunk
failing sequence stays meaningful; Hypothesis prints it, and each step's outcome is noted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import asyncpg
import httpx
import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from tests.erp.books import (
    ACCOUNTING,
    INVENTORY,
    OPEN,
    Reports,
    accounts_of,
    check_balance_sheet,
    check_partners,
    check_stock,
    check_trial_balance,
    dec,
    fetched,
    internal_locations,
    read_reports,
)
from tests.sales_purchase.support import (
    PURCHASES,
    SALES,
    erp_tenant,
    product,
    stock_up,
)
from tests.support import SignedUp

#: Sequences tried: a dozen keeps the suite quick; raise it (ERP_PROPERTY_EXAMPLES=200) to hunt.
EXAMPLES = int(os.environ.get("ERP_PROPERTY_EXAMPLES", "12"))
CENT = Decimal("0.01")
#: A payment pays this share of what is left on the invoice.
SHARES = {"full": Decimal(1), "half": Decimal("0.5"), "third": Decimal(1) / 3}
#: A partial receipt or delivery takes this share of what is left on the order line.
PARTIAL = Decimal("0.5")
#: How far an order goes at once: placed only (its receipts or deliveries and bills or
#: invoices come as steps of their own), or also received or delivered whole, or billed too.
FOLLOW = ("place", "move", "bill")

index = st.integers(min_value=0, max_value=7)
products = st.integers(min_value=0, max_value=2)
purchases = st.tuples(
    st.just("purchase"),
    products,
    st.integers(min_value=1, max_value=20),
    st.sampled_from(["4.00", "5.55", "7.25"]),
    st.sampled_from(FOLLOW),
)
sales = st.tuples(
    st.just("sell"), products, st.integers(min_value=1, max_value=15), st.sampled_from(FOLLOW)
)
receipts = st.tuples(st.just("receive"), index, st.booleans())
bills = st.tuples(st.just("bill"), index)
deliveries = st.tuples(st.just("deliver"), index, st.booleans())
order_invoices = st.tuples(st.just("invoice_order"), index)
# The order flows appear twice: each step then more often finds the one before it done
# (a bill needs a receipt, which needs an order), so whole chains get played.
operation = st.one_of(
    purchases,
    purchases,
    sales,
    sales,
    receipts,
    receipts,
    bills,
    bills,
    deliveries,
    deliveries,
    order_invoices,
    order_invoices,
    st.tuples(
        st.just("invoice"),
        st.sampled_from(["customer", "vendor"]),
        st.sampled_from(["19.99", "100.00", "333.33"]),
        st.booleans(),
    ),
    st.tuples(st.just("pay"), index, st.sampled_from(sorted(SHARES))),
    st.tuples(st.just("cancel"), index),
    st.tuples(st.just("journal"), st.sampled_from(["12.34", "500.00"])),
    st.tuples(st.just("reverse"), index),
    st.tuples(st.just("count"), products, st.integers(min_value=0, max_value=30)),
)


@dataclass
class Books:
    """The tenant under test and what the operations made in it, to pick targets from."""

    who: SignedUp
    db: asyncpg.Connection
    today: date
    products: list[str]
    stock_location: str
    customer: str
    vendor: str
    receivable: set[str]
    payable: set[str]
    internal: set[str]
    #: The reports as the last check read them: what a refused operation must leave as is.
    last: Reports
    purchases: list[str] = field(default_factory=list)
    sales: list[str] = field(default_factory=list)
    invoices: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    #: Each order as its last answer showed it: which ones have goods left to move or bill.
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    outcomes: list[str] = field(default_factory=list)


def pick(items: list[str], at: int) -> str | None:
    """The ``at``-th newest item (counting round): 0, where shrinking heads, is the newest."""
    return items[-1 - at % len(items)] if items else None


def quantity(value: Decimal) -> str:
    return f"{value:f}"


async def new_books(client: httpx.AsyncClient, db: asyncpg.Connection) -> Books:
    who = await erp_tenant(client)
    names = ("Green tea", "Teapot", "Cup")
    made = [await product(who, name=name, sale_price="12.00") for name in names]
    # Some stock to start with, so that sales can go through before the first purchase does.
    for made_product in made:
        await stock_up(who, made_product["id"], "10", "5.00")
    [warehouse] = [w for w in await fetched(who, f"{INVENTORY}/warehouses") if w["is_default"]]
    customer = await _partner(who, "customer")
    vendor = await _partner(who, "vendor")
    today = date.today()
    return Books(
        who=who,
        db=db,
        today=today,
        products=[p["id"] for p in made],
        stock_location=warehouse["stock_location_id"],
        customer=customer,
        vendor=vendor,
        receivable=await accounts_of(who, "receivable"),
        payable=await accounts_of(who, "payable"),
        internal=await internal_locations(who),
        last=await read_reports(who, db, today),
    )


async def _partner(who: SignedUp, kind: str) -> str:
    made = await who.post(
        f"{ACCOUNTING}/partners", json={"name": f"{kind.title()} Ltd", "kind": kind}
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _documents(books: Books, order: dict[str, Any]) -> None:
    """Tracks the invoices and bills an order made, so payments and cancels can reach them."""
    for document in order.get("documents") or []:
        if (
            document["kind"] in ("invoice", "bill")
            and document["document_id"] not in books.invoices
        ):
            books.invoices.append(document["document_id"])


def to_move(order: dict[str, Any]) -> bool:
    return any(dec(x["quantity"]) > dec(x["done"]) for x in order["lines"])


def to_bill(order: dict[str, Any]) -> bool:
    return any(dec(x["done"]) > dec(x["invoiced"]) for x in order["lines"])


def pick_order(books: Books, ids: list[str], at: int, ready: Any) -> str | None:
    """The ``at``-th newest of the orders with something to do (``ready``), so that receipts,
    deliveries, bills and invoices mostly find work."""
    return pick([i for i in ids if ready(books.orders[i])], at)


def _seen(books: Books, answer: httpx.Response) -> None:
    """Keeps an order's latest state from a successful answer."""
    if answer.status_code in (200, 201):
        order = answer.json()
        books.orders[order["id"]] = order
        _documents(books, order)


def _left(order: dict[str, Any], partial: bool) -> dict[str, Any]:
    """A receipt or delivery body: every line's rest, or half of it (a whole quantity, at least
    one) when ``partial``."""
    lines = []
    for line in order["lines"]:
        rest = dec(line["quantity"]) - dec(line["done"])
        if rest <= 0:
            continue
        chosen = max(Decimal(1), (rest * PARTIAL).to_integral_value()) if partial else rest
        lines.append({"line_id": line["id"], "quantity": quantity(min(chosen, rest))})
    return {"lines": lines}


async def _follow(
    books: Books, path: str, order_id: str, follow: str, answer: httpx.Response
) -> httpx.Response:
    """Moves a just-confirmed order's goods whole, then bills them, as ``follow`` says. A new
    order's goods are free to move (a sale's are reserved), so neither step may be refused."""
    steps = {"place": (), "move": ("move",), "bill": ("move", "bill")}[follow]
    moves = "receipts" if path == PURCHASES else "deliveries"
    bills = "bills" if path == PURCHASES else "invoices"
    for step in steps:
        body = {"reference": f"REF-{order_id[-6:]}"} if path == PURCHASES and step == "bill" else {}
        answer = await books.who.post(
            f"{path}/{order_id}/{moves if step == 'move' else bills}", json=body
        )
        assert answer.status_code == 201, f"{step} of a new order: {answer.text}"
        _seen(books, answer)
    return answer


async def purchase(
    books: Books, at: int, count: int, price: str, follow: str = "place"
) -> httpx.Response:
    body = {
        "partner": {"name": "Vendor Ltd", "id": books.vendor},
        "lines": [{"product_id": books.products[at], "quantity": str(count), "unit_price": price}],
    }
    made = await books.who.post(PURCHASES, json=body)
    assert made.status_code == 201, made.text
    order_id = made.json()["id"]
    confirmed = await books.who.post(f"{PURCHASES}/{order_id}/confirm")
    if confirmed.status_code == 200:
        assert confirmed.json()["state"] == "purchase", confirmed.text
        books.purchases.append(order_id)
        _seen(books, confirmed)
        return await _follow(books, PURCHASES, order_id, follow, confirmed)
    return confirmed


async def receive(books: Books, at: int, partial: bool) -> httpx.Response | None:
    order_id = pick_order(books, books.purchases, at, to_move)
    if order_id is None:
        return None
    body = _left(books.orders[order_id], partial)
    received = await books.who.post(f"{PURCHASES}/{order_id}/receipts", json=body)
    _seen(books, received)
    return received


async def bill(books: Books, at: int) -> httpx.Response | None:
    order_id = pick_order(books, books.purchases, at, to_bill)
    if order_id is None:
        return None
    reference = f"BILL-{len(books.invoices) + 1}"
    billed = await books.who.post(f"{PURCHASES}/{order_id}/bills", json={"reference": reference})
    _seen(books, billed)
    return billed


async def sell(books: Books, at: int, count: int, follow: str = "place") -> httpx.Response:
    body = {
        "partner": {"name": "Customer Ltd", "id": books.customer},
        "lines": [{"product_id": books.products[at], "quantity": str(count)}],
    }
    made = await books.who.post(SALES, json=body)
    assert made.status_code == 201, made.text
    order_id = made.json()["id"]
    # The quotation is written; only the confirmation (which reserves stock) may be refused.
    before = await read_reports(books.who, books.db, books.today)
    confirmed = await books.who.post(f"{SALES}/{order_id}/confirm")
    if confirmed.status_code == 200:
        books.sales.append(order_id)
        _seen(books, confirmed)
        return await _follow(books, SALES, order_id, follow, confirmed)
    if confirmed.status_code == 409:
        await _unchanged(books, before, "confirming the sales order")
    return confirmed


async def deliver(books: Books, at: int, partial: bool) -> httpx.Response | None:
    order_id = pick_order(books, books.sales, at, to_move)
    if order_id is None:
        return None
    body = _left(books.orders[order_id], partial)
    delivered = await books.who.post(f"{SALES}/{order_id}/deliveries", json=body)
    _seen(books, delivered)
    return delivered


async def invoice_order(books: Books, at: int) -> httpx.Response | None:
    order_id = pick_order(books, books.sales, at, to_bill)
    if order_id is None:
        return None
    invoiced = await books.who.post(f"{SALES}/{order_id}/invoices", json={})
    _seen(books, invoiced)
    return invoiced


async def invoice(books: Books, kind: str, price: str, at_once: bool) -> httpx.Response:
    """An invoice or bill written in accounting directly, taxed, posted at once or drafted and
    then posted."""
    body = {
        "kind": kind,
        "partner_id": books.customer if kind == "customer" else books.vendor,
        "lines": [
            {
                "description": "Consulting",
                "unit_price": price,
                "quantity": "3",
                "discount": "5",
                "tax": "VAT-S" if kind == "customer" else "VAT-P",
            }
        ],
        "post": at_once,
    }
    made = await books.who.post(f"{ACCOUNTING}/invoices", json=body)
    assert made.status_code == 201, made.text
    invoice_id = made.json()["id"]
    books.invoices.append(invoice_id)
    if at_once:
        return made
    return await books.who.post(f"{ACCOUNTING}/invoices/{invoice_id}/post")


async def pay(books: Books, at: int, share: str) -> httpx.Response | None:
    """Pays a share of what is left on an open invoice (the first open one from the ``at``-th
    newest on)."""
    newest_first = books.invoices[::-1]
    start = at % len(newest_first) if newest_first else 0
    for invoice_id in newest_first[start:] + newest_first[:start]:
        found = await fetched(books.who, f"{ACCOUNTING}/invoices/{invoice_id}")
        if found["status"] in OPEN:
            break
    else:
        return None
    residual = dec(found["residual"])
    amount = max(CENT, (residual * SHARES[share]).quantize(CENT, ROUND_HALF_UP))
    return await books.who.post(
        f"{ACCOUNTING}/payments",
        json={
            "direction": "incoming" if found["kind"] == "customer" else "outgoing",
            "partner_id": found["partner_id"],
            "amount": quantity(amount),
            "allocations": [{"invoice_id": invoice_id, "amount": quantity(amount)}],
        },
    )


async def cancel(books: Books, at: int) -> httpx.Response | None:
    invoice_id = pick(books.invoices, at)
    if invoice_id is None:
        return None
    return await books.who.post(f"{ACCOUNTING}/invoices/{invoice_id}/cancel")


async def journal(books: Books, amount: str) -> httpx.Response:
    body = {
        "journal": "MISC",
        "date": books.today.isoformat(),
        "memo": "property test",
        "lines": [
            {"account": "expense", "debit": amount, "credit": "0"},
            {"account": "bank", "debit": "0", "credit": amount},
        ],
        "post": True,
    }
    made = await books.who.post(f"{ACCOUNTING}/entries", json=body)
    if made.status_code == 201:
        books.entries.append(made.json()["id"])
    return made


async def reverse(books: Books, at: int) -> httpx.Response | None:
    entry_id = pick(books.entries, at)
    if entry_id is None:
        return None
    return await books.who.post(
        f"{ACCOUNTING}/entries/{entry_id}/reverse", json={"date": books.today.isoformat()}
    )


async def count(books: Books, at: int, counted: int) -> httpx.Response:
    body = {
        "location_id": books.stock_location,
        "lines": [{"product_id": books.products[at], "counted": str(counted)}],
    }
    return await books.who.post(f"{INVENTORY}/counts", json=body)


OPERATIONS: dict[str, Any] = {
    "purchase": purchase,
    "receive": receive,
    "bill": bill,
    "sell": sell,
    "deliver": deliver,
    "invoice_order": invoice_order,
    "invoice": invoice,
    "pay": pay,
    "cancel": cancel,
    "journal": journal,
    "reverse": reverse,
    "count": count,
}


async def _unchanged(books: Books, before: Reports, what: str) -> None:
    after = await read_reports(books.who, books.db, books.today)
    assert after == before, f"{what} was refused, yet it changed the books"


async def check(books: Books) -> None:
    """The four agreements, read from the reports, which are kept for the next step."""
    now = await read_reports(books.who, books.db, books.today)
    check_trial_balance(now.trial)
    await check_balance_sheet(books.who, books.today)
    check_stock(now.stock, now.moves, books.internal, books.products)
    check_partners(now.trial, now.invoices, books.receivable, books.payable)
    books.last = now


async def play(books: Books, step: tuple[Any, ...]) -> None:
    name, *args = step
    done = await OPERATIONS[name](books, *args)
    if done is None:
        outcome = "nothing to do"
    elif done.status_code == 409:
        outcome = f"refused: {done.json().get('detail', done.text)}"
        if name != "sell":  # a refused confirmation is compared after its quotation was written
            await _unchanged(books, books.last, name)
    else:
        assert done.status_code in (200, 201), f"{step}: {done.status_code} {done.text}"
        outcome = str(done.status_code)
    event(f"{name}: {outcome if done is None or done.status_code != 409 else 'refused'}")
    books.outcomes.append(f"{step} -> {outcome}")
    note(books.outcomes[-1])
    await check(books)


@pytest.mark.timeout(60 + 15 * EXAMPLES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(operation, min_size=8, max_size=16))
async def test_the_books_agree_after_every_operation(
    client: httpx.AsyncClient, app_db: asyncpg.Connection, steps: list[tuple[Any, ...]]
) -> None:
    books = await new_books(client, app_db)
    for step in steps:
        await play(books, step)
