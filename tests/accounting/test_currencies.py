"""Exchange rates: entered one by one or imported from CSV, all or nothing with every wrong line
named; the rate of a day is the latest entered on or before it."""

from __future__ import annotations

import httpx

from tests.accounting.support import API, accounting_tenant, posted

RATES = f"{API}/rates"


async def test_rates_are_entered_replaced_listed_and_deleted(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    first = await owner.post(RATES, json={"currency": "usd", "date": "2026-01-01", "rate": "7.10"})
    assert first.status_code == 201, first.text
    assert (first.json()["currency"], first.json()["rate"]) == ("USD", "7.1000000000")
    again = await owner.post(RATES, json={"currency": "USD", "date": "2026-01-01", "rate": "7.2"})
    assert again.json()["rate"] == "7.2000000000"
    await owner.post(RATES, json={"currency": "EUR", "date": "2026-02-01", "rate": "7.9"})
    listed = (await owner.get(RATES)).json()["items"]
    assert [(r["currency"], r["date"]) for r in listed] == [
        ("EUR", "2026-02-01"),
        ("USD", "2026-01-01"),
    ]
    assert [
        r["currency"] for r in (await owner.get(RATES, params={"currency": "usd"})).json()["items"]
    ] == ["USD"]
    page = (await owner.get(RATES, params={"limit": 1})).json()
    rest = (await owner.get(RATES, params={"limit": 1, "cursor": page["next_cursor"]})).json()
    assert [r["currency"] for r in page["items"] + rest["items"]] == ["EUR", "USD"]
    assert (await owner.delete(f"{RATES}/{first.json()['id']}")).status_code == 200
    assert [r["currency"] for r in (await owner.get(RATES)).json()["items"]] == ["EUR"]


async def test_bad_rates_are_refused(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    for body, field in (
        ({"currency": "CNY", "date": "2026-01-01", "rate": "1"}, "currency"),
        ({"currency": "ABC", "date": "2026-01-01", "rate": "1"}, "currency"),
        ({"currency": "USD", "date": "2026-01-01", "rate": 7.1}, "rate"),
        ({"currency": "USD", "date": "2026-01-01", "rate": "0"}, "rate"),
        ({"currency": "USD", "date": "2026-01-01", "rate": "abc"}, "rate"),
    ):
        answer = await owner.post(RATES, json=body)
        assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, field), body


async def test_a_csv_import_is_all_or_nothing_naming_every_wrong_line(
    client: httpx.AsyncClient,
) -> None:
    owner = await accounting_tenant(client)
    bad = "\n".join([
        "Date,Currency,Rate",
        "2026-03-01,USD,7.25",
        "2026-03-01,XYZ,1",
        "March 2,EUR,7.9",
        "2026-03-03,EUR,-1",
        "2026-03-01,USD,7.3",
        "",
    ])  # fmt: skip
    refused = await owner.post(f"{RATES}/import", json={"content": bad})
    assert refused.status_code == 422, refused.text
    assert [(x["line"], x["field"]) for x in refused.json()["lines"]] == [
        (3, "currency"), (4, "date"), (5, "rate"), (6, "date"),
    ]  # fmt: skip
    assert (await owner.get(RATES)).json()["items"] == []
    good = "\ufeffcurrency,date,rate\nUSD,2026-03-01,7.25\nEUR,2026-03-01,7.9\nUSD,2026-04-01,7.3\n"
    imported = await owner.post(f"{RATES}/import", json={"content": good})
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"imported": 3}
    headless = await owner.post(f"{RATES}/import", json={"content": "USD,2026-03-01,7.25\n"})
    assert (headless.status_code, headless.json()["errors"][0]["field"]) == (422, "content")
    # The rate of a day is the latest on or before it.
    entry = await posted(
        owner, ("expense", "10", "0"), ("cash", "0", "10"), currency="USD", date="2026-03-31"
    )
    assert entry["lines"][0]["debit"] == "72.50"
    later = await posted(
        owner, ("expense", "10", "0"), ("cash", "0", "10"), currency="USD", date="2026-04-01"
    )
    assert later["lines"][0]["debit"] == "73.00"
    early = await owner.post(
        f"{API}/entries",
        json={"journal": "MISC", "date": "2026-02-28", "currency": "USD", "post": True,
              "lines": [{"account": "expense", "debit": "1"}, {"account": "cash", "credit": "1"}]},
    )  # fmt: skip
    assert (early.status_code, early.json()["errors"][0]["field"]) == (422, "currency")
    given = await posted(
        owner,
        ("expense", "10", "0"),
        ("cash", "0", "10"),
        currency="USD",
        date="2026-02-28",
        rate="7",
    )
    assert given["lines"][0]["debit"] == "70.00"
