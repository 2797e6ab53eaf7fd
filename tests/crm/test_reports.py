"""CRM reports over real HTTP, checked figure by figure against deals seeded in a fresh tenant.

The seed: two reps (A and B) and the owner (O), the default pipeline Sales (Qualification 10%,
Needs analysis 25%, Proposal 50%, Negotiation 75%) and a second one, Renewals (Due 60%):

    deal  owner stage        amount    cur  expected    status  created     closed
    d1    A     Qualif.      1000.00   EUR  2026-01-15  open    2026-01-05
    d2    A     Proposal     2000.00   EUR  2026-01-20  open    2026-01-06
    d3    B     Negotiation  3000.00   USD  2026-02-10  open    2026-01-10
    d4    A     Needs an.     500.50   EUR  2026-02-28  won     2026-01-07  2026-02-03
    d5    B     Proposal      800.00   USD  2026-01-31  won     2026-01-08  2026-01-14
    d6    B     Qualif.       400.00   EUR  2026-01-25  lost    2026-01-09  2026-01-20
    d7    A     Negotiation   100.00   EUR  -           open    2026-01-11
    d8    O     Proposal      999.99   EUR  2026-03-05  open    2025-12-01
    d9    A     Qualif.       250.00   USD  2026-01-02  lost    2026-01-03  2026-02-10
    d10   B     Qualif.      1200.00   USD  2026-04-10  won     2026-01-12  2026-02-20
    d11   O     Due (Renew.)  700.00   EUR  2026-02-15  open    2026-01-15
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from tests.crm.test_accounts_contacts import crm_tenant
from tests.crm.test_deals import DEALS, PIPELINES
from tests.support import LiveServer, SignedUp, join, make_client

REPORTS = "/api/v1/crm/reports"
JAN_FEB = {"from": "2026-01-01", "to": "2026-02-28"}

#: name: (owner, stage, amount, currency, expected close, status, created, closed)
SEED: dict[str, tuple[str, str, str, str, str | None, str, str, str | None]] = {
    "d1": ("A", "Qualification", "1000.00", "EUR", "2026-01-15", "open", "2026-01-05", None),
    "d2": ("A", "Proposal", "2000.00", "EUR", "2026-01-20", "open", "2026-01-06", None),
    "d3": ("B", "Negotiation", "3000.00", "USD", "2026-02-10", "open", "2026-01-10", None),
    "d4": ("A", "Needs analysis", "500.50", "EUR", "2026-02-28", "won", "2026-01-07", "2026-02-03"),
    "d5": ("B", "Proposal", "800.00", "USD", "2026-01-31", "won", "2026-01-08", "2026-01-14"),
    "d6": ("B", "Qualification", "400.00", "EUR", "2026-01-25", "lost", "2026-01-09", "2026-01-20"),
    "d7": ("A", "Negotiation", "100.00", "EUR", None, "open", "2026-01-11", None),
    "d8": ("O", "Proposal", "999.99", "EUR", "2026-03-05", "open", "2025-12-01", None),
    "d9": ("A", "Qualification", "250.00", "USD", "2026-01-02", "lost", "2026-01-03", "2026-02-10"),
    "d10": ("B", "Qualification", "1200.00", "USD", "2026-04-10", "won", "2026-01-12", "2026-02-20"),
    "d11": ("O", "Due", "700.00", "EUR", "2026-02-15", "open", "2026-01-15", None),
}  # fmt: skip


@dataclass
class Sales:
    owner: SignedUp
    a: SignedUp
    b: SignedUp
    sales: str
    renewals: str
    stages: dict[str, str]

    def user(self, who: str) -> str:
        return {"O": self.owner, "A": self.a, "B": self.b}[who].user_id


async def seed(owner: SignedUp, a: SignedUp, b: SignedUp, owner_db: asyncpg.Connection) -> Sales:
    renewals = await owner.post(
        PIPELINES, json={"name": "Renewals", "stages": [{"name": "Due", "probability": 60}]}
    )
    assert renewals.status_code == 201, renewals.text
    pipelines = (await owner.get(PIPELINES)).json()
    sales = next(p for p in pipelines if p["is_default"])
    stages = {s["name"]: s["id"] for p in pipelines for s in p["stages"]}
    team = Sales(owner, a, b, sales["id"], renewals.json()["id"], stages)
    made: dict[str, str] = {}
    for name, (who, stage, amount, currency, expected, status, _, _) in SEED.items():
        body: dict[str, Any] = {
            "name": name,
            "amount": amount,
            "currency": currency,
            "stage_id": stages[stage],
            "owner_id": team.user(who),
            "expected_close": expected,
        }
        if stage == "Due":
            body["pipeline_id"] = team.renewals
        response = await owner.post(DEALS, json=body)
        assert response.status_code == 201, response.text
        made[name] = response.json()["id"]
        if status == "won":
            assert (await owner.post(f"{DEALS}/{made[name]}/won")).is_success
        elif status == "lost":
            assert (await owner.post(f"{DEALS}/{made[name]}/lost", json={"reason": "x"})).is_success
    # When deals came in and closed is what the reports are about: set them as the seed says.
    # (After the requests: the update's audit entries hold the tenant's audit chain until commit.)
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id)
        for name, (*_, created, closed) in SEED.items():
            await owner_db.execute(
                "UPDATE crm_deal SET created_at = $2, closed_at = $3 WHERE id = $1",
                uuid.UUID(made[name]),
                datetime.fromisoformat(f"{created}T09:30:00+00:00"),
                datetime.fromisoformat(f"{closed}T16:45:00+00:00") if closed else None,
            )
    return team


@pytest.fixture
async def team(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> Any:
    owner = await crm_tenant(client)
    async with make_client(live_server) as ca, make_client(live_server) as cb:
        a = await join(live_server, owner, ca)
        b = await join(live_server, owner, cb)
        yield await seed(owner, a, b, owner_db)


async def report(who: SignedUp, name: str, **params: str) -> dict[str, Any]:
    response = await who.get(f"{REPORTS}/{name}", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def series(body: dict[str, Any], name: str, **keys: Any) -> list[Any]:
    """The data of the one series called ``name`` whose other keys match ``keys``."""
    [found] = [
        s["data"]
        for s in body["series"]
        if s["name"] == name and all(s[k] == v for k, v in keys.items())
    ]
    return list(found)


async def test_the_weighted_forecast_by_month_and_currency(team: Sales) -> None:
    body = await report(team.owner, "forecast", **{"from": "2026-01-01", "to": "2026-03-31"})
    assert (body["from"], body["to"]) == ("2026-01-01", "2026-03-31")
    assert body["labels"] == ["2026-01", "2026-02", "2026-03"]
    expected = {
        # d1 + d2; d11 (Renewals); d8 (999.99 at 50% is 499.995: to the cent, 500.00)
        "EUR": {
            "open_count": ["2", "1", "1"],
            "open": ["3000.00", "700.00", "999.99"],
            "weighted": ["1100.00", "420.00", "500.00"],
            "won_count": ["0", "1", "0"],
            "won": ["0.00", "500.50", "0.00"],
        },
        # d5 won; d3 open at 75%; the lost d9 is no part of a forecast
        "USD": {
            "open_count": ["0", "1", "0"],
            "open": ["0.00", "3000.00", "0.00"],
            "weighted": ["0.00", "2250.00", "0.00"],
            "won_count": ["1", "0", "0"],
            "won": ["800.00", "0.00", "0.00"],
        },
    }
    got = {code: {m: series(body, m, currency=code) for m in expected[code]} for code in expected}
    assert got == expected
    assert len(body["series"]) == 10
    assert body["undated"] == [
        {
            "currency": "EUR",
            "open_count": 1,
            "open": "100.00",
            "weighted": "75.00",
            "won_count": 0,
            "won": "0.00",
        }
    ]
    dollars = await report(
        team.owner,
        "forecast",
        **{"from": "2026-01-01", "to": "2026-03-31", "currency": "USD", "pipeline_id": team.sales},
    )
    assert {s["currency"] for s in dollars["series"]} == {"USD"}
    assert series(dollars, "weighted", currency="USD") == ["0.00", "2250.00", "0.00"]
    assert dollars["undated"] == []
    sales_only = await report(
        team.owner,
        "forecast",
        **{"from": "2026-02-01", "to": "2026-02-28", "pipeline_id": team.sales},
    )
    assert series(sales_only, "open", currency="EUR") == ["0.00"], "d11 is on Renewals"


async def test_the_funnel_counts_how_far_deals_got(team: Sales) -> None:
    body = await report(team.owner, "funnel", **JAN_FEB)
    assert body["pipeline_id"] == team.sales, "the default pipeline"
    assert body["labels"] == ["Qualification", "Needs analysis", "Proposal", "Negotiation", "Won"]
    assert body["stage_ids"][:-1] == [
        team.stages[n] for n in ("Qualification", "Needs analysis", "Proposal", "Negotiation")
    ]
    assert body["stage_ids"][-1] is None
    # d8 came in before the period, d11 is on another pipeline; won deals reached every stage.
    assert series(body, "reached") == ["9", "6", "6", "5", "3"]
    assert series(body, "in_stage") == ["1", "0", "1", "2", "3"]
    assert series(body, "conversion") == [None, "66.67", "100.00", "83.33", "60.00"]
    assert series(body, "reached_value", currency="EUR") == [
        "4000.50", "2600.50", "2600.50", "600.50", "500.50",
    ]  # fmt: skip
    assert series(body, "in_stage_value", currency="EUR") == [
        "1000.00", "0.00", "2000.00", "100.00", "500.50",
    ]  # fmt: skip
    assert series(body, "reached_value", currency="USD") == [
        "5250.00", "5000.00", "5000.00", "5000.00", "2000.00",
    ]  # fmt: skip
    renewals = await report(team.owner, "funnel", pipeline_id=team.renewals, **JAN_FEB)
    assert renewals["labels"] == ["Due", "Won"]
    assert series(renewals, "reached") == ["1", "0"]
    assert series(renewals, "conversion") == [None, "0.00"]
    empty = await report(team.owner, "funnel", **{"from": "2020-01-01", "to": "2020-12-31"})
    assert series(empty, "reached") == ["0"] * 5
    assert series(empty, "conversion") == [None] * 5
    assert [s["name"] for s in empty["series"]] == ["reached", "in_stage", "conversion"]


async def test_win_rate_overall_and_by_owner(team: Sales) -> None:
    body = await report(team.owner, "win-rate", **JAN_FEB)
    assert (body["won"], body["lost"], body["rate"]) == (3, 2, "60.00")
    assert body["owner_ids"] == [team.b.user_id, team.a.user_id], "most won first"
    assert body["labels"] == [team.b.user_id, team.a.user_id]
    assert series(body, "won") == ["2", "1"]
    assert series(body, "lost") == ["1", "1"]
    assert series(body, "rate") == ["66.67", "50.00"]
    january = await report(team.owner, "win-rate", **{"from": "2026-01-01", "to": "2026-01-31"})
    assert (january["won"], january["lost"], january["rate"]) == (1, 1, "50.00")
    nothing = await report(team.owner, "win-rate", **{"from": "2025-01-01", "to": "2025-01-31"})
    assert (nothing["won"], nothing["lost"], nothing["rate"]) == (0, 0, None)
    assert nothing["labels"] == [] and series(nothing, "rate") == []
    # The last day counts whole: d10 closed on 2026-02-20 at 16:45 UTC.
    edge = await report(team.owner, "win-rate", **{"from": "2026-02-20", "to": "2026-02-20"})
    assert (edge["won"], edge["lost"]) == (1, 0)


async def test_pipeline_value_by_stage_and_currency(team: Sales) -> None:
    body = await report(team.owner, "pipeline-value")
    assert (body["from"], body["to"]) == (None, None)
    assert body["labels"] == ["Qualification", "Needs analysis", "Proposal", "Negotiation"]
    assert series(body, "count") == ["1", "0", "2", "2"]
    assert series(body, "open", currency="EUR") == ["1000.00", "0.00", "2999.99", "100.00"]
    # (2000.00 + 999.99) at 50% is 1499.995: 1500.00 to the cent.
    assert series(body, "weighted", currency="EUR") == ["100.00", "0.00", "1500.00", "75.00"]
    assert series(body, "open", currency="USD") == ["0.00", "0.00", "0.00", "3000.00"]
    assert series(body, "weighted", currency="USD") == ["0.00", "0.00", "0.00", "2250.00"]
    assert [(s["name"], s["currency"]) for s in body["series"]] == [
        ("count", None), ("open", "EUR"), ("weighted", "EUR"), ("open", "USD"), ("weighted", "USD"),
    ]  # fmt: skip
    january = await report(
        team.owner, "pipeline-value", **{"from": "2026-01-01", "to": "2026-01-31"}
    )
    assert series(january, "count") == ["1", "0", "1", "0"], "expected to close in January"
    renewals = await report(team.owner, "pipeline-value", pipeline_id=team.renewals)
    assert renewals["labels"] == ["Due"]
    assert series(renewals, "weighted", currency="EUR") == ["420.00"]
    euros = await report(team.owner, "pipeline-value", currency="EUR")
    assert {s["currency"] for s in euros["series"]} == {None, "EUR"}
    assert series(euros, "count") == ["1", "0", "2", "1"]


async def test_deals_won_per_owner_by_month_and_by_week(team: Sales) -> None:
    body = await report(team.owner, "deals-won", **JAN_FEB)
    assert body["interval"] == "month"
    assert body["labels"] == ["2026-01-01", "2026-02-01"]
    assert body["count"] == 3
    assert body["amounts"] == [
        {"currency": "EUR", "amount": "500.50"},
        {"currency": "USD", "amount": "2000.00"},
    ]
    assert series(body, "count", owner_id=team.a.user_id) == ["0", "1"]
    assert series(body, "amount", owner_id=team.a.user_id, currency="EUR") == ["0.00", "500.50"]
    assert series(body, "count", owner_id=team.b.user_id) == ["1", "1"]
    assert series(body, "amount", owner_id=team.b.user_id, currency="USD") == [
        "800.00",
        "1200.00",
    ]
    assert len(body["series"]) == 4
    weekly = await report(team.owner, "deals-won", interval="week", **JAN_FEB)
    assert weekly["labels"] == [
        "2025-12-29", "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26",
        "2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23",
    ]  # fmt: skip
    assert series(weekly, "count", owner_id=team.b.user_id) == [
        "0", "0", "1", "0", "0", "0", "0", "1", "0",
    ]  # fmt: skip
    assert series(weekly, "count", owner_id=team.a.user_id)[5] == "1"
    dollars = await report(team.owner, "deals-won", currency="USD", **JAN_FEB)
    assert dollars["count"] == 2
    assert {s["owner_id"] for s in dollars["series"]} == {team.b.user_id}


async def test_a_reps_reports_cover_only_their_deals(team: Sales) -> None:
    win_rate = await report(team.a, "win-rate", **JAN_FEB)
    assert (win_rate["won"], win_rate["lost"], win_rate["rate"]) == (1, 1, "50.00")
    assert win_rate["owner_ids"] == [team.a.user_id]
    forecast = await report(team.a, "forecast", **{"from": "2026-01-01", "to": "2026-03-31"})
    assert {s["currency"] for s in forecast["series"]} == {"EUR"}, "A's only USD deal was lost"
    assert series(forecast, "open", currency="EUR") == ["3000.00", "0.00", "0.00"]
    assert series(forecast, "won", currency="EUR") == ["0.00", "500.50", "0.00"]
    assert [u["currency"] for u in forecast["undated"]] == ["EUR"]
    funnel = await report(team.a, "funnel", **JAN_FEB)
    assert series(funnel, "reached") == ["5", "3", "3", "2", "1"]  # d1 d2 d4 d7 d9
    value = await report(team.a, "pipeline-value")
    assert series(value, "count") == ["1", "0", "1", "1"]
    won = await report(team.b, "deals-won", **JAN_FEB)
    assert won["count"] == 2 and won["amounts"] == [{"currency": "USD", "amount": "2000.00"}]


async def test_periods_default_to_the_last_ninety_days(team: Sales) -> None:
    today = datetime.now(UTC).date()
    body = await report(team.owner, "win-rate")
    assert body["to"] == today.isoformat()
    assert body["from"] == (today - timedelta(days=89)).isoformat()
    only_from = await report(team.owner, "deals-won", **{"from": "2026-01-01"})
    assert only_from["to"] == "2026-03-31"
    forecast = await report(team.owner, "forecast")
    first = today.replace(day=1)
    assert forecast["from"] == first.isoformat()
    assert len(forecast["labels"]) == 3 and forecast["labels"][0] == first.strftime("%Y-%m")
    last = date.fromisoformat(forecast["to"])
    assert (last + timedelta(days=1)).day == 1, "to the end of a month"


BAD: list[tuple[str, dict[str, str], int, str]] = [
    ("win-rate", {"from": "2026-03-01", "to": "2026-02-01"}, 422, "from"),
    ("forecast", {"from": "2026-03-01", "to": "2026-02-01"}, 422, "from"),
    ("deals-won", {"from": "2000-01-01", "to": "2026-01-01"}, 422, "from"),
    ("funnel", {"from": "0001-01-01"}, 422, "from"),
    ("funnel", {"to": "9999-12-31"}, 422, "to"),
    ("win-rate", {"from": "yesterday"}, 400, "from"),
    ("funnel", {"pipeline_id": "01a21466-0000-7000-8000-000000000000"}, 422, "pipeline_id"),
    ("forecast", {"pipeline_id": "01a21466-0000-7000-8000-000000000000"}, 422, "pipeline_id"),
    ("pipeline-value", {"pipeline_id": "sales"}, 400, "pipeline_id"),
    ("deals-won", {"interval": "day"}, 400, "interval"),
    ("forecast", {"currency": "eur"}, 400, "currency"),
    ("pipeline-value", {"currency": "EURO"}, 400, "currency"),
    ("deals-won", {"currency": "E1R"}, 400, "currency"),
]


async def test_bad_report_requests_are_refused(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    for name, params, status, field in BAD:
        response = await owner.get(f"{REPORTS}/{name}", params=params)
        assert response.status_code == status, (name, params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == [field], (name, response.text)
    async with make_client(live_server) as other_client:
        other = await crm_tenant(other_client)
        theirs = next(p["id"] for p in (await other.get(PIPELINES)).json() if p["is_default"])
    response = await owner.get(f"{REPORTS}/funnel", params={"pipeline_id": theirs})
    assert response.status_code == 422, "another tenant's pipeline is no pipeline here"


async def test_reports_are_not_there_without_the_module(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    assert (await owner.post("/api/v1/modules/crm/disable")).is_success
    assert (await owner.get(f"{REPORTS}/win-rate")).status_code == 404
